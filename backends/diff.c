/* diff.c: per logical ID and per property, old template against new.
   Replacement is data (the type table's create-only properties, nested ones
   too); it cascades through Ref and GetAtt. Lists
   whose order means nothing compare as sets. Parameter defaults are folded
   in before comparing, so a changed default shows where it is used. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "awstypes.h"
#include "cfn_load.h"
#include "cfn_parts.h"
#include "diff.h"
#include "infrac.h" /* Buf */
#include "termtext.h"
#include "strmap.h"

/* Lists compared without regard to order. */
static const char *const unordered[] = {
    "SecurityGroupIngress", "SecurityGroupEgress", "ManagedPolicyArns", "Tags",
    "Subnets", "SubnetIds", "SecurityGroups", "SecurityGroupIds", "VPCSecurityGroups",
    "SubjectAlternativeNames", "Environment", "DomainValidationOptions", "LoadBalancers",
    "Statement", "RequiresCompatibilities", "Roles",
};

/* Types whose loss loses data or a published address. */
static const char *const stateful_types[] = {
    "AWS::RDS::DBInstance", "AWS::Route53::HostedZone", "AWS::EC2::EIP", "AWS::ECR::Repository",
    "AWS::Logs::LogGroup",
};

static bool in_list(const char *const *list, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(list[i], s))
      return true;
  return false;
}

const char *diff_action_name(DiffAction a) {
  static const char *const names[] = {"create", "update", "replace", "delete", "no-op"};
  return names[a];
}

/* ---- normalising values ---- */

typedef struct {
  const cJSON *params;   /* the template's Parameters */
  const cJSON *mappings; /* and Mappings */
  const cJSON *resources; /* and Resources */
} Ctx;

/* ORDER: any. Types whose Ref is the value of one of their attributes when
   the resource has property `when`: a VPC security group's Ref is its ID,
   GetAtt GroupId. The security_group kind writes GetAtt GroupId (its bare
   name) where a template may say Ref: the same ID, so no change. (Not an
   export of the Ref form on the kind: that would be a second name in the
   language for one value, there only to spell a template's choice.) */
static const struct {
  const char *type, *attr, *when;
} ref_attrs[] = {{"AWS::EC2::SecurityGroup", "GroupId", "VpcId"}};

/* Is ref a Ref of a resource of cx whose Ref is the value of getatt? */
static bool ref_is_attr(const cJSON *ref, const cJSON *getatt, const Ctx *cx) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(ref, "Ref");
  const cJSON *g = cJSON_GetObjectItemCaseSensitive(getatt, "Fn::GetAtt");
  if (cJSON_GetArraySize(ref) != 1 || !cJSON_IsString(r) || cJSON_GetArraySize(getatt) != 1 || !g)
    return false;
  const char *id = r->valuestring;
  size_t n = strlen(id);
  const char *attr = NULL;
  if (cJSON_IsString(g) && !strncmp(g->valuestring, id, n) && g->valuestring[n] == '.')
    attr = g->valuestring + n + 1;
  else if (cJSON_GetArraySize(g) == 2 && cJSON_IsString(g->child) && !strcmp(g->child->valuestring, id) &&
           cJSON_IsString(g->child->next))
    attr = g->child->next->valuestring;
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(cx->resources, id);
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(res, "Type");
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(res, "Properties");
  for (size_t i = 0; attr && cJSON_IsString(type) && i < sizeof ref_attrs / sizeof ref_attrs[0]; i++)
    if (!strcmp(ref_attrs[i].type, type->valuestring) && !strcmp(ref_attrs[i].attr, attr) &&
        cJSON_GetObjectItemCaseSensitive(props, ref_attrs[i].when))
      return true;
  return false;
}

static bool param_no_echo(const cJSON *params, const char *name) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(params, name);
  const cJSON *ne = cJSON_GetObjectItemCaseSensitive(p, "NoEcho");
  return cJSON_IsTrue(ne) || (cJSON_IsString(ne) && !strcmp(ne->valuestring, "true"));
}

/* An interpolated string (cfn_parts.h) in one spelling, with each Ref to
   a parameter with a default and no NoEcho replaced by the default, so
   that strings that say the same are the same parts; NULL when v is not
   one, or holds another function (pieces() compares those). */
static cJSON *norm_parts(const cJSON *v, const cJSON *params) {
  const cJSON *f = cJSON_IsObject(v) && v->child && !v->child->next ? v->child : NULL;
  if (!f || !cJSON_IsArray(f) || strcmp(f->string, PARTS_KEY))
    return NULL;
  cJSON *out = cfn_parts_new();
  Part part;
  for (const cJSON *x = f->child; x; x = x->next) {
    cfn_part(x, &part);
    if (part.k == PART_VALUE) {
      cJSON_Delete(out);
      return NULL;
    }
    const cJSON *def = part.k != PART_REF ? NULL : cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(params, part.s), "Default");
    if (def && !param_no_echo(params, part.s) && (cJSON_IsString(def) || cJSON_IsNumber(def))) {
      char num[64];
      const char *t = cJSON_IsString(def) ? def->valuestring : num;
      if (cJSON_IsNumber(def))
        snprintf(num, sizeof num, "%.15g", def->valuedouble); /* 700000000, not 7e+08 */
      cfn_parts_add_text(out, t, strlen(t));
    } else {
      cfn_parts_add(out, cJSON_Duplicate(x, true));
    }
  }
  return out;
}

/* v, or the default of the parameter it is a Ref to (no NoEcho): a changed
   default shows where it is used. */
static const cJSON *deref(const cJSON *v, const Ctx *cx) {
  if (!v)
    return v;
  for (int depth = 0; depth < 8 && cJSON_IsObject(v) && v->child && !v->child->next; depth++) {
    const cJSON *ref = v->child;
    /* Fn::FindInMap of keys known now is the mapping's value, which infrac folds */
    if (!strcmp(ref->string, "Fn::FindInMap") && cJSON_GetArraySize(ref) == 3) {
      const cJSON *m = cJSON_GetArrayItem(ref, 0), *k1 = deref(cJSON_GetArrayItem(ref, 1), cx);
      const cJSON *k2 = deref(cJSON_GetArrayItem(ref, 2), cx);
      const cJSON *found = cJSON_IsString(m) && cJSON_IsString(k1) && cJSON_IsString(k2)
                               ? cJSON_GetObjectItemCaseSensitive(
                                     cJSON_GetObjectItemCaseSensitive(
                                         cJSON_GetObjectItemCaseSensitive(cx->mappings, m->valuestring),
                                         k1->valuestring),
                                     k2->valuestring)
                               : NULL;
      if (!found)
        break;
      v = found;
      continue;
    }
    if (strcmp(ref->string, "Ref") || !cJSON_IsString(ref))
      break;
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cx->params, ref->valuestring), "Default");
    if (!def || param_no_echo(cx->params, ref->valuestring))
      break;
    v = def;
  }
  return v;
}

/* A scalar as CloudFormation reads it (80 and "80", true and "true" are
   alike); NULL for the others. */
static const char *scalar_text(const cJSON *v, char buf[64]) {
  if (cJSON_IsString(v))
    return v->valuestring;
  if (cJSON_IsNumber(v)) {
    snprintf(buf, 64, "%.17g", v->valuedouble);
    return buf;
  }
  if (cJSON_IsBool(v))
    return cJSON_IsTrue(v) ? "true" : "false";
  if (cJSON_IsNull(v))
    return ""; /* YAML's `!GetAZs ''` may read as null: CloudFormation takes it as "" */
  return NULL;
}

static bool same(const cJSON *a, const cJSON *b, const Ctx *ca, const Ctx *cb, const char *key);

/* {"Fn::Join": [sep, [scalars]]} as its text (malloc'd), which infrac folds
   at compile time; NULL when an item is known only at deploy time. */
static char *join_text(const cJSON *v, const Ctx *cx) {
  if (!cJSON_IsObject(v) || !v->child || v->child->next || strcmp(v->child->string, "Fn::Join"))
    return NULL;
  const cJSON *sep = cJSON_GetArrayItem(v->child, 0), *items = cJSON_GetArrayItem(v->child, 1);
  if (cJSON_GetArraySize(v->child) != 2 || !cJSON_IsString(sep) || !cJSON_IsArray(items))
    return NULL;
  size_t len = 0, cap = 64;
  char *out = malloc(cap);
  for (const cJSON *x = items->child; x; x = x->next) {
    char buf[64];
    const cJSON *d = deref(x, cx);
    const char *t = cJSON_IsNull(d) ? NULL : scalar_text(d, buf); /* null is no text here */
    if (!t) {
      free(out);
      return NULL;
    }
    size_t add = strlen(t) + (x == items->child ? 0 : strlen(sep->valuestring));
    while (len + add + 1 > cap)
      out = realloc(out, cap *= 2);
    len += (size_t)sprintf(out + len, "%s%s", x == items->child ? "" : sep->valuestring, t);
  }
  out[len] = '\0';
  return out;
}

/* Lists whose order means nothing: the same items, each matched once. */
static bool same_set(const cJSON *a, const cJSON *b, const Ctx *ca, const Ctx *cb, int n) {
  bool *used = calloc((size_t)n, 1);
  bool eq = true;
  for (const cJSON *x = a->child; x && eq; x = x->next) {
    int i = 0;
    const cJSON *y = b->child;
    for (; y && (used[i] || !same(x, y, ca, cb, NULL)); y = y->next)
      i++;
    if (y)
      used[i] = true;
    eq = y != NULL;
  }
  free(used);
  return eq;
}

/* Do a (of the old template) and b (of the new) say the same to
   CloudFormation? Scalars compare as text, Refs to parameters as their
   defaults, interpolated strings with the defaults substituted, objects regardless of
   key order, and the lists of `unordered` regardless of item order. key
   is the property or member a and b are the values of. */
/* A string-making value as a list of pieces: text, and what is known only
   at deploy time (a Ref, a GetAtt, a function). Fn::Join with "" and
   an interpolated string with parts that are functions become the same list, so that
   infrac's join("", [...]) compares like with like (import writes it for
   such a Fn::Sub). Adjacent texts are merged; false when v is neither. */
static bool add_piece(cJSON *out, const cJSON *v, int depth);

static void add_text(cJSON *out, const char *s, size_t n) {
  if (!n)
    return;
  cJSON *last = cJSON_GetArrayItem(out, cJSON_GetArraySize(out) - 1);
  char *t = malloc((last && cJSON_IsString(last) ? strlen(last->valuestring) : 0) + n + 1);
  sprintf(t, "%s%.*s", last && cJSON_IsString(last) ? last->valuestring : "", (int)n, s);
  if (last && cJSON_IsString(last))
    cJSON_SetValuestring(last, t);
  else
    cJSON_AddItemToArray(out, cJSON_CreateString(t));
  free(t);
}

static bool add_piece(cJSON *out, const cJSON *v, int depth) {
  if (depth > 16)
    return false;
  if (cJSON_IsString(v)) {
    add_text(out, v->valuestring, strlen(v->valuestring));
    return true;
  }
  const cJSON *f = cJSON_IsObject(v) && v->child && !v->child->next ? v->child : NULL;
  if (f && !strcmp(f->string, PARTS_KEY) && cJSON_IsArray(f)) {
    for (const cJSON *x = f->child; x; x = x->next)
      if (!add_piece(out, x, depth + 1))
        cJSON_AddItemToArray(out, cJSON_Duplicate(x, true));
    return true;
  }
  if (f && !strcmp(f->string, "Fn::Join") && cJSON_GetArraySize(f) == 2) {
    const cJSON *sep = cJSON_GetArrayItem(f, 0), *items = cJSON_GetArrayItem(f, 1);
    if (!cJSON_IsString(sep) || sep->valuestring[0] || !cJSON_IsArray(items))
      return false;
    for (const cJSON *x = items->child; x; x = x->next)
      if (!add_piece(out, x, depth + 1))
        cJSON_AddItemToArray(out, cJSON_Duplicate(x, true));
    return true;
  }
  return false;
}

/* An interpolated string or Fn::Join "" with a function among its pieces,
   as pieces (to be deleted), or NULL: the other comparisons read those
   without one. */
static cJSON *pieces(const cJSON *v) {
  const cJSON *f = cJSON_IsObject(v) && v->child && !v->child->next ? v->child : NULL;
  if (!f || (strcmp(f->string, PARTS_KEY) && strcmp(f->string, "Fn::Join")))
    return NULL;
  cJSON *out = cJSON_CreateArray();
  bool fn = false;
  if (add_piece(out, v, 0))
    for (const cJSON *x = out->child; x; x = x->next)
      fn |= cJSON_IsObject(x) && x->child && strcmp(x->child->string, "Ref") && strcmp(x->child->string, "Fn::GetAtt");
  if (!fn) {
    cJSON_Delete(out);
    return NULL;
  }
  return out;
}

/* {"Ref": "AWS::NoValue"}: CloudFormation leaves the property out, as if
   it were not written (aws.no_value in the source). */
static bool no_value(const cJSON *v) {
  const cJSON *r = cJSON_GetArraySize(v) == 1 ? cJSON_GetObjectItemCaseSensitive(v, "Ref") : NULL;
  return cJSON_IsObject(v) && cJSON_IsString(r) && !strcmp(r->valuestring, "AWS::NoValue");
}

/* The members of object o that are not left out. */
static int members(const cJSON *o) {
  int n = 0;
  for (const cJSON *x = o->child; x; x = x->next)
    n += !no_value(x);
  return n;
}

static bool same(const cJSON *a, const cJSON *b, const Ctx *ca, const Ctx *cb, const char *key) {
  if (no_value(a))
    a = NULL;
  if (no_value(b))
    b = NULL;
  if (!a || !b)
    return a == b;
  const char *ida, *idb, *atta, *attb;
  size_t lena, lenb;
  if (cfn_getatt(a, &ida, &lena, &atta) && cfn_getatt(b, &idb, &lenb, &attb)) /* either form */
    return lena == lenb && !strncmp(ida, idb, lena) && !strcmp(atta, attb);
  if (ref_is_attr(a, b, ca) || ref_is_attr(b, a, cb))
    return true;
  cJSON *pa = pieces(a), *pb = pieces(b);
  if (pa && pb) {
    bool eq = cJSON_GetArraySize(pa) == cJSON_GetArraySize(pb);
    for (const cJSON *x = pa->child, *y = pb->child; eq && x; x = x->next, y = y->next)
      eq = same(x, y, ca, cb, NULL);
    cJSON_Delete(pa);
    cJSON_Delete(pb);
    return eq;
  }
  cJSON_Delete(pa);
  cJSON_Delete(pb);
  a = deref(a, ca);
  b = deref(b, cb);
  char ba[64], bb[64];
  char *ja = join_text(a, ca), *jb = join_text(b, cb);
  const char *ta = ja ? ja : scalar_text(a, ba), *tb = jb ? jb : scalar_text(b, bb);
  bool scalars = ta || tb, eq_text = ta && tb && !strcmp(ta, tb);
  free(ja);
  free(jb);
  if (scalars)
    return eq_text;
  cJSON *na = norm_parts(a, ca->params), *nb = norm_parts(b, cb->params);
  if (na || nb) {
    bool eq = na && nb && cJSON_Compare(na, nb, true);
    cJSON_Delete(na);
    cJSON_Delete(nb);
    return eq;
  }
  if ((a->type & 0xFF) != (b->type & 0xFF))
    return false;
  if (cJSON_IsObject(a)) {
    if (members(a) != members(b))
      return false;
    for (const cJSON *x = a->child; x; x = x->next)
      if (!no_value(x) && !same(x, cJSON_GetObjectItemCaseSensitive(b, x->string), ca, cb, x->string))
        return false;
    return true;
  }
  int n = cJSON_GetArraySize(a);
  if (n != cJSON_GetArraySize(b))
    return false;
  if (cJSON_IsArray(a)) {
    if (n > 1 && key && in_list(unordered, sizeof unordered / sizeof unordered[0], key))
      return same_set(a, b, ca, cb, n);
    for (const cJSON *x = a->child, *y = b->child; x; x = x->next, y = y->next)
      if (!same(x, y, ca, cb, NULL))
        return false;
    return true;
  }
  return true; /* both null */
}

/* Does v refer to a NoEcho parameter, or to logical ID id (Ref, GetAtt, Sub)? */
static bool refers(const cJSON *v, const char *id, const cJSON *params, bool secrets) {
  if (!v)
    return false;
  if (cJSON_IsString(v) && v->string && !strcmp(v->string, "Ref"))
    return secrets ? param_no_echo(params, v->valuestring) : !strcmp(v->valuestring, id);
  if (cJSON_IsArray(v) && v->string && !strcmp(v->string, "Fn::GetAtt") && !secrets) {
    const cJSON *first = v->child;
    return cJSON_IsString(first) && !strcmp(first->valuestring, id);
  }
  if (secrets && cJSON_IsString(v) && v->string && !strcmp(v->string, "DependsOn"))
    return false;
  for (const cJSON *c = v->child; c; c = c->next)
    if (refers(c, id, params, secrets))
      return true;
  return false;
}

/* ---- the diff ---- */

/* Does a change at path replace a resource of type? The property may be
   create-only, or a member that changed inside it (A.B, list items A[*].B).
   What changed between ov and nv (either may be absent); in a cascade
   (ref_id set, ov == nv) what refers to the replaced resource ref_id. */
typedef struct {
  const char *type, *ref_id;
  const Ctx *co, *cn;
  char path[512];
} Change;

static bool changed(const Change *ch, const cJSON *ov, const cJSON *nv, const char *key) {
  return ch->ref_id ? refers(nv, ch->ref_id, NULL, false) : !same(ov, nv, ch->co, ch->cn, key);
}

static bool replaces(Change *ch, size_t len, const cJSON *ov, const cJSON *nv, int depth) {
  if (aws_forces_replacement(ch->type, ch->path) || apiplan_forces_replacement(ch->type, ch->path))
    return true;
  if (depth > 32 || len + 4 >= sizeof ch->path)
    return false;
  if (cJSON_IsArray(ov) || cJSON_IsArray(nv)) { /* items in order; extra ones against none */
    memcpy(ch->path + len, "[*]", 4);
    const cJSON *x = cJSON_IsArray(ov) ? ov->child : NULL, *y = cJSON_IsArray(nv) ? nv->child : NULL;
    for (; x || y; x = x ? x->next : NULL, y = y ? y->next : NULL)
      if (changed(ch, x, y, NULL) && replaces(ch, len + 3, x, y, depth + 1))
        return true;
    ch->path[len] = '\0';
    return false;
  }
  const cJSON *sides[2] = {cJSON_IsObject(ov) ? ov : NULL, cJSON_IsObject(nv) ? nv : NULL};
  for (int side = 0; side < 2; side++)
    for (const cJSON *c = sides[side] ? sides[side]->child : NULL; c; c = c->next) {
      const cJSON *other = cJSON_GetObjectItemCaseSensitive(sides[!side], c->string);
      if (side && other) /* seen from the old side */
        continue;
      const cJSON *x = side ? NULL : c, *y = side ? c : other;
      size_t n = strlen(c->string);
      if (len + 1 + n >= sizeof ch->path || !changed(ch, x, y, c->string))
        continue;
      ch->path[len] = '.';
      memcpy(ch->path + len + 1, c->string, n + 1);
      bool r = replaces(ch, len + 1 + n, x, y, depth + 1);
      ch->path[len] = '\0';
      if (r)
        return true;
    }
  return false;
}

static bool prop_replaces(const char *type, const char *name, const cJSON *ov, const cJSON *nv,
                          const Ctx *co, const Ctx *cn, const char *ref_id) {
  Change ch = {.type = type, .ref_id = ref_id, .co = co, .cn = cn};
  size_t n = strlen(name);
  if (n >= sizeof ch.path)
    return false;
  memcpy(ch.path, name, n + 1);
  return replaces(&ch, n, ov, nv, 0);
}

static DiffProp *add_prop(DiffResource *r, const char *path) {
  r->props = realloc(r->props, sizeof(DiffProp) * (size_t)(r->nprops + 1));
  DiffProp *p = &r->props[r->nprops++];
  memset(p, 0, sizeof *p);
  p->path = strdup(path);
  return p;
}

static DiffResource *add_res(Diff *d, const char *id, const char *type, DiffAction a) {
  if ((d->n & (d->n - 1)) == 0 && !(d->res = realloc(d->res, sizeof(DiffResource) * (size_t)(d->n ? d->n * 2 : 1))))
    abort();
  DiffResource *r = &d->res[d->n++];
  memset(r, 0, sizeof *r);
  r->logical_id = strdup(id);
  r->type = strdup(type ? type : "");
  r->action = a;
  r->stateful = in_list(stateful_types, sizeof stateful_types / sizeof stateful_types[0], r->type);
  return r;
}

/* Does the deployed resource res keep itself, by policy ("DeletionPolicy"
   or "UpdateReplacePolicy") Retain? */
static bool retains(const cJSON *res, const char *policy) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(res, policy);
  return cJSON_IsString(p) && !strcmp(p->valuestring, "Retain");
}

static const char *type_of(const cJSON *res) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(res, "Type");
  return cJSON_IsString(t) ? t->valuestring : "";
}

static void diff_props(DiffResource *r, const cJSON *oldp, const cJSON *newp, const Ctx *co,
                       const Ctx *cn) {
  /* keys of new, then keys only in old: a stable order */
  for (int pass = 0; pass < 2; pass++) {
    const cJSON *from = pass ? oldp : newp, *other = pass ? newp : oldp;
    for (const cJSON *c = from ? from->child : NULL; c; c = c->next) {
      const cJSON *o = cJSON_GetObjectItemCaseSensitive(other, c->string);
      if (pass && o)
        continue;
      const cJSON *ov = pass ? c : o, *nv = pass ? NULL : c;
      if (same(ov, nv, co, cn, c->string))
        continue;
      ov = no_value(ov) ? NULL : ov; /* left out: a property added or removed */
      nv = no_value(nv) ? NULL : nv;
      DiffProp *p = add_prop(r, c->string);
      p->old = ov;
      p->new = nv;
      p->replacement = prop_replaces(r->type, c->string, ov, nv, co, cn, NULL);
      p->sensitive = refers(ov, "", co->params, true) || refers(nv, "", cn->params, true);
    }
  }
}

/* Who refers to whom: for each logical ID, the properties that name it. */
typedef struct {
  int r;             /* the resource, in the Diff */
  const cJSON *prop; /* its top-level property that refers */
  int order;         /* of the property in the resource */
} Dependent;

typedef struct {
  Dependent *v;
  int n, cap;
} Dependents;

static void push_dependent(Dependents *ds, Dependent x) {
  if (ds->n == ds->cap &&
      !(ds->v = realloc(ds->v, sizeof *ds->v * (size_t)(ds->cap = ds->cap ? ds->cap * 2 : 4))))
    abort();
  ds->v[ds->n++] = x;
}

typedef struct {
  StrMap by_id;       /* logical ID -> Dependents */
  Dependents **owned; /* every Dependents, to free */
  int nowned;
} RefIndex;

static void index_ref(RefIndex *ix, const char *id, Dependent x) {
  Dependents *ds = strmap_get(&ix->by_id, id);
  if (!ds) {
    if (!(ds = calloc(1, sizeof *ds)) ||
        !(ix->owned = realloc(ix->owned, sizeof *ix->owned * (size_t)(ix->nowned + 1))))
      abort();
    ix->owned[ix->nowned++] = ds;
    strmap_put(&ix->by_id, id, ds);
  }
  if (!ds->n || ds->v[ds->n - 1].r != x.r || ds->v[ds->n - 1].prop != x.prop)
    push_dependent(ds, x); /* once per property */
}

/* Each logical ID v refers to, as refers() finds them: Ref, Fn::GetAtt,
   in the parts of an interpolated string too. */
static void collect_refs(RefIndex *ix, const cJSON *v, Dependent x) {
  if (cJSON_IsString(v) && v->string && !strcmp(v->string, "Ref")) {
    index_ref(ix, v->valuestring, x);
    return;
  }
  if (cJSON_IsArray(v) && v->string && !strcmp(v->string, "Fn::GetAtt")) {
    if (cJSON_IsString(v->child))
      index_ref(ix, v->child->valuestring, x);
    return;
  }
  for (const cJSON *c = v->child; c; c = c->next)
    collect_refs(ix, c, x);
}

static bool changed_in_template(const DiffResource *r, const char *path) {
  for (int k = 0; k < r->nprops; k++)
    if (!strcmp(r->props[k].path, path))
      return true;
  return false;
}

/* By the replaced resource (in r), then the property's order. */
static int named_cmp(const void *pa, const void *pb) {
  const Dependent *a = pa, *b = pb;
  return a->r != b->r ? (a->r > b->r) - (a->r < b->r) : (a->order > b->order) - (a->order < b->order);
}

/* A replaced resource gets a new physical ID: every property that refers to
   it changes too, and replaces its owner when that property forces it,
   whose dependents change in turn. First which resources are replaced, by
   a worklist over an index of who refers to whom, then the properties of
   each, in the order of the replaced resources and of its properties:
   n log n in the references (a scan of every resource per replaced one took
   minutes for 49,000 resources whose VPCs changed). */
static void cascade(Diff *d, const StrMap *newidx) {
  RefIndex ix = {0};
  int *queue = malloc(sizeof *queue * (size_t)(d->n + 1)), head = 0, tail = 0;
  /* r -> the replaced resources its properties name (Dependent.r is the replaced one) */
  Dependents *named_by = calloc((size_t)d->n + 1, sizeof *named_by);
  for (int i = 0; i < d->n; i++) {
    DiffResource *r = &d->res[i];
    if (r->action == DIFF_REPLACE)
      queue[tail++] = i;
    if (r->action != DIFF_NOOP && r->action != DIFF_UPDATE)
      continue;
    const cJSON *props =
        cJSON_GetObjectItemCaseSensitive(strmap_get(newidx, r->logical_id), "Properties");
    int order = 0;
    for (const cJSON *c = props ? props->child : NULL; c; c = c->next, order++)
      if (!changed_in_template(r, c->string))
        collect_refs(&ix, c, (Dependent){i, c, order});
  }
  while (head < tail) {
    int xi = queue[head++];
    const Dependents *ds = strmap_get(&ix.by_id, d->res[xi].logical_id);
    for (int k = 0; ds && k < ds->n; k++) {
      DiffResource *r = &d->res[ds->v[k].r];
      push_dependent(&named_by[ds->v[k].r], (Dependent){xi, ds->v[k].prop, ds->v[k].order});
      if (r->action == DIFF_REPLACE)
        continue;
      if (prop_replaces(r->type, ds->v[k].prop->string, ds->v[k].prop, ds->v[k].prop, NULL, NULL,
                        d->res[xi].logical_id)) {
        r->action = DIFF_REPLACE;
        queue[tail++] = ds->v[k].r;
      } else {
        r->action = DIFF_UPDATE;
      }
    }
  }
  for (int i = 0; i < d->n; i++) {
    Dependents *nb = &named_by[i];
    DiffResource *r = &d->res[i];
    if (nb->n > 1) /* qsort may not be given NULL, even for nothing */
      qsort(nb->v, (size_t)nb->n, sizeof *nb->v, named_cmp);
    int first = r->nprops;
    for (int k = 0; k < nb->n; k++) {
      const cJSON *c = nb->v[k].prop;
      const char *x = d->res[nb->v[k].r].logical_id;
      DiffProp *p = NULL;
      for (int j = first; j < r->nprops && !p; j++)
        if (r->props[j].new == c)
          p = &r->props[j];
      if (!p) {
        p = add_prop(r, c->string);
        p->old = p->new = c;
        p->after_apply = true;
      }
      p->replacement = p->replacement || prop_replaces(r->type, c->string, c, c, NULL, NULL, x);
      if (!r->cause)
        r->cause = strdup(x);
    }
    free(nb->v);
  }
  for (int i = 0; i < ix.nowned; i++) {
    free(ix.owned[i]->v);
    free(ix.owned[i]);
  }
  free(ix.owned);
  free(named_by);
  free(queue);
  strmap_free(&ix.by_id);
}

Diff *diff_templates(const cJSON *old, const cJSON *new_t) {
  Diff *d = calloc(1, sizeof *d);
  Ctx co = {cJSON_GetObjectItemCaseSensitive(old, "Parameters"),
            cJSON_GetObjectItemCaseSensitive(old, "Mappings"),
            cJSON_GetObjectItemCaseSensitive(old, "Resources")};
  Ctx cn = {cJSON_GetObjectItemCaseSensitive(new_t, "Parameters"),
            cJSON_GetObjectItemCaseSensitive(new_t, "Mappings"),
            cJSON_GetObjectItemCaseSensitive(new_t, "Resources")};
  const cJSON *oldres = cJSON_GetObjectItemCaseSensitive(old, "Resources");
  const cJSON *newres = cJSON_GetObjectItemCaseSensitive(new_t, "Resources");
  StrMap oldidx = {0}, newidx = {0};
  for (cJSON *o = oldres ? oldres->child : NULL; o; o = o->next)
    strmap_put(&oldidx, o->string, o);
  for (cJSON *n = newres ? newres->child : NULL; n; n = n->next)
    strmap_put(&newidx, n->string, n);
  for (const cJSON *n = newres ? newres->child : NULL; n; n = n->next) {
    const cJSON *o = strmap_get(&oldidx, n->string);
    const cJSON *np = cJSON_GetObjectItemCaseSensitive(n, "Properties");
    if (!o) {
      DiffResource *r = add_res(d, n->string, type_of(n), DIFF_CREATE);
      diff_props(r, NULL, np, &co, &cn);
      continue;
    }
    if (strcmp(type_of(o), type_of(n))) {
      DiffResource *r = add_res(d, n->string, type_of(n), DIFF_REPLACE);
      DiffProp *p = add_prop(r, "Type");
      p->old = cJSON_GetObjectItemCaseSensitive(o, "Type");
      p->new = cJSON_GetObjectItemCaseSensitive(n, "Type");
      p->replacement = true;
      continue;
    }
    DiffResource *r = add_res(d, n->string, type_of(n), DIFF_NOOP);
    diff_props(r, cJSON_GetObjectItemCaseSensitive(o, "Properties"), np, &co, &cn);
    for (int k = 0; k < r->nprops; k++)
      if (r->props[k].replacement)
        r->action = DIFF_REPLACE;
    if (r->action == DIFF_NOOP && r->nprops)
      r->action = DIFF_UPDATE;
  }
  for (const cJSON *o = oldres ? oldres->child : NULL; o; o = o->next)
    if (!strmap_get(&newidx, o->string))
      add_res(d, o->string, type_of(o), DIFF_DELETE)->retained = retains(o, "DeletionPolicy");
  cascade(d, &newidx);
  for (int i = 0; i < d->n; i++)
    if (d->res[i].action == DIFF_REPLACE)
      d->res[i].retained = retains(strmap_get(&oldidx, d->res[i].logical_id), "UpdateReplacePolicy");
  strmap_free(&oldidx);
  strmap_free(&newidx);
  for (int i = 0; i < d->n; i++) {
    bool kept = d->res[i].retained && d->res[i].action == DIFF_DELETE;
    d->retained += kept;
    d->count[d->res[i].action] += !kept;
  }
  return d;
}

void diff_free(Diff *d) {
  if (!d)
    return;
  for (int i = 0; i < d->n; i++) {
    DiffResource *r = &d->res[i];
    for (int j = 0; j < r->nprops; j++)
      free(r->props[j].path);
    free(r->props);
    free(r->logical_id);
    free(r->type);
    free(r->cause);
  }
  free(d->res);
  free(d);
}

/* ---- rendering ---- */

typedef struct {
  char *s;
  size_t len, cap;
} Out;

static void out_printf(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(Out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  /* names and values come from a deployed template: their control
     characters are escaped, the line breaks of the format kept */
  size_t lead = strspn(s, "\n"), body = (size_t)n - lead;
  while (body && s[lead + body - 1] == '\n')
    body--;
  bool plain = true;
  for (size_t i = lead; i < lead + body && plain; i++)
    plain = (unsigned char)s[i] >= 0x20 && s[i] != 0x7f && (unsigned char)s[i] != 0xc2;
  if (!plain) {
    char *mid = strndup(s + lead, body), *safe = term_escaped(mid, 0), *whole = NULL;
    n = asprintf(&whole, "%.*s%s%s", (int)lead, s, safe, s + lead + body);
    free(mid);
    free(safe);
    free(s);
    s = whole;
    if (n < 0)
      return;
  }
  if (o->len + (size_t)n + 1 > o->cap) {
    o->cap = (o->len + (size_t)n + 1) * 2;
    o->s = realloc(o->s, o->cap);
  }
  memcpy(o->s + o->len, s, (size_t)n + 1);
  o->len += (size_t)n;
  free(s);
}

/* A value on one line, cut at 80 characters. */
static char *short_value(const cJSON *v, bool sensitive) {
  if (!v)
    return strdup("(none)");
  if (sensitive)
    return strdup("(sensitive)");
  char *printed = cfn_parts_print(v, false);
  char *s = strdup(printed ? printed : "?"); /* malloc'd whatever cJSON's allocator is */
  cJSON_free(printed);
  if (strlen(s) > 80)
    strcpy(s + 77, "...");
  return s;
}

static const char *sigil(DiffAction a) {
  static const char *const s[] = {"+", "~", "-/+", "-", " "};
  return s[a];
}

static bool in_array(const cJSON *item, const cJSON *arr) {
  for (const cJSON *c = arr->child; c; c = c->next)
    if (cJSON_Compare(item, c, true))
      return true;
  return false;
}

/* The changes inside one property, as Terraform shows them: per key of a
   map, per index of lists of one length, and the items removed and added
   when a list grows, shrinks or is a set. Returns the lines written. */
static int render_inner(Out *o, const char *path, const cJSON *old, const cJSON *new_v,
                        const char *note) {
  int lines = 0;
  if (cJSON_Compare(old, new_v, true))
    return 0;
  char *sub = NULL;
  if (cJSON_IsObject(old) && cJSON_IsObject(new_v)) {
    for (const cJSON *c = new_v->child; c; c = c->next) {
      const cJSON *oc = cJSON_GetObjectItemCaseSensitive(old, c->string);
      if (asprintf(&sub, "%s.%s", path, c->string) < 0)
        abort();
      if (!oc) {
        char *nv = short_value(c, false);
        out_printf(o, "    + %s: %s%s\n", sub, nv, lines++ ? "" : note);
        free(nv);
      } else {
        lines += render_inner(o, sub, oc, c, lines ? "" : note);
      }
      free(sub);
    }
    for (const cJSON *c = old->child; c; c = c->next)
      if (!cJSON_GetObjectItemCaseSensitive(new_v, c->string)) {
        char *ov = short_value(c, false);
        out_printf(o, "    - %s.%s: %s%s\n", path, c->string, ov, lines++ ? "" : note);
        free(ov);
      }
    return lines;
  }
  if (cJSON_IsArray(old) && cJSON_IsArray(new_v)) {
    const char *name = strrchr(path, '.') ? strrchr(path, '.') + 1 : path;
    bool set = cJSON_GetArraySize(old) != cJSON_GetArraySize(new_v) ||
               in_list(unordered, sizeof unordered / sizeof unordered[0], name);
    if (!set) {
      int i = 0;
      for (const cJSON *a = old->child, *b = new_v->child; a; a = a->next, b = b->next, i++) {
        if (asprintf(&sub, "%s[%d]", path, i) < 0)
          abort();
        lines += render_inner(o, sub, a, b, lines ? "" : note);
        free(sub);
      }
      return lines;
    }
    for (const cJSON *a = old->child; a; a = a->next)
      if (!in_array(a, new_v)) {
        char *ov = short_value(a, false);
        out_printf(o, "    - %s[]: %s%s\n", path, ov, lines++ ? "" : note);
        free(ov);
      }
    for (const cJSON *b = new_v->child; b; b = b->next)
      if (!in_array(b, old)) {
        char *nv = short_value(b, false);
        out_printf(o, "    + %s[]: %s%s\n", path, nv, lines++ ? "" : note);
        free(nv);
      }
    return lines;
  }
  char *ov = short_value(old, false), *nv = short_value(new_v, false);
  out_printf(o, "    ~ %s: %s => %s%s\n", path, ov, nv, note);
  free(ov);
  free(nv);
  return 1;
}

/* render_inner of the values as written: their parts as Fn::Sub. */
static int render_written(Out *o, const char *path, const cJSON *old, const cJSON *new_v,
                          const char *note) {
  cJSON *po = cfn_parts_printable(old), *pn = cfn_parts_printable(new_v);
  int lines = render_inner(o, path, po ? po : old, pn ? pn : new_v, note);
  cJSON_Delete(po);
  cJSON_Delete(pn);
  return lines;
}

char *diff_render_text(const Diff *d) {
  return diff_render_text_named(d, NULL);
}

/* "vpc main, " or "main, " (a name only: the declaration is gone, the
   state remembers its name), or "" when the source says nothing else. */
static void out_source_name(Out *o, const DiffNames *n, const char *logical) {
  const char *name = n && n->name_of ? n->name_of(n->ctx, logical) : NULL;
  const char *kind = n && n->kind_of ? n->kind_of(n->ctx, logical) : NULL;
  if (name && kind)
    out_printf(o, "%s %s, ", kind, name);
  else if (name && strcmp(name, logical))
    out_printf(o, "%s, ", name);
}

/* What the text plan says beside a changed property. */
static const char *prop_note(const DiffResource *r, const DiffProp *p) {
  if (p->replacement)
    return "  # forces replacement";
  if (r->action == DIFF_UPDATE && apiplan_update_interrupts(r->type, p->path))
    return "  # stops and starts it";
  return "";
}

char *diff_render_text_named(const Diff *d, const DiffNames *names) {
  Out o = {0};
  for (int i = 0; i < d->n; i++) {
    const DiffResource *r = &d->res[i];
    if (r->action == DIFF_NOOP)
      continue;
    out_printf(&o, "%s %s (", sigil(r->action), r->logical_id);
    out_source_name(&o, names, r->logical_id);
    out_printf(&o, "%s)", r->type);
    if (r->cause)
      out_printf(&o, "  # because %s is replaced", r->cause);
    if (r->retained)
      out_printf(&o, "  # retained: %s keeps the %s resource in AWS, the stack forgets it",
                 r->action == DIFF_DELETE ? "DeletionPolicy Retain" : "UpdateReplacePolicy Retain",
                 r->action == DIFF_DELETE ? "deployed" : "old");
    out_printf(&o, "\n");
    if (r->stateful && !r->retained && (r->action == DIFF_DELETE || r->action == DIFF_REPLACE))
      out_printf(&o, "    !!! WARNING: %s holds state: %s loses it%s\n", r->logical_id,
                 r->action == DIFF_DELETE ? "deleting it" : "replacing it",
                 !strcmp(r->type, "AWS::RDS::DBInstance") ? " (the database and its data)" : "");
    for (int j = 0; j < r->nprops; j++) {
      const DiffProp *p = &r->props[j];
      char *nv = short_value(p->new, p->sensitive);
      if (r->action == DIFF_CREATE) {
        out_printf(&o, "    + %s: %s\n", p->path, nv);
      } else if (p->after_apply) {
        out_printf(&o, "    ~ %s: (known after apply)%s\n", p->path,
                   prop_note(r, p));
      } else if (p->old && p->new && !p->sensitive &&
                 render_written(&o, p->path, p->old, p->new,
                              prop_note(r, p))) {
        /* shown item by item */
      } else if (p->old && p->new && !p->sensitive && cJSON_Compare(p->old, p->new, true)) {
        out_printf(&o, "    ~ %s: (a parameter default it uses changes)%s\n", p->path,
                   prop_note(r, p));
      } else {
        char *ov = short_value(p->old, p->sensitive);
        out_printf(&o, "    %s %s: %s => %s%s\n", !p->old ? "+" : !p->new ? "-" : "~", p->path,
                   ov, nv, prop_note(r, p));
        free(ov);
      }
      free(nv);
    }
  }
  if (!d->count[DIFF_CREATE] && !d->count[DIFF_UPDATE] && !d->count[DIFF_REPLACE] &&
      !d->count[DIFF_DELETE] && !d->retained)
    out_printf(&o, "No changes.\n");
  else if (d->retained)
    out_printf(&o, "%sPlan: %d to add, %d to change, %d to replace, %d to destroy, %d to retain.\n",
               o.len ? "\n" : "", d->count[DIFF_CREATE], d->count[DIFF_UPDATE],
               d->count[DIFF_REPLACE], d->count[DIFF_DELETE], d->retained);
  else
    out_printf(&o, "%sPlan: %d to add, %d to change, %d to replace, %d to destroy.\n",
               o.len ? "\n" : "", d->count[DIFF_CREATE], d->count[DIFF_UPDATE],
               d->count[DIFF_REPLACE], d->count[DIFF_DELETE]);
  return o.s;
}

/* A template's value by reference, not a copy: a plan that creates 100,000
   resources quotes every property. */
static cJSON *value_of(const cJSON *v) {
  if (cJSON_IsObject(v))
    return cJSON_CreateObjectReference(v->child);
  if (cJSON_IsArray(v))
    return cJSON_CreateArrayReference(v->child);
  if (cJSON_IsString(v))
    return cJSON_CreateStringReference(v->valuestring);
  return v ? cJSON_Duplicate(v, false) : cJSON_CreateNull();
}

cJSON *diff_change_json(const DiffResource *r,
                        const char *(*name_of)(void *ctx, const char *logical_id), void *ctx) {
  cJSON *c = cJSON_CreateObject();
  const char *name = name_of ? name_of(ctx, r->logical_id) : NULL;
  cJSON_AddStringToObject(c, "resource", name ? name : r->logical_id);
  cJSON_AddStringToObject(c, "logical_id", r->logical_id);
  cJSON_AddStringToObject(c, "type", r->type);
  cJSON_AddStringToObject(c, "action", diff_action_name(r->action));
  if (r->retained)
    cJSON_AddBoolToObject(c, "retained", true);
  cJSON *props = cJSON_AddArrayToObject(c, "properties");
  for (int j = 0; j < r->nprops; j++) {
    const DiffProp *p = &r->props[j];
    cJSON *pj = cJSON_CreateObject();
    cJSON_AddStringToObject(pj, "path", p->path);
    if (p->sensitive) {
      cJSON_AddStringToObject(pj, "old", "(sensitive)");
      cJSON_AddStringToObject(pj, "new", "(sensitive)");
    } else {
      cJSON_AddItemToObject(pj, "old", value_of(p->old));
      cJSON_AddItemToObject(pj, "new", p->after_apply ? cJSON_CreateString("(known after apply)")
                                                      : value_of(p->new));
    }
    cJSON_AddBoolToObject(pj, "replacement", p->replacement);
    cJSON_AddItemToArray(props, pj);
  }
  return c;
}

void diff_summary_json(const Diff *d, cJSON *summary) {
  cJSON_AddNumberToObject(summary, "create", d->count[DIFF_CREATE]);
  cJSON_AddNumberToObject(summary, "update", d->count[DIFF_UPDATE]);
  cJSON_AddNumberToObject(summary, "replace", d->count[DIFF_REPLACE]);
  cJSON_AddNumberToObject(summary, "delete", d->count[DIFF_DELETE]);
  cJSON_AddNumberToObject(summary, "unchanged", d->count[DIFF_NOOP]);
}
