/* awsproto.h: an operation's params (the plan's JSON, as the AWS CLI's
   --cli-input-json takes them) into an HTTP request per the service's
   protocol, and the response back into the JSON the CLI would print. */
#ifndef AWSPROTO_H
#define AWSPROTO_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "awsapi.h"

typedef struct {
  char *method, *path, *query; /* path and query as sent, encoded */
  char *body;                  /* may hold secrets: only in memory */
  size_t body_len;
  char *content_type, *target; /* target: json's X-Amz-Target, or NULL */
} AwsRequest;

const AwsOperation *aws_operation(const char *service, const char *name);
const AwsService *aws_service(const char *cli_name);
/* false, with *err set (a param the operation does not take). */
bool awsproto_request(const AwsOperation *op, const cJSON *params, AwsRequest *out, char **err);
void awsproto_request_free(AwsRequest *r);
/* A random (version 4) UUID: an idempotency token. */
void awsproto_uuid4(char out[37]);
/* The response body of a successful call as the CLI prints it, or NULL for
   a body that does not parse. */
cJSON *awsproto_response(const AwsOperation *op, const char *body, size_t n);
/* The error code and message of a failed call's body (json or XML). */
void awsproto_error(const AwsOperation *op, const char *body, size_t n, char **code, char **message);

#endif
