/* deploy.c: infrac plan, apply and destroy. plan diffs the stack against a
   template or a state; apply turns that diff into API calls and runs them
   through the AWS CLI, keeping the state; destroy applies the diff against
   nothing. None of them talks to AWS but through apply.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "apiplan.h"
#include "apply.h"
#include "cfn_load.h"
#include "deploy.h"
#include "diff.h"
#include "jsonarena.h"
#include "output.h"
#include "stack.h"

const char deploy_usage_plan[] =
    "usage: infrac plan [--against FILE] [--format=text|json] [--param K=V]...\n"
    "                   [--detailed-exitcode] PATH...\n"
    "\n"
    "Compares the stack in PATH with what is deployed and shows what would change,\n"
    "per resource and property: + create, ~ update in place, -/+ replace (with the\n"
    "property that forces it), - delete. Talks to no one.\n"
    "\n"
    "  --against FILE       what is deployed: a CloudFormation template (JSON or YAML,\n"
    "                       from infrac build or `aws cloudformation get-template`)\n"
    "                       or an infrac state file (infrac-state/1, from apply).\n"
    "                       Without it, everything is a create.\n"
    "  --format=text        the changes, then `Plan: N to add, ...` (default)\n"
    "  --format=json        infrac-plan/1 on stdout: the changes and the AWS API calls\n"
    "                       that make them; `infrac apply --plan FILE` runs it\n"
    "  --param K=V          a parameter's value (repeatable)\n"
    "  --detailed-exitcode  exit 2 when there are changes\n"
    "\n"
    "Exit status: 0 success (with --detailed-exitcode: no changes), 1 errors,\n"
    "2 changes (with --detailed-exitcode).\n";

const char deploy_usage_apply[] =
    "usage: infrac apply [--state FILE] [--endpoint-url URL] [--region R]\n"
    "                    [--auto-approve] [--param K=V]... PATH\n"
    "       infrac apply --plan PLAN.json [--state FILE] [--endpoint-url URL]\n"
    "                    [--region R] [--auto-approve] [--param K=V]...\n"
    "\n"
    "Creates, changes and deletes the resources of the stack in PATH with direct AWS\n"
    "API calls, through the AWS CLI (`aws` on PATH, or the command in $INFRAC_AWS),\n"
    "so credentials, signing and retries are the CLI's. The state file records the\n"
    "applied template and the IDs of what was made; it is rewritten after every\n"
    "step, so a run that stops is resumed by the next apply.\n"
    "\n"
    "  --state FILE        the state (default: STACK.state.json in the current directory)\n"
    "  --plan PLAN.json    run a plan saved by `infrac plan --format=json`; refused when\n"
    "                      the state it was made against has changed since\n"
    "  --endpoint-url URL  send every call to URL (a local emulator such as moto)\n"
    "  --region R          the region (default: the stack's)\n"
    "  --auto-approve      apply without asking; needed when stdin is not a terminal\n"
    "  --param K=V         a parameter's value (repeatable). A secret comes from\n"
    "                      --param, from $INFRAC_PARAM_<name>, or from a prompt; it\n"
    "                      never reaches the state, a log or a message.\n"
    "\n"
    "Exit status: 0 applied (or nothing to do), 1 errors or a failed step.\n";

const char deploy_usage_destroy[] =
    "usage: infrac destroy --state FILE [--endpoint-url URL] [--region R]\n"
    "                      [--auto-approve] [PATH]\n"
    "\n"
    "Deletes every resource the state file records, in reverse dependency order,\n"
    "through the AWS CLI, after showing the plan and asking (as apply does). PATH,\n"
    "when given, names the resources as their declarations do.\n"
    "\n"
    "Exit status: 0 destroyed (or nothing to do), 1 errors or a failed step.\n";

typedef struct {
  const char *usage, *cmd;
  const char *against, *format, *state, *plan, *endpoint, *region;
  bool detailed, auto_approve;
  char **params;
  int nparams;
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
    else if (strcmp(o->cmd, "destroy") && (v = opt_value(argc, argv, &i, "--param", &missing)))
      o->params[o->nparams++] = (char *)v;
    else if (strcmp(o->cmd, "plan") && (v = opt_value(argc, argv, &i, "--state", &missing)))
      o->state = v;
    else if (!strcmp(o->cmd, "apply") && (v = opt_value(argc, argv, &i, "--plan", &missing)))
      o->plan = v;
    else if (strcmp(o->cmd, "plan") && (v = opt_value(argc, argv, &i, "--endpoint-url", &missing)))
      o->endpoint = v;
    else if (strcmp(o->cmd, "plan") && (v = opt_value(argc, argv, &i, "--region", &missing)))
      o->region = v;
    else if (strcmp(o->cmd, "plan") && !strcmp(a, "--auto-approve"))
      o->auto_approve = true;
    else if (missing)
      return usage_error(o, "%s needs a value", a);
    else if (a[0] == '-' && a[1])
      return usage_error(o, "unknown option '%s'", a);
    else
      o->paths[o->npaths++] = (char *)a;
  }
  if (strcmp(o->format, "text") && strcmp(o->format, "json"))
    return usage_error(o, "unknown format '%s': expected text or json", o->format);
  if (o->plan && o->npaths)
    return usage_error(o, "%s", "--plan runs a saved plan: give no PATH with it");
  if (!o->npaths && !o->plan && strcmp(o->cmd, "destroy"))
    return usage_error(o, "%s needs a PATH: a .infra file or a directory", o->cmd);
  if (!strcmp(o->cmd, "destroy") && !o->state)
    return usage_error(o, "%s", "destroy needs --state FILE: what to delete");
  return -1;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  Buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(&b, chunk, n);
  bool ok = !ferror(f);
  fclose(f);
  if (!ok) {
    buf_free(&b);
    return NULL;
  }
  buf_add(&b, "", 1);
  *len = b.len - 1;
  return b.s;
}

/* A JSON or YAML document from a file, or NULL after a message. */
static cJSON *load_doc(const char *path, const char *what) {
  size_t len = 0;
  char *text = read_file(path, &len);
  if (!text) {
    fprintf(stderr, "infrac: cannot read %s %s: %s\n", what, path, strerror(errno));
    return NULL;
  }
  char err[256] = "";
  cJSON *doc = cfn_load_text(text, len, err, sizeof err);
  free(text);
  if (!doc)
    fprintf(stderr, "infrac: %s: %s\n", path, err);
  return doc;
}

/* What --against names, as a template and (for a state) the deployed IDs;
   read into an arena: only plan reads it, and drops it whole. */
typedef struct {
  Arena arena;
  cJSON *doc;
  const cJSON *template, *resources;
} Deployed;

static bool read_deployed(const char *path, Deployed *d);

static bool load_deployed(const char *path, Deployed *d) {
  Arena *outer = json_arena_enter(&d->arena);
  bool ok = read_deployed(path, d);
  json_arena_leave(outer);
  return ok;
}

static bool read_deployed(const char *path, Deployed *d) {
  if (!(d->doc = load_doc(path, "template")))
    return false;
  const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(d->doc, "format");
  cJSON *body = cJSON_GetObjectItemCaseSensitive(d->doc, "TemplateBody");
  if (cJSON_IsString(fmt) && !strcmp(fmt->valuestring, "infrac-state/1")) {
    d->template = cJSON_GetObjectItemCaseSensitive(d->doc, "template");
    d->resources = cJSON_GetObjectItemCaseSensitive(d->doc, "resources");
  } else if (cJSON_IsString(body)) { /* get-template gives YAML bodies as a string */
    char err[256] = "";
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
  return true;
}

/* Digest of a state, so a saved plan can tell the state it was made for
   (FNV-1a 64 of the template and resources as JSON). */
static char *state_digest(const cJSON *state) {
  uint64_t h = 1469598103934665603ull;
  const char *keys[] = {"template", "resources"};
  for (size_t k = 0; k < 2; k++) {
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

/* Writes the plan as infrac-plan/1, with what a saved plan needs to be
   applied later, and only then: the state it was planned against, or the
   template's name, and the new template. Standard output gets it whole
   (output.h). */
static bool plan_json(Stack *st, const Deployed *d, const Diff *diff, const char *against) {
  Namer names = {st, d ? d->resources : NULL};
  ApiPlanOptions po = {st->name, st->region, namer_name_of, &names, d ? d->resources : NULL};
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
  const cJSON *t = stack_template(st);
  cJSON_AddItemToObject(tail, "template", cJSON_CreateObjectReference(t->child));
  char *error = NULL;
  Output out;
  if (!output_open(&out, "-")) {
    cJSON_Delete(tail);
    return false;
  }
  JsonOut o = {.sink = out.f};
  bool planned = apiplan_render(&o, t, d ? d->template : NULL, diff, &po, tail, &error);
  cJSON_Delete(tail);
  free(o.s);
  if (!planned) {
    fprintf(stderr, "infrac: cannot plan: %s\n", error);
    free(error);
  }
  return output_close(&out, planned ? o.error : -1);
}

int deploy_plan(int argc, char **argv) {
  Opts o = {.usage = deploy_usage_plan, .cmd = "plan", .format = "text"};
  int rc = parse_opts(&o, argc, argv);
  Deployed d = {0};
  Stack *st = NULL;
  if (rc >= 0 || (o.against && !load_deployed(o.against, &d)) ||
      !(st = stack_open(o.paths, o.npaths, o.params, o.nparams, true, o.cmd))) {
    rc = rc >= 0 ? rc : 1;
    goto done;
  }
  Diff *diff = diff_templates(o.against ? d.template : NULL, stack_template(st));
  bool changes = diff->count[DIFF_CREATE] || diff->count[DIFF_UPDATE] ||
                 diff->count[DIFF_REPLACE] || diff->count[DIFF_DELETE] || diff->retained;
  rc = 0;
  if (!strcmp(o.format, "text")) {
    char *text = diff_render_text(diff);
    rc = write_stdout(text) ? 0 : 1;
    free(text);
  } else {
    rc = plan_json(st, o.against ? &d : NULL, diff, o.against) ? 0 : 1;
  }
  if (!rc && o.detailed && changes)
    rc = 2;
  diff_free(diff);
done:
  stack_close(st);
  arena_free(&d.arena);
  free(o.params);
  free(o.paths);
  return rc;
}

/* ---- apply and destroy ---- */

/* Asks for "yes" on a terminal; refuses elsewhere. */
static bool confirm(const Opts *o, const char *what) {
  if (o->auto_approve)
    return true;
  if (!isatty(STDIN_FILENO)) {
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

/* A secret typed at a prompt, without echo. */
static char *prompt_secret(const char *name) {
  struct termios old, quiet;
  if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old))
    return NULL;
  fprintf(stderr, "%s (secret): ", name);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  char line[4096] = "";
  char *got = fgets(line, sizeof line, stdin);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  fputc('\n', stderr);
  if (!got)
    return NULL;
  line[strcspn(line, "\r\n")] = '\0';
  return strdup(line);
}

/* Secret values by name, from --param, INFRAC_PARAM_<name> or a prompt:
   every "param.NAME" capture the steps make (a read of /infrac/STACK/NAME
   from SSM) that the user can give instead. Only those given are filled. */
static cJSON *secret_values(const Opts *o, const cJSON *steps) {
  cJSON *out = cJSON_CreateObject();
  for (const cJSON *s = steps ? steps->child : NULL; s; s = s->next) {
    const cJSON *caps = cJSON_GetObjectItem(s, "captures");
    for (const cJSON *c = caps ? caps->child : NULL; c; c = c->next) {
      if (strncmp(c->string, "param.", 6) || cJSON_GetObjectItemCaseSensitive(out, c->string + 6))
        continue;
      const char *name = c->string + 6, *value = NULL;
      size_t n = strlen(name);
      for (int i = 0; i < o->nparams; i++)
        if (!strncmp(o->params[i], name, n) && o->params[i][n] == '=')
          value = o->params[i] + n + 1;
      char env[256];
      snprintf(env, sizeof env, "INFRAC_PARAM_%s", name);
      if (!value)
        value = getenv(env);
      char *typed = value ? NULL : prompt_secret(name);
      if (typed || value)
        cJSON_AddStringToObject(out, name, typed ? typed : value);
      free(typed);
    }
  }
  return out;
}

/* A saved plan's resource names and logical IDs, from its changes. */
static const char *plan_logical_of(void *ctx, const char *resource) {
  for (const cJSON *c = cJSON_GetObjectItem((const cJSON *)ctx, "changes")->child; c; c = c->next) {
    const cJSON *r = cJSON_GetObjectItem(c, "resource"), *l = cJSON_GetObjectItem(c, "logical_id");
    if (cJSON_IsString(r) && cJSON_IsString(l) && !strcmp(r->valuestring, resource))
      return l->valuestring;
  }
  return NULL;
}

/* The state at path, or a new one when the file does not exist. */
static cJSON *load_state(const char *path, const char *stack, const char *region) {
  if (access(path, F_OK) != 0)
    return apply_state_new(stack, region);
  cJSON *s = load_doc(path, "state");
  const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(s, "format");
  if (s && !(cJSON_IsString(fmt) && !strcmp(fmt->valuestring, "infrac-state/1"))) {
    fprintf(stderr, "infrac: %s is not an infrac state (infrac-state/1)\n", path);
    cJSON_Delete(s);
    return NULL;
  }
  return s;
}

/* names NULL: a saved plan, whose changes name the resources. */
static int run_steps(const Opts *o, const cJSON *plan, const cJSON *new_t, cJSON *state,
                     const char *stack, const char *region, const char *state_path,
                     Namer *names, const char *done) {
  cJSON *secrets = secret_values(o, cJSON_GetObjectItem(plan, "steps"));
  const char *aws = getenv("INFRAC_AWS");
  ApplyOptions ao = {stack, region, o->endpoint, state_path, aws && *aws ? aws : "aws",
                     secrets, names ? namer_logical_of : plan_logical_of,
                     names ? namer_where : NULL, names ? (void *)names : (void *)plan, false};
  int rc = apply_run(plan, new_t, state, &ao);
  if (!rc)
    printf("\n%s complete. State: %s\n", done, state_path);
  cJSON_Delete(secrets);
  return rc;
}

static char *default_state(const char *stack) {
  char *p = NULL;
  if (asprintf(&p, "%s.state.json", stack) < 0)
    abort();
  return p;
}

/* apply --plan: the saved plan, if the state is still the one it was made for. */
static int apply_saved(const Opts *o) {
  cJSON *plan = load_doc(o->plan, "plan");
  int rc = 1;
  cJSON *state = NULL;
  char *digest = NULL, *path = NULL;
  const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(plan, "format");
  const cJSON *stack = cJSON_GetObjectItemCaseSensitive(plan, "stack");
  const cJSON *region = cJSON_GetObjectItemCaseSensitive(plan, "region");
  const cJSON *base = cJSON_GetObjectItemCaseSensitive(plan, "base");
  const cJSON *tmpl = cJSON_GetObjectItemCaseSensitive(plan, "template");
  if (!plan)
    goto done;
  if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "infrac-plan/1") || !cJSON_IsString(stack) ||
      !cJSON_IsString(region) || !cJSON_IsObject(tmpl) ||
      !cJSON_IsArray(cJSON_GetObjectItem(plan, "steps")) ||
      !cJSON_IsArray(cJSON_GetObjectItem(plan, "changes"))) {
    fprintf(stderr, "infrac: %s is not a saved plan (from infrac plan --format=json)\n", o->plan);
    goto done;
  }
  const cJSON *bstate = cJSON_GetObjectItemCaseSensitive(base, "state");
  const cJSON *bdigest = cJSON_GetObjectItemCaseSensitive(base, "digest");
  if (cJSON_GetObjectItemCaseSensitive(base, "template")) {
    fprintf(stderr, "infrac: %s was planned against a template, not a state: apply needs the "
                    "state of what it changes (infrac plan --against STATE)\n", o->plan);
    goto done;
  }
  if (o->state)
    path = strdup(o->state);
  else if (cJSON_IsString(bstate))
    path = strdup(bstate->valuestring);
  else
    path = default_state(stack->valuestring);
  if (!(state = load_state(path, stack->valuestring, region->valuestring)))
    goto done;
  digest = state_digest(state);
  const cJSON *sres = cJSON_GetObjectItem(state, "resources");
  bool fresh = !sres || !sres->child;
  if (cJSON_IsString(bdigest) ? strcmp(bdigest->valuestring, digest) : !fresh) {
    fprintf(stderr, "infrac: the state %s has changed since %s was planned: plan again\n", path,
            o->plan);
    goto done;
  }
  const char *r = o->region ? o->region : region->valuestring;
  rc = run_steps(o, plan, tmpl, state, stack->valuestring, r, path, NULL, "Apply");
done:
  cJSON_Delete(plan);
  cJSON_Delete(state);
  free(digest);
  free(path);
  return rc;
}

/* apply and destroy: the diff from the state to the stack (or to nothing),
   shown, confirmed, then run. */
static int apply_or_destroy(Opts *o, bool destroy) {
  Stack *st = NULL;
  cJSON *state = NULL, *empty = NULL, *plan = NULL;
  Diff *diff = NULL;
  char *path = NULL;
  int rc = 1;
  if (o->npaths && !(st = stack_open(o->paths, o->npaths, o->params, o->nparams, true, o->cmd)))
    goto done;
  if (destroy) {
    path = strdup(o->state);
    if (access(path, F_OK) != 0) {
      fprintf(stderr, "infrac: no state %s: nothing is known to be deployed\n", path);
      goto done;
    }
  } else {
    path = o->state ? strdup(o->state) : default_state(st->name);
  }
  if (!(state = load_state(path, st ? st->name : "", st ? st->region : "")))
    goto done;
  const char *stack = st ? st->name : cJSON_GetObjectItem(state, "stack")->valuestring;
  const char *region = o->region ? o->region
                       : st      ? st->region
                                 : cJSON_GetObjectItem(state, "region")->valuestring;
  if (st && strcmp(cJSON_GetObjectItem(state, "stack")->valuestring, st->name)) {
    fprintf(stderr, "infrac: %s is the state of stack %s, not %s\n", path,
            cJSON_GetObjectItem(state, "stack")->valuestring, st->name);
    goto done;
  }
  const cJSON *deployed = cJSON_GetObjectItem(state, "template");
  const cJSON *new_t;
  if (destroy) { /* a PATH only names the stack: its template is not needed */
    empty = cJSON_CreateObject();
    cJSON_AddStringToObject(empty, "AWSTemplateFormatVersion", "2010-09-09");
    cJSON_AddObjectToObject(empty, "Resources");
    new_t = empty;
  } else {
    new_t = stack_template(st);
  }
  diff = diff_templates(deployed, new_t);
  char *text = diff_render_text(diff);
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
  Namer names = {st, cJSON_GetObjectItem(state, "resources")};
  ApiPlanOptions po = {stack, region, namer_name_of, &names, names.resources};
  cJSON *steps = apiplan_steps(new_t, deployed, diff, &po);
  const cJSON *err = cJSON_GetObjectItemCaseSensitive(steps, "error");
  if (cJSON_IsString(err)) {
    fprintf(stderr, "infrac: cannot plan: %s\n", err->valuestring);
    cJSON_Delete(steps);
    goto done;
  }
  plan = cJSON_CreateObject();
  cJSON_AddItemToObject(plan, "steps", steps);
  printf("\n");
  rc = run_steps(o, plan, new_t, state, stack, region, path, &names, destroy ? "Destroy" : "Apply");
done:
  cJSON_Delete(plan);
  cJSON_Delete(empty);
  cJSON_Delete(state);
  diff_free(diff);
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
  free(o.paths);
  return rc;
}

int deploy_destroy(int argc, char **argv) {
  Opts o = {.usage = deploy_usage_destroy, .cmd = "destroy", .format = "text"};
  int rc = parse_opts(&o, argc, argv);
  if (rc < 0)
    rc = apply_or_destroy(&o, true);
  free(o.params);
  free(o.paths);
  return rc;
}
