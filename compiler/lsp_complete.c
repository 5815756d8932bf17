/* lsp_complete.c: textDocument/completion. The text being typed seldom
   parses, so the context comes from a scan of the text before the cursor:
   which blocks are open (and so which schema of the kind table applies), and
   where in a member the cursor stands. The candidates come from the kind
   table and from the declarations of the stack's last compilation; in a
   `resource` (or a kind's `properties { }`) from the CloudFormation type
   table, down the path of object blocks and object literals to the cursor. */
#include <ctype.h>
#include <string.h>

#include "lsp.h"
#include "param_types.h"
#include "modules.h"

/* CompletionItemKind */
enum { CK_FIELD = 5, CK_VARIABLE = 6, CK_CLASS = 7, CK_PROPERTY = 10, CK_VALUE = 12,
       CK_KEYWORD = 14, CK_REFERENCE = 18, CK_ENUM_MEMBER = 20, CK_STRUCT = 22,
       CK_CONSTANT = 21, CK_TYPE_PARAMETER = 25 };

enum { T_IDENT = 256, T_LIT };

typedef struct {
  int kind; /* T_IDENT, T_LIT, or the punctuation character */
  uint32_t lo, hi;
} Tok;

/* Where in a member the scan stands. */
typedef enum {
  S_START, /* before a member's name */
  S_NAME,  /* after it */
  S_VALUE, /* after NAME '=' */
  S_AFTER, /* after a whole value: a new member may start */
  S_DOT,   /* after VALUE '.' */
  S_STMT,  /* in a statement's words (or what cannot be told) */
} State;

enum { MAX_DEPTH = 64, MAX_TOKS = 8 };

/* The member state around an object literal's '{' (Key = { ... }), taken
   up again after its '}'. */
typedef struct {
  bool value; /* the block is a value, not a kind's block or an object block */
  State state;
  int nest;
  bool item;
  Tok attr;
} Saved;

typedef struct {
  const char *text;
  const Schema *frames[MAX_DEPTH]; /* the schema of each open block (NULL: unknown) */
  const AwsShape *shapes[MAX_DEPTH]; /* the CloudFormation object it writes, or NULL */
  Saved saved[MAX_DEPTH];
  int depth;
  State state;
  Tok toks[MAX_TOKS]; /* the first tokens of the current member or declaration */
  int ntoks;
  Tok attr;  /* the attribute whose value is being written */
  int nest;  /* ( and [ open in the value */
  bool item; /* in a list, where an item may start */
  bool dot;  /* just after '.' */
  Tok ident; /* the last name: the base before '.' */
  Tok last;  /* the last token */
  bool in_string, in_comment;
  uint32_t string_lo; /* in_string: the opening quote */
  uint32_t open[MAX_DEPTH]; /* the offset after each open block's '{' */
  int collect;              /* set_attrs: the depth whose attributes are gathered */
  Tok set[64];              /* the names of the attributes set there */
  int nset;
} Scan;

static bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool tok_is(const Scan *sc, Tok t, const char *word) {
  size_t n = strlen(word);
  return t.kind == T_IDENT && t.hi - t.lo == n && !memcmp(sc->text + t.lo, word, n);
}

static char *tok_str(const Scan *sc, Tok t, char *buf, size_t cap) {
  size_t n = t.hi - t.lo < cap - 1 ? t.hi - t.lo : cap - 1;
  memcpy(buf, sc->text + t.lo, n);
  buf[n] = '\0';
  return buf;
}

static void new_member(Scan *sc) {
  sc->state = S_START;
  sc->ntoks = 0;
  sc->nest = 0;
  sc->item = sc->dot = false;
}

/* The shape of a property's value; of its items for a list. */
static const AwsShape *prop_shape(const AwsShape *obj, const char *name, bool item) {
  const AwsProp *p = obj ? aws_shape_prop(obj, name) : NULL;
  const AwsShape *v = p ? p->shape : NULL;
  return v && item && v->items ? v->items : v;
}

static void open_block(Scan *sc) {
  const Schema *s = NULL;
  const AwsShape *shape = NULL;
  const AwsShape *outer = sc->depth && sc->depth <= MAX_DEPTH ? sc->shapes[sc->depth - 1] : NULL;
  Saved saved = {.value = sc->state == S_VALUE || (sc->nest > 0 && sc->item)};
  char name[128];
  if (saved.value) { /* Key = { ... }, or an object in a list */
    saved.state = sc->state, saved.nest = sc->nest, saved.item = sc->item, saved.attr = sc->attr;
    shape = prop_shape(outer, tok_str(sc, sc->attr, name, sizeof name), sc->nest > 0);
  } else if (sc->ntoks && sc->toks[0].kind == T_IDENT) {
    tok_str(sc, sc->toks[0], name, sizeof name);
    if (sc->collect && sc->depth == sc->collect && sc->nset < 64)
      sc->set[sc->nset++] = sc->toks[0]; /* an object block sets its property */
    if (sc->depth == 0 && !strcmp(name, "resource") && sc->ntoks >= 3 &&
        sc->toks[2].kind == T_LIT && sc->text[sc->toks[2].lo] == '"') {
      Tok t = {T_LIT, sc->toks[2].lo + 1, sc->toks[2].hi - 1};
      const AwsType *at = t.hi > t.lo ? aws_type_find(tok_str(sc, t, name, sizeof name)) : NULL;
      shape = at ? at->shape : NULL;
    } else if (sc->depth == 0) {
      s = !strcmp(name, "stack") ? kind_stack() : kind_find(name);
    } else if (outer) { /* an object block: Name { ... } */
      shape = prop_shape(outer, name, true);
    } else if (sc->depth <= MAX_DEPTH && sc->frames[sc->depth - 1]) {
      const Schema *kind = sc->frames[sc->depth - 1];
      const StmtDef *sd = kind_stmt(kind, name);
      s = sd ? sd->body : NULL;
      const AwsType *main = sc->depth == 1 && !strcmp(name, "properties") && kind->cfn
                                ? aws_type_find(kind->cfn)
                                : NULL;
      shape = main ? main->shape : NULL; /* a kind's properties { } */
    }
  }
  if (sc->depth < MAX_DEPTH) {
    sc->frames[sc->depth] = s;
    sc->shapes[sc->depth] = shape;
    sc->saved[sc->depth] = saved;
  }
  sc->depth++;
  new_member(sc);
}

/* After a block's '}': an object literal was a value of the member around it. */
static void close_block(Scan *sc) {
  const Saved *sv = sc->depth < MAX_DEPTH ? &sc->saved[sc->depth] : NULL;
  new_member(sc);
  if (!sv || !sv->value)
    return;
  sc->attr = sv->attr;
  sc->nest = sv->nest;
  sc->state = sv->nest > 0 ? sv->state : S_AFTER;
  sc->item = false;
}

/* In an object literal, or a block of CloudFormation properties: commas
   separate members there. */
static bool in_object(const Scan *sc) {
  int i = sc->depth - 1;
  return i >= 0 && i < MAX_DEPTH && (sc->shapes[i] || sc->saved[i].value);
}

static void feed(Scan *sc, Tok t) {
  if (sc->ntoks < MAX_TOKS)
    sc->toks[sc->ntoks++] = t;
  sc->last = t;
  sc->dot = t.kind == '.';
  if (t.kind == T_IDENT)
    sc->ident = t;
  if (sc->nest > 0) { /* inside the brackets of a value */
    if (t.kind == '[' || t.kind == '(') {
      sc->nest++;
      sc->item = true;
    } else if (t.kind == ']' || t.kind == ')') {
      sc->item = false;
      if (--sc->nest == 0)
        sc->state = S_AFTER;
    } else if (t.kind == ',') {
      sc->item = true;
    } else {
      sc->item = false;
    }
    return;
  }
  switch (sc->state) {
  case S_START: sc->state = t.kind == T_IDENT ? S_NAME : S_STMT; break;
  case S_NAME:
    if (t.kind == '=') {
      sc->state = S_VALUE;
      sc->attr = sc->toks[0];
      if (sc->collect && sc->depth == sc->collect && sc->nset < 64)
        sc->set[sc->nset++] = sc->attr;
    } else {
      sc->state = S_STMT;
    }
    break;
  case S_VALUE:
    if (t.kind == '[' || t.kind == '(') {
      sc->nest = 1;
      sc->item = true;
    } else {
      sc->state = S_AFTER;
    }
    break;
  case S_AFTER:
    if (t.kind == '.') {
      sc->state = S_DOT;
    } else if (t.kind == '(') {
      sc->nest = 1;
      sc->item = true;
    } else if (t.kind == ',' && in_object(sc)) { /* { Key = "a", Value = "b" } */
      new_member(sc);
    } else if (t.kind == T_IDENT && sc->depth > 0) { /* `vpc = main  cidr = ...` */
      new_member(sc);
      sc->toks[sc->ntoks++] = t;
      sc->ident = sc->last = t;
      sc->state = S_NAME;
    } else {
      sc->state = S_STMT;
    }
    break;
  case S_DOT: sc->state = t.kind == T_IDENT ? S_AFTER : S_STMT; break;
  case S_STMT: break;
  }
}

/* Scans text[0..end). */
static void scan(Scan *sc, uint32_t end) {
  const char *t = sc->text;
  uint32_t p = 0;
  while (p < end) {
    char ch = t[p];
    if (ch == ' ' || ch == '\t' || ch == '\r') {
      p++;
    } else if (ch == '\n') {
      if (sc->nest == 0)
        new_member(sc);
      p++;
    } else if (ch == '#') {
      while (p < end && t[p] != '\n')
        p++;
      if (p == end)
        sc->in_comment = true;
    } else if (ch == '"') {
      uint32_t lo = p++;
      while (p < end && t[p] != '"' && t[p] != '\n')
        p += t[p] == '\\' && p + 1 < end && t[p + 1] != '\n' ? 2 : 1;
      if (p >= end) {
        sc->in_string = true;
        sc->string_lo = lo;
        return;
      }
      if (t[p] == '"')
        p++;
      feed(sc, (Tok){T_LIT, lo, p});
    } else if (ch == '{') {
      p++;
      if (sc->depth < MAX_DEPTH)
        sc->open[sc->depth] = p;
      open_block(sc);
    } else if (ch == '}') {
      p++;
      if (sc->depth > 0)
        sc->depth--;
      if (sc->depth < sc->collect)
        return; /* set_attrs: the end of the block */
      close_block(sc);
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_') {
      uint32_t lo = p;
      while (p < end && ident_char(t[p]))
        p++;
      feed(sc, (Tok){T_IDENT, lo, p});
    } else if (ch >= '0' && ch <= '9') {
      uint32_t lo = p;
      while (p < end && (ident_char(t[p]) || t[p] == '.' || t[p] == '/'))
        p++;
      feed(sc, (Tok){T_LIT, lo, p});
    } else if (ch == '-' && p + 1 < end && t[p + 1] == '>') {
      feed(sc, (Tok){T_LIT, p, p + 2});
      p += 2;
    } else if (strchr("[]()=:,.", ch)) {
      feed(sc, (Tok){(unsigned char)ch, p, p + 1});
      p++;
    } else {
      p++; /* anything else: a stray byte the compiler reports */
    }
  }
}

/* ---- items ---- */

static void item(cJSON *items, const char *label, int kind, const char *detail, const char *doc,
                 const char *insert, const char *sort) {
  cJSON *it = cJSON_CreateObject();
  cJSON_AddStringToObject(it, "label", label);
  cJSON_AddNumberToObject(it, "kind", kind);
  if (detail)
    cJSON_AddStringToObject(it, "detail", detail);
  if (doc)
    cJSON_AddStringToObject(it, "documentation", doc);
  if (insert)
    cJSON_AddStringToObject(it, "insertText", insert);
  if (sort)
    cJSON_AddStringToObject(it, "sortText", sort);
  cJSON_AddItemToArray(items, it);
}

static void top_level(cJSON *items) {
  int n;
  const Schema *kinds = kind_all(&n);
  for (int i = 0; i < n; i++)
    item(items, kinds[i].name, CK_CLASS, kinds[i].cfn, kinds[i].doc, NULL, NULL);
  item(items, "stack", CK_KEYWORD, "stack NAME { region = \"...\" }", "the stack: one per program",
       NULL, NULL);
  item(items, "param", CK_KEYWORD, "param NAME : TYPE [= DEFAULT]", "a value given at build time",
       NULL, NULL);
  item(items, "output", CK_KEYWORD, "output NAME = VALUE", "a value reported after deployment",
       NULL, NULL);
}

/* The attributes already set in the block that opens at `open`, before
   and after the cursor; the word at `typing` is the one being written. */
static void set_attrs(Scan *set, const Source *src, uint32_t open, uint32_t typing) {
  *set = (Scan){.text = src->text + open, .depth = 1, .collect = 1}; /* offsets from open */
  scan(set, src->len - open);
  for (int i = 0; i < set->nset; i++)
    if (set->set[i].lo + open == typing)
      set->set[i--] = set->set[--set->nset];
}

static bool is_set(const Scan *set, const char *name) {
  for (int i = 0; set && i < set->nset; i++)
    if (tok_is(set, set->set[i], name))
      return true;
  return false;
}

static void members(cJSON *items, Compilation *c, const Schema *s, const Scan *set) {
  if (!s || s->free_attrs)
    return;
  for (int i = 0; i < s->nattrs; i++) {
    const AttrDef *ad = &s->attrs[i];
    if (is_set(set, ad->name))
      continue; /* a second one is E102 */
    const char *detail = arena_printf(&c->arena, "%s%s", kind_accept_desc(&c->arena, ad),
                                      ad->required ? ", required" : "");
    item(items, ad->name, CK_PROPERTY, detail, ad->doc,
         arena_printf(&c->arena, "%s = ", ad->name),
         arena_printf(&c->arena, "%d%s", ad->required ? 0 : 1, ad->name));
  }
  for (int i = 0; i < s->nstmts; i++) {
    const StmtDef *sd = &s->stmts[i];
    item(items, sd->name, sd->body ? CK_STRUCT : CK_KEYWORD, sd->doc,
         sd->body ? sd->body->doc : NULL, NULL, arena_printf(&c->arena, "2%s", sd->name));
  }
}

static void any_names(cJSON *items, Compilation *c);

static unsigned param_bits(const Decl *d) {
  const char *t = d->type_name;
  if (param_type_is_list(t))
    return A_LIST | A_STRING;
  if (isupper((unsigned char)t[0]))
    return A_STRING; /* "AWS::EC2::VPC::Id" */
  return !strcmp(t, "string") ? A_STRING : !strcmp(t, "int") ? A_INT
         : !strcmp(t, "bool") ? A_BOOL : !strcmp(t, "secret") ? A_SECRET
         : !strcmp(t, "cidr") ? A_CIDR : 0;
}

/* The first declaration of each name (a second one is an E102). */
static bool first_decl(Compilation *c, const Decl *d) {
  return (d->k == D_RESOURCE || d->k == D_PARAM || d->k == D_CONDITION || d->k == D_LET) &&
         resolve_lookup(c, d->name) == d;
}

/* Values for an attribute: its words, booleans, and the declarations of the
   kinds it references (`vpc = ` offers the vpcs), or params of its type. */
static void values(cJSON *items, Compilation *c, const AttrDef *ad) {
  if ((ad->accept & A_WORD) && ad->words) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", ad->words);
    for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
      item(items, w, CK_ENUM_MEMBER, ad->name, ad->doc, NULL, NULL);
  }
  if (ad->accept & A_BOOL) {
    item(items, "true", CK_VALUE, NULL, NULL, NULL, NULL);
    item(items, "false", CK_VALUE, NULL, NULL, NULL, NULL);
  }
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    if (!first_decl(c, d))
      continue;
    if (d->k == D_RESOURCE && (ad->accept & A_REF) && kind_ref_ok(ad->ref, d->kind_name))
      item(items, d->name, CK_REFERENCE, d->kind_name, d->schema ? d->schema->doc : NULL, NULL,
           NULL);
    else if (d->k == D_RESOURCE && (ad->accept & A_DNS) && !strcmp(d->kind_name, "zone"))
      item(items, arena_printf(&c->arena, "dns(%s)", d->name), CK_VALUE, "zone", NULL, NULL, NULL);
    else if (d->k == D_PARAM && (param_bits(d) & ad->accept))
      item(items, d->name, CK_VARIABLE, arena_printf(&c->arena, "param : %s", d->type_name), NULL,
           NULL, NULL);
    else if ((d->k == D_CONDITION && (ad->accept & A_BOOL)) || (d->k == D_LET && (d->let_type & ad->accept)))
      item(items, d->name, CK_CONSTANT, d->kind_name, NULL, NULL, NULL);
  }
}

/* The CloudFormation types, in `resource NAME "AWS::|`: each replaces what
   the string holds so far, which it starts with. */
static void aws_type_names(cJSON *items, Compilation *c, int file, uint32_t lo, uint32_t off) {
  const char *typed = compile_source(c, file)->text + lo;
  size_t n, len = off - lo;
  const AwsType *types = aws_types(&n);
  for (size_t i = 0; i < n; i++) {
    if (strncmp(types[i].name, typed, len))
      continue;
    cJSON *it = cJSON_CreateObject();
    cJSON_AddStringToObject(it, "label", types[i].name);
    cJSON_AddNumberToObject(it, "kind", CK_CLASS);
    if (types[i].doc)
      cJSON_AddStringToObject(it, "documentation", types[i].doc);
    cJSON *edit = cJSON_AddObjectToObject(it, "textEdit");
    cJSON_AddItemToObject(edit, "range", lsp_range(c, (Span){file, lo, off}));
    cJSON_AddStringToObject(edit, "newText", types[i].name);
    cJSON_AddItemToArray(items, it);
  }
}

/* The properties of a CloudFormation object, required ones first, without
   the read-only ones (attributes) and those already set; at a `resource`'s
   top level also its meta-attributes. */
static void aws_members(cJSON *items, Compilation *c, const AwsShape *shape, const Scan *set,
                        bool top) {
  static const char *const meta[] = {"depends_on", "deletion_policy", "update_replace_policy",
                                     "logical_id"};
  for (int i = 0; i < shape->nprops; i++) {
    const AwsProp *p = &shape->props[i];
    if ((p->flags & AWS_P_READ_ONLY) || is_set(set, p->name))
      continue;
    bool req = p->flags & AWS_P_REQUIRED;
    bool object = p->shape && (p->shape->types & AWS_T_OBJECT) && p->shape->nprops;
    item(items, p->name, CK_PROPERTY, req ? "required" : NULL, p->doc,
         arena_printf(&c->arena, object ? "%s { " : "%s = ", p->name),
         arena_printf(&c->arena, "%d%s", req ? 0 : 1, p->name));
  }
  for (size_t i = 0; top && i < countof(meta); i++)
    if (!is_set(set, meta[i]))
      item(items, meta[i], CK_KEYWORD, "meta-attribute", NULL,
           arena_printf(&c->arena, "%s = ", meta[i]), arena_printf(&c->arena, "2%s", meta[i]));
}

/* Values of a CloudFormation property: its allowed values, booleans, and
   the declarations a reference may name. */
static void aws_values(cJSON *items, Compilation *c, const AwsShape *v) {
  if (v && v->values)
    for (int i = 0; v->values[i]; i++)
      item(items, arena_printf(&c->arena, "\"%s\"", v->values[i]), CK_ENUM_MEMBER, NULL, NULL,
           NULL, arena_printf(&c->arena, "0%04d", i));
  if (v && (v->types & AWS_T_BOOLEAN)) {
    item(items, "true", CK_VALUE, NULL, NULL, NULL, NULL);
    item(items, "false", CK_VALUE, NULL, NULL, NULL, NULL);
  }
  if (!v || !v->values)
    any_names(items, c);
}

/* Any resource or param: an output's value, a param's default. */
static void any_names(cJSON *items, Compilation *c) {
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    if (first_decl(c, d))
      item(items, d->name,
           d->k == D_PARAM ? CK_VARIABLE : d->k == D_RESOURCE ? CK_REFERENCE : CK_CONSTANT,
           d->k == D_PARAM ? "param" : d->kind_name, NULL, NULL, NULL);
  }
}

/* The attributes a resource exports, after `name.`. */
static void exports(cJSON *items, Compilation *c, const Scan *sc) {
  char name[128];
  Decl *d = resolve_lookup(c, tok_str(sc, sc->ident, name, sizeof name));
  if (!d || d->k != D_RESOURCE || !d->schema)
    return;
  for (int i = 0; i < d->schema->nexports; i++) {
    const ExportDef *ex = &d->schema->exports[i];
    AttrDef ad = {.name = ex->name, .accept = ex->type};
    item(items, ex->name, CK_FIELD, kind_accept_desc(&c->arena, &ad), ex->doc, NULL, NULL);
  }
}

/* After `net.`: the outputs of module net. */
static void module_outputs(cJSON *items, Compilation *c, const Scan *sc) {
  char name[128];
  ModuleInstance *in = modules_find(c, tok_str(sc, sc->ident, name, sizeof name));
  for (int i = 0; in && i < in->dir->outputs.n; i++) {
    Decl *o = in->dir->outputs.v[i];
    item(items, o->name, CK_FIELD, arena_printf(&c->arena, "output of module %s", in->name), NULL,
         NULL, NULL);
  }
}

/* In `module NAME "DIR" { ... }`: its inputs not given yet, or after
   `input =` what the param takes. */
static void module_inputs(cJSON *items, Compilation *c, ModuleInstance *in, const Scan *sc,
                          const Scan *set) {
  char name[128];
  for (int i = 0; i < in->dir->params.n; i++) {
    Decl *p = in->dir->params.v[i];
    AttrDef ad;
    if (sc->state == S_VALUE) {
      if (!strcmp(p->name, tok_str(sc, sc->attr, name, sizeof name)) &&
          modules_input_def(&c->arena, p, &ad))
        values(items, c, &ad);
    } else if (!is_set(set, p->name)) {
      item(items, p->name, CK_FIELD, arena_printf(&c->arena, "%s%s", p->type_name,
                                                  p->value ? "" : " (required)"),
           arena_printf(&c->arena, "input of module %s", in->name), NULL, NULL);
    }
  }
}

cJSON *lsp_complete(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off) {
  (void)s;
  Compilation *c = st->c;
  const char *text = compile_source(c, doc->file)->text;
  cJSON *list = cJSON_CreateObject();
  cJSON_AddFalseToObject(list, "isIncomplete");
  cJSON *items = cJSON_AddArrayToObject(list, "items");
  uint32_t start = off; /* of the word being typed */
  while (start > 0 && ident_char(text[start - 1]))
    start--;
  if (start < off && text[start] >= '0' && text[start] <= '9')
    return list; /* a number */
  Scan sc = {.text = text};
  scan(&sc, start);
  if (sc.in_string && sc.depth == 0 && sc.ntoks == 2 && tok_is(&sc, sc.toks[0], "resource"))
    aws_type_names(items, c, doc->file, sc.string_lo + 1, off);
  if (sc.in_string || sc.in_comment)
    return list;
  if (sc.last.hi == start && start > 0 && sc.last.kind == T_LIT && !sc.dot)
    return list; /* right after a literal: still typing it */
  if (sc.dot) {
    if (sc.ident.hi == sc.last.lo && sc.ident.hi > sc.ident.lo) {
      exports(items, c, &sc);
      module_outputs(items, c, &sc);
    }
    return list;
  }
  if (sc.depth == 0) {
    const Tok *t = sc.toks;
    if (sc.ntoks == 0)
      top_level(items);
    else if (sc.ntoks == 3 && tok_is(&sc, t[0], "param") && t[2].kind == ':')
      for (size_t i = 0; i < 5; i++) {
        static const char *const types[] = {"string", "int", "bool", "secret", "cidr", "list"};
        item(items, types[i], CK_TYPE_PARAMETER, NULL, NULL, NULL, NULL);
      }
    else if ((sc.ntoks == 3 && tok_is(&sc, t[0], "output") && t[2].kind == '=') ||
             (sc.ntoks == 5 && tok_is(&sc, t[0], "param") && t[4].kind == '='))
      any_names(items, c);
    return list;
  }
  ModuleInstance *in = sc.depth == 1 ? modules_at(c, doc->file, start) : NULL;
  if (in && (sc.state == S_START || (sc.state == S_AFTER && sc.nest == 0) ||
             (sc.state == S_VALUE && sc.nest == 0))) {
    Scan set;
    set_attrs(&set, compile_source(c, doc->file), sc.open[0], start);
    module_inputs(items, c, in, &sc, &set);
    return list;
  }
  const Schema *schema = sc.depth <= MAX_DEPTH ? sc.frames[sc.depth - 1] : NULL;
  const AwsShape *shape = sc.depth <= MAX_DEPTH ? sc.shapes[sc.depth - 1] : NULL;
  bool in_list = sc.nest > 0 && sc.item;
  if (shape) {
    if (sc.state == S_START || (sc.state == S_AFTER && sc.nest == 0)) {
      Scan set;
      set_attrs(&set, compile_source(c, doc->file), sc.open[sc.depth - 1], start);
      aws_members(items, c, shape, &set, sc.depth == 1);
    } else if (sc.state == S_VALUE && (sc.nest == 0 || in_list)) {
      char name[128];
      aws_values(items, c, prop_shape(shape, tok_str(&sc, sc.attr, name, sizeof name), in_list));
    }
    return list;
  }
  if (sc.state == S_START || (sc.state == S_AFTER && sc.nest == 0)) {
    Scan set;
    if (sc.depth <= MAX_DEPTH)
      set_attrs(&set, compile_source(c, doc->file), sc.open[sc.depth - 1], start);
    members(items, c, schema, sc.depth <= MAX_DEPTH ? &set : NULL);
  } else if ((sc.state == S_VALUE && (sc.nest == 0 || in_list)) && schema && !schema->free_attrs) {
    char name[64];
    int ai = kind_attr_index(schema, tok_str(&sc, sc.attr, name, sizeof name));
    if (ai >= 0)
      values(items, c, &schema->attrs[ai]);
  } else if (sc.state == S_VALUE && schema && schema->free_attrs && (sc.nest == 0 || in_list)) {
    any_names(items, c); /* env { KEY = db.address } */
  }
  return list;
}
