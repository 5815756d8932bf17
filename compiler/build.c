/* build.c: `infrac build`: check the stack, lower it to the resource graph
   and write one template. The output file is replaced through a temporary
   file in its directory: on any error nothing is written. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "build.h"
#include "cfn_json.h"
#include "cfn_yaml.h"
#include "output.h"
#include "stack.h"

const char build_usage[] =
    "usage: infrac build [-o FILE] [--emit=cfn-json|cfn-yaml|api-plan] [--params FILE]\n"
    "                    [--param NAME=VALUE]... PATH...\n"
    "\n"
    "Checks the stack in PATH (files, or directories of *.infra files) as check\n"
    "does and, when it has no error, writes it as a CloudFormation template or as\n"
    "the AWS API calls that create it.\n"
    "Warnings are reported on stderr and do not stop the build.\n"
    "\n"
    "  -o FILE              write FILE (through a temporary file and a rename, so\n"
    "                       that an error leaves FILE as it was); - or no -o: stdout\n"
    "  --emit=cfn-json      a CloudFormation template in JSON (default)\n"
    "  --emit=cfn-yaml      the same template in YAML, with !Ref, !GetAtt and !Sub\n"
    "  --emit=api-plan      infrac-plan/1: the AWS API calls that create every\n"
    "                       resource, in dependency order (what infrac apply runs)\n"
    "  --params FILE        the Defaults of params, as name = value lines in the\n"
    "                       language, one file per environment (staging.params);\n"
    "                       each value must fit its param's type. Also --param-file\n"
    "  --param NAME=VALUE   the Default of param NAME in the template, over --params;\n"
    "                       VALUE must fit the param's type. A secret param is\n"
    "                       refused: its value is given when the stack is deployed,\n"
    "                       never in a template.\n"
    "\n"
    "The same stack gives the same bytes. Logical IDs come from the names:\n"
    "subnet public_a is PublicASubnet, its parts add a suffix (ApiAlbListener443).\n"
    "\n"
    "Exit status: 0 written (warnings allowed), 1 errors (nothing written).\n";

/* An emitter writes its output to f and returns 0, or the errno of a
   failed write, or -1 when it could not make the output (and said why). */
static int put_text(char *text, FILE *f) {
  int err = fputs(text, f) < 0 ? (errno ? errno : EIO) : 0;
  free(text);
  return err;
}

static int emit_cfn_json(Stack *st, FILE *f) {
  return put_text(cfn_json_render_ir(st->ir), f);
}

static int emit_cfn_yaml(Stack *st, FILE *f) {
  char *text = cfn_yaml_render(stack_template(st));
  if (!text) {
    fputs("infrac: cannot render the cfn-yaml output\n", stderr);
    return -1;
  }
  return put_text(text, f);
}

/* Everything is a create: the plan of a stack against nothing deployed,
   written as it is made (its text is 250 MB at 100,000 resources). */
static int emit_api_plan(Stack *st, FILE *f) {
  if (!stack_api_plan_covers(st)) return -1;
  ApiPlanOptions opt = {st->name, st->region, stack_name_of, st, NULL, stack_where};
  const cJSON *t = stack_api_template(st); /* its conditions decided */
  Diff *diff = diff_templates(NULL, t);
  char *error = NULL;
  JsonOut o = {.sink = f};
  bool planned = apiplan_render(&o, t, NULL, diff, &opt, NULL, &error);
  diff_free(diff);
  free(o.s);
  if (!planned) {
    fprintf(stderr, "infrac: cannot plan: %s\n", error);
    free(error);
    return -1;
  }
  return o.error;
}

/* ORDER: the formats --emit names, the default first. */
static const struct {
  const char *name;
  int (*emit)(Stack *st, FILE *f);
} emitters[] = {
    {"cfn-json", emit_cfn_json},
    {"cfn-yaml", emit_cfn_yaml},
    {"api-plan", emit_api_plan},
};

static int fail(const char *fmt, const char *arg) {
  fputs("infrac: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nrun 'infrac build --help' for usage\n", stderr);
  return 1;
}

int build_main(int argc, char **argv) {
  const char *out = "-", *emit = emitters[0].name;
  char **paths = calloc((size_t)argc + 1, sizeof(char *));
  char **params = calloc((size_t)argc + 1, sizeof(char *));
  char **files = calloc((size_t)argc + 1, sizeof(char *));
  int npaths = 0, nparams = 0, nfiles = 0, rc = 1;
  Stack *st = NULL;
  if (!paths || !params || !files) abort();
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(build_usage, stdout);
      rc = 0;
      goto done;
    } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--param") ||
               !strcmp(a, "--params") || !strcmp(a, "--param-file")) {
      if (i + 1 == argc) {
        rc = fail("%s needs a value", a);
        goto done;
      }
      if (!strcmp(a, "--param"))
        params[nparams++] = argv[++i];
      else if (strcmp(a, "-o") && strcmp(a, "--output"))
        files[nfiles++] = argv[++i];
      else
        out = argv[++i];
    } else if (!strncmp(a, "--output=", 9)) {
      out = a + 9;
    } else if (!strncmp(a, "--param=", 8)) {
      params[nparams++] = (char *)a + 8;
    } else if (!strncmp(a, "--params=", 9) || !strncmp(a, "--param-file=", 13)) {
      files[nfiles++] = strchr(a, '=') + 1;
    } else if (!strncmp(a, "--emit=", 7)) {
      emit = a + 7;
    } else if (a[0] == '-' && a[1]) {
      rc = fail("unknown option '%s' for build", a);
      goto done;
    } else {
      paths[npaths++] = argv[i];
    }
  }
  size_t e = 0;
  while (e < countof(emitters) && strcmp(emitters[e].name, emit))
    e++;
  if (e == countof(emitters)) {
    rc = fail("unknown --emit '%s': expected cfn-json, cfn-yaml or api-plan", emit);
    goto done;
  }
  if (!npaths) {
    rc = fail("%s", "build needs a PATH: a .infra file or a directory");
    goto done;
  }
  if (!*out) {
    rc = fail("%s", "-o needs a file name, or - for stdout");
    goto done;
  }
  if (!(st = stack_open(paths, npaths, params, nparams, files, nfiles, false, "build")))
    goto done;
  Output output;
  if (output_open(&output, out))
    rc = output_close(&output, emitters[e].emit(st, output.f)) ? 0 : 1;
done:
  stack_close(st);
  free(paths);
  free(params);
  free(files);
  return rc;
}
