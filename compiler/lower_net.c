/* lower_net.c: lowering of the network kinds: vpc, subnet, gateways, route
   tables, security groups, instances and elastic IPs. */
#include <string.h>

#include "lower_int.h"

/* vpc -> AWS::EC2::VPC */
void lower_vpc(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::EC2::VPC", true);
  iv_set(l, r->props, "CidrBlock", attr_str(l, d, "cidr"));
  iv_set(l, r->props, "EnableDnsSupport", attr_bool(l, d, "dns_support", true));
  iv_set(l, r->props, "EnableDnsHostnames", attr_bool(l, d, "dns_hostnames", true));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

/* subnet -> AWS::EC2::Subnet */
void lower_subnet(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::EC2::Subnet", true);
  iv_set(l, r->props, "VpcId", attr_str(l, d, "vpc"));
  iv_set(l, r->props, "CidrBlock", attr_str(l, d, "cidr"));
  iv_set(l, r->props, "AvailabilityZone", attr_str(l, d, "az"));
  IrValue *public = attr_bool(l, d, "map_public_ip", false);
  /* written when true, or when the source says false (as an imported template did) */
  if (public->k != IV_BOOL || public->i || decl_attr(d, "map_public_ip"))
    iv_set(l, r->props, "MapPublicIpOnLaunch", public);
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

/* internet_gateway -> InternetGateway + VPCGatewayAttachment */
void lower_igw(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::EC2::InternetGateway", true);
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  IrResource *a = lower_res(l, d, l->companion[d->index], "AWS::EC2::VPCGatewayAttachment", false);
  iv_set(l, a->props, "VpcId", attr_str(l, d, "vpc"));
  iv_set(l, a->props, "InternetGatewayId", iv_ref(l, r->logical_id));
}

static const Decl *subnet_vpc(const Decl *d) {
  return decl_ref(decl_ref(d, "subnet"), "vpc");
}

/* eip_tags { }: the elastic IP's tags as written, no Name tag added; NULL when none */
static IrValue *eip_tags(L *l, const Member *m) {
  IrValue *tags = iv_list(l);
  for (int i = 0; i < m->body.n; i++) {
    Member *t = m->body.v[i];
    if (t->k == M_ATTR)
      iv_push(l, tags, iv_pair(l, "Key", iv_str(l, t->name), "Value", lower_expr(l, t->value)));
  }
  return tags->n ? tags : NULL;
}

/* nat_gateway -> NatGateway + EIP */
void lower_nat(L *l, const Decl *d) {
  const char *eip = lower_part(l, d, "Eip");
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::EC2::NatGateway", true);
  iv_set(l, r->props, "AllocationId", iv_getatt(l, eip, "AllocationId"));
  iv_set(l, r->props, "SubnetId", attr_str(l, d, "subnet"));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  IrResource *e = lower_res(l, d, eip, "AWS::EC2::EIP", false);
  lower_after_attach(l, e, subnet_vpc(d));
  iv_set(l, e->props, "Domain", iv_str(l, "vpc"));
  Member *own = stmt_nth(&d->members, "eip_tags", 0);
  iv_set(l, e->props, "Tags", own ? eip_tags(l, own) : lower_tags(l, d));
}

/* items[i] names what an earlier item names: [a, a] associates a once. */
static bool listed_before(const Expr *list, int i) {
  Expr *e = list->items.v[i];
  for (int j = 0; j < i; j++)
    if (((Expr *)list->items.v[j])->ref == e->ref) return true;
  return false;
}

/* route_table -> RouteTable + Route + SubnetRouteTableAssociation */
void lower_route_table(L *l, const Decl *d) {
  const char *id = lower_id(l, d);
  IrResource *r = lower_res(l, d, id, "AWS::EC2::RouteTable", true);
  iv_set(l, r->props, "VpcId", attr_str(l, d, "vpc"));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  int n = 0;
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    if (m->k != M_STMT || !m->stmt || strcmp(m->name, "route")) continue;
    Expr *to = stmt_slot(m, "target", 0);
    Decl *t = to ? to->ref : NULL;
    if (!t || t->k != D_RESOURCE) continue;
    const char *key = decl_is(t, "internet_gateway") ? "GatewayId"
                      : decl_is(t, "nat_gateway")    ? "NatGatewayId"
                                                     : "InstanceId";
    const char *rid = lower_part_as(l, d, arena_printf(l->a, "Route%d", n + 1),
                                    arena_printf(l->a, "%sRoute%d", id, n + 1));
    IrResource *rt = lower_res(l, d, rid, "AWS::EC2::Route", false);
    iv_set(l, rt->props, "RouteTableId", iv_ref(l, id));
    iv_set(l, rt->props, "DestinationCidrBlock", lower_expr(l, stmt_slot(m, "cidr", 0)));
    iv_set(l, rt->props, key, lower_ref(l, t));
    n++;
    if (decl_is(t, "internet_gateway")) lower_after_attach(l, rt, decl_ref(t, "vpc"));
  }
  Expr *subnets = decl_attr(d, "subnets");
  for (int i = 0; subnets && subnets->k == EX_LIST && i < subnets->items.n; i++) {
    Expr *s = subnets->items.v[i];
    if (!s->ref || s->ref->k != D_RESOURCE || listed_before(subnets, i)) continue;
    const char *sub = lower_logical_id(l->a, s->ref->name, ""); /* PublicRouteTablePublicA */
    const char *aid = lower_part_as(l, d, sub, arena_printf(l->a, "%s%s", id, sub));
    IrResource *a = lower_res(l, d, aid, "AWS::EC2::SubnetRouteTableAssociation", false);
    iv_set(l, a->props, "RouteTableId", iv_ref(l, id));
    iv_set(l, a->props, "SubnetId", lower_ref(l, s->ref));
  }
}

/* ---- security groups ---- */

static const char *ip_protocol(const Expr *proto) {
  if (!proto || proto->k != EX_NAME) return "-1";
  return !strcmp(proto->name, "all") ? "-1" : proto->name;
}

/* IpProtocol, FromPort, ToPort of a rule into map. */
static void rule_ports(L *l, IrValue *map, const Member *m) {
  const char *proto = ip_protocol(stmt_slot(m, "proto", 0));
  Expr *ports = stmt_slot(m, "ports", 0);
  iv_set(l, map, "IpProtocol", iv_str(l, proto));
  if (!strcmp(proto, "-1")) return;
  int64_t lo = -1, hi = -1;
  if (ports && (ports->k == EX_INT || ports->k == EX_PORTS)) {
    lo = ports->i;
    hi = ports->k == EX_PORTS ? ports->hi : ports->i;
  }
  iv_set(l, map, "FromPort", iv_int(l, lo));
  iv_set(l, map, "ToPort", iv_int(l, hi));
}

/* A cidr peer: a literal, a cidr param, or a vpc's or subnet's range. */
static IrValue *peer_cidr(L *l, const Expr *peer) {
  Cidr c;
  char buf[19];
  if (peer->k == EX_NAME && peer->ref && peer->ref->k == D_PARAM) return lower_expr(l, peer);
  if ((peer->k == EX_NAME || peer->k == EX_FIELD) && peer->ref && eval_cidr(peer, &c))
    return iv_str(l, arena_printf(l->a, "%s", cidr_format(c, buf)));
  return lower_expr(l, peer);
}

/* The description, checked against what EC2 takes (E106 in
   check_security.c), or one made of the name. */
static IrValue *group_description(L *l, const Decl *d) {
  IrValue *v = attr_str(l, d, "description");
  return v ? v : iv_str(l, arena_printf(l->a, "security group %s", d->name));
}

/* security_group -> SecurityGroup, with rules to and from address ranges
   inline; a rule naming a group becomes a SecurityGroupIngress/Egress of
   its own, so that two groups naming each other make no cycle. */
void lower_security_group(L *l, const Decl *d) {
  const char *id = lower_id(l, d);
  IrResource *r = lower_res(l, d, id, "AWS::EC2::SecurityGroup", true);
  iv_set(l, r->props, "GroupName", attr_str(l, d, "name"));
  iv_set(l, r->props, "GroupDescription", group_description(l, d));
  iv_set(l, r->props, "VpcId", attr_str(l, d, "vpc"));
  IrValue *rules[2] = {iv_list(l), iv_list(l)};
  static const char *const stmt[2] = {"ingress", "egress"};
  static const char *const part[2] = {"Ingress", "Egress"};
  static const char *const group_key[2] = {"SourceSecurityGroupId", "DestinationSecurityGroupId"};
  for (int dir = 0; dir < 2; dir++) {
    int n = 0;
    for (int i = 0; i < d->members.n; i++) {
      Member *m = d->members.v[i];
      if (m->k != M_STMT || !m->stmt || strcmp(m->name, stmt[dir])) continue;
      n++;
      Expr *peer = stmt_slot(m, "peer", 0);
      if (!peer) continue;
      if (decl_is(peer->ref, "security_group")) {
        IrResource *g = lower_res(
            l, d, lower_unique(l, &l->ids, arena_printf(l->a, "%s%s%d", id, part[dir], n)),
            dir ? "AWS::EC2::SecurityGroupEgress" : "AWS::EC2::SecurityGroupIngress", false);
        iv_set(l, g->props, "GroupId", iv_getatt(l, id, "GroupId"));
        rule_ports(l, g->props, m);
        iv_set(l, g->props, group_key[dir], lower_ref(l, peer->ref));
        continue;
      }
      IrValue *rule = iv_push(l, rules[dir], iv_map(l));
      rule_ports(l, rule, m);
      iv_set(l, rule, "CidrIp", peer_cidr(l, peer));
    }
  }
  if (rules[0]->n) iv_set(l, r->props, "SecurityGroupIngress", rules[0]);
  if (rules[1]->n) iv_set(l, r->props, "SecurityGroupEgress", rules[1]);
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

/* ---- instances ---- */

IrValue *lower_ecs_config(L *l, const Decl *cluster) {
  IrValue *v = iv_sub(l);
  iv_sub_text(l, v, "#!/bin/bash\necho ECS_CLUSTER=");
  iv_sub_add(l, v, iv_ref(l, lower_id(l, cluster)));
  iv_sub_text(l, v, " >> /etc/ecs/ecs.config\n");
  return v;
}

/* The UserData of an instance: the ECS agent's configuration when it joins
   a cluster, then the user's script. */
static IrValue *user_data(L *l, const Decl *d) {
  Decl *cluster = decl_ref(d, "cluster");
  IrValue *body = attr_str(l, d, "user_data"); /* a string, Fn::Sub, or Ref of a param */
  if (cluster) {
    IrValue *config = lower_ecs_config(l, cluster);
    if (body && (body->k == IV_STR || body->k == IV_SUB || body->k == IV_REF)) iv_sub_add(l, config, body);
    body = config;
  }
  if (!body) return NULL;
  IrValue *v = iv_list(l);
  v->k = IV_BASE64;
  iv_push(l, v, body);
  return v;
}

/* instance -> EC2::Instance (its role's InstanceProfile comes with the role) */
void lower_instance(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::EC2::Instance", true);
  Expr *image = decl_attr(d, "image");
  iv_set(l, r->props, "ImageId",
         image && image->k == EX_CALL && !strcmp(image->name, "ssm")
             ? lower_ssm(l, d, "image", image, "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
             : lower_expr(l, image));
  iv_set(l, r->props, "InstanceType", attr_str(l, d, "type"));
  Decl *role = decl_ref(d, "role");
  if (role) iv_set(l, r->props, "IamInstanceProfile", iv_ref(l, l->companion[role->index]));
  iv_set(l, r->props, "KeyName", attr_str(l, d, "key_name"));
  IrValue *groups = lower_refs(l, decl_attr(d, "security_groups"));
  IrValue *public = attr_bool(l, d, "public_ip", false); /* a bool, or Ref of a param */
  if (public->k != IV_BOOL || public->i) {
    IrValue *nic = iv_map(l);
    iv_set(l, nic, "DeviceIndex", iv_str(l, "0"));
    iv_set(l, nic, "AssociatePublicIpAddress", public);
    iv_set(l, nic, "SubnetId", attr_str(l, d, "subnet"));
    iv_set(l, nic, "GroupSet", groups);
    iv_push(l, iv_set(l, r->props, "NetworkInterfaces", iv_list(l)), nic);
  } else {
    iv_set(l, r->props, "SubnetId", attr_str(l, d, "subnet"));
    iv_set(l, r->props, "SecurityGroupIds", groups);
  }
  iv_set(l, r->props, "UserData", user_data(l, d));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

/* elastic_ip -> EIP (+ EIPAssociation with its instance) */
void lower_elastic_ip(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::EC2::EIP", true);
  Decl *inst = decl_ref(d, "instance");
  lower_after_attach(l, r, inst ? subnet_vpc(inst) : NULL);
  iv_set(l, r->props, "Domain", iv_str(l, "vpc"));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  if (!inst) return;
  IrResource *a =
      lower_res(l, d, lower_part(l, d, "Association"), "AWS::EC2::EIPAssociation", false);
  iv_set(l, a->props, "AllocationId", iv_getatt(l, r->logical_id, "AllocationId"));
  iv_set(l, a->props, "InstanceId", lower_ref(l, inst));
}
