/* awscreds.c: the SDKs' credential chain, as far as infrac needs it. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "awscreds.h"
#include "termtext.h"

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static void wipe(char *s) {
  if (s)
    memset(s, 0, strlen(s));
  free(s);
}

void aws_creds_free(AwsCreds *c) {
  wipe(c->access_key);
  wipe(c->secret_key);
  wipe(c->token);
  c->access_key = c->secret_key = c->token = NULL;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  return s;
}

/* The keys of one section of an INI file (~/.aws/credentials, config). */
static bool read_section(const char *path, const char *section, AwsCreds *out) {
  FILE *f = path ? fopen(path, "r") : NULL;
  if (!f)
    return false;
  char line[4096];
  bool in = false, found = false;
  while (fgets(line, sizeof line, f)) {
    char *l = trim(line);
    if (*l == '[') {
      char *end = strchr(l, ']');
      if (end)
        *end = '\0';
      in = !strcmp(trim(l + 1), section);
      found |= in;
      continue;
    }
    char *eq = in ? strchr(l, '=') : NULL;
    if (!eq)
      continue;
    *eq = '\0';
    char *k = trim(l), *v = trim(eq + 1);
    char **slot = !strcmp(k, "aws_access_key_id")       ? &out->access_key
                  : !strcmp(k, "aws_secret_access_key") ? &out->secret_key
                  : !strcmp(k, "aws_session_token")     ? &out->token
                                                        : NULL;
    if (slot && *v) {
      wipe(*slot);
      *slot = strdup(v);
    }
  }
  memset(line, 0, sizeof line);
  fclose(f);
  return found;
}

static char *home_file(const char *env, const char *name) {
  const char *e = getenv(env), *home = getenv("HOME");
  char *p = NULL;
  if (e && *e)
    return strdup(e);
  if (!home || asprintf(&p, "%s/.aws/%s", home, name) < 0)
    return NULL;
  return p;
}

/* Appends what fd has to read to *buf (len, cap): false at its end. */
static bool drain(int fd, char **buf, size_t *len, size_t *cap) {
  if (*len + 1 >= *cap)
    *buf = realloc(*buf, *cap *= 2);
  ssize_t n = read(fd, *buf + *len, *cap - *len - 1);
  if (n <= 0)
    return false;
  *len += (size_t)n;
  (*buf)[*len] = '\0';
  return true;
}

/* The CLI's reason, for the message: its line "aws: error: ..." (AWS CLI
   v1 has no export-credentials and says so), else its last line. */
static char *cli_reason(char *text) {
  char *last = NULL, *save = NULL;
  for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
    l = trim(l);
    if (!strncmp(l, "aws: error:", 11))
      return l;
    if (*l)
      last = l;
  }
  return last;
}

/* `aws configure export-credentials --format process`: its stdout through
   a pipe, never a file; its stderr kept for the message, not shown. */
static bool export_credentials(const char *aws, const char *profile, AwsCreds *out, char **err) {
  int fd[2], ef[2];
  if (pipe(fd))
    return false;
  if (pipe(ef)) {
    close(fd[0]);
    close(fd[1]);
    return false;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fd[0]);
    close(fd[1]);
    close(ef[0]);
    close(ef[1]);
    return false;
  }
  if (pid == 0) {
    dup2(fd[1], 1);
    dup2(ef[1], 2);
    close(fd[0]);
    close(fd[1]);
    close(ef[0]);
    close(ef[1]);
    const char *argv[] = {aws, "configure", "export-credentials", "--format", "process",
                          profile ? "--profile" : NULL, profile, NULL};
    execvp(aws, (char *const *)argv);
    fprintf(stderr, "cannot run %s: %s\n", aws, strerror(errno));
    _exit(127);
  }
  close(fd[1]);
  close(ef[1]);
  size_t len = 0, cap = 4096, elen = 0, ecap = 1024;
  char *buf = malloc(cap), *ebuf = malloc(ecap);
  buf[0] = ebuf[0] = '\0';
  /* both pipes at once: a CLI that fills one while infrac waits on the
     other would hang */
  struct pollfd p[2] = {{fd[0], POLLIN, 0}, {ef[0], POLLIN, 0}};
  while (p[0].fd >= 0 || p[1].fd >= 0) {
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (p[0].revents && !drain(fd[0], &buf, &len, &cap))
      p[0].fd = -1;
    if (elen > 65536) /* a CLI that talks on: its last lines are kept */
      elen = 0;
    if (p[1].revents && !drain(ef[0], &ebuf, &elen, &ecap))
      p[1].fd = -1;
  }
  close(fd[0]);
  close(ef[0]);
  int status;
  waitpid(pid, &status, 0);
  cJSON *j = WIFEXITED(status) && !WEXITSTATUS(status) ? cJSON_Parse(buf) : NULL;
  memset(buf, 0, len);
  free(buf);
  const cJSON *k = cJSON_GetObjectItem(j, "AccessKeyId"), *s = cJSON_GetObjectItem(j, "SecretAccessKey"),
              *t = cJSON_GetObjectItem(j, "SessionToken");
  bool ok = cJSON_IsString(k) && cJSON_IsString(s);
  if (ok) {
    out->access_key = strdup(k->valuestring);
    out->secret_key = strdup(s->valuestring);
    out->token = cJSON_IsString(t) ? dup_or_null(t->valuestring) : NULL;
    out->source = "aws configure export-credentials";
    memset(s->valuestring, 0, strlen(s->valuestring));
    if (cJSON_IsString(t))
      memset(t->valuestring, 0, strlen(t->valuestring));
  } else {
    const char *why = cli_reason(ebuf);
    char *shown = why ? term_escaped(why, 0) : NULL;
    if (asprintf(err, "no AWS credentials: none in the environment%s%s, and `%s configure "
                      "export-credentials` gave none%s%s%s",
                 profile ? " (profile " : "", profile ? profile : "", aws, shown ? " (it said: " : "",
                 shown ? shown : "", shown ? ")" : "") < 0)
      abort();
    free(shown);
  }
  free(ebuf);
  cJSON_Delete(j);
  return ok;
}

bool aws_creds_load(const char *profile, const char *aws, AwsCreds *out, char **err) {
  memset(out, 0, sizeof *out);
  const char *k = getenv("AWS_ACCESS_KEY_ID"), *s = getenv("AWS_SECRET_ACCESS_KEY");
  if (!profile && k && *k && s && *s) {
    out->access_key = strdup(k);
    out->secret_key = strdup(s);
    out->token = dup_or_null(getenv("AWS_SESSION_TOKEN"));
    out->source = "the environment";
    return true;
  }
  const char *env_profile = getenv("AWS_PROFILE");
  const char *name = profile ? profile : env_profile && *env_profile ? env_profile : "default";
  char *cred_path = home_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
  char *conf_path = home_file("AWS_CONFIG_FILE", "config");
  char *section = NULL;
  if (asprintf(&section, strcmp(name, "default") ? "profile %s" : "%s", name) < 0)
    abort();
  read_section(cred_path, name, out);
  if (!out->access_key || !out->secret_key)
    read_section(conf_path, section, out);
  free(cred_path);
  free(conf_path);
  free(section);
  if (out->access_key && out->secret_key) {
    out->source = "a profile";
    return true;
  }
  aws_creds_free(out);
  return export_credentials(aws, profile ? profile : env_profile && *env_profile ? env_profile : NULL,
                            out, err);
}
