/* awscreds.h: the credentials the AWS SDKs would find. The environment
   (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) unless a
   profile is named; the profile (--profile, AWS_PROFILE, "default") in
   ~/.aws/credentials, then ~/.aws/config; else, for SSO, credential_process,
   instance and container roles, one `aws configure export-credentials`
   read from a pipe. Kept in memory only, never in a process's arguments. */
#ifndef AWSCREDS_H
#define AWSCREDS_H

#include <stdbool.h>

typedef struct {
  char *access_key, *secret_key, *token; /* token may be NULL */
  const char *source;                    /* where they came from, for messages */
} AwsCreds;

/* profile: NULL unless given (--profile); aws: the CLI to ask last. */
bool aws_creds_load(const char *profile, const char *aws, AwsCreds *out, char **err);
void aws_creds_free(AwsCreds *c);

#endif
