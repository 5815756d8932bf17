/* progress.h: what an apply shows as it runs: a line per step as it starts
   and as it ends, and on a terminal one live summary line below them
   (steps done, what is running and for how long), redrawn in place. Not on
   a terminal, only the lines. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
  FILE *f;
  bool live;       /* a terminal: the summary line is drawn */
  bool drawn;      /* the summary line is on the screen */
  int total, done; /* steps */
  double t0;       /* when the run started */
} Progress;

/* Seconds on the monotonic clock. */
double progress_now(void);
void progress_begin(Progress *p, FILE *f, int total);
/* A line above the summary (printf's format). */
void progress_line(Progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the summary line off the screen, before a message on stderr. */
void progress_clear(Progress *p);
/* Redraws the summary: running names the steps in flight ("nat 12s"). */
void progress_draw(Progress *p, int nrunning, const char *const *running, const double *since);

#endif
