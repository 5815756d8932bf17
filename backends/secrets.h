/* secrets.h: the values of secret params, held in memory only: never in an
   argument, a file or a core dump, and never shown (docs/language.md). */
#ifndef SECRETS_H
#define SECRETS_H

/* From now on the process writes no core dump and cannot be read by
   ptrace or /proc of another process of its user (RLIMIT_CORE 0,
   PR_SET_DUMPABLE 0 on Linux): a secret is about to be held. */
void secrets_hold(void);

/* A line typed at the terminal without echo, after "NAME (secret): " on
   stderr; NULL when stdin is not a terminal or nothing was read. Ctrl-C,
   SIGTERM, SIGHUP or SIGQUIT at the prompt restore the terminal first. */
char *secret_prompt(const char *name);

/* Every occurrence in text of secret, and of its escaped forms (JSON, URL
   and XML escaping, as AWS errors quote what they were sent), becomes '*'.
   Secrets shorter than 3 characters are left, or every message would be
   starred. */
void secret_redact(char *text, const char *secret);

/* Zeroes s (when not NULL) before it is freed. */
void secret_wipe(char *s);

#endif
