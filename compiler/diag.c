/* diag.c: the one path for every message, and its renderings. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "infrac.h"
#include "origin.h"

typedef struct {
  int file, line;
  const char *codes; /* the text after "infrac:ignore" */
} Ignore;

void diag_ignore_comment(Compilation *c, int file, uint32_t lo, uint32_t hi) {
  Source *src = compile_source(c, file);
  const char *text = src->text + lo;
  const char *key = "infrac:ignore";
  size_t n = hi - lo;
  const char *at = NULL;
  for (size_t i = 0; i + strlen(key) <= n; i++)
    if (!memcmp(text + i, key, strlen(key))) {
      at = text + i + strlen(key);
      break;
    }
  if (!at)
    return;
  Ignore *ig = arena_alloc(&c->arena, sizeof *ig);
  ig->file = file;
  ig->line = source_linecol(src, lo).line;
  ig->codes = arena_strndup(&c->arena, at, (size_t)(text + n - at));
  vec_push(&c->arena, &c->ignores, ig);
}

static bool ignore_has(const char *codes, const char *code) {
  size_t n = strlen(code);
  for (const char *p = codes; (p = strstr(p, code)); p += n) {
    bool start = p == codes || !((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
    bool end = !((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'));
    if (start && end)
      return true;
  }
  return false;
}

static int ignore_cmp(const void *pa, const void *pb) {
  const Ignore *a = *(Ignore *const *)pa, *b = *(Ignore *const *)pb;
  if (a->file != b->file)
    return a->file < b->file ? -1 : 1;
  return (a->line > b->line) - (a->line < b->line);
}

/* A binary search: a stack with a comment and a warning on every line is
   not quadratic. */
static bool ignored(Compilation *c, const char *code, Span sp) {
  if (!c->ignores.n)
    return false;
  sp.file = origin_file(c, sp.file); /* a comment in a loop's body covers every iteration */
  if (c->ignores_sorted != c->ignores.n) {
    qsort(c->ignores.v, (size_t)c->ignores.n, sizeof(void *), ignore_cmp);
    c->ignores_sorted = c->ignores.n;
  }
  int line = source_linecol(compile_source(c, sp.file), sp.lo).line;
  int lo = 0, hi = c->ignores.n; /* the first at (sp.file, line - 1) or after */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    const Ignore *ig = c->ignores.v[mid];
    if (ig->file < sp.file || (ig->file == sp.file && ig->line < line - 1))
      lo = mid + 1;
    else
      hi = mid;
  }
  for (int i = lo; i < c->ignores.n; i++) {
    const Ignore *ig = c->ignores.v[i];
    if (ig->file != sp.file || ig->line > line)
      break;
    if (ignore_has(ig->codes, code))
      return true;
  }
  return false;
}

static Diag *diag_new(Compilation *c, Severity sev, const char *code, Span sp, const char *fmt,
                      va_list ap) {
  /* A flood of errors (a binary file, say) would cost memory and output for
     nothing: the first LIMIT_ERRORS are kept, then one E004, the rest counted. */
  bool last = sev == SEV_ERROR && c->nerrors == LIMIT_ERRORS;
  if (sev == SEV_ERROR && c->nerrors > LIMIT_ERRORS) {
    c->nerrors++;
    return NULL;
  }
  Diag *d = arena_alloc(&c->arena, sizeof *d);
  d->sev = sev;
  d->code = last ? "E004" : code;
  d->origin = origin_of(c, sp.file);
  d->span = (Span){origin_file(c, sp.file), sp.lo, sp.hi};
  d->msg = last ? arena_printf(&c->arena, "more than %d errors: the limit; the rest are only counted",
                               LIMIT_ERRORS)
                : arena_vprintf(&c->arena, fmt, ap);
  d->notes_tail = &d->notes;
  d->seq = c->diags.n;
  vec_push(&c->arena, &c->diags, d);
  if (sev == SEV_ERROR)
    c->nerrors++;
  else
    c->nwarnings++;
  return last ? NULL : d;
}

Diag *diag_error(Compilation *c, const char *code, Span sp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Diag *d = diag_new(c, SEV_ERROR, code, sp, fmt, ap);
  va_end(ap);
  return d;
}

Diag *diag_warning(Compilation *c, const char *code, Span sp, const char *fmt, ...) {
  if (ignored(c, code, sp))
    return NULL;
  va_list ap;
  va_start(ap, fmt);
  Diag *d = diag_new(c, SEV_WARNING, code, sp, fmt, ap);
  va_end(ap);
  return d;
}

void diag_note(Compilation *c, Diag *d, Span sp, const char *fmt, ...) {
  if (!d)
    return;
  Note *n = arena_alloc(&c->arena, sizeof *n);
  va_list ap;
  va_start(ap, fmt);
  n->msg = arena_vprintf(&c->arena, fmt, ap);
  va_end(ap);
  /* A note at another iteration or instance than the diagnostic's names it. */
  Origin *o = origin_of(c, sp.file);
  if (o && o != d->origin)
    n->msg = arena_printf(&c->arena, "%s (in %s)", n->msg, origin_path(c, o));
  n->span = (Span){origin_file(c, sp.file), sp.lo, sp.hi};
  *d->notes_tail = n;
  d->notes_tail = &n->next;
}

void diag_help(Compilation *c, Diag *d, const char *fmt, ...) {
  if (!d)
    return;
  va_list ap;
  va_start(ap, fmt);
  d->help = arena_vprintf(&c->arena, fmt, ap);
  va_end(ap);
}

void diag_fix(Compilation *c, Diag *d, Span sp, const char *replacement) {
  if (!d)
    return;
  d->has_fix = true;
  d->fix_span = (Span){origin_file(c, sp.file), sp.lo, sp.hi};
  d->fix = arena_strndup(&c->arena, replacement, strlen(replacement));
}

void diag_newline(Compilation *c, Diag *d, Span word, const char *what) {
  if (!d)
    return;
  Source *src = compile_source(c, word.file);
  uint32_t lo = word.lo;
  while (lo > 0 && (src->text[lo - 1] == ' ' || src->text[lo - 1] == '\t'))
    lo--;
  uint32_t line = source_line_start(src, source_linecol(src, word.lo).line);
  size_t indent = strspn(src->text + line, " \t");
  diag_help(c, d, "%s ends at the end of its line: start a new line before '%.*s'", what,
            (int)(word.hi - word.lo), src->text + word.lo);
  diag_fix(c, d, (Span){word.file, lo, word.lo},
           arena_printf(&c->arena, "\n%.*s", (int)indent, src->text + line));
}

static int diag_cmp(const void *pa, const void *pb) {
  const Diag *a = *(Diag *const *)pa, *b = *(Diag *const *)pb;
  if (a->span.file != b->span.file)
    return a->span.file < b->span.file ? -1 : 1;
  if (a->span.lo != b->span.lo)
    return a->span.lo < b->span.lo ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_diag(const Diag *a, const Diag *b) {
  return a->sev == b->sev && a->origin == b->origin && !strcmp(a->code, b->code) &&
         a->span.hi == b->span.hi && !strcmp(a->msg, b->msg);
}

/* A module's input is copied to each use of its param: a problem with the
   value at its uses is one problem, at the input, said once. Among the
   sorted diagnostics at one place, a repeat (same code, message, span and
   origin) is dropped. */
static void drop_repeats(Compilation *c) {
  int kept = 0;
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    bool repeat = false;
    for (int j = kept - 1; j >= 0 && !repeat; j--) {
      const Diag *k = c->diags.v[j];
      if (k->span.file != d->span.file || k->span.lo != d->span.lo)
        break;
      repeat = same_diag(k, d);
    }
    if (!repeat)
      c->diags.v[kept++] = d;
    else if (d->sev == SEV_ERROR)
      c->nerrors--;
    else
      c->nwarnings--;
  }
  c->diags.n = kept;
}

void diag_sort(Compilation *c) {
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    if (d->origin && !d->origin_noted)
      origin_notes(c, d, d->origin);
    d->origin_noted = true;
  }
  if (c->diags.n > 1)
    qsort(c->diags.v, (size_t)c->diags.n, sizeof(void *), diag_cmp);
  drop_repeats(c);
}

/* ---- text ---- */

typedef struct {
  const char *bold, *red, *magenta, *cyan, *green, *blue, *reset;
} Colors;

static const Colors plain = {"", "", "", "", "", "", ""};
static const Colors ansi = {"\033[1m",  "\033[1;31m", "\033[1;35m", "\033[1;36m",
                            "\033[1;32m", "\033[1;34m", "\033[0m"};

static int digits(int n) {
  int d = 1;
  while (n >= 10)
    n /= 10, d++;
  return d;
}

/* Bytes of the valid UTF-8 character at p, or 0 for a byte that begins
   none (as the lexer decides, so that both count the same columns). */
static int char_len(const unsigned char *p, const unsigned char *lim) {
  int n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
          : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || (n == 2 && p[0] < 0xC2) || (n == 4 && p[0] > 0xF4) || lim - p < n)
    return 0;
  for (int i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  if ((n == 3 && p[0] == 0xE0 && p[1] < 0xA0) || (n == 3 && p[0] == 0xED && p[1] >= 0xA0) ||
      (n == 4 && p[0] == 0xF0 && p[1] < 0x90) || (n == 4 && p[0] == 0xF4 && p[1] >= 0x90))
    return 0;
  return n;
}

/* The source line with a gutter, then carets under the span (clipped to the
   line); tabs are copied so the carets line up. Control characters and bytes
   that are not UTF-8 are shown as '?', one column each: the terminal gets no
   raw escape sequence from a source file, and the carets stay aligned. Of a
   long line only SNIPPET bytes around the span are shown, between "...": a
   message costs the same on any line. */
enum { SNIPPET = 240 };

static void render_snippet(FILE *out, const Source *src, Span sp, const Colors *k, int width) {
  LineCol lc = source_linecol(src, sp.lo);
  uint32_t start = source_line_start(src, lc.line), end = source_line_end(src, lc.line);
  const unsigned char *t = (const unsigned char *)src->text;
  if (end > start && t[end - 1] == '\r')
    end--; /* a CRLF line ends before its CR */
  bool cut_lo = false, cut_hi = false;
  if (end - start > SNIPPET) {
    uint32_t from = sp.lo - start > SNIPPET / 3 ? sp.lo - SNIPPET / 3 : start;
    while (from > start && (t[from] & 0xC0) == 0x80)
      from--;
    uint32_t to = end - from > SNIPPET ? from + SNIPPET : end;
    while (to < end && (t[to] & 0xC0) == 0x80)
      to++;
    cut_lo = from > start, cut_hi = to < end;
    start = from, end = to;
  }
  const unsigned char *lim = t + end;
  fprintf(out, "%s%*d |%s %s", k->blue, width, lc.line, k->reset, cut_lo ? "..." : "");
  for (uint32_t p = start; p < end;) {
    int n = char_len(t + p, lim);
    if (n == 0 || (t[p] < 0x20 && t[p] != '\t') || t[p] == 0x7F)
      fputc('?', out), n = n ? n : 1;
    else
      fwrite(t + p, 1, (size_t)n, out);
    p += (uint32_t)n;
  }
  fprintf(out, "%s\n%s%*s |%s %s", cut_hi ? "..." : "", k->blue, width, "", k->reset,
          cut_lo ? "   " : "");
  uint32_t p = start;
  while (p < sp.lo && p < end) {
    int n = char_len(t + p, lim);
    fputc(t[p] == '\t' ? '\t' : ' ', out);
    p += n ? (uint32_t)n : 1;
  }
  uint32_t hi = sp.hi < end ? sp.hi : end;
  fprintf(out, "%s^", k->green);
  for (p += p < hi ? (char_len(t + p, lim) ? (uint32_t)char_len(t + p, lim) : 1) : 0; p < hi;) {
    int n = char_len(t + p, lim);
    fputc('~', out);
    p += n ? (uint32_t)n : 1;
  }
  fprintf(out, "%s\n", k->reset);
}

static const char *sev_name(Severity s) {
  return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

void diag_render_text(Compilation *c, FILE *out, bool color) {
  const Colors *k = color ? &ansi : &plain;
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    Source *src = compile_source(c, d->span.file);
    LineCol lc = source_linecol(src, d->span.lo);
    int width = digits(lc.line) > 4 ? digits(lc.line) + 1 : 5;
    for (Note *n = d->notes; n; n = n->next) {
      int l = source_linecol(compile_source(c, n->span.file), n->span.lo).line;
      if (digits(l) + 1 > width)
        width = digits(l) + 1;
    }
    const char *sc = d->sev == SEV_ERROR ? k->red : k->magenta;
    fprintf(out, "%s%s:%d:%d: %s%s[%s]:%s%s %s%s\n", k->bold, src->name, lc.line, lc.col, sc,
            sev_name(d->sev), d->code, k->reset, k->bold, d->msg, k->reset);
    render_snippet(out, src, d->span, k, width);
    for (Note *n = d->notes; n; n = n->next) {
      Source *ns = compile_source(c, n->span.file);
      LineCol nl = source_linecol(ns, n->span.lo);
      fprintf(out, "%s%s:%d:%d: %snote:%s %s\n", k->bold, ns->name, nl.line, nl.col, k->cyan,
              k->reset, n->msg);
      render_snippet(out, ns, n->span, k, width);
    }
    if (d->help)
      fprintf(out, "%*s %s=%s help: %s\n", width - 2, "", k->blue, k->reset, d->help);
  }
  if (c->nerrors || c->nwarnings) {
    if (c->nerrors)
      fprintf(out, "%d error%s", c->nerrors, c->nerrors == 1 ? "" : "s");
    if (c->nerrors && c->nwarnings)
      fputs(", ", out);
    if (c->nwarnings)
      fprintf(out, "%d warning%s", c->nwarnings, c->nwarnings == 1 ? "" : "s");
    fputc('\n', out);
  }
}

/* ---- JSON ---- */

static cJSON *json_range(Compilation *c, Span sp) {
  Source *src = compile_source(c, sp.file);
  LineCol a = source_linecol(src, sp.lo), b = source_linecol(src, sp.hi);
  cJSON *r = cJSON_CreateObject(), *s = cJSON_AddObjectToObject(r, "start"),
        *e = cJSON_AddObjectToObject(r, "end");
  cJSON_AddNumberToObject(s, "line", a.line);
  cJSON_AddNumberToObject(s, "column", a.col);
  cJSON_AddNumberToObject(e, "line", b.line);
  cJSON_AddNumberToObject(e, "column", b.col);
  return r;
}

char *diag_render_json(Compilation *c) {
  cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "diagnostics");
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "file", compile_source(c, d->span.file)->name);
    cJSON_AddStringToObject(j, "severity", sev_name(d->sev));
    cJSON_AddStringToObject(j, "code", d->code);
    cJSON_AddStringToObject(j, "message", d->msg);
    cJSON_AddItemToObject(j, "range", json_range(c, d->span));
    if (d->notes) {
      cJSON *rel = cJSON_AddArrayToObject(j, "related");
      for (Note *n = d->notes; n; n = n->next) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "file", compile_source(c, n->span.file)->name);
        cJSON_AddItemToObject(r, "range", json_range(c, n->span));
        cJSON_AddStringToObject(r, "message", n->msg);
        cJSON_AddItemToArray(rel, r);
      }
    }
    if (d->help)
      cJSON_AddStringToObject(j, "help", d->help);
    if (d->has_fix) {
      cJSON *f = cJSON_AddObjectToObject(j, "fix");
      cJSON_AddItemToObject(f, "range", json_range(c, d->fix_span));
      cJSON_AddStringToObject(f, "replacement", d->fix);
    }
    cJSON_AddItemToArray(list, j);
  }
  cJSON_AddNumberToObject(root, "errors", c->nerrors);
  cJSON_AddNumberToObject(root, "warnings", c->nwarnings);
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  return s;
}

/* ---- SARIF 2.1.0 ---- */

static cJSON *sarif_location(Compilation *c, Span sp, const char *msg) {
  Source *src = compile_source(c, sp.file);
  LineCol a = source_linecol(src, sp.lo), b = source_linecol(src, sp.hi);
  cJSON *loc = cJSON_CreateObject(), *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
  cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
  cJSON_AddStringToObject(art, "uri", src->name);
  cJSON *reg = cJSON_AddObjectToObject(phys, "region");
  cJSON_AddNumberToObject(reg, "startLine", a.line);
  cJSON_AddNumberToObject(reg, "startColumn", a.col);
  cJSON_AddNumberToObject(reg, "endLine", b.line);
  cJSON_AddNumberToObject(reg, "endColumn", b.col);
  if (msg)
    cJSON_AddStringToObject(cJSON_AddObjectToObject(loc, "message"), "text", msg);
  return loc;
}

char *diag_render_sarif(Compilation *c) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  cJSON_AddStringToObject(root, "version", "2.1.0");
  cJSON *run = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
  cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
  cJSON_AddStringToObject(driver, "name", "infrac");
  cJSON_AddStringToObject(driver, "informationUri", "https://github.com/infrac/infrac");
  cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
  cJSON *results = cJSON_AddArrayToObject(run, "results");
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    bool seen = false;
    for (int j = 0; j < i && !seen; j++)
      seen = !strcmp(((Diag *)c->diags.v[j])->code, d->code);
    if (!seen) {
      cJSON *rule = cJSON_CreateObject();
      cJSON_AddStringToObject(rule, "id", d->code);
      cJSON_AddItemToArray(rules, rule);
    }
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ruleId", d->code);
    cJSON_AddStringToObject(r, "level", d->sev == SEV_ERROR ? "error" : "warning");
    const char *text = d->help ? arena_printf(&c->arena, "%s (help: %s)", d->msg, d->help) : d->msg;
    cJSON_AddStringToObject(cJSON_AddObjectToObject(r, "message"), "text", text);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(r, "locations"), sarif_location(c, d->span, NULL));
    if (d->notes) {
      cJSON *rel = cJSON_AddArrayToObject(r, "relatedLocations");
      int id = 1;
      for (Note *n = d->notes; n; n = n->next) {
        cJSON *l = sarif_location(c, n->span, n->msg);
        cJSON_AddNumberToObject(l, "id", id++);
        cJSON_AddItemToArray(rel, l);
      }
    }
    cJSON_AddItemToArray(results, r);
  }
  char *s = cJSON_Print(root);
  cJSON_Delete(root);
  return s;
}
