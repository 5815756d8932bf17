/* test_import_loops.c: import --loops folds declarations of a kind as it
   folds `resource`s (import_loops.c works on declarations, whatever the
   importer writes): subnets whose zone and block follow the suffix and the
   index, security groups whose port follows the index (a statement's
   word), and it leaves alone a run whose values have no form (log groups
   named app and web) and one whose folded form does not build to the same
   template (blocks among an ingress statement's words). */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "import_loops.h"
#include "infrac.h"

#include "check.h"

static const char kinds[] =
    "stack s { region = \"us-east-1\" }\n"
    "vpc main { cidr = 10.0.0.0/16 }\n"
    "subnet public_a { vpc = main  cidr = 10.0.10.0/24  az = \"us-east-1a\" }\n"
    "subnet public_b { vpc = main  cidr = 10.0.11.0/24  az = \"us-east-1b\" }\n"
    "subnet public_c { vpc = main  cidr = 10.0.12.0/24  az = \"us-east-1c\" }\n"
    "route_table public { vpc = main  subnets = [public_a, public_b, public_c] }\n"
    "security_group web_1 {\n  vpc = main\n  ingress tcp 8001 from 10.0.0.0/16\n}\n"
    "security_group web_2 {\n  vpc = main\n  ingress tcp 8002 from 10.0.0.0/16\n}\n"
    "log_group logs_a { name = \"app\" }\n"
    "log_group logs_b { name = \"web\" }\n"
    "security_group peer_a {\n  vpc = main\n  ingress tcp 443 from 10.0.1.0/24\n}\n"
    "security_group peer_b {\n  vpc = main\n  ingress tcp 443 from 10.0.2.0/24\n}\n";

/* The folded source, laid out by fmt as the importer writes it; NULL when
   nothing was folded. */
static char *folded(const char *text) {
  Compilation *c = compile_new();
  int file = compile_add_source(c, "kinds.infra", text, strlen(text));
  Program prog = {0};
  parse_file(c, file, &prog);
  char *out = NULL;
  Buf b = {0};
  if (!c->nerrors && import_loops(&c, &file, &prog) && fmt_format(c, file, &prog, &b))
    out = strndup(b.s, b.len);
  buf_free(&b);
  compile_free(c);
  return out;
}

int main(void) {
  char *out = folded(kinds);
  CHECK(out != NULL);
  if (out) {
    CHECK(strstr(out, "for z, i in [\"a\", \"b\", \"c\"] {\n  subnet public_${z} {") != NULL);
    CHECK(strstr(out, "cidr = cidr(main, 8, 10 + i)") != NULL);
    CHECK(strstr(out, "az = \"us-east-1${z}\"") != NULL);
    CHECK(strstr(out, "subnets = [public_a, public_b, public_c]") != NULL); /* made by the loop */
    CHECK(strstr(out, "for z, i in [\"1\", \"2\"] {\n  security_group web_${z} {") != NULL);
    CHECK(strstr(out, "ingress tcp ${8001 + i} from 10.0.0.0/16") != NULL);
    CHECK(strstr(out, "log_group logs_a") != NULL && strstr(out, "log_group logs_b") != NULL);
    /* its form, `from ${cidr(main, 8, 1 + i)}`, does not build (E106): the
       others are kept one at a time, this one is not */
    CHECK(strstr(out, "security_group peer_a {\n  vpc = main\n  ingress tcp 443 from 10.0.1.0/24") != NULL);
    CHECK(strstr(out, "security_group peer_b") != NULL);
  }
  if (failures || !out)
    fprintf(stderr, "%s", out ? out : "(nothing folded)\n");
  free(out);
  static const char nothing[] = "stack s { region = \"us-east-1\" }\n"
                                "log_group logs_a { name = \"app\" }\n"
                                "log_group logs_b { name = \"web\" }\n";
  CHECK(folded(nothing) == NULL);
  if (failures) {
    fprintf(stderr, "test_import_loops: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_import_loops: %d checks passed\n", checks);
  return 0;
}
