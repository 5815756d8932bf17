/* param_types.h: CloudFormation's AWS-specific parameter types, which a
   param keeps as `param key : "AWS::EC2::KeyPair::KeyName"`. */
#ifndef PARAM_TYPES_H
#define PARAM_TYPES_H
#include <stdbool.h>
#include <stddef.h>

/* Is t a CloudFormation parameter type (String, List<AWS::EC2::Subnet::Id>,
   AWS::SSM::Parameter::Value<String> ...)? *list says whether its value is
   a list at deploy time. */
bool param_cfn_type(const char *t, bool *list);

/* Is a param of this type (a language type or CloudFormation's) a list at
   deploy time: list, "List<AWS::EC2::Subnet::Id>" ...? */
bool param_type_is_list(const char *type_name);

/* The AWS-specific types without List<> or SSM around them, for did-you-mean. */
const char *const *param_cfn_base_types(size_t *n);

#endif
