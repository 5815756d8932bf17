/* params.h: --param NAME=VALUE on the command line (build, plan, apply). */
#ifndef PARAMS_H
#define PARAMS_H

#include "infrac.h"

/* --param K=V recorded before compile_run (kept in the Compilation) */
bool params_add(Compilation *c, const char *kv); /* false: no '=' in kv */
/* After compile_run: every recorded name is a param of the program and its value fits the param's
   type. Prints `infrac: --param NAME: ...` messages on err and returns false otherwise.
   allow_secrets=false: a secret param given is refused. */
bool params_check(Compilation *c, FILE *err, bool allow_secrets);
const char *params_get(Compilation *c, const char *name); /* the recorded value or NULL */
/* Between resolution and the checks (compile_run): each --param value that
   fits its param's type replaces the param's default, so that the checks
   and every value folded from it see what the template is built with. The
   value is a source of its own, named "--param", where diagnostics point. */
void params_apply(Compilation *c);

/* --params FILE (params_file.c): `name = value` lines in the language, one
   file per environment. params_file_add reads FILE before compile_run (an
   I/O problem is said on stderr: false); params_file_apply, after
   resolution and before params_apply, checks each value against its param
   (diagnostics with spans in FILE) and makes it the param's default. */
bool params_file_add(Compilation *c, const char *path);
void params_file_apply(Compilation *c);

#endif
