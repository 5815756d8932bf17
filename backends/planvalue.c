/* planvalue.c: the forms of values known only at apply time (planvalue.h). */
#include <stdlib.h>
#include <string.h>

#include "planvalue.h"

cJSON *pv_capture(const char *name) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "$capture", name);
  return o;
}

static const cJSON *only_member(const cJSON *v, const char *key) {
  if (!cJSON_IsObject(v) || !v->child || v->child->next || strcmp(v->child->string, key))
    return NULL;
  return v->child;
}

const char *pv_capture_name(const cJSON *v) {
  const cJSON *m = only_member(v, "$capture");
  return cJSON_IsString(m) ? m->valuestring : NULL;
}

const cJSON *pv_join_parts(const cJSON *v) {
  const cJSON *m = only_member(v, "$join");
  return cJSON_IsArray(m) ? m : NULL;
}

/* Appends part to out, merging it into a string before it; "" adds nothing. */
static void add_part(cJSON *out, cJSON *part) {
  if (cJSON_IsString(part) && !part->valuestring[0]) {
    cJSON_Delete(part);
    return;
  }
  if (cJSON_IsString(part)) {
    cJSON *last = out->child ? out->child->prev : NULL;
    if (cJSON_IsString(last)) {
      size_t a = strlen(last->valuestring), b = strlen(part->valuestring);
      char *s = malloc(a + b + 1);
      if (!s)
        abort();
      memcpy(s, last->valuestring, a);
      memcpy(s + a, part->valuestring, b + 1);
      cJSON_SetValuestring(last, s);
      free(s);
      cJSON_Delete(part);
      return;
    }
  }
  cJSON_AddItemToArray(out, part);
}

static void flatten(cJSON *out, cJSON *parts) {
  while (parts->child) {
    cJSON *part = cJSON_DetachItemViaPointer(parts, parts->child);
    cJSON *nested = cJSON_IsObject(part) && pv_join_parts(part) ? part->child : NULL;
    if (nested) {
      flatten(out, nested);
      cJSON_Delete(part);
    } else if (cJSON_IsString(part) || pv_capture_name(part)) {
      add_part(out, part);
    } else {
      char *text = cJSON_PrintUnformatted(part);
      add_part(out, cJSON_CreateString(text ? text : ""));
      cJSON_free(text);
      cJSON_Delete(part);
    }
  }
}

cJSON *pv_join(cJSON *parts) {
  cJSON *out = cJSON_CreateArray();
  flatten(out, parts);
  cJSON_Delete(parts);
  if (!out->child) {
    cJSON_Delete(out);
    return cJSON_CreateString("");
  }
  if (!out->child->next) {
    cJSON *alone = cJSON_DetachItemViaPointer(out, out->child);
    cJSON_Delete(out);
    return alone;
  }
  cJSON *o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "$join", out);
  return o;
}

void pv_each_capture(const cJSON *v, void (*f)(void *ctx, const char *name), void *ctx) {
  const char *name = pv_capture_name(v);
  if (name) {
    f(ctx, name);
    return;
  }
  for (const cJSON *c = cJSON_IsArray(v) || cJSON_IsObject(v) ? v->child : NULL; c; c = c->next)
    pv_each_capture(c, f, ctx);
}
