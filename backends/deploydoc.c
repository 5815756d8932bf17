/* deploydoc.c: the schemas of infrac-state/1 and infrac-plan/1 as tables,
   and one walk that checks a document against them. Members not in a
   schema are let through: only what the commands read is checked. */
#include <stdio.h>
#include <string.h>

#include "cfn_load.h"
#include "deploydoc.h"
#include "planfile.h"
#include "termtext.h"

typedef enum {
  K_ANY,
  K_TEXT,     /* a string without control characters */
  K_NAME,     /* a stack's or resource's name */
  K_LOGICAL,  /* a CloudFormation logical ID */
  K_REGION,
  K_SERVICE,  /* an AWS CLI service: it becomes an argument of the CLI */
  K_OPERATION,
  K_ACTION,
  K_WAIT,     /* a waiter's name, or null */
  K_COUNT,    /* a whole number from 0 to DOC_MAX_STEPS */
  K_OBJECT,   /* an object with the fields */
  K_MEMBERS,  /* an object each of whose members is an object with the fields */
  K_ITEMS,    /* an array each of whose items is an object with the fields */
  K_TEXTS,    /* an object whose members are K_TEXT */
  K_ARRAY,
  K_TEMPLATE, /* a CloudFormation template (cfn_template_ok) */
} Kind;

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"

typedef struct Field {
  const char *key;
  Kind kind;
  bool required;
  const struct Field *fields; /* K_OBJECT, K_MEMBERS, K_ITEMS; ends with a NULL key */
} Field;

/* The strings of each kind: the characters allowed and what to call them. */
static const struct {
  Kind kind;
  const char *first, *chars; /* NULL: any but control characters */
  size_t max;
  const char *what;
} strings[] = {
    {K_TEXT, NULL, NULL, 1 << 20, "text without control characters"},
    {K_NAME, UPPER LOWER "_", UPPER LOWER DIGITS "_-", 255,
     "a name: a letter or _, then letters, digits, _ and -"},
    {K_LOGICAL, UPPER LOWER DIGITS, UPPER LOWER DIGITS, 255, "a logical ID: letters and digits"},
    {K_REGION, LOWER, LOWER DIGITS "-", 64, "a region: a-z, then a-z, digits and -"},
    {K_SERVICE, LOWER, LOWER DIGITS "-", 64, "a service: a-z, then a-z, digits and -"},
    {K_OPERATION, UPPER LOWER, UPPER LOWER DIGITS, 128, "an operation: letters and digits"},
    {K_WAIT, LOWER, LOWER DIGITS "_", 128, "a waiter: a-z, then a-z, digits and _"},
};

static const char *const actions[] = {"create", "update", "replace", "delete"};

static const Field state_entry[] = {
    {"resource", K_NAME, true, NULL},
    {"captures", K_OBJECT, false, NULL},
    {"steps_done", K_COUNT, false, NULL},
    {"inflight", K_OBJECT, false, NULL}, /* journal.h: a step an apply started */
    {"was", K_OBJECT, false, NULL},      /* journal.h: captures a replacement's step replaced */
    {NULL, K_ANY, false, NULL},
};
static const Field state_fields[] = {
    {"stack", K_NAME, true, NULL},
    {"region", K_REGION, true, NULL},
    {"template", K_TEMPLATE, true, NULL},
    {"resources", K_MEMBERS, true, state_entry},
    {NULL, K_ANY, false, NULL},
};

static const Field plan_change[] = {
    {"resource", K_NAME, true, NULL},
    {"logical_id", K_LOGICAL, true, NULL},
    {NULL, K_ANY, false, NULL},
};
static const Field plan_step[] = {
    {"id", K_TEXT, true, NULL},
    {"resource", K_NAME, true, NULL},
    {"service", K_SERVICE, true, NULL},
    {"operation", K_OPERATION, true, NULL},
    {"action", K_ACTION, true, NULL},
    {"params", K_OBJECT, false, NULL},
    {"captures", K_TEXTS, false, NULL},
    {"depends_on", K_ARRAY, false, NULL},
    {"wait", K_WAIT, false, NULL},
    {"placeholders", K_ARRAY, false, NULL}, /* planfile.h */
    {"captures_in_text", K_TEXTS, false, NULL},
    {"captures_trimmed", K_TEXTS, false, NULL},
    {"captures_where", K_OBJECT, false, NULL},
    {NULL, K_ANY, false, NULL},
};
static const Field plan_base[] = {
    {"state", K_TEXT, false, NULL},
    {"digest", K_TEXT, false, NULL},
    {"template", K_TEXT, false, NULL},
    {NULL, K_ANY, false, NULL},
};
static const Field plan_fields[] = {
    {"stack", K_NAME, true, NULL},
    {"region", K_REGION, true, NULL},
    {"template", K_TEMPLATE, true, NULL},
    {"changes", K_ITEMS, true, plan_change},
    {"steps", K_ITEMS, true, plan_step},
    {"base", K_OBJECT, false, plan_base},
    {NULL, K_ANY, false, NULL},
};

static const struct {
  DocKind kind;
  const char *format, *what;
  const Field *fields;
} docs[] = {
    {DOC_STATE, "infrac-state/1", "an infrac state (infrac-state/1)", state_fields},
    {DOC_PLAN, "infrac-plan/1", "a saved plan (infrac-plan/1, from infrac plan --format=json)",
     plan_fields},
};

typedef struct {
  char *err;
  size_t errlen;
  char path[512];
} Check;

static bool bad(Check *c, const char *what) {
  snprintf(c->err, c->errlen, "%s: %s", c->path, what);
  return false;
}

static bool has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return true;
  return false;
}

static bool text_ok(Check *c, const cJSON *v, Kind kind) {
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
    if (strings[i].kind != kind)
      continue;
    if (kind == K_WAIT && cJSON_IsNull(v))
      return true;
    if (!cJSON_IsString(v))
      return bad(c, strings[i].what);
    const char *s = v->valuestring;
    size_t n = strlen(s);
    bool ok = n <= strings[i].max &&
              (strings[i].chars ? n && strchr(strings[i].first, s[0]) &&
                                      strspn(s, strings[i].chars) == n
                                : !has_control(s));
    if (!ok) {
      char msg[160];
      snprintf(msg, sizeof msg, "expected %s, of at most %zu bytes", strings[i].what,
               strings[i].max);
      return bad(c, msg);
    }
    return true;
  }
  return true;
}

static bool check_fields(Check *c, const cJSON *obj, const Field *fields);

/* c->path gets ".key" or "[i]" for the walk below it. */
static bool check_value(Check *c, const cJSON *v, const Field *f) {
  char shown[128];
  switch (f->kind) {
  case K_ANY: return true;
  case K_COUNT:
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= DOC_MAX_STEPS) ||
        v->valuedouble != (double)(int)v->valuedouble) { /* the cast is in range: no UB */
      snprintf(shown, sizeof shown, "expected a whole number from 0 to %d", DOC_MAX_STEPS);
      return bad(c, shown);
    }
    return true;
  case K_ACTION:
    for (size_t i = 0; cJSON_IsString(v) && i < sizeof actions / sizeof actions[0]; i++)
      if (!strcmp(v->valuestring, actions[i]))
        return true;
    return bad(c, "expected create, update, replace or delete");
  case K_ARRAY: return cJSON_IsArray(v) || bad(c, "expected an array");
  case K_TEMPLATE: {
    char why[256];
    if (!cJSON_IsObject(v) || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(v, "Resources")))
      return bad(c, "expected a template, with its Resources");
    return cfn_template_ok(v, why, sizeof why) || bad(c, why);
  }
  case K_OBJECT:
  case K_MEMBERS:
  case K_TEXTS:
    if (!cJSON_IsObject(v))
      return bad(c, "expected an object");
    if (f->kind == K_OBJECT)
      return !f->fields || check_fields(c, v, f->fields);
    break;
  case K_ITEMS:
    if (!cJSON_IsArray(v))
      return bad(c, "expected an array");
    break;
  default: return text_ok(c, v, f->kind);
  }
  size_t len = strlen(c->path);
  int i = 0;
  for (const cJSON *e = v->child; e; e = e->next, i++) {
    if (f->kind == K_ITEMS)
      snprintf(c->path + len, sizeof c->path - len, "[%d]", i);
    else
      snprintf(c->path + len, sizeof c->path - len, ".%s",
               term_escape_into(shown, sizeof shown, e->string));
    if (f->kind != K_TEXTS && !cJSON_IsObject(e))
      return bad(c, "expected an object");
    if (f->kind == K_MEMBERS && !text_ok(c, &(cJSON){.type = cJSON_String,
                                                     .valuestring = e->string}, K_LOGICAL))
      return false;
    bool ok = f->kind == K_TEXTS ? text_ok(c, e, K_TEXT) : check_fields(c, e, f->fields);
    if (!ok)
      return false;
  }
  c->path[len] = '\0';
  return true;
}

static bool check_fields(Check *c, const cJSON *obj, const Field *fields) {
  size_t len = strlen(c->path);
  for (const Field *f = fields; f->key; f++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
    snprintf(c->path + len, sizeof c->path - len, "%s%s", len ? "." : "", f->key);
    if (!v && f->required)
      return bad(c, "missing");
    if (v && !check_value(c, v, f))
      return false;
  }
  c->path[len] = '\0';
  return true;
}

bool deploydoc_check(const cJSON *doc, DocKind kind, char *err, size_t errlen) {
  for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
    if (docs[i].kind != kind)
      continue;
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, docs[i].format)) {
      snprintf(err, errlen, "not %s", docs[i].what);
      return false;
    }
    Check c = {err, errlen, ""};
    return check_fields(&c, doc, docs[i].fields);
  }
  return false;
}

/* A saved plan's placeholders back in their forms, at the places it lists. */
static bool placeholders_read(cJSON *doc, DocKind kind, char *err, size_t errlen) {
  return kind != DOC_PLAN ||
         planfile_read_steps(cJSON_GetObjectItemCaseSensitive(doc, "steps"), err, errlen);
}

cJSON *deploydoc_parse(const char *text, size_t len, DocKind kind, char *err, size_t errlen) {
  cJSON *doc = doc_read_text(text, len, err, errlen);
  if (doc && !(deploydoc_check(doc, kind, err, errlen) && placeholders_read(doc, kind, err, errlen))) {
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}

cJSON *deploydoc_read(const char *path, DocKind kind, char *err, size_t errlen) {
  cJSON *doc = doc_read_file(path, kind == DOC_STATE ? "state" : "plan", err, errlen);
  char why[512];
  if (doc && !(deploydoc_check(doc, kind, why, sizeof why) &&
               placeholders_read(doc, kind, why, sizeof why))) {
    snprintf(err, errlen, "%s: %s", path, why);
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}
