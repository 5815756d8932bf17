/* lsp_query.c: what stands at an offset of a document, and the requests
   that ask about it: hover, definition, references, rename, documentSymbol
   and codeAction. Each reads the stack's last compilation, which the server
   has built from the latest text before it answers. */
#include <stdlib.h>
#include <string.h>

#include "exposure.h"
#include "lsp.h"
#include "origin.h"
#include "strmap.h"
#include "modules.h"

/* ---- what stands at an offset ---- */

typedef enum {
  AT_NONE,
  AT_DECL,   /* the name of a declaration */
  AT_KIND,   /* its kind (or the keyword stack, param, output) */
  AT_TYPE,   /* a param's type */
  AT_MEMBER, /* the name of an attribute, statement or block */
  AT_EXPR,   /* a value */
  AT_FIELD,  /* the attribute name of base.name */
  AT_AWS_TYPE, /* a `resource`'s CloudFormation type string */
} AtKind;

typedef struct {
  AtKind k;
  Decl *decl;
  Member *member;       /* the innermost member around the offset */
  const Schema *schema; /* what member stands in (NULL: unknown) */
  Expr *expr;           /* AT_EXPR, AT_FIELD: the innermost value */
  const AwsProp *prop;  /* AT_MEMBER, a key of an object: the CloudFormation property */
  Compilation *c;
} At;

/* The shape of a property's value; a list's items for a list of objects. */
static const AwsShape *prop_shape(const AwsProp *p) {
  return p ? p->shape : NULL;
}

static const AwsShape *item_shape(const AwsShape *s) {
  return s && s->items ? s->items : s;
}

/* Ends are inclusive: a cursor just after a word is on it. */
static bool on(Span sp, int file, uint32_t off) {
  return sp.file == file && sp.lo <= off && off <= sp.hi;
}

/* shape: what the CloudFormation schema says of the value e (NULL: not a
   property, or unknown). */
static void find_expr(Expr *e, const AwsShape *shape, int file, uint32_t off, At *at) {
  at->k = AT_EXPR;
  at->expr = e;
  if (e->k == EX_PAIR) { /* Key = value in an object */
    at->prop = shape ? aws_shape_prop(shape, e->name) : NULL;
    if (on(e->name_span, file, off))
      at->k = AT_MEMBER;
    else if (e->base && on(e->base->span, file, off))
      find_expr(e->base, prop_shape(at->prop), file, off, at);
    return;
  }
  if (e->base && on(e->base->span, file, off)) {
    find_expr(e->base, NULL, file, off, at);
    return;
  }
  if (e->base && e->name && on(e->name_span, file, off)) {
    at->k = AT_FIELD;
    return;
  }
  for (int i = 0; i < e->items.n; i++) {
    Expr *x = e->items.v[i];
    /* a comprehension's items are in its iterations' views of the file */
    bool viewed = at->c && x->span.file != file &&
                  origin_file(at->c, x->span.file) == origin_file(at->c, file);
    if (on(x->span, viewed ? x->span.file : file, off)) {
      find_expr(x, e->k == EX_LIST ? item_shape(shape) : e->k == EX_OBJECT ? shape : NULL,
                x->span.file, off, at);
      return;
    }
  }
  for (StrPart *p = e->parts; p; p = p->next)
    if (p->expr && on(p->expr->span, file, off)) {
      find_expr(p->expr, NULL, file, off, at);
      return;
    }
}

/* s: the kind's schema of the block; shape: the CloudFormation object the
   block writes (a `resource`, a kind's `properties { }`, an object block in
   them), or NULL. */
static bool find_members(Vec *members, const Schema *s, const AwsShape *shape, int file,
                         uint32_t off, At *at) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    if (!on(m->span, file, off))
      continue;
    at->member = m;
    at->schema = s;
    at->prop = shape ? aws_shape_prop(shape, m->name) : NULL;
    if (on(m->name_span, file, off)) {
      at->k = AT_MEMBER;
      return true;
    }
    if (m->value && on(m->value->span, file, off)) {
      find_expr(m->value, prop_shape(at->prop), file, off, at);
      return true;
    }
    for (int j = 0; j < m->words.n; j++) {
      Expr *w = m->words.v[j];
      if (on(w->span, file, off)) {
        find_expr(w, NULL, file, off, at);
        return true;
      }
    }
    if (m->has_body) {
      const Schema *bs = m->stmt ? m->stmt->body : NULL;
      const AwsShape *inner = item_shape(prop_shape(at->prop));
      if (!shape && s && at->decl->schema == s && !strcmp(m->name, "properties") && at->decl->aws)
        inner = at->decl->aws->shape; /* a kind's properties { } */
      if (find_members(&m->body, bs, inner, file, off, at))
        return true;
    }
    return true;
  }
  return false;
}

static At find_at(LspStack *st, LspDoc *doc, uint32_t off) {
  At at = {.c = st->c};
  Vec *decls = &st->c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    /* A declaration a loop made has its spans in a view of the file: in the
       body, the first iteration's answers. */
    int file = d->span.file;
    if (origin_file(st->c, file) != doc->file || !on(d->span, file, off))
      continue;
    at.decl = d;
    if (on(d->name_span, file, off))
      at.k = AT_DECL;
    else if (on(d->kind_span, file, off))
      at.k = AT_KIND;
    else if (d->k == D_PARAM && d->type_name && on(d->type_span, file, off))
      at.k = AT_TYPE;
    else if (d->k == D_RESOURCE && d->type_name && on(d->type_span, file, off))
      at.k = AT_AWS_TYPE;
    else if (d->cond && on(d->cond->span, file, off)) /* `if NAME` */
      find_expr(d->cond, NULL, file, off, &at);
    else if (d->value && on(d->value->span, file, off))
      find_expr(d->value, NULL, file, off, &at);
    else
      find_members(&d->members, d->schema, !d->schema && d->aws ? d->aws->shape : NULL,
                   file, off, &at);
    if (at.k != AT_NONE)
      break;
  }
  return at;
}

/* The declaration a name at the offset stands for: a declaration's own
   name, a reference, or the base of base.attr. */
static Decl *target_of(const At *at) {
  switch (at->k) {
  case AT_DECL: return at->decl;
  case AT_EXPR: return at->expr->ref;
  case AT_FIELD: return at->expr->base->ref;
  default: return NULL;
  }
}

/* A module's NAME.output at the offset, read as the output's value: what
   the compiled program has there is a name written in the module; the
   program as written answers (lsp_rename.c). */
static bool substituted(const At *at) {
  return at->k == AT_EXPR && at->expr->name_span.hi &&
         at->expr->name_span.file != at->expr->span.file;
}

/* ---- every value of the program ---- */

typedef void Visit(Expr *e, void *ctx);

static void walk_expr(Expr *e, Visit *fn, void *ctx) {
  if (!e)
    return;
  fn(e, ctx);
  walk_expr(e->base, fn, ctx);
  for (int i = 0; i < e->items.n; i++)
    walk_expr(e->items.v[i], fn, ctx);
  for (StrPart *p = e->parts; p; p = p->next)
    walk_expr(p->expr, fn, ctx);
}

static void walk_members(Vec *members, Visit *fn, void *ctx) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    walk_expr(m->value, fn, ctx);
    for (int j = 0; j < m->words.n; j++)
      walk_expr(m->words.v[j], fn, ctx);
    walk_members(&m->body, fn, ctx);
  }
}

static void walk_program(Compilation *c, Visit *fn, void *ctx) {
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    walk_expr(d->value, fn, ctx);
    walk_members(&d->members, fn, ctx);
  }
  for (int i = 0; i < c->modules.n; i++) { /* the inputs as written, used or not */
    ModuleInstance *in = c->modules.v[i];
    for (int p = 0; p < in->dir->params.n; p++)
      walk_expr(in->inputs[p], fn, ctx);
  }
}

typedef struct {
  Decl *target;
  Span *spans;
  int n, cap;
  Arena *a;
} Refs;

/* A bare name that resolved to the target (also one then found to be of the
   wrong kind: it still names it). base.attr is visited through its base. */
static void visit_ref(Expr *e, void *ctx) {
  Refs *r = ctx;
  if (e->ref != r->target || e->base || !e->name)
    return;
  if (r->n == r->cap) {
    int cap = r->cap ? 2 * r->cap : 16;
    Span *v = arena_alloc(r->a, sizeof(Span) * (size_t)cap);
    if (r->n)
      memcpy(v, r->spans, sizeof(Span) * (size_t)r->n);
    r->spans = v;
    r->cap = cap;
  }
  r->spans[r->n++] = e->span;
}

static int cmp_at(const void *a, const void *b) {
  const Span *x = *(Span *const *)a, *y = *(Span *const *)b;
  if (x->file != y->file)
    return x->file < y->file ? -1 : 1;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* A module's input is copied to each use of its param: one place in the
   text, found once per copy. The repeats go; the order stays. */
static void unique_refs(Refs *r) {
  if (r->n < 2)
    return;
  Span **by = arena_alloc(r->a, sizeof *by * (size_t)r->n);
  bool *drop = arena_alloc(r->a, sizeof *drop * (size_t)r->n);
  for (int i = 0; i < r->n; i++)
    by[i] = &r->spans[i];
  qsort(by, (size_t)r->n, sizeof *by, cmp_at);
  for (int i = 1; i < r->n; i++)
    drop[by[i] - r->spans] = by[i]->file == by[i - 1]->file && by[i]->lo == by[i - 1]->lo &&
                             by[i]->hi == by[i - 1]->hi;
  int n = 0;
  for (int i = 0; i < r->n; i++)
    if (!drop[i])
      r->spans[n++] = r->spans[i];
  r->n = n;
}

typedef struct {
  Compilation *c;
  const char *name;
  StrMap *words;
} Words;

static void visit_word(Expr *e, void *ctx) {
  Words *w = ctx;
  if (e->k != EX_NAME || e->ref || e->base || !e->name || strcmp(e->name, w->name))
    return;
  char key[48];
  snprintf(key, sizeof key, "%d:%u", origin_file(w->c, e->span.file), e->span.lo);
  strmap_put(w->words, key, (void *)1);
}

void lsp_words(LspStack *st, const char *name, StrMap *words) {
  Words w = {st ? st->c : NULL, name, words};
  if (st)
    walk_program(st->c, visit_word, &w);
}

static Refs find_refs(Compilation *c, Decl *target) {
  Refs r = {.target = target, .a = &c->arena};
  walk_program(c, visit_ref, &r);
  unique_refs(&r);
  return r;
}

/* ---- hover ---- */

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* What the internet reaches of d, by security group (exposure.h): the
   facts of W607, also for a balancer's listeners, which W607 leaves. */
static void hover_exposure(Buf *b, Compilation *c, const Decl *d) {
  if (!decl_is(d, "instance") && !decl_is(d, "database") && !decl_is(d, "load_balancer"))
    return;
  int n;
  Exposure *v = exposure_find(c, &n);
  bool any = false;
  for (int i = 0, j; i < n; i = j) {
    for (j = i + 1; j < n && v[j].target == v[i].target && v[j].group == v[i].group;)
      j++;
    if (v[i].target != d) continue;
    if (!any) buf_puts(b, "**Reachable from the internet:**\n\n");
    buf_printf(b, "- %s through %s\n", exposure_ports(c, &v[i], j - i), exposure_chain(c, &v[i]));
    any = true;
  }
  buf_puts(b, any ? "\n" : "Not reachable from the internet.\n\n");
}

static void hover_decl(Buf *b, LspStack *st, const Decl *d) {
  switch (d->k) {
  case D_RESOURCE:
    buf_printf(b, "```infra\n%s %s\n```\n", d->kind_name, d->name);
    if (d->schema)
      buf_printf(b, "%s (`%s`)\n\n", d->schema->doc, d->schema->cfn);
    hover_exposure(b, st->c, d);
    break;
  case D_PARAM: buf_printf(b, "```infra\nparam %s : %s\n```\n", d->name, d->type_name); break;
  case D_STACK: buf_printf(b, "```infra\nstack %s\n```\n", d->name); break;
  case D_FOR: break; /* expanded before it could be hovered */
  case D_OUTPUT: buf_printf(b, "```infra\noutput %s\n```\n", d->name); break;
  case D_CONDITION: case D_LET:
    buf_printf(b, "```infra\n%s %s\n```\n", d->kind_name, d->name);
    break;
  }
  Source *src = compile_source(st->c, d->name_span.file);
  buf_printf(b, "declared in %s, line %d", base_name(lsp_doc_of(st, d->name_span.file)->name),
             source_linecol(src, d->name_span.lo).line);
  for (const Origin *o = d->origin; o; o = o->parent) /* made by a loop: which, and when */
    buf_printf(b, "\n\nmade by `%.*s` (line %d), in %s", (int)(o->span.hi - o->span.lo),
               src->text + o->span.lo, source_linecol(src, o->span.lo).line, origin_desc(st->c, o));
}

static void hover_attr(Buf *b, Compilation *c, const Schema *s, const AttrDef *ad) {
  buf_printf(b, "**%s**: attribute of %s, %s%s\n\n%s", ad->name, s->name,
             kind_accept_desc(&c->arena, ad), ad->required ? ", required" : "", ad->doc);
  if (ad->def)
    buf_printf(b, "\n\ndefault: `%s`", ad->def);
}

/* "string", "integer or string", "list of object", with the allowed values. */
static void aws_shape_desc(Buf *b, const AwsShape *sh) {
  static const char *const names[] = {"string", "integer", "number", "boolean", "object", "list"};
  if (!sh || !sh->types) {
    buf_puts(b, "any value");
    return;
  }
  bool first = true;
  for (size_t i = 0; i < countof(names); i++)
    if (sh->types & (1u << i)) {
      buf_printf(b, "%s%s", first ? "" : " or ", names[i]);
      first = false;
    }
  if ((sh->types & AWS_T_ARRAY) && sh->items && sh->items->types) {
    buf_puts(b, " of ");
    aws_shape_desc(b, sh->items);
  }
  if (sh->values) {
    buf_puts(b, ", one of");
    for (int i = 0; sh->values[i]; i++)
      buf_printf(b, "%s `\"%s\"`", i ? "," : "", sh->values[i]);
  }
}

static void hover_prop(Buf *b, const AwsProp *p) {
  buf_printf(b, "**%s**: ", p->name);
  aws_shape_desc(b, p->shape);
  if (p->flags & AWS_P_REQUIRED)
    buf_puts(b, ", required");
  if (p->flags & AWS_P_CREATE_ONLY)
    buf_puts(b, ", changing it replaces the resource");
  if (p->flags & AWS_P_DEPRECATED)
    buf_puts(b, ", deprecated");
  if (p->doc)
    buf_printf(b, "\n\n%s", p->doc);
}

static void hover_aws_type(Buf *b, const Decl *d) {
  const AwsType *t = d->aws;
  if (!t)
    return;
  buf_printf(b, "**%s**%s", t->name, t->deprecated ? " (deprecated)" : "");
  if (t->doc)
    buf_printf(b, "\n\n%s", t->doc);
  if (t->nattrs) {
    buf_printf(b, "\n\nattributes (`%s.Attr`):", d->name);
    for (int i = 0; i < t->nattrs; i++)
      buf_printf(b, " `%s`%s", t->attrs[i].name, i + 1 < t->nattrs ? "," : "");
  }
}

static void hover_member(Buf *b, Compilation *c, const At *at) {
  const Schema *s = at->schema;
  const Member *m = at->member;
  if (at->prop) {
    hover_prop(b, at->prop);
    return;
  }
  if (!s || s->free_attrs)
    return;
  int ai = kind_attr_index(s, m->name);
  const StmtDef *sd = kind_stmt(s, m->name);
  if (ai >= 0) {
    hover_attr(b, c, s, &s->attrs[ai]);
  } else if (sd) {
    buf_printf(b, "**%s**: %s of %s\n\n`%s`", sd->name, sd->body ? "block" : "statement",
               s->name, sd->doc);
    if (sd->body && sd->body->doc)
      buf_printf(b, "\n\n%s", sd->body->doc);
  }
}

static void hover_kind(Buf *b, const Decl *d) {
  const Schema *s = d->schema;
  if (d->k == D_RESOURCE && s) {
    buf_printf(b, "**%s**: %s\n\nCloudFormation: `%s`", s->name, s->doc, s->cfn);
    if (s->nexports) {
      buf_puts(b, "\n\nexports:");
      for (int i = 0; i < s->nexports; i++)
        buf_printf(b, " `%s`%s", s->exports[i].name, i + 1 < s->nexports ? "," : "");
    }
  } else if (d->k == D_STACK) {
    buf_puts(b, "**stack**: the stack, one per program: its region and description");
  } else if (d->k == D_PARAM) {
    buf_puts(b, "**param**: a value given at build time (`--param NAME=VALUE`), or its default");
  } else if (d->k == D_OUTPUT) {
    buf_puts(b, "**output**: a value the stack reports once it is deployed");
  }
}

static void hover_cidr(Buf *b, Cidr x, const char *prefix) {
  char cb[19], fb[16], lb[16];
  uint64_t n = cidr_size(x);
  buf_printf(b, "%s%s: %s - %s, %llu address%s", prefix, cidr_format(x, cb),
             ip_format(cidr_first(x), fb), ip_format(cidr_last(x), lb), (unsigned long long)n,
             n == 1 ? "" : "es");
  if (cidr_has_host_bits(x)) {
    Cidr net = {cidr_network(x), x.prefix};
    buf_printf(b, "\n\nhost bits are set: the network address is %s", cidr_format(net, cb));
  }
}

static const char *stack_region(Compilation *c) {
  return c->prog.stack ? eval_string(decl_attr(c->prog.stack, "region")) : NULL;
}

static void hover_string(Buf *b, Compilation *c, const Expr *e) {
  const char *s = eval_string(e);
  if (!s)
    return;
  const Region *r = region_of_zone(s, strlen(s));
  const char *stack = stack_region(c);
  if (r) {
    buf_printf(b, "`%s`: an availability zone of region `%s`", s, r->name);
    if (stack && strcmp(stack, r->name))
      buf_printf(b, "\n\nnot in the stack's region `%s`", stack);
    return;
  }
  r = region_find(s, strlen(s));
  if (r) {
    buf_printf(b, "`%s`: a region; zones:", s);
    for (const char *const *z = r->zones; *z; z++)
      buf_printf(b, " `%s`%s", *z, z[1] ? "," : "");
  }
}

/* NAME.Attr of a `resource` (nested: NAME.Endpoint.Address), up to the
   field at the cursor. */
static void hover_aws_attr(Buf *b, const Decl *d, const Expr *e) {
  const Expr *chain[32];
  int n = 0;
  for (const Expr *y = e; y && y->k == EX_FIELD && n < 32; y = y->base)
    chain[n++] = y;
  Buf path = {0};
  for (int i = n - 1; i >= 0; i--)
    buf_printf(&path, "%s%s", i == n - 1 ? "" : ".", chain[i]->name);
  const AwsProp *p = path.s ? aws_type_attr(d->aws, path.s) : NULL;
  if (p) {
    buf_printf(b, "**%s.%s**: ", d->name, path.s);
    aws_shape_desc(b, p->shape);
    buf_printf(b, ", an attribute of %s (`Fn::GetAtt`)", d->aws->name);
    if (p->doc)
      buf_printf(b, "\n\n%s", p->doc);
  }
  buf_free(&path);
}

static void hover_field(Buf *b, Compilation *c, const Expr *e) {
  const Expr *root = e;
  while (root->base && root->base->k == EX_FIELD)
    root = root->base;
  const Decl *d = root->base ? root->base->ref : NULL;
  if (d && d->k == D_RESOURCE && !d->schema && d->aws) {
    hover_aws_attr(b, d, e);
    return;
  }
  d = e->base->ref;
  if (!d || d->k != D_RESOURCE || !d->schema)
    return;
  const ExportDef *ex = kind_export(d->schema, e->name);
  if (!ex)
    return;
  AttrDef ad = {.name = ex->name, .accept = ex->type};
  buf_printf(b, "**%s.%s**: %s, exported by %s %s\n\n%s", d->name, ex->name,
             kind_accept_desc(&c->arena, &ad), d->kind_name, d->name, ex->doc);
}

/* A name that refers to nothing: what the compiler said of it (E101). */
static void hover_undefined(Buf *b, Compilation *c, const Expr *e) {
  for (int i = 0; i < c->diags.n; i++) {
    const Diag *d = c->diags.v[i];
    if (strcmp(d->code, "E101") || d->span.file != origin_file(c, e->span.file) ||
        d->span.lo != e->span.lo)
      continue;
    buf_printf(b, "**%s**: undefined name: no declaration in the stack has this name", e->name);
    if (d->help)
      buf_printf(b, "\n\n%s", d->help);
    return;
  }
}

cJSON *lsp_hover(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off) {
  Compilation *c = st->c;
  At at = find_at(st, doc, off);
  if (substituted(&at))
    return lsp_hover_written(s, st, doc, off);
  Buf b = {0};
  Span range = {0};
  switch (at.k) {
  case AT_NONE: break;
  case AT_DECL:
    hover_decl(&b, st, at.decl);
    range = at.decl->name_span;
    break;
  case AT_KIND:
    hover_kind(&b, at.decl);
    range = at.decl->kind_span;
    break;
  case AT_TYPE:
    buf_printf(&b, "**%s**: a param type (string, int, bool, secret, cidr)", at.decl->type_name);
    range = at.decl->type_span;
    break;
  case AT_AWS_TYPE:
    hover_aws_type(&b, at.decl);
    range = at.decl->type_span;
    break;
  case AT_MEMBER:
    if (at.expr && at.expr->k == EX_PAIR) { /* a key of an object */
      if (at.prop)
        hover_prop(&b, at.prop);
      range = at.expr->name_span;
      break;
    }
    hover_member(&b, c, &at);
    range = at.member->name_span;
    break;
  case AT_FIELD:
    hover_field(&b, c, at.expr);
    range = at.expr->name_span;
    break;
  case AT_EXPR: {
    Expr *e = at.expr;
    range = e->span;
    Cidr x;
    if (e->ref && !e->base)
      hover_decl(&b, st, e->ref);
    else if ((e->k == EX_NAME || e->k == EX_ERROR) && e->name && !e->base)
      hover_undefined(&b, c, e); /* a name in error */
    else if (e->k == EX_CIDR)
      hover_cidr(&b, e->cidr, "");
    else if (e->k == EX_CALL && !strcmp(e->name, "cidr") && eval_cidr(e, &x))
      hover_cidr(&b, x, "= ");
    else if (e->k == EX_STR)
      hover_string(&b, c, e);
    break;
  }
  }
  if (!b.s) /* a loop's variable, a let in a loop's list, a module ... */
    return lsp_hover_written(s, st, doc, off);
  cJSON *h = cJSON_CreateObject(), *mc = cJSON_AddObjectToObject(h, "contents");
  cJSON_AddStringToObject(mc, "kind", "markdown");
  cJSON_AddStringToObject(mc, "value", b.s);
  cJSON_AddItemToObject(h, "range", lsp_range(c, range));
  buf_free(&b);
  return h;
}

/* ---- definition, references ---- */

/* In `module NAME "DIR" { input = ... }`: DIR goes to the module's first
   file, an input's name to its param. */
static cJSON *module_definition(LspStack *st, LspDoc *doc, uint32_t off) {
  ModuleInstance *in = modules_at(st->c, doc->file, off);
  if (!in)
    return NULL;
  ModuleDir *m = in->dir;
  Vec *any = m->params.n ? &m->params : m->decls.n ? &m->decls : &m->outputs;
  if (on(in->at->type_span, doc->file, off) && any->n)
    return lsp_location(st, (Span){((Decl *)any->v[0])->span.file, 0, 0});
  for (int i = 0; i < in->at->members.n; i++) {
    Member *mb = in->at->members.v[i];
    for (int p = 0; p < m->params.n; p++)
      if (on(mb->name_span, doc->file, off) && !strcmp(mb->name, ((Decl *)m->params.v[p])->name))
        return lsp_location(st, ((Decl *)m->params.v[p])->name_span);
    if (mb->value && on(mb->value->span, doc->file, off)) { /* vpc = main: main */
      At at = {0};
      find_expr(mb->value, NULL, doc->file, off, &at);
      Decl *d = target_of(&at);
      return d ? lsp_location(st, d->name_span) : NULL;
    }
  }
  return NULL;
}

cJSON *lsp_definition(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off) {
  At at = find_at(st, doc, off);
  Decl *d = target_of(&at);
  if (d && !substituted(&at))
    return lsp_location(st, d->name_span);
  cJSON *loc = module_definition(st, doc, off);
  return loc ? loc : lsp_definition_written(s, doc, off);
}

/* A reference in a loop's body is one per iteration: where it is written,
   once (the first time the place is seen). */
static bool repeated(Compilation *c, StrMap *seen, Span sp) {
  if (sp.file < ORIGIN_VIEW_BASE)
    return false;
  char key[32];
  snprintf(key, sizeof key, "%d:%u", origin_file(c, sp.file), sp.lo);
  if (strmap_get(seen, key))
    return true;
  strmap_put(seen, key, (void *)1);
  return false;
}

cJSON *lsp_references(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off, bool with_decl) {
  At at = find_at(st, doc, off);
  Decl *d = target_of(&at);
  /* on the program as written: a loop's list ([a, b]) is read while expanding */
  cJSON *written = lsp_references_written(s, st, doc, off, with_decl);
  if (written || !d || substituted(&at))
    return written;
  cJSON *list = cJSON_CreateArray();
  if (with_decl)
    cJSON_AddItemToArray(list, lsp_location(st, d->name_span));
  Refs r = find_refs(st->c, d);
  StrMap seen = {0};
  for (int i = 0; i < r.n; i++)
    if (!repeated(st->c, &seen, r.spans[i]))
      cJSON_AddItemToArray(list, lsp_location(st, r.spans[i]));
  strmap_free(&seen);
  return list;
}

/* ---- rename ---- */

/* A resource, by its name (not by an attribute of it: the cursor on
   `address` of `db.address` does not rename db). The names that loops and
   modules consume are renamed on the program as written (lsp_rename.c). */
static bool renamable(const At *at, const Decl *d) {
  if (substituted(at))
    return false;
  return d && d->k == D_RESOURCE &&
         (at->k == AT_DECL || (at->k == AT_EXPR && at->expr->k == EX_NAME));
}

cJSON *lsp_prepare_rename(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off) {
  At at = find_at(st, doc, off);
  Decl *d = target_of(&at);
  if (renamable(&at, d) && d->origin) /* made by a loop: its name is the body's */
    return NULL;
  return lsp_prepare_rename_written(s, doc, off);
}

cJSON *lsp_rename(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off, const char *name) {
  At at = find_at(st, doc, off);
  Decl *d = target_of(&at);
  if (renamable(&at, d) && d->origin) { /* its name is written once for every iteration */
    lsp_fail(s, LSP_REQUEST_FAILED, "%s is made by a loop: rename it in the loop's body", d->name);
    return NULL;
  }
  return lsp_rename_written(s, st, doc, off, name,
                            "no name here to rename: a resource, param, let, condition, loop "
                            "variable, module or output");
}

/* ---- documentSymbol ---- */

enum { SK_MODULE = 2, SK_CLASS = 5, SK_PROPERTY = 7, SK_FIELD = 8, SK_VARIABLE = 13,
       SK_CONSTANT = 14, SK_STRUCT = 23 };

/* The source text of sp on one line, blanks squeezed, at most 80 bytes. */
static char *span_text(Compilation *c, Span sp) {
  Source *src = compile_source(c, sp.file);
  Buf b = {0};
  bool blank = false;
  for (uint32_t p = sp.lo; p < sp.hi && p < src->len; p++) {
    unsigned char ch = (unsigned char)src->text[p];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      blank = b.len > 0;
      continue;
    }
    if (b.len >= 80 && (ch & 0xC0) != 0x80) {
      buf_puts(&b, "...");
      break;
    }
    if (blank)
      buf_add(&b, " ", 1);
    blank = false;
    buf_add(&b, (const char *)&ch, 1);
  }
  char *s = arena_strndup(&c->arena, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

static cJSON *symbol(Compilation *c, const char *name, const char *detail, int kind, Span range,
                     Span sel) {
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "name", *name ? name : "?");
  if (detail)
    cJSON_AddStringToObject(j, "detail", detail);
  cJSON_AddNumberToObject(j, "kind", kind);
  cJSON_AddItemToObject(j, "range", lsp_range(c, range));
  cJSON_AddItemToObject(j, "selectionRange", lsp_range(c, sel));
  return j;
}

static cJSON *member_symbols(Compilation *c, Vec *members) {
  cJSON *list = cJSON_CreateArray();
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    cJSON *sym;
    if (m->k == M_ATTR) {
      sym = symbol(c, m->name, m->value ? span_text(c, m->value->span) : NULL, SK_FIELD, m->span,
                   m->name_span);
    } else if (m->has_body) {
      Span head = m->name_span;
      if (m->words.n)
        head.hi = ((Expr *)m->words.v[m->words.n - 1])->span.hi;
      sym = symbol(c, span_text(c, head), NULL, SK_STRUCT, m->span, m->name_span);
      cJSON_AddItemToObject(sym, "children", member_symbols(c, &m->body));
    } else {
      sym = symbol(c, span_text(c, m->span), NULL, SK_PROPERTY, m->span, m->name_span);
    }
    cJSON_AddItemToArray(list, sym);
  }
  return list;
}

cJSON *lsp_symbols(Lsp *s, LspStack *st, LspDoc *doc) {
  (void)s;
  Compilation *c = st->c;
  cJSON *list = cJSON_CreateArray();
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    if (d->span.file != doc->file)
      continue;
    cJSON *sym;
    switch (d->k) {
    case D_STACK: sym = symbol(c, d->name, "stack", SK_MODULE, d->span, d->name_span); break;
    case D_PARAM:
      sym = symbol(c, d->name, arena_printf(&c->arena, "param : %s", d->type_name), SK_VARIABLE,
                   d->span, d->name_span);
      break;
    case D_OUTPUT: sym = symbol(c, d->name, "output", SK_CONSTANT, d->span, d->name_span); break;
    default: sym = symbol(c, d->name, d->kind_name, SK_CLASS, d->span, d->name_span); break;
    }
    if (d->members.n)
      cJSON_AddItemToObject(sym, "children", member_symbols(c, &d->members));
    cJSON_AddItemToArray(list, sym);
  }
  return list;
}

/* ---- codeAction: the fixes that diagnostics carry ---- */

cJSON *lsp_code_actions(Lsp *s, LspStack *st, LspDoc *doc, uint32_t lo, uint32_t hi) {
  Compilation *c = st->c;
  cJSON *list = cJSON_CreateArray();
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    if (!d->has_fix || d->span.file != doc->file || d->span.lo > hi || d->span.hi < lo)
      continue;
    cJSON *a = cJSON_CreateObject();
    char *old = span_text(c, d->fix_span);
    cJSON_AddStringToObject(a, "title",
                            arena_printf(&c->arena, "Replace '%s' with '%s'", old, d->fix));
    cJSON_AddStringToObject(a, "kind", "quickfix");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(a, "diagnostics"), lsp_diagnostic(s, st, d));
    cJSON_AddTrueToObject(a, "isPreferred");
    cJSON *changes = cJSON_AddObjectToObject(cJSON_AddObjectToObject(a, "edit"), "changes");
    lsp_add_change(st, changes, d->fix_span, d->fix);
    cJSON_AddItemToArray(list, a);
  }
  return list;
}
