/* cfn_parts.c: interpolated strings as parts (cfn_parts.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_parts.h"
#include "cfn_sub.h"
#include "infrac.h" /* Buf */

/* The one member of {"KEY": ...}, or NULL. */
static const cJSON *only_member(const cJSON *v) {
  return cJSON_IsObject(v) && v->child && !v->child->next && v->child->string ? v->child : NULL;
}

const cJSON *cfn_parts_items(const cJSON *v) {
  const cJSON *f = only_member(v);
  return f && cJSON_IsArray(f) && !strcmp(f->string, PARTS_KEY) ? f->child : NULL;
}

static bool is_parts(const cJSON *v) {
  const cJSON *f = only_member(v);
  return f && cJSON_IsArray(f) && !strcmp(f->string, PARTS_KEY);
}

void cfn_part(const cJSON *x, Part *p) {
  *p = (Part){PART_VALUE, NULL, NULL, x};
  const cJSON *f = only_member(x);
  if (cJSON_IsString(x)) {
    *p = (Part){PART_TEXT, x->valuestring, NULL, x};
  } else if (f && cJSON_IsString(f) && !strcmp(f->string, "Ref")) {
    *p = (Part){PART_REF, f->valuestring, NULL, x};
  } else if (f && !strcmp(f->string, "Fn::GetAtt") && cJSON_GetArraySize(f) == 2 &&
             cJSON_IsString(f->child) && cJSON_IsString(f->child->next)) {
    *p = (Part){PART_GETATT, f->child->valuestring, f->child->next->valuestring, x};
  }
}

cJSON *cfn_parts_new(void) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddArrayToObject(o, PARTS_KEY);
  return o;
}

void cfn_parts_add_text(cJSON *parts, const char *s, size_t n) {
  cJSON *a = parts->child, *last = cJSON_GetArrayItem(a, cJSON_GetArraySize(a) - 1);
  if (!n) return;
  if (!cJSON_IsString(last)) {
    char *t = strndup(s, n);
    if (!t) abort();
    cJSON_AddItemToArray(a, cJSON_CreateString(t));
    free(t);
    return;
  }
  size_t had = strlen(last->valuestring);
  char *t = malloc(had + n + 1);
  if (!t) abort();
  memcpy(t, last->valuestring, had);
  memcpy(t + had, s, n);
  t[had + n] = '\0';
  cJSON_ReplaceItemViaPointer(a, last, cJSON_CreateString(t));
  free(t);
}

void cfn_parts_add(cJSON *parts, cJSON *item) {
  if (cJSON_IsString(item)) {
    cfn_parts_add_text(parts, item->valuestring, strlen(item->valuestring));
    cJSON_Delete(item);
  } else if (is_parts(item)) {
    for (cJSON *x = item->child->child; x; x = x->next)
      cfn_parts_add(parts, cJSON_Duplicate(x, true));
    cJSON_Delete(item);
  } else {
    cJSON_AddItemToArray(parts->child, item);
  }
}

static cJSON *ref(const char *id) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "Ref", id);
  return o;
}

static cJSON *getatt(const char *id, const char *attr) {
  cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "Fn::GetAtt");
  cJSON_AddItemToArray(a, cJSON_CreateString(id));
  cJSON_AddItemToArray(a, cJSON_CreateString(attr));
  return o;
}

/* A variable's value: text, a Ref, a GetAtt ("A.B" or [A, B]), or another
   function as it is. */
static cJSON *variable(const cJSON *x) {
  const cJSON *f = only_member(x);
  if (f && !strcmp(f->string, "Fn::GetAtt") && cJSON_IsString(f)) {
    const char *dot = strchr(f->valuestring, '.');
    if (dot) {
      char *id = strndup(f->valuestring, (size_t)(dot - f->valuestring));
      cJSON *g = getatt(id, dot + 1);
      free(id);
      return g;
    }
  }
  return cJSON_Duplicate(x, true);
}

cJSON *cfn_parts_from_sub(const cJSON *arg) {
  const cJSON *text = cJSON_IsString(arg) ? arg : NULL, *vars = NULL;
  if (cJSON_IsArray(arg) && cJSON_GetArraySize(arg) == 2) {
    text = cJSON_IsString(arg->child) ? arg->child : NULL;
    vars = arg->child->next;
    if (!cJSON_IsObject(vars)) return NULL;
  }
  if (!text) return NULL;
  cJSON *parts = cfn_parts_new();
  SubPart sp;
  for (const char *at = text->valuestring; cfn_sub_next(&at, &sp);) {
    if (sp.unclosed) { /* CloudFormation refuses it: kept as written */
      cJSON_Delete(parts);
      return NULL;
    }
    if (sp.k == SUB_TEXT) {
      cfn_parts_add_text(parts, sp.s, sp.n);
      continue;
    }
    char *name = cfn_sub_var_text(&sp);
    const cJSON *x = vars ? cJSON_GetObjectItemCaseSensitive(vars, name) : NULL;
    if (x) {
      cfn_parts_add(parts, variable(x));
    } else if (sp.attr && !strstr(name, "::")) {
      name[sp.n] = '\0';
      cfn_parts_add(parts, getatt(name, name + sp.n + 1));
    } else {
      cfn_parts_add(parts, ref(name));
    }
    free(name);
  }
  return parts;
}

/* by, in place of the item c of v, under c's key (taken from c). */
static cJSON *replace(cJSON *v, cJSON *c, cJSON *by) {
  by->string = c->string;
  by->type |= c->type & cJSON_StringIsConst;
  c->string = NULL;
  cJSON_ReplaceItemViaPointer(v, c, by);
  return by;
}

void cfn_parts_load(cJSON *t) {
  for (cJSON *c = t ? t->child : NULL; c; c = c->next) {
    const cJSON *f = only_member(c);
    cJSON *parts = f && !strcmp(f->string, "Fn::Sub") ? cfn_parts_from_sub(f) : NULL;
    if (parts) c = replace(t, c, parts);
    cfn_parts_load(c);
  }
}

/* ---- the printers' side ---- */

static void var_text(Buf *b, const char *id, const char *attr) {
  buf_printf(b, attr ? "${%s.%s}" : "${%s}", id, attr);
}

static void literal(Buf *b, const char *s) {
  char *e = cfn_sub_escape(s, strlen(s));
  buf_puts(b, e);
  free(e);
}

/* Is name a Ref or GetAtt of the parts (so not free for a variable)? */
static bool named(const cJSON *items, const char *name) {
  Part p;
  for (const cJSON *x = items; x; x = x->next) {
    cfn_part(x, &p);
    if ((p.k == PART_REF || p.k == PART_GETATT) && !strcmp(p.s, name)) return true;
  }
  return false;
}

static void print_parts(cJSON *v);

cJSON *cfn_parts_to_sub(const cJSON *parts) {
  const cJSON *items = cfn_parts_items(parts);
  cJSON *vars = NULL;
  Buf b = {0};
  buf_add(&b, "", 0);
  int nvar = 0;
  Part p;
  for (const cJSON *x = items; x; x = x->next) {
    cfn_part(x, &p);
    if (p.k == PART_TEXT) {
      literal(&b, p.s);
    } else if (p.k != PART_VALUE) {
      var_text(&b, p.s, p.attr);
    } else {
      char name[32];
      do snprintf(name, sizeof name, "Part%d", ++nvar);
      while (named(items, name));
      if (!vars) vars = cJSON_CreateObject();
      cJSON *value = cJSON_Duplicate(x, true);
      print_parts(value);
      cJSON_AddItemToObject(vars, name, value);
      var_text(&b, name, NULL);
    }
  }
  cJSON *o = cJSON_CreateObject();
  if (vars) {
    cJSON *a = cJSON_AddArrayToObject(o, "Fn::Sub");
    cJSON_AddItemToArray(a, cJSON_CreateString(b.s));
    cJSON_AddItemToArray(a, vars);
  } else {
    cJSON_AddStringToObject(o, "Fn::Sub", b.s);
  }
  buf_free(&b);
  return o;
}

char *cfn_parts_ir_text(const IrValue *sub) {
  Buf b = {0};
  buf_add(&b, "", 0);
  for (int i = 0; i < sub->n; i++) {
    const IrValue *x = sub->items[i];
    if (x->k == IV_STR) literal(&b, x->s);
    else var_text(&b, x->s, x->k == IV_GETATT ? x->attr : NULL);
  }
  return b.s;
}

static bool holds_parts(const cJSON *v) {
  if (is_parts(v)) return true;
  for (const cJSON *c = v ? v->child : NULL; c; c = c->next)
    if (holds_parts(c)) return true;
  return false;
}

/* Each parts object under v as Fn::Sub, in place. */
static void print_parts(cJSON *v) {
  for (cJSON *c = v->child; c; c = c->next) {
    if (!is_parts(c)) {
      print_parts(c);
      continue;
    }
    c = replace(v, c, cfn_parts_to_sub(c));
  }
}

cJSON *cfn_parts_printable(const cJSON *t) {
  if (!holds_parts(t)) return NULL;
  if (is_parts(t)) return cfn_parts_to_sub(t);
  cJSON *copy = cJSON_Duplicate(t, true);
  print_parts(copy);
  return copy;
}

char *cfn_parts_print(const cJSON *v, bool formatted) {
  cJSON *printable = cfn_parts_printable(v);
  const cJSON *x = printable ? printable : v;
  char *text = formatted ? cJSON_Print(x) : cJSON_PrintUnformatted(x);
  cJSON_Delete(printable);
  return text;
}
