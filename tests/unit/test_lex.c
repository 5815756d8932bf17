/* test_lex.c: the lexer's literal scanners at their edges. Each source is
   lexed from memory (compile_add_source, lex_init, lex_next); the checks are
   on token kinds, spans, values, and the code and span of each error. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "infrac.h"
#include "parser.h"

#include "check.h"

/* One lexed source: its first token, and what was reported. */
typedef struct {
  Token tok;
  int nerrors;
  const char *code; /* of the first diagnostic, or "" */
  uint32_t lo, hi;  /* its span */
  char msg[256]; /* the message, kept after the compilation is freed */
} Lexed;

static Lexed lex1(const char *src) {
  Lexed r = {0};
  Compilation *c = compile_new();
  int f = compile_add_source(c, "t.infra", src, strlen(src));
  Lexer lx;
  lex_init(&lx, c, f, 0, (uint32_t)strlen(src));
  lex_next(&lx, &r.tok);
  r.nerrors = c->nerrors;
  r.code = "";
  if (c->diags.n) {
    Diag *d = c->diags.v[0];
    r.code = d->code; /* a string literal: outlives c */
    r.lo = d->span.lo;
    r.hi = d->span.hi;
    snprintf(r.msg, sizeof r.msg, "%s", d->msg);
  }
  compile_free(c);
  return r;
}

/* The kinds of every token of src up to the end, as a string: one letter per
   token (I ident, N int, S string, C cidr, P ports, ; sep, $ end, = { } [ ]
   and so on as themselves, ? anything else). */
static void kinds(const char *src, char *out, size_t n) {
  Compilation *c = compile_new();
  int f = compile_add_source(c, "t.infra", src, strlen(src));
  Lexer lx;
  lex_init(&lx, c, f, 0, (uint32_t)strlen(src));
  size_t i = 0;
  for (Token t = {0}; i + 1 < n;) {
    lex_next(&lx, &t);
    char k = t.kind == IDENT ? 'I' : t.kind == INT ? 'N' : t.kind == STRING ? 'S'
           : t.kind == CIDR ? 'C' : t.kind == PORTS ? 'P' : t.kind == SEP ? ';'
           : t.kind == YYEOF ? '$' : t.kind == ARROW ? '>' : t.kind < 128 ? (char)t.kind : '?';
    out[i++] = k;
    if (t.kind == YYEOF)
      break;
  }
  out[i] = 0;
  compile_free(c);
}

static bool kinds_are(const char *src, const char *want) {
  char got[64];
  kinds(src, got, sizeof got);
  if (strcmp(got, want))
    fprintf(stderr, "  %s: tokens %s, want %s\n", src, got, want);
  return strcmp(got, want) == 0;
}

/* src lexes to one clean token of kind k over the whole text. */
static bool clean(const char *src, int k) {
  Lexed r = lex1(src);
  return r.tok.kind == k && !r.tok.bad && r.nerrors == 0 && r.tok.span.lo == 0 &&
         r.tok.span.hi == strlen(src);
}

/* src gives one error `code` over src[lo..hi), and a token marked bad. */
static bool fails(const char *src, const char *code, uint32_t lo, uint32_t hi) {
  Lexed r = lex1(src);
  bool ok = r.nerrors == 1 && !strcmp(r.code, code) && r.lo == lo && r.hi == hi &&
            (r.tok.bad || r.tok.kind == YYerror);
  if (!ok)
    fprintf(stderr, "  %s: %d errors, first %s [%u, %u) %s\n", src, r.nerrors, r.code, r.lo, r.hi,
            r.msg);
  return ok;
}

static void test_integers(void) {
  CHECK(clean("0", INT) && lex1("0").tok.i == 0);
  CHECK(clean("443", INT) && lex1("443").tok.i == 443);
  CHECK(clean("65535", INT) && lex1("65535").tok.i == 65535);
  CHECK(lex1("007").tok.i == 7);
  CHECK(clean("9223372036854775807", INT));
  CHECK(lex1("9223372036854775807").tok.i == INT64_MAX);
  /* One past INT64_MAX, and far past it: E003 over the whole number. */
  CHECK(fails("9223372036854775808", "E003", 0, 19));
  CHECK(fails("18446744073709551616", "E003", 0, 20));
  CHECK(fails("99999999999999999999999999", "E003", 0, 26));
  CHECK(strstr(lex1("9223372036854775808").msg, "too large") != NULL);
}

static void test_cidrs(void) {
  Lexed r = lex1("10.0.0.0/16");
  CHECK(clean("10.0.0.0/16", CIDR));
  CHECK(r.tok.cidr.addr == 0x0A000000u && r.tok.cidr.prefix == 16);
  r = lex1("0.0.0.0/0");
  CHECK(r.tok.kind == CIDR && r.tok.cidr.addr == 0 && r.tok.cidr.prefix == 0 && !r.nerrors);
  r = lex1("255.255.255.255/32");
  CHECK(r.tok.kind == CIDR && r.tok.cidr.addr == 0xFFFFFFFFu && r.tok.cidr.prefix == 32);
  /* Host bits are the checker's E201, not a bad literal. */
  CHECK(clean("10.0.1.5/24", CIDR));
  /* The offending part is underlined: the octet, the prefix, or the whole. */
  CHECK(fails("10.0.256.0/24", "E003", 5, 8));
  CHECK(fails("300.0.0.0/8", "E003", 0, 3));
  CHECK(fails("10.0.0.255/33", "E003", 11, 13));
  CHECK(fails("10.0.0.0/99999999999", "E003", 9, 20));
  CHECK(fails("10.0.0/16", "E003", 0, 9));
  CHECK(fails("10.0.0.0/", "E003", 0, 9));
  CHECK(fails("10.0.0.0.0/8", "E003", 0, 12));
  /* A leading zero is octal to some tools: refused, the octet underlined. */
  CHECK(fails("010.0.0.0/16", "E003", 0, 3));
  CHECK(fails("10.0.00.0/24", "E003", 5, 7));
  CHECK(fails("10.0.0.0/08", "E003", 9, 11));
  CHECK(fails("10.0.0.01", "E003", 7, 9));
  CHECK(clean("10.0.0.0/0", CIDR) && clean("0.0.0.0", IP));
  CHECK(lex1("10.0.256.0/24").tok.kind == CIDR);
  CHECK(strstr(lex1("10.0.256.0/24").msg, "octet 256") != NULL);
  CHECK(strstr(lex1("10.0.0.0/33").msg, "prefix /33") != NULL);
}

static void test_addresses(void) {
  Lexed r = lex1("10.0.0.5");
  CHECK(clean("10.0.0.5", IP) && r.tok.cidr.addr == 0x0A000005u && r.tok.cidr.prefix == 32);
  CHECK(clean("0.0.0.0", IP) && clean("255.255.255.255", IP));
  CHECK(fails("10.0.0.256", "E003", 7, 10));
  CHECK(fails("1.2.3", "E003", 0, 5));
  CHECK(fails("1.2.3.4.5", "E003", 0, 9));
  CHECK(lex1("1.2.3").tok.kind == IP);
}

static void test_sizes(void) {
  CHECK(clean("1KiB", SIZE) && lex1("1KiB").tok.i == 1024);
  CHECK(clean("512MiB", SIZE) && lex1("512MiB").tok.i == 512LL << 20);
  CHECK(clean("20GiB", SIZE) && lex1("20GiB").tok.i == 20LL << 30);
  CHECK(clean("1TiB", SIZE) && lex1("1TiB").tok.i == 1LL << 40);
  CHECK(clean("0MiB", SIZE) && lex1("0MiB").tok.i == 0);
  /* The largest TiB that fits in 64 bits, and one more. */
  CHECK(clean("8388607TiB", SIZE) && lex1("8388607TiB").tok.i == 8388607LL << 40);
  CHECK(fails("8388608TiB", "E003", 0, 10));
  /* Unknown units: the unit is underlined, and the help says what was meant. */
  CHECK(fails("20GB", "E003", 2, 4));
  CHECK(fails("512mib", "E003", 3, 6));
  CHECK(fails("1PiB", "E003", 1, 4));
  CHECK(fails("1Kib", "E003", 1, 4));
  Compilation *c = compile_new();
  int f = compile_add_source(c, "t.infra", "20GB", 4);
  Lexer lx;
  Token tok;
  lex_init(&lx, c, f, 0, 4);
  lex_next(&lx, &tok);
  Diag *d = c->diags.v[0];
  CHECK(d->help && strstr(d->help, "20GiB") != NULL);
  CHECK(d->has_fix && !strcmp(d->fix, "20GiB") && d->fix_span.lo == 0 && d->fix_span.hi == 4);
  compile_free(c);
}

static void test_durations(void) {
  CHECK(clean("30s", DURATION) && lex1("30s").tok.i == 30);
  CHECK(clean("5m", DURATION) && lex1("5m").tok.i == 300);
  CHECK(clean("12h", DURATION) && lex1("12h").tok.i == 43200);
  CHECK(clean("14d", DURATION) && lex1("14d").tok.i == 14 * 86400);
  CHECK(clean("0s", DURATION));
  /* INT64_MAX / 86400 = 106751991167300 days fit, one more does not. */
  CHECK(clean("106751991167300d", DURATION));
  CHECK(fails("106751991167301d", "E003", 0, 16));
  CHECK(clean("9223372036854775807s", DURATION));
  CHECK(fails("9223372036854775808s", "E003", 0, 19));
  CHECK(fails("2w", "E003", 1, 2));
  CHECK(fails("9223372036854775807w", "E003", 19, 20)); /* no 7 * INT64_MAX in the help */
  CHECK(fails("30sec", "E003", 2, 5));
  CHECK(fails("1y", "E003", 1, 2));
  CHECK(strstr(lex1("2w").msg, "unknown unit 'w'") != NULL);
}

static void test_ports(void) {
  Lexed r = lex1("0..65535");
  CHECK(clean("0..65535", PORTS) && r.tok.i == 0 && r.tok.hi == 65535);
  r = lex1("8000..8010");
  CHECK(clean("8000..8010", PORTS) && r.tok.i == 8000 && r.tok.hi == 8010);
  /* Out of range and reversed ranges are the checker's (E301, E302): the
     lexer keeps their values. */
  r = lex1("0..65536");
  CHECK(clean("0..65536", PORTS) && r.tok.hi == 65536);
  r = lex1("8010..8000");
  CHECK(clean("8010..8000", PORTS) && r.tok.i == 8010 && r.tok.hi == 8000);
  CHECK(clean("22..22", PORTS));
  /* A bound that is no 64-bit integer is E003 on that bound. */
  CHECK(fails("1..99999999999999999999", "E003", 3, 23));
  CHECK(fails("99999999999999999999..1", "E003", 0, 20));
  /* Not ranges: a dot too few or too many. */
  CHECK(kinds_are("80.", "N.$"));
  CHECK(kinds_are("1...2", "N...N;$"));
}

static void test_strings(void) {
  CHECK(clean("\"\"", STRING));
  CHECK(clean("\"api.example.com\"", STRING));
  CHECK(clean("\"a\\\"b\\\\c\\n\\t\\$d\"", STRING));
  CHECK(clean("\"${api_repo.uri}:${image_tag}\"", STRING));
  CHECK(clean("\"\\${not} interpolated\"", STRING));
  CHECK(clean("\"caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x98\x80\"", STRING));
  /* Errors: the opening quote, the escape, the '${', the byte. */
  CHECK(fails("\"abc", "E001", 0, 1));
  CHECK(fails("\"abc\nx\"", "E001", 0, 1));
  CHECK(lex1("\"abc").tok.kind == YYerror);
  CHECK(fails("\"a\\qb\"", "E003", 2, 4));
  CHECK(strstr(lex1("\"a\\qb\"").msg, "'\\q'") != NULL);
  CHECK(fails("\"a${b\"", "E001", 2, 4));
  CHECK(fails("\"a\xFF" "b\"", "E001", 2, 3));
  CHECK(fails("\"a\xED\xA0\x80\"", "E001", 2, 5)); /* one error for the sequence */
  CHECK(fails("\"a\\\xC3\xA9\"", "E003", 2, 5)); /* \é: one escape, not a broken byte */
  /* A backslash before the newline: only the unterminated string. */
  CHECK(fails("\"a\\\n\"", "E001", 0, 1));
  CHECK(lex1("\"a\\qb\"").tok.kind == STRING && lex1("\"a\\qb\"").tok.span.hi == 6);
}

/* The decoded text of a string: parts and interpolations, through the parser. */
static void test_string_values(void) {
  const char *src = "\"a\\\"b\\\\c\\n\\t\\$d\"";
  Compilation *c = compile_new();
  int f = compile_add_source(c, "t.infra", src, strlen(src));
  Expr *e = parse_expr_at(c, f, 0, (uint32_t)strlen(src));
  CHECK(e && e->k == EX_STR && e->parts && !e->parts->next);
  CHECK(e && e->parts && !strcmp(e->parts->text, "a\"b\\c\n\t$d"));
  compile_free(c);

  src = "\"${repo.uri}:${tag}\"";
  c = compile_new();
  f = compile_add_source(c, "t.infra", src, strlen(src));
  e = parse_expr_at(c, f, 0, (uint32_t)strlen(src));
  StrPart *p = e ? e->parts : NULL;
  CHECK(p && p->expr && p->expr->k == EX_FIELD && !strcmp(p->expr->name, "uri"));
  CHECK(p && p->expr && p->expr->span.lo == 3 && p->expr->span.hi == 11);
  p = p ? p->next : NULL;
  CHECK(p && p->text && !strcmp(p->text, ":"));
  p = p ? p->next : NULL;
  CHECK(p && p->expr && p->expr->k == EX_NAME && !strcmp(p->expr->name, "tag"));
  CHECK(p && !p->next);
  CHECK(c->nerrors == 0);
  compile_free(c);
}

static void test_words(void) {
  CHECK(clean("stack", STACK) && clean("param", PARAM) && clean("output", OUTPUT));
  CHECK(clean("true", TRUE) && lex1("true").tok.i == 1);
  CHECK(clean("false", FALSE) && lex1("false").tok.i == 0);
  CHECK(clean("stacks", IDENT) && clean("_x9", IDENT) && clean("internet_facing", IDENT));
  CHECK(clean("->", ARROW));
  /* A UTF-8 byte order mark at the start of the source is skipped. */
  Lexed r = lex1("\xEF\xBB\xBFstack");
  CHECK(r.tok.kind == STACK && r.tok.span.lo == 3 && r.tok.span.hi == 8 && !r.nerrors);
  /* Stray characters: one E001 each, spanning the whole character. */
  CHECK(fails("@", "E001", 0, 1));
  CHECK(fails(";", "E001", 0, 1));
  CHECK(fails("\xFF", "E001", 0, 1));
  CHECK(fails("\xC3\xA9", "E001", 0, 2));
  CHECK(strstr(lex1("\xC3\xA9").msg, "U+00E9") != NULL);
  CHECK(fails("\xE2\x80\x9Cx\xE2\x80\x9D", "E001", 0, 3));
  CHECK(fails("\xED\xA0\x80", "E001", 0, 3));
  CHECK(fails("\x07", "E001", 0, 1));
}

/* Newlines end statements only where a line may end and no ( or [ is open;
   a SEP also goes before each '}' and the end of input. */
static void test_lines(void) {
  CHECK(kinds_are("ingress tcp 80 from web\n", "IINII;$"));
  CHECK(kinds_are("a b\nc d", "II;II;$"));
  CHECK(kinds_are("x = \n 5", "I=N;$"));
  CHECK(kinds_are("v = [a,\n b,\n]\n", "I=[I,I,];$"));
  CHECK(kinds_are("f(\n1\n)", "I(N);$"));
  CHECK(kinds_are("s { a = 1 }", "I{I=N;};$"));
  CHECK(kinds_are("s {\n}\n\n\n", "I{};$"));
  CHECK(kinds_are("route 0.0.0.0/0 -> igw", "IC>I;$"));
  CHECK(kinds_are("# only a comment\n", "$"));
  CHECK(kinds_are("a # comment\nb", "I;I;$"));
  CHECK(kinds_are("port 8000..8010", "IP;$"));
  CHECK(kinds_are("x = \"a\" # \"b\"", "I=S;$"));
  /* A '}' that closes no '{' is marked, for the parser's message. */
  Lexed r = lex1("}");
  CHECK(r.tok.kind == '}' && r.tok.bad);
  CHECK(!strcmp(lex_token_desc(CIDR), "a CIDR block"));
  CHECK(!strcmp(lex_token_desc(SEP), "end of line"));
  CHECK(!strcmp(lex_token_desc(YYEOF), "end of file"));
}

int main(void) {
  test_integers();
  test_cidrs();
  test_addresses();
  test_sizes();
  test_durations();
  test_ports();
  test_strings();
  test_string_values();
  test_words();
  test_lines();
  if (failures) {
    fprintf(stderr, "test_lex: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_lex: %d checks passed\n", checks);
  return 0;
}
