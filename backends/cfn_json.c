/* cfn_json.c: the resource graph as a CloudFormation template (a cJSON
   tree), the tree as JSON text, and the resource graph as the same text
   without the tree. Everything here is translation: the checks were made
   before lowering. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_json.h"
#include "cfn_parts.h"

static const char version[] = "2010-09-09";
static const char ssm_note[] = "read at deploy time from the SSM public parameter of the Default";

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
  case IV_SUB: /* the parts, which the printers write as Fn::Sub */
    o = cfn_parts_new();
    for (int i = 0; i < v->n; i++)
      cfn_parts_add(o, value(v->items[i]));
    return o;
  case IV_BASE64:
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "Fn::Base64", value(v->items[0]));
    return o;
  case IV_FN:
    o = cJSON_CreateObject();
    if (v->n == 1) {
      cJSON_AddItemToObject(o, v->s, value(v->items[0]));
    } else {
      cJSON *a = cJSON_AddArrayToObject(o, v->s);
      for (int i = 0; i < v->n; i++)
        cJSON_AddItemToArray(a, value(v->items[i]));
    }
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
  if (p->min_length) cJSON_AddNumberToObject(o, "MinLength", p->min_length);
  if (p->max_length) cJSON_AddNumberToObject(o, "MaxLength", p->max_length);
  if (p->allowed_pattern) cJSON_AddStringToObject(o, "AllowedPattern", p->allowed_pattern);
  if (p->constraint) cJSON_AddStringToObject(o, "ConstraintDescription", p->constraint);
  if (p->ssm)
    cJSON_AddStringToObject(o, "Description", ssm_note);
  return o;
}

static cJSON *resource(const IrResource *r) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "Type", r->type);
  if (r->condition) cJSON_AddStringToObject(o, "Condition", r->condition);
  if (r->ndepends == 1) {
    cJSON_AddStringToObject(o, "DependsOn", r->depends_on[0]);
  } else if (r->ndepends > 1) {
    cJSON *a = cJSON_AddArrayToObject(o, "DependsOn");
    for (int i = 0; i < r->ndepends; i++)
      cJSON_AddItemToArray(a, cJSON_CreateString(r->depends_on[i]));
  }
  if (r->deletion_policy) cJSON_AddStringToObject(o, "DeletionPolicy", r->deletion_policy);
  if (r->update_replace_policy)
    cJSON_AddStringToObject(o, "UpdateReplacePolicy", r->update_replace_policy);
  if (r->metadata) cJSON_AddItemToObject(o, "Metadata", value(r->metadata));
  if (r->creation_policy) cJSON_AddItemToObject(o, "CreationPolicy", value(r->creation_policy));
  if (r->update_policy) cJSON_AddItemToObject(o, "UpdatePolicy", value(r->update_policy));
  if (r->props && r->props->n) cJSON_AddItemToObject(o, "Properties", value(r->props));
  return o;
}

cJSON *cfn_template(const IrStack *ir) {
  cJSON *t = cJSON_CreateObject();
  cJSON_AddStringToObject(t, "AWSTemplateFormatVersion", version);
  if (ir->description) cJSON_AddStringToObject(t, "Description", ir->description);
  if (ir->nparams) {
    cJSON *ps = cJSON_AddObjectToObject(t, "Parameters");
    for (int i = 0; i < ir->nparams; i++)
      cJSON_AddItemToObject(ps, ir->params[i]->logical_id, param(ir->params[i]));
  }
  if (ir->nmappings) {
    cJSON *ms = cJSON_AddObjectToObject(t, "Mappings");
    for (int i = 0; i < ir->nmappings; i++)
      cJSON_AddItemToObjectCS(ms, ir->mappings[i]->logical_id, value(ir->mappings[i]->value));
  }
  if (ir->nconditions) {
    cJSON *cs = cJSON_AddObjectToObject(t, "Conditions");
    for (int i = 0; i < ir->nconditions; i++)
      cJSON_AddItemToObjectCS(cs, ir->conditions[i]->logical_id, value(ir->conditions[i]->value));
  }
  cJSON *rs = cJSON_AddObjectToObject(t, "Resources");
  for (int i = 0; i < ir->nres; i++)
    cJSON_AddItemToObjectCS(rs, ir->res[i]->logical_id, resource(ir->res[i]));
  if (ir->noutputs) {
    cJSON *os = cJSON_AddObjectToObject(t, "Outputs");
    for (int i = 0; i < ir->noutputs; i++) {
      const IrOutput *out = ir->outputs[i];
      cJSON *o = cJSON_CreateObject();
      if (out->description) cJSON_AddItemToObject(o, "Description", value(out->description));
      if (out->condition) cJSON_AddStringToObject(o, "Condition", out->condition);
      cJSON_AddItemToObject(o, "Value", value(out->value));
      if (out->export_name)
        cJSON_AddItemToObject(cJSON_AddObjectToObject(o, "Export"), "Name", value(out->export_name));
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

/* Inline, so that the length of a literal is known when compiling. */
static inline void puts_(Out *o, const char *s) {
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

/* Numbers are doubles in a cJSON tree: the IR's integers are written
   through a double too, so that both renderings agree past 2^53. */
static void number(Out *o, double d) {
  char buf[32];
  if (!isfinite(d)) /* JSON has no infinity: a template read back may (YAML's 1e999) */
    snprintf(buf, sizeof buf, "null");
  else if (d > -1e18 && d < 1e18 && d == (double)(long long)d) /* in range: no UB */
    snprintf(buf, sizeof buf, "%lld", (long long)d);
  else
    snprintf(buf, sizeof buf, "%.17g", d);
  puts_(o, buf);
}

/* {"Ref": ...}, {"Fn::GetAtt": ...}: the one key of an intrinsic function;
   and {"$capture": ...}, {"$join": ...}, an API plan's placeholders. */
static bool intrinsic_key(const char *k) {
  return !strcmp(k, "Ref") || !strncmp(k, "Fn::", 4) || !strcmp(k, "$capture") ||
         !strcmp(k, "$join");
}

/* The layout, shared by both renderings: a container at depth 3 or more
   (a resource's DependsOn, a property's value), save Properties itself, is
   written on one line when it is flat and the line stays within WIDTH. */
enum { WIDTH = 100 };

static bool may_be_one_line(int depth, const char *key) {
  return depth >= 3 && !(key && !strcmp(key, "Properties"));
}

/* After a container written on one line from start, its line starting at
   column col: whether that line fits; when not, the container is erased. */
static bool fits(Out *o, size_t start, size_t col) {
  if (col + o->len - start <= WIDTH) return true;
  o->len = start;
  o->s[start] = '\0';
  return false;
}

/* ---- the tree as text ---- */

static void scalar(Out *o, const cJSON *v) {
  if (cJSON_IsString(v)) {
    string(o, v->valuestring);
  } else if (cJSON_IsNumber(v)) {
    number(o, v->valuedouble);
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
  return cJSON_IsObject(v) && v->child && !v->child->next && intrinsic_key(v->child->string);
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
  if (may_be_one_line(depth, v->string) && flat(v, 0)) {
    size_t start = o->len;
    compact(o, v);
    if (fits(o, start, col)) return;
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
  cJSON *printable = cfn_parts_printable(t);
  render(&o, printable ? printable : t, 0, 0);
  cJSON_Delete(printable);
  put(&o, "\n", 1);
  return o.s;
}

/* ---- the resource graph as text ---- */

/* For build, which only writes the template: the tree was 8% of its
   instructions and 166 MB at 100,000 resources. The text is the one
   cfn_json_render(cfn_template(ir)) gives, which tests/unit/test_cfn.c
   holds it to. Down to depth 3 the template's shape is fixed and written
   directly; values are read through Node, a view of the IR as the subtree
   value() would build, so that flat, compact and render can follow the
   tree's functions line for line. */

/* A node of that subtree: a value; the array argument of Fn::GetAtt or
   Fn::Join, which has no IrValue of its own; the arguments of another
   function (FNARGS: v->items); a string; the Fn::Sub text of an IV_SUB's
   parts (SUBTEXT); or an array of strings (DependsOn, AllowedValues). */
typedef enum { N_VALUE, N_ARGS, N_FNARGS, N_STR, N_SUBTEXT, N_STRS } NodeKind;

typedef struct {
  NodeKind k;
  const IrValue *v;     /* VALUE, ARGS (the Fn::GetAtt or Fn::Join) */
  const char *const *s; /* STR: *s; STRS: s[0..n) */
  int n;
} Node;

static Node node_value(const IrValue *v) {
  return (Node){N_VALUE, v, NULL, 0};
}

static Node node_str(const char *const *s) {
  return (Node){N_STR, NULL, s, 0};
}

static bool node_container(Node x) {
  return x.k == N_ARGS || x.k == N_FNARGS || x.k == N_STRS ||
         (x.k == N_VALUE && x.v->k != IV_STR && x.v->k != IV_INT && x.v->k != IV_BOOL);
}

static bool node_object(Node x) {
  return node_container(x) && x.k == N_VALUE && x.v->k != IV_LIST;
}

static int node_count(Node x) {
  switch (x.k) {
  case N_VALUE:
    if (x.v->k == IV_LIST || x.v->k == IV_MAP) return x.v->n;
    return node_container(x) ? 1 : 0; /* an intrinsic function has one key */
  case N_ARGS: return 2;
  case N_FNARGS: return x.v->n;
  case N_STR:
  case N_SUBTEXT: return 0;
  case N_STRS: return x.n;
  }
  return 0;
}

/* The key of child i of an object. */
static const char *node_key(Node x, int i) {
  switch (x.v->k) {
  case IV_REF: return "Ref";
  case IV_GETATT: return "Fn::GetAtt";
  case IV_SUB: return "Fn::Sub";
  case IV_BASE64: return "Fn::Base64";
  case IV_JOIN: return "Fn::Join";
  case IV_FN: return x.v->s;
  default: return x.v->keys[i];
  }
}

static Node node_child(Node x, int i) {
  const IrValue *v = x.v;
  switch (x.k) {
  case N_STRS: return node_str(x.s + i);
  case N_FNARGS: return node_value(v->items[i]);
  case N_ARGS: /* [logical ID, attribute] or [delimiter, list] */
    if (i == 0) return node_str(&v->s);
    return v->k == IV_GETATT ? node_str(&v->attr) : node_value(v->items[0]);
  default: break;
  }
  switch (v->k) {
  case IV_REF: return node_str(&v->s);
  case IV_SUB: return (Node){N_SUBTEXT, v, NULL, 0};
  case IV_GETATT:
  case IV_JOIN: return (Node){N_ARGS, v, NULL, 0};
  case IV_BASE64: return node_value(v->items[0]);
  case IV_FN: return v->n == 1 ? node_value(v->items[0]) : (Node){N_FNARGS, v, NULL, 0};
  default: return node_value(v->items[i]);
  }
}

static void node_scalar(Out *o, Node x) {
  if (x.k == N_SUBTEXT) {
    char *text = cfn_parts_ir_text(x.v);
    string(o, text);
    free(text);
  } else if (x.k == N_STR)
    string(o, *x.s);
  else if (x.v->k == IV_STR)
    string(o, x.v->s);
  else if (x.v->k == IV_INT)
    number(o, (double)x.v->i);
  else
    puts_(o, x.v->i ? "true" : "false");
}

static bool node_intrinsic(Node x) {
  return node_object(x) && node_count(x) == 1 && intrinsic_key(node_key(x, 0));
}

/* flat() of the tree. */
static bool node_flat(Node x, int depth) {
  if (!node_container(x)) return true;
  if (depth > 3) return false;
  for (int i = 0, n = node_count(x); i < n; i++) {
    Node c = node_child(x, i);
    if (node_container(c) && !(node_intrinsic(c) && node_flat(node_child(c, 0), depth + 1)) &&
        !(node_intrinsic(x) && node_flat(c, depth + 1)))
      return false;
  }
  return true;
}

/* compact() of the tree. */
static void node_compact(Out *o, Node x) {
  if (!node_container(x)) {
    node_scalar(o, x);
    return;
  }
  bool obj = node_object(x);
  puts_(o, obj ? "{" : "[");
  for (int i = 0, n = node_count(x); i < n; i++) {
    if (obj) {
      string(o, node_key(x, i));
      puts_(o, ": ");
    }
    node_compact(o, node_child(x, i));
    if (i + 1 < n) puts_(o, ", ");
  }
  puts_(o, obj ? "}" : "]");
}

/* render() of the tree; key is x's own key, NULL in an array. */
static void node_render(Out *o, Node x, const char *key, int depth, size_t col) {
  if (!node_container(x)) {
    node_scalar(o, x);
    return;
  }
  bool obj = node_object(x);
  int n = node_count(x);
  if (!n) {
    puts_(o, obj ? "{}" : "[]");
    return;
  }
  if (may_be_one_line(depth, key) && node_flat(x, 0)) {
    size_t start = o->len;
    node_compact(o, x);
    if (fits(o, start, col)) return;
  }
  puts_(o, obj ? "{\n" : "[\n");
  for (int i = 0; i < n; i++) {
    size_t line = o->len;
    indent(o, depth + 1);
    const char *k = obj ? node_key(x, i) : NULL;
    if (obj) {
      string(o, k);
      puts_(o, ": ");
    }
    node_render(o, node_child(x, i), k, depth + 1, o->len - line);
    puts_(o, i + 1 < n ? ",\n" : "\n");
  }
  indent(o, depth);
  puts_(o, obj ? "}" : "]");
}

/* An object of the fixed part being written: its members are at depth,
   and n of them are written so far. */
typedef struct {
  Out *o;
  int depth, n;
} Obj;

static Obj obj_open(Out *o, int depth) {
  puts_(o, "{");
  return (Obj){o, depth + 1, 0};
}

/* Starts the next member: the comma after the last one, its line and its
   key. Returns the column its value starts at. */
static size_t obj_key(Obj *b, const char *key) {
  puts_(b->o, b->n++ ? ",\n" : "\n");
  size_t line = b->o->len;
  indent(b->o, b->depth);
  string(b->o, key);
  puts_(b->o, ": ");
  return b->o->len - line;
}

static void obj_close(Obj *b) {
  if (b->n) {
    puts_(b->o, "\n");
    indent(b->o, b->depth - 1);
  }
  puts_(b->o, "}");
}

static void obj_str(Obj *b, const char *key, const char *s) {
  obj_key(b, key);
  string(b->o, s);
}

static void obj_node(Obj *b, const char *key, Node x) {
  size_t col = obj_key(b, key);
  node_render(b->o, x, key, b->depth, col);
}

/* param() as text, at depth 2. */
static void param_text(Out *o, const IrParam *p) {
  Obj b = obj_open(o, 2);
  obj_str(&b, "Type", p->type);
  if (p->def && !p->secret) obj_str(&b, "Default", p->def);
  if (p->nallowed) obj_node(&b, "AllowedValues", (Node){N_STRS, NULL, p->allowed, p->nallowed});
  if (p->secret) {
    obj_key(&b, "NoEcho");
    puts_(o, "true");
  }
  if (p->min_length) {
    obj_key(&b, "MinLength");
    number(o, p->min_length);
  }
  if (p->max_length) {
    obj_key(&b, "MaxLength");
    number(o, p->max_length);
  }
  if (p->allowed_pattern) obj_str(&b, "AllowedPattern", p->allowed_pattern);
  if (p->constraint) obj_str(&b, "ConstraintDescription", p->constraint);
  if (p->ssm) obj_str(&b, "Description", ssm_note);
  obj_close(&b);
}

/* resource() as text, at depth 2. */
static void resource_text(Out *o, const IrResource *r) {
  Obj b = obj_open(o, 2);
  obj_str(&b, "Type", r->type);
  if (r->condition) obj_str(&b, "Condition", r->condition);
  if (r->ndepends == 1)
    obj_str(&b, "DependsOn", r->depends_on[0]);
  else if (r->ndepends > 1)
    obj_node(&b, "DependsOn", (Node){N_STRS, NULL, r->depends_on, r->ndepends});
  if (r->deletion_policy) obj_str(&b, "DeletionPolicy", r->deletion_policy);
  if (r->update_replace_policy) obj_str(&b, "UpdateReplacePolicy", r->update_replace_policy);
  if (r->metadata) obj_node(&b, "Metadata", node_value(r->metadata));
  if (r->creation_policy) obj_node(&b, "CreationPolicy", node_value(r->creation_policy));
  if (r->update_policy) obj_node(&b, "UpdatePolicy", node_value(r->update_policy));
  if (r->props && r->props->n) obj_node(&b, "Properties", node_value(r->props));
  obj_close(&b);
}

/* Mappings or Conditions: each a value under its logical ID. */
static void named_text(Out *o, Obj *t, const char *key, IrNamed **items, int n) {
  if (!n) return;
  obj_key(t, key);
  Obj b = obj_open(o, 1);
  for (int i = 0; i < n; i++) obj_node(&b, items[i]->logical_id, node_value(items[i]->value));
  obj_close(&b);
}

char *cfn_json_render_ir(const IrStack *ir) {
  Out o = {0};
  Obj t = obj_open(&o, 0);
  obj_str(&t, "AWSTemplateFormatVersion", version);
  if (ir->description) obj_str(&t, "Description", ir->description);
  if (ir->nparams) {
    obj_key(&t, "Parameters");
    Obj ps = obj_open(&o, 1);
    for (int i = 0; i < ir->nparams; i++) {
      obj_key(&ps, ir->params[i]->logical_id);
      param_text(&o, ir->params[i]);
    }
    obj_close(&ps);
  }
  named_text(&o, &t, "Mappings", ir->mappings, ir->nmappings);
  named_text(&o, &t, "Conditions", ir->conditions, ir->nconditions);
  obj_key(&t, "Resources");
  Obj rs = obj_open(&o, 1);
  for (int i = 0; i < ir->nres; i++) {
    obj_key(&rs, ir->res[i]->logical_id);
    resource_text(&o, ir->res[i]);
  }
  obj_close(&rs);
  if (ir->noutputs) {
    obj_key(&t, "Outputs");
    Obj os = obj_open(&o, 1);
    for (int i = 0; i < ir->noutputs; i++) {
      obj_key(&os, ir->outputs[i]->logical_id);
      const IrOutput *out = ir->outputs[i];
      Obj v = obj_open(&o, 2);
      if (out->description) obj_node(&v, "Description", node_value(out->description));
      if (out->condition) obj_str(&v, "Condition", out->condition);
      obj_node(&v, "Value", node_value(out->value));
      if (out->export_name) {
        obj_key(&v, "Export");
        Obj x = obj_open(&o, 3);
        obj_node(&x, "Name", node_value(out->export_name));
        obj_close(&x);
      }
      obj_close(&v);
    }
    obj_close(&os);
  }
  obj_close(&t);
  put(&o, "\n", 1);
  return o.s;
}

void json_out(JsonOut *o, const char *text) {
  puts_(o, text);
}

void json_out_member(JsonOut *o, int depth, const char *key, const cJSON *v) {
  size_t line = o->len;
  cJSON *printable = cfn_parts_printable(v);
  indent(o, depth);
  if (key) {
    string(o, key);
    puts_(o, ": ");
  }
  render(o, printable ? printable : v, depth, o->len - line);
  cJSON_Delete(printable);
}

void json_out_flush(JsonOut *o) {
  if (!o->sink || !o->len)
    return;
  if (fwrite(o->s, 1, o->len, o->sink) != o->len && !o->error)
    o->error = errno ? errno : EIO;
  o->len = 0;
  o->s[0] = '\0';
}

void json_out_spill(JsonOut *o) {
  if (o->len >= 1 << 20)
    json_out_flush(o);
}
