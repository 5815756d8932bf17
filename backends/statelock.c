/* statelock.c: flock on STATE.lock. The lock file is removed on release;
   one that was removed (or replaced) between its open and its flock is
   opened again, so that two runs never hold locks on different files. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "statelock.h"

bool state_lock(StateLock *lock, const char *state_path) {
  *lock = (StateLock){-1, NULL};
  char *target = output_target(state_path);
  if (!target)
    return false;
  if (asprintf(&lock->path, "%s.lock", target) < 0)
    abort();
  free(target);
  for (int tries = 0; tries < 100; tries++) {
    int fd = open(lock->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      fprintf(stderr, "infrac: cannot lock the state %s: cannot create %s: %s\n", state_path,
              lock->path, strerror(errno));
      break;
    }
    if (flock(fd, LOCK_EX | LOCK_NB)) {
      int err = errno;
      char holder[256] = "";
      ssize_t n = err == EWOULDBLOCK ? read(fd, holder, sizeof holder - 1) : -1;
      holder[n > 0 ? n : 0] = '\0';
      holder[strcspn(holder, "\n")] = '\0';
      close(fd);
      if (err == EWOULDBLOCK)
        fprintf(stderr, "infrac: the state %s is in use by another apply or destroy (%s): "
                        "wait for it to finish (lock: %s)\n",
                state_path, *holder ? holder : "its process is not known", lock->path);
      else
        fprintf(stderr, "infrac: cannot lock the state %s: %s\n", state_path, strerror(err));
      break;
    }
    struct stat held, now;
    if (fstat(fd, &held) || stat(lock->path, &now) || held.st_ino != now.st_ino ||
        held.st_dev != now.st_dev) {
      close(fd); /* released and removed by its holder meanwhile: again */
      continue;
    }
    /* who holds it, for the message of the next one: a courtesy, the lock
       is the flock */
    char who[200], host[64] = "", since[32] = "";
    time_t t = time(NULL);
    struct tm tm;
    gethostname(host, sizeof host - 1);
    strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    int n = snprintf(who, sizeof who, "pid %ld on %s since %s\n", (long)getpid(),
                     *host ? host : "this host", since);
    if (ftruncate(fd, 0) == 0 && write(fd, who, (size_t)n) == n)
      fsync(fd);
    lock->fd = fd;
    return true;
  }
  free(lock->path);
  lock->path = NULL;
  return false;
}

void state_unlock(StateLock *lock) {
  if (lock->fd >= 0) {
    unlink(lock->path);
    close(lock->fd);
  }
  free(lock->path);
  *lock = (StateLock){-1, NULL};
}
