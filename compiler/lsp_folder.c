/* lsp_folder.c: the files the language server compiles. A document's folder
   is its directory: every *.infra file in it (read from disk, and read again
   when its time or size changes) with the editor's text over the files it
   has open, compiled as one stack as `infrac check DIR` does. Where more than
   one file declares a stack (single-file stacks side by side, as examples/),
   the directory is no stack: each open file is compiled alone. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lsp.h"

void *lsp_realloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) {
    fputs("infrac: out of memory\n", stderr);
    abort();
  }
  return p;
}

char *lsp_strdup(const char *s) {
  size_t n = strlen(s);
  char *p = lsp_realloc(NULL, n + 1);
  memcpy(p, s, n + 1);
  return p;
}

/* ---- names ---- */

static char *prefix_dup(const char *s, size_t n) {
  char *d = lsp_realloc(NULL, n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* s up to its last '/' ("" when it has none, or only the first). */
static char *dir_of(const char *s) {
  const char *slash = strrchr(s, '/');
  return prefix_dup(s, slash ? (size_t)(slash - s) : 0);
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool is_file_uri(const char *uri) { return !strncmp(uri, "file://", 7); }

/* file:///home/a%20b/x.infra -> /home/a b/x.infra; other URIs stay as they are. */
static char *name_of(const char *uri) {
  if (!is_file_uri(uri))
    return lsp_strdup(uri);
  const char *p = uri + 7;
  p = strchr(p, '/') ? strchr(p, '/') : p; /* past an authority */
  char *out = lsp_realloc(NULL, strlen(p) + 1), *o = out;
  for (; *p; p++) {
    if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
      *o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
  return out;
}

/* The URI of a file name in a folder: the unreserved characters of RFC 3986
   as they are, every other byte percent-encoded. */
static char *uri_in(const LspFolder *f, const char *file) {
  Buf b = {0};
  buf_printf(&b, "%s/", f->uri_dir);
  for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
        *p == '-' || *p == '.' || *p == '_' || *p == '~')
      buf_add(&b, (const char *)p, 1);
    else
      buf_printf(&b, "%%%02X", *p);
  }
  char *s = lsp_strdup(b.s);
  buf_free(&b);
  return s;
}

/* ---- documents ---- */

void lsp_doc_set_text(LspDoc *d, const char *text, size_t n) {
  if (n + 1 > d->cap) {
    d->cap = n + 1 + n / 4;
    d->text = lsp_realloc(d->text, d->cap);
  }
  memcpy(d->text, text, n);
  d->text[n] = '\0';
  d->len = n;
}

void lsp_doc_replace(LspDoc *d, size_t lo, size_t hi, const char *s, size_t n) {
  size_t len = d->len - (hi - lo) + n;
  if (len + 1 > d->cap) {
    d->cap = len + 1 + len / 4;
    d->text = lsp_realloc(d->text, d->cap);
  }
  memmove(d->text + lo + n, d->text + hi, d->len - hi + 1);
  memcpy(d->text + lo, s, n);
  d->len = len;
}

static void doc_free(LspDoc *d) {
  free(d->uri);
  free(d->name);
  free(d->text);
  free(d);
}

static LspDoc *folder_find(LspFolder *f, const char *name) {
  for (int i = 0; i < f->ndocs; i++)
    if (!strcmp(f->docs[i]->name, name))
      return f->docs[i];
  return NULL;
}

/* A new file of f, in name order. */
static LspDoc *folder_add(LspFolder *f, char *uri, char *name) {
  LspDoc *d = lsp_realloc(NULL, sizeof *d);
  *d = (LspDoc){.uri = uri, .name = name, .folder = f, .file = -1, .mtime_ns = -1};
  lsp_doc_set_text(d, "", 0);
  if (f->ndocs == f->cap) {
    f->cap = f->cap ? 2 * f->cap : 4;
    f->docs = lsp_realloc(f->docs, sizeof(LspDoc *) * (size_t)f->cap);
  }
  int at = f->ndocs;
  while (at > 0 && strcmp(f->docs[at - 1]->name, name) > 0)
    at--;
  memmove(f->docs + at + 1, f->docs + at, sizeof(LspDoc *) * (size_t)(f->ndocs - at));
  f->docs[at] = d;
  f->ndocs++;
  return d;
}

/* Removes f->docs[i], clearing what was published for it. */
static void folder_remove(LspFolders *fs, LspFolder *f, int i) {
  LspDoc *d = f->docs[i];
  if (d->published && fs->clear)
    fs->clear(fs->ctx, d->uri);
  memmove(f->docs + i, f->docs + i + 1, sizeof(LspDoc *) * (size_t)(f->ndocs - i - 1));
  f->ndocs--;
  doc_free(d);
}

static void stacks_free(LspFolder *f) {
  for (int i = 0; i < f->nstacks; i++) {
    compile_free(f->stacks[i]->c);
    free(f->stacks[i]->docs);
    free(f->stacks[i]);
  }
  f->nstacks = 0;
  for (int i = 0; i < f->ndocs; i++)
    f->docs[i]->stack = NULL;
}

LspDoc *lsp_find_open(LspFolders *fs, const char *uri) {
  for (int i = 0; i < fs->n; i++)
    for (int k = 0; k < fs->v[i]->ndocs; k++) {
      LspDoc *d = fs->v[i]->docs[k];
      if (d->open && !strcmp(d->uri, uri))
        return d;
    }
  return NULL;
}

LspDoc *lsp_open(LspFolders *fs, const char *uri) {
  char *name = name_of(uri), *dir = dir_of(name);
  LspFolder *f = NULL;
  for (int i = 0; i < fs->n && !f; i++)
    if (!strcmp(fs->v[i]->dir, dir) && fs->v[i]->on_disk == is_file_uri(uri))
      f = fs->v[i];
  if (f) {
    free(dir);
  } else {
    f = lsp_realloc(NULL, sizeof *f);
    *f = (LspFolder){.dir = dir, .uri_dir = dir_of(uri), .on_disk = is_file_uri(uri)};
    if (fs->n == fs->cap) {
      fs->cap = fs->cap ? 2 * fs->cap : 4;
      fs->v = lsp_realloc(fs->v, sizeof(LspFolder *) * (size_t)fs->cap);
    }
    fs->v[fs->n++] = f;
  }
  LspDoc *d = folder_find(f, name);
  if (!d) {
    d = folder_add(f, lsp_strdup(uri), name);
  } else {
    free(name);
    if (strcmp(d->uri, uri)) { /* the client spells it otherwise */
      if (d->published && fs->clear)
        fs->clear(fs->ctx, d->uri);
      d->published = 0;
      free(d->uri);
      d->uri = lsp_strdup(uri);
    }
  }
  if (!d->open)
    f->nopen++;
  d->open = true;
  f->dirty = true;
  return d;
}

static void folder_free(LspFolder *f) {
  stacks_free(f);
  for (int i = 0; i < f->ndocs; i++)
    doc_free(f->docs[i]);
  free(f->stacks);
  free(f->docs);
  free(f->dir);
  free(f->uri_dir);
  free(f);
}

void lsp_close(LspFolders *fs, LspDoc *d) {
  LspFolder *f = d->folder;
  d->open = false;
  d->mtime_ns = -1; /* what is on disk is read again */
  f->nopen--;
  f->dirty = true;
  if (!f->on_disk)
    for (int i = 0; i < f->ndocs; i++)
      if (f->docs[i] == d) {
        folder_remove(fs, f, i);
        break;
      }
  if (f->nopen)
    return;
  for (int i = 0; i < f->ndocs; i++)
    if (f->docs[i]->published && fs->clear)
      fs->clear(fs->ctx, f->docs[i]->uri);
  for (int i = 0; i < fs->n; i++)
    if (fs->v[i] == f)
      fs->v[i] = fs->v[--fs->n];
  folder_free(f);
}

void lsp_folders_free(LspFolders *fs) {
  for (int i = 0; i < fs->n; i++)
    folder_free(fs->v[i]);
  free(fs->v);
  *fs = (LspFolders){0};
}

/* ---- the directory ---- */

/* The file's text, if it reads; up to one byte past LIMIT_FILE, which is
   enough for the compiler to refuse it (E004). */
static bool read_text(LspDoc *d, const char *path) {
  const char *why;
  FILE *fp = compile_open_source(path, false, &why); /* a FIFO put there since stat */
  if (!fp)
    return false;
  Buf b = {0};
  char chunk[65536];
  size_t n;
  while (b.len <= LIMIT_FILE && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
    buf_add(&b, chunk, n);
  bool ok = !ferror(fp);
  fclose(fp);
  if (ok)
    lsp_doc_set_text(d, b.s ? b.s : "", b.len);
  buf_free(&b);
  return ok;
}

/* Brings the files read from disk in line with the directory: new ones
   added, changed ones read again, vanished or unreadable ones removed. */
static void scan(LspFolders *fs, LspFolder *f) {
  for (int i = 0; i < f->ndocs; i++)
    f->docs[i]->seen = f->docs[i]->open;
  DIR *dir = opendir(*f->dir ? f->dir : "/");
  for (struct dirent *e; dir && (e = readdir(dir));) {
    if (!compile_is_source_name(e->d_name))
      continue;
    Buf path = {0};
    buf_printf(&path, "%s/%s", f->dir, e->d_name);
    LspDoc *d = folder_find(f, path.s);
    struct stat sb;
    if (!(d && d->open) && !stat(path.s, &sb) && S_ISREG(sb.st_mode)) {
      long long mtime = (long long)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
      if (!d)
        d = folder_add(f, uri_in(f, e->d_name), lsp_strdup(path.s));
      d->seen = (d->mtime_ns == mtime && d->size == (long long)sb.st_size) ||
                read_text(d, path.s);
      d->mtime_ns = d->seen ? mtime : -1;
      d->size = (long long)sb.st_size;
    }
    buf_free(&path);
  }
  if (dir)
    closedir(dir);
  for (int i = f->ndocs; i-- > 0;)
    if (!f->docs[i]->seen)
      folder_remove(fs, f, i);
}

static LspStack *stack_of(LspDoc **docs, int n) {
  LspStack *st = lsp_realloc(NULL, sizeof *st);
  *st = (LspStack){.docs = lsp_realloc(NULL, sizeof(LspDoc *) * (size_t)n), .ndocs = n,
                   .c = compile_new()};
  memcpy(st->docs, docs, sizeof(LspDoc *) * (size_t)n);
  for (int i = 0; i < n; i++) {
    docs[i]->stack = st;
    docs[i]->file = compile_add_source(st->c, docs[i]->name, docs[i]->text, docs[i]->len);
  }
  compile_run(st->c);
  return st;
}

/* Whether more than one file of c declares a stack. */
static bool several_stacks(Compilation *c) {
  int first = -1;
  for (int i = 0; i < c->prog.decls.n; i++) {
    Decl *d = c->prog.decls.v[i];
    if (d->k != D_STACK)
      continue;
    if (first >= 0 && d->span.file != first)
      return true;
    first = d->span.file;
  }
  return false;
}

static void push_stack(LspFolder *f, LspStack *st) {
  f->stacks = lsp_realloc(f->stacks, sizeof(LspStack *) * (size_t)(f->nstacks + 1));
  f->stacks[f->nstacks++] = st;
}

void lsp_folder_build(LspFolders *fs, LspFolder *f) {
  stacks_free(f);
  if (f->on_disk)
    scan(fs, f);
  LspStack *all = stack_of(f->docs, f->ndocs);
  if (f->ndocs > 1 && several_stacks(all->c)) {
    for (int i = 0; i < f->ndocs; i++)
      f->docs[i]->stack = NULL;
    compile_free(all->c);
    free(all->docs);
    free(all);
    for (int i = 0; i < f->ndocs; i++)
      if (f->docs[i]->open)
        push_stack(f, stack_of(&f->docs[i], 1));
  } else {
    push_stack(f, all);
  }
  f->dirty = false;
}
