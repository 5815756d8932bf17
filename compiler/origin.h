/* origin.h: where an expanded declaration came from (a loop's iteration, a
   module's instance), so that a diagnostic raised while checking it says so.

   The mechanism is the span: an expanded declaration's spans live in a view,
   a file index that shows the text of the file the declaration was written
   in and carries the origin. Checks report at spans as always; diag.c maps a
   view back to its file and adds a note per level of origin ("in z = "c"" at
   the `for`, "in module data" at the `module` line). Nothing in the checks
   changes: an expander makes a view per iteration or instance and gives the
   declarations it makes spans in it (origin_span). */
#ifndef ORIGIN_H
#define ORIGIN_H

#include "infrac.h"

typedef enum { ORIGIN_LOOP, ORIGIN_MODULE } OriginKind;

struct Origin {
  OriginKind k;
  Span span;        /* the `for` header, or the `module` declaration */
  const char *text; /* LOOP: the bindings of the iteration, `z = "c"`; MODULE: the instance's name */
  struct Origin *parent; /* the origin of the loop or module itself, or NULL */
};

/* File indices of views start here: c->files holds only the files as written. */
enum { ORIGIN_VIEW_BASE = 1 << 28 };

/* A new view of file (itself a file or a view) with origin o; o->parent
   should be origin_of(c, file), the view the `for` or `module` stands in. */
int origin_view(Compilation *c, int file, Origin *o);
/* The origin of a view, NULL for a file as written. */
Origin *origin_of(Compilation *c, int file);
/* The file a view shows; a file's own index for a file. */
int origin_file(Compilation *c, int file);
/* sp moved into view (same offsets). */
static inline Span origin_span(Span sp, int view) { return (Span){view, sp.lo, sp.hi}; }
/* "z = "c"" for a loop, "module data" for a module: what "in ..." names. */
const char *origin_desc(Compilation *c, const Origin *o);
/* The notes naming o and its parents, innermost first (diag.c). */
void origin_notes(Compilation *c, Diag *d, const Origin *o);

#endif
