/* deploydoc.h: the documents the deploy commands keep, a state
   (infrac-state/1) and a saved plan (infrac-plan/1), read through the one
   loader (cfn_load.h) and checked against their schema before anything
   uses them: after deploydoc_read, every member apply.c and deploy.c reach
   for is there with its type, names are plain, counts in range. */
#ifndef DEPLOYDOC_H
#define DEPLOYDOC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

typedef enum { DOC_STATE, DOC_PLAN } DocKind;

/* The most steps a resource may have done (steps_done). */
enum { DOC_MAX_STEPS = 10000 };

/* Checks a parsed document; false after "PATH.TO.MEMBER: what is wrong"
   in err. */
bool deploydoc_check(const cJSON *doc, DocKind kind, char *err, size_t errlen);
/* doc_read_text then deploydoc_check: NULL after a message in err. */
cJSON *deploydoc_parse(const char *text, size_t len, DocKind kind, char *err, size_t errlen);
/* The same from a file, with "PATH: " before the message. */
cJSON *deploydoc_read(const char *path, DocKind kind, char *err, size_t errlen);

#endif
