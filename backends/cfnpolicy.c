/* cfnpolicy.c: the policy of a CloudFormation service role. CloudFormation
   creates, updates and deletes each resource by calling its type's
   handlers with the role, so the role needs what those handlers call
   (handlerperms.h, from the registry schemas), for the changes of this
   deploy: the diff against what is deployed says which handler each
   resource runs. A create that fails is rolled back by the delete handler,
   so a create needs both. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cfnpolicy.h"
#include "diff.h"
#include "handlerperms.h"
#include "policydoc.h"

#define countof(a) (sizeof(a) / sizeof((a)[0]))

/* The handlers a change runs, and why. */
static const struct {
  DiffAction action;
  Handler handler;
  const char *why;
} action_rows[] = {
    {DIFF_CREATE, HANDLER_CREATE, "create handler"},
    {DIFF_CREATE, HANDLER_DELETE, "delete handler, if the stack rolls back"},
    {DIFF_UPDATE, HANDLER_UPDATE, "update handler"},
    {DIFF_REPLACE, HANDLER_CREATE, "create handler, for a replacement"},
    {DIFF_REPLACE, HANDLER_DELETE, "delete handler, for a replaced resource"},
    {DIFF_DELETE, HANDLER_DELETE, "delete handler"},
};

static const char *role_type = "AWS::IAM::Role";

/* The roles a handler may pass: the template's roles, by their RoleName, or
   by the names CloudFormation gives them (STACK-LogicalId-random). */
static void template_roles(const PolicyDoc *p, const cJSON *t, const char *stack, cJSON *roles) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(t, "Resources");
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next) {
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
    if (!cJSON_IsString(type) || strcmp(type->valuestring, role_type)) continue;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r, "Properties"), "RoleName");
    char *arn = cJSON_IsString(name)
                    ? policydoc_fmt("arn:%s:iam::*:role/%s", p->partition, name->valuestring)
                    : policydoc_fmt("arn:%s:iam::*:role/%s-*", p->partition, stack);
    bool seen = false;
    for (const cJSON *e = roles->child; e && !seen; e = e->next)
      seen = !strcmp(e->valuestring, arn);
    if (!seen) cJSON_AddItemToArray(roles, cJSON_CreateString(arn));
    free(arn);
  }
}

cJSON *cfnpolicy_for_template(const cJSON *old_t, const cJSON *new_t, const char *region,
                              const char *stack,
                              const char *(*name_of)(void *ctx, const char *logical_id), void *ctx,
                              char **text, char **err) {
  PolicyDoc p;
  policydoc_init(&p, region);
  Diff *d = diff_templates(old_t, new_t);
  cJSON *roles = cJSON_CreateArray(), *missing = cJSON_CreateArray(), *doc = NULL;
  template_roles(&p, new_t, stack, roles);
  if (old_t) template_roles(&p, old_t, stack, roles);
  for (int i = 0; i < d->n; i++) {
    const DiffResource *r = &d->res[i];
    if (r->action == DIFF_NOOP || (r->action == DIFF_DELETE && r->retained)) continue;
    const HandlerPerms *row = handlerperms_find(r->type);
    if (!row) {
      cJSON_AddItemToArray(missing, cJSON_CreateString(r->type));
      continue;
    }
    const char *who = name_of ? name_of(ctx, r->logical_id) : NULL;
    for (size_t k = 0; k < countof(action_rows); k++) {
      if (action_rows[k].action != r->action) continue;
      policydoc_add_handler(&p, row, action_rows[k].handler, who ? who : r->logical_id,
                            action_rows[k].why, roles);
    }
  }
  if (cJSON_GetArraySize(missing)) {
    *err = policydoc_missing(missing, "");
  } else {
    doc = policydoc_document(&p);
    if (text) {
      char *headline = policydoc_fmt("the CloudFormation service role of stack %s", stack);
      *text = policydoc_explain(&p, headline);
      free(headline);
    }
  }
  cJSON_Delete(roles);
  cJSON_Delete(missing);
  diff_free(d);
  policydoc_free(&p);
  return doc;
}
