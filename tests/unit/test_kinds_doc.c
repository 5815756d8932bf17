/* test_kinds_doc.c: docs/kinds.md, the reference of every kind, made from
   the kind table (compiler/kinds.c) and compared with the committed page, so
   the page cannot drift from the table. With UPDATE set (UPDATE=1 make test)
   it writes the page instead. Run from the repository's root, as
   tests/run.sh runs it. Every attribute, statement, block and export needs a
   doc string: one without is a failure that names it. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "infrac.h"

#define PAGE "docs/kinds.md"

static Arena arena;

/* A table cell: '|' escaped, one line. */
static void cell(Buf *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|')
      buf_puts(b, "\\|");
    else if (*s == '\n')
      buf_puts(b, " ");
    else
      buf_add(b, s, 1);
  }
}

static void need_doc(const char *what, const char *name, const char *doc) {
  if (!doc || !*doc) {
    fprintf(stderr, "%s %s has no doc string in compiler/kinds.c\n", what, name);
    failures++;
  }
  checks++;
}

static void attrs(Buf *b, const Schema *s, const char *where) {
  if (s->free_attrs) {
    buf_printf(b, "Any names, each `NAME = value` on its own line: %s.\n\n", s->doc);
    return;
  }
  if (!s->nattrs)
    return;
  buf_puts(b, "| attribute | accepts | required | default | |\n"
              "| --- | --- | --- | --- | --- |\n");
  for (int i = 0; i < s->nattrs; i++) {
    const AttrDef *a = &s->attrs[i];
    need_doc(where, a->name, a->doc);
    buf_printf(b, "| `%s` | ", a->name);
    cell(b, kind_accept_desc(&arena, a));
    buf_printf(b, " | %s | ", a->required ? "yes" : "");
    if (a->def) {
      buf_puts(b, "`");
      cell(b, a->def);
      buf_puts(b, "`");
    }
    buf_puts(b, " | ");
    cell(b, a->doc);
    buf_puts(b, " |\n");
  }
  buf_puts(b, "\n");
}

static void schema(Buf *b, const Schema *s, const char *path, int depth);

static void stmts(Buf *b, const Schema *s, const char *path, int depth) {
  if (!s->nstmts)
    return;
  buf_puts(b, "| statement or block | form |\n| --- | --- |\n");
  for (int i = 0; i < s->nstmts; i++) {
    const StmtDef *st = &s->stmts[i];
    need_doc(path, st->name, st->doc);
    buf_printf(b, "| `%s` | ", st->name);
    cell(b, st->doc);
    buf_puts(b, " |\n");
  }
  buf_puts(b, "\n");
  /* The blocks' own members; tags is the same map everywhere: told once. */
  for (int i = 0; i < s->nstmts; i++) {
    const StmtDef *st = &s->stmts[i];
    if (!st->body || st->body->free_attrs)
      continue;
    const char *sub = arena_printf(&arena, "%s %s", path, st->name);
    buf_printf(b, "%.*s `%s` block in `%s`: %s.\n\n", depth + 1, "######", st->name, path,
               st->body->doc);
    schema(b, st->body, sub, depth + 1);
  }
}

static void schema(Buf *b, const Schema *s, const char *path, int depth) {
  attrs(b, s, path);
  stmts(b, s, path, depth);
}

static void exports(Buf *b, const Schema *s) {
  if (!s->nexports)
    return;
  buf_printf(b, "Exports: what `NAME.ATTR` gives for a `%s NAME`.\n\n", s->name);
  buf_puts(b, "| export | type | |\n| --- | --- | --- |\n");
  for (int i = 0; i < s->nexports; i++) {
    const ExportDef *e = &s->exports[i];
    need_doc(s->name, e->name, e->doc);
    AttrDef as = {.accept = e->type};
    buf_printf(b, "| `.%s` | ", e->name);
    cell(b, kind_accept_desc(&arena, &as));
    buf_puts(b, " | ");
    cell(b, e->doc);
    buf_puts(b, " |\n");
  }
  buf_puts(b, "\n");
}

/* A doc string as a sentence: capital first, full stop last. */
static void sentence(Buf *b, const char *doc) {
  char first = doc[0] >= 'a' && doc[0] <= 'z' ? (char)(doc[0] - 'a' + 'A') : doc[0];
  buf_add(b, &first, 1);
  buf_puts(b, doc + 1);
  buf_puts(b, ".");
}

static void kind(Buf *b, const Schema *s) {
  need_doc("kind", s->name, s->doc);
  buf_printf(b, "## %s\n\n", s->name);
  sentence(b, s->doc);
  if (*s->cfn)
    buf_printf(b, " Main CloudFormation resource: `%s`.", s->cfn);
  buf_puts(b, "\n\n");
  schema(b, s, s->name, 2);
  exports(b, s);
}

static void page(Buf *b) {
  int n;
  const Schema *all = kind_all(&n);
  buf_puts(b,
           "# Kinds\n\n"
           "<!-- Generated from the kind table, compiler/kinds.c, by "
           "tests/unit/test_kinds_doc.c;\n"
           "     do not edit: change the table, then run `UPDATE=1 make test`. -->\n\n"
           "Every kind of the language: its attributes (what each accepts, whether it is\n"
           "required, its default, what it means), its statements and blocks, the\n"
           "attributes it exports to references (`db.address`), and the main\n"
           "CloudFormation resource it becomes (language.md, \"Templates\", lists the\n"
           "others). This page is made from the same table the checker, the\n"
           "language server's completion and hover, and `infrac check`'s messages read;\n"
           "a test makes it again and compares, so it says what the compiler does. The\n"
           "language itself is in [language.md](language.md).\n\n"
           "A `tags { Key = \"value\" }` block, where a kind has one, puts those tags on\n"
           "every AWS resource the declaration becomes.\n\n");
  buf_puts(b, "| kind | | main CloudFormation resource |\n| --- | --- | --- |\n");
  buf_puts(b, "| [`stack`](#stack) | ");
  cell(b, kind_stack()->doc);
  buf_puts(b, " | |\n");
  for (int i = 0; i < n; i++) {
    buf_printf(b, "| [`%s`](#%s) | ", all[i].name, all[i].name);
    cell(b, all[i].doc);
    buf_printf(b, " | `%s` |\n", all[i].cfn);
  }
  buf_puts(b, "\n");
  kind(b, kind_stack());
  for (int i = 0; i < n; i++)
    kind(b, &all[i]);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  Buf b = {0};
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(&b, chunk, n);
  fclose(f);
  *len = b.len;
  return b.s ? b.s : calloc(1, 1);
}

int main(void) {
  Buf b = {0};
  page(&b);
  const char *update = getenv("UPDATE");
  if (update && *update) {
    FILE *f = fopen(PAGE, "wb");
    CHECK(f && fwrite(b.s, 1, b.len, f) == b.len && fclose(f) == 0);
  } else {
    size_t len = 0;
    char *old = slurp(PAGE, &len);
    if (!old)
      fprintf(stderr, "%s: cannot read it (run from the repository's root)\n", PAGE);
    CHECK(old != NULL);
    if (old && (len != b.len || memcmp(old, b.s, len))) {
      size_t i = 0, line = 1;
      for (; i < len && i < b.len && old[i] == b.s[i]; i++)
        line += old[i] == '\n';
      fprintf(stderr,
              "%s differs from the kind table from line %zu on: run UPDATE=1 make test "
              "and commit the page\n",
              PAGE, line);
      failures++;
    }
    checks++;
    free(old);
  }
  buf_free(&b);
  arena_free(&arena);
  printf("kinds_doc: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
