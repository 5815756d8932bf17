/* interrupt.h: Ctrl-C during an apply. The first SIGINT stops new steps
   from starting and gives up the waits, letting the calls in flight end;
   the second (or a SIGTERM or SIGHUP) gives those up too. The AWS CLI
   processes of --via=aws-cli run in process groups of their own (a Ctrl-C
   at the terminal does not reach them, so that a call in flight can end),
   die with the thread that started them (PR_SET_PDEATHSIG), and are killed
   when the run gives them up. */
#ifndef INTERRUPT_H
#define INTERRUPT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

/* 0: none; 1: stop starting steps; 2: give up everything in flight. */
extern atomic_int interrupt_level;

/* Installs the handlers (and sets the level to 0); interrupt_end restores
   what was there. */
void interrupt_begin(void);
void interrupt_end(void);
/* A child process that runs a call (wait: a waiter's, given up at the
   first Ctrl-C), or 0 once it has ended: killed when given up. */
void interrupt_child(pid_t pid, bool wait, bool add);
/* In a child just forked: its own process group, and its death with the
   thread that forked it. */
void interrupt_in_child(void);

#endif
