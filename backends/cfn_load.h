/* cfn_load.h: the one reader of what the deploy commands are given: a
   deployed template, a state, a saved plan. JSON (strict: jsonread.h) or
   YAML with the short-form tags (!Ref, !GetAtt, !Sub, ...), into one cJSON
   tree, within the limits below (docs/limits.md): duplicate keys, content
   after the document, a second YAML document and merge keys (<<) are errors
   with their line and column. */
#ifndef CFN_LOAD_H
#define CFN_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

enum {
  LOAD_MAX_BYTES = 512 << 20,     /* a file: the API plan of 200,000 resources */
  LOAD_MAX_YAML_BYTES = 16 << 20, /* YAML: 16 times CloudFormation's largest template */
  LOAD_MAX_DEPTH = 200,           /* nesting of objects and arrays */
  /* what aliases may add to a YAML document, expanded */
  LOAD_MAX_ALIAS_VALUES = 1000000,
  LOAD_MAX_ALIAS_BYTES = 16 << 20,
};

/* A document whose top is an object, from text (JSON when it starts with
   '{', else YAML) or from a regular file. NULL after a message in err:
   "JSON: duplicate key \"A\" at 3:5"; for a file, "PATH: " before it,
   or "cannot read WHAT PATH: REASON". */
cJSON *doc_read_text(const char *text, size_t len, char *err, size_t errlen);
cJSON *doc_read_file(const char *path, const char *what, char *err, size_t errlen);
/* The sections that the diff and the API plan walk are objects, and their
   logical IDs letters and digits, as CloudFormation requires. */
bool cfn_template_ok(const cJSON *t, char *err, size_t errlen);
/* The resource and attribute of {"Fn::GetAtt": ...} in either form, "A.B"
   or [A, B]: the ID is the first *idlen bytes of *id (in "A.B", not ended
   there). False for anything else. */
bool cfn_getatt(const cJSON *v, const char **id, size_t *idlen, const char **attr);
/* doc_read_text, then cfn_template_ok. */
cJSON *cfn_load_text(const char *text, size_t len, char *err, size_t errlen);

#endif
