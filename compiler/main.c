/* main.c: the command line. The only place that turns results into exit
   codes. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "deploy.h"
#include "fmt.h"
#include "graph.h"
#include "import.h"
#include "infrac.h"
#include "lsp.h"
#include "params.h"
#include "policy_cmd.h"

#define INFRAC_VERSION "0.1.0"

static const char usage[] =
    "infrac: a compiler for infrastructure as code (AWS)\n"
    "\n"
    "usage: infrac COMMAND [options] PATH...\n"
    "\n"
    "commands:\n"
    "  check [--format=text|json|sarif] PATH...  report errors and warnings, write nothing\n"
    "  build [-o FILE] [--emit=FORMAT] PATH...   a CloudFormation template (JSON or YAML)\n"
    "                                            or the AWS API calls (api-plan)\n"
    "  plan [--against FILE] PATH...             what would change against what is deployed\n"
    "  apply [--state FILE] PATH                 make the changes with AWS API calls\n"
    "  destroy --state FILE [PATH]               delete what apply made\n"
    "  policy [--for=TARGET] PATH...             the IAM policy of apply's calls, or of a\n"
    "                                            CloudFormation service role\n"
    "  explain CODE                              explain a diagnostic, as E202 or W601\n"
    "  fmt [--check] [-] PATH...                 rewrite files in the canonical layout\n"
    "  graph [--format=F] [--reach] PATH...      the stack as a picture (Graphviz)\n"
    "  import [-o FILE|DIR] TEMPLATE             a CloudFormation template as .infra source\n"
    "  import -o DIR TEMPLATE...                 several templates, in one process\n"
    "  import --live --region R [-o DIR]         what is deployed as .infra source and its state\n"
    "  lsp                                       language server (LSP 3.17) on stdin/stdout\n"
    "  help [COMMAND]                            this text, or a command's\n"
    "\n"
    "PATH is a .infra file or a directory (every *.infra in it, one stack).\n"
    "check, build, plan and apply take --params FILE: the params' values as\n"
    "name = value lines (one file per environment), and --param K=V over it.\n"
    "Exit status: 0 success (warnings allowed), 1 errors of any kind\n"
    "(plan --detailed-exitcode: 2 when there are changes).\n"
    "Colours on a terminal only, never with NO_COLOR set.\n"
    "\n"
    "options:\n"
    "  -h, --help     this text\n"
    "  --version      the version\n";

static const char usage_check[] =
    "usage: infrac check [--format=text|json|sarif] [--params FILE] [--param K=V]... PATH...\n"
    "\n"
    "Reads the stack in PATH (files, or directories of *.infra files) and reports\n"
    "every error and warning. Writes nothing.\n"
    "\n"

    "  --format=text   gcc-style messages with the source line, on stderr (default)\n"
    "  --format=json   one JSON object on stdout: {\"diagnostics\": [...], \"errors\", \"warnings\"}\n"
    "  --format=sarif  SARIF 2.1.0 on stdout, for code-scanning uploads\n"
    "  --params FILE   the params' values, as name = value lines in the language\n"
    "                  (one file per environment: staging.params); the checks see\n"
    "                  them, and each is checked against its param's type. Also\n"
    "                  --param-file FILE\n"
    "  --param K=V     a param's value, over --params (repeatable)\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors.\n";

static const char usage_explain[] =
    "usage: infrac explain CODE\n"
    "\n"
    "Prints what a diagnostic means, why it matters, and a wrong and a right\n"
    "example, as in docs/diagnostics.md.\n";

static const char usage_fmt[] =
    "usage: infrac fmt [--check] [-] PATH...\n"
    "\n"
    "Rewrites each file (a directory: its *.infra files) in the canonical layout\n"
    "and prints the names of the files it changed. Comments are kept where they\n"
    "were; the meaning never changes (fmt checks that the result parses to the\n"
    "same syntax tree before it writes). A file with syntax errors is left as it\n"
    "is and its errors are reported. Files are replaced through a temporary file.\n"
    "\n"
    "  --check  write nothing; list the files that are not in the canonical layout\n"
    "  -        read standard input, write the result on standard output\n"
    "\n"
    "The layout: two-space indent; '=' aligned within a run of attributes, and\n"
    "statements aligned in columns; one blank line between declarations, but\n"
    "one-line declarations of one sort (params, outputs, subnets...) written on\n"
    "consecutive lines stay together, aligned as a table; a block written on one\n"
    "line stays on one line while it fits in 100 columns; a list is broken one\n"
    "item a line only when it does not fit; trailing comments line up from\n"
    "column 39. See docs/language.md, \"Layout\".\n"
    "\n"
    "Exit status: 0 done (or, with --check, nothing to change), 1 a file would\n"
    "change (--check), or errors.\n";

static const char usage_graph[] =
    "usage: infrac graph [--format=dot|svg|png] [--reach] PATH...\n"
    "\n"
    "Draws the stack in PATH: the region, each VPC in it, the availability zones\n"
    "in a VPC, the subnets in their zone and what stands in a subnet (instances,\n"
    "NAT gateways); what spans subnets (load balancers, databases, route tables)\n"
    "once in its VPC with edges to its subnets; regional services (ECS,\n"
    "registries, logs, certificates) in the region, Route 53, IAM and the\n"
    "Internet outside it. An edge A -> B says that A refers to B. The output\n"
    "goes to stdout and is the same for the same stack.\n"
    "\n"
    "  --format=dot  Graphviz DOT (default)\n"
    "  --format=svg  SVG, drawn by Graphviz's dot (apt-get install graphviz)\n"
    "  --format=png  PNG, likewise\n"
    "  --reach       also draw in red what the internet reaches: gateway, route\n"
    "                table, subnet, address, security group and target, the\n"
    "                last edge labelled with the ports (warning W607 explains)\n"
    "\n"
    "Exit status: 0 drawn, 1 errors in the stack (reported as check does), or\n"
    "dot missing or failing.\n";
static const char usage_lsp[] =
    "usage: infrac lsp\n"
    "\n"
    "A language server (LSP 3.17) on stdin and stdout, for editors: diagnostics as\n"
    "`infrac check` reports them, hover, definition, references, rename, document\n"
    "symbols, completion and quick fixes. A file is checked with the *.infra files\n"
    "of its directory, as `infrac check DIR` does (unsaved text over the files on\n"
    "disk). Started by the editor; see docs/lsp.md for VS Code and Neovim.\n"
    "\n"
    "  --stdio   accepted and ignored: stdin/stdout is the only transport\n"
    "\n"
    "Diagnostic codes link to docs/diagnostics.md on GitHub; set INFRAC_DOCS_URL\n"
    "(or initializationOptions.diagnosticsUrl) to another base, such as a file:// URL.\n"
    "Exit status: 0 after shutdown and exit, 1 when input ends without shutdown.\n";

static int fail_usage(const char *fmt, const char *arg) {
  fputs("infrac: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nrun 'infrac --help' for usage\n", stderr);
  return 1;
}

static bool use_color(void) {
  const char *nc = getenv("NO_COLOR");
  return isatty(STDERR_FILENO) && !(nc && *nc);
}

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]: the value, advancing *i; NULL if
   not opt, or if its value is missing (*missing then). */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *missing) {
  size_t n = strlen(opt);
  if (strncmp(argv[*i], opt, n) || (argv[*i][n] && argv[*i][n] != '='))
    return NULL;
  if (argv[*i][n] == '=')
    return argv[*i] + n + 1;
  *missing = *i + 1 >= argc;
  return *missing ? NULL : argv[++*i];
}

static int cmd_check(int argc, char **argv) {
  const char *format = "text", *v;
  char **paths = calloc((size_t)argc + 1, sizeof(char *));
  char **params = calloc((size_t)argc + 1, sizeof(char *));
  char **files = calloc((size_t)argc + 1, sizeof(char *));
  int npaths = 0, nparams = 0, nfiles = 0;
  for (int i = 0; i < argc; i++) {
    bool missing = false;
    if (!strncmp(argv[i], "--format=", 9))
      format = argv[i] + 9;
    else if ((v = opt_value(argc, argv, &i, "--param", &missing)))
      params[nparams++] = (char *)v;
    else if ((v = opt_value(argc, argv, &i, "--params", &missing)) ||
             (v = opt_value(argc, argv, &i, "--param-file", &missing)))
      files[nfiles++] = (char *)v;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage_check, stdout);
      free(paths), free(params), free(files);
      return 0;
    } else if (missing || (argv[i][0] == '-' && argv[i][1])) {
      free(paths), free(params), free(files);
      return fail_usage(missing ? "%s needs a value" : "unknown option '%s' for check", argv[i]);
    } else
      paths[npaths++] = argv[i];
  }
  if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
    free(paths), free(params), free(files);
    return fail_usage("unknown format '%s': expected text, json or sarif", format);
  }
  if (!npaths) {
    free(paths), free(params), free(files);
    return fail_usage("%s", "check needs a PATH: a .infra file or a directory");
  }
  Compilation *c = compile_new();
  bool read_ok = true;
  for (int i = 0; i < nparams && read_ok; i++)
    if (!params_add(c, params[i])) {
      fprintf(stderr, "infrac: --param takes NAME=VALUE, not '%s'\n", params[i]);
      read_ok = false;
    }
  read_ok = read_ok && compile_add_paths(c, paths, npaths);
  for (int i = 0; i < nfiles && read_ok; i++)
    read_ok = params_file_add(c, files[i]);
  free(paths), free(params), free(files);
  if (read_ok)
    compile_run(c);
  if (!strcmp(format, "text")) {
    diag_render_text(c, stderr, use_color());
  } else {
    char *s = !strcmp(format, "json") ? diag_render_json(c) : diag_render_sarif(c);
    puts(s);
    free(s);
  }
  int rc = !read_ok || c->nerrors ? 1 : 0;
  if (read_ok && !params_check(c, stderr, true))
    rc = 1;
  compile_free(c);
  return rc;
}

static int cmd_fmt(int argc, char **argv) {
  unsigned flags = use_color() ? FMT_COLOR : 0;
  char **paths = calloc((size_t)argc + 1, sizeof(char *));
  int npaths = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--check"))
      flags |= FMT_CHECK;
    else if (!strcmp(argv[i], "--ast-dump")) /* for the tests: the AST without spans */
      flags |= FMT_AST_DUMP;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage_fmt, stdout);
      free(paths);
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      free(paths);
      return fail_usage("unknown option '%s' for fmt", argv[i]);
    } else
      paths[npaths++] = argv[i];
  }
  if (!npaths) {
    free(paths);
    return fail_usage("%s", "fmt needs a PATH: a .infra file, a directory, or - for stdin");
  }
  FmtResult r = fmt_paths(paths, npaths, flags);
  free(paths);
  return r.errors || ((flags & FMT_CHECK) && r.changed) ? 1 : 0;
}

static int cmd_graph(int argc, char **argv) {
  const char *format = "dot";
  bool reach = false;
  char **paths = calloc((size_t)argc + 1, sizeof(char *));
  int npaths = 0;
  for (int i = 0; i < argc; i++) {
    if (!strncmp(argv[i], "--format=", 9))
      format = argv[i] + 9;
    else if (!strcmp(argv[i], "--reach"))
      reach = true;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage_graph, stdout);
      free(paths);
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      free(paths);
      return fail_usage("unknown option '%s' for graph", argv[i]);
    } else
      paths[npaths++] = argv[i];
  }
  if (strcmp(format, "dot") && strcmp(format, "svg") && strcmp(format, "png")) {
    free(paths);
    return fail_usage("unknown format '%s': expected dot, svg or png", format);
  }
  if (!npaths) {
    free(paths);
    return fail_usage("%s", "graph needs a PATH: a .infra file or a directory");
  }
  Compilation *c = compile_new();
  bool read_ok = compile_add_paths(c, paths, npaths);
  free(paths);
  if (read_ok)
    compile_run(c);
  int rc = 0;
  if (!read_ok || c->nerrors) {
    diag_render_text(c, stderr, use_color());
    rc = 1;
  } else {
    Buf dot = {0};
    graph_dot(c, &dot, reach);
    if (!strcmp(format, "dot")) {
      fwrite(dot.s, 1, dot.len, stdout);
    } else if ((rc = graph_render(dot.s, dot.len, format)) == 127) {
      fprintf(stderr, "infrac: --format=%s needs Graphviz's dot, which is not installed\n"
                      "  install it with: apt-get install graphviz\n"
                      "  or write DOT and draw it elsewhere: infrac graph PATH > stack.dot\n",
              format);
      rc = 1;
    } else if (rc) {
      fprintf(stderr, "infrac: dot -T%s failed\n", format);
    }
    buf_free(&dot);
  }
  compile_free(c);
  return rc;
}

static int cmd_explain(int argc, char **argv) {
  if (argc != 1)
    return fail_usage("%s", "explain takes one code, as: infrac explain E202");
  size_t len;
  char code[8] = "";
  for (size_t i = 0; argv[0][i] && i < sizeof code - 1; i++) /* e101 is E101 */
    code[i] = (char)toupper((unsigned char)argv[0][i]);
  const char *text = strlen(argv[0]) < sizeof code ? explain_lookup(code, &len) : NULL;
  if (!text)
    return fail_usage("no diagnostic '%s': codes run E001 to W609", argv[0]);
  fwrite(text, 1, len, stdout);
  return 0;
}

static int cmd_lsp(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage_lsp, stdout);
      return 0;
    }
    if (strcmp(argv[i], "--stdio"))
      return fail_usage("unknown option '%s' for lsp", argv[i]);
  }
  return lsp_main(STDIN_FILENO, STDOUT_FILENO, INFRAC_VERSION);
}

static const char usage_help[] =
    "usage: infrac help [COMMAND]\n"
    "\n"
    "Prints the list of commands, or the usage of one command.\n";

static int cmd_help(int argc, char **argv);

/* The commands: what `infrac NAME` runs, and what `infrac help NAME` prints. */
static const struct {
  const char *name;
  const char *usage;
  int (*run)(int argc, char **argv);
} commands[] = {
    {"check", usage_check, cmd_check},
    {"build", build_usage, build_main},
    {"plan", deploy_usage_plan, deploy_plan},
    {"apply", deploy_usage_apply, deploy_apply},
    {"destroy", deploy_usage_destroy, deploy_destroy},
    {"policy", policy_usage, policy_command},
    {"explain", usage_explain, cmd_explain},
    {"fmt", usage_fmt, cmd_fmt},
    {"graph", usage_graph, cmd_graph},
    {"import", import_usage, import_main},
    {"lsp", usage_lsp, cmd_lsp},
    {"help", usage_help, cmd_help},
};

static int cmd_help(int argc, char **argv) {
  if (argc == 0) {
    fputs(usage, stdout);
    return 0;
  }
  for (size_t i = 0; i < countof(commands); i++)
    if (!strcmp(argv[0], commands[i].name)) {
      fputs(commands[i].usage, stdout);
      return 0;
    }
  return fail_usage("no command '%s'", argv[0]);
}

static int run(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return 1;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
    return cmd_help(0, NULL);
  if (!strcmp(cmd, "--version")) {
    puts("infrac " INFRAC_VERSION);
    return 0;
  }
  for (size_t i = 0; i < countof(commands); i++)
    if (!strcmp(cmd, commands[i].name))
      return commands[i].run(argc - 2, argv + 2);
  return fail_usage("unknown command '%s'", cmd);
}

/* stdout is buffered: a write error (a full disk, a closed pipe) may show
   only when it is flushed at exit, and must not end in status 0. */
int main(int argc, char **argv) {
  int rc = run(argc, argv);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "infrac: cannot write standard output: %s\n", strerror(errno));
    return 1;
  }
  return rc;
}
