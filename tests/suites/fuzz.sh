# Every finding of the fuzzers (tests/fuzz/TARGET/NAME, docs/limits.md)
# replayed through its target built as a plain program: no crash, no abort,
# no sanitizer report (make test SAN=1), within 10 s.
. tests/lib.sh
REPLAY_DIR=${REPLAY_DIR:-build/replay}
for f in tests/fuzz/*/*; do
  target=$(basename "$(dirname "$f")")
  if timeout 10 "$REPLAY_DIR/fuzz_$target" "$f" >"$T/out" 2>&1; then ok "fuzz $f"; else
    echo "exit $?" >>"$T/out"
    bad "fuzz $f" "$T/out"
  fi
done
