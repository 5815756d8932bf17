/* awsread.c: the read of every type infrac drives, as a table. A row names
   the describe call, the parameter that identifies the resource (from the
   state's captures or from a recorded property), where the resource is in
   the response (an item of a list, picked by a key, for the parts of a
   bigger object: a route, a log group of a prefix), the status that means
   deleted, and which response fields are which template properties, with
   their normalisation. A type's further rows read more of it with other
   calls (a VPC's DNS attributes, a role's managed policies). A recorded value is resolved to what AWS would show
   (Ref and GetAtt through the state's captures) before comparing; only a
   differing value is written back, in AWS's words. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "awspool.h"
#include "awsread.h"
#include "cfn_parts.h"
#include "infrac.h" /* Buf */
#include "jsonread.h"
#include "termtext.h"

typedef enum {
  NORM_NONE,
  NORM_TAGS,    /* [{Key, Value}] without AWS's own (aws:*) */
  NORM_INGRESS, /* IpPermissions as the template's rules, one per source */
  NORM_EGRESS,  /* likewise; the default allow-all rule is not drift */
  NORM_DOT,     /* a DNS name without its final dot */
  NORM_VERSION, /* "16.3" is what "16" asked for */
  NORM_BASE64,  /* base64 text as the template writes it: {"Fn::Base64": TEXT} */
} Norm;

typedef struct {
  const char *from; /* the response field, from the resource: "Matcher.HttpCode",
                       "Subnets[].SubnetIdentifier" */
  const char *prop; /* the property: "Matcher.HttpCode" */
  Norm norm;
  bool compare_absent; /* compared even when the state does not record it (absent: none) */
} ReadField;

typedef struct {
  const char *type, *service, *op;
  const char *param; /* the identifier's parameter */
  bool list;         /* given as a one-item list */
  /* where the identifier comes from, tried in order: "@capture", a recorded
     property, or "/infrac/%s/%s" (stack, resource name: the name apply gives) */
  const char *id[3];
  /* more parameters, each followed by its id source (a service's cluster) */
  const char *more[4];
  const char *object;                  /* the resource in the response */
  const char *select, *key, *key_from; /* the item of list select whose key is key_from's value */
  /* the status of a deleted resource (gone_value NULL: gone without gone_field) */
  const char *gone_field, *gone_value;
  ReadField fields[14];
} ReadRow;

/* clang-format off */
static const ReadRow rows[] = {
    {"AWS::EC2::VPC", "ec2", "DescribeVpcs", "VpcIds", true, {"@id"}, {NULL}, "Vpcs[0]",
     NULL, NULL, NULL, NULL, NULL,
     {{"CidrBlock", "CidrBlock", NORM_NONE, false}, {"Tags", "Tags", NORM_TAGS, false}}},
    {"AWS::EC2::VPC", "ec2", "DescribeVpcAttribute", "VpcId", false, {"@id"},
     {"Attribute", "=enableDnsSupport"}, NULL, NULL, NULL, NULL, NULL, NULL,
     {{"EnableDnsSupport.Value", "EnableDnsSupport", NORM_NONE, false}}},
    {"AWS::EC2::VPC", "ec2", "DescribeVpcAttribute", "VpcId", false, {"@id"},
     {"Attribute", "=enableDnsHostnames"}, NULL, NULL, NULL, NULL, NULL, NULL,
     {{"EnableDnsHostnames.Value", "EnableDnsHostnames", NORM_NONE, false}}},
    {"AWS::EC2::Subnet", "ec2", "DescribeSubnets", "SubnetIds", true, {"@id"}, {NULL},
     "Subnets[0]", NULL, NULL, NULL, NULL, NULL,
     {{"VpcId", "VpcId", NORM_NONE, false},
      {"CidrBlock", "CidrBlock", NORM_NONE, false},
      {"AvailabilityZone", "AvailabilityZone", NORM_NONE, false},
      {"MapPublicIpOnLaunch", "MapPublicIpOnLaunch", NORM_NONE, false},
      {"Tags", "Tags", NORM_TAGS, false}}},
    {"AWS::EC2::InternetGateway", "ec2", "DescribeInternetGateways", "InternetGatewayIds", true,
     {"@id"}, {NULL}, "InternetGateways[0]", NULL, NULL, NULL, NULL, NULL,
     {{"Tags", "Tags", NORM_TAGS, false}}},
    /* an attachment is the gateway's, to the VPC */
    {"AWS::EC2::VPCGatewayAttachment", "ec2", "DescribeInternetGateways", "InternetGatewayIds",
     true, {"InternetGatewayId"}, {NULL}, "InternetGateways[0]", "Attachments", "VpcId",
     "VpcId", "State", "detached",
     {{"VpcId", "VpcId", NORM_NONE, false}}},
    {"AWS::EC2::NatGateway", "ec2", "DescribeNatGateways", "NatGatewayIds", true, {"@id"}, {NULL},
     "NatGateways[0]", NULL, NULL, NULL, "State", "deleted",
     {{"SubnetId", "SubnetId", NORM_NONE, false},
      {"NatGatewayAddresses[0].AllocationId", "AllocationId", NORM_NONE, false},
      {"Tags", "Tags", NORM_TAGS, false}}},
    {"AWS::EC2::EIP", "ec2", "DescribeAddresses", "AllocationIds", true, {"@allocation_id"},
     {NULL}, "Addresses[0]", NULL, NULL, NULL, NULL, NULL,
     {{"Domain", "Domain", NORM_NONE, false}, {"Tags", "Tags", NORM_TAGS, false}}},
    {"AWS::EC2::RouteTable", "ec2", "DescribeRouteTables", "RouteTableIds", true, {"@id"}, {NULL},
     "RouteTables[0]", NULL, NULL, NULL, NULL, NULL,
     {{"VpcId", "VpcId", NORM_NONE, false}, {"Tags", "Tags", NORM_TAGS, false}}},
    /* a route is its table's, by destination */
    {"AWS::EC2::Route", "ec2", "DescribeRouteTables", "RouteTableIds", true, {"RouteTableId"},
     {NULL}, "RouteTables[0]", "Routes", "DestinationCidrBlock", "DestinationCidrBlock",
     NULL, NULL,
     {{"GatewayId", "GatewayId", NORM_NONE, true},
      {"NatGatewayId", "NatGatewayId", NORM_NONE, true},
      {"InstanceId", "InstanceId", NORM_NONE, true}}},
    {"AWS::EC2::SubnetRouteTableAssociation", "ec2", "DescribeRouteTables", "RouteTableIds", true,
     {"RouteTableId"}, {NULL}, "RouteTables[0]", "Associations", "RouteTableAssociationId",
     "@id", NULL, NULL,
     {{"SubnetId", "SubnetId", NORM_NONE, false}}},
    {"AWS::EC2::SecurityGroup", "ec2", "DescribeSecurityGroups", "GroupIds", true, {"@id"},
     {NULL}, "SecurityGroups[0]", NULL, NULL, NULL, NULL, NULL,
     {{"Description", "GroupDescription", NORM_NONE, false},
      {"VpcId", "VpcId", NORM_NONE, false},
      {"IpPermissions", "SecurityGroupIngress", NORM_INGRESS, true},
      {"IpPermissionsEgress", "SecurityGroupEgress", NORM_EGRESS, true},
      {"Tags", "Tags", NORM_TAGS, false}}},
    {"AWS::EC2::Instance", "ec2", "DescribeInstances", "InstanceIds", true, {"@id"}, {NULL},
     "Reservations[0].Instances[0]", NULL, NULL, NULL, "State.Name", "terminated",
     {{"InstanceType", "InstanceType", NORM_NONE, false},
      {"ImageId", "ImageId", NORM_NONE, false},
      {"SubnetId", "SubnetId", NORM_NONE, false},
      {"SecurityGroups[].GroupId", "SecurityGroupIds", NORM_NONE, false},
      {"Tags", "Tags", NORM_TAGS, false}}},
    {"AWS::EC2::Instance", "ec2", "DescribeInstanceAttribute", "InstanceId", false, {"@id"},
     {"Attribute", "=userData"}, NULL, NULL, NULL, NULL, NULL, NULL,
     {{"UserData.Value", "UserData", NORM_BASE64, false}}},
    /* an association is its address's */
    {"AWS::EC2::EIPAssociation", "ec2", "DescribeAddresses", "AllocationIds", true,
     {"AllocationId"}, {NULL}, "Addresses[0]", NULL, NULL, NULL, "AssociationId", NULL,
     {{"InstanceId", "InstanceId", NORM_NONE, false}}},
    {"AWS::IAM::Role", "iam", "GetRole", "RoleName", false, {"@name", "RoleName"}, {NULL},
     "Role", NULL, NULL, NULL, NULL, NULL,
     {{"Description", "Description", NORM_NONE, false},
      {"MaxSessionDuration", "MaxSessionDuration", NORM_NONE, false},
      {"Path", "Path", NORM_NONE, false}}},
    {"AWS::IAM::Role", "iam", "ListAttachedRolePolicies", "RoleName", false, {"@name", "RoleName"},
     {NULL}, NULL, NULL, NULL, NULL, NULL, NULL,
     {{"AttachedPolicies[].PolicyArn", "ManagedPolicyArns", NORM_NONE, true}}},
    {"AWS::IAM::InstanceProfile", "iam", "GetInstanceProfile", "InstanceProfileName", false,
     {"@name", "InstanceProfileName"}, {NULL}, "InstanceProfile", NULL, NULL, NULL, NULL,
     NULL,
     {{"Roles[].RoleName", "Roles", NORM_NONE, false}}},
    {"AWS::RDS::DBSubnetGroup", "rds", "DescribeDBSubnetGroups", "DBSubnetGroupName", false,
     {"@name", "DBSubnetGroupName"}, {NULL}, "DBSubnetGroups[0]", NULL, NULL, NULL, NULL,
     NULL,
     {{"DBSubnetGroupDescription", "DBSubnetGroupDescription", NORM_NONE, false},
      {"Subnets[].SubnetIdentifier", "SubnetIds", NORM_NONE, false}}},
    {"AWS::RDS::DBInstance", "rds", "DescribeDBInstances", "DBInstanceIdentifier", false,
     {"@id", "DBInstanceIdentifier"}, {NULL}, "DBInstances[0]", NULL, NULL, NULL,
     "DBInstanceStatus", "deleting",
     {{"DBInstanceClass", "DBInstanceClass", NORM_NONE, false},
      {"Engine", "Engine", NORM_NONE, false},
      {"EngineVersion", "EngineVersion", NORM_VERSION, false},
      {"AllocatedStorage", "AllocatedStorage", NORM_NONE, false},
      {"MultiAZ", "MultiAZ", NORM_NONE, false},
      {"StorageEncrypted", "StorageEncrypted", NORM_NONE, false},
      {"PubliclyAccessible", "PubliclyAccessible", NORM_NONE, false},
      {"BackupRetentionPeriod", "BackupRetentionPeriod", NORM_NONE, false},
      {"DeletionProtection", "DeletionProtection", NORM_NONE, false},
      {"DBName", "DBName", NORM_NONE, false},
      {"MasterUsername", "MasterUsername", NORM_NONE, false},
      {"DBSubnetGroup.DBSubnetGroupName", "DBSubnetGroupName", NORM_NONE, false},
      {"VpcSecurityGroups[].VpcSecurityGroupId", "VPCSecurityGroups", NORM_NONE, false}}},
    {"AWS::ECR::Repository", "ecr", "DescribeRepositories", "repositoryNames", true,
     {"@name", "RepositoryName"}, {NULL}, "repositories[0]", NULL, NULL, NULL, NULL, NULL,
     {{"imageTagMutability", "ImageTagMutability", NORM_NONE, false},
      {"imageScanningConfiguration.scanOnPush", "ImageScanningConfiguration.ScanOnPush",
       NORM_NONE, false}}},
    {"AWS::ECS::Cluster", "ecs", "DescribeClusters", "clusters", true, {"@name", "ClusterName"},
     {NULL}, "clusters[0]", NULL, NULL, NULL, "status", "INACTIVE",
     {{"clusterName", "ClusterName", NORM_NONE, false}}},
    {"AWS::ECS::TaskDefinition", "ecs", "DescribeTaskDefinition", "taskDefinition", false,
     {"@arn"}, {NULL}, "taskDefinition", NULL, NULL, NULL, "status", "INACTIVE",
     {{"cpu", "Cpu", NORM_NONE, false},
      {"memory", "Memory", NORM_NONE, false},
      {"networkMode", "NetworkMode", NORM_NONE, false},
      {"requiresCompatibilities", "RequiresCompatibilities", NORM_NONE, false},
      {"executionRoleArn", "ExecutionRoleArn", NORM_NONE, false}}},
    {"AWS::ECS::Service", "ecs", "DescribeServices", "services", true, {"@arn", "@name"},
     {"cluster", "Cluster"}, "services[0]", NULL, NULL, NULL, "status", "INACTIVE",
     {{"desiredCount", "DesiredCount", NORM_NONE, false},
      {"launchType", "LaunchType", NORM_NONE, false},
      {"taskDefinition", "TaskDefinition", NORM_NONE, false},
      {"healthCheckGracePeriodSeconds", "HealthCheckGracePeriodSeconds", NORM_NONE, false}}},
    /* a log group is the one of its name among those of the prefix */
    {"AWS::Logs::LogGroup", "logs", "DescribeLogGroups", "logGroupNamePrefix", false,
     {"LogGroupName", "/infrac/%s/%s"}, {NULL}, NULL, "logGroups", "logGroupName",
     "=id", NULL, NULL,
     {{"retentionInDays", "RetentionInDays", NORM_NONE, true}}},
    {"AWS::Route53::HostedZone", "route53", "GetHostedZone", "Id", false, {"@id"}, {NULL},
     "HostedZone", NULL, NULL, NULL, NULL, NULL,
     {{"Name", "Name", NORM_DOT, false}}},
    /* a record is the one of its name and type among those from there on */
    {"AWS::Route53::RecordSet", "route53", "ListResourceRecordSets", "HostedZoneId", false,
     {"HostedZoneId"}, {"StartRecordName", "Name", "StartRecordType", "Type"}, NULL,
     "ResourceRecordSets", "Name", "Name", NULL, NULL,
     {{"TTL", "TTL", NORM_NONE, false},
      {"ResourceRecords[].Value", "ResourceRecords", NORM_NONE, false},
      {"AliasTarget.DNSName", "AliasTarget.DNSName", NORM_DOT, false},
      {"AliasTarget.HostedZoneId", "AliasTarget.HostedZoneId", NORM_NONE, false}}},
    {"AWS::CertificateManager::Certificate", "acm", "DescribeCertificate", "CertificateArn", false,
     {"@arn"}, {NULL}, "Certificate", NULL, NULL, NULL, NULL, NULL,
     {{"DomainName", "DomainName", NORM_NONE, false}}},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "elbv2", "DescribeTargetGroups",
     "TargetGroupArns", true, {"@arn"}, {NULL}, "TargetGroups[0]", NULL, NULL, NULL, NULL,
     NULL,
     {{"Protocol", "Protocol", NORM_NONE, false},
      {"Port", "Port", NORM_NONE, false},
      {"VpcId", "VpcId", NORM_NONE, false},
      {"TargetType", "TargetType", NORM_NONE, false},
      {"HealthCheckPath", "HealthCheckPath", NORM_NONE, false},
      {"HealthCheckProtocol", "HealthCheckProtocol", NORM_NONE, false},
      {"HealthCheckIntervalSeconds", "HealthCheckIntervalSeconds", NORM_NONE, false},
      {"HealthyThresholdCount", "HealthyThresholdCount", NORM_NONE, false},
      {"UnhealthyThresholdCount", "UnhealthyThresholdCount", NORM_NONE, false},
      {"Matcher.HttpCode", "Matcher.HttpCode", NORM_NONE, false}}},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "elbv2", "DescribeLoadBalancers",
     "LoadBalancerArns", true, {"@arn"}, {NULL}, "LoadBalancers[0]", NULL, NULL, NULL, NULL,
     NULL,
     {{"Scheme", "Scheme", NORM_NONE, false},
      {"Type", "Type", NORM_NONE, false},
      {"SecurityGroups", "SecurityGroups", NORM_NONE, false},
      {"AvailabilityZones[].SubnetId", "Subnets", NORM_NONE, false}}},
    {"AWS::ElasticLoadBalancingV2::Listener", "elbv2", "DescribeListeners", "ListenerArns", true,
     {"@arn"}, {NULL}, "Listeners[0]", NULL, NULL, NULL, NULL, NULL,
     {{"LoadBalancerArn", "LoadBalancerArn", NORM_NONE, false},
      {"Port", "Port", NORM_NONE, false},
      {"Protocol", "Protocol", NORM_NONE, false},
      {"SslPolicy", "SslPolicy", NORM_NONE, false},
      {"Certificates[].CertificateArn", "Certificates[].CertificateArn", NORM_NONE, false}}},
};
/* clang-format on */

/* Standalone rules are read with their group (standalone_rule). */
static const char *const rule_types[] = {"AWS::EC2::SecurityGroupIngress",
                                         "AWS::EC2::SecurityGroupEgress"};

bool awsread_calls(const char *type, void (*f)(const char *service, const char *op, void *ctx),
                   void *ctx) {
  bool any = false;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    if (!strcmp(rows[i].type, type)) {
      if (f) f(rows[i].service, rows[i].op, ctx);
      any = true;
    }
  for (size_t i = 0; i < sizeof rule_types / sizeof rule_types[0]; i++)
    if (!strcmp(rule_types[i], type)) {
      if (f) f("ec2", "DescribeSecurityGroups", ctx);
      any = true;
    }
  return any;
}

bool awsread_native(const char *type) { return awsread_calls(type, NULL, NULL); }

/* ---- values ---- */

const char *awsread_scalar(const cJSON *v, char buf[64]) {
  if (cJSON_IsString(v)) return v->valuestring;
  if (cJSON_IsNumber(v)) {
    snprintf(buf, 64, "%.17g", v->valuedouble);
    return buf;
  }
  if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? "true" : "false";
  return NULL;
}

static bool empty(const cJSON *v) {
  return !v || ((cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child);
}

/* Alike as AWS means them: scalars as text, objects by key, lists as
   multisets (AWS keeps the order of none of the lists read); absent and
   empty alike. */
static bool alike(const cJSON *a, const cJSON *b) {
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  char ba[64], bb[64];
  const char *ta = awsread_scalar(a, ba), *tb = awsread_scalar(b, bb);
  if (ta || tb) return ta && tb && !strcmp(ta, tb);
  if (cJSON_IsObject(a) != cJSON_IsObject(b) || cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
    return false;
  if (cJSON_IsObject(a)) {
    for (const cJSON *x = a->child; x; x = x->next)
      if (!alike(x, cJSON_GetObjectItemCaseSensitive(b, x->string))) return false;
    return true;
  }
  int n = cJSON_GetArraySize(b), i;
  bool *used = calloc((size_t)n + 1, 1), eq = true;
  for (const cJSON *x = a->child; x && eq; x = x->next) {
    const cJSON *y = b->child;
    for (i = 0; y && (used[i] || !alike(x, y)); y = y->next)
      i++;
    if ((eq = y != NULL)) used[i] = true;
  }
  free(used);
  return eq;
}

/* "A.B[0].C", "A[].B" (each item's B) of v, copied; NULL when absent. */
static cJSON *at(const cJSON *v, const char *path) {
  if (!v) return NULL;
  if (!*path) return cJSON_Duplicate(v, true);
  size_t n = strcspn(path, ".[");
  const cJSON *x = v;
  if (n) {
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)n, path);
    x = cJSON_GetObjectItemCaseSensitive(v, key);
  }
  const char *rest = path + n;
  if (rest[0] == '[' && rest[1] == ']') {
    rest += 2 + (rest[2] == '.');
    if (!cJSON_IsArray(x)) return NULL;
    cJSON *out = cJSON_CreateArray();
    for (const cJSON *it = x->child; it; it = it->next) {
      cJSON *y = at(it, rest);
      if (y) cJSON_AddItemToArray(out, y);
    }
    return out;
  }
  if (rest[0] == '[') {
    x = cJSON_GetArrayItem(x, atoi(rest + 1));
    rest = strchr(rest, ']');
    rest = rest ? rest + 1 : "";
  }
  return at(x, rest + (rest[0] == '.'));
}

/* Puts v at "A.B" (or "A[].B": a list of one-member objects) of o. */
static void put_at(cJSON *o, const char *path, cJSON *v) {
  size_t n = strcspn(path, ".[");
  char key[128];
  snprintf(key, sizeof key, "%.*s", (int)n, path);
  if (!path[n]) {
    cJSON_DeleteItemFromObjectCaseSensitive(o, key);
    if (v) cJSON_AddItemToObject(o, key, v);
    return;
  }
  if (path[n] == '[') { /* A[].B */
    cJSON *list = cJSON_CreateArray();
    for (cJSON *it = v ? v->child : NULL; it; it = it->next) {
      cJSON *item = cJSON_CreateObject();
      put_at(item, path + n + 3, cJSON_Duplicate(it, true));
      cJSON_AddItemToArray(list, item);
    }
    cJSON_Delete(v);
    put_at(o, key, list);
    return;
  }
  cJSON *inner = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!cJSON_IsObject(inner)) {
    cJSON_DeleteItemFromObjectCaseSensitive(o, key);
    inner = cJSON_AddObjectToObject(o, key);
  }
  put_at(inner, path + n + 1, v);
}

/* ---- the recorded values, resolved ---- */

typedef struct {
  const cJSON *tmpl, *entries; /* the state's template and resources */
  const char *stack, *region;
  bool fill; /* awsread_fill: every mapped field, recorded or not */
} Ctx;

static const cJSON *captures_of(const Ctx *cx, const char *logical) {
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cx->entries, logical),
                                          "captures");
}

static const cJSON *res_of(const Ctx *cx, const char *logical) {
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cx->tmpl, "Resources"),
                                          logical);
}

static const char *type_of(const cJSON *res) {
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(res, "Type");
  return cJSON_IsString(t) ? t->valuestring : "";
}

static cJSON *resolve(const Ctx *cx, const cJSON *v);
static char *log_group_name(const Ctx *cx, const char *logical);

/* What Ref NAME stands for, or NULL when unknown here (a secret, the
   account). */
static cJSON *resolve_ref(const Ctx *cx, const char *name) {
  if (!strcmp(name, "AWS::Region")) return cJSON_CreateString(cx->region);
  if (!strcmp(name, "AWS::StackName")) return cJSON_CreateString(cx->stack);
  if (!strcmp(name, "AWS::Partition"))
    return cJSON_CreateString(!strncmp(cx->region, "cn-", 3)       ? "aws-cn"
                              : !strncmp(cx->region, "us-gov-", 7) ? "aws-us-gov"
                                                                   : "aws");
  if (!strcmp(name, "AWS::URLSuffix"))
    return cJSON_CreateString(!strncmp(cx->region, "cn-", 3) ? "amazonaws.com.cn"
                                                             : "amazonaws.com");
  const cJSON *prm = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cx->tmpl, "Parameters"), name);
  if (prm) {
    const cJSON *ne = cJSON_GetObjectItemCaseSensitive(prm, "NoEcho");
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(prm, "Default");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(prm, "Type");
    bool ssm = cJSON_IsString(type) && strstr(type->valuestring, "SSM::Parameter::Value");
    /* a secret is never compared; an SSM parameter's value was read when applied */
    return def && !cJSON_IsTrue(ne) && !ssm ? cJSON_Duplicate(def, true) : NULL;
  }
  const cJSON *res = res_of(cx, name);
  if (!res) return NULL;
  if (!strcmp(type_of(res), "AWS::Logs::LogGroup")) {
    char *n = log_group_name(cx, name);
    cJSON *o = n ? cJSON_CreateString(n) : NULL;
    free(n);
    return o;
  }
  const cJSON *c =
      cJSON_GetObjectItemCaseSensitive(captures_of(cx, name), apiplan_ref_capture(type_of(res)));
  return c ? cJSON_Duplicate(c, true) : NULL;
}

static cJSON *resolve_getatt(const Ctx *cx, const char *logical, const char *attr) {
  char *cap = apiplan_attr_capture(attr);
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(captures_of(cx, logical), cap);
  free(cap);
  return c ? cJSON_Duplicate(c, true) : NULL;
}

/* An interpolated string (cfn_parts.h): its text, and what its references hold. */
static cJSON *resolve_parts(const Ctx *cx, const cJSON *items) {
  Buf out = {0};
  buf_add(&out, "", 0);
  Part part;
  for (const cJSON *x = items; x; x = x->next) {
    cfn_part(x, &part);
    if (part.k == PART_TEXT) {
      buf_puts(&out, part.s);
      continue;
    }
    cJSON *v = part.k == PART_GETATT ? resolve_getatt(cx, part.s, part.attr)
               : part.k == PART_REF  ? resolve_ref(cx, part.s)
                                     : NULL;
    char buf[64];
    const char *t = awsread_scalar(v, buf);
    if (t)
      buf_puts(&out, t);
    cJSON_Delete(v);
    if (!t) {
      buf_free(&out);
      return NULL;
    }
  }
  cJSON *v = cJSON_CreateString(out.s);
  buf_free(&out);
  return v;
}

/* A recorded value as AWS would show it, or NULL when a part of it is not
   known without AWS (it is then not compared). */
static cJSON *resolve(const Ctx *cx, const cJSON *v) {
  if (cJSON_IsObject(v) && v->child && !v->child->next && !strcmp(v->child->string, PARTS_KEY) &&
      cJSON_IsArray(v->child))
    return resolve_parts(cx, v->child->child);
  if (cJSON_IsObject(v) && v->child && !v->child->next && !strncmp(v->child->string, "Fn::", 4)) {
    const cJSON *f = v->child;
    if (!strcmp(f->string, "Fn::GetAtt") && cJSON_GetArraySize(f) == 2 &&
        cJSON_IsString(f->child) && cJSON_IsString(f->child->next))
      return resolve_getatt(cx, f->child->valuestring, f->child->next->valuestring);
    if (!strcmp(f->string, "Fn::Base64")) { /* compared as text: NORM_BASE64 */
      cJSON *text = resolve(cx, f);
      cJSON *o = text ? cJSON_CreateObject() : NULL;
      if (o) cJSON_AddItemToObject(o, "Fn::Base64", text);
      return o;
    }
    if (!strcmp(f->string, "Fn::Join") && cJSON_GetArraySize(f) == 2 && cJSON_IsString(f->child)) {
      cJSON *items = resolve(cx, f->child->next);
      size_t cap = 256, len = 0;
      char *out = calloc(1, cap);
      bool ok = cJSON_IsArray(items);
      for (const cJSON *it = ok ? items->child : NULL; it && ok; it = it->next) {
        char buf[64];
        const char *t = awsread_scalar(it, buf);
        ok = t != NULL;
        size_t need = len + (t ? strlen(t) : 0) + strlen(f->child->valuestring) + 1;
        while (ok && need > cap)
          out = realloc(out, cap *= 2);
        if (ok)
          len += (size_t)sprintf(out + len, "%s%s", it == items->child ? "" : f->child->valuestring,
                                 t);
      }
      cJSON *o = ok ? cJSON_CreateString(out) : NULL;
      free(out);
      cJSON_Delete(items);
      return o;
    }
    return NULL;
  }
  if (cJSON_IsObject(v) && v->child && !v->child->next && !strcmp(v->child->string, "Ref") &&
      cJSON_IsString(v->child))
    return resolve_ref(cx, v->child->valuestring);
  if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
    cJSON *o = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
    for (const cJSON *c = v->child; c; c = c->next) {
      cJSON *r = resolve(cx, c);
      if (!r) {
        cJSON_Delete(o);
        return NULL;
      }
      if (cJSON_IsObject(v))
        cJSON_AddItemToObject(o, c->string, r);
      else
        cJSON_AddItemToArray(o, r);
    }
    return o;
  }
  return cJSON_Duplicate(v, true);
}

static const char *entry_name(const Ctx *cx, const char *logical) {
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(cx->entries, logical), "resource");
  return cJSON_IsString(n) ? n->valuestring : logical;
}

/* The identifier per one of a row's id sources, or NULL. */
static char *id_from(const Ctx *cx, const char *logical, const char *src) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(res_of(cx, logical), "Properties");
  char buf[64], *s = NULL;
  if (src[0] == '@') {
    const char *t =
        awsread_scalar(cJSON_GetObjectItemCaseSensitive(captures_of(cx, logical), src + 1), buf);
    return t ? strdup(t) : NULL;
  }
  if (src[0] == '/') {
    if (asprintf(&s, src, cx->stack, entry_name(cx, logical)) < 0) abort();
    return s;
  }
  if (src[0] == '=') return strdup(src + 1); /* a constant */
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(props, src);
  cJSON *v = p ? resolve(cx, p) : NULL;
  const char *t = awsread_scalar(v, buf);
  s = t ? strdup(t) : NULL;
  cJSON_Delete(v);
  return s;
}

static char *row_id(const Ctx *cx, const ReadRow *row, const char *logical) {
  char *id = NULL;
  for (int i = 0; i < 3 && row->id[i] && !id; i++)
    id = id_from(cx, logical, row->id[i]);
  return id;
}

static char *log_group_name(const Ctx *cx, const char *logical) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(res_of(cx, logical), "Properties");
  if (cJSON_GetObjectItemCaseSensitive(props, "LogGroupName"))
    return id_from(cx, logical, "LogGroupName");
  return id_from(cx, logical, "/infrac/%s/%s");
}

/* ---- normalising what AWS says ---- */

static void rule_add(cJSON *rules, const cJSON *perm, const char *key, const char *value,
                     const cJSON *desc) {
  cJSON *r = cJSON_CreateObject();
  const cJSON *proto = cJSON_GetObjectItemCaseSensitive(perm, "IpProtocol");
  cJSON_AddItemToObject(r, "IpProtocol", cJSON_Duplicate(proto, true));
  if (cJSON_IsString(proto) && strcmp(proto->valuestring, "-1"))
    for (const char *const *k = (const char *const[]){"FromPort", "ToPort", NULL}; *k; k++) {
      const cJSON *port = cJSON_GetObjectItemCaseSensitive(perm, *k);
      if (port) cJSON_AddItemToObject(r, *k, cJSON_Duplicate(port, true));
    }
  cJSON_AddStringToObject(r, key, value);
  if (cJSON_IsString(desc) && *desc->valuestring)
    cJSON_AddItemToObject(r, "Description", cJSON_Duplicate(desc, true));
  cJSON_AddItemToArray(rules, r);
}

/* IpPermissions as the template writes rules: one per address range or
   group. */
static cJSON *rules_of(const cJSON *perms, bool egress) {
  static const struct {
    const char *list, *field, *key_in, *key_out;
  } sources[] = {
      {"IpRanges", "CidrIp", "CidrIp", "CidrIp"},
      {"Ipv6Ranges", "CidrIpv6", "CidrIpv6", "CidrIpv6"},
      {"UserIdGroupPairs", "GroupId", "SourceSecurityGroupId", "DestinationSecurityGroupId"},
      {"PrefixListIds", "PrefixListId", "SourcePrefixListId", "DestinationPrefixListId"},
  };
  cJSON *rules = cJSON_CreateArray();
  for (const cJSON *p = perms ? perms->child : NULL; p; p = p->next)
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
      const cJSON *list = cJSON_GetObjectItemCaseSensitive(p, sources[i].list);
      for (const cJSON *x = list ? list->child : NULL; x; x = x->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, sources[i].field);
        if (cJSON_IsString(v))
          rule_add(rules, p, egress ? sources[i].key_out : sources[i].key_in, v->valuestring,
                   cJSON_GetObjectItemCaseSensitive(x, "Description"));
      }
    }
  return rules;
}

static void remove_alike(cJSON *list, const cJSON *item) {
  int i = 0;
  for (const cJSON *x = list->child; x; x = x->next, i++)
    if (alike(x, item)) {
      cJSON_DeleteItemFromArray(list, i);
      return;
    }
}

/* The rule of a standalone SecurityGroupIngress/Egress resource, resolved,
   and its group's ID; NULL when unknown. */
static cJSON *standalone_rule(const Ctx *cx, const cJSON *res, char **group) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(res, "Properties");
  cJSON *r = resolve(cx, props);
  const cJSON *g = cJSON_GetObjectItemCaseSensitive(r, "GroupId");
  *group = cJSON_IsString(g) ? strdup(g->valuestring) : NULL;
  if (!*group) {
    cJSON_Delete(r);
    return NULL;
  }
  cJSON_DeleteItemFromObjectCaseSensitive(r, "GroupId");
  const cJSON *proto = cJSON_GetObjectItemCaseSensitive(r, "IpProtocol");
  if (cJSON_IsString(proto) && !strcmp(proto->valuestring, "-1")) {
    cJSON_DeleteItemFromObjectCaseSensitive(r, "FromPort");
    cJSON_DeleteItemFromObjectCaseSensitive(r, "ToPort");
  }
  return r;
}

static bool is_default_egress(const cJSON *r) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "IpProtocol");
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "CidrIp");
  return cJSON_GetArraySize(r) == 2 && cJSON_IsString(p) && !strcmp(p->valuestring, "-1") &&
         cJSON_IsString(c) && !strcmp(c->valuestring, "0.0.0.0/0");
}

/* The group's rules that are its own: not those of the state's standalone
   rule resources, nor (when the template does not say it) the default
   egress rule. */
static cJSON *group_rules(const Ctx *cx, const cJSON *perms, const char *group, bool egress,
                          bool recorded) {
  cJSON *rules = rules_of(perms, egress);
  const char *own = egress ? "AWS::EC2::SecurityGroupEgress" : "AWS::EC2::SecurityGroupIngress";
  const cJSON *all = cJSON_GetObjectItemCaseSensitive(cx->tmpl, "Resources");
  for (const cJSON *r = all ? all->child : NULL; r; r = r->next) {
    if (strcmp(type_of(r), own)) continue;
    char *g = NULL;
    cJSON *rule = standalone_rule(cx, r, &g);
    if (rule && !strcmp(g, group)) remove_alike(rules, rule);
    cJSON_Delete(rule);
    free(g);
  }
  if (egress && !recorded) {
    int i = 0;
    for (const cJSON *x = rules->child; x; x = x->next, i++)
      if (is_default_egress(x)) {
        cJSON_DeleteItemFromArray(rules, i);
        break;
      }
  }
  return rules;
}

/* Tags that are not the source's: AWS's own (aws:*), and those apply puts
   on everything it creates to find it again (infrac:stack, infrac:resource,
   backends/resume.c): neither is drift. */
static const char *const owned_tag_prefixes[] = {"aws:", "infrac:"};

static bool owned_tag(const char *key) {
  for (size_t i = 0; i < sizeof owned_tag_prefixes / sizeof *owned_tag_prefixes; i++)
    if (!strncmp(key, owned_tag_prefixes[i], strlen(owned_tag_prefixes[i])))
      return true;
  return false;
}

/* Base64 text decoded, or NULL when it is not base64 or not text. */
static char *unbase64(const char *s) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *out = malloc(strlen(s) / 4 * 3 + 4), *w = out;
  unsigned bits = 0;
  int n = 0;
  for (const char *p = s; *p && *p != '='; p++) {
    const char *d = *p ? strchr(digits, *p) : NULL;
    if (!d) {
      free(out);
      return NULL;
    }
    bits = bits << 6 | (unsigned)(d - digits);
    if ((n += 6) >= 8) *w++ = (char)(bits >> (n -= 8) & 0xFF);
  }
  *w = '\0';
  if (memchr(out, '\0', (size_t)(w - out))) { /* not text */
    free(out);
    return NULL;
  }
  return out;
}

static cJSON *normalise(const Ctx *cx, Norm norm, cJSON *v, const cJSON *resolved, const char *id) {
  switch (norm) {
  case NORM_BASE64: {
    char *text = cJSON_IsString(v) ? unbase64(v->valuestring) : NULL;
    if (!text) return v;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Fn::Base64", text);
    free(text);
    cJSON_Delete(v);
    return o;
  }
  case NORM_TAGS: {
    cJSON *tags = cJSON_CreateArray();
    for (const cJSON *t = v ? v->child : NULL; t; t = t->next) {
      const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "Key");
      if (cJSON_IsString(k) && !owned_tag(k->valuestring))
        cJSON_AddItemToArray(tags, cJSON_Duplicate(t, true));
    }
    cJSON_Delete(v);
    return tags;
  }
  case NORM_INGRESS:
  case NORM_EGRESS: {
    cJSON *rules = group_rules(cx, v, id, norm == NORM_EGRESS, resolved != NULL);
    cJSON_Delete(v);
    return rules;
  }
  case NORM_DOT:
    if (cJSON_IsString(v) && *v->valuestring && v->valuestring[strlen(v->valuestring) - 1] == '.')
      v->valuestring[strlen(v->valuestring) - 1] = '\0';
    return v;
  case NORM_VERSION: {
    char buf[64];
    const char *want = awsread_scalar(resolved, buf);
    size_t n = want ? strlen(want) : 0;
    if (cJSON_IsString(v) && want && !strncmp(v->valuestring, want, n) &&
        v->valuestring[n] == '.') {
      cJSON_Delete(v);
      return cJSON_Duplicate(resolved, true);
    }
    return v;
  }
  case NORM_NONE: break;
  }
  return v;
}

/* The live value in the template's terms: each part alike the recorded
   one's resolved value is the recorded part (its Ref, its GetAtt); each
   list item alike a recorded item is that item. */
static cJSON *in_template_terms(const cJSON *live, const cJSON *recorded, const cJSON *resolved) {
  if (recorded && resolved && alike(live, resolved)) return cJSON_Duplicate(recorded, true);
  if (cJSON_IsObject(live) && cJSON_IsObject(recorded) && cJSON_IsObject(resolved)) {
    cJSON *o = cJSON_CreateObject();
    for (const cJSON *c = live->child; c; c = c->next)
      cJSON_AddItemToObject(
          o, c->string,
          in_template_terms(c, cJSON_GetObjectItemCaseSensitive(recorded, c->string),
                            cJSON_GetObjectItemCaseSensitive(resolved, c->string)));
    return o;
  }
  if (cJSON_IsArray(live) && cJSON_IsArray(recorded) && cJSON_IsArray(resolved) &&
      cJSON_GetArraySize(recorded) == cJSON_GetArraySize(resolved)) {
    int n = cJSON_GetArraySize(resolved);
    bool *used = calloc((size_t)n + 1, 1);
    cJSON *a = cJSON_CreateArray();
    for (const cJSON *x = live->child; x; x = x->next) {
      int i = 0;
      const cJSON *r = resolved->child, *rec = recorded->child;
      for (; r && (used[i] || !alike(x, r)); r = r->next, rec = rec->next)
        i++;
      if (r) used[i] = true;
      cJSON_AddItemToArray(a, cJSON_Duplicate(r ? rec : x, true));
    }
    free(used);
    return a;
  }
  return cJSON_Duplicate(live, true);
}

/* ---- reading ---- */

/* READ_UNREAD: Cloud Control could not read it (a type it does not serve):
   taken as recorded, with a warning; READ_NO_ID: the state records nothing
   to read it by: taken as recorded. */
typedef enum { READ_LIVE, READ_GONE, READ_FAILED, READ_UNREAD, READ_NO_ID } ReadResult;

static bool not_found(const char *err) {
  return err &&
         (strstr(err, "NotFound") || strstr(err, "(NoSuch") || strstr(err, "does not exist"));
}

static cJSON *id_param(const ReadRow *row, const char *id) {
  cJSON *params = cJSON_CreateObject();
  if (row->list)
    cJSON_AddItemToArray(cJSON_AddArrayToObject(params, row->param), cJSON_CreateString(id));
  else
    cJSON_AddStringToObject(params, row->param, id);
  return params;
}

/* Keys alike but for a DNS name's final dot ("api.example.com." is the
   record "api.example.com"). */
static bool same_name(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  na -= na && a[na - 1] == '.';
  nb -= nb && b[nb - 1] == '.';
  return na == nb && !strncmp(a, b, na);
}

/* The resource in a row's response, or NULL when the response says it is
   not there. */
static const cJSON *find(const Ctx *cx, const ReadRow *row, const cJSON *out, const char *logical,
                         const char *id, cJSON **own) {
  *own = at(out, row->object ? row->object : "");
  const cJSON *obj = *own;
  if (obj && row->select) {
    char *want = !strcmp(row->key_from, "=id") ? strdup(id) : id_from(cx, logical, row->key_from);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, row->select), *hit = NULL;
    for (const cJSON *it = list ? list->child : NULL; it && want && !hit; it = it->next) {
      const cJSON *k = cJSON_GetObjectItemCaseSensitive(it, row->key);
      if (cJSON_IsString(k) && same_name(k->valuestring, want)) hit = it;
    }
    free(want);
    obj = hit;
  }
  if (obj && row->gone_field) {
    cJSON *st = at(obj, row->gone_field);
    bool gone =
        row->gone_value ? cJSON_IsString(st) && !strcmp(st->valuestring, row->gone_value) : !st;
    cJSON_Delete(st);
    if (gone) obj = NULL;
  }
  return obj;
}

/* Writes into props (a copy of the recorded ones) each mapped property
   whose live value differs. */
static void apply_fields(const Ctx *cx, const ReadRow *row, const cJSON *obj, cJSON *props,
                         const char *id) {
  for (int i = 0; i < (int)(sizeof row->fields / sizeof row->fields[0]) && row->fields[i].from;
       i++) {
    const ReadField *f = &row->fields[i];
    char top[128];
    snprintf(top, sizeof top, "%.*s", (int)strcspn(f->prop, ".["), f->prop);
    bool done = false; /* a property of several fields is done by its first */
    for (int j = 0; j < i; j++)
      done |= !strncmp(row->fields[j].prop, top, strlen(top)) &&
              strchr(".[", row->fields[j].prop[strlen(top)]);
    if (done) continue;
    const cJSON *recorded = cJSON_GetObjectItemCaseSensitive(props, top);
    if (!recorded && !f->compare_absent && !cx->fill) continue;
    cJSON *resolved = recorded ? resolve(cx, recorded) : NULL;
    if (recorded && !resolved) continue; /* a value known only to AWS: not compared */
    /* the live property: the resolved one with each mapped field as AWS has it */
    cJSON *live = cJSON_CreateObject();
    if (resolved) cJSON_AddItemToObject(live, top, cJSON_Duplicate(resolved, true));
    for (int j = i; j < (int)(sizeof row->fields / sizeof row->fields[0]) && row->fields[j].from;
         j++) {
      const ReadField *g = &row->fields[j];
      if (strncmp(g->prop, top, strlen(top)) || !strchr(".[", g->prop[strlen(top)])) continue;
      cJSON *v = at(obj, g->from);
      const cJSON *rsub = !strcmp(g->prop, top) ? resolved : NULL;
      put_at(live, g->prop, normalise(cx, g->norm, v, rsub, id));
    }
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(live, top);
    if (!alike(lv, resolved)) {
      cJSON *now = empty(lv) ? NULL : in_template_terms(lv, recorded, resolved);
      cJSON_DeleteItemFromObjectCaseSensitive(props, top); /* recorded with it */
      if (now) cJSON_AddItemToObject(props, top, now);
    }
    cJSON_Delete(live);
    cJSON_Delete(resolved);
  }
}

/* A standalone rule is there while its group has it. */
static ReadResult read_rule(AwsClient *c, const Ctx *cx, const cJSON *res, char **err) {
  char *group = NULL;
  cJSON *rule = standalone_rule(cx, res, &group), *out = NULL;
  bool egress = !strcmp(type_of(res), "AWS::EC2::SecurityGroupEgress");
  if (!rule) {
    free(group);
    return READ_LIVE; /* not known without AWS: taken as recorded */
  }
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToArray(cJSON_AddArrayToObject(params, "GroupIds"), cJSON_CreateString(group));
  int rc = aws_call_op(c, "ec2", "DescribeSecurityGroups", params, &out, err);
  cJSON_Delete(params);
  ReadResult r = READ_GONE;
  if (rc) {
    r = not_found(*err) ? READ_GONE : READ_FAILED;
  } else {
    cJSON *rules =
        rules_of(cJSON_GetObjectItemCaseSensitive(
                     cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(out, "SecurityGroups"), 0),
                     egress ? "IpPermissionsEgress" : "IpPermissions"),
                 egress);
    for (const cJSON *x = rules->child; x && r == READ_GONE; x = x->next)
      if (alike(x, rule)) r = READ_LIVE;
    cJSON_Delete(rules);
  }
  if (r != READ_FAILED) {
    free(*err);
    *err = NULL;
  }
  cJSON_Delete(out);
  cJSON_Delete(rule);
  free(group);
  return r;
}

/* Cloud Control: the properties of the resource of the identifier the
   state records, as the template writes them. */
static ReadResult read_cloudcontrol(AwsClient *c, const Ctx *cx, const char *logical,
                                    const cJSON *res, cJSON *props, char **err) {
  const cJSON *caps = captures_of(cx, logical);
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(caps, "id");
  if (!cJSON_IsString(id))
    id = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cx->entries, logical),
                                          "physical_id");
  if (!cJSON_IsString(id)) return READ_NO_ID;
  cJSON *params = cJSON_CreateObject(), *out = NULL;
  cJSON_AddStringToObject(params, "TypeName", type_of(res));
  cJSON_AddStringToObject(params, "Identifier", id->valuestring);
  int rc = aws_call_op(c, "cloudcontrol", "GetResource", params, &out, err);
  cJSON_Delete(params);
  if (rc) {
    if (!not_found(*err)) return READ_UNREAD;
    free(*err);
    *err = NULL;
    return READ_GONE;
  }
  cJSON *text = at(out, "ResourceDescription.Properties");
  char jerr[256];
  cJSON *live = cJSON_IsString(text)
                    ? json_read(text->valuestring, strlen(text->valuestring), 64, jerr, sizeof jerr)
                    : NULL;
  /* the recorded properties only: the others are defaults AWS filled in */
  for (cJSON *p = props->child, *next; p; p = next) {
    next = p->next;
    cJSON *resolved = resolve(cx, p);
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(live, p->string);
    if (resolved && !alike(lv, resolved)) {
      cJSON *put = lv ? in_template_terms(lv, p, resolved) : NULL;
      const char *key = p->string;
      if (put)
        cJSON_ReplaceItemInObjectCaseSensitive(props, key, put);
      else
        cJSON_DeleteItemFromObjectCaseSensitive(props, key);
    }
    cJSON_Delete(resolved);
  }
  cJSON_Delete(live);
  cJSON_Delete(text);
  cJSON_Delete(out);
  return READ_LIVE;
}

static ReadResult read_row(AwsClient *c, const Ctx *cx, const ReadRow *row, const char *logical,
                           cJSON *props, char **err);

static ReadResult read_one(AwsClient *c, const Ctx *cx, const char *logical, const cJSON *res,
                           cJSON *props, char **err) {
  const char *type = type_of(res);
  if (!strcmp(type, "AWS::EC2::SecurityGroupIngress") ||
      !strcmp(type, "AWS::EC2::SecurityGroupEgress"))
    return read_rule(c, cx, res, err);
  const ReadRow *row = NULL;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0] && !row; i++)
    if (!strcmp(rows[i].type, type)) row = &rows[i];
  if (!row) return read_cloudcontrol(c, cx, logical, res, props, err);
  ReadResult r = read_row(c, cx, row, logical, props, err);
  /* the type's next rows read more of it: the first said whether it is there */
  for (const ReadRow *more = row + 1;
       r == READ_LIVE && more < rows + sizeof rows / sizeof rows[0] && !strcmp(more->type, type);
       more++) {
    ReadResult m = read_row(c, cx, more, logical, props, err);
    if (m == READ_FAILED) return m;
  }
  return r;
}

/* One row's call, and what it says of the resource. */
static ReadResult read_row(AwsClient *c, const Ctx *cx, const ReadRow *row, const char *logical,
                           cJSON *props, char **err) {
  char *id = row_id(cx, row, logical);
  if (!id) return READ_NO_ID;
  cJSON *params = id_param(row, id), *out = NULL;
  for (int i = 0; i < 4 && row->more[i]; i += 2) {
    char *v = id_from(cx, logical, row->more[i + 1]);
    if (v) cJSON_AddStringToObject(params, row->more[i], v);
    free(v);
  }
  int rc = aws_call_op(c, row->service, row->op, params, &out, err);
  cJSON_Delete(params);
  ReadResult r = READ_LIVE;
  if (rc) {
    r = not_found(*err) ? READ_GONE : READ_FAILED;
    if (r == READ_GONE) {
      free(*err);
      *err = NULL;
    }
  } else {
    cJSON *own = NULL;
    const cJSON *obj = find(cx, row, out, logical, id, &own);
    if (obj)
      apply_fields(cx, row, obj, props, id);
    else
      r = READ_GONE;
    cJSON_Delete(own);
  }
  cJSON_Delete(out);
  free(id);
  return r;
}

/* The reads of awsread_live, one job per resource: each writes only its
   own resource's properties, its result and its error. */
typedef struct {
  const Ctx *cx;
  cJSON **res;           /* the live copy's resources, in order */
  const cJSON **recorded; /* the state's */
  ReadResult *rr;
  char **errs;
} LiveReads;

static void live_read(AwsPool *p, AwsClient *c, int i) {
  LiveReads *lr = aws_pool_ctx(p);
  cJSON *props = cJSON_GetObjectItemCaseSensitive(lr->res[i], "Properties");
  cJSON *scratch = props ? NULL : cJSON_CreateObject();
  lr->rr[i] = read_one(c, lr->cx, lr->res[i]->string, lr->recorded[i], props ? props : scratch, &lr->errs[i]);
  cJSON_Delete(scratch);
}

cJSON *awsread_live(AwsClient *c, const cJSON *state, ReadCounts *counts, char **err) {
  Ctx cx = {cJSON_GetObjectItemCaseSensitive(state, "template"),
            cJSON_GetObjectItemCaseSensitive(state, "resources"),
            cJSON_GetObjectItemCaseSensitive(state, "stack")->valuestring,
            cJSON_GetObjectItemCaseSensitive(state, "region")->valuestring, false};
  cJSON *live = cJSON_Duplicate(cx.tmpl, true);
  cJSON *all = cJSON_GetObjectItemCaseSensitive(live, "Resources");
  memset(counts, 0, sizeof *counts);
  *err = NULL;
  int n = cJSON_GetArraySize(all), i = 0;
  LiveReads lr = {&cx, calloc((size_t)n + 1, sizeof *lr.res), calloc((size_t)n + 1, sizeof *lr.recorded),
                  calloc((size_t)n + 1, sizeof *lr.rr), calloc((size_t)n + 1, sizeof *lr.errs)};
  for (cJSON *r = all ? all->child : NULL; r; r = r->next, i++) {
    lr.res[i] = r;
    lr.recorded[i] = res_of(&cx, r->string);
  }
  free(aws_pool_run(c, n, live_read, &lr)); /* the jobs report in errs */
  /* in the template's order, as one after the other would */
  for (i = 0; i < n && !*err; i++) {
    cJSON *r = lr.res[i];
    const cJSON *recorded = lr.recorded[i];
    ReadResult rr = lr.rr[i];
    if (rr == READ_FAILED) {
      if (asprintf(err, "reading %s (%s): %s", r->string, type_of(recorded), lr.errs[i]) < 0) abort();
      break;
    }
    if (rr == READ_UNREAD) {
      char *why = term_escaped(lr.errs[i], 0);
      fprintf(stderr,
              "infrac: warning: %s (%s) cannot be read through Cloud Control: taken as "
              "the state records it (%s)\n",
              r->string, type_of(recorded), why);
      free(why);
    }
    bool unread = rr == READ_UNREAD || rr == READ_NO_ID;
    counts->read += !unread;
    counts->cloudcontrol += !awsread_native(type_of(recorded)) && !unread;
    counts->unread += unread;
    if (rr == READ_GONE) {
      counts->gone++;
      cJSON_DeleteItemFromObjectCaseSensitive(all, r->string);
    }
  }
  for (i = 0; i < n; i++)
    free(lr.errs[i]);
  free(lr.res);
  free(lr.recorded);
  free(lr.rr);
  free(lr.errs);
  if (*err) {
    cJSON_Delete(live);
    return NULL;
  }
  return live;
}

bool awsread_fill(AwsClient *c, const cJSON *state, const char *logical, cJSON *props,
                  char **err) {
  Ctx cx = {cJSON_GetObjectItemCaseSensitive(state, "template"),
            cJSON_GetObjectItemCaseSensitive(state, "resources"),
            cJSON_GetObjectItemCaseSensitive(state, "stack")->valuestring,
            cJSON_GetObjectItemCaseSensitive(state, "region")->valuestring, true};
  *err = NULL;
  const cJSON *res = res_of(&cx, logical);
  ReadResult r = read_one(c, &cx, logical, res, props, err);
  if (r == READ_LIVE || r == READ_NO_ID || r == READ_UNREAD) {
    free(*err);
    *err = NULL;
    return true;
  }
  if (r == READ_GONE && asprintf(err, "%s (%s) went away while it was read", logical,
                                 type_of(res)) < 0)
    abort();
  return false;
}

cJSON *awsread_at(const cJSON *v, const char *path) { return at(v, path); }
