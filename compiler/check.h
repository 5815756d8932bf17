/* check.h: what the files of the checker share. check.c prepares the facts
   that several rules read (zones, public subnets, who joins what) and runs
   the rules of check_net.c, check_ports.c, check_graph.c, check_security.c
   and check_values.c over every declaration. */
#ifndef CHECK_H
#define CHECK_H

#include "infrac.h"

/* Whether a subnet reaches the internet through an internet gateway. */
typedef enum { REACH_UNKNOWN, REACH_PRIVATE, REACH_PUBLIC } Reach;
/* The reach of each declaration's subnet, by Decl.index (reach[] and, when
   not NULL, table[] hold one slot per declaration): the checker's facts. */
void subnet_reach(Compilation *c, Reach *reach, Decl **table);

/* Distinct zones (ids from check_zone), in order of first appearance. */
typedef struct {
  int *v;
  int n, cap;
  int serial;   /* its stamp in Check.zmark while it is the newest set */
  bool unknown; /* a member's zone is not known: the set is incomplete */
} Zones;

typedef struct {
  const char *key;
  int id;
} ZoneSlot;

typedef struct {
  Compilation *c;
  Arena *a;
  Decl *stack;
  const Region *region; /* NULL: no region, or not a known one */
  /* By Decl.index. */
  int *zone;        /* subnets: the interned az, -1 unknown, -2 not computed */
  Reach *reach;     /* subnets */
  Decl **table;     /* subnets: the first route table that lists them */
  Vec *joined;      /* clusters: the instances that join them; target groups:
                       the services registered in them; vpcs: their public
                       subnets */
  Zones **capacity; /* clusters: the zones of their instances, when computed */
  bool *forwarded;  /* target groups: a listener of the stack forwards to them */
  bool listeners_unknown; /* a `resource` of Elastic Load Balancing may forward too */
  /* Interned zone names. */
  ZoneSlot *zslots;
  uint32_t zcap;
  Vec znames;
  int *zmark;  /* by zone id: the serial of the newest Zones holding it */
  int *zfirst; /* by zone id: scratch for the caller of the newest Zones */
  int zserial;
} Check;

/* ---- check.c: facts and helpers ---- */

int check_zone(Check *k, Decl *subnet); /* -1 when not known */
const char *check_zone_name(Check *k, int zone);
void zones_begin(Check *k, Zones *z);
void zones_add(Check *k, Zones *z, int zone);
bool zones_has(const Zones *z, int zone);
/* Zones of the subnets of a list; unknown when one of them is. */
void zones_of_list(Check *k, Zones *z, Expr *list);
/* "ap-northeast-1a, ap-northeast-1c and ap-northeast-1d" */
const char *zones_desc(Check *k, const Zones *z);
/* A zone of the stack's region that z lacks, or NULL. */
const char *zone_missing(Check *k, const Zones *z);

int list_len(const Expr *e); /* a list's items; a single value counts 1 */
Expr *list_at(const Expr *e, int i);
Decl *item_decl(const Expr *item); /* the resource an item names, or NULL */
bool list_complete(const Expr *e); /* every item names a resource */
/* An attribute written with a value in error, or absent from a declaration
   a syntax error cut short (Decl.lost): its default must not stand in. */
bool attr_failed(const Decl *d, const char *name);
bool member_attr_failed(const Member *m, const char *name);
bool is_word(const Expr *e, const char *word); /* the bare word `word` */
/* The statements named `name` of a declaration or block: for (i = 0; (m =
   next_stmt(members, name, &i));) */
Member *next_stmt(const Vec *members, const char *name, int *i);
const char *container_name(const Member *container); /* NULL when in error */
/* A CIDR known at compile time and free of host bits (E201 reports those). */
bool check_cidr(const Expr *e, Cidr *out);
Decl *vpc_of(const Decl *d);                     /* the vpc a resource stands in, or NULL */
const char *kind_words(Check *k, const Decl *d); /* "security group", "load balancer" */
const char *decl_desc(Check *k, const Decl *d);  /* "security group web", "param p" */
const char *size_desc(Check *k, int64_t bytes);  /* "512MiB", "1GiB" */
const char *cidr_desc(Check *k, Cidr c);         /* "10.0.0.0/16" */
const char *range_desc(Check *k, Cidr c);        /* "10.0.0.0 - 10.0.255.255" */
/* A walk over expressions, outside in: visit returns whether to go inside
   e. stmt is the statement the expression stands in, if any. */
typedef struct Walk Walk;
typedef bool ExprVisitor(Walk *w, Expr *e);
struct Walk {
  Check *k;
  Decl *d;
  const Member *stmt;
  ExprVisitor *visit;
  void *ctx;
};
void check_walk(Walk *w); /* every expression of w->d */
void check_walk_expr(Walk *w, Expr *e);

/* Items of a list with an integer key, for finding duplicates in n log n. */
typedef struct {
  int64_t key;
  int order;
  void *item;
} Keyed;
/* Sorts v by key (then order) and calls dup for each item whose key an
   earlier one had, with the first of them. */
typedef void DupReport(Check *k, void *ctx, Keyed *first, Keyed *again);
void check_duplicates(Check *k, Keyed *v, int n, DupReport *dup, void *ctx);

/* ---- check_net.c: addresses, VPCs, zones (E201-E206, E401-E405, W403) ---- */

/* A visitor: CIDR literals with host bits (E201), cidr() out of its base (E106). */
bool check_addresses(Walk *w, Expr *e);
void check_vpc(Check *k, Decl *d);
void check_subnet(Check *k, Decl *d);
void check_group_description(Check *k, Decl *d);
void check_zone_in_region(Check *k, Decl *d);
void check_overlaps(Check *k);
void check_route_table(Check *k, Decl *d);
void check_nat(Check *k, Decl *d);
void check_lb_network(Check *k, Decl *d);
void check_instance_network(Check *k, Decl *d);
void check_database_network(Check *k, Decl *d);
void check_service_network(Check *k, Decl *d);

/* ---- check_ports.c: ports and containers (E301-E308, E501, E502, W402) ---- */

void check_rules(Check *k, Decl *d);
void check_listeners(Check *k, Decl *d);
void check_target_group(Check *k, Decl *d);
void check_task(Check *k, Decl *d);
void check_service(Check *k, Decl *d);

/* ---- check_capacity.c: what a cluster's hosts hold (W401, W402) ---- */

/* A host of a cluster: an instance that joins it, or its capacity block
   (count: its min instances). */
typedef struct {
  Decl *instance;
  Member *capacity;
  int64_t count;
  const char *type; /* the instance type, NULL when not known */
  Expr *type_at;
} Host;
#define FIT_HOSTS 64 /* the hosts of a cluster that W402 counts */
int cluster_hosts(Check *k, Decl *cluster, Host *out, int max);
int64_t hosts_count(const Host *h, int n); /* instances, counting capacity's min */

/* The limit that decides how many tasks an instance holds. */
typedef enum { BIND_NONE, BIND_PORT, BIND_MEMORY, BIND_CPU } Bind;
typedef struct {
  int64_t instances; /* the hosts counted */
  int64_t tasks;     /* of the service, on all of them; INT64_MAX: no known limit */
  Bind bind;         /* on the host that holds the fewest */
  int64_t per;       /* tasks per instance there */
  int64_t need, have; /* memory (bytes) or CPU units: per task, per instance */
  Expr *at;          /* where the task's need is written */
  Host host;
} Fit;
/* The tasks of task the hosts of cluster hold; fixed_port: a task claims a
   fixed host port, so one per instance. */
Fit service_fit(Check *k, Decl *cluster, Decl *task, bool fixed_port);
const char *fit_desc(Check *k, const Fit *f); /* memory or CPU: which binds, and why */
const char *type_article(const char *type);   /* "a" t3.small, "an" m5.large */

/* ---- check_graph.c: the reference graph (E107, W401) ---- */

void check_cycles(Check *k);
void check_capacity(Check *k, Decl *d);

/* ---- check_security.c: lints (W601-W605) ---- */

void check_open_admin(Check *k, Decl *d);
void check_database_exposure(Check *k, Decl *d);
void check_plain_http(Check *k, Decl *d);
void check_log_retention(Check *k, Decl *d);
void check_env_secrets(Check *k, Decl *d);

/* ---- check_reach.c: reachability from the internet (W607) ---- */

void check_reachability(Check *k);

/* ---- check_secrets.c: a secret param in plain text (W609) ---- */

void check_secret_exposure(Check *k, Decl *d); /* any declaration */

/* ---- check_parts.c: part_ids keys that name no part (E104) ---- */

void check_part_ids(Check *k, Decl *d); /* any declaration */

/* ---- check_values.c: values AWS enumerates, from the type table (E106) ---- */

void check_enumerated(Check *k, Decl *d); /* database engine version and class, instance type */
void check_fargate_size(Check *k, Decl *d);
void check_retention_value(Check *k, Decl *d, Expr *e);
/* ---- check_names.c: two declarations AWS would name alike (E114) ---- */

void check_names(Check *k);

/* ---- check_deployable.c: what AWS refuses (E105, E106, E503) ---- */

void check_role_policy(Check *k, Decl *d);
void check_task_secrets(Check *k, Decl *d);
void check_zone_id(Check *k, Decl *d);
void check_db_parameters(Check *k, Decl *d);
void check_db_password(Check *k, Decl *d);
bool check_unmade_export(Walk *w, Expr *e); /* a visitor */

#endif
