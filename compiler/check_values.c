/* check_values.c: the kinds' values that AWS enumerates, against the value
   lists of the type table (awstypes.h) rather than lists of our own: a
   database's engine version and instance class, an instance's type, a
   Fargate task's CPU and memory, a log group's retention (E106). A value AWS
   would refuse is an error here, not a failed deploy. */
#include <stdlib.h>
#include <string.h>

#include "awstypes.h"
#include "check.h"

static const char *region_name(const Check *k) {
  return k->region ? k->region->name : NULL;
}

/* "a, b, c or d" */
static const char *join_or(Check *k, const char *const *v, size_t n, const char *suffix) {
  Buf b = {0};
  for (size_t i = 0; i < n; i++)
    buf_printf(&b, "%s%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", v[i], suffix);
  const char *s = arena_strndup(k->a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

/* ---- versions ---- */

/* Versions in the order of their numbers: "8.0.9" before "8.0.11". */
static int version_cmp(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      char *ea, *eb;
      unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
      if (x != y) return x < y ? -1 : 1;
      a = ea, b = eb;
    } else {
      if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
      a++, b++;
    }
  }
  return (*a != 0) - (*b != 0);
}

static int newest_first(const void *a, const void *b) {
  return version_cmp(*(const char *const *)b, *(const char *const *)a);
}

/* How many dot-separated parts of v open w ("8.0" opens "8.0.36": 2). */
static int common_parts(const char *v, const char *w) {
  int parts = 0;
  size_t i = 0;
  for (;; i++) {
    bool end_v = v[i] == '\0' || v[i] == '.', end_w = w[i] == '\0' || w[i] == '.' || w[i] == '-';
    if (end_v && end_w) {
      parts++;
      if (v[i] == '\0' || w[i] != '.') return parts;
    } else if (v[i] != w[i]) {
      return parts;
    }
  }
}

/* database -> version, one RDS offers for its engine (E106). The help lists
   the newest versions that share the most parts with the value; when the
   value is a prefix of them ("8.0" where RDS wants "8.0.36") the newest is
   the fix. */
static void check_engine_version(Check *k, Decl *d) {
  Expr *engine = decl_attr(d, "engine"), *e = decl_attr(d, "version");
  const char *v = eval_string(e);
  if (!v || !engine || engine->k != EX_NAME) return;
  const char *list = arena_printf(k->a, "rds.engine_versions.%s", engine->name);
  size_t n;
  const char *const *all = aws_value_list(list, &n);
  if (!all || aws_value_listed(list, v, NULL)) return;
  int best = 0;
  for (size_t i = 0; i < n; i++) {
    int c = common_parts(v, all[i]);
    if (c > best) best = c;
  }
  /* the closest: those sharing the most parts, newest first, six at most */
  const char **close = arena_alloc(k->a, sizeof(char *) * (n + 1));
  size_t nclose = 0;
  for (size_t i = 0; i < n; i++)
    if (common_parts(v, all[i]) == best) close[nclose++] = all[i];
  qsort(close, nclose, sizeof *close, newest_first);
  if (nclose > 6) nclose = 6;
  Diag *g = diag_error(k->c, "E106", e->span,
                       "engine version \"%s\" of database %s is not one RDS offers for %s", v,
                       d->name, engine->name);
  bool prefix = best > 0 && nclose > 0 && !strncmp(close[0], v, strlen(v)) &&
                close[0][strlen(v)] == '.';
  if (prefix) {
    diag_help(k->c, g, "RDS names %s %s by its minor version: %s", engine->name, v,
              join_or(k, close, nclose, ""));
  } else {
    diag_help(k->c, g, "the %s RDS offers for %s: %s", best ? "closest" : "newest", engine->name,
              join_or(k, close, nclose, ""));
  }
  if (prefix && e->k == EX_STR) diag_fix(k->c, g, e->span, arena_printf(k->a, "\"%s\"", close[0]));
}

/* ---- names from a list ---- */

/* A value that must be one of a list, with did-you-mean. */
typedef struct {
  const char *kind, *attr;
  const char *list;   /* the value list; %s: the word of `by` */
  const char *by;     /* the attribute whose word picks the list, or NULL */
  const char *what;   /* "instance class", for the message */
  const char *offers; /* "one RDS offers for %s", %s: the word of `by` */
  const char *example, *lister; /* for the help: a value, the command that lists them */
} NameRule;

static const NameRule name_rules[] = {
    {"database", "class", "rds.instance_classes.%s", "engine", "instance class",
     "one RDS offers for %s", "db.t4g.micro",
     "aws rds describe-orderable-db-instance-options --engine ENGINE"},
    {"instance", "type", "ec2.instance_types", NULL, "instance type", "an EC2 instance type",
     "t3.micro", "aws ec2 describe-instance-types"},
};

static void check_name(Check *k, Decl *d, const NameRule *r) {
  Expr *e = decl_attr(d, r->attr), *by = r->by ? decl_attr(d, r->by) : NULL;
  const char *v = eval_string(e);
  if (!v || (r->by && (!by || by->k != EX_NAME))) return;
  const char *list = by ? arena_printf(k->a, r->list, by->name) : r->list;
  const char *offers = by ? arena_printf(k->a, r->offers, by->name) : r->offers;
  size_t n;
  const char *const *all = aws_value_list(list, &n);
  if (!all || aws_value_listed(list, v, region_name(k))) return;
  if (aws_value_listed(list, v, NULL)) { /* elsewhere, not in the stack's region */
    Diag *g = diag_error(k->c, "E106", e->span, "%s \"%s\" of %s is not offered in %s", r->what,
                         v, decl_desc(k, d), region_name(k));
    diag_help(k->c, g, "pick one that %s offers, or another region", region_name(k));
    return;
  }
  Diag *g = diag_error(k->c, "E106", e->span, "%s \"%s\" of %s is not %s", r->what, v,
                       decl_desc(k, d), offers);
  const char *s = resolve_suggest(v, all, (int)n);
  if (s) {
    diag_help(k->c, g, "did you mean \"%s\"?", s);
    if (e->k == EX_STR) diag_fix(k->c, g, e->span, arena_printf(k->a, "\"%s\"", s));
  } else {
    diag_help(k->c, g, "an %s is named as \"%s\"; `%s` lists them", r->what, r->example,
              r->lister);
  }
}

/* database -> class (E106); instance -> type (E106) */
void check_enumerated(Check *k, Decl *d) {
  for (size_t i = 0; i < countof(name_rules); i++)
    if (decl_is(d, name_rules[i].kind)) check_name(k, d, &name_rules[i]);
  if (decl_is(d, "database")) check_engine_version(k, d);
}

/* ---- Fargate task sizes ---- */

typedef struct {
  int64_t cpu, mib;
} Size;

static int size_cmp(const void *pa, const void *pb) {
  const Size *a = pa, *b = pb;
  if (a->cpu != b->cpu) return a->cpu < b->cpu ? -1 : 1;
  return (a->mib > b->mib) - (a->mib < b->mib);
}

/* task with compatibility = fargate -> cpu and memory, a pair Fargate offers
   (E106) */
void check_fargate_size(Check *k, Decl *d) {
  Expr *cpu_e = decl_attr(d, "cpu"), *mem_e = decl_attr(d, "memory");
  int64_t cpu, bytes;
  if (!is_word(decl_attr(d, "compatibility"), "fargate") || !eval_int(cpu_e, &cpu) ||
      !eval_int(mem_e, &bytes))
    return;
  int64_t mib = bytes / (1 << 20);
  size_t n;
  const char *const *pairs = aws_value_list("ecs.fargate_cpu_memory", &n);
  Size *sizes = arena_alloc(k->a, sizeof(Size) * (n + 1));
  for (size_t i = 0; i < n; i++) {
    char *colon;
    sizes[i].cpu = strtoll(pairs[i], &colon, 10);
    sizes[i].mib = strtoll(colon + 1, NULL, 10);
    if (bytes % (1 << 20) == 0 && sizes[i].cpu == cpu && sizes[i].mib == mib) return;
  }
  qsort(sizes, n, sizeof *sizes, size_cmp);
  /* the CPU sizes, and the memory sizes of the task's CPU */
  const char **cpus = arena_alloc(k->a, sizeof(char *) * (n + 1));
  const char **mems = arena_alloc(k->a, sizeof(char *) * (n + 1));
  size_t ncpus = 0, nmems = 0;
  const char *fix = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!i || sizes[i].cpu != sizes[i - 1].cpu)
      cpus[ncpus++] = arena_printf(k->a, "%lld", (long long)sizes[i].cpu);
    if (sizes[i].cpu != cpu) continue;
    mems[nmems++] = size_desc(k, sizes[i].mib << 20);
    if (!fix && sizes[i].mib >= mib) fix = size_desc(k, sizes[i].mib << 20);
  }
  /* the CPU sizes that take this memory, and the least above the task's */
  const char **fit = arena_alloc(k->a, sizeof(char *) * (n + 1));
  size_t nfit = 0;
  const char *cpu_fix = NULL;
  for (size_t i = 0; i < n; i++) {
    if (sizes[i].mib != mib || bytes % (1 << 20)) continue;
    fit[nfit++] = arena_printf(k->a, "%lld", (long long)sizes[i].cpu);
    if (!cpu_fix && sizes[i].cpu > cpu) cpu_fix = fit[nfit - 1];
  }
  if (!nmems) {
    Diag *g = diag_error(k->c, "E106", cpu_e->span,
                         "cpu %lld of task %s is not a size Fargate offers", (long long)cpu,
                         d->name);
    if (nfit)
      diag_help(k->c, g, "a Fargate task has %s CPU units; with %s of memory, cpu = %s",
                join_or(k, cpus, ncpus, ""), size_desc(k, bytes), join_or(k, fit, nfit, ""));
    else
      diag_help(k->c, g, "a Fargate task has %s CPU units", join_or(k, cpus, ncpus, ""));
    if (cpu_fix && cpu_e->k == EX_INT) diag_fix(k->c, g, cpu_e->span, cpu_fix);
    return;
  }
  Diag *g = diag_error(k->c, "E106", mem_e->span,
                       "Fargate offers no task of %lld CPU units with %s of memory (task %s)",
                       (long long)cpu, size_desc(k, bytes), d->name);
  diag_note(k->c, g, cpu_e->span, "cpu %lld set here", (long long)cpu);
  if (nfit)
    diag_help(k->c, g, "with cpu = %lld, memory is %s; %s takes cpu = %s", (long long)cpu,
              join_or(k, mems, nmems, ""), size_desc(k, bytes), join_or(k, fit, nfit, ""));
  else
    diag_help(k->c, g, "with cpu = %lld, memory is %s", (long long)cpu,
              join_or(k, mems, nmems, ""));
  if (fix && mem_e->k == EX_SIZE) diag_fix(k->c, g, mem_e->span, fix);
  else if (!fix && cpu_fix && cpu_e->k == EX_INT) diag_fix(k->c, g, cpu_e->span, cpu_fix);
}

/* ---- log retention ---- */

static int int_cmp(const void *pa, const void *pb) {
  int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
  return (a > b) - (a < b);
}

static const char *duration_desc(Check *k, int64_t s) {
  static const struct {
    int64_t unit;
    const char *name;
  } units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (size_t i = 0; i < countof(units); i++)
    if (s % units[i].unit == 0)
      return arena_printf(k->a, "%lld%s", (long long)(s / units[i].unit), units[i].name);
  return "";
}

/* log_group -> retention, one of the periods CloudWatch Logs offers (E106) */
void check_retention_value(Check *k, Decl *d, Expr *e) {
  int64_t s;
  size_t n;
  const char *const *list = aws_value_list("logs.retention_days", &n);
  if (!eval_int(e, &s) || !list) return;
  int64_t *days = arena_alloc(k->a, sizeof(int64_t) * (n + 1));
  for (size_t i = 0; i < n; i++)
    days[i] = strtoll(list[i], NULL, 10);
  qsort(days, n, sizeof *days, int_cmp);
  size_t above = n;
  for (size_t i = 0; i < n; i++) {
    if (s == days[i] * 86400) return;
    if (above == n && s < days[i] * 86400) above = i;
  }
  Diag *g = diag_error(k->c, "E106", e->span,
                       "retention %s of log group %s is not a period CloudWatch Logs offers",
                       duration_desc(k, s), d->name);
  const char **names = arena_alloc(k->a, sizeof(char *) * (n + 1));
  for (size_t i = 0; i < n; i++)
    names[i] = arena_printf(k->a, "%lldd", (long long)days[i]);
  const char *all = join_or(k, names, n, "");
  if (above < n) {
    diag_help(k->c, g, "CloudWatch Logs keeps events %s; the next above is %s", all, names[above]);
    if (e->k == EX_DURATION) diag_fix(k->c, g, e->span, names[above]);
  } else {
    diag_help(k->c, g, "CloudWatch Logs keeps events %s", all);
  }
}
