/* policy_cmd.c: infrac policy. The IAM policy that lets `infrac apply` run
   the plan of a stack and nothing else: the plan is made as apply makes it
   (against a state when given), then backends/iampolicy.c turns its calls
   into statements. No network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "deploydoc.h"
#include "diff.h"
#include "iampolicy.h"
#include "output.h"
#include "policy_cmd.h"
#include "stack.h"

const char policy_usage[] =
    "usage: infrac policy [--against STATE] [--format=json|text] [--params FILE]\n"
    "                     [--param K=V]... [-o FILE] PATH...\n"
    "\n"
    "Writes the IAM policy that permits exactly the AWS calls `infrac apply` makes\n"
    "for the stack in PATH: each step's call, the describe calls its waits repeat,\n"
    "and what AWS authorizes besides a call (tags given at creation, iam:PassRole\n"
    "for the roles the stack passes, the service-linked roles a first balancer,\n"
    "cluster or database creates). Statements are one per service, narrowed to\n"
    "the ARNs of the roles, instance profiles and repositories the stack names.\n"
    "Nothing is sent to AWS.\n"
    "\n"
    "  --against STATE   the calls of the changes against that state (default:\n"
    "                    the creation of the whole stack)\n"
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

int policy_command(int argc, char **argv) {
  const char *against = NULL, *format = "json", *out_path = "-";
  char **paths = calloc((size_t)argc + 1, sizeof *paths);
  char **params = calloc((size_t)argc + 1, sizeof *params);
  char **files = calloc((size_t)argc + 1, sizeof *files);
  int npaths = 0, nparams = 0, nfiles = 0, rc = 1;
  Stack *st = NULL;
  cJSON *state = NULL, *steps = NULL, *doc = NULL;
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
  if (!npaths) {
    rc = usage_error("%s", "policy needs a PATH: a .infra file or a directory");
    goto done;
  }
  char err[768] = "";
  if (against && !(state = deploydoc_read(against, DOC_STATE, err, sizeof err))) {
    fprintf(stderr, "infrac: %s\n", err);
    goto done;
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
    fprintf(stderr, "infrac: cannot plan the stack\n");
    goto done;
  }
  doc = iampolicy_for_steps(steps, st->region, &text);
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
  cJSON_Delete(steps);
  cJSON_Delete(state);
  stack_close(st);
  free(paths);
  free(params);
  free(files);
  return rc;
}
