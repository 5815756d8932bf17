/* lsp.h: the language server, `infrac lsp`: LSP 3.17 over stdin/stdout,
   JSON-RPC with Content-Length framing (cJSON). One section per file:
   lsp.c (transport, lifecycle, documents, diagnostics), lsp_query.c (hover,
   definition, references, rename, symbols, code actions), lsp_complete.c,
   lsp_folder.c (the files of a folder, on disk and in the editor). */
#ifndef LSP_H
#define LSP_H

#include <cjson/cJSON.h>

#include "infrac.h"
#include "strmap.h"

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
typedef struct LspFolder LspFolder;

/* A file of a folder: open in the editor (its text is the editor's, kept in
   step by didChange), or an *.infra file beside one, read from disk. */
typedef struct {
  char *uri;
  char *name; /* the path of a file: URI, else the URI itself */
  char *text; /* malloc'd, NUL-terminated */
  size_t len, cap;
  int version;
  bool open;                 /* else read from disk, at this time and size: */
  long long mtime_ns, size;  /* read again when either changes */
  bool seen;                 /* found by the last reading of the directory */
  int published;             /* diagnostics published for it at the last build */
  LspFolder *folder;
  LspStack *stack; /* its compilation at the last build; NULL when none */
  int file;        /* its index in that compilation */
} LspDoc;

/* One compilation of the files of a folder, rebuilt whole on a change. */
struct LspStack {
  LspDoc **docs; /* file i of c is docs[i] */
  int ndocs;
  Compilation *c;
};

/* The directory of open documents (lsp_folder.c): its *.infra files on disk,
   the editor's texts over those it has open, compiled as one stack as
   `infrac check DIR` does. In a folder where more than one file declares a
   stack (single-file stacks side by side, as examples/), each open file is
   a stack alone, as `infrac check FILE` makes it. */
struct LspFolder {
  char *dir;     /* the documents' names up to their last '/' */
  char *uri_dir; /* the URI of the first document up to its last '/' */
  bool on_disk;  /* a file: URI: the directory is read */
  LspDoc **docs; /* sorted by name, as the CLI sorts a directory */
  int ndocs, cap, nopen;
  LspStack **stacks;
  int nstacks;
  bool dirty; /* a document changed since the last build */
};

/* The folders of a session; clear(ctx, uri) is called for a file whose
   diagnostics were published and that leaves the stacks (removed from disk,
   or its folder closed), to publish an empty list. */
typedef struct {
  LspFolder **v;
  int n, cap;
  void (*clear)(void *ctx, const char *uri);
  void *ctx;
} LspFolders;

/* ---- lsp_folder.c ----------------------------------------------------- */

void *lsp_realloc(void *p, size_t n); /* aborts when out of memory */
char *lsp_strdup(const char *s);

LspDoc *lsp_find_open(LspFolders *fs, const char *uri);
/* Opens uri (a file of its folder read from disk becomes the editor's). */
LspDoc *lsp_open(LspFolders *fs, const char *uri);
/* The editor closes it: in a folder with other open files it is read from
   disk again (if it is there); the last one closes the folder. */
void lsp_close(LspFolders *fs, LspDoc *d);
void lsp_folders_free(LspFolders *fs);
void lsp_doc_set_text(LspDoc *d, const char *text, size_t n);
/* Replaces text[lo..hi) with the n bytes of s. */
void lsp_doc_replace(LspDoc *d, size_t lo, size_t hi, const char *s, size_t n);
/* Reads the directory again (files added, changed, removed), then compiles
   the folder's stacks anew; each file's stack and index are set. */
void lsp_folder_build(LspFolders *fs, LspFolder *f);

/* ---- lsp.c ------------------------------------------------------------ */

typedef struct Lsp Lsp;

/* Serves one session on in/out until `exit` or the end of input; returns the
   exit status (0 after shutdown, 1 otherwise, as LSP says for `exit`). Bad
   input of any kind is answered and the session goes on. */
int lsp_main(int in, int out, const char *version);

/* For the request handlers. */
void lsp_fail(Lsp *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *lsp_docs_url(Lsp *s);
LspFolders *lsp_folders(Lsp *s);
/* The file: URI of a path (a module's file, which no document is). */
void lsp_path_uri(Buf *b, const char *path);
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
/* Where the compiled stack read name as a word, not a reference (engine =
   postgres): "FILE:OFFSET" keys into words (st may be NULL: none). */
void lsp_words(LspStack *st, const char *name, StrMap *words);
cJSON *lsp_code_actions(Lsp *s, LspStack *st, LspDoc *doc, uint32_t lo, uint32_t hi);

/* ---- lsp_rename.c ----------------------------------------------------- */

/* Rename of a loop's variable, a let, a param (and the inputs that give it),
   a module instance or a module's output, on the program as written in
   every file the server knows; refusal is the error when nothing of those
   stands at the offset. */
cJSON *lsp_rename_written(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off, const char *name,
                          const char *refusal);
cJSON *lsp_prepare_rename_written(Lsp *s, LspDoc *doc, uint32_t off);
/* The same names' references, definition and hover; NULL when none of them
   stands at the offset. */
cJSON *lsp_references_written(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off,
                              bool with_decl);
cJSON *lsp_definition_written(Lsp *s, LspDoc *doc, uint32_t off);
cJSON *lsp_hover_written(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off);

/* ---- lsp_complete.c --------------------------------------------------- */

cJSON *lsp_complete(Lsp *s, LspStack *st, LspDoc *doc, uint32_t off);

#endif
