/* awsapi.h: the AWS API model infrac calls with, generated from botocore
   (scripts/gen-awsapi.py -> awsapi_data.c), and the calls themselves
   (awscall.c: serialised per protocol, signed, sent through libcurl). */
#ifndef AWSAPI_H
#define AWSAPI_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { AWS_QUERY, AWS_EC2, AWS_JSON, AWS_REST_XML } AwsProtocol;
typedef enum { AT_STRUCT, AT_LIST, AT_MAP, AT_STRING, AT_INT, AT_BOOL, AT_DOUBLE, AT_TIME, AT_BLOB } AwsApiType;
/* Where a member of a REST request goes. */
typedef enum { AL_BODY, AL_URI, AL_QUERY, AL_HEADER, AL_STATUS } AwsLocation;
typedef enum { AW_SUCCESS, AW_FAILURE, AW_RETRY } AwsWaitState;
typedef enum { AM_PATH, AM_PATH_ALL, AM_PATH_ANY, AM_ERROR, AM_STATUS } AwsMatcher;

typedef struct {
  const char *cli;          /* the plan's service name: "elbv2" */
  const char *prefix;       /* the endpoint's host prefix: "elasticloadbalancing" */
  const char *signing_name; /* SigV4's service */
  AwsProtocol protocol;
  const char *api_version;
  const char *target_prefix; /* json: X-Amz-Target's "Prefix." */
  const char *json_version;  /* json: application/x-amz-json-VERSION */
} AwsService;

typedef struct {
  AwsApiType type;
  const char *name;
  int first, n;           /* AT_STRUCT: its members in aws_members */
  int member;             /* AT_LIST: the element's shape */
  const char *member_loc; /* AT_LIST: the element's XML name ("member", "item") */
  bool flattened;         /* AT_LIST: elements without a wrapper */
  int key, value;         /* AT_MAP */
} AwsApiShape;

typedef struct {
  const char *name;
  int shape;
  const char *location_name, *query_name;
  AwsLocation location;
  bool flattened;
} AwsMember;

typedef struct {
  int service;
  const char *name, *method, *uri;
  int input, output;             /* shapes, -1 for none */
  const char *result_wrapper;    /* query: the XML element the output is in */
  const char *input_root, *xmlns; /* rest-xml: the request body's root element */
  const char *idempotency_token;  /* the member botocore fills with a UUID, or NULL */
} AwsOperation;

typedef struct {
  AwsWaitState state;
  AwsMatcher matcher;
  const char *argument; /* a JMESPath expression over the output */
  const char *expected; /* JSON */
} AwsAcceptor;

typedef struct {
  const char *service, *name; /* "ec2", "vpc_available" */
  int operation, delay, max_attempts, first, n;
} AwsWaiter;

typedef struct {
  const char *name, *dns_suffix;
  const char *const *regions; /* NULL-terminated */
} AwsPartition;

/* A service with one endpoint for the partition (IAM, Route 53). */
typedef struct {
  const char *partition, *prefix, *host, *region;
} AwsGlobalEndpoint;

extern const AwsService aws_services[];
extern const AwsApiShape aws_shapes[];
extern const AwsMember aws_members[];
extern const AwsOperation aws_operations[];
extern const AwsAcceptor aws_acceptors[];
extern const AwsWaiter aws_waiters[];
extern const AwsPartition aws_partitions[];
extern const AwsGlobalEndpoint aws_globals[];
extern const int aws_nservices, aws_noperations, aws_nwaiters, aws_npartitions, aws_nglobals;

#endif
