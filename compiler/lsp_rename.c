/* lsp_rename.c: rename (and references, definition, hover) of the names
   that expansion consumes, on the program as written: a loop's variables,
   lets, params (with the inputs of every `module` declaration using the
   param's module), module instances and a module's outputs (with every
   NAME.output that reads one). Loops and
   modules are gone from the compiled program (a loop's list, a name's
   `${z}`, an input's name are read while expanding), so each file the
   server knows (lsp_folder.c: the open folders' files, and the module files
   their stacks read) is parsed again, unexpanded, and the names are bound
   by their scopes: a loop's variables in its body, the other names in
   their stack or module (files of one namespace). A rename that would make
   a use bind to something else is refused, naming the use. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"
#include "origin.h"
#include "strmap.h"

/* ---- the files, parsed as written ---- */

typedef struct {
  const char *name, *uri;
  const char *real; /* its real path (or name): one parse per file */
  const char *dir;  /* the real path of its directory */
  const char *ns;   /* its namespace: the stack it is compiled in, or its directory */
  LspDoc *doc;      /* the document, or NULL for a module's file the editor has not */
} WFile;

typedef struct {
  Compilation *w; /* file i of w is files[i] */
  WFile *files;
  int n, cap;
  Program prog;
  StrMap seen;  /* real path -> 1 */
  StrMap decls; /* lookup()'s index */
  bool indexed;
  StrMap dirs;  /* a module declaration ("%p") -> the real path of its directory */
} Ws;

static const char *real_of(Arena *a, const char *path) {
  char buf[PATH_MAX];
  const char *r = realpath(path, buf) ? buf : path;
  return arena_strndup(a, r, strlen(r));
}

static const char *dir_part(Arena *a, const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? arena_strndup(a, path, (size_t)(slash - path)) : ".";
}

static void add_file(Ws *ws, const char *name, const char *uri, const char *text, size_t len,
                     const char *ns, LspDoc *doc) {
  Arena *a = &ws->w->arena;
  const char *real = real_of(a, name);
  if (strmap_get(&ws->seen, real))
    return;
  strmap_put(&ws->seen, real, (void *)1);
  if (ws->n == ws->cap) {
    ws->cap = ws->cap ? 2 * ws->cap : 16;
    ws->files = lsp_realloc(ws->files, sizeof *ws->files * (size_t)ws->cap);
  }
  int i = compile_add_source(ws->w, name, text, len);
  const char *dir = dir_part(a, real);
  ws->files[ws->n++] = (WFile){name, arena_strndup(a, uri, strlen(uri)), real, dir,
                               ns ? ns : arena_printf(a, "dir:%s", dir), doc};
  parse_file(ws->w, i, &ws->prog);
}

/* The documents of every folder first (the editor's texts), then the module
   files their stacks read from disk. */
static void ws_open(Ws *ws, LspFolders *fs) {
  *ws = (Ws){.w = compile_new()};
  Arena *a = &ws->w->arena;
  for (int i = 0; i < fs->n; i++)
    for (int k = 0; k < fs->v[i]->ndocs; k++) {
      LspDoc *d = fs->v[i]->docs[k];
      const char *ns = d->stack ? arena_printf(a, "stack:%p", (void *)d->stack)
                                : arena_printf(a, "file:%s", d->name);
      add_file(ws, d->name, d->uri, d->text, d->len, ns, d);
    }
  for (int i = 0; i < fs->n; i++)
    for (int k = 0; k < fs->v[i]->nstacks; k++) {
      LspStack *st = fs->v[i]->stacks[k];
      for (int f = st->ndocs; f < st->c->files.n; f++) {
        Source *src = compile_source(st->c, f);
        Buf uri = {0};
        lsp_path_uri(&uri, src->name);
        add_file(ws, src->name, uri.s, src->text, src->len, NULL, NULL);
        buf_free(&uri);
      }
    }
}

static void ws_close(Ws *ws) {
  compile_free(ws->w);
  free(ws->files);
  strmap_free(&ws->seen);
  strmap_free(&ws->decls);
  strmap_free(&ws->dirs);
}

static int file_of_doc(Ws *ws, LspDoc *doc) {
  for (int i = 0; i < ws->n; i++)
    if (ws->files[i].doc == doc)
      return i;
  return -1;
}

static const char *ns_of(Ws *ws, int file) { return ws->files[file].ns; }

/* The namespace of the files in directory dir, or NULL when none is known. */
static const char *ns_of_dir(Ws *ws, const char *dir) {
  for (int i = 0; i < ws->n; i++)
    if (!strcmp(ws->files[i].dir, dir))
      return ws->files[i].ns;
  return NULL;
}

static bool is_module(const Decl *d) {
  return d->k == D_RESOURCE && d->kind_name && !strcmp(d->kind_name, "module");
}

/* The real path of the directory a `module` declaration uses. */
static const char *module_dir(Ws *ws, const Decl *m) {
  if (!m->type_name || !*m->type_name)
    return NULL;
  char key[32];
  snprintf(key, sizeof key, "%p", (const void *)m);
  const char *dir = strmap_get(&ws->dirs, key);
  if (dir)
    return dir;
  Arena *a = &ws->w->arena;
  const char *path = m->type_name[0] == '/'
                         ? m->type_name
                         : arena_printf(a, "%s/%s", ws->files[m->span.file].dir, m->type_name);
  dir = real_of(a, path);
  strmap_put(&ws->dirs, key, (void *)dir);
  return dir;
}

/* ---- where the names stand ---- */

typedef struct Scope {
  const Loop *loop;
  const struct Scope *up;
} Scope;

typedef enum {
  SITE_USE,     /* a bare name in a value, or in `${...}` */
  SITE_DECL,    /* a declaration's name, written without interpolation */
  SITE_VAR,     /* a loop's variable where the loop names it */
  SITE_FIELD,   /* the field of base.field */
  SITE_INPUT,   /* an input's name in a `module` declaration's block */
} SiteKind;

typedef struct {
  SiteKind k;
  int file;
  Span span;
  const char *name;
  const Scope *sc;    /* during the walk only */
  const Loop *bound;  /* USE: the loop whose variable it is; FIELD: the base's; or NULL */
  const Decl *decl;  /* DECL; INPUT: the module declaration */
  const Loop *loop;  /* VAR */
  const Expr *base;  /* FIELD: the base */
} Site;

typedef void SiteFn(void *ctx, const Site *s);

typedef struct {
  SiteFn *fn;
  void *ctx;
} Walk;

static const Loop *binder(const Scope *sc, const char *name);

static void site(const Walk *wk, SiteKind k, Span sp, const char *name, const Scope *sc,
                 const Decl *d, const Loop *l, const Expr *base) {
  const char *bound = k == SITE_USE ? name : k == SITE_FIELD && !base->parts ? base->name : NULL;
  Site s = {k, sp.file, sp, name, sc, bound ? binder(sc, bound) : NULL, d, l, base};
  wk->fn(wk->ctx, &s);
}

static void walk_expr(const Walk *wk, const Expr *e, const Scope *sc);

static void walk_loop_head(const Walk *wk, const Loop *l, const Scope *sc) {
  walk_expr(wk, l->list, sc); /* read where the loop stands */
  site(wk, SITE_VAR, l->var_span, l->var, sc, NULL, l, NULL);
  if (l->index)
    site(wk, SITE_VAR, l->index_span, l->index, sc, NULL, l, NULL);
}

static void walk_expr(const Walk *wk, const Expr *e, const Scope *sc) {
  if (!e)
    return;
  if (e->k == EX_NAME && !e->parts && e->name) {
    site(wk, SITE_USE, e->span, e->name, sc, NULL, NULL, NULL);
    return;
  }
  if (e->k == EX_FOR && e->loop) {
    walk_loop_head(wk, e->loop, sc);
    Scope in = {e->loop, sc};
    walk_expr(wk, e->loop->item, &in);
    walk_expr(wk, e->loop->cond, &in);
    return;
  }
  if (e->k == EX_FIELD && e->base && e->base->k == EX_NAME && e->name)
    site(wk, SITE_FIELD, e->name_span, e->name, sc, NULL, NULL, e->base);
  walk_expr(wk, e->base, sc);
  for (int i = 0; i < e->items.n; i++)
    walk_expr(wk, e->items.v[i], sc);
  for (const StrPart *p = e->parts; p; p = p->next)
    walk_expr(wk, p->expr, sc);
}

static void walk_members(const Walk *wk, const Vec *members, const Scope *sc, const Decl *module) {
  for (int i = 0; i < members->n; i++) {
    const Member *m = members->v[i];
    if (module && m->k == M_ATTR)
      site(wk, SITE_INPUT, m->name_span, m->name, sc, module, NULL, NULL);
    walk_expr(wk, m->value, sc);
    for (int j = 0; j < m->words.n; j++)
      walk_expr(wk, m->words.v[j], sc);
    walk_members(wk, &m->body, sc, NULL);
  }
}

static void walk_decl(const Walk *wk, const Decl *d, const Scope *sc) {
  if (d->k == D_FOR) {
    if (!d->loop)
      return;
    walk_loop_head(wk, d->loop, sc);
    Scope in = {d->loop, sc};
    for (int i = 0; i < d->loop->body.n; i++)
      walk_decl(wk, d->loop->body.v[i], &in);
    return;
  }
  if (d->name_parts)
    for (const StrPart *p = d->name_parts; p; p = p->next)
      walk_expr(wk, p->expr, sc);
  else if (d->name && d->k != D_STACK)
    site(wk, SITE_DECL, d->name_span, d->name, sc, d, NULL, NULL);
  walk_members(wk, &d->members, sc, is_module(d) ? d : NULL);
  walk_expr(wk, d->value, sc);
  walk_expr(wk, d->cond, sc);
  walk_expr(wk, d->export_name, sc);
  walk_expr(wk, d->description, sc);
}

static void walk_all(Ws *ws, SiteFn *fn, void *ctx) {
  Walk wk = {fn, ctx};
  for (int i = 0; i < ws->prog.decls.n; i++)
    walk_decl(&wk, ws->prog.decls.v[i], NULL);
}

static bool binds(const Loop *l, const char *name) {
  return !strcmp(l->var, name) || (l->index && !strcmp(l->index, name));
}

/* The loop of sc whose variable is name, or NULL. */
static const Loop *binder(const Scope *sc, const char *name) {
  for (; sc; sc = sc->up)
    if (binds(sc->loop, name))
      return sc->loop;
  return NULL;
}

/* Whether sc is in l's body. */
static bool inside(const Scope *sc, const Loop *l) {
  for (; sc; sc = sc->up)
    if (sc->loop == l)
      return true;
  return false;
}

/* Whether a loop of sc inside upto (all of them for NULL) binds name. */
static bool bound_before(const Scope *sc, const char *name, const Loop *upto) {
  for (; sc && sc->loop != upto; sc = sc->up)
    if (binds(sc->loop, name))
      return true;
  return false;
}

/* ---- what is renamed ---- */

typedef enum {
  T_NONE,
  T_VAR,      /* a loop's variable */
  T_LET,      /* a let or a condition */
  T_PARAM,
  T_INSTANCE, /* a module declaration */
  T_OUTPUT,
  T_RESOURCE,
  T_OTHER, /* a name not renamed: why says why */
} TargetKind;

typedef struct {
  TargetKind k;
  const char *name;
  Span span;        /* the name at the cursor */
  const char *ns;   /* LET, PARAM, INSTANCE, OUTPUT: the namespace it is declared in */
  const char *dir;  /* PARAM, OUTPUT: the real path of the module's directory */
  const Loop *loop; /* VAR */
  const Decl *decl; /* OTHER: what it is (a resource, made by a loop ...) */
  const char *why;  /* OTHER with no decl: why it is not renamed */
} Target;

typedef struct {
  int file;
  uint32_t off;
  Site at;
  bool found;
} FindAt;

static void find_site(void *ctx, const Site *s) {
  FindAt *f = ctx;
  if (!f->found && s->file == f->file && s->span.lo <= f->off && f->off <= s->span.hi) {
    f->at = *s;
    f->at.sc = NULL; /* gone with the walk */
    f->found = true;
  }
}

/* The declarations by namespace and name, the first of each ("NS\nNAME",
   outputs "NS\n.NAME"), made on the first lookup: one walk per request. A
   module's copy of a loop (module net_${e}) is not found by name. */
static void index_site(void *ctx, const Site *s) {
  Ws *ws = ctx;
  if (s->k != SITE_DECL)
    return;
  const char *key = arena_printf(&ws->w->arena, "%s\n%s%s", ns_of(ws, s->file),
                                 s->decl->k == D_OUTPUT ? "." : "", s->name);
  if (!strmap_get(&ws->decls, key))
    strmap_put(&ws->decls, key, (void *)s->decl);
}

/* The declaration named name in namespace ns (an output, or not), or NULL. */
static const Decl *lookup(Ws *ws, const char *ns, const char *name, bool outputs) {
  if (!ws->indexed) {
    ws->indexed = true;
    walk_all(ws, index_site, ws);
  }
  char *key = arena_printf(&ws->w->arena, "%s\n%s%s", ns, outputs ? "." : "", name);
  return strmap_get(&ws->decls, key);
}

/* A name of namespace ns as the target: what it is declared as. */
static Target name_target(Ws *ws, const char *ns, const char *dir, const char *name, Span at) {
  const Decl *d = lookup(ws, ns, name, false);
  Target t = {T_OTHER, name, at, ns, dir, NULL, d, NULL};
  if (!d)
    t.why = "no declaration has this name";
  else if (d->k == D_LET || d->k == D_CONDITION)
    t.k = T_LET;
  else if (d->k == D_PARAM)
    t.k = T_PARAM;
  else if (is_module(d))
    t.k = T_INSTANCE;
  else if (d->k == D_RESOURCE)
    t.k = T_RESOURCE;
  return t;
}

static Target find_target(Ws *ws, int file, uint32_t off) {
  FindAt f = {file, off, {0}, false};
  walk_all(ws, find_site, &f);
  Target none = {T_NONE, NULL, {0}, NULL, NULL, NULL, NULL, NULL};
  if (!f.found)
    return none;
  const Site *s = &f.at;
  const char *ns = ns_of(ws, file), *dir = ws->files[file].dir;
  const Loop *l;
  switch (s->k) {
  case SITE_VAR: return (Target){T_VAR, s->name, s->span, ns, dir, s->loop, NULL, NULL};
  case SITE_USE:
    if ((l = s->bound))
      return (Target){T_VAR, s->name, s->span, ns, dir, l, NULL, NULL};
    return name_target(ws, ns, dir, s->name, s->span);
  case SITE_DECL:
    if (s->decl->k == D_OUTPUT)
      return (Target){T_OUTPUT, s->name, s->span, ns, dir, NULL, NULL, NULL};
    return name_target(ws, ns, dir, s->name, s->span);
  case SITE_INPUT: {
    const char *mdir = module_dir(ws, s->decl);
    const char *mns = mdir ? ns_of_dir(ws, mdir) : NULL;
    if (!mns)
      return (Target){T_OTHER, s->name, s->span, NULL, NULL, NULL, NULL,
                      "an input of a module whose directory the server has not read"};
    return (Target){T_PARAM, s->name, s->span, mns, mdir, NULL, NULL, NULL};
  }
  case SITE_FIELD: {
    const Expr *b = s->base;
    if (b->parts || s->bound)
      return (Target){T_OTHER, s->name, s->span, NULL, NULL, NULL, NULL,
                      "a field of a name made by a loop: rename the output in its module"};
    const Decl *d = lookup(ws, ns, b->name, false);
    const char *mdir = d && is_module(d) ? module_dir(ws, d) : NULL;
    const char *mns = mdir ? ns_of_dir(ws, mdir) : NULL;
    if (mns)
      return (Target){T_OUTPUT, s->name, s->span, mns, mdir, NULL, NULL, NULL};
    return (Target){T_OTHER, s->name, s->span, NULL, NULL, NULL, NULL,
                    d && is_module(d)
                        ? "an output of a module whose directory the server has not read"
                        : "an attribute: its name is its kind's"};
  }
  }
  return none;
}

/* ---- the edits ---- */

typedef struct {
  Ws *ws;
  const Target *t;
  const char *to;
  cJSON *changes;
  const char *refused; /* the first reason found, arena text */
  cJSON *locs;         /* references: locations instead of edits */
  bool with_decl;      /* references: the declaration too */
  LspStack *st;        /* the compiled stack of the target's namespace, or NULL */
  StrMap words;        /* RESOURCE: where the compiled stack read its name as a word */
} Ren;

/* A bare name the compiled stack read as a word (engine = postgres), not
   as the resource of that name. */
static bool word(Ren *r, const Site *s) {
  LspDoc *doc = r->ws->files[s->file].doc;
  if (r->t->k != T_RESOURCE || !r->st || !doc || doc->stack != r->st)
    return false;
  char key[48];
  snprintf(key, sizeof key, "%d:%u", doc->file, s->span.lo);
  return strmap_get(&r->words, key);
}

static int line_of(Ws *ws, int file, uint32_t off) {
  return source_linecol(compile_source(ws->w, file), off).line;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static const char *where(Ws *ws, int file, uint32_t off) {
  return arena_printf(&ws->w->arena, "%s, line %d", base_name(ws->files[file].name),
                      line_of(ws, file, off));
}

static void refuse(Ren *r, int file, Span sp, const char *fmt, const char *what) {
  if (!r->refused)
    r->refused = arena_printf(&r->ws->w->arena, fmt, r->to, what, where(r->ws, file, sp.lo));
}

static cJSON *location(Ws *ws, int file, Span sp) {
  cJSON *l = cJSON_CreateObject();
  cJSON_AddStringToObject(l, "uri", ws->files[file].uri);
  cJSON_AddItemToObject(l, "range", lsp_range(ws->w, sp));
  return l;
}

/* The name at s is the target's: an edit, or a reference. */
static void edit(Ren *r, const Site *s) {
  int file = s->file;
  Span sp = s->span;
  if (r->locs) {
    if (r->with_decl || (s->k != SITE_DECL && s->k != SITE_VAR))
      cJSON_AddItemToArray(r->locs, location(r->ws, file, sp));
    return;
  }
  const char *uri = r->ws->files[file].uri;
  cJSON *list = cJSON_GetObjectItemCaseSensitive(r->changes, uri);
  if (!list)
    list = cJSON_AddArrayToObject(r->changes, uri);
  cJSON_AddItemToArray(list, lsp_text_edit(r->ws->w, sp, r->to));
}

/* A use that will be renamed: refused if a loop around it binds the new name. */
static void rename_use(Ren *r, const Site *s, const Loop *upto) {
  if (bound_before(s->sc, r->to, upto))
    refuse(r, s->file, s->span,
           "renamed '%s', the use of %s at %s would read the variable of a loop around it",
           r->t->name);
  else
    edit(r, s);
}

/* The module declaration base names, from the use at s, when it uses dir. */
static bool reads_module(Ren *r, const Site *s, const char *dir) {
  const Expr *b = s->base;
  if (b->parts || binder(s->sc, b->name))
    return false;
  const Decl *d = lookup(r->ws, ns_of(r->ws, s->file), b->name, false);
  const char *mdir = d && is_module(d) ? module_dir(r->ws, d) : NULL;
  return mdir && !strcmp(mdir, dir);
}

static void rename_site(void *ctx, const Site *s) {
  Ren *r = ctx;
  const Target *t = r->t;
  bool here = t->ns && !strcmp(ns_of(r->ws, s->file), t->ns);
  switch (t->k) {
  case T_VAR:
    if ((s->k == SITE_VAR && s->loop == t->loop && !strcmp(s->name, t->name)) ||
        (s->k == SITE_USE && !strcmp(s->name, t->name) && binder(s->sc, s->name) == t->loop))
      s->k == SITE_VAR ? edit(r, s) : rename_use(r, s, t->loop);
    else if (s->k == SITE_VAR && s->loop == t->loop && !strcmp(s->name, r->to))
      refuse(r, s->file, s->span, "'%s' is the loop's other variable%s (at %s)", "");
    else if (s->k == SITE_USE && !strcmp(s->name, r->to) && inside(s->sc, t->loop) &&
             !bound_before(s->sc, s->name, t->loop))
      refuse(r, s->file, s->span,
             "renamed '%s', it would take the use of %s at %s, in the loop's body, which names "
             "something else", s->name);
    break;
  case T_LET:
  case T_PARAM:
  case T_INSTANCE:
  case T_RESOURCE:
    if (here && s->k == SITE_DECL && !strcmp(s->name, t->name) && s->decl->k != D_OUTPUT)
      edit(r, s);
    else if (here && s->k == SITE_USE && !strcmp(s->name, t->name) && !s->bound && !word(r, s))
      rename_use(r, s, NULL);
    else if (t->k == T_PARAM && s->k == SITE_INPUT && !strcmp(s->name, t->name)) {
      const char *mdir = module_dir(r->ws, s->decl);
      if (mdir && !strcmp(mdir, t->dir))
        edit(r, s);
    } else if (t->k == T_PARAM && s->k == SITE_INPUT && !strcmp(s->name, r->to)) {
      const char *mdir = module_dir(r->ws, s->decl);
      if (mdir && !strcmp(mdir, t->dir))
        refuse(r, s->file, s->span, "a module declaration already gives an input '%s'%s (at %s)",
               "");
    }
    break;
  case T_OUTPUT:
    if (here && s->k == SITE_DECL && s->decl->k == D_OUTPUT && !strcmp(s->name, t->name))
      edit(r, s);
    else if (s->k == SITE_FIELD && !strcmp(s->name, t->name) && reads_module(r, s, t->dir))
      edit(r, s);
    else if (s->k == SITE_FIELD && !strcmp(s->name, t->name) && s->base->parts &&
             !binder(s->sc, s->base->name))
      refuse(r, s->file, s->span,
             "renaming to '%s': which module the name of %s at %s stands for is known only once "
             "its loop is expanded; rename its uses by hand",
             s->base->name);
    break;
  default: break;
  }
}

static bool valid_name(const char *n) {
  static const char *const keywords[] = {"stack", "param", "output", "if",
                                         "for",   "in",    "true",   "false"};
  if (!((*n >= 'A' && *n <= 'Z') || (*n >= 'a' && *n <= 'z') || *n == '_'))
    return false;
  for (const char *p = n; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
          *p == '_'))
      return false;
  for (size_t i = 0; i < countof(keywords); i++)
    if (!strcmp(n, keywords[i]))
      return false;
  return true;
}

static const char *const target_words[] = {
    [T_VAR] = "loop variable", [T_LET] = "let", [T_PARAM] = "param",
    [T_INSTANCE] = "module",   [T_OUTPUT] = "output", [T_RESOURCE] = "resource",
};

static const char *target_word(const Target *t) {
  return t->decl && !is_module(t->decl) ? t->decl->kind_name : target_words[t->k];
}

/* Whether the new name is free where the target is declared: an error set
   when it is not. */
static bool name_free(Lsp *s, Ws *ws, LspStack *st, const Target *t, const char *to) {
  /* st: the compiled stack, when the target is declared in it */
  if (t->k == T_VAR)
    return true; /* a loop's variable: its body's uses decide (rename_site) */
  const Decl *other = lookup(ws, t->ns, to, t->k == T_OUTPUT);
  if (other) {
    lsp_fail(s, LSP_REQUEST_FAILED, "the name '%s' is taken: %s %s in %s", to,
             is_module(other) ? "module" : other->kind_name, to,
             where(ws, other->name_span.file, other->name_span.lo));
    return false;
  }
  /* made by a loop (public_${z} makes public_a): the compiled stack knows */
  Decl *made;
  if (t->k != T_OUTPUT && st && (made = resolve_lookup(st->c, to)) && made->origin) {
    Source *src = compile_source(st->c, made->name_span.file);
    lsp_fail(s, LSP_REQUEST_FAILED, "the name '%s' is taken: %s %s, made by a loop in %s, line %d",
             to, made->kind_name, to, base_name(src->name),
             source_linecol(src, made->name_span.lo).line);
    return false;
  }
  return true;
}

/* ---- the requests ---- */

/* The target at the offset, with the workspace it was found in (open). */
static Target target_at(Lsp *s, Ws *ws, LspDoc *doc, uint32_t off) {
  ws_open(ws, lsp_folders(s));
  int file = file_of_doc(ws, doc);
  Target none = {T_NONE, NULL, {0}, NULL, NULL, NULL, NULL, NULL};
  return file < 0 ? none : find_target(ws, file, off);
}

cJSON *lsp_prepare_rename_written(Lsp *s, LspDoc *doc, uint32_t off) {
  Ws ws;
  Target t = target_at(s, &ws, doc, off);
  cJSON *r = NULL;
  if (t.k != T_NONE && t.k != T_OTHER) {
    r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "range", lsp_range(ws.w, t.span));
    cJSON_AddStringToObject(r, "placeholder", t.name);
  }
  ws_close(&ws);
  return r;
}

/* st when the target is declared in the document's stack, else NULL. */
static LspStack *in_stack(Ws *ws, const Target *t, LspStack *st, LspDoc *doc) {
  int file = file_of_doc(ws, doc);
  return t->ns && file >= 0 && !strcmp(t->ns, ns_of(ws, file)) ? st : NULL;
}

cJSON *lsp_rename_written(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off, const char *to,
                          const char *refusal) {
  Ws ws;
  Target t = target_at(s, &ws, doc, off);
  cJSON *result = NULL;
  if (t.k == T_NONE || (t.k == T_OTHER && !t.why)) {
    lsp_fail(s, LSP_REQUEST_FAILED, "%s", refusal);
  } else if (t.k == T_OTHER) {
    lsp_fail(s, LSP_REQUEST_FAILED, "'%s' is not renamed: %s", t.name, t.why);
  } else if (!valid_name(to)) {
    lsp_fail(s, LSP_INVALID_PARAMS,
             "'%.100s' is not a name: a letter or '_', then letters, digits or '_' (and not a "
             "keyword: stack, param, output, if, for, in, true, false)",
             to);
  } else if (!strcmp(to, t.name)) {
    result = cJSON_CreateObject();
    cJSON_AddObjectToObject(result, "changes");
  } else if (st = in_stack(&ws, &t, st, doc), name_free(s, &ws, st, &t, to)) {
    Ren r = {&ws, &t, to, cJSON_CreateObject(), NULL, NULL, false, st, {0}};
    if (t.k == T_RESOURCE)
      lsp_words(st, t.name, &r.words);
    walk_all(&ws, rename_site, &r);
    strmap_free(&r.words);
    if (r.refused) {
      lsp_fail(s, LSP_REQUEST_FAILED, "%s %s: %s", target_word(&t), t.name, r.refused);
      cJSON_Delete(r.changes);
    } else {
      result = cJSON_CreateObject();
      cJSON_AddItemToObject(result, "changes", r.changes);
    }
  }
  ws_close(&ws);
  return result;
}

/* ---- references, definition, hover ---- */

/* A target this file answers for, or T_NONE (the caller asks the compiled
   program). */
static Target written_target(Lsp *s, Ws *ws, LspDoc *doc, uint32_t off) {
  Target t = target_at(s, ws, doc, off);
  if (t.k == T_OTHER)
    t.k = T_NONE;
  return t;
}

cJSON *lsp_references_written(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off,
                              bool with_decl) {
  Ws ws;
  Target t = written_target(s, &ws, doc, off);
  cJSON *locs = NULL;
  if (t.k != T_NONE) {
    Ren r = {&ws, &t, t.name, NULL, NULL, cJSON_CreateArray(), with_decl,
             in_stack(&ws, &t, st, doc), {0}};
    if (t.k == T_RESOURCE)
      lsp_words(r.st, t.name, &r.words);
    walk_all(&ws, rename_site, &r);
    strmap_free(&r.words);
    locs = r.locs;
  }
  ws_close(&ws);
  return locs;
}

/* Where the target is declared: its file in *file; false when not found. */
static bool declared(Ws *ws, const Target *t, Span *at) {
  if (t->k == T_VAR) {
    *at = !strcmp(t->loop->var, t->name) ? t->loop->var_span : t->loop->index_span;
    return true;
  }
  const Decl *d = lookup(ws, t->ns, t->name, t->k == T_OUTPUT);
  if (d)
    *at = d->name_span;
  return d;
}

cJSON *lsp_definition_written(Lsp *s, LspDoc *doc, uint32_t off) {
  Ws ws;
  Target t = written_target(s, &ws, doc, off);
  Span at;
  cJSON *loc = t.k != T_NONE && declared(&ws, &t, &at) ? location(&ws, at.file, at) : NULL;
  ws_close(&ws);
  return loc;
}

static const char *text_at(Ws *ws, Span sp) {
  Source *src = compile_source(ws->w, sp.file);
  return arena_strndup(&ws->w->arena, src->text + sp.lo, sp.hi - sp.lo);
}

/* A loop's iterations, as the compiled stack made them (its declarations'
   origins): `z = "a", i = 0; ...`, at most 8. */
static void iterations(Buf *b, LspStack *st, LspDoc *doc, const Loop *l) {
  StrMap seen = {0};
  int n = 0;
  for (int i = 0; st && i < st->c->prog.decls.n && n <= 8; i++)
    for (const Origin *o = ((Decl *)st->c->prog.decls.v[i])->origin; o; o = o->parent)
      if (o->k == ORIGIN_LOOP && origin_file(st->c, o->span.file) == doc->file &&
          o->span.lo == l->span.lo && !strmap_get(&seen, o->text)) {
        strmap_put(&seen, o->text, (void *)1);
        const char *sep = n ? ", " : "\n\niterations: ";
        if (n++ < 8)
          buf_printf(b, "%s`%s`", sep, o->text);
        else
          buf_printf(b, "%s...", sep);
      }
  strmap_free(&seen);
}

typedef struct {
  Ws *ws;
  const char *ns;
  Buf *b;
  int n;
} Outputs;

static void output_site(void *ctx, const Site *s) {
  Outputs *o = ctx;
  if (s->k == SITE_DECL && s->decl->k == D_OUTPUT && !strcmp(ns_of(o->ws, s->file), o->ns))
    buf_printf(o->b, "%s`%s`", o->n++ ? ", " : "\n\noutputs: ", s->name);
}

cJSON *lsp_hover_written(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off) {
  Ws ws;
  Target t = written_target(s, &ws, doc, off);
  Span at;
  Buf b = {0};
  if (t.k != T_NONE && declared(&ws, &t, &at)) {
    const char *where_text = where(&ws, at.file, at.lo);
    const Decl *d = t.k == T_VAR ? NULL : lookup(&ws, t.ns, t.name, t.k == T_OUTPUT);
    switch (t.k) {
    case T_VAR:
      buf_printf(&b, "```infra\n%s\n```\nloop variable `%s`: %s", text_at(&ws, t.loop->span),
                 t.name, !strcmp(t.loop->var, t.name) ? "each element of the list"
                                                      : "the position of each element, from 0");
      iterations(&b, doc->stack == st ? st : NULL, doc, t.loop);
      break;
    case T_INSTANCE: {
      const char *mdir = module_dir(&ws, d);
      buf_printf(&b, "```infra\nmodule %s \"%s\"\n```\nits declarations are %s.NAME, its outputs "
                     "%s.OUTPUT; declared in %s", t.name, d->type_name ? d->type_name : "",
                 t.name, t.name, where_text);
      Outputs o = {&ws, mdir ? ns_of_dir(&ws, mdir) : NULL, &b, 0};
      if (o.ns)
        walk_all(&ws, output_site, &o);
      break;
    }
    case T_OUTPUT:
      buf_printf(&b, "```infra\noutput %s\n```\nan output of module directory %s, declared in %s",
                 t.name, base_name(t.dir), where_text);
      break;
    default:
      buf_printf(&b, "```infra\n%s %s\n```\ndeclared in %s", target_words[t.k], t.name,
                 where_text);
    }
  }
  cJSON *h = NULL;
  if (b.s) {
    h = cJSON_CreateObject();
    cJSON *mc = cJSON_AddObjectToObject(h, "contents");
    cJSON_AddStringToObject(mc, "kind", "markdown");
    cJSON_AddStringToObject(mc, "value", b.s);
    cJSON_AddItemToObject(h, "range", lsp_range(ws.w, t.span));
  }
  buf_free(&b);
  ws_close(&ws);
  return h;
}
