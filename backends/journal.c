/* journal.c: the append-only record of an apply's steps (journal.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfn_parts.h"
#include "deploydoc.h"
#include "journal.h"
#include "output.h"

/* A journal larger than this is not one infrac wrote (a state of 10,000
   steps journals a few MB). */
enum { JOURNAL_MAX = 256 << 20 };

static char *journal_path(const char *state_path) {
  char *target = output_target(state_path), *p = NULL;
  if (!target)
    return NULL;
  if (asprintf(&p, "%s.journal", target) < 0)
    abort();
  free(target);
  return p;
}

bool journal_open(Journal *j, const char *state_path) {
  *j = (Journal){-1, journal_path(state_path)};
  if (!j->path)
    return false;
  j->fd = open(j->path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (j->fd < 0) {
    fprintf(stderr, "infrac: cannot write the journal %s: %s\n", j->path, strerror(errno));
    free(j->path);
    j->path = NULL;
    return false;
  }
  return true;
}

bool journal_append(Journal *j, const cJSON *rec) {
  if (j->fd < 0)
    return true;
  char *text = cfn_parts_print(rec, false), *line = NULL;
  int n = asprintf(&line, "%s\n", text);
  cJSON_free(text);
  if (n < 0)
    abort();
  /* one write of the whole line (O_APPEND): a kill leaves whole lines and
     at most one cut-short last line */
  ssize_t w = write(j->fd, line, (size_t)n);
  free(line);
  if (w != n || fdatasync(j->fd)) {
    fprintf(stderr, "infrac: cannot write the journal %s: %s\n", j->path,
            w < 0 || w == n ? strerror(errno) : "short write");
    return false;
  }
  return true;
}

void journal_close(Journal *j, bool remove) {
  if (j->fd >= 0)
    close(j->fd);
  if (remove && j->path)
    unlink(j->path);
  free(j->path);
  *j = (Journal){-1, NULL};
}

/* The state's entry of a logical ID, made when missing. */
static cJSON *entry_of(cJSON *state, const char *logical, const char *res) {
  cJSON *sres = cJSON_GetObjectItem(state, "resources");
  cJSON *e = cJSON_GetObjectItemCaseSensitive(sres, logical);
  if (!e) {
    e = cJSON_AddObjectToObject(sres, logical);
    cJSON_AddStringToObject(e, "resource", res);
    cJSON_AddObjectToObject(e, "captures");
  }
  if (!cJSON_IsObject(cJSON_GetObjectItem(e, "captures"))) {
    cJSON_DeleteItemFromObjectCaseSensitive(e, "captures");
    cJSON_AddObjectToObject(e, "captures");
  }
  return e;
}

static void set(cJSON *o, const char *key, cJSON *v) {
  cJSON_DeleteItemFromObjectCaseSensitive(o, key);
  cJSON_AddItemToObject(o, key, v);
}

/* The captures of a step; mid-way (a step, not the last), a value that
   one replaces is kept in "was", the first time only: a resource replaced
   new first (a task definition's revision) still has its old one to
   delete, and a resumed plan must address the old, not the new. */
static void merge_captures(cJSON *e, const cJSON *caps, bool mid_way) {
  cJSON *to = cJSON_GetObjectItem(e, "captures");
  for (const cJSON *c = caps ? caps->child : NULL; c; c = c->next) {
    const cJSON *had = cJSON_GetObjectItemCaseSensitive(to, c->string);
    if (mid_way && had && !cJSON_Compare(had, c, true)) {
      cJSON *was = cJSON_GetObjectItem(e, "was");
      if (!was)
        was = cJSON_AddObjectToObject(e, "was");
      if (!cJSON_GetObjectItemCaseSensitive(was, c->string))
        cJSON_AddItemToObject(was, c->string, cJSON_Duplicate(had, true));
    }
    set(to, c->string, cJSON_Duplicate(c, true));
  }
}

static const char *text(const cJSON *rec, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

void journal_apply(cJSON *state, const cJSON *rec) {
  const char *logical, *res = text(rec, "resource");
  cJSON *tres = cJSON_GetObjectItem(cJSON_GetObjectItem(state, "template"), "Resources");
  cJSON *sres = cJSON_GetObjectItem(state, "resources");
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(rec, "n");
  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(rec, "captures");
  if ((logical = text(rec, "delete"))) {
    cJSON_DeleteItemFromObjectCaseSensitive(tres, logical);
    cJSON_DeleteItemFromObjectCaseSensitive(sres, logical);
  } else if ((logical = text(rec, "start"))) {
    cJSON *e = entry_of(state, logical, res);
    cJSON *mark = cJSON_CreateObject();
    cJSON_AddNumberToObject(mark, "n", n->valuedouble);
    cJSON_AddStringToObject(mark, "op", text(rec, "op"));
    if (text(rec, "token"))
      cJSON_AddStringToObject(mark, "token", text(rec, "token"));
    set(e, "inflight", mark);
  } else if ((logical = text(rec, "step"))) {
    cJSON *e = entry_of(state, logical, res);
    set(e, "steps_done", cJSON_CreateNumber(n->valuedouble + 1));
    cJSON_DeleteItemFromObjectCaseSensitive(e, "inflight");
    merge_captures(e, caps, true);
  } else if ((logical = text(rec, "settle"))) {
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(rec, "template");
    cJSON_DeleteItemFromObjectCaseSensitive(tres, logical);
    if (def)
      cJSON_AddItemToObject(tres, logical, cJSON_Duplicate(def, true));
    cJSON *e = entry_of(state, logical, res);
    cJSON_DeleteItemFromObjectCaseSensitive(e, "steps_done");
    cJSON_DeleteItemFromObjectCaseSensitive(e, "inflight");
    cJSON_DeleteItemFromObjectCaseSensitive(e, "was");
    merge_captures(e, caps, false);
  }
}

/* Whether rec is a record journal_apply can take. */
static bool well_formed(const cJSON *rec) {
  static const char *const kinds[] = {"start", "step", "settle", "delete"};
  int k = -1;
  for (int i = 0; i < 4; i++)
    if (text(rec, kinds[i]))
      k = k < 0 ? i : 99;
  if (k < 0 || k == 99)
    return false;
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(rec, "n");
  const cJSON *caps = cJSON_GetObjectItemCaseSensitive(rec, "captures");
  const cJSON *def = cJSON_GetObjectItemCaseSensitive(rec, "template");
  bool counted = cJSON_IsNumber(n) && n->valuedouble >= 0 && n->valuedouble < DOC_MAX_STEPS &&
                 n->valuedouble == (double)(int)n->valuedouble;
  switch (k) {
  case 0:
    return text(rec, "resource") && counted && text(rec, "op");
  case 1:
    return text(rec, "resource") && counted && (!caps || cJSON_IsObject(caps));
  case 2:
    return text(rec, "resource") && (!caps || cJSON_IsObject(caps)) && (!def || cJSON_IsObject(def));
  default:
    return true;
  }
}

bool journal_fold(cJSON *state, const char *state_path, int *records) {
  *records = 0;
  char *path = journal_path(state_path);
  if (!path)
    return false;
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    bool none = errno == ENOENT;
    if (!none)
      fprintf(stderr, "infrac: cannot read the journal %s: %s\n", path, strerror(errno));
    free(path);
    return none;
  }
  struct stat sb;
  bool ok = !fstat(fd, &sb) && S_ISREG(sb.st_mode) && sb.st_size <= JOURNAL_MAX;
  char *buf = ok ? malloc((size_t)sb.st_size + 1) : NULL;
  size_t len = 0;
  for (ssize_t got; ok && len < (size_t)sb.st_size; len += (size_t)got)
    if ((got = read(fd, buf + len, (size_t)sb.st_size - len)) <= 0)
      ok = false;
  close(fd);
  if (!ok) {
    fprintf(stderr, "infrac: cannot read the journal %s: %s\n", path,
            sb.st_size > JOURNAL_MAX ? "larger than 256 MB" : "not a regular file");
    free(buf);
    free(path);
    return false;
  }
  buf[len] = '\0';
  int line = 0;
  for (char *p = buf, *nl; ok && (nl = strchr(p, '\n')); p = nl + 1) {
    line++;
    *nl = '\0';
    cJSON *rec = cJSON_ParseWithLength(p, (size_t)(nl - p));
    cfn_parts_load(rec); /* as the state it folds into was read (cfn_load.c) */
    if (!cJSON_IsObject(rec) || !well_formed(rec)) {
      fprintf(stderr, "infrac: %s:%d: not a record of infrac's journal\n", path, line);
      ok = false;
    } else {
      journal_apply(state, rec);
      ++*records;
    }
    cJSON_Delete(rec);
  }
  char err[512] = "";
  if (ok && *records && !deploydoc_check(state, DOC_STATE, err, sizeof err)) {
    fprintf(stderr, "infrac: %s: the state with the journal folded in: %s\n", path, err);
    ok = false;
  }
  free(buf);
  free(path);
  return ok;
}
