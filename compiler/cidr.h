#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
typedef struct { uint32_t addr; int prefix; } Cidr;
typedef enum { CIDR_OK, CIDR_BAD_SYNTAX, CIDR_BAD_OCTET, CIDR_BAD_PREFIX } CidrError;
CidrError cidr_parse(const char *s, size_t n, bool want_prefix, Cidr *out, size_t *bad_lo, size_t *bad_hi);
bool cidr_subnet(Cidr base, int newbits, uint64_t index, Cidr *out);
