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
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsapi.h"
#include "iampolicy.h"
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

/* The working form, kept in cJSON: statements [{sid, resources: [...],
   linked: [...], acts: [{action, why, who: [...]}]}] in order of need. */
typedef struct {
  const char *partition, *region;
  const cJSON *steps;
  StrMap first; /* a declaration's first step: its steps come together */
  cJSON *stmts;
} P;

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  if (vasprintf(&s, f, ap) < 0) abort();
  va_end(ap);
  return s;
}

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

static const char *partition_of(const char *region) {
  for (int i = 0; i < aws_npartitions; i++)
    for (const char *const *r = aws_partitions[i].regions; r && *r; r++)
      if (!strcmp(*r, region)) return aws_partitions[i].name;
  return "aws";
}

/* "Ec2", "IamRoles": the prefix's letters and digits, capitalised, + suffix */
static char *sid_of(const char *prefix, const char *suffix) {
  char *s = fmt("%s%s", prefix, suffix ? suffix : ""), *w = s;
  for (const char *r = s; *r; r++)
    if ((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9')) *w++ = *r;
  *w = 0;
  if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 'a' + 'A');
  return s;
}

static bool list_has(const cJSON *list, const char *s) {
  for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
    if (!strcmp(e->valuestring, s)) return true;
  return false;
}

static void add_unique(cJSON *stmt, const char *list, const char *s) {
  cJSON *l = cJSON_GetObjectItemCaseSensitive(stmt, list);
  if (!l) l = cJSON_AddArrayToObject(stmt, list);
  if (!list_has(l, s)) cJSON_AddItemToArray(l, cJSON_CreateString(s));
}

/* The statement named sid, made on first need (sid is taken). */
static cJSON *stmt_get(P *p, char *sid) {
  for (cJSON *s = p->stmts->child; s; s = s->next)
    if (!strcmp(str_member(s, "sid"), sid)) {
      free(sid);
      return s;
    }
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "sid", sid);
  cJSON_AddArrayToObject(s, "acts");
  cJSON_AddItemToArray(p->stmts, s);
  free(sid);
  return s;
}

/* Records that `who` needs action (why: NULL for the call itself); why is taken. */
static void add_act(cJSON *stmt, const char *action, const char *who, char *why) {
  cJSON *acts = cJSON_GetObjectItemCaseSensitive(stmt, "acts"), *a = NULL;
  for (cJSON *x = acts->child; x && !a; x = x->next) {
    const char *xw = str_member(x, "why");
    if (!strcmp(str_member(x, "action"), action) && (xw == why || (xw && why && !strcmp(xw, why))))
      a = x;
  }
  if (!a) {
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "action", action);
    if (why) cJSON_AddStringToObject(a, "why", why);
    cJSON_AddArrayToObject(a, "who");
    cJSON_AddItemToArray(acts, a);
  }
  free(why);
  /* the steps of one declaration come together: one look keeps who unique */
  cJSON *w = cJSON_GetObjectItemCaseSensitive(a, "who");
  cJSON *last = cJSON_GetArrayItem(w, cJSON_GetArraySize(w) - 1);
  if (who && (!last || strcmp(last->valuestring, who)))
    cJSON_AddItemToArray(w, cJSON_CreateString(who));
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
    cJSON *s = stmt_get(p, sid_of(prefix, scope_rows[i].sid));
    char *res = fmt(scope_rows[i].format, v);
    char *arn =
        fmt("arn:%s:%s:%s:*:%s", p->partition, prefix, scope_rows[i].global ? "" : p->region, res);
    add_unique(s, "resources", arn);
    free(res);
    free(arn);
    return s;
  }
  cJSON *s = stmt_get(p, sid_of(prefix, NULL));
  add_unique(s, "resources", "*");
  return s;
}

/* ---- roles passed ---- */

/* The declaration a captured value {"$capture": "NAME.attr"} comes from,
   malloc'd, or NULL (a literal, a join). */
static char *placeholder_decl(const cJSON *v) {
  const char *cap = str_member(v, "$capture"), *dot = cap ? strchr(cap, '.') : NULL;
  return dot ? fmt("%.*s", (int)(dot - cap), cap) : NULL;
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
  if (cJSON_IsString(v) && !strncmp(v->valuestring, "arn:", 4)) return fmt("%s", v->valuestring);
  char *decl = placeholder_decl(v);
  const char *role =
      decl ? resolve_name(p, step_param(p, decl, "CreateRole", "RoleName"), "RoleName") : NULL;
  /* an instance profile's role: AddRoleToInstanceProfile, a step of the profile */
  if (decl && !role)
    role = resolve_name(p, step_param(p, decl, "AddRoleToInstanceProfile", "RoleName"), "RoleName");
  free(decl);
  return role ? fmt("arn:%s:iam::*:role/%s", p->partition, role) : fmt("*");
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
      add_act(s, also_rows[i].action, who, fmt("%s with %s", op, also_rows[i].param));
      break;
    case ALSO_PASS_ROLE:
      s = stmt_get(p, fmt("PassRoles"));
      add_unique(s, "resources", res = passed_role(p, v));
      free(res);
      add_act(s, also_rows[i].action, who, fmt("%s passes it as %s", op, also_rows[i].param));
      break;
    case ALSO_LINKED_ROLE:
      s = stmt_get(p, fmt("ServiceLinkedRoles"));
      add_unique(s, "resources", res = fmt("arn:%s:iam::*:role/aws-service-role/*", p->partition));
      free(res);
      add_unique(s, "linked", also_rows[i].linked);
      add_act(s, also_rows[i].action, who,
              fmt("%s: the first in an account creates the role of %s", op, also_rows[i].linked));
      break;
    }
  }
}

static void wait_for(P *p, const cJSON *step, const char *cli, const char *who) {
  const char *w = str_member(step, "wait");
  for (int i = 0; w && i < aws_nwaiters; i++) {
    if (strcmp(aws_waiters[i].service, cli) || strcmp(aws_waiters[i].name, w)) continue;
    cJSON *s = stmt_for(p, cli, cJSON_GetObjectItemCaseSensitive(step, "params"));
    char *action = fmt("%s:%s", iam_prefix(cli), aws_operations[aws_waiters[i].operation].name);
    add_act(s, action, who, fmt("waiting for %s", w));
    free(action);
  }
}

static bool is_free(const char *cli, const char *op) {
  for (size_t i = 0; i < countof(free_rows); i++)
    if (!strcmp(free_rows[i].service, cli) && !strcmp(free_rows[i].operation, op)) return true;
  return false;
}

/* ---- output ---- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list of strings, sorted and unique, as IAM writes it: one string alone. */
static cJSON *str_or_list(const cJSON *list) {
  int n = cJSON_GetArraySize(list), m = 0;
  const char **v = calloc((size_t)n + 1, sizeof *v);
  for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
    v[m++] = e->valuestring;
  qsort(v, (size_t)m, sizeof *v, cmp_str);
  cJSON *out = m == 1 ? cJSON_CreateString(v[0]) : cJSON_CreateArray();
  for (int i = 0; m != 1 && i < m; i++)
    if (!i || strcmp(v[i], v[i - 1])) cJSON_AddItemToArray(out, cJSON_CreateString(v[i]));
  free(v);
  return out;
}

static cJSON *document(const P *p) {
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "Version", "2012-10-17");
  cJSON *list = cJSON_AddArrayToObject(doc, "Statement");
  for (const cJSON *s = p->stmts->child; s; s = s->next) {
    cJSON *actions = cJSON_CreateArray();
    for (const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "acts")->child; a; a = a->next)
      cJSON_AddItemToArray(actions, cJSON_CreateString(str_member(a, "action")));
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "Sid", str_member(s, "sid"));
    cJSON_AddStringToObject(st, "Effect", "Allow");
    cJSON_AddItemToObject(st, "Action", str_or_list(actions));
    cJSON_AddItemToObject(st, "Resource",
                          str_or_list(cJSON_GetObjectItemCaseSensitive(s, "resources")));
    const cJSON *linked = cJSON_GetObjectItemCaseSensitive(s, "linked");
    if (linked) {
      cJSON *c = cJSON_AddObjectToObject(st, "Condition");
      cJSON_AddItemToObject(cJSON_AddObjectToObject(c, "StringEquals"), "iam:AWSServiceName",
                            str_or_list(linked));
    }
    cJSON_Delete(actions);
    cJSON_AddItemToArray(list, st);
  }
  return doc;
}

enum { WHO_SHOWN = 6 };

static char *explain(const P *p) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) abort();
  int n = cJSON_GetArraySize(p->stmts);
  fprintf(f, "%d statement%s for the calls of the plan (region %s, partition %s):\n", n,
          n == 1 ? "" : "s", p->region, p->partition);
  for (const cJSON *s = p->stmts->child; s; s = s->next) {
    fprintf(f, "\n%s on ", str_member(s, "sid"));
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(s, "resources");
    for (const cJSON *e = r ? r->child : NULL; e; e = e->next)
      fprintf(f, "%s%s", e == r->child ? "" : ", ", e->valuestring);
    fputc('\n', f);
    for (const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "acts")->child; a; a = a->next) {
      const cJSON *who = cJSON_GetObjectItemCaseSensitive(a, "who");
      int k = 0, total = cJSON_GetArraySize(who);
      fprintf(f, "  %-38s ", str_member(a, "action"));
      for (const cJSON *w = who->child; w && k < WHO_SHOWN; w = w->next, k++)
        fprintf(f, "%s%s", k ? ", " : "", w->valuestring);
      if (total > WHO_SHOWN) fprintf(f, " and %d more", total - WHO_SHOWN);
      if (str_member(a, "why")) fprintf(f, " (%s)", str_member(a, "why"));
      fputc('\n', f);
    }
  }
  fclose(f);
  return text;
}

cJSON *iampolicy_for_steps(const cJSON *steps, const char *region, char **text) {
  P p = {.region = region,
         .partition = partition_of(region),
         .steps = steps,
         .stmts = cJSON_CreateArray()};
  static const cJSON none;
  if (!p.steps) p.steps = &none;
  for (const cJSON *step = p.steps->child; step; step = step->next) {
    const char *who = str_member(step, "resource");
    if (who && !strmap_get(&p.first, who)) strmap_put(&p.first, who, (void *)step);
  }
  for (const cJSON *step = p.steps->child; step; step = step->next) {
    const char *cli = str_member(step, "service"), *op = str_member(step, "operation");
    const char *who = str_member(step, "resource");
    if (!cli || !op || is_free(cli, op)) continue;
    char *action = fmt("%s:%s", iam_prefix(cli), op);
    add_act(stmt_for(&p, cli, cJSON_GetObjectItemCaseSensitive(step, "params")), action, who, NULL);
    free(action);
    wait_for(&p, step, cli, who);
    also_for(&p, step, cli, op, who);
  }
  cJSON *doc = document(&p);
  if (text) *text = explain(&p);
  cJSON_Delete(p.stmts);
  strmap_free(&p.first);
  return doc;
}
