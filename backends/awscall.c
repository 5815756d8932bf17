/* awscall.c: endpoint, signing, HTTPS and retries for one call, and the
   waiters (botocore's acceptors over the describe call's output). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "awscall.h"
#include "awscreds.h"
#include "awsproto.h"
#include "netlibs.h"
#include "sigv4.h"

struct AwsClient {
  CURL *curl;
  char *region, *endpoint_url;
  AwsCreds creds;
  int wait_limit; /* seconds any waiter waits at most; 0: its own limit */
};

/* ---- endpoints ---- */

/* A region's name without its last two parts: "us-gov" of "us-gov-west-1". */
static size_t family(const char *region) {
  const char *last = strrchr(region, '-');
  for (const char *p = last ? last - 1 : NULL; p && p > region; p--)
    if (*p == '-')
      return (size_t)(p - region);
  return 0;
}

/* The partition of a region: listed in it, or of the family of one of its
   regions (a region newer than the model). */
static const AwsPartition *partition_of(const char *region) {
  size_t fam = family(region);
  const AwsPartition *kin = NULL;
  for (int i = 0; i < aws_npartitions; i++) {
    for (const char *const *r = aws_partitions[i].regions; *r; r++) {
      if (!strcmp(*r, region))
        return &aws_partitions[i];
      if (!kin && fam && family(*r) == fam && !strncmp(*r, region, fam))
        kin = &aws_partitions[i];
    }
  }
  return kin ? kin : &aws_partitions[0];
}

static const AwsGlobalEndpoint *global_of(const AwsService *svc, const char *region) {
  const AwsPartition *p = partition_of(region);
  for (int i = 0; i < aws_nglobals; i++)
    if (!strcmp(aws_globals[i].partition, p->name) && !strcmp(aws_globals[i].prefix, svc->prefix))
      return &aws_globals[i];
  return NULL;
}

bool aws_endpoint(const char *service, const char *region, char **url, const char **sign_region) {
  const AwsService *svc = aws_service(service);
  if (!svc)
    return false;
  const AwsGlobalEndpoint *g = global_of(svc, region);
  *sign_region = g ? g->region : region;
  int r = g ? asprintf(url, "https://%s", g->host)
            : asprintf(url, "https://%s.%s.%s", svc->prefix, region, partition_of(region)->dns_suffix);
  if (r < 0)
    abort();
  return true;
}

/* ---- the client ---- */

AwsClient *aws_client_new(const char *region, const char *endpoint_url, const char *profile,
                          const char *aws, char **err) {
  if (!netlibs_load(err))
    return NULL;
  AwsClient *c = calloc(1, sizeof *c);
  if (!aws_creds_load(profile, aws, &c->creds, err)) {
    free(c);
    return NULL;
  }
  const char *env_url = getenv("AWS_ENDPOINT_URL");
  const char *url = endpoint_url ? endpoint_url : env_url && *env_url ? env_url : NULL;
  c->region = strdup(region);
  c->endpoint_url = url ? strdup(url) : NULL;
  if (c->endpoint_url) {
    size_t n = strlen(c->endpoint_url);
    while (n && c->endpoint_url[n - 1] == '/')
      c->endpoint_url[--n] = '\0';
  }
  c->curl = netlibs()->easy_init();
  if (!c->curl)
    abort();
  return c;
}

AwsClient *aws_client_clone(const AwsClient *c) {
  AwsClient *k = calloc(1, sizeof *k);
  k->region = strdup(c->region);
  k->endpoint_url = c->endpoint_url ? strdup(c->endpoint_url) : NULL;
  k->creds.access_key = strdup(c->creds.access_key);
  k->creds.secret_key = strdup(c->creds.secret_key);
  k->creds.token = c->creds.token ? strdup(c->creds.token) : NULL;
  k->creds.source = c->creds.source;
  k->wait_limit = c->wait_limit;
  k->curl = netlibs()->easy_init();
  if (!k->curl)
    abort();
  return k;
}

void aws_client_wait_limit(AwsClient *c, int seconds) { c->wait_limit = seconds; }

void aws_client_free(AwsClient *c) {
  if (!c)
    return;
  netlibs()->easy_cleanup(c->curl);
  aws_creds_free(&c->creds);
  free(c->region);
  free(c->endpoint_url);
  free(c);
}

typedef struct {
  char *s;
  size_t len;
} Body;

static size_t on_data(char *p, size_t size, size_t n, void *ctx) {
  Body *b = ctx;
  size_t k = size * n;
  char *s = realloc(b->s, b->len + k + 1);
  if (!s)
    return 0;
  b->s = s;
  memcpy(b->s + b->len, p, k);
  b->len += k;
  b->s[b->len] = '\0';
  return k;
}

static void add_header(struct curl_slist **h, const char *name, const char *value) {
  char *line = NULL;
  if (asprintf(&line, "%s: %s", name, value) < 0)
    abort();
  *h = netlibs()->slist_append(*h, line);
  memset(line, 0, strlen(line));
  free(line);
}

/* One HTTP exchange: the request signed now. Returns the HTTP status, 0
   when nothing came back (*err says why). */
static long send_signed(AwsClient *c, const AwsService *svc, const AwsRequest *rq, Body *resp,
                        char **err) {
  const NetLibs *net = netlibs();
  char *base = NULL;
  const char *sign_region = c->region;
  if (c->endpoint_url) {
    base = strdup(c->endpoint_url);
    const AwsGlobalEndpoint *g = global_of(svc, c->region);
    if (g)
      sign_region = g->region;
  } else {
    aws_endpoint(svc->cli, c->region, &base, &sign_region);
  }
  const char *hs = strstr(base, "://");
  hs = hs ? hs + 3 : base;
  char *host = strndup(hs, strcspn(hs, "/"));
  char *url = NULL;
  if (asprintf(&url, "%s%s%s%s", base, rq->path, *rq->query ? "?" : "", rq->query) < 0)
    abort();
  char amz_date[17];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
  SigHeader h[5];
  size_t nh = 0;
  h[nh++] = (SigHeader){"Host", host};
  h[nh++] = (SigHeader){"X-Amz-Date", amz_date};
  if (rq->content_type)
    h[nh++] = (SigHeader){"Content-Type", rq->content_type};
  if (rq->target)
    h[nh++] = (SigHeader){"X-Amz-Target", rq->target};
  if (c->creds.token)
    h[nh++] = (SigHeader){"X-Amz-Security-Token", c->creds.token};
  SigRequest sr = {rq->method, rq->path, rq->query, rq->body, rq->body_len, h, nh, amz_date,
                   sign_region, svc->signing_name, c->creds.access_key, c->creds.secret_key};
  SigResult sig;
  sigv4_sign(&sr, &sig);
  struct curl_slist *headers = NULL;
  for (size_t i = 0; i < nh; i++)
    add_header(&headers, h[i].name, h[i].value);
  add_header(&headers, "Authorization", sig.authorization);
  headers = net->slist_append(headers, "Expect:");
  if (!rq->content_type) /* else curl says form data, and moto takes a body-less
                            DELETE (Route 53's DeleteHostedZone) for the query protocol */
    headers = net->slist_append(headers, "Content-Type:");
  CURL *k = c->curl;
  net->easy_reset(k);
  net->easy_setopt(k, CURLOPT_URL, url);
  net->easy_setopt(k, CURLOPT_HTTPHEADER, headers);
  net->easy_setopt(k, CURLOPT_USERAGENT, "infrac");
  net->easy_setopt(k, CURLOPT_WRITEFUNCTION, on_data);
  net->easy_setopt(k, CURLOPT_WRITEDATA, resp);
  net->easy_setopt(k, CURLOPT_CONNECTTIMEOUT, 10L);
  net->easy_setopt(k, CURLOPT_TIMEOUT, 120L);
  net->easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
  net->easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!strcmp(rq->method, "GET")) {
    net->easy_setopt(k, CURLOPT_HTTPGET, 1L);
  } else {
    net->easy_setopt(k, CURLOPT_POSTFIELDS, rq->body);
    net->easy_setopt(k, CURLOPT_POSTFIELDSIZE, (long)rq->body_len);
    if (strcmp(rq->method, "POST"))
      net->easy_setopt(k, CURLOPT_CUSTOMREQUEST, rq->method);
  }
  CURLcode rc = net->easy_perform(k);
  long status = 0;
  if (rc == CURLE_OK)
    net->easy_getinfo(k, CURLINFO_RESPONSE_CODE, &status);
  else if (asprintf(err, "cannot reach %s: %s", base, net->easy_strerror(rc)) < 0)
    abort();
  net->slist_free_all(headers);
  sigv4_free(&sig);
  free(url);
  free(host);
  free(base);
  return status;
}

/* Errors retried, with capped exponential backoff and full jitter (the
   SDKs' standard mode: a random pause up to min(cap, base * 2^attempt)).
   Throttling and the server's own errors, as the SDKs; and the propagation
   errors of eventual consistency: a resource made a moment ago that
   another call cannot see yet (a security group, a subnet), an instance
   profile or role that cannot be used yet. Those are retried only by calls
   that make or change something: to a Describe, Get or Delete call a
   NotFound is the answer. message: a part of the error's message, or NULL. */
typedef struct {
  const char *code, *message;
  bool propagation;
  int attempts, base_ms, cap_ms;
} Retry;

static const Retry retries[] = {
    {"Throttling", NULL, false, 5, 200, 5000},
    {"ThrottlingException", NULL, false, 5, 200, 5000},
    {"ThrottledException", NULL, false, 5, 200, 5000},
    {"RequestThrottledException", NULL, false, 5, 200, 5000},
    {"TooManyRequestsException", NULL, false, 5, 200, 5000},
    {"RequestLimitExceeded", NULL, false, 5, 200, 5000},
    {"RequestThrottled", NULL, false, 5, 200, 5000},
    {"ProvisionedThroughputExceededException", NULL, false, 5, 200, 5000},
    {"SlowDown", NULL, false, 5, 200, 5000},
    {"PriorRequestNotComplete", NULL, false, 5, 200, 5000},
    {"InternalError", NULL, false, 5, 200, 5000},
    {"InternalFailure", NULL, false, 5, 200, 5000},
    {"ServiceUnavailable", NULL, false, 5, 200, 5000},
    {"InvalidGroup.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidVpcID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidSubnetID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidRouteTableID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidInternetGatewayID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidAllocationID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidNatGatewayID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidInstanceID.NotFound", NULL, true, 8, 500, 8000},
    {"InvalidParameterValue", "Invalid IAM Instance Profile", true, 8, 1000, 8000},
    {"InvalidParameterValueException", "cannot be assumed", true, 8, 1000, 8000},
    {"InvalidParameterException", "Unable to assume role", true, 8, 1000, 8000},
};
/* An answer that did not come, or a server error without a known code. */
static const Retry network = {NULL, NULL, false, 5, 200, 5000};

/* Calls whose NotFound is an answer, not a delay. */
static const char *const reading_verbs[] = {"Describe", "Get", "List", "Delete"};

/* The row of a failed call, or NULL when it is not retried. */
static const Retry *retry_of(const char *op, long status, const char *code, const char *message) {
  bool reads = false;
  for (size_t i = 0; i < sizeof reading_verbs / sizeof *reading_verbs; i++)
    reads |= !strncmp(op, reading_verbs[i], strlen(reading_verbs[i]));
  for (size_t i = 0; code && i < sizeof retries / sizeof *retries; i++)
    if (!strcmp(code, retries[i].code) && (!retries[i].propagation || !reads) &&
        (!retries[i].message || (message && strstr(message, retries[i].message))))
      return &retries[i];
  return status == 0 || status >= 500 ? &network : NULL;
}

/* 0: done, *out set; 1: an AWS error, *code and *err set. */
static int call(AwsClient *c, const AwsOperation *op, const cJSON *params, cJSON **out,
                char **code, char **err) {
  const AwsService *svc = &aws_services[op->service];
  AwsRequest rq;
  *out = NULL;
  *code = NULL;
  if (!awsproto_request(op, params, &rq, err)) {
    char *msg = *err;
    if (asprintf(err, "Parameter validation failed for %s %s: %s", svc->cli, op->name, msg) < 0)
      abort();
    free(msg);
    return 1;
  }
  int rc = 1;
  for (int attempt = 1;; attempt++) {
    Body resp = {0};
    char *net_err = NULL, *message = NULL;
    long status = send_signed(c, svc, &rq, &resp, &net_err);
    if (status >= 200 && status < 300) {
      *out = awsproto_response(op, resp.s ? resp.s : "", resp.len);
      if (!*out && asprintf(err, "%s %s: the response does not parse", svc->cli, op->name) < 0)
        abort();
      rc = *out ? 0 : 1;
      free(resp.s);
      break;
    }
    if (status)
      awsproto_error(op, resp.s ? resp.s : "", resp.len, code, &message);
    const Retry *rule = retry_of(op->name, status, *code, message);
    bool again = rule && attempt < rule->attempts;
    if (!again) {
      int r = net_err ? asprintf(err, "%s", net_err)
                      : asprintf(err, "An error occurred (%s) when calling the %s operation: %s",
                                 *code ? *code : "Unknown", op->name,
                                 message ? message : resp.s ? resp.s : "");
      if (r < 0)
        abort();
    } else {
      free(*code);
      *code = NULL;
    }
    free(net_err);
    free(message);
    free(resp.s);
    if (!again)
      break;
    long cap_ms = (long)rule->base_ms << (attempt - 1);
    if (cap_ms > rule->cap_ms)
      cap_ms = rule->cap_ms;
    usleep((useconds_t)(rand() % (int)(cap_ms * 1000)));
  }
  awsproto_request_free(&rq);
  return rc;
}

int aws_call_op(AwsClient *c, const char *service, const char *op_name, const cJSON *params,
                cJSON **out, char **err) {
  const AwsOperation *op = aws_operation(service, op_name);
  *out = NULL;
  if (!op) {
    if (asprintf(err, "%s %s is not an operation infrac calls natively (use --via=aws-cli)",
                 service, op_name) < 0)
      abort();
    return 1;
  }
  char *code = NULL;
  int rc = call(c, op, params, out, &code, err);
  free(code);
  return rc;
}

/* ---- waiters ---- */

/* A JMESPath projection of the forms the waiters use: "A.B", "A[].B.C". */
static cJSON *project(const cJSON *v, const char *path, bool *is_list) {
  cJSON *cur = cJSON_CreateArray();
  cJSON_AddItemToArray(cur, cJSON_Duplicate(v, true));
  *is_list = false;
  char *copy = strdup(path), *save = NULL;
  for (char *seg = strtok_r(copy, ".", &save); seg; seg = strtok_r(NULL, ".", &save)) {
    size_t n = strlen(seg);
    bool flatten = n > 2 && !strcmp(seg + n - 2, "[]");
    if (flatten)
      seg[n - 2] = '\0';
    *is_list |= flatten;
    cJSON *next = cJSON_CreateArray();
    for (const cJSON *x = cur->child; x; x = x->next) {
      const cJSON *y = cJSON_GetObjectItemCaseSensitive(x, seg);
      if (!y || cJSON_IsNull(y))
        continue;
      if (flatten && cJSON_IsArray(y)) {
        for (const cJSON *e = y->child; e; e = e->next)
          cJSON_AddItemToArray(next, cJSON_Duplicate(e, true));
      } else if (!flatten) {
        cJSON_AddItemToArray(next, cJSON_Duplicate(y, true));
      }
    }
    cJSON_Delete(cur);
    cur = next;
  }
  free(copy);
  return cur;
}

/* How many members of list are not settled, as ECS's services_stable
   filter says: length(L[?!(length(A) == `n` && B == C)]), where settled
   means n members of A and B equal to C. */
static long unsettled(const cJSON *out, const char *list, const char *a, long n, const char *b,
                      const char *c) {
  long count = 0;
  const cJSON *all = cJSON_GetObjectItemCaseSensitive(out, list);
  for (const cJSON *m = cJSON_IsArray(all) ? all->child : NULL; m; m = m->next) {
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(m, a);
    const cJSON *bv = cJSON_GetObjectItemCaseSensitive(m, b);
    const cJSON *cv = cJSON_GetObjectItemCaseSensitive(m, c);
    bool settled = cJSON_IsArray(av) && cJSON_GetArraySize(av) == n && bv && cv &&
                   cJSON_Compare(bv, cv, true);
    count += !settled;
  }
  return count;
}

/* Whether an acceptor's path matcher holds for the output. */
static bool path_matches(const AwsAcceptor *a, const cJSON *out) {
  cJSON *expected = cJSON_Parse(a->expected);
  bool hit = false;
  char inner[256], of[64], la[64], lb[64], lc[64];
  long want = 0, count = 0;
  if (sscanf(a->argument, "length(%63[^[][?!(length(%63[^)]) == `%ld` && %63s == %63[^)])]) == `%ld`",
             of, la, &count, lb, lc, &want) == 6) {
    hit = cJSON_IsTrue(expected) == (unsettled(out, of, la, count, lb, lc) == want);
  } else if (sscanf(a->argument, "length(%255[^)]) == `%ld`", inner, &want) == 2) {
    /* "length(DBInstances) == `0`" */
    bool list;
    cJSON *got = project(out, inner, &list);
    const cJSON *first = got->child;
    long len = cJSON_IsArray(first) ? cJSON_GetArraySize(first) : -1;
    hit = cJSON_IsTrue(expected) == (len == want);
    cJSON_Delete(got);
  } else {
    bool list;
    cJSON *got = project(out, a->argument, &list);
    int n = cJSON_GetArraySize(got), same = 0;
    for (const cJSON *x = got->child; x; x = x->next)
      same += cJSON_Compare(x, expected, true);
    hit = a->matcher == AM_PATH_ALL ? n > 0 && same == n
          : a->matcher == AM_PATH_ANY ? same > 0
                                      : n == 1 && same == 1;
    cJSON_Delete(got);
  }
  cJSON_Delete(expected);
  return hit;
}

/* Sleeps seconds, in tenths, until cancel is set; false if it was. */
static bool pause_unless(int seconds, const atomic_int *cancel) {
  for (int i = 0; i < seconds * 10; i++) {
    if (cancel && atomic_load(cancel))
      return false;
    usleep(100000);
  }
  return !cancel || !atomic_load(cancel);
}

/* Waits that take longer on AWS than botocore's waiters allow: a
   certificate's DNS validation routinely passes its 5 minutes, a Multi-AZ
   encrypted database can take 30 minutes and more. */
static const struct {
  const char *service, *name;
  int seconds;
} wait_limits[] = {
    {"acm", "certificate_validated", 2 * 3600},
    {"rds", "db_instance_available", 90 * 60},
    {"rds", "db_instance_deleted", 90 * 60},
};

int aws_call_wait(AwsClient *c, const char *service, const char *name, const cJSON *params,
                  const atomic_int *cancel, char **err) {
  const AwsWaiter *w = NULL;
  for (int i = 0; i < aws_nwaiters && !w; i++)
    if (!strcmp(aws_waiters[i].service, service) && !strcmp(aws_waiters[i].name, name))
      w = &aws_waiters[i];
  if (!w) {
    if (asprintf(err, "%s has no waiter %s", service, name) < 0)
      abort();
    return 1;
  }
  const AwsOperation *op = &aws_operations[w->operation];
  int limit = w->delay * w->max_attempts;
  for (size_t i = 0; i < sizeof wait_limits / sizeof *wait_limits; i++)
    if (!strcmp(wait_limits[i].service, service) && !strcmp(wait_limits[i].name, name))
      limit = wait_limits[i].seconds;
  if (c->wait_limit > 0)
    limit = c->wait_limit;
  int attempts = limit / (w->delay > 0 ? w->delay : 1) + 1;
  for (int attempt = 1; attempt <= attempts; attempt++) {
    cJSON *out = NULL;
    char *code = NULL, *call_err = NULL;
    int rc = call(c, op, params, &out, &code, &call_err);
    int state = -1;
    for (int i = 0; i < w->n && state < 0; i++) {
      const AwsAcceptor *a = &aws_acceptors[w->first + i];
      if (a->matcher == AM_ERROR) {
        char *quoted = NULL;
        if (code && asprintf(&quoted, "\"%s\"", code) < 0)
          abort();
        if (rc && quoted && !strcmp(quoted, a->expected))
          state = (int)a->state;
        free(quoted);
      } else if (!rc && a->matcher != AM_STATUS && path_matches(a, out)) {
        state = (int)a->state;
      }
    }
    cJSON_Delete(out);
    free(code);
    if (state < 0 && rc) {
      *err = call_err;
      return 1;
    }
    free(call_err);
    if (state == AW_SUCCESS)
      return 0;
    if (state == AW_FAILURE) {
      if (asprintf(err, "Waiter %s failed: the waiter reached a terminal failure state", name) < 0)
        abort();
      return 1;
    }
    if (attempt < attempts && !pause_unless(w->delay, cancel)) {
      if (asprintf(err, "Waiter %s given up: interrupted", name) < 0)
        abort();
      return 1;
    }
  }
  if (asprintf(err, "Waiter %s timed out: not ready after %d s (%d checks, one every %d s); it may "
                    "still become ready: run apply again, which waits for it without making it "
                    "again (--wait-timeout SECONDS waits longer)", name, limit, attempts, w->delay) < 0)
    abort();
  return 1;
}
