/* fuzz_check.c: libFuzzer over the whole pipeline of `infrac check`. Any
   input must give diagnostics, never a crash, a leak or a hang. */
#include <stdint.h>
#include <stdlib.h>

#include "infrac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Compilation *c = compile_new();
  compile_add_source(c, "fuzz.infra", (const char *)data, size);
  compile_run(c);
  char *json = diag_render_json(c);
  free(json);
  compile_free(c);
  return 0;
}
