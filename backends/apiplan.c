/* apiplan.c: resources as AWS API calls (infrac-plan/1). It walks the
   resources in dependency order and, for each, runs the calls of its row
   (apiplan_types.c; Cloud Control for a type without one), ordering each
   step after every step of what the resource refers to and depends on.
   Deletes and updates address the deployed resources by the captures of
   the state, or look them up (below). apiplan_int.h says which file holds
   what. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan_int.h"
#include "awstypes.h"
#include "planfile.h"
#include "planvalue.h"

void *step_no(const cJSON *step) {
  return (void *)(intptr_t)strtol(cJSON_GetObjectItem(step, "id")->valuestring + 1, NULL, 10);
}

/* A step number of capturer or last, NULL when none, as an id. */
static const char *step_name(char buf[24], const void *no) {
  if (!no)
    return NULL;
  snprintf(buf, 24, "s%d", (int)(intptr_t)no);
  return buf;
}

/* ---- names ---- */

const char *rname(Plan *p, const char *logical) {
  const char *n = p->opt->name_of ? p->opt->name_of(p->opt->ctx, logical) : NULL;
  return n ? n : logical;
}

/* A physical name where the API wants one and CloudFormation would have
   made one up: stack-name (stack-name-region for an account-wide name),
   '_' as '-', at most max characters; a longer one
   cut, and ended with a hash of the whole, so that two names alike in
   their first max characters (two target groups of a long stack name,
   32 at most) stay two. */
/* Types whose names are one namespace for every region of the account:
   their names carry the region too, so that the stack deployed to two
   regions does not collide with itself. */
static const char *const global_names[] = {"AWS::IAM::Role", "AWS::IAM::InstanceProfile"};

char *phys_name(Plan *p, const char *logical, size_t max, bool lower) {
  const char *type = type_of(p, p->tmpl, logical), *region = "";
  for (size_t i = 0; i < sizeof global_names / sizeof global_names[0]; i++)
    if (!strcmp(global_names[i], type))
      region = p->opt->region;
  char *s = NULL;
  if (asprintf(&s, "%s-%s%s%s", p->opt->stack, rname(p, logical), *region ? "-" : "", region) < 0)
    abort();
  for (char *c = s; *c; c++) {
    if (*c == '_')
      *c = '-';
    if (lower)
      *c = (char)tolower((unsigned char)*c);
  }
  if (strlen(s) > max && max > 8) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *c = s; *c; c++)
      h = (h ^ (unsigned char)*c) * 16777619u;
    size_t cut = max - 7;
    while (cut > 1 && s[cut - 1] == '-') /* RDS refuses "--" */
      cut--;
    snprintf(s + cut, 8, "-%06x", (unsigned)(h & 0xffffff));
  } else if (strlen(s) > max) {
    s[max] = '\0';
  }
  return s;
}

static void index_resources(StrMap *m, const cJSON *tmpl) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(tmpl, "Resources");
  for (cJSON *r = res ? res->child : NULL; r; r = r->next)
    strmap_put(m, r->string, r);
}

const cJSON *resource(const Plan *p, const cJSON *tmpl, const char *logical) {
  if (tmpl == p->new_t || tmpl == p->deployed)
    return strmap_get(tmpl == p->new_t ? &p->new_res : &p->old_res, logical);
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tmpl, "Resources"),
                                          logical);
}

const char *type_of(const Plan *p, const cJSON *tmpl, const char *logical) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(resource(p, tmpl, logical), "Type");
  return cJSON_IsString(t) ? t->valuestring : "";
}

/* What Ref of a resource stands for, as a capture suffix: its row's, and
   for a type without one (Cloud Control) its primary identifier. */
const char *ref_attr(const char *type) {
  const NativeType *t = native_type(type);
  return t ? t->ref : "id";
}

/* GetAtt attribute names as capture suffixes: AllocationId -> allocation_id. */
char *snake(const char *attr) {
  static const struct {
    const char *from, *to;
  } special[] = {{"GroupId", "id"},           {"CanonicalHostedZoneID", "zone_id"},
                 {"DNSName", "dns_name"},
                 {"RepositoryUri", "uri"},    {"Endpoint.Address", "address"},
                 {"Endpoint.Port", "port"},   {"PrivateIp", "private_ip"},
                 {"LoadBalancerArn", "arn"},  {"TaskDefinitionArn", "arn"},
                 {"Name", "name"},            {"Arn", "arn"},
                 {"MasterUserSecret.SecretArn", "password_secret"}};
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    if (!strcmp(special[i].from, attr))
      return strdup(special[i].to);
  size_t n = strlen(attr);
  char *s = malloc(n * 2 + 1), *o = s;
  for (size_t i = 0; i < n; i++) {
    char c = attr[i];
    if (c == '.') {
      *o++ = '_';
      continue;
    }
    if (isupper((unsigned char)c) && i && islower((unsigned char)attr[i - 1]))
      *o++ = '_';
    *o++ = (char)tolower((unsigned char)c);
  }
  *o = '\0';
  return s;
}

/* ---- steps ---- */

typedef struct {
  Plan *p;
  cJSON *deps;
} DepsOf;

static void add_dep(void *ctx, const char *name) {
  DepsOf *d = ctx;
  char buf[24];
  const char *by = step_name(buf, strmap_get(&d->p->capturer, name));
  if (!by)
    return;
  for (const cJSON *e = d->deps->child; e; e = e->next)
    if (!strcmp(e->valuestring, by))
      return;
  cJSON_AddItemToArray(d->deps, cJSON_CreateString(by));
}

/* Every capture in v whose capturing step is known, as a dependency. */
static void add_deps(Plan *p, const cJSON *v, cJSON *deps) {
  DepsOf d = {p, deps};
  pv_each_capture(v, add_dep, &d);
}

/* The declaration's file and line, from "FILE:LINE:COL", when known. */
static void add_where(Plan *p, cJSON *s) {
  const char *w = p->opt->where ? p->opt->where(p->opt->ctx, rname(p, p->logical)) : NULL;
  const char *col = w ? strrchr(w, ':') : NULL, *line = col;
  while (line && line > w && line[-1] != ':')
    line--;
  if (!line || line == w)
    return;
  char *file = strndup(w, (size_t)(line - 1 - w));
  cJSON_AddStringToObject(s, "file", file);
  cJSON_AddNumberToObject(s, "line", atoi(line));
  free(file);
}

cJSON *new_step(Plan *p, const char *service, const char *op, cJSON *params) {
  if (p->deployed)
    settle(p, params, p->deployed);
  char id[32];
  snprintf(id, sizeof id, "s%d", ++p->nsteps);
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "id", id);
  cJSON_AddStringToObject(s, "resource", rname(p, p->logical));
  cJSON_AddStringToObject(s, "logical_id", p->logical);
  add_where(p, s);
  cJSON_AddStringToObject(s, "type", p->type);
  cJSON_AddStringToObject(s, "action", p->action);
  cJSON_AddStringToObject(s, "service", service);
  cJSON_AddStringToObject(s, "operation", op);
  cJSON_AddItemToObject(s, "params", params);
  cJSON *deps = cJSON_AddArrayToObject(s, "depends_on");
  char buf[24];
  const char *prev = step_name(buf, strmap_get(&p->last, p->logical));
  if (prev)
    cJSON_AddItemToArray(deps, cJSON_CreateString(prev));
  for (const cJSON *d = p->extra_deps ? p->extra_deps->child : NULL; d; d = d->next) {
    bool have = false;
    for (const cJSON *e = deps->child; e; e = e->next)
      have |= !strcmp(e->valuestring, d->valuestring);
    if (!have)
      cJSON_AddItemToArray(deps, cJSON_CreateString(d->valuestring));
  }
  add_deps(p, params, deps);
  cJSON_AddObjectToObject(s, "captures");
  cJSON_AddItemToArray(p->steps, s);
  strmap_put(&p->last, p->logical, step_no(s));
  return s;
}

void capture(Plan *p, cJSON *step, const char *attr, const char *path) {
  char name[256];
  snprintf(name, sizeof name, "%s.%s", rname(p, p->logical), attr);
  cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(step, "captures"), name, path);
  strmap_put(&p->capturer, name, step_no(step));
}

void wait_for(cJSON *step, const char *waiter) {
  cJSON_AddStringToObject(step, "wait", waiter);
}

/* ---- deployed resources: from the state, or looked up ---- */

/* The name of an existing resource where the name is its identity. */
static char *known_name(Plan *p, const cJSON *props, const char *prop_name, size_t max, bool lower) {
  const cJSON *v = prop(props, prop_name);
  if (v) {
    cJSON *x = conv(p, v);
    char *s = strdup(cJSON_IsString(x) ? x->valuestring : "");
    cJSON_Delete(x);
    return s;
  }
  return phys_name(p, p->logical, max, lower);
}

static cJSON *tag_filters(Plan *p, const char *logical) {
  cJSON *f = cJSON_CreateArray();
  const char *keys[] = {"tag:aws:cloudformation:stack-name", "tag:aws:cloudformation:logical-id"};
  const char *vals[] = {p->opt->stack, logical};
  for (int i = 0; i < 2; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Name", keys[i]);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "Values"), cJSON_CreateString(vals[i]));
    cJSON_AddItemToArray(f, o);
  }
  return f;
}

typedef struct {
  const char *type, *attr, *service, *op, *path;
  const char *param; /* the lookup's parameter: Filters (EC2 tags), a name, or by's value */
  const char *name_prop; size_t max; bool lower; bool list;
  const char *by; /* the param holds this capture of the resource (provided in turn) */
} Lookup;

static const Lookup lookups[] = {
    {"AWS::EC2::VPC", "id", "ec2", "DescribeVpcs", "Vpcs[0].VpcId", "Filters", 0, 0, 0, 0, NULL},
    {"AWS::EC2::Subnet", "id", "ec2", "DescribeSubnets", "Subnets[0].SubnetId", "Filters", 0, 0, 0, 0, NULL},
    {"AWS::EC2::InternetGateway", "id", "ec2", "DescribeInternetGateways",
     "InternetGateways[0].InternetGatewayId", "Filters", 0, 0, 0, 0, NULL},
    {"AWS::EC2::NatGateway", "id", "ec2", "DescribeNatGateways", "NatGateways[0].NatGatewayId",
     "Filter", 0, 0, 0, 0, NULL},
    {"AWS::EC2::RouteTable", "id", "ec2", "DescribeRouteTables", "RouteTables[0].RouteTableId",
     "Filters", 0, 0, 0, 0, NULL},
    {"AWS::EC2::SecurityGroup", "id", "ec2", "DescribeSecurityGroups", "SecurityGroups[0].GroupId",
     "Filters", 0, 0, 0, 0, NULL},
    {"AWS::EC2::EIP", "allocation_id", "ec2", "DescribeAddresses", "Addresses[0].AllocationId",
     "Filters", 0, 0, 0, 0, NULL},
    {"AWS::EC2::EIP", "address", "ec2", "DescribeAddresses", "Addresses[0].PublicIp", "Filters", 0,
     0, 0, 0, NULL},
    {"AWS::EC2::Instance", "id", "ec2", "DescribeInstances",
     "Reservations[0].Instances[0].InstanceId", "Filters", 0, 0, 0, 0, NULL},
    {"AWS::IAM::Role", "arn", "iam", "GetRole", "Role.Arn", "RoleName", NULL, 0, 0, 0, "name"},
    {"AWS::Route53::HostedZone", "id", "route53", "ListHostedZonesByName", "HostedZones[0].Id",
     "DNSName", "Name", 255, 0, 0, NULL},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "arn", "elbv2", "DescribeTargetGroups",
     "TargetGroups[0].TargetGroupArn", "Names", "Name", 32, 0, 1, NULL},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "arn", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].LoadBalancerArn", "Names", "Name", 32, 0, 1, NULL},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "dns_name", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].DNSName", "Names", "Name", 32, 0, 1, NULL},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "zone_id", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].CanonicalHostedZoneId", "Names", "Name", 32, 0, 1, NULL},
    {"AWS::ECR::Repository", "uri", "ecr", "DescribeRepositories", "repositories[0].repositoryUri",
     "repositoryNames", "RepositoryName", 256, 1, 1, NULL},
    {"AWS::ECS::Cluster", "arn", "ecs", "DescribeClusters", "clusters[0].clusterArn", "clusters",
     "ClusterName", 255, 0, 1, NULL},
    {"AWS::ECS::TaskDefinition", "arn", "ecs", "DescribeTaskDefinition",
     "taskDefinition.taskDefinitionArn", "taskDefinition", "Family", 255, 0, 0, NULL},
    {"AWS::RDS::DBInstance", "address", "rds", "DescribeDBInstances",
     "DBInstances[0].Endpoint.Address", "DBInstanceIdentifier", "DBInstanceIdentifier", 63, 1, 0, NULL},
    {"AWS::RDS::DBInstance", "port", "rds", "DescribeDBInstances", "DBInstances[0].Endpoint.Port",
     "DBInstanceIdentifier", "DBInstanceIdentifier", 63, 1, 0, NULL},
    {"AWS::RDS::DBInstance", "arn", "rds", "DescribeDBInstances", "DBInstances[0].DBInstanceArn",
     "DBInstanceIdentifier", "DBInstanceIdentifier", 63, 1, 0, NULL},
    {"AWS::ECR::Repository", "arn", "ecr", "DescribeRepositories", "repositories[0].repositoryArn",
     "repositoryNames", "RepositoryName", 256, 1, 1, NULL},
    {"AWS::RDS::DBInstance", "password_secret", "rds", "DescribeDBInstances",
     "DBInstances[0].MasterUserSecret.SecretArn", "DBInstanceIdentifier", "DBInstanceIdentifier",
     63, 1, 0, NULL},
    {"AWS::IAM::InstanceProfile", "arn", "iam", "GetInstanceProfile", "InstanceProfile.Arn",
     "InstanceProfileName", NULL, 0, 0, 0, "name"},
    {"AWS::Logs::LogGroup", "arn", "logs", "DescribeLogGroups", "logGroups[0].arn",
     "logGroupNamePrefix", NULL, 0, 0, 0, "name"},
    {"AWS::CertificateManager::Certificate", "validation_name", "acm", "DescribeCertificate",
     "Certificate.DomainValidationOptions[0].ResourceRecord.Name", "CertificateArn", NULL, 0, 0, 0,
     "arn"},
    {"AWS::CertificateManager::Certificate", "validation_value", "acm", "DescribeCertificate",
     "Certificate.DomainValidationOptions[0].ResourceRecord.Value", "CertificateArn", NULL, 0, 0,
     0, "arn"},
    /* by what Ref stands for, where the template gives no name (above) */
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "dns_name", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].DNSName", "LoadBalancerArns", NULL, 0, 0, 1, "arn"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "zone_id", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].CanonicalHostedZoneId", "LoadBalancerArns", NULL, 0, 0, 1, "arn"},
    {"AWS::ECS::Cluster", "arn", "ecs", "DescribeClusters", "clusters[0].clusterArn", "clusters",
     NULL, 0, 0, 1, "name"},
    {"AWS::ECR::Repository", "uri", "ecr", "DescribeRepositories", "repositories[0].repositoryUri",
     "repositoryNames", NULL, 0, 0, 1, "name"},
    {"AWS::ECR::Repository", "arn", "ecr", "DescribeRepositories", "repositories[0].repositoryArn",
     "repositoryNames", NULL, 0, 0, 1, "name"},
    {"AWS::RDS::DBInstance", "address", "rds", "DescribeDBInstances",
     "DBInstances[0].Endpoint.Address", "DBInstanceIdentifier", NULL, 0, 0, 0, "id"},
    {"AWS::RDS::DBInstance", "port", "rds", "DescribeDBInstances", "DBInstances[0].Endpoint.Port",
     "DBInstanceIdentifier", NULL, 0, 0, 0, "id"},
    {"AWS::RDS::DBInstance", "arn", "rds", "DescribeDBInstances", "DBInstances[0].DBInstanceArn",
     "DBInstanceIdentifier", NULL, 0, 0, 0, "id"},
    {"AWS::RDS::DBInstance", "password_secret", "rds", "DescribeDBInstances",
     "DBInstances[0].MasterUserSecret.SecretArn", "DBInstanceIdentifier", NULL, 0, 0, 0, "id"},
};

/* Lookups by a name whose answer is a list that starts at the name: it may
   hold other names after it, or two of that name (a public and a private
   zone). The item is the one whose member is the name (with a final dot,
   as Route 53 writes names), and apply refuses a list with none or two
   rather than guess (the step's captures_where). */
static const struct {
  const char *type, *attr, *member;
} lookup_where[] = {{"AWS::Route53::HostedZone", "id", "Name"}};

/* What no row above looks up, a stack CloudFormation deployed says itself:
   the physical ID (what Ref stands for) of each logical ID. A row that
   finds the resource by its name (name_prop) serves only where the
   template gives the name: where it does not, CloudFormation made one up
   (a target group's "webap-ApiTg-1X2Y3Z"), which no guess finds, and the
   stack says the ID; the other attributes are then read by that ID (the
   rows with by). */
static const Lookup by_stack = {NULL, NULL, "cloudformation", "DescribeStackResource",
                                "StackResourceDetail.PhysicalResourceId", "LogicalResourceId",
                                NULL, 0, 0, 0, NULL};

/* Captures that are another capture of the type with a prefix cut off
   (the step's "captures_trimmed"): Route 53 returns a zone's ID as
   "/hostedzone/Z1", which ChangeTagsForResource takes as "Z1" (botocore
   cuts the prefix only for the shapes it knows, not TagResourceId). */
static const struct {
  const char *type, *attr, *of, *prefix;
} trimmed_captures[] = {
    {"AWS::Route53::HostedZone", "bare_id", "id", "/hostedzone/"},
};

/* Names that are the identity of the resource, and the property holding them. */
static const struct {
  const char *type, *attr, *prop;
  size_t max;
  bool lower;
} identity_names[] = {
    {"AWS::IAM::Role", "name", "RoleName", 64, false},
    {"AWS::IAM::InstanceProfile", "name", "InstanceProfileName", 128, false},
    {"AWS::RDS::DBSubnetGroup", "name", "DBSubnetGroupName", 255, true},
    {"AWS::RDS::DBParameterGroup", "name", "DBParameterGroupName", 255, true},
    {"AWS::RDS::DBInstance", "id", "DBInstanceIdentifier", 63, true},
    {"AWS::ECR::Repository", "name", "RepositoryName", 256, true},
    {"AWS::ECS::Cluster", "name", "ClusterName", 255, false},
    {"AWS::ECS::Service", "name", "ServiceName", 255, false},
};

/* The path, into the properties GetResource returns as JSON text, of the
   attribute of a type whose capture is attr ("domain_name": DomainName). */
static bool cc_attr_path(const char *type, const char *attr, char path[300]) {
  const AwsType *t = aws_type_find(type);
  for (size_t i = 0; t && i < t->nattrs; i++) {
    char *name = snake(t->attrs[i].name);
    bool same = !strcmp(name, attr);
    free(name);
    if (same && strlen(t->attrs[i].name) < 200) {
      snprintf(path, 300, "ResourceDescription.Properties#/%s", t->attrs[i].name);
      for (char *c = strchr(path, '#'); (c = strchr(c, '.'));)
        *c = '/'; /* Endpoint.Address: /Endpoint/Address */
      return true;
    }
  }
  return false;
}

static void known_put(Plan *p, const char *cap, const char *value) {
  char *v = strdup(value);
  if (!v)
    abort();
  free(strmap_get(&p->known, cap));
  strmap_put(&p->known, cap, v);
}

/* An earlier step that makes this read (a lookup: the same call with the
   same params), which another capture of the same answer can share: a
   balancer's DNS name and zone are one DescribeLoadBalancers. */
static cJSON *same_read(Plan *p, const char *service, const char *op, const cJSON *params) {
  for (cJSON *s = p->steps->child; s; s = s->next) {
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(s, "service");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(s, "operation");
    if (cJSON_IsString(sv) && !strcmp(sv->valuestring, service) && cJSON_IsString(o) &&
        !strcmp(o->valuestring, op) && cJSON_Compare(cJSON_GetObjectItemCaseSensitive(s, "params"), params, true))
      return s;
  }
  return NULL;
}

/* s's member key, an object, made when it has none. */
static cJSON *member_object(cJSON *s, const char *key) {
  cJSON *o = cJSON_GetObjectItemCaseSensitive(s, key);
  return o ? o : cJSON_AddObjectToObject(s, key);
}

/* Makes ${cap} (name.attr of a deployed resource) available for the step
   at hand: from the state, as a name, or by a lookup step, its own or one
   an earlier capture made of the same answer. */
static bool provide(Plan *p, const cJSON *deployed, const char *logical,
                    const char *attr, const char *cap) {
  if (strmap_get(&p->known, cap) ||
      strmap_get(&p->capturer, cap))
    return true;
  const char *type = type_of(p, deployed, logical), *trim = NULL;
  for (size_t i = 0; i < sizeof trimmed_captures / sizeof *trimmed_captures && !trim; i++)
    if (!strcmp(trimmed_captures[i].type, type) && !strcmp(trimmed_captures[i].attr, attr)) {
      trim = trimmed_captures[i].prefix;
      attr = trimmed_captures[i].of; /* known, read or looked up as that one, then cut */
    }
  const cJSON *entry = cJSON_GetObjectItemCaseSensitive(p->opt->state, logical);
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(entry, "captures");
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, attr);
  /* the old resource of a replacement an earlier run left half done: its
     captures were replaced by the new one's (journal.h) */
  const cJSON *was = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(entry, "was"), attr);
  if (!strncmp(cap, "was.", 4) && cJSON_IsString(was))
    v = was;
  if (cJSON_IsString(v)) {
    const char *s = v->valuestring;
    known_put(p, cap, trim && !strncmp(s, trim, strlen(trim)) ? s + strlen(trim) : s);
    return true;
  }
  const cJSON *props =
      cJSON_GetObjectItemCaseSensitive(resource(p, deployed, logical), "Properties");
  /* names are the deployed resource's; the step is the served one's */
  const char *served = p->logical;
  const cJSON *saved_tmpl = p->tmpl;
  p->logical = logical;
  p->tmpl = deployed;
  bool ok = false;
  if (!strcmp(type, "AWS::Logs::LogGroup") && !strcmp(attr, "name")) { /* named as created */
    cJSON *n = log_group_name(p, logical);
    known_put(p, cap, cJSON_IsString(n) ? n->valuestring : "");
    cJSON_Delete(n);
    ok = true;
  }
  /* a name the template leaves to CloudFormation is CloudFormation's: the
     stack says it (below) */
  for (size_t i = 0; i < sizeof identity_names / sizeof identity_names[0] && !ok; i++)
    if (!strcmp(identity_names[i].type, type) && !strcmp(identity_names[i].attr, attr) &&
        (prop(props, identity_names[i].prop) || strcmp(attr, ref_attr(type)))) {
      char *n = known_name(p, props, identity_names[i].prop, identity_names[i].max,
                           identity_names[i].lower);
      known_put(p, cap, n);
      free(n);
      ok = true;
    }
  cJSON *params = NULL, *where = NULL;
  const Lookup *l = NULL;
  char in_text[300];
  for (size_t i = 0; i < sizeof lookups / sizeof lookups[0] && !ok && !l; i++)
    if (!strcmp(lookups[i].type, type) && !strcmp(lookups[i].attr, attr) &&
        (!lookups[i].name_prop || prop(props, lookups[i].name_prop)))
      l = &lookups[i]; /* by a name only where the template gives it (below) */
  if (!ok && !l && !strcmp(attr, ref_attr(type)))
    l = &by_stack;
  if (l) {
    params = cJSON_CreateObject();
    if (l == &by_stack) {
      cJSON_AddStringToObject(params, "StackName", p->opt->stack);
      cJSON_AddStringToObject(params, l->param, logical);
    } else if (l->by && l->list) {
      cJSON_AddItemToArray(cJSON_AddArrayToObject(params, l->param),
                           placeholder(p, logical, l->by));
    } else if (l->by) {
      cJSON_AddItemToObject(params, l->param, placeholder(p, logical, l->by));
    } else if (!l->name_prop) {
      cJSON_AddItemToObject(params, l->param, tag_filters(p, logical));
    } else {
      char *n = known_name(p, props, l->name_prop, l->max, l->lower);
      for (size_t i = 0; i < sizeof lookup_where / sizeof *lookup_where && !where; i++)
        if (!strcmp(lookup_where[i].type, type) && !strcmp(lookup_where[i].attr, attr)) {
          size_t len = strlen(n);
          char *dotted = NULL;
          if (asprintf(&dotted, "%s%s", n, len && n[len - 1] == '.' ? "" : ".") < 0)
            abort();
          where = cJSON_CreateObject();
          cJSON_AddStringToObject(where, lookup_where[i].member, dotted);
          free(dotted);
        }
      if (l->list)
        cJSON_AddItemToArray(cJSON_AddArrayToObject(params, l->param), cJSON_CreateString(n));
      else
        cJSON_AddStringToObject(params, l->param, n);
      free(n);
    }
  } else if (!ok && !native_type(type) && cc_attr_path(type, attr, in_text)) {
    /* an attribute of a Cloud Control type: its properties, by its identifier */
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "TypeName", type);
    cJSON_AddItemToObject(params, "Identifier", placeholder(p, logical, "id"));
  }
  p->logical = served;
  p->tmpl = saved_tmpl;
  if (params) {
    const char *service = l ? l->service : "cloudcontrol", *op = l ? l->op : "GetResource";
    cJSON *s = same_read(p, service, op, params);
    if (s)
      cJSON_Delete(params);
    else
      s = new_step(p, service, op, params);
    cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(s, "captures"), cap,
                            l ? l->path : in_text);
    if (trim)
      cJSON_AddStringToObject(member_object(s, "captures_trimmed"), cap, trim);
    if (where)
      cJSON_AddItemToObject(member_object(s, "captures_where"), cap, where);
    strmap_put(&p->capturer, cap, step_no(s));
    ok = true;
  }
  if (!ok && !p->error &&
      asprintf(&p->error, "the %s of deployed %s (%s) is unknown: plan against the state file "
                          "that `infrac apply` writes",
               attr, logical, type) < 0)
    abort();
  return ok;
}

/* The deployed resource a plan name names; the first, as the template
   orders them, when two share it. */
static const char *deployed_named(Plan *p, const char *name) {
  if (!p->deployed_names.n) {
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(p->deployed, "Resources");
    for (const cJSON *r = all ? all->child : NULL; r; r = r->next)
      if (!strmap_get(&p->deployed_names, rname(p, r->string)))
        strmap_put(&p->deployed_names, rname(p, r->string), r->string);
  }
  return strmap_get(&p->deployed_names, name);
}

/* A capture of a resource that no step of this plan makes: its known
   value, else provided by a step before the one that needs it. */
static const char *settle_capture(Plan *p, const char *name, const cJSON *deployed) {
  const char *lit = strmap_get(&p->known, name);
  const char *dot = strrchr(name, '.');
  if (!lit && dot && strncmp(name, "param.", 6) && !strmap_get(&p->capturer, name)) {
    /* [was.]name.attr of a deployed resource: find its logical ID */
    const char *base = strncmp(name, "was.", 4) ? name : name + 4;
    char *res = strndup(base, (size_t)(dot - base));
    const char *logical = deployed_named(p, res);
    if (logical)
      provide(p, deployed, logical, dot + 1, name);
    free(res);
    lit = strmap_get(&p->known, name);
  }
  return lit;
}

/* Puts x in c's place in v, under c's key. */
static void replace_in(cJSON *v, cJSON *c, cJSON *x) {
  if (cJSON_IsObject(v))
    cJSON_ReplaceItemInObjectCaseSensitive(v, c->string, x);
  else
    cJSON_ReplaceItemViaPointer(v, c, x);
}

/* v with the captures of deployed resources settled: known values are
   written in (v is replaced in its parent), the others provided. */
void settle(Plan *p, cJSON *v, const cJSON *deployed) {
  for (cJSON *c = v && (cJSON_IsArray(v) || cJSON_IsObject(v)) ? v->child : NULL, *next; c; c = next) {
    next = c->next;
    const char *name = pv_capture_name(c);
    const char *lit = name ? settle_capture(p, name, deployed) : NULL;
    if (lit) {
      replace_in(v, c, cJSON_CreateString(lit));
    } else if (pv_join_parts(c)) {
      settle(p, c->child, deployed);
      cJSON *joined = pv_join(cJSON_DetachItemViaPointer(c, c->child));
      replace_in(v, c, joined);
    } else if (!name) {
      settle(p, c, deployed);
    }
  }
}

/* ---- order ---- */

typedef struct {
  int *v, n, cap;
} Ints;

static void ints_push(Ints *a, int x) {
  if (a->n == a->cap && !(a->v = realloc(a->v, sizeof(int) * (size_t)(a->cap = a->cap ? a->cap * 2 : 8))))
    abort();
  a->v[a->n++] = x;
}

/* Adds the index of resource name (ids holds index + 1) when there is one. */
static void ref_to(const StrMap *ids, const char *name, Ints *out) {
  void *at = strmap_get(ids, name);
  if (at)
    ints_push(out, (int)(intptr_t)at - 1);
}

/* The indexes of the resources v refers to: Ref, Fn::GetAtt (in the parts
   of an interpolated string too), DependsOn. */
static void collect_refs(const cJSON *v, const StrMap *ids, Ints *out) {
  const char *key = v->string;
  if (key && cJSON_IsString(v) && (!strcmp(key, "Ref") || !strcmp(key, "DependsOn"))) {
    ref_to(ids, v->valuestring, out);
  } else if (key && cJSON_IsArray(v) && !strcmp(key, "Fn::GetAtt")) {
    if (cJSON_IsString(v->child))
      ref_to(ids, v->child->valuestring, out);
  } else if (key && cJSON_IsArray(v) && !strcmp(key, "DependsOn")) {
    for (const cJSON *c = v->child; c; c = c->next)
      if (cJSON_IsString(c))
        ref_to(ids, c->valuestring, out);
  } else {
    for (const cJSON *c = v->child; c; c = c->next)
      collect_refs(c, ids, out);
  }
}

static int int_cmp(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

/* A min-heap of indexes: among the resources free to go, template order. */
static void heap_push(int *h, int *n, int v) {
  int i = (*n)++;
  for (; i > 0 && h[(i - 1) / 2] > v; i = (i - 1) / 2)
    h[i] = h[(i - 1) / 2];
  h[i] = v;
}

static int heap_pop(int *h, int *n) {
  int top = h[0], v = h[--*n], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= *n)
      break;
    if (c + 1 < *n && h[c + 1] < h[c])
      c++;
    if (h[c] >= v)
      break;
    h[i] = h[c];
    i = c;
  }
  h[i] = v;
  return top;
}

/* Who refers to whom in a template: its resources in template order, and
   for each the indexes of the resources that refer to it (each once). */
typedef struct {
  const cJSON **all;
  Ints *users;
  int n;
  StrMap ids; /* logical ID -> index + 1 */
} RefGraph;

static void graph_build(RefGraph *g, const cJSON *tmpl) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(tmpl, "Resources");
  int i = 0;
  *g = (RefGraph){0};
  g->n = cJSON_GetArraySize(res);
  g->all = calloc((size_t)g->n + 1, sizeof *g->all);
  g->users = calloc((size_t)g->n + 1, sizeof *g->users);
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next, i++) {
    g->all[i] = r;
    strmap_put(&g->ids, r->string, (void *)(intptr_t)(i + 1));
  }
  Ints uses_of = {0};
  for (i = 0; i < g->n; i++) {
    uses_of.n = 0;
    collect_refs(g->all[i], &g->ids, &uses_of);
    if (uses_of.n)
      qsort(uses_of.v, (size_t)uses_of.n, sizeof(int), int_cmp);
    for (int j = 0; j < uses_of.n; j++)
      if (uses_of.v[j] != i && !(j > 0 && uses_of.v[j] == uses_of.v[j - 1]))
        ints_push(&g->users[uses_of.v[j]], i);
  }
  free(uses_of.v);
}

static void graph_free(RefGraph *g) {
  for (int i = 0; i < g->n; i++)
    free(g->users[i].v);
  free(g->users);
  free(g->all);
  strmap_free(&g->ids);
}

/* The resources of g in an order where each comes after what it uses
   (stable: template order among the free ones); Kahn's algorithm, so that
   100,000 resources take linear time. */
static const cJSON **topo(const RefGraph *g) {
  int n = g->n, k = 0;
  const cJSON **out = calloc((size_t)n + 1, sizeof *out);
  int *pending = calloc((size_t)n + 1, sizeof(int)); /* what each still waits for */
  int *heap = calloc((size_t)n + 1, sizeof(int)), nheap = 0;
  bool *done = calloc((size_t)n + 1, 1);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < g->users[i].n; j++)
      pending[g->users[i].v[j]]++;
  for (int i = 0; i < n; i++)
    if (!pending[i])
      heap_push(heap, &nheap, i);
  int next_forced = 0;
  while (k < n) {
    if (!nheap) { /* a cycle: CloudFormation would refuse it too */
      while (done[next_forced])
        next_forced++;
      pending[next_forced] = 0;
      heap_push(heap, &nheap, next_forced);
    }
    int v = heap_pop(heap, &nheap);
    if (done[v])
      continue;
    done[v] = true;
    out[k++] = g->all[v];
    for (int j = 0; j < g->users[v].n; j++)
      if (!done[g->users[v].v[j]] && --pending[g->users[v].v[j]] == 0)
        heap_push(heap, &nheap, g->users[v].v[j]);
  }
  free(pending);
  free(heap);
  free(done);
  return out;
}

static const DiffResource *diff_of(const Plan *p, const char *logical) {
  return strmap_get(&p->diff_res, logical);
}

/* The logical ID a property such as {"Ref": X} or {"Fn::GetAtt": [X, A]}
   names, or NULL. */
static const char *ref_target(const cJSON *v) {
  const cJSON *ref = cJSON_GetObjectItemCaseSensitive(v, "Ref");
  const cJSON *att = cJSON_GetObjectItemCaseSensitive(v, "Fn::GetAtt");
  return cJSON_IsString(ref) ? ref->valuestring
         : att && cJSON_IsString(att->child) ? att->child->valuestring
                                              : NULL;
}

/* A replacement made before its old resource is deleted: the row's
   new_first, or one whose identity changes (a property of the schema's
   primary identifier: a cluster or an instance profile renamed, a service
   moved to another cluster): the two do not collide, so what uses the old
   moves to the new before the old goes, as CloudFormation orders it. */
static bool new_first(const DiffResource *d) {
  const NativeType *t = native_type(d->type);
  if (t && t->new_first)
    return true;
  const AwsType *schema = t ? aws_type_find(d->type) : NULL;
  for (const char *const *id = schema ? schema->primary_id : NULL; id && *id; id++)
    for (int j = 0; j < d->nprops; j++)
      if (!strcmp(*id, d->props[j].path))
        return true;
  return false;
}

static bool goes_away(const Plan *p, const cJSON *v) {
  const char *id = ref_target(v);
  if (!id)
    return false;
  if (p->deployed && !resource(p, p->deployed, id))
    return true; /* an earlier, interrupted run deleted it */
  const DiffResource *o = strmap_get(&p->diff_res, id);
  return o && (o->action == DIFF_DELETE || o->action == DIFF_REPLACE);
}

/* A companion that goes away with the resource it belongs to needs no call:
   a route with its table, a rule with its group, a listener with its load
   balancer, a subnet's association with its subnet, unless its route table
   goes too (a table is deleted only once nothing is associated with it). */
static bool goes_with_owner(const Plan *p, const char *type, const cJSON *r) {
  const NativeType *t = native_type(type);
  if (!t || !t->owner)
    return false;
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
  return goes_away(p, cJSON_GetObjectItemCaseSensitive(props, t->owner)) &&
         !(t->unless && goes_away(p, cJSON_GetObjectItemCaseSensitive(props, t->unless)));
}

/* ---- the rows' calls ---- */

/* A type with a native row, else one of the registry (Cloud Control's). */
static bool plannable(Plan *p, const NativeType *t) {
  if (t || aws_type_find(p->type))
    return true;
  if (!p->error && asprintf(&p->error, "no API plan for %s: %s is no type of the CloudFormation "
                                       "registry", p->logical, p->type) < 0)
    abort();
  return false;
}

static void create(Plan *p, const cJSON *props) {
  const NativeType *t = native_type(p->type);
  if (t)
    t->create(p, props);
  else if (plannable(p, t))
    cc_create(p, props);
}

static void delete(Plan *p, const cJSON *props) {
  const NativeType *t = native_type(p->type);
  if (t && t->delete_fn)
    t->delete_fn(p, props);
  else if (t)
    delete_by_call(p, &t->delete_call);
  else if (plannable(p, t))
    cc_delete(p, props);
}

/* Each group of changed properties once, in the order of its first;
   a type without a row patches them all in one Cloud Control request. */
static void update(Plan *p, const DiffResource *r, const cJSON *props) {
  const NativeType *t = native_type(p->type);
  if (!t) {
    if (plannable(p, t))
      cc_update(p, r, props);
    return;
  }
  for (int i = 0; i < r->nprops && !p->error; i++) {
    const char *k = r->props[i].path;
    const NativeUpdate *u = native_update_of(t, k);
    if (!u) {
      if (asprintf(&p->error, "no API call updates %s of %s (%s) in place", k, p->logical,
                   p->type) < 0)
        abort();
      break;
    }
    bool done = false;
    for (int j = 0; j < i; j++)
      done |= native_update_of(t, r->props[j].path) == u;
    if (!done)
      u->fn(p, r, props, u);
  }
}

static void run_delete(Plan *p, const cJSON *r, const char *action) {
  p->logical = r->string;
  p->type = type_of(p, p->deployed, r->string);
  p->action = action;
  p->tmpl = p->deployed;
  delete(p, cJSON_GetObjectItemCaseSensitive(r, "Properties"));
}

/* The old resource's ID, of one replaced new first, read before the new
   one exists: a lookup after it would find the new (a family's latest
   task definition revision). */
static void keep_old_id(Plan *p, const cJSON *r) {
  p->logical = r->string;
  p->type = type_of(p, p->deployed, r->string);
  p->action = "replace";
  p->tmpl = p->deployed;
  const NativeType *t = native_type(p->type);
  cJSON *v = cJSON_CreateArray();
  cJSON_AddItemToArray(v, placeholder(p, r->string, t->delete_call.attr ? t->delete_call.attr : t->ref));
  settle(p, v, p->deployed);
  cJSON_Delete(v);
}

/* Writes the steps made since the last call, if the plan is written as it
   goes, and frees them. */
static void flush(Plan *p) {
  if (!p->out)
    return;
  for (cJSON *s; (s = p->steps->child); cJSON_Delete(s)) {
    cJSON_DetachItemViaPointer(p->steps, s);
    planfile_write_step(s);
    json_out(p->out, p->written ? ",\n" : "\n");
    json_out_member(p->out, 2, NULL, s);
    json_out_spill(p->out);
    p->written = true;
  }
}

/* The steps into p->steps, or written to p->out resource by resource. */
static void plan_steps(Plan *p, const cJSON *new_t, const cJSON *old_t, const Diff *diff) {
  p->tmpl = p->new_t = new_t;
  p->steps = cJSON_CreateArray();
  index_resources(&p->new_res, new_t);
  index_resources(&p->old_res, old_t);
  for (int i = 0; diff && i < diff->n; i++)
    strmap_put(&p->diff_res, diff->res[i].logical_id, &diff->res[i]);
  RefGraph g, old_g = {0};
  graph_build(&g, new_t);
  if (old_t)
    graph_build(&old_g, old_t);
  int n_new = g.n, n_old = old_g.n;
  const cJSON **order = topo(&g), **old_order = topo(&old_g);
  Ints uses = {0};
  if (diff) {
    p->deployed = old_t;
    /* replaced resources go first, dependents before what they use */
    for (int i = n_old - 1; i >= 0; i--) {
      const DiffResource *d = diff_of(p, old_order[i]->string);
      if (d && d->action == DIFF_REPLACE && !d->retained && !new_first(d) &&
          !goes_with_owner(p, d->type, old_order[i])) {
        run_delete(p, old_order[i], "replace");
        flush(p);
      } else if (d && d->action == DIFF_REPLACE && !d->retained && new_first(d)) {
        keep_old_id(p, old_order[i]);
        flush(p);
      }
    }
  }
  for (int i = 0; i < n_new && !p->error; i++) {
    const cJSON *r = order[i];
    const DiffResource *d = diff ? diff_of(p, r->string) : NULL;
    if (diff && (!d || d->action == DIFF_NOOP))
      continue;
    p->logical = r->string;
    p->type = type_of(p, new_t, r->string);
    p->tmpl = new_t;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
    /* after every step of what it refers to and depends on, as
       CloudFormation waits for each to be complete */
    cJSON *deps = cJSON_CreateArray();
    uses.n = 0;
    collect_refs(r, &g.ids, &uses);
    for (int u = 0; u < uses.n; u++) {
      char buf[24];
      const char *by = step_name(buf, strmap_get(&p->last, g.all[uses.v[u]]->string));
      if (by && strcmp(g.all[uses.v[u]]->string, r->string))
        cJSON_AddItemToArray(deps, cJSON_CreateString(by));
    }
    p->extra_deps = deps;
    if (d && d->action == DIFF_UPDATE) {
      p->action = "update";
      update(p, d, props);
    } else {
      p->action = d && d->action == DIFF_REPLACE ? "replace" : "create";
      create(p, props);
    }
    p->extra_deps = NULL;
    cJSON_Delete(deps);
    flush(p);
  }
  if (diff) {
    /* removed resources last, after the updates that stopped using them;
       so are the old ones of those replaced new first. A resource that a
       companion uses (a target group a listener forwards to) waits for the
       companion's owner (the balancer whose deletion takes the listener):
       it is deferred until that owner's step exists. */
    int *deferred = calloc((size_t)n_old + 1, sizeof *deferred), ndeferred = 0;
    bool *held = calloc((size_t)n_old + 1, sizeof *held); /* used by a deferred one: deferred too */
    Ints refs = {0};
    for (int pass = 0; pass < 2 && !p->error; pass++) {
      int count = pass ? ndeferred : n_old;
      for (int k = 0; k < count && !p->error; k++) {
        int i = pass ? deferred[k] : n_old - 1 - k;
        const DiffResource *d = diff_of(p, old_order[i]->string);
        bool old_of_new = d && d->action == DIFF_REPLACE && new_first(d);
        if (!d || (d->action != DIFF_DELETE && !old_of_new) || d->retained ||
            goes_with_owner(p, d->type, old_order[i]))
          continue; /* a retained resource stays in AWS: no call */
        /* after the last step of each resource that uses it, or of the
           owner a companion goes with */
        cJSON *deps = cJSON_CreateArray();
        bool wait = false;
        const Ints *users = &old_g.users[(intptr_t)strmap_get(&old_g.ids, old_order[i]->string) - 1];
        for (int u = 0; u < users->n; u++) {
          char buf[24];
          const cJSON *user = old_g.all[users->v[u]];
          const char *by = step_name(buf, strmap_get(&p->last, user->string));
          const cJSON *ut = cJSON_GetObjectItemCaseSensitive(user, "Type");
          if (!by && cJSON_IsString(ut) && goes_with_owner(p, ut->valuestring, user)) {
            const NativeType *t = native_type(ut->valuestring);
            const char *owner = ref_target(cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(user, "Properties"), t->owner));
            by = owner ? step_name(buf, strmap_get(&p->last, owner)) : NULL;
            wait |= !by && !pass;
          }
          if (by)
            cJSON_AddItemToArray(deps, cJSON_CreateString(by));
        }
        int gi = (int)(intptr_t)strmap_get(&old_g.ids, old_order[i]->string) - 1;
        if (!pass && (wait || held[gi])) {
          deferred[ndeferred++] = i;
          refs.n = 0;
          collect_refs(old_order[i], &old_g.ids, &refs);
          for (int r = 0; r < refs.n; r++)
            held[refs.v[r]] = true;
          cJSON_Delete(deps);
          continue;
        }
        p->extra_deps = deps;
        run_delete(p, old_order[i], old_of_new ? "replace" : "delete");
        p->extra_deps = NULL;
        cJSON_Delete(deps);
        flush(p);
      }
    }
    free(deferred);
    free(held);
    free(refs.v);
  }
  free(uses.v);
  free(order);
  free(old_order);
  graph_free(&g);
  graph_free(&old_g);
  strmap_free(&p->capturer);
  strmap_free(&p->last);
  strmap_free(&p->new_res);
  strmap_free(&p->old_res);
  strmap_free(&p->diff_res);
  for (size_t i = 0; i < p->known.cap; i++)
    free(p->known.slots[i].val);
  strmap_free(&p->known);
  strmap_free(&p->deployed_names);
}

cJSON *apiplan_steps(const cJSON *new_t, const cJSON *old_t, const Diff *diff,
                     const ApiPlanOptions *opt) {
  Plan p = {.opt = opt};
  plan_steps(&p, new_t, old_t, diff);
  if (p.error) {
    cJSON_Delete(p.steps);
    cJSON *err = cJSON_CreateObject();
    cJSON_AddStringToObject(err, "error", p.error);
    free(p.error);
    return err;
  }
  return p.steps;
}

/* The document is written a piece at a time, each change and each step
   freed once written: as one tree, the plan of 100,000 resources took
   more than 1 GB. The layout is cfn_json_render's. */
bool apiplan_render(JsonOut *o, const cJSON *new_t, const cJSON *old_t, const Diff *diff,
                    const ApiPlanOptions *opt, const cJSON *tail, char **error) {
  cJSON *head = cJSON_CreateObject();
  cJSON_AddStringToObject(head, "format", "infrac-plan/1");
  cJSON_AddStringToObject(head, "stack", opt->stack);
  cJSON_AddStringToObject(head, "region", opt->region);
  diff_summary_json(diff, cJSON_AddObjectToObject(head, "summary"));
  json_out(o, "{\n");
  for (const cJSON *c = head->child; c; c = c->next) {
    json_out_member(o, 1, c->string, c);
    json_out(o, ",\n");
  }
  cJSON_Delete(head);
  json_out(o, "  \"changes\": [");
  bool any = false;
  for (int i = 0; i < diff->n; i++) {
    if (diff->res[i].action == DIFF_NOOP)
      continue;
    cJSON *c = diff_change_json(&diff->res[i], opt->name_of, opt->ctx);
    json_out(o, any ? ",\n" : "\n");
    json_out_member(o, 2, NULL, c);
    json_out_spill(o);
    cJSON_Delete(c);
    any = true;
  }
  json_out(o, any ? "\n  ],\n  \"steps\": [" : "],\n  \"steps\": [");
  Plan p = {.opt = opt, .out = o};
  plan_steps(&p, new_t, old_t, diff);
  cJSON_Delete(p.steps);
  if (p.error) {
    *error = p.error;
    return false;
  }
  json_out(o, p.written ? "\n  ]" : "]");
  for (const cJSON *c = tail ? tail->child : NULL; c; c = c->next) {
    json_out(o, ",\n");
    json_out_member(o, 1, c->string, c);
  }
  json_out(o, "\n}\n");
  json_out_flush(o);
  return true;
}

/* For the reads of what is deployed (awsread.c): the capture a Ref of a
   type stands for, and the one of a Fn::GetAtt attribute. */
const char *apiplan_ref_capture(const char *type) { return ref_attr(type); }
char *apiplan_attr_capture(const char *attr) { return snake(attr); }
