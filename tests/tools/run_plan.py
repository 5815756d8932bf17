"""run_plan.py PLAN.json URL: runs the steps of an infrac-plan/1 plan (docs/formats.md)
in order with boto3 against URL (a moto server), as an executor other than infrac would:
each listed placeholder filled from the captures of earlier steps, each capture read from
the output by its path (with "captures_in_text", "captures_trimmed" and "captures_where":
the one item of the path's list whose members are the given ones); waits are not
made (moto is done at once). Prints one line per step, then the captures as NAME=VALUE
lines; exit status 1 at the first step that fails or misses a capture."""
import json
import re
import sys

import boto3


def text_of(form, caps):
    if '$capture' in form:
        return caps[form['$capture']]
    return ''.join(p if isinstance(p, str) else text_of(p, caps) for p in form['$join'])


def put(root, pointer, value):
    keys = [k.replace('~1', '/').replace('~0', '~') for k in pointer.split('/')[1:]]
    for k in keys[:-1]:
        root = root[int(k)] if isinstance(root, list) else root[k]
    last = keys[-1]
    if isinstance(root, list):
        root[int(last)] = value
    else:
        root[last] = value


def at_path(out, path):
    v = out
    for part in path.split('.'):
        m = re.match(r'^([A-Za-z0-9_]+)((?:\[\d+\])*)$', part)
        v = v.get(m.group(1)) if isinstance(v, dict) else None
        for i in re.findall(r'\[(\d+)\]', m.group(2)):
            v = v[int(i)] if isinstance(v, list) and int(i) < len(v) else None
    return v


def where_item(out, path, where):
    """The rest of path in the one item of its first list whose members match where
    (text without regard to case); None for none or several."""
    head, rest = path.split('[', 1)
    rest = rest.split(']', 1)[1].lstrip('.')
    same = lambda a, b: a.lower() == b.lower() if isinstance(a, str) and isinstance(b, str) else a == b
    items = [it for it in (at_path(out, head) or []) if all(same(at_path(it, k), w) for k, w in where.items())]
    return (at_path(items[0], rest) if rest else items[0]) if len(items) == 1 else None


def main(argv):
    plan, url = json.load(open(argv[0])), argv[1]
    caps, clients = {}, {}
    for s in plan['steps']:
        step = {'params': s.get('params', {})}
        for e in s.get('placeholders', []):
            put(step, e['at'], text_of(e['value'], caps))
        client = clients.setdefault(s['service'], boto3.client(s['service'], endpoint_url=url,
                                                               region_name=plan['region']))
        op = client.meta.method_to_api_mapping
        method = next(m for m, o in op.items() if o == s['operation'])
        try:
            out = getattr(client, method)(**step['params'])
        except Exception as e:  # the step's error is the finding
            print('%s %s %s: %s' % (s['id'], s['service'], s['operation'], e))
            return 1
        print('%s %s %s %s' % (s['id'], s['action'], s['resource'], s['operation']))
        for name, path in (s.get('captures') or {}).items():
            where = (s.get('captures_where') or {}).get(name)
            v = where_item(out, path, where) if where else at_path(out, path)
            pointer = (s.get('captures_in_text') or {}).get(name)
            if pointer and isinstance(v, str):
                v = json.loads(v)
                for k in pointer.split('/')[1:]:
                    v = v.get(k) if isinstance(v, dict) else None
            prefix = (s.get('captures_trimmed') or {}).get(name)
            if prefix and isinstance(v, str) and v.startswith(prefix):
                v = v[len(prefix):]
            if v is None:
                print('%s: the output has no %s (%s)' % (s['id'], path, name))
                return 1
            caps[name] = str(v)
    for name in sorted(caps):
        print('%s=%s' % (name, caps[name]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
