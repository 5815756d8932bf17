#include "cidr.h"
CidrError cidr_parse(const char *s, size_t n, bool want_prefix, Cidr *out, size_t *bad_lo, size_t *bad_hi) {
  uint32_t a = 0; size_t i = 0;
  for (int o = 0; o < 4; o++) {
    size_t st = i; unsigned v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') v = v * 10 + (unsigned)(s[i++] - '0');
    if (i == st) { *bad_lo = 0; *bad_hi = n; return CIDR_BAD_SYNTAX; }
    if (v > 255) { *bad_lo = st; *bad_hi = i; return CIDR_BAD_OCTET; }
    a = a << 8 | v;
    if (o < 3) { if (i >= n || s[i] != '.') { *bad_lo = 0; *bad_hi = n; return CIDR_BAD_SYNTAX; } i++; }
  }
  out->addr = a; out->prefix = 32;
  if (want_prefix) { if (i >= n || s[i] != '/') { *bad_lo=0; *bad_hi=n; return CIDR_BAD_SYNTAX;} i++; size_t st=i; int p=0; while (i<n) p=p*10+(s[i++]-'0'); if (st==n) {*bad_lo=0;*bad_hi=n;return CIDR_BAD_SYNTAX;} if (p>32){*bad_lo=st;*bad_hi=n;return CIDR_BAD_PREFIX;} out->prefix=p; }
  if (i != n) { *bad_lo=0; *bad_hi=n; return CIDR_BAD_SYNTAX; }
  return CIDR_OK;
}
bool cidr_subnet(Cidr base, int newbits, uint64_t index, Cidr *out) {
  (void)base; (void)newbits; (void)index; (void)out; return false;
}
