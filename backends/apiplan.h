/* apiplan.h: a CloudFormation template as the AWS API calls that create,
   change or delete its resources directly (infrac-plan/1). */
#ifndef APIPLAN_H
#define APIPLAN_H

#include <cjson/cJSON.h>

#include "cfn_json.h"
#include "diff.h"

typedef struct {
  const char *stack, *region;
  /* The declaration name of a logical ID ("MainVpc" -> "main"); NULL: the
     logical ID itself names the resource in the plan. */
  const char *(*name_of)(void *ctx, const char *logical_id);
  void *ctx;
  /* infrac-state/1 resources ({logical ID: {"physical_id", "captures"}}) of
     what is deployed, or NULL: deletes and updates then look resources up. */
  const cJSON *state;
  /* Where the declaration of a resource name is ("webapp.infra:22:1"), for
     the step's file and line; NULL, or NULL for a name: not said. */
  const char *(*where)(void *ctx, const char *resource);
} ApiPlanOptions;

/* The steps of the plan: for a NULL diff, the creation of every resource of
   new_t; else exactly the diff's changes, old_t being what is deployed. */
cJSON *apiplan_steps(const cJSON *new_t, const cJSON *old_t, const Diff *diff,
                     const ApiPlanOptions *opt);

/* The infrac-plan/1 document, written to o: the envelope, the diff's
   summary and changes (named by opt->name_of too), the steps, then the
   members of tail (NULL: none). False when a step cannot be planned, with
   *error (malloc'd) saying why; what o holds or wrote is then no plan. */
bool apiplan_render(JsonOut *o, const cJSON *new_t, const cJSON *old_t, const Diff *diff,
                    const ApiPlanOptions *opt, const cJSON *tail, char **error);

/* Does changing the property path of type replace it, though the registry
   schema says it is updatable (no API call changes it in place)? */
bool apiplan_forces_replacement(const char *type, const char *path);
/* Does updating the property path of type in place interrupt it (an
   instance stopped and started again for its UserData)? */
bool apiplan_update_interrupts(const char *type, const char *path);

/* The capture (of infrac-state/1's "captures") a Ref to a resource of type
   stands for ("id", "arn", "name"), and the one of a Fn::GetAtt attribute
   ("AllocationId" -> "allocation_id", malloc'd). */
const char *apiplan_ref_capture(const char *type);
char *apiplan_attr_capture(const char *attr);

#endif
