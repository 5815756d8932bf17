"""moto_substitute.py TEMPLATE OUT [ID.ATTR=VALUE | ID=VALUE]...: a CloudFormation
template with what moto's CloudFormation cannot resolve given as literals.

ID.ATTR=VALUE replaces {"Fn::GetAtt": [ID, ATTR]} and ${ID.ATTR} inside Fn::Sub;
ID=VALUE replaces {"Ref": ID} and ${ID} inside Fn::Sub, and drops the resource
or parameter ID (and its name from every DependsOn): an existing resource stands in for it.
literal:TEXT=VALUE replaces every string equal to TEXT (an existing resource's
ID written in the source, as a hosted zone's).
Everything else is written as it was, so the test still judges the rest of
the template as infrac wrote it."""
import json
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    getatts, refs, literals = {}, {}, {}
    for arg in sys.argv[3:]:
        key, value = arg.split("=", 1)
        if key.startswith("literal:"):
            literals[key[len("literal:"):]] = value
        elif "." in key:
            getatts[tuple(key.split(".", 1))] = value
        else:
            refs[key] = value
    with open(src) as f:
        t = json.load(f)

    def sub_text(s):
        for (rid, attr), v in getatts.items():
            s = s.replace("${%s.%s}" % (rid, attr), v)
        for rid, v in refs.items():
            s = s.replace("${%s}" % rid, v)
        return s

    def walk(v):
        if isinstance(v, dict):
            if len(v) == 1 and "Fn::GetAtt" in v:
                ga = v["Fn::GetAtt"]
                key = tuple(ga) if isinstance(ga, list) else tuple(ga.split(".", 1))
                if key in getatts:
                    return getatts[key]
            if len(v) == 1 and "Ref" in v and v["Ref"] in refs:
                return refs[v["Ref"]]
            if len(v) == 1 and "Fn::Sub" in v and isinstance(v["Fn::Sub"], str):
                s = sub_text(v["Fn::Sub"])
                return s if "${" not in s else {"Fn::Sub": s}
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return literals.get(v, v) if isinstance(v, str) else v

    for rid in refs:
        t["Resources"].pop(rid, None)
        t.get("Parameters", {}).pop(rid, None)
    for r in t["Resources"].values():
        deps = r.get("DependsOn")
        if isinstance(deps, str) and deps in refs:
            del r["DependsOn"]
        elif isinstance(deps, list):
            r["DependsOn"] = [d for d in deps if d not in refs]
    t = walk(t)
    with open(out, "w") as f:
        json.dump(t, f, indent=1)


if __name__ == "__main__":
    main()
