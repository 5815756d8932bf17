"""update_each.py INFRAC OUT_DIR APIPLAN_TYPES.c EXAMPLE.infra...: for every property that
a native row of backends/apiplan_types.c updates in place, and every resource of the
examples that sets it, a deployed template where that one property differs; then
`infrac plan` (text and --format=json) of the example against it. Prints one line per
case: "ok NAME" when both plans succeed and the JSON plan updates the resource in place,
else "FAIL NAME" and why; the JSON plans are left in OUT_DIR for plan_validate.py.
Exit status 0 when every case is ok."""
import copy
import json
import os
import re
import subprocess
import sys


def rows(path):
    """{type: [property]} of the update groups of each row."""
    text = open(path).read()
    out = {}
    for chunk in re.split(r'\n    \{(?="AWS::)', text)[1:]:
        t = re.match(r'"(AWS::[^"]+)"', chunk).group(1)
        props = []
        for group in re.findall(r'PROPS\(([^)]*)\)', chunk):
            props += re.findall(r'"([^"]+)"', group)
        if re.search(r'\b(EC2_)?TAGS\b', chunk):  # the Tags groups' macros
            props.append('Tags')
        out[t] = props
    return out


def intrinsic(v):
    return isinstance(v, dict) and len(v) == 1 and (next(iter(v)) == 'Ref' or next(iter(v)).startswith('Fn::'))


def changed(v):
    """A different value of the same kind."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, (int, float)):
        return v + 1
    if isinstance(v, str):
        return str(int(v) + 1) if v.isdigit() else v + '-old'
    if isinstance(v, list):
        if v and isinstance(v[0], dict) and 'Key' in v[0]:  # tags
            return [dict(v[0], Value='old')] + v[1:] + [{'Key': 'gone', 'Value': 'old'}]
        if len(v) > 1:
            return v[:-1]
        if v and isinstance(v[0], dict) and not intrinsic(v[0]):  # one rule more, to be revoked
            return v + [changed(v[0])]
        return [] if v else ['old']
    if intrinsic(v):
        return 'old-value'
    if isinstance(v, dict) and v:
        k = sorted(v)[-1]  # PolicyName, ToPort: a policy or rule of its own
        return dict(v, **{k: changed(v[k])})
    return 'old'


def main(argv):
    infrac, out_dir, types_c, examples = argv[0], argv[1], argv[2], argv[3:]
    updatable = rows(types_c)
    failed = 0
    for ex in examples:
        name = os.path.splitext(os.path.basename(ex))[0]
        tmpl = json.loads(subprocess.run([infrac, 'build', ex, '-o', '-'], capture_output=True,
                                         text=True, check=True).stdout)
        for logical, res in sorted(tmpl['Resources'].items()):
            for prop in updatable.get(res['Type'], []):
                if prop not in res.get('Properties', {}):
                    continue
                case = '%s %s.%s' % (name, logical, prop)
                old = copy.deepcopy(tmpl)
                props = old['Resources'][logical]['Properties']
                props[prop] = changed(props[prop])
                old_path = os.path.join(out_dir, '%s-%s-%s.old.json' % (name, logical, prop))
                plan_path = os.path.join(out_dir, '%s-%s-%s.plan.json' % (name, logical, prop))
                json.dump(old, open(old_path, 'w'))
                text = subprocess.run([infrac, 'plan', ex, '--against', old_path],
                                      capture_output=True, text=True)
                js = subprocess.run([infrac, 'plan', '--format=json', ex, '--against', old_path],
                                    capture_output=True, text=True)
                why = None
                if text.returncode != 0:
                    why = 'the text plan fails: ' + text.stderr.strip()[-300:]
                elif js.returncode != 0:
                    why = 'plan --format=json fails where the text plan succeeds: ' + js.stderr.strip()[-300:]
                else:
                    plan = json.loads(js.stdout)
                    open(plan_path, 'w').write(js.stdout)
                    acts = {(c['logical_id'], c['action']) for c in plan['changes']}
                    steps = [s for s in plan['steps'] if s['action'] == 'update']
                    if (logical, 'update') not in acts:
                        why = 'no in-place update of %s in changes: %s' % (logical, sorted(acts))
                    elif not steps:
                        why = 'no update step'
                print(('FAIL %s: %s' % (case, why)) if why else 'ok update ' + case)
                failed += why is not None
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
