/* fmt.h: `infrac fmt`, the canonical layout of .infra files (fmt.c). */
#ifndef FMT_H
#define FMT_H

#include "infrac.h"

/* The layout, in short (docs/language.md, "Layout", says it in full):
   two-space indent; '=' aligned within a run of attributes; statements
   aligned in columns; one blank line between declarations, except that
   one-line declarations written on consecutive lines stay together (and a
   run of them of one kind is aligned as a table); a block written on one line
   stays on one line while it fits in FMT_WIDTH columns; a list is broken one
   item a line only when it does not fit; comments stay where they were,
   trailing ones from column FMT_COMMENT_COL + 1. */
enum { FMT_WIDTH = 100, FMT_COMMENT_COL = 38 };

/* Formats file `file` of c, which parse_file has read into prog without a
   syntax error. Appends the canonical text to out and returns true, or
   returns false if the result would not parse to the same AST (an internal
   error: nothing should be written then). */
bool fmt_format(Compilation *c, int file, const Program *prog, Buf *out);

/* The AST of prog without spans, one node a line: equal dumps mean equal
   meaning. fmt checks its own output with it; `infrac fmt --ast-dump` shows it. */
void fmt_ast_dump(const Program *prog, Buf *out);

typedef struct {
  int errors;  /* files not formatted: syntax errors, I/O errors */
  int changed; /* files rewritten, or with check, files that would be */
} FmtResult;

enum {
  FMT_CHECK = 1 << 0,    /* write nothing; list the files that are not canonical */
  FMT_AST_DUMP = 1 << 1, /* print each file's AST dump instead */
  FMT_COLOR = 1 << 2,    /* colours in the diagnostics */
};

/* `infrac fmt`: paths are files, directories (their *.infra files) or "-"
   (stdin to stdout). Files are rewritten through a temporary file and a
   rename; a file with syntax errors is left as it is and its errors are
   reported on stderr. */
FmtResult fmt_paths(char **paths, int npaths, unsigned flags);

#endif
