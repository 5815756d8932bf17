/* stack.h: a compiled stack as the deploy commands (plan, apply, destroy)
   see it: the CloudFormation template the backends read, and the way back
   from a logical ID to the declaration that made it. */
#ifndef STACK_H
#define STACK_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "infrac.h"
#include "lower.h"

typedef struct {
  Compilation *c;
  IrStack *ir;
  const char *name, *region;
} Stack;

/* Reads, checks and lowers the stack in paths with the values of the
   --params files in files, then the --param K=V values of params over them;
   diagnostics go to stderr. NULL after any error. Secret params may be
   given when allow_secrets; their values never reach the template. cmd
   names the command in the usage hint. */
Stack *stack_open(char **paths, int npaths, char **params, int nparams, char **files, int nfiles,
                  bool allow_secrets, const char *cmd);
void stack_close(Stack *s);
/* cfn_template(s->ir), built on the first call, in an arena: read or
   duplicate it, never change it. */
const cJSON *stack_template(Stack *s);
/* The template the API plan and apply drive: stack_template with its
   conditions decided for the params' values (--param, or defaults). */
const cJSON *stack_api_template(Stack *s);
/* Callbacks of ApiPlanOptions and ApplyOptions; ctx is the Stack. */
const char *stack_name_of(void *ctx, const char *logical_id); /* "MainVpc" -> "main" */
const char *stack_logical_of(void *ctx, const char *resource); /* the reverse */
const char *stack_where(void *ctx, const char *resource);      /* "webapp.infra:22:1" */
/* The kind of the declaration that made a logical ID ("security_group"), or NULL. */
const char *stack_kind_of(void *ctx, const char *logical_id);
/* The name of that declaration ("public" for the association of route
   table public with a subnet), or NULL. */
const char *stack_decl_name_of(void *ctx, const char *logical_id);

/* Whether the API plan can drive every declaration: false, with an error
   at each one it cannot (a `resource`, `properties { }`), on stderr. */
bool stack_api_plan_covers(Stack *st);

#endif
