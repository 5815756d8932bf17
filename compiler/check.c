/* check.c: the checker. Runs after resolution on the whole program: first
   the facts several rules share (the region, zones, public subnets, which
   instances join a cluster, which services a target group feeds), then each
   rule over the declarations of its kind. A value in error, or one known
   only at deploy time, is unknown here and no rule reports on it, so errors
   never cascade. */
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- reading values ---- */

int list_len(const Expr *e) {
  return !e ? 0 : e->k == EX_LIST ? e->items.n : 1;
}

Expr *list_at(const Expr *e, int i) {
  return e->k == EX_LIST ? e->items.v[i] : (Expr *)e;
}

Decl *item_decl(const Expr *item) {
  if (!item || item->k != EX_NAME || !item->ref) return NULL;
  return item->ref->k == D_RESOURCE && item->ref->schema ? item->ref : NULL;
}

bool list_complete(const Expr *e) {
  for (int i = 0; i < list_len(e); i++)
    if (!item_decl(list_at(e, i))) return false;
  return true;
}

bool attr_failed(const Decl *d, const char *name) {
  if (!d->schema || !d->attrs) return false;
  int i = kind_attr_index(d->schema, name);
  if (i >= 0 && !d->attrs[i]) return d->lost; /* absent, or lost to a syntax error */
  return i >= 0 && d->attrs[i]->k == EX_ERROR;
}

bool member_attr_failed(const Member *m, const char *name) {
  if (!m->stmt || !m->stmt->body || !m->attrs) return false;
  int i = kind_attr_index(m->stmt->body, name);
  return i >= 0 && m->attrs[i] && m->attrs[i]->k == EX_ERROR;
}

bool is_word(const Expr *e, const char *word) {
  return e && e->k == EX_NAME && !strcmp(e->name, word);
}

Member *next_stmt(const Vec *members, const char *name, int *i) {
  while (*i < members->n) {
    Member *m = members->v[(*i)++];
    if (m->k == M_STMT && m->stmt && !strcmp(m->name, name)) return m;
  }
  return NULL;
}

const char *container_name(const Member *container) {
  Expr *label = stmt_slot(container, "label", 0);
  return label ? label->name : NULL;
}

bool check_cidr(const Expr *e, Cidr *out) {
  return eval_cidr(e, out) && !cidr_has_host_bits(*out);
}

Decl *vpc_of(const Decl *d) {
  if (decl_is(d, "vpc")) return (Decl *)d;
  if (decl_is(d, "nat_gateway") || decl_is(d, "instance")) return vpc_of(decl_ref(d, "subnet"));
  return decl_ref(d, "vpc");
}

/* ---- words for messages ---- */

const char *kind_words(Check *k, const Decl *d) {
  char *s = arena_strndup(k->a, d->kind_name, strlen(d->kind_name));
  for (char *p = s; *p; p++)
    if (*p == '_') *p = ' ';
  return s;
}

const char *decl_desc(Check *k, const Decl *d) {
  const char *kind = d->k == D_RESOURCE ? kind_words(k, d) : d->kind_name;
  return arena_printf(k->a, "%s %s", kind, d->name);
}

const char *size_desc(Check *k, int64_t bytes) {
  static const char *const units[] = {"TiB", "GiB", "MiB", "KiB"};
  for (int i = 0; i < 4; i++) {
    int64_t unit = (int64_t)1 << (10 * (4 - i));
    if (bytes && bytes % unit == 0)
      return arena_printf(k->a, "%lld%s", (long long)(bytes / unit), units[i]);
  }
  return arena_printf(k->a, "%lld bytes", (long long)bytes);
}

const char *cidr_desc(Check *k, Cidr c) {
  char buf[19];
  cidr_format(c, buf);
  return arena_strndup(k->a, buf, strlen(buf));
}

const char *range_desc(Check *k, Cidr c) {
  char lo[16], hi[16];
  return arena_printf(k->a, "%s - %s", ip_format(cidr_first(c), lo), ip_format(cidr_last(c), hi));
}

/* ---- zones ---- */

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* The id of a zone name; with insert, a new id for a new name, else -1. */
static int zone_id(Check *k, const char *name, bool insert) {
  uint32_t i = hash_str(name) & (k->zcap - 1);
  while (k->zslots[i].key && strcmp(k->zslots[i].key, name))
    i = (i + 1) & (k->zcap - 1);
  if (k->zslots[i].key || !insert) return k->zslots[i].key ? k->zslots[i].id : -1;
  k->zslots[i].key = name;
  k->zslots[i].id = k->znames.n;
  vec_push(k->a, &k->znames, (void *)name);
  return k->zslots[i].id;
}

int check_zone(Check *k, Decl *subnet) {
  if (!decl_is(subnet, "subnet")) return -1;
  int *z = &k->zone[subnet->index];
  if (*z == -2) {
    const char *name = eval_string(decl_attr(subnet, "az"));
    *z = name && *name ? zone_id(k, name, true) : -1;
  }
  return *z;
}

bool zones_has(const Zones *z, int zone) {
  for (int i = 0; i < z->n; i++)
    if (z->v[i] == zone) return true;
  return false;
}

const char *check_zone_name(Check *k, int zone) {
  return k->znames.v[zone];
}

void zones_begin(Check *k, Zones *z) {
  *z = (Zones){.serial = ++k->zserial};
}

void zones_add(Check *k, Zones *z, int zone) {
  if (zone < 0) {
    z->unknown = true;
    return;
  }
  if (k->zmark[zone] == z->serial) return;
  k->zmark[zone] = z->serial;
  if (z->n == z->cap) {
    z->cap = z->cap ? z->cap * 2 : 4;
    int *v = arena_alloc(k->a, sizeof(int) * (size_t)z->cap);
    if (z->n) memcpy(v, z->v, sizeof(int) * (size_t)z->n);
    z->v = v;
  }
  z->v[z->n++] = zone;
}

void zones_of_list(Check *k, Zones *z, Expr *list) {
  zones_begin(k, z);
  if (!list) z->unknown = true;
  for (int i = 0; i < list_len(list); i++)
    zones_add(k, z, check_zone(k, item_decl(list_at(list, i))));
}

const char *zones_desc(Check *k, const Zones *z) {
  Buf b = {0};
  for (int i = 0; i < z->n; i++)
    buf_printf(&b, "%s%s",
               i == 0          ? ""
               : i == z->n - 1 ? " and "
                               : ", ",
               check_zone_name(k, z->v[i]));
  const char *s = arena_strndup(k->a, b.s ? b.s : "", b.len);
  buf_free(&b);
  return s;
}

const char *zone_missing(Check *k, const Zones *z) {
  if (!k->region) return NULL;
  for (const char *const *name = k->region->zones; *name; name++)
    if (!zones_has(z, zone_id(k, *name, false))) return *name;
  return NULL;
}

/* ---- walking expressions ---- */

void check_walk_expr(Walk *w, Expr *e) {
  if (!e || !w->visit(w, e)) return;
  switch (e->k) {
  case EX_FIELD: check_walk_expr(w, e->base); break;
  case EX_CALL:
  case EX_LIST:
    for (int i = 0; i < e->items.n; i++)
      check_walk_expr(w, e->items.v[i]);
    break;
  case EX_STR:
    for (StrPart *p = e->parts; p; p = p->next)
      check_walk_expr(w, p->expr);
    break;
  default: break;
  }
}

static void walk_members(Walk *w, const Vec *members) {
  for (int i = 0; i < members->n; i++) {
    Member *m = members->v[i];
    w->stmt = m->k == M_STMT ? m : NULL;
    if (m->k == M_ATTR) check_walk_expr(w, m->value);
    for (int j = 0; j < m->words.n; j++)
      check_walk_expr(w, m->words.v[j]);
    walk_members(w, &m->body);
  }
  w->stmt = NULL;
}

void check_walk(Walk *w) {
  w->stmt = NULL;
  check_walk_expr(w, w->d->value);
  walk_members(w, &w->d->members);
}

/* ---- duplicates ---- */

static int keyed_cmp(const void *pa, const void *pb) {
  const Keyed *a = pa, *b = pb;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return (a->order > b->order) - (a->order < b->order);
}

void check_duplicates(Check *k, Keyed *v, int n, DupReport *dup, void *ctx) {
  if (n < 2) return;
  qsort(v, (size_t)n, sizeof *v, keyed_cmp);
  int first = 0;
  for (int i = 1; i < n; i++) {
    if (v[i].key != v[first].key)
      first = i;
    else
      dup(k, ctx, &v[first], &v[i]);
  }
}

/* ---- facts ---- */

/* stack -> region: one of the regions AWS has (E106). */
static void check_region(Check *k) {
  Expr *e = decl_attr(k->stack, "region");
  const char *name = eval_string(e);
  if (!name) return;
  k->region = region_find(name, strlen(name));
  if (k->region) return;
  size_t n;
  const Region *all = region_all(&n);
  const char **cands = arena_alloc(k->a, sizeof(char *) * n);
  for (size_t i = 0; i < n; i++)
    cands[i] = all[i].name;
  Diag *d =
      diag_error(k->c, "E106", e->span, "unknown region \"%s\" in stack %s", name, k->stack->name);
  const char *s = resolve_suggest(name, cands, (int)n);
  if (s) {
    diag_help(k->c, d, "did you mean \"%s\"?", s);
    diag_fix(k->c, d, e->span, arena_printf(k->a, "\"%s\"", s));
  } else {
    diag_help(k->c, d, "a region is named as \"ap-northeast-1\" or \"eu-west-1\"");
  }
}

/* What a route table gives its subnets: public when it routes 0.0.0.0/0 to
   an internet gateway; unknown when a route is in error. */
static Reach table_reach(const Decl *rt) {
  Reach r = REACH_PRIVATE;
  for (int i = 0; i < rt->members.n; i++) {
    Member *m = rt->members.v[i];
    if (m->k != M_STMT || !m->stmt || strcmp(m->name, "route")) continue;
    Cidr dst;
    Decl *to = item_decl(stmt_slot(m, "target", 0));
    if (!check_cidr(stmt_slot(m, "cidr", 0), &dst) || !to)
      r = REACH_UNKNOWN;
    else if (dst.prefix == 0 && decl_is(to, "internet_gateway"))
      return REACH_PUBLIC;
  }
  return r;
}

/* The declaration a `resource` property names (`igw`, `igw.id`), or NULL. */
static Decl *prop_decl(const Decl *d, const char *key) {
  const Expr *e = decl_prop(d, key);
  while (e && e->k == EX_FIELD)
    e = e->base;
  return e && e->k == EX_NAME ? e->ref : NULL;
}

static bool is_type(const Decl *d, const char *kind, const char *type) {
  return d && (decl_is(d, kind) || (d->type_name && !strcmp(d->type_name, type)));
}

/* A `resource` route or association may add to a route table kind (an
   import writes them so): a route 0.0.0.0/0 to an internet gateway makes
   the table public, any other route of its own leaves it as it is. */
typedef enum { RT_ROUTE, RT_ASSOCIATION } RouteRole;
static const struct {
  const char *type;
  RouteRole role;
} route_resources[] = {
    {"AWS::EC2::Route", RT_ROUTE},
    {"AWS::EC2::SubnetRouteTableAssociation", RT_ASSOCIATION},
};

static int route_role(const Decl *d) {
  for (size_t i = 0; d->k == D_RESOURCE && d->type_name && i < sizeof route_resources / sizeof *route_resources; i++)
    if (!strcmp(d->type_name, route_resources[i].type)) return (int)route_resources[i].role;
  return -1;
}

static Reach route_reach(const Decl *route) {
  Decl *gw = prop_decl(route, "GatewayId");
  const Expr *dst = decl_prop(route, "DestinationCidrBlock");
  const char *to = eval_string(dst);
  if (gw && is_type(gw, "internet_gateway", "AWS::EC2::InternetGateway") && to &&
      !strcmp(to, "0.0.0.0/0"))
    return REACH_PUBLIC;
  return dst && !to ? REACH_UNKNOWN : REACH_PRIVATE;
}

static void give(Reach *reach, Decl **table, Decl *s, Decl *rt, Reach r) {
  if (table && !table[s->index]) table[s->index] = rt;
  if (reach[s->index] != REACH_PUBLIC && r != REACH_PRIVATE) reach[s->index] = r;
}

/* A subnet is public when a route table that lists it routes 0.0.0.0/0 to
   an internet gateway; private when every table is known and none does.
   Also what `infrac graph` draws as public (backends/graph.c). */
void subnet_reach(Compilation *c, Reach *reach, Decl **table) {
  Vec *decls = &c->prog.decls;
  bool tables_known = true;
  Reach *treach = calloc((size_t)decls->n + 1, sizeof *treach);
  for (int i = 0; i < decls->n; i++) {
    reach[i] = REACH_PRIVATE;
    if (decl_is(decls->v[i], "route_table")) treach[i] = table_reach(decls->v[i]);
  }
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i], *rt = prop_decl(d, "RouteTableId");
    if (route_role(d) != RT_ROUTE || !rt) continue;
    Reach r = route_reach(d);
    if (decl_is(rt, "route_table") && treach[rt->index] != REACH_PUBLIC && r != REACH_PRIVATE)
      treach[rt->index] = r;
  }
  for (int i = 0; i < decls->n; i++) {
    Decl *rt = decls->v[i];
    if (!decl_is(rt, "route_table")) continue;
    Expr *subnets = decl_attr(rt, "subnets");
    if (attr_failed(rt, "subnets") || !list_complete(subnets)) tables_known = false;
    for (int j = 0; j < list_len(subnets); j++) {
      Decl *s = item_decl(list_at(subnets, j));
      if (s) give(reach, table, s, rt, treach[i]);
    }
  }
  /* a subnet a `resource` associates: with a table kind, as if listed; with
     a table infrac does not read, unknown */
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i], *s = prop_decl(d, "SubnetId"), *rt = prop_decl(d, "RouteTableId");
    if (route_role(d) != RT_ASSOCIATION || !decl_is(s, "subnet")) continue;
    if (decl_is(rt, "route_table"))
      give(reach, table, s, rt, treach[rt->index]);
    else if (reach[s->index] != REACH_PUBLIC)
      reach[s->index] = REACH_UNKNOWN;
  }
  for (int i = 0; i < decls->n; i++)
    if (!tables_known && reach[i] == REACH_PRIVATE) reach[i] = REACH_UNKNOWN;
  free(treach);
}

/* The public subnets of each VPC, for the rules that need them. */
static void find_public_subnets(Check *k) {
  Vec *decls = &k->c->prog.decls;
  subnet_reach(k->c, k->reach, k->table);
  for (int i = 0; i < decls->n; i++) {
    Decl *s = decls->v[i];
    if (decl_is(s, "subnet") && k->reach[i] == REACH_PUBLIC && vpc_of(s))
      vec_push(k->a, &k->joined[vpc_of(s)->index], s);
  }
}

static void join(Check *k, Decl *to, Decl *d) {
  Vec *v = &k->joined[to->index];
  if (!v->n || v->v[v->n - 1] != d) vec_push(k->a, v, d);
}

/* Instances by the cluster they join; services by the target groups their
   load_balancer blocks register in. (Public subnets by vpc: above.) */
static void find_joins(Check *k) {
  Vec *decls = &k->c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (decl_is(d, "instance") && decl_ref(d, "cluster")) join(k, decl_ref(d, "cluster"), d);
    if (d->type_name && !strncmp(d->type_name, "AWS::ElasticLoadBalancingV2::", 29))
      k->listeners_unknown = true;
    Member *l;
    for (int j = 0; decl_is(d, "load_balancer") && (l = next_stmt(&d->members, "listener", &j));) {
      Decl *tg = item_decl(member_attr(l, "forward"));
      if (tg) k->forwarded[tg->index] = true;
    }
    if (!decl_is(d, "service")) continue;
    for (int j = 0; j < d->members.n; j++) {
      Member *m = d->members.v[j];
      Decl *tg = m->k == M_STMT && m->stmt && !strcmp(m->name, "load_balancer")
                     ? item_decl(member_attr(m, "target_group"))
                     : NULL;
      if (tg) join(k, tg, d);
    }
  }
}

static void prepare(Check *k, Compilation *c) {
  int n = c->prog.decls.n, subnets = 0;
  for (int i = 0; i < n; i++)
    subnets += decl_is(c->prog.decls.v[i], "subnet");
  k->c = c;
  k->a = &c->arena;
  k->stack = c->prog.stack;
  k->zone = arena_alloc(k->a, sizeof(int) * (size_t)(n + 1));
  for (int i = 0; i < n; i++)
    k->zone[i] = -2;
  k->reach = arena_alloc(k->a, sizeof(Reach) * (size_t)(n + 1));
  k->table = arena_alloc(k->a, sizeof(Decl *) * (size_t)(n + 1));
  k->joined = arena_alloc(k->a, sizeof(Vec) * (size_t)(n + 1));
  k->capacity = arena_alloc(k->a, sizeof(Zones *) * (size_t)(n + 1));
  k->forwarded = arena_alloc(k->a, sizeof(bool) * (size_t)(n + 1));
  k->zcap = 16;
  while (k->zcap < (uint32_t)subnets * 2 + 16)
    k->zcap *= 2;
  k->zslots = arena_alloc(k->a, sizeof(ZoneSlot) * k->zcap);
  k->zmark = arena_alloc(k->a, sizeof(int) * k->zcap);
  k->zfirst = arena_alloc(k->a, sizeof(int) * k->zcap);
  if (k->stack) check_region(k);
  for (int i = 0; i < n; i++)
    if (decl_is(c->prog.decls.v[i], "subnet")) check_zone_in_region(k, c->prog.decls.v[i]);
  find_public_subnets(k);
  find_joins(k);
}

/* ---- the rules, by kind ---- */

static const struct {
  const char *kind;
  void (*rule)(Check *, Decl *);
} rules[] = {
    {"vpc", check_vpc},
    {"subnet", check_subnet},
    {"route_table", check_route_table},
    {"nat_gateway", check_nat},
    {"security_group", check_rules},
    {"security_group", check_open_admin},
    {"security_group", check_group_description},
    {"role", check_role_policy},
    {"instance", check_instance_network},
    {"instance", check_enumerated},
    {"database", check_database_network},
    {"database", check_database_exposure},
    {"database", check_enumerated},
    {"database", check_db_parameters},
    {"database", check_db_password},
    {"zone", check_zone_id},
    {"target_group", check_target_group},
    {"load_balancer", check_lb_network},
    {"load_balancer", check_listeners},
    {"load_balancer", check_capacity},
    {"load_balancer", check_plain_http},
    {"log_group", check_log_retention},
    {"task", check_task},
    {"task", check_env_secrets},
    {"task", check_fargate_size},
    {"task", check_task_secrets},
    {"service", check_service_network},
    {"service", check_service},
};

void check_program(Compilation *c) {
  Check k = {0};
  const Schema *kind[countof(rules)];
  for (size_t r = 0; r < countof(rules); r++)
    kind[r] = kind_find(rules[r].kind);
  prepare(&k, c);
  check_cycles(&k);
  Vec *decls = &c->prog.decls;
  bool unmade = false; /* exports that some declaration does not make */
  for (int i = 0; i < decls->n; i++)
    unmade |= (decl_is(decls->v[i], "zone") && decl_attr(decls->v[i], "id")) ||
              (decl_is(decls->v[i], "database") && !is_word(decl_attr(decls->v[i], "password"), "managed"));
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    Walk w = {.k = &k, .d = d, .visit = check_addresses};
    check_walk(&w);
    if (unmade) {
      Walk u = {.k = &k, .d = d, .visit = check_unmade_export};
      check_walk(&u);
    }
    for (size_t r = 0; r < countof(rules); r++)
      if (d->k == D_RESOURCE && d->schema == kind[r]) rules[r].rule(&k, d);
    check_secret_exposure(&k, d);
    check_part_ids(&k, d);
  }
  check_overlaps(&k);
  check_names(&k);
  check_reachability(&k);
  check_aws(c);
}
