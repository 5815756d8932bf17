/* drift.h: what changed outside infrac. The resources a state records are
   read (awsread.h) and compared with what the state says: a changed
   property is drift, a resource AWS no longer has is gone. The live
   template then stands for what is deployed in the plan that brings
   reality back to the source. */
#ifndef DRIFT_H
#define DRIFT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "awsread.h"
#include "diff.h"

typedef struct {
  cJSON *live;    /* the state's template as AWS has it (awsread_live) */
  cJSON *entries; /* the state's resources, without those AWS no longer has */
  /* the state's template -> live: update (or replace) for a resource changed
     outside infrac, delete for one deleted outside it */
  Diff *diff;
  ReadCounts counts;
  double seconds; /* the reads took */
} Drift;

/* Reads every resource of the infrac-state/1 state in its region, through
   endpoint_url (NULL: $AWS_ENDPOINT_URL, else AWS's) with profile's
   credentials (NULL: the default ones). False after a message on stderr. */
bool drift_read(const cJSON *state, const char *endpoint_url, const char *profile, Drift *d);
void drift_free(Drift *d);
bool drift_found(const Drift *d);

/* Names and kinds of logical IDs for messages; NULL answers: the logical ID
   and the CloudFormation type. */
typedef struct {
  const char *(*name_of)(void *ctx, const char *logical_id);
  const char *(*kind_of)(void *ctx, const char *logical_id);
  void *ctx;
} DriftNames;

/* One line per thing changed outside infrac, as the source would say it:
   "~ web (security_group) changed outside infrac: + ingress tcp 3306 from 0.0.0.0/0",
   "- logs (log_group) deleted outside infrac: to be created again"
   (source: the template the plan goes to), then a summary line; "" when
   nothing drifted. malloc'd. */
char *drift_render_text(const Drift *d, const cJSON *source, const DriftNames *names);
/* The "drift" list of infrac-plan/1: per resource, as a change
   (diff_change_json), "old" what the state records, "new" what AWS has. */
cJSON *drift_json(const Drift *d, const DriftNames *names);

#endif
