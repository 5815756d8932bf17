/* awsdiscover.c: what is deployed in a region, found, as a table. A row
   names a type's list call, its paging, EC2's filter for one VPC, the call
   that describes each item when the list gives identifiers only (ECS,
   ACM), the call made once per item of another type (a balancer's
   listeners, a zone's records, a cluster's services), what AWS made by
   itself, the captures apply records, and the properties the read does not
   give. A part row makes resources of a part of an item (a table's routes
   and associations, a gateway's attachment, an address's association).
   The scope is found through references: an item's ID, ARN or name in the
   JSON of another. Then each item is read as plan --refresh reads it
   (awsread_fill), in parallel, and the IDs in its properties become Ref and
   GetAtt of the items they name. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "cfn_parts.h"
#include "awsdiscover.h"
#include "awspool.h"
#include "awsread.h"

typedef enum {
  CONV_NONE,
  CONV_PASCAL, /* ECS's camelCase members as the template's PascalCase */
  CONV_POLICY, /* a policy document (URL-encoded JSON text in IAM's answers) as an object */
  CONV_LAST,   /* the part after the last '/': a profile's name from its ARN */
  CONV_DOT,    /* a DNS name without its final dot */
} Conv;

typedef struct {
  const char *from, *prop;
  Conv conv;
} FindProp;

typedef struct {
  const char *key, *from;
} FindCapture;

typedef struct {
  const char *type, *service, *op;
  const char *items;                /* the list in the response: "Vpcs", "Reservations[].Instances" */
  const char *token_in, *token_out; /* paging: the request's member, the response's */
  const char *vpc_filter;           /* EC2's filter for --vpc; else found by reference */
  const char *filter_list;          /* the request's list of filters, when not "Filters" */
  /* called once per item of per_type, with per_param its capture per_capture */
  const char *per_type, *per_param, *per_capture;
  bool follows;            /* in the scope with that item (a listener, a record) */
  const char *parent_prop; /* that capture as a property of this one */
  const char *parent_by;   /* or this capture of the item (a cluster's name, as the kinds write it) */
  /* the list gives identifiers (or summaries: detail_key): each is described */
  const char *detail_op, *detail_param, *detail_key, *detail_obj;
  bool detail_list;
  bool used_only;        /* only as what the others use: roles, task definitions */
  const char *name_from; /* "Tags": the Name tag; else a field */
  const char *name_also; /* a field whose value ends the name (a record's type) */
  bool name_relative;    /* the name less its parent's (a record's in its zone) */
  const char *default_field, *default_value; /* what AWS made itself ("NS|SOA": either) */
  bool spreads; /* what refers to a default one is default too (the default VPC) */
  const char *gone_field, *gone_value;
  const char *secret_prop; /* a password: a NoEcho parameter, never read */
  /* DeletionPolicy and UpdateReplacePolicy in the state: a database taken
     over is deleted with a final snapshot, as the database kind deletes one */
  const char *deletion_policy;
  /* a property AWS answers that the other excludes (an alias record's TTL, 0 in moto) */
  const char *excluded_by, *excluded;
  /* a property left out when it has another's value, the default AWS gave
     it (a health check's protocol is the target group's) */
  const char *defaulted, *default_of;
  FindCapture caps[4];
  FindProp props[4];
} FindRow;

#define EC2_PAGING .token_in = "NextToken", .token_out = "NextToken"
#define MARKER .token_in = "Marker", .token_out = "Marker"
#define NEXT_MARKER .token_in = "Marker", .token_out = "NextMarker"
#define NEXT_TOKEN .token_in = "nextToken", .token_out = "nextToken"

static const FindRow rows[] = {
    {.type = "AWS::EC2::VPC", .service = "ec2", .op = "DescribeVpcs", .items = "Vpcs", EC2_PAGING,
     .vpc_filter = "vpc-id", .name_from = "Tags", .default_field = "IsDefault",
     .default_value = "true", .spreads = true, .caps = {{"id", "VpcId"}}},
    {.type = "AWS::EC2::Subnet", .service = "ec2", .op = "DescribeSubnets", .items = "Subnets",
     EC2_PAGING, .vpc_filter = "vpc-id", .name_from = "Tags", .default_field = "DefaultForAz",
     .default_value = "true", .caps = {{"id", "SubnetId"}}},
    {.type = "AWS::EC2::InternetGateway", .service = "ec2", .op = "DescribeInternetGateways",
     .items = "InternetGateways", EC2_PAGING, .vpc_filter = "attachment.vpc-id",
     .name_from = "Tags", .caps = {{"id", "InternetGatewayId"}}},
    {.type = "AWS::EC2::NatGateway", .service = "ec2", .op = "DescribeNatGateways",
     .items = "NatGateways", EC2_PAGING, .vpc_filter = "vpc-id", .filter_list = "Filter",
     .name_from = "Tags",
     .gone_field = "State", .gone_value = "deleted|deleting|failed",
     .caps = {{"id", "NatGatewayId"}}},
    {.type = "AWS::EC2::RouteTable", .service = "ec2", .op = "DescribeRouteTables",
     .items = "RouteTables", EC2_PAGING, .vpc_filter = "vpc-id", .name_from = "Tags",
     .default_field = "Associations[].Main", .default_value = "true",
     .caps = {{"id", "RouteTableId"}}},
    {.type = "AWS::EC2::SecurityGroup", .service = "ec2", .op = "DescribeSecurityGroups",
     .items = "SecurityGroups", EC2_PAGING, .vpc_filter = "vpc-id", .name_from = "GroupName",
     .default_field = "GroupName", .default_value = "default", .caps = {{"id", "GroupId"}},
     .props = {{"GroupName", "GroupName", CONV_NONE}}},
    {.type = "AWS::EC2::Instance", .service = "ec2", .op = "DescribeInstances",
     .items = "Reservations[].Instances", EC2_PAGING, .vpc_filter = "vpc-id", .name_from = "Tags",
     .gone_field = "State.Name", .gone_value = "terminated|shutting-down",
     .caps = {{"id", "InstanceId"}, {"private_ip", "PrivateIpAddress"}},
     .props = {{"KeyName", "KeyName", CONV_NONE},
               {"IamInstanceProfile.Arn", "IamInstanceProfile", CONV_LAST}}},
    {.type = "AWS::EC2::EIP", .service = "ec2", .op = "DescribeAddresses", .items = "Addresses",
     .name_from = "Tags", .caps = {{"allocation_id", "AllocationId"}, {"address", "PublicIp"}}},
    {.type = "AWS::RDS::DBSubnetGroup", .service = "rds", .op = "DescribeDBSubnetGroups",
     .items = "DBSubnetGroups", MARKER, .name_from = "DBSubnetGroupName",
     .default_field = "DBSubnetGroupName", .default_value = "default",
     .caps = {{"name", "DBSubnetGroupName"}},
     .props = {{"DBSubnetGroupName", "DBSubnetGroupName", CONV_NONE}}},
    {.type = "AWS::RDS::DBInstance", .service = "rds", .op = "DescribeDBInstances",
     .items = "DBInstances", MARKER, .name_from = "DBInstanceIdentifier",
     .gone_field = "DBInstanceStatus", .gone_value = "deleting",
     .secret_prop = "MasterUserPassword", .deletion_policy = "Snapshot",
     .caps = {{"id", "DBInstanceIdentifier"},
              {"address", "Endpoint.Address"},
              {"port", "Endpoint.Port"}},
     .props = {{"DBInstanceIdentifier", "DBInstanceIdentifier", CONV_NONE}}},
    {.type = "AWS::Route53::HostedZone", .service = "route53", .op = "ListHostedZones",
     .items = "HostedZones", NEXT_MARKER, .name_from = "Name", .caps = {{"id", "Id"}}},
    {.type = "AWS::Route53::RecordSet", .service = "route53", .op = "ListResourceRecordSets",
     .items = "ResourceRecordSets", .per_type = "AWS::Route53::HostedZone",
     .per_param = "HostedZoneId", .per_capture = "id", .follows = true,
     .parent_prop = "HostedZoneId", .name_from = "Name", .name_also = "Type",
     .name_relative = true, .default_field = "Type", .default_value = "NS|SOA",
     .excluded_by = "AliasTarget", .excluded = "TTL",
     .props = {{"Name", "Name", CONV_DOT}, {"Type", "Type", CONV_NONE}}},
    {.type = "AWS::CertificateManager::Certificate", .service = "acm", .op = "ListCertificates",
     .items = "CertificateSummaryList", .token_in = "NextToken", .token_out = "NextToken",
     .detail_op = "DescribeCertificate", .detail_param = "CertificateArn",
     .detail_key = "CertificateArn", .detail_obj = "Certificate", .name_from = "DomainName",
     .caps = {{"arn", "CertificateArn"}},
     .props = {{"DomainValidationOptions[0].ValidationMethod", "ValidationMethod", CONV_NONE}}},
    {.type = "AWS::ElasticLoadBalancingV2::TargetGroup", .service = "elbv2",
     .op = "DescribeTargetGroups", .items = "TargetGroups", NEXT_MARKER,
     .name_from = "TargetGroupName", .defaulted = "HealthCheckProtocol", .default_of = "Protocol",
     .caps = {{"arn", "TargetGroupArn"}, {"name", "TargetGroupName"}},
     .props = {{"TargetGroupName", "Name", CONV_NONE}}},
    {.type = "AWS::ElasticLoadBalancingV2::LoadBalancer", .service = "elbv2",
     .op = "DescribeLoadBalancers", .items = "LoadBalancers", NEXT_MARKER,
     .name_from = "LoadBalancerName",
     .caps = {{"arn", "LoadBalancerArn"},
              {"dns_name", "DNSName"},
              {"zone_id", "CanonicalHostedZoneId"},
              {"name", "LoadBalancerName"}},
     .props = {{"LoadBalancerName", "Name", CONV_NONE}}},
    {.type = "AWS::ElasticLoadBalancingV2::Listener", .service = "elbv2",
     .op = "DescribeListeners", .items = "Listeners", NEXT_MARKER,
     .per_type = "AWS::ElasticLoadBalancingV2::LoadBalancer", .per_param = "LoadBalancerArn",
     .per_capture = "arn", .follows = true, .name_from = "Port",
     .caps = {{"arn", "ListenerArn"}}, .props = {{"DefaultActions", "DefaultActions", CONV_NONE}}},
    {.type = "AWS::ECR::Repository", .service = "ecr", .op = "DescribeRepositories",
     .items = "repositories", NEXT_TOKEN, .name_from = "repositoryName",
     .caps = {{"name", "repositoryName"}, {"uri", "repositoryUri"}, {"arn", "repositoryArn"}},
     .props = {{"repositoryName", "RepositoryName", CONV_NONE}}},
    {.type = "AWS::ECS::Cluster", .service = "ecs", .op = "ListClusters", .items = "clusterArns",
     NEXT_TOKEN, .detail_op = "DescribeClusters", .detail_param = "clusters",
     .detail_list = true, .detail_obj = "clusters[0]", .name_from = "clusterName",
     .gone_field = "status", .gone_value = "INACTIVE",
     .caps = {{"name", "clusterName"}, {"arn", "clusterArn"}}},
    {.type = "AWS::ECS::TaskDefinition", .service = "ecs", .op = "ListTaskDefinitions",
     .items = "taskDefinitionArns", NEXT_TOKEN, .detail_op = "DescribeTaskDefinition",
     .detail_param = "taskDefinition", .detail_obj = "taskDefinition", .used_only = true,
     .name_from = "family", .caps = {{"arn", "taskDefinitionArn"}},
     .props = {{"family", "Family", CONV_NONE},
               {"containerDefinitions", "ContainerDefinitions", CONV_PASCAL}}},
    {.type = "AWS::ECS::Service", .service = "ecs", .op = "ListServices", .items = "serviceArns",
     NEXT_TOKEN, .per_type = "AWS::ECS::Cluster", .per_param = "cluster", .per_capture = "arn",
     .parent_prop = "Cluster", .parent_by = "name", .detail_op = "DescribeServices", .detail_param = "services",
     .detail_list = true, .detail_obj = "services[0]", .name_from = "serviceName",
     .gone_field = "status", .gone_value = "INACTIVE",
     .caps = {{"arn", "serviceArn"}, {"name", "serviceName"}},
     .props = {{"serviceName", "ServiceName", CONV_NONE},
               {"loadBalancers", "LoadBalancers", CONV_PASCAL},
               {"networkConfiguration", "NetworkConfiguration", CONV_PASCAL}}},
    {.type = "AWS::Logs::LogGroup", .service = "logs", .op = "DescribeLogGroups",
     .items = "logGroups", NEXT_TOKEN, .name_from = "logGroupName",
     .caps = {{"name", "logGroupName"}, {"arn", "arn"}},
     .props = {{"logGroupName", "LogGroupName", CONV_NONE}}},
    {.type = "AWS::IAM::InstanceProfile", .service = "iam", .op = "ListInstanceProfiles",
     .items = "InstanceProfiles", MARKER, .used_only = true, .name_from = "InstanceProfileName",
     .caps = {{"name", "InstanceProfileName"}, {"arn", "Arn"}},
     .props = {{"InstanceProfileName", "InstanceProfileName", CONV_NONE}}},
    {.type = "AWS::IAM::Role", .service = "iam", .op = "ListRoles", .items = "Roles", MARKER,
     .used_only = true, .name_from = "RoleName", .caps = {{"name", "RoleName"}, {"arn", "Arn"}},
     .props = {{"RoleName", "RoleName", CONV_NONE},
               {"AssumeRolePolicyDocument", "AssumeRolePolicyDocument", CONV_POLICY}}},
};

/* Resources made of a part of an item. */
typedef struct {
  const char *parent_type, *list; /* the item's list of parts; NULL: the item itself */
  const char *type;
  const char *only_if; /* a field each part of this type has */
  const char *default_field, *default_value;
  const char *parent_prop, *parent_capture; /* the item's capture as a property */
  const char *name_from;                    /* the name: the item's, then this field's value */
  FindCapture caps[2];
  FindProp props[2];
} PartRow;

static const PartRow parts[] = {
    {.parent_type = "AWS::EC2::RouteTable", .list = "Routes", .type = "AWS::EC2::Route",
     .only_if = "DestinationCidrBlock", .default_field = "GatewayId", .default_value = "local",
     .parent_prop = "RouteTableId", .parent_capture = "id", .name_from = "DestinationCidrBlock",
     .props = {{"DestinationCidrBlock", "DestinationCidrBlock", CONV_NONE}}},
    {.parent_type = "AWS::EC2::RouteTable", .list = "Associations",
     .type = "AWS::EC2::SubnetRouteTableAssociation", .only_if = "SubnetId",
     .default_field = "Main", .default_value = "true", .parent_prop = "RouteTableId",
     .parent_capture = "id", .name_from = "SubnetId", .caps = {{"id", "RouteTableAssociationId"}},
     .props = {{"SubnetId", "SubnetId", CONV_NONE}}},
    {.parent_type = "AWS::EC2::InternetGateway", .list = "Attachments",
     .type = "AWS::EC2::VPCGatewayAttachment", .only_if = "VpcId",
     .parent_prop = "InternetGatewayId", .parent_capture = "id", .name_from = "VpcId",
     .props = {{"VpcId", "VpcId", CONV_NONE}}},
    {.parent_type = "AWS::EC2::EIP", .type = "AWS::EC2::EIPAssociation",
     .only_if = "InstanceId", .parent_prop = "AllocationId", .parent_capture = "allocation_id",
     .name_from = "InstanceId", .caps = {{"id", "AssociationId"}},
     .props = {{"InstanceId", "InstanceId", CONV_NONE}}},
};

/* A capture as a GetAtt attribute, where it is not what Ref stands for. */
static const struct {
  const char *capture, *attr;
} capture_attrs[] = {
    {"arn", "Arn"},           {"dns_name", "DNSName"},     {"zone_id", "CanonicalHostedZoneID"},
    {"uri", "RepositoryUri"}, {"allocation_id", "AllocationId"}, {"address", "Endpoint.Address"},
    {"port", "Endpoint.Port"}, {"private_ip", "PrivateIp"}, {"name", "Name"},
};

/* Types whose ID is written as a GetAtt, as the kinds write it (a security
   group's GroupId), so that the importer can make them kinds. */
static const struct {
  const char *type, *attr;
} id_attrs[] = {{"AWS::EC2::SecurityGroup", "GroupId"}};

/* A group's rules that name another group of the stack, each a resource
   of its own, as the security_group kind writes them (lower_net.c): so
   that two groups naming each other make no cycle, and so that the
   importer can write the group as its kind. The rule's ID is the kind's,
   the group's ID, the direction and the rule's place among the group's
   rules of that direction, the rules to ranges (kept inline) first, as
   the importer writes them. */
static const struct {
  const char *group_type, *list, *peer, *type, *suffix;
} group_rules[] = {
    {"AWS::EC2::SecurityGroup", "SecurityGroupIngress", "SourceSecurityGroupId",
     "AWS::EC2::SecurityGroupIngress", "Ingress"},
    {"AWS::EC2::SecurityGroup", "SecurityGroupEgress", "DestinationSecurityGroupId",
     "AWS::EC2::SecurityGroupEgress", "Egress"},
};

/* Properties whose value is a name (not an ID or an ARN): only there does
   a name become a Ref, where it is alone ("api" elsewhere is a container's
   name, not the repository). */
static const char *const name_props[] = {"Roles", "IamInstanceProfile", "DBSubnetGroupName",
                                         "Cluster", "awslogs-group"};

/* Names inside a text, after a marker, as a Ref in it: the cluster an
   instance's user data joins (ECS_CLUSTER=api-cluster, as the instance
   kind writes it), so that the importer can say `cluster = api_cluster`. */
static const struct {
  const char *type, *marker;
} text_refs[] = {{"AWS::ECS::Cluster", "ECS_CLUSTER="}};

/* Values AWS gives what the template leaves out: left out of what is
   read, as they are of what the kinds write, or (fill) given where AWS's
   answer leaves them out (moto's port mappings without a protocol). A
   path's "[]" is each item of a list. */
static const struct {
  const char *type, *path, *value; /* value: JSON */
  bool fill;
} aws_defaults[] = {
    {"AWS::ECR::Repository", "ImageTagMutability", "\"MUTABLE\"", false},
    {"AWS::IAM::Role", "Path", "\"/\"", false},
    {"AWS::IAM::Role", "MaxSessionDuration", "3600", false},
    {"AWS::Route53::RecordSet", "AliasTarget.EvaluateTargetHealth", "false", true},
    {"AWS::ECS::TaskDefinition", "ContainerDefinitions[].Cpu", "0", false},
    {"AWS::ECS::TaskDefinition", "ContainerDefinitions[].PortMappings[].Protocol", "\"tcp\"", true},
};

/* Properties whose value, read, is what a pseudo parameter stands for,
   written as the kinds write it: the region as Ref AWS::Region, an ARN in
   the aws partition as Fn::Sub of AWS::Partition (lower_arn). */
typedef enum { PSEUDO_REGION, PSEUDO_PARTITION } Pseudo;
static const struct {
  const char *key;
  Pseudo what;
} pseudo_props[] = {{"awslogs-region", PSEUDO_REGION}, {"ManagedPolicyArns", PSEUDO_PARTITION}};

/* Members of ECS objects that are maps of the user's keys, not members:
   their keys are kept as they are. */
static const char *const map_members[] = {"options", "dockerLabels", "labels", "systemControls"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- values ---- */

/* Whether the field (a list: any of its items) is one of "a|b". */
static bool field_is(const cJSON *obj, const char *field, const char *values) {
  if (!field) return false;
  cJSON *v = awsread_at(obj, field);
  bool hit = false;
  for (const cJSON *x = cJSON_IsArray(v) ? v->child : v; x && !hit;
       x = cJSON_IsArray(v) ? x->next : NULL) {
    char buf[64];
    const char *t = awsread_scalar(x, buf);
    for (const char *p = values; t && *p && !hit;) {
      size_t n = strcspn(p, "|");
      hit = strlen(t) == n && !strncmp(t, p, n);
      p += n + (p[n] == '|');
    }
  }
  cJSON_Delete(v);
  return hit;
}

static bool empty(const cJSON *v) {
  return !v || cJSON_IsNull(v) || ((cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child);
}

/* camelCase members as PascalCase, empty ones left out. */
static cJSON *pascal(const cJSON *v, bool keep_keys) {
  if (!cJSON_IsObject(v) && !cJSON_IsArray(v)) return cJSON_Duplicate(v, true);
  cJSON *o = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
  for (const cJSON *c = v->child; c; c = c->next) {
    if (empty(c)) continue;
    bool map = false;
    for (size_t i = 0; c->string && i < COUNT(map_members); i++)
      map |= !strcmp(c->string, map_members[i]);
    cJSON *x = map ? cJSON_Duplicate(c, true) : pascal(c, false);
    if (cJSON_IsArray(v)) {
      cJSON_AddItemToArray(o, x);
      continue;
    }
    char *key = strdup(c->string);
    if (!keep_keys) key[0] = (char)toupper((unsigned char)key[0]);
    cJSON_AddItemToObject(o, key, x);
    free(key);
  }
  return o;
}

static cJSON *policy(const cJSON *v) {
  if (!cJSON_IsString(v)) return cJSON_Duplicate(v, true);
  char *s = strdup(v->valuestring), *o = s;
  for (const char *p = v->valuestring; *p; p++) {
    if (p[0] == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
      char hex[3] = {p[1], p[2], 0};
      *o++ = (char)strtol(hex, NULL, 16);
      p += 2;
    } else
      *o++ = *p == '+' ? ' ' : *p;
  }
  *o = '\0';
  cJSON *doc = cJSON_Parse(s);
  free(s);
  return doc ? doc : cJSON_Duplicate(v, true);
}

static cJSON *convert(Conv conv, cJSON *v) {
  cJSON *out = v;
  switch (conv) {
  case CONV_PASCAL: out = pascal(v, false); break;
  case CONV_POLICY: out = policy(v); break;
  case CONV_LAST:
    if (cJSON_IsString(v) && strrchr(v->valuestring, '/'))
      out = cJSON_CreateString(strrchr(v->valuestring, '/') + 1);
    break;
  case CONV_DOT:
    if (cJSON_IsString(v) && *v->valuestring) {
      size_t n = strlen(v->valuestring);
      if (v->valuestring[n - 1] == '.') v->valuestring[n - 1] = '\0';
    }
    break;
  case CONV_NONE: break;
  }
  if (out != v) cJSON_Delete(v);
  return out;
}

static void put_props(const FindProp *props, size_t n, const cJSON *obj, cJSON *to) {
  for (size_t i = 0; i < n && props[i].from; i++) {
    cJSON *v = awsread_at(obj, props[i].from);
    v = v ? convert(props[i].conv, v) : NULL;
    if (empty(v))
      cJSON_Delete(v);
    else
      cJSON_AddItemToObject(to, props[i].prop, v);
  }
}

static void put_captures(const FindCapture *caps, size_t n, const cJSON *obj, cJSON *to) {
  for (size_t i = 0; i < n && caps[i].key; i++) {
    cJSON *v = awsread_at(obj, caps[i].from);
    if (v && !cJSON_IsNull(v))
      cJSON_AddItemToObject(to, caps[i].key, v);
    else
      cJSON_Delete(v);
  }
}

/* ---- found items ---- */

static Found *add(Discovery *d, const char *type, cJSON *obj, int parent) {
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 64;
    d->items = realloc(d->items, (size_t)d->cap * sizeof *d->items);
  }
  Found *f = &d->items[d->n++];
  memset(f, 0, sizeof *f);
  f->type = type;
  f->obj = obj;
  f->parent = parent;
  f->captures = cJSON_CreateObject();
  f->props = cJSON_CreateObject();
  f->text = cJSON_PrintUnformatted(obj);
  return f;
}

static const char *capture_text(const Found *f, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(f->captures, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One list call with its paging: every item (a copy) into *out. */
static bool list_all(AwsClient *c, const FindRow *row, cJSON *params, cJSON *out,
                     char **err) {
  for (int page = 0; page < 1000; page++) {
    cJSON *resp = NULL;
    if (aws_call_op(c, row->service, row->op, params, &resp, err)) return false;
    /* "A[].B": the items of each A's B */
    const char *br = strstr(row->items, "[].");
    cJSON *lists = br ? awsread_at(resp, row->items) : NULL;
    cJSON *one = br ? NULL : awsread_at(resp, row->items);
    for (cJSON *l = lists ? lists->child : NULL; l; l = l->next)
      for (cJSON *x = l->child; x; x = x->next)
        cJSON_AddItemToArray(out, cJSON_Duplicate(x, true));
    for (cJSON *x = one ? one->child : NULL; x; x = x->next)
      cJSON_AddItemToArray(out, cJSON_Duplicate(x, true));
    cJSON_Delete(lists);
    cJSON_Delete(one);
    const cJSON *tok = row->token_out ? cJSON_GetObjectItemCaseSensitive(resp, row->token_out) : NULL;
    const cJSON *trunc = cJSON_GetObjectItemCaseSensitive(resp, "IsTruncated");
    bool more = cJSON_IsString(tok) && *tok->valuestring && (!trunc || cJSON_IsTrue(trunc));
    if (more) {
      cJSON_DeleteItemFromObjectCaseSensitive(params, row->token_in);
      cJSON_AddStringToObject(params, row->token_in, tok->valuestring);
    }
    cJSON_Delete(resp);
    if (!more) return true;
  }
  return true;
}

/* What each job found: the row, the parent item, the objects. */
typedef struct {
  const FindRow *row;
  int parent;
  cJSON *objs;
} ListJob;

typedef struct {
  ListJob *jobs;
  const Discovery *d;
  const DiscoverScope *scope;
} ListCtx;

static void list_job(AwsPool *p, AwsClient *c, int i) {
  ListCtx *lc = aws_pool_ctx(p);
  ListJob *j = &lc->jobs[i];
  const FindRow *row = j->row;
  cJSON *params = cJSON_CreateObject(), *ids = cJSON_CreateArray();
  const char *per = j->parent >= 0 ? capture_text(&lc->d->items[j->parent], row->per_capture) : NULL;
  if (per) cJSON_AddStringToObject(params, row->per_param, per);
  if (row->vpc_filter && lc->scope->vpc) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "Name", row->vpc_filter);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(f, "Values"), cJSON_CreateString(lc->scope->vpc));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(params, row->filter_list ? row->filter_list : "Filters"), f);
  }
  char *err = NULL;
  bool ok = list_all(c, row, params, row->detail_op ? ids : j->objs, &err);
  cJSON_Delete(params);
  /* the identifiers described one by one */
  for (const cJSON *id = ok ? ids->child : NULL; id && ok; id = id->next) {
    const cJSON *key = row->detail_key ? cJSON_GetObjectItemCaseSensitive(id, row->detail_key) : id;
    if (!cJSON_IsString(key)) continue;
    cJSON *dp = cJSON_CreateObject(), *resp = NULL;
    if (per) cJSON_AddStringToObject(dp, row->per_param, per);
    if (row->detail_list)
      cJSON_AddItemToArray(cJSON_AddArrayToObject(dp, row->detail_param),
                           cJSON_CreateString(key->valuestring));
    else
      cJSON_AddStringToObject(dp, row->detail_param, key->valuestring);
    ok = !aws_call_op(c, row->service, row->detail_op, dp, &resp, &err);
    cJSON *obj = ok ? awsread_at(resp, row->detail_obj) : NULL;
    if (obj) cJSON_AddItemToArray(j->objs, obj);
    cJSON_Delete(resp);
    cJSON_Delete(dp);
  }
  cJSON_Delete(ids);
  if (!ok) {
    char *why = NULL;
    if (asprintf(&why, "listing %s (%s %s): %s", row->type, row->service,
                 row->detail_op && err && !strstr(err, row->op) ? row->detail_op : row->op,
                 err ? err : "failed") < 0)
      abort();
    free(err);
    aws_pool_fail(p, why);
  }
}

/* The jobs of the rows listed once (per_type NULL) or once per found item
   of per_type (phase 2); their items added to d, with the parts they make. */
static bool list_rows(AwsClient *c, const DiscoverScope *scope, Discovery *d, bool per,
                      char **err) {
  ListJob *jobs = NULL;
  int n = 0;
  for (size_t r = 0; r < COUNT(rows); r++) {
    if (!rows[r].per_type != !per) continue;
    for (int parent = per ? 0 : -1; parent < (per ? d->n : 0); parent++) {
      if (per && (strcmp(d->items[parent].type, rows[r].per_type) ||
                  !capture_text(&d->items[parent], rows[r].per_capture)))
        continue;
      jobs = realloc(jobs, (size_t)(n + 1) * sizeof *jobs);
      jobs[n++] = (ListJob){&rows[r], parent, cJSON_CreateArray()};
    }
  }
  ListCtx lc = {jobs, d, scope};
  *err = aws_pool_run(c, n, list_job, &lc);
  for (int i = 0; i < n; i++) {
    const FindRow *row = jobs[i].row;
    for (cJSON *o = *err ? NULL : jobs[i].objs->child; o; o = o->next) {
      if (row->gone_field && field_is(o, row->gone_field, row->gone_value)) continue;
      int at = d->n;
      Found *f = add(d, row->type, cJSON_Duplicate(o, true), jobs[i].parent);
      f->row = row;
      f->is_default = field_is(o, row->default_field, row->default_value);
      put_captures(row->caps, COUNT(row->caps), o, f->captures);
      put_props(row->props, COUNT(row->props), o, f->props);
      if (row->parent_prop) {
        const Found *pa = &d->items[jobs[i].parent];
        cJSON_AddStringToObject(f->props, row->parent_prop,
                                capture_text(pa, row->parent_by ? row->parent_by : row->per_capture));
      }
      if (row->secret_prop) cJSON_AddNullToObject(f->props, row->secret_prop);
      /* its parts */
      for (size_t k = 0; k < COUNT(parts); k++) {
        if (strcmp(parts[k].parent_type, row->type)) continue;
        cJSON *list = parts[k].list ? awsread_at(o, parts[k].list) : NULL;
        const cJSON *one = parts[k].list ? NULL : o;
        for (const cJSON *x = list ? list->child : one; x; x = list ? x->next : NULL) {
          cJSON *has = awsread_at(x, parts[k].only_if);
          bool keep = has && !cJSON_IsNull(has) && !(cJSON_IsString(has) && !*has->valuestring);
          cJSON_Delete(has);
          if (!keep) continue;
          Found *g = add(d, parts[k].type, cJSON_Duplicate(x, true), at);
          g->part = &parts[k];
          g->is_default = field_is(x, parts[k].default_field, parts[k].default_value);
          put_captures(parts[k].caps, COUNT(parts[k].caps), x, g->captures);
          put_props(parts[k].props, COUNT(parts[k].props), x, g->props);
          const char *pc = capture_text(&d->items[at], parts[k].parent_capture);
          if (pc) cJSON_AddStringToObject(g->props, parts[k].parent_prop, pc);
        }
        cJSON_Delete(list);
      }
    }
    cJSON_Delete(jobs[i].objs);
  }
  free(jobs);
  return !*err;
}

/* ---- the scope ---- */

/* The identifiers of an item another's JSON may hold: its captures but the
   name (a name is looked for as a whole JSON string). */
static bool refers_to(const Found *from, const Found *to) {
  for (const cJSON *cap = to->captures->child; cap; cap = cap->next) {
    if (!cJSON_IsString(cap) || strlen(cap->valuestring) < 4) continue;
    if (!strcmp(cap->string, "name")) {
      char *q = NULL;
      if (asprintf(&q, "\"%s\"", cap->valuestring) < 0) abort();
      bool hit = strstr(from->text, q) != NULL;
      free(q);
      if (hit) return true;
    } else if (strstr(from->text, cap->valuestring))
      return true;
  }
  return false;
}

static bool has_tag(const Found *f, const char *key, const char *value) {
  const cJSON *tags = cJSON_GetObjectItemCaseSensitive(f->obj, "Tags");
  if (!tags) tags = cJSON_GetObjectItemCaseSensitive(f->obj, "tags");
  for (const cJSON *t = tags ? tags->child : NULL; t; t = t->next) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "Key");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "Value");
    if (!k) k = cJSON_GetObjectItemCaseSensitive(t, "key");
    if (!v) v = cJSON_GetObjectItemCaseSensitive(t, "value");
    if (cJSON_IsString(k) && cJSON_IsString(v) && !strcmp(k->valuestring, key) &&
        !strcmp(v->valuestring, value))
      return true;
  }
  return false;
}

static const FindRow *row_of(const Found *f) { return f->row; }

static bool follows_parent(const Found *f) {
  return f->part || (row_of(f) && row_of(f)->follows);
}

static void mark_scope(Discovery *d, const DiscoverScope *s) {
  /* what AWS made, and what refers to the default VPC */
  bool *out = calloc((size_t)d->n + 1, 1);
  for (int i = 0; i < d->n && !s->include_defaults; i++)
    out[i] = d->items[i].is_default;
  for (int i = 0; i < d->n && !s->include_defaults; i++)
    if (d->items[i].is_default && row_of(&d->items[i]) && row_of(&d->items[i])->spreads)
      for (int j = 0; j < d->n; j++)
        out[j] |= j != i && refers_to(&d->items[j], &d->items[i]);
  /* the seeds */
  for (int i = 0; i < d->n; i++) {
    Found *f = &d->items[i];
    if (out[i] || follows_parent(f)) continue;
    if (s->vpc)
      f->in = !strcmp(f->type, "AWS::EC2::VPC") && capture_text(f, "id") &&
              !strcmp(capture_text(f, "id"), s->vpc);
    else if (s->tag_key)
      f->in = has_tag(f, s->tag_key, s->tag_value);
    else
      f->in = !(row_of(f) && row_of(f)->used_only);
  }
  /* what refers to the scope (with --vpc), what the scope uses, the parts of
     what is in: until nothing changes */
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < d->n; i++) {
      Found *f = &d->items[i];
      if (f->in || out[i]) continue;
      bool in = false;
      if (follows_parent(f))
        in = f->parent >= 0 && d->items[f->parent].in;
      else
        for (int j = 0; j < d->n && !in; j++) {
          const Found *g = &d->items[j];
          if (!g->in || j == i) continue;
          /* g uses f; or, with --vpc, f refers to g (a subnet to its VPC) */
          in = refers_to(g, f) ||
               (s->vpc && !(row_of(f) && row_of(f)->used_only) && refers_to(f, g));
          /* a zone with a record that refers to g */
          for (int k = 0; k < d->n && !in && s->vpc; k++)
            in = d->items[k].parent == i && follows_parent(&d->items[k]) && !out[k] &&
                 refers_to(&d->items[k], g);
        }
      if (in) f->in = changed = true;
    }
  }
  free(out);
}

/* ---- names ---- */

static char *snake(const char *s) {
  char *o = malloc(strlen(s) * 2 + 3), *w = o;
  bool sep = false;
  for (const char *p = s; *p; p++) {
    if (isalnum((unsigned char)*p)) {
      /* no '_' before a digit: PascalCase would lose it ("api_alb443" is ApiAlb443) */
      if (sep && w > o && !isdigit((unsigned char)*p)) *w++ = '_';
      sep = false;
      /* ecsTaskExecutionRole: a word starts at a capital after a small letter */
      if (isupper((unsigned char)*p) && p > s && islower((unsigned char)p[-1]) && w > o &&
          w[-1] != '_')
        *w++ = '_';
      *w++ = (char)tolower((unsigned char)*p);
    } else
      sep = true;
  }
  *w = '\0';
  if (!*o || isdigit((unsigned char)*o)) {
    memmove(o + 2, o, strlen(o) + 1);
    memcpy(o, "n_", 2);
  }
  return o;
}

static const char *id_of(const Found *f) {
  const char *id = capture_text(f, "id");
  if (!id) id = capture_text(f, "arn");
  if (!id) id = capture_text(f, "allocation_id");
  return id ? id : "resource";
}

/* The name of an item with this ID, for a part's name ("public_rt" +
   "public_a" of its subnet). */
static const char *name_of_id(const Discovery *d, const char *id) {
  for (int i = 0; i < d->n; i++)
    if (d->items[i].in && d->items[i].name && !strcmp(id_of(&d->items[i]), id))
      return d->items[i].name;
  return NULL;
}

static void name_items(Discovery *d) {
  /* a part's name is made of its parent's: the parents first */
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < d->n; i++) {
      Found *f = &d->items[i];
      if (!f->in || f->name || (pass == 0) != (f->parent < 0)) continue;
      const FindRow *row = row_of(f);
      const char *from = row ? row->name_from : ((const PartRow *)f->part)->name_from;
      char buf[64];
      const char *t = NULL;
      cJSON *field = NULL;
      if (!strcmp(from, "Tags")) {
        const cJSON *tags = cJSON_GetObjectItemCaseSensitive(f->obj, "Tags");
        for (const cJSON *x = tags ? tags->child : NULL; x && !t; x = x->next) {
          const cJSON *k = cJSON_GetObjectItemCaseSensitive(x, "Key");
          if (cJSON_IsString(k) && !strcmp(k->valuestring, "Name"))
            t = awsread_scalar(cJSON_GetObjectItemCaseSensitive(x, "Value"), buf);
        }
        if (!t) t = id_of(f);
      } else {
        field = awsread_at(f->obj, from);
        t = awsread_scalar(field, buf);
        if (!t) t = id_of(f);
        const char *other = name_of_id(d, t);
        if (other) t = other;
        if (!strcmp(t, "0.0.0.0/0")) t = "default";
      }
      char *base = NULL;
      const Found *pa = f->parent >= 0 ? &d->items[f->parent] : NULL;
      if (row && row->name_relative && pa) {
        /* "api.example.jp." in "example.jp.": "api"; the apex: "apex" */
        cJSON *zn = awsread_at(pa->obj, "Name");
        size_t n = strlen(t), z = cJSON_IsString(zn) ? strlen(zn->valuestring) : 0;
        if (z && n >= z && !strcmp(t + n - z, zn->valuestring))
          base = n == z ? strdup("apex") : strndup(t, n - z - (t[n - z - 1] == '.'));
        cJSON_Delete(zn);
      }
      if (!base) base = strdup(t);
      cJSON_Delete(field);
      if (row && row->name_also) {
        cJSON *v = awsread_at(f->obj, row->name_also);
        char *b2 = NULL;
        if (asprintf(&b2, "%s_%s", base, awsread_scalar(v, buf) ? awsread_scalar(v, buf) : "") < 0) abort();
        cJSON_Delete(v);
        free(base);
        base = b2;
      }
      bool prefixed = f->part || (row && row->follows && !row->name_relative);
      if (pa && pa->name && prefixed) {
        char *b2 = NULL;
        if (asprintf(&b2, "%s_%s", pa->name, base) < 0) abort();
        free(base);
        base = b2;
      }
      char *name = snake(base);
      free(base);
      /* "web-vpc" is the VPC web (WebVpc) */
      char *word = snake(strrchr(f->type, ':') + 1);
      size_t nn = strlen(name), nw = strlen(word);
      if (nn > nw + 1 && name[nn - nw - 1] == '_' && !strcmp(name + nn - nw, word))
        name[nn - nw - 1] = '\0';
      free(word);
      /* one namespace: "api" the repository, "api_service" the service */
      for (int k = 1;; k++) {
        bool taken = false;
        for (int j = 0; j < d->n && !taken; j++)
          taken = j != i && d->items[j].name && !strcmp(d->items[j].name, name);
        if (!taken) break;
        const char *w = strrchr(f->type, ':') + 1;
        char *lw = snake(w), *n2 = NULL;
        size_t len = strlen(name);
        if (k == 1 && (len < strlen(lw) || strcmp(name + len - strlen(lw), lw))) {
          if (asprintf(&n2, "%s_%s", name, lw) < 0) abort();
        } else if (asprintf(&n2, "%s%d", name, k) < 0) /* as PascalCase gives it back */
          abort();
        free(lw);
        free(name);
        name = n2;
      }
      f->name = name;
    }
}

/* ---- the stack ---- */

/* "web_db" + "Password": "WebDbPassword", the ID of the param web_db_password. */
static char *pascal_name(const char *name, const char *suffix) {
  char *o = malloc(strlen(name) + strlen(suffix) + 1), *w = o;
  for (const char *p = name; *p; p++)
    if (*p != '_') *w++ = (char)(p == name || p[-1] == '_' ? toupper((unsigned char)*p) : *p);
  strcpy(w, suffix);
  return o;
}

typedef struct {
  Discovery *d;
  char *const *logical;
  const cJSON *state;
} FillCtx;

static void fill_job(AwsPool *p, AwsClient *c, int i) {
  FillCtx *fc = aws_pool_ctx(p);
  if (!fc->logical[i]) return;
  char *err = NULL;
  if (!awsread_fill(c, fc->state, fc->logical[i], fc->d->items[i].props, &err)) aws_pool_fail(p, err);
}

static const char *attr_of(const char *capture) {
  for (size_t i = 0; i < COUNT(capture_attrs); i++)
    if (!strcmp(capture_attrs[i].capture, capture)) return capture_attrs[i].attr;
  return NULL;
}

static bool name_prop(const char *key) {
  for (size_t i = 0; key && i < COUNT(name_props); i++)
    if (!strcmp(name_props[i], key)) return true;
  return false;
}

/* s, the value of key, as the pseudo parameter it is, or NULL. */
static cJSON *pseudo(const char *s, const char *key, const char *region) {
  for (size_t i = 0; key && i < COUNT(pseudo_props); i++) {
    if (strcmp(pseudo_props[i].key, key)) continue;
    cJSON *o = NULL;
    if (pseudo_props[i].what == PSEUDO_REGION && !strcmp(s, region)) {
      o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "Ref", "AWS::Region");
    } else if (pseudo_props[i].what == PSEUDO_PARTITION && !strncmp(s, "arn:aws:", 8)) {
      cJSON *r = cJSON_CreateObject();
      cJSON_AddStringToObject(r, "Ref", "AWS::Partition");
      o = cfn_parts_new();
      cfn_parts_add_text(o, "arn:", 4);
      cfn_parts_add(o, r);
      cfn_parts_add_text(o, s + 7, strlen(s + 7));
    }
    return o;
  }
  return NULL;
}

/* fn(obj, key, json) on each object holding a value at path under v (a
   "[]" step: each item of a list), key the path's last step. */
static void each_at(cJSON *v, const char *path, void (*fn)(cJSON *obj, const char *key, const char *json),
                    const char *json) {
  size_t n = strcspn(path, ".[");
  char key[64];
  if (!cJSON_IsObject(v) || n >= sizeof key) return;
  memcpy(key, path, n);
  key[n] = '\0';
  if (!path[n]) {
    fn(v, key, json);
    return;
  }
  cJSON *x = cJSON_GetObjectItemCaseSensitive(v, key);
  if (path[n] == '.') {
    each_at(x, path + n + 1, fn, json);
    return;
  }
  const char *rest = path + n + 2; /* "[]" */
  for (cJSON *y = cJSON_IsArray(x) ? x->child : NULL; y && *rest == '.'; y = y->next)
    each_at(y, rest + 1, fn, json);
}

static void drop_default(cJSON *obj, const char *key, const char *json) {
  cJSON *want = cJSON_Parse(json);
  if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(obj, key), want, true))
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
  cJSON_Delete(want);
}

static void fill_default(cJSON *obj, const char *key, const char *json) {
  if (!cJSON_GetObjectItemCaseSensitive(obj, key)) cJSON_AddItemToObject(obj, key, cJSON_Parse(json));
}

/* A string that is another item's ID, ARN or name as its Ref or GetAtt; a
   repository's URI at the start of an image as a Sub. NULL: kept. */
static cJSON *reference(const Discovery *d, char *const *logical, int self, const char *s,
                        const char *key) {
  for (int j = 0; j < d->n; j++) {
    const Found *g = &d->items[j];
    if (j == self || !logical[j]) continue;
    const char *ref = apiplan_ref_capture(g->type);
    for (const cJSON *cap = g->captures->child; cap; cap = cap->next) {
      if (!cJSON_IsString(cap) || !*cap->valuestring) continue;
      bool is_name = !strcmp(cap->string, "name");
      const char *attr = strcmp(cap->string, ref) ? attr_of(cap->string) : NULL;
      if (!strcmp(s, cap->valuestring) && (!is_name || name_prop(key))) {
        cJSON *o = cJSON_CreateObject();
        for (size_t k = 0; !attr && !strcmp(cap->string, ref) && k < COUNT(id_attrs); k++)
          if (!strcmp(id_attrs[k].type, g->type)) attr = id_attrs[k].attr;
        if (!strcmp(cap->string, ref) && !attr)
          cJSON_AddStringToObject(o, "Ref", logical[j]);
        else if (attr) {
          cJSON *ga = cJSON_AddArrayToObject(o, "Fn::GetAtt");
          cJSON_AddItemToArray(ga, cJSON_CreateString(logical[j]));
          cJSON_AddItemToArray(ga, cJSON_CreateString(attr));
        } else {
          cJSON_Delete(o);
          continue;
        }
        return o;
      }
      size_t n = strlen(cap->valuestring);
      for (size_t k = 0; k < COUNT(text_refs) && !strcmp(cap->string, ref); k++) {
        const char *at = strcmp(text_refs[k].type, g->type) ? NULL : strstr(s, text_refs[k].marker);
        at = at ? at + strlen(text_refs[k].marker) : NULL;
        if (!at || strncmp(at, cap->valuestring, n) || isalnum((unsigned char)at[n]) ||
            strchr("-_", at[n] ? at[n] : 'x'))
          continue;
        cJSON *o = cfn_parts_new(), *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "Ref", logical[j]);
        cfn_parts_add_text(o, s, (size_t)(at - s));
        cfn_parts_add(o, r);
        cfn_parts_add_text(o, at + n, strlen(at + n));
        return o;
      }
      if (!strcmp(cap->string, "uri") && !strncmp(s, cap->valuestring, n) && s[n] == ':') {
        cJSON *o = cfn_parts_new(), *ga = cJSON_CreateObject();
        cJSON *args = cJSON_AddArrayToObject(ga, "Fn::GetAtt");
        cJSON_AddItemToArray(args, cJSON_CreateString(logical[j]));
        cJSON_AddItemToArray(args, cJSON_CreateString("RepositoryUri"));
        cfn_parts_add(o, ga);
        cfn_parts_add_text(o, s + n, strlen(s + n));
        return o;
      }
    }
  }
  return NULL;
}

static void link_refs(const Discovery *d, char *const *logical, int self, cJSON *v,
                      const char *key, const char *region) {
  for (cJSON *c = v ? v->child : NULL, *next; c; c = next) {
    next = c->next;
    const char *k = cJSON_IsObject(v) ? c->string : key;
    cJSON *r = cJSON_IsString(c) ? reference(d, logical, self, c->valuestring, k) : NULL;
    if (!r && cJSON_IsString(c)) r = pseudo(c->valuestring, k, region);
    if (r && cJSON_IsObject(v))
      cJSON_ReplaceItemInObjectCaseSensitive(v, c->string, r);
    else if (r)
      cJSON_ReplaceItemViaPointer(v, c, r);
    else
      link_refs(d, logical, self, c, k, region);
  }
}

/* The rules of group `logical` (of type, its props) that name a group of the stack
   (a Ref or GetAtt, not an ID), out of its list and into resources of
   their own in res, recorded in entries as parts of the group's decl. */
static void split_group_rules(cJSON *res, cJSON *entries, const char *type, const char *logical,
                              const char *name, cJSON *props) {
  for (size_t k = 0; k < COUNT(group_rules); k++) {
    if (strcmp(group_rules[k].group_type, type)) continue;
    cJSON *list = cJSON_GetObjectItemCaseSensitive(props, group_rules[k].list);
    int inline_n = 0, n = 0;
    for (const cJSON *x = list ? list->child : NULL; x; x = x->next)
      inline_n += !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x, group_rules[k].peer));
    for (cJSON *x = list ? list->child : NULL, *next; x; x = next) {
      next = x->next;
      if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(x, group_rules[k].peer))) continue;
      cJSON *rule = cJSON_DetachItemViaPointer(list, x);
      char *id = NULL;
      if (asprintf(&id, "%s%s%d", logical, group_rules[k].suffix, inline_n + ++n) < 0) abort();
      cJSON *p = cJSON_CreateObject();
      cJSON *ga = cJSON_AddArrayToObject(cJSON_AddObjectToObject(p, "GroupId"), "Fn::GetAtt");
      cJSON_AddItemToArray(ga, cJSON_CreateString(logical));
      cJSON_AddItemToArray(ga, cJSON_CreateString("GroupId"));
      for (cJSON *f = rule->child; f; f = f->next)
        cJSON_AddItemToObject(p, f->string, cJSON_Duplicate(f, true));
      cJSON_Delete(rule);
      cJSON *r = cJSON_AddObjectToObject(res, id);
      cJSON_AddStringToObject(r, "Type", group_rules[k].type);
      cJSON_AddItemToObject(r, "Properties", p);
      cJSON *e = cJSON_AddObjectToObject(entries, id);
      cJSON_AddStringToObject(e, "resource", name);
      cJSON_AddObjectToObject(e, "captures");
      free(id);
    }
    if (list && !list->child) cJSON_DeleteItemFromObjectCaseSensitive(props, group_rules[k].list);
  }
}

bool awsdiscover(AwsClient *c, const DiscoverScope *scope, Discovery *d, char **err) {
  memset(d, 0, sizeof *d);
  if (!list_rows(c, scope, d, false, err) || !list_rows(c, scope, d, true, err)) return false;
  mark_scope(d, scope);
  name_items(d);
  return true;
}

bool awsdiscover_stack(AwsClient *c, Discovery *d, char *const *logical, const char *const *names,
                       const char *stack, const char *region, cJSON **tmpl, cJSON **state,
                       char **err) {
  /* every item read as a refresh reads it, through a state that records it:
     its captures and the properties it is read by */
  cJSON *reading = cJSON_CreateObject();
  cJSON_AddStringToObject(reading, "stack", stack);
  cJSON_AddStringToObject(reading, "region", region);
  cJSON *rres = cJSON_AddObjectToObject(cJSON_AddObjectToObject(reading, "template"), "Resources");
  cJSON *rent = cJSON_AddObjectToObject(reading, "resources");
  for (int i = 0; i < d->n; i++) {
    if (!logical[i]) continue;
    cJSON *r = cJSON_AddObjectToObject(rres, logical[i]);
    cJSON_AddStringToObject(r, "Type", d->items[i].type);
    cJSON_AddItemToObject(r, "Properties", cJSON_Duplicate(d->items[i].props, true));
    cJSON *e = cJSON_AddObjectToObject(rent, logical[i]);
    cJSON_AddItemToObject(e, "captures", cJSON_Duplicate(d->items[i].captures, true));
  }
  FillCtx fc = {d, logical, reading};
  *err = aws_pool_run(c, d->n, fill_job, &fc);
  cJSON_Delete(reading);
  if (*err) return false;

  *tmpl = cJSON_CreateObject();
  cJSON_AddStringToObject(*tmpl, "AWSTemplateFormatVersion", "2010-09-09");
  cJSON *params = cJSON_AddObjectToObject(*tmpl, "Parameters");
  cJSON *res = cJSON_AddObjectToObject(*tmpl, "Resources");
  *state = cJSON_CreateObject();
  cJSON_AddStringToObject(*state, "format", "infrac-state/1");
  cJSON_AddStringToObject(*state, "stack", stack);
  cJSON_AddStringToObject(*state, "region", region);
  cJSON *entries = cJSON_CreateObject();
  for (int i = 0; i < d->n; i++) {
    if (!logical[i]) continue;
    cJSON *props = cJSON_Duplicate(d->items[i].props, true);
    /* a password is a parameter of its own, never read back */
    const FindRow *row = row_of(&d->items[i]);
    if (row && row->secret_prop) {
      char *pname = pascal_name(names[i], "Password");
      cJSON *p = cJSON_AddObjectToObject(params, pname);
      cJSON_AddStringToObject(p, "Type", "String");
      cJSON_AddTrueToObject(p, "NoEcho");
      cJSON *ref = cJSON_CreateObject();
      cJSON_AddStringToObject(ref, "Ref", pname);
      cJSON_ReplaceItemInObjectCaseSensitive(props, row->secret_prop, ref);
      free(pname);
    }
    if (row && row->excluded_by && cJSON_GetObjectItemCaseSensitive(props, row->excluded_by))
      cJSON_DeleteItemFromObjectCaseSensitive(props, row->excluded);
    if (row && row->defaulted &&
        cJSON_Compare(cJSON_GetObjectItemCaseSensitive(props, row->defaulted),
                      cJSON_GetObjectItemCaseSensitive(props, row->default_of), true))
      cJSON_DeleteItemFromObjectCaseSensitive(props, row->defaulted);
    for (size_t k = 0; k < COUNT(aws_defaults); k++)
      if (!strcmp(aws_defaults[k].type, d->items[i].type))
        each_at(props, aws_defaults[k].path, aws_defaults[k].fill ? fill_default : drop_default,
                aws_defaults[k].value);
    link_refs(d, logical, i, props, NULL, region);
    cJSON *r = cJSON_AddObjectToObject(res, logical[i]);
    cJSON_AddStringToObject(r, "Type", d->items[i].type);
    cJSON_AddItemToObject(r, "Properties", props);
    if (row && row->deletion_policy) {
      cJSON_AddStringToObject(r, "DeletionPolicy", row->deletion_policy);
      cJSON_AddStringToObject(r, "UpdateReplacePolicy", row->deletion_policy);
    }
    cJSON *e = cJSON_AddObjectToObject(entries, logical[i]);
    cJSON_AddStringToObject(e, "resource", names[i]);
    cJSON_AddItemToObject(e, "captures", cJSON_Duplicate(d->items[i].captures, true));
    split_group_rules(res, entries, d->items[i].type, logical[i], names[i], props);
  }
  if (!params->child) cJSON_DeleteItemFromObjectCaseSensitive(*tmpl, "Parameters");
  cJSON_AddItemToObject(*state, "template", cJSON_Duplicate(*tmpl, true));
  cJSON_AddItemToObject(*state, "resources", entries);
  return true;
}

void awsdiscover_free(Discovery *d) {
  for (int i = 0; i < d->n; i++) {
    cJSON_Delete(d->items[i].obj);
    cJSON_Delete(d->items[i].captures);
    cJSON_Delete(d->items[i].props);
    free(d->items[i].name);
    free(d->items[i].text);
  }
  free(d->items);
  memset(d, 0, sizeof *d);
}
