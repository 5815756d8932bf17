/* secret_store.h: where a container secret is kept (a task's `secrets`):
   Secrets Manager or SSM Parameter Store, what a `resource` of each keeps it
   in, and the read ECS's execution role needs. One table for the checker
   and the lowering. */
#ifndef SECRET_STORE_H
#define SECRET_STORE_H

#include "infrac.h"

typedef struct {
  const char *cfn;  /* the CloudFormation type of a `resource` that keeps one */
  const char *read; /* the IAM action the execution role needs on its ARN */
  bool ssm;         /* its ARN is made from a parameter's name */
} SecretStore;

enum { SECRET_STORES = 2 };
extern const SecretStore secret_stores[SECRET_STORES]; /* [0] Secrets Manager, [1] SSM */

/* The store a `resource` is, or NULL when it keeps no secret. */
const SecretStore *secret_store_of(const Decl *d);
/* What goes between ":parameter" and an SSM parameter resource's name in
   its ARN: "/" for a name CloudFormation makes or one without a leading "/",
   "" for "/app/key"; NULL when Name's first character is not known until
   deploy. *name is set to Name's value, or NULL when absent. */
const char *ssm_arn_separator(const Decl *d, const Expr **name);

#endif
