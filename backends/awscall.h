/* awscall.h: AWS calls made and signed by infrac itself (the native path of
   apply and destroy): one libcurl handle, kept alive across calls. */
#ifndef AWSCALL_H
#define AWSCALL_H

#include <stdatomic.h>
#include <stdbool.h>

#include <cjson/cJSON.h>

typedef struct AwsClient AwsClient;

/* region: the stack's; endpoint_url: NULL for AWS's own endpoints (else
   AWS_ENDPOINT_URL's); profile: NULL unless --profile; aws: the CLI asked
   for credentials when the environment and the files have none. NULL with
   *err set when there are no credentials. */
AwsClient *aws_client_new(const char *region, const char *endpoint_url, const char *profile,
                          const char *aws, char **err);
/* Another client with c's credentials and a libcurl handle of its own: one
   per thread of a parallel apply. */
AwsClient *aws_client_clone(const AwsClient *c);
/* Every waiter waits at most seconds (0: its own limit: botocore's, or
   longer where AWS takes longer; --wait-timeout). */
void aws_client_wait_limit(AwsClient *c, int seconds);
void aws_client_free(AwsClient *c);
/* The call; 0 with *out the response as the AWS CLI prints it, else 1 with
   *err "An error occurred (CODE) when calling the OP operation: MESSAGE". */
int aws_call_op(AwsClient *c, const char *service, const char *op, const cJSON *params,
                cJSON **out, char **err);
/* Polls the waiter's describe call per its botocore acceptors; gives up
   between polls once *cancel is set (cancel may be NULL). */
int aws_call_wait(AwsClient *c, const char *service, const char *waiter, const cJSON *params,
                  const atomic_int *cancel, char **err);
/* The endpoint URL and signing region of a service in a region (no
   endpoint_url given): for tests and messages. The caller frees *url. */
bool aws_endpoint(const char *service, const char *region, char **url, const char **sign_region);

#endif
