/* source.c: byte offsets to lines and columns, for every renderer. */
#include <string.h>

#include "infrac.h"

static int line_index(const Source *src, uint32_t off) {
  int lo = 0, hi = src->nlines - 1;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (src->lines[mid] <= off)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

LineCol source_linecol(const Source *src, uint32_t off) {
  int i = line_index(src, off);
  return (LineCol){i + 1, (int)(off - src->lines[i]) + 1};
}

/* The character at p: its length in bytes, and in UTF-16 code units in *units
   (2 for a 4-byte sequence). A byte that starts no valid sequence is one
   character, as the U+FFFD a decoder makes of it. */
static uint32_t utf8_char(const unsigned char *p, const unsigned char *lim, int *units) {
  unsigned char c = p[0];
  uint32_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4 : 0;
  *units = 1;
  if (n <= 1 || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4) || lim - p < (ptrdiff_t)n)
    return 1;
  for (uint32_t i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 1;
  if ((n == 3 && c == 0xE0 && p[1] < 0xA0) || (n == 3 && c == 0xED && p[1] >= 0xA0) ||
      (n == 4 && c == 0xF0 && p[1] < 0x90) || (n == 4 && c == 0xF4 && p[1] >= 0x90))
    return 1; /* overlong, a surrogate, or above U+10FFFF */
  *units = n == 4 ? 2 : 1;
  return n;
}

/* UTF-16 code units from the start of the line to off. */
int source_utf16_col(const Source *src, uint32_t off) {
  int i = line_index(src, off);
  const unsigned char *t = (const unsigned char *)src->text, *lim = t + src->len;
  int col = 0;
  for (uint32_t p = src->lines[i]; p < off && p < src->len;) {
    int units;
    p += utf8_char(t + p, lim, &units);
    col += units;
  }
  return col;
}

uint32_t source_line_start(const Source *src, int line) {
  if (line < 1)
    return 0;
  if (line > src->nlines)
    return src->len;
  return src->lines[line - 1];
}

uint32_t source_line_end(const Source *src, int line) {
  uint32_t p = source_line_start(src, line);
  while (p < src->len && src->text[p] != '\n')
    p++;
  return p;
}

/* The inverse of source_utf16_col, on any text: the byte offset of 0-based
   line `line`, UTF-16 character `col`, counting as source_utf16_col does.
   Clamped to the end of the line (and of the text), and to the start of a
   character that col falls inside. */
uint32_t source_utf16_offset(const char *text, uint32_t len, int line, int col) {
  uint32_t p = 0;
  for (int i = 0; i < line; i++) {
    const char *nl = memchr(text + p, '\n', len - p);
    if (!nl)
      return len;
    p = (uint32_t)(nl - text) + 1;
  }
  const unsigned char *t = (const unsigned char *)text;
  for (int c = 0; p < len && text[p] != '\n';) {
    int units;
    uint32_t n = utf8_char(t + p, t + len, &units);
    if (c + units > col)
      break;
    c += units;
    p += n;
  }
  return p;
}
