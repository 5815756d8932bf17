/* check_names.c: two declarations that AWS would give one physical name
   (E114). The API plan names a resource after its stack and declaration
   (stack-name); E102 keeps declaration names apart, but some services tell
   names apart regardless of case, and the second create would fail
   (EntityAlreadyExists, DBInstanceAlreadyExists) after the first was made. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The types whose names AWS compares regardless of case, and why. */
static const struct {
  const char *type, *why;
} case_blind[] = {
    {"AWS::IAM::Role", "IAM role names ignore case"},
    {"AWS::RDS::DBInstance", "RDS database identifiers are lower case"},
    {"AWS::ECR::Repository", "ECR repository names are lower case"},
};

typedef struct {
  char *folded; /* the name in lower case */
  int rule;     /* its row of case_blind */
  Decl *d;
} Named;

static int named_cmp(const void *a, const void *b) {
  const Named *x = a, *y = b;
  if (x->rule != y->rule) return x->rule - y->rule;
  int c = strcmp(x->folded, y->folded);
  return c ? c : x->d->index - y->d->index;
}

void check_names(Check *k) {
  Vec *decls = &k->c->prog.decls;
  Named *v = calloc((size_t)decls->n + 1, sizeof *v);
  int n = 0;
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    /* a kind's declaration: a `resource` names itself, in its properties */
    if (d->k != D_RESOURCE || !d->schema || !d->schema->cfn || d->type_name || !d->name) continue;
    for (size_t r = 0; r < countof(case_blind); r++) {
      if (strcmp(d->schema->cfn, case_blind[r].type)) continue;
      char *f = strdup(d->name);
      for (char *p = f; *p; p++) *p = (char)tolower((unsigned char)*p);
      v[n++] = (Named){f, (int)r, d};
    }
  }
  qsort(v, (size_t)n, sizeof *v, named_cmp);
  for (int i = 1; i < n; i++) {
    Named *first = &v[i - 1], *again = &v[i];
    while (first > v && first[-1].rule == again->rule && !strcmp(first[-1].folded, again->folded))
      first--; /* a third one is reported against the first too */
    if (first->rule != again->rule || strcmp(first->folded, again->folded)) continue;
    Decl *a = first->d, *b = again->d;
    Diag *g = diag_error(k->c, "E114", b->name_span,
                         "%s and %s would have one name in AWS: %s, so the second create fails",
                         decl_desc(k, b), decl_desc(k, a), case_blind[again->rule].why);
    diag_note(k->c, g, a->name_span, "%s declared here", decl_desc(k, a));
    diag_help(k->c, g, "rename one of them with more than a change of case");
  }
  for (int i = 0; i < n; i++) free(v[i].folded);
  free(v);
}
