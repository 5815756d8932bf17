/* fmt.c: the canonical layout of a file (`infrac fmt`).

   The printer walks the AST and writes its tokens in source order; the
   comments, which the lexer records for it, are written as soon as the
   printer passes their offset: a comment that followed code on its line stays
   at the end of the line it lands on, any other stands on a line of its own.
   Newlines are written only where the language takes them as blanks or as
   the end of a member, so the output always parses to the same AST, and
   fmt_format checks that it does before anything is written. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "parser.h"

/* ---- output lines ---- */

typedef struct {
  char *code; /* without the indent's trailing blanks; NULL for a blank line */
  size_t len;
  const char *comment; /* a trailing comment, aligned when the text is joined */
  size_t clen;
} Line;

typedef struct {
  Compilation *c;
  const char *text; /* the source */
  uint32_t len;
  Span **comments; /* in source order */
  int ncomments, next;
  Line *lines;
  int nlines, cap;
  Buf cur;         /* the line being written, with its indent */
  int cur_indent;  /* the indent it started with */
  int indent;      /* the indent of the next new line */
  int pending;     /* blanks to write before the next text on this line */
  bool block_start; /* no blank line before the next item: just after '{' or '[' */
  int gap;          /* blank lines before the next item at the top level, or -1 */
  bool flat;        /* lists stay on one line (a declaration aligned in a run) */
  int base;         /* the indent of declarations: 2 a level inside loops */
} Fmt;

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fputs("infrac: out of memory\n", stderr);
    abort();
  }
  return p;
}

/* Display width: UTF-8 continuation bytes take no column. */
static int ulen(const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n; i++)
    w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

static int ustr(const char *s) { return ulen(s, strlen(s)); }

static bool is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

static void push_line(Fmt *f, const char *code, size_t len, const char *cm, size_t clen) {
  if (f->nlines == f->cap) {
    f->cap = f->cap ? f->cap * 2 : 64;
    f->lines = xrealloc(f->lines, sizeof(Line) * (size_t)f->cap);
  }
  Line *l = &f->lines[f->nlines++];
  l->code = code ? arena_strndup(&f->c->arena, code, len) : NULL;
  l->len = len;
  l->comment = cm;
  l->clen = clen;
}

/* Ends the current line, with cm as its trailing comment. */
static void endline_with(Fmt *f, const char *cm, size_t clen) {
  if (f->cur.len) {
    size_t n = f->cur.len;
    while (n && f->cur.s[n - 1] == ' ')
      n--;
    push_line(f, f->cur.s, n, cm, clen);
    f->cur.len = 0;
  }
  f->pending = 0;
}

static void endline(Fmt *f) { endline_with(f, NULL, 0); }

static void put(Fmt *f, const char *s, size_t n) {
  if (!f->cur.len) {
    for (int i = 0; i < f->indent; i++)
      buf_add(&f->cur, " ", 1);
    f->cur_indent = f->indent;
  } else {
    for (int i = 0; i < f->pending; i++)
      buf_add(&f->cur, " ", 1);
  }
  f->pending = 0;
  buf_add(&f->cur, s, n);
}

static void puts_(Fmt *f, const char *s) { put(f, s, strlen(s)); }

/* n blanks before the next text, if it goes on this line. */
static void sp(Fmt *f, int n) {
  if (f->cur.len)
    f->pending = n < 1 ? 1 : n;
}

static int col(Fmt *f) {
  return f->cur.len ? ulen(f->cur.s, f->cur.len) + f->pending : f->indent;
}

static void blank(Fmt *f) {
  endline(f);
  if (f->nlines && f->lines[f->nlines - 1].code && !f->block_start)
    push_line(f, NULL, 0, NULL, 0);
}

/* ---- the source ---- */

/* The whitespace before lo holds a blank line. */
static bool blank_before(Fmt *f, uint32_t lo) {
  int nl = 0;
  for (uint32_t i = lo; i > 0 && (is_blank(f->text[i - 1]) || f->text[i - 1] == '\n'); i--)
    nl += f->text[i - 1] == '\n';
  return nl >= 2;
}

/* A line between the one of lo and the one of hi is blank. */
static bool blank_between(Fmt *f, uint32_t lo, uint32_t hi) {
  uint32_t p = lo;
  while (p < hi && f->text[p] != '\n')
    p++;
  while (p < hi) {
    uint32_t s = p + 1, e = s;
    while (e < f->len && f->text[e] != '\n')
      e++;
    if (e >= hi)
      break;
    bool empty = true;
    for (uint32_t i = s; i < e && empty; i++)
      empty = is_blank(f->text[i]);
    if (empty)
      return true;
    p = e;
  }
  return false;
}

static bool same_line(Fmt *f, uint32_t lo, uint32_t hi) {
  return !memchr(f->text + lo, '\n', hi - lo);
}

/* Code precedes the comment at lo on its line. */
static bool is_trailing(Fmt *f, uint32_t lo) {
  for (uint32_t i = lo; i > 0 && f->text[i - 1] != '\n'; i--)
    if (!is_blank(f->text[i - 1]))
      return true;
  return false;
}

/* The first comment from f->next on that starts at lo or after: a binary
   search, as the layout asks about every declaration before it writes any. */
static int comment_from(Fmt *f, uint32_t lo) {
  int a = f->next, b = f->ncomments;
  while (a < b) {
    int m = a + (b - a) / 2;
    if (f->comments[m]->lo < lo)
      a = m + 1;
    else
      b = m;
  }
  return a;
}

static bool comment_in(Fmt *f, uint32_t lo, uint32_t hi) {
  int i = comment_from(f, lo);
  return i < f->ncomments && f->comments[i]->lo < hi;
}

/* An `# infrac:ignore` comment on the lines of text[lo..hi) or on the line
   above: breaking those lines would move what it silences off its line. */
static bool ignore_near(Fmt *f, uint32_t lo, uint32_t hi) {
  uint32_t from = lo, to = hi;
  while (from > 0 && f->text[from - 1] != '\n')
    from--;
  if (from > 0)
    for (from--; from > 0 && f->text[from - 1] != '\n'; from--)
      ;
  while (to < f->len && f->text[to] != '\n')
    to++;
  for (int i = comment_from(f, from); i < f->ncomments; i++) {
    const Span *c = f->comments[i];
    if (c->lo >= to)
      break;
    const char *t = f->text + c->lo;
    for (uint32_t k = 0; k + 13 <= c->hi - c->lo; k++)
      if (!memcmp(t + k, "infrac:ignore", 13))
        return true;
  }
  return false;
}

static const char *span_text(Fmt *f, Span sp) {
  return arena_strndup(&f->c->arena, f->text + sp.lo, sp.hi - sp.lo);
}

/* Starts an item that stands on its own line: a declaration, a member, a
   list item, a comment. Blank lines before it are kept (one at most), except
   at the start of a block; at the top level f->gap decides instead. */
static void begin_item(Fmt *f, uint32_t lo) {
  endline(f);
  if (f->gap >= 0) {
    if (f->gap > 0)
      blank(f);
    f->gap = -1;
  } else if (blank_before(f, lo)) {
    blank(f);
  }
  f->block_start = false;
}

/* Writes the comments that stand before offset `before`. */
static void flush(Fmt *f, uint32_t before) {
  while (f->next < f->ncomments && f->comments[f->next]->lo < before) {
    Span *s = f->comments[f->next++];
    size_t n = s->hi - s->lo;
    const char *t = f->text + s->lo;
    while (n && (is_blank(t[n - 1])))
      n--;
    const char *cm = arena_strndup(&f->c->arena, t, n);
    if (is_trailing(f, s->lo) && f->cur.len) {
      endline_with(f, cm, n);
    } else {
      begin_item(f, s->lo);
      put(f, cm, n);
      endline(f);
    }
  }
}

static void emit_tok(Fmt *f, uint32_t lo, const char *s) {
  flush(f, lo);
  puts_(f, s);
}

/* ---- expressions ---- */

/* How tightly an operator binds: its operands that bind looser get parentheses. */
static int binding(const Expr *e) {
  if (e->k == EX_COND)
    return 1;
  if (e->k == EX_BINARY)
    return e->name[0] == '|' ? 2 : e->name[0] == '&' ? 3 : strchr("+-", e->name[0]) ? 5
           : strchr("*/%", e->name[0]) ? 6 : 4;
  return e->k == EX_NOT ? 7 : 8;
}

static void flat_expr(Fmt *f, const Expr *e, Buf *b);

static void flat_operand(Fmt *f, const Expr *x, int min, Buf *b) {
  bool paren = binding(x) < min;
  buf_puts(b, paren ? "(" : "");
  flat_expr(f, x, b);
  buf_puts(b, paren ? ")" : "");
}

static void flat_expr(Fmt *f, const Expr *e, Buf *b) {
  Expr *const *x = (Expr *const *)e->items.v;
  switch (e->k) {
  case EX_NOT:
    buf_puts(b, "!");
    flat_operand(f, x[0], 7, b);
    break;
  case EX_BINARY:
    flat_operand(f, x[0], binding(e), b);
    buf_printf(b, " %s ", e->name);
    flat_operand(f, x[1], binding(e) + 1, b);
    break;
  case EX_COND:
    flat_operand(f, x[0], 2, b);
    buf_puts(b, " ? ");
    flat_operand(f, x[1], 2, b);
    buf_puts(b, " : ");
    flat_operand(f, x[2], 1, b);
    break;
  case EX_INDEX:
    flat_operand(f, x[0], 8, b);
    buf_puts(b, "[");
    flat_expr(f, x[1], b);
    buf_puts(b, "]");
    break;
  case EX_FOR: /* [for z, i in zones: item if cond] */
    buf_printf(b, "[for %s%s%s in ", e->loop->var, e->loop->index ? ", " : "",
               e->loop->index ? e->loop->index : "");
    flat_expr(f, e->loop->list, b);
    buf_puts(b, ": ");
    flat_expr(f, e->loop->item, b);
    if (e->loop->cond) {
      buf_puts(b, " if ");
      flat_expr(f, e->loop->cond, b);
    }
    buf_puts(b, "]");
    break;
  case EX_ARROW: buf_puts(b, "->"); break;
  case EX_COMMA: buf_puts(b, ","); break;
  case EX_FIELD:
    flat_expr(f, e->base, b);
    buf_puts(b, ".");
    buf_puts(b, e->name);
    break;
  case EX_CALL:
  case EX_LIST:
    if (e->k == EX_CALL)
      buf_puts(b, e->name);
    buf_puts(b, e->k == EX_CALL ? "(" : "[");
    for (int i = 0; i < e->items.n; i++) {
      if (i)
        buf_puts(b, ", ");
      flat_expr(f, e->items.v[i], b);
    }
    buf_puts(b, e->k == EX_CALL ? ")" : "]");
    break;
  case EX_OBJECT:
    buf_puts(b, e->items.n ? "{ " : "{ }");
    for (int i = 0; i < e->items.n; i++) {
      if (i)
        buf_puts(b, ", ");
      flat_expr(f, e->items.v[i], b);
    }
    if (e->items.n)
      buf_puts(b, " }");
    break;
  case EX_PAIR:
    buf_add(b, f->text + e->name_span.lo, e->name_span.hi - e->name_span.lo);
    buf_puts(b, " = ");
    flat_expr(f, e->base, b);
    break;
  default: buf_add(b, f->text + e->span.lo, e->span.hi - e->span.lo); break;
  }
}

static int flat_width(Fmt *f, const Expr *e) {
  Buf b = {0};
  flat_expr(f, e, &b);
  int w = ulen(b.s, b.len);
  buf_free(&b);
  return w;
}

static void emit_object(Fmt *f, const Expr *e, int tail);

/* A list holding an object written on several lines stands one item a line. */
static bool multiline_item(Fmt *f, const Expr *list) {
  for (int i = 0; i < list->items.n; i++) {
    const Expr *x = list->items.v[i];
    if (x->k == EX_OBJECT && x->items.n && !same_line(f, x->span.lo, x->span.hi - 1))
      return true;
  }
  return false;
}

/* tail: the width of what follows on the line (a list item's comma). */
static void emit_expr(Fmt *f, const Expr *e, int tail) {
  switch (e->k) {
  case EX_FIELD:
    emit_expr(f, e->base, 0);
    puts_(f, ".");
    emit_tok(f, e->name_span.lo, e->name);
    break;
  case EX_CALL: {
    emit_tok(f, e->name_span.lo, e->name);
    int save = f->indent, line = f->cur_indent;
    puts_(f, "(");
    for (int i = 0; i < e->items.n; i++) {
      if (i) {
        puts_(f, ",");
        sp(f, 1);
      }
      emit_expr(f, e->items.v[i], 0);
    }
    flush(f, e->span.hi - 1);
    f->indent = line; /* after a comment, ')' goes under the line's start */
    puts_(f, ")");
    f->indent = save;
    break;
  }
  case EX_LIST: {
    uint32_t close = e->span.hi - 1;
    const Expr *only = e->items.n == 1 ? e->items.v[0] : NULL;
    if (only && only->k == EX_OBJECT && !comment_in(f, e->span.lo, only->span.lo) &&
        !comment_in(f, only->span.hi, e->span.hi)) {
      /* [{ ... }]: one object hugs its brackets */
      emit_tok(f, e->span.lo, "[");
      emit_object(f, only, tail + 1);
      puts_(f, "]");
      break;
    }
    bool broken = !f->flat && (comment_in(f, e->span.lo, e->span.hi) || multiline_item(f, e) ||
                               (e->items.n && col(f) + flat_width(f, e) + tail > FMT_WIDTH &&
                                !ignore_near(f, e->span.lo, e->span.hi)));
    emit_tok(f, e->span.lo, "[");
    if (!broken) {
      for (int i = 0; i < e->items.n; i++) {
        if (i) {
          puts_(f, ",");
          sp(f, 1);
        }
        emit_expr(f, e->items.v[i], 0);
      }
      puts_(f, "]");
      break;
    }
    int save = f->indent, line = f->cur_indent;
    f->indent = line + 2;
    f->block_start = true;
    for (int i = 0; i < e->items.n; i++) {
      const Expr *item = e->items.v[i];
      flush(f, item->span.lo);
      begin_item(f, item->span.lo);
      emit_expr(f, item, 1);
      puts_(f, ",");
    }
    flush(f, close);
    endline(f);
    f->block_start = false;
    f->indent = line;
    puts_(f, "]");
    f->indent = save;
    break;
  }
  case EX_OBJECT: emit_object(f, e, tail); break;
  case EX_PAIR: /* inside emit_object only */
    emit_tok(f, e->name_span.lo, span_text(f, e->name_span));
    sp(f, 1);
    puts_(f, "=");
    sp(f, 1);
    emit_expr(f, e->base, 0);
    break;
  case EX_NOT: case EX_BINARY: case EX_COND: case EX_INDEX: case EX_FOR: {
    Buf b = {0};
    flat_expr(f, e, &b);
    emit_tok(f, e->span.lo, b.s);
    buf_free(&b);
    break;
  }
  default: emit_tok(f, e->span.lo, span_text(f, e->span)); break;
  }
}

/* An object stays on one line when it was written on one line, holds no
   comment and fits; otherwise one member a line, without commas, the '='
   of each run of members aligned as a block's attributes are. */
static void emit_object(Fmt *f, const Expr *e, int tail) {
  uint32_t close = e->span.hi - 1;
  bool broken = !f->flat && e->items.n &&
                (comment_in(f, e->span.lo, e->span.hi) || !same_line(f, e->span.lo, close) ||
                 (col(f) + flat_width(f, e) + tail > FMT_WIDTH &&
                  !ignore_near(f, e->span.lo, e->span.hi)));
  if (!broken) {
    Buf b = {0};
    flat_expr(f, e, &b);
    emit_tok(f, e->span.lo, "");
    put(f, b.s, b.len);
    buf_free(&b);
    return;
  }
  emit_tok(f, e->span.lo, "{");
  int save = f->indent, line = f->cur_indent;
  f->indent = line + 2;
  f->block_start = true;
  for (int i = 0; i < e->items.n;) {
    int j = i + 1, w = 0;
    for (; j < e->items.n; j++)
      if (blank_between(f, ((Expr *)e->items.v[j - 1])->span.hi, ((Expr *)e->items.v[j])->span.lo))
        break;
    for (int k = i; k < j; k++) {
      const Expr *pr = e->items.v[k];
      int kw = ulen(f->text + pr->name_span.lo, pr->name_span.hi - pr->name_span.lo);
      w = kw > w ? kw : w;
    }
    for (int k = i; k < j; k++) {
      const Expr *pr = e->items.v[k];
      flush(f, pr->span.lo);
      begin_item(f, pr->span.lo);
      int at = f->indent;
      emit_tok(f, pr->name_span.lo, span_text(f, pr->name_span));
      f->indent = at + 2;
      sp(f, w - ulen(f->text + pr->name_span.lo, pr->name_span.hi - pr->name_span.lo) + 1);
      puts_(f, "=");
      sp(f, 1);
      emit_expr(f, pr->base, 0);
      f->indent = at;
    }
    i = j;
  }
  flush(f, close);
  endline(f);
  f->block_start = false;
  f->indent = line;
  puts_(f, "}");
  f->indent = save;
}

/* ---- members and blocks ---- */

static void flat_block(Fmt *f, const Vec *members, Buf *b);

/* A member's name as written: "rds.force_ssl" keeps its quotes. */
static const char *member_key(Fmt *f, const Member *m) {
  if (f->text[m->name_span.lo] != '"') return m->name;
  return arena_strndup(&f->c->arena, f->text + m->name_span.lo, m->name_span.hi - m->name_span.lo);
}

static void flat_member(Fmt *f, const Member *m, Buf *b) {
  buf_puts(b, member_key(f, m));
  if (m->k == M_ATTR) {
    buf_puts(b, " = ");
    flat_expr(f, m->value, b);
    return;
  }
  for (int i = 0; i < m->words.n; i++) {
    if (((const Expr *)m->words.v[i])->k != EX_COMMA) buf_puts(b, " ");
    flat_expr(f, m->words.v[i], b);
  }
  if (m->has_body) {
    buf_puts(b, " ");
    flat_block(f, &m->body, b);
  }
}

/* "{ a = 1  b = 2 }": two blanks between members, as a table row would. */
static void flat_block(Fmt *f, const Vec *members, Buf *b) {
  if (!members->n) {
    buf_puts(b, "{ }");
    return;
  }
  buf_puts(b, "{ ");
  for (int i = 0; i < members->n; i++) {
    if (i)
      buf_puts(b, "  ");
    flat_member(f, members->v[i], b);
  }
  buf_puts(b, " }");
}

/* A block stays on one line when it was written on one line (or is empty),
   holds no comment, and fits from column at. */
static bool block_oneline(Fmt *f, uint32_t open, uint32_t close, const Vec *members, int at) {
  if (comment_in(f, open, close))
    return false;
  if (!members->n)
    return true;
  if (!same_line(f, open, close))
    return false;
  Buf b = {0};
  flat_block(f, members, &b);
  int w = ulen(b.s, b.len);
  buf_free(&b);
  return at + w <= FMT_WIDTH || ignore_near(f, open, close);
}

/* The cells of a statement for alignment in columns: its name and words.
   `egress all to x` gets an empty cell where `ingress tcp 80 from x` has its
   ports, so that the rules of a security group line up (ports may be a
   loop's variable: a name, not from or to). */
static int stmt_cells(Fmt *f, const Member *m, const char **cells, uint32_t *at) {
  int n = 0;
  cells[n] = m->name, at[n++] = m->name_span.lo;
  bool rule = !strcmp(m->name, "ingress") || !strcmp(m->name, "egress");
  for (int i = 0; i < m->words.n; i++) {
    const Expr *w = m->words.v[i];
    if (rule && i == 1 && w->k == EX_NAME && (!strcmp(w->name, "from") || !strcmp(w->name, "to")))
      cells[n] = NULL, at[n++] = 0;
    if (w->k == EX_COMMA && n > 1 && cells[n - 1]) { /* "a", "b": the comma ends its word */
      cells[n - 1] = arena_printf(&f->c->arena, "%s,", cells[n - 1]);
      continue;
    }
    Buf b = {0};
    flat_expr(f, w, &b);
    cells[n] = arena_strndup(&f->c->arena, b.s ? b.s : "", b.len);
    at[n++] = w->span.lo;
    buf_free(&b);
  }
  return n;
}

static void emit_block(Fmt *f, uint32_t open, uint32_t close, const Vec *members, bool oneline);

/* allow "a", "b" on x: lists of different lengths have no columns to share */
static bool has_comma(const Member *m) {
  for (int i = 0; i < m->words.n; i++)
    if (((const Expr *)m->words.v[i])->k == EX_COMMA)
      return true;
  return false;
}

/* Alignment: keyw for an attribute (its run's widest name), colw for a
   statement without a body (its run's column widths). */
typedef struct {
  int keyw;
  int *colw;
  int ncol;
} Align;

static void emit_member(Fmt *f, const Member *m, const Align *al) {
  int at = f->indent;
  emit_tok(f, m->name_span.lo, member_key(f, m));
  f->indent = at + 2; /* continuation lines, after a comment inside */
  if (m->k == M_ATTR) {
    sp(f, al->keyw - ustr(member_key(f, m)) + 1);
    puts_(f, "=");
    sp(f, 1);
    emit_expr(f, m->value, 0);
  } else if (!m->has_body) {
    int n = m->words.n + 2;
    const char **cells = arena_alloc(&f->c->arena, sizeof(char *) * (size_t)n);
    uint32_t *pos = arena_alloc(&f->c->arena, sizeof(uint32_t) * (size_t)n);
    n = stmt_cells(f, m, cells, pos);
    int pad = (al->ncol ? al->colw[0] : 0) - ustr(m->name) + 1;
    for (int i = 1; i < n; i++) {
      int w = i < al->ncol ? al->colw[i] : 0;
      if (!cells[i]) {
        pad += w + 1;
        continue;
      }
      sp(f, pad);
      emit_tok(f, pos[i], cells[i]);
      pad = w - ustr(cells[i]) + 1;
    }
  } else {
    for (int i = 0; i < m->words.n; i++) {
      sp(f, 1);
      emit_expr(f, m->words.v[i], 0);
    }
    sp(f, 1);
    f->indent = at;
    uint32_t close = m->span.hi - 1;
    emit_block(f, m->open.lo, close, &m->body,
               block_oneline(f, m->open.lo, close, &m->body, col(f)));
  }
  f->indent = at;
}

static void emit_members(Fmt *f, const Vec *members) {
  int n = members->n;
  Align *al = arena_alloc(&f->c->arena, sizeof(Align) * (size_t)(n ? n : 1));
  for (int i = 0; i < n;) {
    const Member *m = members->v[i];
    bool stmt = m->k == M_STMT && !m->has_body;
    if (m->k != M_ATTR && !stmt) {
      i++;
      continue;
    }
    /* the run: members of the same sort, no blank line between them */
    int j = i + 1;
    for (; j < n; j++) {
      const Member *p = members->v[j - 1], *q = members->v[j];
      bool qstmt = q->k == M_STMT && !q->has_body;
      if (q->k != m->k || qstmt != stmt || blank_between(f, p->span.hi, q->span.lo) ||
          (stmt && (has_comma(p) || has_comma(q))))
        break;
    }
    if (!stmt) {
      int w = 0;
      for (int k = i; k < j; k++)
        if (ustr(member_key(f, members->v[k])) > w)
          w = ustr(member_key(f, members->v[k]));
      for (int k = i; k < j; k++)
        al[k].keyw = w;
    } else {
      int ncol = 0;
      for (int k = i; k < j; k++)
        if (((Member *)members->v[k])->words.n + 2 > ncol)
          ncol = ((Member *)members->v[k])->words.n + 2;
      int *colw = arena_alloc(&f->c->arena, sizeof(int) * (size_t)ncol);
      const char **cells = arena_alloc(&f->c->arena, sizeof(char *) * (size_t)ncol);
      uint32_t *pos = arena_alloc(&f->c->arena, sizeof(uint32_t) * (size_t)ncol);
      for (int k = i; k < j; k++) {
        int nc = stmt_cells(f, members->v[k], cells, pos);
        for (int c = 0; c < nc; c++)
          if (cells[c] && ustr(cells[c]) > colw[c])
            colw[c] = ustr(cells[c]);
      }
      for (int k = i; k < j; k++)
        al[k].colw = colw, al[k].ncol = ncol;
    }
    i = j;
  }
  for (int i = 0; i < n; i++) {
    const Member *m = members->v[i];
    flush(f, m->span.lo);
    begin_item(f, m->span.lo);
    emit_member(f, m, &al[i]);
  }
}

static void emit_block(Fmt *f, uint32_t open, uint32_t close, const Vec *members, bool oneline) {
  if (oneline) {
    Buf b = {0};
    flat_block(f, members, &b);
    flush(f, open);
    put(f, b.s, b.len);
    buf_free(&b);
    return;
  }
  emit_tok(f, open, "{");
  int save = f->indent, line = f->cur_indent;
  f->indent = line + 2;
  f->block_start = true;
  emit_members(f, members);
  flush(f, close);
  endline(f);
  f->block_start = false;
  f->indent = line;
  puts_(f, "}");
  f->indent = save;
}

/* ---- declarations ---- */

static uint32_t decl_open(Fmt *f, const Decl *d) {
  uint32_t p = d->type_name ? d->type_span.hi : d->name_span.hi;
  while (p < f->len && f->text[p] != '{')
    p++;
  return p;
}

static bool has_block(const Decl *d) {
  return d->k == D_STACK || d->k == D_RESOURCE || (d->k == D_OUTPUT && d->members.n);
}

/* `if COND` after a declaration's name: its width, with the space before. */
static int if_width(const Decl *d) {
  return d->cond ? 4 + ustr(d->cond->name) : 0;
}

/* name = value declarations: outputs, constants, conditions */
static bool is_binding(const Decl *d) {
  return (d->k == D_OUTPUT && !d->members.n) || d->k == D_LET || d->k == D_CONDITION;
}

/* "kind name", or "resource name \"AWS::S3::Bucket\"": what precedes the '{'. */
static int head_width(const Decl *d) {
  int w = ustr(d->kind_name) + 1 + ustr(d->name) + if_width(d);
  if (d->type_name)
    w += 1 + (int)(d->type_span.hi - d->type_span.lo);
  return w;
}

/* A declaration aligned with its neighbours: the widths of its run. */
typedef struct {
  int namew;  /* output: the widest name; resource: the widest "kind name" */
  int *cellw; /* resource: the widest member of each column */
  int ncell;
} Row;

/* The { logical_id = "..." } after a param, let or condition: on one line
   unless it holds a comment. */
static void emit_tail_body(Fmt *f, const Decl *d) {
  if (!d->members.n)
    return;
  uint32_t open = d->value ? d->value->span.hi : d->type_span.hi;
  while (open < f->len && f->text[open] != '{')
    open++;
  sp(f, 1);
  int save = f->indent;
  f->indent = 0;
  emit_block(f, open, d->span.hi - 1, &d->members, !comment_in(f, open, d->span.hi));
  f->indent = save;
}

static void emit_decls(Fmt *f, const Vec *decls);

/* for z, i in LIST {, its declarations a level deeper, } */
static void emit_for(Fmt *f, const Decl *d) {
  const Loop *l = d->loop;
  f->indent = f->base;
  emit_tok(f, d->span.lo, "for");
  f->indent = f->base + 2;
  sp(f, 1);
  emit_tok(f, l->var_span.lo, l->var);
  if (l->index) {
    puts_(f, ",");
    sp(f, 1);
    emit_tok(f, l->index_span.lo, l->index);
  }
  sp(f, 1);
  puts_(f, "in");
  sp(f, 1);
  emit_expr(f, l->list, 0);
  sp(f, 1);
  uint32_t open = l->list->span.hi;
  while (open < f->len && f->text[open] != '{')
    open++;
  emit_tok(f, open, "{");
  int save = f->base;
  f->base += 2;
  f->block_start = true;
  emit_decls(f, &l->body);
  flush(f, d->span.hi - 1);
  endline(f);
  f->block_start = false;
  f->base = f->indent = save;
  puts_(f, "}");
}

static void emit_decl(Fmt *f, const Decl *d, bool oneline, const Row *row) {
  if (d->k == D_FOR) {
    emit_for(f, d);
    return;
  }
  f->indent = f->base;
  f->flat = oneline;
  emit_tok(f, d->kind_span.lo, d->kind_name);
  f->indent = f->base + 2;
  sp(f, 1);
  emit_tok(f, d->name_span.lo, d->name);
  if (d->cond) {
    sp(f, 1);
    puts_(f, "if");
    sp(f, 1);
    emit_tok(f, d->cond->span.lo, d->cond->name);
  }
  if (d->k == D_RESOURCE && d->type_name) {
    sp(f, 1);
    emit_tok(f, d->type_span.lo, span_text(f, d->type_span));
  }
  if (d->k == D_PARAM) {
    sp(f, 1);
    puts_(f, ":");
    sp(f, 1);
    /* string, [subnet] without blanks, or "AWS::EC2::VPC::Id" as written */
    emit_tok(f, d->type_span.lo,
             f->text[d->type_span.lo] == '"' ? span_text(f, d->type_span) : d->type_name);
    if (d->value) {
      sp(f, 1);
      puts_(f, "=");
      sp(f, 1);
      emit_expr(f, d->value, 0);
    }
    emit_tail_body(f, d);
  } else if (is_binding(d)) {
    sp(f, (row ? row->namew - ustr(d->name) - if_width(d) : 0) + 1);
    puts_(f, "=");
    sp(f, 1);
    emit_expr(f, d->value, 0);
    emit_tail_body(f, d);
  } else if (oneline) {
    sp(f, (row ? row->namew - head_width(d) : 0) + 1);
    const Vec *ms = &d->members;
    if (!ms->n) {
      puts_(f, "{ }");
    } else {
      puts_(f, "{");
      /* the members, each padded to its column's width */
      int prevw = 0, prevcol = 0;
      for (int i = 0; i < ms->n; i++) {
        Buf b = {0};
        flat_member(f, ms->v[i], &b);
        int mw = ulen(b.s, b.len);
        sp(f, i ? prevcol - prevw + 2 : 1);
        put(f, b.s, b.len);
        prevw = mw;
        prevcol = row && i < row->ncell ? row->cellw[i] : mw;
        buf_free(&b);
      }
      sp(f, 1);
      puts_(f, "}");
    }
  } else {
    sp(f, 1);
    f->indent = f->base;
    emit_block(f, decl_open(f, d), d->span.hi - 1, &d->members, false);
  }
  f->indent = f->base;
  f->flat = false;
}

/* Whether d goes on one line: laid out alone, without its comments, it
   takes one line. */
static bool decl_oneline(Fmt *f, const Decl *d) {
  if (d->k == D_FOR || comment_in(f, d->span.lo, d->span.hi))
    return false;
  if (has_block(d))
    return block_oneline(f, decl_open(f, d), d->span.hi - 1, &d->members,
                         head_width(d) + 1);
  /* It holds no comment; those around it still count for ignore_near. */
  Fmt s = {.c = f->c, .text = f->text, .len = f->len, .gap = -1, .comments = f->comments,
           .ncomments = f->ncomments, .next = f->next};
  s.next = comment_from(f, d->span.lo);
  emit_decl(&s, d, false, NULL);
  endline(&s);
  bool one = s.nlines == 1;
  free(s.lines);
  buf_free(&s.cur);
  return one;
}

/* Declarations of one sort: params, outputs, or resources of one kind. */
static bool same_kind(const Decl *a, const Decl *b) {
  return a->k == b->k && !strcmp(a->kind_name, b->kind_name);
}

static void emit_decls(Fmt *f, const Vec *decls) {
  int n = decls->n;
  bool *one = arena_alloc(&f->c->arena, (size_t)(n ? n : 1));
  bool *grouped = arena_alloc(&f->c->arena, (size_t)(n ? n : 1));
  Row **rows = arena_alloc(&f->c->arena, sizeof(Row *) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++)
    one[i] = decl_oneline(f, decls->v[i]);
  for (int i = 1; i < n; i++) {
    const Decl *a = decls->v[i - 1], *b = decls->v[i];
    grouped[i] = one[i - 1] && one[i] && same_kind(a, b) && !blank_between(f, a->span.hi, b->span.lo);
  }
  /* rows: runs of grouped declarations, aligned as a table (not params) */
  for (int i = 0; i < n;) {
    const Decl *d = decls->v[i];
    if (!one[i] || d->k == D_PARAM) {
      i++;
      continue;
    }
    int j = i + 1;
    while (j < n && grouped[j])
      j++;
    Row *row = arena_alloc(&f->c->arena, sizeof *row);
    for (int k = i; k < j; k++) {
      const Decl *e = decls->v[k];
      int w = is_binding(e) ? ustr(e->name) + if_width(e) : head_width(e);
      if (w > row->namew)
        row->namew = w;
      if (e->members.n > row->ncell)
        row->ncell = e->members.n;
    }
    row->cellw = arena_alloc(&f->c->arena, sizeof(int) * (size_t)(row->ncell ? row->ncell : 1));
    for (int k = i; k < j; k++) {
      const Decl *e = decls->v[k];
      for (int c = 0; c < e->members.n; c++) {
        Buf b = {0};
        flat_member(f, e->members.v[c], &b);
        if (ulen(b.s, b.len) > row->cellw[c])
          row->cellw[c] = ulen(b.s, b.len);
        buf_free(&b);
      }
      rows[k] = row;
    }
    i = j;
  }
  for (int i = 0; i < n; i++) {
    const Decl *d = decls->v[i];
    f->gap = i == 0 ? -1 : grouped[i] ? 0 : 1;
    flush(f, d->span.lo);
    begin_item(f, d->span.lo);
    emit_decl(f, d, one[i], rows[i]);
  }
  f->gap = -1;
}

static void emit_file(Fmt *f, const Program *prog) {
  emit_decls(f, &prog->decls);
  f->indent = 0;
  flush(f, UINT32_MAX);
  endline(f);
}

/* Joins the lines; trailing comments of consecutive lines share a column. */
static void join_lines(Fmt *f, Buf *out) {
  for (int i = 0; i < f->nlines;) {
    if (!f->lines[i].comment) {
      if (f->lines[i].code)
        buf_add(out, f->lines[i].code, f->lines[i].len);
      buf_puts(out, "\n");
      i++;
      continue;
    }
    int j = i, at = FMT_COMMENT_COL;
    for (; j < f->nlines && f->lines[j].comment; j++)
      if (ulen(f->lines[j].code, f->lines[j].len) + 2 > at)
        at = ulen(f->lines[j].code, f->lines[j].len) + 2;
    for (; i < j; i++) {
      Line *l = &f->lines[i];
      buf_add(out, l->code, l->len);
      for (int k = ulen(l->code, l->len); k < at; k++)
        buf_puts(out, " ");
      buf_add(out, l->comment, l->clen);
      buf_puts(out, "\n");
    }
  }
}

/* ---- the AST dump ---- */

static void dump_expr(const Expr *e, Buf *out) {
  static const char *const names[] = {
      [EX_ERROR] = "error", [EX_INT] = "int",   [EX_STR] = "str",     [EX_BOOL] = "bool",
      [EX_CIDR] = "cidr",   [EX_IP] = "ip",     [EX_SIZE] = "size",   [EX_DURATION] = "duration",
      [EX_PORTS] = "ports", [EX_NAME] = "name", [EX_FIELD] = "field", [EX_CALL] = "call",
      [EX_LIST] = "list",   [EX_ARROW] = "arrow", [EX_OBJECT] = "object", [EX_PAIR] = "pair",
      [EX_COMMA] = "comma",
      [EX_NOT] = "not",     [EX_BINARY] = "op",   [EX_COND] = "cond",     [EX_INDEX] = "index",
      [EX_FOR] = "for",
  };
  buf_printf(out, "(%s", names[e->k]);
  switch (e->k) {
  case EX_INT: case EX_SIZE: case EX_DURATION: case EX_BOOL:
    buf_printf(out, " %lld", (long long)e->i);
    break;
  case EX_PORTS: buf_printf(out, " %lld..%lld", (long long)e->i, (long long)e->hi); break;
  case EX_CIDR: case EX_IP:
    buf_printf(out, " %u.%u.%u.%u/%d", (e->cidr.addr >> 24) & 255, (e->cidr.addr >> 16) & 255,
               (e->cidr.addr >> 8) & 255, e->cidr.addr & 255, e->cidr.prefix);
    break;
  case EX_STR:
    for (const StrPart *p = e->parts; p; p = p->next) {
      if (p->expr) {
        buf_puts(out, " ${");
        dump_expr(p->expr, out);
        buf_puts(out, "}");
        continue;
      }
      buf_puts(out, " \"");
      for (const char *s = p->text; *s; s++) {
        if (*s == '"' || *s == '\\')
          buf_printf(out, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
          buf_printf(out, "\\x%02x", (unsigned char)*s);
        else
          buf_add(out, s, 1);
      }
      buf_puts(out, "\"");
    }
    break;
  case EX_NAME: buf_printf(out, " %s", e->name); break;
  case EX_FOR: buf_printf(out, " %s%s%s", e->loop->var, e->loop->index ? "," : "",
                          e->loop->index ? e->loop->index : "");
    /* fallthrough */
  case EX_FIELD:
    if (e->k == EX_FOR) {
      for (int i = 0; i < e->items.n; i++) {
        buf_puts(out, " ");
        dump_expr(e->items.v[i], out);
      }
      break;
    }
    buf_puts(out, " ");
    dump_expr(e->base, out);
    buf_printf(out, " %s", e->name);
    break;
  case EX_PAIR:
    buf_printf(out, " \"%s\" ", e->name);
    dump_expr(e->base, out);
    break;
  case EX_CALL: case EX_BINARY: buf_printf(out, " %s", e->name); /* fallthrough */
  case EX_OBJECT:
  case EX_LIST:
  case EX_NOT:
  case EX_COND:
  case EX_INDEX:
    for (int i = 0; i < e->items.n; i++) {
      buf_puts(out, " ");
      dump_expr(e->items.v[i], out);
    }
    break;
  case EX_ERROR: case EX_ARROW: case EX_COMMA: break;
  }
  buf_puts(out, ")");
}

static void dump_members(const Vec *members, int depth, Buf *out) {
  for (int i = 0; i < members->n; i++) {
    const Member *m = members->v[i];
    buf_printf(out, "%*s%s %s", depth * 2, "", m->k == M_ATTR ? "attr" : "stmt", m->name);
    if (m->k == M_ATTR) {
      buf_puts(out, " ");
      dump_expr(m->value, out);
    }
    for (int j = 0; j < m->words.n; j++) {
      buf_puts(out, " ");
      dump_expr(m->words.v[j], out);
    }
    buf_puts(out, m->has_body ? " {\n" : "\n");
    if (m->has_body) {
      dump_members(&m->body, depth + 1, out);
      buf_printf(out, "%*s}\n", depth * 2, "");
    }
  }
}

static void dump_decls(const Vec *decls, Buf *out) {
  for (int i = 0; i < decls->n; i++) {
    const Decl *d = decls->v[i];
    if (d->k == D_FOR) {
      const Loop *l = d->loop;
      buf_printf(out, "for %s%s%s in ", l->var, l->index ? "," : "", l->index ? l->index : "");
      dump_expr(l->list, out);
      buf_puts(out, " {\n");
      dump_decls(&l->body, out);
      buf_puts(out, "}\n");
      continue;
    }
    if (d->k == D_RESOURCE)
      buf_puts(out, "resource ");
    buf_printf(out, "%s %s", d->kind_name, d->name);
    if (d->cond)
      buf_printf(out, " if %s", d->cond->name);
    if (d->type_name)
      buf_printf(out, " : %s", d->type_name);
    if (d->value) {
      buf_puts(out, " = ");
      dump_expr(d->value, out);
    }
    if (has_block(d)) {
      buf_puts(out, " {\n");
      dump_members(&d->members, 1, out);
      buf_puts(out, "}");
    }
    buf_puts(out, "\n");
  }
}

void fmt_ast_dump(const Program *prog, Buf *out) { dump_decls(&prog->decls, out); }

/* ---- formatting a file ---- */

bool fmt_format(Compilation *c, int file, const Program *prog, Buf *out) {
  Source *src = compile_source(c, file);
  Fmt f = {.c = c, .text = src->text, .len = src->len, .gap = -1};
  /* The comments: lex the file once more, recording them. */
  Vec comments = {0};
  Lexer lx;
  lex_init(&lx, c, file, 0, src->len);
  lx.comments = &comments;
  Token t;
  do
    lex_next(&lx, &t);
  while (t.kind != YYEOF);
  f.comments = (Span **)comments.v;
  f.ncomments = comments.n;
  emit_file(&f, prog);
  Buf text = {0};
  join_lines(&f, &text);
  free(f.lines);
  buf_free(&f.cur);

  /* The result must parse, without error, to the same AST. */
  Compilation *v = compile_new();
  int vf = compile_add_source(v, src->name, text.s ? text.s : "", text.len);
  Program again = {0};
  parse_file(v, vf, &again);
  bool ok = v->nerrors == 0;
  if (ok) {
    Buf a = {0}, b = {0};
    fmt_ast_dump(prog, &a);
    fmt_ast_dump(&again, &b);
    ok = a.len == b.len && (!a.len || !memcmp(a.s, b.s, a.len));
    buf_free(&a);
    buf_free(&b);
  }
  compile_free(v);
  if (ok && text.len)
    buf_add(out, text.s, text.len);
  buf_free(&text);
  return ok;
}

/* ---- the command ---- */

static bool read_stdin(Buf *b) {
  char chunk[65536];
  size_t n;
  /* Past LIMIT_FILE the rest is not needed: compile_add_source rejects it. */
  while (b->len <= LIMIT_FILE && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
    buf_add(b, chunk, n);
  return !ferror(stdin);
}

/* Writes data to path through a temporary file in the same directory. */
static bool write_atomic(const char *path, const char *data, size_t len) {
  char *real = realpath(path, NULL);
  const char *target = real ? real : path;
  struct stat st;
  bool exists = stat(target, &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) { /* never replaced by a regular file */
    fprintf(stderr, "infrac: cannot write %s: not a regular file\n", path);
    free(real);
    return false;
  }
  mode_t mode = exists ? st.st_mode & 07777 : 0644;
  size_t n = strlen(target);
  char *tmp = xrealloc(NULL, n + 16);
  memcpy(tmp, target, n);
  memcpy(tmp + n, ".fmt-XXXXXX", 12);
  int fd = mkstemp(tmp);
  int err = errno; /* of the first failure: unlink must not hide it */
  bool ok = fd >= 0;
  if (ok) {
    for (size_t off = 0; ok && off < len;) {
      ssize_t w = write(fd, data + off, len - off);
      if (w < 0 && errno == EINTR)
        continue;
      ok = w > 0;
      err = w < 0 ? errno : ENOSPC;
      off += ok ? (size_t)w : 0;
    }
    /* Data on disk before the rename: a crash leaves the old file or the new. */
    if (ok && (fchmod(fd, mode) || fsync(fd)))
      ok = false, err = errno;
    if (close(fd) && ok)
      ok = false, err = errno;
    if (ok && rename(tmp, target))
      ok = false, err = errno;
    if (!ok)
      unlink(tmp);
  }
  if (!ok)
    fprintf(stderr, "infrac: cannot write %s: %s\n", path, strerror(err));
  free(tmp);
  free(real);
  return ok;
}

static void fmt_one(Compilation *c, int file, bool from_stdin, unsigned flags, FmtResult *r) {
  Source *src = compile_source(c, file);
  Program prog = {0};
  int before = c->nerrors;
  parse_file(c, file, &prog);
  if (src->rejected || c->nerrors > before) { /* rejected: E004, reported before */
    r->errors++;
    return;
  }
  if (flags & FMT_AST_DUMP) {
    Buf b = {0};
    fmt_ast_dump(&prog, &b);
    if (b.len)
      fwrite(b.s, 1, b.len, stdout);
    buf_free(&b);
    return;
  }
  Buf out = {0};
  if (!fmt_format(c, file, &prog, &out)) {
    fprintf(stderr,
            "infrac: internal error: the layout of %s would not read back the same; "
            "it is left as it is (please report it)\n",
            src->name);
    r->errors++;
    buf_free(&out);
    return;
  }
  bool same = out.len == src->len && (!out.len || !memcmp(out.s, src->text, out.len));
  if (flags & FMT_CHECK) {
    if (!same) {
      puts(src->name);
      r->changed++;
    }
  } else if (from_stdin) {
    if (out.len)
      fwrite(out.s, 1, out.len, stdout);
    r->changed += !same;
  } else if (!same) {
    if (write_atomic(src->name, out.s ? out.s : "", out.len)) {
      puts(src->name);
      r->changed++;
    } else {
      r->errors++;
    }
  }
  buf_free(&out);
}

FmtResult fmt_paths(char **paths, int npaths, unsigned flags) {
  FmtResult r = {0, 0};
  for (int i = 0; i < npaths; i++) {
    Compilation *c = compile_new();
    bool from_stdin = !strcmp(paths[i], "-");
    if (from_stdin) {
      Buf b = {0};
      if (read_stdin(&b))
        compile_add_source(c, "<stdin>", b.s ? b.s : "", b.len);
      else {
        fprintf(stderr, "infrac: cannot read standard input: %s\n", strerror(errno));
        r.errors++;
      }
      buf_free(&b);
    } else if (!compile_add_paths(c, &paths[i], 1)) {
      r.errors++;
    }
    for (int file = 0; file < c->files.n; file++)
      fmt_one(c, file, from_stdin, flags, &r);
    fflush(stdout);
    diag_sort(c);
    diag_render_text(c, stderr, flags & FMT_COLOR);
    compile_free(c);
  }
  return r;
}
