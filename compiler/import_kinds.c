/* import_kinds.c: which resources of an imported template are written as
   kinds (vpc, subnet, security_group ...), so that the kinds' checks apply
   to them, and how. A row per kind says which property becomes which
   attribute; properties the kind does not write go into its
   `properties { }`; a property the kind writes in a way the template's
   value cannot be said keeps the resource a `resource`. Whether the kind
   builds back to the template's resource is not guessed: the source is
   built and compared with the template as `plan --against` does
   (import_kinds_misfits), and a kind that differs is written as a
   `resource` again. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_json.h"
#include "cfn_parts.h"
#include "cfn_load.h"
#include "diff.h"
#include "import_int.h"
#include "lower.h"

typedef enum {
  C_EXPR,  /* any value, as the importer writes values */
  C_CIDR,  /* a literal range bare (10.0.0.0/16), else as C_EXPR */
  C_BOOL,  /* true or false ("true" too), else as C_EXPR */
  C_INT,   /* a whole number ("80" too), else as C_EXPR */
  C_DAYS,  /* a number of days as a duration: 7 -> 7d */
  C_WORD,  /* one of the attribute's words: "HTTP" -> http, "internet-facing" -> internet_facing */
  C_REF,   /* Ref of a resource of type arg (a group's GetAtt GroupId too): its name */
  C_REFS,  /* a list of those */
  C_TAGS,  /* [{Key, Value}]: tags { Key = value }, Name = aws.no_value without a Name tag */
  C_RULES, /* security group rules: `ingress` or `egress` (arg) statements */
  C_SCAN,  /* ImageScanningConfiguration { ScanOnPush = b } */
  C_IMMUTABLE, /* ImageTagMutability: IMMUTABLE or MUTABLE */
  C_FIXED, /* what the kind always writes, given as it writes it (arg): nothing to say */
  C_HEALTH, /* an attribute of the health_check block: as C_EXPR, C_INT, or C_SECONDS when arg is "s" */
  C_MATCHER, /* Matcher { HttpCode }: the health_check block's codes */
  C_DNS,   /* DomainValidationOptions, each name in one zone of the stack's: dns(zone) */
  C_HELD,  /* names a part the kind makes (a NAT gateway's elastic IP): written as that part, which
              gives attr (a database's subnet group its subnets) */
  C_GIB,   /* a whole number of GiB: 20 -> 20GiB */
  C_TRUE_WORD, /* true (ManageMasterUserPassword): the attribute's word arg */
  C_COMPAT, /* RequiresCompatibilities of one: ["FARGATE"] -> fargate */
  C_MIB,    /* a whole number of MiB: 512 -> 512MiB */
  C_ROLE,   /* Fn::GetAtt ROLE.Arn of a role of the stack: its name */
  C_CONTAINERS, /* ContainerDefinitions: `container` statements (import_fold_task.c) */
  C_USERDATA, /* Fn::Base64 of a script: `cluster` when it starts by joining one, the rest `user_data` */
  C_TRUST,    /* AssumeRolePolicyDocument allowing services sts:AssumeRole: `assumed_by` */
  C_PROFILE,  /* Ref of an instance profile of one role: `role`, whose kind makes the profile */
  C_SERVICE_LB, /* LoadBalancers: `load_balancer { target_group container port }` blocks */
  C_ARNS,     /* ARNs, Fn::Sub of AWS::Partition as "arn:aws:", which the kind makes that Sub again */
  C_ALIAS,    /* AliasTarget of a balancer's DNSName and CanonicalHostedZoneID: `alias` */
} Conv;

typedef struct {
  const char *prop, *attr;
  Conv conv;
  const char *arg;
} Map;

/* ORDER: as the kinds in kinds.c. The resources a kind makes beside its
   main one (an internet gateway's attachment, a table's routes) are its
   parts (the parts table below); what a kind would make that the template
   has not (a database's subnet group, a balancer's listeners, a task's
   containers ...) keeps such a resource a `resource`. */
static const struct {
  const char *cfn, *kind;
  Map map[20];
} rows[] = {
    {"AWS::EC2::VPC", "vpc",
     {{"CidrBlock", "cidr", C_CIDR, NULL},
      {"EnableDnsSupport", "dns_support", C_BOOL, NULL},
      {"EnableDnsHostnames", "dns_hostnames", C_BOOL, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::Subnet", "subnet",
     {{"VpcId", "vpc", C_REF, "AWS::EC2::VPC"},
      {"CidrBlock", "cidr", C_CIDR, NULL},
      {"AvailabilityZone", "az", C_EXPR, NULL},
      {"MapPublicIpOnLaunch", "map_public_ip", C_BOOL, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::InternetGateway", "internet_gateway", {{"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::RouteTable", "route_table",
     {{"VpcId", "vpc", C_REF, "AWS::EC2::VPC"}, {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::SecurityGroup", "security_group",
     {{"GroupName", "name", C_EXPR, NULL},
      {"GroupDescription", "description", C_EXPR, NULL},
      {"VpcId", "vpc", C_REF, "AWS::EC2::VPC"},
      {"SecurityGroupIngress", "ingress", C_RULES, "ingress"},
      {"SecurityGroupEgress", "egress", C_RULES, "egress"},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::IAM::Role", "role",
     {{"RoleName", "name", C_EXPR, NULL},
      {"AssumeRolePolicyDocument", "assumed_by", C_TRUST, NULL},
      {"ManagedPolicyArns", "managed_policies", C_ARNS, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::Instance", "instance",
     {{"ImageId", "image", C_EXPR, NULL},
      {"InstanceType", "type", C_EXPR, NULL},
      {"SubnetId", "subnet", C_REF, "AWS::EC2::Subnet"},
      {"SecurityGroupIds", "security_groups", C_REFS, "AWS::EC2::SecurityGroup"},
      {"IamInstanceProfile", "role", C_PROFILE, NULL},
      {"KeyName", "key_name", C_EXPR, NULL},
      {"UserData", "user_data", C_USERDATA, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::EIP", "elastic_ip", {{"Domain", "", C_FIXED, "vpc"}, {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::EC2::NatGateway", "nat_gateway",
     {{"SubnetId", "subnet", C_REF, "AWS::EC2::Subnet"},
      {"AllocationId", "", C_HELD, NULL}, /* its elastic IP gives no attribute */
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::RDS::DBInstance", "database",
     {{"DBInstanceIdentifier", "identifier", C_EXPR, NULL},
      {"Engine", "engine", C_WORD, NULL},
      {"EngineVersion", "version", C_EXPR, NULL},
      {"DBInstanceClass", "class", C_EXPR, NULL},
      {"AllocatedStorage", "storage", C_GIB, NULL},
      {"DBName", "name", C_EXPR, NULL},
      {"MasterUsername", "username", C_EXPR, NULL},
      {"MasterUserPassword", "password", C_EXPR, NULL},
      {"ManageMasterUserPassword", "password", C_TRUE_WORD, "managed"},
      {"DBSubnetGroupName", "subnets", C_HELD, NULL},
      {"VPCSecurityGroups", "security_groups", C_REFS, "AWS::EC2::SecurityGroup"},
      {"MultiAZ", "multi_az", C_BOOL, NULL},
      {"StorageEncrypted", "encrypted", C_BOOL, NULL},
      {"PubliclyAccessible", "public", C_BOOL, NULL},
      {"BackupRetentionPeriod", "backup_retention", C_DAYS, NULL},
      {"DeletionProtection", "deletion_protection", C_BOOL, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::Route53::HostedZone", "zone",
     {{"Name", "domain", C_EXPR, NULL}, {"HostedZoneTags", "tags", C_TAGS, NULL}}},
    {"AWS::CertificateManager::Certificate", "certificate",
     {{"DomainName", "domain", C_EXPR, NULL},
      {"SubjectAlternativeNames", "alt_names", C_EXPR, NULL},
      {"ValidationMethod", "", C_FIXED, "DNS"},
      {"DomainValidationOptions", "validation", C_DNS, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "target_group",
     {{"Name", "name", C_EXPR, NULL},
      {"VpcId", "vpc", C_REF, "AWS::EC2::VPC"},
      {"Protocol", "protocol", C_WORD, NULL},
      {"Port", "port", C_INT, NULL},
      {"TargetType", "target_type", C_WORD, NULL},
      {"Tags", "tags", C_TAGS, NULL},
      /* last: the lines of one health_check { } */
      {"HealthCheckPath", "path", C_HEALTH, NULL},
      {"Matcher", "codes", C_MATCHER, NULL},
      {"HealthCheckIntervalSeconds", "interval", C_HEALTH, "s"},
      {"HealthCheckTimeoutSeconds", "timeout", C_HEALTH, "s"},
      {"HealthyThresholdCount", "healthy", C_HEALTH, "n"},
      {"UnhealthyThresholdCount", "unhealthy", C_HEALTH, "n"}}},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "load_balancer",
     {{"Name", "name", C_EXPR, NULL},
      {"Type", "", C_FIXED, "application"},
      {"Scheme", "scheme", C_WORD, NULL},
      {"Subnets", "subnets", C_REFS, "AWS::EC2::Subnet"},
      {"SecurityGroups", "security_groups", C_REFS, "AWS::EC2::SecurityGroup"},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::Route53::RecordSet", "record",
     {{"HostedZoneId", "zone", C_REF, "AWS::Route53::HostedZone"},
      {"Name", "name", C_EXPR, NULL},
      {"Type", "type", C_WORD, NULL},
      {"TTL", "ttl", C_INT, NULL},
      {"AliasTarget", "alias", C_ALIAS, NULL},
      {"ResourceRecords", "values", C_EXPR, NULL}}},
    {"AWS::ECR::Repository", "registry",
     {{"RepositoryName", "name", C_EXPR, NULL},
      {"ImageScanningConfiguration", "scan_on_push", C_SCAN, NULL},
      {"ImageTagMutability", "immutable_tags", C_IMMUTABLE, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::ECS::Cluster", "cluster",
     {{"ClusterName", "name", C_EXPR, NULL}, {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::Logs::LogGroup", "log_group",
     {{"LogGroupName", "name", C_EXPR, NULL},
      {"RetentionInDays", "retention", C_DAYS, NULL},
      {"Tags", "tags", C_TAGS, NULL}}},
    {"AWS::ECS::TaskDefinition", "task",
     {{"Family", "family", C_EXPR, NULL},
      {"RequiresCompatibilities", "compatibility", C_COMPAT, NULL},
      {"NetworkMode", "network_mode", C_WORD, NULL},
      {"Cpu", "cpu", C_INT, NULL},
      {"Memory", "memory", C_MIB, NULL},
      {"ExecutionRoleArn", "execution_role", C_ROLE, NULL},
      {"TaskRoleArn", "task_role", C_ROLE, NULL},
      {"Tags", "tags", C_TAGS, NULL},
      {"ContainerDefinitions", "container", C_CONTAINERS, NULL}}},
    {"AWS::ECS::Service", "service",
     {{"ServiceName", "name", C_EXPR, NULL},
      {"Cluster", "cluster", C_REF, "AWS::ECS::Cluster"},
      {"TaskDefinition", "task", C_REF, "AWS::ECS::TaskDefinition"},
      {"LaunchType", "launch_type", C_WORD, NULL},
      {"DesiredCount", "desired_count", C_INT, NULL},
      {"Tags", "tags", C_TAGS, NULL},
      {"LoadBalancers", "load_balancer", C_SERVICE_LB, NULL}}},
};

static int row_of(const char *cfn) {
  for (size_t i = 0; i < countof(rows); i++)
    if (!strcmp(rows[i].cfn, cfn))
      return (int)i;
  return -1;
}

/* ---- parts: the resources a kind makes beside its main one ---- */

static const char *type_of(const cJSON *t, const char *id) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "Resources"), id);
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
  return cJSON_IsString(type) ? type->valuestring : "";
}

static int res_index(const cJSON *t, const char *id) {
  int i = 0;
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(t, "Resources");
  for (const cJSON *r = cJSON_IsObject(res) ? res->child : NULL; r; r = r->next, i++)
    if (!strcmp(r->string, id))
      return i;
  return -1;
}

typedef enum {
  P_ATTACHMENT, /* an internet gateway's VPCGatewayAttachment: its `vpc` */
  P_ROUTE,      /* a table's Route: `route CIDR -> TARGET` */
  P_ASSOCIATION, /* a table's SubnetRouteTableAssociation: one of its `subnets` */
  P_LISTENER,    /* a balancer's Listener: `listener PROTO PORT { forward | redirect }` */
  P_EIP,         /* a NAT gateway's EIP: nothing to say, the kind makes it */
  P_SUBNET_GROUP, /* a database's DBSubnetGroup: its `subnets`, subnet_group_description */
  P_INGRESS,     /* a group's SecurityGroupIngress from another group: `ingress PROTO PORTS from GROUP` */
  P_EGRESS,      /* its SecurityGroupEgress to another group: `egress PROTO PORTS to GROUP` */
  P_PROFILE,     /* a role's InstanceProfile: profile_name */
  P_EIP_ASSOCIATION /* an elastic IP's EIPAssociation with an instance: `instance` */
} KindPart;

/* ORDER: any. A resource of type cfn whose property owner_prop is a Ref of
   a resource of type owner (its GetAtt owner_attr, when given) is written
   inside its owner's kind; a held part the other way round: the owner's
   property owner_prop names it, by Ref or (att) Fn::GetAtt att, and without
   such an owner it is a kind of its own (an elastic IP) or a `resource`. */
static const struct {
  const char *cfn, *owner, *owner_prop, *owner_attr;
  KindPart k;
  bool held;
  const char *att;
} parts[] = {
    {"AWS::EC2::VPCGatewayAttachment", "AWS::EC2::InternetGateway", "InternetGatewayId", NULL, P_ATTACHMENT, false, NULL},
    {"AWS::EC2::Route", "AWS::EC2::RouteTable", "RouteTableId", NULL, P_ROUTE, false, NULL},
    {"AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::RouteTable", "RouteTableId", NULL, P_ASSOCIATION, false, NULL},
    {"AWS::ElasticLoadBalancingV2::Listener", "AWS::ElasticLoadBalancingV2::LoadBalancer", "LoadBalancerArn",
     NULL, P_LISTENER, false, NULL},
    {"AWS::EC2::EIP", "AWS::EC2::NatGateway", "AllocationId", NULL, P_EIP, true, "AllocationId"},
    {"AWS::RDS::DBSubnetGroup", "AWS::RDS::DBInstance", "DBSubnetGroupName", NULL, P_SUBNET_GROUP, true, NULL},
    {"AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroup", "GroupId", "GroupId", P_INGRESS, false, NULL},
    {"AWS::EC2::SecurityGroupEgress", "AWS::EC2::SecurityGroup", "GroupId", "GroupId", P_EGRESS, false, NULL},
    /* Roles: a list of the one role, as the kind writes it */
    {"AWS::IAM::InstanceProfile", "AWS::IAM::Role", "Roles", NULL, P_PROFILE, false, NULL},
    {"AWS::EC2::EIPAssociation", "AWS::EC2::EIP", "AllocationId", "AllocationId", P_EIP_ASSOCIATION, false, NULL},
};

static int part_of(const char *cfn) {
  for (size_t i = 0; i < countof(parts); i++)
    if (!strcmp(parts[i].cfn, cfn))
      return (int)i;
  return -1;
}

/* Does v name resource id by Ref (att NULL) or Fn::GetAtt att, in either form? */
static bool names(const cJSON *v, const char *id, const char *att) {
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(v, att ? "Fn::GetAtt" : "Ref");
  if (!f || cJSON_GetArraySize(v) != 1)
    return false;
  if (!att)
    return cJSON_IsString(f) && !strcmp(f->valuestring, id);
  size_t n = strlen(id);
  if (cJSON_IsString(f))
    return !strncmp(f->valuestring, id, n) && f->valuestring[n] == '.' && !strcmp(f->valuestring + n + 1, att);
  const cJSON *a = cJSON_GetArrayItem(f, 0), *b = cJSON_GetArrayItem(f, 1);
  return cJSON_GetArraySize(f) == 2 && cJSON_IsString(a) && cJSON_IsString(b) && !strcmp(a->valuestring, id) &&
         !strcmp(b->valuestring, att);
}

/* The first resource of type owner whose property prop names held part id. */
static const cJSON *holder_of(const cJSON *t, int p, const char *id) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(t, "Resources");
  for (const cJSON *o = res ? res->child : NULL; o; o = o->next)
    if (!strcmp(type_of(t, o->string), parts[p].owner) &&
        names(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "Properties"), parts[p].owner_prop),
              id, parts[p].att))
      return o;
  return NULL;
}

/* The logical ID of the resource part r belongs to, or NULL. */
static const char *owner_of(const cJSON *t, const cJSON *r) {
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
  int p = cJSON_IsString(type) ? part_of(type->valuestring) : -1;
  if (p >= 0 && parts[p].held) {
    const cJSON *o = holder_of(t, p, r->string);
    return o ? o->string : NULL;
  }
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
  const cJSON *v = p < 0 ? NULL : cJSON_GetObjectItemCaseSensitive(props, parts[p].owner_prop);
  if (cJSON_IsArray(v))
    v = cJSON_GetArraySize(v) == 1 ? v->child : NULL;
  const cJSON *ref = cJSON_GetObjectItemCaseSensitive(v, "Ref");
  const cJSON *ga = cJSON_GetObjectItemCaseSensitive(v, "Fn::GetAtt"), *attr = cJSON_GetArrayItem(ga, 1);
  if (p >= 0 && parts[p].owner_attr && cJSON_GetArraySize(ga) == 2 && cJSON_IsString(attr) &&
      !strcmp(attr->valuestring, parts[p].owner_attr))
    ref = cJSON_GetArrayItem(ga, 0);
  return cJSON_IsString(ref) && !strcmp(type_of(t, ref->valuestring), parts[p].owner)
             ? ref->valuestring
             : NULL;
}

const char *import_kind_of(const char *cfn_type) {
  int i = row_of(cfn_type), p = part_of(cfn_type);
  return i >= 0 ? rows[i].kind : p >= 0 ? import_kind_of(parts[p].owner) : NULL;
}

/* Parts named by Ref or Fn::GetAtt under v stay `resource`s: written
   inside their owner they have no name (a launch configuration's instance
   profile, which the role kind would make). */
static void keep_named_parts(Imp *m, const cJSON *v) {
  const cJSON *ref = cJSON_GetArraySize(v) == 1 ? cJSON_GetObjectItemCaseSensitive(v, "Ref") : NULL;
  const char *id = cJSON_IsString(ref) ? ref->valuestring : NULL, *attr;
  size_t n;
  if (!id && cfn_getatt(v, &id, &n, &attr))
    id = arena_strndup(&m->a, id, n);
  int i = id ? res_index(m->t, id) : -1, p = i >= 0 ? part_of(type_of(m->t, id)) : -1;
  if (p >= 0 && !parts[p].held && m->kinds[i])
    m->kinds[i] = false;
  for (const cJSON *x = v ? v->child : NULL; x; x = x->next)
    keep_named_parts(m, x);
}

/* A part is written in its owner only when the owner is a kind, and no
   `resource` names it. */
void import_kinds_parts(Imp *m) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(m->t, "Resources");
  int i = 0;
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next, i++) {
    const char *owner = m->kinds[i] ? owner_of(m->t, r) : NULL;
    int p = part_of(type_of(m->t, r->string));
    if (m->kinds[i] && p >= 0 && !(owner && m->kinds[res_index(m->t, owner)]) && !(parts[p].held && !owner))
      m->kinds[i] = false;
  }
  i = 0;
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next, i++)
    if (!m->kinds[i])
      keep_named_parts(m, r);
}

const char *import_kind_owner(Imp *m, const char *id) {
  int i = res_index(m->t, id);
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m->t, "Resources"), id);
  const char *owner = i >= 0 && m->kinds && m->kinds[i] ? owner_of(m->t, r) : NULL;
  const Named *x = owner ? imp_find(&m->res, owner) : NULL;
  return x ? x->name : NULL;
}

/* Does the kind write prop itself ("CidrBlock=cidr ..." in kinds.c)? */
static bool kind_writes(const Schema *s, const char *prop) {
  size_t n = strlen(prop);
  for (const char *p = s->writes; p && *p;) {
    if (!strncmp(p, prop, n) && p[n] == '=')
      return true;
    p = strchr(p, ' ');
    p = p ? p + 1 : NULL;
  }
  return false;
}

/* The name of the resource v refers to by Ref (or a group's GetAtt
   GroupId), when it is of type; NULL otherwise. */
static const char *ref_name(Imp *m, const cJSON *v, const char *type) {
  if (!cJSON_IsObject(v) || !v->child || v->child->next)
    return NULL;
  const cJSON *a = v->child;
  const char *id = NULL;
  if (!strcmp(a->string, "Ref") && cJSON_IsString(a))
    id = a->valuestring;
  else if (!strcmp(a->string, "Fn::GetAtt") && !strcmp(type, "AWS::EC2::SecurityGroup")) {
    const cJSON *r = cJSON_GetArrayItem(a, 0), *n = cJSON_GetArrayItem(a, 1);
    if (cJSON_IsString(r) && cJSON_IsString(n) && !strcmp(n->valuestring, "GroupId"))
      id = r->valuestring;
    else if (cJSON_IsString(a)) {
      const char *dot = strchr(a->valuestring, '.');
      if (dot && !strcmp(dot + 1, "GroupId"))
        id = arena_strndup(&m->a, a->valuestring, (size_t)(dot - a->valuestring));
    }
  }
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(m->t, "Resources");
  const cJSON *t = id ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, id), "Type") : NULL;
  const Named *x = id ? imp_find(&m->res, id) : NULL;
  return x && cJSON_IsString(t) && !strcmp(t->valuestring, type) ? x->name : NULL;
}

static bool whole(const cJSON *v, long long *out) {
  const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
  if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble) {
    *out = (long long)v->valuedouble;
    return true;
  }
  if (s && *s && strspn(s + (*s == '-'), "0123456789") == strlen(s + (*s == '-'))) {
    *out = atoll(s);
    return true;
  }
  return false;
}

static bool cidr_text(const char *s) {
  return *s && strspn(s, "0123456789./") == strlen(s) && strchr(s, '/');
}

/* "internet-facing" -> "internet_facing", "HTTP" -> "http": one of the words, or NULL */
static const char *word_of(Imp *m, const AttrDef *ad, const char *s) {
  for (int lower = 0; lower < 2; lower++) {
    char *w = arena_strndup(&m->a, s, strlen(s));
    for (char *p = w; *p && lower; p++)
      *p = *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    size_t n = strlen(w);
    for (const char *p = ad->words; n && p && *p;) {
      if (!strncmp(p, w, n) && (p[n] == ' ' || !p[n]))
        return w;
      p = strchr(p, ' ');
      p = p ? p + 1 : NULL;
    }
  }
  return NULL;
}

static bool tags(Imp *m, const cJSON *v, const char *path) {
  if (v && !cJSON_IsArray(v))
    return false;
  bool named = false;
  for (const cJSON *t = v ? v->child : NULL; t; t = t->next) {
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "Key");
    if (cJSON_GetArraySize(t) != 2 || !cJSON_IsString(k) || !imp_is_ident(k->valuestring) ||
        !cJSON_GetObjectItemCaseSensitive(t, "Value"))
      return false;
    named |= !strcmp(k->valuestring, "Name");
  }
  buf_puts(&m->out, "  tags {\n");
  if (!named) /* the kind's own Name tag, left out as the template has none */
    buf_puts(&m->out, "    Name = aws.no_value\n");
  for (const cJSON *t = v ? v->child : NULL; t; t = t->next) {
    buf_printf(&m->out, "    %s = ", cJSON_GetObjectItemCaseSensitive(t, "Key")->valuestring);
    imp_value(m, cJSON_GetObjectItemCaseSensitive(t, "Value"), path);
    buf_puts(&m->out, "\n");
  }
  buf_puts(&m->out, "  }\n");
  return true;
}

/* One rule as `ingress tcp 22 from 0.0.0.0/0`, as the kind writes it back:
   IpProtocol tcp, udp, icmp or -1, ports as numbers, a range or a group. */
static bool rule(Imp *m, const cJSON *r, const char *dir, const char *path) {
  const cJSON *proto = cJSON_GetObjectItemCaseSensitive(r, "IpProtocol");
  const cJSON *cidr = cJSON_GetObjectItemCaseSensitive(r, "CidrIp");
  const char *gkey = !strcmp(dir, "ingress") ? "SourceSecurityGroupId" : "DestinationSecurityGroupId";
  const cJSON *group = cJSON_GetObjectItemCaseSensitive(r, gkey);
  const char *known[] = {"IpProtocol", "FromPort", "ToPort", "CidrIp", gkey};
  for (const cJSON *k = r->child; k; k = k->next) {
    size_t i = 0;
    while (i < countof(known) && strcmp(known[i], k->string))
      i++;
    if (i == countof(known))
      return false; /* a Description, an IPv6 range, a prefix list: the kind has no word for it */
  }
  long long lo = -1, hi = -1, p = 0;
  const char *word = NULL;
  if (whole(proto, &p) && p == -1)
    word = "all";
  else if (cJSON_IsString(proto) && (!strcmp(proto->valuestring, "tcp") || !strcmp(proto->valuestring, "udp") ||
                                     !strcmp(proto->valuestring, "icmp")))
    word = proto->valuestring;
  const cJSON *from = cJSON_GetObjectItemCaseSensitive(r, "FromPort");
  const cJSON *to = cJSON_GetObjectItemCaseSensitive(r, "ToPort");
  if (!word || (from && !whole(from, &lo)) || (to && !whole(to, &hi)) || (!cidr == !group))
    return false;
  if (!strcmp(word, "all") && (from || to))
    return false;
  buf_printf(&m->out, "  %s %s", dir, word);
  if (lo == hi && lo >= 0)
    buf_printf(&m->out, " %lld", lo);
  else if (lo >= 0 && hi > lo)
    buf_printf(&m->out, " %lld..%lld", lo, hi);
  else if (lo != -1 || hi != -1)
    return false;
  buf_printf(&m->out, " %s ", !strcmp(dir, "ingress") ? "from" : "to");
  if (group) {
    const char *g = ref_name(m, group, "AWS::EC2::SecurityGroup");
    if (!g)
      return false;
    buf_puts(&m->out, g);
  } else if (cJSON_IsString(cidr) && cidr_text(cidr->valuestring)) {
    buf_puts(&m->out, cidr->valuestring);
  } else {
    imp_value(m, cidr, path);
  }
  buf_puts(&m->out, "\n");
  return true;
}

static bool only_props(const cJSON *props, const char *const *keys, size_t n) {
  for (const cJSON *p = cJSON_IsObject(props) ? props->child : NULL; p; p = p->next) {
    size_t i = 0;
    while (i < n && keys[i] && strcmp(keys[i], p->string))
      i++;
    if (i == n || !keys[i])
      return false;
  }
  return true;
}

/* A listener as `listener http 80 { forward = web }`: one action, a
   forward to a target group or a redirect (the kind's HTTP_301 to the
   other protocol's listener), a certificate of the stack's. */
static bool listener(Imp *m, const cJSON *props, long long port, const char *path) {
  const cJSON *proto = cJSON_GetObjectItemCaseSensitive(props, "Protocol");
  const cJSON *actions = cJSON_GetObjectItemCaseSensitive(props, "DefaultActions");
  const cJSON *a = cJSON_GetArrayItem(actions, 0), *type = cJSON_GetObjectItemCaseSensitive(a, "Type");
  const cJSON *policy = cJSON_GetObjectItemCaseSensitive(props, "SslPolicy");
  const cJSON *certs = cJSON_GetObjectItemCaseSensitive(props, "Certificates");
  const char *word = !cJSON_IsString(proto) ? NULL : !strcmp(proto->valuestring, "HTTP") ? "http"
                     : !strcmp(proto->valuestring, "HTTPS")                             ? "https"
                                                                                        : NULL;
  if (!word || cJSON_GetArraySize(actions) != 1 || !cJSON_IsString(type) || cJSON_GetArraySize(certs) > 1)
    return false;
  buf_printf(&m->out, "  listener %s %lld {\n", word, port);
  if (!strcmp(type->valuestring, "forward") && cJSON_GetArraySize(a) == 2) {
    const char *tg = ref_name(m, cJSON_GetObjectItemCaseSensitive(a, "TargetGroupArn"),
                              "AWS::ElasticLoadBalancingV2::TargetGroup");
    if (!tg)
      return false;
    buf_printf(&m->out, "    forward = %s\n", tg);
  } else if (!strcmp(type->valuestring, "redirect") && cJSON_GetArraySize(a) == 2) {
    const cJSON *rc = cJSON_GetObjectItemCaseSensitive(a, "RedirectConfig");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(rc, "Protocol");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(rc, "StatusCode");
    if (cJSON_GetArraySize(rc) != 3 || !cJSON_IsString(to) || !cJSON_IsString(code) ||
        strcmp(code->valuestring, "HTTP_301") ||
        (strcmp(to->valuestring, "HTTPS") && strcmp(to->valuestring, "HTTP")))
      return false;
    buf_printf(&m->out, "    redirect = %s\n", to->valuestring[4] ? "https" : "http");
  } else {
    return false;
  }
  if (certs) {
    const cJSON *c = cJSON_GetArrayItem(certs, 0);
    const cJSON *arn = cJSON_GetArraySize(c) == 1 ? cJSON_GetObjectItemCaseSensitive(c, "CertificateArn") : NULL;
    const char *cert = ref_name(m, arn, "AWS::CertificateManager::Certificate");
    if (!cert)
      return false;
    buf_printf(&m->out, "    certificate = %s\n", cert);
  }
  if (policy) {
    buf_puts(&m->out, "    ssl_policy = ");
    imp_value(m, policy, arena_printf(&m->a, "%s.SslPolicy", path));
    buf_puts(&m->out, "\n");
  }
  buf_puts(&m->out, "  }\n");
  return true;
}

/* A group's rule to or from another group as its statement: the kind
   writes it as a resource of its own (lower_net.c), named after the
   group, the direction and its place among the group's rules of that
   direction (*n), which the template's ID must be: the kind has no
   part_ids for it. */
static bool group_rule(Imp *m, const cJSON *r, const cJSON *props, const char *dir, const Named *x,
                       int *n, const char **derived) {
  const char *part = !strcmp(dir, "ingress") ? "Ingress" : "Egress";
  *derived = arena_printf(&m->a, "%s%s%d", x->id, part, ++*n);
  if (strcmp(*derived, r->string))
    return false;
  cJSON *one = cJSON_Duplicate(props, true); /* the rule, as the group's list holds it */
  cJSON_DeleteItemFromObjectCaseSensitive(one, "GroupId");
  bool ok = rule(m, one, dir, arena_printf(&m->a, "Resources.%s.Properties", r->string));
  cJSON_Delete(one);
  return ok;
}

/* Part r (of kind k) in the body of kind x, as its statement, or false
   (nothing written). *suffix is its name in part_ids, *derived the ID the
   kind gives it; n counts x's parts by kind (routes, rules); an
   association's subnet goes to subnets. */
static bool write_part(Imp *m, const cJSON *r, KindPart k, const Named *x, int *n, Buf *subnets,
                       const char **suffix, const char **derived) {
  static const char *const keys[][6] = {
      [P_ATTACHMENT] = {"InternetGatewayId", "VpcId"},
      [P_ROUTE] = {"RouteTableId", "DestinationCidrBlock", "GatewayId", "InstanceId", "NatGatewayId"},
      [P_ASSOCIATION] = {"RouteTableId", "SubnetId"},
      [P_LISTENER] = {"LoadBalancerArn", "Port", "Protocol", "DefaultActions", "SslPolicy", "Certificates"},
      [P_EIP] = {"Domain", "Tags"},
      [P_SUBNET_GROUP] = {"DBSubnetGroupName", "DBSubnetGroupDescription", "SubnetIds", "Tags"},
      [P_INGRESS] = {"GroupId", "IpProtocol", "FromPort", "ToPort", "SourceSecurityGroupId"},
      [P_EGRESS] = {"GroupId", "IpProtocol", "FromPort", "ToPort", "DestinationSecurityGroupId"},
      [P_PROFILE] = {"Roles", "InstanceProfileName"},
      [P_EIP_ASSOCIATION] = {"AllocationId", "InstanceId"}};
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
  const char *name;
  long long port;
  if (!only_props(props, keys[k], countof(keys[0])))
    return false;
  switch (k) {
  case P_ATTACHMENT:
    if (!(name = ref_name(m, cJSON_GetObjectItemCaseSensitive(props, "VpcId"), "AWS::EC2::VPC")))
      return false;
    buf_printf(&m->out, "  vpc = %s\n", name);
    *suffix = "Attachment";
    *derived = lower_logical_id(&m->a, x->name, *suffix);
    return true;
  case P_ROUTE: {
    const cJSON *gw = cJSON_GetObjectItemCaseSensitive(props, "GatewayId");
    const cJSON *inst = cJSON_GetObjectItemCaseSensitive(props, "InstanceId");
    const cJSON *nat = cJSON_GetObjectItemCaseSensitive(props, "NatGatewayId");
    const cJSON *cidr = cJSON_GetObjectItemCaseSensitive(props, "DestinationCidrBlock");
    name = gw    ? ref_name(m, gw, "AWS::EC2::InternetGateway")
           : nat ? ref_name(m, nat, "AWS::EC2::NatGateway")
                 : ref_name(m, inst, "AWS::EC2::Instance");
    const cJSON *nid = cJSON_GetObjectItemCaseSensitive(nat, "Ref");
    if (!name || !!gw + !!inst + !!nat != 1 || !cidr ||
        (nat && !m->kinds[res_index(m->t, nid->valuestring)])) /* a `resource` NAT's ID would be InstanceId */
      return false;
    buf_puts(&m->out, "  route ");
    if (cJSON_IsString(cidr) && cidr_text(cidr->valuestring))
      buf_puts(&m->out, cidr->valuestring);
    else
      imp_value(m, cidr, arena_printf(&m->a, "Resources.%s.Properties.DestinationCidrBlock", r->string));
    buf_printf(&m->out, " -> %s\n", name);
    *suffix = arena_printf(&m->a, "Route%d", ++n[P_ROUTE]);
    *derived = arena_printf(&m->a, "%s%s", x->id, *suffix);
    return true;
  }
  case P_ASSOCIATION:
    if (!(name = ref_name(m, cJSON_GetObjectItemCaseSensitive(props, "SubnetId"), "AWS::EC2::Subnet")))
      return false;
    buf_printf(subnets, "%s%s", subnets->len ? ", " : "", name);
    *suffix = lower_logical_id(&m->a, name, "");
    *derived = arena_printf(&m->a, "%s%s", x->id, *suffix);
    return true;
  case P_LISTENER:
    if (!whole(cJSON_GetObjectItemCaseSensitive(props, "Port"), &port) ||
        !listener(m, props, port, arena_printf(&m->a, "Resources.%s.Properties", r->string)))
      return false;
    *suffix = arena_printf(&m->a, "Listener%lld", port);
    *derived = lower_logical_id(&m->a, x->name, *suffix);
    return true;
  case P_EIP: { /* the kind's own: Domain vpc, the gateway's tags unless eip_tags */
    const cJSON *domain = cJSON_GetObjectItemCaseSensitive(props, "Domain");
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(props, "Tags");
    const cJSON *nat = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m->t, "Resources"), x->id);
    const cJSON *theirs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(nat, "Properties"), "Tags");
    if (!cJSON_IsString(domain) || strcmp(domain->valuestring, "vpc") || (own && !cJSON_IsArray(own)))
      return false;
    if (!(own ? theirs && cJSON_Compare(own, theirs, true) : !theirs)) {
      buf_puts(&m->out, "  eip_tags {\n");
      for (const cJSON *t = own ? own->child : NULL; t; t = t->next) {
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(t, "Key"), *v = cJSON_GetObjectItemCaseSensitive(t, "Value");
        if (cJSON_GetArraySize(t) != 2 || !cJSON_IsString(key) || !imp_is_ident(key->valuestring) || !v)
          return false;
        buf_printf(&m->out, "    %s = ", key->valuestring);
        imp_value(m, v, arena_printf(&m->a, "Resources.%s.Properties.Tags", r->string));
        buf_puts(&m->out, "\n");
      }
      buf_puts(&m->out, "  }\n");
    }
    *suffix = "Eip";
    *derived = lower_logical_id(&m->a, x->name, *suffix);
    return true;
  }
  case P_SUBNET_GROUP: { /* its tags are the database's (the build compares those) */
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(props, "SubnetIds");
    const cJSON *about = cJSON_GetObjectItemCaseSensitive(props, "DBSubnetGroupDescription");
    const cJSON *gname = cJSON_GetObjectItemCaseSensitive(props, "DBSubnetGroupName");
    if (!cJSON_IsArray(ids) || !about)
      return false;
    if (gname) {
      buf_puts(&m->out, "  subnet_group_name = ");
      imp_value(m, gname, arena_printf(&m->a, "Resources.%s.Properties.DBSubnetGroupName", r->string));
      buf_puts(&m->out, "\n");
    }
    buf_puts(&m->out, "  subnets = [");
    for (const cJSON *id = ids->child; id; id = id->next) {
      if (!(name = ref_name(m, id, "AWS::EC2::Subnet")))
        return false;
      buf_printf(&m->out, "%s%s", id == ids->child ? "" : ", ", name);
    }
    buf_puts(&m->out, "]\n");
    if (!cJSON_IsString(about) || strcmp(about->valuestring, arena_printf(&m->a, "subnets of database %s", x->name))) {
      buf_puts(&m->out, "  subnet_group_description = ");
      imp_value(m, about, arena_printf(&m->a, "Resources.%s.Properties.DBSubnetGroupDescription", r->string));
      buf_puts(&m->out, "\n");
    }
    *suffix = "SubnetGroup";
    *derived = lower_logical_id(&m->a, x->name, *suffix);
    return true;
  }
  case P_INGRESS:
  case P_EGRESS:
    return group_rule(m, r, props, k == P_INGRESS ? "ingress" : "egress", x, &n[k], derived);
  case P_PROFILE: {
    const cJSON *pn = cJSON_GetObjectItemCaseSensitive(props, "InstanceProfileName");
    if (pn) {
      buf_puts(&m->out, "  profile_name = ");
      imp_value(m, pn, arena_printf(&m->a, "Resources.%s.Properties.InstanceProfileName", r->string));
      buf_puts(&m->out, "\n");
    }
    *suffix = "InstanceProfile";
    *derived = lower_logical_id(&m->a, x->name, *suffix);
    return true;
  }
  case P_EIP_ASSOCIATION:
    if (!(name = ref_name(m, cJSON_GetObjectItemCaseSensitive(props, "InstanceId"), "AWS::EC2::Instance")))
      return false;
    buf_printf(&m->out, "  instance = %s\n", name);
    *suffix = "Association";
    *derived = lower_logical_id(&m->a, x->name, *suffix);
    return true;
  }
  return false;
}

/* The parts of kind x (its attachment, its routes and associations, its
   listeners) in its body, and in pins the part_ids entries of those whose
   ID is not the one the kind derives. A part the kind cannot say stays a
   `resource` beside it (a route to a NAT gateway); an internet gateway
   without its attachment has no vpc, and is no kind. */
static void write_parts(Imp *m, const Named *x, Buf *pins, bool *attached) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(m->t, "Resources");
  const cJSON *own = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, x->id), "Properties");
  int i = 0, n[P_EIP_ASSOCIATION + 1] = {0};
  /* a group's rules in its own lists come first: the kind counts them too */
  n[P_INGRESS] = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(own, "SecurityGroupIngress"));
  n[P_EGRESS] = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(own, "SecurityGroupEgress"));
  Buf subnets = {0};
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next, i++) {
    int p = part_of(type_of(m->t, r->string));
    const char *owner = p >= 0 && m->kinds[i] ? owner_of(m->t, r) : NULL;
    if (!owner || strcmp(owner, x->id))
      continue;
    const char *suffix = "", *derived = "";
    size_t at = m->out.len, sat = subnets.len;
    int nat = n[parts[p].k];
    if ((parts[p].k == P_ATTACHMENT && *attached) ||
        !write_part(m, r, parts[p].k, x, n, &subnets, &suffix, &derived) || m->err[0]) {
      m->out.len = at, subnets.len = sat, n[parts[p].k] = nat, m->err[0] = 0;
      m->kinds[i] = false;
      continue;
    }
    *attached |= parts[p].k == P_ATTACHMENT;
    if (strcmp(derived, r->string))
      buf_printf(pins, "%s%s = \"%s\"", pins->len ? ", " : "", suffix, r->string);
  }
  if (subnets.len)
    buf_printf(&m->out, "  subnets = [%.*s]\n", (int)subnets.len, subnets.s);
  buf_free(&subnets);
}

/* Does v name a part that kind x holds, and wrote (write_parts)? */
static bool held(Imp *m, const Named *x, const cJSON *v) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(m->t, "Resources");
  int i = 0;
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next, i++) {
    int p = part_of(type_of(m->t, r->string));
    const char *owner = p >= 0 && parts[p].held && m->kinds[i] ? owner_of(m->t, r) : NULL;
    if (owner && !strcmp(owner, x->id) && names(v, r->string, parts[p].att))
      return true;
  }
  return false;
}

/* The resource and attribute of a Fn::GetAtt, in either form, the ID ended. */
static bool getatt(Imp *m, const cJSON *v, const char **id, const char **attr) {
  size_t n;
  if (!cfn_getatt(v, id, &n, attr))
    return false;
  *id = arena_strndup(&m->a, *id, n);
  return true;
}

/* Does object o have exactly the keys of keys (NULL-ended), each once? */
static bool exactly(const cJSON *o, const char *const *keys) {
  int n = 0;
  while (keys[n])
    n++;
  if (!cJSON_IsObject(o) || cJSON_GetArraySize(o) != n)
    return false;
  for (int i = 0; i < n; i++)
    if (!cJSON_GetObjectItemCaseSensitive(o, keys[i]))
      return false;
  return true;
}

static bool text_is(const cJSON *v, const char *s) {
  return cJSON_IsString(v) && !strcmp(v->valuestring, s);
}

/* The services a role's trust policy lets assume it, as the role kind
   writes the policy (lower_app.c), or NULL. */
static const cJSON *trusted(const cJSON *doc) {
  static const char *const dkeys[] = {"Version", "Statement", NULL};
  static const char *const skeys[] = {"Effect", "Principal", "Action", NULL};
  static const char *const pkeys[] = {"Service", NULL};
  const cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "Statement"), 0);
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(st, "Principal");
  if (!exactly(doc, dkeys) || !text_is(cJSON_GetObjectItemCaseSensitive(doc, "Version"), "2012-10-17") ||
      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "Statement")) != 1 || !exactly(st, skeys) ||
      !text_is(cJSON_GetObjectItemCaseSensitive(st, "Effect"), "Allow") ||
      !text_is(cJSON_GetObjectItemCaseSensitive(st, "Action"), "sts:AssumeRole") || !exactly(pr, pkeys))
    return NULL;
  return cJSON_GetObjectItemCaseSensitive(pr, "Service");
}

/* ":rest" of "arn:${AWS::Partition}:rest" (parts: the text "arn:", Ref
   AWS::Partition, text), what lower_arn makes of "arn:aws:rest"; or NULL. */
static const char *partition_arn(const cJSON *v) {
  const cJSON *x = cfn_parts_items(v);
  Part p[3];
  for (int i = 0; i < 3; i++, x = x ? x->next : NULL) {
    if (!x)
      return NULL;
    cfn_part(x, &p[i]);
  }
  if (x || p[0].k != PART_TEXT || strcmp(p[0].s, "arn:") || p[1].k != PART_REF ||
      strcmp(p[1].s, "AWS::Partition") || p[2].k != PART_TEXT || p[2].s[0] != ':' || strchr(p[2].s, '"') ||
      strchr(p[2].s, '\\') || strchr(p[2].s, '$'))
    return NULL;
  return p[2].s;
}

/* A service's load balancers as its `load_balancer` blocks. */
static bool service_lbs(Imp *m, const cJSON *v) {
  static const char *const keys[] = {"TargetGroupArn", "ContainerName", "ContainerPort", NULL};
  if (!cJSON_IsArray(v))
    return false;
  for (const cJSON *b = v->child; b; b = b->next) {
    const char *tg = exactly(b, keys) ? ref_name(m, cJSON_GetObjectItemCaseSensitive(b, "TargetGroupArn"),
                                                 "AWS::ElasticLoadBalancingV2::TargetGroup")
                                      : NULL;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(b, "ContainerName");
    long long port;
    if (!tg || !cJSON_IsString(c) || !imp_is_ident(c->valuestring) ||
        !whole(cJSON_GetObjectItemCaseSensitive(b, "ContainerPort"), &port))
      return false;
    buf_printf(&m->out, "  load_balancer {\n    target_group = %s\n    container    = %s\n    port         = %lld\n  }\n",
               tg, c->valuestring, port);
  }
  return true;
}

/* Property p (its value v) as attribute map->attr of kind s; false when the
   value cannot be said that way. */
static bool attribute(Imp *m, const Schema *s, const Map *map, const cJSON *v, const char *path) {
  int ai = map->attr[0] ? kind_attr_index(s, map->attr) : -1;
  const AttrDef *ad = ai >= 0 ? &s->attrs[ai] : NULL;
  long long n;
  const char *name;
  switch (map->conv) {
  case C_HEALTH:
    buf_printf(&m->out, "    %s = ", map->attr);
    if (map->arg && whole(v, &n))
      buf_printf(&m->out, "%lld%s\n", n, !strcmp(map->arg, "s") ? "s" : "");
    else if (!map->arg && cJSON_IsString(v))
      imp_value(m, v, path), buf_puts(&m->out, "\n");
    else
      return false;
    return true;
  case C_USERDATA: {
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(v, "Fn::Base64");
    if (cJSON_GetArraySize(v) != 1 || !body)
      return false;
    const cJSON *ref = NULL;
    cJSON *rest = import_ecs_join(body, &ref);
    const char *cluster = rest ? ref_name(m, ref, "AWS::ECS::Cluster") : NULL;
    if (cluster)
      buf_printf(&m->out, "  cluster = %s\n", cluster);
    if (!cluster || !import_parts_empty(rest)) {
      buf_puts(&m->out, "  user_data = ");
      imp_value(m, cluster ? rest : body, path);
      buf_puts(&m->out, "\n");
    }
    cJSON_Delete(rest);
    return true;
  }
  case C_MATCHER: {
    const cJSON *codes = cJSON_GetObjectItemCaseSensitive(v, "HttpCode");
    if (cJSON_GetArraySize(v) != 1 || !cJSON_IsString(codes))
      return false;
    buf_puts(&m->out, "    codes = ");
    imp_value(m, codes, path);
    buf_puts(&m->out, "\n");
    return true;
  }
  case C_FIXED:
    return cJSON_IsString(v) && !strcmp(v->valuestring, map->arg);
  case C_HELD: /* write_parts writes the part; held() makes sure it did */
    return true;
  case C_CONTAINERS:
    return import_containers(m, v, path);
  case C_SERVICE_LB:
    return service_lbs(m, v);
  case C_ARNS: {
    if (!cJSON_IsArray(v))
      return false;
    buf_printf(&m->out, "  %s = [", map->attr);
    for (const cJSON *x = v->child; x; x = x->next) {
      const char *rest = partition_arn(x);
      buf_puts(&m->out, x == v->child ? "" : ", ");
      if (rest)
        buf_printf(&m->out, "\"arn:aws%s\"", rest);
      else if (cJSON_IsString(x))
        imp_value(m, x, path);
      else
        return false;
    }
    buf_puts(&m->out, "]\n");
    return true;
  }
  case C_TRUST: {
    const cJSON *services = trusted(v);
    if (!services)
      return false;
    buf_puts(&m->out, "  assumed_by = ");
    imp_value(m, services, path);
    buf_puts(&m->out, "\n");
    return true;
  }
  case C_PROFILE: { /* the profile is the role kind's part (write_parts) */
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(m->t, "Resources");
    const cJSON *ref = cJSON_GetArraySize(v) == 1 ? cJSON_GetObjectItemCaseSensitive(v, "Ref") : NULL;
    const cJSON *prof = cJSON_IsString(ref) ? cJSON_GetObjectItemCaseSensitive(res, ref->valuestring) : NULL;
    const cJSON *roles = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(prof, "Properties"), "Roles");
    if (!prof || !text_is(cJSON_GetObjectItemCaseSensitive(prof, "Type"), "AWS::IAM::InstanceProfile") ||
        cJSON_GetArraySize(roles) != 1 || !(name = ref_name(m, roles->child, "AWS::IAM::Role")))
      return false;
    buf_printf(&m->out, "  role = %s\n", name);
    return true;
  }
  case C_ALIAS: {
    static const char *const keys[] = {"DNSName", "HostedZoneId", NULL};
    static const char *const keys3[] = {"DNSName", "HostedZoneId", "EvaluateTargetHealth", NULL};
    const char *lb, *attr, *lb2, *attr2;
    const Named *x;
    const cJSON *eth = cJSON_GetObjectItemCaseSensitive(v, "EvaluateTargetHealth");
    if (!(exactly(v, keys) || (exactly(v, keys3) && cJSON_IsFalse(eth))) || /* the kind's false */
        !getatt(m, cJSON_GetObjectItemCaseSensitive(v, "DNSName"), &lb, &attr) ||
        !getatt(m, cJSON_GetObjectItemCaseSensitive(v, "HostedZoneId"), &lb2, &attr2) || strcmp(lb, lb2) ||
        strcmp(attr, "DNSName") || strcmp(attr2, "CanonicalHostedZoneID") ||
        strcmp(type_of(m->t, lb), "AWS::ElasticLoadBalancingV2::LoadBalancer") || !(x = imp_find(&m->res, lb)))
      return false;
    buf_printf(&m->out, "  alias = %s\n", x->name);
    return true;
  }
  case C_TRUE_WORD:
    if (!cJSON_IsTrue(v) && !(cJSON_IsString(v) && !strcmp(v->valuestring, "true")))
      return false;
    buf_printf(&m->out, "  %s = %s\n", map->attr, map->arg);
    return true;
  case C_DNS: { /* the names are the domain and alt_names, in order: the build compares them */
    const char *zone = NULL;
    for (const cJSON *o = cJSON_IsArray(v) ? v->child : NULL; o; o = o->next) {
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "HostedZoneId");
      const char *z = ref_name(m, id, "AWS::Route53::HostedZone");
      if (cJSON_GetArraySize(o) != 2 || !cJSON_GetObjectItemCaseSensitive(o, "DomainName") || !z ||
          (zone && strcmp(z, zone)))
        return false;
      zone = z;
    }
    if (!zone)
      return false;
    buf_printf(&m->out, "  validation = dns(%s)\n", zone);
    return true;
  }
  case C_TAGS:
    return tags(m, v, path);
  case C_RULES:
    if (!cJSON_IsArray(v))
      return false;
    for (const cJSON *r = v->child; r; r = r->next)
      if (!cJSON_IsObject(r) || !rule(m, r, map->arg, path))
        return false;
    return true;
  case C_SCAN: {
    const cJSON *scan = cJSON_GetObjectItemCaseSensitive(v, "ScanOnPush");
    if (cJSON_GetArraySize(v) != 1 || !cJSON_IsBool(scan))
      return false;
    buf_printf(&m->out, "  scan_on_push = %s\n", cJSON_IsTrue(scan) ? "true" : "false");
    return true;
  }
  case C_IMMUTABLE:
    if (!cJSON_IsString(v) || (strcmp(v->valuestring, "IMMUTABLE") && strcmp(v->valuestring, "MUTABLE")))
      return false;
    buf_printf(&m->out, "  immutable_tags = %s\n", v->valuestring[0] == 'I' ? "true" : "false");
    return true;
  default:
    break;
  }
  if (!ad)
    return false;
  buf_printf(&m->out, "  %s = ", map->attr);
  switch (map->conv) {
  case C_CIDR:
    if (cJSON_IsString(v) && cidr_text(v->valuestring))
      buf_puts(&m->out, v->valuestring);
    else
      imp_value(m, v, path);
    break;
  case C_BOOL:
    if (cJSON_IsString(v) && (!strcmp(v->valuestring, "true") || !strcmp(v->valuestring, "false")))
      buf_puts(&m->out, v->valuestring);
    else
      imp_value(m, v, path);
    break;
  case C_INT:
    if (whole(v, &n))
      buf_printf(&m->out, "%lld", n);
    else
      imp_value(m, v, path);
    break;
  case C_DAYS:
    if (!whole(v, &n))
      return false;
    buf_printf(&m->out, "%lldd", n);
    break;
  case C_GIB:
  case C_MIB:
    if (!whole(v, &n))
      return false;
    buf_printf(&m->out, "%lld%s", n, map->conv == C_GIB ? "GiB" : "MiB");
    break;
  case C_ROLE:
    if (!(name = import_role_arn(m, v)))
      return false;
    buf_puts(&m->out, name);
    break;
  case C_COMPAT:
    if (cJSON_GetArraySize(v) != 1 || !cJSON_IsString(v->child) || !(name = word_of(m, ad, v->child->valuestring)))
      return false;
    buf_puts(&m->out, name);
    break;
  case C_WORD:
    if (!cJSON_IsString(v) || !(name = word_of(m, ad, v->valuestring)))
      return false;
    buf_puts(&m->out, name);
    break;
  case C_REF:
    if (!(name = ref_name(m, v, map->arg)))
      return false;
    buf_puts(&m->out, name);
    break;
  case C_REFS:
    if (!cJSON_IsArray(v))
      return false;
    buf_puts(&m->out, "[");
    for (const cJSON *x = v->child; x; x = x->next) {
      if (!(name = ref_name(m, x, map->arg)))
        return false;
      buf_printf(&m->out, "%s%s", x == v->child ? "" : ", ", name);
    }
    buf_puts(&m->out, "]");
    break;
  default: /* C_EXPR; arg: a function the kind adds itself (UserData's Fn::Base64) */
    if (map->arg) {
      const cJSON *inner = cJSON_GetObjectItemCaseSensitive(v, map->arg);
      if (cJSON_GetArraySize(v) != 1 || !inner)
        return false;
      v = inner;
    }
    imp_value(m, v, path);
  }
  buf_puts(&m->out, "\n");
  return true;
}

bool import_kind_decl(Imp *m, const cJSON *r, const Named *x, const char *path) {
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
  int pk = cJSON_IsString(type) ? part_of(type->valuestring) : -1;
  if (pk >= 0 && (!parts[pk].held || owner_of(m->t, r))) /* its owner writes it */
    return owner_of(m->t, r) != NULL;
  int row = cJSON_IsString(type) ? row_of(type->valuestring) : -1;
  const Schema *s = row >= 0 ? kind_find(rows[row].kind) : NULL;
  if (!s)
    return false;
  size_t start = m->out.len;
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
  buf_printf(&m->out, "\n%s %s", s->name, x->name);
  bool ok = imp_condition(m, r, path);
  buf_puts(&m->out, " {\n");
  /* the attributes, in the row's order */
  bool given[countof(rows[0].map)] = {0}, block = false;
  for (size_t i = 0; ok && i < countof(rows[0].map) && rows[row].map[i].prop; i++) {
    const Map *map = &rows[row].map[i];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, map->prop);
    given[i] = v != NULL;
    if (v && (map->conv == C_HEALTH || map->conv == C_MATCHER) && !block) {
      buf_puts(&m->out, "  health_check {\n");
      block = true;
    }
    if (v)
      ok = attribute(m, s, map, v, arena_printf(&m->a, "%s.Properties.%s", path, map->prop));
    else if (map->conv == C_TAGS) /* none: not even the kind's Name tag */
      ok = tags(m, NULL, path);
  }
  if (block)
    buf_puts(&m->out, "  }\n");
  Buf pins = {0};
  bool attached = false; /* an internet gateway's vpc, from its attachment */
  if (ok)
    write_parts(m, x, &pins, &attached);
  for (size_t i = 0; ok && i < countof(rows[0].map) && rows[row].map[i].prop; i++)
    if (rows[row].map[i].conv == C_HELD)
      ok = given[i] && held(m, x, cJSON_GetObjectItemCaseSensitive(props, rows[row].map[i].prop));
  for (int i = 0; ok && i < s->nattrs; i++) { /* a required attribute the template does not give */
    bool has = !s->attrs[i].required || (attached && !strcmp(s->attrs[i].name, "vpc"));
    for (size_t k = 0; !has && k < countof(rows[0].map) && rows[row].map[k].prop; k++)
      has = given[k] && !strcmp(rows[row].map[k].attr, s->attrs[i].name);
    ok = has;
  }
  /* the rest: properties of the main resource the kind does not write */
  bool open = false;
  for (const cJSON *p = cJSON_IsObject(props) ? props->child : NULL; ok && p; p = p->next) {
    size_t i = 0;
    while (i < countof(rows[0].map) && rows[row].map[i].prop && strcmp(rows[row].map[i].prop, p->string))
      i++;
    if (i < countof(rows[0].map) && rows[row].map[i].prop)
      continue;
    if (kind_writes(s, p->string) || !imp_is_ident(p->string) || m->for_apply) {
      ok = false; /* the kind writes it its own way, or apply could not drive it */
      break;
    }
    buf_printf(&m->out, "%s    %s = ", open ? "" : "  properties {\n", p->string);
    open = true;
    imp_value(m, p, arena_printf(&m->a, "%s.Properties.%s", path, p->string));
    buf_puts(&m->out, "\n");
  }
  if (open)
    buf_puts(&m->out, "  }\n");
  if (ok && pins.len)
    buf_printf(&m->out, "  part_ids = { %.*s }\n", (int)pins.len, pins.s);
  buf_free(&pins);
  if (ok) {
    imp_meta(m, r, path);
    buf_puts(&m->out, "}\n");
  }
  if (!ok || m->err[0]) {
    m->out.len = start; /* written as a `resource` after all */
    m->err[0] = 0;
    return false;
  }
  return true;
}

/* ---- what other declarations read of a kind ---- */

/* ORDER: by type. A Ref (attr NULL) or Fn::GetAtt of a resource written as
   its kind, as the kind's export that lowers to the same (lower.c's
   exports); export NULL: none does, and the resource stays a `resource`.
   A Ref of a type without a row is the kind's bare name. */
static const struct {
  const char *cfn, *attr, *export;
} reads[] = {
    /* its bare name is GetAtt GroupId, the ID a VPC group's Ref is too (diff.c) */
    {"AWS::EC2::SecurityGroup", NULL, ""},
    {"AWS::EC2::SecurityGroup", "GroupId", "id"},
    {"AWS::EC2::Instance", "PrivateIp", "private_ip"},
    {"AWS::IAM::Role", NULL, "name"}, /* its bare name is the ARN */
    {"AWS::IAM::Role", "Arn", "arn"},
    {"AWS::Route53::HostedZone", "NameServers", "name_servers"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", NULL, "arn"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "DNSName", "dns_name"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "CanonicalHostedZoneID", "zone_id"},
    {"AWS::ECR::Repository", NULL, NULL}, /* its bare name is the URI */
    {"AWS::ECR::Repository", "RepositoryUri", "uri"},
    {"AWS::ECR::Repository", "Arn", "arn"},
    {"AWS::ECS::Cluster", "Arn", "arn"},
    {"AWS::Logs::LogGroup", "Arn", "arn"},
    {"AWS::ECS::Service", NULL, "arn"},
    {"AWS::ECS::Service", "Name", "name"},
    {"AWS::RDS::DBInstance", NULL, NULL}, /* its identifier: no export says it */
    {"AWS::RDS::DBInstance", "Endpoint.Address", "address"},
    {"AWS::RDS::DBInstance", "Endpoint.Port", "port"},
    {"AWS::RDS::DBInstance", "MasterUserSecret.SecretArn", "password_secret"},
    /* a part written inside its owner has no name of its own */
    {"AWS::EC2::VPCGatewayAttachment", NULL, NULL},
    {"AWS::EC2::Route", NULL, NULL},
    {"AWS::EC2::SubnetRouteTableAssociation", NULL, NULL},
    {"AWS::ElasticLoadBalancingV2::Listener", NULL, NULL},
    {"AWS::EC2::SecurityGroupIngress", NULL, NULL},
    {"AWS::EC2::SecurityGroupEgress", NULL, NULL},
};

/* How a Ref (attr NULL) or GetAtt of id reads when id is a kind: "" for
   the bare name, ".export", or NULL when the kind cannot say it. */
static const char *kind_read(const cJSON *t, const char *id, const char *attr) {
  const char *type = type_of(t, id);
  for (size_t i = 0; i < countof(reads); i++)
    if (!strcmp(reads[i].cfn, type) && (attr ? reads[i].attr && !strcmp(reads[i].attr, attr) : !reads[i].attr))
      return reads[i].export ? reads[i].export : NULL;
  return attr ? NULL : "";
}

const char *import_kind_read(Imp *m, const char *id, const char *attr) {
  const char *e = kind_read(m->t, id, attr);
  return e && *e ? arena_printf(&m->a, ".%s", e) : "";
}

/* A part written inside its owner: no name of its own. */
static bool inside(const cJSON *t, const char *id) {
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(t, "Resources"), id);
  int p = part_of(type_of(t, id));
  return p >= 0 && (!parts[p].held || owner_of(t, r));
}

static void unsayable(const cJSON *t, const char *id, size_t n, const char *attr, bool *kinds) {
  char buf[256];
  if (n >= sizeof buf)
    return;
  memcpy(buf, id, n);
  buf[n] = 0;
  int i = res_index(t, buf);
  int p = i >= 0 ? part_of(type_of(t, buf)) : -1;
  if (i >= 0 && kinds[i] && (!kind_read(t, buf, attr) || (p >= 0 && parts[p].held && inside(t, buf))))
    kinds[i] = false;
}

/* What the owners of held parts name them by (a NAT gateway's
   AllocationId): the owner's kind says it by making the part. */
typedef struct {
  const cJSON **v;
  int n;
} Holds;

static bool holds(const Holds *h, const cJSON *x) {
  for (int i = 0; i < h->n; i++)
    if (h->v[i] == x)
      return true;
  return false;
}

/* Every Ref and Fn::GetAtt under v (in the parts of an interpolated string too). */
static void scan_reads(const cJSON *t, const cJSON *v, bool *kinds, const Holds *h) {
  for (const cJSON *x = v ? v->child : NULL; x; x = x->next) {
    if (holds(h, x))
      continue;
    const char *k = x->string ? x->string : "";
    if (!strcmp(k, "Ref") && cJSON_IsString(x)) {
      unsayable(t, x->valuestring, strlen(x->valuestring), NULL, kinds);
    } else if (!strcmp(k, "Fn::GetAtt") && cJSON_IsString(x) && strchr(x->valuestring, '.')) {
      const char *dot = strchr(x->valuestring, '.');
      unsayable(t, x->valuestring, (size_t)(dot - x->valuestring), dot + 1, kinds);
    } else if (!strcmp(k, "Fn::GetAtt") && cJSON_IsString(cJSON_GetArrayItem(x, 0)) &&
               cJSON_IsString(cJSON_GetArrayItem(x, 1))) {
      const char *id = cJSON_GetArrayItem(x, 0)->valuestring;
      unsayable(t, id, strlen(id), cJSON_GetArrayItem(x, 1)->valuestring, kinds);
    }
    scan_reads(t, x, kinds, h);
  }
}

void import_kinds_reads(const cJSON *t, bool *kinds) {
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(t, "Resources");
  Holds h = {calloc(2 * (size_t)cJSON_GetArraySize(res) + 1, sizeof *h.v), 0};
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next) {
    int p = part_of(type_of(t, r->string));
    /* a part names its owner (an address's association its AllocationId): the owner's kind says it */
    if (p >= 0 && !parts[p].held && owner_of(t, r))
      h.v[h.n++] = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "Properties"),
                                                    parts[p].owner_prop);
    const cJSON *o = p >= 0 && parts[p].held ? holder_of(t, p, r->string) : NULL;
    if (o)
      h.v[h.n++] = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "Properties"),
                                                    parts[p].owner_prop);
  }
  scan_reads(t, t, kinds, &h);
  free(h.v);
  /* a DependsOn of a part other than an attachment or a listener
     (depends_on of an internet gateway waits for its attachment, of a
     balancer for its listeners): nothing to name */
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next) {
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(r, "DependsOn");
    for (const cJSON *d = cJSON_IsString(deps) ? deps : deps ? deps->child : NULL; d;
         d = cJSON_IsString(deps) ? NULL : d->next) {
      int i = cJSON_IsString(d) ? res_index(t, d->valuestring) : -1;
      int p = i >= 0 && inside(t, d->valuestring) ? part_of(type_of(t, d->valuestring)) : -1;
      if (p >= 0 && parts[p].k != P_ATTACHMENT && parts[p].k != P_LISTENER)
        kinds[i] = false;
    }
  }
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next) /* a part whose owner is none */
    if (part_of(type_of(t, r->string)) >= 0 && !owner_of(t, r) && !parts[part_of(type_of(t, r->string))].held)
      kinds[res_index(t, r->string)] = false;
}

/* ---- is it the same template? ---- */

static int index_by_name(const Vec *res, const char *name) {
  for (int i = 0; i < res->n; i++)
    if (!strcmp(((const Named *)res->v[i])->name, name))
      return i;
  return -1;
}

/* d is a kind: clear it. Otherwise clear the kinds its text names (a
   `resource` that reads a kind's attribute, an output ...). */
static int blame(const Decl *d, const char *source, const Vec *res, const bool *was, bool *kinds) {
  int i = d && d->name ? index_by_name(res, d->name) : -1;
  if (i >= 0 && was[i]) {
    kinds[i] = false;
    return 1;
  }
  if (!d)
    return -1;
  int n = 0;
  const char *lo = source + d->span.lo, *hi = source + d->span.hi;
  for (int k = 0; k < res->n; k++) {
    const char *name = ((const Named *)res->v[k])->name;
    size_t len = strlen(name);
    for (const char *p = lo; was[k] && p + len <= hi && (p = strstr(p, name)) && p + len <= hi; p += len)
      if ((p == source || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
          !(isalnum((unsigned char)p[len]) || p[len] == '_')) {
        kinds[k] = false;
        n++;
      }
  }
  return n ? n : -1;
}

static const Decl *decl_at(const Compilation *c, uint32_t at) {
  for (int i = 0; i < c->prog.decls.n; i++) {
    const Decl *d = c->prog.decls.v[i];
    if (d->span.lo <= at && at < d->span.hi)
      return d;
  }
  return NULL;
}

static const Decl *decl_of(const IrStack *ir, const char *logical_id) {
  const IrResource *r = lower_find(ir, logical_id);
  return r ? r->decl : NULL;
}

/* What the diff does not compare and a kind must keep: the policies, the
   condition, metadata, and the template's DependsOn (a kind may add its own). */
static bool same_meta(const cJSON *a, const cJSON *b) {
  static const char *const keys[] = {"DeletionPolicy", "UpdateReplacePolicy", "Condition",
                                     "Metadata", "CreationPolicy", "UpdatePolicy"};
  for (size_t i = 0; i < countof(keys); i++) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, keys[i]);
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, keys[i]);
    if ((x || y) && !(x && y && cJSON_Compare(x, y, true)))
      return false;
  }
  const cJSON *da = cJSON_GetObjectItemCaseSensitive(a, "DependsOn");
  const cJSON *db = cJSON_GetObjectItemCaseSensitive(b, "DependsOn");
  for (const cJSON *x = cJSON_IsString(da) ? da : da ? da->child : NULL; x; x = cJSON_IsString(da) ? NULL : x->next) {
    bool found = cJSON_IsString(db) && cJSON_IsString(x) && !strcmp(db->valuestring, x->valuestring);
    for (const cJSON *y = cJSON_IsArray(db) ? db->child : NULL; y && !found; y = y->next)
      found = cJSON_IsString(y) && cJSON_IsString(x) && !strcmp(y->valuestring, x->valuestring);
    if (!found)
      return false;
  }
  return true;
}

/* The errors that say something of the template itself, not of what the
   importer could write: CIDR mistakes, balancers and databases in one
   zone, a NAT gateway in a subnet without a route to the internet. */
static bool finding(const char *code) {
  static const char *const codes[] = {"E201", "E202", "E203", "E204", "E205", "E206", "E402", "E403", "E404", "E405"};
  for (size_t i = 0; code && i < countof(codes); i++)
    if (!strcmp(codes[i], code))
      return true;
  return false;
}

int import_kinds_misfits(const cJSON *t, const Vec *res, const char *source, size_t len, bool *kinds,
                         Buf *notes) {
  char why[256];
  if (!cfn_template_ok(t, why, sizeof why)) /* what plan --against refuses to compare */
    return -1;
  bool *was = malloc((size_t)res->n + 1); /* the kinds of this source, as blame reads them */
  memcpy(was, kinds, (size_t)res->n);
  Compilation *c = compile_new();
  compile_add_source(c, "import.infra", source, len);
  compile_run(c);
  int cleared = 0;
  for (int i = 0; i < c->diags.n && cleared >= 0; i++) {
    const Diag *d = c->diags.v[i];
    if (d->sev == SEV_ERROR) {
      const Decl *at = decl_at(c, d->span.lo);
      int k = at && at->name ? index_by_name(res, at->name) : -1;
      if (notes && k >= 0 && was[k] && finding(d->code))
        buf_printf(notes, "note: Resources.%s stays a resource: as %s %s, infrac check says error[%s]: %s\n",
                   ((const Named *)res->v[k])->id, at->kind_name, at->name, d->code, d->msg);
      int n = blame(at, source, res, was, kinds);
      cleared = n < 0 ? -1 : cleared + n;
    }
  }
  if (c->nerrors) {
    compile_free(c);
    free(was);
    return cleared ? cleared : -1;
  }
  IrStack *ir = lower_program(c);
  cJSON *built = cfn_template(ir);
  Diff *diff = diff_templates(t, built);
  for (int i = 0; i < diff->n && cleared >= 0; i++) {
    const DiffResource *r = &diff->res[i];
    if (r->action == DIFF_NOOP)
      continue;
    const Decl *d = decl_of(ir, r->logical_id);
    const Named *x = imp_find(res, r->logical_id); /* the template's own: deleted, or a part */
    int k = x ? index_by_name(res, x->name) : -1, n = -1;
    if (k >= 0 && was[k] && part_of(type_of(t, r->logical_id)) >= 0)
      n = 1, kinds[k] = false; /* the part stays a `resource`, its kind may not */
    else if (d)
      n = blame(d, source, res, was, kinds);
    else if (k >= 0 && was[k])
      n = 1, kinds[k] = false;
    cleared = n < 0 ? -1 : cleared + n;
  }
  const cJSON *tres = cJSON_GetObjectItemCaseSensitive(t, "Resources");
  const cJSON *bres = cJSON_GetObjectItemCaseSensitive(built, "Resources");
  int k = 0;
  for (const cJSON *r = tres ? tres->child : NULL; r && cleared >= 0; r = r->next, k++)
    if (kinds[k] && !same_meta(r, cJSON_GetObjectItemCaseSensitive(bres, r->string))) {
      kinds[k] = false;
      cleared++;
    }
  diff_free(diff);
  cJSON_Delete(built);
  compile_free(c);
  free(was);
  return cleared;
}
