/* import_int.h: what import.c (a template as .infra source) shares with
   import_kinds.c (which resources are written as kinds, and how). */
#ifndef IMPORT_INT_H
#define IMPORT_INT_H

#include <cjson/cJSON.h>

#include "infrac.h"

typedef struct {
  const char *id, *name;
  bool exact; /* the name gives the ID back: no logical_id needed */
} Named;

typedef struct {
  Arena a;
  Vec names;    /* Named*: every name given, one namespace as in the language */
  Vec params, conds, maps, res; /* Named*: by logical ID in each section; res in template order */
  const cJSON *t;
  bool *kinds; /* by resource index: written as its kind (import_kinds.c); NULL: none */
  bool cidr_params;  /* a String param or mapping value that is a range: a cidr (for the kinds) */
  bool for_apply;    /* kinds only where they need no properties { } (apply cannot drive those) */
  bool in_let;       /* writing a mapping */
  Buf out;
  char err[512]; /* the first thing that cannot be imported: "PATH: why" */
} Imp;

void imp_fail(Imp *m, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool imp_is_ident(const char *s);
const Named *imp_find(const Vec *v, const char *id);
void imp_value(Imp *m, const cJSON *v, const char *path);
void imp_string(Imp *m, const char *s, bool sub, const char *path);
/* "  depends_on = ...", the policies, metadata ... of resource r: what a kind and a resource share */
void imp_meta(Imp *m, const cJSON *r, const char *path);
/* " if COND" of resource r, or false (m->err set) */
bool imp_condition(Imp *m, const cJSON *r, const char *path);

/* ---- import_kinds.c ---- */

/* The kind a CloudFormation type may be written as, or NULL. */
const char *import_kind_of(const char *cfn_type);
/* Clears kinds[i] of each resource that a Ref or Fn::GetAtt of the
   template reads in a way its kind cannot say (a security group's Ref). */
void import_kinds_reads(const cJSON *t, bool *kinds);
/* What follows the name of a resource written as its kind, for its Ref
   (attr NULL) or Fn::GetAtt attr: "" or ".export". */
const char *import_kind_read(Imp *m, const char *id, const char *attr);
/* Clears kinds[i] of each part (an internet gateway's attachment, a
   table's route) whose owner is not written as its kind. */
void import_kinds_parts(Imp *m);
/* The name of the kind a part of logical ID id is written in, or NULL
   when id is not such a part. */
const char *import_kind_owner(Imp *m, const char *id);
/* Writes resource r (logical ID x->id) as its kind and returns true, or
   writes nothing and returns false when the kind cannot say all of it. */
bool import_kind_decl(Imp *m, const cJSON *r, const Named *x, const char *path);
/* Builds source (what the importer wrote with kinds[i] set for the
   resources written as kinds) and compares it with template t as `plan
   --against` does; clears kinds[i] of each kind whose build differs from
   the template or that has an error (each error a line of notes, when
   given: what the kinds' checks found). Returns how many it cleared, or -1
   when something that is not a kind is at fault. */
int import_kinds_misfits(const cJSON *t, const Vec *res, const char *source, size_t len, bool *kinds,
                         Buf *notes);

/* ---- import_fold_task.c ---- */

/* A task's ContainerDefinitions as `container NAME { ... }` statements, or
   false when one says what the kind cannot (the caller rewinds m->out). */
bool import_containers(Imp *m, const cJSON *defs, const char *path);
/* The name of the role of the template that v (Fn::GetAtt ROLE.Arn) reads, or NULL. */
const char *import_role_arn(Imp *m, const cJSON *v);
/* ---- import_userdata.c ---- */

/* When an instance's script body (Fn::Base64's argument) starts by joining
   an ECS cluster as the instance kind writes it (lower_ecs_config): *ref is
   the Ref in it, and the rest of the script is returned as parts; else NULL. */
cJSON *import_ecs_join(const cJSON *body, const cJSON **ref);
/* Are parts (an interpolated string) empty? */
bool import_parts_empty(const cJSON *parts);

#endif
