#!/usr/bin/env bash
# Valgrind over the deploy path's tests (issue 22): each suite named (by
# default those of the deploy path under hostile input and faults) runs with
# INFRAC a wrapper that runs build/infrac under memcheck, each process
# logging to a file of its own; the unit programs of the loader, the diff
# and the journal, and the fuzz findings of the state, plan and template
# targets, run under memcheck directly.
#   bash tests/valgrind_suites.sh [SUITE...]
# Prints "ok NAME" or "FAIL NAME" per suite and program: FAIL when memcheck
# reported an error or a leak (of any kind) in any process that ended on its
# own; one ended by a signal (a suite's timeout or kill) has not freed what
# it held: only its other errors count. A suite's own
# FAIL lines under valgrind are shown as "note" lines: slower processes and
# valgrind's own command line change what some tests time or read from
# /proc, not the memory errors this checks. Exits 1 on a memcheck finding.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
# Not applykill by default: after a second Ctrl-C apply ends with _exit(130)
# while the calls it gave up still run on their threads, on its memory
# (backends/apply.c), so memcheck finds that memory in use, by design.
suites=${*:-deploysafety secrets apply_text fifo}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir -m 1777 "$T/logs"
mkdir "$T/bin"
VG="valgrind --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99 --suppressions=$PWD/tests/valgrind.supp"
cat >"$T/bin/infrac" <<EOF
#!/bin/sh
exec $VG --log-file=$T/logs/vg.%p $PWD/$BUILD/infrac "\$@"
EOF
chmod 755 "$T/bin/infrac"
status=0

# report NAME: FAIL with the logs of memcheck's findings since the last
# call, else ok; with how many processes ran and how many a signal ended
report() {
  local f bad=0 runs=0 killed=0
  for f in "$T"/logs/vg.*; do
    # a child forked to run the AWS CLI leaves memcheck at its exec: no summary
    grep -q 'ERROR SUMMARY' "$f" || continue
    runs=$((runs + 1))
    if grep -q 'Process terminating with default action of signal' "$f" &&
      ! grep -Eq 'Invalid (read|write|free)|uninitialised|Mismatched free|overlap' "$f"; then
      killed=$((killed + 1))
    elif ! grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
      [ $bad = 0 ] && echo "FAIL $1"
      bad=1
      grep -v '^==[0-9]*== *$' "$f" | sed 's/^/     /' | head -60
    fi
  done
  [ $bad = 0 ] && echo "ok $1 ($runs processes, $killed ended by a signal)"
  [ $bad = 0 ] || status=1
  rm -f "$T"/logs/*
}

for s in $suites; do
  INFRAC=$T/bin/infrac UNIT_DIR=$BUILD/tests bash "tests/suites/$s.sh" >"$T/suite.out" 2>&1
  grep '^FAIL ' "$T/suite.out" | sed 's/^FAIL /note (fails under valgrind) /'
  report "valgrind: suite $s"
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
