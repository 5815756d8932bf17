/* check_aws.c: `resource` declarations, the kinds' `properties { }` and
   every NAME.Attr of a `resource`, against the AWS type table (awstypes.h):
   E104 unknown type, property or attribute; E105 required property missing;
   E106 wrong type, value, pattern, length, range or item count; E108 a
   read-only property written; E109 a property the kind writes; W606
   deprecated. Values known only at deploy time are checked for their type
   where it is known, never for their value. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "infrac.h"
#include "param_types.h"

typedef struct {
  regex_t re;
  const char *pattern; /* NULL: a free slot */
  bool ok;             /* translated and compiled */
} Pattern;

typedef struct {
  Compilation *c;
  Arena *a;
  const char *region;
  Pattern cache[64]; /* compiled patterns, by the pattern's address */
} K;

/* Where a value sits: "VersioningConfiguration.Status of resource site
   (AWS::S3::Bucket)". */
typedef struct {
  const char *path; /* "Tags[0].Key", "" at the top */
  const Decl *d;
  const AwsType *t;
  const char *attr; /* a kind's attribute that lowers to path ("name"), or NULL */
} At;

static const char *at_str(K *k, const At *at, const char *leaf) {
  if (at->attr)
    return arena_printf(k->a, "the %s of %s %s (%s of %s)", at->attr, at->d->kind_name, at->d->name,
                        at->path, at->t->name);
  const char *p = at->path && *at->path ? at->path : NULL;
  const char *what = p && leaf ? arena_printf(k->a, "%s.%s", p, leaf) : p ? p : leaf;
  const char *owner = at->d->type_name
                          ? arena_printf(k->a, "resource %s (%s)", at->d->name, at->t->name)
                          : arena_printf(k->a, "the properties of %s %s (%s)", at->d->kind_name,
                                         at->d->name, at->t->name);
  return what ? arena_printf(k->a, "%s of %s", what, owner) : owner;
}

static const char *type_desc(unsigned types) {
  static const struct {
    unsigned bit;
    const char *desc;
  } names[] = {
      {AWS_T_STRING, "a string"},   {AWS_T_INTEGER, "an integer"}, {AWS_T_NUMBER, "a number"},
      {AWS_T_BOOLEAN, "a boolean"}, {AWS_T_OBJECT, "an object"},   {AWS_T_ARRAY, "a list"},
  };
  static char buf[128];
  buf[0] = 0;
  int n = 0, total = 0;
  for (size_t i = 0; i < countof(names); i++)
    total += (types & names[i].bit) != 0;
  for (size_t i = 0; i < countof(names); i++) {
    if (!(types & names[i].bit))
      continue;
    if (n)
      strcat(buf, n == total - 1 ? " or " : ", ");
    strcat(buf, names[i].desc);
    n++;
  }
  return buf;
}

/* ---- did you mean ---- */

/* The candidate equal to name but for case, else the closest by edits. */
static const char *suggest(const char *name, const char *const *cands, int n) {
  for (int i = 0; i < n; i++)
    if (!strcasecmp(cands[i], name))
      return cands[i];
  return resolve_suggest(name, cands, n);
}

static const char *list_names(K *k, const char *const *names, int n, int max) {
  Buf b = {0};
  for (int i = 0; i < n && i < max; i++)
    buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
  if (n > max)
    buf_printf(&b, " and %d more", n - max);
  const char *s = arena_strndup(k->a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

/* ---- patterns: the schemas' ECMAScript expressions as POSIX ones ---- */

/* Appends the POSIX form of the ECMAScript pattern p to b; false for what
   POSIX cannot say (\p{L}, lookahead, lazy repeats, \b): not checked. */
static bool translate(const char *p, Buf *b) {
  for (; *p; p++) {
    if (*p == '(' && p[1] == '?')
      return false;
    if ((*p == '*' || *p == '+' || *p == '?' || *p == '}') && p[1] == '?')
      return false;
    if (*p == '\\') {
      char e = *++p;
      switch (e) {
      case 'd': buf_puts(b, "[0-9]"); break;
      case 'D': buf_puts(b, "[^0-9]"); break;
      case 'w': buf_puts(b, "[A-Za-z0-9_]"); break;
      case 'W': buf_puts(b, "[^A-Za-z0-9_]"); break;
      case 's': buf_puts(b, "[[:space:]]"); break;
      case 'S': buf_puts(b, "[^[:space:]]"); break;
      case 'n': buf_puts(b, "\n"); break;
      case 't': buf_puts(b, "\t"); break;
      default:
        if (!e || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
          return false;
        buf_add(b, "\\", 1);
        buf_add(b, &e, 1);
      }
      continue;
    }
    if (*p != '[') {
      buf_add(b, p, 1);
      continue;
    }
    /* a class: its members rebuilt, ']' first and '-' last as POSIX wants */
    bool neg = p[1] == '^', close = false, dash = false;
    p += neg ? 2 : 1;
    Buf cls = {0};
    for (bool first = true; *p && (*p != ']' || first); p++, first = false) {
      if (*p == ']') {
        close = true;
        continue;
      }
      if (*p == '[' && p[1] == ':') { /* [:alpha:] is POSIX already */
        const char *end = strstr(p, ":]");
        if (!end) {
          buf_free(&cls);
          return false;
        }
        buf_add(&cls, p, (size_t)(end + 2 - p));
        p = end + 1;
        continue;
      }
      char ch = *p;
      if (ch == '\\') {
        char e = *++p;
        if (e == 'd') { buf_puts(&cls, "0-9"); continue; }
        if (e == 'w') { buf_puts(&cls, "A-Za-z0-9_"); continue; }
        if (e == 's') { buf_puts(&cls, "[:space:]"); continue; }
        if (e == 'n') { buf_puts(&cls, "\n"); continue; }
        if (e == 't') { buf_puts(&cls, "\t"); continue; }
        if (!e || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
          buf_free(&cls);
          return false;
        }
        ch = e;
        if (ch == ']') { close = true; continue; }
        if (ch == '-') { dash = true; continue; }
        buf_add(&cls, &ch, 1);
        continue;
      }
      /* a '-' that is no range: first, last, or after a range */
      if (ch == '-' && (first || p[1] == ']')) {
        dash = true;
        continue;
      }
      if (ch == '[') { /* a literal '[' is fine inside POSIX brackets */
        buf_add(&cls, "[", 1);
        continue;
      }
      buf_add(&cls, &ch, 1);
    }
    if (*p != ']') {
      buf_free(&cls);
      return false;
    }
    buf_puts(b, neg ? "[^" : "[");
    if (close)
      buf_add(b, "]", 1);
    if (cls.len)
      buf_add(b, cls.s, cls.len);
    if (dash)
      buf_add(b, "-", 1);
    buf_add(b, "]", 1);
    buf_free(&cls);
  }
  return true;
}

/* The compiled form of pattern, or NULL when it cannot be checked. Lazily:
   a stack without literal values against patterns compiles none. */
static regex_t *pattern_re(K *k, const char *pattern) {
  size_t h = ((uintptr_t)pattern >> 3) % countof(k->cache);
  Pattern *slot = &k->cache[h];
  if (slot->pattern == pattern)
    return slot->ok ? &slot->re : NULL;
  if (slot->pattern && slot->ok)
    regfree(&slot->re);
  slot->pattern = pattern;
  Buf b = {0};
  slot->ok = translate(pattern, &b) && b.s &&
             regcomp(&slot->re, b.s, REG_EXTENDED | REG_NOSUB) == 0;
  buf_free(&b);
  return slot->ok ? &slot->re : NULL;
}

/* ---- values ---- */

static void check_value(K *k, const AwsShape *s, const Expr *e, const At *at);
static void check_name_limits(K *k, const AwsType *t, const char *prop, const Expr *e, const At *at);

/* What a value is, as AWS_T_* bits: 0 when it is not known. *deploy: its
   value exists only at deploy time. */
static unsigned value_type(K *k, const Expr *e, bool *deploy) {
  (void)k;
  *deploy = false;
  switch (e->k) {
  case EX_INT: return AWS_T_INTEGER | AWS_T_NUMBER;
  case EX_BOOL: return AWS_T_BOOLEAN;
  case EX_CIDR:
  case EX_IP: return AWS_T_STRING;
  case EX_SIZE:
  case EX_DURATION:
  case EX_PORTS: return AWS_T_STRING; /* a PORTS is "80-90"; sizes are refused below */
  case EX_STR:
    *deploy = !eval_string(e);
    return AWS_T_STRING;
  case EX_LIST: return AWS_T_ARRAY;
  case EX_OBJECT: return AWS_T_OBJECT;
  case EX_NAME:
    *deploy = true;
    if (e->ref && e->ref->k == D_PARAM)
      return !strcmp(e->ref->type_name, "int") ? AWS_T_INTEGER | AWS_T_NUMBER | AWS_T_STRING
             : !strcmp(e->ref->type_name, "bool") ? AWS_T_BOOLEAN | AWS_T_STRING
             : param_type_is_list(e->ref->type_name) ? AWS_T_ARRAY /* CommaDelimitedList, List<...> */
                                                 : AWS_T_STRING;
    return AWS_T_STRING; /* a Ref */
  case EX_FIELD: {
    *deploy = true;
    const Decl *d = e->ref;
    if (d && d->type_name && d->aws) {
      Buf b = {0};
      const Expr *parts[LIMIT_DEPTH];
      int n = 0;
      for (const Expr *x = e; x->k == EX_FIELD && n < LIMIT_DEPTH; x = x->base)
        parts[n++] = x;
      for (int i = n - 1; i >= 0; i--)
        buf_printf(&b, "%s%s", parts[i]->name, i ? "." : "");
      const AwsProp *a = b.s ? aws_type_attr(d->aws, b.s) : NULL;
      buf_free(&b);
      return a && a->shape ? a->shape->types : 0;
    }
    return 0;
  }
  case EX_CALL: {
    *deploy = true;
    if (!strcmp(e->name, "split") || !strcmp(e->name, "azs"))
      return AWS_T_ARRAY;
    if (!strcmp(e->name, "select"))
      return 0;
    return AWS_T_STRING;
  }
  default: return 0;
  }
}

static bool is_number(const char *s, bool integer) {
  char *end;
  if (!*s)
    return false;
  if (integer)
    (void)strtoll(s, &end, 10);
  else
    (void)strtod(s, &end);
  return *end == 0;
}

static size_t utf8_count(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static void check_string(K *k, const AwsShape *s, const Expr *e, const char *text, const At *at) {
  if (s->values) {
    int n = 0;
    while (s->values[n])
      n++;
    bool found = false;
    for (int i = 0; i < n && !found; i++)
      found = !strcmp(s->values[i], text);
    if (!found) {
      Diag *d = diag_error(k->c, "E106", e->span, "\"%s\" is not an allowed value of %s", text,
                           at_str(k, at, NULL));
      const char *sug = suggest(text, s->values, n);
      if (sug) {
        diag_help(k->c, d, "did you mean \"%s\"? the values are: %s", sug,
                  list_names(k, s->values, n, 20));
        if (e->k == EX_STR)
          diag_fix(k->c, d, e->span, arena_printf(k->a, "\"%s\"", sug));
      } else {
        diag_help(k->c, d, "the values are: %s", list_names(k, s->values, n, 20));
      }
      return;
    }
  }
  size_t len = utf8_count(text);
  if ((s->limits & AWS_L_MIN_LEN) && (int64_t)len < s->min_len) {
    diag_error(k->c, "E106", e->span, "%s is %zu character%s long: at least %lld expected",
               at_str(k, at, NULL), len, len == 1 ? "" : "s", (long long)s->min_len);
    return;
  }
  if ((s->limits & AWS_L_MAX_LEN) && (int64_t)len > s->max_len) {
    diag_error(k->c, "E106", e->span, "%s is %zu characters long: at most %lld allowed",
               at_str(k, at, NULL), len, (long long)s->max_len);
    return;
  }
  regex_t *re = s->pattern ? pattern_re(k, s->pattern) : NULL;
  if (re && regexec(re, text, 0, NULL, 0) != 0) {
    Diag *d = diag_error(k->c, "E106", e->span, "\"%s\" does not match the pattern of %s", text,
                         at_str(k, at, NULL));
    diag_help(k->c, d, "the pattern: %s", s->pattern);
  }
}

static void check_number(K *k, const AwsShape *s, const Expr *e, double v, const At *at) {
  if ((s->limits & AWS_L_MIN) && v < s->min) {
    diag_error(k->c, "E106", e->span, "%s is %g: at least %g expected", at_str(k, at, NULL), v,
               s->min);
  } else if ((s->limits & AWS_L_MAX) && v > s->max) {
    diag_error(k->c, "E106", e->span, "%s is %g: at most %g allowed", at_str(k, at, NULL), v,
               s->max);
  }
}

static void check_object(K *k, const AwsShape *s, const Expr *obj, Span owner, const At *at);

static void check_list(K *k, const AwsShape *s, const Expr *e, const At *at) {
  int n = e->items.n;
  if ((s->limits & AWS_L_MIN_ITEMS) && n < s->min_items) {
    diag_error(k->c, "E106", e->span, "%s has %d item%s: at least %lld expected",
               at_str(k, at, NULL), n, n == 1 ? "" : "s", (long long)s->min_items);
  } else if ((s->limits & AWS_L_MAX_ITEMS) && n > s->max_items) {
    diag_error(k->c, "E106", e->span, "%s has %d items: at most %lld allowed", at_str(k, at, NULL),
               n, (long long)s->max_items);
  }
  if (!s->items)
    return;
  const char *base = at->path ? at->path : "";
  for (int i = 0; i < n; i++) {
    At item = {arena_printf(k->a, "%s[%d]", base, i), at->d, at->t, NULL};
    check_value(k, s->items, e->items.v[i], &item);
  }
}

static void check_value(K *k, const AwsShape *s, const Expr *e, const At *at) {
  if (!s || e->k == EX_ERROR)
    return;
  bool deploy;
  unsigned have = value_type(k, e, &deploy);
  unsigned want = s->types;
  if (want && have && !(have & want)) {
    /* "5" for an integer, "true" for a boolean: CloudFormation takes them */
    const char *text = e->k == EX_STR ? eval_string(e) : NULL;
    bool ok = text && (((want & AWS_T_INTEGER) && is_number(text, true)) ||
                       ((want & AWS_T_NUMBER) && is_number(text, false)) ||
                       ((want & AWS_T_BOOLEAN) && (!strcmp(text, "true") || !strcmp(text, "false"))));
    /* a number or a boolean where a string is expected is written as one */
    ok |= (want & AWS_T_STRING) && (e->k == EX_INT || e->k == EX_BOOL);
    /* a string param for an integer or a boolean: CloudFormation converts
       its value at deploy time, as it does "5" (imported templates do this) */
    ok |= deploy && e->k == EX_NAME && e->ref && e->ref->k == D_PARAM &&
          (want & (AWS_T_INTEGER | AWS_T_NUMBER | AWS_T_BOOLEAN));
    if (!ok) {
      Diag *d = diag_error(k->c, "E106", e->span, "%s expects %s, found %s", at_str(k, at, NULL),
                           type_desc(want), deploy ? arena_printf(k->a, "%s (known at deploy time)",
                                                                  ast_expr_desc(e))
                                                   : ast_expr_desc(e));
      if ((want & AWS_T_ARRAY) && !(want & AWS_T_OBJECT) && !deploy)
        diag_help(k->c, d, "a list is written [a, b]");
      else if ((want & AWS_T_INTEGER) && text && *text >= '0' && *text <= '9')
        diag_help(k->c, d, "numbers are written without quotes");
      return;
    }
  }
  if (e->k == EX_SIZE || e->k == EX_DURATION) {
    Diag *d = diag_error(k->c, "E106", e->span, "%s expects %s, found %s", at_str(k, at, NULL),
                         type_desc(want ? want : AWS_T_INTEGER), ast_expr_desc(e));
    diag_help(k->c, d, "CloudFormation properties take plain numbers, in the unit the property "
                       "names (seconds, days, MiB, GiB...)");
    return;
  }
  if (deploy)
    return;
  switch (e->k) {
  case EX_STR: check_string(k, s, e, eval_string(e), at); break;
  case EX_CIDR:
  case EX_IP:
  case EX_PORTS: {
    Source *src = compile_source(k->c, e->span.file);
    check_string(k, s, e, arena_strndup(k->a, src->text + e->span.lo, e->span.hi - e->span.lo), at);
    break;
  }
  case EX_INT:
    if (s->values)
      check_string(k, s, e, arena_printf(k->a, "%lld", (long long)e->i), at);
    else
      check_number(k, s, e, (double)e->i, at);
    break;
  case EX_LIST: check_list(k, s, e, at); break;
  case EX_OBJECT:
    if (s->nprops)
      check_object(k, s, e, e->span, at);
    break;
  default: break;
  }
}

/* ---- objects ---- */

/* CloudFormation's own attribute names, written as infrac's meta-attributes. */
static const struct {
  const char *cfn, *meta;
} meta_names[] = {
    {"DependsOn", "depends_on"},
    {"DeletionPolicy", "deletion_policy"},
    {"UpdateReplacePolicy", "update_replace_policy"},
    {"Properties", NULL},
    {"Type", NULL},
};

static void unknown_property(K *k, const AwsShape *s, const Expr *pair, const At *at, bool top) {
  for (size_t i = 0; top && i < countof(meta_names); i++) {
    if (strcmp(meta_names[i].cfn, pair->name) || !meta_names[i].meta)
      continue;
    Diag *d = diag_error(k->c, "E104", pair->name_span, "unknown property '%s' in %s", pair->name,
                         at_str(k, at, NULL));
    diag_help(k->c, d, "%s is written as the meta-attribute %s", pair->name, meta_names[i].meta);
    diag_fix(k->c, d, pair->name_span, meta_names[i].meta);
    return;
  }
  /* an attribute: AWS sets it, the template reads it */
  if (top && aws_type_attr(at->t, pair->name)) {
    Diag *d = diag_error(k->c, "E108", pair->name_span,
                         "%s is read-only: AWS sets it, a template cannot",
                         at_str(k, at, pair->name));
    if (at->d->type_name) /* a kind's values are its exports */
      diag_help(k->c, d, "read it as %s.%s", at->d->name, pair->name);
    return;
  }
  const char **cands = arena_alloc(k->a, sizeof(char *) * (size_t)(s->nprops + 1));
  int n = 0;
  for (int i = 0; i < s->nprops; i++)
    if (!(s->props[i].flags & AWS_P_READ_ONLY))
      cands[n++] = s->props[i].name;
  Diag *d = diag_error(k->c, "E104", pair->name_span, "unknown property '%s' in %s", pair->name,
                       at_str(k, at, NULL));
  const char *sug = suggest(pair->name, cands, n);
  if (!top && resolve_is_meta(pair->name)) {
    diag_help(k->c, d, "%s is a meta-attribute: it stands in the declaration, outside any block",
              pair->name);
  } else if (sug) {
    diag_help(k->c, d, "did you mean '%s'?", sug);
    diag_fix(k->c, d, pair->name_span, sug);
  } else if (n) {
    diag_help(k->c, d, "%s takes: %s", at->path && *at->path ? at->path : at->t->name,
              list_names(k, cands, n, 30));
  } else {
    diag_help(k->c, d, "it takes no properties");
  }
}

/* A property of the kind's main resource that the kind writes: the
   attribute that controls it, "-" for the kind's own choice, or NULL. */
static const char *kind_writes(K *k, const Schema *s, const char *prop) {
  size_t n = strlen(prop);
  for (const char *p = s->writes; p && *p;) {
    const char *eq = strchr(p, '='), *end = strchr(p, ' ');
    if (!end)
      end = p + strlen(p);
    if (eq && eq < end && (size_t)(eq - p) == n && !memcmp(p, prop, n))
      return arena_strndup(k->a, eq + 1, (size_t)(end - eq - 1));
    p = *end ? end + 1 : end;
  }
  return NULL;
}

static void check_object(K *k, const AwsShape *s, const Expr *obj, Span owner, const At *at) {
  bool top = !at->path || !*at->path;
  const Schema *kind = top && !at->d->type_name ? at->d->schema : NULL;
  const AwsProp **seen = arena_alloc(k->a, sizeof(AwsProp *) * (size_t)(s->nprops + 1));
  bool complete = true;
  for (int i = 0; i < obj->items.n; i++) {
    const Expr *pair = obj->items.v[i];
    if (pair->k != EX_PAIR)
      continue;
    const AwsProp *prop = aws_shape_prop(s, pair->name);
    if (!prop) {
      if (!(s->limits & AWS_L_OPEN))
        unknown_property(k, s, pair, at, top);
      complete = false;
      continue;
    }
    seen[prop - s->props] = prop;
    const char *ctl = kind ? kind_writes(k, kind, pair->name) : NULL;
    if (ctl) {
      Diag *d = diag_error(k->c, "E109", pair->name_span, "%s %s already writes %s", kind->name,
                           at->d->name, pair->name);
      if (strcmp(ctl, "-"))
        diag_help(k->c, d, "set it with the %s's %s", kind->name, ctl);
      else
        diag_help(k->c, d, "the %s kind chooses %s itself; for another value, declare a resource "
                           "\"%s\" instead",
                  kind->name, pair->name, at->t->name);
      continue;
    }
    if (prop->flags & AWS_P_READ_ONLY) {
      Diag *d = diag_error(k->c, "E108", pair->name_span,
                           "%s is read-only: AWS sets it, a template cannot",
                           at_str(k, at, pair->name));
      if (top && at->d->type_name)
        diag_help(k->c, d, "read it as %s.%s", at->d->name, pair->name);
      continue;
    }
    if (prop->flags & AWS_P_DEPRECATED) {
      Diag *d = diag_warning(k->c, "W606", pair->name_span, "%s is deprecated",
                             at_str(k, at, pair->name));
      diag_help(k->c, d, "%s", prop->doc ? prop->doc : "see the type's documentation for its replacement");
    }
    At inner = {top ? pair->name : arena_printf(k->a, "%s.%s", at->path, pair->name), at->d, at->t, NULL};
    check_value(k, prop->shape, pair->base, &inner);
    if (top)
      check_name_limits(k, at->t, pair->name, pair->base, &inner);
  }
  /* required properties, unless the kind writes them or a key was unknown
     (a misspelt required one is not also missing) */
  if (kind || !complete)
    return;
  Buf missing = {0};
  const AwsProp *first = NULL;
  int nmissing = 0;
  for (int i = 0; i < s->nprops; i++) {
    const AwsProp *p = &s->props[i];
    if (!(p->flags & AWS_P_REQUIRED) || seen[i] || (p->flags & AWS_P_READ_ONLY))
      continue;
    buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", p->name);
    first = first ? first : p;
  }
  if (nmissing) {
    Diag *d = diag_error(k->c, "E105", owner, "%s is missing required propert%s: %s",
                         at_str(k, at, NULL), nmissing > 1 ? "ies" : "y", missing.s);
    unsigned t = first->shape ? first->shape->types : 0;
    diag_help(k->c, d, "add %s = <%s>%s%s", first->name, t ? type_desc(t) : "a value",
              first->doc ? ": " : "", first->doc ? first->doc : "");
  }
  buf_free(&missing);
}

/* ---- NAME.Attr ---- */

static void check_attr(K *k, const Expr *e) {
  const Decl *d = e->ref;
  const AwsType *t = d->aws;
  const Expr *parts[LIMIT_DEPTH];
  int n = 0;
  for (const Expr *x = e; x->k == EX_FIELD && n < LIMIT_DEPTH; x = x->base)
    parts[n++] = x;
  Buf b = {0};
  for (int i = n - 1; i >= 0; i--)
    buf_printf(&b, "%s%s", parts[i]->name, i ? "." : "");
  const char *path = arena_strndup(k->a, b.s, b.len);
  buf_free(&b);
  if (aws_type_attr(t, path))
    return;
  Span sp = {e->span.file, parts[n - 1]->name_span.lo, e->name_span.hi};
  const AwsProp *prop = aws_shape_prop(t->shape, path);
  Diag *dg;
  if (prop && (prop->flags & AWS_P_WRITE_ONLY)) {
    dg = diag_error(k->c, "E104", sp, "%s of %s is write-only: it cannot be read back", path,
                    t->name);
    diag_help(k->c, dg, "use the value it is set from");
    return;
  }
  const char **cands = arena_alloc(k->a, sizeof(char *) * (size_t)(t->nattrs + 1));
  for (int i = 0; i < t->nattrs; i++)
    cands[i] = t->attrs[i].name;
  if (prop)
    dg = diag_error(k->c, "E104", sp, "%s is a property of %s, not an attribute: %s.%s cannot read it",
                    path, t->name, d->name, path);
  else
    dg = diag_error(k->c, "E104", sp, "%s has no attribute '%s'", t->name, path);
  const char *sug = suggest(path, cands, t->nattrs);
  if (sug) {
    diag_help(k->c, dg, "did you mean '%s'? %s has: %s", sug, t->name,
              list_names(k, cands, t->nattrs, 20));
    diag_fix(k->c, dg, sp, sug);
  } else if (t->nattrs) {
    diag_help(k->c, dg, "%s has: %s; the name alone is its Ref", t->name,
              list_names(k, cands, t->nattrs, 20));
  } else {
    diag_help(k->c, dg, "%s has no attributes: the name alone is its Ref", t->name);
  }
}

static void walk_expr(K *k, const Expr *e) {
  if (!e || e->k == EX_ERROR)
    return;
  if (e->k == EX_FIELD && e->ref && e->ref->type_name) {
    if (e->ref->aws)
      check_attr(k, e);
    return;
  }
  if (e->base)
    walk_expr(k, e->base);
  for (int i = 0; i < e->items.n; i++)
    walk_expr(k, e->items.v[i]);
  for (const StrPart *p = e->parts; p; p = p->next)
    walk_expr(k, p->expr);
}

static void walk_members(K *k, const Vec *members) {
  for (int i = 0; i < members->n; i++) {
    const Member *m = members->v[i];
    walk_expr(k, m->value);
    for (int j = 0; j < m->words.n; j++)
      walk_expr(k, m->words.v[j]);
    walk_members(k, &m->body);
  }
}

/* ---- types ---- */

static const AwsType *find_type(K *k, Decl *d) {
  const AwsType *t = aws_type_find(d->type_name);
  if (!t) {
    size_t n;
    const AwsType *all = aws_types(&n);
    const char **names = malloc(sizeof(char *) * n);
    for (size_t i = 0; i < n; i++)
      names[i] = all[i].name;
    Diag *dg = diag_error(k->c, "E104", d->type_span, "unknown CloudFormation type \"%s\"",
                          d->type_name);
    const char *sug = suggest(d->type_name, names, (int)n);
    if (sug) {
      diag_help(k->c, dg, "did you mean \"%s\"?", sug);
      diag_fix(k->c, dg, d->type_span, arena_printf(k->a, "\"%s\"", sug));
    } else {
      diag_help(k->c, dg, "types are written as in the AWS documentation: \"AWS::Service::Resource\"");
    }
    free(names);
    return NULL;
  }
  if (k->region && region_find(k->region, strlen(k->region)) && !aws_type_in_region(t, k->region)) {
    size_t nr;
    const char *const *regions = aws_type_regions(&nr);
    const char *in[64];
    int n = 0;
    for (size_t i = 0; i < nr && n < 64; i++)
      if (t->regions & ((uint64_t)1 << i))
        in[n++] = regions[i];
    Diag *dg = diag_error(k->c, "E104", d->type_span, "%s is not available in %s", t->name, k->region);
    diag_help(k->c, dg, n ? "it is offered in: %s" : "no region offers it%s",
              n ? list_names(k, in, n, 12) : "");
    return NULL;
  }
  if (t->deprecated) {
    Diag *dg = diag_warning(k->c, "W606", d->type_span, "%s is deprecated", t->name);
    diag_help(k->c, dg, "%s", t->doc ? t->doc : "see its documentation for the replacement");
  }
  return t;
}

/* ---- names ---- */

#define ALNUM_HYPHEN "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"

/* ORDER: any. Names whose limits the types' schemas leave out, as the
   services' API references give them (CreateSecurityGroup,
   CreateTargetGroup, CreateLoadBalancer): the create would fail. */
static const struct {
  const char *type, *prop;
  size_t max;
  const char *chars;  /* the characters allowed, or NULL: any */
  bool hyphen_ends;   /* may begin or end with a hyphen */
  const char *prefix; /* a prefix AWS keeps for itself, or NULL */
} name_limits[] = {
    {"AWS::EC2::SecurityGroup", "GroupName", 255, NULL, true, "sg-"},
    {"AWS::ElasticLoadBalancingV2::TargetGroup", "Name", 32, ALNUM_HYPHEN, false, NULL},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "Name", 32, ALNUM_HYPHEN, false, "internal-"},
};

static void check_name_limits(K *k, const AwsType *t, const char *prop, const Expr *e, const At *at) {
  const char *text = e && e->k == EX_STR ? eval_string(e) : NULL;
  for (size_t i = 0; text && i < countof(name_limits); i++) {
    if (strcmp(name_limits[i].type, t->name) || strcmp(name_limits[i].prop, prop))
      continue;
    size_t n = strlen(text), bad = name_limits[i].chars ? strspn(text, name_limits[i].chars) : n;
    Diag *d = NULL;
    if (n > name_limits[i].max)
      d = diag_error(k->c, "E106", e->span, "%s is %zu characters long: at most %zu allowed",
                     at_str(k, at, NULL), n, name_limits[i].max);
    else if (bad < n)
      d = diag_error(k->c, "E106", e->span, "%s has '%c': only letters, digits and hyphens are allowed",
                     at_str(k, at, NULL), text[bad]);
    else if (!name_limits[i].hyphen_ends && n && (text[0] == '-' || text[n - 1] == '-'))
      d = diag_error(k->c, "E106", e->span, "%s begins or ends with a hyphen", at_str(k, at, NULL));
    else if (name_limits[i].prefix && !strncmp(text, name_limits[i].prefix, strlen(name_limits[i].prefix)))
      d = diag_error(k->c, "E106", e->span, "%s begins with \"%s\", which AWS keeps for its own",
                     at_str(k, at, NULL), name_limits[i].prefix);
    if (d)
      diag_help(k->c, d, "AWS refuses such a name when it creates the resource");
  }
}

/* ---- a kind's name ---- */

/* A kind's `name` is the physical name of its main resource: checked as
   that property is (length, pattern), as it would be in properties { }. */
static void check_kind_name(K *k, const Decl *d) {
  Expr *e = decl_attr(d, "name");
  const AwsType *t = e ? aws_type_find(d->schema->cfn) : NULL;
  const char *prop = NULL;
  for (const char *p = d->schema->writes; t && p && *p && !prop;) {
    const char *eq = strchr(p, '='), *end = strchr(p, ' ');
    if (!end)
      end = p + strlen(p);
    if (eq && eq < end && !strncmp(eq + 1, "name", 4) && eq + 5 == end)
      prop = arena_strndup(k->a, p, (size_t)(eq - p));
    p = *end ? end + 1 : end;
  }
  const AwsProp *ap = prop ? aws_shape_prop(t->shape, prop) : NULL;
  if (!ap)
    return;
  At at = {prop, d, t, "name"};
  check_value(k, ap->shape, e, &at);
  check_name_limits(k, t, prop, e, &at);
}

void check_aws(Compilation *c) {
  K k = {.c = c, .a = &c->arena};
  k.region = eval_string(decl_attr(c->prog.stack, "region"));
  bool generic = false;
  Vec *decls = &c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (d->k == D_RESOURCE && d->schema && d->schema->cfn && !d->type_name)
      check_kind_name(&k, d);
    if (d->k != D_RESOURCE || (!d->type_name && !d->props))
      continue;
    generic |= d->type_name != NULL;
    if (d->type_name && d->props)
      d->aws = find_type(&k, d);
    else if (d->schema)
      d->aws = aws_type_find(d->schema->cfn);
    if (!d->aws || !d->props)
      continue;
    At at = {"", d, d->aws, NULL};
    check_object(&k, d->aws->shape, d->props, d->type_name ? d->name_span : d->props_span, &at);
  }
  /* NAME.Attr of a `resource`, wherever it stands */
  for (int i = 0; generic && i < decls->n; i++) {
    const Decl *d = decls->v[i];
    walk_expr(&k, d->value);
    walk_members(&k, &d->members); /* a `resource`'s properties are its members */
  }
  for (size_t i = 0; i < countof(k.cache); i++)
    if (k.cache[i].pattern && k.cache[i].ok)
      regfree(&k.cache[i].re);
}
