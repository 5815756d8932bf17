/* secret_store.c: the stores a container secret is read from (secret_store.h). */
#include <string.h>

#include "secret_store.h"

const SecretStore secret_stores[SECRET_STORES] = {
    {"AWS::SecretsManager::Secret", "secretsmanager:GetSecretValue", false},
    {"AWS::SSM::Parameter", "ssm:GetParameters", true},
};

const SecretStore *secret_store_of(const Decl *d) {
  for (size_t i = 0; d && d->type_name && i < countof(secret_stores); i++)
    if (!strcmp(d->type_name, secret_stores[i].cfn)) return &secret_stores[i];
  return NULL;
}

const char *ssm_arn_separator(const Decl *d, const Expr **name) {
  *name = decl_prop(d, "Name");
  const Expr *n = *name;
  if (!n) return "/"; /* CloudFormation makes one, as "CFN-flag-1A2B3C" */
  const StrPart *first = n->k == EX_STR ? n->parts : NULL;
  if (n->k != EX_STR || (first && (!first->text || (!first->text[0] && first->next))))
    return NULL; /* a param, or "${...}" first: known at deploy */
  return first && first->text[0] == '/' ? "" : "/";
}
