/* exposure.c: what the internet can reach (exposure.h). One pass gathers
   the routes to internet gateways by subnet and the ports the instances of
   each cluster listen on; then each instance, database and load balancer
   is walked along subnet -> address -> groups -> rules. A value known only
   at deploy time (a param, a rule in error) is never claimed reachable. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exposure.h"

typedef struct {
  ExpoProto proto;
  int lo, hi;
} PortSpan;

typedef struct {
  PortSpan *v;
  int n, cap;
} Spans;

typedef struct {
  Decl *table, *igw;
  Member *route;
  Cidr dst;
} IgwRoute;

typedef struct {
  Compilation *c;
  Arena *a;
  Vec *routes;   /* by subnet index: IgwRoute* that serve it */
  Spans *listen; /* by cluster index: host ports of its services' containers */
  Vec out;       /* Exposure* */
} X;

/* The port a database engine listens on: RDS's default for each engine. */
static const struct {
  const char *engine;
  int port;
} engine_ports[] = {{"postgres", 5432}, {"mysql", 3306}, {"mariadb", 3306}};

/* ECS's range for dynamic host ports (bridge mode, host port 0). */
enum { EPHEMERAL_LO = 32768, EPHEMERAL_HI = 65535, SSH_PORT = 22 };

/* Address ranges that are not the internet (RFC 1918, 6598, loopback and
   link-local): a rule from inside them admits no internet host. */
static const Cidr private_ranges[] = {
    {0x0A000000, 8},  /* 10.0.0.0/8 */ {0xAC100000, 12},     /* 172.16.0.0/12 */
    {0xC0A80000, 16}, /* 192.168.0.0/16 */ {0x64400000, 10}, /* 100.64.0.0/10 */
    {0x7F000000, 8},  /* 127.0.0.0/8 */ {0xA9FE0000, 16},    /* 169.254.0.0/16 */
};

static void spans_add(Arena *a, Spans *s, ExpoProto proto, int lo, int hi) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 4;
    PortSpan *v = arena_alloc(a, sizeof *v * (size_t)s->cap);
    if (s->n) memcpy(v, s->v, sizeof *v * (size_t)s->n);
    s->v = v;
  }
  s->v[s->n++] = (PortSpan){proto, lo, hi};
}

/* -1 when a boolean is known only at deploy time. A param is not read for
   its default here: eval_bool would fold it into the template (eval.c). */
static int known_bool(const Expr *e, bool def) {
  return !e ? def : e->k == EX_BOOL ? e->i != 0 : -1;
}

static bool is_private(Cidr c) {
  for (size_t i = 0; i < countof(private_ranges); i++)
    if (cidr_contains(private_ranges[i], c)) return true;
  return false;
}

/* ---- gathering ---- */

/* Each route table's routes to an internet gateway, on the subnets it lists. */
static void gather_routes(X *x) {
  Vec *decls = &x->c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *rt = decls->v[i];
    if (!decl_is(rt, "route_table")) continue;
    Member *m;
    for (int j = 0; (m = next_stmt(&rt->members, "route", &j));) {
      Decl *igw = item_decl(stmt_slot(m, "target", 0));
      Cidr dst;
      if (!decl_is(igw, "internet_gateway") || !check_cidr(stmt_slot(m, "cidr", 0), &dst)) continue;
      IgwRoute *r = arena_alloc(x->a, sizeof *r);
      *r = (IgwRoute){rt, igw, m, dst};
      Expr *subnets = decl_attr(rt, "subnets");
      for (int k = 0; k < list_len(subnets); k++) {
        Decl *s = item_decl(list_at(subnets, k));
        if (decl_is(s, "subnet")) vec_push(x->a, &x->routes[s->index], r);
      }
    }
  }
}

/* The host ports a task's containers bind on an instance: a mapped host
   port, the container port in network mode host, the dynamic range for a
   dynamic mapping. awsvpc tasks have interfaces of their own. */
static void task_host_ports(X *x, Spans *s, const Decl *task) {
  Expr *mode = decl_attr(task, "network_mode");
  if (is_word(mode, "awsvpc") || (mode && !is_word(mode, "bridge") && !is_word(mode, "host")))
    return;
  Member *c, *p;
  for (int i = 0; (c = next_stmt(&task->members, "container", &i));)
    for (int j = 0; (p = next_stmt(&c->body, "port", &j));) {
      bool mapped = stmt_word(p, "port", 1) != NULL;
      Expr *host = stmt_slot(p, "port", 0);
      if (!host || host->k != EX_INT) continue;
      if (mapped && host->i > 0)
        spans_add(x->a, s, EXPO_TCP, (int)host->i, (int)host->i);
      else if (is_word(mode, "host"))
        spans_add(x->a, s, EXPO_TCP, (int)stmt_slot(p, "port", mapped)->i,
                  (int)stmt_slot(p, "port", mapped)->i);
      else
        spans_add(x->a, s, EXPO_TCP, EPHEMERAL_LO, EPHEMERAL_HI);
    }
}

static void gather_listeners(X *x) {
  Vec *decls = &x->c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *svc = decls->v[i], *cluster = decl_ref(svc, "cluster"), *task = decl_ref(svc, "task");
    if (!decl_is(svc, "service") || !cluster || !task) continue;
    Expr *launch = decl_attr(svc, "launch_type");
    if (!launch || is_word(launch, "ec2")) task_host_ports(x, &x->listen[cluster->index], task);
  }
}

/* What a target listens on; NULL when it is not known (anything may). */
static Spans *listening(X *x, Decl *d) {
  Spans *s = arena_alloc(x->a, sizeof *s);
  if (decl_is(d, "instance")) {
    Decl *cluster = decl_ref(d, "cluster");
    if (!cluster) return NULL;                        /* its user data may start anything */
    spans_add(x->a, s, EXPO_TCP, SSH_PORT, SSH_PORT); /* sshd of the ECS-optimized AMIs */
    Spans *c = &x->listen[cluster->index];
    for (int i = 0; i < c->n; i++)
      spans_add(x->a, s, c->v[i].proto, c->v[i].lo, c->v[i].hi);
  } else if (decl_is(d, "database")) {
    Expr *engine = decl_attr(d, "engine");
    for (size_t i = 0; i < countof(engine_ports); i++)
      if (is_word(engine, engine_ports[i].engine))
        spans_add(x->a, s, EXPO_TCP, engine_ports[i].port, engine_ports[i].port);
  } else {
    Member *m;
    for (int i = 0; (m = next_stmt(&d->members, "listener", &i));) {
      Expr *port = stmt_slot(m, "port", 0);
      if (port && port->k == EX_INT) spans_add(x->a, s, EXPO_TCP, (int)port->i, (int)port->i);
    }
  }
  return s;
}

/* ---- walking a target ---- */

/* The ports and protocols an ingress rule admits (a port, a range, or a
   list of them); none for ICMP or a rule in error. */
static void rule_spans(X *x, const Member *m, Spans *out) {
  Expr *proto = stmt_slot(m, "proto", 0), *ports = stmt_slot(m, "ports", 0);
  out->n = 0;
  if (is_word(proto, "all")) {
    spans_add(x->a, out, EXPO_ALL, 0, 65535);
    return;
  }
  ExpoProto p = is_word(proto, "tcp") ? EXPO_TCP : is_word(proto, "udp") ? EXPO_UDP : EXPO_ALL;
  if (p == EXPO_ALL) return;
  for (int i = 0; i < list_len(ports); i++) {
    Expr *e = list_at(ports, i);
    if (e->k == EX_INT || e->k == EX_PORTS)
      spans_add(x->a, out, p, (int)e->i, (int)(e->k == EX_PORTS ? e->hi : e->i));
  }
}

static bool meet(PortSpan a, PortSpan b, PortSpan *out) {
  if (a.proto != EXPO_ALL && b.proto != EXPO_ALL && a.proto != b.proto) return false;
  out->proto = a.proto == EXPO_ALL ? b.proto : a.proto;
  out->lo = a.lo > b.lo ? a.lo : b.lo;
  out->hi = a.hi < b.hi ? a.hi : b.hi;
  return out->lo <= out->hi;
}

/* How a target without an elastic IP gets a public address: a public IP
   at launch (its own setting, else its subnet's), a public database, an
   internet-facing balancer. NULL: none, or one known only at deploy time. */
static const char *public_address(const Decl *d) {
  if (decl_is(d, "instance")) {
    int own = known_bool(decl_attr(d, "public_ip"), false);
    if (own == 1) return "public IP";
    /* public_ip = false leaves the subnet's setting (lower_instance) */
    Decl *s = decl_ref(d, "subnet");
    return own == 0 && s && known_bool(decl_attr(s, "map_public_ip"), false) == 1 ? "public IP"
                                                                                  : NULL;
  }
  if (decl_is(d, "database"))
    return known_bool(decl_attr(d, "public"), false) == 1 ? "public endpoint" : NULL;
  Expr *scheme = decl_attr(d, "scheme");
  return !scheme || is_word(scheme, "internet_facing") ? "public address" : NULL;
}

static void walk_target(X *x, Decl *d, Decl **eips) {
  Decl *eip = eips[d->index];
  const char *addr = eip ? eip->name : public_address(d);
  if (!addr) return;
  Expr *subnets = decl_is(d, "instance") ? decl_attr(d, "subnet") : decl_attr(d, "subnets");
  Decl *subnet = NULL;
  IgwRoute *route = NULL;
  for (int i = 0; i < list_len(subnets) && !route; i++) {
    Decl *s = item_decl(list_at(subnets, i));
    if (s && decl_is(s, "subnet") && x->routes[s->index].n)
      subnet = s, route = x->routes[s->index].v[0];
  }
  if (!route) return; /* no subnet of it routes to an internet gateway */
  Spans *listen = listening(x, d);
  Expr *groups = decl_attr(d, "security_groups");
  bool lb = decl_is(d, "load_balancer");
  Spans admitted = {0};
  for (int g = 0; g < list_len(groups); g++) {
    Decl *sg = item_decl(list_at(groups, g));
    if (!decl_is(sg, "security_group")) continue;
    Member *m;
    for (int i = 0; (m = next_stmt(&sg->members, "ingress", &i));) {
      Cidr peer, from = {0};
      if (!check_cidr(stmt_slot(m, "peer", 0), &peer) || is_private(peer))
        continue; /* a group peer admits its members only */
      rule_spans(x, m, &admitted);
      /* The subnet's routes to the gateway that answer this range: the
         widest wins, as the chain to name. */
      Vec *rs = &x->routes[subnet->index];
      IgwRoute *via = NULL;
      for (int r = 0; r < rs->n; r++) {
        IgwRoute *cand = rs->v[r];
        Cidr meet_c;
        if (cidr_intersect(cand->dst, peer, &meet_c) && (!via || meet_c.prefix < from.prefix))
          via = cand, from = meet_c;
      }
      if (!via) continue;
      int n = listen ? listen->n : 1;
      for (int a = 0; a < admitted.n; a++)
        for (int l = 0; l < n; l++) {
          PortSpan reached;
          PortSpan any = {EXPO_ALL, 0, 65535};
          if (!meet(admitted.v[a], listen ? listen->v[l] : any, &reached)) continue;
          Exposure *e = arena_alloc(x->a, sizeof *e);
          *e = (Exposure){.target = d,
                          .igw = via->igw,
                          .table = via->table,
                          .route = via->route,
                          .dst = via->dst,
                          .subnet = subnet,
                          .address = eip,
                          .address_desc = addr,
                          .group = sg,
                          .rule = m,
                          .from = from,
                          .proto = reached.proto,
                          .lo = reached.lo,
                          .hi = reached.hi,
                          .fronted = lb};
          vec_push(x->a, &x->out, e);
        }
    }
  }
}

Exposure *exposure_find(Compilation *c, int *n) {
  Vec *decls = &c->prog.decls;
  size_t slots = (size_t)decls->n + 1;
  X x = {.c = c, .a = &c->arena};
  x.routes = arena_alloc(x.a, sizeof(Vec) * slots);
  x.listen = arena_alloc(x.a, sizeof(Spans) * slots);
  Decl **eips = arena_alloc(x.a, sizeof(Decl *) * slots);
  gather_routes(&x);
  gather_listeners(&x);
  for (int i = 0; i < decls->n; i++) {
    Decl *ip = decls->v[i], *inst = decl_ref(ip, "instance");
    if (decl_is(ip, "elastic_ip") && decl_is(inst, "instance") && !eips[inst->index])
      eips[inst->index] = ip;
  }
  for (int i = 0; i < decls->n; i++) {
    Decl *d = decls->v[i];
    if (decl_is(d, "instance") || decl_is(d, "database") || decl_is(d, "load_balancer"))
      walk_target(&x, d, eips);
  }
  Exposure *v = arena_alloc(x.a, sizeof *v * (size_t)(x.out.n + 1));
  for (int i = 0; i < x.out.n; i++)
    v[i] = *(Exposure *)x.out.v[i];
  *n = x.out.n;
  return v;
}

/* ---- words ---- */

const char *exposure_chain(Compilation *c, const Exposure *e) {
  return arena_printf(&c->arena, "%s → %s → %s → %s → %s", e->igw->name, e->table->name,
                      e->subnet->name, e->address_desc, e->group->name);
}

static int span_cmp(const void *pa, const void *pb) {
  const PortSpan *a = pa, *b = pb;
  if (a->proto != b->proto) return (int)a->proto - (int)b->proto;
  return a->lo != b->lo ? a->lo - b->lo : a->hi - b->hi;
}

const char *exposure_ports(Compilation *c, const Exposure *e, int n) {
  static const char *const proto_names[] = {"tcp", "udp", "all"};
  PortSpan *v = arena_alloc(&c->arena, sizeof *v * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++)
    v[i] = (PortSpan){e[i].proto, e[i].lo, e[i].hi};
  qsort(v, (size_t)n, sizeof *v, span_cmp);
  int m = 0; /* merge the same span reached through two rules */
  for (int i = 0; i < n; i++)
    if (!m || v[m - 1].proto != v[i].proto || v[i].lo > v[m - 1].hi + 1)
      v[m++] = v[i];
    else if (v[i].hi > v[m - 1].hi)
      v[m - 1].hi = v[i].hi;
  Buf b = {0};
  for (int i = 0; i < m; i++) {
    bool same = i && v[i].proto == v[i - 1].proto;
    bool last = i + 1 == m || v[i + 1].proto != v[i].proto;
    if (i) buf_puts(&b, same ? (last ? " and " : ", ") : "; ");
    bool everything = v[i].proto == EXPO_ALL && v[i].lo == 0 && v[i].hi == 65535;
    if (!same && !everything) buf_printf(&b, "%s ", proto_names[v[i].proto]);
    if (everything)
      buf_puts(&b, "every port of every protocol");
    else if (v[i].lo == v[i].hi)
      buf_printf(&b, "%d", v[i].lo);
    else
      buf_printf(&b, "%d-%d", v[i].lo, v[i].hi);
  }
  const char *s = arena_printf(&c->arena, "%s", b.s ? b.s : "");
  buf_free(&b);
  return s;
}
