/* test_apiplan_types.c: every row of the native type table is complete and
   agrees with the registry schemas (a type that exists, a create, exactly
   one way to delete, updates only of properties that are neither
   create-only nor read-only, each in one group), and rows that are not
   are caught. */
#include <stdio.h>
#include <string.h>

#include "apiplan_int.h"

#include "check.h"

static void ok_row(Plan *p, const cJSON *props) {
  (void)p;
  (void)props;
}

static void ok_update(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)p;
  (void)r;
  (void)props;
  (void)u;
}

/* The problem native_row_problem finds in row, or "" when none. */
static const char *problem(const NativeType *row) {
  static char buf[256];
  const char *s = native_row_problem(row, buf);
  return s ? s : "";
}

int main(void) {
  size_t n = 0;
  const NativeType *rows = native_types(&n);
  CHECK(n >= 30);
  for (size_t i = 0; i < n; i++) {
    const char *s = problem(&rows[i]);
    if (*s)
      fprintf(stderr, "row %zu: %s\n", i, s);
    CHECK(!*s);
    CHECK(native_type(rows[i].type) == &rows[i]);
  }
  CHECK(native_type("AWS::S3::Bucket") == NULL); /* Cloud Control's */

  const char *const cidr[] = {"CidrBlock", NULL}, *const tags[] = {"Tags", NULL},
                    *const nope[] = {"NoSuchProperty", NULL};
  const NativeUpdate cidr_update[] = {{cidr, ok_update}, {0}}, tag_update[] = {{tags, ok_update}, {0}},
                     twice[] = {{tags, ok_update}, {tags, ok_update}, {0}},
                     unknown[] = {{nope, ok_update}, {0}}, no_fn[] = {{tags, NULL}, {0}};
  const NativeCall del = {"ec2", "DeleteVpc", "VpcId", "id", NULL};
  struct {
    NativeType row;
    const char *says;
  } bad[] = {
      {{"AWS::EC2::Vpc", "id", ok_row, del, NULL, NULL, NULL, NULL, false}, "no such type"},
      {{"AWS::EC2::VPC", NULL, ok_row, del, NULL, NULL, NULL, NULL, false}, "no capture for Ref"},
      {{"AWS::EC2::VPC", "id", NULL, del, NULL, NULL, NULL, NULL, false}, "no create"},
      {{"AWS::EC2::VPC", "id", ok_row, {0}, NULL, NULL, NULL, NULL, false}, "no delete"},
      {{"AWS::EC2::VPC", "id", ok_row, del, ok_row, NULL, NULL, NULL, false}, "both"},
      {{"AWS::EC2::VPC", "id", ok_row, {"ec2", "DeleteVpc", NULL, "id", NULL}, NULL, NULL, NULL,
        NULL, false},
       "lacks"},
      {{"AWS::EC2::VPC", "id", ok_row, del, NULL, cidr_update, NULL, NULL, false}, "create-only"},
      {{"AWS::EC2::VPC", "id", ok_row, del, NULL, unknown, NULL, NULL, false}, "no property"},
      {{"AWS::EC2::VPC", "id", ok_row, del, NULL, twice, NULL, NULL, false}, "two update groups"},
      {{"AWS::EC2::VPC", "id", ok_row, del, NULL, no_fn, NULL, NULL, false}, "without its function"},
      {{"AWS::EC2::VPC", "id", ok_row, del, NULL, tag_update, "NoOwner", NULL, false}, "owner"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *s = problem(&bad[i].row);
    if (!strstr(s, bad[i].says))
      fprintf(stderr, "bad row %zu: expected \"%s\", got \"%s\"\n", i, bad[i].says, s);
    CHECK(strstr(s, bad[i].says) != NULL);
  }
  const NativeType good = {"AWS::EC2::VPC", "id", ok_row, del, NULL, tag_update, NULL, NULL, false};
  CHECK(!*problem(&good));
  printf("test_apiplan_types: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
