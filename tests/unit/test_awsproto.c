/* test_awsproto.c: requests serialised as botocore serialises them (query,
   ec2, json, rest-xml), responses parsed into the JSON botocore's parsers
   (and so the AWS CLI) give: tests/unit/data/awsproto_botocore.json, written
   by tests/tools/awsproto_expected.py. And the endpoints per partition. */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awscall.h"
#include "awsproto.h"
#include "check.h"

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a=1&b=%2F" as the sorted JSON list ["a=1","b=/"], botocore's form. */
static cJSON *form_pairs(const char *form) {
  char *copy = strdup(form), *save = NULL, *pairs[512];
  int n = 0;
  for (char *p = strtok_r(copy, "&", &save); p && n < 512; p = strtok_r(NULL, "&", &save)) {
    char *d = p, *o = p;
    for (; *d; d++, o++) {
      unsigned int c;
      if (*d == '%' && sscanf(d + 1, "%2x", &c) == 1) {
        *o = (char)c;
        d += 2;
      } else if (*d == '+') { /* a space in a form */
        *o = ' ';
      } else {
        *o = *d;
      }
    }
    *o = '\0';
    pairs[n++] = p;
  }
  qsort(pairs, (size_t)n, sizeof *pairs, cmp_str);
  cJSON *list = cJSON_CreateArray();
  for (int i = 0; i < n; i++)
    cJSON_AddItemToArray(list, cJSON_CreateString(pairs[i]));
  free(copy);
  return list;
}

static void requests(const cJSON *cases) {
  for (const cJSON *c = cases->child; c; c = c->next) {
    const char *svc = cJSON_GetObjectItem(c, "service")->valuestring;
    const char *name = cJSON_GetObjectItem(c, "operation")->valuestring;
    const AwsOperation *op = aws_operation(svc, name);
    CHECK(op != NULL);
    if (!op)
      continue;
    AwsRequest r;
    char *err = NULL;
    bool ok = awsproto_request(op, cJSON_GetObjectItem(c, "params"), &r, &err);
    CHECK(ok);
    if (!ok) {
      fprintf(stderr, "%s: %s\n", name, err);
      free(err);
      continue;
    }
    const cJSON *body = cJSON_GetObjectItem(c, "body"), *query = cJSON_GetObjectItem(c, "query");
    cJSON *got_query = form_pairs(r.query);
    bool same = !strcmp(r.method, cJSON_GetObjectItem(c, "method")->valuestring) &&
                !strcmp(r.path, cJSON_GetObjectItem(c, "path")->valuestring) &&
                cJSON_Compare(got_query, query, true);
    if (cJSON_IsArray(body)) {
      cJSON *got = form_pairs(r.body);
      same &= cJSON_Compare(got, body, true);
      cJSON_Delete(got);
    } else if (body->valuestring[0] == '{') {
      cJSON *want = cJSON_Parse(body->valuestring), *got = cJSON_Parse(r.body);
      same &= cJSON_Compare(got, want, true);
      cJSON_Delete(want);
      cJSON_Delete(got);
    } else {
      /* the same XML after its declaration, which botocore leaves out */
      const char *decl_end = strstr(r.body, "?>\n");
      same &= !strcmp(decl_end ? decl_end + 3 : r.body, body->valuestring);
    }
    if (!same)
      fprintf(stderr, "%s %s: ours: %s %s ?%s\n%s\n", svc, name, r.method, r.path, r.query, r.body);
    CHECK(same);
    cJSON_Delete(got_query);
    awsproto_request_free(&r);
  }
}

static void responses(const cJSON *cases) {
  for (const cJSON *c = cases->child; c; c = c->next) {
    const AwsOperation *op = aws_operation(cJSON_GetObjectItem(c, "service")->valuestring,
                                           cJSON_GetObjectItem(c, "operation")->valuestring);
    CHECK(op != NULL);
    if (!op)
      continue;
    const char *body = cJSON_GetObjectItem(c, "body")->valuestring;
    cJSON *got = awsproto_response(op, body, strlen(body));
    bool same = cJSON_Compare(got, cJSON_GetObjectItem(c, "parsed"), true);
    if (!same) {
      char *t = cJSON_PrintUnformatted(got);
      fprintf(stderr, "%s: ours: %s\n", op->name, t);
      free(t);
    }
    CHECK(same);
    cJSON_Delete(got);
  }
}

static void errors(void) {
  const AwsOperation *ec2 = aws_operation("ec2", "CreateVpc"), *ecs = aws_operation("ecs", "CreateCluster");
  const char *xml = "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>no "
                    "vpc</Message></Error></Errors><RequestID>x</RequestID></Response>";
  char *code, *msg;
  awsproto_error(ec2, xml, strlen(xml), &code, &msg);
  CHECK(code && !strcmp(code, "InvalidVpcID.NotFound") && msg && !strcmp(msg, "no vpc"));
  free(code), free(msg);
  const char *json = "{\"__type\":\"com.amazonaws#ClusterNotFoundException\",\"message\":\"gone\"}";
  awsproto_error(ecs, json, strlen(json), &code, &msg);
  CHECK(code && !strcmp(code, "ClusterNotFoundException") && msg && !strcmp(msg, "gone"));
  free(code), free(msg);
  char *err = NULL;
  AwsRequest r;
  cJSON *bad = cJSON_Parse("{\"CidrBlock\":\"10.0.0.0/16\",\"Cidr\":1}");
  CHECK(!awsproto_request(ec2, bad, &r, &err) && err && strstr(err, "Cidr"));
  free(err);
  cJSON_Delete(bad);
}

/* A create that takes an idempotency token gets a fresh one when the plan
   gives none, as botocore's generate_idempotent_uuid; a given one is kept. */
static void tokens(void) {
  const AwsOperation *op = aws_operation("ec2", "CreateNatGateway");
  CHECK(op && op->idempotency_token && !strcmp(op->idempotency_token, "ClientToken"));
  if (!op)
    return;
  cJSON *p = cJSON_Parse("{\"SubnetId\":\"subnet-1\"}");
  AwsRequest a, b;
  char *err = NULL;
  CHECK(awsproto_request(op, p, &a, &err) && awsproto_request(op, p, &b, &err));
  const char *ta = strstr(a.body, "ClientToken="), *tb = strstr(b.body, "ClientToken=");
  CHECK(ta && tb && strcspn(ta + 12, "&") == 36 && strncmp(ta, tb, 48));
  CHECK(!cJSON_GetObjectItem(p, "ClientToken")); /* the plan's params stay as they were */
  awsproto_request_free(&a);
  awsproto_request_free(&b);
  cJSON_AddStringToObject(p, "ClientToken", "given-token");
  CHECK(awsproto_request(op, p, &a, &err) && strstr(a.body, "ClientToken=given-token") &&
        !strstr(strstr(a.body, "ClientToken=") + 1, "ClientToken="));
  awsproto_request_free(&a);
  cJSON_Delete(p);
}

static void endpoints(void) {
  static const struct {
    const char *service, *region, *url, *sign_region;
  } cases[] = {
      {"ec2", "us-east-1", "https://ec2.us-east-1.amazonaws.com", "us-east-1"},
      {"elbv2", "eu-west-1", "https://elasticloadbalancing.eu-west-1.amazonaws.com", "eu-west-1"},
      {"ecr", "ap-northeast-1", "https://api.ecr.ap-northeast-1.amazonaws.com", "ap-northeast-1"},
      {"logs", "cn-northwest-1", "https://logs.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"},
      {"iam", "eu-central-1", "https://iam.amazonaws.com", "us-east-1"},
      {"iam", "cn-north-1", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
      {"route53", "ap-southeast-2", "https://route53.amazonaws.com", "us-east-1"},
      {"route53", "cn-north-1", "https://route53.amazonaws.com.cn", "cn-northwest-1"},
      {"ec2", "us-gov-west-1", "https://ec2.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
      /* a region newer than the model: its partition by its name */
      {"ec2", "cn-south-9", "https://ec2.cn-south-9.amazonaws.com.cn", "cn-south-9"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *url = NULL;
    const char *region = NULL;
    bool ok = aws_endpoint(cases[i].service, cases[i].region, &url, &region);
    bool same = ok && !strcmp(url, cases[i].url) && !strcmp(region, cases[i].sign_region);
    if (!same)
      fprintf(stderr, "%s %s: %s %s\n", cases[i].service, cases[i].region, url, region);
    CHECK(same);
    free(url);
  }
}

/* Every call and waiter of the reference example's API plan is in the
   generated model (scripts/gen-awsapi.py reads backends/apiplan.c). */
static void plan_covered(void) {
  FILE *f = fopen("tests/examples/webapp.api-plan.json", "r");
  CHECK(f != NULL);
  if (!f)
    return;
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *json = strstr(buf, "\n{"); /* after the check's warnings */
  cJSON *plan = cJSON_Parse(json ? json + 1 : buf);
  int steps = 0;
  for (const cJSON *s = cJSON_GetObjectItem(plan, "steps") ? cJSON_GetObjectItem(plan, "steps")->child
                                                           : NULL;
       s; s = s->next, steps++) {
    const char *svc = cJSON_GetObjectItem(s, "service")->valuestring;
    const char *op = cJSON_GetObjectItem(s, "operation")->valuestring;
    const cJSON *w = cJSON_GetObjectItem(s, "wait");
    bool found = aws_operation(svc, op) != NULL;
    for (int i = 0; cJSON_IsString(w) && i <= aws_nwaiters; i++) {
      if (i == aws_nwaiters) {
        found = false;
        fprintf(stderr, "no waiter %s %s\n", svc, w->valuestring);
      } else if (!strcmp(aws_waiters[i].service, svc) && !strcmp(aws_waiters[i].name, w->valuestring)) {
        break;
      }
    }
    if (!found)
      fprintf(stderr, "not in the model: %s %s\n", svc, op);
    CHECK(found);
  }
  CHECK(steps > 50);
  cJSON_Delete(plan);
}

int main(void) {
  plan_covered();
  FILE *f = fopen("tests/unit/data/awsproto_botocore.json", "r");
  CHECK(f != NULL);
  if (f) {
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *d = cJSON_Parse(buf);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(d, "requests")) == 11);
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(d, "responses")) == 5);
    requests(cJSON_GetObjectItem(d, "requests"));
    responses(cJSON_GetObjectItem(d, "responses"));
    cJSON_Delete(d);
  }
  errors();
  tokens();
  endpoints();
  printf("test_awsproto: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
