/* output.c: a whole output to a file, atomically, or to standard output. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

static void cannot_write(const char *path, int err) {
  fprintf(stderr, "infrac: cannot write %s: %s\n", path ? path : "stdout",
          strerror(err ? err : EIO));
}

bool output_open(Output *out, const char *path) {
  *out = (Output){.path = strcmp(path, "-") ? path : NULL};
  struct stat st;
  if (!out->path) {
    if (!(out->f = tmpfile()))
      out->f = open_memstream(&out->mem, &out->memlen);
  } else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    int fd = open(path, O_WRONLY | O_TRUNC);
    out->f = fd < 0 ? NULL : fdopen(fd, "w");
    if (fd >= 0 && !out->f)
      close(fd);
  } else {
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path) + 16;
    if (!(out->tmp = malloc(n)))
      abort();
    snprintf(out->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    int fd = mkstemp(out->tmp);
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0 && (fchmod(fd, 0666 & ~mask) || !(out->f = fdopen(fd, "w")))) {
      int err = errno;
      close(fd);
      errno = err;
    }
    if (fd >= 0 && !out->f)
      unlink(out->tmp);
  }
  if (!out->f) {
    cannot_write(out->path, errno);
    free(out->tmp);
  }
  return out->f != NULL;
}

/* The complete output, from the temporary file or memory, to stdout: 0, or
   the errno of the failure. */
static int copy_to_stdout(Output *out) {
  errno = 0;
  if (out->mem)
    return fwrite(out->mem, 1, out->memlen, stdout) == out->memlen ? 0 : errno ? errno : EIO;
  char buf[1 << 16];
  size_t n;
  if (fseek(out->f, 0, SEEK_SET))
    return errno;
  while ((n = fread(buf, 1, sizeof buf, out->f)) > 0)
    if (fwrite(buf, 1, n, stdout) != n)
      return errno ? errno : EIO;
  return ferror(out->f) ? EIO : 0;
}

bool output_close(Output *out, int status) {
  int err = status > 0 ? status : 0;
  if (!status && fflush(out->f))
    err = errno;
  if (!status && !err && !out->path && (err = copy_to_stdout(out)) == 0 && fflush(stdout))
    err = errno;
  if (fclose(out->f) && !status && !err)
    err = errno;
  bool ok = !status && !err;
  if (ok && out->tmp && rename(out->tmp, out->path))
    ok = false, err = errno;
  if (!ok && out->tmp)
    unlink(out->tmp);
  if (!ok && status >= 0)
    cannot_write(out->path, err);
  free(out->tmp);
  free(out->mem);
  return ok;
}
