/* lower_app.c: lowering of the application kinds: IAM roles, databases,
   DNS, certificates, load balancers, registries and ECS. */
#include <string.h>

#include "lower_int.h"
#include "secret_store.h"

static IrValue *str_of(L *l, IrValue *v) {
  if (v && v->k == IV_INT) return iv_str(l, arena_printf(l->a, "%lld", (long long)v->i));
  if (v && v->k == IV_BOOL) return iv_str(l, v->i ? "true" : "false");
  return v;
}

static const char *word(const Expr *e, const char *def) {
  return e && e->k == EX_NAME ? e->name : def;
}

/* A container secret: what ECS reads (ValueFrom) and the ARN whose read
   the execution role needs. db.password_secret is the JSON secret RDS keeps
   for password = managed: the container gets its password key. A `resource`
   of Secrets Manager is its Ref (the ARN); one of SSM, the ARN made from its
   Ref (the name). */
typedef struct {
  IrValue *from, *arn;
  const SecretStore *store;
} SecretRef;

/* arn:PARTITION:ssm:REGION:ACCOUNT:parameter, the start of an SSM parameter's ARN. */
static IrValue *ssm_arn(L *l) {
  IrValue *v = iv_sub(l);
  iv_sub_text(l, v, "arn:");
  iv_sub_add(l, v, iv_ref(l, "AWS::Partition"));
  iv_sub_text(l, v, ":ssm:");
  iv_sub_add(l, v, iv_ref(l, "AWS::Region"));
  iv_sub_text(l, v, ":");
  iv_sub_add(l, v, iv_ref(l, "AWS::AccountId"));
  iv_sub_text(l, v, ":parameter");
  return v;
}

static SecretRef secret_ref(L *l, const Expr *e) {
  SecretRef s = {.store = &secret_stores[0]};
  if (e->k == EX_FIELD && e->ref && decl_is(e->ref, "database")) {
    s.arn = lower_export(l, e->ref, e->name);
    s.from = iv_sub(l);
    iv_sub_add(l, s.from, s.arn);
    iv_sub_text(l, s.from, ":password::");
    return s;
  }
  const SecretStore *kept = e->k == EX_NAME ? secret_store_of(e->ref) : NULL;
  if (kept) {
    const Expr *name;
    const char *sep = kept->ssm ? ssm_arn_separator(e->ref, &name) : NULL;
    s.store = kept;
    IrValue *ref = iv_ref(l, lower_id(l, e->ref));
    s.from = s.arn = ref;
    if (kept->ssm) { /* the parameter's ARN, made from its name */
      s.from = s.arn = ssm_arn(l);
      iv_sub_text(l, s.arn, sep ? sep : "/");
      iv_sub_add(l, s.arn, ref);
    }
    return s;
  }
  IrValue *v = lower_expr(l, e);
  s.from = s.arn = lower_arn(l, v);
  const char *text = v && v->k == IV_STR ? v->s : "";
  if (strstr(text, ":ssm:") || text[0] == '/') s.store = &secret_stores[1];
  if (text[0] == '/') { /* a parameter's name, in the stack's region */
    s.arn = ssm_arn(l);
    iv_sub_text(l, s.arn, text);
  } else if (strstr(text, ":secret:")) { /* ARN:json-key:version-stage:version-id */
    int colons = 0;
    const char *p = text;
    for (; *p && colons < 7; p++)
      colons += *p == ':';
    if (colons == 7) s.arn = lower_arn(l, iv_str(l, arena_strndup(l->a, text, (size_t)(p - 1 - text))));
  }
  return s;
}

static bool iv_same(const IrValue *a, const IrValue *b) {
  if (a->k == IV_SUB && b->k == IV_SUB) { /* the same parts */
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++)
      if (!iv_same(a->items[i], b->items[i])) return false;
    return true;
  }
  return a->k == b->k && a->s && b->s && !strcmp(a->s, b->s) &&
         (!a->attr || (b->attr && !strcmp(a->attr, b->attr)));
}

static void push_unique(L *l, IrValue *list, IrValue *v) {
  for (int i = 0; v && i < list->n; i++)
    if (iv_same(list->items[i], v)) return;
  iv_push(l, list, v);
}

static IrValue *statement(L *l, IrValue *stmts, IrValue *actions, IrValue *resources) {
  IrValue *st = iv_push(l, stmts, iv_map(l));
  iv_set(l, st, "Effect", iv_str(l, "Allow"));
  iv_set(l, st, "Action", actions->n == 1 ? actions->items[0] : actions);
  iv_set(l, st, "Resource", resources->n == 1 ? resources->items[0] : resources);
  return st;
}

/* An inline policy named name, holding stmts, when there are any. */
static void inline_policy(L *l, IrValue *policies, const char *name, IrValue *stmts) {
  if (!stmts->n) return;
  IrValue *doc = iv_map(l);
  iv_set(l, doc, "Version", iv_str(l, "2012-10-17"));
  iv_set(l, doc, "Statement", stmts);
  iv_push(l, policies, iv_pair(l, "PolicyName", iv_str(l, name), "PolicyDocument", doc));
}

/* allow ACTION[, ...] on RESOURCE[, ...]: one statement each; a resource
   named by reference is its ARN. */
static IrValue *allow_statements(L *l, const Decl *d) {
  IrValue *stmts = iv_list(l);
  Member *m;
  for (int i = 0; (m = stmt_nth(&d->members, "allow", i)); i++) {
    IrValue *actions = iv_list(l), *resources = iv_list(l);
    bool on = false;
    for (int j = 0; j < m->words.n; j++) {
      Expr *w = m->words.v[j];
      if (w->k == EX_COMMA) continue;
      if (!on && w->k == EX_NAME && !strcmp(w->name, "on")) {
        on = true;
        continue;
      }
      IrValue *v = !on ? lower_expr(l, w)
                   : w->k == EX_NAME && w->ref ? lower_export(l, w->ref, "arn")
                                               : lower_arn(l, lower_expr(l, w));
      iv_push(l, on ? resources : actions, v);
    }
    if (actions->n && resources->n) statement(l, stmts, actions, resources);
  }
  return stmts;
}

/* The read of the secrets of the tasks that role d executes, as CDK grants
   it: GetSecretValue on each secret, GetParameters on each parameter. */
static IrValue *secret_statements(L *l, const Decl *d) {
  IrValue *arns[SECRET_STORES] = {iv_list(l), iv_list(l)}; /* by secret_stores[] */
  Vec *tasks = &l->executes[d->index];
  for (int t = 0; t < tasks->n; t++) {
    Decl *task = tasks->v[t];
    Member *c, *sec;
    for (int i = 0; (c = stmt_nth(&task->members, "container", i)); i++)
      for (int j = 0; (sec = stmt_nth(&c->body, "secrets", j)); j++)
        for (int a = 0; a < sec->body.n; a++) {
          Member *var = sec->body.v[a];
          if (var->k != M_ATTR) continue;
          SecretRef s = secret_ref(l, var->value);
          push_unique(l, arns[s.store - secret_stores], s.arn);
        }
  }
  IrValue *stmts = iv_list(l), *one;
  for (int i = 0; i < SECRET_STORES; i++) {
    if (!arns[i]->n) continue;
    iv_push(l, one = iv_list(l), iv_str(l, secret_stores[i].read));
    statement(l, stmts, one, arns[i]);
  }
  return stmts;
}

/* role -> IAM::Role (+ InstanceProfile when an instance or a cluster's
   capacity uses it, or profile_name names it) */
void lower_role(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::IAM::Role", true);
  iv_set(l, r->props, "RoleName", attr_str(l, d, "name"));
  IrValue *doc = iv_set(l, r->props, "AssumeRolePolicyDocument", iv_map(l));
  iv_set(l, doc, "Version", iv_str(l, "2012-10-17"));
  IrValue *st = iv_push(l, iv_set(l, doc, "Statement", iv_list(l)), iv_map(l));
  iv_set(l, st, "Effect", iv_str(l, "Allow"));
  IrValue *principal = iv_set(l, st, "Principal", iv_map(l));
  iv_set(l, principal, "Service", attr_str(l, d, "assumed_by"));
  iv_set(l, st, "Action", iv_str(l, "sts:AssumeRole"));
  iv_set(l, r->props, "ManagedPolicyArns", lower_arn(l, attr_str(l, d, "managed_policies")));
  IrValue *policies = iv_list(l);
  inline_policy(l, policies, "allow", allow_statements(l, d));
  inline_policy(l, policies, "task-secrets", secret_statements(l, d));
  if (policies->n) iv_set(l, r->props, "Policies", policies);
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  if (!l->companion[d->index]) return;
  IrResource *p = lower_res(l, d, l->companion[d->index], "AWS::IAM::InstanceProfile", false);
  iv_set(l, p->props, "InstanceProfileName", attr_str(l, d, "profile_name"));
  iv_push(l, iv_set(l, p->props, "Roles", iv_list(l)), iv_ref(l, r->logical_id));
}

/* database -> RDS::DBInstance + DBSubnetGroup (+ DBParameterGroup) */
void lower_database(L *l, const Decl *d) {
  const char *group = lower_part(l, d, "SubnetGroup");
  Member *params = stmt_nth(&d->members, "parameters", 0);
  const char *pgroup = params ? lower_part(l, d, "ParameterGroup") : NULL;
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::RDS::DBInstance", true);
  r->deletion_policy = r->update_replace_policy = "Snapshot";
  IrValue *p = r->props;
  iv_set(l, p, "DBInstanceIdentifier", attr_str(l, d, "identifier"));
  iv_set(l, p, "Engine", iv_str(l, word(decl_attr(d, "engine"), "postgres")));
  iv_set(l, p, "EngineVersion", attr_str(l, d, "version"));
  iv_set(l, p, "DBInstanceClass", attr_str(l, d, "class"));
  iv_set(l, p, "AllocatedStorage", str_of(l, attr_int(l, d, "storage", 1 << 30)));
  iv_set(l, p, "DBName", attr_str(l, d, "name"));
  iv_set(l, p, "MasterUsername", attr_str(l, d, "username"));
  Expr *pw = decl_attr(d, "password");
  if (pw && pw->k == EX_NAME && !pw->ref && !strcmp(pw->name, "managed"))
    iv_set(l, p, "ManageMasterUserPassword", iv_bool(l, true));
  else
    iv_set(l, p, "MasterUserPassword", lower_expr(l, pw));
  iv_set(l, p, "DBSubnetGroupName", iv_ref(l, group));
  if (pgroup) iv_set(l, p, "DBParameterGroupName", iv_ref(l, pgroup));
  iv_set(l, p, "VPCSecurityGroups", lower_refs(l, decl_attr(d, "security_groups")));
  iv_set(l, p, "MultiAZ", attr_bool(l, d, "multi_az", false));
  iv_set(l, p, "StorageEncrypted", attr_bool(l, d, "encrypted", true));
  iv_set(l, p, "PubliclyAccessible", attr_bool(l, d, "public", false));
  IrValue *keep = attr_int(l, d, "backup_retention", 86400);
  iv_set(l, p, "BackupRetentionPeriod", keep ? keep : iv_int(l, 7));
  iv_set(l, p, "DeletionProtection", attr_bool(l, d, "deletion_protection", true));
  iv_set(l, p, "Tags", lower_tags(l, d));
  IrResource *g = lower_res(l, d, group, "AWS::RDS::DBSubnetGroup", false);
  iv_set(l, g->props, "DBSubnetGroupName", attr_str(l, d, "subnet_group_name"));
  IrValue *about = attr_str(l, d, "subnet_group_description");
  iv_set(l, g->props, "DBSubnetGroupDescription",
         about ? about : iv_str(l, arena_printf(l->a, "subnets of database %s", d->name)));
  iv_set(l, g->props, "SubnetIds", lower_refs(l, decl_attr(d, "subnets")));
  iv_set(l, g->props, "Tags", lower_tags(l, d));
  if (!pgroup) return;
  IrResource *pg = lower_res(l, d, pgroup, "AWS::RDS::DBParameterGroup", false);
  const char *engine = word(decl_attr(d, "engine"), "postgres");
  iv_set(l, pg->props, "Family",
         iv_str(l, rds_family(l->a, engine, eval_string(decl_attr(d, "version")))));
  iv_set(l, pg->props, "Description",
         iv_str(l, arena_printf(l->a, "parameters of database %s", d->name)));
  IrValue *map = iv_set(l, pg->props, "Parameters", iv_map(l));
  for (int i = 0; i < params->body.n; i++) {
    Member *a = params->body.v[i];
    if (a->k == M_ATTR) iv_set(l, map, a->name, str_of(l, lower_expr(l, a->value)));
  }
  iv_set(l, pg->props, "Tags", lower_tags(l, d));
}

/* zone -> Route53::HostedZone; with id, an existing zone: nothing to make */
void lower_zone(L *l, const Decl *d) {
  if (decl_attr(d, "id")) return;
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::Route53::HostedZone", true);
  iv_set(l, r->props, "Name", attr_str(l, d, "domain"));
  iv_set(l, r->props, "HostedZoneTags", lower_tags(l, d));
}

/* certificate -> CertificateManager::Certificate, validated by DNS */
void lower_certificate(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::CertificateManager::Certificate", true);
  IrValue *domain = attr_str(l, d, "domain"), *alt = attr_str(l, d, "alt_names");
  iv_set(l, r->props, "DomainName", domain);
  iv_set(l, r->props, "SubjectAlternativeNames", alt);
  iv_set(l, r->props, "ValidationMethod", iv_str(l, "DNS"));
  Expr *v = decl_attr(d, "validation");
  Expr *zone = v && v->k == EX_CALL && v->items.n == 1 ? v->items.v[0] : NULL;
  if (zone && zone->ref && zone->ref->k == D_RESOURCE) {
    IrValue *opts = iv_set(l, r->props, "DomainValidationOptions", iv_list(l));
    IrValue *zid = lower_ref(l, zone->ref);
    iv_push(l, opts, iv_pair(l, "DomainName", domain, "HostedZoneId", zid));
    for (int i = 0; alt && alt->k == IV_LIST && i < alt->n; i++)
      iv_push(l, opts, iv_pair(l, "DomainName", alt->items[i], "HostedZoneId", zid));
  }
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

/* target_group -> ElasticLoadBalancingV2::TargetGroup */
void lower_target_group(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::ElasticLoadBalancingV2::TargetGroup", true);
  IrValue *p = r->props;
  iv_set(l, p, "Name", attr_str(l, d, "name"));
  iv_set(l, p, "VpcId", attr_str(l, d, "vpc"));
  iv_set(l, p, "Protocol", iv_str(l, upper(l, word(decl_attr(d, "protocol"), "http"))));
  iv_set(l, p, "Port", attr_int(l, d, "port", 1));
  iv_set(l, p, "TargetType", iv_str(l, word(decl_attr(d, "target_type"), "instance")));
  Member *hc = stmt_nth(&d->members, "health_check", 0);
  if (hc) {
    iv_set(l, p, "HealthCheckPath", lower_expr(l, member_attr(hc, "path")));
    IrValue *codes = lower_expr(l, member_attr(hc, "codes"));
    if (codes) iv_set(l, p, "Matcher", iv_pair(l, "HttpCode", codes, NULL, NULL));
    iv_set(l, p, "HealthCheckIntervalSeconds", lower_expr(l, member_attr(hc, "interval")));
    iv_set(l, p, "HealthCheckTimeoutSeconds", lower_expr(l, member_attr(hc, "timeout")));
    iv_set(l, p, "HealthyThresholdCount", lower_expr(l, member_attr(hc, "healthy")));
    iv_set(l, p, "UnhealthyThresholdCount", lower_expr(l, member_attr(hc, "unhealthy")));
  }
  iv_set(l, p, "Tags", lower_tags(l, d));
}

static Member *listener_for(const Decl *lb, const char *proto) {
  for (int i = 0; i < lb->members.n; i++) {
    Member *m = lb->members.v[i];
    Expr *lp = m->k == M_STMT && m->stmt && !strcmp(m->name, "listener") ? stmt_slot(m, "lproto", 0)
                                                                         : NULL;
    if (lp && lp->k == EX_NAME && !strcmp(lp->name, proto) && stmt_slot(m, "port", 0)) return m;
  }
  return NULL;
}

static IrValue *listener_action(L *l, const Decl *lb, const Member *m) {
  IrValue *a = iv_map(l);
  Expr *fwd = member_attr(m, "forward"), *redirect = member_attr(m, "redirect");
  if (fwd && fwd->ref) {
    iv_set(l, a, "Type", iv_str(l, "forward"));
    iv_set(l, a, "TargetGroupArn", lower_ref(l, fwd->ref));
  } else if (redirect) {
    const char *proto = word(redirect, "https");
    Member *to = listener_for(lb, proto);
    int64_t port = to ? stmt_slot(to, "port", 0)->i : !strcmp(proto, "https") ? 443 : 80;
    iv_set(l, a, "Type", iv_str(l, "redirect"));
    IrValue *rc = iv_set(l, a, "RedirectConfig", iv_map(l));
    iv_set(l, rc, "Protocol", iv_str(l, upper(l, proto)));
    iv_set(l, rc, "Port", iv_str(l, arena_printf(l->a, "%lld", (long long)port)));
    iv_set(l, rc, "StatusCode", iv_str(l, "HTTP_301"));
  } else {
    iv_set(l, a, "Type", iv_str(l, "fixed-response"));
    iv_set(l, a, "FixedResponseConfig", iv_pair(l, "StatusCode", iv_str(l, "404"), NULL, NULL));
  }
  IrValue *list = iv_list(l);
  iv_push(l, list, a);
  return list;
}

static bool is_https(const Member *listener) {
  Expr *proto = stmt_slot(listener, "lproto", 0);
  return proto && proto->k == EX_NAME && !strcmp(proto->name, "https");
}

/* The default of a listener attribute, as the kind table writes it. */
static const char *listener_attr_def(const char *attr) {
  const StmtDef *st = kind_stmt(kind_find("load_balancer"), "listener");
  return st->body->attrs[kind_attr_index(st->body, attr)].def;
}

/* load_balancer -> ElasticLoadBalancingV2::LoadBalancer + Listener */
void lower_load_balancer(L *l, const Decl *d) {
  const char *id = lower_id(l, d);
  IrResource *r = lower_res(l, d, id, "AWS::ElasticLoadBalancingV2::LoadBalancer", true);
  bool internal = !strcmp(word(decl_attr(d, "scheme"), "internet_facing"), "internal");
  Expr *subnets = decl_attr(d, "subnets");
  if (!internal && subnets && subnets->k == EX_LIST && subnets->items.n) {
    Expr *first = subnets->items.v[0];
    lower_after_attach(l, r, decl_ref(first->ref, "vpc"));
  }
  iv_set(l, r->props, "Name", attr_str(l, d, "name"));
  iv_set(l, r->props, "Type", iv_str(l, "application"));
  iv_set(l, r->props, "Scheme", iv_str(l, internal ? "internal" : "internet-facing"));
  iv_set(l, r->props, "Subnets", lower_refs(l, subnets));
  iv_set(l, r->props, "SecurityGroups", lower_refs(l, decl_attr(d, "security_groups")));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  int nl = 0;
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    Expr *port =
        m->k == M_STMT && m->stmt && !strcmp(m->name, "listener") ? stmt_slot(m, "port", 0) : NULL;
    if (!port) continue;
    const char *lid = l->listeners[d->index].v[nl++]; /* named in the prepass */
    IrResource *ln = lower_res(l, d, lid, "AWS::ElasticLoadBalancingV2::Listener", false);
    iv_set(l, ln->props, "LoadBalancerArn", iv_ref(l, id));
    iv_set(l, ln->props, "Port", iv_int(l, port->i));
    iv_set(l, ln->props, "Protocol", iv_str(l, upper(l, word(stmt_slot(m, "lproto", 0), "http"))));
    if (is_https(m)) {
      Expr *policy = member_attr(m, "ssl_policy");
      iv_set(l, ln->props, "SslPolicy",
             policy ? lower_expr(l, policy) : iv_str(l, listener_attr_def("ssl_policy")));
    }
    Expr *cert = member_attr(m, "certificate");
    if (cert && cert->ref)
      iv_push(l, iv_set(l, ln->props, "Certificates", iv_list(l)),
              iv_pair(l, "CertificateArn", lower_ref(l, cert->ref), NULL, NULL));
    iv_set(l, ln->props, "DefaultActions", listener_action(l, d, m));
  }
}

/* record -> Route53::RecordSet: an alias to a balancer, or values */
void lower_record(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::Route53::RecordSet", true);
  iv_set(l, r->props, "HostedZoneId", attr_str(l, d, "zone"));
  iv_set(l, r->props, "Name", attr_str(l, d, "name"));
  Decl *alias = decl_ref(d, "alias");
  if (alias) {
    iv_set(l, r->props, "Type", iv_str(l, word(decl_attr(d, "type"), "A")));
    IrValue *target = iv_set(l, r->props, "AliasTarget", iv_map(l));
    iv_set(l, target, "DNSName", lower_export(l, alias, "dns_name"));
    iv_set(l, target, "HostedZoneId", lower_export(l, alias, "zone_id"));
    iv_set(l, target, "EvaluateTargetHealth", iv_bool(l, false)); /* required by the API */
    return;
  }
  iv_set(l, r->props, "Type", iv_str(l, word(decl_attr(d, "type"), "A")));
  IrValue *ttl = attr_int(l, d, "ttl", 1);
  iv_set(l, r->props, "TTL", str_of(l, ttl ? ttl : iv_int(l, 300)));
  iv_set(l, r->props, "ResourceRecords", lower_refs(l, decl_attr(d, "values")));
}

/* registry -> ECR::Repository */
void lower_registry(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::ECR::Repository", true);
  if (eval_bool(decl_attr(d, "retain"), false)) r->deletion_policy = r->update_replace_policy = "Retain";
  iv_set(l, r->props, "RepositoryName", attr_str(l, d, "name"));
  iv_set(l, r->props, "ImageScanningConfiguration",
         iv_pair(l, "ScanOnPush", attr_bool(l, d, "scan_on_push", true), NULL, NULL));
  if (eval_bool(decl_attr(d, "immutable_tags"), false)) /* a param: MUTABLE, its default */
    iv_set(l, r->props, "ImageTagMutability", iv_str(l, "IMMUTABLE"));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

/* cluster -> ECS::Cluster (+ its capacity's launch template and group) */
void lower_cluster(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::ECS::Cluster", true);
  iv_set(l, r->props, "ClusterName", attr_str(l, d, "name"));
  iv_set(l, r->props, "Tags", lower_tags(l, d));
  Member *cap = stmt_nth(&d->members, "capacity", 0);
  if (cap && l->companion[d->index]) lower_capacity(l, d, cap);
}

/* The retention periods CloudWatch Logs accepts, in days. */
static const int retention_days[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                     365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

/* log_group -> Logs::LogGroup; the retention rounded up to a period that
   CloudWatch Logs offers */
void lower_log_group(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::Logs::LogGroup", true);
  if (eval_bool(decl_attr(d, "retain"), false)) r->deletion_policy = r->update_replace_policy = "Retain";
  iv_set(l, r->props, "LogGroupName", attr_str(l, d, "name"));
  int64_t secs;
  if (eval_int(decl_attr(d, "retention"), &secs)) {
    int64_t days = (secs + 86399) / 86400;
    int pick = retention_days[countof(retention_days) - 1];
    for (size_t i = 0; i < countof(retention_days); i++)
      if (retention_days[i] >= days) {
        pick = retention_days[i];
        break;
      }
    iv_set(l, r->props, "RetentionInDays", iv_int(l, pick));
  }
  iv_set(l, r->props, "Tags", lower_tags(l, d));
}

static IrValue *mib(L *l, const Expr *e) {
  IrValue *v = lower_expr(l, e);
  if (v && v->k == IV_INT && e->k == EX_SIZE) v->i /= 1 << 20;
  return v;
}

static IrValue *container_def(L *l, const Member *c) {
  IrValue *v = iv_map(l);
  Expr *label = stmt_slot(c, "label", 0);
  const char *name = label && label->k == EX_NAME ? label->name : "app";
  iv_set(l, v, "Name", iv_str(l, name));
  iv_set(l, v, "Image", lower_expr(l, member_attr(c, "image")));
  Expr *essential = member_attr(c, "essential");
  iv_set(l, v, "Essential",
         essential && essential->k == EX_NAME && essential->ref && essential->ref->k == D_PARAM
             ? lower_expr(l, essential) /* Ref of a bool param */
             : iv_bool(l, eval_bool(essential, true)));
  iv_set(l, v, "Cpu", lower_expr(l, member_attr(c, "cpu")));
  iv_set(l, v, "Memory", mib(l, member_attr(c, "memory")));
  iv_set(l, v, "MemoryReservation", mib(l, member_attr(c, "memory_reservation")));
  iv_set(l, v, "Command", lower_refs(l, member_attr(c, "command")));
  IrValue *ports = iv_list(l);
  for (int i = 0; i < c->body.n; i++) {
    Member *p = c->body.v[i];
    if (p->k != M_STMT || !p->stmt || strcmp(p->name, "port")) continue;
    bool host = stmt_word(p, "port", 1) != NULL;
    Expr *inner = stmt_slot(p, "port", host ? 1 : 0),
         *outer = host ? stmt_slot(p, "port", 0) : NULL;
    if (!inner) continue;
    IrValue *pm = iv_push(l, ports, iv_map(l));
    iv_set(l, pm, "ContainerPort", iv_int(l, inner->i));
    if (outer) iv_set(l, pm, "HostPort", iv_int(l, outer->i));
    iv_set(l, pm, "Protocol", iv_str(l, "tcp"));
  }
  if (ports->n) iv_set(l, v, "PortMappings", ports);
  Member *env = stmt_nth(&c->body, "env", 0);
  IrValue *vars = iv_list(l);
  for (int i = 0; env && i < env->body.n; i++) {
    Member *a = env->body.v[i];
    IrValue *val = a->k == M_ATTR ? str_of(l, lower_expr(l, a->value)) : NULL;
    if (val) iv_push(l, vars, iv_pair(l, "Name", iv_str(l, a->name), "Value", val));
  }
  if (vars->n) iv_set(l, v, "Environment", vars);
  Member *sec = stmt_nth(&c->body, "secrets", 0);
  IrValue *secrets = iv_list(l);
  for (int i = 0; sec && i < sec->body.n; i++) {
    Member *a = sec->body.v[i];
    if (a->k == M_ATTR)
      iv_push(l, secrets,
              iv_pair(l, "Name", iv_str(l, a->name), "ValueFrom", secret_ref(l, a->value).from));
  }
  if (secrets->n) iv_set(l, v, "Secrets", secrets);
  Expr *logs = member_attr(c, "logs");
  if (logs && logs->ref) {
    IrValue *lc = iv_set(l, v, "LogConfiguration", iv_map(l));
    iv_set(l, lc, "LogDriver", iv_str(l, "awslogs"));
    IrValue *o = iv_set(l, lc, "Options", iv_map(l));
    iv_set(l, o, "awslogs-group", lower_ref(l, logs->ref));
    iv_set(l, o, "awslogs-region", iv_ref(l, "AWS::Region"));
    iv_set(l, o, "awslogs-stream-prefix", iv_str(l, name));
  }
  return v;
}

/* task -> ECS::TaskDefinition */
void lower_task(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::ECS::TaskDefinition", true);
  IrValue *p = r->props;
  iv_set(l, p, "Family", attr_str(l, d, "family"));
  const char *compat = word(decl_attr(d, "compatibility"), "ec2");
  iv_push(l, iv_set(l, p, "RequiresCompatibilities", iv_list(l)), iv_str(l, upper(l, compat)));
  iv_set(l, p, "NetworkMode", iv_str(l, word(decl_attr(d, "network_mode"), "bridge")));
  iv_set(l, p, "Cpu", str_of(l, attr_str(l, d, "cpu")));
  iv_set(l, p, "Memory", str_of(l, mib(l, decl_attr(d, "memory"))));
  iv_set(l, p, "ExecutionRoleArn", lower_export(l, decl_ref(d, "execution_role"), "arn"));
  iv_set(l, p, "TaskRoleArn", lower_export(l, decl_ref(d, "task_role"), "arn"));
  IrValue *defs = iv_set(l, p, "ContainerDefinitions", iv_list(l));
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    if (m->k == M_STMT && m->stmt && !strcmp(m->name, "container"))
      iv_push(l, defs, container_def(l, m));
  }
  iv_set(l, p, "Tags", lower_tags(l, d));
}

/* service -> ECS::Service, after the listeners that forward to its target
   group (the target group must belong to a balancer first) */
void lower_service(L *l, const Decl *d) {
  IrResource *r = lower_res(l, d, lower_id(l, d), "AWS::ECS::Service", true);
  IrValue *p = r->props;
  iv_set(l, p, "ServiceName", attr_str(l, d, "name"));
  iv_set(l, p, "Cluster", attr_str(l, d, "cluster"));
  iv_set(l, p, "TaskDefinition", attr_str(l, d, "task"));
  iv_set(l, p, "LaunchType", iv_str(l, upper(l, word(decl_attr(d, "launch_type"), "ec2"))));
  IrValue *count = attr_int(l, d, "desired_count", 1);
  iv_set(l, p, "DesiredCount", count ? count : iv_int(l, 1));
  IrValue *lbs = iv_list(l);
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    if (m->k != M_STMT || !m->stmt || strcmp(m->name, "load_balancer")) continue;
    Expr *tg = member_attr(m, "target_group");
    IrValue *b = iv_push(l, lbs, iv_map(l));
    iv_set(l, b, "ContainerName", iv_str(l, word(member_attr(m, "container"), "app")));
    iv_set(l, b, "ContainerPort", lower_expr(l, member_attr(m, "port")));
    if (tg && tg->ref) {
      iv_set(l, b, "TargetGroupArn", lower_ref(l, tg->ref));
      Vec *fw = &l->forwards[tg->ref->index];
      for (int j = 0; j < fw->n; j++)
        lower_depend(l, r, fw->v[j]);
    }
  }
  if (lbs->n) iv_set(l, p, "LoadBalancers", lbs);
  Decl *cluster = decl_ref(d, "cluster"); /* its instances first, gone last */
  if (cluster && l->companion[cluster->index]) lower_depend(l, r, l->companion[cluster->index]);
  IrValue *deploy = iv_map(l);
  iv_set(l, deploy, "MinimumHealthyPercent", attr_int(l, d, "min_healthy_percent", 1));
  iv_set(l, deploy, "MaximumPercent", attr_int(l, d, "max_percent", 1));
  if (decl_attr(d, "circuit_breaker")) {
    IrValue *on = attr_bool(l, d, "circuit_breaker", false);
    iv_set(l, deploy, "DeploymentCircuitBreaker", iv_pair(l, "Enable", on, "Rollback", on));
  }
  if (deploy->n) iv_set(l, p, "DeploymentConfiguration", deploy);
  iv_set(l, p, "HealthCheckGracePeriodSeconds", attr_int(l, d, "health_check_grace", 1));
  IrValue *subnets = lower_refs(l, decl_attr(d, "subnets"));
  if (subnets) {
    IrValue *vpc = iv_map(l);
    iv_set(l, vpc, "Subnets", subnets);
    iv_set(l, vpc, "SecurityGroups", lower_refs(l, decl_attr(d, "security_groups")));
    iv_set(l, p, "NetworkConfiguration", iv_pair(l, "AwsvpcConfiguration", vpc, NULL, NULL));
  }
  iv_set(l, p, "Tags", lower_tags(l, d));
}
