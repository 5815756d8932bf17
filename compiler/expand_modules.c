/* expand_modules.c: `module NAME "DIR" { input = value ... }` (modules.h).

   A module is a directory of .infra files without a stack declaration,
   parsed once however many instances use it. Each instance copies the
   module's declarations with
   - names prefixed: `subnet public` of module net is net.public, and every
     reference to it inside the module follows;
   - spans moved into a view of the module's file (origin.h) that names the
     instance, so a diagnostic in it says "in module net" at the `module`
     line, and the checks need to know nothing of modules;
   - each use of a param replaced by a copy of the input given (or of the
     param's default), so that a reference crosses the boundary as it is.
   Then NAME.output anywhere is replaced by a copy of the output's value in
   the instance. Everything is copied once per use: linear in what is made. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "modules.h"
#include "strmap.h"

typedef struct {
  Compilation *c;
  Arena *a;
  Vec dirs;        /* ModuleDir*, each directory read */
  StrMap by_key;   /* real path -> ModuleDir */
  StrMap by_name;  /* instance name -> ModuleInstance */
  StrMap locals;   /* "DIR-KEY\nNAME" -> the module's declaration NAME */
  StrMap failed;   /* name -> a module declaration not expanded (said why): its uses are silent */
  LoopExpander *loops; /* for comprehensions of made names, made on the first */
} X;

/* What a module's param may be typed with, beside a kind and [a kind]: the
   types of a stack's params, and any literal's, as an input is a value of
   the program, never a CloudFormation parameter. */
static const struct {
  const char *name;
  unsigned accept;
} input_types[] = {
    {"string", A_STRING}, {"int", A_INT},           {"bool", A_BOOL},
    {"secret", A_SECRET}, {"cidr", A_CIDR},         {"list", A_LIST | A_STRING},
    {"ip", A_IP},         {"size", A_SIZE},         {"duration", A_DURATION},
    {"ports", A_PORTS},
};

bool modules_input_def(Arena *a, const Decl *p, AttrDef *out) {
  const char *t = p->type_name;
  bool list = t[0] == '[';
  const char *name = list ? arena_strndup(a, t + 1, strcspn(t + 1, "]")) : t;
  *out = (AttrDef){p->name, 0, NULL, NULL, !p->value, NULL, NULL};
  for (size_t i = 0; i < countof(input_types); i++)
    if (!strcmp(input_types[i].name, name))
      out->accept = input_types[i].accept;
  if (!out->accept && kind_find(name)) {
    out->accept = A_REF;
    out->ref = kind_find(name)->name;
  }
  if (list)
    out->accept |= A_LIST;
  return out->accept & ~(unsigned)A_LIST;
}

static bool is_module(const Decl *d) {
  return d->k == D_RESOURCE && !strcmp(d->kind_name, "module");
}

static int param_index(const ModuleDir *m, const char *name) {
  for (int i = 0; i < m->params.n; i++)
    if (!strcmp(((Decl *)m->params.v[i])->name, name))
      return i;
  return -1;
}

static const char *local_key(X *x, const ModuleDir *m, const char *name) {
  return arena_printf(x->a, "%s\n%s", m->key, name);
}

/* ---- reading a module's directory ---- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names d makes in m, a loop's body's included; names that interpolate
   are known after expand_loops (modules_after_loops). */
static void add_locals(X *x, ModuleDir *m, const Decl *d) {
  if (d->k == D_FOR)
    for (int i = 0; i < d->loop->body.n; i++)
      add_locals(x, m, d->loop->body.v[i]);
  else if ((d->k == D_RESOURCE || d->k == D_LET || d->k == D_CONDITION) && !d->name_parts)
    strmap_put(&x->locals, local_key(x, m, d->name), (void *)d);
}

/* The .infra files of dir, parsed into m; false (and E113) when there are none. */
static bool read_dir(X *x, ModuleDir *m, const Decl *at) {
  Compilation *c = x->c;
  DIR *dir = opendir(m->path);
  if (!dir) {
    Diag *g = diag_error(c, "E113", at->type_span, "cannot read module directory %s: %s", m->path,
                         strerror(errno));
    diag_help(c, g, "a module's directory is relative to the file that uses it");
    return false;
  }
  Vec names = {0};
  for (struct dirent *e; (e = readdir(dir));)
    if (compile_is_source_name(e->d_name))
      vec_push(x->a, &names, arena_strndup(x->a, e->d_name, strlen(e->d_name)));
  closedir(dir);
  if (!names.n) {
    diag_error(c, "E113", at->type_span, "module directory %s has no .infra file", m->path);
    return false;
  }
  qsort(names.v, (size_t)names.n, sizeof(void *), cmp_str);
  Program prog = {0};
  for (int i = 0; i < names.n; i++) {
    char *path = arena_printf(x->a, "%s/%s", m->path, (char *)names.v[i]);
    int before = c->files.n;
    if (compile_add_paths(c, &path, 1) && c->files.n > before)
      parse_file(c, c->files.n - 1, &prog);
  }
  for (int i = 0; i < prog.decls.n; i++) {
    Decl *d = prog.decls.v[i];
    if (d->k == D_STACK) {
      Diag *g = diag_error(c, "E113", d->kind_span,
                           "module %s declares a stack: a module is part of the stack that uses it",
                           at->type_name);
      diag_note(c, g, at->type_span, "used as a module here");
      diag_help(c, g, "move the stack declaration to the directory that uses the module");
      continue;
    }
    vec_push(x->a, d->k == D_PARAM ? &m->params : d->k == D_OUTPUT ? &m->outputs : &m->decls, d);
    add_locals(x, m, d);
  }
  return true;
}

/* Each param's type, once per directory. */
static void check_param_types(X *x, ModuleDir *m) {
  for (int i = 0; i < m->params.n; i++) {
    Decl *p = m->params.v[i];
    AttrDef ad;
    if (modules_input_def(x->a, p, &ad))
      continue;
    Diag *g = diag_error(x->c, "E106", p->type_span, "unknown param type '%s'", p->type_name);
    int nkinds;
    const Schema *kinds = kind_all(&nkinds);
    const char **cands = arena_alloc(x->a, sizeof(char *) * (countof(input_types) + (size_t)nkinds));
    int n = 0;
    for (size_t t = 0; t < countof(input_types); t++)
      cands[n++] = input_types[t].name;
    for (int k = 0; k < nkinds; k++)
      cands[n++] = kinds[k].name;
    const char *t = p->type_name + (p->type_name[0] == '[');
    const char *near = resolve_suggest(arena_strndup(x->a, t, strcspn(t, "]")), cands, n);
    if (near) {
      const char *fix = p->type_name[0] == '[' ? arena_printf(x->a, "[%s]", near) : near;
      diag_help(x->c, g, "did you mean '%s'?", fix);
      diag_fix(x->c, g, p->type_span, fix);
    } else {
      diag_help(x->c, g, "a module's param is typed string, int, bool, secret, cidr, list, ip, "
                         "size, duration, ports, a kind (vpc) or a list of a kind ([subnet])");
    }
  }
}

/* dir/../x -> x, ./x -> x, by the text alone, as messages name files:
   examples/modules/../modules/net reads as examples/modules/net. */
static char *tidy_path(Arena *a, const char *path) {
  char *out = arena_alloc(a, strlen(path) + 2), *o = out;
  int kept = 0; /* segments written that a '..' may take back */
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 1 && p[0] == '.' && o > out) {
    } else if (n == 2 && !strncmp(p, "..", 2) && kept) {
      o--; /* the '/' before the last segment */
      while (o > out && o[-1] != '/')
        o--;
      kept--;
    } else {
      memcpy(o, p, n);
      o += n;
      *o++ = '/';
      kept += n && !(n == 2 && !strncmp(p, "..", 2)) && !(n == 1 && p[0] == '.');
    }
    p += n + (p[n] == '/');
  }
  if (o > out + 1 && o[-1] == '/')
    o--;
  *o = 0;
  return *out ? out : ".";
}

/* DIR of `module NAME "DIR"`, read once: NULL when it cannot be. */
static ModuleDir *load(X *x, Decl *at) {
  const char *user = compile_source(x->c, origin_file(x->c, at->span.file))->name;
  const char *slash = strrchr(user, '/');
  const char *path = tidy_path(
      x->a, at->type_name[0] == '/' || !slash
                ? at->type_name
                : arena_printf(x->a, "%.*s/%s", (int)(slash - user), user, at->type_name));
  char real[PATH_MAX];
  struct stat st;
  if (!*at->type_name || !realpath(path, real) || stat(real, &st) || !S_ISDIR(st.st_mode)) {
    const char *why = !*at->type_name ? "an empty name"
                      : errno && !realpath(path, real) ? strerror(errno)
                                                       : "not a directory";
    Diag *g = diag_error(x->c, "E113", at->type_span, "cannot read module directory %s: %s",
                         path, why);
    diag_help(x->c, g, "a module's directory is relative to the file that uses it");
    return NULL;
  }
  ModuleDir *m = strmap_get(&x->by_key, real);
  if (m)
    return m;
  m = arena_alloc(x->a, sizeof *m);
  m->path = path;
  m->key = arena_strndup(x->a, real, strlen(real));
  strmap_put(&x->by_key, m->key, m);
  vec_push(x->a, &x->dirs, m);
  if (read_dir(x, m, at))
    check_param_types(x, m);
  return m;
}

/* ---- copies ---- */

/* Copying the module's text for an instance: its spans go to the
   instance's views, its names get the prefix, its params become inputs. */
typedef struct Bound { /* a loop variable in scope: neither a param nor a local */
  const char *name;
  const struct Bound *next;
} Bound;

typedef struct {
  X *x;
  ModuleInstance *in; /* NULL: a plain copy (of an input), spans kept */
  const Bound *vars;  /* the variables of the loops around what is copied */
} Copy;

static bool is_var(const Copy *k, const char *name) {
  for (const Bound *b = k->vars; b; b = b->next)
    if (!strcmp(b->name, name))
      return true;
  return false;
}

static int view_of(Copy *k, int file) {
  Vec *v = &k->in->views;
  for (int i = 0; i < v->n; i += 2)
    if ((intptr_t)v->v[i] == file)
      return (int)(intptr_t)v->v[i + 1];
  int view = origin_view(k->x->c, file, &k->in->origin);
  vec_push(k->x->a, v, (void *)(intptr_t)file);
  vec_push(k->x->a, v, (void *)(intptr_t)view);
  return view;
}

/* A span of the module's text in the instance's view; an unset span (an
   `if` never written) stays unset. */
static Span at_span(Copy *k, Span sp) {
  if (!k->in || sp.file >= ORIGIN_VIEW_BASE || !sp.hi)
    return sp;
  return (Span){view_of(k, sp.file), sp.lo, sp.hi};
}

static const char *local_name(Copy *k, const char *name) {
  if (!k->in || is_var(k, name) || !strmap_get(&k->x->locals, local_key(k->x, k->in->dir, name)))
    return name;
  return arena_printf(k->x->a, "%s.%s", k->in->name, name);
}

static Expr *copy_expr(Copy *k, const Expr *e);
static Decl *copy_decl(Copy *k, const Decl *d);

/* A loop's head in the instance: its list reads the inputs like any
   expression; inner (b holds two) sees its variables, which the params and
   locals of the same names do not shadow. */
static Loop *copy_loop(Copy *k, const Loop *l, Copy *inner, Bound *b) {
  Loop *n = arena_alloc(k->x->a, sizeof *n);
  *n = *l;
  n->span = at_span(k, l->span);
  n->var_span = at_span(k, l->var_span);
  n->index_span = at_span(k, l->index_span);
  n->list = copy_expr(k, l->list);
  b[0] = (Bound){l->var, k->vars};
  b[1] = (Bound){l->index ? l->index : l->var, &b[0]};
  *inner = (Copy){k->x, k->in, &b[1]};
  n->body = (Vec){0};
  for (int i = 0; i < l->body.n; i++)
    vec_push(k->x->a, &n->body, copy_decl(inner, l->body.v[i]));
  n->item = copy_expr(inner, l->item);
  n->cond = copy_expr(inner, l->cond);
  return n;
}

/* A use of param p in the instance: a copy of its input, or of its default
   in the module (an error, said once at the `module` line, without both). */
static Expr *input_copy(Copy *k, int p, const Expr *use) {
  ModuleInstance *in = k->in;
  Expr *given = in->inputs[p];
  Expr *e;
  if (given) {
    Copy plain = {k->x, NULL, NULL};
    e = copy_expr(&plain, given);
    vec_push(k->x->a, &in->copies[p], e);
  } else if (((Decl *)in->dir->params.v[p])->value && !in->defaulting[p]) {
    in->defaulting[p] = true; /* param a : int = a reads itself: an error, not a loop */
    e = copy_expr(k, ((Decl *)in->dir->params.v[p])->value);
    in->defaulting[p] = false;
  } else {
    e = ast_expr(k->x->a, EX_ERROR, at_span(k, use->span));
  }
  return e;
}

static Expr *copy_expr(Copy *k, const Expr *e) {
  if (!e)
    return NULL;
  int p = k->in && e->k == EX_NAME && !e->parts && !is_var(k, e->name)
              ? param_index(k->in->dir, e->name) : -1;
  if (p >= 0)
    return input_copy(k, p, e);
  Expr *n = arena_alloc(k->x->a, sizeof *n);
  *n = *e;
  n->span = at_span(k, e->span);
  n->name_span = at_span(k, e->name_span);
  n->ref = NULL;
  if (e->k == EX_NAME)
    n->name = local_name(k, e->name);
  n->base = copy_expr(k, e->base);
  n->items = (Vec){0};
  for (int i = 0; i < e->items.n; i++)
    vec_push(k->x->a, &n->items, copy_expr(k, e->items.v[i]));
  StrPart **tail = &n->parts;
  for (const StrPart *s = e->parts; s; s = s->next) {
    StrPart *t = arena_alloc(k->x->a, sizeof *t);
    t->text = s->text;
    t->expr = copy_expr(k, s->expr);
    *tail = t, tail = &t->next;
  }
  if (e->loop) {
    Copy inner;
    Bound b[2];
    n->loop = copy_loop(k, e->loop, &inner, b);
  }
  return n;
}

static Member *copy_member(Copy *k, const Member *m) {
  Member *n = arena_alloc(k->x->a, sizeof *n);
  *n = *m;
  n->span = at_span(k, m->span);
  n->name_span = at_span(k, m->name_span);
  n->open = at_span(k, m->open);
  n->value = copy_expr(k, m->value);
  n->words = n->body = (Vec){0};
  for (int i = 0; i < m->words.n; i++)
    vec_push(k->x->a, &n->words, copy_expr(k, m->words.v[i]));
  for (int i = 0; i < m->body.n; i++)
    vec_push(k->x->a, &n->body, copy_member(k, m->body.v[i]));
  n->stmt = NULL;
  n->alt = NULL;
  n->slots = n->attrs = NULL;
  return n;
}

static Decl *copy_decl(Copy *k, const Decl *d) {
  Decl *n = arena_alloc(k->x->a, sizeof *n);
  *n = *d;
  n->span = at_span(k, d->span);
  n->kind_span = at_span(k, d->kind_span);
  n->name_span = at_span(k, d->name_span);
  n->type_span = at_span(k, d->type_span);
  n->if_span = at_span(k, d->if_span);
  n->name = arena_printf(k->x->a, "%s.%s", k->in->name, d->name);
  if (d->name_parts) { /* public_${z} -> net.public_${z}: expand_loops makes net.public_a */
    Expr name = {.k = EX_NAME, .name = d->name, .parts = d->name_parts};
    n->name_parts = arena_alloc(k->x->a, sizeof *n->name_parts);
    n->name_parts->text = arena_printf(k->x->a, "%s.", k->in->name);
    n->name_parts->next = copy_expr(k, &name)->parts;
  }
  if (d->loop) {
    Copy inner;
    Bound b[2];
    n->loop = copy_loop(k, d->loop, &inner, b);
  }
  n->members = (Vec){0};
  for (int i = 0; i < d->members.n; i++)
    vec_push(k->x->a, &n->members, copy_member(k, d->members.v[i]));
  n->value = copy_expr(k, d->value);
  n->cond = copy_expr(k, d->cond);
  n->export_name = copy_expr(k, d->export_name);
  n->description = copy_expr(k, d->description);
  n->origin = &k->in->origin;
  return n;
}

/* ---- instances ---- */

static void expand(X *x, Vec *decls, ModuleInstance *owner, Vec *out);

/* module NAME "DIR" { name = value ... }: each input a param of DIR, given
   once; each param without a default given. */
static void bind_inputs(X *x, ModuleInstance *in) {
  Compilation *c = x->c;
  ModuleDir *m = in->dir;
  Decl *at = in->at;
  in->inputs = arena_alloc(x->a, sizeof *in->inputs * (size_t)(m->params.n + 1));
  in->copies = arena_alloc(x->a, sizeof *in->copies * (size_t)(m->params.n + 1));
  for (int i = 0; i < at->members.n; i++) {
    Member *mb = at->members.v[i];
    if (mb->k != M_ATTR) {
      Diag *g = diag_error(c, "E104", mb->name_span,
                           "'%s' in module %s: a module takes inputs, written name = value",
                           mb->name, at->name);
      diag_help(c, g, "write: %s = value", mb->name);
      continue;
    }
    int p = param_index(m, mb->name);
    if (p < 0) {
      Diag *g = diag_error(c, "E104", mb->name_span, "module %s (%s) has no input '%s'", at->name,
                           at->type_name, mb->name);
      const char **cands = arena_alloc(x->a, sizeof(char *) * (size_t)(m->params.n + 1));
      Buf b = {0};
      for (int j = 0; j < m->params.n; j++) {
        cands[j] = ((Decl *)m->params.v[j])->name;
        buf_printf(&b, "%s%s", j ? ", " : "", cands[j]);
      }
      const char *near = resolve_suggest(mb->name, cands, m->params.n);
      if (near) {
        diag_help(c, g, "did you mean '%s'?", near);
        diag_fix(c, g, mb->name_span, near);
        diag_note(c, g, ((Decl *)m->params.v[param_index(m, near)])->name_span,
                  "param %s declared here", near);
      } else {
        diag_help(c, g, m->params.n ? "its inputs (params) are: %s" : "it has no inputs (params)%s",
                  b.s ? b.s : "");
      }
      buf_free(&b);
      continue;
    }
    if (in->inputs[p]) {
      Diag *g = diag_error(c, "E102", mb->name_span, "input '%s' is given twice", mb->name);
      for (int j = 0; j < i; j++) {
        Member *o = at->members.v[j];
        if (o->k == M_ATTR && !strcmp(o->name, mb->name))
          diag_note(c, g, o->name_span, "first given here");
      }
      continue;
    }
    in->inputs[p] = mb->value;
  }
  for (int p = 0; p < m->params.n; p++) {
    Decl *d = m->params.v[p];
    AttrDef ad;
    if (in->inputs[p] || d->value || !modules_input_def(x->a, d, &ad)) /* an unknown type: said */
      continue;
    Diag *g = diag_error(c, "E105", at->name_span, "module %s needs input '%s' (%s)", at->name,
                         d->name, d->type_name);
    diag_note(c, g, d->span, "param %s declared here, without a default", d->name);
    diag_help(c, g, "give it in the module's block: %s = ...", d->name);
  }
}

/* The directories a cycle runs through, from the first use of m; the
   notes of the instances (origin.h) show the module lines. */
static void cycle_error(X *x, Decl *at, ModuleDir *m, ModuleInstance *owner) {
  ModuleInstance *first = owner;
  while (first->dir != m)
    first = first->parent;
  Vec chain = {0}; /* from first down to owner */
  for (ModuleInstance *o = owner; o != first->parent; o = o->parent)
    vec_push(x->a, &chain, o);
  Buf b = {0};
  for (int i = chain.n - 1; i >= 0; i--)
    buf_printf(&b, "%s -> ", ((ModuleInstance *)chain.v[i])->dir->path);
  buf_puts(&b, m->path);
  Diag *g = diag_error(x->c, "E107", at->type_span, "a cycle of modules: %s", b.s);
  diag_help(x->c, g, "a module may use other modules, never one that uses it");
  buf_free(&b);
}

static void instantiate(X *x, Decl *at, ModuleInstance *owner, Vec *out) {
  if (!at->type_name) {
    Diag *g = diag_error(x->c, "E002", at->name_span, "module %s needs its directory after the name",
                         at->name);
    diag_help(x->c, g, "as in: module %s \"./%s\" { ... }", at->name, at->name);
    strmap_put(&x->failed, at->name, at);
    return;
  }
  if (at->cond) {
    Diag *g = diag_error(x->c, "E002", at->if_span, "a module is not conditional");
    diag_help(x->c, g, "put `if` on the module's declarations, with a bool input");
  }
  ModuleDir *m = load(x, at);
  if (!m || m->loading) {
    if (m)
      cycle_error(x, at, m, owner);
    strmap_put(&x->failed, at->name, at);
    return;
  }
  ModuleInstance *in = arena_alloc(x->a, sizeof *in);
  in->name = at->name; /* inside a module, its copy's: app.net */
  in->at = at;
  in->dir = m;
  in->parent = owner;
  Span head = {at->span.file, at->span.lo, at->type_span.hi}; /* module NAME "DIR" */
  in->origin = (Origin){ORIGIN_MODULE, head, in->name, origin_of(x->c, at->span.file)};
  in->busy = arena_alloc(x->a, sizeof *in->busy * (size_t)(m->outputs.n + 1));
  in->defaulting = arena_alloc(x->a, sizeof *in->defaulting * (size_t)(m->params.n + 1));
  bind_inputs(x, in);
  strmap_put(&x->by_name, in->name, in);
  vec_push(x->a, &x->c->modules, in);
  Copy k = {x, in, NULL};
  Vec made = {0};
  for (int i = 0; i < m->decls.n; i++)
    vec_push(x->a, &made, copy_decl(&k, m->decls.v[i]));
  m->loading = true;
  expand(x, &made, in, out);
  m->loading = false;
}

/* The declarations of one level (the stack, or an instance), each module
   among them replaced by its instance's; a module's name is a name of the
   level, which nothing else there may take (E102, and it is not expanded). */
static void expand(X *x, Vec *decls, ModuleInstance *owner, Vec *out) {
  expand_loops_of_modules(x->c, decls); /* module net_${env}: net_a, net_b */
  StrMap seen = {0};
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (d->k != D_STACK && d->k != D_OUTPUT && !is_module(d) && !strmap_get(&seen, d->name))
      strmap_put(&seen, d->name, d);
  }
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i], *first;
    if (!is_module(d)) {
      vec_push(x->a, out, d);
    } else if ((first = strmap_get(&seen, d->name))) {
      Diag *g = diag_error(x->c, "E102", d->name_span, "name '%s' is declared twice", d->name);
      diag_note(x->c, g, first->name_span, "first declared here as %s",
                first->k == D_RESOURCE ? first->kind_name : first->k == D_PARAM ? "param" : "let");
    } else {
      strmap_put(&seen, d->name, d);
      instantiate(x, d, owner, out);
    }
  }
  strmap_free(&seen);
}

/* ---- NAME.output ---- */

static void substitute(X *x, Expr *e);

/* NAME.output -> a copy of the output's value in the instance. */
static void read_output(X *x, Expr *e, ModuleInstance *in) {
  Compilation *c = x->c;
  ModuleDir *m = in->dir;
  int o = 0;
  while (o < m->outputs.n && strcmp(((Decl *)m->outputs.v[o])->name, e->name))
    o++;
  if (o == m->outputs.n) {
    Diag *g = diag_error(c, "E104", e->name_span, "module %s has no output '%s'", in->name, e->name);
    const char **cands = arena_alloc(x->a, sizeof(char *) * (size_t)(m->outputs.n + 1));
    Buf b = {0};
    for (int j = 0; j < m->outputs.n; j++) {
      cands[j] = ((Decl *)m->outputs.v[j])->name;
      buf_printf(&b, "%s%s", j ? ", " : "", cands[j]);
    }
    const char *near = resolve_suggest(e->name, cands, m->outputs.n);
    if (near) {
      diag_help(c, g, "did you mean '%s'? its outputs: %s", near, b.s);
      diag_fix(c, g, e->name_span, near);
    } else {
      diag_help(c, g, m->outputs.n ? "its outputs: %s" : "it has no outputs%s", b.s ? b.s : "");
    }
    buf_free(&b);
    e->k = EX_ERROR;
    return;
  }
  Decl *out = m->outputs.v[o];
  Expr *value = out->value;
  for (int i = 0; !value && i < out->members.n; i++) {
    Member *mb = out->members.v[i];
    if (mb->k == M_ATTR && !strcmp(mb->name, "value"))
      value = mb->value;
  }
  if (!value || in->busy[o]) {
    if (in->busy[o]) {
      Diag *g = diag_error(c, "E107", e->span, "output %s of module %s reads itself", e->name,
                           in->name);
      diag_note(c, g, out->name_span, "output %s declared here", e->name);
    }
    e->k = EX_ERROR;
    return;
  }
  Copy k = {x, in, NULL};
  Expr *v = copy_expr(&k, value);
  in->busy[o] = true;
  substitute(x, v);
  in->busy[o] = false;
  Span keep = e->span; /* a message about the value points at its use */
  *e = *v;
  e->span = keep;
  if (e->k == EX_BINARY) /* where it is written: arithmetic's E112 is said in the module */
    e->name_span = v->span;
}

static ModuleInstance *instance_of(Origin *o);

/* The instance name a name in text stands for: net_web in module app's
   text is app.net_web when a loop made it there (add_locals knows the
   names written, local_name prefixed those). */
static const char *instance_key(X *x, const Expr *name) {
  ModuleInstance *text =
      strchr(name->name, '.') ? NULL : instance_of(origin_of(x->c, name->span.file));
  if (text) {
    const char *local = arena_printf(x->a, "%s.%s", text->name, name->name);
    if (strmap_get(&x->by_name, local) || strmap_get(&x->failed, local))
      return local;
  }
  return name->name;
}

static void substitute(X *x, Expr *e) {
  if (!e || e->k == EX_ERROR) /* said already */
    return;
  if (e->k == EX_FOR) /* [for e in envs: net_${e}.vpc_id]: its names made first */
    *e = *expand_loops_made_field(x->loops ? x->loops : (x->loops = expand_loops_begin(x->c)), e);
  ModuleInstance *in;
  const Expr *root = e;
  while (root->k == EX_FIELD)
    root = root->base;
  if (root->k == EX_NAME && strmap_get(&x->failed, instance_key(x, root))) {
    e->k = EX_ERROR; /* a module that could not be expanded: said at its declaration */
    return;
  }
  if (e->k == EX_FIELD && e->base->k == EX_NAME &&
      (in = strmap_get(&x->by_name, instance_key(x, e->base)))) {
    read_output(x, e, in);
    return;
  }
  if (e->k == EX_NAME && (in = strmap_get(&x->by_name, instance_key(x, e)))) {
    Diag *g = diag_error(x->c, "E106", e->span, "module %s is not a value: name one of its outputs",
                         e->name);
    diag_help(x->c, g, "as in: %s.%s", e->name,
              in->dir->outputs.n ? ((Decl *)in->dir->outputs.v[0])->name : "OUTPUT");
    e->k = EX_ERROR;
    return;
  }
  substitute(x, e->base);
  for (int i = 0; i < e->items.n; i++)
    substitute(x, e->items.v[i]);
  for (StrPart *s = e->parts; s; s = s->next)
    substitute(x, s->expr);
  if (e->k == EX_FOR) { /* [for z in zones: net.vpc]: expanded later */
    substitute(x, e->loop->list);
    substitute(x, e->loop->item);
    substitute(x, e->loop->cond);
  }
}

static void substitute_members(X *x, Vec *members) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    substitute(x, m->value);
    for (int j = 0; j < m->words.n; j++)
      substitute(x, m->words.v[j]);
    substitute_members(x, &m->body);
  }
}

/* A declaration, and a loop's body (net.vpc in it is read as anywhere). */
static void substitute_decl(X *x, Decl *d) {
  if (d->k == D_FOR) {
    substitute(x, d->loop->list);
    for (int i = 0; i < d->loop->body.n; i++)
      substitute_decl(x, d->loop->body.v[i]);
    return;
  }
  substitute_members(x, &d->members);
  substitute(x, d->value);
  substitute(x, d->export_name);
  substitute(x, d->description);
}

void modules_expand(Compilation *c) {
  Vec *decls = &c->prog.decls;
  bool any = false;
  for (int i = 0; i < decls->n && !any; i++)
    any = is_module(decls->v[i]) || ((Decl *)decls->v[i])->k == D_FOR;
  if (!any)
    return;
  X x = {.c = c, .a = &c->arena};
  Vec out = {0};
  expand(&x, decls, NULL, &out);
  c->prog.decls = out; /* the lets a comprehension substituted early reads */
  /* Inputs first, each instance after the one whose module uses it: what
     is wrong in an input is said there, and its copies, made anew from it,
     are right or errors already (a copy is of an input, or in one). */
  Copy plain = {&x, NULL, NULL};
  for (int i = 0; i < c->modules.n; i++) {
    ModuleInstance *in = c->modules.v[i];
    for (int p = 0; p < in->dir->params.n; p++) {
      substitute(&x, in->inputs[p]);
      for (int k = 0; k < in->copies[p].n; k++)
        *(Expr *)in->copies[p].v[k] = *copy_expr(&plain, in->inputs[p]);
    }
  }
  for (int i = 0; i < out.n; i++) {
    Decl *d = out.v[i];
    d->index = i;
    substitute_decl(&x, d);
  }
  strmap_free(&x.by_key);
  strmap_free(&x.by_name);
  strmap_free(&x.locals);
  strmap_free(&x.failed);
  expand_loops_end(x.loops);
}

/* ---- after loops: the names they made in an instance ---- */

static void rename_made(Compilation *c, StrMap *names, Expr *e) {
  if (!e || e->k == EX_ERROR)
    return;
  /* name_span: an output's value read in place keeps its own there */
  Span sp = e->name_span.hi ? e->name_span : e->span;
  ModuleInstance *in;
  const char *local;
  if (e->k == EX_NAME && (in = instance_of(origin_of(c, sp.file))) &&
      strmap_get(names, local = arena_printf(&c->arena, "%s.%s", in->name, e->name)))
    e->name = local;
  rename_made(c, names, e->base);
  for (int i = 0; i < e->items.n; i++)
    rename_made(c, names, e->items.v[i]);
  for (StrPart *s = e->parts; s; s = s->next)
    rename_made(c, names, s->expr);
}

static void rename_members(Compilation *c, StrMap *names, Vec *members) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    rename_made(c, names, m->value);
    for (int j = 0; j < m->words.n; j++)
      rename_made(c, names, m->words.v[j]);
    rename_members(c, names, &m->body);
  }
}

void modules_after_loops(Compilation *c) {
  if (!c->modules.n || !c->prog.loops)
    return;
  StrMap names = {0}; /* what only a loop in a module makes: net.public_a */
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    if (d->origin && d->origin->k == ORIGIN_LOOP && instance_of(d->origin))
      strmap_put(&names, d->name, d);
  }
  for (int i = 0; names.n && i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    rename_members(c, &names, &d->members);
    rename_made(c, &names, d->value);
    rename_made(c, &names, d->cond);
    rename_made(c, &names, d->export_name);
    rename_made(c, &names, d->description);
  }
  strmap_free(&names);
}

/* ---- after names are declared ---- */

void modules_check_inputs(Compilation *c) {
  for (int i = 0; i < c->modules.n; i++) {
    ModuleInstance *in = c->modules.v[i];
    for (int p = 0; p < in->dir->params.n; p++) {
      Decl *param = in->dir->params.v[p];
      AttrDef ad;
      if (!in->inputs[p] || !modules_input_def(&c->arena, param, &ad))
        continue;
      int before = c->diags.n;
      if (resolve_input(c, &ad, in->inputs[p], in->name))
        continue;
      for (int d = before; d < c->diags.n; d++)
        diag_note(c, c->diags.v[d], param->span, "param %s of module %s declared here", param->name,
                  in->name);
      for (int k = 0; k < in->copies[p].n; k++) /* said once, here */
        ((Expr *)in->copies[p].v[k])->k = EX_ERROR;
    }
  }
}

/* ---- after resolution: a module sees its params and its own names ---- */

static ModuleInstance *instance_of(Origin *o) {
  for (; o; o = o->parent)
    if (o->k == ORIGIN_MODULE)
      return (ModuleInstance *)((char *)o - offsetof(ModuleInstance, origin));
  return NULL;
}

/* Made by outer, or by a module that outer uses (read through an output). */
static bool within(const ModuleInstance *in, const ModuleInstance *outer) {
  for (; in; in = in->parent)
    if (in == outer)
      return true;
  return false;
}

/* A name in a module's text (its span is in the instance's view; a copy of
   an input keeps the span of the caller's text) that resolved to a
   declaration outside the module: the stack's own `main`, say. It would
   bind to whatever the stack using the module declares. */
static void scope_expr(Compilation *c, Expr *e) {
  if (!e || e->k == EX_ERROR)
    return;
  ModuleInstance *text;
  if (e->k == EX_NAME && e->ref && (text = instance_of(origin_of(c, e->span.file))) &&
      !within(modules_of(c, e->ref), text)) {
    Diag *g = diag_error(c, "E101", e->span, "module %s cannot see '%s', declared outside it",
                         text->name, e->name);
    diag_note(c, g, e->ref->name_span, "'%s' declared here", e->name);
    diag_help(c, g, "a module sees its params and its own declarations: give it as an input "
                    "(param %s : %s, and %s = %s in the module's block)", e->name,
              e->ref->k == D_RESOURCE ? e->ref->kind_name : "...", e->name, e->name);
    e->k = EX_ERROR;
    return;
  }
  scope_expr(c, e->base);
  for (int i = 0; i < e->items.n; i++)
    scope_expr(c, e->items.v[i]);
  for (StrPart *s = e->parts; s; s = s->next)
    scope_expr(c, s->expr);
}

static void scope_members(Compilation *c, Vec *members) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    scope_expr(c, m->value);
    for (int j = 0; j < m->words.n; j++)
      scope_expr(c, m->words.v[j]);
    scope_members(c, &m->body);
  }
}

void modules_check_scope(Compilation *c) {
  if (!c->modules.n)
    return;
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    if (!d->origin)
      continue;
    scope_members(c, &d->members);
    scope_expr(c, d->value);
    scope_expr(c, d->cond);
    scope_expr(c, d->export_name);
    scope_expr(c, d->description);
  }
}

ModuleInstance *modules_find(Compilation *c, const char *name) {
  for (int i = 0; i < c->modules.n; i++)
    if (!strcmp(((ModuleInstance *)c->modules.v[i])->name, name))
      return c->modules.v[i];
  return NULL;
}

ModuleInstance *modules_at(Compilation *c, int file, uint32_t off) {
  for (int i = 0; i < c->modules.n; i++) {
    ModuleInstance *in = c->modules.v[i];
    if (origin_file(c, in->at->span.file) == file && in->at->span.lo <= off &&
        off <= in->at->span.hi) /* in a loop, the first iteration's */
      return in;
  }
  return NULL;
}

ModuleInstance *modules_of(Compilation *c, const Decl *d) {
  (void)c;
  return instance_of(d->origin);
}
