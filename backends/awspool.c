/* awspool.c: AWS calls in parallel (awspool.h). The jobs take the next
   index from an atomic counter: no queue, no job waits for a slow one. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "awspool.h"

struct AwsPool {
  AwsClient *c;
  int n;
  atomic_int next;
  AwsJob fn;
  void *ctx;
  char *err; /* the first failure */
  pthread_mutex_t lock;
};

void *aws_pool_ctx(AwsPool *p) { return p->ctx; }

void aws_pool_fail(AwsPool *p, char *err) {
  pthread_mutex_lock(&p->lock);
  if (!p->err)
    p->err = err;
  else
    free(err);
  pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg) {
  AwsPool *p = arg;
  AwsClient *c = aws_client_clone(p->c);
  for (int i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
    p->fn(p, c, i);
  aws_client_free(c);
  return NULL;
}

enum { THREADS = 8 };

char *aws_pool_run(AwsClient *c, int n, AwsJob fn, void *ctx) {
  AwsPool p = {.c = c, .n = n, .fn = fn, .ctx = ctx};
  pthread_mutex_init(&p.lock, NULL);
  pthread_t th[THREADS];
  int started = 0;
  for (; started < THREADS && started < n; started++)
    if (pthread_create(&th[started], NULL, worker, &p)) break;
  if (!started && n) worker(&p);
  for (int i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_mutex_destroy(&p.lock);
  return p.err;
}
