/* cfn_json.h: the resource graph as a CloudFormation template. */
#ifndef CFN_JSON_H
#define CFN_JSON_H

#include <cjson/cJSON.h>

#include "lower.h"

cJSON *cfn_template(const IrStack *ir); /* the template as a cJSON tree, keys in emission order:
    AWSTemplateFormatVersion, Description, Parameters, Resources, Outputs. It refers to
    the IR's strings: delete it before the compilation is freed. */
char *cfn_json_render(const cJSON *t);  /* malloc'd, indented with 2 spaces, trailing newline */
/* cfn_json_render(cfn_template(ir)) without building the tree: for build,
   which writes the template and reads nothing of it. */
char *cfn_json_render_ir(const IrStack *ir);

#endif
