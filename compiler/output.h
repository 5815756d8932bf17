/* output.h: where a command writes a whole output (build's templates and
   plans, plan's JSON). PATH gets a temporary file beside it, renamed over it
   once the output is complete, so that an error leaves PATH as it was; a
   PATH that exists and is no regular file (/dev/null, a pipe) is written in
   place, as renaming over it would replace the device. "-" is standard
   output, which gets the output once it is whole, from an unlinked
   temporary file (or memory, where there is no temporary directory): a
   failed plan writes nothing, and a plan of 100,000 resources (250 MB)
   need not sit in memory.

   The temporary file is made by mkstemp (O_EXCL, an unpredictable name), so
   a symbolic link planted in the directory is never followed; it takes the
   mode and owner of the file it replaces, and is fsynced before the rename.
   A PATH that is a symbolic link is written through: its target is
   replaced, the link stays. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
  const char *path; /* NULL: standard output */
  char *target;     /* path, or what its symbolic links lead to */
  char *tmp;        /* the temporary file beside path, or NULL */
  FILE *f;          /* what the command writes to */
  char *mem;        /* standard output's, when it is in memory */
  size_t memlen;
} Output;

/* The file that writing path replaces: path, or where its symbolic links
   lead (a link that leads nowhere yet: where it would). NULL after a
   message when the links loop. */
char *output_target(const char *path);
/* Says why on stderr when it cannot. */
bool output_open(Output *out, const char *path);
/* status: 0, the writes succeeded: the output is completed; the errno of a
   failed write: it is dropped, and said so; -1, the command could not make
   it (and said why): it is dropped. Returns whether it was completed. */
bool output_close(Output *out, int status);

#endif
