/* interrupt.c: the SIGINT and SIGTERM handlers of apply (interrupt.h). */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "interrupt.h"

atomic_int interrupt_level;

enum { MAX_CHILDREN = 128 };
static atomic_int children[MAX_CHILDREN]; /* pid, negated for a waiter's */
static struct sigaction old_int, old_term, old_hup;

static void kill_children(bool waits_only) {
  for (int i = 0; i < MAX_CHILDREN; i++) {
    int p = atomic_load(&children[i]);
    if (p && (!waits_only || p < 0))
      kill(-(p < 0 ? -p : p), SIGTERM);
  }
}

static void on_signal(int sig) {
  int level = sig == SIGINT ? atomic_fetch_add(&interrupt_level, 1) + 1 : 2;
  if (level >= 2)
    atomic_store(&interrupt_level, 2);
  kill_children(level < 2);
  static const char first[] =
      "\ninfrac: interrupted: no new step starts; the calls in flight are let end, then the "
      "state is saved (Ctrl-C again to give them up)\n";
  static const char again[] = "\ninfrac: interrupted again: giving up the calls in flight\n";
  if (level == 1 && write(2, first, sizeof first - 1) < 0)
    return;
  if (level == 2 && sig == SIGINT && write(2, again, sizeof again - 1) < 0)
    return;
}

void interrupt_begin(void) {
  atomic_store(&interrupt_level, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  sigaction(SIGHUP, &sa, &old_hup);
}

void interrupt_end(void) {
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  sigaction(SIGHUP, &old_hup, NULL);
}

void interrupt_child(pid_t pid, bool wait, bool add) {
  int want = add ? 0 : wait ? -(int)pid : (int)pid, put = add ? (wait ? -(int)pid : (int)pid) : 0;
  for (int i = 0; i < MAX_CHILDREN; i++) {
    int expected = want;
    if (atomic_compare_exchange_strong(&children[i], &expected, put))
      return;
  }
}

void interrupt_in_child(void) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
}
