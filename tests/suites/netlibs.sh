# backends/netlibs.c opens libcurl, libxml2 and libcrypto when a command
# first talks to AWS. Built here with a soname that no system has: the
# error names the library and the package that installs it, whether the
# caller asks (netlibs_load, as aws_client_new) or not (netlibs(): exit 1).
# That infrac itself links none of them is checked with readelf.
. tests/lib.sh
cat >"$T/driver.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "netlibs.h"
int main(int argc, char **argv) {
  (void)argv;
  char *err = NULL;
  if (argc > 1) /* the unchecked path: says why and exits 1 */
    return netlibs()->easy_init() != NULL;
  bool loaded = netlibs_load(&err);
  printf("%d %s\n", loaded, err ? err : "");
  free(err);
  return 0;
}
C
# shellcheck disable=SC2046 # the flags pkg-config gives, split
if ! ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -pthread -Ibackends $(pkg-config --cflags libcurl libxml-2.0 libcrypto) \
  -DSONAME_XML2='"libinfrac-test-missing.so.2"' -o "$T/driver" "$T/driver.c" backends/netlibs.c -ldl 2>"$T/err"; then
  bad "netlibs: the test driver builds" "$T/err"
else
  "$T/driver" >"$T/out" 2>&1
  expect "netlibs: a missing library is an error naming it and its package" \
    grep -qx "0 cannot load libinfrac-test-missing.so.2, which infrac needs to talk to AWS (Debian: apt-get install libxml2): .*" "$T/out"
  "$T/driver" unchecked >"$T/out" 2>&1
  rc=$?
  expect "netlibs: unchecked, exit 1" test $rc = 1
  expect "netlibs: unchecked, the same error on stderr" \
    grep -qx "infrac: error: cannot load libinfrac-test-missing.so.2, which infrac needs to talk to AWS (Debian: apt-get install libxml2): .*" "$T/out"
fi
if command -v readelf >/dev/null 2>&1; then
  readelf -d "$INFRAC" >"$T/dyn" 2>&1
  expect "netlibs: infrac does not link libcurl, libxml2 or libcrypto" sh -c "grep -q NEEDED '$T/dyn' && ! grep -E 'NEEDED.*(libcurl|libxml2|libcrypto)' '$T/dyn'"
fi
