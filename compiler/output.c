/* output.c: a whole output to a file, atomically, or to standard output. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
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

char *output_target(const char *path) {
  char *p = strdup(path);
  for (int hops = 0; p; hops++) {
    struct stat st;
    if (lstat(p, &st) || !S_ISLNK(st.st_mode))
      return p;
    char link[PATH_MAX];
    ssize_t n = readlink(p, link, sizeof link - 1);
    if (n < 0 || hops == 40) {
      fprintf(stderr, "infrac: cannot write %s: %s\n", path, strerror(n < 0 ? errno : ELOOP));
      free(p);
      return NULL;
    }
    link[n] = '\0';
    /* a relative link is relative to the directory that holds it */
    const char *slash = strrchr(p, '/');
    char *next = NULL;
    if (link[0] == '/' || !slash)
      next = strdup(link);
    else if (asprintf(&next, "%.*s/%s", (int)(slash - p), p, link) < 0)
      abort();
    free(p);
    p = next;
  }
  abort();
}

bool output_open(Output *out, const char *path) {
  *out = (Output){.path = strcmp(path, "-") ? path : NULL};
  struct stat st;
  if (out->path && !(out->target = output_target(path)))
    return false;
  path = out->target;
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
    bool replaces = stat(path, &st) == 0;
    /* the owner first, as chown may clear the set-ID bits of the mode; not
       being root, the group where we are in it, else ours */
    bool owned = !replaces || (st.st_uid == geteuid() && st.st_gid == getegid()) ||
                 fd < 0 || !fchown(fd, st.st_uid, st.st_gid) || !fchown(fd, (uid_t)-1, st.st_gid);
    (void)owned;
    if (fd >= 0 && (fchmod(fd, replaces ? st.st_mode & 07777 : 0666 & ~mask) ||
                    !(out->f = fdopen(fd, "w")))) {
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
    free(out->target);
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
  /* on the disk before the rename: a crash leaves the old file or the new */
  if (!status && !err && out->tmp && fsync(fileno(out->f)))
    err = errno;
  if (!status && !err && !out->path && (err = copy_to_stdout(out)) == 0 && fflush(stdout))
    err = errno;
  if (fclose(out->f) && !status && !err)
    err = errno;
  bool ok = !status && !err;
  if (ok && out->tmp && rename(out->tmp, out->target))
    ok = false, err = errno;
  if (!ok && out->tmp)
    unlink(out->tmp);
  if (!ok && status >= 0)
    cannot_write(out->path, err);
  free(out->tmp);
  free(out->target);
  free(out->mem);
  return ok;
}
