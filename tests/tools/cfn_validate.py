"""cfn_validate.py [REGION=]TEMPLATE...: judges CloudFormation templates (JSON or YAML)
with cfn-lint's rules and registry schemas through its Python API, then with the few
rules below for defects CloudFormation refuses and cfn-lint lets pass. All templates
are judged in one process: cfn-lint's start-up is most of the time of one run.

For each template, one line per finding and a count:
    TEMPLATE: error Resources.Db.Properties.Port [E3012] 'x' is not of type 'integer' (line 12)
    TEMPLATE: 1 errors, 0 warnings
cfn-lint's E rules are errors, its W rules warnings (its I rules are not run); a
template's own cfn-lint settings (Metadata) are refused, so it cannot silence a rule.
Exit status: 0 no template has an error, 1 one has, 2 could not run.

The project's rules (where cfn-lint 1.51 is silent; each one is proved by a broken
template in tests/suites/validators.sh):
    null-value          a value is null (YAML `Key:` with nothing after it)
    unknown-function    {"Fn::Xyz": ...} is no intrinsic function
    findinmap-key       Fn::FindInMap with literal names misses the mapping or a key
    importvalue-of-resource  an Fn::ImportValue name depends on a resource
    select-range        Fn::Select with a negative index, or past a list of known length
    number-default      a Number or List<Number> parameter with a non-numeric Default
    duplicate-export    two unconditional outputs export one name
    condition-cycle     conditions that refer to each other in a cycle
    inline-size         (warning) over 51,200 bytes: CloudFormation takes it only from S3
A finding of these on a value cfn-lint already reports as an error is dropped.
"""
import logging
import os
import re
import sys

sys.dont_write_bytecode = True
INLINE_LIMIT = 51200
NUMBER = re.compile(r'^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$')
SUB_NAME = re.compile(r'\$\{([^!}][^}]*)\}')


def intrinsic(v):
    """(name, argument) of a one-key object naming Ref or Fn::..., else (None, None)."""
    if isinstance(v, dict) and len(v) == 1:
        k = next(iter(v))
        if isinstance(k, str) and (k == 'Ref' or k.startswith('Fn::') or k == 'Condition'):
            return k, v[k]
    return None, None


def nodes(v, path=()):
    """Every value of v with its path, v first."""
    yield list(path), v
    if isinstance(v, dict):
        for k, x in v.items():
            yield from nodes(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from nodes(x, path + (i,))


def scalar_text(v):
    """A literal scalar as CloudFormation compares it (a string), else None."""
    return None if isinstance(v, (dict, list, bool)) or v is None else str(v)


class ProjectRules:
    """The rules of the module docstring over one decoded template."""

    def __init__(self, template, known_functions):
        self.t = template
        self.known = known_functions
        self.found = []  # (severity, rule, path, message)

    def section(self, name):
        s = self.t.get(name)
        return s if isinstance(s, dict) else {}

    def add(self, rule, path, message, severity='error'):
        self.found.append((severity, rule, path, message))

    def run(self, size):
        if size > INLINE_LIMIT:
            self.add('inline-size', [], '%d bytes: CloudFormation takes at most %d inline; deploy it from S3'
                     % (size, INLINE_LIMIT), 'warning')
        resources, mappings = self.section('Resources'), self.section('Mappings')
        for path, v in nodes(self.t):
            if v is None:
                self.add('null-value', path, 'null value: CloudFormation refuses null anywhere in a template')
                continue
            fn, arg = intrinsic(v)
            if fn is None or fn == 'Ref' or fn == 'Condition' or fn.startswith('Fn::ForEach::'):
                continue
            if fn not in self.known:
                self.add('unknown-function', path, '%s is not an intrinsic function' % fn)
            elif fn == 'Fn::FindInMap':
                self.findinmap(path, arg, mappings)
            elif fn == 'Fn::ImportValue':
                used = sorted(self.resources_used(arg, resources))
                if used:
                    self.add('importvalue-of-resource', path, 'the name of Fn::ImportValue depends on resource %s; '
                             'it must be known before any resource exists' % ', '.join(used))
            elif fn == 'Fn::Select':
                self.select(path, arg, mappings)
        self.parameter_defaults()
        self.export_names()
        self.condition_cycles()
        return self.found

    def findinmap(self, path, arg, mappings):
        if not isinstance(arg, list) or len(arg) < 3:
            return
        if len(arg) == 4 and isinstance(arg[3], dict) and 'DefaultValue' in arg[3]:
            return  # a missing key gives the default
        keys = [scalar_text(a) for a in arg[:3]]
        table = mappings
        for depth, key in enumerate(keys):
            if key is None or not isinstance(table, dict):
                return
            table = {str(k): x for k, x in table.items()}  # YAML may read a key as a number
            if key not in table:
                what = ('mapping', 'top-level key', 'second-level key')[depth]
                self.add('findinmap-key', path + ['Fn::FindInMap', depth], 'Fn::FindInMap: no %s %r in %s'
                         % (what, key, 'Mappings' if depth == 0 else 'Mappings.' + '.'.join(keys[:depth])))
                return
            table = table[key]

    def resources_used(self, v, resources):
        used = set()
        for _, x in nodes(v):
            fn, arg = intrinsic(x)
            if fn == 'Ref' and isinstance(arg, str) and arg in resources:
                used.add(arg)
            elif fn == 'Fn::GetAtt':
                target = arg[0] if isinstance(arg, list) and arg else str(arg).split('.')[0]
                used.add(str(target))
            elif fn == 'Fn::Sub':
                text = arg[0] if isinstance(arg, list) and arg else arg
                local = arg[1] if isinstance(arg, list) and len(arg) > 1 and isinstance(arg[1], dict) else {}
                for name in SUB_NAME.findall(text if isinstance(text, str) else ''):
                    head = name.strip().split('.')[0]
                    if head in resources and name.strip() not in local:
                        used.add(head)
        return used

    def list_length(self, v, mappings):
        """The length of a list the template text fixes, else None."""
        if isinstance(v, list):
            return len(v)
        fn, arg = intrinsic(v)
        if fn == 'Fn::Split' and isinstance(arg, list) and len(arg) == 2 and all(
                isinstance(a, str) for a in arg) and arg[0]:
            return len(arg[1].split(arg[0]))
        if fn == 'Fn::Cidr' and isinstance(arg, list) and len(arg) >= 2:
            n = scalar_text(arg[1])
            return int(n) if n is not None and n.strip().isdigit() else None
        if fn == 'Fn::FindInMap' and isinstance(arg, list) and len(arg) == 3:
            table = mappings
            for key in (scalar_text(a) for a in arg):
                if key is None or not isinstance(table, dict) or key not in table:
                    return None
                table = table[key]
            return len(table) if isinstance(table, list) else None
        return None

    def select(self, path, arg, mappings):
        if not isinstance(arg, list) or len(arg) != 2:
            return
        index = scalar_text(arg[0])
        if index is None or not re.match(r'^\s*-?\d+\s*$', index):
            return
        index, n = int(index), self.list_length(arg[1], mappings)
        if index < 0 or (n is not None and index >= n):
            self.add('select-range', path + ['Fn::Select', 0], 'Fn::Select index %d is outside the list%s'
                     % (index, '' if n is None else ' of %d' % n))

    def parameter_defaults(self):
        for name, p in self.section('Parameters').items():
            if not isinstance(p, dict) or p.get('Type') not in ('Number', 'List<Number>'):
                continue
            d = scalar_text(p.get('Default'))
            if d is None:
                continue
            for item in (d.split(',') if p['Type'] == 'List<Number>' else [d]):
                if not NUMBER.match(item):
                    self.add('number-default', ['Parameters', name, 'Default'], 'Default %r of a %s parameter '
                             'is not a number' % (item.strip(), p['Type']))
                    break

    def export_names(self):
        seen = {}
        for name, out in self.section('Outputs').items():
            if not isinstance(out, dict) or 'Condition' in out or not isinstance(out.get('Export'), dict):
                continue
            key = repr(out['Export'].get('Name'))
            if key in seen:
                self.add('duplicate-export', ['Outputs', name, 'Export', 'Name'], 'output %s exports the name '
                         'output %s exports' % (name, seen[key]))
            seen.setdefault(key, name)

    def condition_cycles(self):
        conds = self.section('Conditions')
        edges = {}
        for name, expr in conds.items():
            edges[name] = sorted({a for _, x in nodes(expr) for fn, a in [intrinsic(x)]
                                  if fn == 'Condition' and isinstance(a, str) and a in conds})
        state = {}  # name -> 1 while on the path, 2 when done

        def visit(name, path):
            state[name] = 1
            for nxt in edges[name]:
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt):] + [nxt]
                    self.add('condition-cycle', ['Conditions', nxt], 'conditions refer to each other: %s'
                             % ' -> '.join(cycle))
                elif nxt not in state:
                    visit(nxt, path + [nxt])
            state[name] = 2
        for name in sorted(edges):
            if name not in state:
                visit(name, [name])


def dotted(path):
    out = ''
    for p in path or []:
        out += '[%d]' % p if isinstance(p, int) else ('.' if out else '') + str(p)
    return out


def line_of(template, path):
    """The 1-based line of the deepest node of path that the decoder marked."""
    mark, cur = getattr(template, 'start_mark', None), template
    for key in path:
        if isinstance(cur, dict) and key in cur:
            k = next(k for k in cur if k == key)
            mark = getattr(k, 'start_mark', None) or mark
            cur = cur[key]
        elif isinstance(cur, list) and isinstance(key, int) and 0 <= key < len(cur):
            cur = cur[key]
        else:
            break
        mark = getattr(cur, 'start_mark', None) or mark
    return mark.line + 1 if mark is not None else None


class Validator:
    def __init__(self):
        logging.getLogger('cfnlint').addHandler(logging.NullHandler())
        logging.getLogger('cfnlint').propagate = False
        import cfnlint.config
        from cfnlint.helpers import FUNCTION_CONDITIONS, FUNCTION_RULES, FUNCTIONS, REGIONS
        from cfnlint.version import __version__
        self.cfnlint = cfnlint
        self.regions = REGIONS
        self.version = __version__
        self.known = {f for f in FUNCTIONS if '[' not in f} | set(FUNCTION_CONDITIONS) | set(FUNCTION_RULES)
        self.by_region = {}

    def rules_for(self, region):
        """cfn-lint's configuration and rules for a region, made once."""
        if region not in self.by_region:
            from cfnlint.runner import Runner
            config = self.cfnlint.config.ConfigMixIn([], regions=[region])
            self.by_region[region] = (config, Runner(config).rules)
        return self.by_region[region]

    def judge(self, path, region):
        """[(severity, where, rule, message, line)] for one template file."""
        from cfnlint.decode import decode
        from cfnlint.runner import run_template_by_data
        if region not in self.regions:
            return [('error', 'region', 'region', 'cfn-lint knows no region %r' % region, None)]
        template, parse_errors = decode(path)
        if parse_errors or not isinstance(template, dict):
            return [('error', 'template', m.rule.id, m.message, m.linenumber) for m in parse_errors or []] or \
                [('error', 'template', 'E0000', 'a template is a JSON or YAML object', None)]
        found = []
        meta = template.get('Metadata')
        if isinstance(meta, dict) and 'cfn-lint' in meta:
            found.append(('error', 'Metadata.cfn-lint', 'settings', 'a template may not set cfn-lint rules',
                          line_of(template, ['Metadata', 'cfn-lint'])))
        config, rules = self.rules_for(region)
        errors_at = []
        for m in run_template_by_data(template, config, rules):
            rid = m.rule.id
            if rid[:1] not in 'EW':
                continue
            where = list(getattr(m, 'path', None) or [])
            found.append(('error' if rid[0] == 'E' else 'warning', dotted(where) or rid, rid,
                          ' '.join(str(m.message).split())[:400], m.linenumber))
            if rid[0] == 'E' and where:
                errors_at.append(where)
        for severity, rule, where, message in ProjectRules(template, self.known).run(os.path.getsize(path)):
            if where and any(e[:len(where)] == where for e in errors_at):
                continue  # cfn-lint already says what is wrong with this value
            found.append((severity, dotted(where) or 'template', rule, message, line_of(template, where)))
        found.sort(key=lambda f: (f[4] or 0, f[2]))
        return found


def main(argv):
    if not argv:
        print(__doc__.split('\n\n')[0], file=sys.stderr)
        return 2
    try:
        validator = Validator()
    except ImportError as e:
        print('cfn_validate: cannot import cfn-lint (%s): pip install cfn-lint' % e, file=sys.stderr)
        return 2
    worst = 0
    for item in argv:
        region, _, path = item.rpartition('=')
        if not os.path.isfile(path):
            print('%s: no such file' % path)
            worst = 2
            continue
        found = validator.judge(path, region or 'us-east-1')
        for severity, where, rule, message, line in found:
            print('%s: %s %s [%s] %s%s' % (path, severity, where, rule, message,
                                           ' (line %d)' % line if line else ''))
        errors = sum(f[0] == 'error' for f in found)
        print('%s: %d errors, %d warnings (cfn-lint %s)' % (path, errors, len(found) - errors, validator.version))
        worst = max(worst, 1 if errors else 0)
    return worst


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
