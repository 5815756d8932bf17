/* check_security.c: lints for what deploys but should not. SSH and RDP
   from anywhere (W601), databases (W602), plain HTTP (W603), log retention
   (W604; check_values.c refuses a period CloudWatch Logs does not offer),
   secrets in the environment (W605). */
#include <string.h>

#include "check.h"

/* Does a rule for proto and ports let TCP port `port` in? */
static bool rule_covers(const Expr *proto, const Expr *ports, int64_t port) {
  if (is_word(proto, "all")) return true;
  if (!is_word(proto, "tcp") || !ports) return false;
  return ports->k == EX_PORTS ? ports->i <= port && port <= ports->hi : ports->i == port;
}

/* The characters EC2 takes in a group description, besides letters and
   digits (CreateSecurityGroup, GroupDescription). */
static const char description_ok[] = " ._-:/()#,@[]+=&;{}!$*";

static bool description_char(unsigned char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         (ch && strchr(description_ok, ch));
}

/* security_group -> a description EC2 takes: at most 255 characters of its
   set (E106). Read from the literal as written, for the exact range; the fix
   leaves out what EC2 refuses, and whitespace becomes a space. */
void check_group_description(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "description");
  const char *text = eval_string(e);
  if (!text) return; /* absent, in error, or built at deploy time */
  const char *src = compile_source(k->c, e->span.file)->text;
  uint32_t bad_lo = 0, bad_hi = 0;
  for (uint32_t p = e->span.lo + 1; p + 1 < e->span.hi && !bad_hi;) {
    unsigned char ch = (unsigned char)src[p];
    uint32_t n = ch == '\\' ? 2 : 1;
    while (ch >= 0x80 && p + n < e->span.hi - 1 && ((unsigned char)src[p + n] & 0xC0) == 0x80)
      n++;
    bool ok = ch == '\\' ? src[p + 1] == '$' : description_char(ch);
    if (!ok) bad_lo = p, bad_hi = p + n;
    p += n;
  }
  size_t len = strlen(text);
  if (!bad_hi && len <= 255) return;
  Buf fixed = {0};
  buf_puts(&fixed, "\"");
  size_t kept = 0;
  for (const char *p = text; *p && kept < 255; p++) {
    unsigned char ch = (unsigned char)*p;
    bool space = ch == ' ' || (ch >= '\t' && ch <= '\r');
    if ((!space && !description_char(ch)) || (space && fixed.s[fixed.len - 1] == ' '))
      continue; /* "a — b" becomes "a b" */
    if (ch == '$' && p[1] == '{') buf_puts(&fixed, "\\");
    buf_add(&fixed, space ? " " : p, 1);
    kept++;
  }
  buf_puts(&fixed, "\"");
  Diag *g = bad_hi ? diag_error(k->c, "E106", (Span){e->span.file, bad_lo, bad_hi},
                                "description of security group %s has '%.*s', a character EC2 "
                                "refuses in a group description",
                                d->name, (int)(bad_hi - bad_lo), src + bad_lo)
                   : diag_error(k->c, "E106", e->span,
                                "description of security group %s is %zu characters long: EC2 "
                                "takes at most 255",
                                d->name, len);
  if (bad_hi)
    diag_help(k->c, g, "EC2 takes letters a-z and A-Z, digits, spaces and %s", description_ok + 1);
  else
    diag_help(k->c, g, "shorten it to 255 characters");
  diag_fix(k->c, g, e->span, fixed.s);
  buf_free(&fixed);
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
        member_attr(m, "redirect") || member_attr_failed(m, "redirect") || d->lost)
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
