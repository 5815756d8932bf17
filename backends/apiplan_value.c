/* apiplan_value.c: template values as the params of API calls. Ref and
   Fn::GetAtt become {"$capture": "name.attr"} (planvalue.h), interpolated
   strings (cfn_parts.h) and Fn::Join {"$join": [...]} of text and captures, parameters their values
   or reads of SSM, pseudo parameters what they stand for. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan_int.h"
#include "awstypes.h"
#include "cfn_parts.h"
#include "planvalue.h"

static const cJSON *param(Plan *p, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p->tmpl, "Parameters"),
                                          name);
}

static bool is_ssm_param(const cJSON *prm) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(prm, "Type");
  return cJSON_IsString(t) && !strncmp(t->valuestring, "AWS::SSM::Parameter::Value", 26);
}

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
cJSON *placeholder(Plan *p, const char *logical, const char *attr) {
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

/* Fn::GetAtt logical.attr, as the capture name.attr (snake case). For a
   type without a native row, the attribute that is its primary identifier
   is name.id, which Cloud Control's create captures; the others its
   GetResource step captures (apiplan_cloudcontrol.c). */
static cJSON *getatt(Plan *p, const char *logical, const char *attr) {
  const AwsType *t = native_type(type_of(p, p->tmpl, logical)) ? NULL
                     : aws_type_find(type_of(p, p->tmpl, logical));
  if (t && t->primary_id && t->primary_id[0] && !t->primary_id[1] && !strcmp(t->primary_id[0], attr))
    return placeholder(p, logical, "id");
  char *a = snake(attr);
  cJSON *v = placeholder(p, logical, a);
  free(a);
  return v;
}

/* The value a Ref part of an interpolated string stands for. */
static cJSON *part_ref(Plan *p, const char *var) {
  cJSON *v = pseudo(p, var);
  if (v)
    return v;
  const cJSON *prm = param(p, var);
  if (prm)
    return param_value(p, var, prm);
  return placeholder(p, var, ref_attr(type_of(p, p->tmpl, var)));
}

/* An interpolated string (cfn_parts.h) as the join of its text and what
   its references stand for. */
static cJSON *conv_parts(Plan *p, const cJSON *items) {
  cJSON *parts = cJSON_CreateArray();
  Part part;
  for (const cJSON *x = items; x; x = x->next) {
    cfn_part(x, &part);
    cJSON_AddItemToArray(parts, part.k == PART_TEXT     ? cJSON_CreateString(part.s)
                                : part.k == PART_REF    ? part_ref(p, part.s)
                                : part.k == PART_GETATT ? getatt(p, part.s, part.attr)
                                                        : conv(p, x));
  }
  return pv_join(parts);
}

/* A log group's name: CreateLogGroup returns nothing to capture, and the
   name is known before it runs. */
cJSON *log_group_name(Plan *p, const char *logical) {
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

cJSON *conv(Plan *p, const cJSON *v) {
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
      return getatt(p, f->child->valuestring, f->child->next->valuestring);
    }
    if (!strcmp(k, PARTS_KEY) && cJSON_IsArray(f))
      return conv_parts(p, f->child);
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

/* ---- property helpers ---- */

const cJSON *prop(const cJSON *props, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(props, name);
}

/* params[key] = conv(props[name]) when present. */
void put(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name) {
  const cJSON *v = prop(props, name);
  if (v)
    cJSON_AddItemToObject(params, key, conv(p, v));
}

void put_int(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name) {
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

void put_str(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name) {
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

bool prop_true(const cJSON *props, const char *name) {
  const cJSON *v = prop(props, name);
  return cJSON_IsTrue(v) || (cJSON_IsString(v) && !strcmp(v->valuestring, "true"));
}

void put_name(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name,
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
void put_tagspec(Plan *p, cJSON *params, const cJSON *props, const char *rtype) {
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
void put_tags(Plan *p, cJSON *params, const char *key, const cJSON *props, bool lower) {
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
cJSON *camel(const cJSON *v, bool keep_keys) {
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

cJSON *json_text(Plan *p, const cJSON *doc) {
  cJSON *v = conv(p, doc), *parts = cJSON_CreateArray();
  text_parts(parts, v);
  cJSON_Delete(v);
  return pv_join(parts);
}
