/* policy_cmd.c: infrac policy. The IAM policy that lets `infrac apply` run
   the plan of a stack and nothing else: the plan is made as apply makes it
   (against a state when given), then backends/iampolicy.c turns its calls
   into statements. With --for=cloudformation, the policy of the service
   role CloudFormation deploys the built template with
   (backends/cfnpolicy.c). No network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "cfnpolicy.h"
#include "deploy.h"
#include "deploydoc.h"
#include "diff.h"
#include "iampolicy.h"
#include "output.h"
#include "policy_cmd.h"
#include "stack.h"

const char policy_usage[] =
    "usage: infrac policy [--for=apply|cloudformation] [--against FILE] [--refresh]\n"
    "                     [--format=json|text] [--params FILE] [--param K=V]...\n"
    "                     [-o FILE] PATH...\n"
    "\n"
    "Writes the IAM policy that permits exactly the AWS calls `infrac apply` makes\n"
    "for the stack in PATH: each step's call, the describe calls its waits repeat,\n"
    "what AWS authorizes besides a call (tags given at creation, iam:PassRole\n"
    "for the roles the stack passes, the service-linked roles a first balancer,\n"
    "cluster or database creates), and what the handlers of the types apply\n"
    "drives through Cloud Control call. Statements are one per service, narrowed\n"
    "to the ARNs of the roles, instance profiles and repositories the stack names.\n"
    "Nothing is sent to AWS.\n"
    "\n"
    "  --for=apply       the policy of whoever runs `infrac apply` (default)\n"
    "  --for=cloudformation\n"
    "                    the policy of the service role CloudFormation deploys the\n"
    "                    built template with: what each type's handlers call (the\n"
    "                    registry schemas' handler permissions), create and\n"
    "                    rollback for a new resource, update, replace or delete\n"
    "                    for a change\n"
    "  --against FILE    the calls of the changes against what is deployed: a\n"
    "                    state for apply; a template (as get-template gives it)\n"
    "                    or a state for cloudformation (default: the creation of\n"
    "                    the whole stack)\n"
    "  --refresh         also what `apply --refresh` and `plan --refresh` read: the\n"
    "                    describe calls of every resource of the state and the stack\n"
    "  --format=json     the policy document (default)\n"
    "  --format=text     each statement with the declarations that need each\n"
    "                    action, and why\n"
    "  --params FILE     the params' values, as name = value lines (an environment)\n"
    "  --param K=V       a value for a param, as for plan, over --params\n"
    "  -o FILE           write there instead of stdout, whole or not at all\n"
    "\n"
    "Exit status: 0 written, 1 errors in the stack or the state, 2 usage.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "infrac: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n\n%s", policy_usage);
  return 2;
}

/* The policy of apply's calls: the plan as apply makes it, against a state
   when given. NULL after the errors (on stderr, or in *err). */
static cJSON *apply_policy(char **paths, int npaths, char **params, int nparams, char **files,
                           int nfiles, const char *against, bool refresh, char **text,
                           char **err) {
  char msg[768] = "";
  cJSON *state = NULL, *steps = NULL, *doc = NULL;
  Stack *st = NULL;
  if (against && !(state = deploydoc_read(against, DOC_STATE, msg, sizeof msg))) {
    *err = strdup(msg);
    return NULL;
  }
  if (!(st = stack_open(paths, npaths, params, nparams, files, nfiles, true, "policy")) ||
      !stack_api_plan_covers(st))
    goto done;
  const cJSON *old_t = state ? cJSON_GetObjectItemCaseSensitive(state, "template") : NULL;
  const cJSON *resources = state ? cJSON_GetObjectItemCaseSensitive(state, "resources") : NULL;
  const cJSON *new_t = stack_api_template(st); /* apply's template: conditions decided */
  if (!new_t) goto done;
  Diff *diff = state ? diff_templates(old_t, new_t) : NULL;
  ApiPlanOptions po = {st->name, st->region, stack_name_of, st, resources, stack_where};
  steps = apiplan_steps(new_t, old_t, diff, &po);
  if (diff) diff_free(diff);
  if (!steps) {
    *err = strdup("cannot plan the stack");
    goto done;
  }
  IamPolicyOptions io = {st->region, {NULL, NULL}, stack_name_of, st};
  if (refresh) {
    io.refresh[0] = old_t;
    io.refresh[1] = new_t;
  }
  doc = iampolicy_for_steps(steps, &io, text, err);
done:
  cJSON_Delete(steps);
  cJSON_Delete(state);
  stack_close(st);
  return doc;
}

/* The policy of the CloudFormation service role: the template `infrac
   build` writes, against a deployed template or state when given. */
static cJSON *cloudformation_policy(char **paths, int npaths, char **params, int nparams,
                                    char **files, int nfiles, const char *against, char **text,
                                    char **err) {
  Deployed *d = NULL;
  Stack *st = NULL;
  cJSON *doc = NULL;
  if (against && !(d = deploy_against_open(against))) return NULL;
  if ((st = stack_open(paths, npaths, params, nparams, files, nfiles, false, "policy"))) {
    const cJSON *t = stack_template(st);
    if (t)
      doc = cfnpolicy_for_template(d ? deploy_against_template(d) : NULL, t, st->region, st->name,
                                   stack_name_of, st, text, err);
  }
  stack_close(st);
  deploy_against_close(d);
  return doc;
}

int policy_command(int argc, char **argv) {
  const char *against = NULL, *format = "json", *out_path = "-", *target = "apply";
  bool refresh = false;
  char **paths = calloc((size_t)argc + 1, sizeof *paths);
  char **params = calloc((size_t)argc + 1, sizeof *params);
  char **files = calloc((size_t)argc + 1, sizeof *files);
  int npaths = 0, nparams = 0, nfiles = 0, rc = 1;
  cJSON *doc = NULL;
  char *text = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(policy_usage, stdout);
      rc = 0;
      goto done;
    } else if (!strcmp(a, "--against") && more) {
      against = argv[++i];
    } else if (!strncmp(a, "--against=", 10)) {
      against = a + 10;
    } else if (!strcmp(a, "--refresh")) {
      refresh = true;
    } else if (!strcmp(a, "--for") && more) {
      target = argv[++i];
    } else if (!strncmp(a, "--for=", 6)) {
      target = a + 6;
    } else if (!strncmp(a, "--format=", 9)) {
      format = a + 9;
    } else if (!strcmp(a, "--param") && more) {
      params[nparams++] = argv[++i];
    } else if (!strncmp(a, "--param=", 8)) {
      params[nparams++] = (char *)a + 8;
    } else if ((!strcmp(a, "--params") || !strcmp(a, "--param-file")) && more) {
      files[nfiles++] = argv[++i];
    } else if (!strncmp(a, "--params=", 9)) {
      files[nfiles++] = (char *)a + 9;
    } else if (!strcmp(a, "-o") && more) {
      out_path = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      rc = usage_error(!strcmp(a, "--against") || !strcmp(a, "--param") || !strcmp(a, "-o") ||
                               !strcmp(a, "--for") ||
                               !strcmp(a, "--params") || !strcmp(a, "--param-file")
                           ? "option '%s' needs a value"
                           : "unknown option '%s' for policy",
                       a);
      goto done;
    } else {
      paths[npaths++] = argv[i];
    }
  }
  if (strcmp(format, "json") && strcmp(format, "text")) {
    rc = usage_error("unknown format '%s': expected json or text", format);
    goto done;
  }
  bool cfn = !strcmp(target, "cloudformation");
  if (!cfn && strcmp(target, "apply")) {
    rc = usage_error("unknown target '%s': expected --for=apply or --for=cloudformation", target);
    goto done;
  }
  if (cfn && refresh) {
    rc = usage_error("%s", "--refresh is apply's: CloudFormation reads nothing of its own");
    goto done;
  }
  if (!npaths) {
    rc = usage_error("%s", "policy needs a PATH: a .infra file or a directory");
    goto done;
  }
  char *err = NULL;
  if (cfn) {
    doc = cloudformation_policy(paths, npaths, params, nparams, files, nfiles, against, &text, &err);
  } else {
    doc = apply_policy(paths, npaths, params, nparams, files, nfiles, against, refresh, &text,
                       &err);
  }
  if (!doc) {
    if (err) fprintf(stderr, "infrac: %s\n", err);
    free(err);
    goto done;
  }
  char *json = cJSON_Print(doc);
  Output out;
  if (output_open(&out, out_path)) {
    fputs(!strcmp(format, "json") ? json : text, out.f);
    if (!strcmp(format, "json")) fputc('\n', out.f);
    rc = output_close(&out, 0) ? 0 : 1;
  }
  cJSON_free(json);
done:
  free(text);
  cJSON_Delete(doc);
  free(paths);
  free(params);
  free(files);
  return rc;
}
