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

/* Parses "a.b.c.d" or, with want_prefix, "a.b.c.d/p" from s[0..n). On error
   s[*bad_lo..*bad_hi) is the offending part: the octet, the prefix, or all. */
CidrError cidr_parse(const char *s, size_t n, bool want_prefix, Cidr *out, size_t *bad_lo,
                     size_t *bad_hi);
uint32_t cidr_mask(int prefix);
uint32_t cidr_first(Cidr c); /* the network address */
uint32_t cidr_last(Cidr c);  /* the broadcast address */
uint64_t cidr_size(Cidr c);
bool cidr_has_host_bits(Cidr c);
Cidr cidr_network(Cidr c); /* c with its host bits cleared */
bool cidr_contains(Cidr outer, Cidr inner);
bool cidr_overlaps(Cidr a, Cidr b);
/* Blocks either nest or are apart: the intersection is the smaller block. */
bool cidr_intersect(Cidr a, Cidr b, Cidr *out);
/* The index-th block of prefix base.prefix+newbits inside base, as
   Terraform's cidrsubnet(); false when it does not exist. */
bool cidr_subnet(Cidr base, int newbits, uint64_t index, Cidr *out);
int cidr_compare(Cidr a, Cidr b); /* by first address, then prefix */
char *cidr_format(Cidr c, char buf[static 19]);
char *ip_format(uint32_t addr, char buf[static 16]);

#endif
