/* lsp.h: the language server, `infrac lsp`: LSP 3.17 over stdin/stdout,
   JSON-RPC with Content-Length framing (cJSON). One section per file:
   lsp.c (transport, lifecycle, documents, diagnostics), lsp_query.c (hover,
   definition, references, rename, symbols, code actions), lsp_complete.c. */
#ifndef LSP_H
#define LSP_H

#include <cjson/cJSON.h>

#include "infrac.h"

/* ---- lsp.c ------------------------------------------------------------ */

/* JSON-RPC and LSP error codes. */
enum {
  LSP_PARSE_ERROR = -32700,
  LSP_INVALID_REQUEST = -32600,
  LSP_METHOD_NOT_FOUND = -32601,
  LSP_INVALID_PARAMS = -32602,
  LSP_SERVER_NOT_INITIALIZED = -32002,
  LSP_REQUEST_FAILED = -32803,
};

/* The largest message the server reads (a document of this size compiles
   in well under a second); a larger one is skipped with a -32700 reply. */
#define LSP_MAX_MESSAGE (256u << 20)

typedef struct LspStack LspStack;

/* An open document: the editor's text, kept in step by didChange. */
typedef struct {
  char *uri;
  char *name; /* the path of a file: URI, else the URI itself */
  char *text; /* malloc'd, NUL-terminated */
  size_t len, cap;
  int version;
  LspStack *stack;
  int file; /* its index in the stack's compilation */
} LspDoc;

/* The open documents of one folder form one stack, as `infrac check DIR`
   makes one of a directory: one compilation, rebuilt whole on a change. */
struct LspStack {
  char *dir;       /* the URI up to its last '/' */
  LspDoc **docs;   /* sorted by URI, as the CLI sorts the files of a directory */
  int ndocs, cap;
  Compilation *c;  /* of the texts as they were at the last build */
  bool dirty;      /* a document changed since */
};

typedef struct Lsp Lsp;

/* Serves one session on in/out until `exit` or the end of input; returns the
   exit status (0 after shutdown, 1 otherwise, as LSP says for `exit`). Bad
   input of any kind is answered and the session goes on. */
int lsp_main(int in, int out, const char *version);

/* For the request handlers. */
void lsp_fail(Lsp *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *lsp_docs_url(Lsp *s);
LspDoc *lsp_doc_of(LspStack *st, int file); /* the document of a file of st->c */
cJSON *lsp_position(const Source *src, uint32_t off);
cJSON *lsp_range(Compilation *c, Span sp);
cJSON *lsp_location(LspStack *st, Span sp);
cJSON *lsp_diagnostic(Lsp *s, LspStack *st, const Diag *d);
/* A TextEdit {range, newText}. */
cJSON *lsp_text_edit(Compilation *c, Span sp, const char *text);
/* Adds edit to a WorkspaceEdit's changes, under the URI of sp's file. */
void lsp_add_change(LspStack *st, cJSON *changes, Span sp, const char *text);

/* ---- lsp_query.c ------------------------------------------------------ */

/* Each request gets the document's stack, freshly built, and the byte offset
   of the request's position (or range start/end); each returns the result, or
   NULL with the error set by lsp_fail. */
cJSON *lsp_hover(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off);
cJSON *lsp_definition(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off);
cJSON *lsp_references(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off, bool with_decl);
cJSON *lsp_prepare_rename(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off);
cJSON *lsp_rename(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off, const char *name);
cJSON *lsp_symbols(Lsp *s, LspStack *st, LspDoc *doc);
cJSON *lsp_code_actions(Lsp *s, LspStack *st, LspDoc *doc, uint32_t lo, uint32_t hi);

/* ---- lsp_complete.c --------------------------------------------------- */

cJSON *lsp_complete(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off);

#endif
