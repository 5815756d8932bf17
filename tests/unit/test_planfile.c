/* test_planfile.c: a plan's placeholders and captures into JSON text, on
   their way to a file and back (planfile.h): the round trip gives the step
   back; a listed position whose text was changed, a position listed twice
   or naming nothing, a form no entry lists, and a pointer for no capture
   are refused; text that only looks like a placeholder stays text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planfile.h"

#include "check.h"

static const char *step_json =
    "{\"id\": \"s2\", \"resource\": \"a\", \"service\": \"ec2\", \"operation\": \"CreateSubnet\","
    " \"action\": \"create\","
    " \"params\": {\"VpcId\": {\"$capture\": \"main.id\"}, \"Note\": \"${main.id} and ${HOME}\","
    "  \"Port\": {\"$capture\": \"db.port\"},"
    "  \"Tags\": [{\"Key\": \"Where\", \"Value\": {\"$join\": [\"in \", {\"$capture\": \"main.id\"},"
    "    \", not ${main.id}\"]}}],"
    "  \"a/b~c\": {\"$capture\": \"x.arn\"}},"
    " \"captures\": {\"a.arn\": \"ResourceDescription.Properties#/Arn\", \"a.id\": \"Subnet.SubnetId\"}}";

/* The step as a file holds it: written, printed, parsed again. */
static cJSON *written(void) {
  cJSON *s = cJSON_Parse(step_json);
  planfile_write_step(s);
  char *text = cJSON_PrintUnformatted(s);
  cJSON_Delete(s);
  cJSON *back = cJSON_Parse(text);
  free(text);
  return back;
}

/* Reads steps = [step]; the error into err. */
static bool read_one(cJSON *step, char *err, size_t n) {
  cJSON *steps = cJSON_CreateArray();
  cJSON_AddItemToArray(steps, step);
  bool ok = planfile_read_steps(steps, err, n);
  cJSON_Delete(steps);
  return ok;
}

static cJSON *param(cJSON *step, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(step, "params"), key);
}

int main(void) {
  char err[512];
  /* as written: text in params, forms in the list, the path without '#' */
  cJSON *w = written();
  CHECK(!strcmp(param(w, "VpcId")->valuestring, "${main.id}"));
  CHECK(!strcmp(param(w, "Port")->valuestring, "${db.port}"));
  CHECK(!strcmp(param(w, "Note")->valuestring, "${main.id} and ${HOME}"));
  CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(w, "placeholders")) == 4);
  const cJSON *odd = cJSON_GetArrayItem(cJSON_GetObjectItem(w, "placeholders"), 3);
  CHECK(!strcmp(cJSON_GetObjectItem(odd, "at")->valuestring, "/params/a~1b~0c"));
  CHECK(!strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(w, "captures"), "a.arn")->valuestring,
                "ResourceDescription.Properties"));
  CHECK(!strcmp(cJSON_GetObjectItem(cJSON_GetObjectItem(w, "captures_in_text"), "a.arn")->valuestring,
                "/Arn"));

  /* read back: the step as it was, literal text untouched */
  cJSON *orig = cJSON_Parse(step_json);
  cJSON *steps = cJSON_CreateArray();
  cJSON_AddItemToArray(steps, w);
  CHECK(planfile_read_steps(steps, err, sizeof err));
  CHECK(cJSON_Compare(cJSON_GetArrayItem(steps, 0), orig, true));
  cJSON_Delete(steps);
  cJSON_Delete(orig);

  /* a listed position whose text was changed */
  w = written();
  cJSON_SetValuestring(param(w, "VpcId"), "vpc-0123");
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "does not hold \"${main.id}\""));
  /* the text of another placeholder at a listed position */
  w = written();
  cJSON_SetValuestring(param(w, "VpcId"), "${param.db_password}");
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "/params/VpcId does not hold"));
  /* a form where no entry lists one */
  w = written();
  cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItem(w, "params"), "Note",
                                         cJSON_Parse("{\"$capture\": \"param.db_password\"}"));
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "/params/Note/$capture holds a placeholder form"));
  /* a position listed twice, and one naming nothing */
  w = written();
  cJSON *list = cJSON_GetObjectItem(w, "placeholders");
  cJSON_AddItemToArray(list, cJSON_Duplicate(list->child, true));
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "is listed twice"));
  w = written();
  cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetObjectItem(w, "placeholders")->child, "at"),
                       "/params/Nothing");
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "names nothing in the step"));
  /* outside params, and a malformed form */
  w = written();
  cJSON_SetValuestring(cJSON_GetObjectItem(cJSON_GetObjectItem(w, "placeholders")->child, "at"),
                       "/operation");
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "into the step's params"));
  w = written();
  cJSON_AddStringToObject(cJSON_GetObjectItem(cJSON_GetObjectItem(w, "placeholders")->child, "value"),
                          "attr", "id");
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "value: expected {\"$capture\": NAME}"));
  /* a pointer for no capture of the step */
  w = written();
  cJSON_AddStringToObject(cJSON_GetObjectItem(w, "captures_in_text"), "b.arn", "/Arn");
  CHECK(!read_one(w, err, sizeof err) && strstr(err, "captures_in_text.b.arn: no capture"));

  /* a step without placeholders reads as it is */
  steps = cJSON_Parse("[{\"params\": {\"CidrBlock\": \"${HOME}\"}, \"captures\": {}}]");
  cJSON *copy = cJSON_Duplicate(steps, true);
  CHECK(planfile_read_steps(steps, err, sizeof err) && cJSON_Compare(steps, copy, true));
  cJSON_Delete(steps);
  cJSON_Delete(copy);
  printf("test_planfile: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
