/* cfnpolicy.h: the IAM policy of a CloudFormation service role that deploys
   a built template (`infrac policy --for=cloudformation`): what the
   handlers of its resource types call, for the changes the deploy makes. */
#ifndef CFNPOLICY_H
#define CFNPOLICY_H

#include <cjson/cJSON.h>

/* The policy for deploying new_t as stack `stack` in region over old_t
   (NULL: a new stack); name_of gives a logical ID's declaration (NULL: the
   logical ID). *text (malloc'd) explains each action by who needs it.
   NULL, with *err (malloc'd), when a type has no row of handler permissions. */
cJSON *cfnpolicy_for_template(const cJSON *old_t, const cJSON *new_t, const char *region,
                              const char *stack,
                              const char *(*name_of)(void *ctx, const char *logical_id), void *ctx,
                              char **text, char **err);

#endif
