/* termtext.h: foreign text (names and messages from a deployed template, a
   state, a saved plan or the AWS CLI) made safe for a terminal: control
   characters (C0, DEL, C1) become \xNN, so an escape sequence in a logical
   ID cannot move the cursor, recolour or hide lines. */
#ifndef TERMTEXT_H
#define TERMTEXT_H

#include <stddef.h>

/* A malloc'd copy of s with control characters escaped; newlines are kept
   when keep_newlines (multi-line messages of the AWS CLI). */
char *term_escaped(const char *s, int keep_newlines);
/* The same into out (at most outlen bytes with the NUL, cut before an
   escape that does not fit); returns out. */
char *term_escape_into(char *out, size_t outlen, const char *s);

#endif
