/* deploy.c: infrac plan, apply and destroy. plan diffs the stack against a
   template or a state; apply turns that diff into API calls and runs them
   through the AWS CLI, keeping the state; destroy applies the diff against
   nothing. None of them talks to AWS but through apply.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apiplan.h"
#include "apply.h"
#include "cfn_load.h"
#include "deploy.h"
#include "deploydoc.h"
#include "diff.h"
#include "drift.h"
#include "journal.h"
#include "jsonarena.h"
#include "output.h"
#include "secrets.h"
#include "stack.h"
#include "statelock.h"
#include "termtext.h"

const char deploy_usage_plan[] =
    "usage: infrac plan [--against FILE] [--format=text|json] [--params FILE]\n"
    "                   [--param K=V]... [--detailed-exitcode] PATH...\n"
    "       infrac plan --against STATE --refresh [--endpoint-url URL] [--profile P]\n"
    "                   [--format=text|json] [--params FILE] [--param K=V]...\n"
    "                   [--detailed-exitcode] PATH...\n"
    "\n"
    "Compares the stack in PATH with what is deployed and shows what would change,\n"
    "per resource and property: + create, ~ update in place, -/+ replace (with the\n"
    "property that forces it), - delete. Talks to no one, unless --refresh.\n"
    "\n"
    "  --against FILE       what is deployed: a CloudFormation template (JSON or YAML,\n"
    "                       from infrac build or `aws cloudformation get-template`)\n"
    "                       or an infrac state file (infrac-state/1, from apply).\n"
    "                       Without it, everything is a create.\n"
    "  --format=text        the changes, then `Plan: N to add, ...` (default)\n"
    "  --format=json        infrac-plan/1 on stdout: the changes and the AWS API calls\n"
    "                       that make them; `infrac apply --plan FILE` runs it\n"
    "  --params FILE        the params' values, as name = value lines (an environment:\n"
    "                       staging.params); also --param-file FILE\n"
    "  --param K=V          a parameter's value (repeatable), over --params\n"
    "  --refresh            read every resource of the state from AWS first (describe\n"
    "                       calls, read-only): what changed outside infrac is shown as\n"
    "                       drift, a resource deleted outside it is created again, and\n"
    "                       the plan brings what is deployed back to the source. The\n"
    "                       state is not changed (apply --refresh records it)\n"
    "  --endpoint-url URL   with --refresh: where the reads go (as apply's)\n"
    "  --profile P          with --refresh: the credentials' profile\n"
    "  --detailed-exitcode  exit 2 when there are changes or drift\n"
    "\n"
    "Exit status: 0 success (with --detailed-exitcode: no changes), 1 errors,\n"
    "2 changes or drift (with --detailed-exitcode).\n";

const char deploy_usage_apply[] =
    "usage: infrac apply [--state FILE] [--endpoint-url URL] [--region R] [-j N]\n"
    "                    [--wait-timeout S] [--profile P] [--via=aws-cli] [--auto-approve]\n"
    "                    [--refresh] [--params FILE]\n"
    "                    [--param K=V]... PATH\n"
    "       infrac apply --plan PLAN.json [--state FILE] [--endpoint-url URL]\n"
    "                    [--region R] [-j N] [--profile P] [--via=aws-cli] [--auto-approve]\n"
    "                    [--param K=V]...\n"
    "\n"
    "Creates, changes and deletes the resources of the stack in PATH with direct AWS\n"
    "API calls that infrac makes and signs itself (Signature Version 4, HTTPS).\n"
    "Credentials: $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY ($AWS_SESSION_TOKEN),\n"
    "else the profile (--profile, $AWS_PROFILE, default) in ~/.aws/credentials and\n"
    "~/.aws/config, else one `aws configure export-credentials` (SSO, roles). The\n"
    "state file records the applied template and the IDs of what was made; each\n"
    "step is journaled beside it (STATE.journal) as it starts and ends, so a run that\n"
    "stops, even killed, is resumed by the next apply, which looks for what a call in\n"
    "flight made (by its tags infrac:stack and infrac:resource, its name or its\n"
    "client token) before calling again. Ctrl-C: no new step starts, the calls in\n"
    "flight end, the state is saved; a second Ctrl-C gives them up.\n"
    "\n"
    "  --state FILE        the state (default: STACK.state.json in the current directory)\n"
    "  --refresh           read what is deployed first, as plan --refresh: drift is\n"
    "                      shown and undone, and the state records what is applied\n"
    "  --plan PLAN.json    run a plan saved by `infrac plan --format=json`; refused when\n"
    "                      the state it was made against has changed since\n"
    "  --endpoint-url URL  send every call to URL (a local emulator such as moto;\n"
    "                      default: $AWS_ENDPOINT_URL, else AWS's endpoint of the region)\n"
    "  --region R          the region (default: the stack's)\n"
    "  --profile P         the credentials' profile\n"
    "  --via=aws-cli       one AWS CLI process per call instead (`aws` on PATH, or the\n"
    "                      command in $INFRAC_AWS, which implies it; --via=native\n"
    "                      overrides)\n"
    "  --auto-approve      apply without asking; needed when stdin is not a terminal\n"
    "  -j N                steps at once (default 10): each starts when the steps it\n"
    "                      depends on are done\n"
    "  --wait-timeout S    seconds any wait (a NAT gateway, a database, a certificate\n"
    "                      becoming ready) lasts at most; default: botocore's waiter's,\n"
    "                      or longer where AWS takes longer (2 h for a certificate's\n"
    "                      DNS validation, 90 min for a database)\n"
    "  --params FILE       the params' values, as name = value lines (an environment:\n"
    "                      prod.params); also --param-file FILE\n"
    "  --param K=V         a parameter's value (repeatable), over --params. A secret\n"
    "                      comes from $INFRAC_PARAM_<name>, from a prompt, or from\n"
    "                      --param (with a warning: ps shows it); it never reaches the\n"
    "                      state, a file, a log or a message.\n"
    "\n"
    "Exit status: 0 applied (or nothing to do), 1 errors or a failed step.\n";

const char deploy_usage_destroy[] =
    "usage: infrac destroy --state FILE [--endpoint-url URL] [--region R] [-j N]\n"
    "                      [--profile P] [--via=aws-cli] [--auto-approve] [PATH]\n"
    "\n"
    "Deletes every resource the state file records, in reverse dependency order,\n"
    "with the calls of apply (and its options), after showing the plan and asking\n"
    "(as apply does). PATH, when given, names the resources as their declarations do.\n"
    "\n"
    "Exit status: 0 destroyed (or nothing to do), 1 errors or a failed step.\n";

typedef struct {
  const char *usage, *cmd;
  const char *against, *format, *state, *plan, *endpoint, *region, *profile, *via;
  bool detailed, auto_approve, refresh;
  int jobs, wait_timeout;
  char **params;
  int nparams;
  char **param_files; /* --params FILE */
  int nparam_files;
  char **paths;
  int npaths;
} Opts;

static int usage_error(const Opts *o, const char *fmt, const char *arg) {
  fprintf(stderr, "infrac: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nrun 'infrac %s --help' for usage\n", o->cmd);
  return 1;
}

/* "--opt VALUE" or "--opt=VALUE": the value, advancing *i; NULL if not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *missing) {
  size_t n = strlen(opt);
  if (strncmp(argv[*i], opt, n))
    return NULL;
  if (argv[*i][n] == '=')
    return argv[*i] + n + 1;
  if (argv[*i][n])
    return NULL;
  if (*i + 1 >= argc) {
    *missing = true;
    return NULL;
  }
  return argv[++*i];
}

/* Returns -1 to go on, else the exit status. */
static int parse_opts(Opts *o, int argc, char **argv) {
  o->params = calloc((size_t)argc + 1, sizeof(char *));
  o->param_files = calloc((size_t)argc + 1, sizeof(char *));
  o->paths = calloc((size_t)argc + 1, sizeof(char *));
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i], *v;
    bool missing = false;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(o->usage, stdout);
      return 0;
    } else if (!strcmp(o->cmd, "plan") && (v = opt_value(argc, argv, &i, "--against", &missing)))
      o->against = v;
    else if (!strcmp(o->cmd, "plan") && !strncmp(a, "--format=", 9))
      o->format = a + 9;
    else if (!strcmp(o->cmd, "plan") && !strcmp(a, "--detailed-exitcode"))
      o->detailed = true;
    else if (strcmp(o->cmd, "destroy") && !strcmp(a, "--refresh"))
      o->refresh = true;
    else if (strcmp(o->cmd, "destroy") && (v = opt_value(argc, argv, &i, "--param", &missing)))
      o->params[o->nparams++] = (char *)v;
    else if (strcmp(o->cmd, "destroy") && ((v = opt_value(argc, argv, &i, "--params", &missing)) ||
                                           (v = opt_value(argc, argv, &i, "--param-file", &missing))))
      o->param_files[o->nparam_files++] = (char *)v;
    else if (strcmp(o->cmd, "plan") && (v = opt_value(argc, argv, &i, "--state", &missing)))
      o->state = v;
    else if (!strcmp(o->cmd, "apply") && (v = opt_value(argc, argv, &i, "--plan", &missing)))
      o->plan = v;
    else if ((v = opt_value(argc, argv, &i, "--endpoint-url", &missing)))
      o->endpoint = v;
    else if (strcmp(o->cmd, "plan") && (v = opt_value(argc, argv, &i, "--region", &missing)))
      o->region = v;
    else if ((v = opt_value(argc, argv, &i, "--profile", &missing)))
      o->profile = v;
    else if (strcmp(o->cmd, "plan") && !strncmp(a, "--via=", 6))
      o->via = a + 6;
    else if (strcmp(o->cmd, "plan") && !strcmp(a, "--auto-approve"))
      o->auto_approve = true;
    else if (strcmp(o->cmd, "plan") && !strncmp(a, "-j", 2) &&
             (v = a[2] ? a + 2 : opt_value(argc, argv, &i, "-j", &missing))) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || end == v || n < 1 || n > 64)
        return usage_error(o, "-j takes a number of steps from 1 to 64, not '%s'", v);
      o->jobs = (int)n;
    } else if (strcmp(o->cmd, "plan") &&
               (v = opt_value(argc, argv, &i, "--wait-timeout", &missing))) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || end == v || n < 1 || n > 7 * 24 * 3600)
        return usage_error(o, "--wait-timeout takes seconds from 1 to 604800, not '%s'", v);
      o->wait_timeout = (int)n;
    }
    else if (missing)
      return usage_error(o, "%s needs a value", a);
    else if (a[0] == '-' && a[1])
      return usage_error(o, "unknown option '%s'", a);
    else
      o->paths[o->npaths++] = (char *)a;
  }
  if (strcmp(o->format, "text") && strcmp(o->format, "json"))
    return usage_error(o, "unknown format '%s': expected text or json", o->format);
  if (o->via && strcmp(o->via, "native") && strcmp(o->via, "aws-cli"))
    return usage_error(o, "unknown --via '%s': expected native or aws-cli", o->via);
  if (o->plan && o->npaths)
    return usage_error(o, "%s", "--plan runs a saved plan: give no PATH with it");
  if (!o->npaths && !o->plan && strcmp(o->cmd, "destroy"))
    return usage_error(o, "%s needs a PATH: a .infra file or a directory", o->cmd);
  if (o->refresh && !strcmp(o->cmd, "plan") && !o->against)
    return usage_error(o, "%s", "--refresh reads what a state records: give --against STATE");
  if (o->refresh && o->plan)
    return usage_error(o, "%s", "--refresh reads before planning: a saved plan was read when made");
  if (!strcmp(o->cmd, "destroy") && !o->state)
    return usage_error(o, "%s", "destroy needs --state FILE: what to delete");
  return -1;
}

/* A state or a saved plan, read and checked (deploydoc.h), or NULL after
   a message. */
static cJSON *load_doc(const char *path, DocKind kind) {
  char err[768] = "";
  cJSON *doc = deploydoc_read(path, kind, err, sizeof err);
  if (!doc)
    fprintf(stderr, "infrac: %s\n", err);
  return doc;
}

/* What --against names, as a template and (for a state) the deployed IDs;
   read into an arena: plan (and policy) read it, and drop it whole. */
struct Deployed {
  Arena arena;
  cJSON *doc;
  const cJSON *template, *resources;
};

static bool read_deployed(const char *path, Deployed *d);

static bool load_deployed(const char *path, Deployed *d) {
  Arena *outer = json_arena_enter(&d->arena);
  bool ok = read_deployed(path, d);
  json_arena_leave(outer);
  return ok;
}

Deployed *deploy_against_open(const char *path) {
  Deployed *d = calloc(1, sizeof *d);
  if (!load_deployed(path, d)) {
    deploy_against_close(d);
    return NULL;
  }
  return d;
}

const cJSON *deploy_against_template(const Deployed *d) { return d->template; }

void deploy_against_close(Deployed *d) {
  if (!d) return;
  arena_free(&d->arena);
  free(d);
}

static bool read_deployed(const char *path, Deployed *d) {
  char err[768] = "";
  if (!(d->doc = doc_read_file(path, "template", err, sizeof err))) {
    fprintf(stderr, "infrac: %s\n", err);
    return false;
  }
  const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(d->doc, "format");
  cJSON *body = cJSON_GetObjectItemCaseSensitive(d->doc, "TemplateBody");
  if (cJSON_IsString(fmt) && !strcmp(fmt->valuestring, "infrac-state/1")) {
    if (!deploydoc_check(d->doc, DOC_STATE, err, sizeof err)) {
      fprintf(stderr, "infrac: %s: %s\n", path, err);
      return false;
    }
    int n = 0;
    if (!journal_fold(d->doc, path, &n)) /* what a run that did not end has done */
      return false;
    d->template = cJSON_GetObjectItemCaseSensitive(d->doc, "template");
    d->resources = cJSON_GetObjectItemCaseSensitive(d->doc, "resources");
  } else if (cJSON_IsString(body)) { /* get-template gives YAML bodies as a string */
    cJSON *t = cfn_load_text(body->valuestring, strlen(body->valuestring), err, sizeof err);
    if (!t) {
      fprintf(stderr, "infrac: %s: TemplateBody: %s\n", path, err);
      return false;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(d->doc, "TemplateBody", t);
    d->template = t;
  } else {
    d->template = cJSON_IsObject(body) ? body : d->doc;
  }
  if (!cJSON_IsObject(d->template) ||
      !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(d->template, "Resources"))) {
    fprintf(stderr, "infrac: %s is neither a CloudFormation template nor an infrac state "
                    "(no Resources)\n", path);
    return false;
  }
  if (!cfn_template_ok(d->template, err, sizeof err)) {
    fprintf(stderr, "infrac: %s: %s\n", path, err);
    return false;
  }
  return true;
}

/* Digest of a state, so a saved plan can tell the state it was made for
   (FNV-1a 64 of its stack, region, template and resources as JSON): another
   stack's state, or this one changed, has another digest. */
static char *state_digest(const cJSON *state) {
  uint64_t h = 1469598103934665603ull;
  const char *keys[] = {"stack", "region", "template", "resources"};
  for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
    char *s = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(state, keys[k]));
    for (const char *p = s ? s : ""; *p; p++)
      h = (h ^ (unsigned char)*p) * 1099511628211ull;
    cJSON_free(s);
  }
  char *out = NULL;
  if (asprintf(&out, "%016llx", (unsigned long long)h) < 0)
    abort();
  return out;
}

static bool write_stdout(const char *s) {
  bool ok = fputs(s, stdout) >= 0 && fflush(stdout) == 0;
  if (!ok)
    fprintf(stderr, "infrac: cannot write the plan: %s\n", strerror(errno));
  return ok;
}

/* Names of resources for plans and state: the stack's, and for resources
   the stack no longer has, the names the state recorded when they were
   made (its entries are {"resource": NAME, ...} by logical ID). */
typedef struct {
  Stack *st;
  const cJSON *resources; /* the state's, or NULL */
} Namer;

static const char *namer_name_of(void *ctx, const char *logical) {
  const Namer *n = ctx;
  const char *s = n->st ? stack_name_of(n->st, logical) : NULL;
  const cJSON *r = s || !n->resources ? NULL
                   : cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(n->resources, logical), "resource");
  return cJSON_IsString(r) ? r->valuestring : s;
}

static const char *namer_logical_of(void *ctx, const char *resource) {
  const Namer *n = ctx;
  const char *s = n->st ? stack_logical_of(n->st, resource) : NULL;
  for (const cJSON *e = s || !n->resources ? NULL : n->resources->child; e; e = e->next) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "resource");
    if (cJSON_IsString(r) && !strcmp(r->valuestring, resource))
      return e->string;
  }
  return s;
}

static const char *namer_where(void *ctx, const char *resource) {
  const Namer *n = ctx;
  return n->st ? stack_where(n->st, resource) : NULL;
}

static const char *namer_kind_of(void *ctx, const char *logical) {
  const Namer *n = ctx;
  return n->st ? stack_kind_of(n->st, logical) : NULL;
}

/* The declaration's name, as the text plan shows it; for a resource the
   source no longer declares, the name the state remembers. */
static const char *namer_decl_name_of(void *ctx, const char *logical) {
  const Namer *n = ctx;
  const char *s = n->st ? stack_decl_name_of(n->st, logical) : NULL;
  return s ? s : namer_name_of(ctx, logical);
}

/* Writes the plan as infrac-plan/1, with what a saved plan needs to be
   applied later, and only then: the state it was planned against, or the
   template's name, and the new template. Standard output gets it whole
   (output.h). With drift (plan --refresh), what is deployed is the live
   template, and the plan says what drifted. */
static bool plan_json(Stack *st, const Deployed *d, const Diff *diff, const char *against,
                      const Drift *drift) {
  Namer names = {st, d ? d->resources : NULL};
  ApiPlanOptions po = {st->name, st->region, namer_name_of, &names,
                       drift ? drift->entries : d ? d->resources : NULL, namer_where};
  cJSON *tail = cJSON_CreateObject();
  cJSON *base = cJSON_AddObjectToObject(tail, "base");
  if (d && d->resources) {
    char *digest = state_digest(d->doc);
    cJSON_AddStringToObject(base, "state", against);
    cJSON_AddStringToObject(base, "digest", digest);
    free(digest);
  } else if (against) {
    const char *slash = strrchr(against, '/');
    cJSON_AddStringToObject(base, "template", slash ? slash + 1 : against);
  }
  if (!stack_api_plan_covers(st)) {
    cJSON_Delete(tail);
    return false;
  }
  const cJSON *t = stack_api_template(st);
  cJSON_AddItemToObject(tail, "template", cJSON_CreateObjectReference(t->child));
  if (drift) {
    DriftNames dn = {namer_name_of, namer_kind_of, &names};
    cJSON_AddItemToObject(tail, "drift", drift_json(drift, &dn));
  }
  char *error = NULL;
  Output out;
  if (!output_open(&out, "-")) {
    cJSON_Delete(tail);
    return false;
  }
  JsonOut o = {.sink = out.f};
  bool planned = apiplan_render(&o, t, drift ? drift->live : d ? d->template : NULL, diff, &po,
                                tail, &error);
  cJSON_Delete(tail);
  free(o.s);
  if (!planned) {
    char *shown = term_escaped(error, 0); /* it may name what the deployed template has */
    fprintf(stderr, "infrac: cannot plan: %s\n", shown);
    free(shown);
    free(error);
  }
  return output_close(&out, planned ? o.error : -1);
}

int deploy_plan(int argc, char **argv) {
  Opts o = {.usage = deploy_usage_plan, .cmd = "plan", .format = "text"};
  int rc = parse_opts(&o, argc, argv);
  Deployed d = {0};
  Drift drift = {0};
  Stack *st = NULL;
  if (rc >= 0 || (o.against && !load_deployed(o.against, &d)) ||
      !(st = stack_open(o.paths, o.npaths, o.params, o.nparams, o.param_files, o.nparam_files, true, o.cmd))) {
    rc = rc >= 0 ? rc : 1;
    goto done;
  }
  if (o.refresh && !d.resources) {
    fprintf(stderr, "infrac: --refresh reads what a state records, and %s is a template: give "
                    "the state that `infrac apply` writes\n", o.against);
    rc = 1;
    goto done;
  }
  if (o.refresh && !drift_read(d.doc, o.endpoint, o.profile, &drift)) {
    rc = 1;
    goto done;
  }
  /* the JSON plan is the API plan's: conditions decided for the params' values */
  const cJSON *api = strcmp(o.format, "text") ? stack_api_template(st) : NULL;
  Diff *diff = diff_templates(o.refresh ? drift.live : o.against ? d.template : NULL,
                              api ? api : stack_template(st));
  bool changes = diff->count[DIFF_CREATE] || diff->count[DIFF_UPDATE] ||
                 diff->count[DIFF_REPLACE] || diff->count[DIFF_DELETE] || diff->retained ||
                 (o.refresh && drift_found(&drift));
  rc = 0;
  if (!strcmp(o.format, "text")) {
    Namer names = {st, d.resources};
    DriftNames dn = {namer_name_of, namer_kind_of, &names};
    char *dtext = o.refresh ? drift_render_text(&drift, stack_template(st), &dn) : NULL;
    DiffNames sn = {namer_decl_name_of, namer_kind_of, &names};
    char *text = diff_render_text_named(diff, &sn);
    rc = (!dtext || write_stdout(dtext)) && write_stdout(text) ? 0 : 1;
    free(dtext);
    free(text);
  } else {
    rc = plan_json(st, o.against ? &d : NULL, diff, o.against, o.refresh ? &drift : NULL) ? 0 : 1;
  }
  if (!rc && o.detailed && changes)
    rc = 2;
  diff_free(diff);
done:
  drift_free(&drift);
  stack_close(st);
  arena_free(&d.arena);
  free(o.params);
  free(o.param_files);
  free(o.paths);
  return rc;
}

/* ---- apply and destroy ---- */

/* Asks for "yes" on a terminal; refuses elsewhere. */
static bool confirm(const Opts *o, const char *what) {
  if (o->auto_approve)
    return true;
  if (!isatty(STDIN_FILENO)) {
    fflush(stdout); /* after the plan it refuses */
    fprintf(stderr, "infrac: stdin is not a terminal: give --auto-approve to %s without asking\n",
            what);
    return false;
  }
  printf("\nDo you want to %s? Only 'yes' will be accepted.\n  Enter a value: ", what);
  fflush(stdout);
  char line[64] = "";
  if (!fgets(line, sizeof line, stdin))
    return false;
  line[strcspn(line, "\r\n")] = '\0';
  if (strcmp(line, "yes")) {
    printf("Cancelled.\n");
    return false;
  }
  return true;
}

/* Zeroes the secret values before they are freed. */
static void secrets_free(cJSON *secrets) {
  for (cJSON *v = secrets->child; v; v = v->next)
    secret_wipe(v->valuestring);
  cJSON_Delete(secrets);
}

/* The engine a step's database is made with: the step's own Engine, else
   the template's resource (a ModifyDBInstance names none). */
static const char *step_engine(const cJSON *s, const cJSON *tmpl, const ApplyOptions *ao) {
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(s, "params"), "Engine");
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(s, "resource");
  const char *logical = !cJSON_IsString(e) && cJSON_IsString(res)
                            ? ao->logical_of(ao->ctx, res->valuestring)
                            : NULL;
  if (logical)
    e = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(tmpl, "Resources"), logical),
                            "Properties"),
        "Engine");
  return cJSON_IsString(e) ? e->valuestring : NULL;
}

/* Whether RDS takes value, param name's, where a step sends it as a
   database's master password (the limits of compiler/rds.c, as build and
   check hold a --param to): said on stderr without the value, before any
   call is made. what says where the value came from. */
static bool password_fits(const cJSON *steps, const cJSON *tmpl, const ApplyOptions *ao,
                          const char *name, const char *value, const char *what) {
  for (const cJSON *s = steps ? steps->child : NULL; s; s = s->next) {
    const cJSON *pw = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(s, "params"),
                                                       "MasterUserPassword");
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(pw, "$capture");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(s, "resource");
    if (!cJSON_IsString(cap) || strncmp(cap->valuestring, "param.", 6) ||
        strcmp(cap->valuestring + 6, name))
      continue;
    char msg[1024];
    int min, max;
    const char *engine = step_engine(s, tmpl, ao);
    if (!rds_password_fault(msg, sizeof msg, what, value, engine,
                            cJSON_IsString(res) ? res->valuestring : "?"))
      continue;
    rds_password_length(engine, &min, &max);
    fprintf(stderr,
            "infrac: %s\n  help: give %s %d to %d printable ASCII characters other than / \" @ "
            "and space\ninfrac: nothing was changed\n",
            msg, name, min, max);
    return false;
  }
  return true;
}

/* Secret values by name, from --param, INFRAC_PARAM_<name> or a prompt:
   every "param.NAME" capture the steps make (a read of /infrac/STACK/NAME
   from SSM) that the user can give instead. Only those given are filled.
   From the first such capture on, the process holds a secret (no core
   dump); the variable is unset, so that no AWS CLI process inherits it.
   NULL when a value is one RDS would refuse as the master password it is. */
static cJSON *secret_values(const Opts *o, const cJSON *steps, const cJSON *tmpl,
                            const ApplyOptions *ao) {
  cJSON *out = cJSON_CreateObject();
  for (const cJSON *s = steps ? steps->child : NULL; s; s = s->next) {
    const cJSON *caps = cJSON_GetObjectItem(s, "captures");
    for (const cJSON *c = caps ? caps->child : NULL; c; c = c->next) {
      if (strncmp(c->string, "param.", 6) || cJSON_GetObjectItemCaseSensitive(out, c->string + 6))
        continue;
      secrets_hold();
      const char *name = c->string + 6;
      char *value = NULL, *arg = NULL;
      size_t n = strlen(name);
      for (int i = 0; i < o->nparams; i++)
        if (!strncmp(o->params[i], name, n) && o->params[i][n] == '=')
          value = arg = o->params[i] + n + 1;
      if (value)
        fprintf(stderr, "infrac: warning: --param %s: a secret on the command line is readable "
                        "by every user of this machine (ps, /proc); give it in "
                        "$INFRAC_PARAM_%s or at the prompt\n", name, name);
      char env[256];
      snprintf(env, sizeof env, "INFRAC_PARAM_%s", name);
      if (!value)
        value = getenv(env);
      char *typed = value ? NULL : secret_prompt(name);
      char source[300];
      snprintf(source, sizeof source,
               arg     ? "the value given with --param %s"
               : typed ? "the value typed for %s"
                       : "the value of $INFRAC_PARAM_%s",
               name);
      bool fits = !(typed || value) ||
                  password_fits(steps, tmpl, ao, name, typed ? typed : value, source);
      if ((typed || value) && fits)
        cJSON_AddStringToObject(out, name, typed ? typed : value);
      secret_wipe(typed);
      free(typed);
      if (arg) /* out of the process list from now on */
        memset(arg, '*', strlen(arg));
      if (getenv(env)) {
        secret_wipe(getenv(env));
        unsetenv(env);
      }
      if (!fits) {
        secrets_free(out);
        return NULL;
      }
    }
  }
  return out;
}

const char *plan_logical_of(void *ctx, const char *resource) {
  for (const cJSON *c = cJSON_GetObjectItem((const cJSON *)ctx, "changes")->child; c; c = c->next) {
    const cJSON *r = cJSON_GetObjectItem(c, "resource"), *l = cJSON_GetObjectItem(c, "logical_id");
    if (cJSON_IsString(r) && cJSON_IsString(l) && !strcmp(r->valuestring, resource))
      return l->valuestring;
  }
  return NULL;
}

/* The state at path, or a new one when there is no file there (a symbolic
   link that leads nowhere yet is written through). */
static cJSON *load_state(const char *path, const char *stack, const char *region) {
  struct stat st;
  cJSON *state = stat(path, &st) && errno == ENOENT ? apply_state_new(stack, region)
                                                    : load_doc(path, DOC_STATE);
  int n = 0;
  if (state && !journal_fold(state, path, &n)) {
    cJSON_Delete(state);
    return NULL;
  }
  if (n)
    printf("%s: the journal of a run that did not end: %d records folded in\n", path, n);
  return state;
}

/* names NULL: a saved plan, whose changes name the resources. Before the
   first call, the state is written as it is: a state that cannot be written
   stops the run before anything is made that it could not record. */
static int run_steps(const Opts *o, const cJSON *plan, const cJSON *new_t, cJSON *state,
                     const char *stack, const char *region, const char *state_path,
                     Namer *names, const char *done) {
  if (!apply_write_state(state, state_path)) {
    fprintf(stderr, "infrac: nothing was changed: the state must be writable first\n");
    return 1;
  }
  const char *aws = getenv("INFRAC_AWS");
  bool own_cli = aws && *aws;
  /* a CLI of one's own ($INFRAC_AWS) is asked for every call, unless --via=native */
  bool via_cli = o->via ? !strcmp(o->via, "aws-cli") : own_cli;
  ApplyOptions ao = {.stack = stack,
                     .region = region,
                     .endpoint_url = o->endpoint,
                     .state_path = state_path,
                     .aws = own_cli ? aws : "aws",
                     .profile = o->profile,
                     .via_cli = via_cli,
                     .jobs = o->jobs ? o->jobs : 10,
                     .wait_timeout = o->wait_timeout,
                     .logical_of = names ? namer_logical_of : plan_logical_of,
                     .where = names ? namer_where : NULL,
                     .ctx = names ? (void *)names : (void *)plan};
  cJSON *secrets = secret_values(o, cJSON_GetObjectItem(plan, "steps"), new_t, &ao);
  if (!secrets)
    return 1;
  ao.params = secrets;
  int rc = apply_run(plan, new_t, state, &ao);
  if (!rc)
    printf("\n%s complete. State: %s\n", done, state_path);
  secrets_free(secrets);
  return rc;
}

static char *default_state(const char *stack) {
  char *p = NULL;
  if (asprintf(&p, "%s.state.json", stack) < 0)
    abort();
  return p;
}

static const char *member(const cJSON *o, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(o, key)->valuestring;
}

/* Whether the saved plan was made for this state: its stack and region, and
   the state as it was then (its digest; a plan made against no state needs
   a state with nothing deployed). */
static bool plan_fits(const Opts *o, const cJSON *plan, const cJSON *state, const char *path) {
  const char *stack = member(plan, "stack"), *region = member(plan, "region");
  const cJSON *base = cJSON_GetObjectItemCaseSensitive(plan, "base");
  const cJSON *bdigest = cJSON_GetObjectItemCaseSensitive(base, "digest");
  if (cJSON_GetObjectItemCaseSensitive(base, "template")) {
    fprintf(stderr, "infrac: %s was planned against a template, not a state: apply needs the "
                    "state of what it changes (infrac plan --against STATE)\n", o->plan);
    return false;
  }
  if (strcmp(member(state, "stack"), stack) || strcmp(member(state, "region"), region)) {
    fprintf(stderr, "infrac: %s is a plan of stack %s in %s, but the state %s is of stack %s "
                    "in %s: refused\n", o->plan, stack, region, path, member(state, "stack"),
            member(state, "region"));
    return false;
  }
  if (o->region && strcmp(o->region, region)) {
    fprintf(stderr, "infrac: %s was planned for region %s, not %s: plan again\n", o->plan, region,
            o->region);
    return false;
  }
  char *digest = state_digest(state);
  const cJSON *sres = cJSON_GetObjectItem(state, "resources");
  bool fits = cJSON_IsString(bdigest) ? !strcmp(bdigest->valuestring, digest) : !sres->child;
  free(digest);
  if (!fits)
    fprintf(stderr, "infrac: the state %s has changed since %s was planned: plan again\n", path,
            o->plan);
  return fits;
}

/* apply --plan: the saved plan, if the state is still the one it was made
   for, shown and confirmed as apply does. */
static int apply_saved(const Opts *o) {
  cJSON *plan = load_doc(o->plan, DOC_PLAN), *state = NULL;
  StateLock lock = {-1, NULL};
  char *path = NULL;
  int rc = 1;
  if (!plan)
    goto done;
  const char *stack = member(plan, "stack");
  const cJSON *bstate = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(plan, "base"), "state");
  path = o->state             ? strdup(o->state)
         : cJSON_IsString(bstate) ? strdup(bstate->valuestring)
                                  : default_state(stack);
  if (!state_lock(&lock, path) || !(state = load_state(path, stack, member(plan, "region"))) ||
      !plan_fits(o, plan, state, path))
    goto done;
  const cJSON *steps = cJSON_GetObjectItem(plan, "steps");
  if (!steps->child) {
    printf("No changes.\n");
    rc = 0;
    goto done;
  }
  printf("%s: %d steps on stack %s in %s, against the state %s.\n", o->plan,
         cJSON_GetArraySize(steps), stack, member(plan, "region"), path);
  /* its changes as plan shows them: "+ MainVpc (AWS::EC2::VPC)" */
  static const struct {
    const char *action, *sigil;
  } sigils[] = {{"create", "+"}, {"update", "~"}, {"replace", "-/+"}, {"delete", "-"}};
  for (const cJSON *c = cJSON_GetObjectItem(plan, "changes")->child; c; c = c->next) {
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(c, "action");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(c, "type");
    char shown[128];
    for (size_t i = 0; cJSON_IsString(action) && i < sizeof sigils / sizeof sigils[0]; i++)
      if (!strcmp(action->valuestring, sigils[i].action))
        printf("  %s %s (%s)\n", sigils[i].sigil, member(c, "logical_id"),
               term_escape_into(shown, sizeof shown, cJSON_IsString(type) ? type->valuestring : "?"));
  }
  if (!confirm(o, "perform these actions"))
    goto done;
  printf("\n");
  rc = run_steps(o, plan, cJSON_GetObjectItem(plan, "template"), state, stack,
                 member(plan, "region"), path, NULL, "Apply");
done:
  state_unlock(&lock);
  cJSON_Delete(plan);
  cJSON_Delete(state);
  free(path);
  return rc;
}

/* apply --refresh: the state no longer records what AWS no longer has (what
   the source still has is then created as new). */
static void forget_gone(cJSON *state, const Drift *drift) {
  cJSON *tres = cJSON_GetObjectItem(cJSON_GetObjectItem(state, "template"), "Resources");
  cJSON *sres = cJSON_GetObjectItem(state, "resources");
  for (int i = 0; i < drift->diff->n; i++)
    if (drift->diff->res[i].action == DIFF_DELETE) {
      cJSON_DeleteItemFromObjectCaseSensitive(tres, drift->diff->res[i].logical_id);
      cJSON_DeleteItemFromObjectCaseSensitive(sres, drift->diff->res[i].logical_id);
    }
}

/* apply and destroy: the diff from the state to the stack (or to nothing),
   shown, confirmed, then run, the state locked throughout. */
static int apply_or_destroy(Opts *o, bool destroy) {
  Stack *st = NULL;
  cJSON *state = NULL, *empty = NULL, *plan = NULL;
  Diff *diff = NULL;
  Drift drift = {0};
  StateLock lock = {-1, NULL};
  char *path = NULL;
  int rc = 1;
  if (o->npaths && !(st = stack_open(o->paths, o->npaths, o->params, o->nparams, o->param_files,
                                     o->nparam_files, true, o->cmd)))
    goto done;
  if (st && !destroy && !stack_api_plan_covers(st))
    goto done;
  struct stat sb;
  if (destroy) {
    path = strdup(o->state);
    if (stat(path, &sb) && errno == ENOENT) {
      fprintf(stderr, "infrac: no state %s: nothing is known to be deployed\n", path);
      goto done;
    }
  } else {
    path = o->state ? strdup(o->state) : default_state(st->name);
  }
  if (!state_lock(&lock, path) ||
      !(state = load_state(path, st ? st->name : "", st ? st->region : "")))
    goto done;
  const char *stack = st ? st->name : member(state, "stack");
  const char *region = o->region ? o->region : st ? st->region : member(state, "region");
  if (st && strcmp(member(state, "stack"), st->name)) {
    fprintf(stderr, "infrac: %s is the state of stack %s, not %s\n", path, member(state, "stack"),
            st->name);
    goto done;
  }
  const cJSON *deployed = cJSON_GetObjectItem(state, "template");
  Namer names = {st, cJSON_GetObjectItem(state, "resources")};
  if (o->refresh && !destroy) { /* what AWS has stands for what is deployed */
    if (!drift_read(state, o->endpoint, o->profile, &drift))
      goto done;
    DriftNames dn = {namer_name_of, namer_kind_of, &names};
    char *dtext = drift_render_text(&drift, stack_template(st), &dn);
    bool ok = write_stdout(dtext);
    free(dtext);
    if (!ok)
      goto done;
    deployed = drift.live;
  }
  const cJSON *new_t;
  if (destroy) { /* a PATH only names the stack: its template is not needed */
    empty = cJSON_CreateObject();
    cJSON_AddStringToObject(empty, "AWSTemplateFormatVersion", "2010-09-09");
    cJSON_AddObjectToObject(empty, "Resources");
    new_t = empty;
  } else {
    new_t = stack_api_template(st); /* apply makes calls: its conditions decided */
  }
  diff = diff_templates(deployed, new_t);
  DiffNames sn = {namer_decl_name_of, namer_kind_of, &names};
  char *text = diff_render_text_named(diff, &sn);
  bool shown = write_stdout(text);
  free(text);
  if (!shown)
    goto done;
  if (!diff->count[DIFF_CREATE] && !diff->count[DIFF_UPDATE] && !diff->count[DIFF_REPLACE] &&
      !diff->count[DIFF_DELETE] && !diff->retained) {
    rc = 0;
    goto done;
  }
  if (!confirm(o, destroy ? "destroy these resources" : "perform these actions"))
    goto done;
  if (drift.live)
    forget_gone(state, &drift);
  ApiPlanOptions po = {stack, region, namer_name_of, &names,
                       drift.live ? drift.entries : names.resources, namer_where};
  cJSON *steps = apiplan_steps(new_t, deployed, diff, &po);
  const cJSON *err = cJSON_GetObjectItemCaseSensitive(steps, "error");
  if (cJSON_IsString(err)) {
    char *why = term_escaped(err->valuestring, 0);
    fprintf(stderr, "infrac: cannot plan: %s\n", why);
    free(why);
    cJSON_Delete(steps);
    goto done;
  }
  plan = cJSON_CreateObject();
  cJSON_AddItemToObject(plan, "steps", steps);
  printf("\n");
  rc = run_steps(o, plan, new_t, state, stack, region, path, &names, destroy ? "Destroy" : "Apply");
done:
  state_unlock(&lock);
  cJSON_Delete(plan);
  cJSON_Delete(empty);
  cJSON_Delete(state);
  diff_free(diff);
  drift_free(&drift);
  stack_close(st);
  free(path);
  return rc;
}

int deploy_apply(int argc, char **argv) {
  Opts o = {.usage = deploy_usage_apply, .cmd = "apply", .format = "text"};
  int rc = parse_opts(&o, argc, argv);
  if (rc < 0)
    rc = o.plan ? apply_saved(&o) : apply_or_destroy(&o, false);
  free(o.params);
  free(o.param_files);
  free(o.paths);
  return rc;
}

int deploy_destroy(int argc, char **argv) {
  Opts o = {.usage = deploy_usage_destroy, .cmd = "destroy", .format = "text"};
  int rc = parse_opts(&o, argc, argv);
  if (rc < 0)
    rc = apply_or_destroy(&o, true);
  free(o.params);
  free(o.param_files);
  free(o.paths);
  return rc;
}
