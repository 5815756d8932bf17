/* resume.h: a step that an earlier run started and did not see end (it
   was killed, or gave up the call) may have made its resource. Before
   calling again, the resumed apply looks for it: by the tags every create
   carries (infrac:stack and infrac:resource), or by the unique name or
   relation the step names; an idempotency token, saved before the first
   call, is sent again; and an error of the second call that says the first
   one did it (a rule or route that exists) counts as done. */
#ifndef RESUME_H
#define RESUME_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* Adds the stack's and the resource's tags to the params of a create, in
   whichever form the operation takes tags (TagSpecifications, Tags, tags). */
void resume_tag(cJSON *params, const char *stack, const char *resource);
/* The call that finds what the step (op with params) made: its operation
   (in the step's service) into *describe, and its params; NULL when there
   is none for op. */
cJSON *resume_find(const char *op, const cJSON *params, const char *stack, const char *resource,
                   const char **describe);
/* The step's own output made from what the call of resume_find answered,
   or NULL when it found nothing. */
cJSON *resume_found(const char *op, const cJSON *params, const char *stack, const char *resource,
                    const cJSON *answer);
/* Whether the AWS error code of a step's call means that an earlier call
   of the same step did it. */
bool resume_done_code(const char *op, const char *code);
/* Whether the AWS error code of a delete means there is nothing to delete
   (an earlier run's call deleted it): the delete is done. */
bool resume_gone_code(const char *code);

#endif
