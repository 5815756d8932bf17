/* cidr.c: IPv4 CIDR arithmetic, with no undefined shifts at /0 and /32. */
#include <stdio.h>

#include "cidr.h"

static CidrError fail(CidrError e, size_t lo, size_t hi, size_t *bad_lo, size_t *bad_hi) {
  *bad_lo = lo;
  *bad_hi = hi;
  return e;
}

CidrError cidr_parse(const char *s, size_t n, bool want_prefix, Cidr *out, size_t *bad_lo,
                     size_t *bad_hi) {
  uint32_t addr = 0;
  size_t i = 0;
  for (int octet = 0; octet < 4; octet++) {
    size_t start = i;
    uint32_t v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
      v = v * 10 + (uint32_t)(s[i++] - '0');
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
    if (i == start)
      return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
    if (i - start > 3 || v > 255)
      return fail(CIDR_BAD_OCTET, start, i, bad_lo, bad_hi);
    addr = addr << 8 | v;
    if (octet < 3) {
      if (i >= n || s[i] != '.')
        return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
      i++;
    }
  }
  int prefix = 32;
  if (want_prefix) {
    if (i >= n || s[i] != '/')
      return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
    size_t start = ++i;
    int v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      if (v <= 99)
        v = v * 10 + (s[i] - '0');
      i++;
    }
    if (i == start)
      return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
    if (v > 32)
      return fail(CIDR_BAD_PREFIX, start, i, bad_lo, bad_hi);
    prefix = v;
  }
  if (i != n)
    return fail(CIDR_BAD_SYNTAX, 0, n, bad_lo, bad_hi);
  out->addr = addr;
  out->prefix = prefix;
  return CIDR_OK;
}

uint32_t cidr_mask(int prefix) {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefix);
}

uint32_t cidr_first(Cidr c) { return c.addr & cidr_mask(c.prefix); }
uint32_t cidr_last(Cidr c) { return cidr_first(c) | ~cidr_mask(c.prefix); }
uint64_t cidr_size(Cidr c) { return (uint64_t)1 << (32 - c.prefix); }
bool cidr_has_host_bits(Cidr c) { return (c.addr & ~cidr_mask(c.prefix)) != 0; }
Cidr cidr_network(Cidr c) { return (Cidr){cidr_first(c), c.prefix}; }

bool cidr_contains(Cidr outer, Cidr inner) {
  return inner.prefix >= outer.prefix && cidr_first(outer) <= cidr_first(inner) &&
         cidr_last(inner) <= cidr_last(outer);
}

bool cidr_overlaps(Cidr a, Cidr b) {
  return cidr_first(a) <= cidr_last(b) && cidr_first(b) <= cidr_last(a);
}

bool cidr_intersect(Cidr a, Cidr b, Cidr *out) {
  if (!cidr_overlaps(a, b))
    return false;
  *out = cidr_network(a.prefix >= b.prefix ? a : b);
  return true;
}

bool cidr_subnet(Cidr base, int newbits, uint64_t index, Cidr *out) {
  int prefix = base.prefix + newbits;
  if (newbits < 0 || prefix > 32 || index >= ((uint64_t)1 << newbits))
    return false;
  uint32_t step = prefix == 0 ? 0 : (uint32_t)((uint64_t)1 << (32 - prefix));
  out->addr = cidr_first(base) + (uint32_t)index * step;
  out->prefix = prefix;
  return true;
}

int cidr_compare(Cidr a, Cidr b) {
  uint32_t fa = cidr_first(a), fb = cidr_first(b);
  if (fa != fb)
    return fa < fb ? -1 : 1;
  return (a.prefix > b.prefix) - (a.prefix < b.prefix);
}

char *ip_format(uint32_t addr, char buf[static 16]) {
  snprintf(buf, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
  return buf;
}

char *cidr_format(Cidr c, char buf[static 19]) {
  char ip[16];
  snprintf(buf, 19, "%s/%d", ip_format(c.addr, ip), c.prefix);
  return buf;
}
