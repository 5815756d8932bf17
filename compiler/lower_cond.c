/* lower_cond.c: conditions, `c ? a : b` and `let` constants in the
   template. What is known at compile time is folded; the rest becomes
   Conditions with Fn::If, and Mappings with Fn::FindInMap. */
#include <string.h>

#include "lower_int.h"

static IrValue *fn(L *l, const char *name, IrValue *a, IrValue *b, IrValue *c) {
  IrValue *v = iv_list(l);
  v->k = IV_FN;
  v->s = name;
  iv_push(l, v, a);
  if (b) iv_push(l, v, b);
  if (c) iv_push(l, v, c);
  return v;
}

/* Fn::Not takes a list of one condition. */
static IrValue *fn_not(L *l, IrValue *x) {
  IrValue *list = iv_list(l);
  iv_push(l, list, x);
  return fn(l, "Fn::Not", list, NULL, NULL);
}

/* A condition's expression whose value is unknown: parts known now fold. */
static IrValue *lower_test(L *l, const Expr *e) {
  Expr *const *x = (Expr *const *)e->items.v;
  if (e->k == EX_NAME && e->ref && e->ref->k == D_CONDITION) {
    IrValue *v = iv_str(l, l->cond_id[e->ref->index]);
    return fn(l, "Condition", v, NULL, NULL);
  }
  if (e->k == EX_NOT) return fn_not(l, lower_test(l, x[0]));
  if (e->k == EX_BINARY && (e->name[0] == '=' || e->name[0] == '!')) {
    IrValue *eq = fn(l, "Fn::Equals", lower_expr(l, x[0]), lower_expr(l, x[1]), NULL);
    if (eq->items[0] && eq->items[0]->k == IV_BOOL)
      eq->items[0] = iv_str(l, eq->items[0]->i ? "true" : "false");
    if (eq->items[1] && eq->items[1]->k == IV_BOOL)
      eq->items[1] = iv_str(l, eq->items[1]->i ? "true" : "false");
    return e->name[0] == '=' ? eq : fn_not(l, eq);
  }
  if (e->k == EX_BINARY) { /* && ||: a side known now is the identity (the other is decisive) */
    Tri a = cond_eval(l->a, x[0]), b = cond_eval(l->a, x[1]);
    if (a != TRI_UNKNOWN) return lower_test(l, x[1]);
    if (b != TRI_UNKNOWN) return lower_test(l, x[0]);
    return fn(l, e->name[0] == '&' ? "Fn::And" : "Fn::Or", lower_test(l, x[0]), lower_test(l, x[1]),
              NULL);
  }
  /* a bool param: true when it says "true" */
  return fn(l, "Fn::Equals", lower_expr(l, e), iv_str(l, "true"), NULL);
}

/* A condition's or a constant's ID: its logical_id, or its name's. */
static const char *lower_pinned_id(L *l, const Decl *d) {
  const char *pin = eval_string(d->meta[META_LOGICAL_ID]);
  return pin ? pin : lower_logical_id(l->a, d->name, "");
}

void lower_conditions(L *l, const Program *prog) {
  l->cond_id = arena_alloc(l->a, sizeof *l->cond_id * (size_t)(prog->decls.n + 1));
  l->map_id = arena_alloc(l->a, sizeof *l->map_id * (size_t)(prog->decls.n + 1));
  for (int i = 0; i < prog->decls.n; i++) {
    const Decl *d = prog->decls.v[i];
    if (d->k == D_CONDITION && d->value && cond_eval(l->a, d->value) == TRI_UNKNOWN)
      l->cond_id[i] = lower_unique(l, &l->cond_ids, lower_pinned_id(l, d));
  }
  for (int i = 0; i < prog->decls.n; i++) {
    if (!l->cond_id[i]) continue;
    IrNamed *c = arena_alloc(l->a, sizeof *c);
    c->logical_id = l->cond_id[i];
    c->value = lower_test(l, ((const Decl *)prog->decls.v[i])->value);
    vec_push(l->a, &l->conds, c);
  }
}

const char *lower_decl_cond(L *l, const Decl *d, bool *drop) {
  *drop = false;
  const Decl *c = d->cond ? d->cond->ref : NULL;
  if (!c || c->k != D_CONDITION) return NULL;
  Tri t = cond_eval(l->a, c->value);
  *drop = t == TRI_FALSE;
  return t == TRI_UNKNOWN ? l->cond_id[c->index] : NULL;
}

IrValue *lower_choice(L *l, const Expr *e) {
  Expr *const *x = (Expr *const *)e->items.v;
  Tri t = cond_eval(l->a, x[0]);
  if (t != TRI_UNKNOWN) return lower_expr(l, x[t == TRI_TRUE ? 1 : 2]);
  return fn(l, "Fn::If", iv_str(l, l->cond_id[x[0]->ref->index]), lower_expr(l, x[1]),
            lower_expr(l, x[2]));
}

/* The Mapping of a constant looked up at deploy time, made at its first use. */
static const char *mapping(L *l, const Decl *let) {
  if (l->map_id[let->index]) return l->map_id[let->index];
  IrNamed *m = arena_alloc(l->a, sizeof *m);
  m->logical_id = lower_unique(l, &l->map_ids, lower_pinned_id(l, let));
  m->value = lower_expr(l, let->value);
  vec_push(l->a, &l->maps, m);
  return l->map_id[let->index] = m->logical_id;
}

IrValue *lower_let(L *l, const Expr *e) {
  LetPath lp;
  if (!let_path(e, &lp) || lp.missing || lp.too_deep) return NULL;
  if (!lp.nkeys) return lower_expr(l, lp.value);
  IrValue *keys[2];
  for (int i = 0; i < 2; i++)
    keys[i] = lp.keys[i] && !lp.key_names[i] ? lower_expr(l, lp.keys[i]) : iv_str(l, lp.key_names[i]);
  IrValue *v = fn(l, "Fn::FindInMap", iv_str(l, mapping(l, lp.let)), keys[0], keys[1]);
  return v;
}

IrValue *lower_cond_value(L *l, const Decl *c) {
  Tri t = cond_eval(l->a, c->value);
  if (t != TRI_UNKNOWN) return iv_bool(l, t == TRI_TRUE);
  return fn(l, "Fn::If", iv_str(l, l->cond_id[c->index]), iv_bool(l, true), iv_bool(l, false));
}
