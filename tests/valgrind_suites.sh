#!/usr/bin/env bash
# Valgrind over the deploy path's tests (issue 22): each suite named (by
# default those of the deploy path under hostile input and faults) runs with
# INFRAC a wrapper that runs build/infrac under memcheck, each process
# logging to a file of its own; the unit programs of the loader, the diff
# and the journal, and the fuzz findings of the state, plan and template
# targets, run under memcheck directly.
#   bash tests/valgrind_suites.sh [SUITE...]
# Prints "ok NAME" or "FAIL NAME" per suite and program: FAIL when memcheck
# reported an error or a leak (of any kind) in any process. A suite's own
# FAIL lines under valgrind are shown as "note" lines: slower processes and
# valgrind's own command line change what some tests time or read from
# /proc, not the memory errors this checks. Exits 1 on a memcheck finding.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
suites=${*:-deploysafety secrets fifo apply_text applykill}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir -m 1777 "$T/logs"
mkdir "$T/bin"
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 --suppressions=$PWD/tests/valgrind.supp"
cat >"$T/bin/infrac" <<EOF
#!/bin/sh
exec $VG --log-file=$T/logs/vg.%p $PWD/$BUILD/infrac "\$@"
EOF
chmod 755 "$T/bin/infrac"
status=0

# report NAME: FAIL with the logs memcheck wrote since the last call, else ok
report() {
  local logs
  logs=$(find "$T/logs" -type f -size +0 | sort)
  if [ -n "$logs" ]; then
    echo "FAIL $1"
    for f in $logs; do sed 's/^/     /' "$f" | head -60; done
    status=1
  else
    echo "ok $1"
  fi
  rm -f "$T"/logs/*
}

for s in $suites; do
  INFRAC=$T/bin/infrac UNIT_DIR=$BUILD/tests bash "tests/suites/$s.sh" >"$T/suite.out" 2>&1
  runs=$(find "$T/logs" -type f | wc -l)
  grep '^FAIL ' "$T/suite.out" | sed 's/^FAIL /note (fails under valgrind) /'
  report "valgrind: suite $s ($runs infrac processes)"
done

for u in test_yaml test_diff test_journal test_cfn; do
  $VG --log-file="$T/logs/vg.%p" "$BUILD/tests/$u" >"$T/unit.out" 2>&1 || cat "$T/unit.out"
  report "valgrind: unit $u"
done

for f in tests/fuzz/state/* tests/fuzz/plan/* tests/fuzz/template/*; do
  [ -f "$f" ] || continue
  t=$(basename "$(dirname "$f")")
  $VG --log-file="$T/logs/vg.%p" "$BUILD/replay/fuzz_$t" "$f" >/dev/null 2>&1
  report "valgrind: fuzz $f"
done
exit $status
