/* import.h: `infrac import`, a CloudFormation template as .infra source (import.c). */
#ifndef IMPORT_H
#define IMPORT_H

#include <cjson/cJSON.h>

#include "infrac.h"

extern const char import_usage[];
int import_main(int argc, char **argv);

/* The template as .infra source laid out by fmt, into text: the stack
   named stack in region, params ("K=V" char*, NULL: none) the defaults of
   its parameters. False with the reason in err ("cannot import PATH: why"). */
bool import_source(const cJSON *t, const char *stack, const char *region, Vec *params, Buf *text,
                   char *err, size_t errlen);
/* Writes path through a temporary file and a rename; false after a message. */
bool import_write_out(const char *path, const char *text, size_t len);

/* `infrac import --live` (import_live.c). */
extern const char import_live_usage[];
int import_live_main(int argc, char **argv);

#endif
