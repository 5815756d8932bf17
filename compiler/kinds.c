/* kinds.c: the kind table. Each kind of the language as data: attributes,
   statements, exports. Resolution, checks, completion, hover and the docs
   all read this one table. */
#include <string.h>

#include "infrac.h"

#define ATTRS(a) a, (int)countof(a)
#define NONE NULL, 0

#define VPC_REF A_REF, "vpc", NULL
#define SUBNETS A_REF | A_LIST, "subnet", NULL
#define GROUPS A_REF | A_LIST, "security_group", NULL
#define BOOL A_BOOL, NULL, NULL
#define STR A_STRING, NULL, NULL

/* ---- blocks and statement bodies ---- */

static const Schema free_attrs = {.name = "map", .free_attrs = true,
                                  .doc = "names and values, one per line"};

/* Macros, not variables: C wants constant initializers in the tables below. */
#define TAGS_STMT {"tags", "", &free_attrs, "tags { Key = \"value\" }: tags on the AWS resources"}

static const AttrDef health_attrs[] = {
    {"path", STR, false, "\"/\"", "the path the balancer requests"},
    {"codes", STR, false, "\"200\"", "HTTP codes that mean healthy, as \"200\" or \"200-399\""},
    {"interval", A_DURATION, NULL, NULL, false, "30s", "time between checks"},
    {"timeout", A_DURATION, NULL, NULL, false, "5s", "time after which a check fails"},
    {"healthy", A_INT, NULL, NULL, false, "5", "successes before a target is healthy"},
    {"unhealthy", A_INT, NULL, NULL, false, "2", "failures before a target is unhealthy"},
};
static const Schema health_check = {.name = "health_check", ATTRS(health_attrs), NONE, NONE,
                                    .doc = "how the balancer decides that a target is healthy"};

/* The security policies of an application load balancer's https listener
   (Elastic Load Balancing, "Security policies for your Application Load
   Balancer"). The API's own default is ELBSecurityPolicy-2016-08, which
   still accepts TLS 1.0; infrac's is TLS 1.2 and 1.3 only. */
#define ELB_DEFAULT_SSL_POLICY "ELBSecurityPolicy-TLS13-1-2-2021-06"
#define ELB_SSL_POLICIES                                                                           \
  "ELBSecurityPolicy-TLS13-1-2-2021-06 ELBSecurityPolicy-TLS13-1-2-Res-2021-06 "                   \
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06 ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06 "             \
  "ELBSecurityPolicy-TLS13-1-1-2021-06 ELBSecurityPolicy-TLS13-1-0-2021-06 "                        \
  "ELBSecurityPolicy-TLS13-1-3-2021-06 ELBSecurityPolicy-TLS13-1-2-PQ-2025-09 "                     \
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09 "         \
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09 ELBSecurityPolicy-TLS13-1-3-PQ-2025-09 "             \
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04 ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04 "              \
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04 ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04 "     \
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04 ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04 "    \
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04 ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04 "              \
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06 ELBSecurityPolicy-TLS-1-2-2017-01 "                        \
  "ELBSecurityPolicy-TLS-1-1-2017-01 ELBSecurityPolicy-FS-1-2-Res-2020-10 "                         \
  "ELBSecurityPolicy-FS-1-2-Res-2019-08 ELBSecurityPolicy-FS-1-2-2019-08 "                          \
  "ELBSecurityPolicy-FS-1-1-2019-08 ELBSecurityPolicy-FS-2018-06 ELBSecurityPolicy-2016-08 "        \
  "ELBSecurityPolicy-TLS-1-0-2015-04 ELBSecurityPolicy-2015-05"

static const AttrDef listener_attrs[] = {
    {"certificate", A_REF, "certificate", NULL, false, NULL, "the certificate of an https listener"},
    {"forward", A_REF, "target_group", NULL, false, NULL, "the target group that receives requests"},
    {"redirect", A_WORD, NULL, "https http", false, NULL, "redirect every request to this protocol"},
    {"ssl_policy", A_STRING, NULL, ELB_SSL_POLICIES, false, ELB_DEFAULT_SSL_POLICY,
     "the TLS versions and ciphers of an https listener"},
};
static const Schema listener = {.name = "listener", ATTRS(listener_attrs), NONE, NONE,
                                .doc = "what the balancer does with requests on one port"};

#define PORT_STMT                                                                                  \
  {"port", "port -> port|port", NULL, "port HOST -> CONTAINER, or port CONTAINER (a dynamic host port)"}
#define ENV_STMT {"env", "", &free_attrs, "environment variables of the container"}
#define SECRETS_STMT                                                                               \
  {"secrets", "", &free_attrs,                                                                     \
   "secrets { NAME = db.password_secret, a secret or SSM parameter resource, or an ARN }: "  \
   "read by ECS at start, never written down"}

static const AttrDef container_attrs[] = {
    {"image", A_STRING, NULL, NULL, true, NULL, "the image, as \"${registry.uri}:tag\""},
    {"memory", A_SIZE, NULL, NULL, false, NULL, "hard limit: above it the container is stopped"},
    {"memory_reservation", A_SIZE, NULL, NULL, false, NULL, "soft limit, reserved on the host"},
    {"cpu", A_INT, NULL, NULL, false, NULL, "CPU units (1024 = one vCPU)"},
    {"essential", BOOL, false, "true", "the task stops when this container stops"},
    {"command", A_STRING | A_LIST, NULL, NULL, false, NULL, "the command, as a list of strings"},
    {"logs", A_REF, "log_group", NULL, false, NULL, "the log group of the awslogs driver"},
};
static const StmtDef container_stmts[] = {PORT_STMT, ENV_STMT, SECRETS_STMT};
static const Schema container = {.name = "container", ATTRS(container_attrs),
                                 ATTRS(container_stmts), NONE,
                                 .doc = "one container of the task"};

static const AttrDef service_lb_attrs[] = {
    {"target_group", A_REF, "target_group", NULL, true, NULL, "the target group to register in"},
    {"container", A_WORD, NULL, NULL, true, NULL, "the name of the container in the task"},
    {"port", A_INT, NULL, NULL, true, NULL, "the container port that receives the traffic"},
};
static const Schema service_lb = {.name = "load_balancer", ATTRS(service_lb_attrs), NONE, NONE,
                                  .doc = "the target group the service's tasks join"};

/* ---- kinds ---- */

static const AttrDef stack_attrs[] = {
    {"region", STR, true, NULL, "the AWS region, as \"ap-northeast-1\""},
    {"description", STR, false, NULL, "the template's description"},
};

static const AttrDef vpc_attrs[] = {
    {"cidr", A_CIDR, NULL, NULL, true, NULL, "the address range, /16 to /28"},
    {"dns_support", BOOL, false, "true", "the Amazon DNS server answers in the VPC"},
    {"dns_hostnames", BOOL, false, "true", "instances with public addresses get DNS names"},
};
static const ExportDef vpc_exports[] = {{"id", A_STRING, "the VPC ID"},
                                        {"cidr", A_CIDR, "the address range"}};

static const AttrDef subnet_attrs[] = {
    {"vpc", VPC_REF, true, NULL, "the VPC the subnet belongs to"},
    {"cidr", A_CIDR, NULL, NULL, true, NULL, "the address range, inside the VPC's"},
    {"az", STR, true, NULL, "the availability zone, as \"ap-northeast-1a\""},
    {"map_public_ip", BOOL, false, "false", "instances launched here get a public address"},
};
static const ExportDef subnet_exports[] = {
    {"id", A_STRING, "the subnet ID"}, {"cidr", A_CIDR, "the address range"},
    {"az", A_STRING, "the availability zone"}};

static const AttrDef igw_attrs[] = {{"vpc", VPC_REF, true, NULL, "the VPC it is attached to"}};
static const ExportDef id_export[] = {{"id", A_STRING, "the resource ID"}};

static const AttrDef nat_attrs[] = {
    {"subnet", A_REF, "subnet", NULL, true, NULL, "the public subnet it stands in"}};
static const StmtDef nat_stmts[] = {
    TAGS_STMT,
    {"eip_tags", "", &free_attrs,
     "eip_tags { Key = \"value\" }: the elastic IP's tags, instead of the gateway's (empty: none)"}};

static const AttrDef rt_attrs[] = {
    {"vpc", VPC_REF, true, NULL, "the VPC of the table"},
    {"subnets", SUBNETS, false, NULL, "the subnets that use this table"},
};
static const StmtDef rt_stmts[] = {
    {"route", "cidr -> target", NULL, "route DESTINATION -> GATEWAY"}, TAGS_STMT};

static const AttrDef sg_attrs[] = {
    {"vpc", VPC_REF, true, NULL, "the VPC of the group"},
    {"description", STR, false, NULL, "what the group is for"},
    {"name", STR, false, NULL, "the group's name, unique in its VPC"},
};
static const StmtDef sg_stmts[] = {
    {"ingress", "proto ports? from peer", NULL, "ingress PROTO [PORTS] from CIDR-or-GROUP"},
    {"egress", "proto ports? to peer", NULL, "egress PROTO [PORTS] to CIDR-or-GROUP"},
    TAGS_STMT};

static const AttrDef role_attrs[] = {
    {"name", STR, false, NULL, "the role's name (default: one CloudFormation makes up)"},
    {"assumed_by", A_STRING | A_LIST, NULL, NULL, true, NULL,
     "the service principal(s) that may assume it, as \"ec2.amazonaws.com\""},
    {"managed_policies", A_STRING | A_LIST, NULL, NULL, false, NULL, "ARNs of managed policies"},
    {"profile_name", STR, false, NULL,
     "the name of its instance profile (made for the instances that use it, and made when named)"},
};
static const StmtDef role_stmts[] = {
    {"allow", "action+ on resource+", NULL,
     "allow \"service:Action\"[, ...] on RESOURCE[, ...]: an inline policy"},
    TAGS_STMT};
static const ExportDef role_exports[] = {{"arn", A_STRING, "the role's ARN"},
                                         {"name", A_STRING, "the role's name"}};

static const AttrDef instance_attrs[] = {
    {"subnet", A_REF, "subnet", NULL, true, NULL, "the subnet it runs in"},
    {"type", STR, true, NULL, "the instance type, as \"t3.small\""},
    {"image", A_STRING | A_SSM, NULL, NULL, true, NULL, "an AMI ID, or ssm(\"/aws/service/...\")"},
    {"security_groups", GROUPS, false, NULL, "its security groups"},
    {"role", A_REF, "role", NULL, false, NULL, "an IAM role, given through an instance profile"},
    {"public_ip", BOOL, false, "false", "a public address at launch"},
    {"key_name", STR, false, NULL, "the EC2 key pair for SSH"},
    {"cluster", A_REF, "cluster", NULL, false, NULL, "the ECS cluster it joins at boot"},
    {"user_data", STR, false, NULL, "a script run at first boot"},
};
static const ExportDef instance_exports[] = {{"id", A_STRING, "the instance ID"},
                                             {"private_ip", A_IP, "its private address"}};

static const AttrDef eip_attrs[] = {
    {"instance", A_REF, "instance", NULL, false, NULL, "the instance the address is attached to"}};
static const ExportDef eip_exports[] = {{"address", A_IP, "the public address"}};

static const AttrDef db_attrs[] = {
    {"engine", A_WORD, NULL, "postgres mysql mariadb", true, NULL, "the database engine"},
    {"identifier", STR, false, NULL, "the DB instance identifier (default: one CloudFormation makes up)"},
    {"version", STR, false, NULL, "the engine version, as \"16\""},
    {"class", STR, true, NULL, "the instance class, as \"db.t3.micro\""},
    {"storage", A_SIZE, NULL, NULL, true, NULL, "allocated storage, as 20GiB"},
    {"name", STR, false, NULL, "the database created at launch"},
    {"username", STR, true, NULL, "the master user"},
    {"password", A_SECRET | A_WORD, NULL, "managed", true, NULL,
     "a secret param, or managed (kept by RDS in Secrets Manager)"},
    {"subnets", SUBNETS, true, NULL, "private subnets in at least two zones"},
    {"subnet_group_name", STR, false, NULL,
     "the name of its DB subnet group (default: one CloudFormation makes up)"},
    {"subnet_group_description", STR, false, NULL,
     "the description of its DB subnet group (default \"subnets of database NAME\")"},
    {"security_groups", GROUPS, false, NULL, "its security groups"},
    {"multi_az", BOOL, false, "false", "a standby in a second zone"},
    {"encrypted", BOOL, false, "true", "storage encrypted at rest"},
    {"public", BOOL, false, "false", "reachable from the internet"},
    {"backup_retention", A_DURATION, NULL, NULL, false, "7d", "how long backups are kept"},
    {"deletion_protection", BOOL, false, "true", "refuse to delete the database"},
};
static const StmtDef db_stmts[] = {
    {"parameters", "", &free_attrs, "parameters { name = value }: a DB parameter group"},
    TAGS_STMT};
static const ExportDef db_exports[] = {
    {"address", A_STRING, "the endpoint's host name"},
    {"port", A_INT, "the endpoint's port"},
    {"password_secret", A_STRING, "the Secrets Manager secret of password = managed (its ARN)"},
    {"username", A_STRING, "the master user"}};

static const AttrDef zone_attrs[] = {
    {"domain", STR, true, NULL, "the domain, as \"example.com\""},
    {"id", STR, false, NULL,
     "an existing hosted zone's ID, as \"Z0123456789ABCDEFGHIJ\": referred to, not created"},
};
static const ExportDef zone_exports[] = {{"id", A_STRING, "the hosted zone ID"},
                                         {"name_servers", A_STRING | A_LIST, "its name servers"}};

static const AttrDef cert_attrs[] = {
    {"domain", STR, true, NULL, "the domain name it certifies"},
    {"alt_names", A_STRING | A_LIST, NULL, NULL, false, NULL, "further names"},
    {"validation", A_DNS, NULL, NULL, true, NULL, "dns(zone): validated by records in that zone"},
};
static const ExportDef arn_export[] = {{"arn", A_STRING, "the ARN"}};

static const AttrDef tg_attrs[] = {
    {"vpc", VPC_REF, true, NULL, "the VPC of the targets"},
    {"protocol", A_WORD, NULL, "http https", true, NULL, "the protocol to the targets"},
    {"port", A_INT, NULL, NULL, true, NULL, "the port the targets listen on"},
    {"target_type", A_WORD, NULL, "instance ip", false, "instance", "how targets register"},
    {"name", STR, false, NULL, "the target group's name, at most 32 characters"},
};
static const StmtDef tg_stmts[] = {
    {"health_check", "", &health_check, "health_check { path codes interval ... }"}, TAGS_STMT};

static const AttrDef lb_attrs[] = {
    {"subnets", SUBNETS, true, NULL, "one subnet in each of at least two zones"},
    {"scheme", A_WORD, NULL, "internet_facing internal", false, "internet_facing",
     "reachable from the internet, or only inside the VPC"},
    {"security_groups", GROUPS, false, NULL, "its security groups"},
    {"name", STR, false, NULL, "the balancer's name, at most 32 characters"},
};
static const StmtDef lb_stmts[] = {
    {"listener", "lproto port", &listener, "listener PROTO PORT { certificate forward redirect }"},
    TAGS_STMT};
static const ExportDef lb_exports[] = {{"dns_name", A_STRING, "the balancer's DNS name"},
                                       {"zone_id", A_STRING, "its canonical hosted zone ID"},
                                       {"arn", A_STRING, "the ARN"}};

static const AttrDef record_attrs[] = {
    {"zone", A_REF, "zone", NULL, true, NULL, "the hosted zone"},
    {"name", STR, true, NULL, "the record's name"},
    {"alias", A_REF, "load_balancer", NULL, false, NULL, "an alias to a load balancer"},
    {"type", A_WORD, NULL, "A AAAA CNAME TXT MX NS SRV CAA", false, NULL, "the record type"},
    {"values", A_STRING | A_LIST, NULL, NULL, false, NULL, "the record's values"},
    {"ttl", A_DURATION | A_INT, NULL, NULL, false, "5m", "time to live"},
};
static const ExportDef record_exports[] = {{"name", A_STRING, "the record's name"}};

static const AttrDef registry_attrs[] = {
    {"name", STR, false, NULL, "the repository name"},
    {"scan_on_push", BOOL, false, "true", "scan images for vulnerabilities when pushed"},
    {"immutable_tags", BOOL, false, "false", "refuse to overwrite a tag"},
    {"retain", BOOL, false, "false", "keep the repository and its images when the stack is deleted"},
};
static const ExportDef registry_exports[] = {{"uri", A_STRING, "the repository URI"},
                                             {"arn", A_STRING, "the ARN"}};

static const AttrDef cluster_attrs[] = {{"name", STR, false, NULL, "the cluster name"}};
static const AttrDef capacity_attrs[] = {
    {"type", STR, true, NULL, "the instance type, as \"t3.small\""},
    {"image", A_STRING | A_SSM, NULL, NULL, true, NULL,
     "an ECS-optimized AMI ID, or ssm(\"/aws/service/ecs/optimized-ami/...\")"},
    {"subnets", SUBNETS, true, NULL, "where instances start: the group spreads over their zones"},
    {"security_groups", GROUPS, false, NULL, "the instances' security groups"},
    {"role", A_REF, "role", NULL, true, NULL,
     "the instances' role (ECS's container instance policy), given through an instance profile"},
    {"min", A_INT, NULL, NULL, false, "1", "the fewest instances: what the checks count on"},
    {"max", A_INT, NULL, NULL, false, NULL, "the most instances (default: min)"},
};
static const Schema capacity = {.name = "capacity", ATTRS(capacity_attrs), NONE, NONE,
                                .doc = "instances that join the cluster at boot"};
static const StmtDef cluster_stmts[] = {
    {"capacity", "", &capacity,
     "capacity { type image subnets security_groups role min max }: a launch template and an "
     "auto scaling group whose instances join the cluster"},
    TAGS_STMT};
static const ExportDef name_arn_exports[] = {{"name", A_STRING, "the name"},
                                             {"arn", A_STRING, "the ARN"}};

static const AttrDef log_attrs[] = {
    {"name", STR, false, NULL, "the log group name"},
    {"retention", A_DURATION, NULL, NULL, false, NULL, "how long events are kept"},
    {"retain", BOOL, false, "false", "keep the group and its events when the stack is deleted"},
};

static const AttrDef task_attrs[] = {
    {"family", STR, false, NULL, "the task definition's family (default: one CloudFormation makes up)"},
    {"cpu", A_INT, NULL, NULL, false, NULL, "CPU units for the task (1024 = one vCPU)"},
    {"memory", A_SIZE, NULL, NULL, false, NULL, "memory for the task"},
    {"execution_role", A_REF, "role", NULL, false, NULL, "the role that pulls images, writes logs"},
    {"task_role", A_REF, "role", NULL, false, NULL, "the role the containers act as"},
    {"network_mode", A_WORD, NULL, "bridge awsvpc host", false, "bridge", "the Docker network mode"},
    {"compatibility", A_WORD, NULL, "ec2 fargate", false, "ec2", "where the task can run"},
};
static const StmtDef task_stmts[] = {
    {"container", "label", &container, "container NAME { image memory port env logs ... }"},
    TAGS_STMT};

static const AttrDef service_attrs[] = {
    {"name", STR, false, NULL, "the service's name, unique in its cluster"},
    {"cluster", A_REF, "cluster", NULL, true, NULL, "the cluster it runs in"},
    {"task", A_REF, "task", NULL, true, NULL, "the task definition it runs"},
    {"launch_type", A_WORD, NULL, "ec2 fargate", false, "ec2", "EC2 instances or Fargate"},
    {"desired_count", A_INT, NULL, NULL, false, "1", "how many tasks to keep running"},
    {"subnets", SUBNETS, false, NULL, "subnets of the tasks (awsvpc network mode)"},
    {"security_groups", GROUPS, false, NULL, "security groups of the tasks (awsvpc)"},
    {"min_healthy_percent", A_INT, NULL, NULL, false, "100",
     "during a deployment, the running tasks kept, in percent of desired_count"},
    {"max_percent", A_INT, NULL, NULL, false, "200",
     "during a deployment, the most tasks at once, in percent of desired_count"},
    {"health_check_grace", A_DURATION, NULL, NULL, false, NULL,
     "how long a new task's failed load balancer health checks are ignored"},
    {"circuit_breaker", BOOL, false, "false", "roll back a deployment that cannot stabilise"},
};
static const StmtDef service_stmts[] = {
    {"load_balancer", "", &service_lb, "load_balancer { target_group container port }"},
    TAGS_STMT};

static const StmtDef tags_only[] = {TAGS_STMT};

#define KIND(n, attrs, stmts, exports, cfn_, doc_, writes_, ...)                               \
  {.name = n, attrs, stmts, exports, .cfn = cfn_, .doc = doc_, .writes = writes_, __VA_ARGS__}

/* ORDER: as in LANGUAGE.md. */
static const Schema kinds[] = {
    KIND("stack", ATTRS(stack_attrs), NONE, NONE, "", "the stack: its region and description",
         ""),
    KIND("vpc", ATTRS(vpc_attrs), ATTRS(tags_only), ATTRS(vpc_exports), "AWS::EC2::VPC",
         "a virtual network",
         "CidrBlock=cidr EnableDnsSupport=dns_support EnableDnsHostnames=dns_hostnames Tags=tags"),
    KIND("subnet", ATTRS(subnet_attrs), ATTRS(tags_only), ATTRS(subnet_exports),
         "AWS::EC2::Subnet", "a range of the VPC in one availability zone",
         "VpcId=vpc CidrBlock=cidr AvailabilityZone=az MapPublicIpOnLaunch=map_public_ip Tags=tags"),
    KIND("internet_gateway", ATTRS(igw_attrs), ATTRS(tags_only), ATTRS(id_export),
         "AWS::EC2::InternetGateway", "the VPC's way to the internet",
         "Tags=tags"),
    KIND("nat_gateway", ATTRS(nat_attrs), ATTRS(nat_stmts), ATTRS(id_export),
         "AWS::EC2::NatGateway", "outbound internet for private subnets",
         "AllocationId=- SubnetId=subnet Tags=tags"),
    KIND("route_table", ATTRS(rt_attrs), ATTRS(rt_stmts), ATTRS(id_export),
         "AWS::EC2::RouteTable", "routes for the subnets that use it",
         "VpcId=vpc Tags=tags"),
    KIND("security_group", ATTRS(sg_attrs), ATTRS(sg_stmts), ATTRS(id_export),
         "AWS::EC2::SecurityGroup", "a stateful firewall",
         "GroupName=name GroupDescription=description VpcId=vpc SecurityGroupIngress=ingress SecurityGroupEgress=egress Tags=tags"),
    KIND("role", ATTRS(role_attrs), ATTRS(role_stmts), ATTRS(role_exports), "AWS::IAM::Role",
         "an IAM role",
         "RoleName=name AssumeRolePolicyDocument=assumed_by ManagedPolicyArns=managed_policies Policies=allow Tags=tags"),
    KIND("instance", ATTRS(instance_attrs), ATTRS(tags_only), ATTRS(instance_exports),
         "AWS::EC2::Instance", "an EC2 instance",
         "ImageId=image InstanceType=type IamInstanceProfile=role KeyName=key_name NetworkInterfaces=public_ip SubnetId=subnet SecurityGroupIds=security_groups UserData=user_data Tags=tags"),
    KIND("elastic_ip", ATTRS(eip_attrs), ATTRS(tags_only), ATTRS(eip_exports), "AWS::EC2::EIP",
         "a fixed public address",
         "Domain=- Tags=tags"),
    KIND("database", ATTRS(db_attrs), ATTRS(db_stmts), ATTRS(db_exports),
         "AWS::RDS::DBInstance", "an RDS database instance",
         "DBInstanceIdentifier=identifier Engine=engine EngineVersion=version DBInstanceClass=class AllocatedStorage=storage DBName=name MasterUsername=username ManageMasterUserPassword=password MasterUserPassword=password DBSubnetGroupName=subnets VPCSecurityGroups=security_groups MultiAZ=multi_az StorageEncrypted=encrypted PubliclyAccessible=public BackupRetentionPeriod=backup_retention DeletionProtection=deletion_protection DBParameterGroupName=parameters Tags=tags"),
    KIND("zone", ATTRS(zone_attrs), ATTRS(tags_only), ATTRS(zone_exports),
         "AWS::Route53::HostedZone", "a Route 53 hosted zone",
         "Name=domain HostedZoneTags=tags"),
    KIND("certificate", ATTRS(cert_attrs), ATTRS(tags_only), ATTRS(arn_export),
         "AWS::CertificateManager::Certificate", "an ACM certificate",
         "DomainName=domain SubjectAlternativeNames=alt_names ValidationMethod=validation DomainValidationOptions=validation Tags=tags"),
    KIND("target_group", ATTRS(tg_attrs), ATTRS(tg_stmts), ATTRS(arn_export),
         "AWS::ElasticLoadBalancingV2::TargetGroup", "the targets of a balancer's listener",
         "Name=name VpcId=vpc Protocol=protocol Port=port TargetType=target_type HealthCheckPath=health_check Matcher=health_check HealthCheckIntervalSeconds=health_check HealthCheckTimeoutSeconds=health_check HealthyThresholdCount=health_check UnhealthyThresholdCount=health_check Tags=tags"),
    KIND("load_balancer", ATTRS(lb_attrs), ATTRS(lb_stmts), ATTRS(lb_exports),
         "AWS::ElasticLoadBalancingV2::LoadBalancer", "an application load balancer",
         "Name=name Type=- Scheme=scheme Subnets=subnets SecurityGroups=security_groups Tags=tags"),
    KIND("record", ATTRS(record_attrs), NONE, ATTRS(record_exports), "AWS::Route53::RecordSet",
         "a DNS record",
         "HostedZoneId=zone Name=name Type=type AliasTarget=alias TTL=ttl ResourceRecords=values",
         .one_of = "alias values"),
    KIND("registry", ATTRS(registry_attrs), ATTRS(tags_only), ATTRS(registry_exports),
         "AWS::ECR::Repository", "an ECR image repository",
         "RepositoryName=name ImageScanningConfiguration=scan_on_push ImageTagMutability=immutable_tags Tags=tags"),
    KIND("cluster", ATTRS(cluster_attrs), ATTRS(cluster_stmts), ATTRS(name_arn_exports),
         "AWS::ECS::Cluster", "an ECS cluster",
         "ClusterName=name Tags=tags"),
    KIND("log_group", ATTRS(log_attrs), ATTRS(tags_only), ATTRS(name_arn_exports),
         "AWS::Logs::LogGroup", "a CloudWatch Logs group",
         "LogGroupName=name RetentionInDays=retention Tags=tags"),
    KIND("task", ATTRS(task_attrs), ATTRS(task_stmts), ATTRS(arn_export),
         "AWS::ECS::TaskDefinition", "an ECS task definition",
         "Family=family RequiresCompatibilities=compatibility NetworkMode=network_mode Cpu=cpu Memory=memory ExecutionRoleArn=execution_role TaskRoleArn=task_role ContainerDefinitions=container Tags=tags"),
    KIND("service", ATTRS(service_attrs), ATTRS(service_stmts), ATTRS(name_arn_exports),
         "AWS::ECS::Service", "an ECS service",
         "ServiceName=name Cluster=cluster TaskDefinition=task LaunchType=launch_type DesiredCount=desired_count LoadBalancers=load_balancer NetworkConfiguration=subnets DeploymentConfiguration=min_healthy_percent HealthCheckGracePeriodSeconds=health_check_grace Tags=tags"),
};

const Schema *kind_find(const char *name) {
  for (size_t i = 1; i < countof(kinds); i++)
    if (kinds[i].name[0] == name[0] && !strcmp(kinds[i].name, name))
      return &kinds[i];
  return NULL;
}

const Schema *kind_stack(void) { return &kinds[0]; }

const Schema *kind_all(int *count) {
  *count = (int)countof(kinds) - 1;
  return kinds + 1;
}

/* The first byte tells most names apart before a call to strcmp. */
int kind_attr_index(const Schema *s, const char *name) {
  for (int i = 0; i < s->nattrs; i++)
    if (s->attrs[i].name[0] == name[0] && !strcmp(s->attrs[i].name, name))
      return i;
  return -1;
}

const StmtDef *kind_stmt(const Schema *s, const char *name) {
  for (int i = 0; i < s->nstmts; i++)
    if (!strcmp(s->stmts[i].name, name))
      return &s->stmts[i];
  return NULL;
}

const ExportDef *kind_export(const Schema *s, const char *name) {
  for (int i = 0; i < s->nexports; i++)
    if (!strcmp(s->exports[i].name, name))
      return &s->exports[i];
  return NULL;
}

/* The kind a declaration stands for: its own, or for a `resource` the kind
   that makes its CloudFormation type (`resource legacy "AWS::EC2::VPC"` is
   a vpc where a vpc is expected); NULL for a type no kind makes. */
const char *kind_of_decl(const Decl *d) {
  if (!d->type_name)
    return d->kind_name;
  for (size_t i = 1; i < countof(kinds); i++)
    if (!strcmp(kinds[i].cfn, d->type_name))
      return kinds[i].name;
  return NULL;
}

bool kind_ref_ok(const char *refs, const char *kind) {
  if (!kind)
    return false;
  size_t n = strlen(kind);
  for (const char *p = refs; p && *p;) {
    const char *bar = strchr(p, '|');
    size_t len = bar ? (size_t)(bar - p) : strlen(p);
    if (len == n && !memcmp(p, kind, n))
      return true;
    p = bar ? bar + 1 : NULL;
  }
  return false;
}

/* "a vpc", "an internet_gateway, nat_gateway or instance" for refs "a|b|c";
   without the article when article is false. */
const char *kind_refs_desc(Arena *a, const char *refs, bool article) {
  Buf b = {0};
  if (article)
    buf_puts(&b, strchr("aeiou", refs[0]) ? "an " : "a ");
  for (const char *p = refs; *p; p++) {
    if (*p != '|') {
      buf_add(&b, p, 1);
      continue;
    }
    buf_puts(&b, strchr(p + 1, '|') ? ", " : " or ");
  }
  char *s = arena_strndup(a, b.s, b.len);
  buf_free(&b);
  return s;
}

static void add_alt(Buf *b, const char *s, int *n) {
  if ((*n)++)
    buf_puts(b, " or ");
  buf_puts(b, s);
}

/* "a vpc", "a list of subnet", "one of: http, https" */
const char *kind_accept_desc(Arena *a, const AttrDef *ad) {
  Buf b = {0};
  int n = 0;
  unsigned acc = ad->accept;
  if (acc & A_LIST)
    buf_puts(&b, "a list of ");
  static const struct {
    unsigned bit;
    const char *one, *many;
  } names[] = {
      {A_INT, "an integer", "integers"},
      {A_STRING, "a string", "strings"},
      {A_BOOL, "true or false", "booleans"},
      {A_CIDR, "a CIDR block", "CIDR blocks"},
      {A_IP, "an IPv4 address", "IPv4 addresses"},
      {A_SIZE, "a size (as 512MiB)", "sizes"},
      {A_DURATION, "a duration (as 30s, 7d)", "durations"},
      {A_PORTS, "a port range", "port ranges"},
      {A_SSM, "ssm(\"/parameter/path\")", "ssm() values"},
      {A_DNS, "dns(zone)", "dns() values"},
      {A_SECRET, "a secret param", "secret params"},
  };
  for (size_t i = 0; i < countof(names); i++)
    if (acc & names[i].bit)
      add_alt(&b, acc & A_LIST ? names[i].many : names[i].one, &n);
  if (acc & A_REF) {
    add_alt(&b, kind_refs_desc(a, ad->ref, !(acc & A_LIST)), &n);
    if (acc & A_LIST)
      buf_puts(&b, " names");
  }
  if ((acc & A_WORD) && ad->words) {
    Buf w = {0};
    buf_puts(&w, strchr(ad->words, ' ') ? "one of: " : "");
    for (const char *p = ad->words; *p; p++)
      if (*p == ' ')
        buf_puts(&w, ", ");
      else
        buf_add(&w, p, 1);
    add_alt(&b, w.s, &n);
    buf_free(&w);
  } else if (acc & A_WORD) {
    add_alt(&b, "a name", &n);
  }
  char *s = arena_strndup(a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}
