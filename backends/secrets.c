/* secrets.c: holding secret params (secrets.h). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "secrets.h"

void secrets_hold(void) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

void secret_wipe(char *s) {
  if (s)
    explicit_bzero(s, strlen(s));
}

/* ---- the prompt ---- */

static struct termios prompt_saved;
static volatile sig_atomic_t prompt_quiet; /* echo is off: a signal restores it */

static void restore_and_die(int sig) {
  if (prompt_quiet)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &prompt_saved);
  signal(sig, SIG_DFL);
  raise(sig);
}

static const int prompt_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NSIGNALS (sizeof prompt_signals / sizeof prompt_signals[0])

char *secret_prompt(const char *name) {
  if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &prompt_saved))
    return NULL;
  struct sigaction on = {.sa_handler = restore_and_die}, before[NSIGNALS];
  sigemptyset(&on.sa_mask);
  for (size_t i = 0; i < NSIGNALS; i++)
    sigaction(prompt_signals[i], &on, &before[i]);
  fprintf(stderr, "%s (secret): ", name);
  fflush(stderr);
  struct termios quiet = prompt_saved;
  quiet.c_lflag &= ~(tcflag_t)ECHO;
  prompt_quiet = 1;
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  char line[4096] = "";
  char *got = fgets(line, sizeof line, stdin);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &prompt_saved);
  prompt_quiet = 0;
  for (size_t i = 0; i < NSIGNALS; i++)
    sigaction(prompt_signals[i], &before[i], NULL);
  fputc('\n', stderr);
  line[strcspn(line, "\r\n")] = '\0';
  char *out = got ? strdup(line) : NULL;
  explicit_bzero(line, sizeof line);
  return out;
}

/* ---- redaction ---- */

/* An escaping of the secret into out (room for 6 bytes per byte of s). */
typedef void Escape(const char *s, char *out);

static void json_escape(const char *s, char *out, int slash) {
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    const char *named = ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : ch == '\n' ? "\\n"
                      : ch == '\r' ? "\\r" : ch == '\t' ? "\\t" : ch == '\b' ? "\\b"
                      : ch == '\f' ? "\\f" : ch == '/' && slash ? "\\/" : NULL;
    if (named)
      out += sprintf(out, "%s", named);
    else if (ch < 0x20)
      out += sprintf(out, "\\u%04x", ch);
    else
      *out++ = (char)ch;
  }
  *out = '\0';
}
static void json_plain(const char *s, char *out) { json_escape(s, out, 0); }
static void json_slash(const char *s, char *out) { json_escape(s, out, 1); }

static void url_escape(const char *s, char *out, const char *hex, int plus) {
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
        (ch && strchr("-_.~", ch)))
      *out++ = (char)ch;
    else if (ch == ' ' && plus)
      *out++ = '+';
    else
      *out++ = '%', *out++ = hex[ch >> 4], *out++ = hex[ch & 15];
  }
  *out = '\0';
}
static void url_upper(const char *s, char *out) { url_escape(s, out, "0123456789ABCDEF", 0); }
static void url_lower(const char *s, char *out) { url_escape(s, out, "0123456789abcdef", 0); }
static void url_form(const char *s, char *out) { url_escape(s, out, "0123456789ABCDEF", 1); }

static void xml_escape(const char *s, char *out) {
  for (; *s; s++) {
    const char *named = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                      : *s == '"' ? "&quot;" : *s == '\'' ? "&apos;" : NULL;
    if (named)
      out += sprintf(out, "%s", named);
    else
      *out++ = *s;
  }
  *out = '\0';
}

static void as_is(const char *s, char *out) { strcpy(out, s); }

static Escape *const escapes[] = {as_is,     json_plain, json_slash, url_upper,
                                  url_lower, url_form,   xml_escape};

static void star(char *text, const char *form) {
  size_t n = strlen(form);
  if (n)
    for (char *at = text; (at = strstr(at, form));)
      memset(at, '*', n);
}

void secret_redact(char *text, const char *secret) {
  size_t n = strlen(secret);
  if (n < 3)
    return;
  char *form = malloc(6 * n + 1);
  if (!form)
    abort();
  for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
    escapes[i](secret, form);
    star(text, form);
  }
  explicit_bzero(form, 6 * n + 1);
  free(form);
}
