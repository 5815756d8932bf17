/* cfn_load.h: reading a deployed template back: JSON, or YAML with the
   short-form tags (!Ref, !GetAtt, !Sub, ...), into one cJSON tree. */
#ifndef CFN_LOAD_H
#define CFN_LOAD_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Parses text as JSON when it starts with '{', else as YAML. Returns NULL and
   writes a message into err (with the line where known) on failure. */
cJSON *cfn_load_text(const char *text, size_t len, char *err, size_t errlen);

#endif
