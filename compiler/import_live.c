/* import_live.c: `infrac import --live`, what is deployed in a region as
   .infra source and the state that records it. What is found and read is
   backends/awsdiscover.c's; the template it makes is written as source by
   the template importer (import_template), so that `plan DIR --against
   STATE --refresh` says "No changes.". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "awsdiscover.h"
#include "cfn_parts.h"
#include "import.h"
#include "infrac.h"
#include "lower.h"
#include "termtext.h"

const char import_live_usage[] =
    "usage: infrac import --live --region R [--vpc ID | --tag K=V] [--include-defaults]\n"
    "                     [--stack NAME] [--endpoint-url URL] [--profile P] [-o DIR]\n"
    "\n"
    "Reads what is deployed in region R with Describe, Get and List calls (VPCs,\n"
    "subnets, internet and NAT gateways, route tables, security groups,\n"
    "instances and Elastic IPs, databases and their subnet groups, zones and\n"
    "records, certificates, target groups, load balancers and listeners, ECR\n"
    "repositories, ECS clusters, task definitions and services, log groups, and\n"
    "the roles and instance profiles these use) and writes DIR/NAME.infra, in\n"
    "the kinds where they build back to what was read (so that their checks\n"
    "apply), and the state that records it, DIR/NAME.state.json: `infrac plan\n"
    "DIR/NAME.infra --against DIR/NAME.state.json --refresh` says \"No changes.\".\n"
    "\n"
    "  --region R           the region to read (required)\n"
    "  --vpc ID             only that VPC, what is in it or refers to it, and what\n"
    "                       these use\n"
    "  --tag K=V            only what has the tag K=V, and what it uses\n"
    "  --include-defaults   also what AWS made by itself: the default VPC and what\n"
    "                       is in it, main route tables, default security groups,\n"
    "                       the local route, a zone's NS and SOA records\n"
    "  --stack NAME         the stack's name (default: live)\n"
    "  --endpoint-url URL   another endpoint (default: $AWS_ENDPOINT_URL, else AWS's)\n"
    "  --profile P          the credentials of profile P\n"
    "  -o DIR               where to write (default: the current directory)\n"
    "\n"
    "A database's password is never read: it is a `secret` param of the source,\n"
    "given when applying (INFRAC_PARAM_NAME). Nothing is written on error.\n";

static int usage_error(const char *fmt, const char *a) {
  fprintf(stderr, "infrac: ");
  fprintf(stderr, fmt, a);
  fprintf(stderr, "\n%s", import_live_usage);
  return 2;
}

static bool is_name(const char *s) {
  if (!*s || !((*s >= 'a' && *s <= 'z') || *s == '_')) return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
  return true;
}

int import_live_main(int argc, char **argv) {
  DiscoverScope scope = {0};
  const char *region = NULL, *dir = ".", *stack = "live", *endpoint = NULL, *profile = NULL;
  char *tag = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool next = i + 1 < argc;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(import_live_usage, stdout);
      free(tag);
      return 0;
    }
    if (!strcmp(a, "--live"))
      continue;
    if (!strcmp(a, "--include-defaults"))
      scope.include_defaults = true;
    else if (!strcmp(a, "--region") && next)
      region = argv[++i];
    else if (!strcmp(a, "--vpc") && next)
      scope.vpc = argv[++i];
    else if (!strcmp(a, "--tag") && next && strchr(argv[i + 1], '=') && !tag)
      tag = strdup(argv[++i]);
    else if (!strcmp(a, "--stack") && next)
      stack = argv[++i];
    else if (!strcmp(a, "--endpoint-url") && next)
      endpoint = argv[++i];
    else if (!strcmp(a, "--profile") && next)
      profile = argv[++i];
    else if (!strcmp(a, "-o") && next)
      dir = argv[++i];
    else {
      free(tag);
      return usage_error(a[0] == '-' ? "unknown or incomplete option '%s' for import --live"
                                     : "import --live reads no file ('%s')",
                         a);
    }
  }
  if (!region) {
    free(tag);
    return usage_error("import --live needs --region%s", "");
  }
  if (scope.vpc && tag) {
    free(tag);
    return usage_error("import --live takes --vpc or --tag, not both%s", "");
  }
  if (!is_name(stack)) {
    free(tag);
    return usage_error("--stack '%s' is not a name (small letters, digits and _)", stack);
  }
  if (tag) {
    char *eq = strchr(tag, '=');
    *eq = '\0';
    scope.tag_key = tag;
    scope.tag_value = eq + 1;
  }
  struct stat st;
  if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "infrac: -o %s is not a directory\n", dir);
    free(tag);
    return 2;
  }
  const char *aws = getenv("INFRAC_AWS");
  char *err = NULL;
  AwsClient *c = aws_client_new(region, endpoint, profile, aws && *aws ? aws : "aws", &err);
  Discovery d = {0};
  Arena a = {0};
  cJSON *tmpl = NULL, *state = NULL;
  Buf text = {0};
  int rc = 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (!c || !awsdiscover(c, &scope, &d, &err)) goto fail;
  char **logical = arena_alloc(&a, sizeof(char *) * (size_t)(d.n + 1));
  const char **names = arena_alloc(&a, sizeof(char *) * (size_t)(d.n + 1));
  int found = 0;
  for (int i = 0; i < d.n; i++) {
    logical[i] = NULL;
    names[i] = d.items[i].name;
    if (!d.items[i].in) continue;
    logical[i] = (char *)lower_logical_id(&a, d.items[i].name, lower_type_word(&a, d.items[i].type));
    found++;
  }
  if (!found) {
    fprintf(stderr, "infrac: nothing to import in %s%s%s%s%s\n", region,
            scope.vpc ? " in VPC " : "", scope.vpc ? scope.vpc : "",
            scope.tag_key ? " with the tag " : "", scope.tag_key ? scope.tag_key : "");
    goto done;
  }
  if (!awsdiscover_stack(c, &d, logical, names, stack, region, &tmpl, &state, &err)) goto fail;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  char why[600];
  if (!import_template(tmpl, stack, region, NULL, 0, IMPORT_FOR_APPLY, &text, NULL, why, sizeof why)) {
    fprintf(stderr, "infrac: what is deployed cannot be written as source: %s\n", why);
    goto done;
  }
  /* the state first: without it, the source alone would plan to make everything again */
  char *spath = arena_printf(&a, "%s/%s.state.json", dir, stack);
  char *ipath = arena_printf(&a, "%s/%s.infra", dir, stack);
  char *stext = cfn_parts_print(state, true);
  bool ok = import_write_out(spath, stext, strlen(stext));
  free(stext);
  if (ok && !import_write_out(ipath, text.s, text.len)) {
    remove(spath);
    ok = false;
  }
  if (ok) {
    fprintf(stderr, "Read %d resource%s from AWS in %.2f s: wrote %s and %s.\n", found,
            found == 1 ? "" : "s", seconds, ipath, spath);
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(tmpl, "Parameters");
    if (params && params->child)
      fprintf(stderr, "A database's password is never read: give the secret params of %s when "
                      "applying.\n", ipath);
    rc = 0;
  }
  goto done;
fail: {
  char *shown = term_escaped(err ? err : "no credentials", 0);
  fprintf(stderr, "infrac: cannot read what is deployed: %s\n", shown);
  free(shown);
}
done:
  free(err);
  buf_free(&text);
  cJSON_Delete(tmpl);
  cJSON_Delete(state);
  awsdiscover_free(&d);
  aws_client_free(c);
  arena_free(&a);
  free(tag);
  return rc;
}
