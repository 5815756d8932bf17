/* fuzz_lsp.c: libFuzzer over the language server. The input is a list of
   JSON-RPC message bodies separated by NUL bytes (JSON text holds no raw
   NUL); each is framed with its Content-Length behind an initialize, and the
   session runs over them to the end of input. A body that starts with
   "Content-Length" goes as it is, to reach the framing code too. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char init[] = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{}}";

static void frame(Buf *b, const char *body, size_t n) {
  if (n >= 14 && !memcmp(body, "Content-Length", 14)) {
    buf_add(b, body, n);
    return;
  }
  buf_printf(b, "Content-Length: %zu\r\n\r\n", n);
  buf_add(b, body, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A file, not a pipe: the framed input may outgrow a pipe's buffer.
     Made anew for each input, so a replay under valgrind ends clean. */
  FILE *in = tmpfile();
  int out = open("/dev/null", O_WRONLY);
  if (!in || out < 0)
    abort();
  Buf b = {0};
  frame(&b, init, strlen(init));
  const char *p = (const char *)data, *end = p + size;
  while (p < end) {
    const char *nul = memchr(p, 0, (size_t)(end - p));
    const char *e = nul ? nul : end;
    frame(&b, p, (size_t)(e - p));
    p = e + (nul != NULL);
  }
  int fd = fileno(in);
  if (ftruncate(fd, 0) || pwrite(fd, b.s, b.len, 0) != (ssize_t)b.len || lseek(fd, 0, SEEK_SET))
    abort();
  buf_free(&b);
  lsp_main(fd, out, "fuzz");
  fclose(in);
  close(out);
  return 0;
}
