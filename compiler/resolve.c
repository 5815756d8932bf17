/* resolve.c: names to declarations, members to the kind table, and the type
   of every value (E101 to E106). A value already in error stays silent. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "infrac.h"
#include "modules.h"
#include "param_types.h"

/* ---- the name table: open addressing, names global across files ---- */

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static NameSlot *name_slot(NameTable *t, const char *key) {
  uint32_t h = hash_str(key), i = h & (t->cap - 1);
  while (t->slots[i].key && (t->slots[i].hash != h || strcmp(t->slots[i].key, key)))
    i = (i + 1) & (t->cap - 1);
  return &t->slots[i];
}

static void names_init(Compilation *c, int n) {
  uint32_t cap = 16;
  while (cap < (uint32_t)n * 2)
    cap *= 2;
  c->names.slots = arena_alloc(&c->arena, sizeof(NameSlot) * cap);
  c->names.cap = cap;
  c->names.n = 0;
}

Decl *resolve_lookup(Compilation *c, const char *name) {
  if (!c->names.cap)
    return NULL;
  return name_slot(&c->names, name)->decl;
}

/* ---- did you mean ---- */

/* Edits between a and b, a swap of two neighbours counting as one (mian ->
   main), or limit + 1 once it is sure to exceed limit. */
static int edit_distance(const char *a, const char *b, int limit) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (abs(la - lb) > limit || lb > 63)
    return limit + 1;
  int rows[3][64], *pp = rows[0], *prev = rows[1], *row = rows[2];
  for (int j = 0; j <= lb; j++)
    prev[j] = j;
  for (int i = 1; i <= la; i++) {
    int best = row[0] = i;
    for (int j = 1; j <= lb; j++) {
      int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (prev[j] + 1 < v)
        v = prev[j] + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
        v = pp[j - 2] + 1;
      row[j] = v;
      if (v < best)
        best = v;
    }
    if (best > limit)
      return limit + 1;
    int *t = pp;
    pp = prev, prev = row, row = t;
  }
  return prev[lb];
}

/* A third of the name's length, at least one edit: `bucket` is not `subnet`. */
const char *resolve_suggest(const char *name, const char *const *cands, int n) {
  int len = (int)strlen(name);
  int limit = (len < 3 ? 3 : len) / 3, best = limit + 1;
  const char *pick = NULL;
  for (int i = 0; i < n; i++) {
    int d = edit_distance(name, cands[i], limit);
    if (d < best || (d == best && pick && strcmp(cands[i], pick) < 0)) {
      best = d;
      pick = cands[i];
    }
  }
  return best <= limit ? pick : NULL;
}

/* ---- helpers ---- */

typedef struct {
  Compilation *c;
  Arena *a;
  int nparse; /* the diagnostics before resolve_program: the lexer's and parser's */
  const AttrDef *want; /* what the name being resolved must be, for did-you-mean */
  long compared; /* names close_decl has compared, up to SUGGEST_BUDGET */
  bool in_props; /* resolving CloudFormation properties: a bare word is a forgotten quote */
} R;

/* Each "did you mean" compares a name with every declaration: many
   undefined names in a large stack would take quadratic time. */
enum { SUGGEST_BUDGET = 5000000 };

/* Did the parser drop part of whole? A syntax error inside a block skips
   members up to the end of its line or block, so a required attribute there
   is not missing: it was lost, and E001/E002 already said why. */
static bool lost_members(R *r, Span whole) {
  for (int i = 0; i < r->nparse; i++) {
    Diag *d = r->c->diags.v[i];
    if (d->span.file == whole.file && d->span.lo >= whole.lo && d->span.lo < whole.hi &&
        (!strcmp(d->code, "E001") || !strcmp(d->code, "E002")))
      return true;
  }
  return false;
}

static const char *decl_kind(const Decl *d) {
  return d->k == D_PARAM ? "param" : d->k == D_OUTPUT ? "output" : d->k == D_LET ? "let" : d->kind_name;
}

/* Where a value sits, as "cidr of vpc main": pre, then " name", then " of "
   and the description it is in. Spelled out only when a message needs it:
   printing it for every attribute took a third of `check` (issue 9). */
typedef struct Desc {
  const char *pre, *name; /* name may be NULL */
  const struct Desc *of;  /* may be NULL */
} Desc;

static const char *desc_str(R *r, const Desc *d) {
  Buf b = {0};
  for (; d; d = d->of) {
    if (b.len)
      buf_puts(&b, " of ");
    buf_puts(&b, d->pre);
    if (d->name) {
      buf_puts(&b, " ");
      buf_puts(&b, d->name);
    }
  }
  char *s = arena_strndup(r->a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

/* The declared name closest to name, or NULL. */
static const char *close_decl(R *r, const char *name) {
  Vec *decls = &r->c->prog.decls;
  if ((r->compared += decls->n) > SUGGEST_BUDGET)
    return NULL;
  const char **cands = malloc(sizeof(char *) * (size_t)(decls->n + 1));
  int n = 0;
  for (int i = 0; i < decls->n; i++) {
    Decl *x = decls->v[i];
    /* `cluster = cl` suggests a cluster, not the subnet c */
    unsigned acc = r->want ? r->want->accept : ~0u;
    if (x->k == D_RESOURCE && (acc & A_REF) &&
        (!r->want || kind_ref_ok(r->want->ref, kind_of_decl(x))))
      cands[n++] = x->name;
    if (x->k == D_PARAM && (acc & ~(unsigned)(A_REF | A_LIST | A_WORD)))
      cands[n++] = x->name;
  }
  const char *s = resolve_suggest(name, cands, n);
  free(cands);
  return s;
}

static void suggest_decl(R *r, Diag *d, const char *name, Span sp) {
  if (!d) /* past LIMIT_ERRORS: a search over every name, for nothing */
    return;
  const char *s = close_decl(r, name);
  if (s) {
    Decl *x = resolve_lookup(r->c, s);
    diag_help(r->c, d, "did you mean '%s'?", s);
    diag_fix(r->c, d, sp, s);
    if (x)
      diag_note(r->c, d, x->name_span, "%s %s declared here", decl_kind(x), x->name);
  }
}

/* The value type of a resolved expression, as A_* bits (0: unknown, after an
   error). *ref is set for a reference to a declaration. */
static unsigned expr_type(R *r, Expr *e, Decl **ref);
static unsigned let_access_type(R *r, Expr *e);

static unsigned param_type(const Decl *d) {
  const char *t = d->type_name;
  bool list;
  if (isupper((unsigned char)t[0])) /* "AWS::EC2::KeyPair::KeyName": CloudFormation's own */
    return param_cfn_type(t, &list) ? (list ? A_LIST | A_STRING : A_STRING) : 0;
  return !strcmp(t, "string") ? A_STRING : !strcmp(t, "int") ? A_INT
         : !strcmp(t, "bool") ? A_BOOL : !strcmp(t, "secret") ? A_SECRET
         : !strcmp(t, "cidr") ? A_CIDR : !strcmp(t, "list") ? A_LIST | A_STRING : 0;
}

static bool word_char(char ch) {
  return ch == '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
         (ch >= 'A' && ch <= 'Z');
}

/* Is name a word of the text the parser skipped? Then its declaration may
   stand there, unread: E002 said why. */
static bool in_lost_text(R *r, const char *name) {
  size_t n = strlen(name);
  for (int i = 0; i < r->c->lost.n; i++) {
    Span *sp = r->c->lost.v[i];
    const char *text = compile_source(r->c, sp->file)->text;
    for (uint32_t p = sp->lo; p + n <= sp->hi; p++) {
      if (memcmp(text + p, name, n))
        continue;
      if (!(p > 0 && word_char(text[p - 1])) && !word_char(text[p + n]))
        return true;
    }
  }
  return false;
}

static unsigned name_type(R *r, Expr *e, Decl **ref) {
  Decl *d = resolve_lookup(r->c, e->name);
  if (!d && in_lost_text(r, e->name)) {
    e->k = EX_ERROR;
    return 0;
  }
  if (!d) {
    Diag *dg = diag_error(r->c, "E101", e->span, "undefined name '%s'", e->name);
    suggest_decl(r, dg, e->name, e->span);
    if (dg && r->in_props && !dg->help) {
      /* Status = Enabled: CloudFormation values are strings */
      diag_help(r->c, dg, "a string is written in quotes: \"%s\"", e->name);
      diag_fix(r->c, dg, e->span, arena_printf(r->a, "\"%s\"", e->name));
    }
    e->k = EX_ERROR;
    return 0;
  }
  e->ref = d;
  if (ref)
    *ref = d;
  if (d->k == D_PARAM)
    return param_type(d);
  if (d->k == D_CONDITION)
    return A_BOOL;
  if (d->k == D_LET)
    return d->let_type;
  return d->schema || d->type_name ? A_REF : 0;
}

/* aws.region ...: the pseudo-parameters, each a Ref in the template. */
static const struct {
  const char *name, *cfn;
} pseudo[] = {
    {"account_id", "AWS::AccountId"}, {"partition", "AWS::Partition"}, {"region", "AWS::Region"},
    {"stack_id", "AWS::StackId"},     {"stack_name", "AWS::StackName"}, {"url_suffix", "AWS::URLSuffix"},
    {"no_value", "AWS::NoValue"},
};

const char *resolve_pseudo(const char *name) {
  for (size_t i = 0; i < countof(pseudo); i++)
    if (!strcmp(pseudo[i].name, name))
      return pseudo[i].cfn;
  return NULL;
}

/* aws.NAME, and stack.name / stack.region (known at compile time). */
static unsigned pseudo_type(R *r, Expr *e) {
  const char *root = e->base->name;
  bool aws = !strcmp(root, "aws");
  if (aws ? resolve_pseudo(e->name) != NULL : !strcmp(e->name, "name") || !strcmp(e->name, "region"))
    return A_STRING;
  const char *cands[countof(pseudo)];
  int n = 0;
  for (size_t i = 0; i < countof(pseudo) && aws; i++)
    cands[n++] = pseudo[i].name;
  if (!aws)
    cands[n++] = "name", cands[n++] = "region";
  Diag *d = diag_error(r->c, "E104", e->name_span, "unknown %s '%s.%s'",
                       aws ? "pseudo-parameter" : "stack attribute", root, e->name);
  const char *sug = resolve_suggest(e->name, cands, n);
  Buf b = {0};
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%s%s.%s", i ? ", " : "", root, cands[i]);
  if (sug) {
    diag_help(r->c, d, "did you mean '%s.%s'? there are %s", root, sug, b.s);
    diag_fix(r->c, d, e->name_span, sug);
  } else
    diag_help(r->c, d, "there are %s", b.s);
  buf_free(&b);
  e->k = EX_ERROR;
  return 0;
}

/* The A_* type of a constant's value, read without reporting. */
static unsigned value_type(const Expr *v) {
  switch (v ? v->k : EX_ERROR) {
  case EX_INT: return A_INT;
  case EX_BOOL: return A_BOOL;
  case EX_STR: return A_STRING;
  case EX_CIDR: return A_CIDR;
  case EX_IP: return A_IP;
  case EX_OBJECT: return A_OBJECT;
  case EX_LIST: {
    unsigned t = A_LIST;
    for (int i = 0; i < v->items.n; i++)
      t |= value_type(v->items.v[i]);
    return t;
  }
  default: return A_STRING;
  }
}

/* NAME.field and NAME[key] of a `let`: the member's type, or a string
   looked up at deploy time (Fn::FindInMap of two keys). */
static unsigned let_access_type(R *r, Expr *e) {
  LetPath lp;
  if (!let_path(e, &lp))
    return 0;
  if (lp.missing) {
    Span at = lp.missing->k == EX_FIELD ? lp.missing->name_span : ((Expr *)lp.missing->items.v[1])->span;
    const Expr *kx = lp.missing->k == EX_INDEX ? lp.missing->items.v[1] : NULL;
    const char *key = lp.missing_key ? lp.missing_key
                      : kx && kx->k == EX_INT ? arena_printf(r->a, "%lld", (long long)kx->i) : "?";
    Diag *d = diag_error(r->c, "E104", at, "constant %s has no %s '%s'", lp.let->name,
                         kx && kx->k == EX_INT ? "item" : "key", key);
    const Expr *c = lp.container;
    if (c && c->k == EX_OBJECT && c->items.n) {
      const char **cands = arena_alloc(r->a, sizeof *cands * (size_t)c->items.n);
      Buf b = {0};
      for (int i = 0; i < c->items.n; i++) {
        cands[i] = ((Expr *)c->items.v[i])->name;
        buf_printf(&b, "%s%s", i ? ", " : "", cands[i]);
      }
      const char *sug = lp.missing_key ? resolve_suggest(lp.missing_key, cands, c->items.n) : NULL;
      if (sug) {
        diag_help(r->c, d, "did you mean '%s'? the keys are: %s", sug, b.s);
        if (lp.missing->k == EX_FIELD)
          diag_fix(r->c, d, at, sug);
        else
          diag_fix(r->c, d, at, arena_printf(r->a, "\"%s\"", sug));
      } else {
        diag_help(r->c, d, "the keys are: %s", b.s);
      }
      buf_free(&b);
    } else if (c && c->k == EX_LIST) {
      diag_help(r->c, d, "it is a list of %d item%s: index it with 0 to %d", c->items.n,
                c->items.n == 1 ? "" : "s", c->items.n - 1);
    }
    diag_note(r->c, d, lp.let->name_span, "let %s declared here", lp.let->name);
    e->k = EX_ERROR;
    return 0;
  }
  if (!lp.nkeys)
    return value_type(lp.value);
  if (lp.too_deep || lp.nfolded || lp.nkeys != 2) {
    Diag *d = diag_error(r->c, "E106", e->span,
                         "a key known only at deploy time looks up a constant with two keys: "
                         "NAME[key][key], as CloudFormation's Fn::FindInMap does");
    diag_help(r->c, d, "index %s with exactly two keys, the first or both from a param or aws.region",
              lp.let->name);
    e->k = EX_ERROR;
    return 0;
  }
  return A_STRING | A_INT | A_LIST;
}

/* NAME.f[k]...: the keys typed, the root a constant, then the member. */
static unsigned let_chain_type(R *r, Expr *e) {
  Expr *root = e;
  bool ok = true;
  while (root->k == EX_FIELD || root->k == EX_INDEX) {
    if (root->k == EX_INDEX)
      ok &= expr_type(r, root->items.v[1], NULL) != 0;
    root = root->k == EX_FIELD ? root->base : root->items.v[0];
  }
  if (root->k == EX_NAME && !root->ref)
    name_type(r, root, NULL);
  if (!ok || root->k == EX_ERROR) {
    e->k = EX_ERROR;
    return 0;
  }
  if (!root->ref || root->ref->k != D_LET) {
    diag_error(r->c, "E106", root->span, "only a constant (let) is indexed with [key], found %s",
               root->ref ? arena_printf(r->a, "%s %s", decl_kind(root->ref), root->ref->name)
                         : ast_expr_desc(root));
    e->k = EX_ERROR;
    return 0;
  }
  return let_access_type(r, e);
}

static bool has_index(const Expr *e) {
  for (; e->k == EX_FIELD || e->k == EX_INDEX; e = e->k == EX_FIELD ? e->base : e->items.v[0])
    if (e->k == EX_INDEX)
      return true;
  return false;
}

static bool is_bool_type(unsigned t) {
  return t == A_BOOL;
}

/* Operands of ! && || are conditions; == and != compare any two values. */
static unsigned op_type(R *r, Expr *e) {
  Expr **x = (Expr **)e->items.v;
  bool logic = e->k == EX_NOT || e->name[0] == '&' || e->name[0] == '|';
  bool ok = true;
  for (int i = 0; i < e->items.n; i++) {
    unsigned t = expr_type(r, x[i], NULL);
    if (!t) {
      ok = false;
    } else if (logic && !is_bool_type(t)) {
      Diag *d = diag_error(r->c, "E106", x[i]->span, "'%s' takes conditions, found %s", e->name,
                           ast_expr_desc(x[i]));
      diag_help(r->c, d, "compare it: %s != \"\"", x[i]->k == EX_NAME ? x[i]->name : "value");
      ok = false;
    }
  }
  if (!ok)
    e->k = EX_ERROR;
  return ok ? A_BOOL : 0;
}

/* c ? a : b: c is a condition's name, or a test known now. */
static unsigned choice_type(R *r, Expr *e) {
  Expr **x = (Expr **)e->items.v;
  unsigned t = expr_type(r, x[0], NULL);
  unsigned a = expr_type(r, x[1], NULL), b = expr_type(r, x[2], NULL);
  if (!t || !a || !b) {
    e->k = EX_ERROR;
    return 0;
  }
  bool named = x[0]->k == EX_NAME && x[0]->ref && x[0]->ref->k == D_CONDITION;
  if (!is_bool_type(t) || (!named && cond_eval(r->a, x[0]) == TRI_UNKNOWN)) {
    Diag *d = diag_error(r->c, "E106", x[0]->span,
                         "the test of '? :' is a condition's name, found %s", ast_expr_desc(x[0]));
    diag_help(r->c, d, "declare it: condition NAME = ..., and write NAME ? a : b");
    e->k = EX_ERROR;
    return 0;
  }
  return a | b;
}

static unsigned field_type(R *r, Expr *e) {
  if (has_index(e))
    return let_chain_type(r, e);
  Decl *d = NULL;
  Expr *root = e->base;
  while (root->k == EX_FIELD)
    root = root->base;
  if (root->k != EX_NAME) {
    diag_error(r->c, "E106", root->span, "expected a resource name before '.%s', found %s",
               e->name, ast_expr_desc(root));
    e->k = EX_ERROR;
    return 0;
  }
  if (e->base == root && (!strcmp(root->name, "aws") || !strcmp(root->name, "stack")) &&
      !resolve_lookup(r->c, root->name))
    return pseudo_type(r, e);
  if (!name_type(r, root, &d) && !(d && d->k == D_LET)) {
    e->k = EX_ERROR;
    return 0;
  }
  if (d->k == D_LET)
    return let_access_type(r, e);
  if (d->k == D_RESOURCE && d->type_name) {
    /* NAME.Attr.Sub: Fn::GetAtt, checked against the type's attributes */
    for (Expr *x = e; x != root; x = x->base)
      x->ref = d;
    return A_STRING;
  }
  if (e->base != root) {
    Expr *in = e->base;
    diag_error(r->c, "E104", e->name_span, "%s.%s is a value: it has no attribute '%s'",
               in->base->k == EX_NAME ? in->base->name : d->name, in->name, e->name);
    e->k = EX_ERROR;
    return 0;
  }
  e->ref = d;
  if (d->k != D_RESOURCE) {
    diag_error(r->c, "E106", e->span, "%s %s has no attributes: use it as '%s'", decl_kind(d),
               d->name, d->name);
    e->k = EX_ERROR;
    return 0;
  }
  const ExportDef *ex = kind_export(d->schema, e->name);
  if (!ex) {
    Diag *dg = diag_error(r->c, "E104", e->name_span, "%s %s has no attribute '%s'", d->kind_name,
                          d->name, e->name);
    const char *cands[16] = {0};
    int n = 0;
    for (int i = 0; i < d->schema->nexports && n < 16; i++)
      cands[n++] = d->schema->exports[i].name;
    const char *s = resolve_suggest(e->name, cands, n);
    Buf b = {0};
    for (int i = 0; i < n; i++)
      buf_printf(&b, "%s%s", i ? ", " : "", cands[i]);
    if (s)
      diag_help(r->c, dg, "did you mean '%s'? %s exports: %s", s, d->kind_name, b.s ? b.s : "");
    else
      diag_help(r->c, dg, "%s exports: %s", d->kind_name, b.s ? b.s : "nothing");
    buf_free(&b);
    e->k = EX_ERROR;
    return 0;
  }
  return ex->type;
}

/* The deploy-time functions: each becomes the CloudFormation function of
   its row (to_json is folded to a string, or an Fn::Sub of one). */
static const struct {
  const char *name, *cfn;
  int min, max;
  unsigned type;
  const char *usage;
} deploy_fns[] = {
    {"join", "Fn::Join", 2, 2, A_STRING, "join(separator, list)"},
    {"select", "Fn::Select", 2, 2, A_STRING, "select(index, list)"},
    {"split", "Fn::Split", 2, 2, A_STRING | A_LIST, "split(separator, string)"},
    {"base64", "Fn::Base64", 1, 1, A_STRING, "base64(string)"},
    {"azs", "Fn::GetAZs", 0, 1, A_STRING | A_LIST, "azs(), or azs(region)"},
    {"import_value", "Fn::ImportValue", 1, 1, A_STRING, "import_value(name)"},
    {"cidrs", "Fn::Cidr", 3, 3, A_STRING | A_LIST, "cidrs(block, count, host_bits), as Fn::Cidr"},
    {"to_json", NULL, 1, 1, A_STRING, "to_json(object)"},
};

const char *resolve_fn_cfn(const char *name) {
  for (size_t i = 0; i < countof(deploy_fns); i++)
    if (!strcmp(deploy_fns[i].name, name))
      return deploy_fns[i].cfn ? deploy_fns[i].cfn : "";
  return NULL;
}

/* Does e hold a deploy-time function call? to_json cannot write one. */
static const Expr *find_call(const Expr *e) {
  if (e->k == EX_CALL)
    return e;
  if (e->k == EX_PAIR)
    return find_call(e->base);
  for (int i = 0; (e->k == EX_LIST || e->k == EX_OBJECT) && i < e->items.n; i++) {
    const Expr *c = find_call(e->items.v[i]);
    if (c)
      return c;
  }
  return NULL;
}

static unsigned deploy_call_type(R *r, Expr *e, size_t f) {
  int n = e->items.n;
  if (n < deploy_fns[f].min || n > deploy_fns[f].max) {
    static const char *const counts[] = {"zero", "one", "two", "three"};
    diag_error(r->c, "E106", e->span, "%s() takes %s argument%s: %s", e->name,
               deploy_fns[f].min == deploy_fns[f].max ? counts[deploy_fns[f].min] : "zero or one",
               deploy_fns[f].max == 1 ? "" : "s", deploy_fns[f].usage);
    e->k = EX_ERROR;
    return 0;
  }
  bool ok = true;
  for (int i = 0; i < n; i++)
    ok &= expr_type(r, e->items.v[i], NULL) != 0;
  if (!ok) {
    e->k = EX_ERROR;
    return 0;
  }
  Expr *a0 = n ? e->items.v[0] : NULL;
  const char *fn = e->name;
  const char *want = NULL;
  if ((!strcmp(fn, "join") || !strcmp(fn, "split")) && (a0->k != EX_STR || !eval_string(a0)))
    want = "the separator is a plain string, as \",\"";
  else if (!strcmp(fn, "select") && a0->k != EX_INT && !(a0->ref && a0->ref->k == D_PARAM))
    want = "the index is an integer, from 0";
  else if (!strcmp(fn, "to_json") && a0->k != EX_OBJECT && a0->k != EX_LIST)
    want = "it writes an object or a list as a JSON string";
  if (want) {
    Diag *d = diag_error(r->c, "E106", a0->span, "%s() cannot take %s here", fn, ast_expr_desc(a0));
    diag_help(r->c, d, "%s: %s", deploy_fns[f].usage, want);
    e->k = EX_ERROR;
    return 0;
  }
  const Expr *inner = !strcmp(fn, "to_json") ? find_call(a0) : NULL;
  if (inner) {
    Diag *d = diag_error(r->c, "E106", inner->span,
                         "to_json() cannot hold %s(): its value exists only at deploy time",
                         inner->name);
    diag_help(r->c, d, "to_json() takes literals and references; set this property on its own");
    e->k = EX_ERROR;
    return 0;
  }
  return deploy_fns[f].type;
}

static unsigned call_type(R *r, Expr *e) {
  static const char *const fns[] = {"ssm",    "dns",    "cidr",  "join",         "select",
                                    "split",  "base64", "azs",   "import_value", "to_json", "cidrs"};
  for (size_t f = 0; f < countof(deploy_fns); f++)
    if (!strcmp(e->name, deploy_fns[f].name))
      return deploy_call_type(r, e, f);
  if (!strcmp(e->name, "ssm")) {
    if (e->items.n != 1 || ((Expr *)e->items.v[0])->k != EX_STR) {
      diag_error(r->c, "E106", e->span, "ssm() takes one string: the parameter's path");
      e->k = EX_ERROR;
      return 0;
    }
    return A_SSM;
  }
  if (!strcmp(e->name, "dns")) {
    Decl *z = NULL;
    if (e->items.n != 1 || ((Expr *)e->items.v[0])->k != EX_NAME) {
      diag_error(r->c, "E106", e->span, "dns() takes one zone name, as dns(example)");
      e->k = EX_ERROR;
      return 0;
    }
    Expr *arg = e->items.v[0];
    if (!name_type(r, arg, &z)) {
      e->k = EX_ERROR;
      return 0;
    }
    if (z->k != D_RESOURCE || strcmp(z->kind_name, "zone")) {
      Diag *d = diag_error(r->c, "E103", arg->span, "dns() expects a zone, found %s %s",
                           decl_kind(z), z->name);
      diag_note(r->c, d, z->name_span, "%s %s declared here", decl_kind(z), z->name);
      e->k = EX_ERROR;
      return 0;
    }
    return A_DNS;
  }
  if (!strcmp(e->name, "cidr")) {
    if (e->items.n != 3) {
      diag_error(r->c, "E106", e->span,
                 "cidr() takes three arguments: a vpc, subnet or CIDR block, the added prefix "
                 "bits, and the index, as cidr(main, 8, 2)");
      e->k = EX_ERROR;
      return 0;
    }
    Expr *base = e->items.v[0];
    Decl *d = NULL;
    unsigned bt = base->k == EX_CIDR ? A_CIDR : expr_type(r, base, &d);
    bool ok = bt == A_CIDR ||
              (bt == A_REF && (!strcmp(d->kind_name, "vpc") || !strcmp(d->kind_name, "subnet")));
    if (!ok && bt) {
      diag_error(r->c, "E106", base->span, "cidr() expects a vpc, a subnet or a CIDR block, found %s",
                 d ? arena_printf(r->a, "%s %s", decl_kind(d), d->name) : ast_expr_desc(base));
    }
    for (int i = 1; i < 3; i++) {
      Expr *x = e->items.v[i];
      Decl *p = NULL; /* an int param with a value is folded (eval_int): an environment's */
      if (x->k != EX_INT &&
          !(x->k == EX_NAME && expr_type(r, x, &p) == A_INT && p->k == D_PARAM && p->value)) {
        if (x->k != EX_ERROR)
          diag_error(r->c, "E106", x->span, "expected an integer, found %s", ast_expr_desc(x));
        ok = false;
      }
    }
    if (!ok) {
      e->k = EX_ERROR;
      return 0;
    }
    return A_CIDR;
  }
  Diag *d = diag_error(r->c, "E101", e->name_span, "unknown function '%s'", e->name);
  const char *s = resolve_suggest(e->name, fns, (int)countof(fns));
  diag_help(r->c, d, "%s%s%sthe functions are ssm(), dns(), cidr(), cidrs(), join(), select(), split(), "
            "base64(), azs(), import_value() and to_json()",
            s ? "did you mean '" : "", s ? s : "", s ? "'? " : "");
  if (s)
    diag_fix(r->c, d, e->name_span, s);
  e->k = EX_ERROR;
  return 0;
}

static unsigned expr_type(R *r, Expr *e, Decl **ref) {
  switch (e->k) {
  case EX_ERROR: case EX_ARROW: case EX_COMMA: case EX_FOR: return 0; /* FOR: expanded before */
  case EX_INT: return A_INT;
  case EX_BOOL: return A_BOOL;
  case EX_CIDR: return A_CIDR;
  case EX_IP: return A_IP;
  case EX_SIZE: return A_SIZE;
  case EX_DURATION: return A_DURATION;
  case EX_PORTS: return A_PORTS;
  case EX_STR:
    for (StrPart *p = e->parts; p; p = p->next)
      if (p->expr)
        expr_type(r, p->expr, NULL);
    return A_STRING;
  case EX_NAME: return name_type(r, e, ref);
  case EX_FIELD: return field_type(r, e);
  case EX_CALL: return call_type(r, e);
  case EX_LIST: {
    unsigned t = 0;
    for (int i = 0; i < e->items.n; i++)
      t |= expr_type(r, e->items.v[i], NULL);
    return A_LIST | t;
  }
  case EX_OBJECT:
    for (int i = 0; i < e->items.n; i++) {
      Expr *p = e->items.v[i];
      for (int j = 0; j < i; j++) {
        Expr *o = e->items.v[j];
        if (!strcmp(o->name, p->name)) {
          Diag *d = diag_error(r->c, "E102", p->name_span, "'%s' is given twice", p->name);
          diag_note(r->c, d, o->name_span, "first given here");
          p->k = EX_ERROR;
          break;
        }
      }
      if (p->k == EX_PAIR)
        expr_type(r, p->base, NULL);
    }
    return A_OBJECT;
  case EX_PAIR: return expr_type(r, e->base, ref);
  case EX_NOT: case EX_BINARY: return op_type(r, e);
  case EX_COND: return choice_type(r, e);
  case EX_INDEX: return let_chain_type(r, e);
  }
  return 0;
}

static bool word_in(const char *words, const char *w) {
  size_t n = strlen(w);
  for (const char *p = words; *p;) {
    const char *sp = strchr(p, ' ');
    size_t len = sp ? (size_t)(sp - p) : strlen(p);
    if (len == n && !memcmp(p, w, n))
      return true;
    if (!sp)
      break;
    p = sp + 1;
  }
  return false;
}

/* The word of words (space-separated) closest to w, or NULL. */
static const char *suggest_in(R *r, const char *words, const char *w) {
  const char *cands[64];
  int n = 0;
  char *copy = arena_strndup(r->a, words, strlen(words));
  for (char *p = copy, *sp; p && n < 64; p = sp ? sp + 1 : NULL) {
    sp = strchr(p, ' ');
    if (sp)
      *sp = '\0';
    cands[n++] = p;
  }
  return resolve_suggest(w, cands, n);
}

static const char *found_desc(R *r, Expr *e, unsigned t, Decl *ref) {
  if (ref && ref->k == D_PARAM)
    return arena_printf(r->a, "param %s of type %s", ref->name, ref->type_name);
  if (ref)
    return arena_printf(r->a, "%s %s", decl_kind(ref), ref->name);
  if (e->k == EX_FIELD && e->ref)
    return arena_printf(r->a, "%s.%s (%s)", e->ref->name, e->name,
                        t & A_CIDR ? "a CIDR block" : t & A_INT ? "an integer" : "a string");
  if (e->k == EX_NAME)
    return arena_printf(r->a, "'%s'", e->name);
  return ast_expr_desc(e);
}

/* type = "CNAME": a word written as a string. Words are the values from a
   closed set the compiler knows (docs/language.md, "Words and strings");
   the help names the word, in the case the set spells it. */
static bool quoted_word(R *r, Diag *d, const Expr *e, const AttrDef *ad) {
  const char *text = e->k == EX_STR ? eval_string(e) : NULL;
  if (!text || !*text || !(ad->accept & A_WORD) || !ad->words)
    return false;
  size_t n = strlen(text);
  for (const char *p = ad->words; *p;) {
    size_t len = strcspn(p, " ");
    if (len == n && !strncasecmp(p, text, n)) {
      const char *word = arena_strndup(r->a, p, len);
      diag_help(r->c, d, "write %s without quotes: %s takes a word, not a string", word, ad->name);
      diag_fix(r->c, d, e->span, word);
      return true;
    }
    p += len + (p[len] == ' ');
  }
  return false;
}

/* One value against what an attribute or a slot accepts. */
static void check_value(R *r, const AttrDef *ad, Expr *e, const Desc *at) {
  if (e->k == EX_ERROR)
    return;
  unsigned acc = ad->accept;
  /* ssl_policy = "ELBSecurityPolicy-...": a string of a fixed set */
  const char *fixed = (acc & A_STRING) && !(acc & A_WORD) && ad->words ? eval_string(e) : NULL;
  if (fixed) {
    if (!word_in(ad->words, fixed)) {
      Diag *d = diag_error(r->c, "E106", e->span, "\"%s\" is not a valid %s", fixed, desc_str(r, at));
      const char *s = suggest_in(r, ad->words, fixed);
      if (s) {
        diag_help(r->c, d, "did you mean \"%s\"?", s);
        diag_fix(r->c, d, e->span, arena_printf(r->a, "\"%s\"", s));
      } else if (ad->def)
        diag_help(r->c, d, "the default, \"%s\", is the one most stacks want", ad->def);
      e->k = EX_ERROR;
    }
    return;
  }
  if ((acc & A_WORD) && e->k == EX_NAME &&
      (!ad->words || word_in(ad->words, e->name) || !(acc & (A_REF | A_SECRET)))) {
    if (ad->words && !word_in(ad->words, e->name)) {
      const char *cands[16] = {0};
      int n = 0;
      char tmp[256];
      snprintf(tmp, sizeof tmp, "%s", ad->words);
      for (char *p = strtok(tmp, " "); p && n < 16; p = strtok(NULL, " "))
        cands[n++] = p;
      Diag *d = diag_error(r->c, "E106", e->span, "'%s' is not a valid %s: expected %s", e->name,
                           desc_str(r, at), kind_accept_desc(r->a, ad));
      const char *s = resolve_suggest(e->name, cands, n);
      if (s) {
        diag_help(r->c, d, "did you mean '%s'?", s);
        diag_fix(r->c, d, e->span, s);
      }
      e->k = EX_ERROR;
    }
    return;
  }
  if ((acc & A_LIST) && e->k == EX_LIST) {
    AttrDef item = *ad;
    item.accept &= ~(unsigned)A_LIST;
    for (int i = 0; i < e->items.n; i++)
      check_value(r, &item, e->items.v[i], at);
    return;
  }
  /* `public = yes`: a word where only true or false fits is no misspelt
     reference, unless it is close to a declared name (a bool param). */
  if (acc == A_BOOL && e->k == EX_NAME && !resolve_lookup(r->c, e->name) &&
      !close_decl(r, e->name)) {
    Diag *d = diag_error(r->c, "E106", e->span, "%s expects true or false, found '%s'", desc_str(r, at),
                         e->name);
    diag_help(r->c, d, "booleans are written true and false");
    e->k = EX_ERROR;
    return;
  }
  Decl *ref = NULL;
  r->want = e->k == EX_NAME ? ad : NULL;
  unsigned t = expr_type(r, e, &ref);
  r->want = NULL;
  if (!t)
    return;
  if (t == A_REF) {
    if ((acc & A_REF) && kind_ref_ok(ad->ref, kind_of_decl(ref)))
      return;
    if (acc & A_REF) {
      const char *what = ref->type_name ? arena_printf(r->a, "resource %s (%s)", ref->name, ref->type_name)
                                        : arena_printf(r->a, "%s %s", ref->kind_name, ref->name);
      Diag *d = diag_error(r->c, "E103", e->span, "%s expects %s, found %s", desc_str(r, at),
                           kind_refs_desc(r->a, ad->ref, true), what);
      diag_note(r->c, d, ref->name_span, "%s declared here", what);
      e->k = EX_ERROR;
      return;
    }
  } else if (t & acc & ~(unsigned)(A_LIST | A_REF | A_WORD)) {
    return;
  } else if ((t & A_LIST) && (acc & A_LIST)) {
    return; /* items were checked above */
  }
  Diag *d = diag_error(r->c, "E106", e->span, "%s expects %s, found %s", desc_str(r, at),
                       kind_accept_desc(r->a, ad), found_desc(r, e, t, ref));
  if (ref)
    diag_note(r->c, d, ref->name_span, "%s %s declared here", decl_kind(ref), ref->name);
  /* vpc = "main", cidr = "10.0.0.0/16": the quotes are the mistake. */
  const char *text = e->k == EX_STR ? eval_string(e) : NULL;
  Decl *named = text ? resolve_lookup(r->c, text) : NULL;
  if (named && (acc & A_REF) && named->k == D_RESOURCE && kind_ref_ok(ad->ref, kind_of_decl(named))) {
    diag_help(r->c, d, "a reference is a bare name: %s", text);
    diag_fix(r->c, d, e->span, text);
  } else if (text && quoted_word(r, d, e, ad)) {
  } else if (text && *text >= '0' && *text <= '9' && !(acc & A_STRING) &&
             strspn(text, "0123456789./KiMGTBsmhd") == strlen(text)) {
    diag_help(r->c, d, "literals are written without quotes: %s", text);
    diag_fix(r->c, d, e->span, text);
  }
  e->k = EX_ERROR;
}

/* ---- statements: words against the pattern of the kind table ---- */

typedef struct {
  const char *name;
  AttrDef def;
} Slot;

static const Slot slots[] = {
    {"proto", {"protocol", A_WORD, NULL, "tcp udp icmp all", 0, 0, 0}},
    {"ports", {"ports", A_INT | A_PORTS, NULL, NULL, 0, 0, 0}},
    {"peer", {"peer", A_CIDR | A_REF, "security_group", NULL, 0, 0, 0}},
    {"cidr", {"destination", A_CIDR, NULL, NULL, 0, 0, 0}},
    {"target", {"target", A_REF, "internet_gateway|nat_gateway|instance", NULL, 0, 0, 0}},
    {"lproto", {"protocol", A_WORD, NULL, "http https", 0, 0, 0}},
    {"port", {"port", A_INT, NULL, NULL, 0, 0, 0}},
    {"label", {"name", A_WORD, NULL, NULL, 0, 0, 0}},
    {"action", {"action", A_STRING, NULL, NULL, 0, 0, 0}},
    /* the kinds whose bare name is their ARN */
    {"resource",
     {"resource", A_STRING | A_REF,
      "role|certificate|target_group|load_balancer|registry|cluster|log_group|task|service", NULL,
      0, 0, 0}},
};

static const Slot *slot_find(const char *name, size_t n) {
  for (size_t i = 0; i < countof(slots); i++)
    if (strlen(slots[i].name) == n && !memcmp(slots[i].name, name, n))
      return &slots[i];
  return NULL;
}

/* Does word w fit the slot, by its shape only (names fit ref slots)? */
static bool slot_fits(const Slot *s, const Expr *w) {
  unsigned acc = s->def.accept;
  switch (w->k) {
  case EX_NAME:
    if (acc & A_REF)
      return true;
    return (acc & A_WORD) && (!s->def.words || word_in(s->def.words, w->name));
  case EX_INT: return acc & A_INT;
  case EX_PORTS: return acc & A_PORTS;
  case EX_CIDR: return acc & A_CIDR;
  case EX_STR: case EX_FIELD: return acc & A_STRING;
  case EX_ERROR: return true;
  default: return false;
  }
}

typedef struct {
  int word; /* how many words were used */
  bool ok;
  const char *want; /* the pattern item that failed */
  size_t want_len;
  Expr *found[8]; /* the word of each pattern item */
} Match;

static void match_alt(const char *p, const char *end, Vec *words, Match *m) {
  *m = (Match){0};
  int w = 0, item = 0;
  while (p < end) {
    while (p < end && *p == ' ')
      p++;
    if (p >= end)
      break;
    const char *q = p;
    while (q < end && *q != ' ')
      q++;
    size_t n = (size_t)(q - p);
    bool opt = p[n - 1] == '?', many = p[n - 1] == '+';
    const Slot *s = slot_find(p, opt || many ? n - 1 : n);
    Expr *word = w < words->n ? words->v[w] : NULL;
    bool fits;
    if (s)
      fits = word && slot_fits(s, word);
    else if (n == 2 && !memcmp(p, "->", 2))
      fits = word && word->k == EX_ARROW;
    else
      fits = word && word->k == EX_NAME && strlen(word->name) == n && !memcmp(word->name, p, n);
    if (fits) {
      if (item < 8)
        m->found[item] = word;
      w++;
      /* slot+: one or more, separated by commas */
      for (; many && w < words->n && ((Expr *)words->v[w])->k == EX_COMMA; w += 2)
        if (w + 1 >= words->n || !slot_fits(s, words->v[w + 1])) {
          m->word = w + 1;
          m->want = p;
          m->want_len = n - 1;
          return;
        }
    } else if (!opt) {
      m->word = w;
      m->want = p;
      m->want_len = many ? n - 1 : n;
      return;
    }
    item++;
    p = q;
  }
  m->word = w;
  m->ok = w == words->n;
}

static const char *word_desc(R *r, const Expr *w) {
  if (w->k == EX_NAME)
    return arena_printf(r->a, "'%s'", w->name);
  return ast_expr_desc(w);
}

static const char *want_desc(R *r, const char *want, size_t n) {
  const Slot *s = slot_find(want, n);
  if (s)
    return kind_accept_desc(r->a, &s->def);
  return arena_printf(r->a, "'%.*s'", (int)n, want);
}

/* A statement of some kind is named `name`: written after another one on its line. */
static bool stmt_anywhere(const char *name) {
  int n;
  const Schema *all = kind_all(&n);
  for (int i = 0; i < n; i++)
    if (kind_stmt(&all[i], name))
      return true;
  return false;
}

/* Is words[i] in the comma-separated run that starts with first? */
static bool in_run(const Vec *words, const Expr *first, int i) {
  for (int j = i; j >= 0; j -= 2) {
    if (words->v[j] == first)
      return true;
    if (j < 1 || ((Expr *)words->v[j - 1])->k != EX_COMMA)
      return false;
  }
  return false;
}

/* The slots of a matched statement, by pattern item, into m->slots. */
static void resolve_words(R *r, Member *m) {
  const char *pat = m->stmt->pattern;
  Match best = {0}, cur;
  const char *best_alt = pat;
  for (const char *alt = pat;;) {
    const char *bar = strchr(alt, '|');
    const char *end = bar ? bar : alt + strlen(alt);
    match_alt(alt, end, &m->words, &cur);
    if (cur.ok || cur.word > best.word || alt == pat) {
      best = cur;
      best_alt = alt;
    }
    if (cur.ok || !bar)
      break;
    alt = bar + 1;
  }
  if (!best.ok) {
    if (best.want) {
      Expr *w = best.word < m->words.n ? m->words.v[best.word] : NULL;
      const Slot *sl = slot_find(best.want, best.want_len);
      if (w && sl && w->k == EX_NAME && (sl->def.accept & A_WORD) && sl->def.words) {
        /* ingress tcpp 80: a word outside the slot's words, named as E106 does */
        Diag *d = diag_error(r->c, "E106", w->span,
                             "'%s' is not a valid %s in %s statement: expected %s", w->name,
                             sl->def.name, m->name, kind_accept_desc(r->a, &sl->def));
        const char *cands[8] = {0};
        int n = 0;
        char tmp[128];
        snprintf(tmp, sizeof tmp, "%s", sl->def.words);
        for (char *q = strtok(tmp, " "); q && n < 8; q = strtok(NULL, " "))
          cands[n++] = q;
        const char *sug = resolve_suggest(w->name, cands, n);
        if (sug) {
          diag_help(r->c, d, "did you mean '%s'?", sug);
          diag_fix(r->c, d, w->span, sug);
        }
      } else if (w) {
        bool is_slot = sl != NULL;
        Diag *d = diag_error(r->c, is_slot ? "E106" : "E002", w->span,
                             "expected %s in %s statement, found %s",
                             want_desc(r, best.want, best.want_len), m->name, word_desc(r, w));
        const char *lit = arena_strndup(r->a, best.want, best.want_len);
        if (is_slot && w->k == EX_STR)
          quoted_word(r, d, w, &sl->def); /* ingress "tcp" 80 */
        if (!is_slot && w->k == EX_NAME && resolve_suggest(w->name, &lit, 1)) {
          diag_help(r->c, d, "did you mean '%s'?", lit);
          diag_fix(r->c, d, w->span, lit);
        }
      } else if (m->has_body) /* listener http { ... }: the '{' came too early */
        diag_error(r->c, "E002", m->open,
                   "%s statement is incomplete: expected %s after %s, found '{'", m->name, want_desc(r, best.want, best.want_len),
                   m->words.n ? word_desc(r, m->words.v[m->words.n - 1]) : m->name);
      else
        diag_error(r->c, "E002", m->span, "%s statement is incomplete: expected %s after %s",
                   m->name, want_desc(r, best.want, best.want_len),
                   m->words.n ? word_desc(r, m->words.v[m->words.n - 1]) : m->name);
    } else {
      Expr *w = m->words.v[best.word];
      Diag *d = diag_error(r->c, "E002", w->span, "unexpected %s after the end of the %s statement",
                           word_desc(r, w), m->name);
      if (w->k == EX_NAME && stmt_anywhere(w->name))
        diag_newline(r->c, d, w->span, "a statement");
    }
    return;
  }
  m->slots = arena_alloc(r->a, sizeof(Expr *) * 8);
  m->alt = best_alt;
  int item = 0;
  const char *end = strchr(best_alt, '|');
  end = end ? end : best_alt + strlen(best_alt);
  for (const char *p = best_alt; p < end && item < 8; item++) {
    while (p < end && *p == ' ')
      p++;
    const char *q = p;
    while (q < end && *q != ' ')
      q++;
    size_t n = (size_t)(q - p);
    bool many = n && p[n - 1] == '+';
    const Slot *s = n ? slot_find(p, p[n - 1] == '?' || many ? n - 1 : n) : NULL;
    Expr *w = best.found[item];
    if (s && w) {
      m->slots[item] = w;
      /* the words of a slot+ are w and each word after a comma that follows it */
      for (int i = 0; i < m->words.n; i++) {
        Expr *x = m->words.v[i];
        if (x == w || (many && i >= 2 && x->k != EX_COMMA && ((Expr *)m->words.v[i - 1])->k == EX_COMMA &&
                       in_run(&m->words, w, i)))
          if (!(s->def.accept & A_WORD) || (s->def.accept & A_REF))
            check_value(r, &s->def, x, &(Desc){"the", s->def.name, &(Desc){m->name, NULL, NULL}});
      }
    }
    p = q;
  }
}

/* ---- meta-attributes and CloudFormation properties ---- */

static const AttrDef meta_defs[META_N] = {
    [META_LOGICAL_ID] = {"logical_id", A_STRING, NULL, NULL, false, NULL,
                         "the logical ID of the main resource in the template"},
    [META_DEPENDS_ON] = {"depends_on", A_REF | A_LIST, NULL, NULL, false, NULL,
                         "resources created before this one"},
    [META_DELETION] = {"deletion_policy", A_WORD, NULL, "retain delete snapshot", false, NULL,
                       "what deleting the stack does to the resource"},
    [META_UPDATE_REPLACE] = {"update_replace_policy", A_WORD, NULL, "retain delete snapshot", false,
                             NULL, "what a replacement does to the old resource"},
    [META_METADATA] = {"metadata", A_OBJECT, NULL, NULL, false, NULL,
                       "the resource's Metadata, as AWS::CloudFormation::Init"},
    [META_CREATION] = {"creation_policy", A_OBJECT, NULL, NULL, false, NULL,
                       "the resource's CreationPolicy, as { ResourceSignal = { Count = 1 } }"},
    [META_UPDATE_POLICY] = {"update_policy", A_OBJECT, NULL, NULL, false, NULL,
                            "the resource's UpdatePolicy, as { AutoScalingRollingUpdate = { ... } }"},
    [META_PART_IDS] = {"part_ids", A_OBJECT, NULL, NULL, false, NULL,
                       "the logical IDs of a kind's other resources, as { Attachment = \"AttachGateway\" }"},
};

bool resolve_is_meta(const char *name) {
  for (int i = 0; i < META_N; i++)
    if (!strcmp(meta_defs[i].name, name))
      return true;
  return false;
}

static void depends_item(R *r, Expr *e) {
  if (e->k == EX_ERROR)
    return;
  Decl *d = NULL;
  if (e->k != EX_NAME) {
    diag_error(r->c, "E106", e->span, "depends_on expects resource names, found %s",
               ast_expr_desc(e));
    e->k = EX_ERROR;
  } else if (name_type(r, e, &d) && d->k != D_RESOURCE) {
    Diag *dg = diag_error(r->c, "E106", e->span, "depends_on expects resource names, found %s %s",
                          decl_kind(d), d->name);
    diag_note(r->c, dg, d->name_span, "%s %s declared here", decl_kind(d), d->name);
    e->k = EX_ERROR;
  }
}

/* A logical ID as CloudFormation takes it: 1 to 255 letters and digits (E106). */
static bool logical_id_ok(R *r, const char *meta, Expr *e) {
  const char *id = eval_string(e);
  size_t n = id ? strlen(id) : 0;
  if (e->k == EX_ERROR || (n && n <= 255 &&
                           strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == n))
    return true;
  Diag *dg = diag_error(r->c, "E106", e->span, "%s expects a plain string of letters and digits, found %s",
                        meta, id ? arena_printf(r->a, "\"%s\"", id) : ast_expr_desc(e));
  diag_help(r->c, dg, "CloudFormation's logical IDs are 1 to 255 letters and digits, as \"LegacyBucket\"");
  return false;
}

/* A meta-attribute of declaration d: true when m is one (it is resolved). */
static bool resolve_meta(R *r, Decl *d, Member *m, const Desc *owner) {
  if (m->k != M_ATTR)
    return false;
  int i = 0;
  while (i < META_N && strcmp(meta_defs[i].name, m->name))
    i++;
  if (i == META_N)
    return false;
  if (d->meta[i]) {
    Diag *dg = diag_error(r->c, "E102", m->name_span, "'%s' is set twice in %s", m->name,
                          desc_str(r, owner));
    for (int j = 0; j < d->members.n; j++) {
      Member *o = d->members.v[j];
      if (o->k == M_ATTR && o->value == d->meta[i]) {
        diag_note(r->c, dg, o->name_span, "first set here");
        break;
      }
    }
    return true;
  }
  Expr *e = m->value;
  d->meta[i] = e;
  if (i == META_PART_IDS && e->k == EX_OBJECT) {
    for (int j = 0; j < e->items.n; j++)
      if (!logical_id_ok(r, m->name, ((Expr *)e->items.v[j])->base))
        d->meta[i] = NULL;
  } else if (i == META_LOGICAL_ID) {
    if (!logical_id_ok(r, m->name, e))
      d->meta[i] = NULL;
  } else if (i == META_DEPENDS_ON) {
    if (e->k == EX_LIST)
      for (int j = 0; j < e->items.n; j++)
        depends_item(r, e->items.v[j]);
    else
      depends_item(r, e);
  } else if (meta_defs[i].accept == A_OBJECT) {
    bool was = r->in_props;
    r->in_props = true;
    if (expr_type(r, e, NULL) != A_OBJECT && e->k != EX_ERROR)
      diag_error(r->c, "E106", e->span, "%s expects an object, found %s", m->name, ast_expr_desc(e));
    r->in_props = was;
    if (e->k == EX_ERROR)
      d->meta[i] = NULL;
  } else {
    check_value(r, &meta_defs[i], e, &(Desc){m->name, NULL, owner});
    if (e->k == EX_ERROR)
      d->meta[i] = NULL;
  }
  return true;
}

/* Members written as CloudFormation properties, `Name = value` and
   `Name { ... }`, as one object (unresolved: the caller resolves it whole).
   The meta-attributes of meta_owner are taken out on the way. */
static Expr *props_object(R *r, Vec *members, Span sp, Decl *meta_owner, const Desc *owner) {
  Vec pairs = {0};
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    if (meta_owner && resolve_meta(r, meta_owner, m, owner))
      continue;
    Expr *value;
    if (m->k == M_ATTR) {
      value = m->value;
    } else if (!m->words.n && m->has_body) {
      value = props_object(r, &m->body, (Span){sp.file, m->open.lo, m->span.hi}, NULL, owner);
    } else {
      Expr *w = m->words.v[0];
      diag_error(r->c, "E002", w->span, "expected '=' or '{' after property name '%s', found %s",
                 m->name, word_desc(r, w));
      continue;
    }
    vec_push(r->a, &pairs, ast_pair(r->a, m->span, m->name, m->name_span, value));
  }
  return ast_object(r->a, sp, pairs);
}

static void resolve_props(R *r, Expr *obj) {
  r->in_props = true;
  expr_type(r, obj, NULL);
  r->in_props = false;
}

/* resource NAME "AWS::Service::Type" { properties and meta-attributes } */
static void resolve_generic(R *r, Decl *d) {
  Desc owner = {"resource", d->name, NULL};
  d->props = props_object(r, &d->members, d->span, d, &owner);
  resolve_props(r, d->props);
}

/* ---- members ---- */

static void resolve_members(R *r, Vec *members, const Schema *s, Expr ***attrs_out,
                            Span owner, Span whole, const Desc *owner_desc, Decl *meta_owner);

static void unknown_member(R *r, Member *m, const Schema *s, const Desc *owner) {
  const char *owner_desc = desc_str(r, owner);
  const char *cands[64] = {0};
  int n = 0;
  for (int i = 0; i < s->nattrs && n < 64; i++)
    cands[n++] = s->attrs[i].name;
  for (int i = 0; i < s->nstmts && n < 64; i++)
    cands[n++] = s->stmts[i].name;
  const char *what = m->k == M_ATTR ? "attribute" : m->has_body && !m->words.n ? "block" : "statement";
  Diag *d = diag_error(r->c, "E104", m->name_span, "unknown %s '%s' in %s", what, m->name,
                       owner_desc);
  const char *sug = resolve_suggest(m->name, cands, n);
  if (sug) {
    diag_help(r->c, d, "did you mean '%s'?", sug);
    diag_fix(r->c, d, m->name_span, sug);
  } else if (n) {
    Buf b = {0};
    for (int i = 0; i < n; i++)
      buf_printf(&b, "%s%s", i ? ", " : "", cands[i]);
    diag_help(r->c, d, "%s takes: %s", owner_desc, b.s);
    buf_free(&b);
  }
}

static void resolve_stmt(R *r, Member *m, const Schema *s, const Desc *owner_desc) {
  const StmtDef *def = kind_stmt(s, m->name);
  if (!def) {
    int ai = kind_attr_index(s, m->name);
    if (ai >= 0 && m->words.n) {
      Expr *w = m->words.v[0];
      diag_error(r->c, "E002", w->span, "expected '=' after attribute name '%s', found %s",
                 m->name, word_desc(r, w));
    } else if (ai >= 0) {
      /* description { ... }: an attribute written as a block */
      Diag *d = diag_error(r->c, "E002", m->open,
                           "expected '=' after attribute name '%s', found '{'", m->name);
      diag_help(r->c, d, "%s is an attribute: %s = <%s>", m->name, m->name,
                kind_accept_desc(r->a, &s->attrs[ai]));
    } else {
      unknown_member(r, m, s, owner_desc);
    }
    return;
  }
  m->stmt = def;
  if (def->body && !m->has_body) {
    diag_error(r->c, "E002", m->span, "%s needs a block: %s", m->name, def->doc);
    return;
  }
  if (!def->body && m->has_body) {
    diag_error(r->c, "E002", m->open, "%s takes no block: %s", m->name, def->doc);
    return;
  }
  if (!*def->pattern && m->words.n) {
    Expr *w = m->words.v[0];
    diag_error(r->c, "E002", w->span, "expected '{' after %s, found %s", m->name, word_desc(r, w));
    return;
  }
  if (*def->pattern)
    resolve_words(r, m);
  if (def->body) {
    Desc desc = {m->name, NULL, NULL};
    if (m->words.n && ((Expr *)m->words.v[0])->k == EX_NAME)
      desc.name = ((Expr *)m->words.v[0])->name;
    resolve_members(r, &m->body, def->body, &m->attrs, m->name_span, m->span, &desc, NULL);
  }
}

/* record: alias or values, one at least (Schema.one_of): E105 naming each. */
static void check_one_of(R *r, const Schema *s, Member **seen, Span owner, Span whole,
                         const Desc *owner_desc) {
  Buf names = {0}, adds = {0};
  int n = 0;
  bool set = false;
  for (const char *p = s->one_of; *p && !set;) {
    size_t len = strcspn(p, " ");
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)len, p);
    int ai = kind_attr_index(s, name);
    set = ai >= 0 && seen[ai];
    if (ai >= 0) {
      buf_printf(&names, "%s%s", n ? " nor " : "", name);
      buf_printf(&adds, "%s%s = <%s>", n++ ? ", or " : "", name,
                 kind_accept_desc(r->a, &s->attrs[ai]));
    }
    p += len + (p[len] == ' ');
  }
  if (n && !set && !lost_members(r, whole)) {
    Diag *d = diag_error(r->c, "E105", owner, "%s has neither %s: it needs one of them",
                         desc_str(r, owner_desc), names.s);
    diag_help(r->c, d, "add %s", adds.s);
  }
  buf_free(&names);
  buf_free(&adds);
}

static void resolve_members(R *r, Vec *members, const Schema *s, Expr ***attrs_out,
                            Span owner, Span whole, const Desc *owner_desc, Decl *meta_owner) {
  Expr **attrs = arena_alloc(r->a, sizeof(Expr *) * (size_t)(s->nattrs + 1));
  Member **seen = arena_alloc(r->a, sizeof(Member *) * (size_t)(s->nattrs + 1));
  *attrs_out = attrs;
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    if (meta_owner && resolve_meta(r, meta_owner, m, owner_desc))
      continue;
    if (meta_owner && m->k == M_STMT && m->has_body && !m->words.n &&
        !strcmp(m->name, "properties")) {
      /* properties { ... }: more properties of the kind's main resource */
      if (meta_owner->props) {
        Diag *d = diag_error(r->c, "E102", m->name_span, "block 'properties' is given twice in %s",
                             desc_str(r, owner_desc));
        diag_note(r->c, d, meta_owner->props_span, "first given here");
        diag_help(r->c, d, "put the members of both in one properties block");
        continue;
      }
      meta_owner->props_span = m->name_span;
      meta_owner->props = props_object(r, &m->body, (Span){m->span.file, m->open.lo, m->span.hi},
                                       NULL, owner_desc);
      resolve_props(r, meta_owner->props);
      continue;
    }
    if (m->k == M_STMT) {
      resolve_stmt(r, m, s, owner_desc);
      /* tags, health_check and env once each: a second block would be
         ignored, not merged (a service's load_balancer may repeat: it may
         join several target groups) */
      if (m->stmt && m->stmt->body && !*m->stmt->pattern && strcmp(m->name, "load_balancer")) {
        for (int j = 0; j < i; j++) {
          Member *o = members->v[j];
          if (o->k == M_STMT && o->stmt == m->stmt) {
            Diag *d = diag_error(r->c, "E102", m->name_span, "block '%s' is given twice in %s",
                                 m->name, desc_str(r, owner_desc));
            diag_note(r->c, d, o->name_span, "first given here");
            diag_help(r->c, d, "put the members of both in one %s block", m->name);
            break;
          }
        }
      }
      /* container api { } twice in one task: one name, two containers */
      if (m->stmt && !strcmp(m->stmt->pattern, "label") && m->words.n == 1 &&
          ((Expr *)m->words.v[0])->k == EX_NAME) {
        Expr *label = m->words.v[0];
        for (int j = 0; j < i; j++) {
          Member *o = members->v[j];
          if (o->k == M_STMT && o->stmt == m->stmt && o->words.n == 1 &&
              ((Expr *)o->words.v[0])->k == EX_NAME &&
              !strcmp(((Expr *)o->words.v[0])->name, label->name)) {
            Diag *d = diag_error(r->c, "E102", label->span, "%s '%s' is declared twice in %s",
                                 m->name, label->name, desc_str(r, owner_desc));
            diag_note(r->c, d, ((Expr *)o->words.v[0])->span, "first declared here");
            break;
          }
        }
      }
      int ai = kind_attr_index(s, m->name);
      if (ai >= 0 && !seen[ai])
        seen[ai] = m; /* `cidr 10.0.0.0/16` was reported; it is not also missing */
      continue;
    }
    if (s->free_attrs) {
      for (int j = 0; j < i; j++) {
        Member *o = members->v[j];
        if (o->k == M_ATTR && !strcmp(o->name, m->name)) {
          Diag *d = diag_error(r->c, "E102", m->name_span, "'%s' is set twice in %s", m->name,
                               desc_str(r, owner_desc));
          diag_note(r->c, d, o->name_span, "first set here");
          break;
        }
      }
      expr_type(r, m->value, NULL);
      continue;
    }
    int ai = kind_attr_index(s, m->name);
    if (ai < 0) {
      const StmtDef *def = kind_stmt(s, m->name);
      if (def) {
        Diag *d = diag_error(r->c, "E002", m->span, "%s is a %s, not an attribute", m->name,
                             def->body && !*def->pattern ? "block" : "statement");
        diag_help(r->c, d, "write it as %s", def->doc);
      } else
        unknown_member(r, m, s, owner_desc);
      continue;
    }
    if (seen[ai]) {
      Diag *d = diag_error(r->c, "E102", m->name_span, "attribute '%s' is set twice in %s",
                           m->name, desc_str(r, owner_desc));
      diag_note(r->c, d, seen[ai]->name_span, "first set here");
      continue;
    }
    seen[ai] = m;
    attrs[ai] = m->value;
    check_value(r, &s->attrs[ai], m->value, &(Desc){m->name, NULL, owner_desc});
  }
  Buf missing = {0};
  int nmissing = 0;
  for (int i = 0; i < s->nattrs; i++)
    if (s->attrs[i].required && !seen[i])
      buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", s->attrs[i].name);
  if (nmissing && !lost_members(r, whole)) {
    Diag *d = diag_error(r->c, "E105", owner, "%s is missing required attribute%s: %s",
                         desc_str(r, owner_desc), nmissing > 1 ? "s" : "", missing.s);
    for (int i = 0; i < s->nattrs; i++)
      if (s->attrs[i].required && !seen[i]) {
        diag_help(r->c, d, "add %s = <%s>", s->attrs[i].name,
                  kind_accept_desc(r->a, &s->attrs[i]));
        break;
      }
  }
  buf_free(&missing);
  if (s->one_of)
    check_one_of(r, s, seen, owner, whole, owner_desc);
}

/* ---- declarations ---- */

static void declare(R *r, Decl *d) {
  if (d->k == D_STACK || d->k == D_OUTPUT)
    return;
  NameSlot *slot = name_slot(&r->c->names, d->name);
  if (slot->decl) {
    Decl *first = slot->decl;
    Diag *dg = diag_error(r->c, "E102", d->name_span, "name '%s' is declared twice", d->name);
    diag_note(r->c, dg, first->name_span, "first declared here as %s", decl_kind(first));
    return;
  }
  slot->key = d->name;
  slot->hash = hash_str(d->name);
  slot->decl = d;
  r->c->names.n++;
}

static void bind_kind(R *r, Decl *d) {
  if (d->k == D_LET && !strcmp(d->kind_name, "condition"))
    d->k = D_CONDITION;
  if (d->k == D_LET && strcmp(d->kind_name, "let")) {
    Diag *dg = diag_error(r->c, "E002", d->kind_span,
                          "'%s %s = ...': a constant is declared with let, a condition with condition",
                          d->kind_name, d->name);
    if (kind_find(d->kind_name))
      diag_help(r->c, dg, "a resource is written as: %s %s { ... }", d->kind_name, d->name);
    else
      diag_help(r->c, dg, "write: let %s = ...", d->name);
    d->value = NULL;
    return;
  }
  if (d->k != D_RESOURCE)
    return;
  bool is_generic = !strcmp(d->kind_name, "resource");
  if (d->type_name && is_generic)
    return;
  if (d->type_name) {
    /* vpc main "AWS::EC2::VPC" { }: a type string belongs to `resource` */
    Diag *dg = diag_error(r->c, "E002", d->type_span, "a kind takes no type string: %s %s { ... }",
                          d->kind_name, d->name);
    diag_help(r->c, dg, "for a CloudFormation type, write: resource %s %.*s { ... }", d->name,
              (int)(d->type_span.hi - d->type_span.lo),
              compile_source(r->c, d->type_span.file)->text + d->type_span.lo);
    d->type_name = NULL;
    return;
  }
  if (is_generic) {
    Diag *dg = diag_error(r->c, "E002", d->name_span,
                          "resource %s needs its CloudFormation type after the name", d->name);
    diag_help(r->c, dg, "as in: resource %s \"AWS::S3::Bucket\" { ... }", d->name);
    return;
  }
  d->schema = kind_find(d->kind_name);
  if (d->schema)
    return;
  Diag *dg = diag_error(r->c, "E104", d->kind_span, "unknown kind '%s'", d->kind_name);
  resolve_kind_help(r->c, dg, d->kind_name, d->kind_span);
}

void resolve_kind_help(Compilation *c, Diag *dg, const char *word, Span sp) {
  int n;
  const Schema *all = kind_all(&n);
  const char *cands[64] = {0};
  for (int i = 0; i < n && i < 64; i++)
    cands[i] = all[i].name;
  const char *s = resolve_suggest(word, cands, n);
  if (s) {
    diag_help(c, dg, "did you mean '%s'?", s);
    diag_fix(c, dg, sp, s);
  } else {
    Buf b = {0};
    for (int i = 0; i < n; i++)
      buf_printf(&b, "%s%s", i ? ", " : "", all[i].name);
    diag_help(c, dg, "the kinds are: %s", b.s);
    buf_free(&b);
  }
}

/* param NAME : "List<AWS::EC2::Subnet::Id>": a type CloudFormation checks at deploy time. */
static void resolve_param_cfn(R *r, Decl *d) {
  bool list;
  if (param_cfn_type(d->type_name, &list))
    return;
  size_t n;
  const char *const *base = param_cfn_base_types(&n);
  const char *p = strchr(d->type_name, '<'), *in = p ? p + 1 : d->type_name;
  if (p && !strncmp(in, "List<", 5))
    in += 5;
  char word[128];
  snprintf(word, sizeof word, "%.*s", (int)strcspn(in, ">"), in);
  Diag *dg = diag_error(r->c, "E106", d->type_span, "unknown CloudFormation parameter type \"%s\"",
                        d->type_name);
  const char *s = resolve_suggest(word, base, (int)n);
  if (s) { /* the misspelt word replaced inside its List<> or Value<> */
    const char *fixed = arena_printf(r->a, "%.*s%s%s", (int)(in - d->type_name), d->type_name, s,
                                     in + strlen(word));
    diag_help(r->c, dg, "did you mean \"%s\"?", fixed);
    diag_fix(r->c, dg, d->type_span, arena_printf(r->a, "\"%s\"", fixed));
  } else
    diag_help(r->c, dg, "CloudFormation's parameter types are String, Number, CommaDelimitedList, "
              "List<Number>, the AWS-specific ones as \"AWS::EC2::KeyPair::KeyName\" and "
              "\"List<AWS::EC2::Subnet::Id>\", and \"AWS::SSM::Parameter::Value<...>\"");
}

static void resolve_param(R *r, Decl *d) {
  static const char *const types[] = {"string", "int", "bool", "secret", "cidr", "list"};
  if (compile_source(r->c, d->type_span.file)->text[d->type_span.lo] == '"') {
    resolve_param_cfn(r, d);
    if (!param_type(d))
      return;
  } else if (!param_type(d) || isupper((unsigned char)d->type_name[0])) {
    Diag *dg = diag_error(r->c, "E106", d->type_span, "unknown param type '%s'", d->type_name);
    const char *s = resolve_suggest(d->type_name, types, (int)countof(types));
    const char *kind = d->type_name + (d->type_name[0] == '[');
    if (kind_find(arena_strndup(r->a, kind, strcspn(kind, "]")))) {
      diag_help(r->c, dg, "a param typed by a kind is an input of a module (a directory that "
                          "`module NAME \"DIR\" { }` uses), where references cross; a stack's "
                          "params are: string, int, bool, secret, cidr, list");
    } else if (s) {
      diag_help(r->c, dg, "did you mean '%s'?", s);
      diag_fix(r->c, dg, d->type_span, s);
    } else {
      diag_help(r->c, dg, "param types: string, int, bool, secret, cidr, list");
    }
    return;
  }
  if (!d->value)
    return;
  unsigned t = param_type(d);
  AttrDef ad = {d->type_name, t == A_SECRET ? A_STRING : t, NULL, NULL, false, NULL, NULL};
  check_value(r, &ad, d->value, &(Desc){"param", d->name, NULL});
}

bool resolve_input(Compilation *c, const AttrDef *ad, Expr *e, const char *module) {
  R r = {c, &c->arena, c->diags.n, NULL, 0, false};
  int before = c->nerrors;
  check_value(&r, ad, e, &(Desc){"input", ad->name, &(Desc){"module", module, NULL}});
  return c->nerrors == before;
}

/* `NAME if COND`: COND is a condition's name. */
static void resolve_if(R *r, Decl *d) {
  if (!d->cond)
    return;
  Decl *c = NULL;
  if (!name_type(r, d->cond, &c)) {
    if (!c)
      d->cond = NULL;
  }
  if (c && c->k != D_CONDITION) {
    Diag *dg = diag_error(r->c, "E103", d->cond->span, "'if' expects a condition, found %s %s",
                          decl_kind(c), c->name);
    diag_note(r->c, dg, c->name_span, "%s %s declared here", decl_kind(c), c->name);
    diag_help(r->c, dg, "declare one: condition NAME = %s != \"\"", c->name);
    d->cond = NULL;
  }
}

/* Does e read a resource? A condition cannot: it is decided before any exists. */
static const Expr *reads_resource(const Expr *e) {
  if (!e)
    return NULL;
  if ((e->k == EX_NAME || e->k == EX_FIELD) && e->ref && e->ref->k == D_RESOURCE)
    return e;
  if (e->k == EX_FIELD || e->k == EX_PAIR)
    return reads_resource(e->base);
  for (StrPart *p = e->parts; p; p = p->next)
    if (p->expr && reads_resource(p->expr))
      return p->expr;
  for (int i = 0; i < e->items.n; i++) {
    const Expr *x = reads_resource(e->items.v[i]);
    if (x)
      return x;
  }
  return NULL;
}

static void resolve_condition(R *r, Decl *d) {
  unsigned t = expr_type(r, d->value, NULL);
  if (!t)
    return;
  const Expr *res = reads_resource(d->value);
  if (t != A_BOOL || res) {
    Diag *dg = diag_error(r->c, "E106", res ? res->span : d->value->span,
                          res ? "a condition cannot read a resource: it is decided before any is made"
                              : "a condition is a test, found %s",
                          ast_expr_desc(d->value));
    diag_help(r->c, dg, "a condition compares params and aws.* with == != && || !");
    return;
  }
  Tri v = cond_eval(r->a, d->value);
  if (v == TRI_UNKNOWN)
    return;
  Diag *dg = diag_warning(r->c, "W608", d->value->span,
                          "condition %s is always %s, whatever the params and the region",
                          d->name, v == TRI_TRUE ? "true" : "false");
  diag_help(r->c, dg, v == TRI_TRUE
                          ? "remove the condition and its 'if %s': what it guards is always there"
                          : "remove the condition and what it guards: 'if %s' leaves it out always",
            d->name);
}

/* The { } after a param, let or condition holds logical_id, the ID in the
   template's Parameters, Conditions or Mappings (an imported template's own). */
static void resolve_decl_body(R *r, Decl *d) {
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    if (!strcmp(m->name, "logical_id") && resolve_meta(r, d, m, &(Desc){decl_kind(d), d->name, NULL}))
      continue;
    Diag *dg = diag_error(r->c, "E104", m->name_span, "%s %s has no attribute '%s'", decl_kind(d),
                          d->name, m->name);
    static const char *const only[] = {"logical_id"};
    if (resolve_suggest(m->name, only, 1)) {
      diag_help(r->c, dg, "did you mean 'logical_id'? it is what a %s's { } holds", decl_kind(d));
      diag_fix(r->c, dg, m->name_span, "logical_id");
    } else {
      diag_help(r->c, dg, "a %s's { } holds logical_id only, as { logical_id = \"pEdition\" }",
                decl_kind(d));
    }
  }
}

static const char *const output_attrs[] = {"value", "export", "description"};

/* output NAME { value = ... export = "..." description = "..." } */
static void resolve_output_block(R *r, Decl *d) {
  Expr **slot[] = {&d->value, &d->export_name, &d->description};
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    if (!strcmp(m->name, "logical_id") && resolve_meta(r, d, m, &(Desc){"output", d->name, NULL}))
      continue;
    size_t a = 0;
    while (a < countof(output_attrs) && strcmp(output_attrs[a], m->name))
      a++;
    if (m->k != M_ATTR || a == countof(output_attrs)) {
      Diag *dg = diag_error(r->c, "E104", m->name_span, "output %s has no attribute '%s'", d->name,
                            m->name);
      const char *sug = resolve_suggest(m->name, output_attrs, (int)countof(output_attrs));
      diag_help(r->c, dg, "%s%s%san output has value, export, description and logical_id",
                sug ? "did you mean '" : "", sug ? sug : "", sug ? "'? " : "");
      if (sug)
        diag_fix(r->c, dg, m->name_span, sug);
      continue;
    }
    if (*slot[a]) {
      diag_error(r->c, "E102", m->name_span, "'%s' is set twice in output %s", m->name, d->name);
      continue;
    }
    *slot[a] = m->value;
    unsigned t = expr_type(r, m->value, NULL);
    if (a && t && !(t & A_STRING))
      diag_error(r->c, "E106", m->value->span, "%s expects a string, found %s", m->name,
                 ast_expr_desc(m->value));
  }
  if (!d->value && !d->lost) {
    Diag *dg = diag_error(r->c, "E105", d->name_span, "output %s is missing required attribute: value",
                          d->name);
    diag_help(r->c, dg, "add value = <a reference or a string>");
  }
}

/* A reference from where a declaration always exists to one that exists
   only under a condition would break the template when the condition is
   false: it must be guarded by the same condition, with `if` or `? :`. */
typedef struct {
  R *r;
  const Decl *from;
  const Decl *guard; /* the condition the place is under, or NULL */
} Guard;

static void guard_walk(const Guard *g, const Expr *e) {
  if (!e)
    return;
  const Decl *to = e->ref;
  if ((e->k == EX_NAME || e->k == EX_FIELD) && to && to->k != D_CONDITION && to->cond && to->cond->ref &&
      to->cond->ref != g->guard) {
    const Decl *c = to->cond->ref;
    Diag *d = diag_error(g->r->c, "E110", e->span,
                         "%s %s exists only if %s, but %s %s refers to it without that condition",
                         decl_kind(to), to->name, c->name, decl_kind(g->from), g->from->name);
    diag_note(g->r->c, d, to->cond->span, "%s is made only if %s", to->name, c->name);
    diag_help(g->r->c, d, "guard the reference: %s ? %s : aws.no_value, or add 'if %s' to %s",
              c->name, to->name, c->name, g->from->name);
    return;
  }
  if (e->k == EX_COND) {
    Expr *const *x = (Expr *const *)e->items.v;
    Guard in = *g;
    if (x[0]->k == EX_NAME && x[0]->ref && x[0]->ref->k == D_CONDITION)
      in.guard = x[0]->ref;
    guard_walk(&in, x[1]);
    guard_walk(g, x[2]);
    return;
  }
  if (e->k == EX_FIELD || e->k == EX_PAIR)
    guard_walk(g, e->base);
  for (StrPart *p = e->parts; p; p = p->next)
    guard_walk(g, p->expr);
  for (int i = 0; i < e->items.n; i++)
    guard_walk(g, e->items.v[i]);
}

static void guard_members(const Guard *g, const Vec *members) {
  for (int i = 0; i < members->n; i++) {
    const Member *m = members->v[i];
    guard_walk(g, m->value);
    for (int j = 0; j < m->words.n; j++)
      guard_walk(g, m->words.v[j]);
    guard_members(g, &m->body);
  }
}

static void check_guards(R *r) {
  Vec *decls = &r->c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (d->k != D_RESOURCE && d->k != D_OUTPUT)
      continue;
    Guard g = {r, d, d->cond ? d->cond->ref : NULL};
    guard_members(&g, &d->members);
    if (d->k == D_OUTPUT && !d->members.n)
      guard_walk(&g, d->value);
  }
}

static int cmp_pin(const void *a, const void *b) {
  const Decl *x = *(Decl *const *)a, *y = *(Decl *const *)b;
  int k = strcmp(eval_string(x->meta[META_LOGICAL_ID]), eval_string(y->meta[META_LOGICAL_ID]));
  return k ? k : x->index - y->index;
}

/* Two declarations pinned to one logical ID: sorted, so that a stack taken
   over whole (every ID pinned) costs n log n. */
static void unique_pins(R *r) {
  Vec *decls = &r->c->prog.decls;
  Decl **pins = malloc(sizeof *pins * (size_t)(decls->n + 1));
  int n = 0;
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if ((d->k == D_RESOURCE || d->k == D_PARAM) && d->meta[META_LOGICAL_ID]) /* one namespace in a template */
      pins[n++] = d;
  }
  qsort(pins, (size_t)n, sizeof *pins, cmp_pin);
  for (int i = 1; i < n; i++) {
    const Expr *a = pins[i - 1]->meta[META_LOGICAL_ID], *b = pins[i]->meta[META_LOGICAL_ID];
    if (strcmp(eval_string(a), eval_string(b)))
      continue;
    Diag *d = diag_error(r->c, "E102", b->span, "logical ID \"%s\" is given to %s and %s",
                         eval_string(b), pins[i - 1]->name, pins[i]->name);
    diag_note(r->c, d, a->span, "first given here");
    pins[i]->meta[META_LOGICAL_ID] = NULL; /* said once */
    pins[i] = pins[i - 1];
  }
  free(pins);
}

void resolve_program(Compilation *c) {
  R r = {c, &c->arena, c->diags.n, NULL, 0, false};
  Vec *decls = &c->prog.decls;
  names_init(c, decls->n);
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    bind_kind(&r, d);
    declare(&r, d);
  }
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (d->k == D_STACK) {
      if (c->prog.stack) {
        Diag *dg = diag_error(c, "E102", d->name_span, "a second stack declaration '%s'", d->name);
        diag_note(c, dg, c->prog.stack->name_span, "stack %s declared here: one per stack",
                  c->prog.stack->name);
      } else {
        c->prog.stack = d;
      }
    }
  }
  if (!c->prog.stack && c->files.n && !c->nerrors) {
    Diag *dg = diag_error(c, "E105", (Span){0, 0, 0}, "no stack declaration");
    bool module_like = false; /* params and outputs: a module's inputs and outputs */
    for (int i = 0; i < decls->n && !module_like; i++)
      module_like = ((Decl *)decls->v[i])->k == D_PARAM || ((Decl *)decls->v[i])->k == D_OUTPUT;
    diag_help(c, dg,
              module_like ? "add: stack NAME { region = \"ap-northeast-1\" }; or, if this directory "
                            "is a module, check the stack that uses it (module NAME \"DIR\" { ... })"
                          : "add: stack NAME { region = \"ap-northeast-1\" }");
  }
  /* constants and conditions first: their types are those of their uses */
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (d->k == D_LET && d->value)
      d->let_type = expr_type(&r, d->value, NULL);
    else if (d->k == D_CONDITION && d->value)
      resolve_condition(&r, d);
  }
  modules_check_inputs(c); /* before their copies are resolved: a wrong input is said once */
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    resolve_if(&r, d);
    switch (d->k) {
    case D_CONDITION: case D_LET: resolve_decl_body(&r, d); break;
    case D_FOR: break; /* expanded before */
    case D_STACK:
      d->schema = kind_stack();
      resolve_members(&r, &d->members, d->schema, &d->attrs, d->name_span, d->span,
                      &(Desc){"stack", d->name, NULL}, NULL);
      break;
    case D_RESOURCE:
      if (d->schema)
        resolve_members(&r, &d->members, d->schema, &d->attrs, d->name_span, d->span,
                        &(Desc){d->kind_name, d->name, NULL}, d);
      else if (d->type_name && !strcmp(d->kind_name, "resource"))
        resolve_generic(&r, d);
      break;
    case D_PARAM:
      resolve_param(&r, d);
      resolve_decl_body(&r, d);
      break;
    case D_OUTPUT:
      for (int j = 0; j < i; j++) {
        Decl *o = decls->v[j];
        if (o->k == D_OUTPUT && !strcmp(o->name, d->name)) {
          Diag *dg = diag_error(c, "E102", d->name_span, "output '%s' is declared twice", d->name);
          diag_note(c, dg, o->name_span, "first declared here");
          break;
        }
      }
      if (d->members.n || !d->value)
        resolve_output_block(&r, d);
      else
        expr_type(&r, d->value, NULL);
      break;
    }
  }
  check_guards(&r);
  unique_pins(&r);
}
