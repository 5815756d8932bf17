/* lower.c: the checked program as one resource graph (lower.h). This file
   holds the values, logical IDs, references and the driver; the kinds are
   lowered in lower_net.c (network, security, instances) and lower_app.c
   (IAM, databases, DNS, balancers, containers). */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lower_int.h"
#include "params.h"

/* ---- values ---- */

static IrValue *iv_new(L *l, IrValueKind k) {
  IrValue *v = arena_alloc(l->a, sizeof *v);
  v->k = k;
  return v;
}

IrValue *iv_str(L *l, const char *s) {
  IrValue *v = iv_new(l, IV_STR);
  v->s = s;
  return v;
}

IrValue *iv_int(L *l, int64_t i) {
  IrValue *v = iv_new(l, IV_INT);
  v->i = i;
  return v;
}

IrValue *iv_bool(L *l, bool b) {
  IrValue *v = iv_new(l, IV_BOOL);
  v->i = b;
  return v;
}

IrValue *iv_list(L *l) {
  return iv_new(l, IV_LIST);
}
IrValue *iv_map(L *l) {
  return iv_new(l, IV_MAP);
}

IrValue *iv_ref(L *l, const char *id) {
  IrValue *v = iv_new(l, IV_REF);
  v->s = id;
  return v;
}

IrValue *iv_getatt(L *l, const char *id, const char *attr) {
  IrValue *v = iv_new(l, IV_GETATT);
  v->s = id;
  v->attr = attr;
  return v;
}

static void grow(L *l, IrValue *v) {
  if (v->n < v->cap) return;
  int cap = v->cap ? v->cap * 2 : 4;
  IrValue **items = arena_alloc(l->a, sizeof *items * (size_t)cap);
  const char **keys = arena_alloc(l->a, sizeof *keys * (size_t)cap);
  if (v->n) {
    memcpy(items, v->items, sizeof *items * (size_t)v->n);
    memcpy(keys, v->keys, sizeof *keys * (size_t)v->n);
  }
  v->items = items;
  v->keys = keys;
  v->cap = cap;
}

IrValue *iv_sub(L *l) {
  return iv_new(l, IV_SUB);
}

void iv_sub_add(L *l, IrValue *sub, IrValue *v) {
  if (!v) return;
  switch (v->k) {
  case IV_SUB:
    for (int i = 0; i < v->n; i++) iv_sub_add(l, sub, v->items[i]);
    return;
  case IV_INT: v = iv_str(l, arena_printf(l->a, "%lld", (long long)v->i)); break;
  case IV_BOOL: v = iv_str(l, v->i ? "true" : "false"); break;
  case IV_STR: {
    IrValue *last = sub->n ? sub->items[sub->n - 1] : NULL;
    if (!*v->s) return;
    if (last && last->k == IV_STR) { /* a new text: v and last may be shared */
      sub->items[sub->n - 1] = iv_str(l, arena_printf(l->a, "%s%s", last->s, v->s));
      return;
    }
    break;
  }
  case IV_REF:
  case IV_GETATT: break;
  default: return; /* a list has no place in a string: the checker said so */
  }
  iv_push(l, sub, v);
}

void iv_sub_text(L *l, IrValue *sub, const char *s) {
  iv_sub_add(l, sub, iv_str(l, s));
}

IrValue *iv_push(L *l, IrValue *list, IrValue *v) {
  if (!v) return NULL;
  grow(l, list);
  list->items[list->n++] = v;
  return v;
}

IrValue *iv_set(L *l, IrValue *map, const char *key, IrValue *v) {
  if (!v) return NULL;
  grow(l, map);
  map->keys[map->n] = key;
  map->items[map->n++] = v;
  return v;
}

IrValue *iv_pair(L *l, const char *k1, IrValue *v1, const char *k2, IrValue *v2) {
  IrValue *m = iv_map(l);
  iv_set(l, m, k1, v1);
  iv_set(l, m, k2, v2);
  return m;
}

const char *upper(L *l, const char *s) {
  char *u = arena_strndup(l->a, s, strlen(s));
  for (char *p = u; *p; p++)
    *p = (char)toupper((unsigned char)*p);
  return u;
}

/* ---- logical IDs ---- */

/* Written in place: the result is never longer than name and suffix. */
const char *lower_logical_id(Arena *a, const char *name, const char *suffix) {
  size_t ns = strlen(suffix);
  char *id = arena_alloc(a, strlen(name) + ns + 1), *q = id;
  bool start = true;
  for (const char *p = name; *p; p++) {
    if (*p == '_' || *p == '-' || *p == '.') { /* net.public_a, made by module net: NetPublicA */
      start = true;
      continue;
    }
    *q++ = start ? (char)toupper((unsigned char)*p) : *p;
    start = false;
  }
  memcpy(q, suffix, ns + 1);
  return id;
}

/* "AWS::RDS::DBInstance" -> "DbInstance": the type's name, acronyms as words. */
static const char *type_word(Arena *a, const char *type) {
  const char *p = strrchr(type, ':');
  p = p ? p + 1 : type;
  char *w = arena_strndup(a, p, strlen(p));
  size_t n = strlen(w);
  for (size_t i = 1; i < n; i++)
    if (isupper((unsigned char)p[i]) && isupper((unsigned char)p[i - 1]) &&
        (i + 1 == n || isupper((unsigned char)p[i + 1])))
      w[i] = (char)tolower((unsigned char)w[i]);
  return w;
}

const char *lower_type_word(Arena *a, const char *type) { return type_word(a, type); }

const char *lower_id(L *l, const Decl *d) {
  return l->primary[d->index];
}

/* Never 0, which marks a free slot. */
static uint32_t hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h ? h : 1;
}

/* The slot of key, of hash h: where it is, or the free one where it goes.
   The set keeps each key's hash, so that a probe compares a key only when
   the hashes agree, and growing neither hashes nor compares a key again:
   that halved the set's instructions. Key NULL: a free slot for h. */
static uint32_t idset_find(const IdSet *set, const char *key, uint32_t h) {
  uint32_t i = h & (set->cap - 1);
  while (set->hashes[i] && (set->hashes[i] != h || (key && strcmp(set->keys[i], key))))
    i = (i + 1) & (set->cap - 1);
  return i;
}

static void idset_grow(Arena *a, IdSet *set) {
  IdSet bigger = {.cap = set->cap ? set->cap * 2 : 256, .n = set->n};
  bigger.hashes = arena_alloc(a, sizeof *bigger.hashes * bigger.cap);
  bigger.keys = arena_alloc(a, sizeof *bigger.keys * bigger.cap);
  bigger.vals = arena_alloc(a, sizeof *bigger.vals * bigger.cap);
  for (uint32_t i = 0; i < set->cap; i++) {
    if (!set->hashes[i]) continue;
    uint32_t j = idset_find(&bigger, NULL, set->hashes[i]); /* the keys are all distinct */
    bigger.hashes[j] = set->hashes[i];
    bigger.keys[j] = set->keys[i];
    bigger.vals[j] = set->vals[i];
  }
  *set = bigger;
}

/* The value slot of key in set, made (NULL) when key was not there. */
static void **idset_slot(Arena *a, IdSet *set, const char *key, bool *found) {
  if (set->n * 2 >= set->cap) idset_grow(a, set);
  uint32_t h = hash(key), i = idset_find(set, key, h);
  *found = set->hashes[i] != 0;
  if (!*found) {
    set->hashes[i] = h;
    set->keys[i] = key;
    set->n++;
  }
  return &set->vals[i];
}

/* Adds id to set; false when it was there already. */
static bool idset_add(Arena *a, IdSet *set, const char *id) {
  bool found;
  idset_slot(a, set, id, &found);
  return !found;
}

const char *lower_unique(L *l, IdSet *set, const char *id) {
  for (int n = 2; !idset_add(l->a, set, id); n++) {
    const char *base = id;
    id = arena_printf(l->a, "%s%d", base, n);
    if (idset_add(l->a, set, id)) return id;
    id = base;
  }
  return id;
}

/* Pascal(name) + suffix, made unique: a main resource's or param's ID */
static const char *derived_id(L *l, const Decl *d, const char *suffix) {
  return lower_unique(l, &l->ids, lower_logical_id(l->a, d->name, suffix));
}

/* The ID part_ids gives the part of d named suffix ("Attachment"), or NULL. */
static const char *part_pin(const Decl *d, const char *suffix) {
  const Expr *o = d->meta[META_PART_IDS];
  for (int i = 0; o && o->k == EX_OBJECT && i < o->items.n; i++) {
    const Expr *p = o->items.v[i];
    if (!strcmp(p->name, suffix)) return eval_string(p->base);
  }
  return NULL;
}

const char *lower_part_as(L *l, const Decl *d, const char *suffix, const char *id) {
  const char *pin = part_pin(d, suffix);
  return pin ? pin : lower_unique(l, &l->ids, id);
}

const char *lower_part(L *l, const Decl *d, const char *suffix) {
  return lower_part_as(l, d, suffix, lower_logical_id(l->a, d->name, suffix));
}

const IrResource *lower_find(const IrStack *ir, const char *logical_id) {
  for (int i = 0; i < ir->nres; i++)
    if (!strcmp(ir->res[i]->logical_id, logical_id)) return ir->res[i];
  return NULL;
}

/* ---- resources ---- */

IrResource *lower_res(L *l, const Decl *d, const char *id, const char *type, bool primary) {
  IrResource *r = arena_alloc(l->a, sizeof *r);
  r->logical_id = id;
  r->type = type;
  r->decl = d;
  r->primary = primary;
  r->props = iv_map(l);
  vec_push(l->a, &l->res, r);
  return r;
}

void lower_depend(L *l, IrResource *r, const char *id) {
  for (int i = 0; i < r->ndepends; i++)
    if (!strcmp(r->depends_on[i], id)) return;
  const char **deps = arena_alloc(l->a, sizeof *deps * (size_t)(r->ndepends + 1));
  if (r->ndepends) memcpy(deps, r->depends_on, sizeof *deps * (size_t)r->ndepends);
  deps[r->ndepends++] = id;
  r->depends_on = deps;
}

void lower_after_attach(L *l, IrResource *r, const Decl *vpc) {
  if (vpc && l->attach[vpc->index]) lower_depend(l, r, l->attach[vpc->index]);
}

IrValue *lower_tags(L *l, const Decl *d) {
  IrValue *tags = iv_list(l);
  Member *m = stmt_nth(&d->members, "tags", 0);
  bool named = false;
  for (int i = 0; m && i < m->body.n; i++) {
    Member *t = m->body.v[i];
    named |= t->k == M_ATTR && !strcmp(t->name, "Name");
  }
  if (!named)
    iv_push(l, tags,
            iv_pair(l, "Key", iv_str(l, "Name"), "Value",
                    iv_str(l, arena_printf(l->a, "%s-%s", l->stack, d->name))));
  for (int i = 0; m && i < m->body.n; i++) {
    Member *t = m->body.v[i];
    IrValue *v = t->k == M_ATTR ? lower_expr(l, t->value) : NULL;
    /* `Name = aws.no_value`: no tag, not even the Name one (what import writes for a resource without it) */
    if (v && !(v->k == IV_REF && !strcmp(v->s, "AWS::NoValue")))
      iv_push(l, tags, iv_pair(l, "Key", iv_str(l, t->name), "Value", v));
  }
  return tags->n ? tags : NULL;
}

/* ---- references ---- */

/* X_GIVEN: the attribute when it is written (an existing resource's ID), else Ref */
typedef enum { X_REF, X_GETATT, X_FOLD, X_GIVEN } ExportHow;

/* ORDER: what each export of kinds.c becomes. */
static const struct {
  const char *kind, *name;
  ExportHow how;
  const char *attr;
} exports[] = {
    {"vpc", "id", X_REF, NULL},
    {"vpc", "cidr", X_FOLD, "cidr"},
    {"subnet", "id", X_REF, NULL},
    {"subnet", "cidr", X_FOLD, "cidr"},
    {"subnet", "az", X_FOLD, "az"},
    {"internet_gateway", "id", X_REF, NULL},
    {"nat_gateway", "id", X_REF, NULL},
    {"route_table", "id", X_REF, NULL},
    {"security_group", "id", X_GETATT, "GroupId"},
    {"role", "arn", X_GETATT, "Arn"},
    {"role", "name", X_REF, NULL},
    {"instance", "id", X_REF, NULL},
    {"instance", "private_ip", X_GETATT, "PrivateIp"},
    {"elastic_ip", "address", X_REF, NULL},
    {"database", "address", X_GETATT, "Endpoint.Address"},
    {"database", "port", X_GETATT, "Endpoint.Port"},
    {"database", "password_secret", X_GETATT, "MasterUserSecret.SecretArn"},
    {"database", "username", X_FOLD, "username"},
    {"zone", "id", X_GIVEN, "id"},
    {"zone", "name_servers", X_GETATT, "NameServers"},
    {"certificate", "arn", X_REF, NULL},
    {"target_group", "arn", X_REF, NULL},
    {"load_balancer", "dns_name", X_GETATT, "DNSName"},
    {"load_balancer", "zone_id", X_GETATT, "CanonicalHostedZoneID"},
    {"load_balancer", "arn", X_REF, NULL},
    {"record", "name", X_FOLD, "name"},
    {"registry", "uri", X_GETATT, "RepositoryUri"},
    {"registry", "arn", X_GETATT, "Arn"},
    {"cluster", "name", X_REF, NULL},
    {"cluster", "arn", X_GETATT, "Arn"},
    {"log_group", "name", X_REF, NULL},
    {"log_group", "arn", X_GETATT, "Arn"},
    {"task", "arn", X_REF, NULL},
    {"service", "name", X_GETATT, "Name"},
    {"service", "arn", X_REF, NULL},
};

IrValue *lower_export(L *l, const Decl *d, const char *field) {
  if (!d) return NULL;
  /* a `resource` where a kind is expected: its Ref, or the kind's GetAtt */
  const char *kind = kind_of_decl(d);
  for (size_t i = 0; kind && i < countof(exports); i++) {
    if (strcmp(exports[i].kind, kind) || (field && strcmp(exports[i].name, field)))
      continue;
    if (d->type_name && exports[i].how == X_FOLD) break;
    switch (exports[i].how) {
    case X_REF: return iv_ref(l, lower_id(l, d));
    case X_GETATT: return iv_getatt(l, lower_id(l, d), exports[i].attr);
    case X_FOLD: return lower_expr(l, decl_attr(d, exports[i].attr));
    case X_GIVEN:
      return decl_attr(d, exports[i].attr) ? lower_expr(l, decl_attr(d, exports[i].attr))
                                            : iv_ref(l, lower_id(l, d));
    }
  }
  return iv_ref(l, lower_id(l, d));
}

/* A bare name stands for the first export: a vpc's id, a registry's uri... */
IrValue *lower_ref(L *l, const Decl *d) {
  return lower_export(l, d, NULL);
}

IrValue *lower_refs(L *l, const Expr *list) {
  if (!list) return NULL;
  IrValue *v = iv_list(l);
  if (list->k != EX_LIST) {
    iv_push(l, v, lower_expr(l, list));
    return v;
  }
  for (int i = 0; i < list->items.n; i++)
    iv_push(l, v, lower_expr(l, list->items.v[i]));
  return v;
}

static const IrParam *param_of(L *l, const Decl *p) {
  for (int i = 0; i < l->params.n; i++) {
    IrParam *ip = l->params.v[i];
    if (ip->decl == p) return ip;
  }
  return NULL;
}

/* An ARN written as "arn:aws:...": the partition of the stack's region
   instead, so that the template deploys in aws-cn and aws-us-gov too. */
IrValue *lower_arn(L *l, IrValue *v) {
  if (!v || v->k != IV_STR || strncmp(v->s, "arn:aws:", 8)) {
    for (int i = 0; v && v->k == IV_LIST && i < v->n; i++)
      v->items[i] = lower_arn(l, v->items[i]);
    return v;
  }
  IrValue *sub = iv_sub(l);
  iv_sub_text(l, sub, "arn:");
  iv_sub_add(l, sub, iv_ref(l, "AWS::Partition"));
  iv_sub_text(l, sub, v->s + 7);
  return sub;
}

static IrValue *lower_string(L *l, const Expr *e);

/* A string with a function inside: Fn::Join "" of its parts. */
static IrValue *lower_join(L *l, const Expr *e) {
  IrValue *list = iv_list(l);
  for (StrPart *p = e->parts; p; p = p->next) {
    if (p->text) {
      iv_push(l, list, iv_str(l, p->text));
    } else {
      IrValue *v = lower_expr(l, p->expr);
      if (v && v->k == IV_INT) v = iv_str(l, arena_printf(l->a, "%lld", (long long)v->i));
      if (v && v->k == IV_BOOL) v = iv_str(l, v->i ? "true" : "false");
      iv_push(l, list, v);
    }
  }
  IrValue *j = iv_str(l, "");
  j->k = IV_JOIN;
  iv_push(l, j, list);
  return j;
}

/* "https://${api_dns.name}": a plain string when every part is known now,
   else its parts (IV_SUB). */
static IrValue *lower_string(L *l, const Expr *e) {
  Buf plain = {0};
  IrValue *sub = iv_sub(l);
  bool dynamic = false;
  /* "${join(",", names)}": Fn::Sub cannot hold a function; Fn::Join of the parts can */
  for (StrPart *p = e->parts; p; p = p->next)
    if (p->expr && p->expr->k == EX_CALL && resolve_fn_cfn(p->expr->name)) return lower_join(l, e);
  for (StrPart *p = e->parts; p; p = p->next) {
    IrValue *v = p->text ? iv_str(l, p->text) : lower_expr(l, p->expr);
    if (!v) continue;
    switch (v->k) {
    case IV_STR: buf_puts(&plain, v->s); break;
    case IV_INT: buf_printf(&plain, "%lld", (long long)v->i); break;
    case IV_BOOL: buf_puts(&plain, v->i ? "true" : "false"); break;
    case IV_REF:
    case IV_GETATT:
    case IV_SUB: dynamic = true; break;
    default: break; /* a list has no place in a string: the checker said so */
    }
    iv_sub_add(l, sub, v);
  }
  const char *s = arena_strndup(l->a, plain.s ? plain.s : "", plain.len);
  buf_free(&plain);
  return dynamic ? sub : iv_str(l, s);
}

/* A param the checks or a folding read (eval.c marks it): its value is
   written, so that no deploy can make the template disagree with what was
   checked. A secret never is: its value is not known here. */
static bool fixed(const Decl *p) {
  return p->folded && p->value && strcmp(p->type_name ? p->type_name : "", "secret");
}

static IrValue *iv_copy(L *l, const char *s) {
  return iv_str(l, arena_strndup(l->a, s, strlen(s)));
}

/* join and select of values known now are folded: Fn::Join of literals is
   only a longer way to write a string. */
static IrValue *fold_fn(L *l, IrValue *v) {
  bool join = !strcmp(v->s, "Fn::Join"), select = !strcmp(v->s, "Fn::Select");
  IrValue *list = (join || select) && v->n == 2 ? v->items[1] : NULL;
  if (!list || list->k != IV_LIST) return v;
  for (int i = 0; i < list->n; i++)
    if (list->items[i]->k != IV_STR) return v;
  if (select) {
    int64_t i = v->items[0]->k == IV_INT ? v->items[0]->i : -1;
    return i >= 0 && i < list->n ? list->items[i] : v;
  }
  if (v->items[0]->k != IV_STR) return v;
  Buf b = {0};
  for (int i = 0; i < list->n; i++) {
    if (i) buf_puts(&b, v->items[0]->s);
    buf_puts(&b, list->items[i]->s);
  }
  IrValue *r = iv_str(l, arena_strndup(l->a, b.s ? b.s : "", b.len));
  buf_free(&b);
  return r;
}

/* a.B.C: Fn::GetAtt of a `resource`; aws.region: a pseudo-parameter;
   stack.name and stack.region: folded; a kind's export. */
static IrValue *lower_field(L *l, const Expr *e) {
  IrValue *let = lower_let(l, e);
  if (let) return let;
  const Expr *root = e->base;
  while (root->k == EX_FIELD) root = root->base;
  if (!e->ref && root->k == EX_NAME && !strcmp(root->name, "aws"))
    return iv_ref(l, resolve_pseudo(e->name));
  if (!e->ref && root->k == EX_NAME && !strcmp(root->name, "stack"))
    return !strcmp(e->name, "name") ? iv_str(l, l->stack)
                                    : iv_str(l, eval_string(decl_attr(l->c->prog.stack, "region")));
  if (!e->ref || e->ref->k != D_RESOURCE) return NULL;
  if (!e->ref->type_name) return lower_export(l, e->ref, e->name);
  const char *parts[LIMIT_DEPTH];
  int np = 0;
  for (const Expr *x = e; x != root && np < LIMIT_DEPTH; x = x->base) parts[np++] = x->name;
  Buf b = {0};
  for (int i = np - 1; i >= 0; i--) buf_printf(&b, "%s%s", parts[i], i ? "." : "");
  const char *attr = arena_strndup(l->a, b.s, b.len);
  buf_free(&b);
  return iv_getatt(l, lower_id(l, e->ref), attr);
}

/* to_json(value): the JSON text, a plain string when every value in it is
   known now, else the parts (IV_SUB) whose references are the values. */
typedef struct {
  Buf text;    /* the JSON text not yet in sub */
  IrValue *sub; /* NULL: plain text, and a reference is refused */
} JsonText;

/* The text so far as a part of sub. */
static void json_flush(L *l, JsonText *j) {
  if (j->sub && j->text.len) iv_sub_text(l, j->sub, arena_strndup(l->a, j->text.s, j->text.len));
  j->text.len = 0;
}

static bool json_text(L *l, JsonText *j, const IrValue *v) {
  Buf *b = &j->text;
  switch (v->k) {
  case IV_STR:
    buf_puts(b, "\"");
    for (const char *s = v->s; *s; s++) {
      unsigned char ch = (unsigned char)*s;
      if (ch == '"' || ch == '\\') buf_printf(b, "\\%c", ch);
      else if (ch < 0x20) buf_printf(b, "\\u%04x", ch);
      else buf_add(b, s, 1);
    }
    buf_puts(b, "\"");
    return true;
  case IV_INT: buf_printf(b, "%lld", (long long)v->i); return true;
  case IV_BOOL: buf_puts(b, v->i ? "true" : "false"); return true;
  case IV_LIST:
  case IV_MAP:
    buf_puts(b, v->k == IV_LIST ? "[" : "{");
    for (int i = 0; i < v->n; i++) {
      if (i) buf_puts(b, ",");
      if (v->k == IV_MAP) {
        IrValue key = {.k = IV_STR, .s = v->keys[i]};
        json_text(l, j, &key);
        buf_puts(b, ":");
      }
      if (!json_text(l, j, v->items[i])) return false;
    }
    buf_puts(b, v->k == IV_LIST ? "]" : "}");
    return true;
  case IV_REF:
  case IV_GETATT:
  case IV_SUB: /* a string: its parts between quotes, as they are */
    if (!j->sub) return false;
    buf_puts(b, "\"");
    json_flush(l, j);
    iv_sub_add(l, j->sub, (IrValue *)v);
    buf_puts(b, "\"");
    return true;
  default: return false; /* resolve refuses functions inside to_json */
  }
}

static IrValue *lower_to_json(L *l, const Expr *e) {
  IrValue *v = lower_expr(l, e);
  if (!v) return NULL;
  JsonText j = {0};
  IrValue *r = NULL;
  if (json_text(l, &j, v)) {
    r = iv_str(l, arena_strndup(l->a, j.text.s ? j.text.s : "", j.text.len));
  } else {
    j.text.len = 0;
    j.sub = iv_sub(l);
    if (json_text(l, &j, v)) {
      json_flush(l, &j);
      r = j.sub;
    }
  }
  buf_free(&j.text);
  return r;
}

IrValue *lower_expr(L *l, const Expr *e) {
  if (!e) return NULL;
  char buf[24];
  switch (e->k) {
  case EX_STR: return lower_string(l, e);
  case EX_INT:
  case EX_SIZE:
  case EX_DURATION: return iv_int(l, e->i);
  case EX_BOOL: return iv_bool(l, e->i != 0);
  case EX_CIDR: return iv_copy(l, cidr_format(e->cidr, buf));
  case EX_IP: return iv_copy(l, ip_format(e->cidr.addr, buf));
  case EX_PORTS:
    return iv_str(l, arena_printf(l->a, "%lld-%lld", (long long)e->i, (long long)e->hi));
  case EX_NAME:
    if (e->ref && e->ref->k == D_PARAM && fixed(e->ref)) return lower_expr(l, e->ref->value);
    if (e->ref && e->ref->k == D_PARAM) {
      const IrParam *p = param_of(l, e->ref);
      return p ? iv_ref(l, p->logical_id) : NULL;
    }
    if (e->ref && e->ref->k == D_RESOURCE && e->ref->type_name && (l->in_props || !kind_of_decl(e->ref)))
      return iv_ref(l, lower_id(l, e->ref));
    if (e->ref && e->ref->k == D_RESOURCE) return lower_ref(l, e->ref);
    if (e->ref && e->ref->k == D_LET) return lower_let(l, e);
    if (e->ref && e->ref->k == D_CONDITION) return lower_cond_value(l, e->ref);
    return iv_str(l, e->name); /* a word */
  case EX_FIELD: return lower_field(l, e);
  case EX_CALL: {
    Cidr c;
    if (!strcmp(e->name, "cidr") && eval_cidr(e, &c)) return iv_copy(l, cidr_format(c, buf));
    const char *fn = resolve_fn_cfn(e->name);
    if (fn && !*fn) return lower_to_json(l, e->items.v[0]);
    if (!fn) return NULL;
    IrValue *v = iv_list(l);
    v->k = IV_FN;
    v->s = fn;
    for (int i = 0; i < e->items.n; i++) iv_push(l, v, lower_expr(l, e->items.v[i]));
    if (!e->items.n) iv_push(l, v, iv_str(l, "")); /* Fn::GetAZs "": the stack's region */
    if (v->n != (e->items.n ? e->items.n : 1)) return NULL;
    return fold_fn(l, v);
  }
  case EX_LIST: return lower_refs(l, e);
  case EX_COND: return lower_choice(l, e);
  case EX_INDEX: return lower_let(l, e);
  case EX_NOT:
  case EX_BINARY: {
    Tri t = cond_eval(l->a, e);
    return t == TRI_UNKNOWN ? NULL : iv_bool(l, t == TRI_TRUE);
  }
  case EX_OBJECT: {
    IrValue *m = iv_map(l);
    for (int i = 0; i < e->items.n; i++) {
      const Expr *p = e->items.v[i];
      if (p->k == EX_PAIR) iv_set(l, m, p->name, lower_expr(l, p->base));
    }
    return m;
  }
  default: return NULL;
  }
}

IrValue *lower_ssm(L *l, const Decl *d, const char *attr, const Expr *call, const char *type) {
  const char *path = call->items.n == 1 ? eval_string(call->items.v[0]) : NULL;
  if (!path) return NULL;
  bool found;
  IrParam **slot =
      (IrParam **)idset_slot(l->a, &l->ssm_paths, arena_printf(l->a, "%s %s", type, path), &found);
  if (found) return iv_ref(l, (*slot)->logical_id); /* one parameter per path */
  IrParam *p = *slot = arena_alloc(l->a, sizeof *p);
  p->name = arena_printf(l->a, "%s.%s", d->name, attr);
  p->logical_id = lower_unique(
      l, &l->ids, lower_logical_id(l->a, arena_printf(l->a, "%s_%s", d->name, attr), ""));
  p->decl = d;
  p->type = type;
  p->def = path;
  p->ssm = path;
  vec_push(l->a, &l->ssm, p);
  return iv_ref(l, p->logical_id);
}

IrValue *attr_str(L *l, const Decl *d, const char *name) {
  return lower_expr(l, decl_attr(d, name));
}

IrValue *attr_bool(L *l, const Decl *d, const char *name, bool def) {
  Expr *e = decl_attr(d, name);
  if (e && e->k == EX_NAME && e->ref && e->ref->k == D_PARAM)
    return lower_expr(l, e); /* known at deploy time */
  return iv_bool(l, eval_bool(e, def));
}

IrValue *attr_int(L *l, const Decl *d, const char *name, int64_t unit) {
  Expr *e = decl_attr(d, name);
  IrValue *v = lower_expr(l, e);
  if (v && v->k == IV_INT && e->k != EX_INT) v->i /= unit; /* a size or duration literal */
  return v;
}

/* ---- `resource`, and what every declaration may add ---- */

static const char *policy(const Expr *e) {
  const char *w = e && e->k == EX_NAME ? e->name : NULL;
  return !w ? NULL : !strcmp(w, "retain") ? "Retain" : !strcmp(w, "snapshot") ? "Snapshot" : "Delete";
}

/* properties { }, depends_on and the policies, on the main resource r. */
static void lower_meta(L *l, const Decl *d, IrResource *r) {
  if (d->props) {
    l->in_props = true;
    IrValue *extra = lower_expr(l, d->props);
    l->in_props = false;
    for (int i = 0; extra && i < extra->n; i++) iv_set(l, r->props, extra->keys[i], extra->items[i]);
  }
  const Expr *deps = d->meta[META_DEPENDS_ON];
  for (int i = 0; deps && i < (deps->k == EX_LIST ? deps->items.n : 1); i++) {
    const Expr *x = deps->k == EX_LIST ? deps->items.v[i] : deps;
    if (x->ref && x->ref->k == D_RESOURCE) lower_depend(l, r, lower_id(l, x->ref));
    /* an internet gateway is there once attached to its VPC, a balancer once it listens */
    if (x->ref && decl_is(x->ref, "internet_gateway") && l->companion[x->ref->index])
      lower_depend(l, r, l->companion[x->ref->index]);
    for (int j = 0; x->ref && decl_is(x->ref, "load_balancer") && j < l->listeners[x->ref->index].n; j++)
      lower_depend(l, r, l->listeners[x->ref->index].v[j]);
  }
  /* deletion_policy alone sets both policies, as the kinds' own policies do */
  const char *del = policy(d->meta[META_DELETION]), *rep = policy(d->meta[META_UPDATE_REPLACE]);
  if (del) r->deletion_policy = r->update_replace_policy = del;
  if (rep) r->update_replace_policy = rep;
  l->in_props = true;
  r->metadata = lower_expr(l, d->meta[META_METADATA]);
  r->creation_policy = lower_expr(l, d->meta[META_CREATION]);
  r->update_policy = lower_expr(l, d->meta[META_UPDATE_POLICY]);
  l->in_props = false;
}

static void lower_generic(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), d->type_name, true);
  lower_meta(l, d, r);
}

/* ---- params and outputs ---- */

/* A secret param that is a database's master password: the template's
   parameter refuses at deploy time what RDS would refuse (rds.c), for
   every engine it is given to. */
static void password_limits(L *l, IrParam *p, const Decl *d) {
  for (int i = 0; i < l->c->prog.decls.n; i++) {
    const Decl *db = l->c->prog.decls.v[i];
    Expr *pw = decl_is(db, "database") ? decl_attr(db, "password") : NULL;
    Expr *engine = pw ? decl_attr(db, "engine") : NULL;
    int min, max;
    if (!pw || pw->k != EX_NAME || pw->ref != d || !engine || engine->k != EX_NAME ||
        !rds_password_length(engine->name, &min, &max))
      continue;
    p->min_length = p->min_length > min ? p->min_length : min;
    p->max_length = p->max_length && p->max_length < max ? p->max_length : max;
    p->allowed_pattern = rds_password_pattern;
  }
  if (p->allowed_pattern)
    p->constraint = arena_printf(l->a,
                                 "%d to %d printable ASCII characters other than / \" @ and "
                                 "space (an RDS master password)",
                                 p->min_length, p->max_length);
}

static void lower_param(L *l, const Decl *d) {
  if (fixed(d)) return; /* its value is written where it is used */
  IrParam *p = arena_alloc(l->a, sizeof *p);
  p->name = d->name;
  p->logical_id = l->primary[d->index];
  p->decl = d;
  const char *t = d->type_name ? d->type_name : "string";
  p->secret = !strcmp(t, "secret");
  if (p->secret) password_limits(l, p, d);
  p->type = !strcmp(t, "int") ? "Number" : !strcmp(t, "list") ? "CommaDelimitedList" : "String";
  if (isupper((unsigned char)t[0]))
    p->type = t; /* "AWS::EC2::KeyPair::KeyName": CloudFormation's own, kept */
  if (!strcmp(t, "bool")) {
    static const char *tf[] = {"true", "false"};
    p->allowed = tf;
    p->nallowed = 2;
  }
  if (!p->secret) {
    p->def = params_get(l->c, d->name);
    if (!p->def && d->value) {
      IrValue *v = lower_expr(l, d->value);
      if (v && v->k == IV_STR)
        p->def = v->s;
      else if (v && v->k == IV_INT)
        p->def = arena_printf(l->a, "%lld", (long long)v->i);
      else if (v && v->k == IV_BOOL)
        p->def = v->i ? "true" : "false";
    }
  }
  vec_push(l->a, &l->params, p);
}

static void lower_output(L *l, const Decl *d) {
  IrOutput *o = arena_alloc(l->a, sizeof *o);
  o->name = d->name;
  const char *pin = eval_string(d->meta[META_LOGICAL_ID]);
  o->logical_id = lower_unique(l, &l->output_ids, pin ? pin : lower_logical_id(l->a, d->name, ""));
  o->decl = d;
  bool drop;
  o->condition = lower_decl_cond(l, d, &drop);
  if (drop) return;
  o->export_name = lower_expr(l, d->export_name);
  o->description = lower_expr(l, d->description);
  o->value = lower_expr(l, d->value);
  IrValue *v = o->value;
  if (v && (v->k == IV_LIST || (v->k == IV_GETATT && !strcmp(v->attr, "NameServers")))) {
    o->value = iv_str(l, ","); /* an output is a string: a list joined */
    o->value->k = IV_JOIN;
    iv_push(l, o->value, v);
  }
  if (o->value) vec_push(l->a, &l->outputs, o);
}

/* ---- the driver ---- */

/* ORDER: kinds.c (kind_all), as lower_program asserts: it finds a kind's
   lowering by the place of its schema there, where a strcmp per kind and
   declaration was 1.5% of a build. */
static const struct {
  const char *kind;
  void (*lower)(L *, const Decl *);
} lowerers[] = {
    {"vpc", lower_vpc},
    {"subnet", lower_subnet},
    {"internet_gateway", lower_igw},
    {"nat_gateway", lower_nat},
    {"route_table", lower_route_table},
    {"security_group", lower_security_group},
    {"role", lower_role},
    {"instance", lower_instance},
    {"elastic_ip", lower_elastic_ip},
    {"database", lower_database},
    {"zone", lower_zone},
    {"certificate", lower_certificate},
    {"target_group", lower_target_group},
    {"load_balancer", lower_load_balancer},
    {"record", lower_record},
    {"registry", lower_registry},
    {"cluster", lower_cluster},
    {"log_group", lower_log_group},
    {"task", lower_task},
    {"service", lower_service},
};

#define TOARRAY(l, vec, T) ((T)(vec).v)

/* Names made before anything is lowered, since references point forward:
   the logical IDs of params and resources, made unique in program order (a
   name's PascalCase may meet another's, main_vpc and vpc main), then those
   of the parts that other declarations name: internet gateway attachments,
   instance profiles, listeners (and the target groups they forward to). */
static void prepass(L *l, Program *prog) {
  int n = prog->decls.n;
  l->primary = arena_alloc(l->a, sizeof *l->primary * (size_t)n);
  l->companion = arena_alloc(l->a, sizeof *l->companion * (size_t)n);
  l->attach = arena_alloc(l->a, sizeof *l->attach * (size_t)n);
  l->listeners = arena_alloc(l->a, sizeof *l->listeners * (size_t)n);
  l->forwards = arena_alloc(l->a, sizeof *l->forwards * (size_t)n);
  l->executes = arena_alloc(l->a, sizeof *l->executes * (size_t)n);
  for (int i = 0; i < n; i++) {
    Decl *d = prog->decls.v[i];
    const char *pin = eval_string(d->meta[META_LOGICAL_ID]);
    if (d->k == D_PARAM) l->primary[i] = pin ? lower_unique(l, &l->ids, pin) : derived_id(l, d, "");
  }
  /* logical_id pins a main resource's ID: those first, the others around them */
  for (int i = 0; i < n; i++) {
    Decl *d = prog->decls.v[i];
    const char *pin = eval_string(d->meta[META_LOGICAL_ID]);
    if (d->k == D_RESOURCE && pin) l->primary[i] = lower_unique(l, &l->ids, pin);
    const Expr *parts = d->k == D_RESOURCE ? d->meta[META_PART_IDS] : NULL;
    for (int j = 0; parts && parts->k == EX_OBJECT && j < parts->items.n; j++)
      idset_add(l->a, &l->ids, eval_string(((Expr *)parts->items.v[j])->base));
  }
  for (int i = 0; i < n; i++) {
    Decl *d = prog->decls.v[i];
    if (d->k != D_RESOURCE || l->primary[i]) continue;
    if (d->schema)
      l->primary[i] = derived_id(l, d, type_word(l->a, d->schema->cfn));
    else if (d->type_name)
      l->primary[i] = derived_id(l, d, type_word(l->a, d->type_name));
  }
  for (int i = 0; i < n; i++) {
    Decl *d = prog->decls.v[i];
    if (d->k != D_RESOURCE || !d->schema) continue;
    Decl *vpc = decl_ref(d, "vpc"), *role = decl_ref(d, "role");
    if (decl_is(d, "internet_gateway")) {
      l->companion[i] = lower_part(l, d, "Attachment");
      if (vpc && !l->attach[vpc->index]) l->attach[vpc->index] = l->companion[i];
    }
    Decl *exec = decl_is(d, "task") ? decl_ref(d, "execution_role") : NULL;
    if (exec) vec_push(l->a, &l->executes[exec->index], d);
    Member *cap = decl_is(d, "cluster") ? stmt_nth(&d->members, "capacity", 0) : NULL;
    if (cap) {
      l->companion[i] = lower_part(l, d, "Capacity");
      Expr *r = member_attr(cap, "role");
      role = r && r->k == EX_NAME && r->ref && r->ref->k == D_RESOURCE ? r->ref : NULL;
    }
    if ((decl_is(d, "instance") || cap) && role && !l->companion[role->index])
      l->companion[role->index] = lower_part(l, role, "InstanceProfile");
    if (decl_is(d, "role") && decl_attr(d, "profile_name") && !l->companion[i]) /* asked for by name */
      l->companion[i] = lower_part(l, d, "InstanceProfile");
    if (!decl_is(d, "load_balancer")) continue;
    for (int j = 0; j < d->members.n; j++) {
      Member *m = d->members.v[j];
      Expr *port = m->k == M_STMT && m->stmt && !strcmp(m->name, "listener")
                       ? stmt_slot(m, "port", 0)
                       : NULL;
      if (!port) continue;
      const char *id = lower_part(l, d, arena_printf(l->a, "Listener%lld", (long long)port->i));
      vec_push(l->a, &l->listeners[i], (void *)id);
      Expr *fwd = member_attr(m, "forward");
      if (fwd && fwd->ref) vec_push(l->a, &l->forwards[fwd->ref->index], (void *)id);
    }
  }
}

IrStack *lower_program(Compilation *c) {
  int nkinds;
  const Schema *kinds = kind_all(&nkinds);
  assert(nkinds == (int)countof(lowerers));
  for (int k = 0; k < nkinds; k++)
    assert(!strcmp(lowerers[k].kind, kinds[k].name));
  L l = {.c = c, .a = &c->arena};
  Program *prog = &c->prog;
  l.stack = prog->stack && prog->stack->name ? prog->stack->name : "stack";
  prepass(&l, prog);
  for (int i = 0; i < prog->decls.n; i++) {
    Decl *d = prog->decls.v[i];
    if (d->k == D_PARAM) lower_param(&l, d);
  }
  lower_conditions(&l, prog);
  for (int i = 0; i < prog->decls.n; i++) {
    Decl *d = prog->decls.v[i];
    bool drop;
    const char *cond = lower_decl_cond(&l, d, &drop);
    int first = l.res.n;
    if (drop) continue;
    if (d->k == D_RESOURCE && d->schema) {
      lowerers[d->schema - kinds].lower(&l, d);
      for (int j = first; j < l.res.n; j++) {
        IrResource *r = l.res.v[j];
        if (r->decl == d && r->primary) {
          lower_meta(&l, d, r);
          break;
        }
      }
    } else if (d->k == D_RESOURCE && d->type_name) {
      lower_generic(&l, d);
    }
    for (int j = first; cond && j < l.res.n; j++)
      ((IrResource *)l.res.v[j])->condition = cond;
  }
  for (int i = 0; i < prog->decls.n; i++) {
    Decl *d = prog->decls.v[i];
    if (d->k == D_OUTPUT) lower_output(&l, d);
  }
  for (int i = 0; i < l.ssm.n; i++)
    vec_push(l.a, &l.params, l.ssm.v[i]);

  IrStack *ir = arena_alloc(l.a, sizeof *ir);
  ir->name = l.stack;
  ir->region = eval_string(decl_attr(prog->stack, "region"));
  ir->description = eval_string(decl_attr(prog->stack, "description"));
  ir->res = TOARRAY(l, l.res, IrResource **);
  ir->nres = l.res.n;
  ir->params = TOARRAY(l, l.params, IrParam **);
  ir->nparams = l.params.n;
  ir->outputs = TOARRAY(l, l.outputs, IrOutput **);
  ir->noutputs = l.outputs.n;
  ir->conditions = TOARRAY(l, l.conds, IrNamed **);
  ir->nconditions = l.conds.n;
  ir->mappings = TOARRAY(l, l.maps, IrNamed **);
  ir->nmappings = l.maps.n;
  return ir;
}
