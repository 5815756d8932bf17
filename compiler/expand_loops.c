/* expand_loops.c: `for` declarations, comprehensions, names that interpolate
   and integer arithmetic, expanded between parsing and resolution: what
   resolve and the checks see is the program as if written by hand.

   Each iteration's declarations are copies of the loop's body whose spans are
   in a view of the file (origin.h): a diagnostic raised while checking one
   points at the body and names the iteration. Expansion copies each body once
   per element: its cost is the size of what it makes. */
#include <stdlib.h>
#include <string.h>

#include "origin.h"
#include "params.h"
#include "strmap.h"

/* A loop variable bound to its value in one iteration. */
typedef struct Bind {
  const char *name;
  const Expr *value;
  struct Bind *next;
} Bind;

typedef struct {
  Bind *env;
  int view; /* where copied spans go: a view, or -1 to keep them */
  int from; /* the file of the loop's text: spans elsewhere (a module's input) are kept */
} Ctx;

typedef struct LoopExpander {
  Compilation *c;
  Arena *a;
  StrMap consts; /* the program's `let`s and params by name: what a loop may read */
  const char *region; /* the stack's region, written as a string; NULL if not */
  Vec out;       /* the expanded declarations */
  int in_value;  /* inside a comprehension or a let's value: its copies count */
  long made;     /* values the outermost one has made, up to LIMIT_VALUES (E004) */
  Span top;      /* the outermost one */
  bool exhausted; /* past the limit once: no more values are made */
} X;

static void enter_value(X *x, Span sp) {
  if (!x->in_value++) {
    x->made = 0;
    x->top = sp;
  }
}

static Expr *copy_expr(X *x, const Ctx *k, const Expr *e);
static const Expr *known(X *x, const Expr *e);

static Span at(const Ctx *k, Span sp) {
  return k->view < 0 || sp.file != k->from ? sp : origin_span(sp, k->view);
}

static const Expr *bound(const Ctx *k, const char *name) {
  for (const Bind *b = k->env; b; b = b->next)
    if (b->name && !strcmp(b->name, name))
      return b->value;
  return NULL;
}

static Expr *int_expr(X *x, Span sp, int64_t v) {
  Expr *e = ast_expr(x->a, EX_INT, sp);
  e->i = v;
  return e;
}

static Expr *str_expr(X *x, Span sp, const char *text) {
  Expr *e = ast_expr(x->a, EX_STR, sp);
  e->parts = arena_alloc(x->a, sizeof *e->parts);
  e->parts->text = text;
  return e;
}

/* The value of a `let` or a param fixed at build time (by --param or its
   default) that a loop, an interpolation or arithmetic reads; NULL when the
   name is neither. A param read so is marked folded: the template holds its
   value, not a parameter. */
static Expr *const_value(X *x, const char *name, Span use) {
  Decl *d = strmap_get(&x->consts, name);
  if (!d || d->mark) /* mark: its value is being read (let n = n + 1): a cycle, not known */
    return NULL;
  if (d->k == D_LET) {
    d->mark = 1;
    enter_value(x, use);
    Expr *v = copy_expr(x, &(Ctx){NULL, -1, -1}, d->value);
    x->in_value--;
    d->mark = 0;
    return v;
  }
  const char *given = params_get(x->c, name);
  if (!given && !d->value)
    return NULL;
  d->folded = true;
  if (!given) {
    d->mark = 1;
    enter_value(x, use);
    Expr *v = copy_expr(x, &(Ctx){NULL, -1, -1}, d->value);
    x->in_value--;
    d->mark = 0;
    return v;
  }
  if (d->type_name && !strcmp(d->type_name, "int"))
    return int_expr(x, use, strtoll(given, NULL, 10));
  if (d->type_name && !strcmp(d->type_name, "list")) { /* a,b,c */
    Expr *l = ast_expr(x->a, EX_LIST, use);
    for (const char *p = given;; p++) {
      const char *q = strchr(p, ',');
      size_t n = q ? (size_t)(q - p) : strlen(p);
      vec_push(x->a, &l->items, str_expr(x, use, arena_strndup(x->a, p, n)));
      if (!q)
        break;
      p = q;
    }
    return l;
  }
  return str_expr(x, use, given);
}

/* A value as a loop's note shows it: "c", 2, public_a. */
static const char *value_text(X *x, const Expr *e) {
  switch (e->k) {
  case EX_STR: {
    const char *s = eval_string(e);
    return s ? arena_printf(x->a, "\"%s\"", s) : "a string";
  }
  case EX_INT: return arena_printf(x->a, "%lld", (long long)e->i);
  case EX_NAME: return e->name;
  default: {
    Source *src = compile_source(x->c, e->span.file);
    uint32_t n = e->span.hi - e->span.lo;
    return n <= 40 ? arena_strndup(x->a, src->text + e->span.lo, n) : ast_expr_desc(e);
  }
  }
}

/* The text a value gives a name or a string: a string's, an integer's
   digits, a name's own; NULL for any other. */
static const char *text_of(X *x, const Expr *e) {
  if (e->k == EX_STR)
    return eval_string(e);
  if (e->k == EX_INT)
    return arena_printf(x->a, "%lld", (long long)e->i);
  if (e->k == EX_NAME && !e->parts)
    return e->name;
  return NULL;
}

/* ---- arithmetic ---- */

/* a OP b on integers known at compile time: + - * / %. */
static Expr *arith(X *x, Expr *e) {
  Expr *l = e->items.v[0], *r = e->items.v[1];
  const Expr *kl = known(x, l), *kr = known(x, r);
  if (kl->k == EX_ERROR || kr->k == EX_ERROR) /* reported */
    return ast_expr(x->a, EX_ERROR, e->span);
  int64_t a = kl->i, b = kr->i, v = 0;
  if (kl->k != EX_INT || kr->k != EX_INT) {
    const Expr *bad = kl->k != EX_INT ? l : r;
    Diag *d = diag_error(x->c, "E111", bad->span,
                         "'%s' takes integers known at compile time, found %s", e->name,
                         ast_expr_desc(bad));
    diag_help(x->c, d, "integers, loop variables, and lets and params of type int are known");
    return ast_expr(x->a, EX_ERROR, e->span);
  }
  /* an output of a module read elsewhere (m.ratio): said where it is written,
     in the module, and where it is read */
  Span sp = e->name_span.hi ? e->name_span : e->span;
  Diag *d = NULL;
  bool over = false;
  switch (e->name[0]) {
  case '+': over = __builtin_add_overflow(a, b, &v); break;
  case '-': over = __builtin_sub_overflow(a, b, &v); break;
  case '*': over = __builtin_mul_overflow(a, b, &v); break;
  default:
    if (b == 0) {
      d = diag_error(x->c, "E112", sp, "division by zero: %lld %s 0", (long long)a, e->name);
      diag_note(x->c, d, r->span, "this is 0");
      break;
    }
    over = a == INT64_MIN && b == -1;
    v = over ? 0 : e->name[0] == '/' ? a / b : a % b;
  }
  if (over)
    d = diag_error(x->c, "E112", sp, "integer overflow: %lld %s %lld is beyond 64 bits",
                   (long long)a, e->name, (long long)b);
  if (d && sp.file != e->span.file)
    diag_note(x->c, d, e->span, "the output is read here");
  return d ? ast_expr(x->a, EX_ERROR, e->span) : int_expr(x, e->span, v);
}

static bool is_arith(const Expr *e) { return e->k == EX_BINARY && strchr("+-*/%", e->name[0]); }

/* ---- compile-time tests, for a comprehension's `if` ---- */

/* A let's or a fixed param's value for its name, followed a few times (let
   a = b); any other expression as it is. */
static const Expr *known(X *x, const Expr *e) {
  for (int i = 0; i < 16 && e->k == EX_NAME && !e->parts && strmap_get(&x->consts, e->name); i++) {
    const Expr *v = const_value(x, e->name, e->span);
    if (!v)
      break;
    e = v;
  }
  return e;
}

static Tri test(X *x, const Expr *e) {
  switch (e->k) {
  case EX_BOOL: return e->i ? TRI_TRUE : TRI_FALSE;
  case EX_NOT: {
    Tri t = test(x, e->items.v[0]);
    return t == TRI_UNKNOWN ? t : t == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
  }
  case EX_BINARY: {
    const Expr *l = e->items.v[0], *r = e->items.v[1];
    if (e->name[0] == '&' || e->name[0] == '|') {
      Tri a = test(x, l), b = test(x, r);
      if (a == TRI_UNKNOWN || b == TRI_UNKNOWN)
        return TRI_UNKNOWN;
      return (e->name[0] == '&' ? a == TRI_TRUE && b == TRI_TRUE : a == TRI_TRUE || b == TRI_TRUE)
                 ? TRI_TRUE : TRI_FALSE;
    }
    const char *a = text_of(x, known(x, l)), *b = text_of(x, known(x, r));
    if (!a || !b)
      return TRI_UNKNOWN;
    return (!strcmp(a, b)) == (e->name[0] == '=') ? TRI_TRUE : TRI_FALSE;
  }
  default: return TRI_UNKNOWN;
  }
}

/* ---- names that interpolate ---- */

static bool is_ident(const char *s) {
  if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
    return false;
  for (s++; *s; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return false;
  return true;
}

/* A bare name interpolated into a name must be a loop variable, a let or a
   param: any other (`l_${zz}`, or `l_${z}` outside its loop) is E111 here,
   never its own text. */
static bool knowable(X *x, const Ctx *k, const Expr *e) {
  if (e->k != EX_NAME || e->parts || bound(k, e->name) || strmap_get(&x->consts, e->name))
    return true;
  const char *vars[16];
  int n = 0;
  for (const Bind *b = k->env; b && n < 16; b = b->next)
    if (b->name)
      vars[n++] = b->name;
  Diag *d = diag_error(x->c, "E111", at(k, e->span),
                       "a name interpolates values known at compile time: '%s' is not a loop "
                       "variable, a let or a param", e->name);
  const char *s = resolve_suggest(e->name, vars, n);
  if (s)
    diag_help(x->c, d, "did you mean '%s'?", s);
  else
    diag_help(x->c, d, "interpolate a loop variable of a loop around it, or a let or param");
  return false;
}

/* `public_${z}` -> "public_a"; NULL after an error (reported). */
static const char *name_text(X *x, const Ctx *k, const StrPart *parts, Span sp) {
  Buf b = {0};
  const char *out = NULL;
  for (const StrPart *p = parts; p; p = p->next) {
    if (!p->expr && !p->text) /* an interpolation that did not parse (reported) */
      goto done;
    if (!p->expr) {
      buf_puts(&b, p->text);
      continue;
    }
    if (!knowable(x, k, p->expr))
      goto done;
    const Expr *v = known(x, copy_expr(x, k, p->expr));
    const char *t = v && v->k != EX_ERROR ? text_of(x, v) : NULL;
    if (!t) {
      if (v && v->k != EX_ERROR) {
        Diag *d = diag_error(x->c, "E111", at(k, p->expr->span),
                             "a name interpolates values known at compile time, found %s",
                             ast_expr_desc(v));
        diag_help(x->c, d, "interpolate a loop variable, or a let or param of type string or int");
      }
      goto done;
    }
    buf_puts(&b, t);
  }
  out = arena_strndup(x->a, b.s ? b.s : "", b.len);
  /* a module's prefix (net.), put before the name by expand_modules.c */
  const char *dot = parts && parts->text ? strrchr(parts->text, '.') : NULL;
  if (!is_ident(dot ? out + (dot - parts->text) + 1 : out)) {
    Diag *d = diag_error(x->c, "E111", at(k, sp), "this makes '%s', which is not a name", out);
    diag_help(x->c, d, "a name is letters, digits and '_', not starting with a digit");
    out = NULL;
  }
done:
  buf_free(&b);
  return out;
}

/* ---- copies ---- */

/* The region the stack declaration writes, for `${stack.region}`. */
static const char *stack_region(const Vec *decls) {
  for (int i = 0; i < decls->n; i++) {
    const Decl *d = decls->v[i];
    for (int j = 0; d->k == D_STACK && j < d->members.n; j++) {
      const Member *m = d->members.v[j];
      if (m->k == M_ATTR && !strcmp(m->name, "region") && m->value && m->value->k == EX_STR)
        return eval_string(m->value);
    }
  }
  return NULL;
}

static bool is_stack_region(const Expr *e) {
  return e->k == EX_FIELD && e->base->k == EX_NAME && !e->base->parts &&
         !strcmp(e->base->name, "stack") && !strcmp(e->name, "region");
}

/* A string's parts, each interpolation known at compile time folded into
   the text around it: "ap-northeast-1${z}" -> "ap-northeast-1a", and
   "${stack.region}${z}" too, so that the zone checks read the zone. */
static StrPart *copy_parts(X *x, const Ctx *k, const StrPart *parts) {
  StrPart *head = NULL, **tail = &head, *last = NULL;
  for (const StrPart *p = parts; p; p = p->next) {
    Expr *v = p->expr ? copy_expr(x, k, p->expr) : NULL;
    const char *t = !v                                  ? p->text
                    : v->k == EX_STR || v->k == EX_INT ? text_of(x, v)
                    : is_stack_region(v)               ? x->region
                                                       : NULL;
    if (t && last && last->text) {
      last->text = arena_printf(x->a, "%s%s", last->text, t);
      continue;
    }
    StrPart *n = arena_alloc(x->a, sizeof *n);
    n->text = t;
    n->expr = t ? NULL : v;
    *tail = last = n, tail = &n->next;
  }
  return head;
}

static Vec copy_exprs(X *x, const Ctx *k, const Vec *v) {
  Vec out = {0};
  for (int i = 0; i < v->n; i++)
    vec_push(x->a, &out, copy_expr(x, k, v->v[i]));
  return out;
}

static bool loop_items(X *x, const Ctx *k, const Loop *l, Vec *items);
static Ctx iteration(X *x, const Ctx *k, const Loop *l, int file, const Vec *items, int i, Bind *b);

/* [for z in zones: item if cond] -> [item, ...] */
static Expr *comprehension(X *x, const Ctx *k, const Expr *e) {
  const Loop *l = e->loop;
  Expr *out = ast_expr(x->a, EX_LIST, at(k, e->span));
  Vec items;
  if (!loop_items(x, k, l, &items))
    return ast_expr(x->a, EX_ERROR, out->span);
  int file = k->view >= 0 ? k->view : e->span.file;
  enter_value(x, out->span);
  for (int i = 0; i < items.n && !x->exhausted; i++) {
    Bind b[2];
    Ctx in = iteration(x, k, l, file, &items, i, b);
    if (l->cond) {
      Expr *c = copy_expr(x, &in, l->cond);
      Tri t = c->k == EX_ERROR ? TRI_FALSE : test(x, c);
      if (t == TRI_UNKNOWN) {
        Diag *d = diag_error(x->c, "E111", c->span,
                             "the condition of a comprehension must be known at compile time");
        diag_help(x->c, d, "compare loop variables and lets with == and !=, joined by && and ||");
        x->in_value--;
        return ast_expr(x->a, EX_ERROR, out->span);
      }
      if (t == TRI_FALSE)
        continue;
    }
    vec_push(x->a, &out->items, copy_expr(x, &in, l->item));
  }
  x->in_value--;
  return x->exhausted ? ast_expr(x->a, EX_ERROR, out->span) : out;
}

/* Past LIMIT_VALUES in one value (lists of lists squared by comprehensions,
   let a1 = [for x in a0: a0] ...), one E004 at it, and no value is made
   after: never a hang, nor memory exhausted. */
static bool too_many(X *x) {
  if (!x->in_value || (!x->exhausted && ++x->made <= LIMIT_VALUES))
    return false;
  if (!x->exhausted)
    diag_error(x->c, "E004", x->top, "this makes more than %d values at compile time: the limit",
               LIMIT_VALUES);
  x->exhausted = true;
  return true;
}

static Expr *copy_expr(X *x, const Ctx *k, const Expr *e) {
  if (!e)
    return NULL;
  if (too_many(x))
    return ast_expr(x->a, EX_ERROR, at(k, e->span));
  if (e->k == EX_NAME && !e->parts) {
    const Expr *v = bound(k, e->name);
    if (v) { /* a loop variable: its value, shown where it is used */
      Expr *n = copy_expr(x, &(Ctx){NULL, -1, -1}, v);
      if (n->k == EX_NAME && origin_of(x->c, v->span.file) != origin_of(x->c, k->from))
        return n; /* a reference given to a module (subnets = [a, b]): the caller's, where written */
      n->span = at(k, e->span);
      if (n->k == EX_NAME)
        n->name_span = n->span;
      return n;
    }
  }
  if (e->k == EX_FOR)
    return comprehension(x, k, e);
  Expr *n = arena_alloc(x->a, sizeof *n);
  *n = *e;
  n->span = at(k, e->span);
  n->name_span = at(k, e->name_span);
  n->base = copy_expr(x, k, e->base);
  n->items = copy_exprs(x, k, &e->items);
  if (e->k == EX_STR)
    n->parts = copy_parts(x, k, e->parts);
  if (e->k == EX_NAME && e->parts && !e->parts->next && e->parts->expr) {
    Expr *v = copy_expr(x, k, e->parts->expr); /* `${port}` among a statement's words: the value */
    v->span = n->span;
    return v;
  }
  if (e->k == EX_NAME && e->parts) {
    n->parts = NULL;
    n->name = name_text(x, k, e->parts, e->span);
    if (!n->name)
      n->k = EX_ERROR, n->name = e->name;
  }
  if (is_arith(n))
    return arith(x, n);
  return n;
}

static Member *copy_member(X *x, const Ctx *k, const Member *m) {
  Member *n = arena_alloc(x->a, sizeof *n);
  *n = *m;
  n->span = at(k, m->span);
  n->name_span = at(k, m->name_span);
  n->open = at(k, m->open);
  n->value = copy_expr(x, k, m->value);
  n->words = copy_exprs(x, k, &m->words);
  n->body = (Vec){0};
  for (int i = 0; i < m->body.n; i++)
    vec_push(x->a, &n->body, copy_member(x, k, m->body.v[i]));
  return n;
}

/* NULL when its name could not be made (reported). */
static Decl *copy_decl(X *x, const Ctx *k, const Decl *d) {
  Decl *n = arena_alloc(x->a, sizeof *n);
  *n = *d;
  n->span = at(k, d->span);
  n->kind_span = at(k, d->kind_span);
  n->name_span = at(k, d->name_span);
  n->type_span = at(k, d->type_span);
  n->if_span = at(k, d->if_span);
  if (d->name_parts) {
    n->name_parts = NULL;
    n->name = name_text(x, k, d->name_parts, d->name_span);
    if (!n->name) /* reported: the declaration is not made */
      return NULL;
  }
  n->members = (Vec){0};
  for (int i = 0; i < d->members.n; i++)
    vec_push(x->a, &n->members, copy_member(x, k, d->members.v[i]));
  n->value = copy_expr(x, k, d->value);
  n->cond = copy_expr(x, k, d->cond);
  n->export_name = copy_expr(x, k, d->export_name);
  n->description = copy_expr(x, k, d->description);
  if (k->view >= 0)
    n->origin = origin_of(x->c, k->view);
  return n;
}

/* ---- loops ---- */

/* The elements of a loop's list, known at compile time; false after an error. */
static bool loop_items(X *x, const Ctx *k, const Loop *l, Vec *items) {
  const Expr *list = known(x, copy_expr(x, k, l->list));
  if (list->k == EX_LIST) {
    *items = list->items;
    return true;
  }
  if (list->k != EX_ERROR) {
    Diag *d = diag_error(x->c, "E111", at(k, l->list->span),
                         "a loop's list must be known at compile time, found %s",
                         ast_expr_desc(list));
    diag_help(x->c, d, "loop over a list ([\"a\", \"c\"]), a let holding one, or a param of type "
                       "list with a default or a --param value");
  }
  return false;
}

/* The bindings of the ith iteration of l (b holds two), and the view its
   declarations' spans go to, named `z = "c"` (and `i = 1`). */
/* `for z, z in ...`: the index would hide the element. Said where it is
   written (once however often the loop is expanded: repeats are dropped). */
static void index_twice(X *x, const Loop *l) {
  Span idx = {origin_file(x->c, l->index_span.file), l->index_span.lo, l->index_span.hi};
  Span var = {origin_file(x->c, l->var_span.file), l->var_span.lo, l->var_span.hi};
  Diag *d = diag_error(x->c, "E102", idx, "loop variable '%s' is declared twice", l->var);
  diag_note(x->c, d, var, "first declared here, for the list's elements");
  diag_help(x->c, d, "the second name is the element's position: give it its own, as in "
                     "`for %s, i in ...`, or drop it", l->var);
}

static Ctx iteration(X *x, const Ctx *k, const Loop *l, int file, const Vec *items, int i, Bind *b) {
  const Expr *v = items->v[i];
  bool index = l->index && strcmp(l->index, l->var); /* one name for both: the element's */
  if (l->index && !index && !i)
    index_twice(x, l);
  b[0] = (Bind){l->var, v, k->env};
  b[1] = (Bind){l->index, int_expr(x, at(k, l->index_span), i), &b[0]};
  Origin *o = arena_alloc(x->a, sizeof *o);
  o->k = ORIGIN_LOOP;
  o->span = at(k, l->span);
  o->text = index ? arena_printf(x->a, "%s = %s, %s = %d", l->var, value_text(x, v), l->index, i)
                  : arena_printf(x->a, "%s = %s", l->var, value_text(x, v));
  o->parent = origin_of(x->c, file);
  return (Ctx){index ? &b[1] : &b[0], origin_view(x->c, file, o), k->view >= 0 ? k->from : file};
}

static void expand_decls(X *x, const Ctx *k, const Vec *decls);

/* At LIMIT_DECLS the rest is dropped, with one E004. */
static bool full(X *x, const Ctx *k, Span sp) {
  if (x->out.n < LIMIT_DECLS)
    return false;
  if (!x->c->decls_dropped++)
    diag_error(x->c, "E004", at(k, sp),
               "more than %d declarations: the limit; the rest are not checked", LIMIT_DECLS);
  return true;
}

static void expand_for(X *x, const Ctx *k, const Decl *d) {
  const Loop *l = d->loop;
  Vec items;
  if (!loop_items(x, k, l, &items))
    return;
  int file = k->view >= 0 ? k->view : d->span.file;
  for (int i = 0; i < items.n && !full(x, k, d->span); i++) {
    Bind b[2];
    Ctx in = iteration(x, k, l, file, &items, i, b);
    expand_decls(x, &in, &l->body);
  }
}

static void expand_decls(X *x, const Ctx *k, const Vec *decls) {
  for (int i = 0; i < decls->n; i++) {
    const Decl *d = decls->v[i];
    Decl *n;
    if (full(x, k, d->span))
      return;
    if (d->k == D_FOR)
      expand_for(x, k, d);
    else if (!(n = copy_decl(x, k, d)))
      continue;
    else if (k->view < 0) { /* as written: expanded where it stands, for the lets that name it */
      *(Decl *)d = *n;
      vec_push(x->a, &x->out, (void *)d);
    } else
      vec_push(x->a, &x->out, n);
  }
}

static void add_consts(X *x, const Vec *decls) {
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if ((d->k == D_LET || d->k == D_PARAM) && !strmap_get(&x->consts, d->name))
      strmap_put(&x->consts, d->name, d);
  }
}

void expand_loops(Compilation *c) {
  if (!c->prog.loops)
    return;
  X x = {.c = c, .a = &c->arena, .region = stack_region(&c->prog.decls)};
  add_consts(&x, &c->prog.decls);
  /* The constants first, each once: what reads them later finds them expanded,
     and an error in one is reported once, not at each use. */
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i], *n;
    if ((d->k == D_LET || d->k == D_PARAM) && !d->name_parts &&
        (n = copy_decl(&x, &(Ctx){NULL, -1, -1}, d)))
      *d = *n;
  }
  expand_decls(&x, &(Ctx){NULL, -1, -1}, &c->prog.decls);
  for (int i = 0; i < x.out.n; i++)
    ((Decl *)x.out.v[i])->index = i;
  c->prog.decls = x.out;
  strmap_free(&x.consts);
}

/* ---- loops that make modules, before the modules are instantiated ---- */

/* NAME.output is substituted before loops are expanded: a loop or a
   comprehension that reads a field of a name it makes (net_${env}.vpc_id)
   is expanded early, as one that makes a module, for its names to be known. */
static bool reads_made_field(const Expr *e);

static bool members_read_made_field(const Vec *members) {
  for (int i = 0; i < members->n; i++) {
    const Member *m = members->v[i];
    if (reads_made_field(m->value) || members_read_made_field(&m->body))
      return true;
    for (int j = 0; j < m->words.n; j++)
      if (reads_made_field(m->words.v[j]))
        return true;
  }
  return false;
}

static bool reads_made_field(const Expr *e) {
  if (!e)
    return false;
  if (e->k == EX_FIELD && e->base->k == EX_NAME && e->base->parts)
    return true;
  if (reads_made_field(e->base))
    return true;
  for (int i = 0; i < e->items.n; i++)
    if (reads_made_field(e->items.v[i]))
      return true;
  for (const StrPart *p = e->parts; p; p = p->next)
    if (reads_made_field(p->expr))
      return true;
  return e->loop && (reads_made_field(e->loop->item) || reads_made_field(e->loop->cond));
}

static bool early(const Decl *d) {
  if (d->k == D_RESOURCE && !strcmp(d->kind_name, "module"))
    return true;
  if (d->k != D_FOR)
    return members_read_made_field(&d->members) || reads_made_field(d->value);
  for (int i = 0; i < d->loop->body.n; i++)
    if (early(d->loop->body.v[i]))
      return true;
  return false;
}

static X *loop_expander(Compilation *c, const Vec *decls) {
  X *x = arena_alloc(&c->arena, sizeof *x);
  *x = (X){.c = c, .a = &c->arena, .region = stack_region(&c->prog.decls)};
  add_consts(x, &c->prog.decls); /* the stack's lets and params, and the level's (net.zones) */
  add_consts(x, decls);
  return x;
}

/* The declarations made are expanded as they will be again by
   expand_loops, which finds them without loops: copied as they stand. */
void expand_loops_of_modules(Compilation *c, Vec *decls) {
  bool any = false;
  for (int i = 0; i < decls->n && !any; i++)
    any = ((Decl *)decls->v[i])->k == D_FOR && early(decls->v[i]);
  if (!any)
    return;
  X *x = loop_expander(c, decls);
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (d->k == D_FOR && early(d))
      expand_for(x, &(Ctx){NULL, -1, -1}, d);
    else
      vec_push(x->a, &x->out, d);
  }
  *decls = x->out;
  strmap_free(&x->consts);
}

LoopExpander *expand_loops_begin(Compilation *c) { return loop_expander(c, &c->prog.decls); }

Expr *expand_loops_made_field(LoopExpander *x, Expr *e) {
  return e->k == EX_FOR && reads_made_field(e) ? comprehension(x, &(Ctx){NULL, -1, -1}, e) : e;
}

void expand_loops_end(LoopExpander *x) {
  if (x)
    strmap_free(&x->consts);
}
