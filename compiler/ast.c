/* ast.c: constructors for the parser's actions, and descriptions of nodes. */
#include "infrac.h"

Expr *ast_expr(Arena *a, ExprKind k, Span sp) {
  Expr *e = arena_alloc(a, sizeof *e);
  e->k = k;
  e->span = sp;
  return e;
}

Expr *ast_name(Arena *a, Span sp, const char *name) {
  Expr *e = ast_expr(a, EX_NAME, sp);
  e->name = name;
  e->name_span = sp;
  return e;
}

Expr *ast_field(Arena *a, Span sp, Expr *base, const char *name, Span name_span) {
  Expr *e = ast_expr(a, EX_FIELD, sp);
  e->base = base;
  e->name = name;
  e->name_span = name_span;
  return e;
}

Expr *ast_call(Arena *a, Span sp, const char *name, Span name_span, Vec args) {
  Expr *e = ast_expr(a, EX_CALL, sp);
  e->name = name;
  e->name_span = name_span;
  e->items = args;
  return e;
}

Expr *ast_list(Arena *a, Span sp, Vec items) {
  Expr *e = ast_expr(a, EX_LIST, sp);
  e->items = items;
  return e;
}

/* The parts are items too, so that the parser's depth limit sees them. */
Expr *ast_for(Arena *a, Span sp, Loop *l, Expr *item, Expr *cond) {
  Expr *e = ast_expr(a, EX_FOR, sp);
  e->loop = l;
  l->item = item;
  l->cond = cond;
  vec_push(a, &e->items, l->list);
  vec_push(a, &e->items, item);
  if (cond)
    vec_push(a, &e->items, cond);
  return e;
}

Expr *ast_object(Arena *a, Span sp, Vec pairs) {
  Expr *e = ast_expr(a, EX_OBJECT, sp);
  e->items = pairs;
  return e;
}

Expr *ast_pair(Arena *a, Span sp, const char *key, Span key_span, Expr *value) {
  Expr *e = ast_expr(a, EX_PAIR, sp);
  e->name = key;
  e->name_span = key_span;
  e->base = value;
  return e;
}

Member *ast_attr(Arena *a, Span sp, const char *name, Span name_span, Expr *value) {
  Member *m = arena_alloc(a, sizeof *m);
  m->k = M_ATTR;
  m->span = sp;
  m->name = name;
  m->name_span = name_span;
  m->value = value;
  return m;
}

/* The span of a statement runs from its name to its last word or its
   closing brace (not the SEP after it). */
Member *ast_stmt(Arena *a, Span name_span, Span last, const char *name, Vec words, Vec *body,
                 Span body_span) {
  Member *m = arena_alloc(a, sizeof *m);
  m->k = M_STMT;
  m->name = name;
  m->name_span = name_span;
  m->words = words;
  if (body) {
    m->has_body = true;
    m->body = *body;
    m->open = (Span){body_span.file, body_span.lo, body_span.lo + 1};
  }
  Span end = words.n && !body ? ((Expr *)words.v[words.n - 1])->span : last;
  m->span = (Span){name_span.file, name_span.lo, end.hi};
  return m;
}

Decl *ast_decl(Arena *a, DeclKind k, Span sp, const char *kind_name, Span kind_span,
               const char *name, Span name_span) {
  Decl *d = arena_alloc(a, sizeof *d);
  d->k = k;
  d->span = sp;
  d->kind_name = kind_name;
  d->kind_span = kind_span;
  d->name = name;
  d->name_span = name_span;
  return d;
}

/* resource NAME "AWS::S3::Bucket": the type is a string without ${}. */
void ast_aws_type(Decl *d, Expr *type) {
  const char *s = eval_string(type);
  d->type_name = s ? s : "";
  d->type_span = type->span;
}

void ast_param_type(Decl *d, const char *type, Span type_span, Expr *def) {
  d->type_name = type;
  d->type_span = type_span;
  d->value = def;
}

Expr *ast_op(Arena *a, Span sp, ExprKind k, const char *op, Expr *x, Expr *y, Expr *z) {
  Expr *e = ast_expr(a, k, sp);
  e->name = op;
  vec_push(a, &e->items, x);
  if (y)
    vec_push(a, &e->items, y);
  if (z)
    vec_push(a, &e->items, z);
  return e;
}

void ast_if(Decl *d, Span word_span, Expr *cond) {
  d->if_span = word_span;
  d->cond = cond;
}

const char *ast_expr_desc(const Expr *e) {
  switch (e->k) {
  case EX_ERROR: return "an invalid value";
  case EX_INT: return "an integer";
  case EX_STR: return "a string";
  case EX_BOOL: return "a boolean";
  case EX_CIDR: return "a CIDR block";
  case EX_IP: return "an IPv4 address";
  case EX_SIZE: return "a size";
  case EX_DURATION: return "a duration";
  case EX_PORTS: return "a port range";
  case EX_NAME: return "a name";
  case EX_FIELD: return "an attribute reference";
  case EX_CALL: return "a function call";
  case EX_LIST: case EX_FOR: return "a list";
  case EX_OBJECT: return "an object";
  case EX_NOT: case EX_BINARY: return "a test";
  case EX_COND: return "a choice (c ? a : b)";
  case EX_INDEX: return "an indexed constant";
  case EX_PAIR: return "an object's member";
  case EX_ARROW: return "'->'";
  case EX_COMMA: return "','";
  }
  return "a value";
}
