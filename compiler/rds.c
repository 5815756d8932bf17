/* rds.c: what RDS derives from an engine and its version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infrac.h"

/* A family is the engine's name and the leading parts of its version:
   postgres16 from PostgreSQL 10 on (postgres9.6 before), mysql8.0,
   mariadb10.11. */
static const struct {
  const char *engine, *family;
  int one_part_from; /* the major version from which one part names the family */
} families[] = {
    {"postgres", "postgres", 10},
    {"mysql", "mysql", 0},
    {"mariadb", "mariadb", 0},
};

const char *rds_family(Arena *a, const char *engine, const char *version) {
  if (!engine || !version) return NULL;
  for (size_t i = 0; i < countof(families); i++) {
    if (strcmp(families[i].engine, engine)) continue;
    char *end;
    long major = strtol(version, &end, 10);
    if (end == version || major < 0) return NULL;
    if (families[i].one_part_from && major >= families[i].one_part_from)
      return arena_printf(a, "%s%ld", families[i].family, major);
    if (*end != '.' || end[1] < '0' || end[1] > '9') return NULL;
    long minor = strtol(end + 1, NULL, 10);
    return arena_printf(a, "%s%ld.%ld", families[i].family, major, minor);
  }
  return NULL;
}

/* What RDS takes as a master password (CreateDBInstance,
   MasterUserPassword): printable ASCII but / " @ and space, of a length
   that depends on the engine. */
static const struct {
  const char *engine;
  int min, max;
} password_lengths[] = {
    {"postgres", 8, 128},
    {"mysql", 8, 41},
    {"mariadb", 8, 41},
};

/* The template's AllowedPattern: the same characters as rds_password_char */
const char rds_password_pattern[] = "^[!#-.0-?A-~]*$";

bool rds_password_length(const char *engine, int *min, int *max) {
  for (size_t i = 0; engine && i < countof(password_lengths); i++)
    if (!strcmp(password_lengths[i].engine, engine)) {
      *min = password_lengths[i].min, *max = password_lengths[i].max;
      return true;
    }
  return false;
}

bool rds_password_char(unsigned char ch) {
  return ch > ' ' && ch < 0x7f && !strchr("/@\"", ch);
}

long rds_password_refused(const char *text) {
  for (const char *p = text; *p; p++)
    if (!rds_password_char((unsigned char)*p)) return p - text;
  return -1;
}

bool rds_password_fault(char *out, size_t n, const char *what, const char *text,
                        const char *engine, const char *db) {
  int min, max;
  if (!rds_password_length(engine, &min, &max)) return false;
  long bad = rds_password_refused(text);
  size_t len = strlen(text);
  if (bad < 0 && len >= (size_t)min && len <= (size_t)max) return false;
  unsigned char ch = bad >= 0 ? (unsigned char)text[bad] : 0;
  char quoted[4] = {'\'', (char)ch, '\'', 0};
  const char *shown = ch == ' '                ? "a space"
                      : ch > ' ' && ch < 0x7f ? quoted
                                              : "a character outside printable ASCII";
  if (bad >= 0)
    snprintf(out, n, "%s has %s, which RDS refuses in the master password of database %s", what,
             shown, db);
  else
    snprintf(out, n,
             "%s is %zu characters long: RDS takes a %s master password of %d to %d characters "
             "(database %s)",
             what, len, engine, min, max, db);
  return true;
}
