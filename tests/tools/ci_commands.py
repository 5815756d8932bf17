#!/usr/bin/env python3
"""Lists what a CI configuration asks of infrac and of CloudFormation.

usage: ci_commands.py CONFIG.yml
       ci_commands.py --job NAME CONFIG.yml
The second form prints the shell scripts of job NAME's steps, in order, as
one script (GitHub's ${{ secrets.X }} as $X), for a test to run. The first
prints, one per line, "infrac ARGS" for every infrac command in the config's
shell steps (GitHub Actions `run:`, CircleCI `run: command:` or `run: TEXT`),
then "override NAME" for each --parameter-overrides NAME=... of
`aws cloudformation deploy`. Exits 1 if the file is not YAML or has none.
"""
import re
import shlex
import sys

import yaml


def scripts(node):
    """Every shell script of the config, in order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "command") and isinstance(value, str):
                yield value
            else:
                yield from scripts(value)
    elif isinstance(node, list):
        for item in node:
            yield from scripts(item)


def job_script(config, name):
    """The run scripts of one job (GitHub Actions or CircleCI), in order."""
    out = []
    for script in scripts(config["jobs"][name]["steps"]):
        out.append(re.sub(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", r"$\1", script))
    return "\n".join(out)


def main():
    if sys.argv[1] == "--job":
        with open(sys.argv[3]) as f:
            print(job_script(yaml.safe_load(f), sys.argv[2]))
        return 0
    with open(sys.argv[1]) as f:
        config = yaml.safe_load(f)
    found = 0
    for script in scripts(config):
        # join continued lines as the shell does
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["infrac"]:
                print(" ".join(words))
                found += 1
            if words[:3] == ["aws", "cloudformation", "deploy"] and "--parameter-overrides" in words:
                for w in words[words.index("--parameter-overrides") + 1:]:
                    if w.startswith("--"):
                        break
                    print("override " + w.split("=", 1)[0])
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
