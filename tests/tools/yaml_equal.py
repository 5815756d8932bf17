#!/usr/bin/env python3
"""Exit 0 iff a CloudFormation YAML template and a JSON template are equal as data.

usage: yaml_equal.py TEMPLATE.yaml TEMPLATE.json

The YAML is read by cfn-lint's own loader (cfnlint.decode.cfn_yaml), which turns the
short-form tags into the long form (!GetAtt A.B is {"Fn::GetAtt": ["A", "B"]}); the JSON
by Python's json. Types must match exactly: the string "400" is not the number 400,
true is not 1. On a difference, prints the first path that differs and exits 1.
"""
import json
import sys

from cfnlint.decode import cfn_yaml


def kind(v):
    if isinstance(v, bool):
        return 'bool'
    if isinstance(v, (int, float)):
        return 'number'
    for t, name in ((str, 'string'), (dict, 'object'), (list, 'array'), (type(None), 'null')):
        if isinstance(v, t):
            return name
    return type(v).__name__  # e.g. a date, which no JSON value equals


def diff(a, b, path):
    """The first path where a (YAML) and b (JSON) differ, or None."""
    if kind(a) != kind(b):
        return f'{path}: {kind(a)} {a!r} in YAML, {kind(b)} {b!r} in JSON'
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f'{path}.{k}: only in {"YAML" if k in a else "JSON"}'
            d = diff(a[k], b[k], f'{path}.{k}')
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f'{path}: {len(a)} items in YAML, {len(b)} in JSON'
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, f'{path}[{i}]')
            if d:
                return d
        return None
    return None if a == b else f'{path}: {a!r} in YAML, {b!r} in JSON'


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split('\n\n')[1])
    with open(sys.argv[1], encoding='utf-8') as f:
        y = cfn_yaml.loads(f.read(), sys.argv[1])
    with open(sys.argv[2], encoding='utf-8') as f:
        j = json.load(f)
    d = diff(y, j, '$')
    if d:
        print(f'yaml_equal: {d}')
        sys.exit(1)


if __name__ == '__main__':
    main()
