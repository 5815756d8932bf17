/* params_file.c: --params FILE, the values of one environment: `name = value`
   lines in the language, read by the project's lexer and parser, each value
   checked against the type of the stack's param it names, with spans in
   FILE. A value becomes the param's default, as --param K=V does (and a
   --param given too is applied after it, so it wins). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "params.h"

bool params_file_add(Compilation *c, const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "infrac: --params %s: a directory; give a file of name = value lines\n", path);
    return false;
  }
  char *p = (char *)path;
  if (!compile_add_paths(c, &p, 1))
    return false;
  compile_source(c, c->files.n - 1)->values = true;
  return true;
}

/* What a params file may give a param of each type: literals only, as the
   value is fixed in the template. ORDER: none. */
static const struct {
  const char *type;
  ExprKind k;
  const char *want;
} value_types[] = {
    {"string", EX_STR, "a string, as \"app\""},
    {"int", EX_INT, "an integer, as 3"},
    {"bool", EX_BOOL, "true or false"},
    {"cidr", EX_CIDR, "a CIDR block, as 10.0.0.0/16"},
    {"list", EX_LIST, "a list of strings, as [\"a\", \"b\"]"},
};

/* A string without ${...}: interpolation reads names, which a file of
   values has none of. */
static bool plain_string(const Expr *e) { return e->k == EX_STR && eval_string(e); }

static bool fits(ExprKind k, const Expr *v) {
  if (v->k != k || (k == EX_STR && !plain_string(v)))
    return false;
  for (int i = 0; k == EX_LIST && i < v->items.n; i++)
    if (!plain_string(v->items.v[i]))
      return false;
  return true;
}

static void unknown_param(Compilation *c, const Member *m, const Decl *d) {
  Diag *g = d ? diag_error(c, "E101", m->name_span, "'%s' is a %s, not a param of the stack",
                           m->name, d->k == D_RESOURCE ? d->kind_name : "declaration")
              : diag_error(c, "E101", m->name_span, "the stack has no param '%s'", m->name);
  Vec cands = {0};
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *p = c->prog.decls.v[i];
    if (p->k == D_PARAM && p->name)
      vec_push(&c->arena, &cands, (void *)p->name);
  }
  const char *near = resolve_suggest(m->name, (const char *const *)cands.v, cands.n);
  if (d)
    diag_note(c, g, d->name_span, "%s declared here", m->name);
  if (near) {
    diag_help(c, g, "did you mean '%s'?", near);
    diag_fix(c, g, m->name_span, near);
  } else if (cands.n) {
    Buf b = {0};
    for (int i = 0; i < cands.n; i++)
      buf_printf(&b, "%s%s", i ? ", " : "", (const char *)cands.v[i]);
    diag_help(c, g, "the stack's params: %s", b.s);
    buf_free(&b);
  }
}

/* name = value -> a param of the stack, and a literal of its type */
static void apply_value(Compilation *c, Member *m, Vec *given) {
  if (m->k != M_ATTR) {
    Diag *g = diag_error(c, "E002", m->span, "a params file holds name = value lines, not '%s ...'",
                         m->name);
    diag_help(c, g, "write: %s = value", m->name);
    return;
  }
  for (int i = 0; i < given->n; i++) {
    Member *o = given->v[i];
    if (!strcmp(o->name, m->name)) {
      Diag *g = diag_error(c, "E102", m->name_span, "param '%s' is given twice", m->name);
      diag_note(c, g, o->name_span, "first given here");
      return;
    }
  }
  vec_push(&c->arena, given, m);
  Decl *d = resolve_lookup(c, m->name);
  if (!d || d->k != D_PARAM) {
    unknown_param(c, m, d);
    return;
  }
  if (!strcmp(d->type_name, "secret")) {
    Diag *g = diag_error(c, "E106", m->value->span,
                         "param %s is a secret: its value is never written in a file", m->name);
    diag_note(c, g, d->name_span, "param %s declared here", m->name);
    diag_help(c, g, "give it when the stack is deployed: infrac apply --param %s=..., "
                    "$INFRAC_PARAM_%s, or at the prompt", m->name, m->name);
    return;
  }
  size_t t = 0;
  while (t < countof(value_types) && strcmp(value_types[t].type, d->type_name))
    t++;
  if (t == countof(value_types) || m->value->k == EX_ERROR)
    return; /* an unknown type (resolve said so), or a bad literal (the lexer did) */
  Expr *v = m->value;
  if (v->k == EX_LIST && value_types[t].k == EX_LIST)
    for (int i = 0; i < v->items.n; i++)
      if (!plain_string(v->items.v[i])) {
        v = v->items.v[i]; /* the item that is not a string */
        break;
      }
  if (!fits(value_types[t].k, v)) {
    Diag *g = diag_error(c, "E106", v->span, "param %s is of type %s: expected %s, found %s",
                         m->name, d->type_name, value_types[t].want, ast_expr_desc(v));
    diag_note(c, g, d->type_span, "param %s declared here", m->name);
    if (v->k == EX_NAME && (value_types[t].k == EX_STR || v != m->value)) {
      diag_help(c, g, "a string is written in quotes: \"%s\"", v->name);
      diag_fix(c, g, v->span, arena_printf(&c->arena, "\"%s\"", v->name));
    }
    return;
  }
  if (v->k == EX_CIDR && cidr_has_host_bits(v->cidr)) {
    char net[20];
    Cidr n = {cidr_network(v->cidr), v->cidr.prefix};
    ip_format(n.addr, net);
    const char *fix = arena_printf(&c->arena, "%s/%d", net, n.prefix);
    Diag *g = diag_error(c, "E201", v->span, "CIDR block of param %s has host bits set", m->name);
    diag_help(c, g, "its network address is %s", fix);
    diag_fix(c, g, v->span, fix);
    return;
  }
  d->value = v;
}

void params_file_apply(Compilation *c) {
  for (int f = 0; f < c->files.n; f++) {
    if (!compile_source(c, f)->values)
      continue;
    Vec members = parse_values(c, f), given = {0};
    for (int i = 0; i < members.n; i++)
      apply_value(c, members.v[i], &given);
  }
}
