/* cfn_yaml.h: a CloudFormation template tree (cfn_template) as YAML with the
   short-form tags (!Ref X, !GetAtt A.B, !Sub ...). */
#ifndef CFN_YAML_H
#define CFN_YAML_H

#include <cjson/cJSON.h>

/* The template tree as CloudFormation YAML, as people write it by hand. malloc'd; NULL if libyaml fails. */
char *cfn_yaml_render(const cJSON *t);

#endif
