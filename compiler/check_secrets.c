/* check_secrets.c: a secret param written where anyone may read it (W609):
   a stack output, a tag, an instance's user data, or its own default in the
   source. The container environment is W605 (check_security.c). */
#include <string.h>

#include "check.h"

/* Where a secret is readable in plain text, and by whom. */
typedef struct {
  const char *stmt, *attr; /* a statement's body, or an attribute */
  const char *where, *who;
} Exposure;

static const Exposure exposures[] = {
    {"tags", NULL, "a tag of",
     "tags are read by anyone who may describe the resource, and are copied into billing "
     "reports"},
    {NULL, "user_data", "the user data of",
     "user data is read by anyone who may describe the instance's attributes, and by every "
     "process on the instance from the metadata service"},
};

static const Exposure output_exposure = {
    NULL, NULL, "output",
    "outputs are read by anyone who may describe the stack (NoEcho hides a parameter, not an "
    "output)"};

typedef struct {
  const Exposure *x;
  const char *what; /* "vpc main", "o" */
} Seen;

static Decl *secret_param(const Expr *e) {
  Decl *p = e->k == EX_NAME ? e->ref : NULL;
  return p && p->k == D_PARAM && p->type_name && !strcmp(p->type_name, "secret") ? p : NULL;
}

/* The first use of a secret param in e, through lets; NULL if none. */
static Expr *secret_use(Expr *e) {
  if (!e) return NULL;
  if (secret_param(e)) return e;
  if (e->k == EX_NAME && e->ref && e->ref->k == D_LET)
    return secret_use(e->ref->value); /* resolve refuses cycles of lets */
  Expr *found = NULL;
  switch (e->k) {
  case EX_FIELD: return secret_use(e->base);
  case EX_CALL:
  case EX_LIST:
    for (int i = 0; i < e->items.n && !found; i++)
      found = secret_use(e->items.v[i]);
    return found;
  case EX_STR:
    for (StrPart *p = e->parts; p && !found; p = p->next)
      found = secret_use(p->expr);
    return found;
  default: return NULL;
  }
}

static bool visit(Walk *w, Expr *e) {
  const Seen *s = w->ctx;
  bool let = e->k == EX_NAME && e->ref && e->ref->k == D_LET;
  Expr *use = let ? secret_use(e) : secret_param(e) ? e : NULL;
  if (!use) return !let;
  Decl *p = use->ref;
  Diag *g = diag_warning(w->k->c, "W609", e->span,
                         "secret param %s is written in plain text into %s %s", p->name,
                         s->x->where, s->what);
  if (let) diag_note(w->k->c, g, use->span, "let %s holds the value of param %s", e->name, p->name);
  diag_note(w->k->c, g, p->name_span, "param %s is a secret", p->name);
  diag_help(w->k->c, g,
            "%s: keep the secret in Secrets Manager or SSM Parameter Store and give its ARN or "
            "name instead",
            s->x->who);
  return false;
}

static void walk_body(Walk *w, const Vec *members) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    if (m->k == M_ATTR) check_walk_expr(w, m->value);
    walk_body(w, &m->body);
  }
}

/* param NAME : secret = DEFAULT: the value sits in the source, and no
   template, plan or apply ever uses it. */
static void check_default(Check *k, Decl *d) {
  Diag *g = diag_warning(k->c, "W609", d->value->span,
                         "secret param %s has a default: the secret is written in plain text "
                         "in the source, and is never used",
                         d->name);
  diag_help(k->c, g,
            "a secret is never a template's Default: give it at deploy time "
            "(INFRAC_PARAM_%s, or the prompt of infrac apply) and remove the default",
            d->name);
  diag_fix(k->c, g, (Span){d->value->span.file, d->type_span.hi, d->value->span.hi}, "");
}

void check_secret_exposure(Check *k, Decl *d) {
  if (d->k == D_PARAM && d->value && d->type_name && !strcmp(d->type_name, "secret")) {
    check_default(k, d);
    return;
  }
  const char *what = d->k == D_OUTPUT ? d->name : decl_desc(k, d);
  if (d->k == D_OUTPUT) {
    Walk w = {.k = k, .d = d, .visit = visit, .ctx = &(Seen){&output_exposure, what}};
    check_walk_expr(&w, d->value);
    return;
  }
  if (d->k != D_RESOURCE) return;
  for (size_t x = 0; x < countof(exposures); x++) {
    Walk w = {.k = k, .d = d, .visit = visit, .ctx = &(Seen){&exposures[x], what}};
    Member *m;
    for (int i = 0; exposures[x].stmt && (m = next_stmt(&d->members, exposures[x].stmt, &i));)
      walk_body(&w, &m->body);
    if (exposures[x].attr) check_walk_expr(&w, decl_attr(d, exposures[x].attr));
  }
}
