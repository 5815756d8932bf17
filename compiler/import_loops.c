/* import_loops.c: `infrac import --loops`, a post-pass on the importer's
   source: a run of consecutive declarations of one kind (or one `resource`
   type) whose names differ by a zone or index suffix (public_a, public_b)
   and whose bodies differ only where each value follows from the suffix or
   the position (AvailabilityZone = "us-east-1a", CidrBlock = "10.0.1.0/24",
   SubnetId = public_a, an integer) becomes one `for`:

     for z, i in ["a", "b"] {
       resource public_${z} "AWS::EC2::Subnet" { ... "us-east-1${z}" ... cidr(10.0.0.0/16, 8, i) ... }
     }

   An iteration may be a few declarations that repeat together (a subnet
   and its association). It works on the parsed declarations, kinds or
   `resource`s alike, and writes the new text by splicing the source: the
   loop's body is the first iteration's text with each varying value
   replaced by its form. A fold is kept only when the stack builds to the
   same template with it as without it (compiled here: all folds at once,
   else one at a time), so what the importer promises (plan --against says
   "No changes.") holds of the folded source. */
#include <stdlib.h>
#include <string.h>

#include "cfn_json.h"
#include "cidr.h"
#include "import_loops.h"
#include "lower.h"
#include "strmap.h"

/* One place where the declarations of a run differ: the span in the first
   declaration's text, and each declaration's value there. */
typedef struct {
  Span at;
  const Expr **vals;
  bool word; /* a statement's word: an expression there is written ${...} */
  const Decl *decl; /* the first declaration of those it is in */
} Diff;

typedef struct {
  Arena *a;
  const char *text; /* the source the spans are in */
  int n;            /* declarations in the run */
  Vec diffs;        /* Diff* */
  const char **z;   /* the suffix of each declaration's name: the loop's list */
  const char *var, *index; /* the loop's variables */
  bool uses_index;
  const Program *prog;
} Run;

/* ---- where a run's declarations differ ---- */

static bool eq_str(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

/* A string without interpolation: its text; NULL for any other. */
static const char *plain_text(Arena *a, const Expr *e) {
  if (e->k != EX_STR)
    return NULL;
  Buf b = {0};
  for (const StrPart *p = e->parts; p; p = p->next) {
    if (p->expr || !p->text) {
      buf_free(&b);
      return NULL;
    }
    buf_puts(&b, p->text);
  }
  const char *s = arena_strndup(a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

/* A value that may vary across the run: its text as compared; NULL for an
   expression with parts to compare one by one. */
static const char *leaf_text(Run *r, const Expr *e) {
  switch (e->k) {
  case EX_STR: return plain_text(r->a, e);
  case EX_INT: return arena_printf(r->a, "%lld", (long long)e->i);
  case EX_NAME: return e->parts ? NULL : e->name;
  case EX_BOOL: case EX_CIDR: case EX_IP: case EX_SIZE: case EX_DURATION: case EX_PORTS:
    return arena_strndup(r->a, r->text + e->span.lo, e->span.hi - e->span.lo);
  default: return NULL;
  }
}

static bool same_expr(Run *r, const Expr **es);

static const Expr **column(Run *r);

static bool same_at(Run *r, const Expr **es, const Expr *(*pick)(const Expr *, int), int k) {
  const Expr **sub = column(r);
  for (int j = 0; j < r->n; j++)
    sub[j] = pick(es[j], k);
  return same_expr(r, sub);
}

static const Expr *pick_base(const Expr *e, int k) { (void)k; return e->base; }
static const Expr *pick_item(const Expr *e, int k) { return e->items.v[k]; }
static const Expr *pick_part(const Expr *e, int k) {
  const StrPart *p = e->parts;
  while (k--)
    p = p->next;
  return p->expr;
}

static int part_count(const Expr *e) {
  int n = 0;
  for (const StrPart *p = e->parts; p; p = p->next)
    n++;
  return n;
}

/* es[0..n) alike but for values that vary (recorded as Diffs). */
static bool same_expr(Run *r, const Expr **es) {
  const Expr *e = es[0];
  bool present = e != NULL;
  for (int j = 1; j < r->n; j++)
    if ((es[j] != NULL) != present)
      return false;
  if (!present)
    return true;
  for (int j = 1; j < r->n; j++)
    if (es[j]->k != e->k)
      return false;
  if (e->k == EX_FOR || e->k == EX_ERROR)
    return false;
  const char *t0 = leaf_text(r, e);
  if (t0) {
    bool all = true;
    for (int j = 1; j < r->n && all; j++) {
      const char *t = leaf_text(r, es[j]);
      if (!t)
        return false;
      all = !strcmp(t, t0);
    }
    if (!all) {
      Diff *d = arena_alloc(r->a, sizeof *d);
      d->at = e->span;
      d->vals = es;
      vec_push(r->a, &r->diffs, d);
    }
    return true;
  }
  int parts = part_count(e);
  bool texts_vary = false;
  for (int j = 1; j < r->n; j++) {
    const Expr *x = es[j];
    if (!eq_str(x->name, e->name) || x->items.n != e->items.n || !x->base != !e->base ||
        part_count(x) != parts)
      return false;
    const StrPart *p = e->parts, *q = x->parts;
    for (; p; p = p->next, q = q->next) {
      if (!p->expr != !q->expr || !p->text != !q->text)
        return false;
      texts_vary |= !eq_str(p->text, q->text);
    }
  }
  if (e->base && !same_at(r, es, pick_base, 0))
    return false;
  for (int k = 0; k < e->items.n; k++)
    if (!same_at(r, es, pick_item, k))
      return false;
  int diffs = r->diffs.n, k = 0;
  for (const StrPart *p = e->parts; p; p = p->next, k++)
    if (p->expr && !same_at(r, es, pick_part, k))
      return false;
  if (texts_vary) { /* "web-1-${aws.stack_name}": the text between varies, the rest is alike */
    if (r->diffs.n != diffs)
      return false;
    Diff *d = arena_alloc(r->a, sizeof *d);
    d->at = e->span;
    d->vals = es;
    vec_push(r->a, &r->diffs, d);
  }
  return true;
}

static const Expr **column(Run *r) {
  return arena_alloc(r->a, sizeof(Expr *) * (size_t)r->n);
}

static bool same_members(Run *r, const Vec **ms) {
  for (int j = 1; j < r->n; j++)
    if (ms[j]->n != ms[0]->n)
      return false;
  for (int i = 0; i < ms[0]->n; i++) {
    const Member *m0 = ms[0]->v[i];
    const Expr **values = column(r);
    const Vec **bodies = arena_alloc(r->a, sizeof *bodies * (size_t)r->n);
    for (int j = 0; j < r->n; j++) {
      const Member *x = ms[j]->v[i];
      if (x->k != m0->k || !eq_str(x->name, m0->name) || x->words.n != m0->words.n ||
          x->has_body != m0->has_body)
        return false;
      values[j] = x->value;
      bodies[j] = &x->body;
    }
    if (!same_expr(r, values))
      return false;
    for (int w = 0; w < m0->words.n; w++) {
      const Expr **words = column(r);
      for (int j = 0; j < r->n; j++)
        words[j] = ((const Member *)ms[j]->v[i])->words.v[w];
      int before = r->diffs.n;
      if (!same_expr(r, words))
        return false;
      if (r->diffs.n > before && ((Diff *)r->diffs.v[before])->at.lo == words[0]->span.lo)
        ((Diff *)r->diffs.v[before])->word = true;
    }
    if (!same_members(r, bodies))
      return false;
  }
  return true;
}

/* The declarations of the run alike but for what varies; r->diffs filled. */
static bool same_decls(Run *r, Decl **ds) {
  const Vec **ms = arena_alloc(r->a, sizeof *ms * (size_t)r->n);
  const Expr **conds = column(r), **values = column(r);
  for (int j = 0; j < r->n; j++) {
    if (ds[j]->k != ds[0]->k || !eq_str(ds[j]->kind_name, ds[0]->kind_name) ||
        !eq_str(ds[j]->type_name, ds[0]->type_name))
      return false;
    ms[j] = &ds[j]->members;
    conds[j] = ds[j]->cond;
    values[j] = ds[j]->value;
  }
  return same_expr(r, conds) && same_expr(r, values) && same_members(r, ms);
}

/* ---- names: P${z}S ---- */

static bool is_alnum(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return n > 0;
}

enum { SUFFIX_MAX = 4 }; /* a zone's letter, an index, "az1": not a word */

/* The part of name between prefix p and suffix s (of lengths np, ns) when
   it is a zone or index suffix; NULL otherwise. */
static const char *suffix_of(Arena *a, const char *name, const char *p, size_t np, const char *s,
                             size_t ns) {
  size_t n = strlen(name);
  if (n <= np + ns || strncmp(name, p, np) || strcmp(name + n - ns, s))
    return NULL;
  size_t nv = n - np - ns;
  const char *v = name + np;
  if (!np || nv > SUFFIX_MAX) /* web, worker: names, not a suffix */
    return NULL;
  for (size_t i = 0; i < nv; i++)
    if (!is_alnum(v[i]))
      return NULL;
  /* a word's end: public_a, subnet1 (digits), not web/worker */
  if (np && p[np - 1] != '_' && !all_digits(v, nv))
    return NULL;
  if (ns && s[0] != '_')
    return NULL;
  return arena_strndup(a, v, nv);
}

/* The prefix and suffix two names share around a zone or index suffix. */
static bool name_pattern(const char *a, const char *b, size_t *np, size_t *ns) {
  size_t na = strlen(a), nb = strlen(b), p = 0, s = 0;
  while (p < na && p < nb && a[p] == b[p])
    p++;
  while (s < na - p && s < nb - p && a[na - 1 - s] == b[nb - 1 - s])
    s++;
  /* the part that varies whole: from a '_' (public_a1, public_b1: "a1"),
     or a number after letters (net256, net257: "256", not net25 + "6") */
  while (s && a[na - s] != '_')
    s--;
  bool digits = all_digits(a + p, na - p - s) && all_digits(b + p, nb - p - s);
  while (p && (digits ? a[p - 1] >= '0' && a[p - 1] <= '9' : a[p - 1] != '_'))
    p--;
  *np = p;
  *ns = s;
  return na > p + s && nb > p + s;
}

/* ---- the form of a varying value ---- */

static void put_escaped(Buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == '"' || ch == '\\')
      buf_printf(b, "\\%c", ch);
    else if (ch == '$' && i + 1 < n && s[i + 1] == '{')
      buf_puts(b, "\\$");
    else if (ch == '\n')
      buf_puts(b, "\\n");
    else if (ch == '\t')
      buf_puts(b, "\\t");
    else
      buf_add(b, &ch, 1);
  }
}

/* P and S such that each text is P + z + S, or false. */
static bool around_z(Run *r, const char **texts, size_t *np, size_t *ns) {
  const char *t0 = texts[0], *z0 = r->z[0];
  size_t n0 = strlen(t0), nz = strlen(z0);
  for (const char *at = strstr(t0, z0); at; at = strstr(at + 1, z0)) {
    size_t p = (size_t)(at - t0), s = n0 - p - nz;
    bool all = true;
    for (int j = 1; j < r->n && all; j++) {
      size_t n = strlen(texts[j]), nzj = strlen(r->z[j]);
      all = n == p + nzj + s && !strncmp(texts[j], t0, p) && !strcmp(texts[j] + n - s, t0 + n0 - s) &&
            !strncmp(texts[j] + p, r->z[j], nzj);
    }
    if (all) {
      *np = p;
      *ns = s;
      return true;
    }
  }
  return false;
}

/* values[j] = b + a * j for all j: the expression in the index, or NULL. */
static const char *linear(Run *r, const long long *v) {
  long long b = v[0], a = v[1] - v[0];
  for (int j = 2; j < r->n; j++)
    if (v[j] != b + a * j)
      return NULL;
  r->uses_index = true;
  const char *term = a == 1 || a == -1 ? r->index : arena_printf(r->a, "%lld * %s", a < 0 ? -a : a, r->index);
  if (a < 0)
    return arena_printf(r->a, "%lld - %s", b, term);
  return b ? arena_printf(r->a, "%lld + %s", b, term) : term;
}

/* The source text, between quotes, that makes texts[j] in iteration j:
   the text itself when all are alike, else P${z}S or P${b + i}S; NULL when
   neither makes them. */
static const char *text_form(Run *r, const char **texts) {
  size_t n0 = strlen(texts[0]), p, s;
  const char *e = r->var;
  bool alike = true;
  for (int j = 1; j < r->n && alike; j++)
    alike = !strcmp(texts[j], texts[0]);
  if (alike) {
    p = n0, s = 0, e = NULL;
  } else if (!around_z(r, texts, &p, &s)) {
    /* P + an integer + S: P and S end and start with no digit of it */
    p = n0, s = n0;
    for (int j = 1; j < r->n; j++) {
      size_t k = 0;
      while (k < p && texts[j][k] == texts[0][k])
        k++;
      p = k;
    }
    while (p && texts[0][p - 1] >= '0' && texts[0][p - 1] <= '9')
      p--;
    for (int j = 1; j < r->n; j++) {
      size_t n = strlen(texts[j]), k = 0;
      while (k < s && k < n - p && k < n0 - p && texts[j][n - 1 - k] == texts[0][n0 - 1 - k])
        k++;
      s = k;
    }
    while (s && texts[0][n0 - s] >= '0' && texts[0][n0 - s] <= '9')
      s--;
    long long *v = arena_alloc(r->a, sizeof *v * (size_t)r->n);
    for (int j = 0; j < r->n; j++) {
      size_t n = strlen(texts[j]);
      const char *mid = texts[j] + p;
      if (n < p + s || !all_digits(mid, n - p - s) || n - p - s > 15 || (n - p - s > 1 && mid[0] == '0'))
        return NULL;
      v[j] = strtoll(arena_strndup(r->a, mid, n - p - s), NULL, 10);
    }
    if (!(e = linear(r, v)))
      return NULL;
  }
  Buf b = {0};
  put_escaped(&b, texts[0], p);
  if (e)
    buf_printf(&b, "${%s}", e);
  put_escaped(&b, texts[0] + n0 - s, s);
  const char *out = arena_strndup(r->a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return out;
}

/* A string whose text between interpolations varies: each piece's form,
   the interpolations as written. */
static const char *interpolated_form(Run *r, const Diff *d) {
  Buf b = {0};
  buf_puts(&b, "\"");
  const StrPart **at = arena_alloc(r->a, sizeof *at * (size_t)r->n);
  const char **texts = arena_alloc(r->a, sizeof *texts * (size_t)r->n);
  for (int j = 0; j < r->n; j++)
    at[j] = d->vals[j]->parts;
  const char *out = NULL;
  for (; at[0]; ) {
    if (at[0]->expr) {
      Span sp = at[0]->expr->span;
      buf_printf(&b, "${%.*s}", (int)(sp.hi - sp.lo), r->text + sp.lo);
    } else {
      for (int j = 0; j < r->n; j++)
        texts[j] = at[j]->text;
      const char *t = text_form(r, texts);
      if (!t)
        goto done;
      buf_puts(&b, t);
    }
    for (int j = 0; j < r->n; j++)
      at[j] = at[j]->next;
  }
  buf_puts(&b, "\"");
  out = arena_strndup(r->a, b.s, b.len);
done:
  buf_free(&b);
  return out;
}

/* A block as written: a CIDR literal, or a string holding one. */
static bool block_of(Run *r, const Expr *e, Cidr *out) {
  if (e->k == EX_CIDR) {
    *out = e->cidr;
    return true;
  }
  const char *t = plain_text(r->a, e);
  size_t lo, hi;
  return t && cidr_parse(t, strlen(t), true, out, &lo, &hi) == CIDR_OK && !cidr_has_host_bits(*out);
}

static const Decl *decl_named(const Program *prog, const char *name) {
  for (int i = 0; i < prog->decls.n; i++)
    if (!strcmp(((Decl *)prog->decls.v[i])->name, name))
      return prog->decls.v[i];
  return NULL;
}

/* Blocks of one size inside the block of a declaration the run's first
   names (vpc = main, VpcId = network), numbered by the index:
   cidr(main, 8, 10 + i) for a kind's block, cidr(10.0.0.0/16, 8, i) for a
   string's. NULL when there is no such block. */
static const char *cidr_form(Run *r, const Diff *d) {
  Cidr *c = arena_alloc(r->a, sizeof *c * (size_t)r->n);
  for (int j = 0; j < r->n; j++)
    if (!block_of(r, d->vals[j], &c[j]) || c[j].prefix != c[0].prefix)
      return NULL;
  for (int i = 0; i < d->decl->members.n; i++) {
    const Member *m = d->decl->members.v[i];
    const Decl *ref = m->k == M_ATTR && m->value && m->value->k == EX_NAME && !m->value->parts
                          ? decl_named(r->prog, m->value->name) : NULL;
    for (int k = 0; ref && k < ref->members.n; k++) {
      const Member *bm = ref->members.v[k];
      Cidr base;
      if (bm->k != M_ATTR || !bm->value || !block_of(r, bm->value, &base) || base.prefix >= c[0].prefix)
        continue;
      long long *v = arena_alloc(r->a, sizeof *v * (size_t)r->n);
      bool inside = true;
      for (int j = 0; j < r->n && inside; j++) {
        inside = cidr_contains(base, c[j]);
        v[j] = (long long)((cidr_network(c[j]) - cidr_network(base)) >> (32 - c[0].prefix));
      }
      const char *e = inside ? linear(r, v) : NULL;
      if (!e)
        continue;
      char buf[19];
      const char *b = bm->value->k == EX_CIDR ? m->value->name : cidr_format(base, buf);
      return arena_printf(r->a, "cidr(%s, %d, %s)", b, c[0].prefix - base.prefix, e);
    }
  }
  return NULL;
}

/* The text that makes each declaration's value in its iteration, or NULL. */
static const char *form(Run *r, const Diff *d) {
  const char **texts = arena_alloc(r->a, sizeof *texts * (size_t)r->n);
  for (int j = 0; j < r->n; j++)
    texts[j] = leaf_text(r, d->vals[j]);
  size_t p, s;
  switch (d->vals[0]->k) {
  case EX_NAME: /* a reference: public_${z} */
    if (!around_z(r, texts, &p, &s))
      return NULL;
    return arena_printf(r->a, "%.*s${%s}%s", (int)p, texts[0], r->var, texts[0] + strlen(texts[0]) - s);
  case EX_CIDR: return cidr_form(r, d);
  case EX_STR: {
    if (!texts[0])
      return interpolated_form(r, d);
    const char *c = cidr_form(r, d);
    if (c)
      return c;
    if (around_z(r, texts, &p, &s) && !p && !s)
      return r->var;
    const char *t = text_form(r, texts);
    return t ? arena_printf(r->a, "\"%s\"", t) : NULL;
  }
  case EX_INT: {
    long long *v = arena_alloc(r->a, sizeof *v * (size_t)r->n);
    for (int j = 0; j < r->n; j++)
      v[j] = d->vals[j]->i;
    return linear(r, v);
  }
  default: return NULL;
  }
}

/* ---- the runs ---- */

typedef struct {
  uint32_t lo, hi; /* the source the fold replaces */
  const char *text;
} Fold;

static const char *free_name(const Program *prog, const char *const *names) {
  for (; *names; names++)
    if (!decl_named(prog, *names))
      return *names;
  return NULL;
}

/* A span of the source and the text written in its place. */
typedef struct {
  Span at;
  const char *text;
} Edit;

static int cmp_edit(const void *a, const void *b) {
  const Edit *x = a, *y = b;
  return x->at.lo < y->at.lo ? -1 : x->at.lo > y->at.lo;
}

enum { PERIOD_MAX = 4 }; /* declarations per iteration: a subnet, its association, its route ... */

/* The run of r->n iterations of p declarations from ds (the iteration j's
   are ds[j*p .. j*p+p)) as one loop, or NULL when some value has no form.
   np[q], ns[q]: the prefix and suffix around z of the qth's names. */
static const char *loop_text(Run *r, Decl **ds, int p, const size_t *np, const size_t *ns) {
  Decl **col = arena_alloc(r->a, sizeof *col * (size_t)r->n);
  for (int q = 0; q < p; q++) {
    for (int j = 0; j < r->n; j++)
      col[j] = ds[j * p + q];
    int before = r->diffs.n;
    if (!same_decls(r, col))
      return NULL;
    for (int k = before; k < r->diffs.n; k++)
      ((Diff *)r->diffs.v[k])->decl = ds[q];
  }
  Edit *edits = arena_alloc(r->a, sizeof *edits * (size_t)(r->diffs.n + p));
  int ne = 0;
  for (int k = 0; k < r->diffs.n; k++) {
    const Diff *x = r->diffs.v[k];
    const char *f = form(r, x);
    if (!f)
      return NULL;
    if (x->word && f[0] != '"' && x->vals[0]->k != EX_NAME) /* 8000 + i among words */
      f = arena_printf(r->a, "${%s}", f);
    edits[ne++] = (Edit){x->at, f};
  }
  for (int q = 0; q < p; q++) {
    const char *name = ds[q]->name;
    edits[ne++] = (Edit){ds[q]->name_span, arena_printf(r->a, "%.*s${%s}%s", (int)np[q], name, r->var,
                                                        name + strlen(name) - ns[q])};
  }
  qsort(edits, (size_t)ne, sizeof *edits, cmp_edit);
  Buf b = {0};
  buf_printf(&b, "for %s%s%s in [", r->var, r->uses_index ? ", " : "", r->uses_index ? r->index : "");
  for (int j = 0; j < r->n; j++)
    buf_printf(&b, "%s\"%s\"", j ? ", " : "", r->z[j]);
  buf_puts(&b, "] {\n");
  uint32_t at = ds[0]->span.lo;
  for (int k = 0; k < ne; k++) {
    buf_add(&b, r->text + at, edits[k].at.lo - at);
    buf_puts(&b, edits[k].text);
    at = edits[k].at.hi;
  }
  buf_add(&b, r->text + at, ds[p - 1]->span.hi - at);
  buf_puts(&b, "\n}");
  const char *out = arena_strndup(r->a, b.s, b.len);
  buf_free(&b);
  return out;
}

static bool foldable(const Decl *d) {
  return d->k == D_RESOURCE && strcmp(d->kind_name, "module") && !d->name_parts && !d->lost;
}

/* The run from decls[i] of p declarations an iteration (the declarations
   it takes in *n), as a loop's text; NULL when there is none. */
static const char *run_of(Arena *a, const char *text, const Program *prog, int i, int p, int *n) {
  const Vec *v = &prog->decls;
  Decl **ds = (Decl **)v->v + i;
  size_t np[PERIOD_MAX], ns[PERIOD_MAX];
  if (i + 2 * p > v->n)
    return NULL;
  for (int q = 0; q < p; q++)
    if (!foldable(ds[q]) || !foldable(ds[p + q]) ||
        !name_pattern(ds[q]->name, ds[p + q]->name, &np[q], &ns[q]))
      return NULL;
  Vec z = {0};
  StrMap seen = {0};
  for (int j = 0; i + (j + 1) * p <= v->n; j++) {
    const char *s = NULL;
    bool alike = true;
    for (int q = 0; q < p && alike; q++) {
      const Decl *d = ds[j * p + q], *d0 = ds[q];
      const char *t = foldable(d) && !strcmp(d->kind_name, d0->kind_name)
                          ? suffix_of(a, d->name, d0->name, np[q], d0->name + strlen(d0->name) - ns[q], ns[q])
                          : NULL;
      alike = t && (!s || !strcmp(s, t));
      s = t;
    }
    if (!alike || strmap_get(&seen, s))
      break;
    strmap_put(&seen, s, (void *)s);
    vec_push(a, &z, (void *)s);
  }
  strmap_free(&seen);
  static const char *const vars[] = {"z", "zone", "each", NULL}, *const indexes[] = {"i", "n", "idx", NULL};
  const char *var = free_name(prog, vars), *index = free_name(prog, indexes), *best = NULL;
  /* The longest run whose values all have a form. A value's form is a
     pattern the first g values follow when the first g + 1 do: a search by
     halves, not each length in turn. */
  int lo = 1, hi = z.n; /* a run of lo iterations has forms (1: trivially); hi + 1 has not */
  while (var && index && lo < hi) {
    int g = (lo + hi + 1) / 2;
    Run r = {.a = a, .text = text, .n = g, .z = (const char **)z.v, .prog = prog, .var = var, .index = index};
    const char *t = loop_text(&r, ds, p, np, ns);
    if (t)
      lo = g, best = t;
    else
      hi = g - 1;
  }
  *n = lo * p;
  return lo >= 2 ? best : NULL;
}

/* The run from decls[i], one declaration an iteration or, failing that,
   a few (subnet_1, subnet_1_assoc, subnet_2, subnet_2_assoc). */
static const char *run_at(Arena *a, const char *text, const Program *prog, int i, int *n) {
  for (int p = 1; p <= PERIOD_MAX; p++) {
    const char *t = run_of(a, text, prog, i, p, n);
    if (t)
      return t;
  }
  return NULL;
}

/* text with folds f[0..n) spliced in (they are in source order). */
static char *splice(const char *text, size_t len, Fold *f, int n, size_t *out_len) {
  Buf b = {0};
  uint32_t at = 0;
  for (int k = 0; k < n; k++) {
    buf_add(&b, text + at, f[k].lo - at);
    buf_puts(&b, f[k].text);
    at = f[k].hi;
  }
  buf_add(&b, text + at, len - at);
  *out_len = b.len;
  return b.s ? b.s : calloc(1, 1);
}

/* The template a source builds to (malloc'd), or NULL when it has errors. */
static char *template_of(const char *name, const char *text, size_t len) {
  Compilation *c = compile_new();
  compile_add_source(c, name, text, len);
  compile_run(c);
  char *t = c->nerrors ? NULL : cfn_json_render_ir(lower_program(c));
  compile_free(c);
  return t;
}

/* Whether src with folds f[0..n) builds to the template want. */
static bool same_template(const Source *src, Fold *f, int n, const char *want) {
  size_t len;
  char *text = splice(src->text, src->len, f, n, &len);
  char *got = template_of(src->name, text, len);
  bool same = got && !strcmp(got, want);
  free(got);
  free(text);
  return same;
}

bool import_loops(Compilation **cp, int *file, Program *prog) {
  Compilation *c = *cp;
  Source *src = compile_source(c, *file);
  Arena *a = &c->arena;
  char *want = template_of(src->name, src->text, src->len);
  if (!want)
    return false;
  /* Each run as if those before it were folded, tried all at once: when
     they build to the same template, that is one build; else one at a
     time, each kept only when it does, the next looked for after it. */
  Fold *kept = arena_alloc(a, sizeof *kept * (size_t)(prog->decls.n + 1));
  int nkept = 0;
  for (int i = 0, n; i < prog->decls.n;) {
    const char *loop = run_at(a, src->text, prog, i, &n);
    if (!loop) {
      i++;
      continue;
    }
    kept[nkept++] = (Fold){((Decl *)prog->decls.v[i])->span.lo,
                           ((Decl *)prog->decls.v[i + n - 1])->span.hi, loop};
    i += n;
  }
  if (nkept && !same_template(src, kept, nkept, want)) {
    nkept = 0;
    for (int i = 0, n; i < prog->decls.n;) {
      const char *loop = run_at(a, src->text, prog, i, &n);
      if (loop) {
        kept[nkept] = (Fold){((Decl *)prog->decls.v[i])->span.lo,
                             ((Decl *)prog->decls.v[i + n - 1])->span.hi, loop};
        if (same_template(src, kept, nkept + 1, want)) {
          nkept++;
          i += n;
          continue;
        }
      }
      i++;
    }
  }
  free(want);
  if (!nkept)
    return false;
  size_t len;
  char *text = splice(src->text, src->len, kept, nkept, &len);
  Compilation *n = compile_new();
  int f = compile_add_source(n, src->name, text, len);
  free(text);
  Program p = {0};
  parse_file(n, f, &p);
  if (n->nerrors) { /* an importer's bug: the unfolded source stands */
    compile_free(n);
    return false;
  }
  compile_free(c);
  *cp = n;
  *file = f;
  *prog = p;
  return true;
}
