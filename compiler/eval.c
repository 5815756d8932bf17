/* eval.c: reading the resolved AST, and folding values known at compile time. */
#include <string.h>

#include "infrac.h"

/* The schema's name is the kind's, in the static table: cache-hot, unlike
   the declaration's own copy. */
bool decl_is(const Decl *d, const char *kind) {
  return d && d->k == D_RESOURCE && d->schema && !strcmp(d->schema->name, kind);
}

Expr *decl_attr(const Decl *d, const char *name) {
  if (!d || !d->schema || !d->attrs)
    return NULL;
  int i = kind_attr_index(d->schema, name);
  Expr *e = i >= 0 ? d->attrs[i] : NULL;
  return e && e->k != EX_ERROR ? e : NULL;
}

const Expr *decl_prop(const Decl *d, const char *key) {
  const Expr *e = NULL;
  for (int i = 0; d && d->props && d->props->k == EX_OBJECT && i < d->props->items.n; i++) {
    const Expr *p = d->props->items.v[i];
    if (p->k == EX_PAIR && !strcmp(p->name, key)) e = p->base;
  }
  return e;
}

Expr *member_attr(const Member *m, const char *name) {
  if (!m || !m->stmt || !m->stmt->body || !m->attrs)
    return NULL;
  int i = kind_attr_index(m->stmt->body, name);
  Expr *e = i >= 0 ? m->attrs[i] : NULL;
  return e && e->k != EX_ERROR ? e : NULL;
}

Decl *decl_ref(const Decl *d, const char *name) {
  Expr *e = decl_attr(d, name);
  return e && e->k == EX_NAME && e->ref && e->ref->k == D_RESOURCE ? e->ref : NULL;
}

Expr *stmt_word(const Member *m, const char *slot, int nth) {
  if (!m->slots || !m->alt)
    return NULL;
  size_t n = strlen(slot);
  int item = 0;
  const char *p = m->alt;
  while (*p && *p != '|' && item < 8) {
    while (*p == ' ')
      p++;
    const char *q = p;
    while (*q && *q != ' ' && *q != '|')
      q++;
    size_t len = (size_t)(q - p);
    if (len && (p[len - 1] == '?' || p[len - 1] == '+'))
      len--;
    if (len == n && !memcmp(p, slot, n) && nth-- == 0)
      return m->slots[item];
    item++;
    p = q;
  }
  return NULL;
}

Expr *stmt_slot(const Member *m, const char *slot, int nth) {
  Expr *e = stmt_word(m, slot, nth);
  return e && e->k != EX_ERROR ? e : NULL;
}

int stmt_count(const Vec *members, const char *name) {
  int n = 0;
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    n += m->k == M_STMT && m->stmt && !strcmp(m->name, name);
  }
  return n;
}

Member *stmt_nth(const Vec *members, const char *name, int nth) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    if (m->k == M_STMT && m->stmt && !strcmp(m->name, name) && nth-- == 0)
      return m;
  }
  return NULL;
}

/* A param's value: its default, or its --param value (params_apply). A
   value read here is built into the template: the param is marked folded,
   and lowering writes its value, not a parameter a deploy could change. */
static const Expr *param_value(const Expr *e) {
  if (e->k == EX_NAME && e->ref && e->ref->k == D_PARAM) {
    e->ref->folded |= e->ref->value != NULL;
    return e->ref->value;
  }
  return e;
}

/* A vpc's cidr may name another's: a chain this deep is a cycle (E107). */
enum { CIDR_DEPTH = 64 };

static bool cidr_at(const Expr *e, Cidr *out, int depth) {
  if (!e || depth > CIDR_DEPTH || !(e = param_value(e)))
    return false;
  switch (e->k) {
  case EX_CIDR: *out = e->cidr; return true;
  case EX_FIELD:
    if (!strcmp(e->name, "cidr") && (decl_is(e->ref, "vpc") || decl_is(e->ref, "subnet")))
      return cidr_at(decl_attr(e->ref, "cidr"), out, depth + 1);
    return false;
  case EX_NAME:
    if (decl_is(e->ref, "vpc") || decl_is(e->ref, "subnet"))
      return cidr_at(decl_attr(e->ref, "cidr"), out, depth + 1);
    return false;
  case EX_CALL: {
    Cidr base;
    int64_t bits, index;
    if (strcmp(e->name, "cidr") || e->items.n != 3 || !cidr_at(e->items.v[0], &base, depth + 1) ||
        !eval_int(e->items.v[1], &bits) || !eval_int(e->items.v[2], &index) || bits < 0 ||
        bits > 32 || index < 0)
      return false;
    return cidr_subnet(base, (int)bits, (uint64_t)index, out);
  }
  default: return false;
  }
}

bool eval_cidr(const Expr *e, Cidr *out) { return cidr_at(e, out, 0); }

bool eval_int(const Expr *e, int64_t *out) {
  if (!e || !(e = param_value(e)))
    return false;
  if (e->k == EX_INT || e->k == EX_SIZE || e->k == EX_DURATION) {
    *out = e->i;
    return true;
  }
  return false;
}

bool eval_bool(const Expr *e, bool def) {
  if (!e || !(e = param_value(e)))
    return def;
  return e->k == EX_BOOL ? e->i != 0 : def;
}

const char *eval_string(const Expr *e) {
  if (!e || !(e = param_value(e)) || e->k != EX_STR)
    return NULL;
  if (!e->parts)
    return "";
  return !e->parts->next && e->parts->text ? e->parts->text : NULL;
}
