"""cfn_check_many.py SHARED_TOOLS [REGION=]TEMPLATE...: shared/tools/cfn-check on each
template in one Python process (cfn-lint's start-up is most of a run's time). Prints
each template's cfn-check output under a "== TEMPLATE" line, and exits 1 if any has
errors, 2 if cfn-check could not run."""
import contextlib
import io
import os
import sys

sys.dont_write_bytecode = True


def main(argv):
    tools, items = argv[0], argv[1:]
    sys.path.insert(0, os.path.join(tools, 'lib'))
    import cfn_check  # noqa: E402 (the shared tools' own entry point)

    worst = 0
    for item in items:
        region, _, path = item.rpartition('=')
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = cfn_check.main(['--region', region or 'us-east-1', path])
        print('== %s (exit %d)' % (path, rc))
        sys.stdout.write(out.getvalue())
        worst = max(worst, rc)
    return worst


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
