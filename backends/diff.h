/* diff.h: what changes between a deployed template and a new one. Both are
   CloudFormation templates as cJSON trees; replacement comes from the AWS
   type table (awstypes.h). */
#ifndef DIFF_H
#define DIFF_H

#include <stdbool.h>

#include <cjson/cJSON.h>

typedef enum { DIFF_CREATE, DIFF_UPDATE, DIFF_REPLACE, DIFF_DELETE, DIFF_NOOP } DiffAction;

typedef struct {
  char *path;       /* top-level property name */
  /* NULL when absent; parts of the two templates, which must outlive the
     Diff (a diff of 100,000 creates copied the whole template) */
  const cJSON *old, *new;
  bool replacement; /* changing it replaces the resource */
  bool sensitive;   /* it depends on a NoEcho parameter */
  bool after_apply; /* it refers to a replaced resource: known after apply */
} DiffProp;

typedef struct {
  char *logical_id;
  char *type;
  DiffAction action;
  DiffProp *props;
  int nprops;
  char *cause; /* for a cascade: the replaced resource it refers to */
  bool stateful; /* deleting or replacing it loses data or an address */
  /* deleted (DeletionPolicy) or replaced (UpdateReplacePolicy) with policy
     Retain: the stack forgets the deployed resource, which stays in AWS */
  bool retained;
} DiffResource;

typedef struct {
  DiffResource *res; /* in the new template's order, then the deletions */
  int n;
  int count[5]; /* by DiffAction; a retained deletion is not counted as one */
  int retained; /* deletions that DeletionPolicy Retain keeps */
} Diff;

/* old may be NULL (nothing deployed): everything is a create. */
Diff *diff_templates(const cJSON *old, const cJSON *new_t);
void diff_free(Diff *d);
const char *diff_action_name(DiffAction a); /* "create", "update", ... */
/* Terraform-style text: one block per changed resource, then the summary. */
char *diff_render_text(const Diff *d); /* malloc'd */
/* How the source names a logical ID: its declaration's name and kind
   ("main", "vpc"); NULL answers where it does not say. */
typedef struct {
  const char *(*name_of)(void *ctx, const char *logical_id);
  const char *(*kind_of)(void *ctx, const char *logical_id);
  void *ctx;
} DiffNames;
/* The same, each resource with its kind and name as the source writes them
   beside its logical ID: "+ MainVpc (vpc main, AWS::EC2::VPC)". */
char *diff_render_text_named(const Diff *d, const DiffNames *names);
/* One change of the "changes" of infrac-plan/1; name_of gives its
   "resource" (NULL, or a NULL answer: the logical ID). It refers to the
   templates' values: delete it before them. */
cJSON *diff_change_json(const DiffResource *r,
                        const char *(*name_of)(void *ctx, const char *logical_id), void *ctx);
void diff_summary_json(const Diff *d, cJSON *summary);

#endif
