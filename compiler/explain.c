/* explain.c: `infrac explain CODE` prints its section of docs/diagnostics.md. */
#include <string.h>

#include "infrac.h"

extern const char diagnostics_doc[];
extern const size_t diagnostics_doc_len;

const char *explain_lookup(const char *code, size_t *len) {
  char head[32];
  int n = snprintf(head, sizeof head, "\n## %s:", code);
  if (n <= 0 || (size_t)n >= sizeof head || strlen(code) != 4)
    return NULL;
  const char *start = strstr(diagnostics_doc, head);
  if (!start)
    return NULL;
  start++;
  const char *end = strstr(start + 1, "\n## ");
  *len = end ? (size_t)(end - start) + 1 : diagnostics_doc_len - (size_t)(start - diagnostics_doc);
  return start;
}
