/* apiplan_int.h: what the files of the API plan share. apiplan.c walks
   the resources in order and writes the steps; apiplan_types.c holds one
   row per type infrac drives natively (how it is created, updated and
   deleted); apiplan_create.c, apiplan_update.c and apiplan_delete.c the
   calls of those rows; apiplan_value.c turns template values into params;
   types without a row go through Cloud Control (apiplan_cloudcontrol.c). */
#ifndef APIPLAN_INT_H
#define APIPLAN_INT_H

#include <stdbool.h>

#include "apiplan.h"
#include "strmap.h"

typedef struct {
  const ApiPlanOptions *opt;
  const cJSON *tmpl;     /* the template being translated */
  cJSON *steps;          /* the plan's steps */
  /* Step numbers (s12 is 12), not the steps' id strings: a written plan
     deletes its steps as it goes. */
  StrMap capturer;       /* capture name -> number of the step that makes it */
  StrMap last;           /* logical ID -> number of its last step */
  StrMap new_res, old_res; /* logical ID -> resource of new_t, of deployed */
  StrMap diff_res;         /* logical ID -> DiffResource */
  cJSON *extra_deps;     /* step ids the next step depends on */
  const char *logical;   /* the resource at hand */
  const char *type;
  const char *action;
  char *error;           /* the first thing that could not be planned */
  int nsteps;
  StrMap known;          /* capture name -> value (malloc'd) of a deployed resource */
  StrMap deployed_names; /* plan name -> logical ID of the deployed resources */
  JsonOut *out;          /* where finished steps are written, or NULL: kept in steps */
  bool written;          /* a step was written: the next needs a comma */
  const cJSON *deployed; /* the deployed template, for lookups */
  const cJSON *new_t;
} Plan;

/* ---- the rows (apiplan_types.c) ---- */

/* One call that names the resource by one of its captures. */
typedef struct {
  const char *service, *op;
  const char *key;    /* the param that names the resource */
  const char *attr;   /* the capture it holds: id, arn, name */
  const char *waiter; /* the waiter that says it is done, or NULL */
} NativeCall;

typedef struct NativeUpdate NativeUpdate;
typedef void CreateFn(Plan *p, const cJSON *props);
typedef void DeleteFn(Plan *p, const cJSON *props);
/* Called once for the changed properties of the group u. */
typedef void UpdateFn(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u);

/* A group of properties that one function updates in place. */
struct NativeUpdate {
  const char *const *props; /* NULL-terminated; NULL: every property of the type */
  UpdateFn *fn;
};

typedef struct {
  const char *type;
  const char *ref;            /* the capture that Ref of it stands for */
  CreateFn *create;           /* the calls that create it, naming its captures */
  NativeCall delete_call;     /* the one call that deletes it, or {0} and: */
  DeleteFn *delete_fn;        /* the calls that delete it */
  const NativeUpdate *updates; /* ended by {0}; none: every change replaces it */
  /* A companion (a route, a rule) that goes with the resource its owner
     property names, unless the resource of unless goes too. */
  const char *owner, *unless;
  /* Replaced new first, the old deleted last, after what used it moved to
     the new (a task definition's revision, as CloudFormation does): a type
     whose physical name does not collide with its replacement's. */
  bool new_first;
} NativeType;

const NativeType *native_type(const char *type); /* NULL: Cloud Control */
const NativeType *native_types(size_t *count);
const NativeUpdate *native_update_of(const NativeType *t, const char *prop);
bool native_update_has(const NativeUpdate *u, const char *prop);
/* What is incomplete or wrong about a row (checked against the registry
   schemas), or NULL: tests/unit/test_apiplan_types.c walks every row. */
const char *native_row_problem(const NativeType *t, char buf[256]);

/* ---- apiplan.c: names and steps ---- */

const char *rname(Plan *p, const char *logical);
char *phys_name(Plan *p, const char *logical, size_t max, bool lower);
const cJSON *resource(const Plan *p, const cJSON *tmpl, const char *logical);
const char *type_of(const Plan *p, const cJSON *tmpl, const char *logical);
const char *ref_attr(const char *type);
char *snake(const char *attr);
void *step_no(const cJSON *step);
cJSON *new_step(Plan *p, const char *service, const char *op, cJSON *params);
void capture(Plan *p, cJSON *step, const char *attr, const char *path);
void wait_for(cJSON *step, const char *waiter);
void settle(Plan *p, cJSON *v, const cJSON *deployed);

/* ---- apiplan_value.c: template values as params ---- */

cJSON *conv(Plan *p, const cJSON *v);
cJSON *placeholder(Plan *p, const char *logical, const char *attr);
cJSON *log_group_name(Plan *p, const char *logical);
const cJSON *prop(const cJSON *props, const char *name);
bool prop_true(const cJSON *props, const char *name);
void put(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name);
void put_int(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name);
void put_str(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name);
void put_name(Plan *p, cJSON *params, const char *key, const cJSON *props, const char *name,
              size_t max, bool lower);
void put_tagspec(Plan *p, cJSON *params, const cJSON *props, const char *rtype);
void put_tags(Plan *p, cJSON *params, const char *key, const cJSON *props, bool lower);
cJSON *camel(const cJSON *v, bool keep_keys);
cJSON *json_text(Plan *p, const cJSON *doc);

/* ---- apiplan_create.c ---- */

void ip_permission(Plan *p, cJSON *perms, const cJSON *rule, bool egress);
void authorize(Plan *p, const char *op, const cJSON *group, const cJSON *rules, bool egress);
void put_role_policy(Plan *p, const cJSON *role, const cJSON *policy);
void delete_role_policy(Plan *p, const cJSON *role, const cJSON *policy);
cJSON *record_change(Plan *p, const cJSON *props, const char *action);
cJSON *validation_change(Plan *p, const cJSON *props, const char *action);
void put_deployment(Plan *p, cJSON *params, const cJSON *props);
void put_service_network(Plan *p, cJSON *params, const cJSON *props);
CreateFn create_vpc, create_subnet, create_internet_gateway, create_gateway_attachment,
    create_eip, create_nat, create_route_table, create_route, create_route_table_association,
    create_security_group, create_ingress, create_egress, create_instance,
    create_eip_association, create_role, create_instance_profile, create_db_subnet_group,
    create_db_parameter_group, create_db_instance, create_hosted_zone, create_certificate,
    create_target_group, create_load_balancer, create_listener, create_record,
    create_repository, create_cluster, create_log_group, create_task_definition,
    create_service;

/* ---- apiplan_update.c ---- */

bool rule_in(const cJSON *rule, const cJSON *rules);
const DiffProp *changed(const DiffResource *r, const char *path);
UpdateFn update_ingress, update_egress, update_ec2_tags, update_retention,
    update_vpc_attributes, update_subnet_attributes, update_route, update_record,
    update_service, update_target_group, update_listener, update_lb_subnets,
    update_lb_security_groups, update_db_instance, update_db_subnet_group,
    update_managed_policies, update_inline_policies, update_scanning, update_tag_mutability,
    update_tags, update_gateway_attachment, update_assume_role_policy, update_profile_roles,
    update_instance_groups, update_instance_profile, update_stopped_instance;
/* update_tags has the tag and untag calls of type. */
bool update_tags_knows(const char *type);

/* ---- apiplan_delete.c ---- */

cJSON *id_param(Plan *p, const char *key, const char *attr);
void delete_by_call(Plan *p, const NativeCall *c);
DeleteFn delete_ingress, delete_egress, delete_gateway_attachment, delete_route,
    delete_instance, delete_role, delete_instance_profile, delete_db_instance, delete_certificate,
    delete_repository, delete_record,
    delete_service;

/* ---- apiplan_cloudcontrol.c: every other type ---- */

void cc_create(Plan *p, const cJSON *props);
void cc_update(Plan *p, const DiffResource *r, const cJSON *props);
void cc_delete(Plan *p, const cJSON *props);

#endif
