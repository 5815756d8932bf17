/* parser.y: tokens to the AST (bison). Actions are one constructor call;
   every check lives in resolve.c and check.c. Conflicts are fixed in the
   grammar, never by raising %expect. */
%require "3.8"
%define api.pure full
%locations
%define api.location.type {Span}
%define parse.error custom
%define parse.lac full
%param {Parser *p}
%expect 0

%code requires {
#include "infrac.h"
typedef struct Parser Parser;
}

%code provides {
struct Parser {
  Compilation *c;
  Arena *a;
  Lexer lx;
  const char *text; /* the whole file: spans are offsets into it */
  Program *prog;
  Expr *expr;       /* the result of an expression sub-parse */
  Vec values;       /* the members of a --params file (START_VALUES) */
  int prev;         /* the kind of the last token read: the lookahead at an error */
  int before;       /* the kind of the token before it */
  bool stray_close; /* the last token read is a '}' that closes no '{' */
  uint32_t bracket; /* offset of the last '[' read */
  Span before_span; /* the span of the token before the last */
  Span older_span;  /* and of the one before that */
  Span prev_span;
  Span last_real;   /* the last token that is neither SEP nor the end */
  int seen_diags;   /* diagnostics before this one add_decl has looked at */
};
}

%code {
#include <string.h>
static int yylex(YYSTYPE *lval, Span *lloc, Parser *p);
static void yyerror(Span *loc, Parser *p, const char *msg);
static const char *tok_text(Parser *p, Span sp);
static const char *type_text(Parser *p, Span sp);
static Expr *lit(Parser *p, ExprKind k, Token t);
static Expr *str(Parser *p, Token t);
static Member *key_attr(Parser *p, Span sp, Token key, Expr *value);
static Expr *deep(Parser *p, Expr *e);
static Expr *arith(Parser *p, Span sp, const char *op, Expr *a, Expr *b);
static const char *str_key(Parser *p, Token t);
static void add_decl(Parser *p, Decl *d);
static void mark_lost(Parser *p, Decl *d);
static Expr *name(Parser *p, Token t);
static Loop *loop_head(Parser *p, Span sp, Token var, Token *index, Expr *list);
static void lost(Parser *p, Span from, Span to);

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                          \
  do {                                                                       \
    if (N) {                                                                 \
      (Cur).file = YYRHSLOC(Rhs, 1).file;                                    \
      (Cur).lo = YYRHSLOC(Rhs, 1).lo;                                        \
      (Cur).hi = YYRHSLOC(Rhs, N).hi;                                        \
    } else {                                                                 \
      (Cur).file = YYRHSLOC(Rhs, 0).file;                                    \
      (Cur).lo = (Cur).hi = YYRHSLOC(Rhs, 0).hi;                             \
    }                                                                        \
  } while (0)
}

%union {
  Token tok;
  Expr *expr;
  Member *member;
  Decl *decl;
  Vec vec;
  Loop *loop;
}

%token <tok> IDENT INT STRING CIDR IP SIZE DURATION PORTS TRUE FALSE STACK PARAM OUTPUT ARROW SEP
%token <tok> EQ NE AND OR IF FOR IN
%token START_FILE START_EXPR START_VALUES

%type <expr> expr word obj_item field_word comma_word
%type <vec> members body words items item_list obj_items
%type <member> member
%type <decl> decl param_head
%type <vec> loop_decls
%type <loop> loop_head
%type <tok> param_type

/* c ? a : b binds loosest; then || && == != and the prefix '!' */
%right '?' ':'
%left OR
%left AND
%left EQ NE
%left '+' '-'
%left '*' '/' '%'
%precedence '!'
%precedence '.' '['

%%

start:
  START_FILE decls
| START_EXPR expr SEP { p->expr = $2; }
| START_VALUES members { p->values = $2; } /* a --params file: name = value lines */
;

decls:
  %empty
| decls decl { add_decl(p, $2); }
| decls SEP
| decls error SEP { lost(p, @2, @3); }
| decls error '}' { lost(p, @2, @3); }
;

/* decl -> stack NAME body | param NAME ':' TYPE ['=' expr] | output NAME '=' expr | KIND NAME body */
decl:
  STACK IDENT body {
    $$ = ast_decl(p->a, D_STACK, @$, "stack", @1, tok_text(p, @2), @2);
    $$->members = $3;
  }
| param_head
| param_head '=' expr { $$ = $1; $$->value = $3; $$->span.hi = @$.hi; }
| param_head body { $$ = $1; $$->members = $2; $$->span.hi = @$.hi; } /* { logical_id = "pEdition" } */
| param_head '=' expr body { $$ = $1; $$->value = $3; $$->members = $4; $$->span.hi = @$.hi; }
| OUTPUT IDENT '=' expr {
    $$ = ast_decl(p->a, D_OUTPUT, @$, "output", @1, tok_text(p, @2), @2);
    $$->value = $4;
  }
| OUTPUT IDENT IF IDENT '=' expr {
    $$ = ast_decl(p->a, D_OUTPUT, @$, "output", @1, tok_text(p, @2), @2);
    ast_if($$, @3, ast_name(p->a, @4, tok_text(p, @4)));
    $$->value = $6;
  }
| OUTPUT IDENT body {
    $$ = ast_decl(p->a, D_OUTPUT, @$, "output", @1, tok_text(p, @2), @2);
    $$->members = $3;
  }
| OUTPUT IDENT IF IDENT body {
    $$ = ast_decl(p->a, D_OUTPUT, @$, "output", @1, tok_text(p, @2), @2);
    ast_if($$, @3, ast_name(p->a, @4, tok_text(p, @4)));
    $$->members = $5;
  }
| IDENT IDENT '=' expr {
    $$ = ast_decl(p->a, D_LET, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    $$->value = $4;
  }
| IDENT IDENT '=' expr body { /* let or condition with { logical_id = "..." } */
    $$ = ast_decl(p->a, D_LET, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    $$->value = $4;
    $$->members = $5;
  }
| IDENT IDENT IF IDENT body {
    $$ = ast_decl(p->a, D_RESOURCE, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    ast_if($$, @3, ast_name(p->a, @4, tok_text(p, @4)));
    $$->members = $5;
  }
| IDENT IDENT IF IDENT STRING body {
    $$ = ast_decl(p->a, D_RESOURCE, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    ast_if($$, @3, ast_name(p->a, @4, tok_text(p, @4)));
    ast_aws_type($$, str(p, $5));
    $$->members = $6;
  }
| IDENT IDENT STRING IF IDENT body { /* the type before `if`: fmt puts `if` after the name */
    $$ = ast_decl(p->a, D_RESOURCE, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    ast_aws_type($$, str(p, $3));
    ast_if($$, @4, ast_name(p->a, @5, tok_text(p, @5)));
    $$->members = $6;
  }
| IDENT IDENT body {
    $$ = ast_decl(p->a, D_RESOURCE, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    $$->members = $3;
  }
| IDENT IDENT STRING body {
    $$ = ast_decl(p->a, D_RESOURCE, @$, tok_text(p, @1), @1, tok_text(p, @2), @2);
    ast_aws_type($$, str(p, $3));
    $$->members = $4;
  }
| loop_head '{' loop_decls '}' {
    $$ = ast_decl(p->a, D_FOR, @$, "for", @1, "for", @1);
    $$->loop = $1;
    $1->body = $3;
  }
| loop_head '{' loop_decls error '}' {
    $$ = ast_decl(p->a, D_FOR, @$, "for", @1, "for", @1);
    $$->loop = $1;
    $1->body = $3;
    lost(p, @4, @5);
  }
;

/* param NAME : TYPE, or : "AWS::EC2::KeyPair::KeyName" (a CloudFormation parameter type) */
param_head:
  PARAM IDENT ':' param_type {
    $$ = ast_decl(p->a, D_PARAM, @$, "param", @1, tok_text(p, @2), @2);
    ast_param_type($$, type_text(p, @4), @4, NULL);
  }
| PARAM IDENT ':' STRING {
    $$ = ast_decl(p->a, D_PARAM, @$, "param", @1, tok_text(p, @2), @2);
    ast_aws_type($$, str(p, $4));
  }
;

body:
  '{' members '}'       { $$ = $2; }
| '{' members error '}' { $$ = $2; }
;

members:
  %empty            { $$ = (Vec){0}; }
| members member    { $$ = $1; vec_push(p->a, &$$, $2); }
| members SEP       { $$ = $1; }
| members error SEP { $$ = $1; }
;

/* member -> NAME '=' expr | NAME word {word} (SEP | body) | NAME body */
member:
  IDENT '=' expr   { $$ = ast_attr(p->a, @$, tok_text(p, @1), @1, $3); }
| STRING '=' expr  { $$ = key_attr(p, @$, $1, $3); }
| IDENT words SEP  { $$ = ast_stmt(p->a, @1, @2, tok_text(p, @1), $2, NULL, @2); }
| IDENT words body { $$ = ast_stmt(p->a, @1, @3, tok_text(p, @1), $2, &$3, @3); }
| IDENT body       { $$ = ast_stmt(p->a, @1, @2, tok_text(p, @1), (Vec){0}, &$2, @2); }
;

words:
  word       { $$ = (Vec){0}; vec_push(p->a, &$$, $1); }
| words word { $$ = $1; vec_push(p->a, &$$, $2); }
;

word:
  IDENT    { $$ = name(p, $1); }
| INT      { $$ = lit(p, EX_INT, $1); }
| STRING   { $$ = str(p, $1); }
| CIDR     { $$ = lit(p, EX_CIDR, $1); }
| IP       { $$ = lit(p, EX_IP, $1); }
| SIZE     { $$ = lit(p, EX_SIZE, $1); }
| DURATION { $$ = lit(p, EX_DURATION, $1); }
| PORTS    { $$ = lit(p, EX_PORTS, $1); }
| TRUE     { $$ = lit(p, EX_BOOL, $1); }
| FALSE    { $$ = lit(p, EX_BOOL, $1); }
| ARROW    { $$ = ast_expr(p->a, EX_ARROW, @1); }
| comma_word
| field_word
;

/* expr -> literal | NAME | expr '.' NAME | NAME '(' [expr {',' expr}] ')' | '[' ... ']' */
expr:
  INT                   { $$ = lit(p, EX_INT, $1); }
| STRING                { $$ = str(p, $1); }
| CIDR                  { $$ = lit(p, EX_CIDR, $1); }
| IP                    { $$ = lit(p, EX_IP, $1); }
| SIZE                  { $$ = lit(p, EX_SIZE, $1); }
| DURATION              { $$ = lit(p, EX_DURATION, $1); }
| PORTS                 { $$ = lit(p, EX_PORTS, $1); }
| TRUE                  { $$ = lit(p, EX_BOOL, $1); }
| FALSE                 { $$ = lit(p, EX_BOOL, $1); }
| IDENT                 { $$ = name(p, $1); }
| expr '.' IDENT        { $$ = deep(p, ast_field(p->a, @$, $1, tok_text(p, @3), @3)); }
| STACK '.' IDENT       { $$ = ast_field(p->a, @$, ast_name(p->a, @1, "stack"), tok_text(p, @3), @3); }
| IDENT '(' items ')'   { $$ = deep(p, ast_call(p->a, @$, tok_text(p, @1), @1, $3)); }
| '[' items ']'         { $$ = deep(p, ast_list(p->a, @$, $2)); }
| '[' loop_head ':' expr ']' { $$ = deep(p, ast_for(p->a, @$, $2, $4, NULL)); }
| '[' loop_head ':' expr IF expr ']' { $$ = deep(p, ast_for(p->a, @$, $2, $4, $6)); }
| '{' obj_items '}'     { $$ = deep(p, ast_object(p->a, @$, $2)); }
| '(' expr ')'          { $$ = $2; }
| '!' expr              { $$ = deep(p, ast_op(p->a, @$, EX_NOT, "!", $2, NULL, NULL)); }
| expr EQ expr          { $$ = deep(p, ast_op(p->a, @$, EX_BINARY, "==", $1, $3, NULL)); }
| expr NE expr          { $$ = deep(p, ast_op(p->a, @$, EX_BINARY, "!=", $1, $3, NULL)); }
| expr AND expr         { $$ = deep(p, ast_op(p->a, @$, EX_BINARY, "&&", $1, $3, NULL)); }
| expr OR expr          { $$ = deep(p, ast_op(p->a, @$, EX_BINARY, "||", $1, $3, NULL)); }
| expr '+' expr          { $$ = arith(p, @$, "+", $1, $3); }
| expr '-' expr          { $$ = arith(p, @$, "-", $1, $3); }
| expr '*' expr          { $$ = arith(p, @$, "*", $1, $3); }
| expr '/' expr          { $$ = arith(p, @$, "/", $1, $3); }
| expr '%' expr          { $$ = arith(p, @$, "%", $1, $3); }
| expr '?' expr ':' expr { $$ = deep(p, ast_op(p->a, @$, EX_COND, "?", $1, $3, $5)); }
| expr '[' expr ']'     { $$ = deep(p, ast_op(p->a, @$, EX_INDEX, "[]", $1, $3, NULL)); }
;

/* { Key = value, "aws:Key" = value }: commas or newlines between members */
obj_items:
  %empty             { $$ = (Vec){0}; }
| obj_items obj_item { $$ = $1; vec_push(p->a, &$$, $2); }
| obj_items SEP      { $$ = $1; }
| obj_items ','      { $$ = $1; }
;

obj_item:
  IDENT '=' expr  { $$ = deep(p, ast_pair(p->a, @$, tok_text(p, @1), @1, $3)); }
| STRING '=' expr { $$ = deep(p, ast_pair(p->a, @$, str_key(p, $1), @1, $3)); }
;

items:
  %empty        { $$ = (Vec){0}; }
| item_list     { $$ = $1; }
| item_list ',' { $$ = $1; }
;

item_list:
  expr               { $$ = (Vec){0}; vec_push(p->a, &$$, $1); }
| item_list ',' expr { $$ = $1; vec_push(p->a, &$$, $3); }
;

/* Defined last, so that ',' and '.' keep their places in the token
   table, and so in the lists of expected tokens. */
/* allow "s3:GetObject", "s3:PutObject" on ...: the comma among the words */
comma_word:
  ',' { $$ = ast_expr(p->a, EX_COMMA, @1); }
;

/* allow "s3:GetObject" on site.arn: a reference's attribute among the words */
field_word:
  IDENT '.' IDENT      { $$ = ast_field(p->a, @$, name(p, $1), tok_text(p, @3), @3); }
| field_word '.' IDENT { $$ = deep(p, ast_field(p->a, @$, $1, tok_text(p, @3), @3)); }
;

/* for NAME[, INDEX] in LIST { decl... } */
loop_head:
  FOR IDENT IN expr            { $$ = loop_head(p, @$, $2, NULL, $4); }
| FOR IDENT ',' IDENT IN expr  { $$ = loop_head(p, @$, $2, &$4, $6); }
;

loop_decls:
  %empty                { $$ = (Vec){0}; }
| loop_decls decl       { $$ = $1; mark_lost(p, $2); vec_push(p->a, &$$, $2); }
| loop_decls SEP        { $$ = $1; }
| loop_decls error SEP  { $$ = $1; lost(p, @2, @3); }

/* a module's input may be typed by a kind, or a list of one: [subnet]
   (last too: ']' keeps its place in the token table) */
param_type:
  IDENT
| '[' IDENT ']' { $$ = $2; }
;

%%

static int yylex(YYSTYPE *lval, Span *lloc, Parser *p) {
  Token t;
  lex_next(&p->lx, &t);
  lval->tok = t;
  *lloc = t.span;
  p->before = p->prev;
  p->prev = t.kind;
  p->older_span = p->before_span;
  p->before_span = p->prev_span;
  p->prev_span = t.span;
  if (t.kind == '[')
    p->bracket = t.span.lo;
  if (t.kind != SEP && t.kind != YYEOF)
    p->last_real = t.span;
  p->stray_close = t.kind == '}' && t.bad;
  return t.kind;
}

static void yyerror(Span *loc, Parser *p, const char *msg) {
  diag_error(p->c, "E002", *loc, "%s", msg);
}

/* Records text skipped by recovery: a name declared there is not undefined,
   only unread (resolve stays silent about it). */
static void lost(Parser *p, Span from, Span to) {
  Span *sp = arena_alloc(p->a, sizeof *sp);
  *sp = (Span){from.file, from.lo, to.hi > from.lo ? to.hi : from.lo};
  vec_push(p->a, &p->c->lost, sp);
}

static const char *tok_text(Parser *p, Span sp) {
  return arena_strndup(p->a, p->text + sp.lo, sp.hi - sp.lo);
}

/* A syntax error inside it (reported before its '}' is read) lost part of
   it: what it seems to lack is unknown, not missing (check.c). */
static void mark_lost(Parser *p, Decl *d) {
  for (; p->seen_diags < p->c->diags.n; p->seen_diags++) {
    Diag *e = p->c->diags.v[p->seen_diags];
    if (e->span.file == d->span.file && e->span.lo >= d->span.lo && e->span.lo < d->span.hi &&
        (!strcmp(e->code, "E001") || !strcmp(e->code, "E002")))
      d->lost = true;
  }
  if (strchr(d->name, '$') && !d->lost)
    d->name_parts = name(p, (Token){.span = d->name_span, .interp = true})->parts;
}

/* A param's type as written, without the blanks `[ subnet ]` may hold. */
static const char *type_text(Parser *p, Span sp) {
  char *s = (char *)tok_text(p, sp), *o = s;
  for (const char *q = s; *q; q++)
    if (!strchr(" \t\r\n", *q))
      *o++ = *q;
  *o = 0;
  return s;
}

static void add_decl(Parser *p, Decl *d) {
  if (p->prog->decls.n >= LIMIT_DECLS) {
    if (!p->c->decls_dropped++)
      diag_error(p->c, "E004", d->span,
                 "more than %d declarations: the limit; the rest are not checked", LIMIT_DECLS);
    return;
  }
  mark_lost(p, d);
  d->index = p->prog->decls.n;
  vec_push(p->a, &p->prog->decls, d);
}

/* A name, and the parts of one that interpolates (`public_${z}`): text and
   expressions as in a string, expanded by expand.c. */
static Expr *name(Parser *p, Token t) {
  Expr *e = ast_name(p->a, t.span, tok_text(p, t.span));
  if (t.bad)
    e->k = EX_ERROR; /* an interpolation left open (E001) */
  if (!t.interp)
    return e;
  p->c->prog.loops = true;
  StrPart **tail = &e->parts;
  for (uint32_t i = t.span.lo; i < t.span.hi;) {
    StrPart *sp = arena_alloc(p->a, sizeof *sp);
    *tail = sp, tail = &sp->next;
    if (p->text[i] == '$') { /* the lexer matched the '}' */
      uint32_t hi = i + 2;
      while (p->text[hi] != '}')
        hi++;
      if (strspn(p->text + i + 2, " \t") >= hi - i - 2)
        diag_error(p->c, "E002", (Span){t.span.file, i, hi + 1}, "empty interpolation '${}'");
      else
        sp->expr = parse_expr_at(p->c, t.span.file, i + 2, hi);
      if (!sp->expr)
        e->k = EX_ERROR;
      i = hi + 1;
      continue;
    }
    uint32_t j = i;
    while (j < t.span.hi && p->text[j] != '$')
      j++;
    sp->text = arena_strndup(p->a, p->text + i, j - i);
    i = j;
  }
  return e;
}

static Loop *loop_head(Parser *p, Span sp, Token var, Token *index, Expr *list) {
  Loop *l = arena_alloc(p->a, sizeof *l);
  l->span = sp;
  l->var = tok_text(p, var.span);
  l->var_span = var.span;
  if (index) {
    l->index = tok_text(p, index->span);
    l->index_span = index->span;
  }
  l->list = list;
  p->c->prog.loops = true;
  return l;
}

static Expr *lit(Parser *p, ExprKind k, Token t) {
  if (t.bad)
    return ast_expr(p->a, EX_ERROR, t.span);
  Expr *e = ast_expr(p->a, k, t.span);
  e->i = t.i;
  e->hi = t.hi;
  e->cidr = t.cidr;
  return e;
}

/* Every pass walks expressions by recursion: one nested deeper than
   LIMIT_DEPTH (a.b.c..., lists in lists) is E004, once, and an error. */
/* a OP b on integers: computed by expand_loops.c, which must run (an output
   or an attribute of `1 + 2` in a stack without a loop). */
static Expr *arith(Parser *p, Span sp, const char *op, Expr *a, Expr *b) {
  p->c->prog.loops = true;
  return deep(p, ast_op(p->a, sp, EX_BINARY, op, a, b, NULL));
}

static Expr *deep(Parser *p, Expr *e) {
  int d = e->base ? e->base->depth : 0;
  for (int i = 0; i < e->items.n; i++)
    if (((Expr *)e->items.v[i])->depth > d)
      d = ((Expr *)e->items.v[i])->depth;
  for (StrPart *s = e->parts; s; s = s->next)
    if (s->expr && s->expr->depth > d)
      d = s->expr->depth;
  e->depth = d + 1;
  if (e->depth <= LIMIT_DEPTH)
    return e;
  if (e->depth == LIMIT_DEPTH + 1) /* deeper ones are around this one: said once */
    diag_error(p->c, "E004", e->span, "expression nested deeper than %d levels: the limit",
               LIMIT_DEPTH);
  e->k = EX_ERROR;
  e->base = NULL;
  e->items = (Vec){0};
  e->parts = NULL;
  return e;
}

/* An object's key written as a string: its text, without interpolation. */
static const char *str_key(Parser *p, Token t) {
  Expr *e = str(p, t);
  const char *s = eval_string(e);
  if (!s && e->k != EX_ERROR)
    diag_error(p->c, "E002", t.span, "an object's key is a plain string, without '${...}'");
  return s ? s : "";
}

/* parameters { "rds.force_ssl" = 1 }: a name that is no identifier, quoted.
   Its text is the name; resolve reports it where only identifiers fit. */
static Member *key_attr(Parser *p, Span sp, Token key, Expr *value) {
  Expr *k = str(p, key);
  const char *name = k->k == EX_STR && k->parts && !k->parts->next && k->parts->text
                         ? k->parts->text
                         : tok_text(p, key.span);
  return ast_attr(p->a, sp, name, key.span, value);
}

/* Decodes a string token into text parts and ${...} expressions. */
static Expr *str(Parser *p, Token t) {
  if (t.bad)
    return ast_expr(p->a, EX_ERROR, t.span);
  Expr *e = ast_expr(p->a, EX_STR, t.span);
  /* Most strings hold no escape and no ${}: one part, copied whole. */
  const char *body = p->text + t.span.lo + 1;
  size_t len = t.span.hi - t.span.lo - 2;
  if (!memchr(body, '\\', len) && !memchr(body, '$', len)) {
    e->parts = arena_alloc(p->a, sizeof *e->parts);
    e->parts->text = arena_strndup(p->a, body, len);
    return e;
  }
  StrPart **tail = &e->parts;
  Buf text = {0};
  uint32_t i = t.span.lo + 1, end = t.span.hi - 1;
  bool bad = false;
  while (i <= end) {
    char ch = i < end ? p->text[i] : 0;
    bool interp = i < end && ch == '$' && p->text[i + 1] == '{';
    if (i == end || interp) {
      if (text.len || (i == end && !e->parts)) {
        StrPart *sp = arena_alloc(p->a, sizeof *sp);
        sp->text = arena_strndup(p->a, text.s ? text.s : "", text.len);
        *tail = sp, tail = &sp->next;
        text.len = 0;
      }
      if (i == end)
        break;
      uint32_t lo = i + 2, hi = lo;
      while (p->text[hi] != '}')
        hi++;
      Expr *x = NULL;
      if (hi == lo || strspn(p->text + lo, " \t") == hi - lo)
        diag_error(p->c, "E002", (Span){t.span.file, i, hi + 1}, "empty interpolation '${}'");
      else
        x = parse_expr_at(p->c, t.span.file, lo, hi);
      if (!x)
        bad = true;
      StrPart *sp = arena_alloc(p->a, sizeof *sp);
      sp->expr = x;
      *tail = sp, tail = &sp->next;
      i = hi + 1;
      continue;
    }
    if (ch == '\\') {
      char esc = p->text[i + 1];
      char out = esc == 'n' ? '\n' : esc == 't' ? '\t' : esc;
      buf_add(&text, &out, 1);
      i += 2;
      continue;
    }
    buf_add(&text, &ch, 1);
    i++;
  }
  buf_free(&text);
  if (bad)
    e->k = EX_ERROR;
  return deep(p, e);
}

static bool is_value(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_INT: case YYSYMBOL_STRING: case YYSYMBOL_CIDR: case YYSYMBOL_IP:
  case YYSYMBOL_SIZE: case YYSYMBOL_DURATION: case YYSYMBOL_PORTS: case YYSYMBOL_TRUE:
  case YYSYMBOL_FALSE: case YYSYMBOL_IDENT: case YYSYMBOL_ARROW:
    return true;
  default:
    return yysymbol_name(k)[0] == '\'' && yysymbol_name(k)[1] == '[';
  }
}

/* Token names as the lexer describes them; punctuation as bison spells it. */
static const char *sym_desc(yysymbol_kind_t k) {
  switch (k) {
  case YYSYMBOL_YYEOF: return lex_token_desc(YYEOF);
  case YYSYMBOL_IDENT: return lex_token_desc(IDENT);
  case YYSYMBOL_INT: return lex_token_desc(INT);
  case YYSYMBOL_STRING: return lex_token_desc(STRING);
  case YYSYMBOL_CIDR: return lex_token_desc(CIDR);
  case YYSYMBOL_IP: return lex_token_desc(IP);
  case YYSYMBOL_SIZE: return lex_token_desc(SIZE);
  case YYSYMBOL_DURATION: return lex_token_desc(DURATION);
  case YYSYMBOL_PORTS: return lex_token_desc(PORTS);
  case YYSYMBOL_TRUE: return lex_token_desc(TRUE);
  case YYSYMBOL_FALSE: return lex_token_desc(FALSE);
  case YYSYMBOL_STACK: return lex_token_desc(STACK);
  case YYSYMBOL_PARAM: return lex_token_desc(PARAM);
  case YYSYMBOL_OUTPUT: return lex_token_desc(OUTPUT);
  case YYSYMBOL_ARROW: return lex_token_desc(ARROW);
  case YYSYMBOL_EQ: return lex_token_desc(EQ);
  case YYSYMBOL_NE: return lex_token_desc(NE);
  case YYSYMBOL_AND: return lex_token_desc(AND);
  case YYSYMBOL_OR: return lex_token_desc(OR);
  case YYSYMBOL_IF: return lex_token_desc(IF);
  case YYSYMBOL_FOR: return lex_token_desc(FOR);
  case YYSYMBOL_IN: return lex_token_desc(IN);
  case YYSYMBOL_SEP: return lex_token_desc(SEP);
  default: return yysymbol_name(k);
  }
}

/* The innermost '{' still open at `at`, and the first line after it that is
   indented no deeper than the line it opens: where its '}' likely belongs. */
static void unclosed_note(Parser *p, Diag *d, Span at, bool eof) {
  Source *src = compile_source(p->c, at.file);
  uint32_t open = (uint32_t)(uintptr_t)p->lx.braces.v[p->lx.braces.n - 1];
  diag_note(p->c, d, (Span){at.file, open, open + 1}, "unclosed '{' opened here");
  int line = source_linecol(src, open).line, last = source_linecol(src, at.lo).line;
  uint32_t ls = source_line_start(src, line);
  size_t indent = strspn(p->text + ls, " \t");
  for (int l = line + 1; l < last + eof; l++) {
    const char *t = p->text + source_line_start(src, l);
    size_t ind = strspn(t, " \t");
    if (t[ind] == '\n' || t[ind] == '#' || t[ind] == '\r' || t[ind] == '}' || ind > indent)
      continue;
    diag_help(p->c, d, "the block likely ends before line %d, the first line indented as line %d: "
              "add '}' there", l, line);
    return;
  }
  if (!eof)
    diag_help(p->c, d, "add the '}' that closes it before line %d", last);
}

/* A word that starts no declaration: not part of the language (E104). */
static void unknown_word(Parser *p, Span at, Span found) {
  const char *word = tok_text(p, at);
  if (kind_find(word)) { /* a kind followed by no name */
    Diag *d = diag_error(p->c, "E002", found, "expected a name after '%s', found %s", word,
                         lex_token_desc(p->prev));
    const char *quoted = tok_text(p, found);
    size_t len = strlen(quoted);
    if (p->prev == STRING && len > 2 && strspn(quoted + 1, "abcdefghijklmnopqrstuvwxyz"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == len - 2 &&
        !(quoted[1] >= '0' && quoted[1] <= '9')) {
      diag_help(p->c, d, "a name is written without quotes: %.*s", (int)len - 2, quoted + 1);
      diag_fix(p->c, d, found, arena_strndup(p->a, quoted + 1, len - 2));
    } else if (p->prev == STACK || p->prev == PARAM || p->prev == OUTPUT || p->prev == TRUE ||
               p->prev == FALSE) {
      diag_help(p->c, d, "%s is a keyword: choose another name", lex_token_desc(p->prev));
    } else {
      diag_help(p->c, d, "a resource is written as: %s NAME { ... }", word);
    }
    return;
  }
  Diag *d = diag_error(p->c, "E104", at,
                       "'%s' is not part of the infrac language: a file declares a stack, "
                       "params, outputs and resources of its kinds", word);
  resolve_kind_help(p->c, d, word, at);
}

/* Messages in words a user knows: what was found, what would have fit. */
static int yyreport_syntax_error(const yypcontext_t *ctx, Parser *p) {
  yysymbol_kind_t expected[YYNTOKENS];
  int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
  yysymbol_kind_t found = yypcontext_token(ctx);
  Span at = *yypcontext_location(ctx);
  Buf exp = {0};
  int nvalues = 0, nshown = 0;
  bool decl = false;  /* where a declaration may start */
  bool close = false, name = false, comma = false, bracket = false, sep = false, eq = false;
  bool in = false, colon = false;
  for (int i = 0; i < n; i++) {
    if (expected[i] == YYSYMBOL_INT || expected[i] == YYSYMBOL_STRING ||
        expected[i] == YYSYMBOL_CIDR || expected[i] == YYSYMBOL_SIZE)
      nvalues++;
    decl |= expected[i] == YYSYMBOL_PARAM;
    close |= !strcmp(yysymbol_name(expected[i]), "'}'");
    name |= expected[i] == YYSYMBOL_IDENT;
    comma |= !strcmp(yysymbol_name(expected[i]), "','");
    bracket |= !strcmp(yysymbol_name(expected[i]), "']'");
    sep |= expected[i] == YYSYMBOL_SEP;
    eq |= !strcmp(yysymbol_name(expected[i]), "'='");
    in |= expected[i] == YYSYMBOL_IN;
    colon |= !strcmp(yysymbol_name(expected[i]), "':'");
  }
  /* After KIND NAME (or output NAME): where 'if' may come. */
  bool head = false;
  for (int i = 0; i < n; i++)
    head |= expected[i] == YYSYMBOL_IF;
#define head_is(w) (p->older_span.hi - p->older_span.lo == strlen(w) && \
                    !memcmp(p->text + p->older_span.lo, w, strlen(w)))
  bool binding = head_is("let") || head_is("condition") || head_is("output");
  /* Where a member may start, a SEP is only a blank line: not worth naming. */
  bool member = close && name && nvalues < 3;
  bool eof_in_block = found == YYSYMBOL_YYEOF && p->lx.braces.n;
  /* The lookahead has been read: the token before it is p->before. */
  bool after_eq = p->before == '=';
  const char *items[YYNTOKENS];
  int nitems = 0;
  if (eof_in_block)
    n = 0, items[nitems++] = "'}'";
  if (decl)
    items[nitems++] = "a declaration";
  if (nvalues >= 3 && after_eq)
    items[nitems++] = "a value";
  else if (nvalues >= 3)
    items[nitems++] = "a value", items[nitems++] = "a name";
  for (int i = 0; i < n; i++) {
    yysymbol_kind_t k = expected[i];
    if (k == YYSYMBOL_YYerror)
      continue;
    /* '{' starts an object and `stack` stack.name: values too */
    if (nvalues >= 3 && (is_value(k) || k == YYSYMBOL_STACK || (after_eq && !strcmp(yysymbol_name(k), "'{'"))))
      continue;
    /* '!' and '(' start values too (!c, (a || b)); operators after one are not worth naming */
    if (nvalues >= 3 && (!strcmp(yysymbol_name(k), "'!'") || !strcmp(yysymbol_name(k), "'('")))
      continue;
    /* operators after a value: any value may take one, not worth naming */
    if (k == YYSYMBOL_EQ || k == YYSYMBOL_NE || k == YYSYMBOL_AND || k == YYSYMBOL_OR ||
        !strcmp(yysymbol_name(k), "'?'") || (nvalues < 3 && !strcmp(yysymbol_name(k), "'['")) ||
        strchr("+-*/%", yysymbol_name(k)[1]))
      continue;
    /* vpc main ⏎: '{'; the type string belongs to `resource` only, '=' to let,
       condition and output; 'if' is not worth naming */
    if (head && (k == YYSYMBOL_IF || (k == YYSYMBOL_STRING && !head_is("resource")) ||
                 (!strcmp(yysymbol_name(k), "'='") && !binding) ||
                 (!strcmp(yysymbol_name(k), "'{'") && binding && !head_is("output"))))
      continue;
    if (k == YYSYMBOL_STRING && n <= 3 && !head_is("resource"))
      continue;
    if (decl && (k == YYSYMBOL_IDENT || k == YYSYMBOL_STACK || k == YYSYMBOL_PARAM || k == YYSYMBOL_FOR ||
                 k == YYSYMBOL_OUTPUT || k == YYSYMBOL_SEP || k == YYSYMBOL_YYEOF))
      continue;
    if (member && k == YYSYMBOL_SEP)
      continue;
    items[nitems++] = sym_desc(k);
  }
  for (int i = 0; i < nitems && nshown < 6; i++, nshown++) {
    if (i)
      buf_puts(&exp, i == nitems - 1 ? " or " : ", ");
    buf_puts(&exp, items[i]);
  }
  const char *after = "";
  if (after_eq && found != YYSYMBOL_YYEOF)
    after = " after '='";
  const char *what = sym_desc(found);
  /* The SEP the lexer puts before a '}' or the end of input is no end of
     line the user wrote: name the token it stands for. */
  bool found_close = !strcmp(yysymbol_name(found), "'}'");
  if (found == YYSYMBOL_SEP && at.lo == at.hi && p->lx.pending_valid) {
    what = lex_token_desc(p->lx.pending.kind);
    at = p->lx.pending.span;
    found_close = p->lx.pending.kind == '}';
  }
  /* The end of the file is shown where the text ends, after its last token
     (as gcc does), not on the empty line after it. */
  if (found == YYSYMBOL_YYEOF && p->last_real.hi)
    at = (Span){at.file, p->last_real.hi, p->last_real.hi};
  char text[64] = "";
  if (found == YYSYMBOL_IDENT && at.hi - at.lo < 40)
    snprintf(text, sizeof text, " '%.*s'", (int)(at.hi - at.lo), p->text + at.lo);
  /* `import "x"`, `locals {`, `module "m" {`: a word where a kind of
     resource is expected, followed by no name. */
  if (n == 1 && expected[0] == YYSYMBOL_IDENT && p->before == IDENT) {
    unknown_word(p, p->before_span, at);
    buf_free(&exp);
    return 0;
  }
  Diag *d;
  if (found == YYSYMBOL_EQ && eq) { /* cidr == 10.0.0.0/16 */
    d = diag_error(p->c, "E002", at, "expected '=', found '=='");
    diag_help(p->c, d, "'==' compares two values in a condition; an attribute is set with '='");
    diag_fix(p->c, d, at, "=");
    buf_free(&exp);
    return 0;
  }
  if (nitems)
    d = diag_error(p->c, "E002", at, "expected %s%s, found %s%s", exp.s, after, what, text);
  else
    d = diag_error(p->c, "E002", at, "unexpected %s%s", what, text);
  /* A declaration inside a block: the '{' was likely left open above. */
  if (p->lx.braces.n &&
      (found == YYSYMBOL_STACK || found == YYSYMBOL_PARAM || found == YYSYMBOL_OUTPUT))
    unclosed_note(p, d, at, false);
  if (found == YYSYMBOL_YYEOF && p->lx.braces.n) {
    unclosed_note(p, d, at, true);
    /* The parse ends here: every declaration from the outermost open block's
       line on is lost. */
    Source *s = compile_source(p->c, at.file);
    uint32_t outer = (uint32_t)(uintptr_t)p->lx.braces.v[0];
    uint32_t line = source_line_start(s, source_linecol(s, outer).line);
    lost(p, (Span){at.file, line, line}, at);
  }
  /* A list left open swallows the next line: say where it began. */
  Source *src = compile_source(p->c, at.file);
  bool next_line = source_linecol(src, at.lo).line > source_linecol(src, p->before_span.hi).line;
  if (p->stray_close && found != YYSYMBOL_SEP)
    diag_help(p->c, d, "this '}' closes no '{'");
  else if (bracket && p->lx.nesting && (next_line || found_close))
    diag_note(p->c, d, (Span){at.file, p->bracket, p->bracket + 1}, "unclosed '[' opened here");
  else if (sep && p->before == IDENT && !strcmp(yysymbol_name(found), "'='"))
    diag_newline(p->c, d, p->before_span, "a statement"); /* ingress ... vpc = main */
  else if (eq && p->before == IDENT && !strcmp(yysymbol_name(found), "':'")) {
    diag_help(p->c, d, "an attribute is written %.*s = value", (int)(p->before_span.hi - p->before_span.lo),
              p->text + p->before_span.lo); /* retention: 30d, as in YAML */
    diag_fix(p->c, d, (Span){at.file, p->before_span.hi, at.hi}, " =");
  } else if (in)
    diag_help(p->c, d, "a loop is written: for NAME in LIST { ... }, or for NAME, INDEX in LIST");
  else if (colon && p->lx.nesting && !eq)
    diag_help(p->c, d, "a comprehension is written: [for NAME in LIST: VALUE], or [... if TEST]");
  else if (comma && is_value(found))
    diag_help(p->c, d, "separate the items with ','");
  else if (!comma && close && !strcmp(yysymbol_name(found), "','"))
    diag_help(p->c, d, "members of a block are separated by spaces or lines, not ','");
  buf_free(&exp);
  return 0;
}

static void run(Parser *p) {
  int rc = yyparse(p);
  (void)rc; /* syntax errors are already diagnostics */
}

void parse_file(Compilation *c, int file, Program *prog) {
  Parser p = {.c = c, .a = &c->arena, .prog = prog, .seen_diags = c->diags.n};
  Source *src = compile_source(c, file);
  if (src->rejected)
    return;
  p.text = src->text;
  lex_init(&p.lx, c, file, 0, src->len);
  p.lx.start_token = START_FILE;
  run(&p);
}

Vec parse_values(Compilation *c, int file) {
  Parser p = {.c = c, .a = &c->arena};
  Source *src = compile_source(c, file);
  if (src->rejected)
    return p.values;
  p.text = src->text;
  lex_init(&p.lx, c, file, 0, src->len);
  p.lx.start_token = START_VALUES;
  run(&p);
  return p.values;
}

Expr *parse_expr_at(Compilation *c, int file, uint32_t lo, uint32_t hi) {
  Parser p = {.c = c, .a = &c->arena};
  p.text = compile_source(c, file)->text;
  int before = c->nerrors;
  lex_init(&p.lx, c, file, lo, hi);
  p.lx.start_token = START_EXPR;
  run(&p);
  return c->nerrors == before ? p.expr : NULL;
}
