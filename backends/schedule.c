/* schedule.c: a thread per running job, a queue of the jobs that ended. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "schedule.h"

typedef struct {
  Sched *s;
  void *job;
  int slot;
  bool busy;    /* running, or ended and not yet collected */
  bool started; /* a thread to join */
  pthread_t th;
} Slot;

struct Sched {
  pthread_mutex_t mu;
  pthread_cond_t ended;
  SchedWork work;
  bool threads;
  int nslots, running;
  Slot *slots;
  int *done, ndone; /* ended slots, in the order they ended */
};

Sched *sched_new(int slots, bool threads, SchedWork work) {
  Sched *s = calloc(1, sizeof *s);
  pthread_mutex_init(&s->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->ended, &ca);
  pthread_condattr_destroy(&ca);
  s->work = work;
  s->threads = threads;
  s->nslots = slots < 1 ? 1 : slots;
  s->slots = calloc((size_t)s->nslots, sizeof *s->slots);
  s->done = calloc((size_t)s->nslots, sizeof *s->done);
  return s;
}

int sched_free_slot(const Sched *s) {
  for (int i = 0; i < s->nslots; i++)
    if (!s->slots[i].busy)
      return i;
  return -1;
}

int sched_running(const Sched *s) { return s->running; }

static void finish(Slot *sl) {
  Sched *s = sl->s;
  pthread_mutex_lock(&s->mu);
  s->done[s->ndone++] = sl->slot;
  pthread_cond_signal(&s->ended);
  pthread_mutex_unlock(&s->mu);
}

static void *thread_main(void *arg) {
  Slot *sl = arg;
  sl->s->work(sl->job, sl->slot);
  finish(sl);
  return NULL;
}

void sched_start(Sched *s, void *job, int slot) {
  Slot *sl = &s->slots[slot];
  *sl = (Slot){s, job, slot, true, false, sl->th};
  s->running++;
  if (s->threads && !pthread_create(&sl->th, NULL, thread_main, sl)) {
    sl->started = true;
    return;
  }
  s->work(job, slot); /* no threads (or none to be had): here and now */
  finish(sl);
}

void *sched_next(Sched *s, double timeout) {
  pthread_mutex_lock(&s->mu);
  if (!s->ndone && timeout > 0) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long ns = until.tv_nsec + (long)((timeout - (double)(long)timeout) * 1e9);
    until.tv_sec += (time_t)timeout + ns / 1000000000L;
    until.tv_nsec = ns % 1000000000L;
    while (!s->ndone && pthread_cond_timedwait(&s->ended, &s->mu, &until) != ETIMEDOUT)
      ;
  }
  int slot = -1;
  if (s->ndone) {
    slot = s->done[0];
    for (int i = 1; i < s->ndone; i++)
      s->done[i - 1] = s->done[i];
    s->ndone--;
  }
  pthread_mutex_unlock(&s->mu);
  if (slot < 0)
    return NULL;
  Slot *sl = &s->slots[slot];
  if (sl->started)
    pthread_join(sl->th, NULL);
  sl->started = sl->busy = false;
  s->running--;
  return sl->job;
}

void sched_free(Sched *s, bool abandon) {
  if (!s)
    return;
  if (abandon && s->running)
    return; /* its threads still read it: it lives until the process ends */
  while (s->running)
    sched_next(s, 1);
  pthread_cond_destroy(&s->ended);
  pthread_mutex_destroy(&s->mu);
  free(s->slots);
  free(s->done);
  free(s);
}
