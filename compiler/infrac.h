/* infrac.h: the one header of the compiler, one section per source file. */
#ifndef INFRAC_H
#define INFRAC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "awstypes.h"
#include "cidr.h"
#include "regions.h"

#define countof(a) (sizeof(a) / sizeof((a)[0]))

/* ---- arena.c ---------------------------------------------------------- */

/* One arena per compilation: everything the front end makes lives here and
   is freed in one go. */
typedef struct ArenaBlock ArenaBlock;
typedef struct {
  ArenaBlock *head;
  int nblocks; /* sets the size of the next block */
} Arena;

void *arena_alloc(Arena *a, size_t n); /* zeroed */
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);
void arena_free(Arena *a);

/* A growable array of pointers kept in the arena. */
typedef struct {
  void **v;
  int n, cap;
} Vec;
void vec_push(Arena *a, Vec *vec, void *item);

/* A string builder on malloc, for output of unknown size. */
typedef struct {
  char *s;
  size_t len, cap;
} Buf;
void buf_add(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(Buf *b);

/* ---- source.c --------------------------------------------------------- */

/* Locations are byte offsets; lines and columns are computed only when a
   message is printed. */
typedef struct {
  int file;
  uint32_t lo, hi;
} Span;

typedef struct {
  const char *name;
  const char *text; /* NUL-terminated copy of the file */
  uint32_t len;
  uint32_t *lines; /* offset of the start of each line */
  int nlines;
  bool rejected; /* beyond a limit (E004): not read further */
  bool values;   /* a --params file: `name = value` lines, not declarations */
  int real;      /* its own index; for a view (origin.h), the file it shows */
  struct Origin *origin; /* a view's origin, NULL for a file as written */
} Source;

typedef struct {
  int line, col; /* 1-based; col counts bytes */
} LineCol;

LineCol source_linecol(const Source *src, uint32_t off);
int source_utf16_col(const Source *src, uint32_t off); /* 0-based, for the LSP */
uint32_t source_utf16_offset(const char *text, uint32_t len, int line, int col); /* its inverse */
uint32_t source_line_start(const Source *src, int line);
uint32_t source_line_end(const Source *src, int line); /* offset of the '\n' or EOF */

/* ---- diag.c ----------------------------------------------------------- */

typedef enum { SEV_ERROR, SEV_WARNING, SEV_NOTE } Severity;

typedef struct Note {
  Span span;
  const char *msg;
  struct Note *next;
} Note;

typedef struct Origin Origin; /* origin.h */

typedef struct Diag {
  Severity sev;
  const char *code;
  Span span;
  const char *msg;
  Note *notes, **notes_tail;
  const char *help;
  bool has_fix;
  Span fix_span;
  const char *fix;
  int seq; /* emission order, the tie-break of the sort */
  Origin *origin; /* raised in an expanded declaration: its notes are added by diag_sort */
  bool origin_noted;
} Diag;

typedef struct Compilation Compilation;

Diag *diag_error(Compilation *c, const char *code, Span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
Diag *diag_warning(Compilation *c, const char *code, Span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Each accepts d == NULL (a silenced warning) and does nothing then. */
void diag_note(Compilation *c, Diag *d, Span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diag_help(Compilation *c, Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_fix(Compilation *c, Diag *d, Span sp, const char *replacement);
/* Help and fix for two members on one line: `what` ("a statement") ends at
   its line's end; the fix breaks the line before `word`, keeping the indent. */
void diag_newline(Compilation *c, Diag *d, Span word, const char *what);
/* Records a `# infrac:ignore CODE...` comment: text[lo..hi) is the comment. */
void diag_ignore_comment(Compilation *c, int file, uint32_t lo, uint32_t hi);
void diag_sort(Compilation *c);
void diag_render_text(Compilation *c, FILE *out, bool color);
char *diag_render_json(Compilation *c);  /* malloc'd */
char *diag_render_sarif(Compilation *c); /* malloc'd */

/* ---- lexer.re --------------------------------------------------------- */

typedef struct {
  int kind; /* a bison token kind */
  Span span;
  int64_t i;  /* INT; the size in bytes for SIZE; seconds for DURATION */
  int64_t hi; /* PORTS: i..hi */
  Cidr cidr;  /* CIDR, and IP (prefix 32) */
  bool bad;   /* a literal already reported (E003): its value is unknown */
  bool interp; /* IDENT: a name that interpolates, `public_${z}` */
} Token;

typedef struct Lexer {
  Compilation *c;
  int file;
  const unsigned char *src, *cur, *lim, *tok;
  uint32_t base; /* file offset of src[0] */
  int nesting;         /* depth of ( and [: newlines inside them are blanks */
  bool prev_ends_line; /* the last token may end a statement */
  bool pending_valid;
  Token pending; /* a token held back behind an inserted SEP */
  Vec braces;    /* offsets of the '{' not yet closed */
  int start_token; /* a token to return first (expression sub-parse), or 0 */
  Vec *comments;   /* when set, the Span* of each comment is pushed here (fmt) */
} Lexer;

void lex_init(Lexer *lx, Compilation *c, int file, uint32_t lo, uint32_t hi);
void lex_next(Lexer *lx, Token *t);
const char *lex_token_desc(int kind); /* "a CIDR block", "'='" */

/* ---- ast.c ------------------------------------------------------------ */

typedef enum {
  EX_ERROR,
  EX_INT,
  EX_STR,
  EX_BOOL,
  EX_CIDR,
  EX_IP,
  EX_SIZE,
  EX_DURATION,
  EX_PORTS,
  EX_NAME,  /* a bare name: a reference or a word such as tcp */
  EX_FIELD, /* base.name */
  EX_CALL,  /* name(args) */
  EX_LIST,
  EX_ARROW, /* '->' among the words of a statement */
  EX_OBJECT, /* { Key = value ... }: items are EX_PAIR */
  EX_PAIR,   /* name = base, a member of an object; name_span is the key */
  EX_COMMA, /* ',' among the words of a statement: allow "a", "b" on x */
  /* Operators, their operands in items: */
  EX_NOT,    /* !items[0] */
  EX_BINARY, /* items[0] name items[1]; name: "==" "!=" "&&" "||" */
  EX_COND,   /* items[0] ? items[1] : items[2] */
  EX_INDEX,  /* items[0][items[1]] */
  EX_FOR,    /* [for NAME in LIST: item if cond]: loop */
} ExprKind;

typedef struct Decl Decl;
typedef struct Expr Expr;

/* `for NAME[, INDEX] in LIST`: the head of a loop (a `for` declaration, or a
   comprehension); expand.c repeats it. */
typedef struct Loop {
  Span span; /* `for z, i in zones` */
  const char *var, *index; /* index NULL when not named */
  Span var_span, index_span;
  Expr *list;
  Vec body;          /* Decl*: a `for` declaration's */
  Expr *item, *cond; /* a comprehension's; cond may be NULL */
} Loop;

typedef struct StrPart {
  const char *text; /* decoded text, or NULL for an interpolation */
  Expr *expr;
  struct StrPart *next;
} StrPart;

struct Expr {
  ExprKind k;
  Span span;
  int64_t i, hi; /* INT, SIZE (bytes), DURATION (seconds), PORTS, BOOL */
  Cidr cidr;     /* CIDR, IP */
  const char *name; /* NAME, FIELD (the field), CALL (the function) */
  Span name_span;
  Expr *base; /* FIELD */
  Vec items;  /* LIST items, CALL arguments, OBJECT pairs */
  StrPart *parts; /* STR; a NAME that interpolates (`public_${z}`) */
  int depth; /* levels of expressions in it, up to LIMIT_DEPTH (E004) */
  Loop *loop; /* FOR */
  /* set by resolve */
  Decl *ref; /* NAME, and the root of a FIELD, when it names a declaration */
};

typedef enum { M_ATTR, M_STMT } MemberKind;

typedef struct Schema Schema;
typedef struct StmtDef StmtDef;

typedef struct Member {
  MemberKind k;
  Span span;
  const char *name;
  Span name_span;
  Expr *value; /* M_ATTR */
  Vec words;   /* M_STMT: Expr*, the words after the name */
  bool has_body;
  Span open; /* the '{' */
  Vec body;  /* Member* */
  /* set by resolve */
  const StmtDef *stmt;
  const char *alt; /* the alternative of stmt->pattern the words matched */
  Expr **slots; /* M_STMT: the words by the slots of its pattern */
  Expr **attrs; /* M_STMT with body: attributes by index in the body schema */
} Member;

typedef enum { D_STACK, D_PARAM, D_OUTPUT, D_RESOURCE, D_CONDITION, D_LET, D_FOR } DeclKind;
/* The meta-attributes of a declaration, beside its kind's or type's own. */
enum {
  META_LOGICAL_ID,
  META_DEPENDS_ON,
  META_DELETION,
  META_UPDATE_REPLACE,
  META_METADATA,
  META_CREATION,
  META_UPDATE_POLICY,
  META_PART_IDS,
  META_N
};


struct Decl {
  DeclKind k;
  Span span;
  const char *kind_name; /* "vpc", or "stack", "param", "output" */
  Span kind_span;
  const char *name;
  Span name_span;
  StrPart *name_parts;   /* a name that interpolates (`public_${z}`), as the text it is */
  Loop *loop;            /* FOR: its head and its declarations (expand.c) */
  Vec members;           /* Member*: STACK and RESOURCE */
  const char *type_name; /* PARAM; a `resource`'s CloudFormation type */
  Span type_span;        /* PARAM; a `resource`'s type string, quotes included */
  Expr *value; /* PARAM default, OUTPUT value, CONDITION and LET (`condition`/`let` NAME = value) */
  Span if_span;        /* `NAME if COND`: the 'if' */
  Expr *cond;          /* the condition's name after `if`, or NULL */
  Expr *export_name;   /* OUTPUT { export = ... } */
  Expr *description;   /* OUTPUT { description = ... } */
  unsigned let_type;   /* LET: the A_* type of its value */
  /* set by resolve */
  const Schema *schema;
  Expr **attrs; /* attributes by index in the schema */
  const AwsType *aws; /* a `resource`'s type, or a kind's main type, when known */
  Expr *props;  /* EX_OBJECT: a `resource`'s properties, a kind's `properties { }` */
  Expr *meta[META_N]; /* logical_id, depends_on, the policies, metadata, creation_policy ... */
  Span props_span;    /* the name of a kind's `properties` block */
  int index;    /* position in the program, for stable order */
  bool lost;    /* a syntax error inside it: members may be missing, unread */
  bool folded;  /* a param whose value a check or a folding read: fixed in the template */
  int mark;     /* scratch for graph walks */
  Origin *origin; /* made by a loop or a module (origin.h), NULL when written by hand */
};

typedef struct {
  Vec decls; /* Decl*, in file order */
  Decl *stack;
  bool loops; /* a loop, comprehension, interpolating name or arithmetic: expand_loops.c works */
} Program;

Expr *ast_expr(Arena *a, ExprKind k, Span sp);
Expr *ast_name(Arena *a, Span sp, const char *name);
Expr *ast_field(Arena *a, Span sp, Expr *base, const char *name, Span name_span);
Expr *ast_call(Arena *a, Span sp, const char *name, Span name_span, Vec args);
Expr *ast_list(Arena *a, Span sp, Vec items);
Expr *ast_object(Arena *a, Span sp, Vec pairs);
Expr *ast_pair(Arena *a, Span sp, const char *key, Span key_span, Expr *value);
void ast_aws_type(Decl *d, Expr *type);
Member *ast_attr(Arena *a, Span sp, const char *name, Span name_span, Expr *value);
Member *ast_stmt(Arena *a, Span name_span, Span last, const char *name, Vec words, Vec *body,
                 Span body_span);
Decl *ast_decl(Arena *a, DeclKind k, Span sp, const char *kind_name, Span kind_span,
               const char *name, Span name_span);
void ast_param_type(Decl *d, const char *type, Span type_span, Expr *def);
/* An operator: EX_NOT, EX_BINARY (op "==" ...), EX_COND, EX_INDEX; operands a, b, c. */
Expr *ast_op(Arena *a, Span sp, ExprKind k, const char *op, Expr *x, Expr *y, Expr *z);
/* [for NAME in LIST: item if cond]; cond may be NULL. */
Expr *ast_for(Arena *a, Span sp, Loop *l, Expr *item, Expr *cond);
/* `NAME if COND`: the 'if' and the condition's name. */
void ast_if(Decl *d, Span word_span, Expr *cond);
const char *ast_expr_desc(const Expr *e); /* "a CIDR block", "the name main" */

/* ---- parse.c (grammar/parser.y) --------------------------------------- */

/* Parses one file into p, appending declarations; reports through c. */
void parse_file(Compilation *c, int file, Program *prog);
/* Parses a --params file: its members (`name = value` lines), as a block's. */
Vec parse_values(Compilation *c, int file);
/* Parses the expression in file[lo..hi), for ${...} inside strings. */
Expr *parse_expr_at(Compilation *c, int file, uint32_t lo, uint32_t hi);

/* ---- expand_loops.c -------------------------------------------------- */

/* Between parsing and resolution: each `for` replaced by its iterations,
   comprehensions by lists, names that interpolate by names, integer
   arithmetic by its result (errors E111, E112). */
void expand_loops(Compilation *c);
/* Before modules are instantiated (expand_modules.c): each `for` of decls
   (one level: the stack's, or an instance's) whose body makes a `module`
   replaced by its iterations' declarations, so that each iteration's
   instance (module net_${env}) is one module declaration named net_a; so is
   a `for` whose body reads a field of a name it makes (net_${env}.vpc_id). */
void expand_loops_of_modules(Compilation *c, Vec *decls);
/* A comprehension reading a field of a name it makes ([for e in envs:
   net_${e}.vpc_id]) expanded to its list, for the module outputs it reads
   to be substituted; any other expression as it is. The expander reads the
   lets and params of c->prog.decls as they are at expand_loops_begin. */
typedef struct LoopExpander LoopExpander;
LoopExpander *expand_loops_begin(Compilation *c);
Expr *expand_loops_made_field(LoopExpander *x, Expr *e);
void expand_loops_end(LoopExpander *x); /* NULL: nothing */

/* ---- kinds.c ---------------------------------------------------------- */

/* What an attribute accepts: a set of these. */
enum {
  A_INT = 1 << 0,
  A_STRING = 1 << 1,
  A_BOOL = 1 << 2,
  A_CIDR = 1 << 3,
  A_IP = 1 << 4,
  A_SIZE = 1 << 5,
  A_DURATION = 1 << 6,
  A_PORTS = 1 << 7,
  A_REF = 1 << 8,       /* a declaration of kind `ref` */
  A_WORD = 1 << 9,      /* one of `words` */
  A_LIST = 1 << 10,     /* a list of what the other bits accept */
  A_SSM = 1 << 11,      /* ssm("/path") */
  A_DNS = 1 << 12,      /* dns(zone) */
  A_SECRET = 1 << 13,   /* a param of type secret */
  A_OBJECT = 1 << 14,   /* { Key = value } */
};


typedef struct {
  const char *name;
  unsigned accept;
  const char *ref;   /* A_REF: kind names, separated by '|' */
  const char *words; /* A_WORD: allowed words; A_STRING: allowed strings; separated by ' ' */
  bool required;
  const char *def; /* default, as written in the language */
  const char *doc;
} AttrDef;

/* A statement's words follow a pattern: literal words, and slots:
   proto ports? source dest cidr target lproto port name action+ resource+
   (slot? may be left out; slot+ is one or more, separated by commas) */
struct StmtDef {
  const char *name;
  const char *pattern;
  const Schema *body; /* NULL: no block */
  const char *doc;
};

typedef struct {
  const char *name;
  unsigned type; /* A_* of the value */
  const char *doc;
} ExportDef;

struct Schema {
  const char *name;
  const AttrDef *attrs;
  int nattrs;
  const StmtDef *stmts;
  int nstmts;
  const ExportDef *exports;
  int nexports;
  bool free_attrs; /* env { ANY = value } */
  const char *one_of; /* attributes of which at least one is required, separated by ' ' */
  const char *doc;
  const char *cfn; /* the CloudFormation types it becomes */
  /* The properties of its main resource that its lowering writes, each as
     Property=attribute (the attribute or statement that controls it; "-":
     the kind's own choice), separated by spaces: properties { } may not
     write them (E109). */
  const char *writes;
};

const Schema *kind_find(const char *name);
const Schema *kind_all(int *count);
const Schema *kind_stack(void);
int kind_attr_index(const Schema *s, const char *name); /* -1 if none */
const StmtDef *kind_stmt(const Schema *s, const char *name);
const ExportDef *kind_export(const Schema *s, const char *name);
const char *kind_accept_desc(Arena *a, const AttrDef *ad); /* "a vpc", "one of: http, https" */
const char *kind_refs_desc(Arena *a, const char *refs, bool article); /* "an a, b or c" */
bool kind_ref_ok(const char *refs, const char *kind); /* false for kind NULL */
const char *kind_of_decl(const Decl *d);

/* ---- rds.c ------------------------------------------------------------ */

/* The DB parameter group family of an engine version ("postgres", "16.3"
   -> "postgres16"), or NULL when the version does not say it. */
const char *rds_family(Arena *a, const char *engine, const char *version);
/* A master password's length for an engine (false: an engine without a
   known limit), the characters RDS takes in one, and the template's
   AllowedPattern for them. */
bool rds_password_length(const char *engine, int *min, int *max);
bool rds_password_char(unsigned char ch);
extern const char rds_password_pattern[];
long rds_password_refused(const char *text); /* its first character RDS refuses, or -1 */
/* What RDS refuses in text as the master password of database db of engine,
   written in out as "WHAT has '@', which RDS refuses ..." or "WHAT is 5
   characters long: ..." (the secret itself never): false when RDS takes it
   or the engine has no known limit. */
bool rds_password_fault(char *out, size_t n, const char *what, const char *text,
                        const char *engine, const char *db);

/* ---- resolve.c -------------------------------------------------------- */

typedef struct {
  const char *key;
  Decl *decl;
  uint32_t hash; /* of key: most probes end without a strcmp */
} NameSlot;

typedef struct {
  NameSlot *slots;
  uint32_t cap, n;
} NameTable;

Decl *resolve_lookup(Compilation *c, const char *name);
void resolve_program(Compilation *c);
/* The help of an unknown kind (E104): did you mean, or the kinds. */
void resolve_kind_help(Compilation *c, Diag *d, const char *word, Span sp);
/* Close names for "did you mean": the best of cands within edit distance. */
const char *resolve_suggest(const char *name, const char *const *cands, int n);
/* "AWS::Region" for "region" (aws.region), or NULL. */
const char *resolve_pseudo(const char *name);
/* "Fn::Join" for "join"; "" for to_json (folded); NULL when no deploy-time function. */
const char *resolve_fn_cfn(const char *name);
bool resolve_is_meta(const char *name); /* depends_on, logical_id ... */
/* A module's input against what its param accepts (expand_modules.c), as
   an attribute's value is checked: false after reporting it. */
bool resolve_input(Compilation *c, const AttrDef *ad, Expr *e, const char *module);

/* ---- eval.c ---------------------------------------------------------- */

/* Reading the resolved AST: attributes by name, and values known at compile
   time. Each returns NULL/false for absent or unknown values (an error was
   reported, or the value exists only at deploy time); none reports. */
Expr *decl_attr(const Decl *d, const char *name);
/* a `resource`'s property (or one of a kind's `properties { }`), the last if written twice */
const Expr *decl_prop(const Decl *d, const char *key);
Expr *member_attr(const Member *m, const char *name);
Decl *decl_ref(const Decl *d, const char *name); /* the resource an attribute names */
/* The nth (0-based) word of a statement that filled slot `slot`; stmt_word
   also returns a word in error (NULL only when the slot was left empty). */
Expr *stmt_slot(const Member *m, const char *slot, int nth);
Expr *stmt_word(const Member *m, const char *slot, int nth);
/* Statements of a declaration or block named `name`, in order. */
int stmt_count(const Vec *members, const char *name);
Member *stmt_nth(const Vec *members, const char *name, int nth);
bool eval_cidr(const Expr *e, Cidr *out);
bool eval_int(const Expr *e, int64_t *out);
bool eval_bool(const Expr *e, bool def);
const char *eval_string(const Expr *e); /* a string without interpolation */
bool decl_is(const Decl *d, const char *kind);

/* ---- cond.c ----------------------------------------------------------- */

typedef enum { TRI_FALSE, TRI_TRUE, TRI_UNKNOWN } Tri;
/* A condition's value at compile time: TRI_UNKNOWN when it reads a param or
   a pseudo-parameter (or another condition that does). */
Tri cond_eval(Arena *a, const Expr *e);

/* NAME.f[k]... rooted at a `let`: the member reached (value), or the keys
   known only at deploy time (Fn::FindInMap of the whole constant), or the
   step whose key is not there. */
typedef struct {
  const Decl *let;
  const Expr *value;        /* the member, when every key is known */
  const Expr *keys[2];      /* deploy-time keys: an index expression, or NULL for .name */
  const char *key_names[2]; /* their text when known */
  int nkeys;
  int nfolded;              /* keys looked up at compile time */
  const Expr *missing;      /* the step whose key the constant lacks */
  const char *missing_key;
  const Expr *container;    /* the object or list it was looked up in */
  const Expr *too_deep;     /* a third key after a deploy-time one */
} LetPath;
bool let_path(const Expr *e, LetPath *out); /* false: not rooted at a let */

/* ---- check.c ---------------------------------------------------------- */

void check_program(Compilation *c);

/* ---- check_aws.c ------------------------------------------------------ */

/* `resource` and `properties { }` against the AWS type table; sets Decl.aws. */
void check_aws(Compilation *c);

/* ---- compile.c -------------------------------------------------------- */

/* Limits, each reported as E004 (docs/limits.md says why these values). */
enum {
  LIMIT_FILE = 64 << 20,   /* bytes in a file: a larger one is not read */
  LIMIT_LINE = 64 << 10,   /* bytes in a line: a file with a longer one is not read */
  LIMIT_STRING = 16 << 10, /* bytes in a string literal */
  LIMIT_DEPTH = 256,       /* nesting of ( [ {, and of expressions */
  LIMIT_DECLS = 1000000,   /* declarations in a stack: the rest are dropped */
  LIMIT_VALUES = 2000000,  /* values in one list made at compile time (comprehensions) */
  LIMIT_ERRORS = 1000,     /* errors kept: the rest are only counted */
};

struct Compilation {
  Arena arena;
  Vec files; /* Source* */
  Vec diags; /* Diag* */
  int nerrors, nwarnings;
  Vec ignores; /* Span of each `# infrac:ignore CODE` comment's code list */
  int ignores_sorted; /* how many of them diag.c has sorted by file and line */
  Vec lost;    /* Span*: text the parser skipped after a syntax error */
  Program prog;
  NameTable names;
  int decls_dropped; /* beyond LIMIT_DECLS */
  Vec params; /* "NAME=VALUE" of each --param, in order (params.c) */
  Vec views;  /* Source*: views of files for expanded declarations (origin.h) */
  Vec modules; /* ModuleInstance*: each module declaration's instance (modules.h) */
};

Compilation *compile_new(void);
void compile_free(Compilation *c);
/* Adds a file from memory; returns its index. */
int compile_add_source(Compilation *c, const char *name, const char *text, size_t len);
/* Reads the files and directories of paths; I/O problems are reported on
   stderr and make it return false. */
bool compile_add_paths(Compilation *c, char **paths, int npaths);
/* Whether a directory entry is a file of the directory's stack: *.infra,
   not hidden. The CLI and the language server read the same files. */
bool compile_is_source_name(const char *name);
/* A source file opened without blocking; see compile.c for which may be a pipe. */
FILE *compile_open_source(const char *path, bool stream_ok, const char **why);
/* Lex, parse, resolve, check. */
void compile_run(Compilation *c);
Source *compile_source(Compilation *c, int file);

/* ---- explain.c -------------------------------------------------------- */

/* The section of docs/diagnostics.md for code, or NULL. */
const char *explain_lookup(const char *code, size_t *len);

#endif
