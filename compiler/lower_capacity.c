/* lower_capacity.c: a cluster's capacity block -> an EC2 launch template
   and an auto scaling group whose instances join the cluster at boot (user
   data ECS_CLUSTER, the role's instance profile), over the subnets' zones. */
#include <string.h>

#include "lower_int.h"

static IrValue *str_int(L *l, IrValue *v) {
  if (v && v->k == IV_INT) return iv_str(l, arena_printf(l->a, "%lld", (long long)v->i));
  return v;
}

/* #!/bin/bash, then the cluster the ECS agent registers in */
static IrValue *join_cluster(L *l, const Decl *cluster) {
  IrValue *body = lower_ecs_config(l, cluster);
  IrValue *v = iv_list(l);
  v->k = IV_BASE64;
  iv_push(l, v, body);
  return v;
}

/* The cluster's tags, copied onto the instances the group starts. */
static IrValue *launch_tags(L *l, const Decl *d) {
  IrValue *tags = lower_tags(l, d);
  for (int i = 0; tags && i < tags->n; i++)
    iv_set(l, tags->items[i], "PropagateAtLaunch", iv_bool(l, true));
  return tags;
}

void lower_capacity(L *l, const Decl *d, const Member *cap) {
  IrResource *lt = lower_res(l, d, lower_part(l, d, "LaunchTemplate"), "AWS::EC2::LaunchTemplate",
                             false);
  IrValue *data = iv_set(l, lt->props, "LaunchTemplateData", iv_map(l));
  Expr *image = member_attr(cap, "image");
  iv_set(l, data, "ImageId",
         image && image->k == EX_CALL && !strcmp(image->name, "ssm")
             ? lower_ssm(l, d, "image", image, "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
             : lower_expr(l, image));
  iv_set(l, data, "InstanceType", lower_expr(l, member_attr(cap, "type")));
  Expr *role = member_attr(cap, "role");
  if (role && role->ref && l->companion[role->ref->index])
    iv_set(l, data, "IamInstanceProfile",
           iv_pair(l, "Arn", iv_getatt(l, l->companion[role->ref->index], "Arn"), NULL, NULL));
  iv_set(l, data, "SecurityGroupIds", lower_refs(l, member_attr(cap, "security_groups")));
  iv_set(l, data, "UserData", join_cluster(l, d));
  /* IMDSv2 only: a stolen request URL cannot read the role's credentials */
  iv_set(l, data, "MetadataOptions",
         iv_pair(l, "HttpTokens", iv_str(l, "required"), "HttpPutResponseHopLimit", iv_int(l, 2)));

  IrResource *g = lower_res(l, d, l->companion[d->index], "AWS::AutoScaling::AutoScalingGroup",
                            false);
  IrValue *min = str_int(l, lower_expr(l, member_attr(cap, "min")));
  IrValue *max = str_int(l, lower_expr(l, member_attr(cap, "max")));
  iv_set(l, g->props, "MinSize", min ? min : iv_str(l, "1"));
  iv_set(l, g->props, "MaxSize", max ? max : min ? min : iv_str(l, "1"));
  iv_set(l, g->props, "VPCZoneIdentifier", lower_refs(l, member_attr(cap, "subnets")));
  iv_set(l, g->props, "LaunchTemplate",
         iv_pair(l, "LaunchTemplateId", iv_ref(l, lt->logical_id), "Version",
                 iv_getatt(l, lt->logical_id, "LatestVersionNumber")));
  iv_set(l, g->props, "Tags", launch_tags(l, d));
}
