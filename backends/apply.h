/* apply.h: executing an infrac-plan/1, each call made and signed by infrac
   (awscall.h) or, with via_cli, through the AWS CLI; keeping the state
   (infrac-state/1) of what is deployed. */
#ifndef APPLY_H
#define APPLY_H

#include <stdbool.h>

#include <cjson/cJSON.h>

typedef struct {
  const char *stack, *region;
  const char *endpoint_url; /* NULL: AWS_ENDPOINT_URL, else AWS's own */
  const char *state_path;   /* written at the end; journal.h meanwhile */
  const char *aws;          /* the CLI to run: "aws" (and to ask for credentials) */
  const char *profile;      /* --profile, or NULL */
  bool via_cli;             /* --via=aws-cli: one `aws` process per call */
  /* Secret and other parameter values by name: they fill ${param.NAME} and
     are never written into the state, a log or a message. */
  const cJSON *params;
  /* The logical ID of a plan's resource name, and where it is declared
     ("webapp.infra:27:1"), for the state and for messages. */
  const char *(*logical_of)(void *ctx, const char *resource);
  const char *(*where)(void *ctx, const char *resource);
  void *ctx;
  bool verbose;
  int jobs;         /* steps at once (-j N); 0: one */
  int wait_timeout; /* seconds a waiter waits at most (--wait-timeout); 0: its own limit */
  /* Runs a CLI command: NULL, a child process; the fuzz target's answers
     without one (set, the calls go through it as via_cli). Returns its exit
     status, its stdout and stderr. */
  int (*run)(char *const argv[], char **out, char **err);
} ApplyOptions;

/* A state with nothing deployed. */
cJSON *apply_state_new(const char *stack, const char *region);
/* Runs the steps of plan, up to opt->jobs at once, each when the steps it
   depends on are done (and those before it of its resource). new_t is the template the plan makes
   real: each resource moves into state's template when its last step is
   done, and leaves it when deleted. Returns 0, or 1 after printing what
   failed (the state then holds everything done before). */
int apply_run(const cJSON *plan, const cJSON *new_t, cJSON *state, const ApplyOptions *opt);
/* Writes state to path through a temporary file and a rename (output.h:
   O_EXCL, fsync, the mode kept, a symbolic link written through). */
bool apply_write_state(const cJSON *state, const char *path);

#endif
