"""change_each.py INFRAC OUT_DIR EXAMPLE.infra...: for every resource of each example,
the example is planned against its own template changed one way, as a stack deployed by
CloudFormation would differ (the template holds no physical ID; the plan's steps must
look them up at apply time):
  update   one property that a native row updates in place, or any other, differs;
  replace  a create-only property (of the registry schema) differs;
  rename   the resource has another logical ID (what refers to it too): delete + create;
  delete   a copy of the resource, under another logical ID, is deployed: deleted;
  create   the resource is not deployed: created.
Prints one line per case: "ok KIND EXAMPLE LOGICAL" when the text plan succeeds and so does
--format=json, else "FAIL KIND EXAMPLE LOGICAL: why" (only a text plan that fails skips the
case: "skip ..."); the JSON plans are left in OUT_DIR for plan_validate.py."""
import copy
import json
import os
import subprocess
import sys

from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from update_each import changed  # noqa: E402


def create_only(rtype):
    try:
        s = PROVIDER_SCHEMA_MANAGER.get_resource_schema('us-east-1', rtype).schema
    except Exception:  # a type the schemas lack
        return []
    return [p.split('/')[2] for p in s.get('createOnlyProperties', []) if p.count('/') == 2]


def renamed(v, old, new):
    """v with every reference to old (Ref, GetAtt, Sub, DependsOn) made to new."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if k == 'Ref' and x == old:
                x = new
            elif k == 'Fn::GetAtt' and isinstance(x, list) and x and x[0] == old:
                x = [new] + x[1:]
            elif k == 'Fn::Sub' and isinstance(x, str):
                x = x.replace('${%s}' % old, '${%s}' % new).replace('${%s.' % old, '${%s.' % new)
            elif k == 'DependsOn':
                x = [new if d == old else d for d in x] if isinstance(x, list) else (new if x == old else x)
            out[k] = renamed(x, old, new)
        return out
    if isinstance(v, list):
        return [renamed(x, old, new) for x in v]
    return v


def deployed(tmpl, logical, kind):
    """The deployed template of a case, or None when the kind does not apply."""
    old = copy.deepcopy(tmpl)
    res = old['Resources']
    props = res[logical].setdefault('Properties', {})
    if kind == 'update':
        cands = [p for p in sorted(props) if p not in create_only(res[logical]['Type'])]
        if not cands:
            return None
        props[cands[0]] = changed(props[cands[0]])
    elif kind == 'replace':
        cands = [p for p in sorted(props) if p in create_only(res[logical]['Type'])]
        if not cands:
            return None
        props[cands[0]] = changed(props[cands[0]])
    elif kind == 'rename':
        body = res.pop(logical)
        old = renamed(old, logical, logical + 'Was')
        old['Resources'][logical + 'Was'] = body
    elif kind == 'delete':
        res[logical + 'Gone'] = copy.deepcopy(res[logical])
    elif kind == 'create':
        del res[logical]
    return old


KINDS = ('update', 'replace', 'rename', 'delete', 'create')


def main(argv):
    infrac, out_dir, examples = argv[0], argv[1], argv[2:]
    failed = 0
    for ex in examples:
        name = os.path.splitext(os.path.basename(ex))[0]
        tmpl = json.loads(subprocess.run([infrac, 'build', ex, '-o', '-'], capture_output=True,
                                         text=True, check=True).stdout)
        for logical in sorted(tmpl['Resources']):
            for kind in KINDS:
                old = deployed(tmpl, logical, kind)
                if old is None:
                    continue
                case = '%s %s %s' % (kind, name, logical)
                stem = os.path.join(out_dir, '%s-%s-%s' % (name, logical, kind))
                json.dump(old, open(stem + '.old.json', 'w'))
                text = subprocess.run([infrac, 'plan', ex, '--against', stem + '.old.json'],
                                      capture_output=True, text=True)
                if text.returncode != 0:
                    print('skip %s: the text plan fails: %s' % (case, text.stderr.strip()[-200:]))
                    continue
                js = subprocess.run([infrac, 'plan', '--format=json', ex, '--against', stem + '.old.json'],
                                    capture_output=True, text=True)
                why = None
                if js.returncode != 0:
                    why = ([l for l in js.stderr.splitlines() if "cannot plan" in l or l.startswith("error")] or [js.stderr.strip()[-300:]])[0]
                else:
                    plan = json.loads(js.stdout)
                    if not plan['steps'] and any(not c.get('retained') for c in plan['changes']):
                        why = 'changes but no step'
                    else:
                        open(stem + '.plan.json', 'w').write(js.stdout)
                print(('FAIL %s: %s' % (case, why)) if why else 'ok ' + case)
                failed += why is not None
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
