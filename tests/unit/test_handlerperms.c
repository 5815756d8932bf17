/* test_handlerperms.c: the table of handler permissions is what the
   policies rely on: sorted for the binary search, one row per type, every
   type one the registry has, a create and a delete handler on every row,
   every action written as IAM writes it (service:Action, service in lower
   case), and each handler split into exactly its actions. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "awstypes.h"
#include "handlerperms.h"

#include "check.h"

static bool is_action(const char *a) {
  const char *colon = strchr(a, ':');
  if (!colon || colon == a || !colon[1]) return false;
  for (const char *s = a; s < colon; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-')) return false;
  for (const char *s = colon + 1; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '*' || *s == '.')) return false;
  return true;
}

typedef struct {
  int n;
  bool all_actions;
  char joined[4096];
} Seen;

static void note(const char *action, void *ctx) {
  Seen *s = ctx;
  s->n++;
  if (!is_action(action)) {
    fprintf(stderr, "not an IAM action: '%s'\n", action);
    s->all_actions = false;
  }
  size_t len = strlen(s->joined);
  snprintf(s->joined + len, sizeof s->joined - len, "%s%s", len ? " " : "", action);
}

int main(void) {
  CHECK(handler_nperms >= 39);
  for (int i = 0; i < handler_nperms; i++) {
    const HandlerPerms *p = &handler_perms[i];
    if (i) CHECK(strcmp(handler_perms[i - 1].type, p->type) < 0);
    CHECK(handlerperms_find(p->type) == p);
    if (!aws_type_find(p->type)) fprintf(stderr, "not a registry type: %s\n", p->type);
    CHECK(aws_type_find(p->type) != NULL);
    for (Handler h = 0; h < HANDLER_COUNT; h++) {
      Seen s = {0, true, ""};
      handlerperms_each(p, h, note, &s);
      CHECK(s.all_actions);
      CHECK(!strcmp(s.joined, p->actions[h])); /* nothing lost or added in the split */
      if (h == HANDLER_CREATE || h == HANDLER_DELETE) CHECK(s.n > 0);
    }
  }
  CHECK(handlerperms_find("AWS::No::Such") == NULL);
  CHECK(handlerperms_find("") == NULL);
  CHECK(handlerperms_find(NULL) == NULL);
  const HandlerPerms *vpc = handlerperms_find("AWS::EC2::VPC");
  CHECK(vpc && strstr(vpc->actions[HANDLER_CREATE], "ec2:CreateVpc"));
  CHECK(vpc && strstr(vpc->actions[HANDLER_DELETE], "ec2:DeleteVpc"));
  /* tagging permissions join create and update, not read or delete */
  CHECK(vpc && strstr(vpc->actions[HANDLER_CREATE], "ec2:DeleteTags"));
  CHECK(vpc && !strstr(vpc->actions[HANDLER_READ], "ec2:DeleteTags"));
  printf("test_handlerperms: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
