/* stack.c: compile, check and lower a stack for plan, apply and destroy,
   and map between logical IDs (the template's names) and the resource names
   of a plan (the declarations' names, which users know). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfn_json.h"
#include "jsonarena.h"
#include "params.h"
#include "stack.h"
#include "cfn_decide.h"

typedef struct {
  const char *key, *value;
  const Decl *decl;
} Pair;

/* Sorted for bsearch: plans of 100,000 resources ask once per step. */
typedef struct {
  Pair *by_logical, *by_name;
  int n;
} Names;

/* The template and the names are made on first use: build needs no names,
   and sorting them took 6% of its instructions. */
typedef struct {
  Stack pub;
  Names *names;
  cJSON *template;
  Arena json; /* the template's nodes */
  cJSON *decided; /* the API plan's: its conditions decided (cfn_decide.h) */
  const char *undecided;
} StackImpl;

static int pair_cmp(const void *a, const void *b) {
  return strcmp(((const Pair *)a)->key, ((const Pair *)b)->key);
}

static const Pair *pair_find(const Pair *v, int n, const char *key) {
  Pair k = {key, NULL, NULL};
  return n ? bsearch(&k, v, (size_t)n, sizeof *v, pair_cmp) : NULL;
}

/* A companion's plan name: its logical ID in snake case
   (ApiAlbListener443 -> api_alb_listener443). */
static const char *snake(Arena *a, const char *id) {
  size_t n = strlen(id);
  char *s = arena_alloc(a, n * 2 + 1), *o = s;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)id[i];
    if (isupper(ch) && i > 0 && (islower((unsigned char)id[i - 1]) || isdigit((unsigned char)id[i - 1])))
      *o++ = '_';
    *o++ = (char)tolower(ch);
  }
  return s;
}

static const Names *names(StackImpl *s) {
  if (s->names)
    return s->names;
  IrStack *ir = s->pub.ir;
  Arena *a = &s->pub.c->arena;
  Names *ns = arena_alloc(a, sizeof *ns);
  int n = ir->nres + ir->nparams;
  ns->by_logical = arena_alloc(a, sizeof(Pair) * (size_t)(n ? n : 1));
  ns->by_name = arena_alloc(a, sizeof(Pair) * (size_t)(n ? n : 1));
  for (int i = 0; i < ir->nres; i++) {
    const IrResource *r = ir->res[i];
    const char *name = r->primary ? r->decl->name : snake(a, r->logical_id);
    ns->by_logical[i] = (Pair){r->logical_id, name, r->decl};
    ns->by_name[i] = (Pair){name, r->logical_id, r->decl};
  }
  for (int i = 0; i < ir->nparams; i++) {
    const IrParam *p = ir->params[i];
    ns->by_logical[ir->nres + i] = (Pair){p->logical_id, p->name, NULL};
    ns->by_name[ir->nres + i] = (Pair){p->name, p->logical_id, NULL};
  }
  ns->n = n;
  qsort(ns->by_logical, (size_t)n, sizeof(Pair), pair_cmp);
  qsort(ns->by_name, (size_t)n, sizeof(Pair), pair_cmp);
  return s->names = ns;
}

Stack *stack_open(char **paths, int npaths, char **params, int nparams, char **files, int nfiles,
                  bool allow_secrets, const char *cmd) {
  Compilation *c = compile_new();
  for (int i = 0; i < nparams; i++) {
    if (!params_add(c, params[i])) {
      fprintf(stderr, "infrac: --param takes NAME=VALUE, not '%s'\nrun 'infrac %s --help' for usage\n",
              params[i], cmd);
      compile_free(c);
      return NULL;
    }
  }
  bool read_ok = compile_add_paths(c, paths, npaths);
  for (int i = 0; i < nfiles; i++)
    read_ok = params_file_add(c, files[i]) && read_ok;
  if (read_ok)
    compile_run(c);
  const char *nc = getenv("NO_COLOR");
  diag_render_text(c, stderr, isatty(STDERR_FILENO) && !(nc && *nc));
  if (!read_ok || c->nerrors || !params_check(c, stderr, allow_secrets)) {
    compile_free(c);
    return NULL;
  }
  StackImpl *s = arena_alloc(&c->arena, sizeof *s);
  s->pub.c = c;
  s->pub.ir = lower_program(c);
  s->pub.name = s->pub.ir->name;
  s->pub.region = s->pub.ir->region;
  return &s->pub;
}

const cJSON *stack_template(Stack *st) {
  StackImpl *s = (StackImpl *)st;
  if (!s->template) {
    /* in an arena of its own (jsonarena.h), freed whole; the rest of the
       program only reads or refers to it */
    Arena *outer = json_arena_enter(&s->json);
    s->template = cfn_template(s->pub.ir);
    json_arena_leave(outer);
  }
  return s->template;
}

/* The template with its conditions decided for the params' values, or
   NULL (s->undecided names the condition that reads a deploy-time value). */
static const cJSON *decided(StackImpl *s) {
  if (!s->decided && !s->undecided) {
    const cJSON *t = stack_template(&s->pub);
    s->decided = cJSON_GetObjectItemCaseSensitive(t, "Conditions")
                     ? cfn_decide(t, s->pub.region, &s->undecided)
                     : cJSON_Duplicate(t, true);
  }
  return s->decided;
}

const cJSON *stack_api_template(Stack *st) {
  return decided((StackImpl *)st);
}

void stack_close(Stack *s) {
  if (!s)
    return;
  cJSON_Delete(((StackImpl *)s)->decided);
  arena_free(&((StackImpl *)s)->json);
  compile_free(s->c); /* s itself lives in the arena */
}

const char *stack_name_of(void *ctx, const char *logical_id) {
  const Names *ns = names(ctx);
  const Pair *p = pair_find(ns->by_logical, ns->n, logical_id);
  return p ? p->value : NULL;
}

const char *stack_logical_of(void *ctx, const char *resource) {
  const Names *ns = names(ctx);
  const Pair *p = pair_find(ns->by_name, ns->n, resource);
  return p ? p->value : NULL;
}

const char *stack_kind_of(void *ctx, const char *logical_id) {
  const IrResource *r = lower_find(((StackImpl *)ctx)->pub.ir, logical_id);
  return r && r->decl ? r->decl->kind_name : NULL;
}

const char *stack_decl_name_of(void *ctx, const char *logical_id) {
  const Names *ns = names(ctx);
  const Pair *p = pair_find(ns->by_logical, ns->n, logical_id);
  return p && p->decl ? p->decl->name : NULL;
}

const char *stack_where(void *ctx, const char *resource) {
  StackImpl *s = ctx;
  const Names *ns = names(s);
  const Pair *p = pair_find(ns->by_name, ns->n, resource);
  if (!p || !p->decl)
    return NULL;
  const Source *src = compile_source(s->pub.c, p->decl->span.file);
  LineCol lc = source_linecol(src, p->decl->span.lo);
  return arena_printf(&s->pub.c->arena, "%s:%d:%d", src->name, lc.line, lc.col);
}

/* The API plan drives every type (a `resource` of a type without a native
   row through Cloud Control), but properties { } of a kind, which its
   native calls would leave out, are an error at their declaration, never a
   plan that does less than the template. */
bool stack_api_plan_covers(Stack *st) {
  bool ok = true;
  for (int i = 0; i < st->c->prog.decls.n; i++) {
    const Decl *d = st->c->prog.decls.v[i];
    if (d->cond && d->cond->ref && cond_eval(&st->c->arena, d->cond->ref->value) == TRI_UNKNOWN &&
        !decided((StackImpl *)st)) { /* it reads a secret or aws.account_id ... */
      const Source *cs = compile_source(st->c, d->cond->span.file);
      LineCol cl = source_linecol(cs, d->cond->span.lo);
      fprintf(stderr, "%s:%d:%d: error: the API plan cannot decide condition %s before deploy time (%s %s)\n",
              cs->name, cl.line, cl.col, d->cond->name, d->k == D_OUTPUT ? "output" : d->kind_name, d->name);
      ok = false;
      continue;
    }
    if (d->k != D_RESOURCE || d->type_name || !d->props) continue;
    const Source *src = compile_source(st->c, d->props_span.file);
    LineCol lc = source_linecol(src, d->props_span.lo);
    fprintf(stderr, "%s:%d:%d: error: the API plan does not write the properties { } of %s %s yet\n",
            src->name, lc.line, lc.col, d->kind_name, d->name);
    ok = false;
  }
  if (!ok)
    fputs("  = help: build a CloudFormation template instead: --emit=cfn-json or --emit=cfn-yaml\n",
          stderr);
  return ok;
}
