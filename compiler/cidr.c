/* cidr.c: IPv4 CIDR arithmetic, with no undefined shifts at /0 and /32. */
#include <stdio.h>
#include <string.h>

#include "cidr.h"

static CidrError fail(CidrError e, size_t lo, size_t hi, size_t *bad_lo, size_t *bad_hi) {
  *bad_lo = lo;
  *bad_hi = hi;
  return e;
}

/* Reads the digits at s[*i..n) into *value and returns how many there were.
   The value stops growing past 9999 so that a long run cannot overflow. */
static size_t scan_decimal(const char *s, size_t n, size_t *i, uint32_t *value) {
  size_t start = *i;
  uint32_t v = 0;
  for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++)
    if (v <= 9999) v = v * 10 + (uint32_t)(s[*i] - '0');
  *value = v;
  return *i - start;
}

/* address -> octet "." octet "." octet "." octet */
static CidrError parse_address(const char *s, size_t n, size_t *i, uint32_t *addr, size_t *bad_lo,
                               size_t *bad_hi) {
  uint32_t a = 0;
  for (int octet = 0; octet < 4; octet++) {
    if (octet > 0 && (*i >= n || s[(*i)++] != '.'))
      return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
    size_t start = *i;
    uint32_t v;
    size_t digits = scan_decimal(s, n, i, &v);
    if (digits == 0) return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
    if (digits > 3 || v > 255) return fail(CIDR_BAD_OCTET, start, *i, bad_lo, bad_hi);
    a = a << 8 | v;
  }
  *addr = a;
  return CIDR_OK;
}

/* prefix -> "/" digits */
static CidrError parse_prefix(const char *s, size_t n, size_t *i, int *prefix, size_t *bad_lo,
                              size_t *bad_hi) {
  if (*i >= n || s[(*i)++] != '/') return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
  size_t start = *i;
  uint32_t v;
  if (scan_decimal(s, n, i, &v) == 0) return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
  if (v > 32) return fail(CIDR_BAD_PREFIX, start, *i, bad_lo, bad_hi);
  *prefix = (int)v;
  return CIDR_OK;
}

CidrError cidr_parse(const char *s, size_t n, bool want_prefix, Cidr *out, size_t *bad_lo,
                     size_t *bad_hi) {
  size_t i = 0;
  uint32_t addr;
  int prefix = 32;
  CidrError e = parse_address(s, n, &i, &addr, bad_lo, bad_hi);
  if (e == CIDR_OK && want_prefix) e = parse_prefix(s, n, &i, &prefix, bad_lo, bad_hi);
  if (e == CIDR_OK && i != n) e = fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
  if (e == CIDR_OK) *out = (Cidr){addr, prefix};
  return e;
}

uint32_t cidr_mask(int prefix) {
  /* A shift by 32 is undefined, so both ends are spelled out. */
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
}

uint32_t cidr_network(Cidr c) {
  return c.addr & cidr_mask(c.prefix);
}

bool cidr_has_host_bits(Cidr c) {
  return (c.addr & ~cidr_mask(c.prefix)) != 0;
}

uint32_t cidr_first(Cidr c) {
  return cidr_network(c);
}

uint32_t cidr_last(Cidr c) {
  return cidr_first(c) | ~cidr_mask(c.prefix);
}

uint64_t cidr_size(Cidr c) {
  return (uint64_t)~cidr_mask(c.prefix) + 1;
}

bool cidr_contains(Cidr outer, Cidr inner) {
  return cidr_first(outer) <= cidr_first(inner) && cidr_last(inner) <= cidr_last(outer);
}

bool cidr_overlaps(Cidr a, Cidr b) {
  return cidr_first(a) <= cidr_last(b) && cidr_first(b) <= cidr_last(a);
}

bool cidr_intersect(Cidr a, Cidr b, Cidr *out) {
  if (!cidr_overlaps(a, b)) return false;
  Cidr smaller = a.prefix >= b.prefix ? a : b;
  *out = (Cidr){cidr_network(smaller), smaller.prefix};
  return true;
}

bool cidr_subnet(Cidr base, int newbits, uint64_t index, Cidr *out) {
  int prefix = base.prefix + newbits;
  if (newbits < 0 || prefix > 32 || index >= (uint64_t)1 << newbits) return false;
  /* The offset stays below 2^(32-base.prefix), so it fits in 32 bits; only /0
     split by 0 bits has a block of 2^32, and there index is 0. */
  uint64_t offset = index * cidr_size((Cidr){0, prefix});
  *out = (Cidr){cidr_first(base) + (uint32_t)offset, prefix};
  return true;
}

int cidr_compare(Cidr a, Cidr b) {
  uint32_t fa = cidr_first(a), fb = cidr_first(b);
  if (fa != fb) return fa < fb ? -1 : 1;
  return (a.prefix > b.prefix) - (a.prefix < b.prefix);
}

/* Digits by hand: snprintf was 3% of building a large stack. */
static char *put_num(char *p, unsigned v) {
  if (v >= 100) *p++ = (char)('0' + v / 100 % 10);
  if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
  *p++ = (char)('0' + v % 10);
  return p;
}

char *ip_format(uint32_t addr, char buf[static 16]) {
  char *p = buf;
  for (int shift = 24; shift >= 0; shift -= 8) {
    p = put_num(p, (addr >> shift) & 255);
    *p++ = shift ? '.' : '\0';
  }
  return buf;
}

char *cidr_format(Cidr c, char buf[static 19]) {
  ip_format(c.addr, buf);
  char *p = buf + strlen(buf);
  *p++ = '/';
  *put_num(p, c.prefix >= 0 && c.prefix <= 32 ? (unsigned)c.prefix : 0) = '\0';
  return buf;
}
