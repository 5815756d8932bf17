/* lower_int.h: what lower.c, lower_net.c and lower_app.c share. */
#ifndef LOWER_INT_H
#define LOWER_INT_H

#include "lower.h"

/* A set of strings (logical IDs, to keep them unique), each with a value. */
typedef struct {
  uint32_t *hashes; /* of keys[i]; 0: a free slot */
  const char **keys;
  void **vals;
  uint32_t cap, n;
} IdSet;

typedef struct {
  Compilation *c;
  Arena *a;
  const char *stack;
  Vec res, params, ssm, outputs;
  IdSet ids, output_ids;  /* the logical IDs taken: resources and parameters; outputs */
  IdSet ssm_paths;        /* "type path" of each ssm() value -> its IrParam */
  const char **primary;   /* by Decl.index: a resource's main logical ID, a param's ID */
  const char **companion; /* by Decl.index: an internet gateway's attachment, a role's
                             instance profile (when an instance or capacity uses it), a
                             cluster's auto scaling group (its capacity) */
  Vec *listeners;         /* by a load balancer's Decl.index: its listeners' IDs, in order */
  const char **attach;    /* by a vpc's Decl.index: its internet gateway's attachment */
  Vec *forwards;          /* by a target group's Decl.index: the listeners that forward to it */
  bool in_props;          /* lowering CloudFormation properties: a `resource` named is its Ref */
  Vec *executes;          /* by a role's Decl.index: the tasks it is the execution role of */
  Vec conds, maps;        /* IrNamed*: Conditions and Mappings, in program order */
  IdSet cond_ids, map_ids;
  const char **cond_id;   /* by a condition's Decl.index: its logical ID, when kept */
  const char **map_id;    /* by a let's Decl.index: its Mapping's logical ID, once used */
} L;

/* ---- values (lower.c) ---- */
IrValue *iv_str(L *l, const char *s);
IrValue *iv_int(L *l, int64_t i);
IrValue *iv_bool(L *l, bool b);
IrValue *iv_list(L *l);
IrValue *iv_map(L *l);
IrValue *iv_ref(L *l, const char *id);
IrValue *iv_getatt(L *l, const char *id, const char *attr);
/* An interpolated string (IV_SUB) with no parts, and appending to one: a
   string, number or bool as text (merged with the text before it), a Ref
   or GetAtt as a part, another IV_SUB's parts; NULL: nothing. */
IrValue *iv_sub(L *l);
void iv_sub_add(L *l, IrValue *sub, IrValue *v);
void iv_sub_text(L *l, IrValue *sub, const char *s);
IrValue *iv_push(L *l, IrValue *list, IrValue *v);                /* returns v */
IrValue *iv_set(L *l, IrValue *map, const char *key, IrValue *v); /* returns v; NULL v: nothing */
/* map[key] = {first: v1, second: v2}, a common shape */
IrValue *iv_pair(L *l, const char *k1, IrValue *v1, const char *k2, IrValue *v2);

/* ---- resources ---- */
IrResource *lower_res(L *l, const Decl *d, const char *id, const char *type, bool primary);
void lower_depend(L *l, IrResource *r, const char *id);
const char *lower_id(L *l, const Decl *d); /* the primary logical ID of a resource declaration */
/* A part's ID (an attachment, a route): its part_ids entry suffix, else
   Pascal(name) + suffix (lower_part) or id (lower_part_as), made unique. */
const char *lower_part(L *l, const Decl *d, const char *suffix);
const char *lower_part_as(L *l, const Decl *d, const char *suffix, const char *id);
/* id, or id2, id3... when id is taken: a logical ID of its own, now taken. */
const char *lower_unique(L *l, IdSet *set, const char *id);
/* Name and user tags (the tags statement) as a Tags list; key/value member names
   for HostedZoneTags likewise. */
IrValue *lower_tags(L *l, const Decl *d);
/* The DependsOn that an EIP, a route to an internet gateway or an internet-facing
   balancer needs in vpc: the gateway's attachment, when the stack makes one. */
void lower_after_attach(L *l, IrResource *r, const Decl *vpc);

/* ---- expressions ---- */
IrValue *lower_expr(L *l, const Expr *e);
/* strings, references, lists; NULL for none */
IrValue *lower_ref(L *l, const Decl *d);          /* Ref of a resource, or GroupId/Arn as fits */
IrValue *lower_refs(L *l, const Expr *list);      /* a list of references */
IrValue *lower_export(L *l, const Decl *d, const char *field);
IrValue *lower_arn(L *l, IrValue *v); /* "arn:aws:..." as parts: "arn:", Ref AWS::Partition, ... */
IrValue *lower_ssm(L *l, const Decl *d, const char *attr, const Expr *call, const char *type);
/* attribute helpers: NULL when absent */
IrValue *attr_str(L *l, const Decl *d, const char *name);
IrValue *attr_bool(L *l, const Decl *d, const char *name, bool def);    /* or Ref of a param */
IrValue *attr_int(L *l, const Decl *d, const char *name, int64_t unit); /* int value / unit */
const char *upper(L *l, const char *s);

/* ---- conditions and constants (lower_cond.c) ---- */
void lower_conditions(L *l, const Program *prog);
/* The Condition of a declaration with `if`: NULL when it has none or it is
   true at compile time; *drop when it is false at compile time. */
const char *lower_decl_cond(L *l, const Decl *d, bool *drop);
IrValue *lower_choice(L *l, const Expr *e); /* c ? a : b */
IrValue *lower_cond_value(L *l, const Decl *c); /* a condition as a value: true or false */
IrValue *lower_let(L *l, const Expr *e);    /* NAME, NAME.f, NAME[k] of a let; NULL otherwise */

/* ---- kinds (lower_net.c, lower_app.c) ---- */
void lower_vpc(L *l, const Decl *d);
void lower_subnet(L *l, const Decl *d);
void lower_igw(L *l, const Decl *d);
void lower_nat(L *l, const Decl *d);
void lower_route_table(L *l, const Decl *d);
void lower_security_group(L *l, const Decl *d);
void lower_instance(L *l, const Decl *d);
void lower_elastic_ip(L *l, const Decl *d);
void lower_role(L *l, const Decl *d);
void lower_database(L *l, const Decl *d);
void lower_zone(L *l, const Decl *d);
void lower_certificate(L *l, const Decl *d);
void lower_target_group(L *l, const Decl *d);
void lower_load_balancer(L *l, const Decl *d);
void lower_record(L *l, const Decl *d);
void lower_registry(L *l, const Decl *d);
void lower_cluster(L *l, const Decl *d);
void lower_capacity(L *l, const Decl *d, const Member *cap); /* lower_capacity.c */
/* #!/bin/bash, then the line that has the ECS agent register in cluster
   (parts: UserData goes on after it) */
IrValue *lower_ecs_config(L *l, const Decl *cluster);
void lower_log_group(L *l, const Decl *d);
void lower_task(L *l, const Decl *d);
void lower_service(L *l, const Decl *d);

#endif
