/* progress.c: apply's step lines and live summary (progress.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

double progress_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_begin(Progress *p, FILE *f, int total) {
  *p = (Progress){f, isatty(fileno(f)) == 1, false, total, 0, progress_now()};
}

void progress_clear(Progress *p) {
  if (p->drawn)
    fputs("\r\033[K", p->f);
  p->drawn = false;
  fflush(p->f);
}

void progress_line(Progress *p, const char *fmt, ...) {
  progress_clear(p);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(p->f, fmt, ap);
  va_end(ap);
  fputc('\n', p->f);
  fflush(p->f);
}

void progress_draw(Progress *p, int nrunning, const char *const *running, const double *since) {
  if (!p->live)
    return;
  double now = progress_now();
  char line[160];
  int n = snprintf(line, sizeof line, "  %d/%d done, %.0fs", p->done, p->total, now - p->t0);
  for (int i = 0; i < nrunning && n > 0 && (size_t)n < sizeof line - 24; i++)
    n += snprintf(line + n, sizeof line - (size_t)n, "%s %s %.0fs", i ? "," : "; running:",
                  running[i], now - since[i]);
  if (n > 0 && (size_t)n >= sizeof line - 24)
    strcpy(line + sizeof line - 5, "...");
  fprintf(p->f, "\r\033[K%s", line);
  p->drawn = true;
  fflush(p->f);
}
