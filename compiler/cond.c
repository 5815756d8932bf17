/* cond.c: what conditions and `let` constants are at compile time: a
   condition folded when its inputs are literals, a constant's member found
   by its keys. Params and pseudo-parameters exist only at deploy time. */
#include <string.h>

#include "infrac.h"

static bool is_cond_ref(const Expr *e) {
  return e->k == EX_NAME && e->ref && e->ref->k == D_CONDITION;
}

/* A literal's text for ==, or NULL when it is known only at deploy time. */
static const char *known_text(Arena *a, const Expr *e) {
  if (e->k == EX_INT) return arena_printf(a, "%lld", (long long)e->i);
  if (e->k == EX_BOOL) return e->i ? "true" : "false";
  return e->k == EX_STR ? eval_string(e) : NULL;
}

Tri cond_eval(Arena *a, const Expr *e) {
  if (!e) return TRI_UNKNOWN;
  if (e->k == EX_BOOL) return e->i ? TRI_TRUE : TRI_FALSE;
  if (is_cond_ref(e)) {
    Decl *d = e->ref;
    if (d->mark == 1) return TRI_UNKNOWN; /* a cycle: resolve reports it */
    d->mark = 1;
    Tri t = cond_eval(a, d->value);
    d->mark = 0;
    return t;
  }
  Expr *const *x = (Expr *const *)e->items.v;
  if (e->k == EX_NOT) {
    Tri t = cond_eval(a, x[0]);
    return t == TRI_UNKNOWN ? t : t == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
  }
  if (e->k != EX_BINARY) return TRI_UNKNOWN;
  if (e->name[0] == '=' || e->name[0] == '!') {
    const char *l = known_text(a, x[0]), *r = known_text(a, x[1]);
    if (!l || !r) return TRI_UNKNOWN;
    return (!strcmp(l, r)) == (e->name[0] == '=') ? TRI_TRUE : TRI_FALSE;
  }
  bool and = e->name[0] == '&';
  Tri l = cond_eval(a, x[0]), r = cond_eval(a, x[1]);
  Tri decisive = and ? TRI_FALSE : TRI_TRUE; /* false && _, true || _ */
  if (l == decisive || r == decisive) return decisive;
  return l == TRI_UNKNOWN || r == TRI_UNKNOWN ? TRI_UNKNOWN : l;
}

/* The member of a let's object or list for a known key, or NULL. */
static const Expr *member_of(const Expr *v, const char *key, const Expr *kx) {
  if (v && v->k == EX_OBJECT && key)
    for (int i = 0; i < v->items.n; i++) {
      const Expr *p = v->items.v[i];
      if (p->k == EX_PAIR && !strcmp(p->name, key)) return p->base;
    }
  if (v && v->k == EX_LIST && kx && kx->k == EX_INT && kx->i >= 0 && kx->i < v->items.n)
    return v->items.v[kx->i];
  return NULL;
}

bool let_path(const Expr *e, LetPath *out) {
  const Expr *steps[LIMIT_DEPTH];
  int n = 0;
  const Expr *root = e;
  while ((root->k == EX_FIELD || root->k == EX_INDEX) && n < LIMIT_DEPTH) {
    steps[n++] = root;
    root = root->k == EX_FIELD ? root->base : root->items.v[0];
  }
  if (root->k != EX_NAME || !root->ref || root->ref->k != D_LET) return false;
  *out = (LetPath){.let = root->ref, .value = root->ref->value};
  for (int i = n - 1; i >= 0; i--) {
    const Expr *s = steps[i];
    const Expr *kx = s->k == EX_INDEX ? s->items.v[1] : NULL;
    const char *key = kx ? (kx->k == EX_STR ? eval_string(kx) : NULL) : s->name;
    bool known = !kx || kx->k == EX_INT || key;
    if (out->nkeys < 2 && (!known || out->nkeys)) {
      out->keys[out->nkeys] = kx ? kx : NULL;
      out->key_names[out->nkeys++] = key;
      out->value = NULL;
      continue;
    }
    if (out->nkeys) { /* more than two keys after one known only at deploy time */
      out->too_deep = s;
      return true;
    }
    const Expr *v = member_of(out->value, key, kx);
    if (!v) {
      out->container = out->value;
      out->missing = s;
      out->missing_key = key;
      out->value = NULL;
      return true;
    }
    out->value = v;
    out->nfolded++;
  }
  return true;
}
