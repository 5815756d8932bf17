/* fuzz_plan.c: libFuzzer over what `apply --plan` reads, a saved plan
   (infrac-plan/1, JSON or YAML): the loader and the schema check
   (deploydoc.h), then the plan's steps run against a new state. The AWS CLI
   is replaced by one answer made from the plan itself: every capture path
   its steps name holds a value (a "#/pointer" path inside JSON text), and
   every {"$capture": "param.NAME"} it uses is given as a parameter, so the
   run goes past the first step, through the placeholders, the waiters and
   the state's records. Nothing leaves the process. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "deploy.h"
#include "deploydoc.h"
#include "planvalue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *answer_text;

static int answer(char *const argv[], char **out, char **err) {
  (void)argv;
  *out = strdup(answer_text);
  *err = strdup("");
  return 0;
}

/* The member key of o, made an object or (with index >= 0) an array of
   index + 1 objects, unless it is one already. NULL: beyond what is kept. */
static cJSON *child_at(cJSON *o, const char *key, long index) {
  cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);
  if (index < 0) {
    if (!cJSON_IsObject(c)) {
      cJSON_DeleteItemFromObjectCaseSensitive(o, key);
      c = cJSON_AddObjectToObject(o, key);
    }
    return c;
  }
  if (index > 3)
    return NULL;
  if (!cJSON_IsArray(c)) {
    cJSON_DeleteItemFromObjectCaseSensitive(o, key);
    c = cJSON_AddArrayToObject(o, key);
  }
  while (cJSON_GetArraySize(c) <= index)
    cJSON_AddItemToArray(c, cJSON_CreateObject());
  return cJSON_GetArrayItem(c, (int)index);
}

/* value (taken over) at path in out: "A.B[0].C" as apply.c's at_path reads
   it, or "/A/B" (a JSON pointer, sep '/'), the objects on the way made. */
static void put_value(cJSON *out, const char *path, char sep, cJSON *value) {
  char *copy = strdup(path), *save = NULL, delim[2] = {sep, 0};
  char *seg = strtok_r(copy, delim, &save), *next;
  for (; seg && out && (next = strtok_r(NULL, delim, &save)); seg = next) {
    char *br = sep == '.' ? strchr(seg, '[') : NULL;
    long i = br ? strtol(br + 1, NULL, 10) : -1;
    if (br)
      *br = '\0';
    out = child_at(out, seg, i);
  }
  if (seg && cJSON_IsObject(out) && !strchr(seg, '[')) {
    cJSON_DeleteItemFromObjectCaseSensitive(out, seg);
    cJSON_AddItemToObject(out, seg, value);
  } else {
    cJSON_Delete(value);
  }
  free(copy);
}

/* A value where the capture path looks: after "#", inside the JSON text
   that the path left of it holds, kept in texts by that path until
   put_texts writes it. */
static void put_capture(cJSON *out, cJSON *texts, const char *path) {
  const char *hash = strchr(path, '#');
  if (!hash) {
    put_value(out, path, '.', cJSON_CreateString("x-0123"));
    return;
  }
  char *left = strndup(path, (size_t)(hash - path));
  put_value(child_at(texts, left, -1), hash + 1, '/', cJSON_CreateString("x-0123"));
  free(left);
}

static void put_texts(cJSON *out, const cJSON *texts) {
  for (const cJSON *doc = texts->child; doc; doc = doc->next) {
    char *text = cJSON_PrintUnformatted(doc);
    put_value(out, doc->string, '.', cJSON_CreateString(text));
    free(text);
  }
}

static void add_param(void *ctx, const char *name) {
  if (!strncmp(name, "param.", 6) && !cJSON_GetObjectItemCaseSensitive(ctx, name + 6))
    cJSON_AddStringToObject(ctx, name + 6, "fuzz-secret");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[512];
  cJSON *plan = deploydoc_parse((const char *)data, size, DOC_PLAN, err, sizeof err);
  if (!plan)
    return 0;
  cJSON *out = cJSON_CreateObject(), *texts = cJSON_CreateObject(), *params = cJSON_CreateObject();
  for (const cJSON *s = cJSON_GetObjectItem(plan, "steps")->child; s; s = s->next) {
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(s, "captures");
    for (const cJSON *c = caps ? caps->child : NULL; c; c = c->next)
      if (cJSON_IsString(c))
        put_capture(out, texts, c->valuestring);
    pv_each_capture(cJSON_GetObjectItemCaseSensitive(s, "params"), add_param, params);
  }
  put_texts(out, texts);
  answer_text = cJSON_PrintUnformatted(out);
  const char *stack = cJSON_GetObjectItem(plan, "stack")->valuestring;
  const char *region = cJSON_GetObjectItem(plan, "region")->valuestring;
  cJSON *fresh = apply_state_new(stack, region);
  ApplyOptions ao = {.stack = stack, .region = region, .aws = "aws", .params = params, .jobs = 10,
                     .logical_of = plan_logical_of, .ctx = plan, .run = answer};
  apply_run(plan, cJSON_GetObjectItem(plan, "template"), fresh, &ao);
  free(answer_text);
  cJSON_Delete(fresh);
  cJSON_Delete(params);
  cJSON_Delete(texts);
  cJSON_Delete(out);
  cJSON_Delete(plan);
  return 0;
}
