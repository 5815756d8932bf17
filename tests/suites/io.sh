# I/O faults: unreadable input, a directory without .infra files, output into
# a read-only place or a full disk. Each must give a message naming the path,
# exit 1, and leave no partial file and the previous one intact.
# Some cases need root (a tmpfs mount) or need not to be root (chmod); a case
# that cannot be set up here says why on a "skip" line, which the runner shows.
. tests/lib.sh
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
SRC=examples/webapp.infra
MESSY=tests/fmt/collapsed.infra

# fails NAME PATTERN COMMAND...: exit status 1 and a line matching PATTERN
# on stderr.
fails() {
  local name=$1 pattern=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local status=$?
  if [ $status -eq 1 ] && grep -q -- "$pattern" "$T/err"; then ok "$name"; else
    { echo "exit $status, expected 1 and stderr matching: $pattern"; cat "$T/err"; } >"$T/why"
    bad "$name" "$T/why"
  fi
}
skipped() { echo "skip $1 ($2)"; }

# ---- unreadable input ----
fails "io check: a missing file" "cannot read $T/none.infra" "$INFRAC" check "$T/none.infra"
fails "io fmt: a missing file" "cannot read $T/none.infra" "$INFRAC" fmt "$T/none.infra"
mkdir -p "$T/empty"
fails "io check: a directory with no .infra files" "no .infra files in $T/empty" \
  "$INFRAC" check "$T/empty"
fails "io fmt: a directory with no .infra files" "no .infra files in $T/empty" \
  "$INFRAC" fmt "$T/empty"
# A directory whose name ends in .infra, among the files of a stack.
mkdir -p "$T/stack/sub.infra"
cp "$SRC" "$T/stack/a.infra"
fails "io check: a directory named x.infra in a stack" "cannot read $T/stack/sub.infra: Is a directory" \
  "$INFRAC" check "$T/stack"
ln -s "$T/loop" "$T/loop"
fails "io check: a symbolic link to itself" "cannot read $T/loop: Too many levels of symbolic links" \
  "$INFRAC" check "$T/loop"
# plan --against: a missing template, a directory, one that is no template.
fails "io plan --against a missing file" "cannot read template $T/none.json" \
  "$INFRAC" plan --against "$T/none.json" "$SRC"
fails "io plan --against a directory" "cannot read template $T/empty: Is a directory" \
  "$INFRAC" plan --against "$T/empty" "$SRC"
fails "io plan --against a YAML bomb" "more than 1000000 values" \
  "$INFRAC" plan --against tests/fuzz/template/billion-laughs.yaml "$SRC"
# A file whose read fails (EIO): /proc/self/mem opens, but offset 0 is unmapped.
if [ -r /proc/self/mem ]; then
  fails "io check: a read error" "cannot read /proc/self/mem" "$INFRAC" check /proc/self/mem
else skipped "io check: a read error" "no /proc/self/mem"; fi
# chmod 000 stops every reader but root; as root, run infrac as nobody.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if ! command -v setpriv >/dev/null; then
    echo "FAIL io: setpriv is not installed (apt-get install util-linux), needed to drop root"
  elif setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null
  then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
fi
mkdir -p "$T/locked"
cp "$SRC" "$T/locked/a.infra"
chmod 000 "$T/locked/a.infra"
chmod 755 "$T/locked"
chmod 711 "$T"
if [ "$(id -u)" -ne 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  fails "io check: a file without read permission" "cannot read $T/locked/a.infra: Permission denied" \
    "${as_user[@]}" "$BIN" check "$T/locked/a.infra"
  fails "io check: a directory holding an unreadable file" "cannot read $T/locked/a.infra" \
    "${as_user[@]}" "$BIN" check "$T/locked"
  fails "io fmt: a file without read permission" "cannot read $T/locked/a.infra" \
    "${as_user[@]}" "$BIN" fmt "$T/locked/a.infra"
else
  skipped "io check: a file without read permission" "root, and setpriv may not drop it"
fi
chmod 644 "$T/locked/a.infra"

# ---- standard output on a full disk ----
if [ -w /dev/full ]; then
  fails "io check --format=json > /dev/full" "cannot write standard output: No space left" \
    sh -c '"$1" check --format=json "$2" >/dev/full' sh "$INFRAC" "$SRC"
  fails "io check --format=sarif > /dev/full" "cannot write standard output" \
    sh -c '"$1" check --format=sarif "$2" >/dev/full' sh "$INFRAC" "$SRC"
  fails "io fmt - > /dev/full" "cannot write standard output" \
    sh -c '"$1" fmt - <"$2" >/dev/full' sh "$INFRAC" "$MESSY"
  fails "io fmt --ast-dump > /dev/full" "cannot write standard output" \
    sh -c '"$1" fmt --ast-dump "$2" >/dev/full' sh "$INFRAC" "$SRC"
  fails "io graph > /dev/full" "cannot write standard output" \
    sh -c '"$1" graph "$2" >/dev/full' sh "$INFRAC" "$SRC"
  fails "io explain > /dev/full" "cannot write standard output" \
    sh -c '"$1" explain E202 >/dev/full' sh "$INFRAC"
  fails "io build > /dev/full" "cannot write stdout: No space left" \
    sh -c '"$1" build "$2" >/dev/full' sh "$INFRAC" "$SRC"
  for emit in cfn-yaml api-plan; do
    fails "io build --emit=$emit > /dev/full" "cannot write" \
      sh -c '"$1" build --emit="$3" "$2" >/dev/full' sh "$INFRAC" "$SRC" "$emit"
  done
  fails "io plan --format=json > /dev/full" "cannot write" \
    sh -c '"$1" plan --format=json "$2" >/dev/full' sh "$INFRAC" "$SRC"
else
  skipped "io output to /dev/full" "no writable /dev/full"
fi

# ---- build -o: a missing directory, a directory, and a build that fails ----
fails "io build -o into a missing directory" "cannot write $T/none/out.json: No such file" \
  "$INFRAC" build "$SRC" -o "$T/none/out.json"
mkdir -p "$T/outdir"
fails "io build -o onto a directory" "cannot write $T/outdir" "$INFRAC" build "$SRC" -o "$T/outdir"
if [ -z "$(ls -A "$T/outdir")" ] && [ "$(ls -A "$T" | grep -c '\.outdir\.')" -eq 0 ]; then
  ok "io build -o onto a directory leaves nothing"; else ls -la "$T" >"$T/why"; bad "io build -o onto a directory leaves nothing" "$T/why"; fi

# -o onto what is no regular file (a pipe here; /dev/null, /dev/stdout) writes
# into it: renaming over it would replace it, and as root /dev/full too.
mkfifo "$T/pipe"
timeout 10 cat "$T/pipe" >"$T/piped" &
"$INFRAC" build "$SRC" -o "$T/pipe" 2>/dev/null
wait
"$INFRAC" build "$SRC" 2>/dev/null >"$T/direct"
if [ -p "$T/pipe" ] && cmp -s "$T/piped" "$T/direct"; then ok "io build -o a pipe writes into it"
else ls -la "$T" >"$T/why"; bad "io build -o a pipe writes into it" "$T/why"; fi

# ---- fmt and build -o into a read-only place and onto a full disk ----
# The file keeps its old text and no temporary file stays beside it.
intact() { # NAME DIR FILE ORIGINAL
  if cmp -s "$3" "$4" && [ "$(ls -A "$2" | grep -c '\.fmt-')" -eq 0 ]; then ok "$1"; else
    { ls -la "$2"; diff "$4" "$3"; } >"$T/why" 2>&1
    bad "$1" "$T/why"
  fi
}
can_mount=false
if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/m" && mount -t tmpfs -o size=64k tmpfs "$T/m" 2>/dev/null; then
  umount "$T/m"
  can_mount=true
fi
if $can_mount; then
  mount -t tmpfs -o size=64k tmpfs "$T/m"
  cp "$MESSY" "$T/m/a.infra"
  mount -o remount,ro "$T/m"
  fails "io fmt: a file on a read-only file system" "cannot write $T/m/a.infra: Read-only file system" \
    "$INFRAC" fmt "$T/m/a.infra"
  intact "io fmt: a read-only file is left as it was" "$T/m" "$T/m/a.infra" "$MESSY"
  umount "$T/m"
  mount -t tmpfs -o size=64k tmpfs "$T/m"
  echo previous >"$T/m/out.json"
  mount -o remount,ro "$T/m"
  fails "io build -o on a read-only file system" "cannot write $T/m/out.json: Read-only file system" \
    "$INFRAC" build "$SRC" -o "$T/m/out.json"
  if [ "$(cat "$T/m/out.json")" = previous ]; then ok "io build -o: a read-only output is left as it was"
  else bad "io build -o: a read-only output is left as it was"; fi
  umount "$T/m"
elif [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$T/ro"
  cp "$MESSY" "$T/ro/a.infra"
  chmod 555 "$T/ro"
  fails "io fmt: a file in a read-only directory" "cannot write $T/ro/a.infra: Permission denied" \
    "$INFRAC" fmt "$T/ro/a.infra"
  intact "io fmt: a read-only file is left as it was" "$T/ro" "$T/ro/a.infra" "$MESSY"
  chmod 755 "$T/ro"
else
  skipped "io fmt: a read-only file system" "root, and mount -t tmpfs is not permitted"
fi
if $can_mount; then
  mount -t tmpfs -o size=64k tmpfs "$T/m"
  cp "$MESSY" "$T/m/a.infra"
  dd if=/dev/zero of="$T/m/fill" bs=4k 2>/dev/null # until the disk is full
  fails "io fmt: a full disk" "cannot write $T/m/a.infra: No space left on device" \
    "$INFRAC" fmt "$T/m/a.infra"
  intact "io fmt: on a full disk the file is left as it was" "$T/m" "$T/m/a.infra" "$MESSY"
  rm "$T/m/fill"
  echo previous >"$T/m/out.json"
  dd if=/dev/zero of="$T/m/fill" bs=4k 2>/dev/null
  fails "io build -o onto a full disk" "cannot write $T/m/out.json: No space left on device" \
    "$INFRAC" build "$SRC" -o "$T/m/out.json"
  if [ "$(cat "$T/m/out.json")" = previous ] && [ "$(ls -A "$T/m" | wc -l)" -eq 3 ]; then
    ok "io build -o: on a full disk the output is left as it was, no temporary file"
  else ls -la "$T/m" >"$T/why"; bad "io build -o: on a full disk the output is left as it was, no temporary file" "$T/why"; fi
  umount "$T/m"
else
  skipped "io fmt: a full disk" "a tmpfs mount needs root"
fi
