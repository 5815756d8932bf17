/* source.c: byte offsets to lines and columns, for every renderer. */
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

/* UTF-16 code units from the start of the line: 4-byte sequences count 2. */
int source_utf16_col(const Source *src, uint32_t off) {
  int i = line_index(src, off);
  int col = 0;
  for (uint32_t p = src->lines[i]; p < off && p < src->len; p++) {
    unsigned char ch = (unsigned char)src->text[p];
    if ((ch & 0xC0) == 0x80)
      continue;
    col += ch >= 0xF0 ? 2 : 1;
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
