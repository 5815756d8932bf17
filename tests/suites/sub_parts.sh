# References stay references (issue 18): lowering keeps an interpolated
# string as its parts (IV_SUB items, backends/cfn_parts.h) and only the
# printers write Fn::Sub text. Fn::Sub text is read in one place,
# cfn_sub.c, through cfn_parts.c when a template is loaded. A file that
# reads "${" out of a value itself fails here, by name.
. tests/lib.sh

# The one reader, and its one caller, which makes parts of what is loaded.
allowed="backends/cfn_sub.c backends/cfn_parts.c"
# A file reads Fn::Sub text when it calls the reader, or looks for "${" itself.
# import.c looks for "${" in a map's key, which is never Fn::Sub: infrac
# has no way to write such a key.
reads='cfn_sub_next\(|str(str|chr)\([^;]*"\$\{"'
readers=$(grep -HE "$reads" backends/*.c compiler/*.c |
  grep -vF 'compiler/import.c:      else if (strstr(x->string, "${"))' | cut -d: -f1 | sort -u)
offenders=""
for f in $readers; do
  case " $allowed " in *" $f "*) ;; *) offenders="$offenders $f" ;; esac
done
if [ -z "$offenders" ]; then ok "sub_parts: only cfn_sub.c reads Fn::Sub text"
else
  printf '%s\n' "reads \"\${\" out of a value itself:$offenders" \
    "walk the parts instead (backends/cfn_parts.h: cfn_parts_items, cfn_part)" >"$T/why"
  bad "sub_parts: only cfn_sub.c reads Fn::Sub text" "$T/why"
fi
# and the check sees one that does
printf 'static int f(const char *s) { return strstr(s, "${") != 0; }\n' >"$T/probe.c"
if grep -qE "$reads" "$T/probe.c"; then ok "sub_parts: the check sees a reader"
else bad "sub_parts: the check sees a reader" "$T/probe.c"; fi

# Lowering writes no Fn::Sub text: a reference in a string is a part.
lowering=$(grep -HE '"[^"]*\$\{[^"]*"' compiler/lower*.c | grep -vE '^[^:]*: *(/\*|\*)' | cut -d: -f1 | sort -u)
if [ -z "$lowering" ]; then ok "sub_parts: lowering keeps parts, never \${...} text"
else
  echo "writes \${...} text where a part belongs: $lowering" >"$T/why"
  bad "sub_parts: lowering keeps parts, never \${...} text" "$T/why"
fi

# The printers write the parts as Fn::Sub, the same in both renderings, and
# a literal "${" of the source as "${!" (it stays text).
mkdir -p "$T/s"
cat >"$T/s/main.infra" <<'EOF'
stack parts { region = "us-east-1" }
param image_tag : string = "v1"
registry api_repo { name = "api" }
log_group api_logs { retention = 7d }
role task_exec { assumed_by = "ecs-tasks.amazonaws.com" }
task api {
  cpu            = 256
  memory         = 512MiB
  compatibility  = fargate
  network_mode   = awsvpc
  execution_role = task_exec
  container app {
    image = "${api_repo.uri}:${image_tag}"
    port 8080
    env {
      GREETING = "literal \${HOME} in ${aws.region}"
    }
    logs = api_logs
  }
}
EOF
if "$INFRAC" build --emit=cfn-json -o "$T/t.json" "$T/s" >"$T/out" 2>&1 &&
   "$INFRAC" build --emit=cfn-yaml -o "$T/t.yaml" "$T/s" >>"$T/out" 2>&1; then
  if grep -qF '"Image": {"Fn::Sub": "${ApiRepoRepository.RepositoryUri}:${ImageTag}"}' "$T/t.json" &&
     grep -qF '"Value": {"Fn::Sub": "literal ${!HOME} in ${AWS::Region}"}' "$T/t.json" &&
     grep -qF 'Image: !Sub ${ApiRepoRepository.RepositoryUri}:${ImageTag}' "$T/t.yaml" &&
     grep -qF 'Value: !Sub literal ${!HOME} in ${AWS::Region}' "$T/t.yaml"; then
    ok "sub_parts: the printers write parts as Fn::Sub"
  else
    bad "sub_parts: the printers write parts as Fn::Sub" "$T/t.json"
    sed 's/^/     /' "$T/t.yaml"
  fi
else
  bad "sub_parts: the printers write parts as Fn::Sub" "$T/out"
fi

# A template read from disk has its Fn::Sub read into the same parts as
# lowering makes: with a variable map, a Ref and a GetAtt among its
# variables and ${!HOME} as text, it says what the source says; ${HOME}
# (a reference) instead of ${!HOME} is a change.
sed -e 's|{"Fn::Sub": "${ApiRepoRepository.RepositoryUri}:${ImageTag}"}|{"Fn::Sub": ["${Repo}:${ImageTag}", {"Repo": {"Fn::GetAtt": ["ApiRepoRepository", "RepositoryUri"]}}]}|' \
    -e 's|{"Fn::Sub": "literal ${!HOME} in ${AWS::Region}"}|{"Fn::Sub": ["literal ${!HOME} in ${R}", {"R": {"Ref": "AWS::Region"}}]}|' \
    "$T/t.json" >"$T/vars.json"
if ! cmp -s "$T/t.json" "$T/vars.json" && "$INFRAC" plan --against "$T/vars.json" "$T/s" >"$T/out" 2>&1 &&
   [ "$(cat "$T/out")" = "No changes." ]; then ok "sub_parts: a loaded Fn::Sub with variables reads as the same parts"
else bad "sub_parts: a loaded Fn::Sub with variables reads as the same parts" "$T/out"; fi
sed 's|literal ${!HOME}|literal ${HOME}|' "$T/vars.json" >"$T/home.json"
"$INFRAC" plan --against "$T/home.json" "$T/s" >"$T/out" 2>&1
if grep -qF -- '-/+ ApiTaskDefinition' "$T/out" && grep -qF 'literal ${!HOME} in ${AWS::Region}' "$T/out"
then ok "sub_parts: \${X} read from disk is a reference, \${!X} text"
else bad "sub_parts: \${X} read from disk is a reference, \${!X} text" "$T/out"; fi
