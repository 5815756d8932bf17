/* compile.c: one compilation: its sources, its arena, its diagnostics. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "infrac.h"
#include "modules.h"
#include "origin.h"
#include "params.h"

Compilation *compile_new(void) {
  Compilation *c = calloc(1, sizeof *c);
  if (!c) {
    fputs("infrac: out of memory\n", stderr);
    abort();
  }
  return c;
}

void compile_free(Compilation *c) {
  if (!c)
    return;
  arena_free(&c->arena);
  free(c);
}

Source *compile_source(Compilation *c, int file) {
  return file >= ORIGIN_VIEW_BASE ? c->views.v[file - ORIGIN_VIEW_BASE] : c->files.v[file];
}

/* text is the arena copy, NUL-terminated. A file beyond LIMIT_FILE, or with
   a line beyond LIMIT_LINE, is kept (the LSP reads its text at offsets of the
   editor's) but not lexed: one E004, whatever else it holds. Callers pass
   less than 4 GiB: the CLI reads LIMIT_FILE and a little more, the LSP takes
   LSP_MAX_MESSAGE. */
static int add_text(Compilation *c, const char *name, char *text, size_t len) {
  Source *src = arena_alloc(&c->arena, sizeof *src);
  src->name = arena_strndup(&c->arena, name, strlen(name));
  src->text = text;
  bool big = len > LIMIT_FILE;
  src->len = (uint32_t)len;
  int n = 1;
  for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
    n++;
  src->lines = arena_alloc(&c->arena, sizeof(uint32_t) * (size_t)n);
  src->lines[src->nlines++] = 0;
  uint32_t long_at = 0; /* the first byte past LIMIT_LINE in a line, if any */
  for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
    uint32_t start = src->lines[src->nlines - 1];
    if (!long_at && (uint32_t)(p - text) - start > LIMIT_LINE)
      long_at = start + LIMIT_LINE;
    src->lines[src->nlines++] = (uint32_t)(p - text + 1);
  }
  if (!long_at && len - src->lines[src->nlines - 1] > LIMIT_LINE)
    long_at = src->lines[src->nlines - 1] + LIMIT_LINE;
  vec_push(&c->arena, &c->files, src);
  int file = c->files.n - 1;
  src->real = file;
  src->rejected = big || long_at;
  if (big)
    diag_error(c, "E004", (Span){file, 0, 0},
               "file larger than %d MiB: the limit; it is not checked", LIMIT_FILE >> 20);
  else if (long_at)
    diag_error(c, "E004", (Span){file, long_at, long_at + 1},
               "line longer than %d bytes: the limit; the file is not checked", LIMIT_LINE);
  return file;
}

int compile_add_source(Compilation *c, const char *name, const char *text, size_t len) {
  return add_text(c, name, arena_strndup(&c->arena, text, len), len);
}

/* A source opened for reading: O_NONBLOCK, so that a FIFO without a writer
   cannot hang the open. A file named *.infra (and every file of a
   directory) must be regular: a FIFO or a device planted under that name is
   refused with its path. Another name given on the command line may be a
   pipe (/dev/stdin, <(...)), read to its end. NULL with errno set and *why
   the reason. */
FILE *compile_open_source(const char *path, bool stream_ok, const char **why) {
  const char *base = strrchr(path, '/');
  stream_ok = stream_ok && !compile_is_source_name(base ? base + 1 : path);
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st)) {
    *why = strerror(errno);
  } else if (!S_ISREG(st.st_mode) && !stream_ok) {
    *why = S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file";
  } else {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); /* a pipe's writer may be slow */
    FILE *f = fdopen(fd, "rb");
    if (f)
      return f;
    *why = strerror(errno);
  }
  if (fd >= 0)
    close(fd);
  return NULL;
}

/* A regular file is read once, straight into the arena, at the size stat
   gives; anything else (a pipe, a file that changed meanwhile, one above
   LIMIT_FILE) through a buffer. */
static bool add_file(Compilation *c, const char *path, bool stream_ok) {
  const char *why = NULL;
  FILE *f = compile_open_source(path, stream_ok, &why);
  if (!f) {
    fprintf(stderr, "infrac: cannot read %s: %s\n", path, why);
    return false;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      st.st_size <= LIMIT_FILE) {
    size_t size = (size_t)st.st_size;
    char *text = arena_alloc(&c->arena, size + 1);
    size_t got = fread(text, 1, size, f);
    if (got == size && getc(f) == EOF && !ferror(f)) {
      fclose(f);
      add_text(c, path, text, size);
      return true;
    }
    rewind(f);
  }
  Buf b = {0};
  char chunk[65536];
  size_t n;
  /* Past LIMIT_FILE the rest is not needed: compile_add_source rejects it. */
  while (b.len <= LIMIT_FILE && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(&b, chunk, n);
  bool ok = !ferror(f);
  if (!ok)
    fprintf(stderr, "infrac: cannot read %s: %s\n", path, strerror(errno));
  fclose(f);
  if (ok)
    compile_add_source(c, path, b.s ? b.s : "", b.len);
  buf_free(&b);
  return ok;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool compile_is_source_name(const char *name) {
  size_t n = strlen(name);
  return n > 6 && !strcmp(name + n - 6, ".infra") && name[0] != '.';
}

static bool add_dir(Compilation *c, const char *path) {
  DIR *dir = opendir(path);
  if (!dir) {
    fprintf(stderr, "infrac: cannot read directory %s: %s\n", path, strerror(errno));
    return false;
  }
  Vec names = {0};
  for (struct dirent *e; (e = readdir(dir));) {
    if (compile_is_source_name(e->d_name))
      vec_push(&c->arena, &names, arena_strndup(&c->arena, e->d_name, strlen(e->d_name)));
  }
  closedir(dir);
  if (!names.n) {
    fprintf(stderr, "infrac: no .infra files in %s\n", path);
    return false;
  }
  qsort(names.v, (size_t)names.n, sizeof(void *), cmp_str);
  bool ok = true;
  size_t plen = strlen(path);
  bool slash = plen && path[plen - 1] == '/';
  for (int i = 0; i < names.n; i++)
    ok = add_file(c, arena_printf(&c->arena, "%s%s%s", path, slash ? "" : "/",
                                  (char *)names.v[i]), false) && ok;
  return ok;
}

bool compile_add_paths(Compilation *c, char **paths, int npaths) {
  bool ok = true;
  for (int i = 0; i < npaths; i++) {
    struct stat st;
    if (stat(paths[i], &st) != 0) {
      fprintf(stderr, "infrac: cannot read %s: %s\n", paths[i], strerror(errno));
      ok = false;
    } else if (S_ISDIR(st.st_mode)) {
      ok = add_dir(c, paths[i]) && ok;
    } else {
      ok = add_file(c, paths[i], true) && ok;
    }
  }
  return ok;
}

void compile_run(Compilation *c) {
  for (int i = 0; i < c->files.n; i++)
    if (!compile_source(c, i)->values)
      parse_file(c, i, &c->prog);
  modules_expand(c); /* first: a module's files may hold loops, its inputs comprehensions */
  expand_loops(c);
  modules_after_loops(c);
  resolve_program(c);
  modules_check_scope(c);
  params_file_apply(c); /* --params FILE, then each --param over it */
  params_apply(c);
  check_program(c);
  diag_sort(c);
}
