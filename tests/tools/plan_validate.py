"""plan_validate.py PLAN.json...: judges infrac-plan/1 API plans (docs/formats.md) against
the AWS service models, waiter models and parameter validator that ship with botocore, and
the CloudFormation type names of cfn-lint's registry schemas. All plans in one process.

For each plan, one line per finding and a count:
    PLAN: error steps[3](s4).params.Cidr: unknown parameter of CreateSubnetRequest
    PLAN: 1 errors
It checks: the envelope (format, stack, a region botocore knows, summary, changes, steps);
step ids unique; action create/update/replace/delete; type a CloudFormation resource type
of the region; service a botocore service and operation one of its operations; params
against the operation's input shape: botocore's ParamValidator (required and unknown
members, types, minimums), and here enums, maximums and patterns; "wait" a waiter of the
service's waiter model (as written there or in boto3's snake case); depends_on names
earlier steps; placeholders: params hold each as its text ("${main.id}", "arn:${x.arn}/a")
and the step's "placeholders" lists each position (a JSON pointer into the step) with its
form ({"$capture": NAME}, or {"$join": [text or {"$capture": NAME}, ...]}): every listed
position holds the text of its form, no position is listed twice, params hold no form of
their own, and every capture a form names is made by a step in the transitive depends_on;
a $join stands only where text does (a string, or a blob, which botocore takes as text); every other string is literal text (checked as a
value, "${" and all); captures
are paths (with [i]) into the operation's output shape (one whose value is inside JSON
text, as Cloud Control's properties, has its JSON pointer in "captures_in_text"; one that
"captures_trimmed" cuts a prefix off is a string; one with "captures_where" names members
of an item of a list its path indexes); the summary counts the distinct
resources of each action in changes (a resource deleted and created counts as replaced);
drift (plan --refresh), when there is, lists resources changed or deleted outside infrac.
Exit status: 0 no plan has an error, 1 one has, 2 could not run.
"""
import copy
import datetime
import json
import os
import re
import sys

sys.dont_write_bytecode = True
ACTIONS = ('create', 'update', 'replace', 'delete')
PLACEHOLDER_KEYS = ('$capture', '$join')


def capture_name(v):
    """NAME when v is {"$capture": NAME}, else None."""
    if isinstance(v, dict) and len(v) == 1 and isinstance(v.get('$capture'), str):
        return v['$capture']
    return None


def join_parts(v):
    """The parts when v is {"$join": [...]}, else None."""
    if isinstance(v, dict) and len(v) == 1 and isinstance(v.get('$join'), list):
        return v['$join']
    return None


def form_text(v):
    """The text a form stands as in params, or None when v is no well-formed form."""
    name, parts = capture_name(v), join_parts(v)
    if name is not None:
        return '${%s}' % name if name else None
    if parts is None:
        return None
    texts = [p if isinstance(p, str) else form_text(p) if capture_name(p) is not None else None for p in parts]
    return None if None in texts else ''.join(texts)


def stray_form(v, at):
    """The position of the first object in v with a form's key, or None."""
    if isinstance(v, dict):
        if any(k in v for k in PLACEHOLDER_KEYS):
            return at
        items = v.items()
    elif isinstance(v, list):
        items = enumerate(v)
    else:
        return None
    for k, x in items:
        found = stray_form(x, '%s/%s' % (at, str(k).replace('~', '~0').replace('/', '~1')))
        if found:
            return found
    return None


def pointer_target(root, pointer):
    """(parent, key) of the item a JSON pointer names in root, or None."""
    parent, key, at = None, None, root
    for raw in pointer.split('/')[1:]:
        seg = raw.replace('~1', '/').replace('~0', '~')
        if isinstance(at, dict) and seg in at:
            parent, key = at, seg
        elif isinstance(at, list) and re.fullmatch(r'0|[1-9][0-9]*', seg) and int(seg) < len(at):
            parent, key = at, int(seg)
        else:
            return None
        at = parent[key]
    return (parent, key) if parent is not None else None


def restored(step, where, found):
    """A copy of the step's params with each listed form back at its position; what is
    inconsistent between the list and the strings into found."""
    params = copy.deepcopy(step.get('params', {}))
    stray = stray_form(params, '/params')
    if stray:
        found.append('%s: %s holds a placeholder form that "placeholders" does not list' % (where, stray))
    listed = step.get('placeholders', [])
    if not isinstance(listed, list):
        found.append('%s.placeholders: not a list' % where)
        return params
    targets = []
    for j, e in enumerate(listed):
        at = '%s.placeholders[%d]' % (where, j)
        pointer, form = (e.get('at'), e.get('value')) if isinstance(e, dict) else (None, None)
        text = form_text(form)
        target = pointer_target({'params': params}, pointer) if isinstance(pointer, str) and \
            pointer.startswith('/params/') else None
        if text is None:
            found.append('%s.value: %r is no {"$capture": NAME} or {"$join": [...]}' % (at, form))
        elif target is None:
            found.append('%s.at: %r names nothing in the step\'s params' % (at, pointer))
        elif any(t[0] is target[0] and t[1] == target[1] for t in targets):
            found.append('%s.at: %s is listed twice' % (at, pointer))
        elif target[0][target[1]] != text:
            found.append('%s: %s holds %r, not %r, the text of its placeholder' % (
                at, pointer, target[0][target[1]], text))
        else:
            targets.append((target[0], target[1], form))
    for parent, key, form in targets:
        parent[key] = copy.deepcopy(form)
    return params


def placeholders(v, where, found):
    """(where, capture name) of every placeholder in v; malformed forms into found."""
    name, parts = capture_name(v), join_parts(v)
    if name is not None:
        yield where, name
    elif parts is not None:
        for j, part in enumerate(parts):
            if capture_name(part) is not None:
                yield '%s.$join[%d]' % (where, j), capture_name(part)
            elif not isinstance(part, str):
                found.append('%s.$join[%d]: neither text nor a {"$capture"}' % (where, j))
    elif isinstance(v, dict):
        if any(k in v for k in PLACEHOLDER_KEYS):
            found.append('%s: a malformed placeholder (%s)' % (where, ', '.join(sorted(v))))
        for k, x in v.items():
            yield from placeholders(x, '%s.%s' % (where, k), found)
    elif isinstance(v, list):
        for j, x in enumerate(v):
            yield from placeholders(x, '%s[%d]' % (where, j), found)
CAPTURE_PART = re.compile(r'^([A-Za-z0-9_]+)((?:\[\d+\])*)$')
# Java's Unicode classes in the models' patterns, as wider Python classes: a pattern
# read this way may let a bad value pass, never refuse a good one.
JAVA_CLASSES = {r'\p{L}': r'\w', r'\p{N}': r'\w', r'\p{Alnum}': r'\w', r'\p{Z}': r'\s'}


def java_pattern(pattern, cache={}):
    if pattern not in cache:
        py = pattern
        for java, python in JAVA_CLASSES.items():
            py = py.replace(java, python)
        try:
            cache[pattern] = None if re.search(r'\\[pP]\{', py) else re.compile(py)
        except re.error:
            cache[pattern] = None
    return cache[pattern]


def stand_in(shape, depth=0):
    """A valid value of shape, for a placeholder known only at apply time."""
    t, md = shape.type_name, shape.metadata
    if t == 'string':
        return shape.enum[0] if shape.enum else 'x' * max(int(md.get('min', 1)), 1)
    if t in ('integer', 'long'):
        return int(md.get('min', 1))
    if t in ('double', 'float'):
        return float(md.get('min', 1))
    if t == 'boolean':
        return True
    if t == 'timestamp':
        return datetime.datetime(2020, 1, 1)
    if t == 'blob':
        return b'x'
    if t == 'list':
        return [stand_in(shape.member, depth + 1) for _ in range(int(md.get('min', 0)))] if depth < 8 else []
    if t == 'structure' and depth < 8:
        return {m: stand_in(shape.members[m], depth + 1) for m in shape.required_members}
    return {}


def with_stand_ins(v, shape):
    """v with each placeholder replaced by a stand-in of its shape (a join only where
    text stands, a string or a blob: elsewhere it stays, and the validator refuses it)."""
    t = shape.type_name
    if capture_name(v) is not None or (join_parts(v) is not None and t in ('string', 'blob')):
        return stand_in(shape)
    if t == 'structure' and isinstance(v, dict):
        return {k: with_stand_ins(x, shape.members[k]) if k in shape.members else x for k, x in v.items()}
    if t == 'list' and isinstance(v, list):
        return [with_stand_ins(x, shape.member) for x in v]
    if t == 'map' and isinstance(v, dict):
        return {k: with_stand_ins(x, shape.value) for k, x in v.items()}
    return v


class PlanValidator:
    def __init__(self):
        import botocore
        import botocore.loaders
        import botocore.validate
        self.botocore = botocore
        self.loader = botocore.loaders.Loader()
        self.services = set(self.loader.list_available_services('service-2'))
        self.regions = {r for p in self.loader.load_data('endpoints')['partitions'] for r in p['regions']}
        self.param_validator = botocore.validate.ParamValidator()
        self.models, self.waiters = {}, {}
        try:
            from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
            self.schemas = PROVIDER_SCHEMA_MANAGER
        except ImportError:
            self.schemas = None

    def model(self, service):
        if service not in self.models:
            import botocore.model
            data = self.loader.load_service_model(service, 'service-2')
            self.models[service] = botocore.model.ServiceModel(data, service_name=service)
        return self.models[service]

    def waiter_names(self, service):
        if service not in self.waiters:
            import botocore.exceptions
            import botocore.waiter
            try:
                data = self.loader.load_service_model(service, 'waiters-2', self.model(service).api_version)
                names = botocore.waiter.WaiterModel(data).waiter_names
            except botocore.exceptions.DataNotFoundError:
                names = []
            self.waiters[service] = set(names) | {self.botocore.xform_name(n) for n in names}
        return self.waiters[service]

    def resource_types(self, region):
        if self.schemas is None:
            return None
        try:
            return set(self.schemas.get_resource_types(region))
        except Exception:  # a region cfn-lint lacks: the region check says so
            return None

    def judge(self, plan):
        self.found = []
        err = self.found.append
        if not isinstance(plan, dict):
            return ['plan: a plan is a JSON object']
        if plan.get('format') != 'infrac-plan/1':
            err('format: %r is not "infrac-plan/1"' % (plan.get('format'),))
        if not isinstance(plan.get('stack'), str) or not plan['stack']:
            err('stack: not a name')
        region = plan.get('region')
        if region not in self.regions:
            err('region: %r is no region of botocore %s' % (region, self.botocore.__version__))
        steps = plan.get('steps')
        if not isinstance(steps, list):
            err('steps: not a list')
            steps = []
        changes = plan.get('changes', [])
        if not isinstance(changes, list):
            err('changes: not a list')
            changes = []
        self.steps(steps, self.resource_types(region) if isinstance(region, str) else None)
        self.summary(plan.get('summary'), changes, steps)
        if 'drift' in plan:
            self.drift(plan['drift'])
        return self.found

    def drift(self, drift):
        """plan --refresh: per resource changed (update, replace) or deleted outside infrac."""
        if not isinstance(drift, list):
            self.found.append('drift: not a list')
            return
        for i, d in enumerate(drift):
            where = 'drift[%d]' % i
            if not isinstance(d, dict) or not all(isinstance(d.get(k), str) and d.get(k)
                                                   for k in ('resource', 'logical_id', 'type')):
                self.found.append('%s: not {resource, logical_id, type, action, properties}' % where)
                continue
            if d.get('action') not in ('update', 'replace', 'delete'):
                self.found.append('%s.action: %r is not update, replace or delete' % (where, d.get('action')))
            props = d.get('properties')
            if not isinstance(props, list) or (d.get('action') == 'delete') != (props == []):
                self.found.append('%s.properties: a changed resource lists what changed, a deleted one '
                                  'nothing' % where)
                continue
            for j, p in enumerate(props):
                if not isinstance(p, dict) or not isinstance(p.get('path'), str) or 'old' not in p or \
                        'new' not in p or p.get('old') == p.get('new'):
                    self.found.append('%s.properties[%d]: not {path, old, new} of a change' % (where, j))

    def summary(self, summary, changes, steps):
        if not isinstance(summary, dict) or set(summary) != set(ACTIONS + ('unchanged',)) or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in summary.values()):
            self.found.append('summary: %r is not {create, update, replace, delete, unchanged} as counts'
                              % (summary,))
            return
        # the changes when there are (plan --format=json), else the steps (build --emit=api-plan)
        items = [c for c in changes if isinstance(c, dict)] or [s for s in steps if isinstance(s, dict)]
        # a removed resource whose DeletionPolicy is Retain stays in AWS: not a delete
        items = [x for x in items if not (x.get('action') == 'delete' and x.get('retained') is True)]
        seen = {a: {(x.get('type'), x.get('resource')) for x in items if x.get('action') == a} for a in ACTIONS}
        both = seen['create'] & seen['delete']
        plain = {a: len(seen[a]) for a in ACTIONS}
        folded = dict(plain, create=len(seen['create'] - both), delete=len(seen['delete'] - both),
                      replace=len(seen['replace'] | both))
        got = {a: summary[a] for a in ACTIONS}
        if got != plain and got != folded:
            self.found.append('summary: %s, but the plan has %s' % (got, plain))

    def steps(self, steps, types):
        index, closure, captured = {}, {}, {}  # id -> position; id -> ids it waits for; capture -> (id, shape)
        for i, s in enumerate(steps):
            where = 'steps[%d]' % i
            if not isinstance(s, dict):
                self.found.append(where + ': not an object')
                continue
            sid = s.get('id')
            where += '(%s)' % sid
            if not isinstance(sid, str) or not sid or sid in index:
                self.found.append(where + ': the id is empty or not unique')
            for key in ('resource', 'type', 'service', 'operation'):
                if not isinstance(s.get(key), str) or not s[key]:
                    self.found.append('%s: %s is not a name' % (where, key))
            if s.get('action') not in ACTIONS:
                self.found.append('%s: action %r is not one of %s' % (where, s.get('action'), ', '.join(ACTIONS)))
            if types is not None and isinstance(s.get('type'), str) and s['type'] not in types:
                self.found.append('%s: type %s is no CloudFormation resource type of the region' % (where, s['type']))
            deps = s.get('depends_on', [])
            mine = set()
            for d in deps if isinstance(deps, list) else [deps]:
                if d not in index:
                    later = any(isinstance(x, dict) and x.get('id') == d for x in steps[i:])
                    self.found.append('%s: depends_on %r is %s' % (where, d, 'not an earlier step' if later
                                                                    else 'no step'))
                else:
                    mine |= {d} | closure[d]
            op = self.operation(where, s)
            self.params(where, restored(s, where, self.found), op, mine, captured)
            in_text = s.get('captures_in_text') or {}
            for name in in_text:
                if name not in (s.get('captures') or {}):
                    self.found.append('%s: captures_in_text names %r, no capture of the step' % (where, name))
            for name, path in (s.get('captures') or {}).items():
                if name in in_text:  # a value inside the JSON text the path names
                    path = '%s#%s' % (path, in_text[name])
                if name in captured:
                    self.found.append('%s: capture %r is already made by step %s' % (where, name, captured[name][0]))
                captured[name] = (sid, self.output_path(where, op, path) if op else None)
            for name, match in (s.get('captures_where') or {}).items():
                path = (s.get('captures') or {}).get(name)
                if path is None:
                    self.found.append('%s: captures_where names %r, no capture of the step' % (where, name))
                elif not isinstance(match, dict) or not match or '[' not in path:
                    self.found.append('%s: captures_where.%s: %r is no members of a list item of %s'
                                      % (where, name, match, path))
            for name, prefix in (s.get('captures_trimmed') or {}).items():
                if name not in (s.get('captures') or {}):
                    self.found.append('%s: captures_trimmed names %r, no capture of the step' % (where, name))
                elif not isinstance(prefix, str) or not prefix:
                    self.found.append('%s: captures_trimmed.%s: %r is no prefix' % (where, name, prefix))
                elif captured[name][1] is not None and captured[name][1].type_name != 'string':
                    self.found.append('%s: captures_trimmed.%s: the capture is no string' % (where, name))
            if isinstance(sid, str):
                index.setdefault(sid, i)
                closure[sid] = mine

    def operation(self, where, s):
        service, name = s.get('service'), s.get('operation')
        if service not in self.services:
            self.found.append('%s: service %r is not in botocore %s' % (where, service, self.botocore.__version__))
            return None
        model = self.model(service)
        if 'wait' in s and s['wait'] not in self.waiter_names(service):
            self.found.append('%s: wait %r is no waiter of %s' % (where, s['wait'], service))
        if name not in model.operation_names:
            self.found.append('%s: operation %r is not in %s %s' % (where, name, service, model.api_version))
            return None
        return model.operation_model(name)

    def params(self, where, params, op, deps, captured):
        where += '.params'
        if not isinstance(params, dict):
            self.found.append(where + ': not an object')
            return
        for at, name in list(placeholders(params, where, self.found)):
            if name not in captured:
                self.found.append('%s: %s is no capture of an earlier step' % (at, name))
            elif captured[name][0] not in deps:
                self.found.append('%s: %s is captured by %s, which this step does not depend on'
                                  % (at, name, captured[name][0]))
        if op is None:
            return
        shape = op.input_shape
        if shape is None:
            if params:
                self.found.append('%s: %s takes no parameters' % (where, op.name))
            return
        report = self.param_validator.validate(with_stand_ins(params, shape), shape)
        for line in report.generate_report().splitlines() if report.has_errors() else []:
            self.found.append('%s: %s' % (where, line.strip()))
        self.constraints(where, params, shape)

    def constraints(self, where, v, shape):
        """What ParamValidator leaves out: enums, maximums, patterns."""
        t, md = shape.type_name, shape.metadata
        if capture_name(v) is not None or join_parts(v) is not None:
            return
        if t == 'structure' and isinstance(v, dict):
            for k, x in v.items():
                if k in shape.members:
                    self.constraints('%s.%s' % (where, k), x, shape.members[k])
        elif t == 'list' and isinstance(v, list):
            if 'max' in md and len(v) > md['max']:
                self.found.append('%s: %d items, above the maximum %d' % (where, len(v), md['max']))
            for j, x in enumerate(v):
                self.constraints('%s[%d]' % (where, j), x, shape.member)
        elif t == 'map' and isinstance(v, dict):
            for k, x in v.items():
                self.constraints('%s[%r]' % (where, k), x, shape.value)
        elif t in ('integer', 'long', 'double', 'float') and isinstance(v, (int, float)) and 'max' in md:
            if v > md['max']:
                self.found.append('%s: %s is above the maximum %s' % (where, v, md['max']))
        elif t == 'string' and isinstance(v, str):
            if shape.enum and v not in shape.enum:
                near = [e for e in shape.enum if e[:3] == v[:3]] or shape.enum
                self.found.append('%s: %r is none of the %d values of %s (%s%s)' % (
                    where, v, len(shape.enum), shape.name, ', '.join(near[:8]), ', ...' if len(near) > 8 else ''))
            if 'max' in md and len(v) > md['max']:
                self.found.append('%s: %d characters, above the maximum %d' % (where, len(v), md['max']))
            rx = java_pattern(md['pattern']) if 'pattern' in md else None
            if rx is not None and not rx.fullmatch(v):
                self.found.append('%s: %r does not match the pattern %s' % (where, v, md['pattern']))

    def output_path(self, where, op, path):
        """The shape a capture path names; after "#", a JSON pointer into the JSON text
        of a string member (Cloud Control's ResourceDescription.Properties#/Arn)."""
        shape = op.output_shape
        path, hash, pointer = str(path).partition('#')
        if hash and not re.match(r'^(/[^/]+)+$', pointer):
            self.found.append('%s: capture %r: %r is no JSON pointer' % (where, path + hash + pointer, pointer))
            return None
        for part in path.split('.'):
            m = CAPTURE_PART.match(part)
            member = m and shape is not None and shape.type_name == 'structure' and shape.members.get(m.group(1))
            if not member:
                self.found.append('%s: capture %r: no %r in the output of %s' % (where, path, part, op.name))
                return None
            shape = member
            for _ in re.findall(r'\[\d+\]', m.group(2)):
                if shape.type_name != 'list':
                    self.found.append('%s: capture %r: %s is not a list' % (where, path, part))
                    return None
                shape = shape.member
        if hash and shape is not None and shape.type_name != 'string':
            self.found.append('%s: capture %r: %s is no JSON text' % (where, path + hash + pointer, path))
            return None
        return None if hash else shape


def main(argv):
    if not argv:
        print(__doc__.split('\n\n')[0], file=sys.stderr)
        return 2
    try:
        validator = PlanValidator()
    except ImportError as e:
        print('plan_validate: cannot import botocore (%s): pip install boto3' % e, file=sys.stderr)
        return 2
    worst = 0
    for path in argv:
        try:
            with open(path, encoding='utf-8') as f:
                found = validator.judge(json.load(f))
        except (OSError, ValueError) as e:
            found = ['plan: cannot be read: %s' % e]
        for line in found:
            print('%s: error %s' % (path, line))
        print('%s: %d errors (botocore %s)' % (path, len(found), validator.botocore.__version__))
        worst = max(worst, 1 if found else 0)
    return worst


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
