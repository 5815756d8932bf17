/* cfn_json.c: the resource graph as a CloudFormation template (a cJSON
   tree), and the tree as JSON text. Everything here is translation: the
   checks were made before lowering. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_json.h"

/* Strings and keys of the IR are referred to, not copied: they live in the
   compilation's arena, which outlives the tree (2 million fewer copies at
   100,000 resources). */
static cJSON *value(const IrValue *v) {
  cJSON *o;
  switch (v->k) {
  case IV_STR: return cJSON_CreateStringReference(v->s);
  case IV_INT: return cJSON_CreateNumber((double)v->i);
  case IV_BOOL: return cJSON_CreateBool(v->i != 0);
  case IV_LIST:
    o = cJSON_CreateArray();
    for (int i = 0; i < v->n; i++)
      cJSON_AddItemToArray(o, value(v->items[i]));
    return o;
  case IV_MAP:
    o = cJSON_CreateObject();
    for (int i = 0; i < v->n; i++)
      cJSON_AddItemToObjectCS(o, v->keys[i], value(v->items[i]));
    return o;
  case IV_REF:
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Ref", v->s);
    return o;
  case IV_GETATT: {
    o = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(o, "Fn::GetAtt");
    cJSON_AddItemToArray(a, cJSON_CreateString(v->s));
    cJSON_AddItemToArray(a, cJSON_CreateString(v->attr));
    return o;
  }
  case IV_SUB:
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Fn::Sub", v->s);
    return o;
  case IV_BASE64:
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "Fn::Base64", value(v->items[0]));
    return o;
  case IV_JOIN: {
    o = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(o, "Fn::Join");
    cJSON_AddItemToArray(a, cJSON_CreateString(v->s));
    cJSON_AddItemToArray(a, value(v->items[0]));
    return o;
  }
  }
  return cJSON_CreateNull();
}

static cJSON *param(const IrParam *p) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "Type", p->type);
  if (p->def && !p->secret) cJSON_AddStringToObject(o, "Default", p->def);
  if (p->nallowed) {
    cJSON *a = cJSON_AddArrayToObject(o, "AllowedValues");
    for (int i = 0; i < p->nallowed; i++)
      cJSON_AddItemToArray(a, cJSON_CreateString(p->allowed[i]));
  }
  if (p->secret) cJSON_AddBoolToObject(o, "NoEcho", true);
  if (p->ssm)
    cJSON_AddStringToObject(o, "Description",
                            "read at deploy time from the SSM public parameter of the Default");
  return o;
}

static cJSON *resource(const IrResource *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "Type", r->type);
  if (r->ndepends == 1) {
    cJSON_AddStringToObject(o, "DependsOn", r->depends_on[0]);
  } else if (r->ndepends > 1) {
    cJSON *a = cJSON_AddArrayToObject(o, "DependsOn");
    for (int i = 0; i < r->ndepends; i++)
      cJSON_AddItemToArray(a, cJSON_CreateString(r->depends_on[i]));
  }
  if (r->deletion_policy) {
    cJSON_AddStringToObject(o, "DeletionPolicy", r->deletion_policy);
    cJSON_AddStringToObject(o, "UpdateReplacePolicy", r->deletion_policy);
  }
  if (r->props && r->props->n) cJSON_AddItemToObject(o, "Properties", value(r->props));
  return o;
}

cJSON *cfn_template(const IrStack *ir) {
  cJSON *t = cJSON_CreateObject();
  cJSON_AddStringToObject(t, "AWSTemplateFormatVersion", "2010-09-09");
  if (ir->description) cJSON_AddStringToObject(t, "Description", ir->description);
  if (ir->nparams) {
    cJSON *ps = cJSON_AddObjectToObject(t, "Parameters");
    for (int i = 0; i < ir->nparams; i++)
      cJSON_AddItemToObject(ps, ir->params[i]->logical_id, param(ir->params[i]));
  }
  cJSON *rs = cJSON_AddObjectToObject(t, "Resources");
  for (int i = 0; i < ir->nres; i++)
    cJSON_AddItemToObjectCS(rs, ir->res[i]->logical_id, resource(ir->res[i]));
  if (ir->noutputs) {
    cJSON *os = cJSON_AddObjectToObject(t, "Outputs");
    for (int i = 0; i < ir->noutputs; i++) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddItemToObject(o, "Value", value(ir->outputs[i]->value));
      cJSON_AddItemToObject(os, ir->outputs[i]->logical_id, o);
    }
  }
  return t;
}

/* ---- rendering ---- */

typedef JsonOut Out;

static void grow(Out *o, size_t n) {
  size_t cap = o->cap ? o->cap * 2 : 4096;
  while (cap < o->len + n + 1)
    cap *= 2;
  char *p = realloc(o->s, cap);
  if (!p) abort();
  o->s = p;
  o->cap = cap;
}

/* Called for every token of the output: the growth is out of line. */
static inline void put(Out *o, const char *s, size_t n) {
  if (o->len + n + 1 > o->cap) grow(o, n);
  memcpy(o->s + o->len, s, n);
  o->len += n;
  o->s[o->len] = '\0';
}

static void puts_(Out *o, const char *s) {
  put(o, s, strlen(s));
}

static void indent(Out *o, int depth) {
  static const char spaces[] = "                                ";
  for (int n = depth * 2; n > 0; n -= 32)
    put(o, spaces, n < 32 ? (size_t)n : 32);
}

static void string(Out *o, const char *s) {
  static const char hex[] = "0123456789abcdef";
  put(o, "\"", 1);
  /* 1 for the bytes that end a run: NUL, the controls, '"' and '\\'. */
  static const unsigned char stop[256] = {
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      ['"'] = 1, ['\\'] = 1,
  };
  const unsigned char *p = (const unsigned char *)s, *run = p;
  for (;; p++) {
    while (!stop[*p])
      p++;
    if (!*p) break;
    put(o, (const char *)run, (size_t)(p - run));
    run = p + 1;
    switch (*p) {
    case '"': put(o, "\\\"", 2); break;
    case '\\': put(o, "\\\\", 2); break;
    case '\n': put(o, "\\n", 2); break;
    case '\r': put(o, "\\r", 2); break;
    case '\t': put(o, "\\t", 2); break;
    default: {
      char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
      put(o, u, 6);
    }
    }
  }
  put(o, (const char *)run, (size_t)(p - run));
  put(o, "\"", 1);
}

static void scalar(Out *o, const cJSON *v) {
  if (cJSON_IsString(v)) {
    string(o, v->valuestring);
  } else if (cJSON_IsNumber(v)) {
    char buf[32];
    double d = v->valuedouble;
    if (!isfinite(d)) /* JSON has no infinity: a template read back may (YAML's 1e999) */
      snprintf(buf, sizeof buf, "null");
    else if (d > -1e18 && d < 1e18 && d == (double)(long long)d) /* in range: no UB */
      snprintf(buf, sizeof buf, "%lld", (long long)d);
    else
      snprintf(buf, sizeof buf, "%.17g", d);
    puts_(o, buf);
  } else if (cJSON_IsTrue(v)) {
    puts_(o, "true");
  } else if (cJSON_IsFalse(v)) {
    puts_(o, "false");
  } else {
    puts_(o, "null");
  }
}

static bool container(const cJSON *v) {
  return cJSON_IsObject(v) || cJSON_IsArray(v);
}

static bool intrinsic(const cJSON *v) {
  return cJSON_IsObject(v) && v->child && !v->child->next &&
         (!strcmp(v->child->string, "Ref") || !strncmp(v->child->string, "Fn::", 4));
}

/* Small enough for one line, as a person writes it: scalars, and intrinsic
   functions of scalars ({"Ref": "MainVpc"}, [{"Fn::GetAtt": [...]}]). */
static bool flat(const cJSON *v, int depth) {
  if (!container(v)) return true;
  if (depth > 3) return false;
  for (const cJSON *c = v->child; c; c = c->next)
    if (container(c) && !(intrinsic(c) && flat(c->child, depth + 1)) &&
        !(intrinsic(v) && flat(c, depth + 1)))
      return false;
  return true;
}

static void compact(Out *o, const cJSON *v) {
  if (!container(v)) {
    scalar(o, v);
    return;
  }
  bool obj = cJSON_IsObject(v);
  puts_(o, obj ? "{" : "[");
  for (const cJSON *c = v->child; c; c = c->next) {
    if (obj) {
      string(o, c->string);
      puts_(o, ": ");
    }
    compact(o, c);
    if (c->next) puts_(o, ", ");
  }
  puts_(o, obj ? "}" : "]");
}

enum { WIDTH = 100 };

/* v at depth (the template is 0), its first line already at column col. */
static void render(Out *o, const cJSON *v, int depth, size_t col) {
  if (!container(v)) {
    scalar(o, v);
    return;
  }
  bool obj = cJSON_IsObject(v);
  if (!v->child) {
    puts_(o, obj ? "{}" : "[]");
    return;
  }
  if (depth >= 3 && !(v->string && !strcmp(v->string, "Properties")) && flat(v, 0)) {
    size_t start = o->len;
    compact(o, v);
    if (col + o->len - start <= WIDTH) return;
    o->len = start;
    o->s[start] = '\0';
  }
  puts_(o, obj ? "{\n" : "[\n");
  for (const cJSON *c = v->child; c; c = c->next) {
    size_t line = o->len;
    indent(o, depth + 1);
    if (obj) {
      string(o, c->string);
      puts_(o, ": ");
    }
    render(o, c, depth + 1, o->len - line);
    puts_(o, c->next ? ",\n" : "\n");
  }
  indent(o, depth);
  puts_(o, obj ? "}" : "]");
}

char *cfn_json_render(const cJSON *t) {
  Out o = {0};
  render(&o, t, 0, 0);
  put(&o, "\n", 1);
  return o.s;
}

void json_out(JsonOut *o, const char *text) {
  puts_(o, text);
}

void json_out_member(JsonOut *o, int depth, const char *key, const cJSON *v) {
  size_t line = o->len;
  indent(o, depth);
  if (key) {
    string(o, key);
    puts_(o, ": ");
  }
  render(o, v, depth, o->len - line);
}
