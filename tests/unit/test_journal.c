/* test_journal.c: the apply journal: records applied as an apply applies
   them, folded from the file (twice gives what once gives), a last line cut
   short left out, a malformed record refused, and resume's look-up table
   (tags added, a find's answer read back, tags checked on the item). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "journal.h"
#include "resume.h"

#include "check.h"

static const char *const lines[] = {
    "{\"start\":\"MainVpc\",\"resource\":\"main\",\"n\":0,\"op\":\"CreateVpc\"}",
    "{\"step\":\"MainVpc\",\"resource\":\"main\",\"n\":0,\"captures\":{\"id\":\"vpc-1\"}}",
    "{\"start\":\"MainVpc\",\"resource\":\"main\",\"n\":1,\"op\":\"ModifyVpcAttribute\"}",
    "{\"start\":\"Nat\",\"resource\":\"nat\",\"n\":0,\"op\":\"CreateNatGateway\",\"token\":\"t-1\"}",
    ("{\"settle\":\"Eip\",\"resource\":\"eip\",\"captures\":{\"allocation_id\":\"eipalloc-1\"},"
     "\"template\":{\"Type\":\"AWS::EC2::EIP\",\"Properties\":{\"Domain\":\"vpc\"}}}"), /* one line */
};

static char *write_journal(const char *dir, const char *extra) {
  char *state = NULL, *path = NULL;
  if (asprintf(&state, "%s/s.json", dir) < 0 || asprintf(&path, "%s/s.json.journal", dir) < 0)
    abort();
  FILE *f = fopen(path, "w");
  for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
    fprintf(f, "%s\n", lines[i]);
  fputs(extra, f);
  fclose(f);
  free(path);
  return state;
}

static const char *text_at(const cJSON *v, const char *a, const char *b, const char *c) {
  v = cJSON_GetObjectItemCaseSensitive(v, a);
  v = b ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
  v = c ? cJSON_GetObjectItemCaseSensitive(v, c) : v;
  return cJSON_IsString(v) ? v->valuestring : "";
}

static void test_fold(void) {
  char dir[] = "/tmp/test-journal-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  /* a last line cut short by a kill is left out */
  char *state_path = write_journal(dir, "{\"step\":\"Nat\",\"reso");
  cJSON *state = apply_state_new("net", "ap-northeast-1");
  int n = 0;
  CHECK(journal_fold(state, state_path, &n));
  CHECK(n == 5);
  const cJSON *res = cJSON_GetObjectItem(state, "resources");
  CHECK(!strcmp(text_at(res, "MainVpc", "captures", "id"), "vpc-1"));
  CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(res, "MainVpc"), "steps_done")->valuedouble == 1);
  CHECK(!strcmp(text_at(res, "MainVpc", "inflight", "op"), "ModifyVpcAttribute"));
  CHECK(!strcmp(text_at(res, "Nat", "inflight", "token"), "t-1"));
  CHECK(!strcmp(text_at(res, "Eip", "captures", "allocation_id"), "eipalloc-1"));
  CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(state, "template"), "Resources"),
                            "Eip") != NULL);
  /* folding the same journal again (a crash between the state's write and
     the journal's removal) gives the same state */
  char *once = cJSON_PrintUnformatted(state);
  CHECK(journal_fold(state, state_path, &n));
  char *twice = cJSON_PrintUnformatted(state);
  CHECK(!strcmp(once, twice));
  free(once);
  free(twice);
  cJSON_Delete(state);
  free(state_path);
  /* a malformed record that is not the last line: refused */
  state_path = write_journal(dir, "{\"step\":\"Nat\",\"n\":-1}\n{\"delete\":\"Eip\"}\n");
  state = apply_state_new("net", "ap-northeast-1");
  fprintf(stderr, "(a message about s.json.journal:6 is expected)\n");
  CHECK(!journal_fold(state, state_path, &n));
  cJSON_Delete(state);
  /* a delete record removes the resource */
  free(state_path);
  state_path = write_journal(dir, "{\"delete\":\"Eip\"}\n");
  state = apply_state_new("net", "ap-northeast-1");
  CHECK(journal_fold(state, state_path, &n) && n == 6);
  CHECK(cJSON_GetObjectItem(cJSON_GetObjectItem(state, "resources"), "Eip") == NULL);
  cJSON_Delete(state);
  /* a journal opened for a run starts empty; closing with remove deletes it */
  Journal j;
  CHECK(journal_open(&j, state_path));
  cJSON *rec = cJSON_Parse(lines[0]);
  CHECK(journal_append(&j, rec));
  cJSON_Delete(rec);
  journal_close(&j, false);
  state = apply_state_new("net", "ap-northeast-1");
  CHECK(journal_fold(state, state_path, &n) && n == 1);
  cJSON_Delete(state);
  CHECK(journal_open(&j, state_path));
  journal_close(&j, true);
  state = apply_state_new("net", "ap-northeast-1");
  CHECK(journal_fold(state, state_path, &n) && n == 0);
  cJSON_Delete(state);
  free(state_path);
  rmdir(dir);
}

static void test_resume(void) {
  cJSON *params = cJSON_Parse("{\"CidrBlock\":\"10.0.0.0/16\",\"TagSpecifications\":[{\"ResourceType\":"
                              "\"vpc\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"net-main\"}]}]}");
  resume_tag(params, "net", "main");
  resume_tag(params, "net", "main"); /* once only */
  const cJSON *tags =
      cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(params, "TagSpecifications"), 0),
                          "Tags");
  CHECK(cJSON_GetArraySize(tags) == 3);
  const char *describe = NULL;
  cJSON *find = resume_find("CreateVpc", params, "net", "main", &describe);
  CHECK(find && !strcmp(describe, "DescribeVpcs"));
  char *shown = cJSON_PrintUnformatted(find);
  CHECK(strstr(shown, "\"Name\":\"tag:infrac:resource\",\"Values\":[\"main\"]") != NULL);
  free(shown);
  cJSON_Delete(find);
  /* the answer's item, as CreateVpc's output; another stack's is no find */
  cJSON *answer = cJSON_Parse(
      "{\"Vpcs\":[{\"VpcId\":\"vpc-other\",\"Tags\":[{\"Key\":\"infrac:stack\",\"Value\":\"x\"},"
      "{\"Key\":\"infrac:resource\",\"Value\":\"main\"}]},{\"VpcId\":\"vpc-1\",\"Tags\":[{\"Key\":"
      "\"infrac:stack\",\"Value\":\"net\"},{\"Key\":\"infrac:resource\",\"Value\":\"main\"}]}]}");
  cJSON *out = resume_found("CreateVpc", params, "net", "main", answer);
  CHECK(out && !strcmp(text_at(out, "Vpc", "VpcId", NULL), "vpc-1"));
  cJSON_Delete(out);
  CHECK(resume_found("CreateVpc", params, "other", "main", answer) == NULL);
  cJSON_Delete(answer);
  /* a route table association, found by its subnet */
  cJSON *assoc = cJSON_Parse("{\"RouteTableId\":\"rtb-1\",\"SubnetId\":\"subnet-2\"}");
  answer = cJSON_Parse("{\"RouteTables\":[{\"Associations\":[{\"SubnetId\":\"subnet-1\","
                       "\"RouteTableAssociationId\":\"a-1\"},{\"SubnetId\":\"subnet-2\","
                       "\"RouteTableAssociationId\":\"a-2\"}]}]}");
  out = resume_found("AssociateRouteTable", assoc, "net", "x", answer);
  CHECK(out && !strcmp(text_at(out, "AssociationId", NULL, NULL), "a-2"));
  cJSON_Delete(out);
  cJSON_Delete(answer);
  cJSON_Delete(assoc);
  CHECK(resume_done_code("CreateRoute", "RouteAlreadyExists"));
  CHECK(!resume_done_code("CreateVpc", "RouteAlreadyExists"));
  CHECK(resume_find("ModifyVpcAttribute", params, "net", "main", &describe) == NULL);
  cJSON_Delete(params);
}

int main(void) {
  test_fold();
  test_resume();
  printf("test_journal: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
