/* iampolicy.h: the IAM policy that permits exactly the calls of an API
   plan (`infrac policy`), and the text that says which declarations need
   each of its statements. */
#ifndef IAMPOLICY_H
#define IAMPOLICY_H

#include <cjson/cJSON.h>

typedef struct {
  const char *region;
  /* with --refresh, the templates whose resources it reads (the state's,
     the stack's; NULL: none), and their declarations' names (NULL: the
     logical IDs) */
  const cJSON *refresh[2];
  const char *(*name_of)(void *ctx, const char *logical_id);
  void *ctx;
} IamPolicyOptions;

/* The policy document (IAM JSON) for the steps of an infrac-plan/1 plan;
   *text (malloc'd) explains each statement by the declarations that need
   it. NULL, with *err (malloc'd), when a type that Cloud Control creates or
   reads has no row of handler permissions. */
cJSON *iampolicy_for_steps(const cJSON *steps, const IamPolicyOptions *o, char **text,
                           char **err);

#endif
