/* apply.c: the plan's steps in order, each one call: made and signed by
   infrac (awscall.c), or with --via=aws-cli one AWS CLI process per call
   (`aws SERVICE OPERATION --cli-input-json file://...`). Captures fill the placeholders of later steps;
   the state is rewritten after every step, so an interrupted run resumes
   with a plan against the state. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "infrac.h" /* Buf */
#include "awscall.h"
#include "awsproto.h"
#include "cfn_parts.h"
#include "interrupt.h"
#include "journal.h"
#include "progress.h"
#include "resume.h"
#include "schedule.h"
#include "strmap.h"
#include "output.h"
#include "planvalue.h"
#include "secrets.h"
#include "termtext.h"

cJSON *apply_state_new(const char *stack, const char *region) {
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "format", "infrac-state/1");
  cJSON_AddStringToObject(s, "stack", stack);
  cJSON_AddStringToObject(s, "region", region);
  cJSON *t = cJSON_AddObjectToObject(s, "template");
  cJSON_AddStringToObject(t, "AWSTemplateFormatVersion", "2010-09-09");
  cJSON_AddObjectToObject(t, "Resources");
  cJSON_AddObjectToObject(s, "resources");
  return s;
}

bool apply_write_state(const cJSON *state, const char *path) {
  char *text = cfn_parts_print(state, true);
  if (!text)
    abort();
  Output out;
  bool ok = output_open(&out, path);
  if (ok) {
    errno = 0;
    int status = fputs(text, out.f) >= 0 && fputc('\n', out.f) != EOF ? 0 : errno ? errno : EIO;
    ok = output_close(&out, status);
  }
  cJSON_free(text);
  return ok;
}

/* CreateDBInstance -> create-db-instance, as botocore's xform_name. */
static char *kebab(const char *op) {
  size_t n = strlen(op);
  char *s = malloc(n * 2 + 1), *o = s;
  for (size_t i = 0; i < n; i++) {
    char c = op[i];
    bool upper = isupper((unsigned char)c);
    if (upper && i > 0 &&
        (islower((unsigned char)op[i - 1]) || isdigit((unsigned char)op[i - 1]) ||
         (i + 1 < n && islower((unsigned char)op[i + 1]))))
      *o++ = '-';
    *o++ = (char)tolower((unsigned char)c);
  }
  *o = '\0';
  return s;
}

/* ---- placeholders and captures ---- */

typedef struct {
  const ApplyOptions *opt;
  cJSON *captures; /* name -> value, this run */
  cJSON *secret;   /* capture names never persisted */
} Run;

/* A capture's value as text, for a placeholder inside a longer string. */
static char *value_text(const cJSON *v) {
  if (cJSON_IsString(v))
    return strdup(v->valuestring);
  return cJSON_PrintUnformatted(v);
}

static char *capture_text(Run *r, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->captures, name);
  return v ? value_text(v) : NULL;
}

/* The captured value a placeholder names, noting the first one missing. */
static const cJSON *captured(Run *r, const char *name, char **missing) {
  const cJSON *val = cJSON_GetObjectItemCaseSensitive(r->captures, name);
  if (!val && !*missing)
    *missing = strdup(name);
  return val;
}

/* A copy of v with every placeholder (planvalue.h) replaced by what it
   stands for; strings are text and stay as they are. A {"$capture"} takes
   the captured value's JSON type (a port stays a number, a list a list),
   except under the keys that only hold strings; a {"$join"} is text. */
static cJSON *fill(Run *r, const cJSON *v, const char *key, char **missing) {
  const char *name = pv_capture_name(v);
  if (name) {
    const cJSON *val = captured(r, name, missing);
    bool text_only = key && (!strcmp(key, "value") || !strcmp(key, "Value"));
    if (val && !cJSON_IsString(val) && text_only) {
      char *t = value_text(val);
      cJSON *out = cJSON_CreateString(t);
      free(t);
      return out;
    }
    return val ? cJSON_Duplicate(val, true) : cJSON_CreateString("");
  }
  const cJSON *parts = pv_join_parts(v);
  if (parts) {
    Buf b = {0};
    for (const cJSON *c = parts->child; c; c = c->next) {
      const char *part = pv_capture_name(c);
      const cJSON *val = part ? captured(r, part, missing) : c;
      char *t = val ? value_text(val) : NULL;
      buf_puts(&b, t ? t : "");
      free(t);
    }
    cJSON *out = cJSON_CreateString(b.s ? b.s : "");
    buf_free(&b);
    return out;
  }
  if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
    cJSON *out = cJSON_IsArray(v) ? cJSON_CreateArray() : cJSON_CreateObject();
    for (const cJSON *c = v->child; c; c = c->next) {
      cJSON *x = fill(r, c, cJSON_IsArray(v) ? key : c->string, missing);
      if (cJSON_IsArray(v))
        cJSON_AddItemToArray(out, x);
      else
        cJSON_AddItemToObject(out, c->string, x);
    }
    return out;
  }
  return cJSON_Duplicate(v, true);
}

/* "Instances[0].InstanceId" into the output. */
static const cJSON *at_path(const cJSON *v, const char *path) {
  char *copy = strdup(path), *save = NULL;
  for (char *seg = strtok_r(copy, ".", &save); seg && v; seg = strtok_r(NULL, ".", &save)) {
    char *br = strchr(seg, '[');
    if (br)
      *br = '\0';
    v = cJSON_GetObjectItemCaseSensitive(v, seg);
    for (char *b = br ? br + 1 : NULL; b && v; b = strchr(b, '[')) {
      long i = strtol(b[0] == '[' ? b + 1 : b, NULL, 10);
      v = i >= 0 && i < INT_MAX ? cJSON_GetArrayItem(v, (int)i) : NULL;
      b = strchr(b, ']');
      if (!b)
        break;
    }
  }
  free(copy);
  return v;
}

/* A copy of what a capture path names in the output. After "#" it names a
   value inside JSON text by a JSON pointer ("ResourceDescription.Properties#/Arn":
   Cloud Control returns a resource's properties as a string). NULL: none. */
static cJSON *captured_value(const cJSON *output, const char *path) {
  const char *hash = strchr(path, '#');
  char *left = hash ? strndup(path, (size_t)(hash - path)) : NULL;
  const cJSON *v = at_path(output, left ? left : path);
  free(left);
  if (!hash || !v)
    return v ? cJSON_Duplicate(v, true) : NULL;
  cJSON *doc = cJSON_IsString(v) ? cJSON_Parse(v->valuestring) : NULL;
  const cJSON *at = doc;
  char *ptr = strdup(hash + 1), *save = NULL;
  for (char *seg = strtok_r(ptr, "/", &save); seg && at; seg = strtok_r(NULL, "/", &save))
    at = cJSON_IsArray(at) ? cJSON_GetArrayItem(at, atoi(seg)) : cJSON_GetObjectItemCaseSensitive(at, seg);
  cJSON *out = at ? cJSON_Duplicate(at, true) : NULL;
  free(ptr);
  cJSON_Delete(doc);
  return out;
}

/* A capture with a where (the step's captures_where): the list the path's
   first index reads is searched for the items whose members have the
   where's values (text without regard to case, as DNS names are), and the
   rest of the path is read in the one found. *matches counts them: none,
   or two that nothing tells apart, give no value. */
static cJSON *captured_where(const cJSON *output, const char *path, const cJSON *where, int *matches) {
  const char *br = strchr(path, '['), *close = br ? strchr(br, ']') : NULL;
  *matches = 0;
  if (!close)
    return NULL;
  char *list_path = strndup(path, (size_t)(br - path));
  const cJSON *list = at_path(output, list_path), *hit = NULL;
  free(list_path);
  for (const cJSON *it = cJSON_IsArray(list) ? list->child : NULL; it; it = it->next) {
    bool all = true;
    for (const cJSON *w = where->child; w && all; w = w->next) {
      const cJSON *m = at_path(it, w->string);
      all = cJSON_IsString(m) && cJSON_IsString(w) ? !strcasecmp(m->valuestring, w->valuestring)
                                                   : m && cJSON_Compare(m, w, true);
    }
    if (all && ++*matches == 1)
      hit = it;
  }
  const cJSON *v = *matches != 1 ? NULL : close[1] == '.' ? at_path(hit, close + 2) : hit;
  return v ? cJSON_Duplicate(v, true) : NULL;
}

/* ---- running the CLI ---- */

/* Whether this thread's CLI call is a waiter's (interrupt.h gives those
   up at the first Ctrl-C). */
static _Thread_local bool in_wait;

/* Runs argv; its stdout into *out, its stderr into *err. The child dies
   with the thread that runs it, and a Ctrl-C at the terminal does not reach
   it (interrupt.h). */
static int run_cmd(char *const argv[], char **out, char **err) {
  int po[2], pe[2];
  if (pipe(po) || pipe(pe))
    return -1;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    interrupt_in_child();
    if (getppid() != parent)
      _exit(128);
    dup2(po[1], 1);
    dup2(pe[1], 2);
    close(po[0]), close(pe[0]), close(po[1]), close(pe[1]);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid); /* as the child does: whichever comes first */
  interrupt_child(pid, in_wait, true);
  close(po[1]);
  close(pe[1]);
  char *bufs[2] = {NULL, NULL};
  size_t lens[2] = {0, 0}, caps[2] = {0, 0};
  int fds[2] = {po[0], pe[0]};
  /* read both without deadlock: the CLI writes little to stderr */
  for (int k = 0; k < 2; k++) {
    for (;;) {
      if (lens[k] + 4096 + 1 > caps[k]) {
        caps[k] = (lens[k] + 4096 + 1) * 2;
        bufs[k] = realloc(bufs[k], caps[k]);
      }
      ssize_t n = read(fds[k], bufs[k] + lens[k], 4096);
      if (n <= 0)
        break;
      lens[k] += (size_t)n;
    }
    bufs[k][lens[k]] = '\0';
    close(fds[k]);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  interrupt_child(pid, in_wait, false);
  *out = bufs[0];
  *err = bufs[1];
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The params go through a file in memory (memfd) that the CLI opens as
   file:///dev/fd/N: argv is visible to every user of the machine, and
   secrets may be among the params; the memfd is on no disk and goes with
   the last process holding it, however infrac ends (the CLI reads the
   file more than once, so a pipe will not do). */
static int aws_call(Run *r, const char *service, const char *verb, const char *op,
                    const cJSON *params, char **out, char **err) {
  int fd = memfd_create("infrac-call", 0);
  if (fd < 0)
    return -1;
  char *json = cJSON_PrintUnformatted(params);
  size_t len = strlen(json);
  bool ok = write(fd, json, len) == (ssize_t)len;
  explicit_bzero(json, len);
  free(json);
  if (!ok) {
    close(fd);
    return -1;
  }
  char *input = NULL, *cmd = kebab(op);
  if (asprintf(&input, "file:///dev/fd/%d", fd) < 0)
    abort();
  const char *argv[16];
  int n = 0;
  argv[n++] = r->opt->aws ? r->opt->aws : "aws";
  argv[n++] = service;
  if (verb)
    argv[n++] = verb;
  argv[n++] = cmd;
  argv[n++] = "--cli-input-json";
  argv[n++] = input;
  argv[n++] = "--output";
  argv[n++] = "json";
  argv[n++] = "--region";
  argv[n++] = r->opt->region;
  if (r->opt->endpoint_url) {
    argv[n++] = "--endpoint-url";
    argv[n++] = r->opt->endpoint_url;
  }
  argv[n] = NULL;
  int rc = (r->opt->run ? r->opt->run : run_cmd)((char *const *)argv, out, err);
  close(fd);
  free(input);
  free(cmd);
  return rc;
}

static bool native(const Run *r) { return !r->opt->via_cli && !r->opt->run; }

/* A step's call on either path (aws: the native path's client): 0 with
   *output the response as the AWS CLI prints it, else nonzero with *err
   the error's text. */
static int step_call(Run *r, AwsClient *aws, const char *service, const char *op,
                     const cJSON *params, cJSON **output, char **err) {
  *output = NULL;
  if (native(r))
    return aws_call_op(aws, service, op, params, output, err);
  char *out = NULL;
  int code = aws_call(r, service, NULL, op, params, &out, err);
  if (!code)
    *output = out ? cJSON_Parse(out) : NULL;
  free(out);
  return code;
}

static char *waiter_cli(const char *w);

static int step_wait(Run *r, AwsClient *aws, const char *service, const char *waiter,
                     const cJSON *in, char **err) {
  if (native(r))
    return aws_call_wait(aws, service, waiter, in, &interrupt_level, err);
  char *wname = waiter_cli(waiter), *wout = NULL;
  in_wait = true;
  int code = aws_call(r, service, "wait", wname, in, &wout, err);
  in_wait = false;
  free(wname);
  free(wout);
  return code;
}

/* Members AWS wants unique per request, which the plan gives as a stem:
   apply ends each with the request's token, a new UUID that the journal
   keeps, so that a resumed create sends the same one (Route 53 answers
   HostedZoneAlreadyExists rather than making a second zone) and a later
   create, or a second destroy's final snapshot, a new one. */
static const struct {
  const char *op, *member;
} per_request[] = {
    {"CreateHostedZone", "CallerReference"},
    {"DeleteDBInstance", "FinalDBSnapshotIdentifier"},
};

static const cJSON *per_request_stem(const char *op, const cJSON *params) {
  for (size_t i = 0; i < sizeof per_request / sizeof per_request[0]; i++)
    if (!strcmp(per_request[i].op, op)) {
      const cJSON *v = cJSON_GetObjectItemCaseSensitive(params, per_request[i].member);
      return cJSON_IsString(v) ? v : NULL;
    }
  return NULL;
}

/* What each waiter needs to find the resource: the parameter of its describe
   call, the capture that holds the ID, and a parameter of the step's own
   that the describe call needs too (a service's cluster). */
static const struct {
  const char *waiter, *param, *capture;
  bool list;
  const char *also;
} waiters[] = {
    {"vpc_available", "VpcIds", "id", true, NULL},
    {"nat_gateway_available", "NatGatewayIds", "id", true, NULL},
    {"nat_gateway_deleted", "NatGatewayIds", NULL, true, NULL},
    {"instance_running", "InstanceIds", "id", true, NULL},
    {"instance_terminated", "InstanceIds", NULL, true, NULL},
    {"instance_stopped", "InstanceIds", NULL, true, NULL},
    {"db_instance_available", "DBInstanceIdentifier", "id", false, NULL},
    {"db_instance_deleted", "DBInstanceIdentifier", NULL, false, NULL},
    {"load_balancer_available", "LoadBalancerArns", "arn", true, NULL},
    {"load_balancers_deleted", "LoadBalancerArns", NULL, true, NULL},
    {"certificate_validated", "CertificateArn", NULL, false, NULL},
    {"resource_request_success", "RequestToken", NULL, false, NULL},
    {"services_stable", "services", NULL, true, "cluster"},
};

/* The waiter's input: the ID from the step's capture, or for a delete or a
   describe step the value its own params already name. */
static cJSON *waiter_input(Run *r, const char *waiter, const cJSON *step, const cJSON *params) {
  for (size_t i = 0; i < sizeof waiters / sizeof waiters[0]; i++) {
    if (strcmp(waiters[i].waiter, waiter))
      continue;
    char *val = NULL;
    if (waiters[i].capture) {
      char name[512];
      snprintf(name, sizeof name, "%s.%s", cJSON_GetObjectItem(step, "resource")->valuestring,
               waiters[i].capture);
      val = capture_text(r, name);
    }
    const cJSON *own = cJSON_GetObjectItemCaseSensitive(params, waiters[i].param);
    if (!val && !own) {
      /* delete calls name the resource in the singular: NatGatewayId */
      char singular[128];
      snprintf(singular, sizeof singular, "%s", waiters[i].param);
      size_t n = strlen(singular);
      if (waiters[i].list && n > 1 && singular[n - 1] == 's')
        singular[n - 1] = '\0';
      own = cJSON_GetObjectItemCaseSensitive(params, singular);
    }
    cJSON *in = cJSON_CreateObject();
    cJSON *v = val ? cJSON_CreateString(val) : own ? cJSON_Duplicate(own, true) : NULL;
    free(val);
    if (!v) {
      cJSON_Delete(in);
      return NULL;
    }
    if (waiters[i].list && !cJSON_IsArray(v)) {
      cJSON *list = cJSON_CreateArray();
      cJSON_AddItemToArray(list, v);
      v = list;
    }
    cJSON_AddItemToObject(in, waiters[i].param, v);
    const cJSON *also = waiters[i].also ? cJSON_GetObjectItemCaseSensitive(params, waiters[i].also) : NULL;
    if (also)
      cJSON_AddItemToObject(in, waiters[i].also, cJSON_Duplicate(also, true));
    return in;
  }
  return NULL;
}

/* ---- state ---- */

static char *waiter_cli(const char *w) {
  char *s = strdup(w);
  for (char *c = s; *c; c++)
    if (*c == '_')
      *c = '-';
  if (strchr(s, '-'))
    return s;
  free(s);
  return kebab(w);
}

/* A parameter that may be written in: a default, no NoEcho, no SSM path. */
static const cJSON *foldable(const cJSON *params, const char *name) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(params, name);
  const cJSON *def = cJSON_GetObjectItemCaseSensitive(p, "Default");
  const cJSON *ne = cJSON_GetObjectItemCaseSensitive(p, "NoEcho");
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(p, "Type");
  if (!def || cJSON_IsTrue(ne) || (cJSON_IsString(ne) && !strcmp(ne->valuestring, "true")) ||
      (cJSON_IsString(type) && strstr(type->valuestring, "SSM")))
    return NULL;
  return def;
}

/* A resource as the state keeps it: the parameter values it was made with
   written in, so that a later change of a default shows as a change. */
static cJSON *fold_params(const cJSON *v, const cJSON *params) {
  if (cJSON_IsObject(v) && v->child && !v->child->next && cJSON_IsString(v->child)) {
    const char *k = v->child->string, *val = v->child->valuestring;
    const cJSON *def = !strcmp(k, "Ref") ? foldable(params, val) : NULL;
    if (def)
      return cJSON_Duplicate(def, true);
  }
  if (cJSON_IsObject(v) && v->child && !v->child->next && !strcmp(v->child->string, PARTS_KEY)) {
    cJSON *o = cfn_parts_new(); /* a default is text among the text */
    Part part;
    for (const cJSON *x = v->child->child; x; x = x->next) {
      cfn_part(x, &part);
      const cJSON *d = part.k == PART_REF ? foldable(params, part.s) : NULL;
      char *text = d ? value_text(d) : NULL;
      if (text)
        cfn_parts_add_text(o, text, strlen(text));
      else
        cfn_parts_add(o, fold_params(x, params));
      free(text);
    }
    return o;
  }
  if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
    cJSON *o = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
    for (const cJSON *c = v->child; c; c = c->next) {
      cJSON *x = fold_params(c, params);
      if (cJSON_IsObject(v))
        cJSON_AddItemToObject(o, c->string, x);
      else
        cJSON_AddItemToArray(o, x);
    }
    return o;
  }
  return cJSON_Duplicate(v, true);
}

/* Every secret value, given or read from SSM, and its escaped forms,
   replaced in text before it is shown. */
static void redact(Run *r, char *text) {
  for (const cJSON *p = r->secret->child; p; p = p->next) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->captures, p->string);
    if (cJSON_IsString(v))
      secret_redact(text, v->valuestring);
  }
}


/* ---- the run: steps in parallel along depends_on ---- */

enum { PH_FIND, PH_CALL, PH_WAIT };

typedef struct {
  const cJSON *s;
  const char *id, *res, *logical, *service, *op, *action;
  int n;          /* its place among its resource's steps */
  int prev;       /* the step before it of its resource, plus 1; 0: none */
  int nwait;      /* steps it depends on that are not done */
  int *next, nnext;
  bool last;      /* its resource's last step in this plan */
  bool skip;      /* done by an earlier run */
  bool inflight;  /* started by an earlier run, which did not see it end */
  int rereads;    /* times its answer was read again, not complete yet */
  const char *token; /* the client token that run sent, or NULL */
  enum { ST_WAITING, ST_RUNNING, ST_DONE, ST_FAILED } status;
  double since;
} Step;

/* A call, a wait or a look-up, run on a slot: the job owns its strings and
   params, so that a job given up may outlive the plan. */
typedef struct {
  Run *r;
  AwsClient *aws;
  int step, phase;
  char *service, *op;
  cJSON *params;
  cJSON *later; /* a look-up's: the step's own params, for the call that may follow */
  int code;
  cJSON *out;
  char *err;
  int delay_ms; /* a pause before the call: an answer read again */
} Job;

static void job_work(void *arg, int slot) {
  (void)slot;
  Job *j = arg;
  if (j->delay_ms)
    nanosleep(&(struct timespec){j->delay_ms / 1000, (long)(j->delay_ms % 1000) * 1000000L}, NULL);
  j->code = j->phase == PH_WAIT ? step_wait(j->r, j->aws, j->service, j->op, j->params, &j->err)
                                : step_call(j->r, j->aws, j->service, j->op, j->params, &j->out,
                                            &j->err);
}

static void job_free(Job *j) {
  free(j->service);
  free(j->op);
  cJSON_Delete(j->params);
  cJSON_Delete(j->later);
  cJSON_Delete(j->out);
  free(j->err);
  free(j);
}

typedef struct {
  Run r;
  const cJSON *new_t;
  cJSON *state;
  Step *steps;
  int total, ndone, started;
  int *ready, nready; /* a heap: the first in the plan's order first */
  Sched *sched;
  AwsClient **clients; /* per slot, the native path's */
  int nslots;
  Journal journal;
  Progress progress;
  bool stop; /* a step failed, or an interrupt: no new step starts */
  int rc;
} Exec;

static const char *member_text(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "An error occurred (CODE) when ...": CODE, into buf. */
static const char *error_code(const char *err, char *buf, size_t n) {
  const char *p = err ? strstr(err, "An error occurred (") : NULL;
  const char *e = p ? strchr(p + 19, ')') : NULL;
  if (!e || (size_t)(e - p - 19) >= n)
    return NULL;
  snprintf(buf, n, "%.*s", (int)(e - p - 19), p + 19);
  return buf;
}

static void ready_push(Exec *x, int i) {
  int k = x->nready++;
  for (; k > 0 && x->ready[(k - 1) / 2] > i; k = (k - 1) / 2)
    x->ready[k] = x->ready[(k - 1) / 2];
  x->ready[k] = i;
}

static int ready_pop(Exec *x) {
  int top = x->ready[0], last = x->ready[--x->nready], k = 0;
  for (;;) {
    int c = 2 * k + 1;
    if (c >= x->nready)
      break;
    if (c + 1 < x->nready && x->ready[c + 1] < x->ready[c])
      c++;
    if (x->ready[c] >= last)
      break;
    x->ready[k] = x->ready[c];
    k = c;
  }
  x->ready[k] = last;
  return top;
}

/* The journal's record of a step, applied to the state in memory too. */
static void record(Exec *x, cJSON *rec) {
  if (!journal_append(&x->journal, rec)) {
    x->rc = 1;
    x->stop = true;
  }
  journal_apply(x->state, rec);
  cJSON_Delete(rec);
}

/* The captures of the step that the state keeps: its resource's, not the
   secrets. */
static cJSON *kept_captures(Exec *x, const Step *st) {
  cJSON *caps = cJSON_CreateObject();
  size_t n = strlen(st->res);
  const cJSON *want = cJSON_GetObjectItem(st->s, "captures");
  for (const cJSON *c = want ? want->child : NULL; c; c = c->next) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x->r.captures, c->string);
    if (v && !strncmp(c->string, st->res, n) && c->string[n] == '.' &&
        !cJSON_GetObjectItemCaseSensitive(x->r.secret, c->string))
      cJSON_AddItemToObject(caps, c->string + n + 1, cJSON_Duplicate(v, true));
  }
  return caps;
}

static void step_done(Exec *x, int i, const char *how) {
  Step *st = &x->steps[i];
  bool del = !strcmp(st->action, "delete");
  if (!st->skip && x->r.opt->state_path) {
    cJSON *rec = cJSON_CreateObject();
    if (st->last && del) {
      cJSON_AddStringToObject(rec, "delete", st->logical);
    } else if (st->last) {
      cJSON_AddStringToObject(rec, "settle", st->logical);
      cJSON_AddStringToObject(rec, "resource", st->res);
      cJSON_AddItemToObject(rec, "captures", kept_captures(x, st));
      const cJSON *def = cJSON_GetObjectItemCaseSensitive(
          cJSON_GetObjectItem(x->new_t, "Resources"), st->logical);
      if (def)
        cJSON_AddItemToObject(rec, "template",
                              fold_params(def, cJSON_GetObjectItem(x->new_t, "Parameters")));
    } else if (!del) {
      cJSON_AddStringToObject(rec, "step", st->logical);
      cJSON_AddStringToObject(rec, "resource", st->res);
      cJSON_AddNumberToObject(rec, "n", st->n);
      cJSON_AddItemToObject(rec, "captures", kept_captures(x, st));
    }
    if (rec->child)
      record(x, rec);
    else
      cJSON_Delete(rec);
  }
  st->status = ST_DONE;
  x->ndone++;
  x->progress.done = x->ndone;
  if (how)
    progress_line(&x->progress, "      %s %s: %s %s (%.1fs)", how, st->res, st->service, st->op,
                  progress_now() - st->since);
  for (int k = 0; k < st->nnext; k++)
    if (--x->steps[st->next[k]].nwait == 0)
      ready_push(x, st->next[k]);
}

static void step_failed(Exec *x, int i, const char *what, char *err) {
  Step *st = &x->steps[i];
  st->status = ST_FAILED;
  redact(&x->r, err);
  const char *where = x->r.opt->where ? x->r.opt->where(x->r.opt->ctx, st->res) : NULL;
  char *shown = term_escaped(err, 1);
  progress_clear(&x->progress);
  fprintf(stderr, "infrac: step %s failed: %s%s %s of %s%s%s\n%s%s", st->id, what, st->service,
          st->op, st->res, where ? ", declared at " : "", where ? where : "", shown,
          *shown && shown[strlen(shown) - 1] != '\n' ? "\n" : "");
  free(shown);
  x->rc = 1;
  x->stop = true;
}

/* The native path's client of a slot: the first made from the
   credentials, the others copies of it. */
static AwsClient *slot_client(Exec *x, int slot, char **err) {
  if (!native(&x->r) || x->clients[slot])
    return x->clients[slot];
  for (int k = 0; k < x->nslots; k++)
    if (x->clients[k])
      return x->clients[slot] = aws_client_clone(x->clients[k]);
  const ApplyOptions *o = x->r.opt;
  x->clients[slot] =
      aws_client_new(o->region, o->endpoint_url, o->profile, o->aws ? o->aws : "aws", err);
  if (x->clients[slot])
    aws_client_wait_limit(x->clients[slot], o->wait_timeout);
  return x->clients[slot];
}

static bool dispatch_after(Exec *x, int i, int phase, const char *op, cJSON *params,
                           cJSON *later, int delay_ms) {
  int slot = sched_free_slot(x->sched);
  char *err = NULL;
  AwsClient *aws = slot_client(x, slot, &err);
  if (native(&x->r) && !aws) {
    progress_clear(&x->progress);
    fprintf(stderr, "infrac: %s\n", err ? err : "no AWS client");
    free(err);
    cJSON_Delete(params);
    cJSON_Delete(later);
    x->rc = 1;
    x->stop = true;
    return false;
  }
  Job *j = calloc(1, sizeof *j);
  *j = (Job){&x->r, aws, i, phase, strdup(x->steps[i].service), strdup(op), params, later, 0,
             NULL, NULL, delay_ms};
  sched_start(x->sched, j, slot);
  return true;
}

static bool dispatch(Exec *x, int i, int phase, const char *op, cJSON *params, cJSON *later) {
  return dispatch_after(x, i, phase, op, params, later, 0);
}

/* Answers that AWS completes a while after the call that made what they
   describe: read again, a pause between, while a capture is not in them
   yet. ACM adds a certificate's DNS validation record to
   DescribeCertificate some seconds after RequestCertificate. */
static const struct {
  const char *service, *operation;
  int attempts, pause_ms;
} reread_rows[] = {{"acm", "DescribeCertificate", 30, 2000}};

/* Whether step i's answer, without capture path, is read again (and is). */
static bool reread(Exec *x, Job *j, const char *path) {
  Step *st = &x->steps[j->step];
  for (size_t k = 0; k < sizeof reread_rows / sizeof *reread_rows; k++) {
    if (strcmp(reread_rows[k].service, st->service) || strcmp(reread_rows[k].operation, st->op) ||
        st->rereads >= reread_rows[k].attempts)
      continue;
    st->rereads++;
    progress_line(&x->progress, "      %s of %s has no %s yet: read again (%d)", st->op, st->res,
                  path, st->rereads);
    return dispatch_after(x, j->step, PH_CALL, st->op, cJSON_Duplicate(j->params, true), NULL,
                          reread_rows[k].pause_ms);
  }
  return false;
}

/* Starts step i: fills its params, marks it in flight in the journal (with
   its client token), and calls, or first looks for what an earlier run's
   call of it made. */
static void start(Exec *x, int i) {
  Step *st = &x->steps[i];
  st->since = progress_now();
  st->status = ST_RUNNING;
  if (st->skip) {
    progress_line(&x->progress, "[%d/%d] %s %s: %s %s (done before)", ++x->started, x->total,
                  st->action, st->res, st->service, st->op);
    step_done(x, i, NULL);
    return;
  }
  const cJSON *caps = cJSON_GetObjectItem(st->s, "captures");
  /* a secret given on the command line needs no read from SSM */
  bool given = caps && caps->child && !caps->child->next &&
               cJSON_GetObjectItemCaseSensitive(x->r.secret, caps->child->string);
  char *missing = NULL;
  const cJSON *given_params = cJSON_GetObjectItem(st->s, "params");
  cJSON *params = given_params ? fill(&x->r, given_params, NULL, &missing) : cJSON_CreateObject();
  progress_line(&x->progress, "[%d/%d] %s %s: %s %s%s", ++x->started, x->total, st->action,
                st->res, st->service, st->op, st->inflight ? " (in flight when the last run ended)" : "");
  if (given) {
    free(missing);
    cJSON_Delete(params);
    step_done(x, i, "given");
    return;
  }
  if (missing) {
    progress_clear(&x->progress);
    fprintf(stderr, "infrac: step %s (%s %s of %s) needs ${%s}, which no earlier step made\n",
            st->id, st->service, st->op, st->res, missing);
    st->status = ST_FAILED;
    free(missing);
    cJSON_Delete(params);
    x->rc = 1;
    x->stop = true;
    return;
  }
  bool del = !strcmp(st->action, "delete");
  if (!del && st->n == 0)
    resume_tag(params, x->r.opt->stack, st->res);
  const AwsOperation *aop = aws_operation(st->service, st->op);
  const char *tok_member = aop ? aop->idempotency_token : NULL;
  char token[37] = "";
  if (tok_member && !cJSON_GetObjectItemCaseSensitive(params, tok_member)) {
    if (st->inflight && st->token)
      snprintf(token, sizeof token, "%s", st->token);
    else
      awsproto_uuid4(token);
    cJSON_AddStringToObject(params, tok_member, token);
  }
  const cJSON *stem = per_request_stem(st->op, params);
  if (stem) {
    if (!*token && st->inflight && st->token)
      snprintf(token, sizeof token, "%s", st->token);
    else if (!*token)
      awsproto_uuid4(token);
    char *unique = NULL;
    if (asprintf(&unique, "%s-%s", stem->valuestring, token) < 0)
      abort();
    cJSON_ReplaceItemInObjectCaseSensitive(params, stem->string, cJSON_CreateString(unique));
    free(unique);
  }
  if (!del && x->r.opt->state_path) {
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddStringToObject(rec, "start", st->logical);
    cJSON_AddStringToObject(rec, "resource", st->res);
    cJSON_AddNumberToObject(rec, "n", st->n);
    cJSON_AddStringToObject(rec, "op", st->op);
    if (*token)
      cJSON_AddStringToObject(rec, "token", token);
    record(x, rec);
    if (x->stop) {
      cJSON_Delete(params);
      return;
    }
  }
  const char *describe = NULL;
  cJSON *find = st->inflight ? resume_find(st->op, params, x->r.opt->stack, st->res, &describe)
                             : NULL;
  if (find)
    dispatch(x, i, PH_FIND, describe, find, params);
  else
    dispatch(x, i, PH_CALL, st->op, params, NULL);
}

static void call_ended(Exec *x, Job *j, const char *how) {
  Step *st = &x->steps[j->step];
  const cJSON *caps = cJSON_GetObjectItem(st->s, "captures");
  const cJSON *trims = cJSON_GetObjectItem(st->s, "captures_trimmed");
  const cJSON *wheres = cJSON_GetObjectItem(st->s, "captures_where");
  for (const cJSON *c = caps ? caps->child : NULL; c; c = c->next) {
    const cJSON *where = cJSON_GetObjectItemCaseSensitive(wheres, c->string);
    int matches = 1;
    cJSON *v = cJSON_IsObject(where) ? captured_where(j->out, c->valuestring, where, &matches)
                                     : captured_value(j->out, c->valuestring);
    const cJSON *trim = cJSON_GetObjectItemCaseSensitive(trims, c->string);
    size_t cut = cJSON_IsString(trim) ? strlen(trim->valuestring) : 0;
    if (cut && cJSON_IsString(v) && !strncmp(v->valuestring, trim->valuestring, cut))
      memmove(v->valuestring, v->valuestring + cut, strlen(v->valuestring + cut) + 1);
    if (!v && matches == 1 && reread(x, j, c->valuestring))
      return;
    if (!v && matches != 1) { /* not found, or two: refused rather than guessed */
      progress_clear(&x->progress);
      char *w = cJSON_PrintUnformatted(where);
      fprintf(stderr,
              "infrac: step %s (%s %s of %s): %d items of the answer match %s: %s; apply with the "
              "state apply wrote, which records the ID\n",
              st->id, st->service, st->op, st->res, matches, w,
              matches ? "which one is the stack's is not known" : "none is the stack's");
      free(w);
      x->rc = 1;
      x->stop = true;
      return;
    }
    if (!v) {
      progress_clear(&x->progress);
      fprintf(stderr, "infrac: step %s (%s %s of %s): the response has no %s\n", st->id,
              st->service, st->op, st->res, c->valuestring);
      x->rc = 1;
      x->stop = true;
      return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(x->r.captures, c->string);
    cJSON_AddItemToObject(x->r.captures, c->string, v);
    if (!strncmp(c->string, "param.", 6))
      cJSON_AddTrueToObject(x->r.secret, c->string);
  }
  const char *w = member_text(st->s, "wait");
  cJSON *in = w ? waiter_input(&x->r, w, st->s, j->params) : NULL;
  if (in) {
    char *wname = waiter_cli(w);
    progress_line(&x->progress, "      waiting: %s (%s)", wname, st->res);
    free(wname);
    dispatch(x, j->step, PH_WAIT, w, in, NULL);
    return;
  }
  step_done(x, j->step, how);
}

static void ended(Exec *x, Job *j) {
  Step *st = &x->steps[j->step];
  char code[128];
  if (j->phase == PH_FIND) {
    cJSON *call = j->later;
    j->later = NULL;
    cJSON *found = j->code ? NULL : resume_found(st->op, call, x->r.opt->stack, st->res, j->out);
    if (found) {
      cJSON_Delete(j->out);
      j->out = found;
      cJSON_Delete(j->params);
      j->params = call;
      progress_line(&x->progress, "      found what the last run's call made: %s", st->res);
      call_ended(x, j, "found");
    } else if (x->rc || interrupt_level) {
      cJSON_Delete(call);
    } else {
      dispatch(x, j->step, PH_CALL, st->op, call, NULL);
    }
  } else if (j->phase == PH_CALL && j->code &&
             !(st->inflight && resume_done_code(st->op, error_code(j->err, code, sizeof code))) &&
             !(!strcmp(st->action, "delete") &&
               resume_gone_code(error_code(j->err, code, sizeof code)))) {
    step_failed(x, j->step, "", j->err ? j->err : (j->err = strdup("")));
  } else if (j->phase == PH_CALL) {
    call_ended(x, j, strcmp(st->action, "delete") ? "done" : "deleted");
  } else if (j->code) {
    char *what = NULL;
    if (asprintf(&what, "waiting (%s) after ", member_text(st->s, "wait")) < 0)
      abort();
    step_failed(x, j->step, what, j->err ? j->err : (j->err = strdup("")));
    free(what);
  } else {
    step_done(x, j->step, "ready");
  }
  job_free(j);
}

/* Steps, their order and what an earlier run left of them. */
static bool build_steps(Exec *x, const cJSON *steps) {
  const ApplyOptions *opt = x->r.opt;
  StrMap ids = {0}, prev = {0};
  const cJSON *sres = cJSON_GetObjectItem(x->state, "resources");
  int i = 0;
  for (const cJSON *s = steps->child; s; s = s->next, i++) {
    Step *st = &x->steps[i];
    st->s = s;
    st->id = member_text(s, "id");
    st->res = member_text(s, "resource");
    st->service = member_text(s, "service");
    st->op = member_text(s, "operation");
    st->action = member_text(s, "action");
    st->logical = opt->logical_of ? opt->logical_of(opt->ctx, st->res) : NULL;
    if (!st->logical)
      st->logical = st->res;
    strmap_put(&ids, st->id, (void *)(intptr_t)(i + 1));
    intptr_t before = (intptr_t)strmap_get(&prev, st->res);
    st->n = before ? x->steps[before - 1].n + 1 : 0;
    st->prev = (int)before;
    strmap_put(&prev, st->res, (void *)(intptr_t)(i + 1));
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(sres, st->logical);
    const cJSON *done = cJSON_GetObjectItem(e, "steps_done");
    const cJSON *fl = cJSON_GetObjectItem(e, "inflight");
    bool del = !strcmp(st->action, "delete");
    st->skip = !del && cJSON_IsNumber(done) && st->n < (int)done->valuedouble;
    st->inflight = !del && !st->skip && cJSON_IsNumber(cJSON_GetObjectItem(fl, "n")) &&
                   (int)cJSON_GetObjectItem(fl, "n")->valuedouble == st->n &&
                   member_text(fl, "op") && !strcmp(member_text(fl, "op"), st->op);
    st->token = st->inflight ? member_text(fl, "token") : NULL;
  }
  /* the edges: depends_on, and each step after the one before it of its
     resource */
  int *cap = calloc((size_t)x->total, sizeof *cap);
  i = 0;
  for (const cJSON *s = steps->child; s; s = s->next, i++) {
    const cJSON *deps = cJSON_GetObjectItem(s, "depends_on");
    int nd = cJSON_GetArraySize(deps);
    intptr_t self_prev = x->steps[i].prev;
    for (int d = -1; d < nd; d++) {
      intptr_t from = d < 0 ? self_prev : 0;
      const cJSON *dep = d >= 0 ? cJSON_GetArrayItem(deps, d) : NULL;
      if (cJSON_IsString(dep))
        from = (intptr_t)strmap_get(&ids, dep->valuestring);
      if (!from || from - 1 == i)
        continue;
      Step *f = &x->steps[from - 1];
      if (f->nnext == cap[from - 1]) {
        cap[from - 1] = cap[from - 1] ? cap[from - 1] * 2 : 4;
        f->next = realloc(f->next, (size_t)cap[from - 1] * sizeof *f->next);
      }
      f->next[f->nnext++] = i;
      x->steps[i].nwait++;
    }
  }
  free(cap);
  /* each resource's last step */
  for (int k = x->total - 1; k >= 0; k--)
    if (strmap_get(&prev, x->steps[k].res)) {
      x->steps[k].last = true;
      strmap_put(&prev, x->steps[k].res, NULL);
    }
  strmap_free(&ids);
  strmap_free(&prev);
  return true;
}

/* The steps given up in flight, named: the next run looks for what they
   made before it calls again. */
static void say_abandoned(Exec *x) {
  progress_clear(&x->progress);
  for (int i = 0; i < x->total; i++) {
    const Step *st = &x->steps[i];
    if (st->status == ST_RUNNING)
      fprintf(stderr, "infrac: given up in flight: %s %s: %s %s (the next apply looks for what "
                      "it made before calling again)\n",
              st->action, st->res, st->service, st->op);
  }
}

static void draw(Exec *x) {
  static double last;
  double now = progress_now();
  if (!x->progress.live || now - last < 0.2)
    return;
  last = now;
  const char *names[8];
  double since[8];
  int n = 0;
  for (int i = 0; i < x->total && n < 8; i++)
    if (x->steps[i].status == ST_RUNNING)
      names[n] = x->steps[i].res, since[n++] = x->steps[i].since;
  progress_draw(&x->progress, n, names, since);
}

/* The members of obj that model has, moved into model's order; the others
   after them, in their own order. Linear: obj's members found by name. */
static void order_like(cJSON *obj, const cJSON *model) {
  int n = cJSON_GetArraySize(obj), k = 0, m = 0;
  if (!cJSON_IsObject(model) || n < 2)
    return;
  cJSON **was = malloc(sizeof *was * (size_t)n), **now = malloc(sizeof *now * (size_t)n);
  StrMap at = {0};
  for (cJSON *e = obj->child; e; e = e->next, k++) {
    was[k] = e;
    if (e->string)
      strmap_put(&at, e->string, e);
  }
  for (const cJSON *x = model->child; x; x = x->next) {
    cJSON *e = strmap_get(&at, x->string);
    if (e) {
      now[m++] = e;
      strmap_put(&at, x->string, NULL); /* taken */
    }
  }
  for (k = 0; k < n; k++) /* the rest: those still in the map, or unnamed */
    if (!was[k]->string || strmap_get(&at, was[k]->string) == was[k])
      now[m++] = was[k];
  for (k = 0; k < n && m == n; k++) { /* m < n: a name twice, left as it is */
    now[k]->next = k + 1 < n ? now[k + 1] : NULL;
    now[k]->prev = k ? now[k - 1] : now[n - 1]; /* cJSON: the head's prev is the tail */
  }
  if (m == n)
    obj->child = now[0];
  strmap_free(&at);
  free(was);
  free(now);
}

int apply_run(const cJSON *plan, const cJSON *new_t, cJSON *state, const ApplyOptions *opt) {
  Exec x = {.r = {opt, cJSON_CreateObject(), cJSON_CreateObject()}, .new_t = new_t,
            .state = state, .journal = {-1, NULL}};
  /* captures of the deployed resources, then the parameters */
  const cJSON *sres = cJSON_GetObjectItem(state, "resources");
  for (const cJSON *e = sres ? sres->child : NULL; e; e = e->next) {
    const cJSON *res = cJSON_GetObjectItem(e, "resource");
    const cJSON *caps = cJSON_GetObjectItem(e, "captures");
    for (const cJSON *c = caps ? caps->child : NULL; c; c = c->next) {
      char *name = NULL;
      if (asprintf(&name, "%s.%s", cJSON_IsString(res) ? res->valuestring : e->string,
                   c->string) < 0)
        abort();
      cJSON_AddItemToObject(x.r.captures, name, cJSON_Duplicate(c, true));
      free(name);
    }
  }
  for (const cJSON *p = opt->params ? opt->params->child : NULL; p; p = p->next) {
    char *name = NULL;
    if (asprintf(&name, "param.%s", p->string) < 0)
      abort();
    cJSON_AddStringToObject(x.r.captures, name, p->valuestring);
    cJSON_AddTrueToObject(x.r.secret, name);
    free(name);
  }
  const cJSON *steps = cJSON_GetObjectItem(plan, "steps");
  x.total = cJSON_GetArraySize(steps);
  x.steps = calloc((size_t)x.total + 1, sizeof *x.steps);
  x.ready = calloc((size_t)x.total + 1, sizeof *x.ready);
  build_steps(&x, steps);
  for (int i = 0; i < x.total; i++)
    if (!x.steps[i].nwait)
      ready_push(&x, i);
  x.nslots = opt->jobs > 0 ? opt->jobs : 1;
  x.clients = calloc((size_t)x.nslots, sizeof *x.clients);
  x.sched = sched_new(x.nslots, !opt->run, job_work);
  progress_begin(&x.progress, stdout, x.total);
  /* the credentials before the first step is marked in flight: a run that
     cannot call AWS leaves the state as it found it */
  char *cred_err = NULL;
  if (native(&x.r) && x.nready && !slot_client(&x, 0, &cred_err)) {
    fprintf(stderr, "infrac: %s\n", cred_err ? cred_err : "no AWS client");
    x.rc = 1, x.stop = true;
  }
  free(cred_err);
  if (!x.stop && opt->state_path && !journal_open(&x.journal, opt->state_path))
    x.rc = 1, x.stop = true;
  interrupt_begin();
  bool abandon = false;
  for (;;) {
    if (interrupt_level >= 2) {
      abandon = true;
      break;
    }
    if (interrupt_level && !x.stop)
      x.stop = true;
    while (!x.stop && x.nready && sched_free_slot(x.sched) >= 0)
      start(&x, ready_pop(&x));
    if (!sched_running(x.sched) && (x.stop || !x.nready))
      break;
    Job *j = sched_next(x.sched, x.progress.live ? 0.25 : 0.5);
    if (j)
      ended(&x, j);
    draw(&x);
  }
  interrupt_end();
  progress_clear(&x.progress);
  if (abandon)
    say_abandoned(&x);
  else if (!x.rc && x.ndone < x.total) {
    if (interrupt_level)
      fprintf(stderr, "infrac: interrupted: %d of %d steps done; the state is saved, and the next "
                      "apply goes on from there\n", x.ndone, x.total);
    else
      fprintf(stderr, "infrac: %d of %d steps could not start: their depends_on wait on each "
                      "other\n", x.total - x.ndone, x.total);
    x.rc = 1;
  }
  if (!x.rc) {
    cJSON *t = cJSON_GetObjectItem(state, "template");
    /* what went with its owner had no step of its own: gone all the same */
    cJSON *tres = cJSON_GetObjectItem(t, "Resources");
    cJSON *ids = cJSON_GetObjectItem(state, "resources");
    const cJSON *keep = cJSON_GetObjectItem(new_t, "Resources");
    for (cJSON *e = tres ? tres->child : NULL, *next; e; e = next) {
      next = e->next;
      if (!cJSON_GetObjectItemCaseSensitive(keep, e->string)) {
        cJSON_DeleteItemFromObjectCaseSensitive(ids, e->string);
        cJSON_DeleteItemFromObjectCaseSensitive(tres, e->string);
      }
    }
    const cJSON *params = cJSON_GetObjectItem(new_t, "Parameters");
    cJSON_DeleteItemFromObjectCaseSensitive(t, "Parameters");
    if (params)
      cJSON_AddItemToObject(t, "Parameters", cJSON_Duplicate(params, true));
  }
  /* in the source's order, not the order steps ended in: the same stack
     gives the same state, and what reads it (plan --refresh) the same output */
  order_like(cJSON_GetObjectItem(cJSON_GetObjectItem(state, "template"), "Resources"),
             cJSON_GetObjectItem(new_t, "Resources"));
  order_like(cJSON_GetObjectItem(state, "resources"), cJSON_GetObjectItem(new_t, "Resources"));
  /* the state whole; then the journal it now holds goes */
  bool saved = !opt->state_path || apply_write_state(state, opt->state_path);
  if (!saved)
    x.rc = 1;
  journal_close(&x.journal, saved);
  if (abandon) {
    /* the calls given up still run on their threads, on this run's
       memory: the process ends here, the state saved, its children killed
       (interrupt.c); the lock goes with the process */
    fprintf(stderr, "infrac: stopped%s\n", saved ? "; the state is saved" : "");
    fflush(stdout);
    _exit(130);
  }
  sched_free(x.sched, false);
  for (int i = 0; i < x.nslots; i++)
    aws_client_free(x.clients[i]);
  free(x.clients);
  for (int i = 0; i < x.total; i++)
    free(x.steps[i].next);
  free(x.steps);
  free(x.ready);
  for (const cJSON *p = x.r.secret->child; p; p = p->next) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(x.r.captures, p->string);
    secret_wipe(cJSON_IsString(v) ? v->valuestring : NULL);
  }
  cJSON_Delete(x.r.captures);
  cJSON_Delete(x.r.secret);
  return x.rc;
}
