/* awspool.h: AWS calls in parallel, for reads (plan --refresh, import
   --live): a job per index on a few threads, each thread with a client of
   its own (a connection kept alive per thread). */
#ifndef AWSPOOL_H
#define AWSPOOL_H

#include "awscall.h"

typedef struct AwsPool AwsPool;
typedef void (*AwsJob)(AwsPool *p, AwsClient *c, int i);

/* fn(p, client, i) for each i in [0, n), on up to 8 threads; the first
   failure a job reported (malloc'd), or NULL. */
char *aws_pool_run(AwsClient *c, int n, AwsJob fn, void *ctx);
/* The ctx given to aws_pool_run. */
void *aws_pool_ctx(AwsPool *p);
/* A job's failure (takes err): the first one is kept, the others freed. */
void aws_pool_fail(AwsPool *p, char *err);

#endif
