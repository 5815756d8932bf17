/* policydoc.c: statements, actions and who needs them, then the IAM
   document and its explanation (policydoc.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsapi.h"
#include "policydoc.h"

char *policydoc_fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  if (vasprintf(&s, f, ap) < 0) abort();
  va_end(ap);
  return s;
}

static const char *str_member(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ARNs name the partition of the region: aws, aws-cn, aws-us-gov. */
static const char *partition_of(const char *region) {
  for (int i = 0; i < aws_npartitions; i++)
    for (const char *const *r = aws_partitions[i].regions; r && *r; r++)
      if (!strcmp(*r, region)) return aws_partitions[i].name;
  return "aws";
}

void policydoc_init(PolicyDoc *p, const char *region) {
  p->region = region;
  p->partition = partition_of(region);
  p->stmts = cJSON_CreateArray();
}

void policydoc_free(PolicyDoc *p) {
  cJSON_Delete(p->stmts);
  p->stmts = NULL;
}

char *policydoc_sid(const char *prefix, const char *suffix) {
  char *s = policydoc_fmt("%s%s", prefix, suffix ? suffix : ""), *w = s;
  for (const char *r = s; *r; r++)
    if ((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9')) *w++ = *r;
  *w = 0;
  if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 'a' + 'A');
  return s;
}

static bool list_has(const cJSON *list, const char *s) {
  for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
    if (!strcmp(e->valuestring, s)) return true;
  return false;
}

void policydoc_add_unique(cJSON *stmt, const char *list, const char *s) {
  cJSON *l = cJSON_GetObjectItemCaseSensitive(stmt, list);
  if (!l) l = cJSON_AddArrayToObject(stmt, list);
  if (!list_has(l, s)) cJSON_AddItemToArray(l, cJSON_CreateString(s));
}

cJSON *policydoc_stmt(PolicyDoc *p, char *sid) {
  for (cJSON *s = p->stmts->child; s; s = s->next)
    if (!strcmp(str_member(s, "sid"), sid)) {
      free(sid);
      return s;
    }
  cJSON *s = cJSON_CreateObject();
  cJSON_AddStringToObject(s, "sid", sid);
  cJSON_AddArrayToObject(s, "acts");
  cJSON_AddItemToArray(p->stmts, s);
  free(sid);
  return s;
}

void policydoc_add_act(cJSON *stmt, const char *action, const char *who, char *why) {
  cJSON *acts = cJSON_GetObjectItemCaseSensitive(stmt, "acts"), *a = NULL;
  for (cJSON *x = acts->child; x && !a; x = x->next) {
    const char *xw = str_member(x, "why");
    if (!strcmp(str_member(x, "action"), action) && (xw == why || (xw && why && !strcmp(xw, why))))
      a = x;
  }
  if (!a) {
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "action", action);
    if (why) cJSON_AddStringToObject(a, "why", why);
    cJSON_AddArrayToObject(a, "who");
    cJSON_AddItemToArray(acts, a);
  }
  free(why);
  /* the needs of one declaration come together: one look keeps who unique */
  cJSON *w = cJSON_GetObjectItemCaseSensitive(a, "who");
  cJSON *last = cJSON_GetArrayItem(w, cJSON_GetArraySize(w) - 1);
  if (who && (!last || strcmp(last->valuestring, who)))
    cJSON_AddItemToArray(w, cJSON_CreateString(who));
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list of strings, sorted and unique, as IAM writes it: one string alone. */
static cJSON *str_or_list(const cJSON *list) {
  int n = cJSON_GetArraySize(list), m = 0;
  const char **v = calloc((size_t)n + 1, sizeof *v);
  for (const cJSON *e = list ? list->child : NULL; e; e = e->next)
    v[m++] = e->valuestring;
  qsort(v, (size_t)m, sizeof *v, cmp_str);
  cJSON *out = m == 1 ? cJSON_CreateString(v[0]) : cJSON_CreateArray();
  for (int i = 0; m != 1 && i < m; i++)
    if (!i || strcmp(v[i], v[i - 1])) cJSON_AddItemToArray(out, cJSON_CreateString(v[i]));
  free(v);
  return out;
}

cJSON *policydoc_document(const PolicyDoc *p) {
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "Version", "2012-10-17");
  cJSON *list = cJSON_AddArrayToObject(doc, "Statement");
  for (const cJSON *s = p->stmts->child; s; s = s->next) {
    cJSON *actions = cJSON_CreateArray();
    for (const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "acts")->child; a; a = a->next)
      cJSON_AddItemToArray(actions, cJSON_CreateString(str_member(a, "action")));
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "Sid", str_member(s, "sid"));
    cJSON_AddStringToObject(st, "Effect", "Allow");
    cJSON_AddItemToObject(st, "Action", str_or_list(actions));
    cJSON_AddItemToObject(st, "Resource",
                          str_or_list(cJSON_GetObjectItemCaseSensitive(s, "resources")));
    const cJSON *linked = cJSON_GetObjectItemCaseSensitive(s, "linked");
    if (linked) {
      cJSON *c = cJSON_AddObjectToObject(st, "Condition");
      cJSON_AddItemToObject(cJSON_AddObjectToObject(c, "StringEquals"), "iam:AWSServiceName",
                            str_or_list(linked));
    }
    cJSON_Delete(actions);
    cJSON_AddItemToArray(list, st);
  }
  return doc;
}

enum { WHO_SHOWN = 6 };

char *policydoc_explain(const PolicyDoc *p, const char *headline) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) abort();
  int n = cJSON_GetArraySize(p->stmts);
  fprintf(f, "%d statement%s for %s (region %s, partition %s):\n", n, n == 1 ? "" : "s", headline,
          p->region, p->partition);
  for (const cJSON *s = p->stmts->child; s; s = s->next) {
    fprintf(f, "\n%s on ", str_member(s, "sid"));
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(s, "resources");
    for (const cJSON *e = r ? r->child : NULL; e; e = e->next)
      fprintf(f, "%s%s", e == r->child ? "" : ", ", e->valuestring);
    fputc('\n', f);
    for (const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "acts")->child; a; a = a->next) {
      const cJSON *who = cJSON_GetObjectItemCaseSensitive(a, "who");
      int k = 0, total = cJSON_GetArraySize(who);
      fprintf(f, "  %-38s ", str_member(a, "action"));
      for (const cJSON *w = who->child; w && k < WHO_SHOWN; w = w->next, k++)
        fprintf(f, "%s%s", k ? ", " : "", w->valuestring);
      if (total > WHO_SHOWN) fprintf(f, " and %d more", total - WHO_SHOWN);
      if (str_member(a, "why")) fprintf(f, " (%s)", str_member(a, "why"));
      fputc('\n', f);
    }
  }
  fclose(f);
  return text;
}

typedef struct {
  PolicyDoc *p;
  const char *who, *why;
  const cJSON *pass_to;
} HandlerCtx;

static void add_handler_action(const char *action, void *ctx) {
  HandlerCtx *c = ctx;
  cJSON *s;
  if (!strcmp(action, "iam:PassRole")) {
    if (!cJSON_GetArraySize(c->pass_to)) return;
    s = policydoc_stmt(c->p, policydoc_fmt("PassRoles"));
    for (const cJSON *r = c->pass_to->child; r; r = r->next)
      policydoc_add_unique(s, "resources", r->valuestring);
  } else if (!strcmp(action, "iam:CreateServiceLinkedRole")) {
    s = policydoc_stmt(c->p, policydoc_fmt("HandlerServiceLinkedRoles"));
    char *arn = policydoc_fmt("arn:%s:iam::*:role/aws-service-role/*", c->p->partition);
    policydoc_add_unique(s, "resources", arn);
    free(arn);
  } else {
    char *prefix = policydoc_fmt("%.*s", (int)strcspn(action, ":"), action);
    s = policydoc_stmt(c->p, policydoc_sid(prefix, NULL));
    policydoc_add_unique(s, "resources", "*");
    free(prefix);
  }
  policydoc_add_act(s, action, c->who, policydoc_fmt("%s", c->why));
}

void policydoc_add_handler(PolicyDoc *p, const HandlerPerms *row, Handler h, const char *who,
                           const char *why, const cJSON *pass_to) {
  HandlerCtx c = {p, who, why, pass_to};
  handlerperms_each(row, h, add_handler_action, &c);
}

/* "AWS::A::B, AWS::C::D" (malloc'd): the types of a list, once each. */
char *policydoc_type_list(const cJSON *types) {
  char *out = policydoc_fmt("%s", "");
  for (const cJSON *t = types->child; t; t = t->next) {
    bool seen = false;
    for (const cJSON *u = types->child; u != t && !seen; u = u->next)
      seen = !strcmp(u->valuestring, t->valuestring);
    if (seen) continue;
    char *next = policydoc_fmt("%s%s%s", out, *out ? ", " : "", t->valuestring);
    free(out);
    out = next;
  }
  return out;
}

char *policydoc_missing(const cJSON *types, const char *how) {
  char *list = policydoc_type_list(types);
  char *msg = policydoc_fmt("no handler permissions are known for %s%s: regenerate "
                            "backends/handlerperms_data.c with scripts/gen-handlerperms.py from "
                            "the registry schemas",
                            list, how);
  free(list);
  return msg;
}
