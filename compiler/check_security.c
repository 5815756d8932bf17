/* check_security.c: lints for what deploys but should not. SSH and RDP
   from anywhere (W601), databases (W602), plain HTTP (W603), log retention
   (W604, and E106 for a period CloudWatch Logs does not offer), secrets in
   the environment (W605). */
#include <string.h>

#include "check.h"

/* Does a rule for proto and ports let TCP port `port` in? */
static bool rule_covers(const Expr *proto, const Expr *ports, int64_t port) {
  if (is_word(proto, "all")) return true;
  if (!is_word(proto, "tcp") || !ports) return false;
  return ports->k == EX_PORTS ? ports->i <= port && port <= ports->hi : ports->i == port;
}

/* ingress -> no SSH (22) or RDP (3389) from 0.0.0.0/0 (W601) */
void check_open_admin(Check *k, Decl *d) {
  Member *m;
  for (int i = 0; (m = next_stmt(&d->members, "ingress", &i));) {
    Expr *proto = stmt_slot(m, "proto", 0), *ports = stmt_slot(m, "ports", 0);
    Cidr from;
    if (!proto || !check_cidr(stmt_slot(m, "peer", 0), &from) || from.prefix != 0 ||
        (is_word(proto, "all") && stmt_word(m, "ports", 0))) /* E303 */
      continue;
    bool ssh = rule_covers(proto, ports, 22), rdp = rule_covers(proto, ports, 3389);
    if (!ssh && !rdp) continue;
    Diag *g = diag_warning(k->c, "W601", ports ? ports->span : proto->span,
                           "security group %s opens %s to the whole internet (0.0.0.0/0)", d->name,
                           ssh && rdp ? "SSH (port 22) and RDP (port 3389)"
                           : ssh      ? "SSH (port 22)"
                                      : "RDP (port 3389)");
    diag_help(k->c, g,
              "allow only the addresses that need it, as `from 203.0.113.0/24` for an office, "
              "or reach instances through Session Manager with no inbound port");
  }
}

/* database -> storage encrypted (W602), not public (W602) */
void check_database_exposure(Check *k, Decl *d) {
  Expr *enc = decl_attr(d, "encrypted"), *pub = decl_attr(d, "public");
  if (enc && !eval_bool(enc, true)) {
    Diag *g =
        diag_warning(k->c, "W602", enc->span, "database %s stores its data unencrypted", d->name);
    diag_help(k->c, g,
              "RDS cannot encrypt a database in place later (only by restoring a "
              "copied snapshot to a new one): keep encrypted = true");
    if (enc->k == EX_BOOL) diag_fix(k->c, g, enc->span, "true");
  }
  if (pub && eval_bool(pub, false)) {
    Diag *g = diag_warning(k->c, "W602", pub->span,
                           "database %s is reachable from the internet (public = true)", d->name);
    diag_help(k->c, g, "keep public = false and reach the database from inside the VPC");
    if (pub->k == EX_BOOL) diag_fix(k->c, g, pub->span, "false");
  }
}

static Member *body_attr(const Member *m, const char *name) {
  for (int i = 0; i < m->body.n; i++) {
    Member *a = m->body.v[i];
    if (a->k == M_ATTR && !strcmp(a->name, name)) return a;
  }
  return NULL;
}

/* load_balancer -> plain HTTP redirects where HTTPS is served (W603) */
void check_plain_http(Check *k, Decl *d) {
  Member *m, *https = NULL;
  for (int i = 0; !https && (m = next_stmt(&d->members, "listener", &i));)
    if (is_word(stmt_slot(m, "lproto", 0), "https") && stmt_slot(m, "port", 0)) https = m;
  for (int i = 0; https && (m = next_stmt(&d->members, "listener", &i));) {
    Expr *fwd = member_attr(m, "forward"), *port = stmt_slot(m, "port", 0);
    if (!is_word(stmt_slot(m, "lproto", 0), "http") || !fwd || !port ||
        member_attr(m, "redirect") || member_attr_failed(m, "redirect"))
      continue;
    Diag *g = diag_warning(k->c, "W603", fwd->span,
                           "plain HTTP listener %lld of load balancer %s forwards to %s beside "
                           "an HTTPS listener",
                           (long long)port->i, d->name, fwd->name);
    diag_note(k->c, g, stmt_slot(https, "port", 0)->span, "the HTTPS listener on port %lld",
              (long long)stmt_slot(https, "port", 0)->i);
    diag_help(k->c, g, "send plain HTTP to HTTPS instead: redirect = https");
    diag_fix(k->c, g, body_attr(m, "forward")->span, "redirect = https");
  }
}

/* The retention periods CloudWatch Logs offers, in days. */
static const int retention_days[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                     365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

static const char *duration_desc(Check *k, int64_t s) {
  static const struct {
    int64_t unit;
    const char *name;
  } units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (size_t i = 0; i < countof(units); i++)
    if (s % units[i].unit == 0)
      return arena_printf(k->a, "%lld%s", (long long)(s / units[i].unit), units[i].name);
  return "";
}

/* log_group -> retention, one of the periods CloudWatch Logs offers (E106) */
static void check_retention_value(Check *k, Decl *d, Expr *e) {
  int64_t s;
  if (!eval_int(e, &s)) return;
  size_t above = countof(retention_days);
  for (size_t i = 0; i < countof(retention_days); i++) {
    if (s == (int64_t)retention_days[i] * 86400) return;
    if (above == countof(retention_days) && s < (int64_t)retention_days[i] * 86400) above = i;
  }
  Diag *g = diag_error(k->c, "E106", e->span,
                       "retention %s of log group %s is not a period CloudWatch Logs offers",
                       duration_desc(k, s), d->name);
  Buf b = {0};
  for (size_t i = 0; i < countof(retention_days); i++)
    buf_printf(&b, "%s%dd",
               i == 0                             ? ""
               : i == countof(retention_days) - 1 ? " or "
                                                  : ", ",
               retention_days[i]);
  if (above < countof(retention_days)) {
    const char *fix = arena_printf(k->a, "%dd", retention_days[above]);
    diag_help(k->c, g, "CloudWatch Logs keeps events %s; the next above is %s", b.s, fix);
    if (e->k == EX_DURATION) diag_fix(k->c, g, e->span, fix);
  } else {
    diag_help(k->c, g, "CloudWatch Logs keeps events %s", b.s);
  }
  buf_free(&b);
}

/* log_group -> a retention (W604) */
void check_log_retention(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "retention");
  if (e) {
    check_retention_value(k, d, e);
    return;
  }
  if (attr_failed(d, "retention")) return;
  Diag *g = diag_warning(k->c, "W604", d->name_span,
                         "log group %s has no retention: its events are kept, and billed, "
                         "forever",
                         d->name);
  diag_help(k->c, g, "set how long CloudWatch Logs keeps them, as retention = 30d");
}

static bool visit_secret(Walk *w, Expr *e) {
  Decl *p = e->k == EX_NAME ? e->ref : NULL;
  if (!p || p->k != D_PARAM || strcmp(p->type_name, "secret")) return true;
  Diag *g = diag_warning(w->k->c, "W605", e->span,
                         "secret param %s is written in plain text into the environment of "
                         "container %s",
                         p->name, container_name(w->ctx));
  diag_note(w->k->c, g, p->name_span, "param %s is a secret", p->name);
  diag_help(w->k->c, g,
            "anyone who may read the task definition reads the value: keep the secret in "
            "Secrets Manager or SSM Parameter Store and give it in the container's secrets { "
            "NAME = \"arn:...\" } (a database's password = managed: secrets { NAME = "
            "db.password_secret }); ECS reads it at start with the execution role");
  return false;
}

/* container env -> no secret param (W605) */
void check_env_secrets(Check *k, Decl *d) {
  Member *c, *env;
  for (int i = 0; (c = next_stmt(&d->members, "container", &i));)
    for (int j = 0; (env = next_stmt(&c->body, "env", &j));)
      for (int a = 0; a < env->body.n; a++) {
        Member *var = env->body.v[a];
        Walk w = {.k = k, .d = d, .visit = visit_secret, .ctx = c};
        if (var->k == M_ATTR) check_walk_expr(&w, var->value);
      }
}
