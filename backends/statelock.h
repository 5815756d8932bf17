/* statelock.h: the lock an apply or destroy holds on its state for as long
   as it runs, so that a second one on the same state fails at once instead
   of creating everything again beside it. The lock is flock(2) on a file
   beside the state (STATE.lock, holding who took it), not on the state,
   which each step replaces by a rename. */
#ifndef STATELOCK_H
#define STATELOCK_H

#include <stdbool.h>

typedef struct {
  int fd;     /* -1: not held */
  char *path; /* the lock file */
} StateLock;

/* Takes the lock of the state at path (through a symbolic link, of its
   target), or says who holds it, or why it cannot be taken, and returns
   false. */
bool state_lock(StateLock *lock, const char *state_path);
/* Removes the lock file and releases it; nothing if not held. */
void state_unlock(StateLock *lock);

#endif
