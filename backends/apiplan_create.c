/* apiplan_create.c: the calls that create a resource, one function per
   type (its row in apiplan_types.c names it), each naming the captures
   later calls need. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan_int.h"
#include "planvalue.h"

void ip_permission(Plan *p, cJSON *perms, const cJSON *rule, bool egress) {
  cJSON *perm = cJSON_CreateObject();
  put_str(p, perm, "IpProtocol", rule, "IpProtocol");
  put_int(p, perm, "FromPort", rule, "FromPort");
  put_int(p, perm, "ToPort", rule, "ToPort");
  const char *cidr_key = "CidrIp";
  const char *group_key = egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId";
  if (prop(rule, cidr_key)) {
    cJSON *r = cJSON_CreateObject();
    put(p, r, "CidrIp", rule, cidr_key);
    put(p, r, "Description", rule, "Description");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(perm, "IpRanges"), r);
  } else if (prop(rule, group_key)) {
    cJSON *g = cJSON_CreateObject();
    put(p, g, "GroupId", rule, group_key);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(perm, "UserIdGroupPairs"), g);
  }
  cJSON_AddItemToArray(perms, perm);
}

static bool default_egress(const cJSON *rule) {
  const cJSON *proto = prop(rule, "IpProtocol"), *cidr = prop(rule, "CidrIp");
  return cJSON_IsString(proto) && !strcmp(proto->valuestring, "-1") && cJSON_IsString(cidr) &&
         !strcmp(cidr->valuestring, "0.0.0.0/0");
}

void authorize(Plan *p, const char *op, const cJSON *group, const cJSON *rules, bool egress) {
  cJSON *perms = cJSON_CreateArray();
  for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next)
    if (!egress || !default_egress(r))
      ip_permission(p, perms, r, egress);
  if (!cJSON_GetArraySize(perms)) {
    cJSON_Delete(perms);
    return;
  }
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "GroupId", cJSON_Duplicate(group, true));
  cJSON_AddItemToObject(params, "IpPermissions", perms);
  new_step(p, "ec2", op, params);
}

void create_security_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "GroupName", props, "GroupName", 255, false);
  put(p, params, "Description", props, "GroupDescription");
  put(p, params, "VpcId", props, "VpcId");
  put_tagspec(p, params, props, "security-group");
  cJSON *s = new_step(p, "ec2", "CreateSecurityGroup", params);
  capture(p, s, "id", "GroupId");
  cJSON *gid = placeholder(p, p->logical, "id");
  authorize(p, "AuthorizeSecurityGroupIngress", gid, prop(props, "SecurityGroupIngress"), false);
  const cJSON *egress = prop(props, "SecurityGroupEgress");
  if (egress) {
    bool keeps_default = false;
    for (const cJSON *r = egress->child; r; r = r->next)
      keeps_default |= default_egress(r);
    authorize(p, "AuthorizeSecurityGroupEgress", gid, egress, true);
    if (!keeps_default) { /* CloudFormation drops the default allow-all rule */
      cJSON *params2 = cJSON_CreateObject();
      cJSON_AddItemToObject(params2, "GroupId", cJSON_Duplicate(gid, true));
      cJSON *perm = cJSON_CreateObject();
      cJSON_AddStringToObject(perm, "IpProtocol", "-1");
      cJSON *r = cJSON_CreateObject();
      cJSON_AddStringToObject(r, "CidrIp", "0.0.0.0/0");
      cJSON_AddItemToArray(cJSON_AddArrayToObject(perm, "IpRanges"), r);
      cJSON_AddItemToArray(cJSON_AddArrayToObject(params2, "IpPermissions"), perm);
      new_step(p, "ec2", "RevokeSecurityGroupEgress", params2);
    }
  }
  cJSON_Delete(gid);
}

static void group_rule(Plan *p, const cJSON *props, bool egress) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "GroupId", props, "GroupId");
  ip_permission(p, cJSON_AddArrayToObject(params, "IpPermissions"), props, egress);
  new_step(p, "ec2", egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress",
           params);
}

void create_vpc(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "CidrBlock", props, "CidrBlock");
  put_tagspec(p, params, props, "vpc");
  cJSON *s = new_step(p, "ec2", "CreateVpc", params);
  capture(p, s, "id", "Vpc.VpcId");
  wait_for(s, "vpc_available");
  static const char *const attrs[] = {"EnableDnsSupport", "EnableDnsHostnames"};
  for (int i = 0; i < 2; i++) {
    if (!prop(props, attrs[i]))
      continue;
    cJSON *m = cJSON_CreateObject();
    cJSON *vid = placeholder(p, p->logical, "id");
    cJSON_AddItemToObject(m, "VpcId", cJSON_Duplicate(vid, true));
    cJSON_Delete(vid);
    cJSON *val = cJSON_AddObjectToObject(m, attrs[i]);
    cJSON_AddBoolToObject(val, "Value", prop_true(props, attrs[i]));
    new_step(p, "ec2", "ModifyVpcAttribute", m);
  }
}

void create_subnet(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "VpcId", props, "VpcId");
  put(p, params, "CidrBlock", props, "CidrBlock");
  put(p, params, "AvailabilityZone", props, "AvailabilityZone");
  put_tagspec(p, params, props, "subnet");
  cJSON *s = new_step(p, "ec2", "CreateSubnet", params);
  capture(p, s, "id", "Subnet.SubnetId");
  if (prop_true(props, "MapPublicIpOnLaunch")) {
    cJSON *m = cJSON_CreateObject();
    cJSON *sid = placeholder(p, p->logical, "id");
    cJSON_AddItemToObject(m, "SubnetId", cJSON_Duplicate(sid, true));
    cJSON_Delete(sid);
    cJSON_AddBoolToObject(cJSON_AddObjectToObject(m, "MapPublicIpOnLaunch"), "Value", true);
    new_step(p, "ec2", "ModifySubnetAttribute", m);
  }
}

static void simple_ec2(Plan *p, const cJSON *props, const char *op, const char *tagtype,
                              const char *cap_path, const char *const *keys) {
  cJSON *params = cJSON_CreateObject();
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  if (tagtype)
    put_tagspec(p, params, props, tagtype);
  cJSON *s = new_step(p, "ec2", op, params);
  if (cap_path)
    capture(p, s, "id", cap_path);
}

void create_eip(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddStringToObject(params, "Domain", "vpc");
  put_tagspec(p, params, props, "elastic-ip");
  cJSON *s = new_step(p, "ec2", "AllocateAddress", params);
  capture(p, s, "allocation_id", "AllocationId");
  capture(p, s, "address", "PublicIp");
}

void create_nat(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "SubnetId", props, "SubnetId");
  put(p, params, "AllocationId", props, "AllocationId");
  put_tagspec(p, params, props, "natgateway");
  cJSON *s = new_step(p, "ec2", "CreateNatGateway", params);
  capture(p, s, "id", "NatGateway.NatGatewayId");
  wait_for(s, "nat_gateway_available");
}

/* An inline policy of a role: PutRolePolicy with the document as text. */
void put_role_policy(Plan *p, const cJSON *role, const cJSON *policy) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
  put(p, params, "PolicyName", policy, "PolicyName");
  cJSON_AddItemToObject(params, "PolicyDocument", json_text(p, prop(policy, "PolicyDocument")));
  new_step(p, "iam", "PutRolePolicy", params);
}

void delete_role_policy(Plan *p, const cJSON *role, const cJSON *policy) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "RoleName", cJSON_Duplicate(role, true));
  put(p, params, "PolicyName", policy, "PolicyName");
  new_step(p, "iam", "DeleteRolePolicy", params);
}

void create_role(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "RoleName", props, "RoleName", 64, false);
  cJSON_AddItemToObject(params, "AssumeRolePolicyDocument",
                        json_text(p, prop(props, "AssumeRolePolicyDocument")));
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "iam", "CreateRole", params);
  capture(p, s, "name", "Role.RoleName");
  capture(p, s, "arn", "Role.Arn");
  cJSON *role = placeholder(p, p->logical, "name");
  for (const cJSON *a = prop(props, "ManagedPolicyArns") ? prop(props, "ManagedPolicyArns")->child
                                                          : NULL;
       a; a = a->next) {
    cJSON *ap = cJSON_CreateObject();
    cJSON_AddItemToObject(ap, "RoleName", cJSON_Duplicate(role, true));
    cJSON_AddItemToObject(ap, "PolicyArn", conv(p, a));
    new_step(p, "iam", "AttachRolePolicy", ap);
  }
  const cJSON *inl = prop(props, "Policies");
  for (const cJSON *pol = inl ? inl->child : NULL; pol; pol = pol->next)
    put_role_policy(p, role, pol);
  cJSON_Delete(role);
}

void create_instance_profile(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "InstanceProfileName", props, "InstanceProfileName", 128, false);
  cJSON *s = new_step(p, "iam", "CreateInstanceProfile", params);
  capture(p, s, "name", "InstanceProfile.InstanceProfileName");
  capture(p, s, "arn", "InstanceProfile.Arn");
  cJSON *name = placeholder(p, p->logical, "name");
  for (const cJSON *r = prop(props, "Roles") ? prop(props, "Roles")->child : NULL; r; r = r->next) {
    cJSON *ap = cJSON_CreateObject();
    cJSON_AddItemToObject(ap, "InstanceProfileName", cJSON_Duplicate(name, true));
    cJSON_AddItemToObject(ap, "RoleName", conv(p, r));
    new_step(p, "iam", "AddRoleToInstanceProfile", ap);
  }
  cJSON_Delete(name);
}

void create_instance(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "ImageId", props, "ImageId");
  put(p, params, "InstanceType", props, "InstanceType");
  cJSON_AddNumberToObject(params, "MinCount", 1);
  cJSON_AddNumberToObject(params, "MaxCount", 1);
  put(p, params, "SubnetId", props, "SubnetId");
  put(p, params, "SecurityGroupIds", props, "SecurityGroupIds");
  put(p, params, "KeyName", props, "KeyName");
  if (prop(props, "IamInstanceProfile")) {
    cJSON *ip = cJSON_AddObjectToObject(params, "IamInstanceProfile");
    put(p, ip, "Name", props, "IamInstanceProfile");
  }
  put(p, params, "UserData", props, "UserData");
  put_tagspec(p, params, props, "instance");
  cJSON *s = new_step(p, "ec2", "RunInstances", params);
  capture(p, s, "id", "Instances[0].InstanceId");
  capture(p, s, "private_ip", "Instances[0].PrivateIpAddress");
  wait_for(s, "instance_running");
}

void create_db_subnet_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "DBSubnetGroupName", props, "DBSubnetGroupName", 255, true);
  put(p, params, "DBSubnetGroupDescription", props, "DBSubnetGroupDescription");
  put(p, params, "SubnetIds", props, "SubnetIds");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "rds", "CreateDBSubnetGroup", params);
  capture(p, s, "name", "DBSubnetGroup.DBSubnetGroupName");
}

void create_db_parameter_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "DBParameterGroupName", props, "DBParameterGroupName", 255, true);
  put(p, params, "DBParameterGroupFamily", props, "Family");
  put(p, params, "Description", props, "Description");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "rds", "CreateDBParameterGroup", params);
  capture(p, s, "name", "DBParameterGroup.DBParameterGroupName");
  const cJSON *values = prop(props, "Parameters");
  if (!cJSON_GetArraySize(values))
    return;
  cJSON *m = cJSON_CreateObject();
  cJSON *name = placeholder(p, p->logical, "name");
  cJSON_AddItemToObject(m, "DBParameterGroupName", cJSON_Duplicate(name, true));
  cJSON_Delete(name);
  cJSON *list = cJSON_AddArrayToObject(m, "Parameters");
  for (const cJSON *v = values->child; v; v = v->next) {
    cJSON *one = cJSON_CreateObject();
    cJSON_AddStringToObject(one, "ParameterName", v->string);
    cJSON_AddItemToObject(one, "ParameterValue", conv(p, v));
    cJSON_AddStringToObject(one, "ApplyMethod", "pending-reboot"); /* static ones need it */
    cJSON_AddItemToArray(list, one);
  }
  new_step(p, "rds", "ModifyDBParameterGroup", m);
}

void create_db_instance(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "DBInstanceIdentifier", props, "DBInstanceIdentifier", 63, true);
  put(p, params, "DBInstanceClass", props, "DBInstanceClass");
  put(p, params, "Engine", props, "Engine");
  put_str(p, params, "EngineVersion", props, "EngineVersion");
  put_int(p, params, "AllocatedStorage", props, "AllocatedStorage");
  put(p, params, "StorageType", props, "StorageType");
  put(p, params, "DBName", props, "DBName");
  put(p, params, "MasterUsername", props, "MasterUsername");
  put(p, params, "MasterUserPassword", props, "MasterUserPassword");
  put(p, params, "ManageMasterUserPassword", props, "ManageMasterUserPassword");
  put(p, params, "DBSubnetGroupName", props, "DBSubnetGroupName");
  put(p, params, "DBParameterGroupName", props, "DBParameterGroupName");
  put(p, params, "VpcSecurityGroupIds", props, "VPCSecurityGroups");
  put(p, params, "MultiAZ", props, "MultiAZ");
  put(p, params, "StorageEncrypted", props, "StorageEncrypted");
  put(p, params, "PubliclyAccessible", props, "PubliclyAccessible");
  put_int(p, params, "BackupRetentionPeriod", props, "BackupRetentionPeriod");
  put(p, params, "DeletionProtection", props, "DeletionProtection");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "rds", "CreateDBInstance", params);
  capture(p, s, "id", "DBInstance.DBInstanceIdentifier");
  wait_for(s, "db_instance_available");
  cJSON *d = cJSON_CreateObject();
  cJSON *id = placeholder(p, p->logical, "id");
  cJSON_AddItemToObject(d, "DBInstanceIdentifier", cJSON_Duplicate(id, true));
  cJSON_Delete(id);
  cJSON *ds = new_step(p, "rds", "DescribeDBInstances", d);
  capture(p, ds, "address", "DBInstances[0].Endpoint.Address");
  capture(p, ds, "port", "DBInstances[0].Endpoint.Port");
  capture(p, ds, "arn", "DBInstances[0].DBInstanceArn"); /* its tags' calls name it so */
  if (prop_true(props, "ManageMasterUserPassword"))
    capture(p, ds, "password_secret", "DBInstances[0].MasterUserSecret.SecretArn");
}

void create_hosted_zone(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "Name", props, "Name");
  /* a stem: apply ends it with the request's token (128 in all) */
  char *ref = phys_name(p, p->logical, 128 - 7 - 37, false);
  char *caller = NULL;
  if (asprintf(&caller, "infrac-%s", ref) < 0)
    abort();
  cJSON_AddStringToObject(params, "CallerReference", caller);
  free(ref);
  free(caller);
  cJSON *s = new_step(p, "route53", "CreateHostedZone", params);
  capture(p, s, "id", "HostedZone.Id");
  capture(p, s, "name_servers", "DelegationSet.NameServers");
}

/* RequestCertificate, the DNS record that proves the domain, the wait. */
/* The change of the DNS record that validates a certificate, in the zone its
   DomainValidationOptions name (NULL: none named, the record is the
   user's): made with the certificate, deleted with it, since a zone with
   records left cannot be deleted. */
cJSON *validation_change(Plan *p, const cJSON *props, const char *action) {
  const cJSON *opts = prop(props, "DomainValidationOptions");
  const cJSON *zone = opts ? prop(opts->child, "HostedZoneId") : NULL;
  if (!zone)
    return NULL;
  cJSON *ch = cJSON_CreateObject();
  cJSON_AddItemToObject(ch, "HostedZoneId", conv(p, zone));
  cJSON *change = cJSON_CreateObject();
  cJSON_AddStringToObject(change, "Action", action);
  cJSON *rrs = cJSON_AddObjectToObject(change, "ResourceRecordSet");
  cJSON_AddItemToObject(rrs, "Name", placeholder(p, p->logical, "validation_name"));
  cJSON_AddStringToObject(rrs, "Type", "CNAME");
  cJSON_AddNumberToObject(rrs, "TTL", 300);
  cJSON *rec = cJSON_CreateObject();
  cJSON_AddItemToObject(rec, "Value", placeholder(p, p->logical, "validation_value"));
  cJSON_AddItemToArray(cJSON_AddArrayToObject(rrs, "ResourceRecords"), rec);
  cJSON_AddItemToArray(
      cJSON_AddArrayToObject(cJSON_AddObjectToObject(ch, "ChangeBatch"), "Changes"), change);
  return ch;
}

void create_certificate(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "DomainName", props, "DomainName");
  put(p, params, "ValidationMethod", props, "ValidationMethod");
  put(p, params, "SubjectAlternativeNames", props, "SubjectAlternativeNames");
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "acm", "RequestCertificate", params);
  capture(p, s, "arn", "CertificateArn");
  cJSON *arn = placeholder(p, p->logical, "arn");
  cJSON *d = cJSON_CreateObject();
  cJSON_AddItemToObject(d, "CertificateArn", cJSON_Duplicate(arn, true));
  cJSON *ds = new_step(p, "acm", "DescribeCertificate", d);
  capture(p, ds, "validation_name", "Certificate.DomainValidationOptions[0].ResourceRecord.Name");
  capture(p, ds, "validation_value", "Certificate.DomainValidationOptions[0].ResourceRecord.Value");
  cJSON *record = validation_change(p, props, "UPSERT");
  if (record)
    new_step(p, "route53", "ChangeResourceRecordSets", record);
  cJSON *w = cJSON_CreateObject();
  cJSON_AddItemToObject(w, "CertificateArn", cJSON_Duplicate(arn, true));
  wait_for(new_step(p, "acm", "DescribeCertificate", w), "certificate_validated");
  cJSON_Delete(arn);
}

void create_target_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "Name", props, "Name", 32, false);
  static const char *const keys[] = {
      "Protocol", "Port", "VpcId", "TargetType", "HealthCheckProtocol", "HealthCheckPath",
      "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
      "UnhealthyThresholdCount", "Matcher", NULL};
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "elbv2", "CreateTargetGroup", params);
  capture(p, s, "arn", "TargetGroups[0].TargetGroupArn");
}

void create_load_balancer(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "Name", props, "Name", 32, false);
  static const char *const keys[] = {"Subnets", "SecurityGroups", "Scheme", "Type", NULL};
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  put_tags(p, params, "Tags", props, false);
  cJSON *s = new_step(p, "elbv2", "CreateLoadBalancer", params);
  capture(p, s, "arn", "LoadBalancers[0].LoadBalancerArn");
  capture(p, s, "dns_name", "LoadBalancers[0].DNSName");
  capture(p, s, "zone_id", "LoadBalancers[0].CanonicalHostedZoneId");
  wait_for(s, "load_balancer_available");
}

void create_listener(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  static const char *const keys[] = {"LoadBalancerArn", "Protocol", "Port", "Certificates",
                                     "DefaultActions", "SslPolicy", NULL};
  for (const char *const *k = keys; *k; k++)
    put(p, params, *k, props, *k);
  cJSON *s = new_step(p, "elbv2", "CreateListener", params);
  capture(p, s, "arn", "Listeners[0].ListenerArn");
}

cJSON *record_change(Plan *p, const cJSON *props, const char *action) {
  cJSON *ch = cJSON_CreateObject();
  put(p, ch, "HostedZoneId", props, "HostedZoneId");
  cJSON *change = cJSON_CreateObject();
  cJSON_AddStringToObject(change, "Action", action);
  cJSON *rrs = cJSON_AddObjectToObject(change, "ResourceRecordSet");
  put(p, rrs, "Name", props, "Name");
  put(p, rrs, "Type", props, "Type");
  if (prop(props, "AliasTarget")) {
    put(p, rrs, "AliasTarget", props, "AliasTarget");
    cJSON *alias = cJSON_GetObjectItemCaseSensitive(rrs, "AliasTarget");
    if (cJSON_IsObject(alias) && !cJSON_GetObjectItemCaseSensitive(alias, "EvaluateTargetHealth"))
      cJSON_AddBoolToObject(alias, "EvaluateTargetHealth", false); /* CloudFormation's default */
  } else {
    put_int(p, rrs, "TTL", props, "TTL");
    cJSON *recs = cJSON_AddArrayToObject(rrs, "ResourceRecords");
    const cJSON *vals = prop(props, "ResourceRecords");
    for (const cJSON *v = vals ? vals->child : NULL; v; v = v->next) {
      cJSON *r = cJSON_CreateObject();
      cJSON_AddItemToObject(r, "Value", conv(p, v));
      cJSON_AddItemToArray(recs, r);
    }
  }
  cJSON_AddItemToArray(cJSON_AddArrayToObject(cJSON_AddObjectToObject(ch, "ChangeBatch"), "Changes"),
                       change);
  return ch;
}

void create_record(Plan *p, const cJSON *props) {
  new_step(p, "route53", "ChangeResourceRecordSets", record_change(p, props, "UPSERT"));
}

void create_repository(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "repositoryName", props, "RepositoryName", 256, true);
  const cJSON *scan = prop(props, "ImageScanningConfiguration");
  if (scan)
    cJSON_AddItemToObject(params, "imageScanningConfiguration", camel(scan, false));
  put(p, params, "imageTagMutability", props, "ImageTagMutability");
  put_tags(p, params, "tags", props, false);
  cJSON *s = new_step(p, "ecr", "CreateRepository", params);
  capture(p, s, "name", "repository.repositoryName");
  capture(p, s, "uri", "repository.repositoryUri");
  capture(p, s, "arn", "repository.repositoryArn");
}

void create_cluster(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "clusterName", props, "ClusterName", 255, false);
  put_tags(p, params, "tags", props, true);
  cJSON *s = new_step(p, "ecs", "CreateCluster", params);
  capture(p, s, "name", "cluster.clusterName");
  capture(p, s, "arn", "cluster.clusterArn");
}

void create_log_group(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddItemToObject(params, "logGroupName", log_group_name(p, p->logical));
  cJSON *name = cJSON_Duplicate(cJSON_GetObjectItem(params, "logGroupName"), true);
  const cJSON *tags = prop(props, "Tags");
  if (cJSON_GetArraySize(tags)) {
    cJSON *map = cJSON_AddObjectToObject(params, "tags");
    for (const cJSON *t = tags->child; t; t = t->next) {
      const cJSON *k = prop(t, "Key");
      if (cJSON_IsString(k))
        cJSON_AddItemToObject(map, k->valuestring, conv(p, prop(t, "Value")));
    }
  }
  new_step(p, "logs", "CreateLogGroup", params);
  cJSON *d = cJSON_CreateObject(); /* the ARN, which CreateLogGroup does not return */
  cJSON_AddItemToObject(d, "logGroupNamePrefix", cJSON_Duplicate(name, true));
  capture(p, new_step(p, "logs", "DescribeLogGroups", d), "arn", "logGroups[0].arn");
  if (prop(props, "RetentionInDays")) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "logGroupName", cJSON_Duplicate(name, true));
    put_int(p, r, "retentionInDays", props, "RetentionInDays");
    new_step(p, "logs", "PutRetentionPolicy", r);
  }
  cJSON_Delete(name);
}

void create_task_definition(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put_name(p, params, "family", props, "Family", 255, false);
  const cJSON *defs = prop(props, "ContainerDefinitions");
  if (defs) {
    cJSON *c = conv(p, defs);
    cJSON_AddItemToObject(params, "containerDefinitions", camel(c, false));
    cJSON_Delete(c);
  }
  put_str(p, params, "cpu", props, "Cpu");
  put_str(p, params, "memory", props, "Memory");
  put(p, params, "executionRoleArn", props, "ExecutionRoleArn");
  put(p, params, "taskRoleArn", props, "TaskRoleArn");
  put(p, params, "networkMode", props, "NetworkMode");
  put(p, params, "requiresCompatibilities", props, "RequiresCompatibilities");
  put_tags(p, params, "tags", props, true);
  cJSON *s = new_step(p, "ecs", "RegisterTaskDefinition", params);
  capture(p, s, "arn", "taskDefinition.taskDefinitionArn");
}

/* DeploymentConfiguration, its members camelCase as ECS's API writes them. */
void put_deployment(Plan *p, cJSON *params, const cJSON *props) {
  const cJSON *dc = prop(props, "DeploymentConfiguration");
  if (!dc)
    return;
  cJSON *c = conv(p, dc);
  cJSON_AddItemToObject(params, "deploymentConfiguration", camel(c, false));
  cJSON_Delete(c);
}

/* A service's load balancers and network configuration, as ECS spells
   them: CreateService and UpdateService take the same. */
void put_service_network(Plan *p, cJSON *params, const cJSON *props) {
  static const struct {
    const char *prop, *key;
  } parts[] = {{"LoadBalancers", "loadBalancers"}, {"NetworkConfiguration", "networkConfiguration"}};
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    const cJSON *v = prop(props, parts[i].prop);
    if (!v)
      continue;
    cJSON *c = conv(p, v);
    cJSON_AddItemToObject(params, parts[i].key, camel(c, false));
    cJSON_Delete(c);
  }
}

void create_service(Plan *p, const cJSON *props) {
  cJSON *params = cJSON_CreateObject();
  put(p, params, "cluster", props, "Cluster");
  put_name(p, params, "serviceName", props, "ServiceName", 255, false);
  put(p, params, "taskDefinition", props, "TaskDefinition");
  put_int(p, params, "desiredCount", props, "DesiredCount");
  put(p, params, "launchType", props, "LaunchType");
  put_int(p, params, "healthCheckGracePeriodSeconds", props, "HealthCheckGracePeriodSeconds");
  put_deployment(p, params, props);
  put_service_network(p, params, props);
  put_tags(p, params, "tags", props, true);
  cJSON *s = new_step(p, "ecs", "CreateService", params);
  capture(p, s, "arn", "service.serviceArn");
  capture(p, s, "name", "service.serviceName");
}

void create_ingress(Plan *p, const cJSON *props) { group_rule(p, props, false); }
void create_egress(Plan *p, const cJSON *props) { group_rule(p, props, true); }

void create_internet_gateway(Plan *p, const cJSON *props) {
  simple_ec2(p, props, "CreateInternetGateway", "internet-gateway",
             "InternetGateway.InternetGatewayId", (const char *const[]){NULL});
}

void create_gateway_attachment(Plan *p, const cJSON *props) {
  simple_ec2(p, props, "AttachInternetGateway", NULL, NULL,
             (const char *const[]){"InternetGatewayId", "VpcId", NULL});
}

void create_route_table(Plan *p, const cJSON *props) {
  simple_ec2(p, props, "CreateRouteTable", "route-table", "RouteTable.RouteTableId",
             (const char *const[]){"VpcId", NULL});
}

void create_route(Plan *p, const cJSON *props) {
  simple_ec2(p, props, "CreateRoute", NULL, NULL,
             (const char *const[]){"RouteTableId", "DestinationCidrBlock", "GatewayId",
                                   "NatGatewayId", "InstanceId", NULL});
}

void create_route_table_association(Plan *p, const cJSON *props) {
  simple_ec2(p, props, "AssociateRouteTable", NULL, "AssociationId",
             (const char *const[]){"RouteTableId", "SubnetId", NULL});
}

void create_eip_association(Plan *p, const cJSON *props) {
  simple_ec2(p, props, "AssociateAddress", NULL, "AssociationId",
             (const char *const[]){"AllocationId", "InstanceId", NULL});
}
