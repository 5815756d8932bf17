/* test_origin.c: a diagnostic raised at a span in a view (origin.h) is shown
   at the file's text, with a note per level of origin, innermost first; a
   note in another iteration names it; `# infrac:ignore` in the file covers
   every view of it. */
#include <stdlib.h>
#include <string.h>

#include "infrac.h"
#include "origin.h"

#include "check.h"

static const char text[] = "for z in zones {\n"
                           "  for p in ports {\n"
                           "    subnet s_${z} { }  # infrac:ignore W999\n"
                           "  }\n"
                           "}\n";

static Span at(int file, const char *word) {
  uint32_t lo = (uint32_t)(strstr(text, word) - text);
  return (Span){file, lo, lo + (uint32_t)strlen(word)};
}

static void test_views(void) {
  Compilation *c = compile_new();
  int f = compile_add_source(c, "loop.infra", text, strlen(text));
  Origin outer_a = {ORIGIN_LOOP, at(f, "for z in zones"), "z = \"a\"", NULL};
  Origin outer_c = {ORIGIN_LOOP, at(f, "for z in zones"), "z = \"c\"", NULL};
  int va = origin_view(c, f, &outer_a), vc = origin_view(c, f, &outer_c);
  Origin inner = {ORIGIN_LOOP, at(vc, "for p in ports"), "p = 80", &outer_c};
  int vi = origin_view(c, vc, &inner);
  CHECK(va >= ORIGIN_VIEW_BASE && vi > vc && vc > va);
  CHECK(c->files.n == 1); /* views are not files to read */
  CHECK(origin_file(c, vi) == f && origin_file(c, va) == f && origin_file(c, f) == f);
  CHECK(origin_of(c, vi) == &inner && origin_of(c, f) == NULL);
  CHECK(compile_source(c, vi)->text == compile_source(c, f)->text);

  Diag *d = diag_error(c, "E203", at(vi, "s_${z}"), "overlap");
  diag_note(c, d, at(va, "s_${z}"), "the other subnet");
  CHECK(d->span.file == f && d->origin == &inner);
  CHECK(d->notes && d->notes->span.file == f);
  CHECK(!strcmp(d->notes->msg, "the other subnet (in z = \"a\")"));
  Span comment = at(f, "# infrac:ignore W999");
  diag_ignore_comment(c, f, comment.lo, comment.hi); /* as the lexer does */
  CHECK(diag_warning(c, "W999", at(vc, "s_${z}"), "silenced") == NULL);

  diag_sort(c);
  diag_sort(c); /* the origin notes are added once */
  int n = 0;
  for (Note *k = d->notes; k; k = k->next)
    n++;
  CHECK(n == 3);
  CHECK(!strcmp(d->notes->next->msg, "in p = 80"));
  CHECK(d->notes->next->span.file == f && d->notes->next->span.lo == at(f, "for p").lo);
  CHECK(!strcmp(d->notes->next->next->msg, "in z = \"c\""));

  Origin mod = {ORIGIN_MODULE, at(f, "subnet"), "data", NULL};
  CHECK(!strcmp(origin_desc(c, &mod), "module data"));
  compile_free(c);
}

int main(void) {
  test_views();
  if (failures) {
    fprintf(stderr, "test_origin: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_origin: %d checks passed\n", checks);
  return 0;
}
