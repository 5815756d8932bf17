/* check_deployable.c: values AWS would refuse at deploy time. A role's allow
   statements (E106), container secrets (E106, and E503 without an
   execution role), a zone's existing ID (E106), a database's parameter
   group family (E105, E106), a database password RDS refuses (E106). */
#include <ctype.h>
#include <string.h>

#include "check.h"
#include "params.h"
#include "secret_store.h"

/* An IAM action: "*", or service:Action where the action may hold * and ?. */
static bool iam_action_ok(const char *s) {
  if (!strcmp(s, "*")) return true;
  const char *colon = strchr(s, ':');
  if (!colon || colon == s || !colon[1]) return false;
  for (const char *p = s; p < colon; p++)
    if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') return false;
  for (const char *p = colon + 1; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '*' && *p != '?') return false;
  return true;
}

/* role -> allow "service:Action" on "arn:..." or a reference (E106) */
void check_role_policy(Check *k, Decl *d) {
  Member *m;
  for (int i = 0; (m = next_stmt(&d->members, "allow", &i));) {
    bool on = false;
    for (int j = 0; j < m->words.n; j++) {
      Expr *w = m->words.v[j];
      if (!on && is_word(w, "on")) on = true;
      const char *s = w->k == EX_STR ? eval_string(w) : NULL;
      if (!s) continue;
      if (!on && !iam_action_ok(s)) {
        Diag *g = diag_error(k->c, "E106", w->span,
                             "\"%s\" is not an IAM action: expected \"service:Action\"", s);
        diag_help(k->c, g, "write the service prefix and the action, as \"s3:GetObject\" or "
                           "\"logs:*\" (the Service Authorization Reference lists them)");
      } else if (on && strcmp(s, "*") && strncmp(s, "arn:", 4)) {
        Diag *g = diag_error(k->c, "E106", w->span,
                             "\"%s\" is not an ARN: the resources of allow are ARNs or \"*\"", s);
        diag_help(k->c, g, "write the ARN, as \"arn:aws:s3:::my-bucket/*\", or name a resource "
                           "of the stack, whose ARN is used");
      }
    }
  }
}

/* An SSM parameter resource given as a secret: its ARN needs to know
   whether Name starts with "/" (E106). */
static void check_ssm_name(Check *k, Member *var) {
  const Expr *name;
  Decl *p = var->value->ref;
  if (ssm_arn_separator(p, &name)) return;
  Diag *g = diag_error(k->c, "E106", var->value->span,
                       "secret %s: the ARN of parameter %s depends on whether its Name starts "
                       "with \"/\", which is not known until deploy",
                       var->name, p->name);
  diag_note(k->c, g, name->span, "the Name of %s", p->name);
  diag_help(k->c, g, "begin Name with its literal text (\"/app/${...}\" or \"app-${...}\"), or "
                     "leave Name out and let CloudFormation make one");
}

/* Where a container secret is kept: an ARN, an SSM parameter's name, a
   string param that holds one, a database's password_secret, or a
   `resource` of Secrets Manager or SSM Parameter Store. */
static void check_secret_value(Check *k, Member *var) {
  Expr *e = var->value;
  if (e->k == EX_ERROR) return;
  if (e->k == EX_FIELD && e->ref && decl_is(e->ref, "database") &&
      !strcmp(e->name, "password_secret"))
    return; /* check_unmade_export says when there is none */
  const char *s = e->k == EX_STR && e->parts && e->parts->text ? e->parts->text : NULL;
  Decl *p = e->k == EX_NAME ? e->ref : NULL;
  const SecretStore *kept = secret_store_of(p);
  if (kept && kept->ssm) check_ssm_name(k, var);
  bool ok = (s && (!strncmp(s, "arn:", 4) || s[0] == '/')) ||
            (e->k == EX_STR && e->parts && !e->parts->text) || /* "${...}": known at deploy */
            (p && p->k == D_PARAM && !strcmp(p->type_name, "string")) || kept;
  if (ok) return;
  Diag *g;
  if (p && p->k == D_PARAM && !strcmp(p->type_name, "secret")) {
    g = diag_error(k->c, "E106", e->span,
                   "secret %s takes where a secret is kept, found param %s, which holds the "
                   "value itself",
                   var->name, p->name);
    diag_help(k->c, g, "store the value in Secrets Manager or SSM Parameter Store and give its "
                       "ARN; ECS reads it when the container starts");
    return;
  }
  const char *found = e->k == EX_STR                          ? "a string that is not an ARN"
                      : p && p->k == D_RESOURCE && p->type_name ? arena_printf(k->a, "resource %s of type %s", p->name, p->type_name)
                      : p && p->k == D_RESOURCE ? decl_desc(k, p)
                                                : ast_expr_desc(e);
  g = diag_error(k->c, "E106", e->span,
                 "secret %s expects the ARN of a Secrets Manager secret or an SSM parameter, "
                 "found %s",
                 var->name, found);
  if (e->k == EX_FIELD && secret_store_of(e->ref)) {
    diag_help(k->c, g, "write %s alone: infrac makes the ARN ECS reads from the resource itself",
              e->ref->name);
    return;
  }
  diag_help(k->c, g, "write \"arn:aws:secretsmanager:...\", an SSM parameter's name as "
                     "\"/app/key\", db.password_secret for a database with password = managed, "
                     "or a resource of type %s or %s",
            secret_stores[0].cfn, secret_stores[1].cfn);
}

/* task -> container secrets that ECS can read: values (E106), an execution role (E503) */
void check_task_secrets(Check *k, Decl *d) {
  Member *c, *sec;
  for (int i = 0; (c = next_stmt(&d->members, "container", &i));)
    for (int j = 0; (sec = next_stmt(&c->body, "secrets", &j));) {
      for (int a = 0; a < sec->body.n; a++)
        if (((Member *)sec->body.v[a])->k == M_ATTR) check_secret_value(k, sec->body.v[a]);
      if (!sec->body.n || decl_attr(d, "execution_role") || attr_failed(d, "execution_role"))
        continue;
      Diag *g = diag_error(k->c, "E503", sec->name_span,
                           "container %s of task %s takes secrets, but the task has no "
                           "execution_role to read them",
                           container_name(c) ? container_name(c) : "?", d->name);
      diag_help(k->c, g, "add execution_role = ROLE (a role assumed_by \"ecs-tasks.amazonaws.com\"): "
                         "ECS reads the secrets as that role, and infrac grants it the read");
    }
}

/* zone -> an existing zone's ID as Route 53 writes it (E106) */
void check_zone_id(Check *k, Decl *d) {
  Expr *id = decl_attr(d, "id");
  const char *s = eval_string(id);
  if (!s) return;
  bool ok = s[0] == 'Z' && s[1];
  for (const char *p = s; ok && *p; p++)
    ok = isupper((unsigned char)*p) || isdigit((unsigned char)*p);
  if (ok) return;
  Diag *g = diag_error(k->c, "E106", id->span, "\"%s\" is not a hosted zone ID", s);
  diag_help(k->c, g, "a hosted zone ID is a Z and capitals and digits, as \"Z0123456789ABCDEFGHIJ\": "
                     "aws route53 list-hosted-zones-by-name --dns-name DOMAIN shows it "
                     "(without the /hostedzone/ prefix)");
}

/* database -> parameters need a family: engine and version (E105, E106) */
void check_db_parameters(Check *k, Decl *d) {
  int i = 0;
  Member *params = next_stmt(&d->members, "parameters", &i);
  Expr *engine = decl_attr(d, "engine"), *version = decl_attr(d, "version");
  if (!params || !engine || engine->k != EX_NAME || attr_failed(d, "version")) return;
  if (!version) {
    Diag *g = diag_error(k->c, "E105", params->name_span,
                         "database %s has parameters but no version: the parameter group's "
                         "family comes from it",
                         d->name);
    diag_help(k->c, g, "add version = \"16\" (the engine version the parameters are for)");
    return;
  }
  const char *v = eval_string(version);
  /* a version RDS does not offer is check_engine_version's: one mistake, one message */
  const char *list = arena_printf(k->a, "rds.engine_versions.%s", engine->name);
  size_t n;
  if (!v || rds_family(k->a, engine->name, v) ||
      (aws_value_list(list, &n) && !aws_value_listed(list, v, NULL)))
    return;
  Diag *g = diag_error(k->c, "E106", version->span,
                       "version \"%s\" does not name a %s parameter group family", v, engine->name);
  diag_help(k->c, g, "give the version RDS names, as \"8.0.36\" for mysql or \"10.11.9\" for "
                     "mariadb");
}

/* Where byte i of string literal e is written: an escape is two source
   characters. The whole literal when it cannot say. */
static Span char_span(Check *k, Expr *e, long i) {
  const char *src = compile_source(k->c, e->span.file)->text;
  uint32_t p = e->span.lo + 1;
  for (; i > 0 && p + 1 < e->span.hi; i--) p += src[p] == '\\' ? 2 : 1;
  uint32_t n = src[p] == '\\' ? 2 : 1;
  while ((unsigned char)src[p] >= 0x80 && p + n + 1 < e->span.hi &&
         ((unsigned char)src[p + n] & 0xC0) == 0x80)
    n++; /* the whole of a UTF-8 character */
  return p + n < e->span.hi ? (Span){e->span.file, p, p + n} : e->span;
}

/* database -> a secret param's default or --param value that RDS takes as
   a master password (E106). A --param value is never shown: the message
   says what is wrong with it, at the database's password. */
void check_db_password(Check *k, Decl *d) {
  Expr *pw = decl_attr(d, "password"), *engine = decl_attr(d, "engine");
  int min, max;
  if (!pw || pw->k != EX_NAME || !pw->ref || pw->ref->k != D_PARAM || !pw->ref->type_name ||
      strcmp(pw->ref->type_name, "secret") || !engine || engine->k != EX_NAME ||
      !rds_password_length(engine->name, &min, &max))
    return;
  Decl *p = pw->ref;
  const char *given = params_get(k->c, p->name), *text = given ? given : eval_string(p->value);
  if (!text) return; /* given at deploy time: the template's MinLength, MaxLength, AllowedPattern */
  const char *what = given ? arena_printf(k->a, "the value given with --param %s", p->name)
                           : arena_printf(k->a, "the default of secret param %s", p->name);
  char msg[512];
  if (!rds_password_fault(msg, sizeof msg, what, text, engine->name, d->name)) return;
  long bad = rds_password_refused(text);
  Span at = given                                 ? pw->span
            : bad >= 0 && p->value->k == EX_STR ? char_span(k, p->value, bad)
                                                  : p->value->span;
  Diag *g = diag_error(k->c, "E106", at, "%s", msg);
  if (!given) diag_note(k->c, g, pw->span, "%s is the password of database %s here", p->name, d->name);
  diag_help(k->c, g,
            "give %s %d to %d printable ASCII characters other than / \" @ and space; the "
            "template's parameter says so too (MinLength, MaxLength, AllowedPattern), so that "
            "CloudFormation refuses such a value at deploy time",
            p->name, min, max);
}

/* db.password_secret of a database whose password is not managed: RDS
   keeps no secret (E106) */
static bool no_password_secret(Walk *w, Expr *e) {
  Expr *pw = decl_attr(e->ref, "password");
  if (!pw || is_word(pw, "managed") || attr_failed(e->ref, "password")) return true;
  Check *k = w->k;
  Diag *g = diag_error(k->c, "E106", e->span,
                       "database %s has no password_secret: its password is not managed by RDS",
                       e->ref->name);
  diag_note(k->c, g, pw->span, "the password of %s is given here", e->ref->name);
  diag_help(k->c, g, "with password = managed, RDS keeps the password in a Secrets Manager "
                     "secret, which password_secret names");
  diag_fix(k->c, g, pw->span, "managed");
  return false;
}

/* An export the stack does not make: db.password_secret without password =
   managed, zone.name_servers of an existing zone (E106) */
bool check_unmade_export(Walk *w, Expr *e) {
  if (e->k != EX_FIELD || !e->ref) return true;
  if (decl_is(e->ref, "database") && !strcmp(e->name, "password_secret"))
    return no_password_secret(w, e);
  if (!decl_is(e->ref, "zone") || strcmp(e->name, "name_servers") || !decl_attr(e->ref, "id"))
    return true;
  Diag *g = diag_error(w->k->c, "E106", e->span,
                       "zone %s is an existing zone (id = ...): its name_servers are not known "
                       "to the stack",
                       e->ref->name);
  diag_note(w->k->c, g, decl_attr(e->ref, "id")->span, "the existing zone's ID");
  diag_help(w->k->c, g, "the registrar already points at this zone's name servers; drop the "
                        "reference, or let the stack make the zone (no id)");
  return false;
}
