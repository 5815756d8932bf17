/* jsonread.h: strict JSON (RFC 8259) into a cJSON tree, for what the deploy
   commands read (templates, states, saved plans). Unlike cJSON_Parse it
   refuses duplicate keys, content after the document, "\u0000" and lone
   surrogates, numbers beyond a double, and nesting deeper than a limit, and
   says where: "duplicate key \"A\" at 3:5". */
#ifndef JSONREAD_H
#define JSONREAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* NULL after writing "JSON: WHAT at LINE:COLUMN" into err. */
cJSON *json_read(const char *text, size_t len, int max_depth, char *err, size_t errlen);

#endif
