/* import.c: `infrac import`, a CloudFormation template as .infra source
   that builds back to the same template: parameters as params, Conditions
   as conditions, Mappings as `let`, resources as `resource` declarations
   (logical_id where the derived ID differs), outputs, the intrinsics as
   references, interpolation and deploy-time functions. The text is laid out
   by fmt. What cannot be said (a Transform, a macro ...) is an error that
   names its place in the template, and nothing is written. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfn_load.h"
#include "cfn_parts.h"
#include "cidr.h"
#include "fmt.h"
#include "import.h"
#include "import_int.h"
#include "import_loops.h"
#include "infrac.h"
#include "lower.h"
#include "param_types.h"

static const char *const keywords[] = {"stack", "param", "output", "true", "false", "if", "aws",
                                       "resource", "let", "condition"};

/* The pseudo-parameters, as resolve.c names them. */
static const struct {
  const char *cfn, *name;
} pseudos[] = {
    {"AWS::AccountId", "account_id"}, {"AWS::Partition", "partition"}, {"AWS::Region", "region"},
    {"AWS::StackId", "stack_id"},     {"AWS::StackName", "stack_name"}, {"AWS::URLSuffix", "url_suffix"},
    {"AWS::NoValue", "no_value"},
};

void imp_fail(Imp *m, const char *path, const char *fmt, ...) {
  if (m->err[0])
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(m->err, sizeof m->err, "%s: ", path);
  vsnprintf(m->err + n, sizeof m->err - (size_t)n, fmt, ap);
  va_end(ap);
}

bool imp_is_ident(const char *s) {
  if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
    return false;
  for (const char *p = s; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_')
      return false;
  for (size_t i = 0; i < countof(keywords); i++)
    if (!strcmp(keywords[i], s))
      return false;
  return true;
}

const Named *imp_find(const Vec *v, const char *id) {
  for (int i = 0; i < v->n; i++)
    if (!strcmp(((Named *)v->v[i])->id, id))
      return v->v[i];
  return NULL;
}

static bool taken(Imp *m, const char *name) {
  for (int i = 0; i < m->names.n; i++)
    if (!strcmp(((Named *)m->names.v[i])->name, name))
      return true;
  return !imp_is_ident(name);
}

/* "WebServerSG" -> "web_server_sg": words at each capital that follows a
   lower-case letter or digit, or that starts a word after an acronym. */
static char *snake(Imp *m, const char *id) {
  Buf b = {0};
  for (size_t i = 0; id[i]; i++) {
    unsigned char ch = (unsigned char)id[i], prev = i ? (unsigned char)id[i - 1] : 0;
    unsigned char next = (unsigned char)id[i + 1];
    bool brk = i && isupper(ch) && (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)));
    if (brk)
      buf_puts(&b, "_");
    char lc = (char)(isalnum(ch) ? tolower(ch) : '_');
    buf_add(&b, &lc, 1);
  }
  char *s = arena_strndup(&m->a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

/* A name for a logical ID whose PascalCase (plus suffix) is id again when
   possible; *exact says whether it is. Unique among all names. */
static const char *name_for(Imp *m, Vec *section, const char *id, const char *suffix, bool *exact) {
  const char *base = id;
  size_t n = strlen(id), ns = strlen(suffix);
  bool resource = ns > 0; /* it can keep its ID with logical_id: a readable name first */
  if (ns && n > ns && !strcmp(id + n - ns, suffix))
    base = arena_strndup(&m->a, id, n - ns);
  else
    suffix = "";
  /* CDK's "MyBucketF68F3FF0": the 8 hex digits of its path's hash say nothing */
  if (resource && n > 8 && strspn(id + n - 8, "0123456789ABCDEF") == 8 && !*suffix)
    base = arena_strndup(&m->a, id, n - 8);
  const char *name = snake(m, base);
  if (!isalpha((unsigned char)name[0]) && name[0] != '_')
    name = arena_printf(&m->a, "n_%s", name); /* "2RouteTable": a name starts with a letter */
  *exact = !strcmp(lower_logical_id(&m->a, name, suffix), id);
  if (!*exact && !resource && imp_is_ident(id) && strcmp(lower_logical_id(&m->a, id, ""), id) == 0) {
    name = id; /* "VPCId": kept as written, its PascalCase is itself */
    *exact = true;
  }
  const char *unique = name;
  for (int k = 2; taken(m, unique); k++) {
    unique = arena_printf(&m->a, "%s_%d", name, k);
    *exact = false;
  }
  Named *x = arena_alloc(&m->a, sizeof *x);
  x->id = id;
  x->name = unique;
  x->exact = *exact;
  vec_push(&m->a, &m->names, x);
  vec_push(&m->a, section, x);
  return unique;
}

/* ---- values ---- */


/* One character of a template string, escaped as the language reads it. */
static void string_char(Imp *m, const char *p, const char *path) {
  unsigned char ch = (unsigned char)*p;
  if (ch == '"' || ch == '\\')
    buf_printf(&m->out, "\\%c", ch);
  else if (ch == '\n')
    buf_puts(&m->out, "\\n");
  else if (ch == '\t')
    buf_puts(&m->out, "\\t");
  else if (ch < 0x20 || ch == 0x7f)
    imp_fail(m, path, "a control character (0x%02x) in a string", ch);
  else
    buf_add(&m->out, p, 1);
}

void imp_string(Imp *m, const char *s, bool sub, const char *path) {
  buf_puts(&m->out, "\"");
  for (const char *p = s; *p; p++) {
    if (*p == '$' && p[1] == '{' && !sub)
      buf_puts(&m->out, "\\$");
    else
      string_char(m, p, path);
  }
  buf_puts(&m->out, "\"");
}

/* Is the resource of logical ID id written as its kind? */
static bool is_kind(Imp *m, const char *id) {
  for (int i = 0; m->kinds && i < m->res.n; i++)
    if (!strcmp(((Named *)m->res.v[i])->id, id))
      return m->kinds[i];
  return false;
}

/* Ref: a param, a resource or a pseudo-parameter. */
static void ref(Imp *m, const char *id, const char *path) {
  for (size_t i = 0; i < countof(pseudos); i++)
    if (!strcmp(pseudos[i].cfn, id)) {
      buf_printf(&m->out, "aws.%s", pseudos[i].name);
      return;
    }
  const Named *x = imp_find(&m->params, id);
  if (!x)
    x = imp_find(&m->res, id);
  if (!x) {
    imp_fail(m, path, "Ref to '%s', which the template does not declare", id);
    return;
  }
  buf_puts(&m->out, x->name);
  if (is_kind(m, id))
    buf_puts(&m->out, import_kind_read(m, id, NULL));
}

static void getatt(Imp *m, const char *id, const char *attr, const char *path) {
  const Named *x = imp_find(&m->res, id);
  if (!x) {
    imp_fail(m, path, "Fn::GetAtt of '%s', which the template does not declare", id);
    return;
  }
  buf_puts(&m->out, x->name);
  if (is_kind(m, id)) { /* the kind's export of it (import_kinds_reads made sure there is one) */
    buf_puts(&m->out, import_kind_read(m, id, attr));
    return;
  }
  const char *p = attr;
  while (*p) {
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    char *part = arena_strndup(&m->a, p, n);
    if (!imp_is_ident(part))
      imp_fail(m, path, "Fn::GetAtt attribute '%s' is not a name", attr);
    buf_printf(&m->out, ".%s", part);
    p += n + (dot != NULL);
  }
}

/* Text as infrac writes it in a string: "${" as "\${". */
static void text_chars(Imp *m, const char *s, size_t n, const char *path) {
  for (size_t i = 0; i < n; i++)
    if (s[i] == '$' && i + 1 < n && s[i + 1] == '{')
      buf_puts(&m->out, "\\$");
    else
      string_char(m, s + i, path);
}

/* An interpolated string: the parts (cfn_parts.h) its Fn::Sub was read
   into at load. Text, a Ref or a GetAtt inside '${}'; a part that is
   another function (a variable of Fn::Sub's second argument) makes the
   whole a join("", [...]) of the text's pieces and the functions. */
static void sub(Imp *m, const cJSON *items, const char *path) {
  bool joined = false;
  Part part;
  for (const cJSON *x = items; x; x = x->next) {
    cfn_part(x, &part);
    joined |= part.k == PART_VALUE;
  }
  if (joined)
    buf_puts(&m->out, "join(\"\", [");
  bool open = false, first = true; /* a piece of text is open; no item written yet */
  for (const cJSON *x = items; x; x = x->next) {
    cfn_part(x, &part);
    if (part.k == PART_VALUE) { /* a function: an item of the join */
      if (open)
        buf_puts(&m->out, "\"");
      buf_puts(&m->out, first ? "" : ", ");
      open = first = false;
      imp_value(m, x, path);
      continue;
    }
    if (!open)
      buf_puts(&m->out, first ? "\"" : ", \"");
    open = true;
    first = false;
    if (part.k == PART_TEXT) {
      text_chars(m, part.s, strlen(part.s), path);
      continue;
    }
    buf_puts(&m->out, "${");
    if (part.k == PART_GETATT)
      getatt(m, part.s, part.attr, path);
    else
      ref(m, part.s, path);
    buf_puts(&m->out, "}");
  }
  if (open)
    buf_puts(&m->out, "\"");
  else if (first)
    buf_puts(&m->out, "\"\"");
  if (joined)
    buf_puts(&m->out, "])");
}

static void call(Imp *m, const char *fn, const cJSON *args, const char *path) {
  buf_printf(&m->out, "%s(", fn);
  int i = 0;
  for (const cJSON *x = args; x; x = x->next, i++) {
    if (i)
      buf_puts(&m->out, ", ");
    imp_value(m, x, arena_printf(&m->a, "%s[%d]", path, i));
  }
  buf_puts(&m->out, ")");
}

static const cJSON *arg(const cJSON *v, int i) {
  return cJSON_IsArray(v) ? cJSON_GetArrayItem(v, i) : NULL;
}

static void cond_expr(Imp *m, const cJSON *v, const char *path);

/* An object of one key that is an intrinsic function: true when written. */
static bool intrinsic(Imp *m, const cJSON *v, const char *path) {
  if (!cJSON_IsObject(v) || !v->child || v->child->next)
    return false;
  const char *k = v->child->string;
  const cJSON *a = v->child;
  const char *at = arena_printf(&m->a, "%s.%s", path, k);
  if (!strcmp(k, "Ref")) {
    if (!cJSON_IsString(a))
      imp_fail(m, at, "Ref takes a logical ID");
    else
      ref(m, a->valuestring, at);
  } else if (!strcmp(k, "Fn::GetAtt")) {
    const cJSON *r = arg(a, 0), *n = arg(a, 1);
    if (cJSON_IsString(a) && strchr(a->valuestring, '.')) {
      const char *dot = strchr(a->valuestring, '.');
      getatt(m, arena_strndup(&m->a, a->valuestring, (size_t)(dot - a->valuestring)), dot + 1, at);
    } else if (cJSON_IsString(r) && cJSON_IsString(n))
      getatt(m, r->valuestring, n->valuestring, at);
    else
      imp_fail(m, at, "Fn::GetAtt takes [logical ID, attribute name]");
  } else if (!strcmp(k, PARTS_KEY) && cJSON_IsArray(a)) {
    sub(m, a->child, arena_printf(&m->a, "%s.Fn::Sub", path));
  } else if (!strcmp(k, "Fn::Sub")) { /* what load could not read (cfn_parts_from_sub) */
    imp_fail(m, at, "Fn::Sub takes a string, or [string, {variables}], each '${' with its '}'");
  } else if (!strcmp(k, "Fn::Join") && cJSON_IsString(arg(a, 0)) && arg(a, 1)) {
    call(m, "join", a->child, at);
  } else if (!strcmp(k, "Fn::Select") && arg(a, 1)) {
    const cJSON *i = arg(a, 0);
    if (cJSON_IsString(i) && i->valuestring[0] && strspn(i->valuestring, "0123456789") == strlen(i->valuestring))
      buf_printf(&m->out, "select(%s, ", i->valuestring);
    else if (cJSON_IsNumber(i))
      buf_printf(&m->out, "select(%d, ", i->valueint);
    else {
      imp_fail(m, at, "Fn::Select takes a literal index");
      return true;
    }
    imp_value(m, arg(a, 1), arena_printf(&m->a, "%s[1]", at));
    buf_puts(&m->out, ")");
  } else if (!strcmp(k, "Fn::Split") && cJSON_IsString(arg(a, 0)) && arg(a, 1)) {
    call(m, "split", a->child, at);
  } else if (!strcmp(k, "Fn::Base64")) {
    call(m, "base64", a, at);
  } else if (!strcmp(k, "Fn::ImportValue")) {
    call(m, "import_value", a, at);
  } else if (!strcmp(k, "Fn::Cidr") && cJSON_GetArraySize(a) == 3) {
    call(m, "cidrs", a->child, at);
  } else if (!strcmp(k, "Fn::GetAZs")) {
    if (cJSON_IsNull(a) || (cJSON_IsString(a) && !a->valuestring[0]))
      buf_puts(&m->out, "azs()"); /* YAML's `!GetAZs ''` may read as null */
    else
      call(m, "azs", a, at);
  } else if (!strcmp(k, "Fn::If") && cJSON_GetArraySize(a) == 3 && cJSON_IsString(arg(a, 0))) {
    const Named *c = imp_find(&m->conds, arg(a, 0)->valuestring);
    if (!c) {
      imp_fail(m, at, "Fn::If of condition '%s', which the template does not declare", arg(a, 0)->valuestring);
      return true;
    }
    buf_printf(&m->out, "(%s ? ", c->name);
    imp_value(m, arg(a, 1), arena_printf(&m->a, "%s[1]", at));
    buf_puts(&m->out, " : ");
    imp_value(m, arg(a, 2), arena_printf(&m->a, "%s[2]", at));
    buf_puts(&m->out, ")");
  } else if (!strcmp(k, "Fn::FindInMap") && cJSON_GetArraySize(a) == 3 && cJSON_IsString(arg(a, 0))) {
    const Named *x = imp_find(&m->maps, arg(a, 0)->valuestring);
    if (!x) {
      imp_fail(m, at, "Fn::FindInMap of mapping '%s', which the template does not declare", arg(a, 0)->valuestring);
      return true;
    }
    buf_puts(&m->out, x->name);
    for (int i = 1; i < 3; i++) {
      buf_puts(&m->out, "[");
      imp_value(m, arg(a, i), arena_printf(&m->a, "%s[%d]", at, i));
      buf_puts(&m->out, "]");
    }
  } else if (!strncmp(k, "Fn::", 4) || !strcmp(k, "Condition")) {
    imp_fail(m, at, "%s %s", k, !strcmp(k, "Fn::Transform") ? "is a macro: infrac does not run macros"
                           : "has no infrac form yet");
  } else {
    return false;
  }
  return true;
}

void imp_value(Imp *m, const cJSON *v, const char *path) {
  if (m->err[0])
    return;
  if (intrinsic(m, v, path))
    return;
  Cidr range;
  size_t lo, hi;
  if (cJSON_IsString(v) && m->in_let && m->cidr_params &&
      cidr_parse(v->valuestring, strlen(v->valuestring), true, &range, &lo, &hi) == CIDR_OK &&
      !cidr_has_host_bits(range)) {
    buf_puts(&m->out, v->valuestring); /* a range in a mapping: what a vpc's or subnet's cidr takes */
  } else if (cJSON_IsString(v)) {
    imp_string(m, v->valuestring, false, path);
  } else if (cJSON_IsBool(v)) {
    buf_puts(&m->out, cJSON_IsTrue(v) ? "true" : "false");
  } else if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if (d == (double)(long long)d && d > -1e15 && d < 1e15)
      buf_printf(&m->out, "%lld", (long long)d);
    else
      imp_fail(m, path, "a number with a fraction (%g) has no infrac form yet", d);
  } else if (cJSON_IsArray(v)) {
    buf_puts(&m->out, "[");
    int i = 0;
    for (const cJSON *x = v->child; x; x = x->next, i++) {
      if (i)
        buf_puts(&m->out, ", ");
      imp_value(m, x, arena_printf(&m->a, "%s[%d]", path, i));
    }
    buf_puts(&m->out, "]");
  } else if (cJSON_IsObject(v)) {
    buf_puts(&m->out, "{");
    for (const cJSON *x = v->child; x; x = x->next) {
      buf_puts(&m->out, x == v->child ? " " : ", ");
      if (imp_is_ident(x->string))
        buf_puts(&m->out, x->string);
      else if (strstr(x->string, "${"))
        return imp_fail(m, path, "a key with '${' has no infrac form");
      else
        imp_string(m, x->string, false, path);
      buf_puts(&m->out, " = ");
      imp_value(m, x, arena_printf(&m->a, "%s.%s", path, x->string));
    }
    buf_puts(&m->out, " }");
  } else {
    imp_fail(m, path, "null has no infrac form");
  }
}

/* A condition: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition. */
static void cond_expr(Imp *m, const cJSON *v, const char *path) {
  const char *k = cJSON_IsObject(v) && v->child && !v->child->next ? v->child->string : "";
  const cJSON *a = cJSON_IsObject(v) ? v->child : NULL;
  const char *at = arena_printf(&m->a, "%s.%s", path, k);
  if (!strcmp(k, "Condition") && cJSON_IsString(a)) {
    const Named *c = imp_find(&m->conds, a->valuestring);
    if (c)
      buf_puts(&m->out, c->name);
    else
      imp_fail(m, at, "condition '%s' is not declared", a->valuestring);
  } else if (!strcmp(k, "Fn::Equals") && cJSON_GetArraySize(a) == 2) {
    buf_puts(&m->out, "(");
    imp_value(m, arg(a, 0), arena_printf(&m->a, "%s[0]", at));
    buf_puts(&m->out, " == ");
    imp_value(m, arg(a, 1), arena_printf(&m->a, "%s[1]", at));
    buf_puts(&m->out, ")");
  } else if (!strcmp(k, "Fn::Not") && cJSON_GetArraySize(a) == 1) {
    buf_puts(&m->out, "!(");
    cond_expr(m, arg(a, 0), arena_printf(&m->a, "%s[0]", at));
    buf_puts(&m->out, ")");
  } else if ((!strcmp(k, "Fn::And") || !strcmp(k, "Fn::Or")) && cJSON_GetArraySize(a) >= 2) {
    buf_puts(&m->out, "(");
    int i = 0;
    for (const cJSON *x = a->child; x; x = x->next, i++) {
      if (i)
        buf_puts(&m->out, k[4] == 'A' ? " && " : " || ");
      cond_expr(m, x, arena_printf(&m->a, "%s[%d]", at, i));
    }
    buf_puts(&m->out, ")");
  } else {
    imp_fail(m, path, "not a condition: Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
  }
}

/* ---- sections ---- */

static const cJSON *section(const cJSON *t, const char *name) {
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(t, name);
  return cJSON_IsObject(s) ? s : NULL;
}

static const char *type_suffix(Imp *m, const char *type) {
  /* as lower.c's type_word: "AWS::RDS::DBInstance" -> "DbInstance" */
  const char *p = strrchr(type, ':');
  p = p ? p + 1 : type;
  char *w = arena_strndup(&m->a, p, strlen(p));
  size_t n = strlen(w);
  for (size_t i = 1; i < n; i++)
    if (isupper((unsigned char)p[i]) && isupper((unsigned char)p[i - 1]) &&
        (i + 1 == n || isupper((unsigned char)p[i + 1])))
      w[i] = (char)tolower((unsigned char)w[i]);
  return w;
}

static const char *policy_word(const cJSON *v) {
  const char *s = cJSON_IsString(v) ? v->valuestring : "";
  return !strcmp(s, "Retain") ? "retain" : !strcmp(s, "Snapshot") ? "snapshot"
         : !strcmp(s, "Delete") ? "delete" : NULL;
}

/* { logical_id = "pEdition" } after a param, condition, let or output whose
   name does not give its ID back. */
static void pin(Imp *m, const Named *x) {
  if (!x->exact)
    buf_printf(&m->out, " { logical_id = \"%s\" }", x->id);
}

static void param_decl(Imp *m, const cJSON *p, const char *id, Vec *given) {
  const char *name = imp_find(&m->params, id)->name;
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(p, "Type");
  const cJSON *def = cJSON_GetObjectItemCaseSensitive(p, "Default");
  bool secret = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "NoEcho"));
  bool number = cJSON_IsString(type) && !strcmp(type->valuestring, "Number");
  const char *dv = NULL;
  for (int i = 0; i < given->n; i++) {
    const char *kv = given->v[i];
    size_t n = strlen(name);
    if (!strncmp(kv, name, n) && kv[n] == '=')
      dv = kv + n + 1;
  }
  if (!dv && cJSON_IsString(def))
    dv = def->valuestring;
  char num[32];
  if (!dv && cJSON_IsNumber(def)) { /* 700000000, not %g's 7e+08 */
    double d = def->valuedouble;
    if (d == (double)(long long)d && d > -1e15 && d < 1e15)
      snprintf(num, sizeof num, "%lld", (long long)d);
    else
      snprintf(num, sizeof num, "%.17g", d);
    dv = num;
  }
  if (!dv && cJSON_IsBool(def)) /* YAML's `Default: false`: CloudFormation reads "false" */
    dv = cJSON_IsTrue(def) ? "true" : "false";
  if (!dv && def && !cJSON_IsNull(def))
    return imp_fail(m, arena_printf(&m->a, "Parameters.%s.Default", id), "not a string, number or boolean");
  if (number && dv && (!*dv || strspn(dv, "-0123456789") != strlen(dv)))
    number = false; /* 0.5: kept as a string */
  const char *t = cJSON_IsString(type) ? type->valuestring : "String";
  bool list = !strcmp(t, "CommaDelimitedList");
  /* AWS-specific types ("AWS::EC2::KeyPair::KeyName", "List<AWS::EC2::Subnet::Id>") are kept */
  bool own = !secret && !number && !list && strcmp(t, "String") && strcmp(t, "Number") && param_cfn_type(t, &list);
  Cidr range;
  size_t lo, hi;
  bool cidr = m->cidr_params && !own && !secret && !number && !list && !strcmp(t, "String") && dv &&
              cidr_parse(dv, strlen(dv), true, &range, &lo, &hi) == CIDR_OK && !cidr_has_host_bits(range);
  buf_printf(&m->out, "param %s : ", name);
  if (cidr) /* a range: what a vpc's, subnet's or rule's range takes */
    buf_printf(&m->out, "cidr = %s", dv);
  else if (own)
    imp_string(m, t, false, name);
  else
    buf_puts(&m->out, secret ? "secret" : number ? "int" : list ? "list" : "string");
  if (dv && !secret && !cidr) {
    buf_puts(&m->out, " = ");
    if (number)
      buf_puts(&m->out, dv);
    else
      imp_string(m, dv, false, name);
  }
  pin(m, imp_find(&m->params, id));
  buf_puts(&m->out, "\n");
}

bool imp_condition(Imp *m, const cJSON *r, const char *path) {
  const cJSON *cond = cJSON_GetObjectItemCaseSensitive(r, "Condition");
  if (!cJSON_IsString(cond))
    return true;
  const Named *c = imp_find(&m->conds, cond->valuestring);
  if (!c) {
    imp_fail(m, path, "Condition '%s' is not declared", cond->valuestring);
    return false;
  }
  buf_printf(&m->out, " if %s", c->name);
  return true;
}

void imp_meta(Imp *m, const cJSON *r, const char *path) {
  const cJSON *deps = cJSON_GetObjectItemCaseSensitive(r, "DependsOn");
  if (deps) {
    buf_puts(&m->out, "  depends_on = [");
    const cJSON *one = cJSON_IsString(deps) ? deps : deps->child;
    Vec said = {0}; /* an attachment is its gateway's: once */
    for (const cJSON *d = one; d; d = cJSON_IsString(deps) ? NULL : d->next) {
      const Named *y = cJSON_IsString(d) ? imp_find(&m->res, d->valuestring) : NULL;
      if (!y)
        return imp_fail(m, arena_printf(&m->a, "%s.DependsOn", path), "not a resource of the template");
      const char *name = import_kind_owner(m, y->id);
      name = name ? name : y->name;
      int k = 0;
      while (k < said.n && strcmp(said.v[k], name))
        k++;
      if (k == said.n)
        buf_printf(&m->out, "%s%s", said.n ? ", " : "", name);
      vec_push(&m->a, &said, (void *)name);
    }
    buf_puts(&m->out, "]\n");
  }
  static const struct {
    const char *cfn, *meta;
  } metas[] = {{"Metadata", "metadata"}, {"CreationPolicy", "creation_policy"}, {"UpdatePolicy", "update_policy"}};
  for (size_t i = 0; i < countof(metas); i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, metas[i].cfn);
    if (!v)
      continue;
    buf_printf(&m->out, "  %s = ", metas[i].meta);
    imp_value(m, v, arena_printf(&m->a, "%s.%s", path, metas[i].cfn));
    buf_puts(&m->out, "\n");
  }
  const char *del = policy_word(cJSON_GetObjectItemCaseSensitive(r, "DeletionPolicy"));
  const char *rep = policy_word(cJSON_GetObjectItemCaseSensitive(r, "UpdateReplacePolicy"));
  if (del)
    buf_printf(&m->out, "  deletion_policy = %s\n", del);
  if (rep && (!del || strcmp(rep, del)))
    buf_printf(&m->out, "  update_replace_policy = %s\n", rep);
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
  const Named *x = imp_find(&m->res, r->string);
  if (strcmp(lower_logical_id(&m->a, x->name, type_suffix(m, type->valuestring)), x->id))
    buf_printf(&m->out, "  logical_id = \"%s\"\n", x->id);
}

static void resource_decl(Imp *m, const cJSON *r, const Named *x, const char *path, bool kind) {
  if (kind && import_kind_decl(m, r, x, path))
    return;
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
  buf_printf(&m->out, "\nresource %s", x->name);
  if (!imp_condition(m, r, path))
    return;
  buf_puts(&m->out, " ");
  imp_string(m, type->valuestring, false, path);
  buf_puts(&m->out, " {\n");
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(r, "Properties");
  if (props && !cJSON_IsObject(props))
    return imp_fail(m, arena_printf(&m->a, "%s.Properties", path), "not an object");
  for (const cJSON *p = cJSON_IsObject(props) ? props->child : NULL; p; p = p->next) {
    if (!imp_is_ident(p->string))
      return imp_fail(m, arena_printf(&m->a, "%s.Properties", path), "property '%s' is not a name", p->string);
    buf_printf(&m->out, "  %s = ", p->string);
    imp_value(m, p, arena_printf(&m->a, "%s.Properties.%s", path, p->string));
    buf_puts(&m->out, "\n");
  }
  imp_meta(m, r, path);
  buf_puts(&m->out, "}\n");
}

static void output_decl(Imp *m, const cJSON *o, const char *id, const char *path) {
  bool exact;
  const char *name = name_for(m, &(Vec){0}, id, "", &exact);
  const cJSON *cond = cJSON_GetObjectItemCaseSensitive(o, "Condition");
  const cJSON *exp = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "Export"), "Name");
  const cJSON *desc = cJSON_GetObjectItemCaseSensitive(o, "Description");
  buf_printf(&m->out, "output %s", name);
  if (cJSON_IsString(cond)) {
    const Named *c = imp_find(&m->conds, cond->valuestring);
    if (!c)
      return imp_fail(m, path, "Condition '%s' is not declared", cond->valuestring);
    buf_printf(&m->out, " if %s", c->name);
  }
  if (!exp && !desc && exact) {
    buf_puts(&m->out, " = ");
    imp_value(m, cJSON_GetObjectItemCaseSensitive(o, "Value"), arena_printf(&m->a, "%s.Value", path));
    buf_puts(&m->out, "\n");
    return;
  }
  buf_puts(&m->out, " {\n  value = ");
  imp_value(m, cJSON_GetObjectItemCaseSensitive(o, "Value"), arena_printf(&m->a, "%s.Value", path));
  if (exp) {
    buf_puts(&m->out, "\n  export = ");
    imp_value(m, exp, arena_printf(&m->a, "%s.Export.Name", path));
  }
  if (desc) {
    buf_puts(&m->out, "\n  description = ");
    imp_value(m, desc, arena_printf(&m->a, "%s.Description", path));
  }
  if (!exact)
    buf_printf(&m->out, "\n  logical_id = \"%s\"", id);
  buf_puts(&m->out, "\n}\n");
}

/* The whole template as source text; false (m->err set) when it cannot be imported. */
static bool import_text(Imp *m, const char *stack, const char *region, Vec *given) {
  const cJSON *t = m->t;
  if (cJSON_GetObjectItemCaseSensitive(t, "Transform")) {
    imp_fail(m, "Transform", "a macro (as AWS::Serverless, SAM): infrac does not run macros; import the "
         "processed template (aws cloudformation get-template --template-stage Processed)");
    return false;
  }
  const cJSON *params = section(t, "Parameters"), *conds = section(t, "Conditions");
  const cJSON *maps = section(t, "Mappings"), *res = section(t, "Resources");
  const cJSON *outs = section(t, "Outputs");
  if (!res || !res->child) {
    imp_fail(m, "Resources", "the template has no resources");
    return false;
  }
  bool exact;
  for (const cJSON *p = params ? params->child : NULL; p; p = p->next)
    name_for(m, &m->params, p->string, "", &exact);
  for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next)
    name_for(m, &m->conds, c->string, "", &exact);
  for (const cJSON *x = maps ? maps->child : NULL; x; x = x->next)
    name_for(m, &m->maps, x->string, "", &exact);
  for (const cJSON *r = res->child; r; r = r->next) {
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
    if (!cJSON_IsString(type)) {
      imp_fail(m, arena_printf(&m->a, "Resources.%s", r->string), "no Type");
      return false;
    }
    name_for(m, &m->res, r->string, type_suffix(m, type->valuestring), &exact);
  }
  if (m->err[0])
    return false;
  const cJSON *desc = cJSON_GetObjectItemCaseSensitive(t, "Description");
  buf_printf(&m->out, "stack %s {\n  region = ", stack);
  imp_string(m, region, false, "region");
  if (cJSON_IsString(desc)) {
    buf_puts(&m->out, "\n  description = ");
    imp_string(m, desc->valuestring, false, "Description");
  }
  buf_puts(&m->out, "\n}\n\n");
  for (const cJSON *p = params ? params->child : NULL; p; p = p->next)
    param_decl(m, p, p->string, given);
  if (conds)
    buf_puts(&m->out, "\n");
  for (const cJSON *c = conds ? conds->child : NULL; c; c = c->next) {
    buf_printf(&m->out, "condition %s = ", imp_find(&m->conds, c->string)->name);
    cond_expr(m, c, arena_printf(&m->a, "Conditions.%s", c->string));
    pin(m, imp_find(&m->conds, c->string));
    buf_puts(&m->out, "\n");
  }
  if (maps)
    buf_puts(&m->out, "\n");
  for (const cJSON *x = maps ? maps->child : NULL; x; x = x->next) {
    buf_printf(&m->out, "let %s = ", imp_find(&m->maps, x->string)->name);
    m->in_let = true;
    imp_value(m, x, arena_printf(&m->a, "Mappings.%s", x->string));
    m->in_let = false;
    pin(m, imp_find(&m->maps, x->string));
    buf_puts(&m->out, "\n");
  }
  int i = 0;
  /* a kind that cannot say its resource is a `resource` before anything refers to it */
  for (const cJSON *r = res->child; r && m->kinds; r = r->next, i++) {
    size_t at = m->out.len;
    m->kinds[i] = m->kinds[i] &&
                  import_kind_decl(m, r, imp_find(&m->res, r->string), arena_printf(&m->a, "Resources.%s", r->string));
    m->out.len = at;
  }
  if (m->kinds)
    import_kinds_parts(m);
  i = 0;
  for (const cJSON *r = res->child; r && !m->err[0]; r = r->next, i++)
    resource_decl(m, r, imp_find(&m->res, r->string), arena_printf(&m->a, "Resources.%s", r->string),
                  m->kinds && m->kinds[i]);
  if (outs)
    buf_puts(&m->out, "\n");
  for (const cJSON *o = outs ? outs->child : NULL; o && !m->err[0]; o = o->next)
    output_decl(m, o, o->string, arena_printf(&m->a, "Outputs.%s", o->string));
  return !m->err[0];
}

/* ---- the command ---- */

const char import_usage[] =
    "usage: infrac import [--region R] [--param K=V]... [--loops] [-o FILE|DIR] TEMPLATE\n"
    "       infrac import [--region R] [--param K=V]... [--loops] -o DIR TEMPLATE...\n"
    "       infrac import --live --region R [--vpc ID | --tag K=V] [-o DIR]\n"
    "                     (what is deployed: see infrac import --live --help)\n"
    "\n"
    "Writes a CloudFormation template (JSON or YAML, short or long intrinsic\n"
    "forms) as .infra source, laid out as infrac fmt lays it out, that builds\n"
    "back to the same template: `infrac plan OUT --against TEMPLATE` says\n"
    "\"No changes.\". Logical IDs are kept (logical_id where the name's differs).\n"
    "A resource is its kind (vpc, subnet, security_group ...) where the kind\n"
    "builds back to it, so that the checks apply, else a `resource`; a kind\n"
    "kept a `resource` by a finding of its checks is a note on stderr.\n"
    "\n"
    "  --region R     the stack's region (default us-east-1)\n"
    "  --param K=V    the default of parameter K in the source\n"
    "  --loops        fold runs of declarations that differ only by a zone or\n"
    "                 index suffix (public_a, public_b) into a `for`\n"
    "  -o FILE|DIR    write FILE, or DIR/NAME.infra; no -o: stdout\n"
    "\n"
    "Several templates (one process for all: no start-up per template) need\n"
    "-o DIR: each is written to DIR/NAME.infra, NAME from its file name, and\n"
    "a template whose NAME an earlier one took is an error. Each template\n"
    "written is a line \"TEMPLATE -> DIR/NAME.infra\" on stdout, each failure\n"
    "a message after its path on stderr; the status is 1 if any failed.\n"
    "\n"
    "What infrac cannot say (a Transform, a macro ...) is an error naming\n"
    "its place in the template, and nothing is written.\n";

/* The stack's name from the template's file name: "vpc-two-az.yaml" -> vpc_two_az. */
static const char *stack_name(Imp *m, const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  const char *dot = strchr(b, '.');
  char *s = arena_strndup(&m->a, b, dot ? (size_t)(dot - b) : strlen(b));
  for (char *p = s; *p; p++)
    if (!isalnum((unsigned char)*p))
      *p = '_';
  if (!imp_is_ident(s))
    s = arena_printf(&m->a, "stack_%s", s);
  return s;
}

bool import_write_out(const char *path, const char *text, size_t len) {
  char *tmp = malloc(strlen(path) + 16);
  sprintf(tmp, "%s.tmp%d", path, (int)getpid());
  FILE *f = fopen(tmp, "w");
  bool ok = f && fwrite(text, 1, len, f) == len;
  if (f && fclose(f) != 0)
    ok = false;
  if (ok && rename(tmp, path) != 0)
    ok = false;
  if (!ok) {
    fprintf(stderr, "infrac: cannot write %s: %s\n", path, strerror(errno));
    remove(tmp);
  }
  free(tmp);
  return ok;
}

/* The template's source text, with each resource a kind where the kind
   builds back to it (import_kinds.c), else a `resource`. */
static bool import_source(const cJSON *t, const char *stack, const char *region, Vec *given,
                          bool for_apply, Buf *text, Buf *notes, char *err, size_t errlen) {
  const cJSON *res = section(t, "Resources");
  int n = cJSON_GetArraySize(res);
  bool *kinds = calloc((size_t)n + 1, sizeof *kinds), some = false;
  int i = 0;
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next, i++) {
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "Type");
    kinds[i] = cJSON_IsString(type) && import_kind_of(type->valuestring);
  }
  import_kinds_reads(t, kinds);
  for (i = 0; i < n; i++)
    some |= kinds[i];
  /* each round clears at least one kind, or all of them and the cidr params */
  for (bool done = false; !done;) {
    Imp m = {.t = t, .kinds = kinds, .cidr_params = some, .for_apply = for_apply};
    bool ok = import_text(&m, stack, region, given);
    int misfits = ok && some ? import_kinds_misfits(t, &m.res, m.out.s, m.out.len, kinds, notes) : 0;
    if ((!ok && some) || misfits < 0) { /* not the kinds' doing, or beyond telling: no kinds */
      memset(kinds, 0, (size_t)n * sizeof *kinds);
      some = false;
    } else if (!misfits) {
      done = true;
      if (ok)
        *text = m.out, m.out = (Buf){0};
      else
        snprintf(err, errlen, "%s", m.err);
    }
    buf_free(&m.out);
    arena_free(&m.a);
  }
  free(kinds);
  return text->s != NULL;
}

/* The template as source text laid out by fmt (what `infrac import`
   writes), with repeated declarations folded into loops when loops is set,
   or false with the reason in err. */
bool import_template(const cJSON *t, const char *stack, const char *region, char **given, int ngiven,
                     unsigned flags, Buf *out, Buf *notes, char *err, size_t errlen) {
  Arena a = {0};
  Vec g = {0};
  for (int i = 0; i < ngiven; i++)
    vec_push(&a, &g, given[i]);
  Buf src = {0};
  bool ok = import_source(t, stack, region, &g, flags & IMPORT_FOR_APPLY, &src, notes, err, errlen);
  if (ok) {
    /* laid out by fmt: the source parses, or the importer has a bug to report */
    Compilation *c = compile_new();
    int file = compile_add_source(c, arena_printf(&a, "%s.infra", stack), src.s, src.len);
    Program prog = {0};
    parse_file(c, file, &prog);
    if ((flags & IMPORT_LOOPS) && !c->nerrors)
      import_loops(&c, &file, &prog);
    if (c->nerrors || !fmt_format(c, file, &prog, out)) {
      diag_render_text(c, stderr, false);
      snprintf(err, errlen, "the source written for it does not parse (an infrac bug)");
      buf_free(out);
      ok = false;
    }
    compile_free(c);
  }
  buf_free(&src);
  arena_free(&a);
  return ok;
}

/* Imports one template into dest (a file, "-" or NULL for stdout): 0, or 1
   with the reason on stderr, after the template's path. */
static int import_one(const char *in, const char *dest, const char *name, const char *region,
                      char **given, int ngiven, unsigned flags) {
  char err[512];
  cJSON *t = doc_read_file(in, "template", err, sizeof err);
  if (!t) {
    fprintf(stderr, "infrac: %s\n", err);
    return 1;
  }
  Buf text = {0}, notes = {0};
  int rc = 1;
  if (!import_template(t, name, region, given, ngiven, flags, &text, &notes, err, sizeof err)) {
    fprintf(stderr, "%s: error: cannot import %s\n", in, err);
  } else {
    /* each line "note: ...": a kind's finding, which kept its resource a `resource` */
    for (const char *p = notes.s; p && *p;) {
      const char *nl = strchr(p, '\n');
      fprintf(stderr, "%s: %.*s\n", in, (int)(nl - p), p);
      p = nl + 1;
    }
    if (!dest || !strcmp(dest, "-"))
      rc = fwrite(text.s, 1, text.len, stdout) == text.len ? 0 : 1;
    else
      rc = import_write_out(dest, text.s, text.len) ? 0 : 1;
  }
  buf_free(&text);
  buf_free(&notes);
  cJSON_Delete(t);
  return rc;
}

int import_main(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    if (!strcmp(argv[i], "--live"))
      return import_live_main(argc, argv);
  const char *region = "us-east-1", *out = NULL;
  Arena a = {0};
  char **given = calloc((size_t)argc + 1, sizeof *given);
  const char **ins = calloc((size_t)argc + 1, sizeof *ins);
  int ngiven = 0, nins = 0, rc = 2;
  bool loops = false;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      fputs(import_usage, stdout);
      rc = 0;
      goto done;
    }
    bool has_next = i + 1 < argc;
    if (!strcmp(arg, "--region") && has_next)
      region = argv[++i];
    else if (!strncmp(arg, "--region=", 9))
      region = arg + 9;
    else if (!strcmp(arg, "--param") && has_next && strchr(argv[i + 1], '='))
      given[ngiven++] = argv[++i];
    else if (!strncmp(arg, "--param=", 8) && strchr(arg + 8, '='))
      given[ngiven++] = argv[i] + 8;
    else if (!strcmp(arg, "--loops"))
      loops = true;
    else if (!strcmp(arg, "-o") && has_next)
      out = argv[++i];
    else if (arg[0] == '-') {
      fprintf(stderr, "infrac: unknown or incomplete option '%s' for import\n%s", arg, import_usage);
      goto done;
    } else
      ins[nins++] = arg;
  }
  struct stat st;
  bool to_dir = out && !stat(out, &st) && S_ISDIR(st.st_mode);
  if (!nins) {
    fprintf(stderr, "infrac: import needs a TEMPLATE\n%s", import_usage);
    goto done;
  }
  if (nins > 1 && !to_dir) {
    fprintf(stderr, "infrac: import of %d templates needs -o DIR, an existing directory\n%s", nins,
            import_usage);
    goto done;
  }
  /* one process for many templates: each its own DIR/NAME.infra, and
     each failure its own message; the status is 1 if any failed */
  rc = 0;
  Imp names = {0};
  const char **dests = calloc((size_t)nins, sizeof *dests);
  for (int i = 0; i < nins; i++) {
    const char *name = stack_name(&names, ins[i]);
    dests[i] = to_dir ? arena_printf(&a, "%s/%s.infra", out, name) : out;
    int same = 0;
    while (to_dir && same < i && strcmp(dests[same], dests[i]))
      same++;
    if (to_dir && same < i) {
      fprintf(stderr,
              "%s: error: cannot import it into %s: %s is imported there too; import it on "
              "its own or into another directory\n",
              ins[i], dests[i], ins[same]);
      rc = 1;
      continue;
    }
    if (import_one(ins[i], dests[i], name, region, given, ngiven, loops ? IMPORT_LOOPS : 0))
      rc = 1;
    else if (nins > 1) /* which file is whose: NAME is not always the file's */
      printf("%s -> %s\n", ins[i], dests[i]);
  }
  free(dests);
  arena_free(&names.a);
done:
  arena_free(&a);
  free(given);
  free(ins);
  return rc;
}
