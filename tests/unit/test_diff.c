/* test_diff.c: the template diff: actions, replacement from the resource
   type table, nested and in lists, cascades, unordered lists, parameter defaults, secrets. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awstypes.h"
#include "cfn_load.h"
#include "diff.h"
#include "jsonread.h"

#include "check.h"

static cJSON *load(const char *text) {
  char err[256];
  cJSON *v = cfn_load_text(text, strlen(text), err, sizeof err);
  if (!v)
    fprintf(stderr, "load: %s\n", err);
  return v;
}

static const DiffResource *find(const Diff *d, const char *id) {
  for (int i = 0; i < d->n; i++)
    if (!strcmp(d->res[i].logical_id, id))
      return &d->res[i];
  return NULL;
}

#define NET(cidr, rules)                                                                           \
  "{\"Resources\": {"                                                                              \
  "\"MainVpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}},"  \
  "\"ASubnet\": {\"Type\": \"AWS::EC2::Subnet\", \"Properties\": {\"VpcId\": {\"Ref\": "           \
  "\"MainVpc\"}, \"CidrBlock\": \"" cidr "\"}},"                                                   \
  "\"Assoc\": {\"Type\": \"AWS::EC2::SubnetRouteTableAssociation\", \"Properties\": "              \
  "{\"SubnetId\": {\"Ref\": \"ASubnet\"}, \"RouteTableId\": \"rtb-1\"}},"                          \
  "\"Web\": {\"Type\": \"AWS::EC2::SecurityGroup\", \"Properties\": {\"GroupDescription\": "       \
  "\"w\", \"VpcId\": {\"Ref\": \"MainVpc\"}, \"SecurityGroupIngress\": [" rules "]}}}}"

#define R80 "{\"IpProtocol\": \"tcp\", \"FromPort\": 80, \"ToPort\": 80, \"CidrIp\": \"0.0.0.0/0\"}"
#define R443 "{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443, \"CidrIp\": \"0.0.0.0/0\"}"

static void test_no_change(void) {
  cJSON *a = load(NET("10.0.1.0/24", R80 "," R443));
  cJSON *b = load(NET("10.0.1.0/24", R443 "," R80)); /* rules reordered */
  Diff *d = diff_templates(a, b);
  CHECK(d->count[DIFF_NOOP] == 4);
  CHECK(d->count[DIFF_UPDATE] == 0 && d->count[DIFF_REPLACE] == 0);
  char *text = diff_render_text(d);
  CHECK(!strcmp(text, "No changes.\n"));
  free(text);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

/* A deployed template read back (get-template, YAML) may order keys and
   write scalars otherwise: a rule whose keys come in another order, a port
   as a string, a duplicated rule, a rule set that only looks the same. */
static void test_same_as_cloudformation_reads_it(void) {
  const char *r80_keys = "{\"CidrIp\": \"0.0.0.0/0\", \"ToPort\": \"80\", \"FromPort\": 80, "
                         "\"IpProtocol\": \"tcp\"}";
  char *other = NULL;
  if (asprintf(&other, NET("10.0.1.0/24", "%s," R443), r80_keys) < 0)
    abort();
  cJSON *a = load(NET("10.0.1.0/24", R80 "," R443)), *b = load(other);
  Diff *d = diff_templates(a, b);
  CHECK(d->count[DIFF_NOOP] == 4);
  diff_free(d);
  cJSON_Delete(b);
  free(other);
  b = load(NET("10.0.1.0/24", R80 "," R80)); /* each old item matches one new item */
  d = diff_templates(a, b);
  CHECK(find(d, "Web") && find(d, "Web")->action == DIFF_UPDATE);
  diff_free(d);
  cJSON_Delete(a);
  a = load(NET("10.0.1.0/24", R80 "," R80));
  cJSON_Delete(b);
  b = load(NET("10.0.1.0/24", R80 "," R443));
  d = diff_templates(a, b);
  CHECK(find(d, "Web") && find(d, "Web")->action == DIFF_UPDATE);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

static void test_replace_cascades(void) {
  cJSON *a = load(NET("10.0.1.0/24", R80));
  cJSON *b = load(NET("10.0.5.0/24", R80));
  Diff *d = diff_templates(a, b);
  const DiffResource *s = find(d, "ASubnet"), *as = find(d, "Assoc"), *v = find(d, "MainVpc");
  CHECK(s && s->action == DIFF_REPLACE && s->nprops == 1 && s->props[0].replacement);
  CHECK(as && as->action == DIFF_REPLACE && as->cause && !strcmp(as->cause, "ASubnet"));
  CHECK(as && as->nprops == 1 && as->props[0].after_apply);
  CHECK(v && v->action == DIFF_NOOP);
  CHECK(d->count[DIFF_REPLACE] == 2);
  char *text = diff_render_text(d);
  CHECK(strstr(text, "-/+ ASubnet (AWS::EC2::Subnet)\n"));
  CHECK(strstr(text, "~ CidrBlock: \"10.0.1.0/24\" => \"10.0.5.0/24\"  # forces replacement"));
  CHECK(strstr(text, "Plan: 0 to add, 0 to change, 2 to replace, 0 to destroy.\n"));
  free(text);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

static void test_update_add_delete(void) {
  cJSON *a = load(NET("10.0.1.0/24", R80));
  cJSON *b = load(NET("10.0.1.0/24", R80 "," R443));
  cJSON_AddItemToObject(cJSON_GetObjectItem(b, "Resources"), "Logs",
                        load("{\"Type\": \"AWS::Logs::LogGroup\", \"Properties\": {}}"));
  cJSON_DeleteItemFromObject(cJSON_GetObjectItem(b, "Resources"), "Assoc");
  Diff *d = diff_templates(a, b);
  CHECK(find(d, "Web")->action == DIFF_UPDATE);
  CHECK(!find(d, "Web")->props[0].replacement);
  CHECK(find(d, "Logs")->action == DIFF_CREATE);
  CHECK(find(d, "Assoc")->action == DIFF_DELETE);
  CHECK(d->count[DIFF_CREATE] == 1 && d->count[DIFF_UPDATE] == 1 && d->count[DIFF_DELETE] == 1);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

static void test_params_and_secrets(void) {
  const char *t1 = "{\"Parameters\": {\"ImageTag\": {\"Type\": \"String\", \"Default\": \"v1\"},"
                   "\"DbPassword\": {\"Type\": \"String\", \"NoEcho\": true}},"
                   "\"Resources\": {\"Task\": {\"Type\": \"AWS::ECS::TaskDefinition\", "
                   "\"Properties\": {\"ContainerDefinitions\": [{\"Image\": {\"Fn::Sub\": "
                   "\"repo:${ImageTag}\"}}]}},"
                   "\"Db\": {\"Type\": \"AWS::RDS::DBInstance\", \"Properties\": "
                   "{\"MasterUserPassword\": {\"Ref\": \"DbPassword\"}, \"DBInstanceClass\": "
                   "\"db.t3.micro\"}}}}";
  char t2[2048];
  snprintf(t2, sizeof t2, "%s", t1);
  memcpy(strstr(t2, "\"v1\""), "\"v2\"", 4);
  char *cls = strstr(t2, "db.t3.micro");
  memcpy(cls, "db.t3.small", 11);
  cJSON *a = load(t1), *b = load(t2);
  Diff *d = diff_templates(a, b);
  const DiffResource *task = find(d, "Task"), *db = find(d, "Db");
  CHECK(task->action == DIFF_REPLACE); /* ContainerDefinitions is create-only */
  CHECK(db->action == DIFF_UPDATE && db->nprops == 1);
  CHECK(!strcmp(db->props[0].path, "DBInstanceClass"));
  char *text = diff_render_text(d);
  CHECK(!strstr(text, "MasterUserPassword"));
  free(text);
  diff_free(d);
  /* Nothing deployed: every resource is a create, the password sensitive. */
  d = diff_templates(NULL, b);
  CHECK(d->count[DIFF_CREATE] == 2);
  text = diff_render_text(d);
  CHECK(strstr(text, "+ MasterUserPassword: (sensitive)"));
  CHECK(strstr(text, "Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy."));
  free(text);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

static void test_yaml_short_forms(void) {
  const char *y = "Resources:\n  A:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
                  "      VpcId: !Ref MainVpc\n      AvailabilityZone: !GetAtt X.Az\n"
                  "      CidrBlock: !Sub '${Base}.0/24'\n      MapPublicIpOnLaunch: false\n"
                  "      Count: 3\n      Name: '3'\n";
  cJSON *v = load(y);
  CHECK(v != NULL);
  cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(v,
                  "Resources"), "A"), "Properties"), "VpcId");
  CHECK(p && cJSON_IsString(cJSON_GetObjectItem(p, "Ref")));
  cJSON *g = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(v,
                  "Resources"), "A"), "Properties"), "AvailabilityZone");
  cJSON *ga = cJSON_GetObjectItem(g, "Fn::GetAtt");
  CHECK(cJSON_IsArray(ga) && cJSON_GetArraySize(ga) == 2);
  cJSON *props = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(v, "Resources"), "A"),
                                     "Properties");
  CHECK(cJSON_IsFalse(cJSON_GetObjectItem(props, "MapPublicIpOnLaunch")));
  CHECK(cJSON_IsNumber(cJSON_GetObjectItem(props, "Count")));
  CHECK(cJSON_IsString(cJSON_GetObjectItem(props, "Name")));
  cJSON_Delete(v);
  char err[256];
  CHECK(!cfn_load_text("a: [", 4, err, sizeof err) && strstr(err, "YAML"));
  CHECK(!cfn_load_text("{\"a\": ", 6, err, sizeof err) && strstr(err, "JSON"));
  CHECK(!cfn_load_text("- 1\n", 4, err, sizeof err));
}

/* The strict reader: each case is refused, with its position. */
static void test_strict_json(void) {
  static const struct {
    const char *text, *message;
  } cases[] = {
      {"{\"a\": 1, \"a\": 2}", "duplicate key \"a\" at 1:10"},
      {"{\"a\": 1}\n x", "content after the document at 2:2"},
      {"{\"a\": \"\\ud800\"}", "high surrogate without its low surrogate in a string at 1:8"},
      {"{\"a\": \"\\udc00\"}", "lone low surrogate"},
      {"{\"a\": 1e999}", "beyond the range of a double at 1:7"},
      {"{\"a\": \"x\ty\"}", "control character in a string"},
      {"{\"a\": 01}", "invalid number at 1:7"},
  };
  char err[256];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cJSON *v = json_read(cases[i].text, strlen(cases[i].text), 200, err, sizeof err);
    CHECK(!v && strstr(err, cases[i].message));
    if (v || !strstr(err, cases[i].message))
      fprintf(stderr, "  %s: %s\n", cases[i].text, err);
    cJSON_Delete(v);
  }
  /* many keys: duplicates found through the hash map too */
  char big[4096] = "{";
  for (int i = 0; i < 40; i++)
    snprintf(big + strlen(big), sizeof big - strlen(big), "\"k%d\": %d, ", i, i);
  strcat(big, "\"k7\": 0}");
  CHECK(!json_read(big, strlen(big), 200, err, sizeof err) && strstr(err, "duplicate key \"k7\""));
  const char *ok = "{\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\\ud83d\\ude00\"], \"b\": {}}";
  cJSON *v = json_read(ok, strlen(ok), 200, err, sizeof err);
  CHECK(v && !strcmp(cJSON_GetArrayItem(cJSON_GetObjectItem(v, "a"), 5)->valuestring,
                     "\xc3\xa9\xf0\x9f\x98\x80"));
  cJSON_Delete(v);
}

/* Every type infrac emits, with the properties its registry schema makes
   create-only (the list the type table replaced): each must force a
   replacement, nested ones by their path. */
static const struct {
  const char *type, *paths;
} create_only[] = {
    {"AWS::CertificateManager::Certificate", "CertificateAuthorityArn DomainName DomainValidationOptions KeyAlgorithm SubjectAlternativeNames ValidationMethod"},
    {"AWS::EC2::EIP", "Address IpamPoolId NetworkBorderGroup TransferAddress"},
    {"AWS::EC2::EIPAssociation", "AllocationId EIP InstanceId NetworkInterfaceId PrivateIpAddress"},
    {"AWS::EC2::Instance", "AvailabilityZone CpuOptions ElasticGpuSpecifications ElasticInferenceAccelerators EnclaveOptions HibernationOptions HostResourceGroupArn ImageId Ipv6AddressCount Ipv6Addresses KeyName LaunchTemplate LicenseSpecifications NetworkInterfaces PlacementGroupName PrivateIpAddress SecurityGroups SubnetId"},
    {"AWS::EC2::NatGateway", "AllocationId AvailabilityMode ConnectivityType PrivateIpAddress SubnetId VpcId"},
    {"AWS::EC2::Route", "DestinationCidrBlock DestinationIpv6CidrBlock DestinationPrefixListId RouteTableId"},
    {"AWS::EC2::RouteTable", "VpcId"},
    {"AWS::EC2::SecurityGroup", "GroupDescription GroupName VpcId"},
    {"AWS::EC2::SecurityGroupEgress", "CidrIp CidrIpv6 DestinationPrefixListId DestinationSecurityGroupId FromPort GroupId IpProtocol ToPort"},
    {"AWS::EC2::SecurityGroupIngress", "CidrIp CidrIpv6 FromPort GroupId GroupName IpProtocol SourcePrefixListId SourceSecurityGroupId SourceSecurityGroupName SourceSecurityGroupOwnerId ToPort"},
    {"AWS::EC2::Subnet", "AvailabilityZone AvailabilityZoneId CidrBlock Ipv4IpamPoolId Ipv4NetmaskLength Ipv6IpamPoolId Ipv6Native Ipv6NetmaskLength OutpostArn VpcId"},
    {"AWS::EC2::SubnetRouteTableAssociation", "RouteTableId SubnetId"},
    {"AWS::EC2::VPC", "CidrBlock Ipv4IpamPoolId Ipv4NetmaskLength"},
    {"AWS::EC2::VPCGatewayAttachment", "VpcId"},
    {"AWS::ECR::Repository", "EncryptionConfiguration EncryptionConfiguration.EncryptionType EncryptionConfiguration.KmsKey RepositoryName"},
    {"AWS::ECS::Cluster", "ClusterName"},
    {"AWS::ECS::Service", "Cluster Role SchedulingStrategy ServiceName"},
    {"AWS::ECS::TaskDefinition", "ContainerDefinitions Cpu EnableFaultInjection EphemeralStorage ExecutionRoleArn Family InferenceAccelerators IpcMode Memory NetworkMode PidMode PlacementConstraints ProxyConfiguration RequiresCompatibilities RuntimePlatform TaskRoleArn Volumes"},
    {"AWS::ElasticLoadBalancingV2::Listener", "LoadBalancerArn"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "Name Scheme Type"},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "IpAddressType Name Port Protocol ProtocolVersion TargetType VpcId"},
    {"AWS::IAM::InstanceProfile", "InstanceProfileName Path"},
    {"AWS::IAM::Role", "Path RoleName"},
    {"AWS::Logs::LogGroup", "LogGroupName"},
    {"AWS::RDS::DBInstance", "BackupTarget CharacterSetName CustomIAMInstanceProfile DBClusterIdentifier DBInstanceIdentifier DBName DBSubnetGroupName DBSystemId KmsKeyId MasterUsername NcharCharacterSetName SourceRegion StorageEncrypted Timezone"},
    {"AWS::RDS::DBSubnetGroup", "DBSubnetGroupName"},
    {"AWS::Route53::HostedZone", "Name"},
    {"AWS::Route53::RecordSet", "HostedZoneId HostedZoneName Name"},
};

static void test_replacement_from_type_table(void) {
  int n = 0;
  for (size_t i = 0; i < sizeof create_only / sizeof *create_only; i++) {
    char paths[1024], *save = NULL;
    snprintf(paths, sizeof paths, "%s", create_only[i].paths);
    for (char *p = strtok_r(paths, " ", &save); p; p = strtok_r(NULL, " ", &save), n++) {
      if (!aws_forces_replacement(create_only[i].type, p))
        fprintf(stderr, "not create-only: %s %s\n", create_only[i].type, p);
      CHECK(aws_forces_replacement(create_only[i].type, p));
    }
  }
  CHECK(n > 100);
  CHECK(!aws_forces_replacement("AWS::EC2::EIP", "AllocationId")); /* EIPAssociation's */
  CHECK(!aws_forces_replacement("AWS::EC2::Subnet", "MapPublicIpOnLaunch"));
  CHECK(!aws_forces_replacement("AWS::EC2::VPCX", "CidrBlock"));
  CHECK(!aws_forces_replacement("", ""));
  CHECK(aws_forces_replacement("AWS::ECR::Repository", "EncryptionConfiguration.Nope"));
  CHECK(!aws_forces_replacement("AWS::ECR::Repository", "ImageScanningConfiguration.ScanOnPush"));
  /* inside a create-only property, and list items */
  CHECK(aws_forces_replacement("AWS::EC2::Instance", "NetworkInterfaces[*].SubnetId"));
  CHECK(aws_forces_replacement("AWS::EC2::LaunchTemplate", "LaunchTemplateName"));
  CHECK(!aws_forces_replacement("AWS::EC2::LaunchTemplate", "LaunchTemplateData.InstanceType"));
  CHECK(aws_forces_replacement("AWS::SSMQuickSetup::ConfigurationManager",
                               "ConfigurationDefinitions[*].TypeVersion"));
  CHECK(!aws_forces_replacement("AWS::SSMQuickSetup::ConfigurationManager",
                                "ConfigurationDefinitions[*].Parameters"));
  CHECK(!aws_forces_replacement("AWS::SSMQuickSetup::ConfigurationManager",
                                "ConfigurationDefinitions"));
  CHECK(!aws_forces_replacement("AWS::EC2::Instance", "BlockDeviceMappings[*].DeviceName"));
  CHECK(!aws_forces_replacement("AWS::EC2::Instance", "BlockDeviceMappings[*][*]"));
  CHECK(!aws_forces_replacement("AWS::EC2::Instance", "BlockDeviceMappings..DeviceName"));
  CHECK(!aws_forces_replacement("AWS::EC2::Instance", "BlockDeviceMappings["));
}

/* The action of a one-resource diff, from its properties before and after. */
static DiffAction action(const char *type, const char *old_props, const char *new_props) {
  char old_t[1024], new_t[1024];
  const char *fmt = "{\"Resources\": {\"R\": {\"Type\": \"%s\", \"Properties\": %s}}}";
  snprintf(old_t, sizeof old_t, fmt, type, old_props);
  snprintf(new_t, sizeof new_t, fmt, type, new_props);
  cJSON *o = load(old_t), *n = load(new_t);
  Diff *d = diff_templates(o, n);
  DiffAction a = d->n == 1 ? d->res[0].action : DIFF_CREATE;
  diff_free(d);
  cJSON_Delete(o);
  cJSON_Delete(n);
  return a;
}

/* A change inside an object or a list replaces the resource where that
   member is create-only, and only there. */
static void test_nested_replacement(void) {
  const char *cm = "AWS::SSMQuickSetup::ConfigurationManager";
  const char *v1 = "{\"ConfigurationDefinitions\": [{\"Type\": \"t\", \"TypeVersion\": \"1\", "
                   "\"Parameters\": {\"a\": \"1\"}}]}";
  const char *v2 = "{\"ConfigurationDefinitions\": [{\"Type\": \"t\", \"TypeVersion\": \"2\", "
                   "\"Parameters\": {\"a\": \"1\"}}]}";
  const char *p2 = "{\"ConfigurationDefinitions\": [{\"Type\": \"t\", \"TypeVersion\": \"1\", "
                   "\"Parameters\": {\"a\": \"2\"}}]}";
  const char *two = "{\"ConfigurationDefinitions\": [{\"Type\": \"t\", \"TypeVersion\": \"1\", "
                    "\"Parameters\": {\"a\": \"1\"}}, {\"Type\": \"u\"}]}";
  const char *gone = "{\"ConfigurationDefinitions\": [{\"Type\": \"t\", "
                     "\"Parameters\": {\"a\": \"1\"}}]}";
  CHECK(action(cm, v1, v1) == DIFF_NOOP);
  CHECK(action(cm, v1, v2) == DIFF_REPLACE); /* ConfigurationDefinitions[*].TypeVersion */
  CHECK(action(cm, v1, p2) == DIFF_UPDATE);  /* ConfigurationDefinitions[*].Parameters */
  CHECK(action(cm, v1, two) == DIFF_REPLACE); /* an item added: its Type is create-only */
  CHECK(action(cm, v1, gone) == DIFF_REPLACE); /* a create-only member removed */
  const char *sm = "AWS::SageMaker::Cluster";
  CHECK(action(sm, "{\"Orchestrator\": {\"Eks\": {\"ClusterArn\": \"a\"}}}",
               "{\"Orchestrator\": {\"Eks\": {\"ClusterArn\": \"b\"}}}") == DIFF_REPLACE);
  CHECK(action(sm, "{\"NodeRecovery\": \"Automatic\"}", "{\"NodeRecovery\": \"None\"}") ==
        DIFF_UPDATE);
}

/* Literal text in Fn::Sub stays text (cfn_sub.h reads it): ${!X}, a
   variable's string and a parameter's default written in are never a
   reference, though they spell one. */
static void test_sub_text_is_text(void) {
  const char *ssm = "AWS::SSM::Parameter";
  CHECK(action(ssm, "{\"Value\": {\"Fn::Sub\": [\"${A}\", {\"A\": \"${B}\"}]}}",
               "{\"Value\": {\"Fn::Sub\": \"${B}\"}}") == DIFF_UPDATE);
  CHECK(action(ssm, "{\"Value\": {\"Fn::Sub\": [\"${A}\", {\"A\": \"${B}\"}]}}",
               "{\"Value\": {\"Fn::Sub\": \"${!B}\"}}") == DIFF_NOOP);
  CHECK(action(ssm, "{\"Value\": {\"Fn::Sub\": [\"x${A}\", {\"A\": \"y\"}]}}",
               "{\"Value\": {\"Fn::Sub\": \"xy\"}}") == DIFF_NOOP);
  CHECK(action(ssm, "{\"Value\": {\"Fn::Sub\": \"${!B}\"}}",
               "{\"Value\": {\"Fn::Sub\": \"${B}\"}}") == DIFF_UPDATE);
  const char *params = "{\"Parameters\": {\"P\": {\"Type\": \"String\", \"Default\": \"${Q}\"},"
                       "\"Q\": {\"Type\": \"String\"}}, \"Resources\": {\"R\": {\"Type\": "
                       "\"AWS::SSM::Parameter\", \"Properties\": {\"Value\": "
                       "{\"Fn::Sub\": \"%s\"}}}}}";
  char t1[512], t2[512];
  snprintf(t1, sizeof t1, params, "a${P}");
  snprintf(t2, sizeof t2, params, "a${Q}");
  cJSON *a = load(t1), *b = load(t2);
  Diff *d = diff_templates(a, b);
  CHECK(find(d, "R") && find(d, "R")->action == DIFF_UPDATE);
  diff_free(d);
  cJSON_Delete(b);
  snprintf(t2, sizeof t2, params, "a${!Q}"); /* the default's text, written as itself */
  b = load(t2);
  d = diff_templates(a, b);
  CHECK(find(d, "R") && find(d, "R")->action == DIFF_NOOP);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
  /* a replaced VPC cascades into ${MainVpc}, not into the text ${!MainVpc} */
  const char *vpc = "{\"Resources\": {\"MainVpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": "
                    "{\"CidrBlock\": \"%s\"}}, \"Lit\": {\"Type\": \"AWS::SSM::Parameter\", "
                    "\"Properties\": {\"Value\": {\"Fn::Sub\": \"${!MainVpc}\"}}}, "
                    "\"Ref\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": "
                    "{\"Value\": {\"Fn::Sub\": \"${MainVpc}\"}}}}}";
  snprintf(t1, sizeof t1, vpc, "10.0.0.0/16");
  snprintf(t2, sizeof t2, vpc, "10.1.0.0/16");
  a = load(t1), b = load(t2);
  d = diff_templates(a, b);
  CHECK(find(d, "MainVpc") && find(d, "MainVpc")->action == DIFF_REPLACE);
  CHECK(find(d, "Ref") && find(d, "Ref")->action == DIFF_UPDATE);
  CHECK(find(d, "Lit") && find(d, "Lit")->action == DIFF_NOOP);
  diff_free(d);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

/* A property that is Ref AWS::NoValue (aws.no_value) is left out, at the
   top or nested: the same as not written; set before, it is removed. */
static void test_no_value_is_left_out(void) {
#define Q(props) "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {" props "}}}}"
#define NV "{\"Ref\": \"AWS::NoValue\"}"
  cJSON *plain = load(Q("\"VisibilityTimeout\": 30, \"RedrivePolicy\": {\"maxReceiveCount\": 3}"));
  cJSON *nv = load(Q("\"VisibilityTimeout\": 30, \"DelaySeconds\": " NV
                     ", \"RedrivePolicy\": {\"maxReceiveCount\": 3, \"deadLetterTargetArn\": " NV "}"));
  cJSON *set = load(Q("\"VisibilityTimeout\": 30, \"DelaySeconds\": 5, \"RedrivePolicy\": {\"maxReceiveCount\": 3}"));
  Diff *d = diff_templates(plain, nv);
  CHECK(find(d, "Q") && find(d, "Q")->action == DIFF_NOOP);
  diff_free(d);
  d = diff_templates(nv, plain);
  CHECK(find(d, "Q") && find(d, "Q")->action == DIFF_NOOP);
  diff_free(d);
  d = diff_templates(set, nv);
  const DiffResource *r = find(d, "Q");
  CHECK(r && r->action == DIFF_UPDATE && r->nprops == 1);
  CHECK(r && r->nprops == 1 && !strcmp(r->props[0].path, "DelaySeconds") && r->props[0].old && !r->props[0].new);
  diff_free(d);
  cJSON_Delete(plain);
  cJSON_Delete(nv);
  cJSON_Delete(set);
#undef Q
#undef NV
}

/* Fn::GetAtt "A.B" and [A, B] are one value; another attribute is not. */
static void test_getatt_forms(void) {
#define C(arn) "{\"Resources\": {\"P\": {\"Type\": \"AWS::IAM::InstanceProfile\", \"Properties\": " \
  "{\"Roles\": [\"r\"]}}, \"C\": {\"Type\": \"AWS::AutoScaling::LaunchConfiguration\", \"Properties\": " \
  "{\"ImageId\": \"ami-1\", \"InstanceType\": \"t3.micro\", \"IamInstanceProfile\": " arn "}}}}"
  cJSON *text = load(C("{\"Fn::GetAtt\": \"P.Arn\"}"));
  cJSON *list = load(C("{\"Fn::GetAtt\": [\"P\", \"Arn\"]}"));
  cJSON *other = load(C("{\"Fn::GetAtt\": [\"P\", \"Name\"]}"));
  Diff *d = diff_templates(text, list);
  CHECK(find(d, "C") && find(d, "C")->action == DIFF_NOOP);
  diff_free(d);
  d = diff_templates(text, other);
  CHECK(find(d, "C") && find(d, "C")->action == DIFF_REPLACE);
  diff_free(d);
  cJSON_Delete(text);
  cJSON_Delete(list);
  cJSON_Delete(other);
#undef C
}

int main(void) {
  test_getatt_forms();
  test_no_value_is_left_out();
  test_replacement_from_type_table();
  test_nested_replacement();
  test_no_change();
  test_same_as_cloudformation_reads_it();
  test_replace_cascades();
  test_update_add_delete();
  test_params_and_secrets();
  test_yaml_short_forms();
  test_strict_json();
  test_sub_text_is_text();
  if (failures) {
    fprintf(stderr, "test_diff: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_diff: %d checks passed\n", checks);
  return 0;
}
