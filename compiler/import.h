/* import.h: `infrac import`, a CloudFormation template as .infra source (import.c). */
#ifndef IMPORT_H
#define IMPORT_H

#include <cjson/cJSON.h>

#include "infrac.h"

extern const char import_usage[];
int import_main(int argc, char **argv);

/* A template (read by doc_read_file, or made in memory) as .infra source,
   laid out as fmt lays it out, into *out (malloc'd): stack NAME in REGION,
   given[] the --param K=V defaults. Resources are kinds where the kind
   builds back to the same resource, else `resource` declarations; notes
   (may be NULL) gets a line "note: ..." for each kind kept a `resource`
   by what its checks found (a balancer in one zone ...). False, with
   "PATH: why" in err and nothing in *out, when it cannot be imported.
   flags: IMPORT_LOOPS folds repeated declarations into `for` loops
   (import_loops.c); IMPORT_FOR_APPLY writes a kind only where it needs no
   properties { }, which apply cannot drive (import --live). */
enum { IMPORT_LOOPS = 1, IMPORT_FOR_APPLY = 2 };
bool import_template(const cJSON *t, const char *stack, const char *region, char **given, int ngiven,
                     unsigned flags, Buf *out, Buf *notes, char *err, size_t errlen);
/* Writes path through a temporary file and a rename; false after a message. */
bool import_write_out(const char *path, const char *text, size_t len);

/* `infrac import --live` (import_live.c). */
extern const char import_live_usage[];
int import_live_main(int argc, char **argv);

#endif
