/* test_cfn_sub.c: the one reader of Fn::Sub text: references, GetAtts with
   dotted attributes, pseudo parameters, the ${!Literal} escape, "${}" and
   an unclosed "${" as text; and the writer's escape, which reads back as
   the same text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_sub.h"

#include "check.h"

/* The parts as "[text]" and "<name>" or "<name|attr>", "!" after an unclosed text. */
static const char *parts(const char *text) {
  static char out[1024];
  size_t len = 0;
  SubPart p;
  for (const char *at = text; cfn_sub_next(&at, &p);) {
    if (p.k == SUB_TEXT)
      len += (size_t)snprintf(out + len, sizeof out - len, "[%.*s]%s", (int)p.n, p.s,
                              p.unclosed ? "!" : "");
    else if (p.attr)
      len += (size_t)snprintf(out + len, sizeof out - len, "<%.*s|%.*s>", (int)p.n, p.s,
                              (int)p.nattr, p.attr);
    else
      len += (size_t)snprintf(out + len, sizeof out - len, "<%.*s>", (int)p.n, p.s);
  }
  out[len] = '\0';
  return out;
}

/* The text the parts stand for, variables as ${...}: escape, then read back. */
static int round_trip(const char *literal) {
  char *e = cfn_sub_escape(literal, strlen(literal));
  char out[1024] = "";
  size_t len = 0;
  int vars = 0;
  SubPart p;
  for (const char *at = e; cfn_sub_next(&at, &p);) {
    vars += p.k == SUB_VAR;
    len += (size_t)snprintf(out + len, sizeof out - len, "%.*s", (int)p.n, p.s);
  }
  free(e);
  return !vars && !strcmp(out, literal);
}

int main(void) {
  CHECK(!strcmp(parts(""), ""));
  CHECK(!strcmp(parts("plain"), "[plain]"));
  CHECK(!strcmp(parts("${MainVpc}"), "<MainVpc>"));
  CHECK(!strcmp(parts("${ApiRepoRepository.RepositoryUri}:${ImageTag}"),
                "<ApiRepoRepository|RepositoryUri>[:]<ImageTag>"));
  /* the attribute is everything after the first dot */
  CHECK(!strcmp(parts("${Db.Endpoint.Address}"), "<Db|Endpoint.Address>"));
  CHECK(!strcmp(parts("arn:${AWS::Partition}:s3:::b"), "[arn:]<AWS::Partition>[:s3:::b]"));
  /* ${!X} is the text ${X}: never a variable */
  CHECK(!strcmp(parts("a${!MainVpc}b"), "[a][${][MainVpc}b]"));
  CHECK(!strcmp(parts("${!MainVpc.Id}"), "[${][MainVpc.Id}]"));
  /* "${}" and a "${" without '}' are text */
  CHECK(!strcmp(parts("x${}y${Z}"), "[x][${}y]<Z>"));
  CHECK(!strcmp(parts("echo ${HOME"), "[echo ][${HOME]!"));
  CHECK(!strcmp(parts("$ {A} $$ {"), "[$ {A} $$ {]"));
  CHECK(!strcmp(parts("$${A}"), "[$]<A>"));
  CHECK(!strcmp(parts("${A}${B}"), "<A><B>"));
  /* the name is what precedes the first dot, the attribute the rest */
  SubPart p;
  const char *at = "${MainVpc.CidrBlock}";
  CHECK(cfn_sub_next(&at, &p) && p.k == SUB_VAR && p.n == 7 && !memcmp(p.s, "MainVpc", 7));
  char *t = cfn_sub_var_text(&p);
  CHECK(!strcmp(t, "MainVpc.CidrBlock"));
  free(t);
  CHECK(!cfn_sub_next(&at, &p));
  at = "${Tag}";
  CHECK(cfn_sub_next(&at, &p) && (t = cfn_sub_var_text(&p)) && !strcmp(t, "Tag") && !p.attr);
  free(t);
  /* the escape: every "${" of a literal stays text */
  char *e = cfn_sub_escape("a${b}${", 7);
  CHECK(!strcmp(e, "a${!b}${!"));
  free(e);
  CHECK(round_trip("${main.id} and ${HOME}"));
  CHECK(round_trip("$${{${!"));
  CHECK(round_trip("no dollars"));
  CHECK(round_trip("${"));
  printf("test_cfn_sub: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
