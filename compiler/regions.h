/* regions.h: the commercial AWS regions and their availability zones. */
#ifndef REGIONS_H
#define REGIONS_H

#include <stddef.h>

typedef struct {
  const char *name;
  const char *const *zones; /* NULL-terminated */
} Region;

/* Names are slices (as tokens are), not necessarily NUL-terminated. */
const Region *region_find(const char *name, size_t len);    /* NULL if unknown */
const Region *region_of_zone(const char *zone, size_t len); /* NULL if no region lists it */
const Region *region_all(size_t *count);

#endif
