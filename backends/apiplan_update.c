/* apiplan_update.c: the calls that change a deployed resource in place,
   one function per group of properties that one call (or one kind of call)
   updates. The rows of apiplan_types.c say which properties each group
   holds; a property no group holds cannot be updated in place. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan_int.h"

bool rule_in(const cJSON *rule, const cJSON *rules) {
  for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next)
    if (cJSON_Compare(rule, r, true))
      return true;
  return false;
}

/* The change of path in r, or NULL when it does not change. */
const DiffProp *changed(const DiffResource *r, const char *path) {
  for (int i = 0; i < r->nprops; i++)
    if (!strcmp(r->props[i].path, path))
      return &r->props[i];
  return NULL;
}

static void update_rules(Plan *p, const DiffProp *dp, bool egress) {
  cJSON *gid = placeholder(p, p->logical, "id");
  cJSON *gone = cJSON_CreateArray(), *added = cJSON_CreateArray();
  for (const cJSON *r = dp->old ? dp->old->child : NULL; r; r = r->next)
    if (!rule_in(r, dp->new))
      cJSON_AddItemToArray(gone, cJSON_Duplicate(r, true));
  for (const cJSON *r = dp->new ? dp->new->child : NULL; r; r = r->next)
    if (!rule_in(r, dp->old))
      cJSON_AddItemToArray(added, cJSON_Duplicate(r, true));
  const char *kind = egress ? "Egress" : "Ingress";
  char op[64];
  if (cJSON_GetArraySize(gone)) {
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "GroupId", cJSON_Duplicate(gid, true));
    cJSON *perms = cJSON_AddArrayToObject(params, "IpPermissions");
    for (const cJSON *r = gone->child; r; r = r->next)
      ip_permission(p, perms, r, egress);
    snprintf(op, sizeof op, "RevokeSecurityGroup%s", kind);
    new_step(p, "ec2", op, params);
  }
  snprintf(op, sizeof op, "AuthorizeSecurityGroup%s", kind);
  authorize(p, op, gid, added, egress);
  cJSON_Delete(gone);
  cJSON_Delete(added);
  cJSON_Delete(gid);
}

void update_ingress(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)props;
  update_rules(p, changed(r, "SecurityGroupIngress"), false);
}

void update_egress(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)props;
  update_rules(p, changed(r, "SecurityGroupEgress"), true);
}

/* CreateTags adds and overwrites: a tag that is gone stays. */
void update_ec2_tags(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(params, "Resources"),
                       placeholder(p, p->logical, native_type(p->type)->ref));
  put(p, params, "Tags", props, "Tags");
  new_step(p, "ec2", "CreateTags", params);
}

void update_retention(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  cJSON *params = id_param(p, "logGroupName", "name");
  if (changed(r, "RetentionInDays")->new) {
    put_int(p, params, "retentionInDays", props, "RetentionInDays");
    new_step(p, "logs", "PutRetentionPolicy", params);
  } else {
    new_step(p, "logs", "DeleteRetentionPolicy", params);
  }
}

/* One ModifyVpcAttribute or ModifySubnetAttribute per attribute: the API
   takes one at a time. */
static void modify_attributes(Plan *p, const DiffResource *r, const cJSON *props, const char *key,
                              const char *op, const char *const *attrs) {
  for (const char *const *a = attrs; *a; a++) {
    if (!changed(r, *a))
      continue;
    cJSON *params = id_param(p, key, "id");
    cJSON_AddBoolToObject(cJSON_AddObjectToObject(params, *a), "Value", prop_true(props, *a));
    new_step(p, "ec2", op, params);
  }
}

void update_vpc_attributes(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  static const char *const attrs[] = {"EnableDnsSupport", "EnableDnsHostnames", NULL};
  modify_attributes(p, r, props, "VpcId", "ModifyVpcAttribute", attrs);
}

void update_subnet_attributes(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  static const char *const attrs[] = {"MapPublicIpOnLaunch", NULL};
  modify_attributes(p, r, props, "SubnetId", "ModifySubnetAttribute", attrs);
}

void update_route(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  static const char *const keys[] = {"RouteTableId", "DestinationCidrBlock", "GatewayId",
                                     "NatGatewayId", "InstanceId", NULL};
  cJSON *params = cJSON_CreateObject();
  for (const char *const *key = keys; *key; key++)
    put(p, params, *key, props, *key);
  new_step(p, "ec2", "ReplaceRoute", params);
}

void update_record(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  new_step(p, "route53", "ChangeResourceRecordSets", record_change(p, props, "UPSERT"));
}

/* One UpdateService says every change. */
void update_service(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  cJSON *params = id_param(p, "service", "name");
  put(p, params, "cluster", props, "Cluster");
  if (changed(r, "TaskDefinition"))
    put(p, params, "taskDefinition", props, "TaskDefinition");
  if (changed(r, "DesiredCount"))
    put_int(p, params, "desiredCount", props, "DesiredCount");
  if (changed(r, "DeploymentConfiguration"))
    put_deployment(p, params, props);
  if (changed(r, "HealthCheckGracePeriodSeconds"))
    put_int(p, params, "healthCheckGracePeriodSeconds", props, "HealthCheckGracePeriodSeconds");
  if (changed(r, "LoadBalancers") || changed(r, "NetworkConfiguration"))
    put_service_network(p, params, props);
  /* stable on the new settings before anything after it (the old task
     definition's deregistration) goes, as CloudFormation waits */
  wait_for(new_step(p, "ecs", "UpdateService", params), "services_stable");
}

/* One call with every changed property of the group u, the API spelling
   them as CloudFormation does. */
static void modify_all(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u,
                       const char *service, const char *op, cJSON *params) {
  for (int i = 0; i < r->nprops; i++)
    if (native_update_has(u, r->props[i].path))
      put(p, params, r->props[i].path, props, r->props[i].path);
  new_step(p, service, op, params);
}

void update_target_group(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  modify_all(p, r, props, u, "elbv2", "ModifyTargetGroup", id_param(p, "TargetGroupArn", "arn"));
}

void update_listener(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  modify_all(p, r, props, u, "elbv2", "ModifyListener", id_param(p, "ListenerArn", "arn"));
}

void update_lb_subnets(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = id_param(p, "LoadBalancerArn", "arn");
  put(p, params, "Subnets", props, "Subnets");
  new_step(p, "elbv2", "SetSubnets", params);
}

void update_lb_security_groups(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = id_param(p, "LoadBalancerArn", "arn");
  put(p, params, "SecurityGroups", props, "SecurityGroups");
  new_step(p, "elbv2", "SetSecurityGroups", params);
}

void update_db_instance(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  cJSON *params = id_param(p, "DBInstanceIdentifier", "id");
  for (int i = 0; i < r->nprops; i++) {
    const char *k = r->props[i].path;
    if (!strcmp(k, "AllocatedStorage") || !strcmp(k, "BackupRetentionPeriod"))
      put_int(p, params, k, props, k);
    else if (!strcmp(k, "EngineVersion"))
      put_str(p, params, k, props, k);
    else if (!strcmp(k, "VPCSecurityGroups")) /* the API's own spelling */
      put(p, params, "VpcSecurityGroupIds", props, k);
    else if (native_update_has(u, k))
      put(p, params, k, props, k);
  }
  cJSON_AddBoolToObject(params, "ApplyImmediately", true);
  new_step(p, "rds", "ModifyDBInstance", params);
}

void update_db_subnet_group(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = id_param(p, "DBSubnetGroupName", "name");
  put(p, params, "DBSubnetGroupDescription", props, "DBSubnetGroupDescription");
  put(p, params, "SubnetIds", props, "SubnetIds");
  new_step(p, "rds", "ModifyDBSubnetGroup", params);
}

void update_managed_policies(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)props;
  const DiffProp *dp = changed(r, "ManagedPolicyArns");
  cJSON *role = placeholder(p, p->logical, "name");
  for (int pass = 0; pass < 2; pass++) {
    const cJSON *from = pass ? dp->new : dp->old, *other = pass ? dp->old : dp->new;
    for (const cJSON *a = from ? from->child : NULL; a; a = a->next) {
      if (rule_in(a, other))
        continue;
      cJSON *params = cJSON_CreateObject();
      cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
      cJSON_AddItemToObject(params, "PolicyArn", conv(p, a));
      new_step(p, "iam", pass ? "AttachRolePolicy" : "DetachRolePolicy", params);
    }
  }
  cJSON_Delete(role);
}

/* The policy of a Policies list with the name name, or NULL. */
static const cJSON *policy_named(const cJSON *policies, const cJSON *name) {
  for (const cJSON *pol = policies ? policies->child : NULL; pol; pol = pol->next)
    if (name && cJSON_Compare(prop(pol, "PolicyName"), name, true))
      return pol;
  return NULL;
}

void update_inline_policies(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)props;
  const DiffProp *dp = changed(r, "Policies");
  cJSON *role = placeholder(p, p->logical, "name");
  for (const cJSON *pol = dp->old ? dp->old->child : NULL; pol; pol = pol->next)
    if (!policy_named(dp->new, prop(pol, "PolicyName")))
      delete_role_policy(p, role, pol);
  for (const cJSON *pol = dp->new ? dp->new->child : NULL; pol; pol = pol->next)
    if (!rule_in(pol, dp->old)) /* new or changed: PutRolePolicy replaces it whole */
      put_role_policy(p, role, pol);
  cJSON_Delete(role);
}

void update_scanning(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)props;
  cJSON *params = id_param(p, "repositoryName", "name");
  cJSON_AddItemToObject(params, "imageScanningConfiguration",
                        camel(changed(r, "ImageScanningConfiguration")->new, false));
  new_step(p, "ecr", "PutImageScanningConfiguration", params);
}

void update_tag_mutability(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = id_param(p, "repositoryName", "name");
  put(p, params, "imageTagMutability", props, "ImageTagMutability");
  new_step(p, "ecr", "PutImageTagMutability", params);
}

/* The calls that tag and untag a resource of a type, by its ARN (or ID). */
static const struct {
  const char *type, *service, *tag_op, *untag_op;
  const char *arn_key, *arn_attr;  /* the param naming the resource, the capture it holds */
  const char *tags_key, *keys_key; /* the tags to add, the keys to remove */
  bool lower;                      /* key/value, not Key/Value */
  bool keys_as_tags;               /* removed as [{Key}], not [key] (ACM) */
  const char *prop;                /* the property of the tags; NULL: Tags */
  const char *kind_key, *kind;     /* a param naming the resource's kind, or NULL */
} tag_calls[] = {
    {"AWS::RDS::DBInstance", "rds", "AddTagsToResource", "RemoveTagsFromResource", "ResourceName",
     "arn", "Tags", "TagKeys", false, false, NULL, NULL, NULL},
    {"AWS::CertificateManager::Certificate", "acm", "AddTagsToCertificate",
     "RemoveTagsFromCertificate", "CertificateArn", "arn", "Tags", "Tags", false, true, NULL, NULL,
     NULL},
    {"AWS::ECR::Repository", "ecr", "TagResource", "UntagResource", "resourceArn", "arn", "tags",
     "tagKeys", false, false, NULL, NULL, NULL},
    {"AWS::ECS::Cluster", "ecs", "TagResource", "UntagResource", "resourceArn", "arn", "tags",
     "tagKeys", true, false, NULL, NULL, NULL},
    {"AWS::ECS::Service", "ecs", "TagResource", "UntagResource", "resourceArn", "arn", "tags",
     "tagKeys", true, false, NULL, NULL, NULL},
    {"AWS::ECS::TaskDefinition", "ecs", "TagResource", "UntagResource", "resourceArn", "arn",
     "tags", "tagKeys", true, false, NULL, NULL, NULL},
    /* ChangeTagsForResource both adds and removes; it names the zone by its
       ID without the "/hostedzone/" that Route 53 returns (captures_trimmed) */
    {"AWS::Route53::HostedZone", "route53", "ChangeTagsForResource", "ChangeTagsForResource",
     "ResourceId", "bare_id", "AddTags", "RemoveTagKeys", false, false, "HostedZoneTags",
     "ResourceType", "hostedzone"},
};

bool update_tags_knows(const char *type) {
  for (size_t i = 0; i < sizeof tag_calls / sizeof tag_calls[0]; i++)
    if (!strcmp(tag_calls[i].type, type))
      return true;
  return false;
}

/* The tag of tags with t's key, or NULL. */
static const cJSON *tag_keyed(const cJSON *tags, const cJSON *t) {
  for (const cJSON *o = tags ? tags->child : NULL; o; o = o->next)
    if (cJSON_Compare(prop(o, "Key"), prop(t, "Key"), true))
      return o;
  return NULL;
}

/* The params naming the resource for tag_calls[i]. */
static cJSON *tag_params(Plan *p, size_t i) {
  cJSON *params = id_param(p, tag_calls[i].arn_key, tag_calls[i].arn_attr);
  if (tag_calls[i].kind_key)
    cJSON_AddStringToObject(params, tag_calls[i].kind_key, tag_calls[i].kind);
  return params;
}

/* The keys that are gone untagged, then the new and changed tags tagged. */
void update_tags(Plan *p, const DiffResource *r, const cJSON *props, const NativeUpdate *u) {
  (void)u;
  (void)props;
  size_t i = 0, n = sizeof tag_calls / sizeof tag_calls[0];
  while (i < n && strcmp(tag_calls[i].type, p->type))
    i++;
  if (i == n) /* native_row_problem refuses such a row */
    abort();
  const DiffProp *dp = changed(r, tag_calls[i].prop ? tag_calls[i].prop : "Tags");
  cJSON *gone = cJSON_CreateArray();
  for (const cJSON *t = dp->old ? dp->old->child : NULL; t; t = t->next)
    if (!tag_keyed(dp->new, t)) {
      cJSON *key = conv(p, prop(t, "Key"));
      if (tag_calls[i].keys_as_tags) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "Key", key);
        key = o;
      }
      cJSON_AddItemToArray(gone, key);
    }
  if (cJSON_GetArraySize(gone)) {
    cJSON *params = tag_params(p, i);
    cJSON_AddItemToObject(params, tag_calls[i].keys_key, gone);
    new_step(p, tag_calls[i].service, tag_calls[i].untag_op, params);
  } else {
    cJSON_Delete(gone);
  }
  cJSON *added = cJSON_CreateArray();
  for (const cJSON *t = dp->new ? dp->new->child : NULL; t; t = t->next)
    if (!rule_in(t, dp->old))
      cJSON_AddItemToArray(added, cJSON_Duplicate(t, true));
  if (cJSON_GetArraySize(added)) {
    cJSON *params = tag_params(p, i);
    cJSON *tags = cJSON_CreateObject();
    cJSON_AddItemToObject(tags, "Tags", added);
    put_tags(p, params, tag_calls[i].tags_key, tags, tag_calls[i].lower);
    cJSON_Delete(tags);
    new_step(p, tag_calls[i].service, tag_calls[i].tag_op, params);
  } else {
    cJSON_Delete(added);
  }
}

/* The gateway moves: detached as deployed, attached as declared. */
void update_gateway_attachment(Plan *p, const DiffResource *r, const cJSON *props,
                               const NativeUpdate *u) {
  (void)u;
  (void)r;
  const cJSON *saved = p->tmpl;
  p->tmpl = p->deployed; /* the old gateway's ID is the deployed one's */
  delete_gateway_attachment(
      p, cJSON_GetObjectItemCaseSensitive(resource(p, p->deployed, p->logical), "Properties"));
  p->tmpl = saved;
  create_gateway_attachment(p, props);
}

void update_assume_role_policy(Plan *p, const DiffResource *r, const cJSON *props,
                               const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = id_param(p, "RoleName", "name");
  cJSON_AddItemToObject(params, "PolicyDocument",
                        json_text(p, prop(props, "AssumeRolePolicyDocument")));
  new_step(p, "iam", "UpdateAssumeRolePolicy", params);
}

/* The roles that are gone removed (as deployed), the new ones added. */
void update_profile_roles(Plan *p, const DiffResource *r, const cJSON *props,
                          const NativeUpdate *u) {
  (void)u;
  (void)props;
  const DiffProp *dp = changed(r, "Roles");
  const cJSON *saved = p->tmpl;
  for (int pass = 0; pass < 2; pass++) {
    const cJSON *from = pass ? dp->new : dp->old, *other = pass ? dp->old : dp->new;
    for (const cJSON *role = from ? from->child : NULL; role; role = role->next) {
      if (rule_in(role, other))
        continue;
      cJSON *params = id_param(p, "InstanceProfileName", "name");
      p->tmpl = pass ? saved : p->deployed;
      cJSON_AddItemToObject(params, "RoleName", conv(p, role));
      p->tmpl = saved;
      new_step(p, "iam", pass ? "AddRoleToInstanceProfile" : "RemoveRoleFromInstanceProfile",
               params);
    }
  }
}

void update_instance_groups(Plan *p, const DiffResource *r, const cJSON *props,
                            const NativeUpdate *u) {
  (void)u;
  (void)r;
  cJSON *params = id_param(p, "InstanceId", "id");
  put(p, params, "Groups", props, "SecurityGroupIds");
  new_step(p, "ec2", "ModifyInstanceAttribute", params);
}

/* The instance's profile, as CloudFormation changes it (no interruption):
   its association, which DescribeIamInstanceProfileAssociations finds, is
   replaced; an instance deployed without one is associated, one that loses
   its profile disassociated. */
void update_instance_profile(Plan *p, const DiffResource *r, const cJSON *props,
                             const NativeUpdate *u) {
  (void)u;
  const DiffProp *dp = changed(r, "IamInstanceProfile");
  cJSON *profile = cJSON_CreateObject();
  put(p, profile, "Name", props, "IamInstanceProfile");
  cJSON *params = cJSON_CreateObject();
  if (dp->old) {
    cJSON *filter = cJSON_CreateObject();
    cJSON_AddStringToObject(filter, "Name", "instance-id");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(filter, "Values"),
                         placeholder(p, p->logical, "id"));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(params, "Filters"), filter);
    cJSON *s = new_step(p, "ec2", "DescribeIamInstanceProfileAssociations", params);
    capture(p, s, "profile_association", "IamInstanceProfileAssociations[0].AssociationId");
    params = id_param(p, "AssociationId", "profile_association");
  } else {
    cJSON_AddItemToObject(params, "InstanceId", placeholder(p, p->logical, "id"));
  }
  if (dp->new)
    cJSON_AddItemToObject(params, "IamInstanceProfile", profile);
  else
    cJSON_Delete(profile);
  new_step(p, "ec2",
           !dp->new ? "DisassociateIamInstanceProfile"
           : dp->old ? "ReplaceIamInstanceProfileAssociation"
                     : "AssociateIamInstanceProfile",
           params);
}

/* What an instance reads at boot, or runs on: changed while it is stopped,
   then it is started again, as CloudFormation does for an EBS-backed
   instance ("some interruptions"); a replacement would lose its disk and
   its private address. (An instance-store one cannot be stopped: its
   StopInstances fails, and nothing has changed.) One attribute a call. */
void update_stopped_instance(Plan *p, const DiffResource *r, const cJSON *props,
                             const NativeUpdate *u) {
  cJSON *ids = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(ids, "InstanceIds"),
                       placeholder(p, p->logical, "id"));
  wait_for(new_step(p, "ec2", "StopInstances", cJSON_Duplicate(ids, true)), "instance_stopped");
  for (int i = 0; i < r->nprops; i++) {
    const char *k = r->props[i].path;
    if (!native_update_has(u, k))
      continue;
    cJSON *params = id_param(p, "InstanceId", "id");
    cJSON *value = cJSON_AddObjectToObject(params, k);
    if (prop(props, k))
      put(p, value, "Value", props, k);
    else /* no user data any more */
      cJSON_AddStringToObject(value, "Value", "");
    new_step(p, "ec2", "ModifyInstanceAttribute", params);
  }
  wait_for(new_step(p, "ec2", "StartInstances", ids), "instance_running");
}
