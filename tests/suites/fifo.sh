# A FIFO (or another non-regular file) named *.infra: no command hangs on it
# (a FIFO without a writer blocks a plain open), each refuses it with its
# path, and fmt never replaces it with a regular file. Another name given on
# the command line may be a pipe: /dev/stdin is read to its end.
. tests/lib.sh
ROOT=$(pwd)
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
G=$ROOT/tests/fifo
cd "$T" || exit 1
mkdir stack
cp "$ROOT/tests/deploysafety/net.infra" stack/net.infra
mkfifo stack/pipe.infra
# A character device under the name: a node of its own in the test's
# directory (an infrac that renamed over a link to /dev/null would replace
# the machine's /dev/null). Root only.
if [ "$(id -u)" = 0 ]; then mknod stack/null.infra c 1 3; else mkfifo stack/null.infra; fi
for cmd in check build plan graph "fmt --check" fmt; do
  name=$(echo "$cmd" | tr ' ' '-' | tr -d -)
  golden "$cmd DIR with a FIFO and a device named *.infra: refused, no hang" "$G/dir-$name.expected" \
    timeout 10 "$BIN" $cmd stack
  golden "$cmd FIFO.infra: refused, no hang" "$G/file-$name.expected" timeout 10 "$BIN" $cmd stack/pipe.infra
done
if [ -p stack/pipe.infra ] && { [ -c stack/null.infra ] || [ -p stack/null.infra ]; }; then
  ok "fmt leaves the FIFO and the device as they were"; else
  ls -l stack >"$T/ls"; bad "fmt leaves the FIFO and the device as they were" "$T/ls"; fi
golden "check /dev/stdin: a pipe named on the command line is read" "$G/stdin.expected" \
  sh -c "timeout 10 '$BIN' check /dev/stdin <stack/net.infra"
