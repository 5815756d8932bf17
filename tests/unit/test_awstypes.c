/* test_awstypes.c: the generated AWS type table against facts of the
   CloudFormation registry schemas and the value lists, and the order every
   binary search relies on. */
#include <stdio.h>
#include <string.h>

#include "awstypes.h"

#include "check.h"

static const AwsProp *prop(const char *type, const char *path) {
  const AwsType *t = aws_type_find(type);
  if (!t) return NULL;
  const AwsShape *s = t->shape;
  const AwsProp *p = NULL;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *part = strtok(buf, "."); part; part = strtok(NULL, ".")) {
    if (!s) return NULL;
    if (!strcmp(part, "*")) {
      s = s->items;
      continue;
    }
    if (!(p = aws_shape_prop(s, part))) return NULL;
    s = p->shape;
  }
  return p;
}

static bool has_value(const AwsShape *s, const char *v) {
  for (const char *const *x = s && s->values ? s->values : NULL; x && *x; x++)
    if (!strcmp(*x, v)) return true;
  return false;
}

static bool listed(const char *list, const char *v) {
  size_t n;
  const char *const *l = aws_value_list(list, &n);
  for (size_t i = 0; l && i < n; i++)
    if (!strcmp(l[i], v)) return true;
  return false;
}

static void test_types(void) {
  size_t n;
  const AwsType *all = aws_types(&n);
  CHECK(n > 1400);
  bool sorted = true;
  for (size_t i = 1; i < n; i++) sorted &= strcmp(all[i - 1].name, all[i].name) < 0;
  CHECK(sorted);
  for (size_t i = 0; i < n; i += 97) CHECK(aws_type_find(all[i].name) == &all[i]);
  CHECK(aws_type_find(all[0].name) == &all[0]);
  CHECK(aws_type_find(all[n - 1].name) == &all[n - 1]);
  CHECK(aws_type_find("AWS::S3::Bucket") != NULL);
  CHECK(aws_type_find("AWS::S3::Buckets") == NULL);
  CHECK(aws_type_find("AWS::S3") == NULL);
  CHECK(aws_type_find("") == NULL);
}

/* Every object's properties sorted, through every shape reachable. */
static bool props_sorted(const AwsShape *s, int depth) {
  if (!s || depth > 8) return true;
  for (int i = 0; i < s->nprops; i++) {
    if (i && strcmp(s->props[i - 1].name, s->props[i].name) >= 0) return false;
    if (!props_sorted(s->props[i].shape, depth + 1)) return false;
  }
  return props_sorted(s->items, depth + 1);
}

static void test_order(void) {
  size_t n;
  const AwsType *all = aws_types(&n);
  size_t bad = 0, bad_attrs = 0;
  for (size_t i = 0; i < n; i++) {
    if (!props_sorted(all[i].shape, 0)) bad++;
    for (size_t j = 1; j < all[i].nattrs; j++)
      if (strcmp(all[i].attrs[j - 1].name, all[i].attrs[j].name) >= 0) bad_attrs++;
  }
  CHECK(bad == 0);
  CHECK(bad_attrs == 0);
}

static void test_s3_bucket(void) {
  const AwsType *t = aws_type_find("AWS::S3::Bucket");
  const AwsProp *name = aws_shape_prop(t->shape, "BucketName");
  CHECK(name && name->shape->types == AWS_T_STRING);
  CHECK(name && (name->flags & AWS_P_CREATE_ONLY) && !(name->flags & AWS_P_REQUIRED));
  CHECK(name && (name->shape->limits & AWS_L_MAX_LEN) && name->shape->max_len == 63);
  CHECK(name && name->shape->pattern && name->shape->pattern[0] == '^');
  CHECK(aws_shape_prop(t->shape, "Bucketname") == NULL);
  CHECK(!(t->shape->limits & AWS_L_OPEN));
  const AwsProp *arn = aws_type_attr(t, "Arn");
  CHECK(arn && (arn->flags & AWS_P_READ_ONLY));
  CHECK(aws_type_attr(t, "DomainName") != NULL);
  CHECK(aws_type_attr(t, "RegionalDomainName") != NULL);
  CHECK(aws_type_attr(t, "BucketName") == NULL); /* a property, not an attribute */
  CHECK(aws_type_attr(t, "Nope") == NULL);
  const AwsProp *ro = aws_shape_prop(t->shape, "Arn"); /* attributes are properties too */
  CHECK(ro && (ro->flags & AWS_P_READ_ONLY));
  CHECK(t->primary_id && !strcmp(t->primary_id[0], "BucketName") && !t->primary_id[1]);
  /* depth 3: LifecycleConfiguration.Rules[*].Status is required in a rule */
  const AwsProp *rules = prop("AWS::S3::Bucket", "LifecycleConfiguration.Rules");
  CHECK(rules && (rules->flags & AWS_P_REQUIRED) && rules->shape->types == AWS_T_ARRAY);
  const AwsProp *status = prop("AWS::S3::Bucket", "LifecycleConfiguration.Rules.*.Status");
  CHECK(status && (status->flags & AWS_P_REQUIRED));
  CHECK(status && has_value(status->shape, "Enabled") && has_value(status->shape, "Disabled"));
  const AwsProp *key = prop("AWS::S3::Bucket", "Tags.*.Key");
  CHECK(key && (key->flags & AWS_P_REQUIRED) && key->shape->min_len == 1 &&
        key->shape->max_len == 128);
  const AwsProp *vs = prop("AWS::S3::Bucket", "VersioningConfiguration.Status");
  CHECK(vs && has_value(vs->shape, "Enabled") && has_value(vs->shape, "Suspended"));
}

static void test_ec2_rds_lambda(void) {
  const AwsType *subnet = aws_type_find("AWS::EC2::Subnet");
  const AwsProp *vpc = aws_shape_prop(subnet->shape, "VpcId");
  CHECK(vpc && (vpc->flags & AWS_P_REQUIRED) && (vpc->flags & AWS_P_CREATE_ONLY));
  const AwsProp *tags = aws_shape_prop(subnet->shape, "Tags");
  CHECK(tags && !(tags->flags & (AWS_P_REQUIRED | AWS_P_CREATE_ONLY)));
  const AwsType *db = aws_type_find("AWS::RDS::DBInstance");
  const AwsProp *addr = aws_type_attr(db, "Endpoint.Address");
  CHECK(addr && addr->shape->types == AWS_T_STRING);
  CHECK(aws_type_attr(db, "Endpoint.Port") != NULL);
  CHECK(aws_type_attr(db, "Endpoint.Nope") == NULL);
  CHECK(aws_type_attr(db, "MasterUserPassword") == NULL); /* write-only: no GetAtt */
  const AwsProp *pw = aws_shape_prop(db->shape, "MasterUserPassword");
  CHECK(pw && (pw->flags & AWS_P_WRITE_ONLY));
  const AwsType *fn = aws_type_find("AWS::Lambda::Function");
  const AwsProp *code = aws_shape_prop(fn->shape, "Code");
  CHECK(code && (code->flags & AWS_P_REQUIRED) && (code->shape->types & AWS_T_OBJECT));
  CHECK(aws_shape_prop(code->shape, "ZipFile") != NULL);
  const AwsProp *runtime = aws_shape_prop(fn->shape, "Runtime");
  CHECK(runtime && has_value(runtime->shape, "python3.12") && !has_value(runtime->shape, "cobol"));
  const AwsProp *mem = aws_shape_prop(fn->shape, "MemorySize");
  CHECK(mem && (mem->shape->types & AWS_T_INTEGER));
  const AwsType *svc = aws_type_find("AWS::ECS::Service");
  const AwsProp *cluster = aws_shape_prop(svc->shape, "Cluster");
  CHECK(cluster && (cluster->flags & AWS_P_CREATE_ONLY));
  CHECK(!(aws_shape_prop(svc->shape, "DesiredCount")->flags & AWS_P_CREATE_ONLY));
  /* deprecated properties the schemas mark, nested and in list items */
  const AwsProp *s3o = prop("AWS::CloudFront::Distribution", "DistributionConfig.S3Origin");
  CHECK(s3o && (s3o->flags & AWS_P_DEPRECATED));
  const AwsProp *origins = prop("AWS::CloudFront::Distribution", "DistributionConfig.Origins");
  CHECK(origins && !(origins->flags & AWS_P_DEPRECATED));
  const AwsProp *tk = prop("AWS::AppStream::Application", "Tags.*.TagKey");
  CHECK(tk && (tk->flags & AWS_P_DEPRECATED));
  const AwsType *stack = aws_type_find("AWS::CloudFormation::Stack");
  CHECK(stack && aws_type_attr(stack, "Outputs.BucketName") != NULL);
  CHECK(stack && aws_type_attr(stack, "Outputs.") == NULL);
}

static void test_regions(void) {
  size_t n;
  const char *const *regions = aws_type_regions(&n);
  CHECK(n > 30 && n <= 64);
  bool east = false;
  for (size_t i = 0; i < n; i++) east |= !strcmp(regions[i], "us-east-1");
  CHECK(east);
  const AwsType *bucket = aws_type_find("AWS::S3::Bucket");
  CHECK(aws_type_in_region(bucket, "us-east-1") && aws_type_in_region(bucket, "cn-north-1"));
  CHECK(!aws_type_in_region(bucket, "xx-nowhere-1"));
  const AwsType *plan = aws_type_find("AWS::ARCRegionSwitch::Plan");
  CHECK(plan && aws_type_in_region(plan, "us-east-1") && !aws_type_in_region(plan, "cn-north-1"));
}

static void test_value_lists(void) {
  size_t n;
  CHECK(aws_value_list("no.such.list", &n) == NULL && n == 0);
  const char *names[] = {"ec2.instance_types", "rds.instance_classes", "rds.engines",
                         "rds.engine_versions.postgres", "rds.engine_versions.mysql",
                         "rds.instance_classes.postgres", "ecs.fargate_cpu_memory",
                         "logs.retention_days"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    const char *const *l = aws_value_list(names[i], &n);
    CHECK(l && n > 0 && l[n] == NULL);
    bool sorted = true;
    for (size_t j = 1; l && j < n; j++) sorted &= strcmp(l[j - 1], l[j]) < 0;
    CHECK(sorted);
  }
  CHECK(listed("rds.engine_versions.postgres", "16.4"));
  CHECK(listed("rds.engine_versions.postgres", "16"));
  CHECK(listed("rds.engine_versions.mysql", "8.0.36"));
  CHECK(!listed("rds.engine_versions.mysql", "8.0")); /* cfn-lint E3691 refuses it */
  CHECK(listed("rds.engines", "postgres") && listed("rds.engines", "mariadb"));
  CHECK(listed("rds.instance_classes", "db.t3.micro"));
  CHECK(listed("rds.instance_classes.postgres", "db.t4g.medium"));
  CHECK(!listed("rds.instance_classes", "t3.micro"));
  CHECK(listed("ec2.instance_types", "t3.small") && listed("ec2.instance_types", "t4g.nano"));
  CHECK(!listed("ec2.instance_types", "t3.smal"));
  CHECK(listed("ecs.fargate_cpu_memory", "256:512") && listed("ecs.fargate_cpu_memory", "1024:3072"));
  CHECK(!listed("ecs.fargate_cpu_memory", "256:4096"));
  CHECK(listed("logs.retention_days", "30") && listed("logs.retention_days", "3653"));
  CHECK(!listed("logs.retention_days", "31"));
  /* per region: DB instance classes differ by region, instance types do not */
  CHECK(aws_value_listed("ec2.instance_types", "t3.micro", "us-east-1"));
  CHECK(aws_value_listed("ec2.instance_types", "t3.micro", NULL));
  CHECK(!aws_value_listed("ec2.instance_types", "t3.mikro", NULL));
  CHECK(!aws_value_listed("nope", "t3.micro", NULL));
  uint64_t covered;
  CHECK(aws_value_list_regions("ec2.instance_types", &covered) == NULL && covered == 0);
  CHECK(aws_value_list_regions("logs.retention_days", &covered) == NULL && covered == 0);
  CHECK(aws_value_listed("rds.instance_classes.postgres", "db.t3.micro", "us-east-1"));
  const uint64_t *masks = aws_value_list_regions("rds.instance_classes.postgres", &covered);
  CHECK(masks && covered);
  const char *const *classes = aws_value_list("rds.instance_classes.postgres", &n);
  size_t nr;
  const char *const *regions = aws_type_regions(&nr);
  size_t refused = 0, offered = 0;
  for (size_t i = 0; masks && i < n; i++)
    for (size_t r = 0; r < nr; r++) {
      bool listed_there = aws_value_listed("rds.instance_classes.postgres", classes[i], regions[r]);
      if ((covered >> r & 1) && !(masks[i] >> r & 1)) refused += !listed_there;
      else offered += listed_there;
    }
  CHECK(refused > 0);
  CHECK(offered > n); /* everywhere else: offered, or a region the list does not cover */
  CHECK(refused + offered == n * nr);
}

int main(void) {
  test_types();
  test_order();
  test_s3_bucket();
  test_ec2_rds_lambda();
  test_regions();
  test_value_lists();
  printf("test_awstypes: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
