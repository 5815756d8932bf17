/* iampolicy.c: from an API plan to the IAM policy that permits exactly its
   calls. Every step is one call, so every step gives its action (the
   service's IAM prefix and the operation), its waiter gives the describe
   call it repeats, and the rows below give what AWS checks besides the call
   itself: tags given at creation, a role passed to a service, a
   service-linked role created on first use. Actions are grouped into one
   statement per service and resource scope; where the plan names the
   resource (a role, an instance profile, a repository) the statement is
   narrowed to its ARN. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsapi.h"
#include "awsread.h"
#include "handlerperms.h"
#include "iampolicy.h"
#include "policydoc.h"
#include "strmap.h"

#define countof(a) (sizeof(a) / sizeof((a)[0]))

/* IAM prefixes that are not the service's signing name. */
static const struct {
  const char *signing, *iam;
} prefix_rows[] = {{"cloudcontrolapi", "cloudformation"}};

/* Resource scopes: an operation of `service` with `param` acts on the
   resource named by it, ARN "arn:PARTITION:SERVICE:REGION:*:" + format with
   %s the value (global services have no region). The first row that
   matches wins: AddRoleToInstanceProfile acts on the profile. */
static const struct {
  const char *service, *param, *format, *sid;
  bool global;
} scope_rows[] = {
    {"iam", "InstanceProfileName", "instance-profile/%s", "InstanceProfiles", true},
    {"iam", "RoleName", "role/%s", "Roles", true},
    {"ecr", "repositoryName", "repository/%s", "Repositories", false},
};

/* What AWS authorizes besides the call: with `param` in the call's input
   (NULL: always), `action` too. Tagging at creation is authorized as a tag
   call of its own; passing a role needs iam:PassRole on it; the first
   balancer, cluster or database of an account creates a service-linked role
   (`linked` names the service, the condition's value). */
typedef enum { ALSO_SAME, ALSO_PASS_ROLE, ALSO_LINKED_ROLE } AlsoKind;
static const struct {
  const char *service, *operation; /* NULL operation: any of the service */
  const char *param, *action;
  AlsoKind kind;
  const char *linked;
} also_rows[] = {
    {"ec2", NULL, "TagSpecifications", "ec2:CreateTags", ALSO_SAME, NULL},
    {"elbv2", NULL, "Tags", "elasticloadbalancing:AddTags", ALSO_SAME, NULL},
    {"ecs", NULL, "tags", "ecs:TagResource", ALSO_SAME, NULL},
    {"ecr", "CreateRepository", "tags", "ecr:TagResource", ALSO_SAME, NULL},
    {"iam", "CreateRole", "Tags", "iam:TagRole", ALSO_SAME, NULL},
    {"rds", NULL, "Tags", "rds:AddTagsToResource", ALSO_SAME, NULL},
    {"acm", "RequestCertificate", "Tags", "acm:AddTagsToCertificate", ALSO_SAME, NULL},
    {"logs", "CreateLogGroup", "tags", "logs:TagResource", ALSO_SAME, NULL},
    {"ec2", "RunInstances", "IamInstanceProfile", "iam:PassRole", ALSO_PASS_ROLE, NULL},
    {"ec2", "AssociateIamInstanceProfile", "IamInstanceProfile", "iam:PassRole", ALSO_PASS_ROLE,
     NULL},
    {"ec2", "ReplaceIamInstanceProfileAssociation", "IamInstanceProfile", "iam:PassRole",
     ALSO_PASS_ROLE, NULL},
    {"ecs", "RegisterTaskDefinition", "executionRoleArn", "iam:PassRole", ALSO_PASS_ROLE, NULL},
    {"ecs", "RegisterTaskDefinition", "taskRoleArn", "iam:PassRole", ALSO_PASS_ROLE, NULL},
    {"elbv2", "CreateLoadBalancer", NULL, "iam:CreateServiceLinkedRole", ALSO_LINKED_ROLE,
     "elasticloadbalancing.amazonaws.com"},
    {"ecs", "CreateCluster", NULL, "iam:CreateServiceLinkedRole", ALSO_LINKED_ROLE,
     "ecs.amazonaws.com"},
    {"rds", "CreateDBInstance", NULL, "iam:CreateServiceLinkedRole", ALSO_LINKED_ROLE,
     "rds.amazonaws.com"},
};

/* Calls that need no permission. */
static const struct {
  const char *service, *operation;
} free_rows[] = {{"sts", "GetCallerIdentity"}};

typedef struct {
  PolicyDoc d;
  const cJSON *steps;
  StrMap first; /* a declaration's first step: its steps come together */
} P;

static const char *str_member(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const AwsService *service_of(const char *cli) {
  for (int i = 0; i < aws_nservices; i++)
    if (!strcmp(aws_services[i].cli, cli)) return &aws_services[i];
  return NULL;
}

static const char *iam_prefix(const char *cli) {
  const AwsService *s = service_of(cli);
  const char *signing = s ? s->signing_name : cli;
  for (size_t i = 0; i < countof(prefix_rows); i++)
    if (!strcmp(prefix_rows[i].signing, signing)) return prefix_rows[i].iam;
  return signing;
}

static const char *resolve_name(P *p, const cJSON *v, const char *param);

/* The statement of an action of service cli for a step with these params:
   narrowed by a scope row when the step names the resource, by a literal
   or by the name another step gives it. */
static cJSON *stmt_for(P *p, const char *cli, const cJSON *params) {
  const char *prefix = iam_prefix(cli);
  for (size_t i = 0; i < countof(scope_rows); i++) {
    const char *v = resolve_name(p, cJSON_GetObjectItemCaseSensitive(params, scope_rows[i].param),
                                 scope_rows[i].param);
    if (strcmp(scope_rows[i].service, cli) || !v) continue;
    cJSON *s = policydoc_stmt(&p->d, policydoc_sid(prefix, scope_rows[i].sid));
    char *res = policydoc_fmt(scope_rows[i].format, v);
    char *arn =
        policydoc_fmt("arn:%s:%s:%s:*:%s", p->d.partition, prefix, scope_rows[i].global ? "" : p->d.region, res);
    policydoc_add_unique(s, "resources", arn);
    free(res);
    free(arn);
    return s;
  }
  cJSON *s = policydoc_stmt(&p->d, policydoc_sid(prefix, NULL));
  policydoc_add_unique(s, "resources", "*");
  return s;
}

/* ---- roles passed ---- */

/* The declaration a captured value {"$capture": "NAME.attr"} comes from,
   malloc'd, or NULL (a literal, a join). */
static char *placeholder_decl(const cJSON *v) {
  const char *cap = str_member(v, "$capture"), *dot = cap ? strchr(cap, '.') : NULL;
  return dot ? policydoc_fmt("%.*s", (int)(dot - cap), cap) : NULL;
}

/* A name as the plan gives it: a literal, or a capture {"$capture":
   "X.attr"} of declaration X whose steps give `param` literally
   (CreateRole's RoleName for ecs_instance.name); NULL when neither. */
static bool of_decl(const cJSON *step, const char *decl) {
  const char *res = str_member(step, "resource");
  return res && !strcmp(res, decl);
}

static const char *resolve_name(P *p, const cJSON *v, const char *param) {
  if (cJSON_IsString(v)) return v->valuestring;
  char *decl = placeholder_decl(v);
  const char *name = NULL;
  for (const cJSON *s = decl ? strmap_get(&p->first, decl) : NULL; s && !name && of_decl(s, decl);
       s = s->next)
    name = str_member(cJSON_GetObjectItemCaseSensitive(s, "params"), param);
  free(decl);
  return name;
}

/* The input member `param` of the step of resource `who` with `operation`. */
static const cJSON *step_param(P *p, const char *who, const char *operation, const char *param) {
  for (const cJSON *s = strmap_get(&p->first, who); s && of_decl(s, who); s = s->next) {
    const char *op = str_member(s, "operation");
    if (op && !strcmp(op, operation))
      return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "params"), param);
  }
  return NULL;
}

/* The ARN (malloc'd) of the role a parameter passes: a role of the stack by
   its name, an instance profile's role, or an ARN written as such; "*"
   when the plan does not say. */
static char *passed_role(P *p, const cJSON *v) {
  if (cJSON_IsObject(v) &&
      !str_member(v, "$capture")) { /* IamInstanceProfile: {"Arn"|"Name": ...} */
    const cJSON *arn = cJSON_GetObjectItemCaseSensitive(v, "Arn");
    v = arn ? arn : cJSON_GetObjectItemCaseSensitive(v, "Name");
  }
  if (cJSON_IsString(v) && !strncmp(v->valuestring, "arn:", 4)) return policydoc_fmt("%s", v->valuestring);
  char *decl = placeholder_decl(v);
  const char *role =
      decl ? resolve_name(p, step_param(p, decl, "CreateRole", "RoleName"), "RoleName") : NULL;
  /* an instance profile's role: AddRoleToInstanceProfile, a step of the profile */
  if (decl && !role)
    role = resolve_name(p, step_param(p, decl, "AddRoleToInstanceProfile", "RoleName"), "RoleName");
  free(decl);
  return role ? policydoc_fmt("arn:%s:iam::*:role/%s", p->d.partition, role) : policydoc_fmt("*");
}

/* ---- the steps ---- */

static void also_for(P *p, const cJSON *step, const char *cli, const char *op, const char *who) {
  const cJSON *params = cJSON_GetObjectItemCaseSensitive(step, "params");
  for (size_t i = 0; i < countof(also_rows); i++) {
    if (strcmp(also_rows[i].service, cli) ||
        (also_rows[i].operation && strcmp(also_rows[i].operation, op)))
      continue;
    const cJSON *v =
        also_rows[i].param ? cJSON_GetObjectItemCaseSensitive(params, also_rows[i].param) : NULL;
    if (also_rows[i].param && !v) continue;
    cJSON *s;
    char *res;
    switch (also_rows[i].kind) {
    case ALSO_SAME:
      s = stmt_for(p, cli, params);
      policydoc_add_act(s, also_rows[i].action, who, policydoc_fmt("%s with %s", op, also_rows[i].param));
      break;
    case ALSO_PASS_ROLE:
      s = policydoc_stmt(&p->d, policydoc_fmt("PassRoles"));
      policydoc_add_unique(s, "resources", res = passed_role(p, v));
      free(res);
      policydoc_add_act(s, also_rows[i].action, who, policydoc_fmt("%s passes it as %s", op, also_rows[i].param));
      break;
    case ALSO_LINKED_ROLE:
      s = policydoc_stmt(&p->d, policydoc_fmt("ServiceLinkedRoles"));
      policydoc_add_unique(s, "resources", res = policydoc_fmt("arn:%s:iam::*:role/aws-service-role/*", p->d.partition));
      free(res);
      policydoc_add_unique(s, "linked", also_rows[i].linked);
      policydoc_add_act(s, also_rows[i].action, who,
              policydoc_fmt("%s: the first in an account creates the role of %s", op, also_rows[i].linked));
      break;
    }
  }
}

static void wait_for(P *p, const cJSON *step, const char *cli, const char *who) {
  const char *w = str_member(step, "wait");
  for (int i = 0; w && i < aws_nwaiters; i++) {
    if (strcmp(aws_waiters[i].service, cli) || strcmp(aws_waiters[i].name, w)) continue;
    cJSON *s = stmt_for(p, cli, cJSON_GetObjectItemCaseSensitive(step, "params"));
    char *action = policydoc_fmt("%s:%s", iam_prefix(cli), aws_operations[aws_waiters[i].operation].name);
    policydoc_add_act(s, action, who, policydoc_fmt("waiting for %s", w));
    free(action);
  }
}

static bool is_free(const char *cli, const char *op) {
  for (size_t i = 0; i < countof(free_rows); i++)
    if (!strcmp(free_rows[i].service, cli) && !strcmp(free_rows[i].operation, op)) return true;
  return false;
}

/* The Cloud Control calls that run a type's handler, with the caller's
   credentials: the caller needs what the handler calls. */
static const struct {
  const char *operation;
  Handler handler;
  const char *why;
} cloudcontrol_rows[] = {
    {"CreateResource", HANDLER_CREATE, "Cloud Control's create handler of %s"},
    {"UpdateResource", HANDLER_UPDATE, "Cloud Control's update handler of %s"},
    {"DeleteResource", HANDLER_DELETE, "Cloud Control's delete handler of %s"},
    {"GetResource", HANDLER_READ, "Cloud Control's read handler of %s"},
};

/* The roles the plan creates, as ARNs: what a handler may pass. */
static cJSON *created_roles(P *p) {
  cJSON *roles = cJSON_CreateArray();
  for (const cJSON *s = p->steps->child; s; s = s->next) {
    const char *op = str_member(s, "operation");
    const char *name = op && !strcmp(op, "CreateRole")
                           ? str_member(cJSON_GetObjectItemCaseSensitive(s, "params"), "RoleName")
                           : NULL;
    if (!name) continue;
    char *arn = policydoc_fmt("arn:%s:iam::*:role/%s", p->d.partition, name);
    cJSON_AddItemToArray(roles, cJSON_CreateString(arn));
    free(arn);
  }
  return roles;
}

/* A Cloud Control step: the handler's actions, or its type in `missing`
   when the table of handler permissions does not hold it. */
static void handler_for(P *p, const cJSON *step, const char *op, const char *who,
                        const cJSON *roles, cJSON *missing) {
  const char *type = str_member(cJSON_GetObjectItemCaseSensitive(step, "params"), "TypeName");
  for (size_t i = 0; type && i < countof(cloudcontrol_rows); i++) {
    if (strcmp(cloudcontrol_rows[i].operation, op)) continue;
    const HandlerPerms *row = handlerperms_find(type);
    if (!row) {
      cJSON_AddItemToArray(missing, cJSON_CreateString(type));
      return;
    }
    char *why = policydoc_fmt(cloudcontrol_rows[i].why, type);
    policydoc_add_handler(&p->d, row, cloudcontrol_rows[i].handler, who, why, roles);
    free(why);
  }
}

/* ---- what --refresh reads ---- */

typedef struct {
  P *p;
  const char *who;
} ReadCtx;

static void read_call(const char *cli, const char *op, void *ctx) {
  ReadCtx *c = ctx;
  char *action = policydoc_fmt("%s:%s", iam_prefix(cli), op);
  policydoc_add_act(stmt_for(c->p, cli, NULL), action, c->who,
                    policydoc_fmt("%s", "read by --refresh"));
  free(action);
}

/* The reads of every resource of template t: its type's describe calls, or
   Cloud Control's GetResource and the type's read handler. */
static void refresh_reads(P *p, const cJSON *t, const IamPolicyOptions *o, const cJSON *roles,
                          cJSON *missing) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(t, "Resources");
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next) {
    const char *type = str_member(r, "Type");
    const char *who = o->name_of ? o->name_of(o->ctx, r->string) : NULL;
    ReadCtx c = {p, who ? who : r->string};
    if (!type || awsread_calls(type, read_call, &c)) continue;
    read_call("cloudcontrol", "GetResource", &c);
    const HandlerPerms *row = handlerperms_find(type);
    if (row)
      policydoc_add_handler(&p->d, row, HANDLER_READ, c.who, "read by --refresh, through Cloud Control",
                            roles);
    else
      cJSON_AddItemToArray(missing, cJSON_CreateString(type));
  }
}

cJSON *iampolicy_for_steps(const cJSON *steps, const IamPolicyOptions *o, char **text,
                           char **err) {
  const char *region = o->region;
  P p = {.steps = steps};
  policydoc_init(&p.d, region);
  static const cJSON none;
  if (!p.steps) p.steps = &none;
  for (const cJSON *step = p.steps->child; step; step = step->next) {
    const char *who = str_member(step, "resource");
    if (who && !strmap_get(&p.first, who)) strmap_put(&p.first, who, (void *)step);
  }
  cJSON *roles = created_roles(&p), *missing = cJSON_CreateArray(), *doc = NULL;
  for (const cJSON *step = p.steps->child; step; step = step->next) {
    const char *cli = str_member(step, "service"), *op = str_member(step, "operation");
    const char *who = str_member(step, "resource");
    if (!cli || !op || is_free(cli, op)) continue;
    char *action = policydoc_fmt("%s:%s", iam_prefix(cli), op);
    policydoc_add_act(stmt_for(&p, cli, cJSON_GetObjectItemCaseSensitive(step, "params")), action,
                      who, NULL);
    free(action);
    wait_for(&p, step, cli, who);
    also_for(&p, step, cli, op, who);
    if (!strcmp(cli, "cloudcontrol")) handler_for(&p, step, op, who, roles, missing);
  }
  for (int i = 0; i < 2; i++)
    if (o->refresh[i]) refresh_reads(&p, o->refresh[i], o, roles, missing);
  if (cJSON_GetArraySize(missing)) {
    *err = policydoc_missing(missing, ", which apply drives through Cloud Control");
  } else {
    doc = policydoc_document(&p.d);
    if (text) *text = policydoc_explain(&p.d, "the calls of the plan");
  }
  cJSON_Delete(roles);
  cJSON_Delete(missing);
  policydoc_free(&p.d);
  strmap_free(&p.first);
  return doc;
}
