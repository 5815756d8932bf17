/* cidr.h: IPv4 CIDR arithmetic. Addresses are in host byte order. */
#ifndef CIDR_H
#define CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint32_t addr;
  int prefix;
} Cidr;

typedef enum { CIDR_OK, CIDR_BAD_SYNTAX, CIDR_BAD_OCTET, CIDR_BAD_PREFIX } CidrError;

/* Parses "a.b.c.d" or, with want_prefix, "a.b.c.d/p" from s[0..n). An octet is
   1-3 decimal digits (leading zeros allowed) of value 0-255; the prefix 0-32.
   On error s[*bad_lo..*bad_hi) is the offending part: the octet (also one of
   more than 3 digits), the prefix, or for syntax the whole text. */
CidrError cidr_parse(const char *s, size_t n, bool want_prefix, Cidr *out, size_t *bad_lo,
                     size_t *bad_hi);
uint32_t cidr_mask(int prefix); /* /0 -> 0, /32 -> 0xffffffff */
uint32_t cidr_network(Cidr c);  /* addr & mask */
bool cidr_has_host_bits(Cidr c);
uint32_t cidr_first(Cidr c); /* the network address */
uint32_t cidr_last(Cidr c);  /* the broadcast address */
uint64_t cidr_size(Cidr c);  /* 2^(32-prefix): /0 holds 4294967296 */
bool cidr_contains(Cidr outer, Cidr inner);
bool cidr_overlaps(Cidr a, Cidr b);
/* Blocks either nest or are apart, so an overlap is the smaller block, given
   as its network address. */
bool cidr_intersect(Cidr a, Cidr b, Cidr *out);
/* The index-th block of prefix base.prefix+newbits inside base, as Terraform's
   cidrsubnet(); false when prefix+newbits > 32 or index is out of range. */
bool cidr_subnet(Cidr base, int newbits, uint64_t index, Cidr *out);
int cidr_compare(Cidr a, Cidr b); /* by network address, then prefix (for qsort) */
/* "10.0.1.5/24": the address as given, host bits kept. */
char *cidr_format(Cidr c, char buf[static 19]);
char *ip_format(uint32_t addr, char buf[static 16]); /* "10.0.1.255" */

#endif
