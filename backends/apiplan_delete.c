/* apiplan_delete.c: the calls that delete a deployed resource, for the
   types whose row (apiplan_types.c) needs more than its one delete call.
   The resource is addressed by its own captures (id_param), which the
   state or a lookup provides. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan_int.h"

/* {key: the resource's capture attr}, the params of a call that names it. */
cJSON *id_param(Plan *p, const char *key, const char *attr) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, key, placeholder(p, p->logical, attr));
  return params;
}

void delete_by_call(Plan *p, const NativeCall *c) {
  cJSON *s = new_step(p, c->service, c->op, id_param(p, c->key, c->attr));
  if (c->waiter)
    wait_for(s, c->waiter);
}

static void revoke(Plan *p, const cJSON *props, bool egress) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "GroupId", props, "GroupId");
  ip_permission(p, cJSON_AddArrayToObject(params, "IpPermissions"), props, egress);
  new_step(p, "ec2", egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", params);
}

void delete_ingress(Plan *p, const cJSON *props) { revoke(p, props, false); }
void delete_egress(Plan *p, const cJSON *props) { revoke(p, props, true); }

void delete_gateway_attachment(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "InternetGatewayId", props, "InternetGatewayId");
  put(p, params, "VpcId", props, "VpcId");
  new_step(p, "ec2", "DetachInternetGateway", params);
}

void delete_route(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "RouteTableId", props, "RouteTableId");
  put(p, params, "DestinationCidrBlock", props, "DestinationCidrBlock");
  new_step(p, "ec2", "DeleteRoute", params);
}

void delete_instance(Plan *p, const cJSON *props) {
  (void)props;
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(params, "InstanceIds"), placeholder(p, p->logical, "id"));
  wait_for(new_step(p, "ec2", "TerminateInstances", params), "instance_terminated");
}

/* Its managed and inline policies go first: IAM refuses to delete a role
   that has any. */
void delete_role(Plan *p, const cJSON *props) {
  cJSON *role = placeholder(p, p->logical, "name");
  const cJSON *arns = prop(props, "ManagedPolicyArns");
  for (const cJSON *a = arns ? arns->child : NULL; a; a = a->next) {
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
    cJSON_AddItemToObject(params, "PolicyArn", conv(p, a));
    new_step(p, "iam", "DetachRolePolicy", params);
  }
  const cJSON *inl = prop(props, "Policies");
  for (const cJSON *pol = inl ? inl->child : NULL; pol; pol = pol->next)
    delete_role_policy(p, role, pol);
  cJSON_Delete(role);
  delete_by_call(p, &(NativeCall){"iam", "DeleteRole", "RoleName", "name", NULL});
}

void delete_instance_profile(Plan *p, const cJSON *props) {
  cJSON *name = placeholder(p, p->logical, "name");
  const cJSON *roles = prop(props, "Roles");
  for (const cJSON *r = roles ? roles->child : NULL; r; r = r->next) {
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "InstanceProfileName", cJSON_Duplicate(name, true));
    cJSON_AddItemToObject(params, "RoleName", conv(p, r));
    new_step(p, "iam", "RemoveRoleFromInstanceProfile", params);
  }
  cJSON_Delete(name);
  delete_by_call(p, &(NativeCall){"iam", "DeleteInstanceProfile", "InstanceProfileName", "name", NULL});
}

/* Deletion protection off first; a final snapshot, as CloudFormation's
   Snapshot policy keeps one (its name a stem that apply makes unique, so
   that a second destroy of the same stack keeps its own). */
void delete_db_instance(Plan *p, const cJSON *props) {
  if (prop_true(props, "DeletionProtection")) {
    cJSON *m = id_param(p, "DBInstanceIdentifier", "id");
    cJSON_AddBoolToObject(m, "DeletionProtection", false);
    cJSON_AddBoolToObject(m, "ApplyImmediately", true);
    new_step(p, "rds", "ModifyDBInstance", m);
  }
  cJSON *params = id_param(p, "DBInstanceIdentifier", "id");
  cJSON_AddBoolToObject(params, "SkipFinalSnapshot", false);
  char *snap = phys_name(p, p->logical, 200, true);
  char *final = NULL;
  if (asprintf(&final, "%s-final", snap) < 0)
    abort();
  cJSON_AddStringToObject(params, "FinalDBSnapshotIdentifier", final);
  free(snap);
  free(final);
  wait_for(new_step(p, "rds", "DeleteDBInstance", params), "db_instance_deleted");
}

/* The validation record first: the zone cannot go while it is there. */
void delete_certificate(Plan *p, const cJSON *props) {
  cJSON *record = validation_change(p, props, "DELETE");
  if (record)
    new_step(p, "route53", "ChangeResourceRecordSets", record);
  delete_by_call(p, &(NativeCall){"acm", "DeleteCertificate", "CertificateArn", "arn", NULL});
}

/* With its images (force): CloudFormation empties a repository it deletes
   too, and ECR refuses one that holds images. */
void delete_repository(Plan *p, const cJSON *props) {
  (void)props;
  cJSON *params = id_param(p, "repositoryName", "name");
  cJSON_AddBoolToObject(params, "force", true);
  new_step(p, "ecr", "DeleteRepository", params);
}

void delete_record(Plan *p, const cJSON *props) {
  new_step(p, "route53", "ChangeResourceRecordSets", record_change(p, props, "DELETE"));
}

/* ECS refuses to delete a service that still runs tasks. */
void delete_service(Plan *p, const cJSON *props) {
  cJSON *u = id_param(p, "service", "name");
  put(p, u, "cluster", props, "Cluster");
  cJSON_AddNumberToObject(u, "desiredCount", 0);
  new_step(p, "ecs", "UpdateService", u);
  cJSON *d = id_param(p, "service", "name");
  put(p, d, "cluster", props, "Cluster");
  new_step(p, "ecs", "DeleteService", d);
}
