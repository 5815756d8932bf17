/* handlerperms.c: lookups in the table of handler permissions. */
#include <stdlib.h>
#include <string.h>

#include "handlerperms.h"

static int cmp_type(const void *key, const void *row) {
  return strcmp(key, ((const HandlerPerms *)row)->type);
}

const HandlerPerms *handlerperms_find(const char *type) {
  return type ? bsearch(type, handler_perms, (size_t)handler_nperms, sizeof *handler_perms, cmp_type)
              : NULL;
}

void handlerperms_each(const HandlerPerms *p, Handler h, void (*f)(const char *action, void *ctx),
                       void *ctx) {
  char action[256];
  for (const char *s = p->actions[h]; *s;) {
    size_t n = strcspn(s, " ");
    if (n && n < sizeof action) {
      memcpy(action, s, n);
      action[n] = 0;
      f(action, ctx);
    }
    s += n;
    s += strspn(s, " ");
  }
}
