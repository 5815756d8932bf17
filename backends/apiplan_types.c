/* apiplan_types.c: one row for each type infrac drives natively: the
   capture Ref stands for, the function that creates it, the call (or
   function) that deletes it, and the groups of properties it updates in
   place, each with its function. How an X is created: find X's row here,
   then its create function in apiplan_create.c. A property that no group
   holds is replaced (or refused) when it changes; a type without a row goes
   through Cloud Control. tests/unit/test_apiplan_types.c walks every row
   with native_row_problem. Adding a type: a row here, its functions, its
   lowering (compiler/kinds.c), its tests (docs/formats.md says the steps). */
#include <stdio.h>
#include <string.h>

#include "apiplan_int.h"
#include "awstypes.h"

#define PROPS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define UPDATES(...) ((const NativeUpdate[]){__VA_ARGS__, {0}})
#define EC2_TAGS {PROPS("Tags"), update_ec2_tags}
#define TAGS {PROPS("Tags"), update_tags}
#define BY(service, op, key, attr) {service, op, key, attr, NULL}

static const NativeType rows[] = {
    {"AWS::EC2::VPC", "id", create_vpc, BY("ec2", "DeleteVpc", "VpcId", "id"), NULL,
     UPDATES({PROPS("EnableDnsSupport", "EnableDnsHostnames"), update_vpc_attributes}, EC2_TAGS),
     NULL, NULL, false},
    {"AWS::EC2::Subnet", "id", create_subnet, BY("ec2", "DeleteSubnet", "SubnetId", "id"), NULL,
     UPDATES({PROPS("MapPublicIpOnLaunch"), update_subnet_attributes}, EC2_TAGS), NULL, NULL, false},
    {"AWS::EC2::InternetGateway", "id", create_internet_gateway,
     BY("ec2", "DeleteInternetGateway", "InternetGatewayId", "id"), NULL, UPDATES(EC2_TAGS), NULL,
     NULL, false},
    {"AWS::EC2::VPCGatewayAttachment", "id", create_gateway_attachment, {0},
     delete_gateway_attachment,
     UPDATES({PROPS("InternetGatewayId"), update_gateway_attachment}), NULL, NULL, false},
    {"AWS::EC2::EIP", "address", create_eip,
     BY("ec2", "ReleaseAddress", "AllocationId", "allocation_id"), NULL, UPDATES(EC2_TAGS), NULL,
     NULL, false},
    {"AWS::EC2::NatGateway", "id", create_nat,
     {"ec2", "DeleteNatGateway", "NatGatewayId", "id", "nat_gateway_deleted"}, NULL,
     UPDATES(EC2_TAGS), NULL, NULL, false},
    {"AWS::EC2::RouteTable", "id", create_route_table,
     BY("ec2", "DeleteRouteTable", "RouteTableId", "id"), NULL, UPDATES(EC2_TAGS), NULL, NULL, false},
    {"AWS::EC2::Route", "id", create_route, {0}, delete_route,
     UPDATES({PROPS("GatewayId", "NatGatewayId", "InstanceId"), update_route}), "RouteTableId",
     NULL, false},
    {"AWS::EC2::SubnetRouteTableAssociation", "id", create_route_table_association,
     BY("ec2", "DisassociateRouteTable", "AssociationId", "id"), NULL, NULL, "SubnetId",
     "RouteTableId", false},
    {"AWS::EC2::SecurityGroup", "id", create_security_group,
     BY("ec2", "DeleteSecurityGroup", "GroupId", "id"), NULL,
     UPDATES({PROPS("SecurityGroupIngress"), update_ingress},
             {PROPS("SecurityGroupEgress"), update_egress}, EC2_TAGS),
     NULL, NULL, false},
    {"AWS::EC2::SecurityGroupIngress", "id", create_ingress, {0}, delete_ingress, NULL, "GroupId",
     NULL, false},
    {"AWS::EC2::SecurityGroupEgress", "id", create_egress, {0}, delete_egress, NULL, "GroupId",
     NULL, false},
    {"AWS::EC2::Instance", "id", create_instance, {0}, delete_instance,
     UPDATES({PROPS("SecurityGroupIds"), update_instance_groups},
             {PROPS("IamInstanceProfile"), update_instance_profile},
             {PROPS("UserData", "InstanceType"), update_stopped_instance}, EC2_TAGS),
     NULL, NULL, false},
    /* no owner: terminating the instance would free the address only once
       it is gone, and the address's release, which waits for this call,
       would race it (InvalidIPAddress.InUse) */
    {"AWS::EC2::EIPAssociation", "id", create_eip_association,
     BY("ec2", "DisassociateAddress", "AssociationId", "id"), NULL, NULL, NULL, NULL, false},
    {"AWS::IAM::Role", "name", create_role, {0}, delete_role,
     UPDATES({PROPS("ManagedPolicyArns"), update_managed_policies},
             {PROPS("Policies"), update_inline_policies},
             {PROPS("AssumeRolePolicyDocument"), update_assume_role_policy}),
     NULL, NULL, false},
    {"AWS::IAM::InstanceProfile", "name", create_instance_profile, {0}, delete_instance_profile,
     UPDATES({PROPS("Roles"), update_profile_roles}), NULL, NULL, false},
    {"AWS::RDS::DBSubnetGroup", "name", create_db_subnet_group,
     BY("rds", "DeleteDBSubnetGroup", "DBSubnetGroupName", "name"), NULL,
     UPDATES({PROPS("SubnetIds", "DBSubnetGroupDescription"), update_db_subnet_group}), NULL,
     NULL, false},
    {"AWS::RDS::DBParameterGroup", "name", create_db_parameter_group,
     BY("rds", "DeleteDBParameterGroup", "DBParameterGroupName", "name"), NULL, NULL, NULL, NULL, false},
    {"AWS::RDS::DBInstance", "id", create_db_instance, {0}, delete_db_instance,
     UPDATES({PROPS("DBInstanceClass", "MultiAZ", "BackupRetentionPeriod", "DeletionProtection",
                    "EngineVersion", "AllocatedStorage", "PubliclyAccessible",
                    "MasterUserPassword", "VPCSecurityGroups"),
              update_db_instance},
             TAGS),
     NULL, NULL, false},
    {"AWS::Route53::HostedZone", "id", create_hosted_zone,
     BY("route53", "DeleteHostedZone", "Id", "id"), NULL,
     UPDATES({PROPS("HostedZoneTags"), update_tags}), NULL, NULL, false},
    {"AWS::CertificateManager::Certificate", "arn", create_certificate, {0}, delete_certificate,
     UPDATES(TAGS), NULL, NULL, false},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "arn", create_target_group,
     BY("elbv2", "DeleteTargetGroup", "TargetGroupArn", "arn"), NULL,
     UPDATES({PROPS("HealthCheckEnabled", "HealthCheckIntervalSeconds", "HealthCheckPath",
                    "HealthCheckPort", "HealthCheckProtocol", "HealthCheckTimeoutSeconds",
                    "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher"),
              update_target_group}),
     NULL, NULL, false},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "arn", create_load_balancer,
     {"elbv2", "DeleteLoadBalancer", "LoadBalancerArn", "arn", "load_balancers_deleted"}, NULL,
     UPDATES({PROPS("Subnets"), update_lb_subnets},
             {PROPS("SecurityGroups"), update_lb_security_groups}),
     NULL, NULL, false},
    {"AWS::ElasticLoadBalancingV2::Listener", "arn", create_listener,
     BY("elbv2", "DeleteListener", "ListenerArn", "arn"), NULL,
     UPDATES({PROPS("Port", "Protocol", "SslPolicy", "Certificates", "DefaultActions",
                    "AlpnPolicy"),
              update_listener}),
     "LoadBalancerArn", NULL, false},
    {"AWS::Route53::RecordSet", "id", create_record, {0}, delete_record,
     UPDATES({PROPS("ResourceRecords", "TTL", "AliasTarget", "SetIdentifier", "Weight",
                    "Comment"),
              update_record}),
     NULL, NULL, false},
    {"AWS::ECR::Repository", "name", create_repository, {0}, delete_repository,
     UPDATES({PROPS("ImageScanningConfiguration"), update_scanning},
             {PROPS("ImageTagMutability"), update_tag_mutability}, TAGS),
     NULL, NULL, false},
    {"AWS::ECS::Cluster", "name", create_cluster, BY("ecs", "DeleteCluster", "cluster", "name"),
     NULL, UPDATES(TAGS), NULL, NULL, false},
    {"AWS::Logs::LogGroup", "name", create_log_group,
     BY("logs", "DeleteLogGroup", "logGroupName", "name"), NULL,
     UPDATES({PROPS("RetentionInDays"), update_retention}), NULL, NULL, false},
    {"AWS::ECS::TaskDefinition", "arn", create_task_definition,
     BY("ecs", "DeregisterTaskDefinition", "taskDefinition", "arn"), NULL, UPDATES(TAGS), NULL,
     NULL, true},
    {"AWS::ECS::Service", "arn", create_service, {0}, delete_service,
     UPDATES({PROPS("TaskDefinition", "DesiredCount", "DeploymentConfiguration",
                    "HealthCheckGracePeriodSeconds", "LoadBalancers", "NetworkConfiguration"),
              update_service},
             TAGS),
     NULL, NULL, false},
};

/* Properties the registry schemas call updatable, which no API call of the
   row changes in place: changing one replaces the resource (as
   CloudFormation documents it does). */
static const struct {
  const char *type, *prop;
} replaced_by[] = {
    {"AWS::EC2::EIP", "Domain"},         /* an address is allocated in its domain */
    {"AWS::ECS::Service", "LaunchType"}, /* UpdateService changes capacity providers only */
};

bool apiplan_forces_replacement(const char *type, const char *path) {
  for (size_t i = 0; i < sizeof replaced_by / sizeof replaced_by[0]; i++)
    if (!strcmp(replaced_by[i].type, type) && !strcmp(replaced_by[i].prop, path))
      return true;
  return false;
}

bool apiplan_update_interrupts(const char *type, const char *path) {
  const NativeUpdate *u = native_update_of(native_type(type), path);
  return u && u->fn == update_stopped_instance;
}

const NativeType *native_types(size_t *count) {
  *count = sizeof rows / sizeof rows[0];
  return rows;
}

const NativeType *native_type(const char *type) {
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    if (!strcmp(rows[i].type, type))
      return &rows[i];
  return NULL;
}

bool native_update_has(const NativeUpdate *u, const char *prop) {
  if (!u->props)
    return true;
  for (const char *const *k = u->props; *k; k++)
    if (!strcmp(*k, prop))
      return true;
  return false;
}

const NativeUpdate *native_update_of(const NativeType *t, const char *prop) {
  for (const NativeUpdate *u = t ? t->updates : NULL; u && u->fn; u++)
    if (native_update_has(u, prop))
      return u;
  return NULL;
}

const char *native_row_problem(const NativeType *t, char buf[256]) {
  const AwsType *schema = t->type ? aws_type_find(t->type) : NULL;
  if (!schema)
    snprintf(buf, 256, "%s: no such type in the registry schemas", t->type ? t->type : "(none)");
  else if (!t->ref || !*t->ref)
    snprintf(buf, 256, "%s: no capture for Ref", t->type);
  else if (!t->create)
    snprintf(buf, 256, "%s: no create", t->type);
  else if (!t->delete_fn == !t->delete_call.op)
    snprintf(buf, 256, "%s: %s", t->type,
             t->delete_fn ? "both a delete call and a delete function" : "no delete");
  else if (t->delete_call.op && (!t->delete_call.service || !t->delete_call.key ||
                                 !t->delete_call.attr))
    snprintf(buf, 256, "%s: the delete call lacks its service, key or capture", t->type);
  else if (t->owner && !aws_shape_prop(schema->shape, t->owner))
    snprintf(buf, 256, "%s: the owner %s is no property of it", t->type, t->owner);
  else
    buf[0] = '\0';
  for (const NativeUpdate *u = t->updates; !buf[0] && u && (u->fn || u->props); u++) {
    if (!u->fn) {
      snprintf(buf, 256, "%s: an update group without its function", t->type);
      break;
    }
    for (const char *const *k = u->props; !buf[0] && k && *k; k++) {
      const AwsProp *ap = aws_shape_prop(schema->shape, *k);
      if (!ap)
        snprintf(buf, 256, "%s: the update of %s, which is no property of it", t->type, *k);
      else if (ap->flags & (AWS_P_CREATE_ONLY | AWS_P_READ_ONLY))
        snprintf(buf, 256, "%s: an update of %s, which is %s", t->type, *k,
                 ap->flags & AWS_P_CREATE_ONLY ? "create-only" : "read-only");
      else if (u->fn == update_tags && !update_tags_knows(t->type))
        snprintf(buf, 256, "%s: its tags are updated by no tag call of update_tags", t->type);
      else if (native_update_of(t, *k) != u)
        snprintf(buf, 256, "%s: %s is in two update groups", t->type, *k);
    }
  }
  size_t same = 0, n = sizeof rows / sizeof rows[0];
  bool mine = false; /* a row of the table, not one a test made */
  for (size_t i = 0; i < n && !buf[0]; i++) {
    same += !strcmp(rows[i].type, t->type);
    mine |= &rows[i] == t;
  }
  if (!buf[0] && mine && same > 1)
    snprintf(buf, 256, "%s: two rows", t->type);
  return buf[0] ? buf : NULL;
}
