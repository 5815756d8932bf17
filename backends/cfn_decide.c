/* cfn_decide.c: Conditions evaluated before deploy time, for the API plan
   (LANGUAGE.md: "The API plan, made for known param values, evaluates
   them"). The template stays what CloudFormation gets; this is a copy. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cfn_decide.h"

typedef enum { D_UNKNOWN, D_FALSE, D_TRUE } Decided;

typedef struct {
  const cJSON *params, *conds;
  const char *region;
  const char *undecided;
  int depth;
} Ctx;

static const cJSON *only(const cJSON *v, const char *key) {
  return cJSON_IsObject(v) && v->child && !v->child->next && !strcmp(v->child->string, key) ? v->child
                                                                                           : NULL;
}

/* A value of Fn::Equals as text: a literal, a param's default, the region. */
static const char *text_of(const Ctx *cx, const cJSON *v, char buf[64]) {
  if (cJSON_IsString(v))
    return v->valuestring;
  if (cJSON_IsNumber(v)) {
    snprintf(buf, 64, "%.15g", v->valuedouble);
    return buf;
  }
  if (cJSON_IsBool(v))
    return cJSON_IsTrue(v) ? "true" : "false";
  const cJSON *ref = only(v, "Ref");
  if (!cJSON_IsString(ref))
    return NULL;
  if (!strcmp(ref->valuestring, "AWS::Region"))
    return cx->region;
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(cx->params, ref->valuestring);
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "NoEcho")))
    return NULL;
  const cJSON *def = cJSON_GetObjectItemCaseSensitive(p, "Default");
  return def && !cJSON_IsObject(def) && !cJSON_IsArray(def) ? text_of(cx, def, buf) : NULL;
}

static Decided cond(Ctx *cx, const cJSON *v) {
  const cJSON *f;
  if (++cx->depth > 64) /* a cycle of Condition: CloudFormation refuses it too */
    return D_UNKNOWN;
  Decided r = D_UNKNOWN;
  if ((f = only(v, "Condition")) && cJSON_IsString(f)) {
    r = cond(cx, cJSON_GetObjectItemCaseSensitive(cx->conds, f->valuestring));
  } else if ((f = only(v, "Fn::Equals")) && cJSON_GetArraySize(f) == 2) {
    char a[64], b[64];
    const char *x = text_of(cx, cJSON_GetArrayItem(f, 0), a), *y = text_of(cx, cJSON_GetArrayItem(f, 1), b);
    r = !x || !y ? D_UNKNOWN : !strcmp(x, y) ? D_TRUE : D_FALSE;
  } else if ((f = only(v, "Fn::Not")) && cJSON_GetArraySize(f) == 1) {
    Decided x = cond(cx, f->child);
    r = x == D_UNKNOWN ? x : x == D_TRUE ? D_FALSE : D_TRUE;
  } else if (((f = only(v, "Fn::And")) || (f = only(v, "Fn::Or"))) && cJSON_IsArray(f)) {
    bool and = !strcmp(f->string, "Fn::And");
    Decided decisive = and ? D_FALSE : D_TRUE;
    bool unknown = false; /* false && _ is false, whatever _ is */
    r = and ? D_TRUE : D_FALSE;
    for (const cJSON *x = f->child; x && r != decisive; x = x->next) {
      Decided d = cond(cx, x);
      unknown |= d == D_UNKNOWN;
      r = d == decisive ? d : r;
    }
    if (unknown && r != decisive)
      r = D_UNKNOWN;
  }
  cx->depth--;
  return r;
}

/* The named condition, or D_UNKNOWN with cx->undecided set. */
static Decided named(Ctx *cx, const char *id) {
  Decided d = cond(cx, cJSON_GetObjectItemCaseSensitive(cx->conds, id));
  if (d == D_UNKNOWN && !cx->undecided)
    cx->undecided = id;
  return d;
}

/* v with Fn::If decided and AWS::NoValue left out; NULL for "no value". */
static cJSON *decide(Ctx *cx, const cJSON *v) {
  const cJSON *f = only(v, "Fn::If");
  if (f && cJSON_GetArraySize(f) == 3 && cJSON_IsString(f->child)) {
    Decided d = named(cx, f->child->valuestring);
    return d == D_UNKNOWN ? NULL : decide(cx, cJSON_GetArrayItem(f, d == D_TRUE ? 1 : 2));
  }
  const cJSON *ref = only(v, "Ref");
  if (cJSON_IsString(ref) && !strcmp(ref->valuestring, "AWS::NoValue"))
    return NULL;
  if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
    return cJSON_Duplicate(v, false);
  cJSON *out = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
  for (const cJSON *x = v->child; x; x = x->next) {
    cJSON *y = decide(cx, x);
    if (!y)
      continue;
    if (cJSON_IsObject(v))
      cJSON_AddItemToObject(out, x->string, y);
    else
      cJSON_AddItemToArray(out, y);
  }
  return out;
}

/* Resources or Outputs: those whose condition holds, without it. */
static void section(Ctx *cx, cJSON *out, const cJSON *t, const char *name) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(t, name);
  if (!cJSON_IsObject(s))
    return;
  cJSON *o = cJSON_AddObjectToObject(out, name);
  for (const cJSON *x = s->child; x && !cx->undecided; x = x->next) {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(x, "Condition");
    if (cJSON_IsString(c) && named(cx, c->valuestring) != D_TRUE)
      continue;
    cJSON *y = decide(cx, x);
    cJSON_DeleteItemFromObjectCaseSensitive(y, "Condition");
    cJSON_AddItemToObject(o, x->string, y);
  }
}

cJSON *cfn_decide(const cJSON *t, const char *region, const char **undecided) {
  Ctx cx = {cJSON_GetObjectItemCaseSensitive(t, "Parameters"), cJSON_GetObjectItemCaseSensitive(t, "Conditions"),
            region, NULL, 0};
  cJSON *out = cJSON_CreateObject();
  for (const cJSON *x = t->child; x; x = x->next)
    if (strcmp(x->string, "Conditions") && strcmp(x->string, "Resources") && strcmp(x->string, "Outputs"))
      cJSON_AddItemToObject(out, x->string, cJSON_Duplicate(x, true));
  section(&cx, out, t, "Resources");
  section(&cx, out, t, "Outputs");
  *undecided = cx.undecided;
  if (cx.undecided) {
    cJSON_Delete(out);
    return NULL;
  }
  return out;
}
