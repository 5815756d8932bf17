/* apiplan.c: resources as AWS API calls (infrac-plan/1). Each CloudFormation
   type has a function that turns its properties into the calls that create
   it, naming what later calls need as captures: Ref and Fn::GetAtt become
   {"$capture": "name.attr"} values (planvalue.h), Fn::Sub and Fn::Join
   {"$join": [...]} of text and captures. Deletes and updates address
   the deployed resources by the physical IDs of the state, or look them up. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "planvalue.h"
#include "strmap.h"

typedef struct {
  const ApiPlanOptions *opt;
  const cJSON *tmpl;     /* the template being translated */
  cJSON *steps;          /* the plan's steps */
  /* Step numbers (s12 is 12), not the steps' id strings: a written plan
     deletes its steps as it goes. */
  StrMap capturer;       /* capture name -> number of the step that makes it */
  StrMap last;           /* logical ID -> number of its last step */
  StrMap new_res, old_res; /* logical ID -> resource of new_t, of deployed */
  StrMap diff_res;         /* logical ID -> DiffResource */
  cJSON *extra_deps;     /* step ids the next step depends on */
  const char *logical;   /* the resource at hand */
  const char *type;
  const char *action;
  char *error;           /* the first thing that could not be planned */
  int nsteps;
  StrMap known;          /* capture name -> value (malloc'd) of a deployed resource */
  StrMap deployed_names; /* plan name -> logical ID of the deployed resources */
  JsonOut *out;          /* where finished steps are written, or NULL: kept in steps */
  bool written;          /* a step was written: the next needs a comma */
  const cJSON *deployed; /* the deployed template, for lookups */
  const cJSON *new_t;
} Plan;

static void settle(Plan *p, cJSON *v, const cJSON *deployed);

static void *step_no(const cJSON *step) {
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

static const char *rname(Plan *p, const char *logical) {
  const char *n = p->opt->name_of ? p->opt->name_of(p->opt->ctx, logical) : NULL;
  return n ? n : logical;
}

/* A physical name where the API wants one and CloudFormation would have
   made one up: stack-name, '_' as '-', at most max characters. */
static char *phys_name(Plan *p, const char *logical, size_t max, bool lower) {
  char *s = NULL;
  if (asprintf(&s, "%s-%s", p->opt->stack, rname(p, logical)) < 0)
    abort();
  for (char *c = s; *c; c++) {
    if (*c == '_')
      *c = '-';
    if (lower)
      *c = (char)tolower((unsigned char)*c);
  }
  if (strlen(s) > max)
    s[max] = '\0';
  return s;
}

static void index_resources(StrMap *m, const cJSON *tmpl) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(tmpl, "Resources");
  for (cJSON *r = res ? res->child : NULL; r; r = r->next)
    strmap_put(m, r->string, r);
}

static const cJSON *resource(const Plan *p, const cJSON *tmpl, const char *logical) {
  if (tmpl == p->new_t || tmpl == p->deployed)
    return strmap_get(tmpl == p->new_t ? &p->new_res : &p->old_res, logical);
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tmpl, "Resources"),
                                          logical);
}

static const char *type_of(const Plan *p, const cJSON *tmpl, const char *logical) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(resource(p, tmpl, logical), "Type");
  return cJSON_IsString(t) ? t->valuestring : "";
}

/* What Ref of a resource of each type returns, and the names of its
   Fn::GetAtt attributes, as capture suffixes. */
static const struct {
  const char *type, *ref;
} refs[] = {
    {"AWS::EC2::VPC", "id"},
    {"AWS::EC2::Subnet", "id"},
    {"AWS::EC2::InternetGateway", "id"},
    {"AWS::EC2::EIP", "address"},
    {"AWS::EC2::NatGateway", "id"},
    {"AWS::EC2::RouteTable", "id"},
    {"AWS::EC2::SubnetRouteTableAssociation", "id"},
    {"AWS::EC2::SecurityGroup", "id"},
    {"AWS::EC2::Instance", "id"},
    {"AWS::EC2::EIPAssociation", "id"},
    {"AWS::IAM::Role", "name"},
    {"AWS::IAM::InstanceProfile", "name"},
    {"AWS::RDS::DBSubnetGroup", "name"},
    {"AWS::RDS::DBParameterGroup", "name"},
    {"AWS::RDS::DBInstance", "id"},
    {"AWS::Route53::HostedZone", "id"},
    {"AWS::CertificateManager::Certificate", "arn"},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "arn"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "arn"},
    {"AWS::ElasticLoadBalancingV2::Listener", "arn"},
    {"AWS::ECR::Repository", "name"},
    {"AWS::ECS::Cluster", "name"},
    {"AWS::Logs::LogGroup", "name"},
    {"AWS::ECS::TaskDefinition", "arn"},
    {"AWS::ECS::Service", "arn"},
};

static const char *ref_attr(const char *type) {
  for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
    if (!strcmp(refs[i].type, type))
      return refs[i].ref;
  return "id";
}

/* GetAtt attribute names as capture suffixes: AllocationId -> allocation_id. */
static char *snake(const char *attr) {
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

/* ---- values ---- */

static cJSON *conv(Plan *p, const cJSON *v);

static const cJSON *param(Plan *p, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p->tmpl, "Parameters"),
                                          name);
}

static bool is_ssm_param(const cJSON *prm) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(prm, "Type");
  return cJSON_IsString(t) && !strncmp(t->valuestring, "AWS::SSM::Parameter::Value", 26);
}

static cJSON *new_step(Plan *p, const char *service, const char *op, cJSON *params);

/* A parameter's value: its default, or, for a secret or a parameter with no
   default, a read of the SecureString /infrac/STACK/NAME in SSM Parameter
   Store (infrac apply puts --param values there), and for an SSM-typed
   parameter a read of the public parameter its default names. */
static cJSON *param_value(Plan *p, const char *name, const cJSON *prm) {
  const cJSON *ne = cJSON_GetObjectItemCaseSensitive(prm, "NoEcho");
  const cJSON *def = cJSON_GetObjectItemCaseSensitive(prm, "Default");
  bool secret = cJSON_IsTrue(ne) || (cJSON_IsString(ne) && !strcmp(ne->valuestring, "true"));
  if (def && !secret && !is_ssm_param(prm))
    return cJSON_Duplicate(def, true);
  char cap[256];
  if (def && !secret)
    snprintf(cap, sizeof cap, "%s.value", rname(p, name));
  else
    snprintf(cap, sizeof cap, "param.%s", rname(p, name));
  if (!strmap_get(&p->capturer, cap)) {
    cJSON *params = cJSON_CreateObject();
    if (def && !secret) {
      cJSON_AddItemToObject(params, "Name", cJSON_Duplicate(def, true));
    } else {
      char *path = NULL;
      if (asprintf(&path, "/infrac/%s/%s", p->opt->stack, rname(p, name)) < 0)
        abort();
      cJSON_AddStringToObject(params, "Name", path);
      cJSON_AddBoolToObject(params, "WithDecryption", true);
      free(path);
    }
    cJSON *s = new_step(p, "ssm", "GetParameter", params);
    cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(s, "captures"), cap,
                            "Parameter.Value");
    strmap_put(&p->capturer, cap, step_no(s));
  }
  return pv_capture(cap);
}

/* The capture name.attr; while deleting, was.name.attr: a replaced
   resource's old and new physical IDs are different values. */
static cJSON *placeholder(Plan *p, const char *logical, const char *attr) {
  char *s = NULL;
  bool was = p->deployed && p->tmpl == p->deployed;
  if (asprintf(&s, "%s%s.%s", was ? "was." : "", rname(p, logical), attr) < 0)
    abort();
  cJSON *v = pv_capture(s);
  free(s);
  return v;
}

/* The partition of a region and its domain, by the region's prefix. */
static const struct {
  const char *prefix, *partition, *url_suffix;
} partitions[] = {
    {"cn-", "aws-cn", "amazonaws.com.cn"},
    {"us-gov-", "aws-us-gov", "amazonaws.com"},
    {"us-iso-", "aws-iso", "c2s.ic.gov"},
    {"us-isob-", "aws-iso-b", "sc2s.sgov.gov"},
    {"", "aws", "amazonaws.com"},
};

static int partition_of(const char *region) {
  size_t i = 0;
  while (strncmp(region, partitions[i].prefix, strlen(partitions[i].prefix)))
    i++; /* the last prefix, "", matches every region */
  return (int)i;
}

static cJSON *pseudo(Plan *p, const char *name) {
  if (!strcmp(name, "AWS::Region"))
    return cJSON_CreateString(p->opt->region);
  if (!strcmp(name, "AWS::StackName"))
    return cJSON_CreateString(p->opt->stack);
  if (!strcmp(name, "AWS::Partition"))
    return cJSON_CreateString(partitions[partition_of(p->opt->region)].partition);
  if (!strcmp(name, "AWS::URLSuffix"))
    return cJSON_CreateString(partitions[partition_of(p->opt->region)].url_suffix);
  if (!strcmp(name, "AWS::AccountId")) {
    if (!strmap_get(&p->capturer, "account.id")) {
      cJSON *s = new_step(p, "sts", "GetCallerIdentity", cJSON_CreateObject());
      cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(s, "captures"), "account.id",
                              "Account");
      strmap_put(&p->capturer, "account.id", step_no(s));
    }
    return pv_capture("account.id");
  }
  return NULL;
}

/* The value a ${X} or ${X.Attr} of Fn::Sub stands for. */
static cJSON *sub_var(Plan *p, const char *var) {
  cJSON *v = pseudo(p, var);
  if (v)
    return v;
  const char *dot = strchr(var, '.');
  if (dot) {
    char *logical = strndup(var, (size_t)(dot - var)), *attr = snake(dot + 1);
    v = placeholder(p, logical, attr);
    free(logical);
    free(attr);
    return v;
  }
  const cJSON *prm = param(p, var);
  if (prm)
    return param_value(p, var, prm);
  return placeholder(p, var, ref_attr(type_of(p, p->tmpl, var)));
}

/* Fn::Sub text as the join of its literal pieces and what its ${}
   stand for; ${!Literal} is the text ${Literal}. */
static cJSON *conv_sub(Plan *p, const char *text) {
  cJSON *parts = cJSON_CreateArray();
  const char *lit = text;
  for (const char *s = text; *s;) {
    if (s[0] != '$' || s[1] != '{') {
      s++;
      continue;
    }
    const char *end = s[2] != '!' ? strchr(s, '}') : NULL;
    if (s[2] == '!' || end) {
      char *piece = strndup(lit, (size_t)(s - lit) + (end ? 0 : 2));
      cJSON_AddItemToArray(parts, cJSON_CreateString(piece));
      free(piece);
    }
    if (s[2] == '!') {
      lit = s += 3;
    } else if (end) {
      char *var = strndup(s + 2, (size_t)(end - s - 2));
      cJSON_AddItemToArray(parts, sub_var(p, var));
      free(var);
      lit = s = end + 1;
    } else {
      s += 2;
    }
  }
  cJSON_AddItemToArray(parts, cJSON_CreateString(lit));
  return pv_join(parts);
}

/* A log group's name: CreateLogGroup returns nothing to capture, and the
   name is known before it runs. */
static cJSON *log_group_name(Plan *p, const char *logical) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(resource(p, p->tmpl, logical), "Properties");
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(props, "LogGroupName");
  if (name)
    return conv(p, name);
  char *n = NULL;
  if (asprintf(&n, "/infrac/%s/%s", p->opt->stack, rname(p, logical)) < 0)
    abort();
  cJSON *v = cJSON_CreateString(n);
  free(n);
  return v;
}

static cJSON *conv(Plan *p, const cJSON *v) {
  if (cJSON_IsObject(v) && v->child && !v->child->next) {
    const cJSON *f = v->child;
    const char *k = f->string;
    if (!strcmp(k, "Ref") && cJSON_IsString(f)) {
      cJSON *ps = pseudo(p, f->valuestring);
      if (ps)
        return ps;
      const cJSON *prm = param(p, f->valuestring);
      if (prm)
        return param_value(p, f->valuestring, prm);
      if (!strcmp(type_of(p, p->tmpl, f->valuestring), "AWS::Logs::LogGroup"))
        return log_group_name(p, f->valuestring);
      return placeholder(p, f->valuestring, ref_attr(type_of(p, p->tmpl, f->valuestring)));
    }
    if (!strcmp(k, "Fn::GetAtt") && cJSON_GetArraySize(f) == 2 && cJSON_IsString(f->child) &&
        cJSON_IsString(f->child->next)) {
      char *attr = snake(cJSON_GetArrayItem(f, 1)->valuestring);
      cJSON *o = placeholder(p, cJSON_GetArrayItem(f, 0)->valuestring, attr);
      free(attr);
      return o;
    }
    if (!strcmp(k, "Fn::Sub") && cJSON_IsString(f))
      return conv_sub(p, f->valuestring);
    if (!strcmp(k, "Fn::Base64"))
      return conv(p, f); /* the CLI encodes UserData itself */
    if (!strcmp(k, "Fn::Join") && cJSON_GetArraySize(f) == 2) {
      const char *sep = cJSON_GetArrayItem(f, 0)->valuestring;
      cJSON *parts = cJSON_CreateArray();
      for (const cJSON *it = cJSON_GetArrayItem(f, 1)->child; it; it = it->next) {
        if (it != cJSON_GetArrayItem(f, 1)->child && sep)
          cJSON_AddItemToArray(parts, cJSON_CreateString(sep));
        cJSON *x = conv(p, it);
        if (cJSON_IsString(x) || pv_capture_name(x) || pv_join_parts(x))
          cJSON_AddItemToArray(parts, x);
        else
          cJSON_Delete(x);
      }
      return pv_join(parts);
    }
    if (!strncmp(k, "Fn::", 4) && !p->error &&
        asprintf(&p->error, "%s of %s has no direct API form", k, p->logical) < 0)
      abort();
  }
  if (cJSON_IsObject(v)) {
    cJSON *o = cJSON_CreateObject();
    for (const cJSON *c = v->child; c; c = c->next)
      cJSON_AddItemToObject(o, c->string, conv(p, c));
    return o;
  }
  if (cJSON_IsArray(v)) {
    cJSON *a = cJSON_CreateArray();
    for (const cJSON *c = v->child; c; c = c->next)
      cJSON_AddItemToArray(a, conv(p, c));
    return a;
  }
  return cJSON_Duplicate(v, true);
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

static cJSON *new_step(Plan *p, const char *service, const char *op, cJSON *params) {
  if (p->deployed)
    settle(p, params, p->deployed);
  char id[32];
  snprintf(id, sizeof id, "s%d", ++p->nsteps);
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "id", id);
  cJSON_AddStringToObject(s, "resource", rname(p, p->logical));
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

static void capture(Plan *p, cJSON *step, const char *attr, const char *path) {
  char name[256];
  snprintf(name, sizeof name, "%s.%s", rname(p, p->logical), attr);
  cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(step, "captures"), name, path);
  strmap_put(&p->capturer, name, step_no(step));
}

static void wait_for(cJSON *step, const char *waiter) {
  cJSON_AddStringToObject(step, "wait", waiter);
}

/* ---- property helpers ---- */

static const cJSON *prop(const cJSON *props, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(props, name);
}

/* params[key] = conv(props[name]) when present. */
static void put(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name) {
  const cJSON *v = prop(props, name);
  if (v)
    cJSON_AddItemToObject(params, key, conv(p, v));
}

static void put_int(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name) {
  const cJSON *v = prop(props, name);
  if (!v)
    return;
  cJSON *x = conv(p, v);
  char *end = NULL;
  double n = cJSON_IsString(x) ? strtod(x->valuestring, &end) : 0;
  if (end && end != x->valuestring && !*end) {
    cJSON_AddNumberToObject(params, key, n);
    cJSON_Delete(x);
  } else {
    cJSON_AddItemToObject(params, key, x);
  }
}

static void put_str(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name) {
  const cJSON *v = prop(props, name);
  if (!v)
    return;
  cJSON *x = conv(p, v);
  if (cJSON_IsNumber(x)) {
    char num[64];
    snprintf(num, sizeof num, "%g", x->valuedouble);
    cJSON_Delete(x);
    x = cJSON_CreateString(num);
  }
  cJSON_AddItemToObject(params, key, x);
}

static bool prop_true(const cJSON *props, const char *name) {
  const cJSON *v = prop(props, name);
  return cJSON_IsTrue(v) || (cJSON_IsString(v) && !strcmp(v->valuestring, "true"));
}

static void put_name(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name,
                     size_t max, bool lower) {
  if (prop(props, name)) {
    put(p, params, key, props, name);
    return;
  }
  char *n = phys_name(p, p->logical, max, lower);
  cJSON_AddStringToObject(params, key, n);
  free(n);
}

/* EC2's TagSpecifications from CloudFormation Tags. */
static void put_tagspec(Plan *p, cJSON *params, const cJSON *props, const char *rtype) {
  const cJSON *tags = prop(props, "Tags");
  if (!cJSON_GetArraySize(tags))
    return;
  cJSON *spec = cJSON_CreateObject();
  cJSON_AddStringToObject(spec, "ResourceType", rtype);
  cJSON_AddItemToObject(spec, "Tags", conv(p, tags));
  cJSON *list = cJSON_AddArrayToObject(params, "TagSpecifications");
  cJSON_AddItemToArray(list, spec);
}

/* Tags as a list with keys spelled as the service wants: Key/Value, key/value. */
static void put_tags(Plan *p, cJSON *params, const char *key, const cJSON *props, bool lower) {
  const cJSON *tags = prop(props, "Tags");
  if (!cJSON_GetArraySize(tags))
    return;
  cJSON *out = cJSON_AddArrayToObject(params, key);
  for (const cJSON *t = tags->child; t; t = t->next) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, lower ? "key" : "Key", conv(p, prop(t, "Key")));
    cJSON_AddItemToObject(o, lower ? "value" : "Value", conv(p, prop(t, "Value")));
    cJSON_AddItemToArray(out, o);
  }
}

/* A copy with every key's first letter in lower case (ECS's API spelling),
   except under LogConfiguration.Options, whose keys are the driver's. */
static cJSON *camel(const cJSON *v, bool keep_keys) {
  if (cJSON_IsArray(v)) {
    cJSON *a = cJSON_CreateArray();
    for (const cJSON *c = v->child; c; c = c->next)
      cJSON_AddItemToArray(a, camel(c, false));
    return a;
  }
  if (!cJSON_IsObject(v))
    return cJSON_Duplicate(v, true);
  cJSON *o = cJSON_CreateObject();
  for (const cJSON *c = v->child; c; c = c->next) {
    char *k = strdup(c->string);
    if (!keep_keys)
      k[0] = (char)tolower((unsigned char)k[0]);
    cJSON_AddItemToObject(o, k, camel(c, !strcmp(c->string, "Options")));
    free(k);
  }
  return o;
}

/* The JSON text of a document (an IAM policy) as a value: a plain string,
   or the join of its text and the captures standing for its strings. */
static void text_parts(cJSON *parts, const cJSON *v) {
  if (pv_capture_name(v) || pv_join_parts(v)) {
    cJSON_AddItemToArray(parts, cJSON_CreateString("\""));
    const cJSON *in = pv_join_parts(v);
    for (const cJSON *c = in ? in->child : v; c; c = in ? c->next : NULL) {
      char *t = cJSON_IsString(c) ? cJSON_PrintUnformatted(c) : NULL; /* escaped, quoted */
      if (t)
        t[strlen(t) - 1] = '\0';
      cJSON_AddItemToArray(parts, t ? cJSON_CreateString(t + 1) : cJSON_Duplicate(c, true));
      cJSON_free(t);
    }
    cJSON_AddItemToArray(parts, cJSON_CreateString("\""));
  } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
    bool obj = cJSON_IsObject(v);
    cJSON_AddItemToArray(parts, cJSON_CreateString(obj ? "{" : "["));
    for (const cJSON *c = v->child; c; c = c->next) {
      if (obj) {
        cJSON *key = cJSON_CreateString(c->string);
        char *k = cJSON_PrintUnformatted(key);
        cJSON_AddItemToArray(parts, cJSON_CreateString(k ? k : "\"\""));
        cJSON_AddItemToArray(parts, cJSON_CreateString(":"));
        cJSON_free(k);
        cJSON_Delete(key);
      }
      text_parts(parts, c);
      if (c->next)
        cJSON_AddItemToArray(parts, cJSON_CreateString(","));
    }
    cJSON_AddItemToArray(parts, cJSON_CreateString(obj ? "}" : "]"));
  } else {
    char *t = cJSON_PrintUnformatted(v);
    cJSON_AddItemToArray(parts, cJSON_CreateString(t ? t : "null"));
    cJSON_free(t);
  }
}

static cJSON *json_text(Plan *p, const cJSON *doc) {
  cJSON *v = conv(p, doc), *parts = cJSON_CreateArray();
  text_parts(parts, v);
  cJSON_Delete(v);
  return pv_join(parts);
}

/* ---- creates, one function per type ---- */

static void ip_permission(Plan *p, cJSON *perms, const cJSON *rule, bool egress) {
  cJSON *perm = cJSON_CreateObject();
  put_str(p, perm, "IpProtocol", rule, "IpProtocol");
  put_int(p, perm, "FromPort", rule, "FromPort");
  put_int(p, perm, "ToPort", rule, "ToPort");
  const char *cidr_key = "CidrIp";
  const char *group_key = egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId";
  if (prop(rule, cidr_key)) {
    cJSON *r = cJSON_CreateObject();
    put(p, r, "CidrIp", rule, cidr_key);
    put(p, r, "Description", rule, "Description");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(perm, "IpRanges"), r);
  } else if (prop(rule, group_key)) {
    cJSON *g = cJSON_CreateObject();
    put(p, g, "GroupId", rule, group_key);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(perm, "UserIdGroupPairs"), g);
  }
  cJSON_AddItemToArray(perms, perm);
}

static bool default_egress(const cJSON *rule) {
  const cJSON *proto = prop(rule, "IpProtocol"), *cidr = prop(rule, "CidrIp");
  return cJSON_IsString(proto) && !strcmp(proto->valuestring, "-1") && cJSON_IsString(cidr) &&
         !strcmp(cidr->valuestring, "0.0.0.0/0");
}

static void authorize(Plan *p, const char *op, const cJSON *group, const cJSON *rules, bool egress) {
  cJSON *perms = cJSON_CreateArray();
  for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next)
    if (!egress || !default_egress(r))
      ip_permission(p, perms, r, egress);
  if (!cJSON_GetArraySize(perms)) {
    cJSON_Delete(perms);
    return;
  }
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "GroupId", cJSON_Duplicate(group, true));
  cJSON_AddItemToObject(params, "IpPermissions", perms);
  new_step(p, "ec2", op, params);
}

static void create_security_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "GroupName", props, "GroupName", 255, false);
  put(p, params, "Description", props, "GroupDescription");
  put(p, params, "VpcId", props, "VpcId");
  put_tagspec(p, params, props, "security-group");
  cJSON *s = new_step(p, "ec2", "CreateSecurityGroup", params);
  capture(p, s, "id", "GroupId");
  cJSON *gid = placeholder(p, p->logical, "id");
  authorize(p, "AuthorizeSecurityGroupIngress", gid, prop(props, "SecurityGroupIngress"), false);
  const cJSON *egress = prop(props, "SecurityGroupEgress");
  if (egress) {
    bool keeps_default = false;
    for (const cJSON *r = egress->child; r; r = r->next)
      keeps_default |= default_egress(r);
    authorize(p, "AuthorizeSecurityGroupEgress", gid, egress, true);
    if (!keeps_default) { /* CloudFormation drops the default allow-all rule */
      cJSON *params2 = cJSON_CreateObject();
      cJSON_AddItemToObject(params2, "GroupId", cJSON_Duplicate(gid, true));
      cJSON *perm = cJSON_CreateObject();
      cJSON_AddStringToObject(perm, "IpProtocol", "-1");
      cJSON *r = cJSON_CreateObject();
      cJSON_AddStringToObject(r, "CidrIp", "0.0.0.0/0");
      cJSON_AddItemToArray(cJSON_AddArrayToObject(perm, "IpRanges"), r);
      cJSON_AddItemToArray(cJSON_AddArrayToObject(params2, "IpPermissions"), perm);
      new_step(p, "ec2", "RevokeSecurityGroupEgress", params2);
    }
  }
  cJSON_Delete(gid);
}

static void create_group_rule(Plan *p, const cJSON *props, bool egress) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "GroupId", props, "GroupId");
  ip_permission(p, cJSON_AddArrayToObject(params, "IpPermissions"), props, egress);
  new_step(p, "ec2", egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress",
           params);
}

static void create_vpc(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "CidrBlock", props, "CidrBlock");
  put_tagspec(p, params, props, "vpc");
  cJSON *s = new_step(p, "ec2", "CreateVpc", params);
  capture(p, s, "id", "Vpc.VpcId");
  wait_for(s, "vpc_available");
  static const char *const attrs[] = {"EnableDnsSupport", "EnableDnsHostnames"};
  for (int i = 0; i < 2; i++) {
    if (!prop(props, attrs[i]))
      continue;
    cJSON *m = cJSON_CreateObject();
    cJSON *vid = placeholder(p, p->logical, "id");
    cJSON_AddItemToObject(m, "VpcId", cJSON_Duplicate(vid, true));
    cJSON_Delete(vid);
    cJSON *val = cJSON_AddObjectToObject(m, attrs[i]);
    cJSON_AddBoolToObject(val, "Value", prop_true(props, attrs[i]));
    new_step(p, "ec2", "ModifyVpcAttribute", m);
  }
}

static void create_subnet(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "VpcId", props, "VpcId");
  put(p, params, "CidrBlock", props, "CidrBlock");
  put(p, params, "AvailabilityZone", props, "AvailabilityZone");
  put_tagspec(p, params, props, "subnet");
  cJSON *s = new_step(p, "ec2", "CreateSubnet", params);
  capture(p, s, "id", "Subnet.SubnetId");
  if (prop_true(props, "MapPublicIpOnLaunch")) {
    cJSON *m = cJSON_CreateObject();
    cJSON *sid = placeholder(p, p->logical, "id");
    cJSON_AddItemToObject(m, "SubnetId", cJSON_Duplicate(sid, true));
    cJSON_Delete(sid);
    cJSON_AddBoolToObject(cJSON_AddObjectToObject(m, "MapPublicIpOnLaunch"), "Value", true);
    new_step(p, "ec2", "ModifySubnetAttribute", m);
  }
}

static void create_simple_ec2(Plan *p, const cJSON *props, const char *op, const char *tagtype,
                              const char *cap_path, const char *const *keys) {
  cJSON *params = cJSON_CreateObject();
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  if (tagtype)
    put_tagspec(p, params, props, tagtype);
  cJSON *s = new_step(p, "ec2", op, params);
  if (cap_path)
    capture(p, s, "id", cap_path);
}

static void create_eip(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddStringToObject(params, "Domain", "vpc");
  put_tagspec(p, params, props, "elastic-ip");
  cJSON *s = new_step(p, "ec2", "AllocateAddress", params);
  capture(p, s, "allocation_id", "AllocationId");
  capture(p, s, "address", "PublicIp");
}

static void create_nat(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "SubnetId", props, "SubnetId");
  put(p, params, "AllocationId", props, "AllocationId");
  put_tagspec(p, params, props, "natgateway");
  cJSON *s = new_step(p, "ec2", "CreateNatGateway", params);
  capture(p, s, "id", "NatGateway.NatGatewayId");
  wait_for(s, "nat_gateway_available");
}

/* An inline policy of a role: PutRolePolicy with the document as text. */
static void put_role_policy(Plan *p, const cJSON *role, const cJSON *policy) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
  put(p, params, "PolicyName", policy, "PolicyName");
  cJSON_AddItemToObject(params, "PolicyDocument", json_text(p, prop(policy, "PolicyDocument")));
  new_step(p, "iam", "PutRolePolicy", params);
}

static void delete_role_policy(Plan *p, const cJSON *role, const cJSON *policy) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
  put(p, params, "PolicyName", policy, "PolicyName");
  new_step(p, "iam", "DeleteRolePolicy", params);
}

static void create_role(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "RoleName", props, "RoleName", 64, false);
  cJSON_AddItemToObject(params, "AssumeRolePolicyDocument",
                        json_text(p, prop(props, "AssumeRolePolicyDocument")));
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "iam", "CreateRole", params);
  capture(p, s, "name", "Role.RoleName");
  capture(p, s, "arn", "Role.Arn");
  cJSON *role = placeholder(p, p->logical, "name");
  for (const cJSON *a = prop(props, "ManagedPolicyArns") ? prop(props, "ManagedPolicyArns")->child
                                                          : NULL;
       a; a = a->next) {
    cJSON *ap = cJSON_CreateObject();
    cJSON_AddItemToObject(ap, "RoleName", cJSON_Duplicate(role, true));
    cJSON_AddItemToObject(ap, "PolicyArn", conv(p, a));
    new_step(p, "iam", "AttachRolePolicy", ap);
  }
  const cJSON *inl = prop(props, "Policies");
  for (const cJSON *pol = inl ? inl->child : NULL; pol; pol = pol->next)
    put_role_policy(p, role, pol);
  cJSON_Delete(role);
}

static void create_instance_profile(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "InstanceProfileName", props, "InstanceProfileName", 128, false);
  cJSON *s = new_step(p, "iam", "CreateInstanceProfile", params);
  capture(p, s, "name", "InstanceProfile.InstanceProfileName");
  capture(p, s, "arn", "InstanceProfile.Arn");
  cJSON *name = placeholder(p, p->logical, "name");
  for (const cJSON *r = prop(props, "Roles") ? prop(props, "Roles")->child : NULL; r; r = r->next) {
    cJSON *ap = cJSON_CreateObject();
    cJSON_AddItemToObject(ap, "InstanceProfileName", cJSON_Duplicate(name, true));
    cJSON_AddItemToObject(ap, "RoleName", conv(p, r));
    new_step(p, "iam", "AddRoleToInstanceProfile", ap);
  }
  cJSON_Delete(name);
}

static void create_instance(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "ImageId", props, "ImageId");
  put(p, params, "InstanceType", props, "InstanceType");
  cJSON_AddNumberToObject(params, "MinCount", 1);
  cJSON_AddNumberToObject(params, "MaxCount", 1);
  put(p, params, "SubnetId", props, "SubnetId");
  put(p, params, "SecurityGroupIds", props, "SecurityGroupIds");
  put(p, params, "KeyName", props, "KeyName");
  if (prop(props, "IamInstanceProfile")) {
    cJSON *ip = cJSON_AddObjectToObject(params, "IamInstanceProfile");
    put(p, ip, "Name", props, "IamInstanceProfile");
  }
  put(p, params, "UserData", props, "UserData");
  put_tagspec(p, params, props, "instance");
  cJSON *s = new_step(p, "ec2", "RunInstances", params);
  capture(p, s, "id", "Instances[0].InstanceId");
  capture(p, s, "private_ip", "Instances[0].PrivateIpAddress");
  wait_for(s, "instance_running");
}

static void create_db_subnet_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "DBSubnetGroupName", props, "DBSubnetGroupName", 255, true);
  put(p, params, "DBSubnetGroupDescription", props, "DBSubnetGroupDescription");
  put(p, params, "SubnetIds", props, "SubnetIds");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "rds", "CreateDBSubnetGroup", params);
  capture(p, s, "name", "DBSubnetGroup.DBSubnetGroupName");
}

static void create_db_parameter_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "DBParameterGroupName", props, "DBParameterGroupName", 255, true);
  put(p, params, "DBParameterGroupFamily", props, "Family");
  put(p, params, "Description", props, "Description");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "rds", "CreateDBParameterGroup", params);
  capture(p, s, "name", "DBParameterGroup.DBParameterGroupName");
  const cJSON *values = prop(props, "Parameters");
  if (!cJSON_GetArraySize(values))
    return;
  cJSON *m = cJSON_CreateObject();
  cJSON *name = placeholder(p, p->logical, "name");
  cJSON_AddItemToObject(m, "DBParameterGroupName", cJSON_Duplicate(name, true));
  cJSON_Delete(name);
  cJSON *list = cJSON_AddArrayToObject(m, "Parameters");
  for (const cJSON *v = values->child; v; v = v->next) {
    cJSON *one = cJSON_CreateObject();
    cJSON_AddStringToObject(one, "ParameterName", v->string);
    cJSON_AddItemToObject(one, "ParameterValue", conv(p, v));
    cJSON_AddStringToObject(one, "ApplyMethod", "pending-reboot"); /* static ones need it */
    cJSON_AddItemToArray(list, one);
  }
  new_step(p, "rds", "ModifyDBParameterGroup", m);
}

static void create_db_instance(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "DBInstanceIdentifier", props, "DBInstanceIdentifier", 63, true);
  put(p, params, "DBInstanceClass", props, "DBInstanceClass");
  put(p, params, "Engine", props, "Engine");
  put_str(p, params, "EngineVersion", props, "EngineVersion");
  put_int(p, params, "AllocatedStorage", props, "AllocatedStorage");
  put(p, params, "StorageType", props, "StorageType");
  put(p, params, "DBName", props, "DBName");
  put(p, params, "MasterUsername", props, "MasterUsername");
  put(p, params, "MasterUserPassword", props, "MasterUserPassword");
  put(p, params, "ManageMasterUserPassword", props, "ManageMasterUserPassword");
  put(p, params, "DBSubnetGroupName", props, "DBSubnetGroupName");
  put(p, params, "DBParameterGroupName", props, "DBParameterGroupName");
  put(p, params, "VpcSecurityGroupIds", props, "VPCSecurityGroups");
  put(p, params, "MultiAZ", props, "MultiAZ");
  put(p, params, "StorageEncrypted", props, "StorageEncrypted");
  put(p, params, "PubliclyAccessible", props, "PubliclyAccessible");
  put_int(p, params, "BackupRetentionPeriod", props, "BackupRetentionPeriod");
  put(p, params, "DeletionProtection", props, "DeletionProtection");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "rds", "CreateDBInstance", params);
  capture(p, s, "id", "DBInstance.DBInstanceIdentifier");
  wait_for(s, "db_instance_available");
  cJSON *d = cJSON_CreateObject();
  cJSON *id = placeholder(p, p->logical, "id");
  cJSON_AddItemToObject(d, "DBInstanceIdentifier", cJSON_Duplicate(id, true));
  cJSON_Delete(id);
  cJSON *ds = new_step(p, "rds", "DescribeDBInstances", d);
  capture(p, ds, "address", "DBInstances[0].Endpoint.Address");
  capture(p, ds, "port", "DBInstances[0].Endpoint.Port");
  if (prop_true(props, "ManageMasterUserPassword"))
    capture(p, ds, "password_secret", "DBInstances[0].MasterUserSecret.SecretArn");
}

static void create_hosted_zone(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "Name", props, "Name");
  char *ref = phys_name(p, p->logical, 128, false);
  char *caller = NULL;
  if (asprintf(&caller, "infrac-%s", ref) < 0)
    abort();
  cJSON_AddStringToObject(params, "CallerReference", caller);
  free(ref);
  free(caller);
  cJSON *s = new_step(p, "route53", "CreateHostedZone", params);
  capture(p, s, "id", "HostedZone.Id");
  capture(p, s, "name_servers", "DelegationSet.NameServers");
}

/* RequestCertificate, the DNS record that proves the domain, the wait. */
static void create_certificate(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "DomainName", props, "DomainName");
  put(p, params, "ValidationMethod", props, "ValidationMethod");
  put(p, params, "SubjectAlternativeNames", props, "SubjectAlternativeNames");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "acm", "RequestCertificate", params);
  capture(p, s, "arn", "CertificateArn");
  cJSON *arn = placeholder(p, p->logical, "arn");
  cJSON *d = cJSON_CreateObject();
  cJSON_AddItemToObject(d, "CertificateArn", cJSON_Duplicate(arn, true));
  cJSON *ds = new_step(p, "acm", "DescribeCertificate", d);
  capture(p, ds, "validation_name", "Certificate.DomainValidationOptions[0].ResourceRecord.Name");
  capture(p, ds, "validation_value", "Certificate.DomainValidationOptions[0].ResourceRecord.Value");
  const cJSON *opts = prop(props, "DomainValidationOptions");
  const cJSON *zone = opts ? prop(opts->child, "HostedZoneId") : NULL;
  if (zone) {
    cJSON *ch = cJSON_CreateObject();
    cJSON_AddItemToObject(ch, "HostedZoneId", conv(p, zone));
    cJSON *change = cJSON_CreateObject();
    cJSON_AddStringToObject(change, "Action", "UPSERT");
    cJSON *rrs = cJSON_AddObjectToObject(change, "ResourceRecordSet");
    cJSON *n = placeholder(p, p->logical, "validation_name");
    cJSON *v = placeholder(p, p->logical, "validation_value");
    cJSON_AddItemToObject(rrs, "Name", cJSON_Duplicate(n, true));
    cJSON_AddStringToObject(rrs, "Type", "CNAME");
    cJSON_AddNumberToObject(rrs, "TTL", 300);
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddItemToObject(rec, "Value", cJSON_Duplicate(v, true));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rrs, "ResourceRecords"), rec);
    cJSON_Delete(n);
    cJSON_Delete(v);
    cJSON_AddItemToArray(
        cJSON_AddArrayToObject(cJSON_AddObjectToObject(ch, "ChangeBatch"), "Changes"), change);
    new_step(p, "route53", "ChangeResourceRecordSets", ch);
  }
  cJSON *w = cJSON_CreateObject();
  cJSON_AddItemToObject(w, "CertificateArn", cJSON_Duplicate(arn, true));
  wait_for(new_step(p, "acm", "DescribeCertificate", w), "certificate_validated");
  cJSON_Delete(arn);
}

static void create_target_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "Name", props, "Name", 32, false);
  static const char *const keys[] = {
      "Protocol", "Port", "VpcId", "TargetType", "HealthCheckProtocol", "HealthCheckPath",
      "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
      "UnhealthyThresholdCount", "Matcher", NULL};
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "elbv2", "CreateTargetGroup", params);
  capture(p, s, "arn", "TargetGroups[0].TargetGroupArn");
}

static void create_load_balancer(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "Name", props, "Name", 32, false);
  static const char *const keys[] = {"Subnets", "SecurityGroups", "Scheme", "Type", NULL};
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "elbv2", "CreateLoadBalancer", params);
  capture(p, s, "arn", "LoadBalancers[0].LoadBalancerArn");
  capture(p, s, "dns_name", "LoadBalancers[0].DNSName");
  capture(p, s, "zone_id", "LoadBalancers[0].CanonicalHostedZoneId");
  wait_for(s, "load_balancer_available");
}

static void create_listener(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  static const char *const keys[] = {"LoadBalancerArn", "Protocol", "Port", "Certificates",
                                     "DefaultActions", "SslPolicy", NULL};
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  cJSON *s = new_step(p, "elbv2", "CreateListener", params);
  capture(p, s, "arn", "Listeners[0].ListenerArn");
}

static cJSON *record_change(Plan *p, const cJSON *props, const char *action) {
  cJSON *ch = cJSON_CreateObject();
  put(p, ch, "HostedZoneId", props, "HostedZoneId");
  cJSON *change = cJSON_CreateObject();
  cJSON_AddStringToObject(change, "Action", action);
  cJSON *rrs = cJSON_AddObjectToObject(change, "ResourceRecordSet");
  put(p, rrs, "Name", props, "Name");
  put(p, rrs, "Type", props, "Type");
  if (prop(props, "AliasTarget")) {
    put(p, rrs, "AliasTarget", props, "AliasTarget");
  } else {
    put_int(p, rrs, "TTL", props, "TTL");
    cJSON *recs = cJSON_AddArrayToObject(rrs, "ResourceRecords");
    const cJSON *vals = prop(props, "ResourceRecords");
    for (const cJSON *v = vals ? vals->child : NULL; v; v = v->next) {
      cJSON *r = cJSON_CreateObject();
      cJSON_AddItemToObject(r, "Value", conv(p, v));
      cJSON_AddItemToArray(recs, r);
    }
  }
  cJSON_AddItemToArray(cJSON_AddArrayToObject(cJSON_AddObjectToObject(ch, "ChangeBatch"), "Changes"),
                       change);
  return ch;
}

static void create_record(Plan *p, const cJSON *props) {
  new_step(p, "route53", "ChangeResourceRecordSets", record_change(p, props, "UPSERT"));
}

static void create_repository(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "repositoryName", props, "RepositoryName", 256, true);
  const cJSON *scan = prop(props, "ImageScanningConfiguration");
  if (scan)
    cJSON_AddItemToObject(params, "imageScanningConfiguration", camel(scan, false));
  put(p, params, "imageTagMutability", props, "ImageTagMutability");
  put_tags(p, params, "tags", props, false);
  cJSON *s = new_step(p, "ecr", "CreateRepository", params);
  capture(p, s, "name", "repository.repositoryName");
  capture(p, s, "uri", "repository.repositoryUri");
  capture(p, s, "arn", "repository.repositoryArn");
}

static void create_cluster(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "clusterName", props, "ClusterName", 255, false);
  put_tags(p, params, "tags", props, true);
  cJSON *s = new_step(p, "ecs", "CreateCluster", params);
  capture(p, s, "name", "cluster.clusterName");
  capture(p, s, "arn", "cluster.clusterArn");
}

static void create_log_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "logGroupName", log_group_name(p, p->logical));
  cJSON *name = cJSON_Duplicate(cJSON_GetObjectItem(params, "logGroupName"), true);
  const cJSON *tags = prop(props, "Tags");
  if (cJSON_GetArraySize(tags)) {
    cJSON *map = cJSON_AddObjectToObject(params, "tags");
    for (const cJSON *t = tags->child; t; t = t->next) {
      const cJSON *k = prop(t, "Key");
      if (cJSON_IsString(k))
        cJSON_AddItemToObject(map, k->valuestring, conv(p, prop(t, "Value")));
    }
  }
  new_step(p, "logs", "CreateLogGroup", params);
  cJSON *d = cJSON_CreateObject(); /* the ARN, which CreateLogGroup does not return */
  cJSON_AddItemToObject(d, "logGroupNamePrefix", cJSON_Duplicate(name, true));
  capture(p, new_step(p, "logs", "DescribeLogGroups", d), "arn", "logGroups[0].arn");
  if (prop(props, "RetentionInDays")) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "logGroupName", cJSON_Duplicate(name, true));
    put_int(p, r, "retentionInDays", props, "RetentionInDays");
    new_step(p, "logs", "PutRetentionPolicy", r);
  }
  cJSON_Delete(name);
}

static void create_task_definition(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "family", props, "Family", 255, false);
  const cJSON *defs = prop(props, "ContainerDefinitions");
  if (defs) {
    cJSON *c = conv(p, defs);
    cJSON_AddItemToObject(params, "containerDefinitions", camel(c, false));
    cJSON_Delete(c);
  }
  put_str(p, params, "cpu", props, "Cpu");
  put_str(p, params, "memory", props, "Memory");
  put(p, params, "executionRoleArn", props, "ExecutionRoleArn");
  put(p, params, "taskRoleArn", props, "TaskRoleArn");
  put(p, params, "networkMode", props, "NetworkMode");
  put(p, params, "requiresCompatibilities", props, "RequiresCompatibilities");
  put_tags(p, params, "tags", props, true);
  cJSON *s = new_step(p, "ecs", "RegisterTaskDefinition", params);
  capture(p, s, "arn", "taskDefinition.taskDefinitionArn");
}

/* DeploymentConfiguration, its members camelCase as ECS's API writes them. */
static void put_deployment(Plan *p, cJSON *params, const cJSON *props) {
  const cJSON *dc = prop(props, "DeploymentConfiguration");
  if (!dc)
    return;
  cJSON *c = conv(p, dc);
  cJSON_AddItemToObject(params, "deploymentConfiguration", camel(c, false));
  cJSON_Delete(c);
}

static void create_service(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "cluster", props, "Cluster");
  put_name(p, params, "serviceName", props, "ServiceName", 255, false);
  put(p, params, "taskDefinition", props, "TaskDefinition");
  put_int(p, params, "desiredCount", props, "DesiredCount");
  put(p, params, "launchType", props, "LaunchType");
  put_int(p, params, "healthCheckGracePeriodSeconds", props, "HealthCheckGracePeriodSeconds");
  put_deployment(p, params, props);
  const cJSON *lbs = prop(props, "LoadBalancers");
  if (lbs) {
    cJSON *c = conv(p, lbs);
    cJSON_AddItemToObject(params, "loadBalancers", camel(c, false));
    cJSON_Delete(c);
  }
  const cJSON *net = prop(props, "NetworkConfiguration");
  if (net) {
    cJSON *c = conv(p, net);
    cJSON_AddItemToObject(params, "networkConfiguration", camel(c, false));
    cJSON_Delete(c);
  }
  put_tags(p, params, "tags", props, true);
  cJSON *s = new_step(p, "ecs", "CreateService", params);
  capture(p, s, "arn", "service.serviceArn");
  capture(p, s, "name", "service.serviceName");
}

static void create(Plan *p, const cJSON *props) {
  static const char *const attach[] = {"InternetGatewayId", "VpcId", NULL};
  static const char *const route[] = {"RouteTableId", "DestinationCidrBlock", "GatewayId",
                                      "NatGatewayId", "InstanceId", NULL};
  static const char *const assoc[] = {"RouteTableId", "SubnetId", NULL};
  static const char *const eipassoc[] = {"AllocationId", "InstanceId", NULL};
  static const char *const none[] = {NULL};
  const char *t = p->type;
  if (!strcmp(t, "AWS::EC2::VPC")) create_vpc(p, props);
  else if (!strcmp(t, "AWS::EC2::Subnet")) create_subnet(p, props);
  else if (!strcmp(t, "AWS::EC2::InternetGateway"))
    create_simple_ec2(p, props, "CreateInternetGateway", "internet-gateway",
                      "InternetGateway.InternetGatewayId", none);
  else if (!strcmp(t, "AWS::EC2::VPCGatewayAttachment"))
    create_simple_ec2(p, props, "AttachInternetGateway", NULL, NULL, attach);
  else if (!strcmp(t, "AWS::EC2::EIP")) create_eip(p, props);
  else if (!strcmp(t, "AWS::EC2::NatGateway")) create_nat(p, props);
  else if (!strcmp(t, "AWS::EC2::RouteTable"))
    create_simple_ec2(p, props, "CreateRouteTable", "route-table", "RouteTable.RouteTableId",
                      (const char *const[]){"VpcId", NULL});
  else if (!strcmp(t, "AWS::EC2::Route")) create_simple_ec2(p, props, "CreateRoute", NULL, NULL, route);
  else if (!strcmp(t, "AWS::EC2::SubnetRouteTableAssociation"))
    create_simple_ec2(p, props, "AssociateRouteTable", NULL, "AssociationId", assoc);
  else if (!strcmp(t, "AWS::EC2::SecurityGroup")) create_security_group(p, props);
  else if (!strcmp(t, "AWS::EC2::SecurityGroupIngress")) create_group_rule(p, props, false);
  else if (!strcmp(t, "AWS::EC2::SecurityGroupEgress")) create_group_rule(p, props, true);
  else if (!strcmp(t, "AWS::EC2::Instance")) create_instance(p, props);
  else if (!strcmp(t, "AWS::EC2::EIPAssociation"))
    create_simple_ec2(p, props, "AssociateAddress", NULL, "AssociationId", eipassoc);
  else if (!strcmp(t, "AWS::IAM::Role")) create_role(p, props);
  else if (!strcmp(t, "AWS::IAM::InstanceProfile")) create_instance_profile(p, props);
  else if (!strcmp(t, "AWS::RDS::DBSubnetGroup")) create_db_subnet_group(p, props);
  else if (!strcmp(t, "AWS::RDS::DBParameterGroup")) create_db_parameter_group(p, props);
  else if (!strcmp(t, "AWS::RDS::DBInstance")) create_db_instance(p, props);
  else if (!strcmp(t, "AWS::Route53::HostedZone")) create_hosted_zone(p, props);
  else if (!strcmp(t, "AWS::CertificateManager::Certificate")) create_certificate(p, props);
  else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::TargetGroup")) create_target_group(p, props);
  else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::LoadBalancer")) create_load_balancer(p, props);
  else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::Listener")) create_listener(p, props);
  else if (!strcmp(t, "AWS::Route53::RecordSet")) create_record(p, props);
  else if (!strcmp(t, "AWS::ECR::Repository")) create_repository(p, props);
  else if (!strcmp(t, "AWS::ECS::Cluster")) create_cluster(p, props);
  else if (!strcmp(t, "AWS::Logs::LogGroup")) create_log_group(p, props);
  else if (!strcmp(t, "AWS::ECS::TaskDefinition")) create_task_definition(p, props);
  else if (!strcmp(t, "AWS::ECS::Service")) create_service(p, props);
  else if (!p->error && asprintf(&p->error, "no API plan for %s (%s)", p->logical, t) < 0)
    abort();
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
  const char *param; /* the lookup's parameter: Filters (EC2 tags) or a name */
  const char *name_prop; size_t max; bool lower; bool list;
} Lookup;

static const Lookup lookups[] = {
    {"AWS::EC2::VPC", "id", "ec2", "DescribeVpcs", "Vpcs[0].VpcId", "Filters", 0, 0, 0, 0},
    {"AWS::EC2::Subnet", "id", "ec2", "DescribeSubnets", "Subnets[0].SubnetId", "Filters", 0, 0, 0, 0},
    {"AWS::EC2::InternetGateway", "id", "ec2", "DescribeInternetGateways",
     "InternetGateways[0].InternetGatewayId", "Filters", 0, 0, 0, 0},
    {"AWS::EC2::NatGateway", "id", "ec2", "DescribeNatGateways", "NatGateways[0].NatGatewayId",
     "Filter", 0, 0, 0, 0},
    {"AWS::EC2::RouteTable", "id", "ec2", "DescribeRouteTables", "RouteTables[0].RouteTableId",
     "Filters", 0, 0, 0, 0},
    {"AWS::EC2::SecurityGroup", "id", "ec2", "DescribeSecurityGroups", "SecurityGroups[0].GroupId",
     "Filters", 0, 0, 0, 0},
    {"AWS::EC2::EIP", "allocation_id", "ec2", "DescribeAddresses", "Addresses[0].AllocationId",
     "Filters", 0, 0, 0, 0},
    {"AWS::EC2::EIP", "address", "ec2", "DescribeAddresses", "Addresses[0].PublicIp", "Filters", 0,
     0, 0, 0},
    {"AWS::EC2::Instance", "id", "ec2", "DescribeInstances",
     "Reservations[0].Instances[0].InstanceId", "Filters", 0, 0, 0, 0},
    {"AWS::IAM::Role", "arn", "iam", "GetRole", "Role.Arn", "RoleName", "RoleName", 64, 0, 0},
    {"AWS::Route53::HostedZone", "id", "route53", "ListHostedZonesByName", "HostedZones[0].Id",
     "DNSName", "Name", 255, 0, 0},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "arn", "elbv2", "DescribeTargetGroups",
     "TargetGroups[0].TargetGroupArn", "Names", "Name", 32, 0, 1},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "arn", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].LoadBalancerArn", "Names", "Name", 32, 0, 1},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "dns_name", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].DNSName", "Names", "Name", 32, 0, 1},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "zone_id", "elbv2", "DescribeLoadBalancers",
     "LoadBalancers[0].CanonicalHostedZoneId", "Names", "Name", 32, 0, 1},
    {"AWS::ECR::Repository", "uri", "ecr", "DescribeRepositories", "repositories[0].repositoryUri",
     "repositoryNames", "RepositoryName", 256, 1, 1},
    {"AWS::ECS::Cluster", "arn", "ecs", "DescribeClusters", "clusters[0].clusterArn", "clusters",
     "ClusterName", 255, 0, 1},
    {"AWS::ECS::TaskDefinition", "arn", "ecs", "DescribeTaskDefinition",
     "taskDefinition.taskDefinitionArn", "taskDefinition", "Family", 255, 0, 0},
    {"AWS::RDS::DBInstance", "address", "rds", "DescribeDBInstances",
     "DBInstances[0].Endpoint.Address", "DBInstanceIdentifier", "DBInstanceIdentifier", 63, 1, 0},
    {"AWS::RDS::DBInstance", "port", "rds", "DescribeDBInstances", "DBInstances[0].Endpoint.Port",
     "DBInstanceIdentifier", "DBInstanceIdentifier", 63, 1, 0},
    {"AWS::ECS::Service", "arn", "ecs", "DescribeServices", "services[0].serviceArn", "services",
     "ServiceName", 255, 0, 1},
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

static void known_put(Plan *p, const char *cap, const char *value) {
  char *v = strdup(value);
  if (!v)
    abort();
  free(strmap_get(&p->known, cap));
  strmap_put(&p->known, cap, v);
}

/* Makes ${cap} (name.attr of a deployed resource) available for the step
   at hand: from the state, as a name, or by a lookup step of its own. */
static bool provide(Plan *p, const cJSON *deployed, const char *logical,
                    const char *attr, const char *cap) {
  if (strmap_get(&p->known, cap) ||
      strmap_get(&p->capturer, cap))
    return true;
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(p->opt->state, logical), "captures");
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(st, attr);
  if (cJSON_IsString(v)) {
    known_put(p, cap, v->valuestring);
    return true;
  }
  const char *type = type_of(p, deployed, logical);
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
  for (size_t i = 0; i < sizeof identity_names / sizeof identity_names[0] && !ok; i++)
    if (!strcmp(identity_names[i].type, type) && !strcmp(identity_names[i].attr, attr)) {
      char *n = known_name(p, props, identity_names[i].prop, identity_names[i].max,
                           identity_names[i].lower);
      known_put(p, cap, n);
      free(n);
      ok = true;
    }
  cJSON *params = NULL;
  const Lookup *l = NULL;
  for (size_t i = 0; i < sizeof lookups / sizeof lookups[0] && !ok && !l; i++) {
    if (strcmp(lookups[i].type, type) || strcmp(lookups[i].attr, attr))
      continue;
    l = &lookups[i];
    params = cJSON_CreateObject();
    if (!l->name_prop) {
      cJSON_AddItemToObject(params, l->param, tag_filters(p, logical));
    } else {
      char *n = known_name(p, props, l->name_prop, l->max, l->lower);
      if (l->list)
        cJSON_AddItemToArray(cJSON_AddArrayToObject(params, l->param), cJSON_CreateString(n));
      else
        cJSON_AddStringToObject(params, l->param, n);
      free(n);
    }
  }
  p->logical = served;
  p->tmpl = saved_tmpl;
  if (l) {
    cJSON *s = new_step(p, l->service, l->op, params);
    cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(s, "captures"), cap, l->path);
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
static void settle(Plan *p, cJSON *v, const cJSON *deployed) {
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

/* ---- deletes ---- */

static cJSON *id_param(Plan *p, const char *key, const char *attr) {
  cJSON *params = cJSON_CreateObject();
  cJSON *ph = placeholder(p, p->logical, attr);
  cJSON_AddItemToObject(params, key, cJSON_Duplicate(ph, true));
  cJSON_Delete(ph);
  return params;
}

static void delete_simple(Plan *p, const char *service, const char *op, const char *key,
                          const char *attr, const char *waiter) {
  cJSON *s = new_step(p, service, op, id_param(p, key, attr));
  if (waiter)
    wait_for(s, waiter);
}

static void revoke(Plan *p, const cJSON *props, bool egress) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "GroupId", props, "GroupId");
  ip_permission(p, cJSON_AddArrayToObject(params, "IpPermissions"), props, egress);
  new_step(p, "ec2", egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", params);
}

static void delete(Plan *p, const cJSON *props) {
  const char *t = p->type;
  if (!strcmp(t, "AWS::EC2::VPC")) delete_simple(p, "ec2", "DeleteVpc", "VpcId", "id", NULL);
  else if (!strcmp(t, "AWS::EC2::Subnet"))
    delete_simple(p, "ec2", "DeleteSubnet", "SubnetId", "id", NULL);
  else if (!strcmp(t, "AWS::EC2::InternetGateway"))
    delete_simple(p, "ec2", "DeleteInternetGateway", "InternetGatewayId", "id", NULL);
  else if (!strcmp(t, "AWS::EC2::VPCGatewayAttachment")) {
    cJSON *params = cJSON_CreateObject();
    put(p, params, "InternetGatewayId", props, "InternetGatewayId");
    put(p, params, "VpcId", props, "VpcId");
    new_step(p, "ec2", "DetachInternetGateway", params);
  } else if (!strcmp(t, "AWS::EC2::EIP"))
    delete_simple(p, "ec2", "ReleaseAddress", "AllocationId", "allocation_id", NULL);
  else if (!strcmp(t, "AWS::EC2::NatGateway"))
    delete_simple(p, "ec2", "DeleteNatGateway", "NatGatewayId", "id", "nat_gateway_deleted");
  else if (!strcmp(t, "AWS::EC2::RouteTable"))
    delete_simple(p, "ec2", "DeleteRouteTable", "RouteTableId", "id", NULL);
  else if (!strcmp(t, "AWS::EC2::Route")) {
    cJSON *params = cJSON_CreateObject();
    put(p, params, "RouteTableId", props, "RouteTableId");
    put(p, params, "DestinationCidrBlock", props, "DestinationCidrBlock");
    new_step(p, "ec2", "DeleteRoute", params);
  } else if (!strcmp(t, "AWS::EC2::SubnetRouteTableAssociation"))
    delete_simple(p, "ec2", "DisassociateRouteTable", "AssociationId", "id", NULL);
  else if (!strcmp(t, "AWS::EC2::SecurityGroup"))
    delete_simple(p, "ec2", "DeleteSecurityGroup", "GroupId", "id", NULL);
  else if (!strcmp(t, "AWS::EC2::SecurityGroupIngress")) revoke(p, props, false);
  else if (!strcmp(t, "AWS::EC2::SecurityGroupEgress")) revoke(p, props, true);
  else if (!strcmp(t, "AWS::EC2::Instance")) {
    cJSON *params = cJSON_CreateObject();
    cJSON *ph = placeholder(p, p->logical, "id");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(params, "InstanceIds"), cJSON_Duplicate(ph, true));
    cJSON_Delete(ph);
    wait_for(new_step(p, "ec2", "TerminateInstances", params), "instance_terminated");
  } else if (!strcmp(t, "AWS::EC2::EIPAssociation"))
    delete_simple(p, "ec2", "DisassociateAddress", "AssociationId", "id", NULL);
  else if (!strcmp(t, "AWS::IAM::Role")) {
    cJSON *role = placeholder(p, p->logical, "name");
    const cJSON *arns = prop(props, "ManagedPolicyArns");
    for (const cJSON *a = arns ? arns->child : NULL; a; a = a->next) {
      cJSON *params = cJSON_CreateObject();
      cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
      cJSON_AddItemToObject(params, "PolicyArn", conv(p, a));
      new_step(p, "iam", "DetachRolePolicy", params);
    }
    const cJSON *inl = prop(props, "Policies");
    for (const cJSON *pol = inl ? inl->child : NULL; pol; pol = pol->next)
      delete_role_policy(p, role, pol);
    cJSON_Delete(role);
    delete_simple(p, "iam", "DeleteRole", "RoleName", "name", NULL);
  } else if (!strcmp(t, "AWS::IAM::InstanceProfile")) {
    cJSON *name = placeholder(p, p->logical, "name");
    const cJSON *roles = prop(props, "Roles");
    for (const cJSON *r = roles ? roles->child : NULL; r; r = r->next) {
      cJSON *params = cJSON_CreateObject();
      cJSON_AddItemToObject(params, "InstanceProfileName", cJSON_Duplicate(name, true));
      cJSON_AddItemToObject(params, "RoleName", conv(p, r));
      new_step(p, "iam", "RemoveRoleFromInstanceProfile", params);
    }
    cJSON_Delete(name);
    delete_simple(p, "iam", "DeleteInstanceProfile", "InstanceProfileName", "name", NULL);
  } else if (!strcmp(t, "AWS::RDS::DBSubnetGroup"))
    delete_simple(p, "rds", "DeleteDBSubnetGroup", "DBSubnetGroupName", "name", NULL);
  else if (!strcmp(t, "AWS::RDS::DBParameterGroup"))
    delete_simple(p, "rds", "DeleteDBParameterGroup", "DBParameterGroupName", "name", NULL);
  else if (!strcmp(t, "AWS::RDS::DBInstance")) {
    if (prop_true(props, "DeletionProtection")) {
      cJSON *m = id_param(p, "DBInstanceIdentifier", "id");
      cJSON_AddBoolToObject(m, "DeletionProtection", false);
      cJSON_AddBoolToObject(m, "ApplyImmediately", true);
      new_step(p, "rds", "ModifyDBInstance", m);
    }
    cJSON *params = id_param(p, "DBInstanceIdentifier", "id");
    cJSON_AddBoolToObject(params, "SkipFinalSnapshot", false);
    char *snap = phys_name(p, p->logical, 200, true);
    char *final = NULL;
    if (asprintf(&final, "%s-final", snap) < 0)
      abort();
    cJSON_AddStringToObject(params, "FinalDBSnapshotIdentifier", final);
    free(snap);
    free(final);
    wait_for(new_step(p, "rds", "DeleteDBInstance", params), "db_instance_deleted");
  } else if (!strcmp(t, "AWS::Route53::HostedZone"))
    delete_simple(p, "route53", "DeleteHostedZone", "Id", "id", NULL);
  else if (!strcmp(t, "AWS::CertificateManager::Certificate"))
    delete_simple(p, "acm", "DeleteCertificate", "CertificateArn", "arn", NULL);
  else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::TargetGroup"))
    delete_simple(p, "elbv2", "DeleteTargetGroup", "TargetGroupArn", "arn", NULL);
  else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
    delete_simple(p, "elbv2", "DeleteLoadBalancer", "LoadBalancerArn", "arn",
                  "load_balancers_deleted");
  else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::Listener"))
    delete_simple(p, "elbv2", "DeleteListener", "ListenerArn", "arn", NULL);
  else if (!strcmp(t, "AWS::Route53::RecordSet"))
    new_step(p, "route53", "ChangeResourceRecordSets", record_change(p, props, "DELETE"));
  else if (!strcmp(t, "AWS::ECR::Repository"))
    delete_simple(p, "ecr", "DeleteRepository", "repositoryName", "name", NULL);
  else if (!strcmp(t, "AWS::ECS::Cluster"))
    delete_simple(p, "ecs", "DeleteCluster", "cluster", "name", NULL);
  else if (!strcmp(t, "AWS::Logs::LogGroup"))
    delete_simple(p, "logs", "DeleteLogGroup", "logGroupName", "name", NULL);
  else if (!strcmp(t, "AWS::ECS::TaskDefinition"))
    delete_simple(p, "ecs", "DeregisterTaskDefinition", "taskDefinition", "arn", NULL);
  else if (!strcmp(t, "AWS::ECS::Service")) {
    cJSON *u = id_param(p, "service", "name");
    put(p, u, "cluster", props, "Cluster");
    cJSON_AddNumberToObject(u, "desiredCount", 0);
    new_step(p, "ecs", "UpdateService", u);
    cJSON *d = id_param(p, "service", "name");
    put(p, d, "cluster", props, "Cluster");
    new_step(p, "ecs", "DeleteService", d);
  } else if (!p->error && asprintf(&p->error, "no API plan to delete %s (%s)", p->logical, t) < 0)
    abort();
}

/* ---- updates ---- */

static bool rule_in(const cJSON *rule, const cJSON *rules) {
  for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next)
    if (cJSON_Compare(rule, r, true))
      return true;
  return false;
}

static void update_rules(Plan *p, const DiffProp *dp, bool egress) {
  cJSON *gid = placeholder(p, p->logical, "id");
  cJSON *gone = cJSON_CreateArray(), *added = cJSON_CreateArray();
  for (const cJSON *r = dp->old ? dp->old->child : NULL; r; r = r->next)
    if (!rule_in(r, dp->new))
      cJSON_AddItemToArray(gone, cJSON_Duplicate(r, true));
  for (const cJSON *r = dp->new ? dp->new->child : NULL; r; r = r->next)
    if (!rule_in(r, dp->old))
      cJSON_AddItemToArray(added, cJSON_Duplicate(r, true));
  const char *kind = egress ? "Egress" : "Ingress";
  char op[64];
  if (cJSON_GetArraySize(gone)) {
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "GroupId", cJSON_Duplicate(gid, true));
    cJSON *perms = cJSON_AddArrayToObject(params, "IpPermissions");
    for (const cJSON *r = gone->child; r; r = r->next)
      ip_permission(p, perms, r, egress);
    snprintf(op, sizeof op, "RevokeSecurityGroup%s", kind);
    new_step(p, "ec2", op, params);
  }
  snprintf(op, sizeof op, "AuthorizeSecurityGroup%s", kind);
  authorize(p, op, gid, added, egress);
  cJSON_Delete(gone);
  cJSON_Delete(added);
  cJSON_Delete(gid);
}

/* The policy of a Policies list with the name name, or NULL. */
static const cJSON *policy_named(const cJSON *policies, const cJSON *name) {
  for (const cJSON *pol = policies ? policies->child : NULL; pol; pol = pol->next)
    if (name && cJSON_Compare(prop(pol, "PolicyName"), name, true))
      return pol;
  return NULL;
}

static bool changed(const DiffResource *r, const char *path) {
  for (int i = 0; i < r->nprops; i++)
    if (!strcmp(r->props[i].path, path))
      return true;
  return false;
}

static void update(Plan *p, const DiffResource *r, const cJSON *props) {
  const char *t = p->type;
  for (int i = 0; i < r->nprops; i++) {
    const DiffProp *dp = &r->props[i];
    const char *k = dp->path;
    if (!strcmp(t, "AWS::EC2::SecurityGroup") && !strcmp(k, "SecurityGroupIngress"))
      update_rules(p, dp, false);
    else if (!strcmp(t, "AWS::EC2::SecurityGroup") && !strcmp(k, "SecurityGroupEgress"))
      update_rules(p, dp, true);
    else if (!strcmp(t, "AWS::Logs::LogGroup") && !strcmp(k, "RetentionInDays")) {
      cJSON *params = id_param(p, "logGroupName", "name");
      if (dp->new) {
        put_int(p, params, "retentionInDays", props, "RetentionInDays");
        new_step(p, "logs", "PutRetentionPolicy", params);
      } else {
        new_step(p, "logs", "DeleteRetentionPolicy", params);
      }
    } else if ((!strcmp(t, "AWS::EC2::VPC") &&
                (!strcmp(k, "EnableDnsSupport") || !strcmp(k, "EnableDnsHostnames"))) ||
               (!strcmp(t, "AWS::EC2::Subnet") && !strcmp(k, "MapPublicIpOnLaunch"))) {
      bool vpc = !strcmp(t, "AWS::EC2::VPC");
      cJSON *params = id_param(p, vpc ? "VpcId" : "SubnetId", "id");
      cJSON_AddBoolToObject(cJSON_AddObjectToObject(params, k), "Value", prop_true(props, k));
      new_step(p, "ec2", vpc ? "ModifyVpcAttribute" : "ModifySubnetAttribute", params);
    } else if (!strcmp(k, "Tags") && !strncmp(t, "AWS::EC2::", 10)) {
      cJSON *params = cJSON_CreateObject();
      cJSON *id = placeholder(p, p->logical, ref_attr(t));
      cJSON_AddItemToArray(cJSON_AddArrayToObject(params, "Resources"), cJSON_Duplicate(id, true));
      cJSON_Delete(id);
      put(p, params, "Tags", props, "Tags");
      new_step(p, "ec2", "CreateTags", params);
    } else if (!strcmp(t, "AWS::EC2::Route")) {
      if (i == 0) {
        cJSON *params = cJSON_CreateObject();
        static const char *const keys[] = {"RouteTableId", "DestinationCidrBlock", "GatewayId",
                                           "NatGatewayId", "InstanceId", NULL};
        for (const char *const *key = keys; *key; key++)
          put(p, params, *key, props, *key);
        new_step(p, "ec2", "ReplaceRoute", params);
      }
    } else if (!strcmp(t, "AWS::Route53::RecordSet")) {
      if (i == 0)
        new_step(p, "route53", "ChangeResourceRecordSets", record_change(p, props, "UPSERT"));
    } else if (!strcmp(t, "AWS::ECS::Service") &&
               (!strcmp(k, "TaskDefinition") || !strcmp(k, "DesiredCount") ||
                !strcmp(k, "DeploymentConfiguration") ||
                !strcmp(k, "HealthCheckGracePeriodSeconds"))) {
      static const char *const keys[] = {"TaskDefinition", "DesiredCount",
                                         "DeploymentConfiguration",
                                         "HealthCheckGracePeriodSeconds", NULL};
      const char *const *first = keys;
      while (!changed(r, *first))
        first++;
      if (strcmp(*first, k))
        continue; /* one UpdateService says them all */
      cJSON *params = id_param(p, "service", "name");
      put(p, params, "cluster", props, "Cluster");
      if (changed(r, "TaskDefinition"))
        put(p, params, "taskDefinition", props, "TaskDefinition");
      if (changed(r, "DesiredCount"))
        put_int(p, params, "desiredCount", props, "DesiredCount");
      if (changed(r, "DeploymentConfiguration"))
        put_deployment(p, params, props);
      if (changed(r, "HealthCheckGracePeriodSeconds"))
        put_int(p, params, "healthCheckGracePeriodSeconds", props, "HealthCheckGracePeriodSeconds");
      new_step(p, "ecs", "UpdateService", params);
    } else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::TargetGroup") &&
               (!strncmp(k, "HealthCheck", 11) || !strcmp(k, "Matcher") ||
                strstr(k, "ThresholdCount"))) {
      cJSON *params = id_param(p, "TargetGroupArn", "arn");
      put(p, params, k, props, k);
      new_step(p, "elbv2", "ModifyTargetGroup", params);
    } else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::Listener")) {
      cJSON *params = id_param(p, "ListenerArn", "arn");
      put(p, params, k, props, k);
      new_step(p, "elbv2", "ModifyListener", params);
    } else if (!strcmp(t, "AWS::ElasticLoadBalancingV2::LoadBalancer") &&
               (!strcmp(k, "Subnets") || !strcmp(k, "SecurityGroups"))) {
      cJSON *params = id_param(p, "LoadBalancerArn", "arn");
      put(p, params, k, props, k);
      new_step(p, "elbv2", !strcmp(k, "Subnets") ? "SetSubnets" : "SetSecurityGroups", params);
    } else if (!strcmp(t, "AWS::RDS::DBInstance")) {
      static const char *const keys[] = {"DBInstanceClass", "MultiAZ", "BackupRetentionPeriod",
                                         "DeletionProtection", "EngineVersion", "AllocatedStorage",
                                         "PubliclyAccessible", "MasterUserPassword", NULL};
      bool ok = false;
      for (const char *const *key = keys; *key; key++)
        ok |= !strcmp(*key, k);
      if (!ok)
        goto unsupported;
      cJSON *params = id_param(p, "DBInstanceIdentifier", "id");
      if (!strcmp(k, "AllocatedStorage") || !strcmp(k, "BackupRetentionPeriod"))
        put_int(p, params, k, props, k);
      else if (!strcmp(k, "EngineVersion"))
        put_str(p, params, k, props, k);
      else
        put(p, params, k, props, k);
      cJSON_AddBoolToObject(params, "ApplyImmediately", true);
      new_step(p, "rds", "ModifyDBInstance", params);
    } else if (!strcmp(t, "AWS::IAM::Role") && !strcmp(k, "ManagedPolicyArns")) {
      cJSON *role = placeholder(p, p->logical, "name");
      for (int pass = 0; pass < 2; pass++) {
        const cJSON *from = pass ? dp->new : dp->old, *other = pass ? dp->old : dp->new;
        for (const cJSON *a = from ? from->child : NULL; a; a = a->next) {
          if (rule_in(a, other))
            continue;
          cJSON *params = cJSON_CreateObject();
          cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
          cJSON_AddItemToObject(params, "PolicyArn", conv(p, a));
          new_step(p, "iam", pass ? "AttachRolePolicy" : "DetachRolePolicy", params);
        }
      }
      cJSON_Delete(role);
    } else if (!strcmp(t, "AWS::IAM::Role") && !strcmp(k, "Policies")) {
      cJSON *role = placeholder(p, p->logical, "name");
      for (const cJSON *pol = dp->old ? dp->old->child : NULL; pol; pol = pol->next)
        if (!policy_named(dp->new, prop(pol, "PolicyName")))
          delete_role_policy(p, role, pol);
      for (const cJSON *pol = dp->new ? dp->new->child : NULL; pol; pol = pol->next)
        if (!rule_in(pol, dp->old)) /* new or changed: PutRolePolicy replaces it whole */
          put_role_policy(p, role, pol);
      cJSON_Delete(role);
    } else if (!strcmp(t, "AWS::ECR::Repository") && !strcmp(k, "ImageScanningConfiguration")) {
      cJSON *params = id_param(p, "repositoryName", "name");
      cJSON_AddItemToObject(params, "imageScanningConfiguration", camel(dp->new, false));
      new_step(p, "ecr", "PutImageScanningConfiguration", params);
    } else if (!strcmp(t, "AWS::ECR::Repository") && !strcmp(k, "ImageTagMutability")) {
      cJSON *params = id_param(p, "repositoryName", "name");
      put(p, params, "imageTagMutability", props, k);
      new_step(p, "ecr", "PutImageTagMutability", params);
    } else {
    unsupported:
      if (!p->error &&
          asprintf(&p->error, "no API call updates %s of %s (%s) in place", k, p->logical, t) < 0)
        abort();
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

/* The indexes of the resources v refers to: Ref, Fn::GetAtt, ${X} and
   ${X.attr} of Fn::Sub, DependsOn. */
static void collect_refs(const cJSON *v, const StrMap *ids, Ints *out) {
  const char *key = v->string;
  if (key && cJSON_IsString(v) && (!strcmp(key, "Ref") || !strcmp(key, "DependsOn"))) {
    ref_to(ids, v->valuestring, out);
  } else if (key && cJSON_IsArray(v) && !strcmp(key, "Fn::GetAtt")) {
    if (cJSON_IsString(v->child))
      ref_to(ids, v->child->valuestring, out);
  } else if (key && cJSON_IsString(v) && !strcmp(key, "Fn::Sub")) {
    char name[256];
    for (const char *s = v->valuestring; (s = strstr(s, "${")); s += 2) {
      size_t len = strcspn(s + 2, ".}");
      if (s[2] != '!' && len < sizeof name) {
        memcpy(name, s + 2, len);
        name[len] = '\0';
        ref_to(ids, name, out);
      }
    }
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
   a route with its table, a rule with its group, an address's association
   with its instance, a listener with its load balancer, a subnet's
   association with its subnet, unless its route table goes too (a table is
   deleted only once nothing is associated with it). */
static bool goes_with_owner(const Plan *p, const char *type, const cJSON *r) {
  static const struct {
    const char *type, *owner, *unless;
  } companions[] = {
      {"AWS::EC2::Route", "RouteTableId", NULL},
      {"AWS::EC2::SecurityGroupIngress", "GroupId", NULL},
      {"AWS::EC2::SecurityGroupEgress", "GroupId", NULL},
      {"AWS::EC2::EIPAssociation", "InstanceId", NULL},
      {"AWS::ElasticLoadBalancingV2::Listener", "LoadBalancerArn", NULL},
      {"AWS::EC2::SubnetRouteTableAssociation", "SubnetId", "RouteTableId"},
  };
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
  for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++)
    if (!strcmp(companions[i].type, type))
      return goes_away(p, cJSON_GetObjectItemCaseSensitive(props, companions[i].owner)) &&
             !(companions[i].unless &&
               goes_away(p, cJSON_GetObjectItemCaseSensitive(props, companions[i].unless)));
  return false;
}

static void run_delete(Plan *p, const cJSON *r, const char *action) {
  p->logical = r->string;
  p->type = type_of(p, p->deployed, r->string);
  p->action = action;
  p->tmpl = p->deployed;
  delete(p, cJSON_GetObjectItemCaseSensitive(r, "Properties"));
}

/* Writes the steps made since the last call, if the plan is written as it
   goes, and frees them. */
static void flush(Plan *p) {
  if (!p->out)
    return;
  for (cJSON *s; (s = p->steps->child); cJSON_Delete(s)) {
    cJSON_DetachItemViaPointer(p->steps, s);
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
  if (diff) {
    p->deployed = old_t;
    /* replaced resources go first, dependents before what they use */
    for (int i = n_old - 1; i >= 0; i--) {
      const DiffResource *d = diff_of(p, old_order[i]->string);
      if (d && d->action == DIFF_REPLACE && !d->retained &&
          !goes_with_owner(p, d->type, old_order[i])) {
        run_delete(p, old_order[i], "replace");
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
    if (d && d->action == DIFF_UPDATE) {
      p->action = "update";
      update(p, d, props);
    } else {
      p->action = d && d->action == DIFF_REPLACE ? "replace" : "create";
      create(p, props);
    }
    flush(p);
  }
  if (diff) {
    /* removed resources last, after the updates that stopped using them */
    for (int i = n_old - 1; i >= 0 && !p->error; i--) {
      const DiffResource *d = diff_of(p, old_order[i]->string);
      if (!d || d->action != DIFF_DELETE || d->retained ||
          goes_with_owner(p, d->type, old_order[i]))
        continue; /* a retained resource stays in AWS: no call */
      /* after the last step of each resource that uses it */
      cJSON *deps = cJSON_CreateArray();
      const Ints *users = &old_g.users[(intptr_t)strmap_get(&old_g.ids, old_order[i]->string) - 1];
      for (int u = 0; u < users->n; u++) {
        char buf[24];
        const char *by = step_name(buf, strmap_get(&p->last, old_g.all[users->v[u]]->string));
        if (by)
          cJSON_AddItemToArray(deps, cJSON_CreateString(by));
      }
      p->extra_deps = deps;
      run_delete(p, old_order[i], "delete");
      p->extra_deps = NULL;
      cJSON_Delete(deps);
      flush(p);
    }
  }
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
