/* lexer.re: bytes to tokens, each with its span (re2c). */
#include <string.h>

#include "infrac.h"
#include "parser.h"

enum { LEX_NL = -1 }; /* a newline, turned into SEP or dropped by lex_next */

static Span span_of(Lexer *lx, const unsigned char *lo, const unsigned char *hi) {
  return (Span){lx->file, lx->base + (uint32_t)(lo - lx->src), lx->base + (uint32_t)(hi - lx->src)};
}

/* Length of the UTF-8 sequence at p, or 0 when it is invalid. */
static int utf8_len(const unsigned char *p, const unsigned char *lim) {
  unsigned char c = p[0];
  int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4) || lim - p < n)
    return 0;
  for (int i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  uint32_t cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (int i = 1; i < n; i++)
    cp = (cp << 6) | (p[i] & 0x3Fu);
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

/* Reports the invalid UTF-8 at p, with the continuation bytes after it (one
   error for one broken character, not one per byte); returns its length. */
static int bad_byte(Lexer *lx, const unsigned char *p) {
  int n = 1;
  while (n < 4 && p + n < lx->lim && (p[n] & 0xC0) == 0x80)
    n++;
  if (n == 1) {
    diag_error(lx->c, "E001", span_of(lx, p, p + 1), "invalid UTF-8 byte 0x%02X", *p);
    return 1;
  }
  char hex[24] = "";
  for (int i = 0, len = 0; i < n; i++)
    len += snprintf(hex + len, sizeof hex - (size_t)len, "%s0x%02X", i ? " " : "", p[i]);
  diag_error(lx->c, "E001", span_of(lx, p, p + n), "invalid UTF-8 sequence %s", hex);
  return n;
}

static bool scan_digits(Lexer *lx, const unsigned char *lo, const unsigned char *hi, int64_t *out) {
  int64_t v = 0;
  for (const unsigned char *p = lo; p < hi; p++) {
    int d = *p - '0';
    if (v > (INT64_MAX - d) / 10) {
      diag_error(lx->c, "E003", span_of(lx, lo, hi), "integer %.*s is too large (the limit is %lld)",
                 (int)(hi - lo), (const char *)lo, (long long)INT64_MAX);
      return false;
    }
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

static const unsigned char *digits_end(const unsigned char *p) {
  while (*p >= '0' && *p <= '9')
    p++;
  return p;
}

static int lit_int(Lexer *lx, Token *t) {
  bool neg = lx->tok[0] == '-'; /* -1: CloudFormation's ScalingAdjustment and the like */
  t->bad = !scan_digits(lx, lx->tok + neg, lx->cur, &t->i);
  if (neg)
    t->i = -t->i;
  return INT;
}

static int lit_unit(Lexer *lx, Token *t) {
  const unsigned char *u = digits_end(lx->tok);
  size_t ulen = (size_t)(lx->cur - u);
  static const struct {
    const char *name;
    int kind;
    int64_t scale;
  } units[] = {
      {"KiB", SIZE, 1LL << 10}, {"MiB", SIZE, 1LL << 20},   {"GiB", SIZE, 1LL << 30},
      {"TiB", SIZE, 1LL << 40}, {"s", DURATION, 1},         {"m", DURATION, 60},
      {"h", DURATION, 3600},    {"d", DURATION, 86400},
  };
  int64_t n = 0;
  bool ok = scan_digits(lx, lx->tok, u, &n);
  for (size_t i = 0; i < countof(units); i++) {
    if (strlen(units[i].name) != ulen || memcmp(units[i].name, u, ulen))
      continue;
    if (ok && n > INT64_MAX / units[i].scale) {
      diag_error(lx->c, "E003", span_of(lx, lx->tok, lx->cur), "%s %.*s is too large",
                 units[i].kind == SIZE ? "size" : "duration", (int)(lx->cur - lx->tok),
                 (const char *)lx->tok);
      ok = false;
    }
    t->i = ok ? n * units[i].scale : 0; /* no product past the overflow just reported */
    t->bad = !ok;
    return units[i].kind;
  }
  Diag *d = diag_error(lx->c, "E003", span_of(lx, u, lx->cur), "unknown unit '%.*s' in %.*s",
                       (int)ulen, (const char *)u, (int)(lx->cur - lx->tok), (const char *)lx->tok);
  /* The units people write for these: GB, mib, 2w, 30sec. */
  static const struct {
    const char *alias, *unit;
  } aliases[] = {
      {"kb", "KiB"},  {"mb", "MiB"},   {"gb", "GiB"},  {"tb", "TiB"},  {"kib", "KiB"},
      {"mib", "MiB"}, {"gib", "GiB"},  {"tib", "TiB"}, {"k", "KiB"},   {"g", "GiB"},
      {"sec", "s"},   {"secs", "s"},   {"min", "m"},   {"mins", "m"},  {"hr", "h"},
      {"hrs", "h"},   {"hour", "h"},   {"hours", "h"}, {"day", "d"},   {"days", "d"},
      {"w", "d"},     {"week", "d"},   {"weeks", "d"},  {"s", "s"},     {"h", "h"},
      {"d", "d"},
  };
  char low[8] = "";
  for (size_t i = 0; i < ulen && i < sizeof low - 1; i++)
    low[i] = (char)(u[i] | 0x20);
  const char *fix = NULL;
  for (size_t i = 0; i < countof(aliases) && ulen < sizeof low; i++)
    if (!strcmp(low, aliases[i].alias))
      fix = aliases[i].unit;
  bool weeks = low[0] == 'w';
  if (fix && ok && (!weeks || n <= INT64_MAX / 7)) {
    const char *lit = arena_printf(&lx->c->arena, "%lld%s", (long long)(weeks ? n * 7 : n), fix);
    diag_help(lx->c, d, "did you mean %s?%s", lit,
              fix[1] == 'i' ? " sizes are binary: KiB, MiB, GiB, TiB"
              : weeks       ? " durations take s, m, h or d"
                            : "");
    diag_fix(lx->c, d, span_of(lx, lx->tok, lx->cur), lit);
  } else {
    diag_help(lx->c, d, "sizes take KiB, MiB, GiB or TiB (binary); durations take s, m, h or d");
  }
  t->bad = true;
  return INT;
}

static int lit_ports(Lexer *lx, Token *t) {
  const unsigned char *dots = digits_end(lx->tok);
  bool ok = scan_digits(lx, lx->tok, dots, &t->i);
  ok = scan_digits(lx, dots + 2, lx->cur, &t->hi) && ok;
  t->bad = !ok;
  return PORTS;
}

static int lit_address(Lexer *lx, Token *t) {
  size_t n = (size_t)(lx->cur - lx->tok), lo = 0, hi = n;
  bool slash = memchr(lx->tok, '/', n) != NULL;
  CidrError e = cidr_parse((const char *)lx->tok, n, slash, &t->cidr, &lo, &hi);
  Span sp = span_of(lx, lx->tok + lo, lx->tok + hi);
  const char *what = slash ? "CIDR block" : "IPv4 address";
  /* 010.0.0.0/16: some tools read a leading zero as octal (010 is 8), others
     do not; infrac accepts no such ambiguity. */
  for (size_t i = 0; e == CIDR_OK && i + 1 < n; i++) {
    bool start = i == 0 || lx->tok[i - 1] == '.' || lx->tok[i - 1] == '/';
    if (!start || lx->tok[i] != '0' || lx->tok[i + 1] < '0' || lx->tok[i + 1] > '9')
      continue;
    size_t j = i;
    while (j < n && lx->tok[j] >= '0' && lx->tok[j] <= '9')
      j++;
    bool prefix = i > 0 && lx->tok[i - 1] == '/';
    Diag *d = diag_error(lx->c, "E003", span_of(lx, lx->tok + i, lx->tok + j),
                         "%s %.*s has a leading zero in %s %.*s", prefix ? "prefix" : "octet",
                         (int)(j - i), (const char *)lx->tok + i, what, (int)n,
                         (const char *)lx->tok);
    char fixed[32];
    diag_help(lx->c, d, "write %s: a leading zero reads as octal to some tools",
              slash ? cidr_format(t->cidr, fixed) : ip_format(t->cidr.addr, fixed));
    diag_fix(lx->c, d, span_of(lx, lx->tok, lx->cur), fixed);
    t->bad = true;
    return slash ? CIDR : IP;
  }
  switch (e) {
  case CIDR_OK: break;
  case CIDR_BAD_OCTET:
    diag_error(lx->c, "E003", sp, "octet %.*s is above 255 in %s %.*s", (int)(hi - lo),
               (const char *)lx->tok + lo, what, (int)n, (const char *)lx->tok);
    break;
  case CIDR_BAD_PREFIX:
    diag_error(lx->c, "E003", sp, "prefix /%.*s is above 32 in CIDR block %.*s", (int)(hi - lo),
               (const char *)lx->tok + lo, (int)n, (const char *)lx->tok);
    break;
  case CIDR_BAD_SYNTAX:
    diag_error(lx->c, "E003", sp, "malformed %s %.*s: expected four octets%s", what, (int)n,
               (const char *)lx->tok, slash ? " and a prefix, as in 10.0.0.0/16" : ", as in 10.0.0.5");
    break;
  }
  t->bad = e != CIDR_OK;
  return slash ? CIDR : IP;
}

/* "..." on one line; escapes \" \\ \n \t \$; ${...} is checked for its
   closing brace here and parsed later. */
static int lex_string(Lexer *lx, Token *t) {
  const unsigned char *p = lx->cur;
  bool long_str = false;
  for (;;) {
    /* Printable ASCII other than " \ $ needs no more look. */
    while (p < lx->lim && *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' && *p != '$')
      p++;
    if (p >= lx->lim || *p == '\n') {
      Diag *d = diag_error(lx->c, "E001", span_of(lx, lx->tok, lx->tok + 1), "unterminated string");
      diag_help(lx->c, d, "a string ends on its own line: close it with '\"'");
      lx->cur = p;
      return YYerror;
    }
    if (p - lx->cur > LIMIT_STRING && !long_str) {
      long_str = true;
      diag_error(lx->c, "E004", span_of(lx, lx->tok, p), "string longer than %d bytes: the limit",
                 LIMIT_STRING);
      t->bad = true;
    }
    if (*p == '"')
      break;
    if (*p == '\\') {
      if (p + 1 < lx->lim && strchr("\"\\nt$", p[1]) && p[1])
        p += 2;
      else if (p + 1 >= lx->lim || p[1] == '\n' || (p[1] >= 0x80 && !utf8_len(p + 1, lx->lim)))
        p++; /* an unterminated string or an invalid byte: each reported on its own */
      else {
        Diag *d;
        int n = p[1] < 0x80 ? 1 : utf8_len(p + 1, lx->lim);
        if (p[1] > ' ' && p[1] != 0x7F)
          d = diag_error(lx->c, "E003", span_of(lx, p, p + 1 + n),
                         "unknown escape '\\%.*s' in string", n, (const char *)p + 1);
        else
          d = diag_error(lx->c, "E003", span_of(lx, p, p + 1 + n), "unknown escape in string");
        diag_help(lx->c, d, "strings take \\\" \\\\ \\n \\t and \\$; write \\\\ for a backslash");
        p += 1 + n;
        t->bad = true;
      }
      continue;
    }
    if (p[0] == '$' && p + 1 < lx->lim && p[1] == '{') {
      const unsigned char *open = p;
      p += 2;
      while (p < lx->lim && *p != '}' && *p != '"' && *p != '\n')
        p++;
      if (p >= lx->lim || *p != '}') {
        diag_error(lx->c, "E001", span_of(lx, open, open + 2),
                   "unterminated interpolation: '${' without '}' in this string");
        t->bad = true;
        continue;
      }
      p++;
      continue;
    }
    int n = utf8_len(p, lx->lim);
    if (n == 0) {
      n = bad_byte(lx, p);
      t->bad = true;
    } else if (*p == 0) {
      diag_error(lx->c, "E001", span_of(lx, p, p + 1), "NUL byte in string");
      t->bad = true;
    }
    p += n;
  }
  lx->cur = p + 1;
  return STRING;
}

/* public_${z without its '}': one error, and the name is kept as written so
   that the parse goes on. */
static int open_name(Lexer *lx, Token *t) {
  const unsigned char *open = lx->cur;
  while (open[0] != '$' || open[1] != '{')
    open--;
  Diag *d = diag_error(lx->c, "E001", span_of(lx, open, lx->cur),
                       "unterminated interpolation: '${' without '}' in this name");
  diag_help(lx->c, d, "close it: %.*s}", (int)(lx->cur - lx->tok), (const char *)lx->tok);
  t->bad = true;
  return IDENT;
}

static void lex_comment(Lexer *lx) {
  const unsigned char *p = lx->cur;
  while (p < lx->lim && *p != '\n') {
    int n = utf8_len(p, lx->lim);
    if (n == 0)
      n = bad_byte(lx, p);
    p += n;
  }
  lx->cur = p;
  diag_ignore_comment(lx->c, lx->file, span_of(lx, lx->tok, p).lo, span_of(lx, lx->tok, p).hi);
  if (lx->comments) {
    Span *sp = arena_alloc(&lx->c->arena, sizeof *sp);
    *sp = span_of(lx, lx->tok, p);
    vec_push(&lx->c->arena, lx->comments, sp);
  }
}

static int stray(Lexer *lx) {
  const unsigned char *p = lx->tok;
  int n = utf8_len(p, lx->lim);
  if (n == 0) {
    lx->cur = p + bad_byte(lx, p);
  } else if (*p == 0) {
    diag_error(lx->c, "E001", span_of(lx, p, p + 1), "NUL byte in source");
  } else if (*p < 0x20 || *p == 0x7F) {
    diag_error(lx->c, "E001", span_of(lx, p, p + 1), "unexpected control character 0x%02X", *p);
  } else if (n == 1) {
    lx->cur = p + n;
    diag_error(lx->c, "E001", span_of(lx, p, p + n), "unexpected character '%c'", *p);
  } else {
    /* Pasted text brings characters that look like others, or like nothing. */
    uint32_t cp = n == 2 ? (p[0] & 0x1Fu) : n == 3 ? (p[0] & 0x0Fu) : (p[0] & 0x07u);
    for (int i = 1; i < n; i++)
      cp = (cp << 6) | (p[i] & 0x3Fu);
    lx->cur = p + n;
    Span sp = span_of(lx, p, p + n);
    bool invisible = cp == 0xA0 || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200F) ||
                     cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x2060 || cp == 0x3000;
    Diag *d = invisible ? diag_error(lx->c, "E001", sp, "unexpected invisible character U+%04X", cp)
                        : diag_error(lx->c, "E001", sp, "unexpected character '%.*s' (U+%04X)", n,
                                     (const char *)p, cp);
    const unsigned char *q = lx->cur;
    while (cp == 0x201C && q + 3 <= lx->lim && *q != '\n' && memcmp(q, "\xE2\x80\x9D", 3))
      q++;
    if (cp == 0x201C && q + 3 <= lx->lim && *q != '\n') {
      /* “text”: one error for the pair, and the fix */
      diag_help(lx->c, d, "strings take straight double quotes: \"%.*s\"", (int)(q - lx->cur),
                (const char *)lx->cur);
      diag_fix(lx->c, d, span_of(lx, p, q + 3),
               arena_printf(&lx->c->arena, "\"%.*s\"", (int)(q - lx->cur), (const char *)lx->cur));
      lx->cur = q + 3;
    } else if (cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019)
      diag_help(lx->c, d, "strings take straight double quotes: \"...\"");
    else if (invisible)
      diag_help(lx->c, d, "delete it, or retype the line: it often comes with pasted text");
  }
  return YYerror;
}

static int scan(Lexer *lx, Token *t) {
  const unsigned char *mar;
  (void)mar;
  for (;;) {
    lx->tok = lx->cur;
    /*!re2c
      re2c:define:YYCTYPE = "unsigned char";
      re2c:define:YYCURSOR = "lx->cur";
      re2c:define:YYMARKER = "mar";
      re2c:yyfill:enable = 0;

      num = [0-9]+;
      interp = "${" [^}"\n\x00]* "}";

      "\x00" { if (lx->tok >= lx->lim) return YYEOF; return stray(lx); }
      [ \t\r]+ { continue; }
      "\n" { return LEX_NL; }
      "#" { lex_comment(lx); continue; }
      "stack" { return STACK; }
      "param" { return PARAM; }
      "output" { return OUTPUT; }
      "if" { return IF; }
      "for" { return FOR; }
      "in" { return IN; }
      "true" { t->i = 1; return TRUE; }
      "false" { t->i = 0; return FALSE; }
      [A-Za-z_][A-Za-z0-9_]* { return IDENT; }
      ([A-Za-z_] | interp) ([A-Za-z0-9_]+ | interp)* { t->interp = true; return IDENT; }
      ([A-Za-z_] | interp) ([A-Za-z0-9_]+ | interp)* "${" [A-Za-z0-9_.]* { return open_name(lx, t); }
      num | "-" num { return lit_int(lx, t); }
      num [A-Za-z]+ { return lit_unit(lx, t); }
      num ".." num { return lit_ports(lx, t); }
      num ("." num)+ ("/" num?)? { return lit_address(lx, t); }
      "\"" { return lex_string(lx, t); }
      "->" { return ARROW; }
      "==" { return EQ; }
      "!=" { return NE; }
      "&&" { return AND; }
      "||" { return OR; }
      [{}[\]()=:,.!?+*/%-] { return lx->tok[0]; }
      * { return stray(lx); }
    */
  }
}

void lex_init(Lexer *lx, Compilation *c, int file, uint32_t lo, uint32_t hi) {
  Source *src = compile_source(c, file);
  *lx = (Lexer){0};
  lx->c = c;
  lx->file = file;
  lx->base = lo;
  if (hi == src->len) {
    lx->src = (const unsigned char *)src->text + lo;
  } else {
    /* A sub-range needs its own NUL sentinel. */
    lx->src = (const unsigned char *)arena_strndup(&c->arena, src->text + lo, hi - lo);
  }
  lx->cur = lx->src;
  lx->lim = lx->src + (hi - lo);
  /* A byte order mark, as some Windows editors write, is no token. */
  if (lo == 0 && lx->lim - lx->cur >= 3 && !memcmp(lx->cur, "\xEF\xBB\xBF", 3))
    lx->cur += 3;
}

static bool ends_line(int kind) {
  switch (kind) {
  case IDENT: case INT: case STRING: case CIDR: case IP: case SIZE: case DURATION: case PORTS:
  case TRUE: case FALSE: case ')': case ']': case '}':
    return true;
  default: return false;
  }
}

/* Newlines end a statement (`ingress tcp 80 from web`) when the line could
   end there and no ( or [ is open; a SEP also goes before each '}' and the
   end of input, so the last statement of a block needs no newline. */
void lex_next(Lexer *lx, Token *t) {
  if (lx->start_token) {
    *t = (Token){.kind = lx->start_token, .span = span_of(lx, lx->src, lx->src)};
    lx->start_token = 0;
    return;
  }
  if (lx->pending_valid) {
    *t = lx->pending;
    lx->pending_valid = false;
  } else {
    for (;;) {
      *t = (Token){0};
      int kind = scan(lx, t);
      t->kind = kind;
      t->span = span_of(lx, lx->tok, lx->cur);
      if (kind == YYEOF)
        t->span = span_of(lx, lx->lim, lx->lim);
      if (kind != LEX_NL)
        break;
      if (lx->prev_ends_line && lx->nesting == 0) {
        t->kind = SEP;
        lx->prev_ends_line = false;
        return;
      }
    }
    if ((t->kind == '}' || t->kind == YYEOF) && lx->prev_ends_line) {
      lx->pending = *t;
      lx->pending_valid = true;
      Span at = t->span;
      *t = (Token){.kind = SEP, .span = {at.file, at.lo, at.lo}};
      lx->prev_ends_line = false;
      return;
    }
  }
  if ((t->kind == '(' || t->kind == '[' || t->kind == '{') &&
      lx->nesting + lx->braces.n >= LIMIT_DEPTH) {
    /* Deeper would take as deep a recursion in every pass. */
    diag_error(lx->c, "E004", t->span,
               "nesting of (, [ and { deeper than %d levels: the limit; the rest of the file is not checked",
               LIMIT_DEPTH);
    lx->cur = lx->lim;
    t->kind = YYerror;
  }
  switch (t->kind) {
  case '(': case '[': lx->nesting++; break;
  case ')': case ']': if (lx->nesting > 0) lx->nesting--; break;
  case '{': vec_push(&lx->c->arena, &lx->braces, (void *)(uintptr_t)t->span.lo); break;
  case '}':
    if (lx->braces.n)
      lx->braces.n--;
    else
      t->bad = true; /* closes no '{': the parser says so */
    break;
  }
  lx->prev_ends_line = ends_line(t->kind);
}

const char *lex_token_desc(int kind) {
  switch (kind) {
  case YYEOF: return "end of file";
  case IDENT: return "a name";
  case INT: return "an integer";
  case STRING: return "a string";
  case CIDR: return "a CIDR block";
  case IP: return "an IPv4 address";
  case SIZE: return "a size";
  case DURATION: return "a duration";
  case PORTS: return "a port range";
  case ARROW: return "'->'";
  case EQ: return "'=='";
  case NE: return "'!='";
  case AND: return "'&&'";
  case OR: return "'||'";
  case IF: return "'if'";
  case FOR: return "'for'";
  case IN: return "'in'";
  case '!': return "'!'";
  case '?': return "'?'";
  case SEP: return "end of line";
  case STACK: return "'stack'";
  case PARAM: return "'param'";
  case OUTPUT: return "'output'";
  case TRUE: return "'true'";
  case FALSE: return "'false'";
  case '{': return "'{'";
  case '}': return "'}'";
  case '[': return "'['";
  case ']': return "']'";
  case '(': return "'('";
  case ')': return "')'";
  case '=': return "'='";
  case ':': return "':'";
  case ',': return "','";
  case '.': return "'.'";
  default: return "a token";
  }
}
