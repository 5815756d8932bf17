/* resume.c: finding what an interrupted step made (resume.h). */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resume.h"

/* How to find what a step made. A filter's or argument's value is "@stack"
   or "@resource" (the tags resume_tag adds), "$Param" (the step's param),
   "$Param[]" (a list of it), or literal values separated by '|'. */
typedef struct {
  const char *op, *describe;
  const char *filter_member; /* "Filters" (EC2's usual), "Filter", or NULL */
  const char *filters[3][2]; /* {name, value} */
  const char *args[2][2];    /* {describe's param, value}: by name */
  const char *list;          /* the answer's list (or object) of what was found */
  const char *match;         /* a member of the found item that equals the step's param */
  const char *wrap;          /* the member of op's output holding the item ("Vpc"; "Instances[]":
                                a list of it); NULL: the item is the output */
  const char *rename[2];     /* {op's output member, the item's}: the output is only that */
} Find;

#define TAGGED {"tag:infrac:stack", "@stack"}, {"tag:infrac:resource", "@resource"}

static const Find finds[] = {
    {"CreateVpc", "DescribeVpcs", "Filters", {TAGGED}, {{0}}, "Vpcs", NULL, "Vpc", {0}},
    {"CreateSubnet", "DescribeSubnets", "Filters", {TAGGED}, {{0}}, "Subnets", NULL, "Subnet", {0}},
    {"CreateInternetGateway", "DescribeInternetGateways", "Filters", {TAGGED}, {{0}},
     "InternetGateways", NULL, "InternetGateway", {0}},
    {"AllocateAddress", "DescribeAddresses", "Filters", {TAGGED}, {{0}}, "Addresses", NULL, NULL,
     {0}},
    {"CreateNatGateway", "DescribeNatGateways", "Filter", {TAGGED, {"state", "pending|available"}},
     {{0}}, "NatGateways", NULL, "NatGateway", {0}},
    {"CreateRouteTable", "DescribeRouteTables", "Filters", {TAGGED}, {{0}}, "RouteTables", NULL,
     "RouteTable", {0}},
    {"CreateSecurityGroup", "DescribeSecurityGroups", "Filters", {TAGGED}, {{0}},
     "SecurityGroups", NULL, NULL, {0}},
    {"RunInstances", "DescribeInstances", "Filters",
     {TAGGED, {"instance-state-name", "pending|running"}}, {{0}}, "Reservations[0].Instances",
     NULL, "Instances[]", {0}},
    {"AssociateRouteTable", "DescribeRouteTables", "Filters", {{"route-table-id", "$RouteTableId"}},
     {{0}}, "RouteTables[0].Associations", "SubnetId", NULL,
     {"AssociationId", "RouteTableAssociationId"}},
    {"CreateRole", "GetRole", NULL, {{0}}, {{"RoleName", "$RoleName"}}, "Role", NULL, "Role", {0}},
    {"CreateInstanceProfile", "GetInstanceProfile", NULL, {{0}},
     {{"InstanceProfileName", "$InstanceProfileName"}}, "InstanceProfile", NULL, "InstanceProfile",
     {0}},
    {"CreateDBSubnetGroup", "DescribeDBSubnetGroups", NULL, {{0}},
     {{"DBSubnetGroupName", "$DBSubnetGroupName"}}, "DBSubnetGroups", NULL, "DBSubnetGroup", {0}},
    {"CreateDBInstance", "DescribeDBInstances", NULL, {{0}},
     {{"DBInstanceIdentifier", "$DBInstanceIdentifier"}}, "DBInstances", NULL, "DBInstance", {0}},
    {"CreateRepository", "DescribeRepositories", NULL, {{0}},
     {{"repositoryNames", "$repositoryName[]"}}, "repositories", NULL, "repository", {0}},
};

/* Errors of a second call that say the first one did it. */
static const struct {
  const char *op, *code;
} done_codes[] = {
    {"AttachInternetGateway", "Resource.AlreadyAssociated"},
    {"CreateRoute", "RouteAlreadyExists"},
    {"AuthorizeSecurityGroupIngress", "InvalidPermission.Duplicate"},
    {"AuthorizeSecurityGroupEgress", "InvalidPermission.Duplicate"},
    {"CreateLogGroup", "ResourceAlreadyExistsException"},
    {"AddRoleToInstanceProfile", "LimitExceeded"},
};

/* The forms of tags in params: where a create takes them. */
static const struct {
  const char *member;
  bool specs; /* EC2's TagSpecifications: [{ResourceType, Tags: [...]}] */
} tag_forms[] = {{"TagSpecifications", true}, {"Tags", false}, {"tags", false}};

static void add_tag(cJSON *tags, const char *key, const char *value) {
  if (cJSON_IsObject(tags)) { /* CloudWatch Logs: a map */
    cJSON_DeleteItemFromObjectCaseSensitive(tags, key);
    cJSON_AddStringToObject(tags, key, value);
    return;
  }
  if (!cJSON_IsArray(tags))
    return;
  /* {Key, Value} mostly; ECS's are {key, value} */
  bool lower = tags->child && cJSON_GetObjectItemCaseSensitive(tags->child, "key");
  for (const cJSON *t = tags->child; t; t = t->next) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, lower ? "key" : "Key");
    if (cJSON_IsString(k) && !strcmp(k->valuestring, key))
      return;
  }
  cJSON *t = cJSON_CreateObject();
  cJSON_AddStringToObject(t, lower ? "key" : "Key", key);
  cJSON_AddStringToObject(t, lower ? "value" : "Value", value);
  cJSON_AddItemToArray(tags, t);
}

void resume_tag(cJSON *params, const char *stack, const char *resource) {
  for (size_t i = 0; i < sizeof tag_forms / sizeof *tag_forms; i++) {
    cJSON *m = cJSON_GetObjectItemCaseSensitive(params, tag_forms[i].member);
    if (!m)
      continue;
    if (tag_forms[i].specs) {
      for (cJSON *spec = cJSON_IsArray(m) ? m->child : NULL; spec; spec = spec->next) {
        cJSON *tags = cJSON_GetObjectItemCaseSensitive(spec, "Tags");
        add_tag(tags, "infrac:stack", stack);
        add_tag(tags, "infrac:resource", resource);
      }
    } else {
      add_tag(m, "infrac:stack", stack);
      add_tag(m, "infrac:resource", resource);
    }
    return;
  }
}

static const Find *find_of(const char *op) {
  for (size_t i = 0; i < sizeof finds / sizeof *finds; i++)
    if (!strcmp(finds[i].op, op))
      return &finds[i];
  return NULL;
}

/* A filter's or argument's value: a list of strings, or a string (one: a
   list only when asked). NULL when the step has no such param. */
static cJSON *value_of(const char *spec, const cJSON *params, const char *stack,
                       const char *resource, bool list) {
  cJSON *out = list ? cJSON_CreateArray() : NULL;
  if (spec[0] == '@' || spec[0] == '$') {
    const char *v = !strcmp(spec, "@stack") ? stack : !strcmp(spec, "@resource") ? resource : NULL;
    size_t n = strlen(spec);
    bool as_list = n > 2 && !strcmp(spec + n - 2, "[]");
    if (spec[0] == '$') {
      char name[128];
      snprintf(name, sizeof name, "%.*s", (int)(n - 1 - (as_list ? 2 : 0)), spec + 1);
      const cJSON *p = cJSON_GetObjectItemCaseSensitive(params, name);
      v = cJSON_IsString(p) ? p->valuestring : NULL;
    }
    if (!v) {
      cJSON_Delete(out);
      return NULL;
    }
    if (!list && !as_list)
      return cJSON_CreateString(v);
    if (!out)
      out = cJSON_CreateArray();
    cJSON_AddItemToArray(out, cJSON_CreateString(v));
    return out;
  }
  char *copy = strdup(spec), *save = NULL;
  for (char *s = strtok_r(copy, "|", &save); s; s = strtok_r(NULL, "|", &save))
    cJSON_AddItemToArray(out, cJSON_CreateString(s));
  free(copy);
  return out;
}

cJSON *resume_find(const char *op, const cJSON *params, const char *stack, const char *resource,
                   const char **describe) {
  const Find *f = find_of(op);
  if (!f)
    return NULL;
  *describe = f->describe;
  cJSON *in = cJSON_CreateObject();
  cJSON *filters = f->filter_member ? cJSON_AddArrayToObject(in, f->filter_member) : NULL;
  for (int i = 0; filters && i < 3 && f->filters[i][0]; i++) {
    cJSON *values = value_of(f->filters[i][1], params, stack, resource, true);
    if (!values) {
      cJSON_Delete(in);
      return NULL;
    }
    cJSON *fl = cJSON_CreateObject();
    cJSON_AddStringToObject(fl, "Name", f->filters[i][0]);
    cJSON_AddItemToObject(fl, "Values", values);
    cJSON_AddItemToArray(filters, fl);
  }
  for (int i = 0; i < 2 && f->args[i][0]; i++) {
    cJSON *v = value_of(f->args[i][1], params, stack, resource, false);
    if (!v) {
      cJSON_Delete(in);
      return NULL;
    }
    cJSON_AddItemToObject(in, f->args[i][0], v);
  }
  return in;
}

/* "RouteTables[0].Associations" into v. */
static const cJSON *at(const cJSON *v, const char *path) {
  char *copy = strdup(path), *save = NULL;
  for (char *seg = strtok_r(copy, ".", &save); seg && v; seg = strtok_r(NULL, ".", &save)) {
    char *br = strchr(seg, '[');
    long i = br ? strtol(br + 1, NULL, 10) : -1;
    if (br)
      *br = '\0';
    v = cJSON_GetObjectItemCaseSensitive(v, seg);
    if (br)
      v = i >= 0 && i < INT_MAX ? cJSON_GetArrayItem(v, (int)i) : NULL;
  }
  free(copy);
  return v;
}

/* Whether item carries the tag key=value. */
static bool tagged(const cJSON *item, const char *key, const char *value) {
  const cJSON *tags = cJSON_GetObjectItemCaseSensitive(item, "Tags");
  for (const cJSON *t = cJSON_IsArray(tags) ? tags->child : NULL; t; t = t->next) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "Key");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "Value");
    if (cJSON_IsString(k) && cJSON_IsString(v) && !strcmp(k->valuestring, key) &&
        !strcmp(v->valuestring, value))
      return true;
  }
  return false;
}

cJSON *resume_found(const char *op, const cJSON *params, const char *stack, const char *resource,
                    const cJSON *answer) {
  const Find *f = find_of(op);
  const cJSON *list = f ? at(answer, f->list) : NULL, *item = NULL;
  /* the tags are checked here too: an endpoint may ignore a filter (moto's
     DescribeNatGateways does), and another stack's resource is no find */
  bool by_tag = f && f->filters[0][1] && !strcmp(f->filters[0][1], "@stack");
  if (cJSON_IsObject(list))
    item = list;
  for (const cJSON *x = cJSON_IsArray(list) ? list->child : NULL; x && !item; x = x->next) {
    const cJSON *want = f->match ? cJSON_GetObjectItemCaseSensitive(params, f->match) : NULL;
    if ((!f->match || cJSON_Compare(cJSON_GetObjectItemCaseSensitive(x, f->match), want, true)) &&
        (!by_tag || (tagged(x, "infrac:stack", stack) && tagged(x, "infrac:resource", resource))))
      item = x;
  }
  if (!item)
    return NULL;
  if (f->rename[0]) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, f->rename[1]);
    if (!v)
      return NULL;
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, f->rename[0], cJSON_Duplicate(v, true));
    return out;
  }
  if (!f->wrap)
    return cJSON_Duplicate(item, true);
  cJSON *out = cJSON_CreateObject();
  size_t n = strlen(f->wrap);
  if (n > 2 && !strcmp(f->wrap + n - 2, "[]")) {
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(n - 2), f->wrap);
    cJSON *l = cJSON_AddArrayToObject(out, name);
    cJSON_AddItemToArray(l, cJSON_Duplicate(item, true));
  } else {
    cJSON_AddItemToObject(out, f->wrap, cJSON_Duplicate(item, true));
  }
  return out;
}

/* Errors of a delete that say there is nothing to delete: an earlier run's
   call (given up, or killed before it was journaled) deleted it, or it went
   by other hands. Either way, what the delete wanted is so. */
static const struct {
  const char *text;
  bool prefix; /* else a suffix */
} gone_codes[] = {{"NotFound", false}, {"NotFoundException", false}, {"NotFoundFault", false},
                  {"NoSuch", true}};

bool resume_gone_code(const char *code) {
  size_t n = code ? strlen(code) : 0;
  for (size_t i = 0; n && i < sizeof gone_codes / sizeof *gone_codes; i++) {
    size_t k = strlen(gone_codes[i].text);
    if (n >= k && !strncmp(gone_codes[i].prefix ? code : code + n - k, gone_codes[i].text, k))
      return true;
  }
  return false;
}

bool resume_done_code(const char *op, const char *code) {
  for (size_t i = 0; code && i < sizeof done_codes / sizeof *done_codes; i++)
    if (!strcmp(done_codes[i].op, op) && !strcmp(done_codes[i].code, code))
      return true;
  return false;
}
