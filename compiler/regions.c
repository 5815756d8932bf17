/* regions.c: the zone names of each commercial region (and of the China
   and GovCloud partitions), compiled in so that
   zone checks need no network. Zone names as a new account sees them (Tokyo
   has no ap-northeast-1b), except where accounts differ. */
#include <stdbool.h>
#include <string.h>

#include "regions.h"

#define Z(...)                                                                                     \
  (const char *const[]) {                                                                          \
    __VA_ARGS__, NULL                                                                              \
  }

static const Region regions[] = {
    {"af-south-1", Z("af-south-1a", "af-south-1b", "af-south-1c")},
    {"ap-east-1", Z("ap-east-1a", "ap-east-1b", "ap-east-1c")},
    {"ap-east-2", Z("ap-east-2a", "ap-east-2b", "ap-east-2c")},
    {"ap-northeast-1", Z("ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d")},
    {"ap-northeast-2",
     Z("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d")},
    {"ap-northeast-3", Z("ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c")},
    {"ap-south-1", Z("ap-south-1a", "ap-south-1b", "ap-south-1c")},
    {"ap-south-2", Z("ap-south-2a", "ap-south-2b", "ap-south-2c")},
    {"ap-southeast-1", Z("ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c")},
    {"ap-southeast-2", Z("ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c")},
    {"ap-southeast-3", Z("ap-southeast-3a", "ap-southeast-3b", "ap-southeast-3c")},
    {"ap-southeast-4", Z("ap-southeast-4a", "ap-southeast-4b", "ap-southeast-4c")},
    {"ap-southeast-5", Z("ap-southeast-5a", "ap-southeast-5b", "ap-southeast-5c")},
    {"ap-southeast-6", Z("ap-southeast-6a", "ap-southeast-6b", "ap-southeast-6c")},
    {"ap-southeast-7", Z("ap-southeast-7a", "ap-southeast-7b", "ap-southeast-7c")},
    {"ca-central-1", Z("ca-central-1a", "ca-central-1b", "ca-central-1d")},
    {"ca-west-1", Z("ca-west-1a", "ca-west-1b", "ca-west-1c")},
    /* aws-cn: ARNs there begin arn:aws-cn: (lower_arn, the API plan's partition) */
    {"cn-north-1", Z("cn-north-1a", "cn-north-1b", "cn-north-1d")},
    {"cn-northwest-1", Z("cn-northwest-1a", "cn-northwest-1b", "cn-northwest-1c")},
    {"eu-central-1", Z("eu-central-1a", "eu-central-1b", "eu-central-1c")},
    {"eu-central-2", Z("eu-central-2a", "eu-central-2b", "eu-central-2c")},
    {"eu-north-1", Z("eu-north-1a", "eu-north-1b", "eu-north-1c")},
    {"eu-south-1", Z("eu-south-1a", "eu-south-1b", "eu-south-1c")},
    {"eu-south-2", Z("eu-south-2a", "eu-south-2b", "eu-south-2c")},
    {"eu-west-1", Z("eu-west-1a", "eu-west-1b", "eu-west-1c")},
    {"eu-west-2", Z("eu-west-2a", "eu-west-2b", "eu-west-2c")},
    {"eu-west-3", Z("eu-west-3a", "eu-west-3b", "eu-west-3c")},
    {"il-central-1", Z("il-central-1a", "il-central-1b", "il-central-1c")},
    {"me-central-1", Z("me-central-1a", "me-central-1b", "me-central-1c")},
    {"me-south-1", Z("me-south-1a", "me-south-1b", "me-south-1c")},
    {"mx-central-1", Z("mx-central-1a", "mx-central-1b", "mx-central-1c")},
    {"sa-east-1", Z("sa-east-1a", "sa-east-1b", "sa-east-1c")},
    {"us-east-1",
     Z("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f")},
    {"us-east-2", Z("us-east-2a", "us-east-2b", "us-east-2c")},
    /* aws-us-gov */
    {"us-gov-east-1", Z("us-gov-east-1a", "us-gov-east-1b", "us-gov-east-1c")},
    {"us-gov-west-1", Z("us-gov-west-1a", "us-gov-west-1b", "us-gov-west-1c")},
    /* Two zones, whose letters (two of a, b, c) differ between accounts. */
    {"us-west-1", Z("us-west-1a", "us-west-1b", "us-west-1c")},
    {"us-west-2", Z("us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d")},
};

static bool same(const char *name, const char *s, size_t len) {
  return strlen(name) == len && memcmp(name, s, len) == 0;
}

const Region *region_find(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
    if (same(regions[i].name, name, len)) return &regions[i];
  return NULL;
}

const Region *region_of_zone(const char *zone, size_t len) {
  for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
    for (const char *const *z = regions[i].zones; *z; z++)
      if (same(*z, zone, len)) return &regions[i];
  return NULL;
}

const Region *region_all(size_t *count) {
  *count = sizeof regions / sizeof regions[0];
  return regions;
}
