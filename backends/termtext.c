/* termtext.c: escaping of control characters for the terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "termtext.h"

/* The length of the escape of the character at s (0: none needed). C1
   controls are U+0080-U+009F, in UTF-8 0xC2 0x80-0x9F. */
static int control_len(const unsigned char *s, int keep_newlines) {
  if ((s[0] < 0x20 && !(keep_newlines && (s[0] == '\n' || s[0] == '\t'))) || s[0] == 0x7f)
    return 1;
  if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
    return 2;
  return 0;
}

static size_t escape(char *out, size_t outlen, const char *s, int keep_newlines) {
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    int c = control_len(p, keep_newlines);
    char piece[12];
    size_t n;
    if (c) {
      n = (size_t)snprintf(piece, sizeof piece, c == 1 ? "\\x%02x" : "\\u%04x",
                           c == 1 ? p[0] : p[1]);
      p += c;
    } else {
      piece[0] = (char)*p++;
      n = 1;
    }
    if (out && k + n + 1 > outlen)
      break;
    if (out)
      memcpy(out + k, piece, n);
    k += n;
  }
  if (out && outlen)
    out[k < outlen ? k : outlen - 1] = '\0';
  return k;
}

char *term_escaped(const char *s, int keep_newlines) {
  size_t n = escape(NULL, 0, s, keep_newlines);
  char *out = malloc(n + 1);
  if (!out)
    abort();
  escape(out, n + 1, s, keep_newlines);
  return out;
}

char *term_escape_into(char *out, size_t outlen, const char *s) {
  escape(out, outlen, s, 0);
  return out;
}
