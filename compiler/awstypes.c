/* awstypes.c: lookups in the generated type table (awstypes_data.c). Every
   table is sorted by strcmp, so each lookup is a binary search. */
#include <string.h>

#include "awstypes_data.h"

/* The index of name in a sorted array of structs whose first member is the
   name, or -1. */
static long find_sorted(const void *base, size_t count, size_t size, const char *name) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *at = *(const char *const *)((const char *)base + mid * size);
    int c = strcmp(name, at);
    if (c == 0) return (long)mid;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return -1;
}

const AwsType *aws_types(size_t *count) {
  *count = aws_type_count;
  return aws_type_table;
}

const AwsType *aws_type_find(const char *name) {
  /* "Custom::Anything" is a custom resource, as CloudFormation reads it */
  if (!strncmp(name, "Custom::", 8) && name[8])
    name = "AWS::CloudFormation::CustomResource";
  long i = find_sorted(aws_type_table, aws_type_count, sizeof *aws_type_table, name);
  return i < 0 ? NULL : &aws_type_table[i];
}

const AwsProp *aws_shape_prop(const AwsShape *s, const char *name) {
  if (!s || !s->props) return NULL;
  long i = find_sorted(s->props, s->nprops, sizeof *s->props, name);
  return i < 0 ? NULL : &s->props[i];
}

const AwsProp *aws_type_attr(const AwsType *t, const char *name) {
  if (!t->attrs) return NULL;
  long i = find_sorted(t->attrs, t->nattrs, sizeof *t->attrs, name);
  if (i >= 0) return &t->attrs[i];
  for (size_t j = 0; j < t->nattrs; j++) { /* the few "Prefix.*" names */
    const char *a = t->attrs[j].name;
    size_t n = strlen(a);
    if (n && a[n - 1] == '*' && !strncmp(a, name, n - 1) && name[n - 1]) return &t->attrs[j];
  }
  return NULL;
}

bool aws_forces_replacement(const char *type, const char *path) {
  const AwsType *t = aws_type_find(type);
  const AwsShape *s = t ? t->shape : NULL;
  char name[256];
  for (const char *p = path; s && *p;) {
    size_t n = strcspn(p, ".[");
    if (n == 0 || n >= sizeof name) return false;
    memcpy(name, p, n);
    name[n] = '\0';
    const AwsProp *prop = aws_shape_prop(s, name);
    if (!prop) return false;
    if (prop->flags & AWS_P_CREATE_ONLY) return true;
    s = prop->shape;
    for (p += n; !strncmp(p, "[*]", 3); p += 3) s = s ? s->items : NULL;
    if (*p == '.') p++;
    else if (*p) return false;
  }
  return false;
}

const char *const *aws_type_regions(size_t *count) {
  size_t n = 0;
  while (aws_region_names[n]) n++;
  *count = n;
  return aws_region_names;
}

/* The bit of region in AwsType.regions, or 0 when the schemas lack it. */
static uint64_t region_bit(const char *region) {
  for (size_t i = 0; aws_region_names[i]; i++)
    if (!strcmp(aws_region_names[i], region)) return (uint64_t)1 << i;
  return 0;
}

bool aws_type_in_region(const AwsType *t, const char *region) {
  return (t->regions & region_bit(region)) != 0;
}

static const AwsValueList *value_list(const char *name) {
  long i = find_sorted(aws_value_lists, aws_value_list_count, sizeof *aws_value_lists, name);
  return i < 0 ? NULL : &aws_value_lists[i];
}

const char *const *aws_value_list(const char *name, size_t *count) {
  const AwsValueList *l = value_list(name);
  *count = l ? l->count : 0;
  return l ? l->values : NULL;
}

const uint64_t *aws_value_list_regions(const char *name, uint64_t *covered) {
  const AwsValueList *l = value_list(name);
  *covered = l ? l->covered : 0;
  return l ? l->regions : NULL;
}

bool aws_value_listed(const char *name, const char *value, const char *region) {
  const AwsValueList *l = value_list(name);
  if (!l) return false;
  size_t lo = 0, hi = l->count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(value, l->values[mid]);
    if (c == 0) {
      uint64_t bit = region ? region_bit(region) : 0;
      return !l->regions || !bit || !(l->covered & bit) || (l->regions[mid] & bit);
    }
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return false;
}
