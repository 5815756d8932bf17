/* fuzz_fmt.c: libFuzzer over `infrac fmt`. For any input that parses
   without error, the layout must read back to the same AST (fmt_format
   checks that itself) and formatting it again must change nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The layout of text, or false if it has syntax errors; aborts (a finding)
   when fmt would not read back its own layout. */
static bool layout(const char *text, size_t len, Buf *out) {
  Compilation *c = compile_new();
  int file = compile_add_source(c, "fuzz.infra", text, len);
  Program prog = {0};
  parse_file(c, file, &prog);
  bool ok = c->nerrors == 0;
  if (ok && !fmt_format(c, file, &prog, out))
    abort();
  compile_free(c);
  return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Buf once = {0}, twice = {0};
  if (layout((const char *)data, size, &once)) {
    if (!layout(once.s ? once.s : "", once.len, &twice))
      abort(); /* the layout has syntax errors */
    if (once.len != twice.len || (once.len && memcmp(once.s, twice.s, once.len)))
      abort(); /* not idempotent */
  }
  buf_free(&once);
  buf_free(&twice);
  return 0;
}
