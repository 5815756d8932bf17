/* replay.c: a fuzz target without libFuzzer, for the tests: runs each file
   named on the command line through LLVMFuzzerTestOneInput. A finding
   crashes or aborts, as it did under the fuzzer (under SAN=1, with the same
   sanitizer report). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      perror(argv[i]);
      return 1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0)
      if ((len += n) == cap)
        data = realloc(data, cap *= 2);
    fclose(f);
    if (!data)
      return 1;
    LLVMFuzzerTestOneInput(data, len);
    free(data);
  }
  return 0;
}
