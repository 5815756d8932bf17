/* modules.h: `module NAME "DIR" { inputs }` (expand_modules.c). Between
   parsing and resolution, each module declaration is replaced by the
   declarations of DIR's .infra files, named NAME.decl, with the module's
   params replaced by the inputs given and NAME.output by the output's value:
   what resolution and the checks see is one flat stack, as if written by
   hand. The instances stay known to the checks of the inputs, graph
   (clusters) and the language server (completion, definition). */
#ifndef MODULES_H
#define MODULES_H

#include "infrac.h"
#include "origin.h"

/* A directory of .infra files used as a module, read and parsed once. */
typedef struct {
  const char *path; /* as opened: DIR joined to the directory of the file using it */
  const char *key;  /* its real path: one load per directory */
  Vec decls;        /* Decl*: its declarations, but params and outputs */
  Vec params;       /* Decl*: its inputs */
  Vec outputs;      /* Decl*: what NAME.output reads */
  bool loading;     /* being expanded: met again, it is a cycle */
} ModuleDir;

/* One `module` declaration, stamped out. */
typedef struct ModuleInstance {
  const char *name; /* "net", "app.db" inside module app: its declarations' prefix */
  Decl *at;         /* the `module` declaration */
  ModuleDir *dir;
  Origin origin; /* "in module net", at the `module` declaration */
  Expr **inputs; /* by index in dir->params: the value given, or NULL */
  Vec *copies;   /* by index in dir->params: Expr* copies made of the input */
  Vec views;     /* (intptr_t) pairs: a file of the module, its view for this instance */
  struct ModuleInstance *parent; /* the instance whose module uses it, or NULL */
  bool *busy;    /* by index in dir->outputs: being substituted (a cycle if met again) */
  bool *defaulting; /* by index in dir->params: its default being copied */
} ModuleInstance;

/* Replaces each module declaration of c->prog by its instance's
   declarations; reports what is wrong with a module or its use. */
void modules_expand(Compilation *c);
/* After expand_loops: a name in a module's text that a loop of the instance
   made (public_a, public_${z}) is renamed to the instance's (net.public_a). */
void modules_after_loops(Compilation *c);
/* Each input against its param's type (resolve.c calls it once the names
   are declared): a wrong one is reported at the `module` declaration with a
   note at the param, and its copies become errors, said once. */
void modules_check_inputs(Compilation *c);
/* What an input of param p must be, as an attribute's definition; false
   for an unknown type. `[T]` is a list of T. */
bool modules_input_def(Arena *a, const Decl *p, AttrDef *out);
/* The module declaration of a file as written (not inside a module) whose
   text holds off, or NULL. */
ModuleInstance *modules_at(Compilation *c, int file, uint32_t off);
/* After resolution: a name in a module's text that resolved to a
   declaration outside it is E101 (a module sees its params and its own
   declarations, whatever the stack using it declares). */
void modules_check_scope(Compilation *c);
/* The instance named name ("net", "app.db"), or NULL. */
ModuleInstance *modules_find(Compilation *c, const char *name);
/* The innermost module instance a declaration was made by, or NULL. */
ModuleInstance *modules_of(Compilation *c, const Decl *d);

#endif
