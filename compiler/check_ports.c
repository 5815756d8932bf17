/* check_ports.c: ports and containers. Port numbers and ranges (E301-E303),
   listeners (E304, E307), what a service's load balancer reaches in its
   task (E305) and whether a listener forwards to its target group (E308),
   host ports (E306, W402), container memory (E501, E502). */
#include <string.h>

#include "check.h"

/* port -> within lo..65535 (E301). The port stands in d, or in one of
   its containers. */
static bool port_ok(Check *k, Expr *e, int64_t port, int lo, const Decl *d,
                    const Member *container) {
  if (port >= lo && port <= 65535) return true;
  const char *owner =
      container ? arena_printf(k->a, "container %s", container_name(container)) : decl_desc(k, d);
  Diag *g = diag_error(k->c, "E301", e->span, "port %lld of %s is outside %d-65535",
                       (long long)port, owner, lo);
  if (lo) diag_help(k->c, g, "listeners and target groups take ports 1 to 65535");
  return false;
}

/* ---- security group rules ---- */

/* "port 22", "ports 8000..8010" */
static const char *ports_text(Check *k, const Expr *ports) {
  if (ports->k == EX_PORTS)
    return arena_printf(k->a, "ports %lld..%lld", (long long)ports->i, (long long)ports->hi);
  if (ports->k == EX_INT) return arena_printf(k->a, "port %lld", (long long)ports->i);
  return "ports";
}

/* rule -> ports named for tcp and udp, and for them only (E303) */
static void check_rule_proto(Check *k, Decl *d, Member *m, Expr *proto, Expr *ports) {
  if (is_word(proto, "all") && ports) {
    Diag *g = diag_error(k->c, "E303", ports->span,
                         "rule of %s for all protocols names %s, but opens every port",
                         decl_desc(k, d), ports_text(k, ports));
    diag_help(k->c, g,
              "EC2 ignores the ports of an all-protocol rule: write tcp (or udp) to allow "
              "these ports only, or all alone for every protocol and port");
    diag_fix(k->c, g, proto->span, "tcp");
  } else if ((is_word(proto, "tcp") || is_word(proto, "udp")) && !ports) {
    Diag *g = diag_error(k->c, "E303", proto->span, "%s rule of %s names no port", proto->name,
                         decl_desc(k, d));
    diag_help(k->c, g,
              "name the port or range, as `%s %s 443 ...`, or write all for every "
              "protocol and port",
              m->name, proto->name);
  }
}

/* rule -> ports within 0-65535 (E301), a range low to high (E302) */
static void check_rule_ports(Check *k, Decl *d, Expr *ports) {
  bool lo_ok = port_ok(k, ports, ports->i, 0, d, NULL);
  if (ports->k != EX_PORTS || !port_ok(k, ports, ports->hi, 0, d, NULL) || !lo_ok ||
      ports->i <= ports->hi)
    return;
  const char *owner = decl_desc(k, d);
  Diag *g = diag_error(k->c, "E302", ports->span, "%s of %s: the range starts above its end",
                       ports_text(k, ports), owner);
  const char *swapped = arena_printf(k->a, "%lld..%lld", (long long)ports->hi, (long long)ports->i);
  diag_help(k->c, g, "ranges run low to high: %s", swapped);
  diag_fix(k->c, g, ports->span, swapped);
}

/* security_group -> ingress and egress rules with sound ports (E301-E303) */
void check_rules(Check *k, Decl *d) {
  for (int i = 0; i < d->members.n; i++) {
    Member *m = d->members.v[i];
    if (m->k != M_STMT || !m->stmt || (strcmp(m->name, "ingress") && strcmp(m->name, "egress")))
      continue;
    Expr *proto = stmt_slot(m, "proto", 0), *ports = stmt_slot(m, "ports", 0);
    if (!proto) continue;
    check_rule_proto(k, d, m, proto, stmt_word(m, "ports", 0));
    if (ports) check_rule_ports(k, d, ports);
  }
}

/* ---- load balancers and target groups ---- */

static void report_same_listener(Check *k, void *ctx, Keyed *first, Keyed *again) {
  Decl *lb = ctx;
  Expr *a = stmt_slot(first->item, "port", 0), *b = stmt_slot(again->item, "port", 0);
  Diag *g = diag_error(k->c, "E304", b->span, "load balancer %s has two listeners on port %lld",
                       lb->name, (long long)b->i);
  diag_note(k->c, g, a->span, "the first listener on port %lld", (long long)a->i);
  diag_help(k->c, g, "a load balancer takes one listener per port: give each its own port");
}

/* listener redirect -> a listener of that protocol on the balancer (E307):
   the redirect sends every client to a port where nothing answers */
static void check_redirects(Check *k, Decl *lb) {
  Member *m, *to;
  for (int i = 0; (m = next_stmt(&lb->members, "listener", &i));) {
    Expr *redirect = member_attr(m, "redirect");
    if (!redirect || redirect->k != EX_NAME) continue;
    bool found = false;
    for (int j = 0; !found && (to = next_stmt(&lb->members, "listener", &j));)
      found = to != m && is_word(stmt_slot(to, "lproto", 0), redirect->name);
    if (found) continue;
    Diag *g = diag_error(k->c, "E307", redirect->span,
                         "listener redirects to %s, but load balancer %s has no %s listener",
                         redirect->name, lb->name, redirect->name);
    if (!strcmp(redirect->name, "https"))
      diag_help(k->c, g, "add `listener https 443 { certificate = CERT  forward = TARGET_GROUP }` "
                         "to %s, or forward this listener to a target group",
                lb->name);
    else
      diag_help(k->c, g, "add a %s listener to %s, or forward this listener to a target group",
                redirect->name, lb->name);
  }
}

/* load_balancer -> listener ports within 1-65535 (E301), one listener per port (E304),
   ssl_policy only where TLS ends (E106) */
void check_listeners(Check *k, Decl *d) {
  Keyed *v = arena_alloc(k->a, sizeof(Keyed) * (size_t)(d->members.n + 1));
  int n = 0;
  Member *m;
  for (int i = 0; (m = next_stmt(&d->members, "listener", &i));) {
    Expr *port = stmt_slot(m, "port", 0), *policy = member_attr(m, "ssl_policy");
    if (policy && is_word(stmt_slot(m, "lproto", 0), "http")) {
      Diag *g = diag_error(k->c, "E106", policy->span,
                           "ssl_policy is for https listeners: this listener speaks plain http");
      diag_help(k->c, g, "make the listener https with a certificate, or remove ssl_policy");
    }
    if (port && port_ok(k, port, port->i, 1, d, NULL)) v[n++] = (Keyed){port->i, i, m};
  }
  check_duplicates(k, v, n, report_same_listener, d);
  check_redirects(k, d);
}

/* target_group -> port within 1-65535 (E301) */
void check_target_group(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "port");
  int64_t port;
  if (eval_int(e, &port)) port_ok(k, e, port, 1, d, NULL);
}

/* ---- containers ---- */

static Member *find_container(const Decl *task, const char *name) {
  Member *c;
  for (int i = 0; (c = next_stmt(&task->members, "container", &i));)
    if (container_name(c) && !strcmp(container_name(c), name)) return c;
  return NULL;
}

/* port HOST -> CONTAINER, or port CONTAINER (a dynamic host port) */
static bool maps_host(const Member *p) {
  return stmt_word(p, "port", 1) != NULL;
}

static Expr *container_port(const Member *p) {
  return stmt_slot(p, "port", maps_host(p) ? 1 : 0);
}

/* The host port a mapping claims: HOST (0 is dynamic), or in network modes
   awsvpc and host the container port itself. */
static Expr *claimed_port(const Member *p, bool shared_net) {
  Expr *e = maps_host(p) ? stmt_slot(p, "port", 0) : shared_net ? container_port(p) : NULL;
  return e && e->i > 0 ? e : NULL;
}

/* In network modes awsvpc and host a container port is a host port too. */
static bool shares_host_ports(const Decl *task) {
  Expr *mode = decl_attr(task, "network_mode");
  return is_word(mode, "awsvpc") || is_word(mode, "host");
}

typedef struct {
  Member *container;
  Expr *port;
} HostPort;

static void report_same_host_port(Check *k, void *ctx, Keyed *first, Keyed *again) {
  Decl *task = ctx;
  HostPort *a = first->item, *b = again->item;
  const char *an = container_name(a->container), *bn = container_name(b->container);
  Diag *g = a->container == b->container
                ? diag_error(k->c, "E306", b->port->span,
                             "host port %lld is mapped twice in task %s, by container %s",
                             (long long)b->port->i, task->name, bn)
                : diag_error(k->c, "E306", b->port->span,
                             "host port %lld is mapped twice in task %s: by container %s and by "
                             "container %s",
                             (long long)b->port->i, task->name, an, bn);
  diag_note(k->c, g, a->port->span, "container %s maps host port %lld here", an,
            (long long)a->port->i);
  if (shares_host_ports(task))
    diag_help(k->c, g,
              "in network mode %s a container port is also a host port: give container "
              "%s another port",
              decl_attr(task, "network_mode")->name, bn);
  else
    diag_help(k->c, g,
              "a host port is bound once per instance: give container %s another host "
              "port, or map only a container port and let ECS choose a free host port",
              bn);
}

/* container -> memory_reservation at most memory (E501) */
static void check_reservation(Check *k, Member *c) {
  Expr *mem = member_attr(c, "memory"), *res = member_attr(c, "memory_reservation");
  int64_t hard, soft;
  if (!eval_int(mem, &hard) || !eval_int(res, &soft) || soft <= hard) return;
  Diag *g = diag_error(k->c, "E501", res->span,
                       "container %s reserves %s (memory_reservation), above its hard limit of "
                       "%s (memory)",
                       container_name(c), size_desc(k, soft), size_desc(k, hard));
  diag_note(k->c, g, mem->span, "the hard limit of container %s is %s", container_name(c),
            size_desc(k, hard));
  diag_help(k->c, g, "lower memory_reservation to at most %s, or raise memory to at least %s",
            size_desc(k, hard), size_desc(k, soft));
}

/* container of an EC2 task -> memory or memory_reservation, unless the task
   has a memory of its own: ECS refuses the task definition (E105). */
static void check_container_memory(Check *k, Decl *task, Member *c) {
  Expr *compat = decl_attr(task, "compatibility");
  if (attr_failed(task, "compatibility") || (compat && !is_word(compat, "ec2")) ||
      decl_attr(task, "memory") || attr_failed(task, "memory") || task->lost ||
      member_attr(c, "memory") || member_attr(c, "memory_reservation") ||
      member_attr_failed(c, "memory") || member_attr_failed(c, "memory_reservation"))
    return;
  Diag *g = diag_error(k->c, "E105", stmt_word(c, "label", 0)->span,
                       "container %s of task %s has neither memory nor memory_reservation: ECS "
                       "refuses it for the EC2 launch type",
                       container_name(c), task->name);
  diag_help(k->c, g,
            "add memory = 512MiB (a hard limit) or memory_reservation = 256MiB (what it "
            "reserves on the instance), or give task %s a memory",
            task->name);
}

/* What a container reserves on the instance: memory_reservation, else
   memory; 0 when unknown. *site is the value it was read from. */
static int64_t reserved(const Member *c, Expr **site) {
  int64_t v;
  *site = member_attr(c, "memory_reservation");
  if (*site || member_attr_failed(c, "memory_reservation")) return eval_int(*site, &v) ? v : 0;
  *site = member_attr(c, "memory");
  return eval_int(*site, &v) ? v : 0;
}

/* task -> memory at least what its containers reserve together (E502) */
static void check_task_memory(Check *k, Decl *d) {
  Expr *mem = decl_attr(d, "memory"), *site;
  int64_t have, total = 0;
  if (!eval_int(mem, &have)) return;
  Member *c;
  for (int i = 0; (c = next_stmt(&d->members, "container", &i));) {
    int64_t r = reserved(c, &site);
    total = r > INT64_MAX - total ? INT64_MAX : total + r;
  }
  if (total <= have) return;
  Diag *g = diag_error(k->c, "E502", mem->span,
                       "the containers of task %s reserve %s, more than the task's memory of %s",
                       d->name, size_desc(k, total), size_desc(k, have));
  for (int i = 0; (c = next_stmt(&d->members, "container", &i));)
    if (reserved(c, &site) > 0)
      diag_note(k->c, g, site->span, "container %s reserves %s", container_name(c),
                size_desc(k, reserved(c, &site)));
  diag_help(k->c, g,
            "raise the task's memory to at least %s, or lower what the containers "
            "reserve",
            size_desc(k, total));
}

/* task -> container ports within 0-65535 (E301), each host port claimed
   once (E306), memory (E501, E502) */
void check_task(Check *k, Decl *d) {
  bool shared_net = shares_host_ports(d);
  Vec claims = {0};
  Member *c, *p;
  for (int i = 0; (c = next_stmt(&d->members, "container", &i));) {
    for (int j = 0; (p = next_stmt(&c->body, "port", &j));) {
      Expr *host = maps_host(p) ? stmt_slot(p, "port", 0) : NULL, *inner = container_port(p);
      bool host_ok = !host || port_ok(k, host, host->i, 0, d, c);
      bool inner_ok = !inner || port_ok(k, inner, inner->i, 0, d, c);
      Expr *claim = host_ok && inner_ok ? claimed_port(p, shared_net) : NULL;
      if (!claim) continue;
      HostPort *hp = arena_alloc(k->a, sizeof *hp);
      *hp = (HostPort){c, claim};
      vec_push(k->a, &claims, hp);
    }
    check_reservation(k, c);
    check_container_memory(k, d, c);
  }
  Keyed *v = arena_alloc(k->a, sizeof(Keyed) * (size_t)(claims.n + 1));
  for (int i = 0; i < claims.n; i++)
    v[i] = (Keyed){((HostPort *)claims.v[i])->port->i, i, claims.v[i]};
  check_duplicates(k, v, claims.n, report_same_host_port, d);
  check_task_memory(k, d);
}

/* ---- services ---- */

static void unknown_container(Check *k, Decl *task, Expr *name) {
  Vec names = {0};
  Member *c;
  for (int i = 0; (c = next_stmt(&task->members, "container", &i));)
    if (container_name(c)) vec_push(k->a, &names, (void *)container_name(c));
  Diag *g =
      diag_error(k->c, "E101", name->span, "task %s has no container '%s'", task->name, name->name);
  diag_note(k->c, g, task->name_span, "task %s declared here", task->name);
  const char *s = resolve_suggest(name->name, (const char *const *)names.v, names.n);
  if (s) {
    diag_help(k->c, g, "did you mean '%s'?", s);
    diag_fix(k->c, g, name->span, s);
  }
}

/* service load_balancer -> a container of the task and a port it maps (E305) */
static void check_service_target(Check *k, Decl *svc, Member *lb) {
  Decl *task = decl_ref(svc, "task");
  Expr *name = member_attr(lb, "container"), *port = member_attr(lb, "port");
  int64_t want;
  if (!task || !name || name->k != EX_NAME) return;
  Member *c = find_container(task, name->name), *p, *first = NULL;
  if (!c) {
    unknown_container(k, task, name);
    return;
  }
  if (!eval_int(port, &want) || !port_ok(k, port, want, 0, svc, NULL)) return;
  Buf mapped = {0};
  int n = 0, total = 0;
  bool unknown = false, maps = false;
  for (int i = 0; (p = next_stmt(&c->body, "port", &i));)
    total++;
  for (int i = 0; (p = next_stmt(&c->body, "port", &i));) {
    Expr *inner = container_port(p);
    if (!inner) {
      unknown = true;
      continue;
    }
    maps = maps || inner->i == want;
    if (!n++) first = p;
    buf_printf(&mapped, "%s%lld", n == 1 ? "" : n == total ? " and " : ", ", (long long)inner->i);
  }
  if (!unknown && !maps) {
    Diag *g = diag_error(k->c, "E305", port->span,
                         "service %s sends its load balancer to port %lld of container %s, "
                         "which maps %s%s",
                         svc->name, (long long)want, name->name, n ? "only " : "no port",
                         n ? mapped.s : "");
    if (first) {
      diag_note(k->c, g, container_port(first)->span, "container %s maps port %lld here",
                name->name, (long long)container_port(first)->i);
      diag_help(k->c, g,
                "the port is the container's, the right side of port HOST -> "
                "CONTAINER: %s",
                mapped.s);
      if (n == 1) diag_fix(k->c, g, port->span, mapped.s);
    } else {
      diag_note(k->c, g, stmt_slot(c, "label", 0)->span, "container %s declared here", name->name);
      diag_help(k->c, g, "map the port in container %s: port %lld", name->name, (long long)want);
    }
  }
  buf_free(&mapped);
}

/* The first port mapping of a task that claims a host port, or NULL. */
static Member *fixed_host_port(const Decl *task, bool host_mode, Member **container) {
  Member *c, *p;
  for (int i = 0; (c = next_stmt(&task->members, "container", &i));)
    for (int j = 0; (p = next_stmt(&c->body, "port", &j));)
      if (claimed_port(p, host_mode)) {
        *container = c;
        return p;
      }
  return NULL;
}

/* The note at where a cluster's instance count stands: its only instance,
   its capacity's min, or the cluster. */
static void hosts_note(Check *k, Diag *g, Decl *cluster, const Fit *f) {
  Host hosts[FIT_HOSTS];
  int n = cluster_hosts(k, cluster, hosts, FIT_HOSTS);
  Member *cap = n ? hosts[n - 1].capacity : NULL;
  if (f->instances == 1 && hosts[0].instance)
    diag_note(k->c, g, decl_attr(hosts[0].instance, "cluster")->span,
              "%s is the only instance that joins %s", hosts[0].instance->name, cluster->name);
  else if (cap)
    diag_note(k->c, g, member_attr(cap, "min") ? member_attr(cap, "min")->span : cap->name_span,
              "the capacity of cluster %s starts %lld instance%s", cluster->name,
              (long long)hosts[n - 1].count, hosts[n - 1].count == 1 ? "" : "s");
  else
    diag_note(k->c, g, cluster->name_span, "cluster %s has %lld instances", cluster->name,
              (long long)f->instances);
}

/* A service's fixed host port, unless its tasks have network interfaces of
   their own (awsvpc). */
static Member *service_port(Decl *task, Member **c) {
  if (is_word(decl_attr(task, "network_mode"), "awsvpc")) return NULL;
  return fixed_host_port(task, is_word(decl_attr(task, "network_mode"), "host"), c);
}

/* A service of the EC2 launch type, its task and cluster known. */
static bool on_instances(Decl *svc, Decl *task, Decl *cluster) {
  return task && cluster && !attr_failed(svc, "launch_type") &&
         !is_word(decl_attr(svc, "launch_type"), "fargate") && !attr_failed(task, "network_mode");
}

/* service -> no more tasks than the cluster's instances hold, by fixed host
   port, memory or CPU (W402) */
static void check_placement(Check *k, Decl *svc) {
  Decl *task = decl_ref(svc, "task"), *cluster = decl_ref(svc, "cluster");
  Expr *count = decl_attr(svc, "desired_count");
  int64_t want;
  if (!eval_int(count, &want) || !on_instances(svc, task, cluster)) return;
  Member *c, *p = service_port(task, &c);
  Fit f = service_fit(k, cluster, task, p != NULL);
  if (!f.instances || f.bind == BIND_NONE || want <= f.tasks) return;
  const char *many = f.instances == 1 ? "" : "s";
  if (f.bind != BIND_PORT) {
    Diag *g = diag_warning(k->c, "W402", count->span,
                           "service %s wants %lld tasks, but the %lld instance%s of cluster %s "
                           "hold%s only %lld (%s)",
                           svc->name, (long long)want, (long long)f.instances, many, cluster->name,
                           f.instances == 1 ? "s" : "", (long long)f.tasks, fit_desc(k, &f));
    if (f.at)
      diag_note(k->c, g, f.at->span, "task %s reserves %s", task->name,
                f.bind == BIND_MEMORY ? size_desc(k, f.need)
                                      : arena_printf(k->a, "%lld CPU units", (long long)f.need));
    if (f.host.type_at)
      diag_note(k->c, g, f.host.type_at->span, "%lld task%s of %s fit%s on %s %s",
                (long long)f.per, f.per == 1 ? "" : "s", task->name, f.per == 1 ? "s" : "",
                type_article(f.host.type), f.host.type);
    hosts_note(k, g, cluster, &f);
    diag_help(k->c, g, "use a larger instance type, add instances to %s, lower desired_count to "
                       "%lld, or reserve less %s per task",
              cluster->name, (long long)f.tasks, f.bind == BIND_MEMORY ? "memory" : "CPU");
    return;
  }
  Expr *fixed = claimed_port(p, true);
  Diag *g = diag_warning(k->c, "W402", count->span,
                         "service %s wants %lld tasks, but cluster %s has %lld instance%s and each "
                         "runs at most one of them (fixed host port %lld)",
                         svc->name, (long long)want, cluster->name, (long long)f.instances, many,
                         (long long)fixed->i);
  diag_note(k->c, g, fixed->span, "container %s of task %s maps host port %lld", container_name(c),
            task->name, (long long)fixed->i);
  hosts_note(k, g, cluster, &f);
  char port[32] = ""; /* the container port, unless it is in error */
  if (container_port(p))
    snprintf(port, sizeof port, " (port %lld)", (long long)container_port(p)->i);
  if (maps_host(p))
    diag_help(k->c, g,
              "add instances to %s, lower desired_count to %lld, or map only the container port%s "
              "so that ECS picks a host port for each task",
              cluster->name, (long long)f.instances, port);
  else
    diag_help(k->c, g,
              "add instances to %s, lower desired_count to %lld, or use network mode bridge, "
              "where ECS picks a host port for each task",
              cluster->name, (long long)f.instances);
}

/* percent -> within lo..hi (E106) */
static bool percent_ok(Check *k, Decl *svc, const char *attr, int64_t lo, int64_t hi, int64_t *out) {
  Expr *e = decl_attr(svc, attr);
  if (!eval_int(e, out)) return !attr_failed(svc, attr);
  if (*out >= lo && *out <= hi) return true;
  Diag *g = diag_error(k->c, "E106", e->span, "%s is %lld: ECS takes %s", attr, (long long)*out,
                       hi < 1000 ? arena_printf(k->a, "%lld to %lld", (long long)lo, (long long)hi)
                                 : arena_printf(k->a, "%lld or more", (long long)lo));
  diag_help(k->c, g, "min_healthy_percent is 0 to 100 and max_percent 100 or more, in percent of "
                     "desired_count");
  return false;
}

/* service -> with a fixed host port on every instance, a deployment must
   stop an old task before it can place a new one (W402). ECS keeps at least
   ceil(min% x desired) tasks running and starts at most floor(max% x
   desired): with the defaults (100, 200) and no free instance, nothing can
   move. */
static void check_deployment(Check *k, Decl *svc) {
  Decl *task = decl_ref(svc, "task"), *cluster = decl_ref(svc, "cluster");
  int64_t want = 1, min = 100, max = 200;
  Expr *count = decl_attr(svc, "desired_count");
  if (count && !eval_int(count, &want)) return;
  bool min_ok = percent_ok(k, svc, "min_healthy_percent", 0, 100, &min);
  if (!percent_ok(k, svc, "max_percent", 100, 1000000, &max) || !min_ok) return;
  if (want < 1 || !on_instances(svc, task, cluster)) return;
  Member *c, *p = service_port(task, &c);
  Fit f = service_fit(k, cluster, task, p != NULL);
  if (!f.instances || f.bind == BIND_NONE || want > f.tasks) return; /* W402 above */
  bool can_start = want < f.tasks && max * want / 100 > want;
  bool can_stop = (min * want + 99) / 100 < want;
  if (can_start || can_stop) return;
  Expr *at = decl_attr(svc, "min_healthy_percent");
  Span where = at ? at->span : count ? count->span : svc->name_span;
  const char *limit =
      f.bind == BIND_PORT
          ? arena_printf(k->a, "fixed host port %lld", (long long)claimed_port(p, true)->i)
          : fit_desc(k, &f);
  const char *why =
      want < f.tasks
          ? arena_printf(k->a, "max_percent %lld allows no task beyond the %lld running", (long long)max,
                         (long long)want)
      : f.bind != BIND_PORT
          ? (want == 1 ? arena_printf(k->a, "its task fills cluster %s", cluster->name)
                       : arena_printf(k->a, "its %lld tasks fill cluster %s", (long long)want,
                                      cluster->name))
      : want == 1 ? arena_printf(k->a, "its task holds the only instance of cluster %s", cluster->name)
                  : arena_printf(k->a, "its %lld tasks hold %s instances of cluster %s",
                                 (long long)want,
                                 f.instances == 2 ? "both"
                                                  : arena_printf(k->a, "all %lld",
                                                                 (long long)f.instances),
                                 cluster->name);
  Diag *g = diag_warning(k->c, "W402", where,
                         "a deployment of service %s can never start a new task: %s (%s), and "
                         "min_healthy_percent %lld keeps every old one running",
                         svc->name, why, limit, (long long)min);
  if (f.bind == BIND_PORT)
    diag_note(k->c, g, claimed_port(p, true)->span, "container %s of task %s maps host port %lld",
              container_name(c), task->name, (long long)claimed_port(p, true)->i);
  else if (f.at)
    diag_note(k->c, g, f.at->span, "task %s reserves %s", task->name,
              f.bind == BIND_MEMORY ? size_desc(k, f.need)
                                    : arena_printf(k->a, "%lld CPU units", (long long)f.need));
  const char *pick = want == 1 ? "0" : "50";
  if (want < f.tasks)
    diag_help(k->c, g, "raise max_percent (at 200, the default, ECS starts the new task on a free "
                       "instance first), or set min_healthy_percent = %s",
              pick);
  else if (want == 1)
    diag_help(k->c, g, "set min_healthy_percent = 0: ECS stops the old task, then starts the new "
                       "one on its instance (a short gap), or add an instance to %s",
              cluster->name);
  else
    diag_help(k->c, g, "set min_healthy_percent = 50: ECS stops half of the old tasks, starts "
                       "new ones on their instances, then the rest");
  if (at) diag_fix(k->c, g, at->span, pick);
}

/* service load_balancer -> a target group that a listener forwards to
   (E308): ECS refuses a target group with no load balancer */
static void check_forwarded(Check *k, Decl *svc, Member *lb) {
  Expr *at = member_attr(lb, "target_group");
  Decl *tg = item_decl(at);
  if (!tg || !decl_is(tg, "target_group") || k->forwarded[tg->index] || k->listeners_unknown)
    return;
  Diag *g = diag_error(k->c, "E308", at->span,
                       "service %s registers in target group %s, but no listener forwards to it",
                       svc->name, tg->name);
  diag_note(k->c, g, tg->name_span, "target group %s declared here", tg->name);
  diag_help(k->c, g, "ECS refuses a target group that belongs to no load balancer: add "
                     "`forward = %s` to a listener",
            tg->name);
}

/* service -> load balancer targets (E305); tasks the cluster can place, now
   and during a deployment (W402) */
void check_service(Check *k, Decl *d) {
  Member *m;
  for (int i = 0; (m = next_stmt(&d->members, "load_balancer", &i));) {
    check_service_target(k, d, m);
    check_forwarded(k, d, m);
  }
  check_placement(k, d);
  check_deployment(k, d);
}
