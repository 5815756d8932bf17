/* param_types.c: the CloudFormation parameter types a param may keep, as
   AWS documents them: a base type, List<base>, and the SSM parameter types
   around them. */
#include <string.h>

#include "param_types.h"

/* The AWS-specific types that List<> and AWS::SSM::Parameter::Value<> wrap. */
static const char *const base_types[] = {
    "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",           "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",             "AWS::EC2::VPC::Id",
    "AWS::EC2::Volume::Id",             "AWS::Route53::HostedZone::Id",
};

/* The wrappers: prefix, whether the value is a list, what may stand inside. */
enum { IN_BASE = 1, IN_STRING = 2, IN_LIST = 4 };
static const struct {
  const char *prefix;
  bool list;
  unsigned inner;
} wrappers[] = {
    {"List<", true, IN_BASE},
    {"AWS::SSM::Parameter::Value<List<", true, IN_BASE | IN_STRING},
    {"AWS::SSM::Parameter::Value<", false, IN_BASE | IN_STRING | IN_LIST},
};

static bool is_base(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof base_types / sizeof *base_types; i++)
    if (strlen(base_types[i]) == n && !strncmp(base_types[i], s, n))
      return true;
  return false;
}

bool param_cfn_type(const char *t, bool *list) {
  *list = !strcmp(t, "CommaDelimitedList") || !strcmp(t, "List<Number>");
  if (*list || !strcmp(t, "String") || !strcmp(t, "Number") || !strcmp(t, "AWS::SSM::Parameter::Name") ||
      is_base(t, strlen(t)))
    return true;
  for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers; i++) {
    size_t p = strlen(wrappers[i].prefix), n = strlen(t), close = 1 + (wrappers[i].list && p > 5);
    if (strncmp(t, wrappers[i].prefix, p) || n < p + close || strspn(t + n - close, ">") != close)
      continue;
    const char *in = t + p;
    size_t len = n - p - close;
    unsigned got = is_base(in, len) ? IN_BASE
                   : len == 6 && !strncmp(in, "String", 6) ? IN_STRING
                   : len == 18 && !strncmp(in, "CommaDelimitedList", 18) ? IN_LIST
                                                                          : 0;
    if (got & wrappers[i].inner) {
      *list = wrappers[i].list || got == IN_LIST;
      return true;
    }
  }
  return false;
}

const char *const *param_cfn_base_types(size_t *n) {
  *n = sizeof base_types / sizeof *base_types;
  return base_types;
}

bool param_type_is_list(const char *type_name) {
  bool list = false;
  return !strcmp(type_name, "list") || (param_cfn_type(type_name, &list) && list);
}
