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
   With loops, repeated declarations are folded into `for` loops
   (import_loops.c). */
bool import_template(const cJSON *t, const char *stack, const char *region, char **given, int ngiven,
                     bool loops, Buf *out, Buf *notes, char *err, size_t errlen);

#endif
