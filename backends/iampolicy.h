/* iampolicy.h: the IAM policy that permits exactly the calls of an API
   plan (`infrac policy`), and the text that says which declarations need
   each of its statements. */
#ifndef IAMPOLICY_H
#define IAMPOLICY_H

#include <cjson/cJSON.h>

/* The policy document (IAM JSON) for the steps of an infrac-plan/1 plan in
   region; *text (malloc'd) explains each statement by the declarations that
   need it. NULL, with *err (malloc'd), when a type that Cloud Control
   creates has no row of handler permissions. */
cJSON *iampolicy_for_steps(const cJSON *steps, const char *region, char **text, char **err);

#endif
