/* drift.c: the state against what AWS has (awsread.c), and the drift shown
   as the source would say it: a security group's rules as `ingress`
   statements, other properties by their template path. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awscall.h"
#include "cfn_parts.h"
#include "drift.h"
#include "termtext.h"

bool drift_read(const cJSON *state, const char *endpoint_url, const char *profile, Drift *d) {
  memset(d, 0, sizeof *d);
  const char *region = cJSON_GetObjectItemCaseSensitive(state, "region")->valuestring;
  const char *aws = getenv("INFRAC_AWS");
  char *err = NULL;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  AwsClient *c = aws_client_new(region, endpoint_url, profile, aws && *aws ? aws : "aws", &err);
  if (c) d->live = awsread_live(c, state, &d->counts, &err);
  aws_client_free(c);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  d->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (!d->live) {
    char *shown = term_escaped(err ? err : "?", 0);
    fprintf(stderr, "infrac: cannot read what is deployed: %s\n", shown);
    free(shown);
    free(err);
    return false;
  }
  d->entries = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(state, "resources"), true);
  const cJSON *live_res = cJSON_GetObjectItemCaseSensitive(d->live, "Resources");
  for (cJSON *e = d->entries->child, *next; e; e = next) {
    next = e->next;
    if (!cJSON_GetObjectItemCaseSensitive(live_res, e->string))
      cJSON_DeleteItemFromObjectCaseSensitive(d->entries, e->string);
  }
  fprintf(stderr, "Read %d resources from AWS in %.2f s", d->counts.read, d->seconds);
  if (d->counts.cloudcontrol)
    fprintf(stderr, ", %d through Cloud Control", d->counts.cloudcontrol);
  if (d->counts.unread)
    fprintf(stderr, "; %d taken as the state records them (no read)", d->counts.unread);
  fprintf(stderr, ".\n");
  d->diff = diff_templates(cJSON_GetObjectItemCaseSensitive(state, "template"), d->live);
  /* what refers to a resource changed outside infrac did not change itself */
  for (int i = 0; i < d->diff->n; i++) {
    DiffResource *r = &d->diff->res[i];
    int kept = 0;
    bool replaced = false;
    for (int j = 0; j < r->nprops; j++) {
      if (r->props[j].after_apply) {
        free(r->props[j].path);
        continue;
      }
      replaced |= r->props[j].replacement;
      r->props[kept++] = r->props[j];
    }
    r->nprops = kept;
    if (r->cause && (r->action == DIFF_UPDATE || r->action == DIFF_REPLACE)) {
      d->diff->count[r->action]--;
      r->action = !kept ? DIFF_NOOP : replaced ? DIFF_REPLACE : DIFF_UPDATE;
      d->diff->count[r->action]++;
      free(r->cause);
      r->cause = NULL;
    }
  }
  return true;
}

void drift_free(Drift *d) {
  diff_free(d->diff);
  cJSON_Delete(d->live);
  cJSON_Delete(d->entries);
  memset(d, 0, sizeof *d);
}

bool drift_found(const Drift *d) {
  return d->diff && (d->diff->count[DIFF_UPDATE] || d->diff->count[DIFF_REPLACE] ||
                     d->diff->count[DIFF_DELETE]);
}

/* ---- text ---- */

typedef struct {
  char *s;
  size_t len;
} Text;

static void add(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(Text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0) abort();
  char *safe = term_escaped(s, 1); /* names and values come from AWS and the state */
  size_t m = strlen(safe);
  t->s = realloc(t->s, t->len + m + 1);
  memcpy(t->s + t->len, safe, m + 1);
  t->len += m;
  free(safe);
  free(s);
}

static char *shown(const cJSON *v) {
  char *p = v ? cfn_parts_print(v, false) : NULL;
  char *s = strdup(p ? p : "(none)");
  cJSON_free(p);
  if (strlen(s) > 80) strcpy(s + 77, "...");
  return s;
}

static const char *name_or(const DriftNames *n, const char *logical) {
  const char *s = n && n->name_of ? n->name_of(n->ctx, logical) : NULL;
  return s ? s : logical;
}

/* A rule's peer as the source names it: an address range, or the group a
   Ref or GetAtt names. */
static char *peer(const cJSON *rule, const DriftNames *names) {
  static const char *const keys[] = {"CidrIp",
                                     "CidrIpv6",
                                     "SourceSecurityGroupId",
                                     "DestinationSecurityGroupId",
                                     "SourcePrefixListId",
                                     "DestinationPrefixListId"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rule, keys[i]);
    if (cJSON_IsString(v)) return strdup(v->valuestring);
    const cJSON *f = cJSON_IsObject(v) ? v->child : NULL;
    if (f && !strcmp(f->string, "Ref") && cJSON_IsString(f))
      return strdup(name_or(names, f->valuestring));
    if (f && !strcmp(f->string, "Fn::GetAtt") && cJSON_IsString(f->child))
      return strdup(name_or(names, f->child->valuestring));
    if (v) return shown(v);
  }
  return strdup("?");
}

/* "ingress tcp 3306 from 0.0.0.0/0", as the statement that makes the rule. */
static char *rule_text(const cJSON *rule, bool egress, const DriftNames *names) {
  const cJSON *proto = cJSON_GetObjectItemCaseSensitive(rule, "IpProtocol");
  const cJSON *from = cJSON_GetObjectItemCaseSensitive(rule, "FromPort");
  const cJSON *to = cJSON_GetObjectItemCaseSensitive(rule, "ToPort");
  const char *p = cJSON_IsString(proto) ? proto->valuestring : "?";
  char ports[48] = "";
  if (cJSON_IsNumber(from) && cJSON_IsNumber(to) && from->valuedouble >= 0) {
    if (from->valuedouble == to->valuedouble)
      snprintf(ports, sizeof ports, " %d", from->valueint);
    else
      snprintf(ports, sizeof ports, " %d-%d", from->valueint, to->valueint);
  }
  char *who = peer(rule, names), *s = NULL;
  if (asprintf(&s, "%s %s%s %s %s", egress ? "egress" : "ingress", strcmp(p, "-1") ? p : "all",
               ports, egress ? "to" : "from", who) < 0)
    abort();
  free(who);
  return s;
}

static bool has(const cJSON *list, const cJSON *item) {
  for (const cJSON *x = list ? list->child : NULL; x; x = x->next)
    if (cJSON_Compare(x, item, true)) return true;
  return false;
}

/* The changes inside one property, each on its own line after head. */
static void render_value(Text *t, const char *head, const char *path, const cJSON *old,
                         const cJSON *now) {
  if (cJSON_IsObject(old) && cJSON_IsObject(now)) {
    for (int pass = 0; pass < 2; pass++)
      for (const cJSON *c = (pass ? old : now)->child; c; c = c->next) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(pass ? now : old, c->string);
        if (pass && o) continue;
        char *sub = NULL;
        if (asprintf(&sub, "%s.%s", path, c->string) < 0) abort();
        if (!cJSON_Compare(o, c, true)) render_value(t, head, sub, pass ? c : o, pass ? NULL : c);
        free(sub);
      }
    return;
  }
  if (cJSON_IsArray(old) && cJSON_IsArray(now)) {
    for (int pass = 0; pass < 2; pass++)
      for (const cJSON *c = (pass ? now : old)->child; c; c = c->next)
        if (!has(pass ? old : now, c)) {
          char *v = shown(c);
          add(t, "%s %s %s[]: %s\n", head, pass ? "+" : "-", path, v);
          free(v);
        }
    return;
  }
  char *o = shown(old), *n = shown(now);
  if (!old)
    add(t, "%s + %s: %s\n", head, path, n);
  else if (!now)
    add(t, "%s - %s: %s\n", head, path, o);
  else
    add(t, "%s ~ %s: %s => %s\n", head, path, o, n);
  free(o);
  free(n);
}

char *drift_render_text(const Drift *d, const cJSON *source, const DriftNames *names) {
  Text t = {strdup(""), 0};
  int changed = 0, gone = 0;
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(source, "Resources");
  for (int i = 0; d->diff && i < d->diff->n; i++) {
    const DiffResource *r = &d->diff->res[i];
    if (r->action == DIFF_NOOP || r->action == DIFF_CREATE) continue;
    const char *kind = names && names->kind_of ? names->kind_of(names->ctx, r->logical_id) : NULL;
    char *head = NULL;
    if (asprintf(&head, "%s %s (%s)", r->action == DIFF_DELETE ? "-" : "~",
                 name_or(names, r->logical_id), kind ? kind : r->type) < 0)
      abort();
    if (r->action == DIFF_DELETE) {
      gone++;
      add(&t, "%s deleted outside infrac: %s\n", head,
          cJSON_GetObjectItemCaseSensitive(src, r->logical_id)
              ? "to be created again"
              : "the source no longer has it either");
      free(head);
      continue;
    }
    changed++;
    char *line = NULL;
    if (asprintf(&line, "%s changed outside infrac:", head) < 0) abort();
    for (int j = 0; j < r->nprops; j++) {
      const DiffProp *p = &r->props[j];
      bool egress = !strcmp(p->path, "SecurityGroupEgress");
      if (egress || !strcmp(p->path, "SecurityGroupIngress")) {
        for (int pass = 0; pass < 2; pass++)
          for (const cJSON *c = (pass ? p->new : p->old) ? (pass ? p->new : p->old)->child : NULL;
               c; c = c->next)
            if (!has(pass ? p->old : p->new, c)) {
              char *rule = rule_text(c, egress, names);
              add(&t, "%s %s %s\n", line, pass ? "+" : "-", rule);
              free(rule);
            }
      } else {
        render_value(&t, line, p->path, p->old, p->new);
      }
    }
    free(line);
    free(head);
  }
  if (changed || gone)
    add(&t, "\nDrift: %d changed outside infrac, %d deleted outside infrac.\n\n", changed, gone);
  return t.s;
}

cJSON *drift_json(const Drift *d, const DriftNames *names) {
  cJSON *list = cJSON_CreateArray();
  for (int i = 0; d->diff && i < d->diff->n; i++) {
    const DiffResource *r = &d->diff->res[i];
    if (r->action == DIFF_NOOP || r->action == DIFF_CREATE) continue;
    cJSON *c = diff_change_json(r, names ? names->name_of : NULL, names ? names->ctx : NULL);
    const char *kind = names && names->kind_of ? names->kind_of(names->ctx, r->logical_id) : NULL;
    if (kind) cJSON_AddStringToObject(c, "kind", kind);
    cJSON_AddItemToArray(list, c);
  }
  return list;
}
