/* check.h: the unit tests' one assertion. CHECK counts, reports a failed
   expression with its place and goes on, so one run shows every failure;
   main ends with return checks_report("name"). */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int checks, failures;
#define CHECK(e)                                                                                   \
  do {                                                                                             \
    checks++;                                                                                      \
    if (!(e)) {                                                                                    \
      failures++;                                                                                  \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #e);                       \
    }                                                                                              \
  } while (0)

#endif
