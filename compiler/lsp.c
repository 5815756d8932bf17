/* lsp.c: `infrac lsp`, a language server (LSP 3.17) on stdin/stdout: the
   transport (JSON-RPC in Content-Length frames), the lifecycle, the open
   documents, and publishDiagnostics for every file of their stacks (which
   files those are is lsp_folder.c's). Requests about a position are
   answered by lsp_query.c and lsp_complete.c.

   Every document version gets a fresh Compilation (its own arena) of its
   stack; the previous one is freed whole. Nothing a client sends ends the
   session but `exit` and the end of input. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp.h"
#include "origin.h"

/* Where codeDescription.href points, before '#anchor'; initializationOptions
   {"diagnosticsUrl": ...} or $INFRAC_DOCS_URL replace it (a file:// URL of a
   local docs/diagnostics.md works too). */
#define DOCS_URL "https://github.com/infrac/infrac/blob/main/docs/diagnostics.md"

enum { SYNC_INCREMENTAL = 2, MAX_DEFERRED = 64, MAX_HEADER_LINE = 8192 };

typedef struct {
  char code[8];
  char *anchor;
} Anchor;

struct Lsp {
  int in, out;
  const char *version;
  /* the read buffer: buf[pos..len) is unread */
  char *buf;
  size_t pos, len, cap;
  bool out_broken;
  /* the session */
  bool initialized, shutdown, exited;
  bool prepare_rename; /* the client supports prepareRename */
  char *docs_url;
  LspFolders folders;
  int deferred; /* changes read since the last build */
  Anchor anchors[64];
  int nanchors;
  /* the error of the request being answered */
  int err_code;
  char err_msg[512];
};

/* ---- UTF-8 ---- */

/* Length of the UTF-8 sequence at p, or 0 when it is invalid (as the lexer
   decides). */
static int utf8_len(const unsigned char *p, const unsigned char *lim) {
  unsigned char c = p[0];
  int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
          : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4) || lim - p < n)
    return 0;
  for (int i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  uint32_t cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (int i = 1; i < n; i++)
    cp = (cp << 6) | (p[i] & 0x3Fu);
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

/* The offset of the first invalid byte, or n. */
static size_t utf8_check(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s, *lim = p + n;
  while (p < lim) {
    if (*p < 0x80) {
      p++;
      continue;
    }
    int k = utf8_len(p, lim);
    if (!k)
      return (size_t)(p - (const unsigned char *)s);
    p += k;
  }
  return n;
}

/* ---- writing ---- */

static void write_all(Lsp *s, const char *p, size_t n) {
  while (n && !s->out_broken) {
    ssize_t w = write(s->out, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      s->out_broken = true; /* the client is gone: the session ends */
      return;
    }
    p += w;
    n -= (size_t)w;
  }
}

static void send_msg(Lsp *s, cJSON *msg) {
  char *body = cJSON_PrintUnformatted(msg);
  cJSON_Delete(msg);
  if (!body)
    return;
  size_t n = strlen(body);
  /* Source text quoted in a message may hold invalid UTF-8; cJSON copies it
     as it is. Such bytes only occur inside strings: write them as U+FFFD. */
  Buf fixed = {0};
  if (utf8_check(body, n) < n) {
    const unsigned char *p = (const unsigned char *)body, *lim = p + n;
    while (p < lim) {
      int k = *p < 0x80 ? 1 : utf8_len(p, lim);
      if (k)
        buf_add(&fixed, (const char *)p, (size_t)k), p += k;
      else
        buf_puts(&fixed, "\\ufffd"), p++;
    }
  }
  const char *out = fixed.s ? fixed.s : body;
  size_t len = fixed.s ? fixed.len : n;
  char head[64];
  int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
  write_all(s, head, (size_t)hn);
  write_all(s, out, len);
  buf_free(&fixed);
  free(body);
}

static cJSON *rpc_new(void) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "jsonrpc", "2.0");
  return m;
}

static void add_id(cJSON *m, const cJSON *id) {
  cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
}

static void reply(Lsp *s, const cJSON *id, cJSON *result) {
  cJSON *m = rpc_new();
  add_id(m, id);
  cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
  send_msg(s, m);
}

static void reply_error(Lsp *s, const cJSON *id, int code, const char *msg) {
  cJSON *m = rpc_new();
  add_id(m, id);
  cJSON *e = cJSON_AddObjectToObject(m, "error");
  cJSON_AddNumberToObject(e, "code", code);
  cJSON_AddStringToObject(e, "message", msg);
  send_msg(s, m);
}

static void notify(Lsp *s, const char *method, cJSON *params) {
  cJSON *m = rpc_new();
  cJSON_AddStringToObject(m, "method", method);
  cJSON_AddItemToObject(m, "params", params);
  send_msg(s, m);
}

/* A problem with a notification, which has no reply: window/logMessage. */
static void log_error(Lsp *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_error(Lsp *s, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "type", 1);
  cJSON_AddStringToObject(p, "message", msg);
  notify(s, "window/logMessage", p);
}

void lsp_fail(Lsp *s, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->err_msg, sizeof s->err_msg, fmt, ap);
  va_end(ap);
  s->err_code = code;
}

/* ---- positions ---- */

cJSON *lsp_position(const Source *src, uint32_t off) {
  if (off > src->len)
    off = src->len;
  cJSON *p = cJSON_CreateObject();
  cJSON_AddNumberToObject(p, "line", source_linecol(src, off).line - 1);
  cJSON_AddNumberToObject(p, "character", source_utf16_col(src, off));
  return p;
}

cJSON *lsp_range(Compilation *c, Span sp) {
  Source *src = compile_source(c, sp.file);
  cJSON *r = cJSON_CreateObject();
  cJSON_AddItemToObject(r, "start", lsp_position(src, sp.lo));
  cJSON_AddItemToObject(r, "end", lsp_position(src, sp.hi < sp.lo ? sp.lo : sp.hi));
  return r;
}

LspFolders *lsp_folders(Lsp *s) { return &s->folders; }

LspDoc *lsp_doc_of(LspStack *st, int file) {
  file = origin_file(st->c, file); /* a view of a loop's iteration: its file */
  return file >= 0 && file < st->ndocs ? st->docs[file] : NULL;
}

/* A file the compilation read that is no document of the stack (a module's,
   by its path): a file URI, every byte but the unreserved ones and '/'
   percent-encoded. */
void lsp_path_uri(Buf *b, const char *path) {
  buf_puts(b, path[0] == '/' ? "file://" : "");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p))
      buf_add(b, (const char *)p, 1);
    else
      buf_printf(b, "%%%02X", *p);
  }
}

cJSON *lsp_location(LspStack *st, Span sp) {
  cJSON *l = cJSON_CreateObject();
  sp.file = origin_file(st->c, sp.file);
  LspDoc *doc = lsp_doc_of(st, sp.file);
  if (doc) {
    cJSON_AddStringToObject(l, "uri", doc->uri);
  } else {
    Buf b = {0};
    lsp_path_uri(&b, compile_source(st->c, sp.file)->name);
    cJSON_AddStringToObject(l, "uri", b.s);
    buf_free(&b);
  }
  cJSON_AddItemToObject(l, "range", lsp_range(st->c, sp));
  return l;
}

cJSON *lsp_text_edit(Compilation *c, Span sp, const char *text) {
  cJSON *e = cJSON_CreateObject();
  cJSON_AddItemToObject(e, "range", lsp_range(c, sp));
  cJSON_AddStringToObject(e, "newText", text);
  return e;
}

void lsp_add_change(LspStack *st, cJSON *changes, Span sp, const char *text) {
  LspDoc *doc = lsp_doc_of(st, sp.file);
  if (!doc) /* text of a module the editor has not opened, or of a view: not edited here */
    return;
  const char *uri = doc->uri;
  cJSON *list = cJSON_GetObjectItemCaseSensitive(changes, uri);
  if (!list)
    list = cJSON_AddArrayToObject(changes, uri);
  cJSON_AddItemToArray(list, lsp_text_edit(st->c, sp, text));
}

/* A number member as an int, or def. */
static int get_int(const cJSON *o, const char *key, int def) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (!cJSON_IsNumber(v))
    return def;
  double d = v->valuedouble;
  return d < -1e9 ? -1000000000 : d > 1e9 ? 1000000000 : (int)d;
}

static const char *get_str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A Position {line, character} to a byte offset of text. */
static bool to_offset(const cJSON *pos, const char *text, size_t len, uint32_t *off) {
  if (!cJSON_IsObject(pos) || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(pos, "line")) ||
      !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(pos, "character")))
    return false;
  *off = source_utf16_offset(text, (uint32_t)len, get_int(pos, "line", 0),
                             get_int(pos, "character", 0));
  return true;
}

/* ---- diagnostics ---- */

const char *lsp_docs_url(Lsp *s) {
  if (s->docs_url)
    return s->docs_url;
  const char *env = getenv("INFRAC_DOCS_URL");
  return env && *env ? env : DOCS_URL;
}

/* The anchor of a code's section of docs/diagnostics.md, as GitHub and most
   Markdown renderers make it from the heading: "## E202: subnet outside its
   VPC" gives "e202-subnet-outside-its-vpc". */
static const char *anchor_of(Lsp *s, const char *code) {
  for (int i = 0; i < s->nanchors; i++)
    if (!strcmp(s->anchors[i].code, code))
      return s->anchors[i].anchor;
  Buf b = {0};
  size_t len;
  const char *sec = explain_lookup(code, &len);
  if (sec && len > 3) {
    for (const char *p = sec + 3; *p && *p != '\n'; p++) {
      char ch = *p;
      if (ch >= 'A' && ch <= 'Z')
        ch = (char)(ch - 'A' + 'a');
      if (ch == ' ')
        ch = '-';
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')
        buf_add(&b, &ch, 1);
    }
  }
  if (!b.s)
    for (const char *p = code; *p; p++) {
      char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
      buf_add(&b, &ch, 1);
    }
  if (s->nanchors == (int)countof(s->anchors) || strlen(code) >= sizeof s->anchors[0].code)
    return "";
  Anchor *a = &s->anchors[s->nanchors++];
  snprintf(a->code, sizeof a->code, "%s", code);
  a->anchor = b.s;
  return a->anchor;
}

cJSON *lsp_diagnostic(Lsp *s, LspStack *st, const Diag *d) {
  Compilation *c = st->c;
  cJSON *j = cJSON_CreateObject();
  cJSON_AddItemToObject(j, "range", lsp_range(c, d->span));
  cJSON_AddNumberToObject(j, "severity", d->sev == SEV_ERROR ? 1 : d->sev == SEV_WARNING ? 2 : 3);
  cJSON_AddStringToObject(j, "code", d->code);
  char href[1024];
  snprintf(href, sizeof href, "%s#%s", lsp_docs_url(s), anchor_of(s, d->code));
  cJSON_AddStringToObject(cJSON_AddObjectToObject(j, "codeDescription"), "href", href);
  cJSON_AddStringToObject(j, "source", "infrac");
  /* The help line goes at the end of the message, as `infrac check` prints
     it last: every client shows it, none needs a related location for it. */
  if (d->help) {
    Buf b = {0};
    buf_printf(&b, "%s\nhelp: %s", d->msg, d->help);
    cJSON_AddStringToObject(j, "message", b.s);
    buf_free(&b);
  } else {
    cJSON_AddStringToObject(j, "message", d->msg);
  }
  if (d->notes) {
    cJSON *rel = cJSON_AddArrayToObject(j, "relatedInformation");
    for (Note *n = d->notes; n; n = n->next) {
      cJSON *r = cJSON_CreateObject();
      cJSON_AddItemToObject(r, "location", lsp_location(st, n->span));
      cJSON_AddStringToObject(r, "message", n->msg);
      cJSON_AddItemToArray(rel, r);
    }
  }
  return j;
}

/* version: of the editor's text; -1 for a file read from disk. */
static void publish(Lsp *s, const char *uri, int version, cJSON *diags) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddStringToObject(p, "uri", uri);
  if (version >= 0)
    cJSON_AddNumberToObject(p, "version", version);
  cJSON_AddItemToObject(p, "diagnostics", diags);
  notify(s, "textDocument/publishDiagnostics", p);
}

/* ---- stacks ---- */

static void clear(void *ctx, const char *uri) {
  publish(ctx, uri, -1, cJSON_CreateArray());
}

/* Compiles the folder anew, then publishes for every file of it: always for
   an open document, for a file read from disk when it has diagnostics or had
   them at the last build (an empty list clears them). */
static void build(Lsp *s, LspFolder *f) {
  lsp_folder_build(&s->folders, f);
  for (int i = 0; i < f->ndocs; i++) {
    LspDoc *doc = f->docs[i];
    LspStack *st = doc->stack;
    cJSON *list = cJSON_CreateArray();
    int n = 0;
    for (int k = 0; st && k < st->c->diags.n; k++) {
      Diag *d = st->c->diags.v[k];
      if (d->span.file == doc->file) {
        cJSON_AddItemToArray(list, lsp_diagnostic(s, st, d));
        n++;
      }
    }
    if (doc->open || doc->published || n)
      publish(s, doc->uri, doc->open ? doc->version : -1, list);
    else
      cJSON_Delete(list);
    doc->published = n;
  }
}

static void build_dirty(Lsp *s) {
  for (int i = 0; i < s->folders.n; i++)
    if (s->folders.v[i]->dirty)
      build(s, s->folders.v[i]);
  s->deferred = 0;
}

static bool any_dirty(Lsp *s) {
  for (int i = 0; i < s->folders.n; i++)
    if (s->folders.v[i]->dirty)
      return true;
  return false;
}

/* ---- reading ---- */

/* Reads more input into the buffer; false at the end of input. Before it
   would wait for the client, it builds what changed: a burst of changes is
   compiled once, and the diagnostics go out as soon as the client pauses. */
static bool read_more(Lsp *s) {
  if (any_dirty(s)) {
    struct pollfd pfd = {.fd = s->in, .events = POLLIN};
    if (poll(&pfd, 1, 0) == 0)
      build_dirty(s);
  }
  if (s->pos && s->pos == s->len)
    s->pos = s->len = 0;
  if (s->len == s->cap) {
    if (s->pos > s->cap / 2) {
      memmove(s->buf, s->buf + s->pos, s->len - s->pos);
      s->len -= s->pos;
      s->pos = 0;
    } else {
      s->cap *= 2;
      s->buf = lsp_realloc(s->buf, s->cap);
    }
  }
  for (;;) {
    ssize_t n = read(s->in, s->buf + s->len, s->cap - s->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    s->len += (size_t)n;
    return true;
  }
}

static bool header_name_ok(const char *p, size_t n) {
  if (!n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
          (p[i] >= '0' && p[i] <= '9') || p[i] == '-' || p[i] == '_'))
      return false;
  return true;
}

static void bad_header(Lsp *s, bool *reported, const char *msg) {
  if (!*reported)
    reply_error(s, NULL, LSP_PARSE_ERROR, msg);
  *reported = true;
}

/* One message: its body is buf[*at..*at+*n). Returns 1 for a message, 0 at
   the end of input, -1 after a framing error (already answered). */
static int read_message(Lsp *s, size_t *at, size_t *n) {
  long long clen = -1;
  bool lines = false, reported = false;
  for (;;) {
    char *nl;
    while (!(nl = memchr(s->buf + s->pos, '\n', s->len - s->pos))) {
      if (s->len - s->pos > MAX_HEADER_LINE) {
        s->pos = s->len; /* no header is that long: drop it */
        bad_header(s, &reported, "parse error: a header line longer than 8 KiB");
      }
      if (!read_more(s))
        return 0;
    }
    char *line = s->buf + s->pos;
    size_t ln = (size_t)(nl - line);
    s->pos += ln + 1;
    if (ln && line[ln - 1] == '\r')
      ln--;
    if (!ln) {
      if (!lines)
        continue; /* blank lines between messages */
      break;
    }
    lines = true;
    const char *colon = memchr(line, ':', ln);
    if (!colon || !header_name_ok(line, (size_t)(colon - line))) {
      bad_header(s, &reported, "parse error: expected a header such as 'Content-Length: 42'");
      /* Resynchronise on a Content-Length glued to the garbage (the rest
         of a frame whose header was lost, say). */
      size_t k = 1;
      while (k + 15 <= ln && strncasecmp(line + k, "Content-Length:", 15))
        k++;
      if (k + 15 > ln)
        continue;
      line += k;
      ln -= k;
      colon = line + 14;
    }
    size_t name_len = (size_t)(colon - line);
    if (name_len != 14 || strncasecmp(line, "Content-Length", 14))
      continue; /* Content-Type and the like */
    const char *v = colon + 1, *end = line + ln;
    while (v < end && (*v == ' ' || *v == '\t'))
      v++;
    long long x = 0;
    const char *d = v;
    while (d < end && *d >= '0' && *d <= '9' && x <= (long long)LSP_MAX_MESSAGE * 16)
      x = x * 10 + (*d++ - '0');
    while (d < end && (*d == ' ' || *d == '\t'))
      d++;
    if (d == v || d != end) {
      bad_header(s, &reported, "parse error: Content-Length is not a number");
      continue;
    }
    clen = x;
  }
  if (clen < 0) {
    bad_header(s, &reported, "parse error: a message without Content-Length");
    return -1;
  }
  if (clen > (long long)LSP_MAX_MESSAGE) {
    /* Read and drop it, then go on with the next message. */
    size_t left = (size_t)clen;
    while (left) {
      if (s->pos == s->len && !read_more(s))
        return 0;
      size_t k = s->len - s->pos < left ? s->len - s->pos : left;
      s->pos += k;
      left -= k;
    }
    char msg[128];
    snprintf(msg, sizeof msg, "parse error: a message of %lld bytes, above the limit of %u MiB",
             clen, LSP_MAX_MESSAGE >> 20);
    reply_error(s, NULL, LSP_PARSE_ERROR, msg);
    return -1;
  }
  if (s->cap - s->pos < (size_t)clen + 1) { /* make room for the whole body */
    memmove(s->buf, s->buf + s->pos, s->len - s->pos);
    s->len -= s->pos;
    s->pos = 0;
    if (s->cap < (size_t)clen + 1) {
      s->cap = (size_t)clen + 1;
      s->buf = lsp_realloc(s->buf, s->cap);
    }
  }
  while (s->len - s->pos < (size_t)clen)
    if (!read_more(s))
      return 0;
  *at = s->pos;
  *n = (size_t)clen;
  s->pos += (size_t)clen;
  return 1;
}

/* ---- the lifecycle ---- */

typedef cJSON *Handler(Lsp *s, cJSON *params);

static cJSON *on_initialize(Lsp *s, cJSON *params) {
  if (s->initialized) {
    lsp_fail(s, LSP_INVALID_REQUEST, "initialize was already received");
    return NULL;
  }
  s->initialized = true;
  const char *url = get_str(cJSON_GetObjectItemCaseSensitive(params, "initializationOptions"),
                            "diagnosticsUrl");
  if (url && *url)
    s->docs_url = lsp_strdup(url);
  cJSON *caps = cJSON_GetObjectItemCaseSensitive(params, "capabilities");
  cJSON *td = cJSON_GetObjectItemCaseSensitive(caps, "textDocument");
  s->prepare_rename = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(td, "rename"), "prepareSupport"));

  cJSON *r = cJSON_CreateObject(), *c = cJSON_AddObjectToObject(r, "capabilities");
  cJSON_AddStringToObject(c, "positionEncoding", "utf-16");
  cJSON *sync = cJSON_AddObjectToObject(c, "textDocumentSync");
  cJSON_AddTrueToObject(sync, "openClose");
  cJSON_AddNumberToObject(sync, "change", SYNC_INCREMENTAL);
  cJSON_AddFalseToObject(cJSON_AddObjectToObject(sync, "save"), "includeText");
  cJSON_AddTrueToObject(c, "hoverProvider");
  cJSON_AddTrueToObject(c, "definitionProvider");
  cJSON_AddTrueToObject(c, "referencesProvider");
  cJSON_AddTrueToObject(c, "documentSymbolProvider");
  cJSON *comp = cJSON_AddObjectToObject(c, "completionProvider");
  const char *triggers[] = {"=", "[", ",", "."};
  cJSON_AddItemToObject(comp, "triggerCharacters", cJSON_CreateStringArray(triggers, 4));
  if (s->prepare_rename)
    cJSON_AddTrueToObject(cJSON_AddObjectToObject(c, "renameProvider"), "prepareProvider");
  else
    cJSON_AddTrueToObject(c, "renameProvider");
  const char *kinds[] = {"quickfix"};
  cJSON_AddItemToObject(cJSON_AddObjectToObject(c, "codeActionProvider"), "codeActionKinds",
                        cJSON_CreateStringArray(kinds, 1));
  cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
  cJSON_AddStringToObject(info, "name", "infrac");
  cJSON_AddStringToObject(info, "version", s->version);
  return r;
}

static cJSON *on_initialized(Lsp *s, cJSON *params) {
  (void)s, (void)params;
  return NULL;
}

static cJSON *on_shutdown(Lsp *s, cJSON *params) {
  (void)params;
  s->shutdown = true;
  return NULL;
}

static cJSON *on_exit(Lsp *s, cJSON *params) {
  (void)params;
  s->exited = true;
  return NULL;
}

/* ---- documents ---- */

static cJSON *on_did_open(Lsp *s, cJSON *params) {
  cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const char *uri = get_str(td, "uri"), *text = get_str(td, "text");
  if (!uri || !text) {
    log_error(s, "textDocument/didOpen without textDocument.uri and .text: ignored");
    return NULL;
  }
  LspDoc *d = lsp_find_open(&s->folders, uri);
  if (!d)
    d = lsp_open(&s->folders, uri);
  size_t n = strlen(text);
  if (n >= UINT32_MAX) {
    log_error(s, "%s: a document of 4 GiB or more: ignored", uri);
    n = 0;
  }
  lsp_doc_set_text(d, text, n);
  d->version = get_int(td, "version", 0);
  d->folder->dirty = true;
  return NULL;
}

static cJSON *on_did_change(Lsp *s, cJSON *params) {
  cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
  const char *uri = get_str(td, "uri");
  LspDoc *d = uri ? lsp_find_open(&s->folders, uri) : NULL;
  if (!d) {
    log_error(s, "textDocument/didChange for a document not open: %s", uri ? uri : "(no uri)");
    return NULL;
  }
  cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges"), *ch;
  cJSON_ArrayForEach(ch, changes) {
    const char *text = get_str(ch, "text");
    cJSON *range = cJSON_GetObjectItemCaseSensitive(ch, "range");
    if (!text) {
      log_error(s, "%s: a content change without text: ignored", uri);
      continue;
    }
    size_t n = strlen(text);
    if (!range) { /* the whole text */
      if (n < UINT32_MAX)
        lsp_doc_set_text(d, text, n);
      continue;
    }
    uint32_t lo, hi;
    if (!to_offset(cJSON_GetObjectItemCaseSensitive(range, "start"), d->text, d->len, &lo) ||
        !to_offset(cJSON_GetObjectItemCaseSensitive(range, "end"), d->text, d->len, &hi)) {
      log_error(s, "%s: a content change with a malformed range: ignored", uri);
      continue;
    }
    if (hi < lo)
      hi = lo;
    if (d->len - (hi - lo) + n >= UINT32_MAX) {
      log_error(s, "%s: a change that makes the document 4 GiB or more: ignored", uri);
      continue;
    }
    lsp_doc_replace(d, lo, hi, text, n);
  }
  d->version = get_int(td, "version", d->version);
  d->folder->dirty = true;
  return NULL;
}

static cJSON *on_did_save(Lsp *s, cJSON *params) {
  const char *uri = get_str(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  LspDoc *d = uri ? lsp_find_open(&s->folders, uri) : NULL;
  if (d) {
    const char *text = get_str(params, "text");
    if (text && strlen(text) < UINT32_MAX)
      lsp_doc_set_text(d, text, strlen(text));
    d->folder->dirty = true; /* checked again (files beside it read again), published again */
  }
  return NULL;
}

static cJSON *on_did_close(Lsp *s, cJSON *params) {
  const char *uri = get_str(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  LspDoc *d = uri ? lsp_find_open(&s->folders, uri) : NULL;
  if (!d)
    return NULL;
  /* Clear what the editor shows; when the file is on disk beside other open
     ones, the next build publishes what the saved file has. */
  publish(s, d->uri, d->version, cJSON_CreateArray());
  d->published = 0;
  lsp_close(&s->folders, d);
  return NULL;
}

/* ---- requests about a document ---- */

static LspDoc *req_doc(Lsp *s, cJSON *params) {
  const char *uri = get_str(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
  if (!uri) {
    lsp_fail(s, LSP_INVALID_PARAMS, "invalid params: expected textDocument.uri");
    return NULL;
  }
  LspDoc *d = lsp_find_open(&s->folders, uri);
  if (!d) {
    lsp_fail(s, LSP_INVALID_PARAMS, "invalid params: the document is not open: %s", uri);
    return NULL;
  }
  if (d->folder->dirty || !d->stack)
    build(s, d->folder);
  return d;
}

static bool req_offset(Lsp *s, LspDoc *d, cJSON *pos, uint32_t *off) {
  if (to_offset(pos, d->text, d->len, off))
    return true;
  lsp_fail(s, LSP_INVALID_PARAMS, "invalid params: expected a position {line, character}");
  return false;
}

static cJSON *on_hover(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  uint32_t off;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(params, "position"), &off))
    return NULL;
  return lsp_hover(s, d->stack, d, off);
}

static cJSON *on_definition(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  uint32_t off;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(params, "position"), &off))
    return NULL;
  return lsp_definition(s, d->stack, d, off);
}

static cJSON *on_references(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  uint32_t off;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(params, "position"), &off))
    return NULL;
  bool with_decl = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(params, "context"), "includeDeclaration"));
  return lsp_references(s, d->stack, d, off, with_decl);
}

static cJSON *on_prepare_rename(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  uint32_t off;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(params, "position"), &off))
    return NULL;
  return lsp_prepare_rename(s, d->stack, d, off);
}

static cJSON *on_rename(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  uint32_t off;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(params, "position"), &off))
    return NULL;
  const char *name = get_str(params, "newName");
  if (!name) {
    lsp_fail(s, LSP_INVALID_PARAMS, "invalid params: expected newName");
    return NULL;
  }
  return lsp_rename(s, d->stack, d, off, name);
}

static cJSON *on_symbols(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  return d ? lsp_symbols(s, d->stack, d) : NULL;
}

static cJSON *on_completion(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  uint32_t off;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(params, "position"), &off))
    return NULL;
  return lsp_complete(s, d->stack, d, off);
}

static cJSON *on_code_action(Lsp *s, cJSON *params) {
  LspDoc *d = req_doc(s, params);
  cJSON *range = cJSON_GetObjectItemCaseSensitive(params, "range");
  uint32_t lo, hi;
  if (!d || !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(range, "start"), &lo) ||
      !req_offset(s, d, cJSON_GetObjectItemCaseSensitive(range, "end"), &hi))
    return NULL;
  /* context.only: the kinds the client wants; we make quickfixes only. */
  cJSON *only = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(params, "context"), "only");
  if (cJSON_IsArray(only)) {
    bool want = false;
    cJSON *k;
    cJSON_ArrayForEach(k, only) {
      want = want || (cJSON_IsString(k) && (!strcmp(k->valuestring, "quickfix") ||
                                            !strcmp(k->valuestring, "")));
    }
    if (!want)
      return cJSON_CreateArray();
  }
  return lsp_code_actions(s, d->stack, d, lo, hi < lo ? lo : hi);
}

/* ---- dispatch ---- */

static const struct {
  const char *method;
  Handler *fn;
  bool request; /* answered; else a notification */
} methods[] = {
    {"initialize", on_initialize, true},
    {"initialized", on_initialized, false},
    {"shutdown", on_shutdown, true},
    {"exit", on_exit, false},
    {"textDocument/didOpen", on_did_open, false},
    {"textDocument/didChange", on_did_change, false},
    {"textDocument/didSave", on_did_save, false},
    {"textDocument/didClose", on_did_close, false},
    {"textDocument/hover", on_hover, true},
    {"textDocument/definition", on_definition, true},
    {"textDocument/references", on_references, true},
    {"textDocument/prepareRename", on_prepare_rename, true},
    {"textDocument/rename", on_rename, true},
    {"textDocument/documentSymbol", on_symbols, true},
    {"textDocument/completion", on_completion, true},
    {"textDocument/codeAction", on_code_action, true},
};

static void handle(Lsp *s, const char *body, size_t n) {
  size_t bad = utf8_check(body, n);
  cJSON *msg = cJSON_ParseWithLength(body, n);
  if (!msg) {
    reply_error(s, NULL, LSP_PARSE_ERROR, "parse error: the message is not valid JSON");
    return;
  }
  if (!cJSON_IsObject(msg)) {
    reply_error(s, NULL, LSP_INVALID_REQUEST, "invalid request: a message is a JSON object");
    cJSON_Delete(msg);
    return;
  }
  cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
  cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
  bool id_ok = cJSON_IsNumber(id) || cJSON_IsString(id);
  if (!cJSON_IsString(method)) {
    bool response = cJSON_GetObjectItemCaseSensitive(msg, "result") ||
                    cJSON_GetObjectItemCaseSensitive(msg, "error");
    if (!(id && response)) /* a response to us is fine: we ask nothing, so it is dropped */
      reply_error(s, id_ok ? id : NULL, LSP_INVALID_REQUEST, "invalid request: no method");
    cJSON_Delete(msg);
    return;
  }
  const char *m = method->valuestring;
  if (id && !id_ok) {
    reply_error(s, NULL, LSP_INVALID_REQUEST,
                "invalid request: the id must be a number or a string");
    cJSON_Delete(msg);
    return;
  }
  bool request = id != NULL;
  /* Invalid UTF-8 is no JSON (RFC 8259). The text of a document is the
     exception: kept byte for byte, the compiler reports it (E001) where it
     stands, as it would in a file. */
  if (bad < n && strcmp(m, "textDocument/didOpen") && strcmp(m, "textDocument/didChange")) {
    char err[128];
    snprintf(err, sizeof err, "parse error: invalid UTF-8 at byte %zu of the message", bad);
    reply_error(s, id, LSP_PARSE_ERROR, err);
    cJSON_Delete(msg);
    return;
  }
  Handler *fn = NULL;
  bool answered = false;
  for (size_t i = 0; i < countof(methods); i++)
    if (!strcmp(methods[i].method, m)) {
      fn = methods[i].fn;
      answered = methods[i].request;
    }
  if (!strcmp(m, "exit")) {
    on_exit(s, NULL);
  } else if (!s->initialized && strcmp(m, "initialize")) {
    if (request)
      reply_error(s, id, LSP_SERVER_NOT_INITIALIZED, "the server is not initialized yet");
  } else if (s->shutdown) {
    if (request)
      reply_error(s, id, LSP_INVALID_REQUEST, "invalid request: the server is shutting down");
  } else if (!fn) {
    if (request) {
      char err[256];
      snprintf(err, sizeof err, "method not found: %.200s", m);
      reply_error(s, id, LSP_METHOD_NOT_FOUND, err);
    }
  } else if (answered != request) {
    /* A request sent as a notification has no one to answer: dropped. */
    if (request) {
      char err[256];
      snprintf(err, sizeof err, "invalid request: %.200s is a notification, without an id", m);
      reply_error(s, id, LSP_INVALID_REQUEST, err);
    }
  } else if (request) {
    build_dirty(s); /* answers and diagnostics are of the latest text */
    s->err_code = 0;
    cJSON *result = fn(s, cJSON_GetObjectItemCaseSensitive(msg, "params"));
    if (s->err_code) {
      cJSON_Delete(result);
      reply_error(s, id, s->err_code, s->err_msg);
    } else {
      reply(s, id, result);
    }
  } else {
    fn(s, cJSON_GetObjectItemCaseSensitive(msg, "params"));
    if (any_dirty(s) && ++s->deferred >= MAX_DEFERRED)
      build_dirty(s);
  }
  cJSON_Delete(msg);
}

int lsp_main(int in, int out, const char *version) {
  signal(SIGPIPE, SIG_IGN); /* a client gone away is a write error */
  Lsp *s = lsp_realloc(NULL, sizeof *s);
  *s = (Lsp){.in = in, .out = out, .version = version, .cap = 65536};
  s->buf = lsp_realloc(NULL, s->cap);
  s->folders.clear = clear;
  s->folders.ctx = s;
  for (;;) {
    size_t at, n;
    int r = read_message(s, &at, &n);
    if (r == 0)
      break;
    if (r > 0)
      handle(s, s->buf + at, n);
    if (s->exited || s->out_broken)
      break;
  }
  int status = s->shutdown ? 0 : 1;
  lsp_folders_free(&s->folders);
  for (int i = 0; i < s->nanchors; i++)
    free(s->anchors[i].anchor);
  free(s->docs_url);
  free(s->buf);
  free(s);
  return status;
}
