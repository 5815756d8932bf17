/* deploy.h: the commands that compare with and change what is deployed. */
#ifndef DEPLOY_H
#define DEPLOY_H

#include <cjson/cJSON.h>

extern const char deploy_usage_plan[], deploy_usage_apply[], deploy_usage_destroy[];

int deploy_plan(int argc, char **argv);
int deploy_apply(int argc, char **argv);
int deploy_destroy(int argc, char **argv);

/* A saved plan's (ctx) logical ID of a resource name, from its changes:
   apply --plan's ApplyOptions.logical_of. */
const char *plan_logical_of(void *ctx, const char *resource);

/* What --against FILE names (a CloudFormation template, as get-template
   gives it, or an infrac state), for another command: NULL after a message
   on stderr. */
typedef struct Deployed Deployed;
Deployed *deploy_against_open(const char *path);
const cJSON *deploy_against_template(const Deployed *d); /* the deployed template */
void deploy_against_close(Deployed *d);

#endif
