/* origin.c: views of a file for expanded declarations (origin.h). */
#include "origin.h"

int origin_view(Compilation *c, int file, Origin *o) {
  Source *v = arena_alloc(&c->arena, sizeof *v);
  *v = *compile_source(c, file);
  v->real = origin_file(c, file);
  v->origin = o;
  vec_push(&c->arena, &c->views, v);
  return ORIGIN_VIEW_BASE + c->views.n - 1;
}

Origin *origin_of(Compilation *c, int file) { return compile_source(c, file)->origin; }

int origin_file(Compilation *c, int file) {
  return file >= ORIGIN_VIEW_BASE ? compile_source(c, file)->real : file;
}

/* What "in ..." says, by kind. */
static const char *const origin_words[] = {[ORIGIN_LOOP] = "", [ORIGIN_MODULE] = "module "};

const char *origin_desc(Compilation *c, const Origin *o) {
  return arena_printf(&c->arena, "%s%s", origin_words[o->k], o->text);
}

/* Each note's span is given in its file, not its view: the levels are
   named one by one, not again as suffixes (diag_note). */
void origin_notes(Compilation *c, Diag *d, const Origin *o) {
  for (; o; o = o->parent) {
    Span sp = {origin_file(c, o->span.file), o->span.lo, o->span.hi};
    diag_note(c, d, sp, "in %s", origin_desc(c, o));
  }
}
