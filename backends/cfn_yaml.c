/* cfn_yaml.c: the template tree as YAML through libyaml's emitter: block
   style, keys in tree order, intrinsic functions in their short form. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "cfn_parts.h"
#include "cfn_yaml.h"
#include "infrac.h"

/* Plain scalars that a YAML 1.1 reader (PyYAML in cfn-lint, cfn_load) takes
   for a boolean, null, number, date or merge key, where the template means a
   string. libyaml would leave them plain. Also catches a few harmless ones
   (version numbers like 1.2.3, IP addresses). */
static bool ambiguous(const char *s) {
  static const char *const words[] = {"y",    "n", "yes", "no", "true", "false", "on",    "off",
                                      "null", "~", "<<",  "=",  ".inf", "-.inf", "+.inf", ".nan"};
  if (!*s)
    return true;
  /* keys and names are scalars too: a million calls in a large template */
  for (size_t i = 0; i < countof(words) && strnlen(s, 6) <= 5; i++)
    if (tolower((unsigned char)*s) == words[i][0] && !strcasecmp(s, words[i]))
      return true;
  const char *p = s + (*s == '+' || *s == '-');
  p += *p == '.';
  return isdigit((unsigned char)*p) &&
         !s[strspn(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.:+- ")];
}

static int scalar(yaml_emitter_t *em, const char *tag, const char *s, yaml_scalar_style_t style) {
  yaml_event_t ev;
  return yaml_scalar_event_initialize(&ev, NULL, (const yaml_char_t *)tag, (const yaml_char_t *)s,
                                      (int)strlen(s), !tag, !tag, style) &&
         yaml_emitter_emit(em, &ev);
}

/* Multi-line strings (UserData scripts) as literal blocks; libyaml falls back
   to double quotes where a block cannot hold the text (flow, trailing spaces). */
static int string(yaml_emitter_t *em, const char *tag, const char *s) {
  yaml_scalar_style_t style = strchr(s, '\n') ? YAML_LITERAL_SCALAR_STYLE
                              : ambiguous(s)  ? YAML_SINGLE_QUOTED_SCALAR_STYLE
                                              : YAML_ANY_SCALAR_STYLE;
  return scalar(em, tag, s, style);
}

/* Integers as integers; other numbers in the shortest text that reads back
   the same, with the dot a YAML 1.1 float needs before an exponent. */
static int number(yaml_emitter_t *em, const char *tag, double d) {
  char text[40];
  if (d >= -1e15 && d <= 1e15 && d == (double)(long long)d) {
    snprintf(text, sizeof text, "%lld", (long long)d);
  } else {
    for (int prec = 15; prec <= 17; prec++) {
      snprintf(text, sizeof text, "%.*g", prec, d);
      if (strtod(text, NULL) == d)
        break;
    }
    char *e = strchr(text, 'e');
    if (e && !strchr(text, '.')) {
      memmove(e + 2, e, strlen(e) + 1);
      memcpy(e, ".0", 2);
    }
  }
  return scalar(em, tag, text, YAML_PLAIN_SCALAR_STYLE);
}

/* The tag of v written in short form ("!Ref", "!GetAtt", ...) into tag, or
   NULL when v is not a one-key intrinsic map. cond: v is an argument of
   Fn::If/And/Or/Not, where {Condition: X} is a function too. */
static const char *short_tag(const cJSON *v, bool cond, char *tag, size_t n) {
  if (!cJSON_IsObject(v) || !v->child || v->child->next)
    return NULL;
  const char *k = v->child->string, *name;
  const cJSON *arg = v->child;
  /* A tagged scalar reads back as a string: other scalars keep the long form. */
  if (!cJSON_IsString(arg) && !cJSON_IsArray(arg) && !cJSON_IsObject(arg))
    return NULL;
  if (!strcmp(k, "Ref") || (cond && !strcmp(k, "Condition")))
    name = k;
  else if (!strcmp(k, "Fn::GetAtt") && !cJSON_IsArray(arg))
    return NULL; /* !GetAtt A.B would read back as [A, B] */
  else if (!strncmp(k, "Fn::", 4) && k[4])
    name = k + 4;
  else
    return NULL;
  for (const char *p = name; *p; p++)
    if (!isalnum((unsigned char)*p))
      return NULL;
  if (strlen(name) + 2 > n)
    return NULL;
  snprintf(tag, n, "!%s", name);
  return tag;
}

/* The arguments of these are conditions. */
static bool takes_conditions(const char *tag) {
  return !strcmp(tag, "!If") || !strcmp(tag, "!And") || !strcmp(tag, "!Or") ||
         !strcmp(tag, "!Not");
}

static bool fits_line(const cJSON *v, bool cond, int *room);

static bool list_fits_line(const cJSON *a, bool cond, int *room) {
  *room -= 2;
  for (const cJSON *it = a->child; it; it = it->next)
    if (!fits_line(it, cond, room))
      return false;
  return *room >= 0;
}

/* Whether v can go in a short flow sequence: scalars and short-form
   intrinsics of them, e.g. [0, !GetAZs ''], taking its width from room. */
static bool fits_line(const cJSON *v, bool cond, int *room) {
  char tag[64];
  if (cJSON_IsString(v)) {
    *room -= (int)strlen(v->valuestring) + 4;
    return !strchr(v->valuestring, '\n') && *room >= 0;
  }
  if (cJSON_IsArray(v))
    return list_fits_line(v, false, room);
  if (cJSON_IsObject(v) && v->child) {
    if (!short_tag(v, cond, tag, sizeof tag) || cJSON_IsObject(v->child))
      return false;
    *room -= (int)strlen(tag) + 1;
    return cJSON_IsArray(v->child) ? list_fits_line(v->child, takes_conditions(tag), room)
                                   : fits_line(v->child, false, room);
  }
  *room -= 6;
  return *room >= 0;
}

static int node(yaml_emitter_t *em, const cJSON *v, bool cond);

static int sequence(yaml_emitter_t *em, const char *tag, const cJSON *a, bool cond, bool flow) {
  yaml_event_t ev;
  if (!yaml_sequence_start_event_initialize(&ev, NULL, (const yaml_char_t *)tag, !tag,
                                            flow ? YAML_FLOW_SEQUENCE_STYLE
                                                 : YAML_BLOCK_SEQUENCE_STYLE) ||
      !yaml_emitter_emit(em, &ev))
    return 0;
  for (const cJSON *it = a->child; it; it = it->next)
    if (!node(em, it, cond))
      return 0;
  return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

static int mapping(yaml_emitter_t *em, const char *tag, const cJSON *m) {
  yaml_event_t ev;
  if (!yaml_mapping_start_event_initialize(&ev, NULL, (const yaml_char_t *)tag, !tag,
                                           YAML_BLOCK_MAPPING_STYLE) ||
      !yaml_emitter_emit(em, &ev))
    return 0;
  for (const cJSON *it = m->child; it; it = it->next)
    if (!string(em, NULL, it->string) || !node(em, it, false))
      return 0;
  return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

/* v with a tag, or none. Fn::GetAtt [A, B] is the scalar A.B unless A has a
   dot of its own (readers split at the first one); a function's short
   argument list goes on one line. cond: v's items are conditions. */
static int value(yaml_emitter_t *em, const char *tag, const cJSON *v, bool cond) {
  const cJSON *a = v->child, *b = a ? a->next : NULL;
  if (tag && !strcmp(tag, "!GetAtt") && cJSON_IsArray(v) && cJSON_IsString(a) &&
      cJSON_IsString(b) && !b->next && !strchr(a->valuestring, '.')) {
    size_t n = strlen(a->valuestring) + strlen(b->valuestring) + 2;
    char *s = malloc(n);
    if (!s)
      return 0;
    snprintf(s, n, "%s.%s", a->valuestring, b->valuestring);
    int ok = string(em, tag, s);
    free(s);
    return ok;
  }
  int room = 64;
  if (cJSON_IsArray(v))
    return sequence(em, tag, v, cond, tag && list_fits_line(v, cond, &room));
  if (cJSON_IsObject(v))
    return mapping(em, tag, v);
  if (cJSON_IsString(v))
    return string(em, tag, v->valuestring);
  if (cJSON_IsNumber(v))
    return number(em, tag, v->valuedouble);
  return scalar(em, tag, cJSON_IsTrue(v) ? "true" : cJSON_IsFalse(v) ? "false" : "null",
                YAML_PLAIN_SCALAR_STYLE);
}

static int node(yaml_emitter_t *em, const cJSON *v, bool cond) {
  char tag[64], inner[64];
  /* A node has one tag: a function whose argument is a function keeps its
     long form outside, as in Fn::Base64: !Sub | ... */
  if (short_tag(v, cond, tag, sizeof tag) && !short_tag(v->child, false, inner, sizeof inner))
    return value(em, tag, v->child, takes_conditions(tag));
  return value(em, NULL, v, false);
}

static char *render(const cJSON *t);

static int write_buf(void *data, unsigned char *s, size_t n) {
  buf_add(data, (const char *)s, n);
  return 1;
}

char *cfn_yaml_render(const cJSON *t) {
  cJSON *printable = cfn_parts_printable(t);
  char *text = render(printable ? printable : t);
  cJSON_Delete(printable);
  return text;
}

static char *render(const cJSON *t) {
  yaml_emitter_t em;
  yaml_event_t ev;
  Buf out = {0};
  if (!yaml_emitter_initialize(&em))
    return NULL;
  yaml_emitter_set_output(&em, write_buf, &out);
  yaml_emitter_set_indent(&em, 2);
  yaml_emitter_set_width(&em, -1); /* long strings stay on one line */
  yaml_emitter_set_unicode(&em, 1);
  int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
           yaml_emitter_emit(&em, &ev) &&
           yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
           yaml_emitter_emit(&em, &ev) && node(&em, t, false) &&
           yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
           yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev);
  yaml_emitter_delete(&em);
  if (!ok) {
    buf_free(&out);
    return NULL;
  }
  return out.s;
}
