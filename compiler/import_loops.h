/* import_loops.h: `infrac import --loops`, repeated declarations folded
   into `for` loops (import_loops.c). */
#ifndef IMPORT_LOOPS_H
#define IMPORT_LOOPS_H

#include "infrac.h"

/* The importer's source, file of *c parsed into *prog, with each run of
   declarations that differ only by a zone or index suffix folded into a
   `for`, when the folded source builds to the same template. On a fold,
   *c, *file and *prog are the folded source's (the old compilation freed)
   and it returns true; false leaves them as they are. */
bool import_loops(Compilation **c, int *file, Program *prog);

#endif
