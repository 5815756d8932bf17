/* check_graph.c: reasoning over the reference graph. Dependency cycles
   (E107), and load balancers wider than the capacity behind them (W401). */
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- the reference graph: declarations, and the references between them ---- */

typedef struct {
  int from, to;
  Expr *at; /* the reference */
} Edge;

typedef struct {
  int n;      /* nodes: the declarations, by index */
  int *first; /* the edges of node v: edges[first[v] .. first[v + 1]) */
  Edge *edges;
  int nedges, cap;
  int from; /* the node being walked */
} Graph;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fputs("infrac: out of memory\n", stderr);
    abort();
  }
  return p;
}

static void add_edge(Graph *g, int to, Expr *at) {
  if (g->nedges == g->cap) {
    g->cap = g->cap ? g->cap * 2 : 1024;
    Edge *e = realloc(g->edges, sizeof(Edge) * (size_t)g->cap);
    if (!e) {
      fputs("infrac: out of memory\n", stderr);
      abort();
    }
    g->edges = e;
  }
  g->edges[g->nedges++] = (Edge){g->from, to, at};
}

/* A reference orders creation, except in a security group's rules: those
   become resources of their own, so groups may name each other. */
static bool visit_reference(Walk *w, Expr *e) {
  const Member *s = w->stmt;
  if (s && decl_is(w->d, "security_group") &&
      (!strcmp(s->name, "ingress") || !strcmp(s->name, "egress")))
    return false;
  Decl *to = e->k == EX_NAME || e->k == EX_FIELD ? e->ref : NULL;
  if (!to || (to->k != D_RESOURCE && to->k != D_PARAM)) return true;
  add_edge(w->ctx, to->index, e);
  return false;
}

static void build_graph(Check *k, Graph *g) {
  Vec *decls = &k->c->prog.decls;
  g->n = decls->n;
  g->first = xmalloc(sizeof(int) * (size_t)(g->n + 1));
  for (int i = 0; i < g->n; i++) {
    g->first[i] = g->nedges;
    g->from = i;
    Walk w = {.k = k, .d = decls->v[i], .visit = visit_reference, .ctx = g};
    check_walk(&w);
  }
  g->first[g->n] = g->nedges;
}

/* ---- cycles ---- */

typedef struct {
  Graph g;
  int *comp;  /* node -> its strongly connected component, by its root */
  int *queue; /* scratch for find_cycle */
  int *via;   /* node -> the edge a search reached it by; -1 none yet */
  int *path;
} Cycles;

/* The shortest cycle through start within its component, as edges in
   order, start's own first; returns how many. */
static int find_cycle(Cycles *y, int start) {
  const Graph *g = &y->g;
  int head = 0, tail = 0, last = -1;
  y->queue[tail++] = start;
  while (head < tail && last < 0) {
    int v = y->queue[head++];
    for (int e = g->first[v]; e < g->first[v + 1] && last < 0; e++) {
      int w = g->edges[e].to;
      if (w == start)
        last = e;
      else if (y->comp[w] == y->comp[start] && y->via[w] < 0) {
        y->via[w] = e;
        y->queue[tail++] = w;
      }
    }
  }
  int n = 0;
  for (int e = last; e >= 0; e = g->edges[e].from == start ? -1 : y->via[g->edges[e].from])
    y->path[n++] = e;
  for (int i = 0; i < tail; i++)
    y->via[y->queue[i]] = -1;
  for (int i = 0; i < n / 2; i++) {
    int t = y->path[i];
    y->path[i] = y->path[n - 1 - i];
    y->path[n - 1 - i] = t;
  }
  return n;
}

static void report_cycle(Check *k, Cycles *y, int start) {
  Vec *decls = &k->c->prog.decls;
  int n = find_cycle(y, start);
  Buf b = {0};
  buf_puts(&b, ((Decl *)decls->v[start])->name);
  for (int i = 0; i < n; i++)
    buf_printf(&b, " -> %s", ((Decl *)decls->v[y->g.edges[y->path[i]].to])->name);
  Edge *e0 = &y->g.edges[y->path[0]];
  Diag *g = diag_error(k->c, "E107", e0->at->span, "dependency cycle: %s", b.s);
  buf_free(&b);
  for (int i = 1; i < n; i++) {
    Edge *e = &y->g.edges[y->path[i]];
    diag_note(k->c, g, e->at->span, "%s refers to %s here", ((Decl *)decls->v[e->from])->name,
              ((Decl *)decls->v[e->to])->name);
  }
  diag_help(k->c, g,
            n == 1 ? "a declaration cannot be created before itself: remove the reference"
                   : "none of them can be created first: remove one of these references, or "
                     "let one resource learn the other's value at run time");
}

/* A component is a cycle when it has two nodes or more, or a node that
   refers to itself. */
static bool is_cycle(const Graph *g, int v, int size) {
  if (size > 1) return true;
  for (int e = g->first[v]; e < g->first[v + 1]; e++)
    if (g->edges[e].to == v) return true;
  return false;
}

/* Pops the component rooted at v off Tarjan's stack; reports it when it is
   a cycle, from its first declaration. */
static void close_component(Check *k, Cycles *y, int v, int *stack, int *sp, bool *on) {
  int size = 0, start = v, w;
  do {
    w = stack[--*sp];
    on[w] = false;
    y->comp[w] = v;
    if (w < start) start = w;
    size++;
  } while (w != v);
  if (is_cycle(&y->g, v, size)) report_cycle(k, y, start);
}

/* declarations -> no cycle of references (E107). Tarjan's strongly
   connected components, with an explicit stack: graphs are large. */
void check_cycles(Check *k) {
  Cycles y = {0};
  build_graph(k, &y.g);
  int n = y.g.n, counter = 0, sp = 0, depth = 0;
  int *num = xmalloc(sizeof(int) * (size_t)n), *low = xmalloc(sizeof(int) * (size_t)n);
  int *stack = xmalloc(sizeof(int) * (size_t)n), *call = xmalloc(sizeof(int) * (size_t)n);
  int *next = xmalloc(sizeof(int) * (size_t)n);
  bool *on = xmalloc(sizeof(bool) * (size_t)n);
  y.comp = xmalloc(sizeof(int) * (size_t)n);
  y.queue = xmalloc(sizeof(int) * (size_t)n);
  y.via = xmalloc(sizeof(int) * (size_t)n);
  y.path = xmalloc(sizeof(int) * (size_t)n);
  for (int v = 0; v < n; v++) {
    num[v] = y.via[v] = y.comp[v] = -1;
    on[v] = false;
  }
  for (int root = 0; root < n; root++) {
    if (num[root] >= 0) continue;
    call[depth++] = root;
    num[root] = low[root] = counter++;
    next[root] = y.g.first[root];
    stack[sp++] = root;
    on[root] = true;
    while (depth) {
      int v = call[depth - 1];
      if (next[v] < y.g.first[v + 1]) {
        int w = y.g.edges[next[v]++].to;
        if (num[w] < 0) {
          num[w] = low[w] = counter++;
          next[w] = y.g.first[w];
          stack[sp++] = w;
          on[w] = true;
          call[depth++] = w;
        } else if (on[w] && num[w] < low[v]) {
          low[v] = num[w];
        }
        continue;
      }
      depth--;
      if (depth && low[v] < low[call[depth - 1]]) low[call[depth - 1]] = low[v];
      if (low[v] == num[v]) close_component(k, &y, v, stack, &sp, on);
    }
  }
  free(num), free(low), free(stack), free(call), free(next), free(on);
  free(y.comp), free(y.queue), free(y.via), free(y.path);
  free(y.g.first), free(y.g.edges);
}

/* ---- capacity behind a load balancer ---- */

/* The zones of the instances that join a cluster, computed once. */
static Zones *cluster_zones(Check *k, Decl *cluster) {
  Zones **z = &k->capacity[cluster->index];
  if (!*z) {
    Vec *hosts = &k->joined[cluster->index];
    *z = arena_alloc(k->a, sizeof(Zones));
    zones_begin(k, *z);
    for (int i = 0; i < hosts->n; i++)
      zones_add(k, *z, check_zone(k, decl_ref(hosts->v[i], "subnet")));
    Member *cap = next_stmt(&cluster->members, "capacity", &(int){0});
    Expr *subnets = cap ? member_attr(cap, "subnets") : NULL;
    if (cap && (!subnets || member_attr_failed(cap, "subnets"))) (*z)->unknown = true;
    for (int i = 0; i < list_len(subnets); i++)
      zones_add(k, *z, check_zone(k, item_decl(list_at(subnets, i))));
  }
  return *z;
}

/* Where a service's tasks run: its subnets (awsvpc), else the instances of
   its cluster. */
static const Zones *service_zones(Check *k, Decl *svc, Zones *own) {
  if (decl_attr(svc, "subnets") || attr_failed(svc, "subnets")) {
    zones_of_list(k, own, decl_attr(svc, "subnets"));
    return own;
  }
  Decl *cluster = decl_ref(svc, "cluster");
  return cluster ? cluster_zones(k, cluster) : NULL;
}

/* Notes at where the capacity stands: a service's subnets, or one instance
   per zone. */
static void capacity_notes(Check *k, Diag *g, Decl *svc, const Zones *cap) {
  if (decl_attr(svc, "subnets")) {
    diag_note(k->c, g, decl_attr(svc, "subnets")->span, "the tasks of service %s run in %s",
              svc->name, zones_desc(k, cap));
    return;
  }
  Decl *cluster = decl_ref(svc, "cluster");
  Vec *hosts = &k->joined[cluster->index];
  Member *group = next_stmt(&cluster->members, "capacity", &(int){0});
  Zones grown = {0};
  if (group) zones_of_list(k, &grown, member_attr(group, "subnets"));
  if (grown.n)
    diag_note(k->c, g, member_attr(group, "subnets")->span,
              "the capacity of cluster %s starts instances in %s", cluster->name,
              zones_desc(k, &grown));
  for (int z = 0; z < cap->n; z++)
    for (int i = 0; i < hosts->n && !zones_has(&grown, cap->v[z]); i++) {
      Decl *host = hosts->v[i];
      if (check_zone(k, decl_ref(host, "subnet")) != cap->v[z]) continue;
      diag_note(k->c, g, decl_attr(host, "subnet")->span, "instance %s of cluster %s is in %s",
                host->name, cluster->name, check_zone_name(k, cap->v[z]));
      break;
    }
}

/* load_balancer, service behind it -> the service runs in every zone of the balancer (W401) */
static void warn_if_wider(Check *k, Decl *lb, Decl *svc, Expr *via) {
  Expr *subnets = decl_attr(lb, "subnets");
  Zones own, wide, bare;
  const Zones *cap = service_zones(k, svc, &own);
  if (!cap || cap->unknown || !cap->n) return;
  zones_of_list(k, &wide, subnets);
  if (wide.unknown) return;
  zones_begin(k, &bare);
  for (int i = 0; i < wide.n; i++)
    if (!zones_has(cap, wide.v[i])) zones_add(k, &bare, wide.v[i]);
  if (!bare.n) return;
  Diag *g = diag_warning(k->c, "W401", subnets->span,
                         "load balancer %s spans %d zones, but service %s behind it runs only in "
                         "%s",
                         lb->name, wide.n, svc->name, zones_desc(k, cap));
  diag_note(k->c, g, via->span, "service %s receives the requests of %s", svc->name, lb->name);
  capacity_notes(k, g, svc, cap);
  const char *add =
      decl_attr(svc, "subnets")
          ? arena_printf(k->a, "give service %s subnets in %s", svc->name, zones_desc(k, &bare))
          : arena_printf(k->a, "add instances that join %s in %s", decl_ref(svc, "cluster")->name,
                         zones_desc(k, &bare));
  if (cap->n == 1)
    diag_help(k->c, g,
              "if %s fails, %s has nothing to send requests to: %s, or narrow %s to "
              "the zones with capacity",
              zones_desc(k, cap), lb->name, add, lb->name);
  else
    diag_help(k->c, g, "%s, or narrow %s to the zones with capacity", add, lb->name);
}

/* load_balancer -> no more zones than the services behind it run in (W401) */
void check_capacity(Check *k, Decl *d) {
  Member *m, *block;
  for (int i = 0; (m = next_stmt(&d->members, "listener", &i));) {
    Decl *tg = item_decl(member_attr(m, "forward"));
    Vec *services = tg ? &k->joined[tg->index] : NULL;
    for (int j = 0; services && j < services->n; j++) {
      Decl *svc = services->v[j];
      if (svc->mark == d->index + 1) continue;
      svc->mark = d->index + 1; /* once per balancer */
      for (int b = 0; (block = next_stmt(&svc->members, "load_balancer", &b));)
        if (item_decl(member_attr(block, "target_group")) == tg) break;
      warn_if_wider(k, d, svc, member_attr(block, "target_group"));
    }
  }
}
