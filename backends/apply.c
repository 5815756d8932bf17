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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "infrac.h" /* Buf */
#include "awscall.h"
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
  char *text = cJSON_Print(state);
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
  AwsClient *aws;  /* the native path's, made at the first call */
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

/* ---- running the CLI ---- */

/* Runs argv; its stdout into *out, its stderr into *err. */
static int run_cmd(char *const argv[], char **out, char **err) {
  int po[2], pe[2];
  if (pipe(po) || pipe(pe))
    return -1;
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    dup2(po[1], 1);
    dup2(pe[1], 2);
    close(po[0]), close(pe[0]), close(po[1]), close(pe[1]);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
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
  waitpid(pid, &status, 0);
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

static bool client(Run *r, char **err) {
  if (!r->aws)
    r->aws = aws_client_new(r->opt->region, r->opt->endpoint_url, r->opt->profile,
                            r->opt->aws ? r->opt->aws : "aws", err);
  return r->aws != NULL;
}

/* A step's call on either path: 0 with *output the response as the AWS
   CLI prints it, else nonzero with *err the error's text. */
static int step_call(Run *r, const char *service, const char *op, const cJSON *params,
                     cJSON **output, char **err) {
  *output = NULL;
  if (native(r)) {
    if (!client(r, err))
      return 1;
    return aws_call_op(r->aws, service, op, params, output, err);
  }
  char *out = NULL;
  int code = aws_call(r, service, NULL, op, params, &out, err);
  if (!code)
    *output = out ? cJSON_Parse(out) : NULL;
  free(out);
  return code;
}

static char *waiter_cli(const char *w);

static int step_wait(Run *r, const char *service, const char *waiter, const cJSON *in,
                     char **err) {
  if (native(r))
    return client(r, err) ? aws_call_wait(r->aws, service, waiter, in, err) : 1;
  char *wname = waiter_cli(waiter), *wout = NULL;
  int code = aws_call(r, service, "wait", wname, in, &wout, err);
  free(wname);
  free(wout);
  return code;
}

/* What each waiter needs to find the resource: the parameter of its describe
   call and the capture that holds the ID. */
static const struct {
  const char *waiter, *param, *capture;
  bool list;
} waiters[] = {
    {"vpc_available", "VpcIds", "id", true},
    {"nat_gateway_available", "NatGatewayIds", "id", true},
    {"nat_gateway_deleted", "NatGatewayIds", NULL, true},
    {"instance_running", "InstanceIds", "id", true},
    {"instance_terminated", "InstanceIds", NULL, true},
    {"db_instance_available", "DBInstanceIdentifier", "id", false},
    {"db_instance_deleted", "DBInstanceIdentifier", NULL, false},
    {"load_balancer_available", "LoadBalancerArns", "arn", true},
    {"load_balancers_deleted", "LoadBalancerArns", NULL, true},
    {"certificate_validated", "CertificateArn", NULL, false},
    {"resource_request_success", "RequestToken", NULL, false},
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

/* Counts the steps left of each resource in the plan. */
static cJSON *steps_left(const cJSON *steps) {
  cJSON *left = cJSON_CreateObject();
  for (const cJSON *s = steps->child; s; s = s->next) {
    const char *res = cJSON_GetObjectItem(s, "resource")->valuestring;
    cJSON *n = cJSON_GetObjectItemCaseSensitive(left, res);
    if (n)
      cJSON_SetNumberValue(n, n->valuedouble + 1);
    else
      cJSON_AddNumberToObject(left, res, 1);
  }
  return left;
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
    if (!strcmp(k, "Fn::Sub")) {
      size_t cap = strlen(val) + 64, len = 0;
      char *out = malloc(cap);
      for (const char *p = val; *p;) {
        const char *end = p[0] == '$' && p[1] == '{' ? strchr(p, '}') : NULL;
        char *name = end ? strndup(p + 2, (size_t)(end - p - 2)) : NULL;
        const cJSON *d = name ? foldable(params, name) : NULL;
        char *text = d ? value_text(d) : NULL;
        const char *piece = text ? text : p;
        size_t n = text ? strlen(text) : end ? (size_t)(end - p + 1) : 1;
        while (len + n + 1 > cap)
          out = realloc(out, cap *= 2);
        memcpy(out + len, piece, n);
        len += n;
        p = end ? end + 1 : p + 1;
        free(name);
        free(text);
      }
      out[len] = '\0';
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "Fn::Sub", out);
      free(out);
      return o;
    }
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

/* The resource's last step is done: the state now holds it as new_t says,
   or no longer holds it. */
static void settle_resource(Run *r, cJSON *state, const cJSON *new_t, const char *res,
                            const char *action) {
  const char *logical = r->opt->logical_of ? r->opt->logical_of(r->opt->ctx, res) : res;
  if (!logical)
    logical = res;
  cJSON *tres = cJSON_GetObjectItem(cJSON_GetObjectItem(state, "template"), "Resources");
  cJSON *sres = cJSON_GetObjectItem(state, "resources");
  cJSON_DeleteItemFromObjectCaseSensitive(tres, logical);
  if (!strcmp(action, "delete")) {
    cJSON_DeleteItemFromObjectCaseSensitive(sres, logical);
    return;
  }
  const cJSON *def = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(new_t, "Resources"),
                                                      logical);
  if (def)
    cJSON_AddItemToObject(tres, logical, fold_params(def, cJSON_GetObjectItem(new_t, "Parameters")));
  cJSON *entry = cJSON_GetObjectItemCaseSensitive(sres, logical);
  if (!entry) {
    entry = cJSON_AddObjectToObject(sres, logical);
    cJSON_AddStringToObject(entry, "resource", res);
    cJSON_AddObjectToObject(entry, "captures");
  }
  cJSON_DeleteItemFromObjectCaseSensitive(entry, "steps_done");
  /* keep what this run captured for it */
  cJSON *caps = cJSON_GetObjectItem(entry, "captures");
  size_t n = strlen(res);
  for (const cJSON *c = r->captures->child; c; c = c->next) {
    if (strncmp(c->string, res, n) || c->string[n] != '.' ||
        cJSON_GetObjectItemCaseSensitive(r->secret, c->string))
      continue;
    cJSON_DeleteItemFromObjectCaseSensitive(caps, c->string + n + 1);
    cJSON_AddItemToObject(caps, c->string + n + 1, cJSON_Duplicate(c, true));
  }
}

/* A step of a resource that is not finished: its captures so far, and how
   many of its steps are done, so that a later run skips them. */
static void note_progress(Run *r, cJSON *state, const char *res) {
  const char *logical = r->opt->logical_of ? r->opt->logical_of(r->opt->ctx, res) : res;
  if (!logical)
    logical = res;
  cJSON *sres = cJSON_GetObjectItem(state, "resources");
  cJSON *entry = cJSON_GetObjectItemCaseSensitive(sres, logical);
  if (!entry) {
    entry = cJSON_AddObjectToObject(sres, logical);
    cJSON_AddStringToObject(entry, "resource", res);
    cJSON_AddObjectToObject(entry, "captures");
  }
  cJSON *done = cJSON_GetObjectItem(entry, "steps_done");
  if (done)
    cJSON_SetNumberValue(done, done->valuedouble + 1);
  else
    cJSON_AddNumberToObject(entry, "steps_done", 1);
  cJSON *caps = cJSON_GetObjectItem(entry, "captures");
  size_t n = strlen(res);
  for (const cJSON *c = r->captures->child; c; c = c->next) {
    if (strncmp(c->string, res, n) || c->string[n] != '.' ||
        cJSON_GetObjectItemCaseSensitive(r->secret, c->string))
      continue;
    cJSON_DeleteItemFromObjectCaseSensitive(caps, c->string + n + 1);
    cJSON_AddItemToObject(caps, c->string + n + 1, cJSON_Duplicate(c, true));
  }
}

/* Steps of an unfinished resource that an earlier run did. */
static int steps_done(Run *r, const cJSON *state, const char *res) {
  const char *logical = r->opt->logical_of ? r->opt->logical_of(r->opt->ctx, res) : res;
  const cJSON *entry = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(state, "resources"),
                                                        logical ? logical : res);
  const cJSON *done = cJSON_GetObjectItem(entry, "steps_done");
  return cJSON_IsNumber(done) ? (int)done->valuedouble : 0;
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

int apply_run(const cJSON *plan, const cJSON *new_t, cJSON *state, const ApplyOptions *opt) {
  Run r = {opt, cJSON_CreateObject(), cJSON_CreateObject(), NULL};
  /* captures of the deployed resources, then the parameters */
  const cJSON *sres = cJSON_GetObjectItem(state, "resources");
  for (const cJSON *e = sres ? sres->child : NULL; e; e = e->next) {
    const cJSON *res = cJSON_GetObjectItem(e, "resource");
    for (const cJSON *c = cJSON_GetObjectItem(e, "captures") ? cJSON_GetObjectItem(e, "captures")->child
                                                              : NULL;
         c; c = c->next) {
      char *name = NULL;
      if (asprintf(&name, "%s.%s", cJSON_IsString(res) ? res->valuestring : e->string,
                   c->string) < 0)
        abort();
      cJSON_AddItemToObject(r.captures, name, cJSON_Duplicate(c, true));
      free(name);
    }
  }
  for (const cJSON *p = opt->params ? opt->params->child : NULL; p; p = p->next) {
    char *name = NULL;
    if (asprintf(&name, "param.%s", p->string) < 0)
      abort();
    cJSON_AddStringToObject(r.captures, name, p->valuestring);
    cJSON_AddTrueToObject(r.secret, name);
    free(name);
  }
  const cJSON *steps = cJSON_GetObjectItem(plan, "steps");
  cJSON *left = steps_left(steps);
  cJSON *skip = cJSON_CreateObject(); /* resource -> steps an earlier run did */
  for (const cJSON *s = steps->child; s; s = s->next) {
    const char *res = cJSON_GetObjectItem(s, "resource")->valuestring;
    if (!cJSON_GetObjectItemCaseSensitive(skip, res))
      cJSON_AddNumberToObject(skip, res, steps_done(&r, state, res));
  }
  int rc = 0, i = 0, total = cJSON_GetArraySize(steps);
  for (const cJSON *s = steps->child; s && !rc; s = s->next, i++) {
    const char *id = cJSON_GetObjectItem(s, "id")->valuestring;
    const char *res = cJSON_GetObjectItem(s, "resource")->valuestring;
    const char *service = cJSON_GetObjectItem(s, "service")->valuestring;
    const char *op = cJSON_GetObjectItem(s, "operation")->valuestring;
    const char *action = cJSON_GetObjectItem(s, "action")->valuestring;
    const cJSON *caps = cJSON_GetObjectItem(s, "captures");
    /* a secret given on the command line needs no read from SSM */
    bool given = caps && caps->child && !caps->child->next &&
                 cJSON_GetObjectItemCaseSensitive(r.secret, caps->child->string);
    char *missing = NULL;
    const cJSON *given_params = cJSON_GetObjectItem(s, "params");
    cJSON *params = given_params ? fill(&r, given_params, NULL, &missing) : cJSON_CreateObject();
    cJSON *sk = cJSON_GetObjectItemCaseSensitive(skip, res);
    if (sk->valuedouble > 0 && strcmp(action, "delete")) {
      cJSON_SetNumberValue(sk, sk->valuedouble - 1);
      cJSON *n = cJSON_GetObjectItemCaseSensitive(left, res);
      cJSON_SetNumberValue(n, n->valuedouble - 1);
      printf("[%d/%d] %s %s: %s %s (done before)\n", i + 1, total, action, res, service, op);
      cJSON_Delete(params);
      free(missing);
      continue;
    }
    printf("[%d/%d] %s %s: %s %s\n", i + 1, total, action, res, service, op);
    fflush(stdout);
    if (!given && missing) {
      fprintf(stderr, "infrac: step %s (%s %s of %s) needs the capture %s, which no earlier step made\n",
              id, service, op, res, missing);
      rc = 1;
    }
    char *err = NULL;
    cJSON *output = NULL;
    if (!given && !rc) {
      int code = step_call(&r, service, op, params, &output, &err);
      if (code != 0) {
        redact(&r, err ? err : (err = strdup("")));
        const char *where = opt->where ? opt->where(opt->ctx, res) : NULL;
        char *shown = term_escaped(err, 1);
        fprintf(stderr, "infrac: step %s failed: %s %s of %s%s%s\n%s%s", id, service, op, res,
                where ? ", declared at " : "", where ? where : "", shown,
                native(&r) && *shown ? "\n" : "");
        free(shown);
        rc = 1;
      }
    }
    for (const cJSON *c = caps ? caps->child : NULL; c && !rc && !given; c = c->next) {
      cJSON *v = captured_value(output, c->valuestring);
      if (!v) {
        fprintf(stderr, "infrac: step %s (%s %s of %s): the response has no %s\n", id, service,
                op, res, c->valuestring);
        rc = 1;
        break;
      }
      cJSON_DeleteItemFromObjectCaseSensitive(r.captures, c->string);
      cJSON_AddItemToObject(r.captures, c->string, v);
      if (!strncmp(c->string, "param.", 6))
        cJSON_AddTrueToObject(r.secret, c->string);
    }
    const cJSON *w = cJSON_GetObjectItem(s, "wait");
    if (!rc && cJSON_IsString(w)) {
      cJSON *in = waiter_input(&r, w->valuestring, s, params);
      if (in) {
        char *wname = waiter_cli(w->valuestring), *werr = NULL;
        printf("      waiting: %s\n", wname);
        fflush(stdout);
        if (step_wait(&r, service, w->valuestring, in, &werr) != 0) {
          redact(&r, werr ? werr : (werr = strdup("")));
          char *shown = term_escaped(werr, 1);
          fprintf(stderr, "infrac: step %s: waiting for %s failed\n%s%s", id, wname, shown,
                  native(&r) && *shown ? "\n" : "");
          free(shown);
          rc = 1;
        }
        free(wname);
        free(werr);
        cJSON_Delete(in);
      }
    }
    if (!rc) {
      cJSON *n = cJSON_GetObjectItemCaseSensitive(left, res);
      cJSON_SetNumberValue(n, n->valuedouble - 1);
      if (n->valuedouble <= 0)
        settle_resource(&r, state, new_t, res, action);
      else if (strcmp(action, "delete"))
        note_progress(&r, state, res);
      if (opt->state_path && !apply_write_state(state, opt->state_path))
        rc = 1;
    }
    cJSON_Delete(output);
    cJSON_Delete(params);
    free(err);
    free(missing);
  }
  if (!rc) {
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
    if (opt->state_path && !apply_write_state(state, opt->state_path))
      rc = 1;
  }
  cJSON_Delete(left);
  cJSON_Delete(skip);
  for (const cJSON *p = r.secret->child; p; p = p->next) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(r.captures, p->string);
    secret_wipe(cJSON_IsString(v) ? v->valuestring : NULL);
  }
  cJSON_Delete(r.captures);
  cJSON_Delete(r.secret);
  aws_client_free(r.aws);
  return rc;
}
