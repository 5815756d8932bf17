"""plan_closure.py TEMPLATE.json PLAN.json: every reference of the template (Ref,
Fn::GetAtt, ${X} of Fn::Sub) and every DependsOn is an ordering of the API plan: the first
step of a resource has, in the transitive closure of its depends_on, the last step of each
resource it refers to or depends on. One line per missing ordering; exit 1 when any."""
import json
import re
import sys


def refs(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == 'Ref' and isinstance(x, str):
                out.add(x)
            elif k == 'Fn::GetAtt' and isinstance(x, list) and x and isinstance(x[0], str):
                out.add(x[0])
            elif k == 'Fn::Sub':
                text = x if isinstance(x, str) else x[0] if isinstance(x, list) and x else ''
                out.update(m.split('.')[0] for m in re.findall(r'\$\{([^!}][^}]*)\}', text))
                if isinstance(x, list) and len(x) > 1:
                    refs(x[1], out)
            else:
                refs(x, out)
    elif isinstance(v, list):
        for x in v:
            refs(x, out)


def main(template_path, plan_path):
    tmpl, plan = json.load(open(template_path)), json.load(open(plan_path))
    resources = tmpl.get('Resources', {})
    name = {c['logical_id']: c['resource'] for c in plan.get('changes', [])}
    first, last, closure = {}, {}, {}
    for s in plan['steps']:
        deps = set()
        for d in s['depends_on']:
            deps |= {d} | closure[d]
        closure[s['id']] = deps
        first.setdefault(s['resource'], s['id'])
        last[s['resource']] = s['id']
    missing = 0
    for logical, res in resources.items():
        wanted = set()
        refs(res.get('Properties', {}), wanted)
        dep = res.get('DependsOn', [])
        wanted |= {dep} if isinstance(dep, str) else set(dep)
        me = first.get(name.get(logical, logical))
        for target in sorted(wanted & set(resources)):
            other = last.get(name.get(target, target))
            if me and other and other != me and other not in closure[me] and \
                    int(other[1:]) > 0 and me != other:
                print('%s (%s) does not wait for %s (%s), which it %s' % (
                    logical, me, target, other,
                    'depends on' if target in ({dep} if isinstance(dep, str) else set(dep)) else 'refers to'))
                missing += 1
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
