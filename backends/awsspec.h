/* awsspec.h: facts from the CloudFormation resource specification. */
#ifndef AWSSPEC_H
#define AWSSPEC_H

#include <stdbool.h>

typedef struct {
  const char *type; /* AWS::EC2::Subnet */
  const char *path; /* CidrBlock; nested as A.B, list items as A[*].B */
} AwsSpecProp;

/* Does changing this property of this type replace the resource? */
bool awsspec_forces_replacement(const char *type, const char *path);

#endif
