/* cfn_json.h: the resource graph as a CloudFormation template. */
#ifndef CFN_JSON_H
#define CFN_JSON_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "lower.h"

cJSON *cfn_template(const IrStack *ir); /* the template as a cJSON tree, keys in emission order:
    AWSTemplateFormatVersion, Description, Parameters, Resources, Outputs. It refers to
    the IR's strings: delete it before the compilation is freed. */
char *cfn_json_render(const cJSON *t);  /* malloc'd, indented with 2 spaces, trailing newline */
/* cfn_json_render(cfn_template(ir)) without building the tree: for build,
   which writes the template and reads nothing of it. */
char *cfn_json_render_ir(const IrStack *ir);

/* The same layout, for a document written a piece at a time so that its
   whole tree never exists at once (a plan of 100,000 resources). With a
   sink, the text goes to it whenever json_out_spill finds 1 MiB of it:
   a document need not exist whole either. */
typedef struct {
  char *s; /* malloc'd, NUL-terminated: what is not written to sink yet */
  size_t len, cap;
  FILE *sink;  /* NULL: everything stays in s */
  int error;   /* errno of the first failed write to sink, else 0 */
} JsonOut;
void json_out(JsonOut *o, const char *text); /* as it is */
/* Indentation for depth (the document is 0), "key": unless key is NULL (an
   item of an array), and v as cfn_json_render lays it out at that depth. */
void json_out_member(JsonOut *o, int depth, const char *key, const cJSON *v);
void json_out_spill(JsonOut *o); /* to the sink, if there is much */
void json_out_flush(JsonOut *o); /* to the sink, all of it */

#endif
