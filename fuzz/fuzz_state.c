/* fuzz_state.c: libFuzzer over what apply, destroy and plan --against read
   from a state file or a saved plan: the input goes through the loader and
   the schema check (deploydoc.h) as a state and as a plan. A state that
   passes is diffed against a small stack and its text rendered, as plan
   --against does, then its steps are made and run towards that stack and
   towards nothing, as apply and destroy do; a plan that
   passes is run against a new state, as apply --plan does. The AWS CLI is
   replaced by answers of "{}" (ApplyOptions.run): nothing leaves the
   process. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "apply.h"
#include "deploydoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char stack_template[] =
    "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {"
    "\"MainVpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}},"
    "\"ASubnet\": {\"Type\": \"AWS::EC2::Subnet\", \"Properties\": {\"VpcId\": {\"Ref\": \"MainVpc\"},"
    " \"CidrBlock\": \"10.0.0.0/24\"}},"
    "\"Logs\": {\"Type\": \"AWS::Logs::LogGroup\", \"Properties\": {\"LogGroupName\": \"fuzz\"}}}}";

static int answer(char *const argv[], char **out, char **err) {
  (void)argv;
  *out = strdup("{}");
  *err = strdup("");
  return 0;
}

/* Names as deploy.c's Namer gives them without a stack: the state's. */
static const char *state_name_of(void *ctx, const char *logical) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive((const cJSON *)ctx, logical), "resource");
  return cJSON_IsString(r) ? r->valuestring : NULL;
}

static const char *state_logical_of(void *ctx, const char *resource) {
  for (const cJSON *e = ((const cJSON *)ctx)->child; e; e = e->next) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "resource");
    if (cJSON_IsString(r) && !strcmp(r->valuestring, resource))
      return e->string;
  }
  return NULL;
}

static const char *plan_logical_of(void *ctx, const char *resource) {
  for (const cJSON *c = cJSON_GetObjectItem((const cJSON *)ctx, "changes")->child; c; c = c->next)
    if (!strcmp(cJSON_GetObjectItem(c, "resource")->valuestring, resource))
      return cJSON_GetObjectItem(c, "logical_id")->valuestring;
  return NULL;
}

/* The state towards new_t: the diff, its text, the steps, and their run. */
static void apply_towards(cJSON *state, const cJSON *new_t) {
  const cJSON *deployed = cJSON_GetObjectItem(state, "template");
  const cJSON *sres = cJSON_GetObjectItem(state, "resources");
  Diff *d = diff_templates(deployed, new_t);
  free(diff_render_text(d));
  ApiPlanOptions po = {"fuzz", "ap-northeast-1", state_name_of, (void *)sres, sres, NULL};
  cJSON *steps = apiplan_steps(new_t, deployed, d, &po);
  diff_free(d);
  if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(steps, "error"))) {
    cJSON_Delete(steps);
    return;
  }
  cJSON *plan = cJSON_CreateObject();
  cJSON_AddItemToObject(plan, "steps", steps);
  ApplyOptions ao = {.stack = "fuzz", .region = "ap-northeast-1", .aws = "aws",
                     .logical_of = state_logical_of, .ctx = (void *)sres, .run = answer};
  apply_run(plan, new_t, state, &ao);
  cJSON_Delete(plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  char err[512];
  cJSON *state = deploydoc_parse(text, size, DOC_STATE, err, sizeof err);
  if (state) {
    cJSON *new_t = cJSON_Parse(stack_template);
    cJSON *empty = cJSON_Parse("{\"Resources\": {}}");
    apply_towards(state, new_t);
    apply_towards(state, empty); /* destroy */
    cJSON_Delete(new_t);
    cJSON_Delete(empty);
    cJSON_Delete(state);
  }
  cJSON *plan = deploydoc_parse(text, size, DOC_PLAN, err, sizeof err);
  if (plan) {
    cJSON *fresh = apply_state_new("fuzz", "ap-northeast-1");
    ApplyOptions ao = {.stack = "fuzz", .region = "ap-northeast-1", .aws = "aws",
                       .logical_of = plan_logical_of, .ctx = plan, .run = answer};
    apply_run(plan, cJSON_GetObjectItem(plan, "template"), fresh, &ao);
    cJSON_Delete(fresh);
    cJSON_Delete(plan);
  }
  return 0;
}
