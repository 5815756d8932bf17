/* schedule.h: the threads apply runs its calls on (-j N). One thread, the
   caller, owns every shared structure (the state, the captures, the
   journal): it starts jobs on free slots and collects them as they end;
   a job's work touches only the job and its slot. */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include <stdbool.h>

typedef struct Sched Sched;
typedef void (*SchedWork)(void *job, int slot);

/* slots: how many jobs at once; threads false: each job runs at once in
   sched_start (the fuzz target's answers, which are not thread-safe). */
Sched *sched_new(int slots, bool threads, SchedWork work);
/* A slot that runs nothing, or -1. */
int sched_free_slot(const Sched *s);
int sched_running(const Sched *s);
void sched_start(Sched *s, void *job, int slot);
/* A job that has ended (its slot free again), or NULL after timeout
   seconds with none. */
void *sched_next(Sched *s, double timeout);
/* abandon: the jobs still running are left to themselves (the process is
   about to exit); else they are waited for. */
void sched_free(Sched *s, bool abandon);

#endif
