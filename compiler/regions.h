/* regions.h: the commercial AWS regions and their availability zones. */
#ifndef REGIONS_H
#define REGIONS_H

#include <stddef.h>

typedef struct {
  const char *name;
  const char *const *zones; /* NULL-terminated */
} Region;

const Region *region_find(const char *name);
const Region *region_of_zone(const char *zone);
const Region *region_all(size_t *count);

#endif
