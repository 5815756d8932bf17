#!/usr/bin/env python3
"""gen-awstypes.py: writes compiler/awstypes_data.c, every CloudFormation
resource type as static C data (compiler/awstypes.h says what it holds).

Regenerate (one command; the output is committed, the build needs no Python):

    python3 scripts/gen-awstypes.py > compiler/awstypes_data.c

It reads the CloudFormation registry schemas and the value lists that cfn-lint
ships (cfnlint/data/schemas/providers, .../resources, .../extensions). Where
cfn-lint is missing: pip install cfn-lint==1.51.0 (the version the committed
data comes from; another version gives a reviewable diff).

The schemas are cfn-lint's copies, which drop the descriptions: a type or
property has a doc only where the schema still carries one.

How the data is laid out: a property's shape is expanded from its $ref, allOf,
oneOf and anyOf into one graph per type (a recursive definition is a cycle),
then the graphs of all types are minimised together (Moore's partition
refinement), so each distinct shape is written once however many types and
paths share it. The output order follows the types and properties sorted by
name: the same schemas give the same bytes.
"""

import json
import os
import sys

import cfnlint.data.schemas.extensions as extensions_pkg
import cfnlint.data.schemas.providers as providers_pkg
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
from cfnlint.version import __version__ as cfnlint_version

T_STRING, T_INTEGER, T_NUMBER, T_BOOLEAN, T_OBJECT, T_ARRAY = 1, 2, 4, 8, 16, 32
JSON_TYPES = {"string": T_STRING, "integer": T_INTEGER, "number": T_NUMBER,
              "boolean": T_BOOLEAN, "object": T_OBJECT, "array": T_ARRAY}
P_REQUIRED, P_READ_ONLY, P_CREATE_ONLY, P_WRITE_ONLY, P_DEPRECATED = 1, 2, 4, 8, 16
PATH_FLAGS = {"readOnlyProperties": P_READ_ONLY, "createOnlyProperties": P_CREATE_ONLY,
              "writeOnlyProperties": P_WRITE_ONLY, "deprecatedProperties": P_DEPRECATED}
L_MIN_LEN, L_MAX_LEN, L_MIN, L_MAX = 1, 2, 4, 8
L_MIN_ITEMS, L_MAX_ITEMS, L_UNIQUE_ITEMS, L_OPEN = 16, 32, 64, 128
LIMIT_KEYS = (("minLength", L_MIN_LEN), ("maxLength", L_MAX_LEN), ("minimum", L_MIN),
              ("maximum", L_MAX), ("minItems", L_MIN_ITEMS), ("maxItems", L_MAX_ITEMS))


def strcmp_key(s):
    return s.encode()


class Node:
    """One shape before minimisation: props is [(name, Node, flags, doc)]."""
    __slots__ = ("types", "limits", "nums", "values", "pattern", "props", "items")

    def __init__(self):
        self.types, self.limits, self.nums = 0, 0, (0, 0, 0, 0, 0.0, 0.0)
        self.values, self.pattern, self.props, self.items = None, None, [], None


def first_sentence(text):
    if not isinstance(text, str) or not text.strip():
        return None
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


def value_str(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    return json.dumps(v)


class TypeGraph:
    """Expands one type's schema into Nodes."""

    def __init__(self, schema):
        self.schema = schema
        self.flags = {}  # path tuple -> AWS_P_* from the schema's pointer lists
        for key, flag in PATH_FLAGS.items():
            for ptr in schema.get(key, []):
                path = self.pointer_path(ptr)
                if path:
                    self.flags[path] = self.flags.get(path, 0) | flag
        self.memo = {}  # id(schema dict) -> Node, for paths with no flags below

    @staticmethod
    def pointer_path(ptr):
        parts = ptr.split("/")
        if len(parts) < 3 or parts[0] != "" or parts[1] != "properties":
            return None
        return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts[2:])

    def resolve(self, ref):
        if not ref.startswith("#/"):
            return {}
        obj = self.schema
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(obj, dict) or part not in obj:
                return {}
            obj = obj[part]
        return obj if isinstance(obj, dict) else {}

    def parts(self, obj, strict, seen=()):
        """obj and what its $ref, allOf, oneOf, anyOf bring, as (dict, strict):
        strict parts always apply (limits, values, required), the branches of
        oneOf and anyOf only add properties and types."""
        out = [(obj, strict)]
        ref = obj.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            out += self.parts(self.resolve(ref), strict, seen + (ref,))
        for key in ("allOf", "oneOf", "anyOf"):
            for branch in obj.get(key, []) or []:
                if isinstance(branch, dict):
                    out += self.parts(branch, strict and key == "allOf", seen)
        return out

    def types_of(self, obj, seen=()):
        t = obj.get("type")
        if t is not None:
            mask = 0
            for name in t if isinstance(t, list) else [t]:
                mask |= JSON_TYPES.get(name, 0)
            return mask
        ref = obj.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            return self.types_of(self.resolve(ref), seen + (ref,))
        for key in ("allOf",):
            masks = [self.types_of(b, seen) for b in obj.get(key, []) if isinstance(b, dict)]
            masks = [m for m in masks if m]
            if masks:
                mask = masks[0]
                for m in masks[1:]:
                    mask &= m
                return mask
        for key in ("oneOf", "anyOf"):
            masks = [self.types_of(b, seen) for b in obj.get(key, []) if isinstance(b, dict)]
            if masks:
                if 0 in masks:
                    return 0
                mask = 0
                for m in masks:
                    mask |= m
                return mask
        if "properties" in obj or "patternProperties" in obj:
            return T_OBJECT
        if "items" in obj:
            return T_ARRAY
        return 0

    def flags_below(self, path):
        n = len(path)
        return any(len(p) > n and p[:n] == path for p in self.flags)

    def expand(self, obj, path):
        shared = not self.flags_below(path)
        if shared and id(obj) in self.memo:
            return self.memo[id(obj)]
        node = Node()
        if shared:
            self.memo[id(obj)] = node
        parts = self.parts(obj, True)
        node.types = self.types_of(obj)
        limits, nums = 0, [0, 0, 0, 0, 0.0, 0.0]
        props, required, open_ = {}, set(), False
        closed = False
        for part, strict in parts:
            if strict:
                for i, (key, bit) in enumerate(LIMIT_KEYS):
                    v = part.get(key)
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and not limits & bit:
                        limits |= bit
                        nums[i] = v
                if part.get("uniqueItems") is True:
                    limits |= L_UNIQUE_ITEMS
                if node.values is None:
                    if isinstance(part.get("enum"), list):
                        node.values = tuple(value_str(v) for v in part["enum"])
                    elif "const" in part:
                        node.values = (value_str(part["const"]),)
                if node.pattern is None and isinstance(part.get("pattern"), str):
                    node.pattern = part["pattern"]
                for name in part.get("required", []) or []:
                    if isinstance(name, str):
                        required.add(name)
            for name, sub in (part.get("properties") or {}).items():
                if isinstance(sub, dict) and name not in props:
                    props[name] = sub
            if part.get("patternProperties") or isinstance(part.get("additionalProperties"), dict):
                open_ = True
            if part.get("additionalProperties") is False:
                closed = True
            items = part.get("items")
            if node.items is None and isinstance(items, dict):
                node.items = self.expand(items, path + ("*",))
        if not closed and (node.types & T_OBJECT or props):
            open_ = True
        if open_:
            limits |= L_OPEN
        node.limits = limits
        node.nums = (int(nums[0]) if limits & L_MIN_LEN else 0,
                     int(nums[1]) if limits & L_MAX_LEN else 0,
                     int(nums[4]) if limits & L_MIN_ITEMS else 0,
                     int(nums[5]) if limits & L_MAX_ITEMS else 0,
                     float(nums[2]) if limits & L_MIN else 0.0,
                     float(nums[3]) if limits & L_MAX else 0.0)
        for name in sorted(props, key=strcmp_key):
            sub = props[name]
            child_path = path + (name,)
            flags = self.flags.get(child_path, 0)
            if name in required:
                flags |= P_REQUIRED
            doc = first_sentence(sub.get("description"))
            node.props.append((name, self.expand(sub, child_path), flags, doc))
        return node

    def node_at(self, root, path):
        node = root
        for part in path:
            if node is None:
                return None
            if part == "*":
                node = node.items
            else:
                node = next((n for name, n, _, _ in node.props if name == part), None)
        return node


def minimise(roots):
    """Moore's partition refinement over every node reachable from roots:
    returns node -> class number, classes numbered in first-visit order."""
    order, index = [], {}
    stack = list(reversed(roots))
    while stack:
        n = stack.pop()
        if id(n) in index:
            continue
        index[id(n)] = len(order)
        order.append(n)
        children = [c for _, c, _, _ in n.props] + ([n.items] if n.items else [])
        stack.extend(reversed(children))
    local = {}
    cls = []
    for n in order:
        key = (n.types, n.limits, n.nums, n.values, n.pattern,
               tuple((name, flags, doc) for name, _, flags, doc in n.props), n.items is None)
        cls.append(local.setdefault(key, len(local)))
    count = len(local)
    while True:
        sigs = {}
        new = []
        for i, n in enumerate(order):
            key = (cls[i], tuple(cls[index[id(c)]] for _, c, _, _ in n.props),
                   cls[index[id(n.items)]] if n.items else -1)
            new.append(sigs.setdefault(key, len(sigs)))
        cls = new
        if len(sigs) == count:
            break
        count = len(sigs)
    # renumber by first visit so the output order is deterministic
    renum, final = {}, {}
    for i, n in enumerate(order):
        final[id(n)] = renum.setdefault(cls[i], len(renum))
    return order, final, len(renum)


def c_str(s):
    if s is None:
        return "NULL"
    out, prev = ['"'], ""
    for b in s.encode():
        ch = chr(b)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "?" and prev == "?":
            out.append("\\?")
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append("\\%03o" % b)
        prev = ch
    out.append('"')
    return "".join(out)


def c_num(x):
    if x == int(x) and abs(x) < 1e15:
        return "%d" % int(x)
    return repr(float(x))


def regions_list():
    folder = list(providers_pkg.__path__)[0]
    return sorted(f[:-3].replace("_", "-") for f in os.listdir(folder)
                  if f.endswith(".py") and f != "__init__.py")


def load_extension(type_dir, name):
    folder = list(extensions_pkg.__path__)[0]
    with open(os.path.join(folder, type_dir, name), encoding="utf-8") as f:
        return json.load(f)


def value_lists(regions, schemas):
    """name -> (values sorted, each one's region mask or None, the regions covered)."""
    bit = {r: 1 << i for i, r in enumerate(regions)}
    lists = {}

    covered = {}  # name -> the regions a regional list has data for

    def add(name, value, region=None):
        masks = lists.setdefault(name, {})
        masks[value] = masks.get(value, 0) | (bit[region] if region else 0)
        if region:
            covered[name] = covered.get(name, 0) | bit[region]

    for region, spec in load_extension("aws_ec2_instance", "instancetype_enum.json").items():
        if region not in bit:  # "description"
            continue
        for v in spec.get("enum", []):
            add("ec2.instance_types", v, region)
    for region, spec in load_extension("aws_rds_dbinstance", "dbinstanceclass_enum.json").items():
        if region not in bit:
            continue
        for rule in spec.get("allOf", []):
            engine = rule["if"]["properties"].get("Engine", {}).get("const")
            for v in rule["then"]["properties"]["DBInstanceClass"].get("enum", []):
                add("rds.instance_classes", v, region)
                if engine:
                    add("rds.instance_classes." + engine, v, region)
    for rule in load_extension("aws_rds_dbinstance", "engine_version.json").get("allOf", []):
        engine = rule["if"]["properties"]["Engine"].get("const")
        then = rule["then"]["properties"]
        if engine is None:
            for v in then["Engine"].get("enum", []):
                add("rds.engines", v)
        else:
            for v in then.get("EngineVersion", {}).get("enum", []):
                add("rds.engine_versions." + engine, value_str(v))
    fargate = load_extension("aws_ecs_taskdefinition", "fargate_cpu_memory.json")
    for pair in fargate["then"]["anyOf"]:
        cpus = pair["properties"]["Cpu"]["then"]["enum"]
        mem = pair["properties"]["Memory"]["then"]
        mems = mem.get("enum") or range(mem["minimum"], mem["maximum"] + 1, mem["multipleOf"])
        for c in cpus:
            for m in mems:
                add("ecs.fargate_cpu_memory", "%s:%s" % (value_str(c), value_str(m)))
    retention = schemas["AWS::Logs::LogGroup"]["properties"]["RetentionInDays"]
    for v in retention["enum"]:
        add("logs.retention_days", value_str(v))
    out = {}
    for name, masks in lists.items():
        values = sorted(masks, key=strcmp_key)
        regional = any(m != covered.get(name, 0) for m in masks.values())
        out[name] = (values, [masks[v] for v in values] if regional else None,
                     covered[name] if regional else 0)
    return out


def main():
    regions = regions_list()
    offered = {}
    for i, region in enumerate(regions):
        for t in PROVIDER_SCHEMA_MANAGER.get_resource_types(region):
            offered[t] = offered.get(t, 0) | (1 << i)
    names = sorted(offered, key=strcmp_key)
    schemas, types = {}, []
    for t in names:
        region = "us-east-1" if offered[t] & (1 << regions.index("us-east-1")) else \
            regions[(offered[t] & -offered[t]).bit_length() - 1]
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, t)
        schemas[t] = schema.schema
        graph = TypeGraph(schema.schema)
        root = graph.expand(schema.schema, ())
        attrs = []
        write_only = {p for p, f in graph.flags.items() if f & P_WRITE_ONLY}
        read_only = {p for p, f in graph.flags.items() if f & P_READ_ONLY}
        for key, ptr in schema.get_atts.items():
            name = key[:-2] + "*" if key.endswith(".*") else key  # Outputs\..* -> Outputs.*
            name = name.replace("\\.", ".")
            path = graph.pointer_path(ptr)
            if path in write_only:
                continue
            node = graph.node_at(root, path) if path else None
            if node is None:  # cfn-lint's stand-ins (CfnLintStringType ...)
                node = Node()
                node.types = T_STRING if ptr.endswith("StringType") else 0
            attrs.append((name, node, P_READ_ONLY if path in read_only else 0))
        attrs.sort(key=lambda a: strcmp_key(a[0]))
        primary = [".".join(graph.pointer_path(p) or ()) for p in schema.schema.get("primaryIdentifier", [])]
        types.append({"name": t, "doc": first_sentence(schema.schema.get("description")),
                      "root": root, "attrs": attrs, "primary": [p for p in primary if p],
                      "regions": offered[t]})
    roots = []
    for t in types:
        roots.append(t["root"])
        roots.extend(node for _, node, _ in t["attrs"])
    order, cls, nclasses = minimise(roots)
    write(regions, types, order, cls, nclasses, value_lists(regions, schemas))


def write(regions, types, order, cls, nclasses, lists):
    w = sys.stdout.write
    w("/* awstypes_data.c: every CloudFormation resource type (compiler/awstypes.h),\n"
      "   generated from the registry schemas of cfn-lint %s. Do not edit:\n"
      "   regenerate with  python3 scripts/gen-awstypes.py > compiler/awstypes_data.c */\n"
      % cfnlint_version)
    w('#include "awstypes_data.h"\n\n')
    w("const char *const aws_region_names[%d] = {\n" % (len(regions) + 1))
    for r in regions:
        w("    %s,\n" % c_str(r))
    w("    NULL,\n};\n\n")
    # one representative node per class, in class order
    rep = [None] * nclasses
    for n in order:
        c = cls[id(n)]
        if rep[c] is None:
            rep[c] = n
    # the pools: values, props; shapes point into them
    value_at, values = {}, []
    prop_at, props = {}, []
    for n in rep:
        if n.values is not None and n.values not in value_at:
            value_at[n.values] = len(values)
            values.extend(n.values)
            values.append(None)
        if n.props:
            key = tuple((name, cls[id(c)], flags, doc) for name, c, flags, doc in n.props)
            if key not in prop_at:
                prop_at[key] = len(props)
                props.extend(key)
    w("static const AwsShape S[%d];\n\n" % nclasses)
    w("static const char *const V[%d] = {\n" % max(len(values), 1))
    for v in values:
        w("    %s,\n" % c_str(v))
    if not values:
        w("    NULL,\n")
    w("};\n\n")
    w("static const AwsProp P[%d] = {\n" % max(len(props), 1))
    for name, c, flags, doc in props:
        w("    {%s, &S[%d], %s, %d},\n" % (c_str(name), c, c_str(doc), flags))
    if not props:
        w("    {NULL, NULL, NULL, 0},\n")
    w("};\n\n")
    w("static const AwsShape S[%d] = {\n" % nclasses)
    for n in rep:
        key = tuple((name, cls[id(c)], flags, doc) for name, c, flags, doc in n.props)
        min_len, max_len, min_items, max_items, lo, hi = n.nums
        w("    {%d, %d, %d, %s, %s, %s, %s, %d, %d, %d, %d, %s, %s},\n" % (
            n.types, n.limits, len(n.props),
            "&P[%d]" % prop_at[key] if n.props else "NULL",
            "&S[%d]" % cls[id(n.items)] if n.items else "NULL",
            "&V[%d]" % value_at[n.values] if n.values is not None else "NULL",
            c_str(n.pattern), min_len, max_len, min_items, max_items, c_num(lo), c_num(hi)))
    w("};\n\n")
    # attributes and primary identifiers, per type
    w("static const AwsProp A[] = {\n")
    attr_at, count = [], 0
    for t in types:
        attr_at.append(count)
        for name, node, flags in t["attrs"]:
            w("    {%s, &S[%d], NULL, %d},\n" % (c_str(name), cls[id(node)], flags))
            count += 1
    w("    {NULL, NULL, NULL, 0},\n};\n\n")
    w("static const char *const I[] = {\n")
    id_at, count = [], 0
    for t in types:
        id_at.append(count)
        for p in t["primary"]:
            w("    %s,\n" % c_str(p))
        w("    NULL,\n")
        count += len(t["primary"]) + 1
    w("};\n\n")
    w("const AwsType aws_type_table[%d] = {\n" % len(types))
    for i, t in enumerate(types):
        w("    {%s, %s, &S[%d], %s, %d, &I[%d], 0x%xull, false},\n" % (
            c_str(t["name"]), c_str(t["doc"]), cls[id(t["root"])],
            "&A[%d]" % attr_at[i] if t["attrs"] else "NULL", len(t["attrs"]), id_at[i],
            t["regions"]))
    w("};\n")
    w("const size_t aws_type_count = %d;\n\n" % len(types))
    # value lists
    names = sorted(lists, key=strcmp_key)
    for i, name in enumerate(names):
        values, masks, _ = lists[name]
        w("/* %s */\n" % name)
        w("static const char *const L%d[] = {\n" % i)
        for v in values:
            w("    %s,\n" % c_str(v))
        w("    NULL,\n};\n")
        if masks:
            w("static const uint64_t R%d[] = {\n" % i)
            for m in masks:
                w("    0x%xull,\n" % m)
            w("};\n")
    w("\nconst AwsValueList aws_value_lists[%d] = {\n" % len(names))
    for i, name in enumerate(names):
        values, masks, covered = lists[name]
        w("    {%s, L%d, %s, 0x%xull, %d},\n" % (c_str(name), i, "R%d" % i if masks else "NULL",
                                              covered, len(values)))
    w("};\n")
    w("const size_t aws_value_list_count = %d;\n" % len(names))


if __name__ == "__main__":
    main()
