/* params.c: --param NAME=VALUE. Values are recorded before compile_run and
   checked against the program's params after it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

bool params_add(Compilation *c, const char *kv) {
  if (!strchr(kv, '=')) return false;
  vec_push(&c->arena, &c->params, arena_strndup(&c->arena, kv, strlen(kv)));
  return true;
}

static bool name_is(const char *kv, const char *name) {
  size_t n = strlen(name);
  return !strncmp(kv, name, n) && kv[n] == '=';
}

const char *params_get(Compilation *c, const char *name) {
  for (int i = c->params.n - 1; i >= 0; i--) /* the last one given wins */
    if (name_is(c->params.v[i], name)) return strchr(c->params.v[i], '=') + 1;
  return NULL;
}

static bool fits_int(const char *v) {
  char *end;
  errno = 0;
  (void)strtoll(v, &end, 10);
  return *v && !*end && errno != ERANGE && (*v == '-' || (*v >= '0' && *v <= '9'));
}

/* A CIDR block without host bits, as a literal must be (E201). */
static bool fits_cidr(const char *v) {
  Cidr c;
  size_t lo, hi;
  return cidr_parse(v, strlen(v), true, &c, &lo, &hi) == CIDR_OK && !cidr_has_host_bits(c);
}

/* What a value of type t looks like, or NULL when v fits. */
static const char *misfit(const char *t, const char *v) {
  if (!strcmp(t, "int")) return fits_int(v) ? NULL : "an integer, as 3";
  if (!strcmp(t, "bool")) return !strcmp(v, "true") || !strcmp(v, "false") ? NULL : "true or false";
  if (!strcmp(t, "cidr"))
    return fits_cidr(v) ? NULL : "a CIDR block with no host bits set, as 10.0.0.0/16";
  return NULL;
}

/* The literal a --param value stands for, of the param's type t. */
static Expr *literal(Compilation *c, const char *t, const char *v, Span sp) {
  Arena *a = &c->arena;
  if (!strcmp(t, "int")) {
    Expr *e = ast_expr(a, EX_INT, sp);
    e->i = strtoll(v, NULL, 10);
    return e;
  }
  if (!strcmp(t, "bool")) {
    Expr *e = ast_expr(a, EX_BOOL, sp);
    e->i = !strcmp(v, "true");
    return e;
  }
  if (!strcmp(t, "cidr")) {
    Expr *e = ast_expr(a, EX_CIDR, sp);
    size_t lo, hi;
    cidr_parse(v, strlen(v), true, &e->cidr, &lo, &hi);
    return e;
  }
  Expr *e = ast_expr(a, EX_STR, sp);
  e->parts = arena_alloc(a, sizeof *e->parts);
  e->parts->text = v;
  return e;
}

void params_apply(Compilation *c) {
  for (int i = 0; i < c->params.n; i++) {
    const char *kv = c->params.v[i], *eq = strchr(kv, '=');
    const char *name = arena_strndup(&c->arena, kv, (size_t)(eq - kv));
    Decl *d = resolve_lookup(c, name);
    if (params_get(c, name) != eq + 1 || !d || d->k != D_PARAM || !d->type_name ||
        !strcmp(d->type_name, "secret") || misfit(d->type_name, eq + 1))
      continue; /* a later value wins; params_check reports the others */
    int file = compile_add_source(c, "--param", kv, strlen(kv));
    const char *text = compile_source(c, file)->text;
    Span sp = {file, (uint32_t)(eq + 1 - kv), (uint32_t)strlen(kv)};
    d->value = literal(c, d->type_name, text + sp.lo, sp);
  }
}

bool params_check(Compilation *c, FILE *err, bool allow_secrets) {
  bool ok = true;
  for (int i = 0; i < c->params.n; i++) {
    const char *kv = c->params.v[i], *eq = strchr(kv, '=');
    const char *name = arena_strndup(&c->arena, kv, (size_t)(eq - kv)), *value = eq + 1;
    Decl *d = resolve_lookup(c, name);
    if (!d || d->k != D_PARAM) {
      Vec cands = {0};
      for (int j = 0; j < c->prog.decls.n; j++) {
        Decl *p = c->prog.decls.v[j];
        if (p->k == D_PARAM) vec_push(&c->arena, &cands, (void *)p->name);
      }
      const char *near = resolve_suggest(name, (const char *const *)cands.v, cands.n);
      fprintf(err, "infrac: --param %s: the stack has no param %s", name, name);
      if (near) fprintf(err, " (did you mean %s?)", near);
      fputc('\n', err);
      ok = false;
    } else if (!d->type_name) {
      ok = false;
    } else if (!strcmp(d->type_name, "secret") && !allow_secrets) {
      fprintf(err,
              "infrac: --param %s: a secret param is never written into a template; "
              "give it when the stack is deployed\n",
              name);
      ok = false;
    } else {
      const char *want = misfit(d->type_name, value);
      if (want) {
        fprintf(err, "infrac: --param %s: '%s' is not a value of type %s: expected %s\n", name,
                value, d->type_name, want);
        ok = false;
      }
    }
  }
  return ok;
}
