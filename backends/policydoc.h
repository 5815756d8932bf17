/* policydoc.h: an IAM policy in the making, shared by the policy of apply's
   calls (iampolicy.c) and of a CloudFormation service role (cfnpolicy.c):
   statements named by Sid, each with its resources and its actions, and
   for each action the declarations that need it and why; then the policy
   document (IAM JSON) and the text that explains it. */
#ifndef POLICYDOC_H
#define POLICYDOC_H

#include <cjson/cJSON.h>

#include "handlerperms.h"

typedef struct {
  const char *region, *partition;
  cJSON *stmts; /* [{sid, resources: [...], linked: [...], acts: [{action, why, who: [...]}]}] */
} PolicyDoc;

void policydoc_init(PolicyDoc *p, const char *region);
void policydoc_free(PolicyDoc *p);

char *policydoc_fmt(const char *f, ...) __attribute__((format(printf, 1, 2))); /* malloc'd */
/* "Ec2", "IamRoles": the prefix's letters and digits, capitalised, + suffix */
char *policydoc_sid(const char *prefix, const char *suffix);
/* The statement named sid, made on first need, in order of need (sid is taken). */
cJSON *policydoc_stmt(PolicyDoc *p, char *sid);
/* Adds s to the statement's list ("resources" or "linked") unless there. */
void policydoc_add_unique(cJSON *stmt, const char *list, const char *s);
/* Records that `who` needs action (why: NULL for the call itself); why is taken. */
void policydoc_add_act(cJSON *stmt, const char *action, const char *who, char *why);

/* The actions of handler h of a resource type, needed by `who` (why is
   copied): each in the statement of its service, on "*", except
   iam:PassRole, on the roles in pass_to (skipped when it has none: there is
   no role to pass), and iam:CreateServiceLinkedRole, on the service-linked
   roles. */
void policydoc_add_handler(PolicyDoc *p, const HandlerPerms *row, Handler h, const char *who,
                           const char *why, const cJSON *pass_to);

/* "AWS::A::B, AWS::C::D" (malloc'd): the strings of a list, once each. */
char *policydoc_type_list(const cJSON *types);

/* The error for types the table of handler permissions does not hold
   (malloc'd); how follows their list (", which apply drives ..."). */
char *policydoc_missing(const cJSON *types, const char *how);

/* The policy document: one statement per Sid, lists sorted and unique. */
cJSON *policydoc_document(const PolicyDoc *p);
/* Each statement with its resources, then each action and who needs it
   (malloc'd); headline says what the policy permits ("the calls of the plan"). */
char *policydoc_explain(const PolicyDoc *p, const char *headline);

#endif
