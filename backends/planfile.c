/* planfile.c: placeholders as text plus a list of where they are, on the
   way to a plan file, and back to their forms on the way in (planfile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infrac.h" /* Buf */
#include "planfile.h"
#include "planvalue.h"
#include "termtext.h"

static void add_text(Buf *b, const cJSON *form) {
  const char *name = pv_capture_name(form);
  const cJSON *parts = name ? NULL : pv_join_parts(form);
  if (name)
    buf_printf(b, "${%s}", name);
  for (const cJSON *c = parts ? parts->child : NULL; c; c = c->next)
    if (cJSON_IsString(c))
      buf_puts(b, c->valuestring);
    else
      add_text(b, c);
}

char *planfile_text(const cJSON *form) {
  Buf b = {0};
  buf_puts(&b, "");
  add_text(&b, form);
  return b.s;
}

static bool is_form(const cJSON *v) {
  return pv_capture_name(v) || pv_join_parts(v);
}

/* Puts x in c's place in its parent v (c is freed). */
static void put_in_place(cJSON *v, cJSON *c, cJSON *x) {
  if (cJSON_IsObject(v))
    cJSON_ReplaceItemInObjectCaseSensitive(v, c->string, x);
  else
    cJSON_ReplaceItemViaPointer(v, c, x);
}

/* "/" and the member's key or item's index, escaped as RFC 6901 says. */
static void add_segment(Buf *path, const cJSON *c, int index) {
  buf_puts(path, "/");
  if (!c->string) {
    buf_printf(path, "%d", index);
    return;
  }
  for (const char *s = c->string; *s; s++)
    buf_puts(path, *s == '~' ? "~0" : *s == '/' ? "~1" : (char[]){*s, '\0'});
}

static void write_forms(cJSON *v, Buf *path, cJSON *list) {
  int i = 0;
  for (cJSON *c = v->child, *next; c; c = next, i++) {
    next = c->next;
    size_t len = path->len;
    add_segment(path, c, i);
    if (is_form(c)) {
      cJSON *entry = cJSON_CreateObject();
      cJSON_AddStringToObject(entry, "at", path->s);
      cJSON_AddItemToObject(entry, "value", cJSON_Duplicate(c, true));
      cJSON_AddItemToArray(list, entry);
      char *text = planfile_text(c);
      put_in_place(v, c, cJSON_CreateString(text));
      free(text);
    } else if (cJSON_IsArray(c) || cJSON_IsObject(c)) {
      write_forms(c, path, list);
    }
    path->len = len;
    path->s[len] = '\0';
  }
}

/* A capture path that goes on into JSON text ("ResourceDescription.Properties#/Arn")
   as the path of the text, and the pointer in "captures_in_text". */
static void write_captures(cJSON *step) {
  cJSON *caps = cJSON_GetObjectItemCaseSensitive(step, "captures"), *in_text = NULL;
  for (cJSON *c = caps ? caps->child : NULL; c; c = c->next) {
    char *hash = cJSON_IsString(c) ? strchr(c->valuestring, '#') : NULL;
    if (!hash)
      continue;
    if (!in_text)
      in_text = cJSON_CreateObject();
    cJSON_AddStringToObject(in_text, c->string, hash + 1);
    *hash = '\0'; /* the path, shorter in place */
  }
  if (in_text)
    cJSON_AddItemToObject(step, "captures_in_text", in_text);
}

void planfile_write_step(cJSON *step) {
  write_captures(step);
  cJSON *params = cJSON_GetObjectItemCaseSensitive(step, "params");
  if (!params)
    return;
  Buf path = {0};
  buf_puts(&path, "/params");
  cJSON *list = cJSON_CreateArray();
  write_forms(params, &path, list);
  buf_free(&path);
  if (list->child)
    cJSON_AddItemToObject(step, "placeholders", list);
  else
    cJSON_Delete(list);
}

/* ---- reading ---- */

typedef struct {
  char *err;
  size_t errlen;
  int step;
} Reader;

static bool refuse(Reader *r, const char *fmt, const char *a, const char *b) {
  char sa[256], sb[256];
  int n = snprintf(r->err, r->errlen, "steps[%d].", r->step);
  if (n >= 0 && (size_t)n < r->errlen)
    snprintf(r->err + n, r->errlen - (size_t)n, fmt, term_escape_into(sa, sizeof sa, a ? a : ""),
             term_escape_into(sb, sizeof sb, b ? b : ""));
  return false;
}

/* Whether v holds a form's key anywhere (path: where the first is). */
static bool stray_form(const cJSON *v, Buf *path) {
  int i = 0;
  for (const cJSON *c = v->child; c; c = c->next, i++) {
    size_t len = path->len;
    add_segment(path, c, i);
    if (c->string && (!strcmp(c->string, "$capture") || !strcmp(c->string, "$join")))
      return true;
    if ((cJSON_IsArray(c) || cJSON_IsObject(c)) && stray_form(c, path))
      return true;
    path->len = len;
    path->s[len] = '\0';
  }
  return false;
}

static bool form_ok(const cJSON *v) {
  const char *name = pv_capture_name(v);
  if (name)
    return *name != '\0';
  const cJSON *parts = pv_join_parts(v);
  for (const cJSON *c = parts ? parts->child : NULL; c; c = c->next)
    if (!cJSON_IsString(c) && !(pv_capture_name(c) && *pv_capture_name(c)))
      return false;
  return parts != NULL;
}

/* The item a JSON pointer names in step, and its parent; NULL when none. */
static cJSON *resolve(cJSON *step, const char *ptr, cJSON **parent) {
  cJSON *at = step;
  *parent = NULL;
  char seg[256];
  while (at && *ptr == '/') {
    size_t n = 0;
    for (ptr++; *ptr && *ptr != '/'; ptr++) {
      char ch = *ptr;
      if (ch == '~') {
        ch = ptr[1] == '0' ? '~' : ptr[1] == '1' ? '/' : '\0';
        if (!ch)
          return NULL;
        ptr++;
      }
      if (n + 1 >= sizeof seg)
        return NULL;
      seg[n++] = ch;
    }
    seg[n] = '\0';
    *parent = at;
    if (cJSON_IsObject(at)) {
      at = cJSON_GetObjectItemCaseSensitive(at, seg);
    } else if (cJSON_IsArray(at) && n && n < 9 && strspn(seg, "0123456789") == n &&
               (seg[0] != '0' || n == 1)) {
      at = cJSON_GetArrayItem(at, atoi(seg));
    } else {
      return NULL;
    }
  }
  return *ptr ? NULL : at;
}

/* "captures_in_text" joined back to the paths of its captures. */
static bool read_captures(Reader *r, cJSON *step) {
  cJSON *caps = cJSON_GetObjectItemCaseSensitive(step, "captures");
  cJSON *in_text = cJSON_GetObjectItemCaseSensitive(step, "captures_in_text");
  if (!in_text)
    return true;
  if (!cJSON_IsObject(in_text))
    return refuse(r, "captures_in_text: expected an object%s%s", "", "");
  for (const cJSON *e = in_text->child; e; e = e->next) {
    cJSON *c = cJSON_GetObjectItemCaseSensitive(caps, e->string);
    if (!cJSON_IsString(e) || e->valuestring[0] != '/')
      return refuse(r, "captures_in_text.%s: expected a JSON pointer%s", e->string, "");
    if (!cJSON_IsString(c) || strchr(c->valuestring, '#'))
      return refuse(r, "captures_in_text.%s: no capture %s of a path to JSON text", e->string,
                    e->string);
    Buf b = {0};
    buf_printf(&b, "%s#%s", c->valuestring, e->valuestring);
    cJSON_SetValuestring(c, b.s);
    buf_free(&b);
  }
  cJSON_DeleteItemFromObjectCaseSensitive(step, "captures_in_text");
  return true;
}

/* Checks every entry of one step's list before any form is put back, so
   that no pointer can reach into a form another entry put there. */
static bool read_step(Reader *r, cJSON *step) {
  cJSON *params = cJSON_GetObjectItemCaseSensitive(step, "params");
  Buf path = {0};
  buf_puts(&path, "/params");
  bool stray = params && stray_form(params, &path);
  if (stray)
    refuse(r, "params: %s holds a placeholder form that \"placeholders\" does not list%s", path.s,
           "");
  buf_free(&path);
  cJSON *list = cJSON_GetObjectItemCaseSensitive(step, "placeholders");
  if (stray || !list)
    return !stray;
  if (!cJSON_IsArray(list))
    return refuse(r, "placeholders: expected an array%s%s", "", "");
  int n = cJSON_GetArraySize(list), i = 0;
  cJSON **parents = calloc((size_t)n + 1, sizeof *parents);
  cJSON **targets = calloc((size_t)n + 1, sizeof *targets);
  bool ok = parents && targets;
  for (const cJSON *e = list->child; e && ok; e = e->next, i++) {
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(e, "at");
    const cJSON *form = cJSON_GetObjectItemCaseSensitive(e, "value");
    char where[48];
    snprintf(where, sizeof where, "placeholders[%d]", i);
    if (!cJSON_IsString(at) || strncmp(at->valuestring, "/params/", 8))
      ok = refuse(r, "%s.at: expected a JSON pointer into the step's params%s", where, "");
    else if (!form_ok(form))
      ok = refuse(r, "%s.value: expected {\"$capture\": NAME} or {\"$join\": [text or "
                     "{\"$capture\": NAME}, ...]}%s", where, "");
    else if (!(targets[i] = resolve(step, at->valuestring, &parents[i])))
      ok = refuse(r, "%s.at: %s names nothing in the step", where, at->valuestring);
    for (int j = 0; ok && j < i; j++)
      if (targets[j] == targets[i])
        ok = refuse(r, "%s.at: %s is listed twice", where, at->valuestring);
    if (!ok)
      break;
    char *text = planfile_text(form);
    if (!cJSON_IsString(targets[i]) || strcmp(targets[i]->valuestring, text)) {
      char want[160];
      snprintf(want, sizeof want, "%s does not hold \"%.100s\"", at->valuestring, text);
      ok = refuse(r, "%s: %s, the text of its placeholder: the plan was changed after it was made",
                  where, want);
    }
    free(text);
  }
  i = 0;
  for (const cJSON *e = list->child; e && ok; e = e->next, i++)
    put_in_place(parents[i], targets[i],
                 cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(e, "value"), true));
  free(parents);
  free(targets);
  if (ok)
    cJSON_DeleteItemFromObjectCaseSensitive(step, "placeholders");
  return ok;
}

bool planfile_read_steps(cJSON *steps, char *err, size_t errlen) {
  Reader r = {err, errlen, 0};
  for (cJSON *s = steps ? steps->child : NULL; s; s = s->next, r.step++)
    if (!read_captures(&r, s) || !read_step(&r, s))
      return false;
  return true;
}
