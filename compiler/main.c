/* main.c: the command line. The only place that turns results into exit
   codes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infrac.h"

#define INFRAC_VERSION "0.1.0"

static const char usage[] =
    "infrac: a compiler for infrastructure as code (AWS)\n"
    "\n"
    "usage: infrac COMMAND [options] PATH...\n"
    "\n"
    "commands:\n"
    "  check [--format=text|json|sarif] PATH...  report errors and warnings, write nothing\n"
    "  explain CODE                              explain a diagnostic, as E202 or W601\n"
    "  help [COMMAND]                            this text, or a command's\n"
    "\n"
    "PATH is a .infra file or a directory (every *.infra in it, one stack).\n"
    "Exit status: 0 success (warnings allowed), 1 errors of any kind.\n"
    "Colours on a terminal only, never with NO_COLOR set.\n"
    "\n"
    "options:\n"
    "  -h, --help     this text\n"
    "  --version      the version\n";

static const char usage_check[] =
    "usage: infrac check [--format=text|json|sarif] PATH...\n"
    "\n"
    "Reads the stack in PATH (files, or directories of *.infra files) and reports\n"
    "every error and warning. Writes nothing.\n"
    "\n"
    "  --format=text   gcc-style messages with the source line, on stderr (default)\n"
    "  --format=json   one JSON object on stdout: {\"diagnostics\": [...], \"errors\", \"warnings\"}\n"
    "  --format=sarif  SARIF 2.1.0 on stdout, for code-scanning uploads\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors.\n";

static const char usage_explain[] =
    "usage: infrac explain CODE\n"
    "\n"
    "Prints what a diagnostic means, why it matters, and a wrong and a right\n"
    "example, as in docs/diagnostics.md.\n";

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

static int cmd_check(int argc, char **argv) {
  const char *format = "text";
  char **paths = calloc((size_t)argc + 1, sizeof(char *));
  int npaths = 0;
  for (int i = 0; i < argc; i++) {
    if (!strncmp(argv[i], "--format=", 9))
      format = argv[i] + 9;
    else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage_check, stdout);
      free(paths);
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      free(paths);
      return fail_usage("unknown option '%s' for check", argv[i]);
    } else
      paths[npaths++] = argv[i];
  }
  if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
    free(paths);
    return fail_usage("unknown format '%s': expected text, json or sarif", format);
  }
  if (!npaths) {
    free(paths);
    return fail_usage("%s", "check needs a PATH: a .infra file or a directory");
  }
  Compilation *c = compile_new();
  bool read_ok = compile_add_paths(c, paths, npaths);
  free(paths);
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
  compile_free(c);
  return rc;
}

static int cmd_explain(int argc, char **argv) {
  if (argc != 1)
    return fail_usage("%s", "explain takes one code, as: infrac explain E202");
  size_t len;
  const char *text = explain_lookup(argv[0], &len);
  if (!text)
    return fail_usage("no diagnostic '%s': codes run E001 to W605", argv[0]);
  fwrite(text, 1, len, stdout);
  return 0;
}

static int cmd_help(int argc, char **argv) {
  if (argc == 0) {
    fputs(usage, stdout);
    return 0;
  }
  if (!strcmp(argv[0], "check"))
    fputs(usage_check, stdout);
  else if (!strcmp(argv[0], "explain"))
    fputs(usage_explain, stdout);
  else
    return fail_usage("no command '%s'", argv[0]);
  return 0;
}

int main(int argc, char **argv) {
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
  if (!strcmp(cmd, "check"))
    return cmd_check(argc - 2, argv + 2);
  if (!strcmp(cmd, "explain"))
    return cmd_explain(argc - 2, argv + 2);
  if (!strcmp(cmd, "help"))
    return cmd_help(argc - 2, argv + 2);
  return fail_usage("unknown command '%s'", cmd);
}
