/* graph.c: the stack as a picture, in Graphviz DOT.

   The region is a cluster; in it each VPC, in each VPC a cluster per
   availability zone, in each zone its subnets, and in each subnet what stands
   in one subnet (instances, NAT gateways). What spans subnets or zones (load
   balancers, databases, route tables, security groups, target groups) is drawn
   once in its VPC, with edges to its subnets. Regional services (ECS,
   registries, logs, certificates, elastic IPs) stand in the region outside
   the VPCs; global ones (Route 53, IAM) and the Internet outside the region.
   A `resource` declaration stands in the subnet one of its properties names
   (SubnetId = public_a), else in the VPC one names (VpcId = main, or
   SubnetIds = [..] of one VPC), else in the region, or outside it for the
   global services' types.
   An edge A -> B says that A refers to B; references that the nesting shows
   already (a subnet's VPC, an instance's subnet) are not drawn. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "exposure.h"
#include "graph.h"
#include "strmap.h"
#include "modules.h"

typedef enum { P_NONE, P_GLOBAL, P_REGION, P_VPC, P_SUBNET } Place;

typedef struct {
  Decl *d;
  Place place;
  Decl *vpc, *subnet;
  bool public_subnet; /* subnets: public as the checker says (mark_public) */
} GNode;

typedef struct {
  Compilation *c;
  Buf *out;
  GNode *nodes; /* by decl->index */
  int n;
  Vec edges; /* char*: each edge line, for dedup */
  Decl *from;
  const char *from_id; /* a container of `from` (a task): the edges start there */
  const char *label; /* of the edges being collected (a route's destination) */
  Buf layout;        /* invisible edges and ranks that order zones and subnets */
} G;

/* ---- what goes where ---- */

static Decl *ref_of(const Expr *e) {
  while (e && e->k == EX_FIELD)
    e = e->base;
  return e && e->k == EX_NAME && e->ref && e->ref->k == D_RESOURCE ? e->ref : NULL;
}

static Decl *first_subnet(const Decl *d) {
  Expr *e = decl_attr(d, "subnets");
  if (!e || e->k != EX_LIST || !e->items.n)
    return NULL;
  Decl *s = ref_of(e->items.v[0]);
  return decl_is(s, "subnet") ? s : NULL;
}

static bool is_generic(const Decl *d) {
  return d->k == D_RESOURCE && d->type_name && !d->schema;
}

/* "S3::Bucket" for AWS::S3::Bucket: the service and the type. */
static const char *short_type(const char *type) {
  return strncmp(type, "AWS::", 5) ? type : type + 5;
}

/* The services whose types are global, not in a region. */
static const char *const global_services[] = {"AWS::IAM::", "AWS::Route53::", "AWS::CloudFront::",
                                              "AWS::Organizations::", "AWS::GlobalAccelerator::"};

/* A `resource`'s place: the first top-level property that names a subnet (in
   it) or a VPC or a list of subnets (in its VPC). */
static void place_generic(GNode *n) {
  Decl *d = n->d;
  n->place = P_REGION;
  for (size_t i = 0; i < countof(global_services); i++)
    if (!strncmp(d->type_name, global_services[i], strlen(global_services[i])))
      n->place = P_GLOBAL;
  if (!d->props || d->props->k != EX_OBJECT)
    return;
  for (int i = 0; i < d->props->items.n; i++) {
    const Expr *v = ((const Expr *)d->props->items.v[i])->base;
    Decl *r = v && v->k == EX_NAME ? ref_of(v) : NULL;
    if (v && v->k == EX_LIST && v->items.n && v->items.v[0] &&
        ((const Expr *)v->items.v[0])->k == EX_NAME)
      r = ref_of(v->items.v[0]), r = decl_is(r, "subnet") ? decl_ref(r, "vpc") : NULL;
    if (decl_is(r, "subnet") && decl_is(decl_ref(r, "vpc"), "vpc")) {
      n->place = P_SUBNET, n->subnet = r, n->vpc = decl_ref(r, "vpc");
      return;
    }
    if (decl_is(r, "vpc")) {
      n->place = P_VPC, n->vpc = r;
      return;
    }
  }
}

static void place(G *g, GNode *n) {
  Decl *d = n->d;
  static const char *const global[] = {"zone", "record", "role"};
  n->place = P_REGION;
  for (size_t i = 0; i < countof(global); i++)
    if (decl_is(d, global[i]))
      n->place = P_GLOBAL;
  if (decl_is(d, "vpc")) {
    n->place = P_NONE; /* a cluster */
    return;
  }
  Decl *subnet = decl_ref(d, "subnet");
  if (decl_is(subnet, "subnet") && decl_is(decl_ref(subnet, "vpc"), "vpc")) {
    n->place = P_SUBNET;
    n->subnet = subnet;
    n->vpc = decl_ref(subnet, "vpc");
    return;
  }
  Decl *vpc = decl_ref(d, "vpc");
  if (!decl_is(vpc, "vpc") && (subnet = first_subnet(d)))
    vpc = decl_ref(subnet, "vpc");
  if (decl_is(vpc, "vpc")) {
    n->place = decl_is(d, "subnet") ? P_NONE : P_VPC;
    n->vpc = vpc;
  }
  (void)g;
}

/* Public subnets as the checker reasons (check.c, subnet_reach): a route
   table that lists the subnet sends 0.0.0.0/0 to an internet gateway. A
   table that routes only 192.0.2.0/24 there makes no subnet public. */
static void mark_public(G *g) {
  Reach *reach = arena_alloc(&g->c->arena, sizeof(Reach) * (size_t)(g->n ? g->n : 1));
  subnet_reach(g->c, reach, NULL);
  for (int i = 0; i < g->n; i++)
    g->nodes[i].public_subnet = decl_is(g->nodes[i].d, "subnet") && reach[i] == REACH_PUBLIC;
}

/* ---- labels ---- */

static void html(Buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': buf_puts(b, "&amp;"); break;
    case '<': buf_puts(b, "&lt;"); break;
    case '>': buf_puts(b, "&gt;"); break;
    case '"': buf_puts(b, "&quot;"); break;
    case '\n': buf_puts(b, " "); break;
    default: buf_add(b, s, 1); break;
    }
  }
}

static const char *str_attr(const Decl *d, const char *name) {
  return eval_string(decl_attr(d, name));
}

static const char *word_attr(const Decl *d, const char *name) {
  Expr *e = decl_attr(d, name);
  return e && e->k == EX_NAME ? e->name : NULL;
}

/* What the second line of a node says after its kind. */
static const char *detail(G *g, const Decl *d, char *tmp, size_t n) {
  int64_t v, w;
  const char *s;
  if (decl_is(d, "instance"))
    return str_attr(d, "type");
  if (decl_is(d, "database")) {
    const char *e = word_attr(d, "engine"), *k = str_attr(d, "class");
    snprintf(tmp, n, "%s%s%s", e ? e : "", e && k ? " " : "", k ? k : "");
    return tmp;
  }
  if (decl_is(d, "load_balancer"))
    return (s = word_attr(d, "scheme")) && !strcmp(s, "internal") ? "internal" : "internet-facing";
  if (decl_is(d, "target_group") && (s = word_attr(d, "protocol")) &&
      eval_int(decl_attr(d, "port"), &v)) {
    snprintf(tmp, n, "%s:%lld", s, (long long)v);
    return tmp;
  }
  if (decl_is(d, "zone") || decl_is(d, "certificate"))
    return str_attr(d, "domain");
  if (decl_is(d, "record") || decl_is(d, "registry") || decl_is(d, "cluster"))
    return str_attr(d, "name");
  if (decl_is(d, "task") && eval_int(decl_attr(d, "cpu"), &v) &&
      eval_int(decl_attr(d, "memory"), &w)) {
    snprintf(tmp, n, "%lld CPU, %lld MiB", (long long)v, (long long)(w >> 20));
    return tmp;
  }
  if (decl_is(d, "service") && eval_int(decl_attr(d, "desired_count"), &v)) {
    snprintf(tmp, n, "%lld task%s", (long long)v, v == 1 ? "" : "s");
    return tmp;
  }
  if (decl_is(d, "log_group") && eval_int(decl_attr(d, "retention"), &v)) {
    snprintf(tmp, n, "%lld days", (long long)(v / 86400));
    return tmp;
  }
  (void)g;
  return NULL;
}

/* Fill and border colours, after the AWS architecture icons' categories:
   by kind, and for a `resource` by its service (AWS::S3::Bucket: " S3 "). */
static void colours(const Decl *d, const char **fill, const char **line) {
  static const struct {
    const char *kinds, *fill, *line;
  } cat[] = {
      {" instance cluster task service registry Lambda ECS ECR EC2 AutoScaling Batch ",
       "#FDEBD9", "#ED7100"}, /* compute */
      {" database DynamoDB RDS ElastiCache DocDB Neptune ", "#EBDDF5", "#C925D1"}, /* database */
      {" security_group role certificate IAM KMS CertificateManager SecretsManager WAFv2 ",
       "#FBE0E3", "#DD344C"},                                                 /* security */
      {" log_group CloudWatch Logs SSM CloudFormation ", "#FBDDEB", "#E7157B"}, /* management */
      {" S3 EFS Backup ", "#E9F3E6", "#7AA116"},                               /* storage */
      {" SQS SNS Events StepFunctions Scheduler ", "#FBE0EF", "#E7157B"},     /* integration */
  };
  char key[64];
  const char *svc = is_generic(d) ? short_type(d->type_name) : NULL, *end;
  if (svc && (end = strstr(svc, "::")))
    snprintf(key, sizeof key, " %.*s ", (int)(end - svc), svc);
  else
    snprintf(key, sizeof key, " %s ", d->kind_name);
  for (size_t i = 0; i < countof(cat); i++)
    if (strstr(cat[i].kinds, key)) {
      *fill = cat[i].fill, *line = cat[i].line;
      return;
    }
  *fill = "#EDE4FD", *line = "#8C4FFF"; /* networking and content delivery */
}

static void node(G *g, const Decl *d, int depth) {
  char tmp[160];
  const char *fill, *line, *more = is_generic(d) ? NULL : detail(g, d, tmp, sizeof tmp);
  colours(d, &fill, &line);
  Buf *b = g->out;
  buf_printf(b, "%*s\"%s\" [label=<<B>", depth * 2, "", d->name);
  html(b, d->name);
  buf_puts(b, "</B><BR/><FONT POINT-SIZE=\"9\">");
  html(b, is_generic(d) ? short_type(d->type_name) : d->kind_name);
  if (more && *more) {
    buf_puts(b, " ");
    html(b, more);
  }
  if (d->cond && d->cond->name) { /* made only under a condition: dashed, and which */
    buf_puts(b, "<BR/>if ");
    html(b, d->cond->name);
  }
  buf_printf(b, "</FONT>>, fillcolor=\"%s\", color=\"%s\"%s];\n", fill, line,
             d->cond ? ", style=\"rounded,filled,dashed\"" : "");
}

/* The nodes of one place (where says which), those that a module made
   grouped in a dashed cluster per instance ("module net"): a module's parts
   read as one, within the region, a VPC or a subnet. */
typedef bool (*Where)(const GNode *n, const void *arg);
static void task_cluster(G *g, const Decl *task, int depth);

static void node_or_task(G *g, const GNode *n, int depth) {
  if (n->place == P_REGION && decl_is(n->d, "task"))
    task_cluster(g, n->d, depth);
  else
    node(g, n->d, depth);
}

static void nodes_at(G *g, Where where, const void *arg, const char *id, int depth) {
  for (int i = 0; i < g->n; i++)
    if (where(&g->nodes[i], arg) && !modules_of(g->c, g->nodes[i].d))
      node_or_task(g, &g->nodes[i], depth);
  for (int m = 0; m < g->c->modules.n; m++) {
    ModuleInstance *in = g->c->modules.v[m];
    bool open = false;
    for (int i = 0; i < g->n; i++) {
      if (!where(&g->nodes[i], arg) || modules_of(g->c, g->nodes[i].d) != in)
        continue;
      if (!open)
        buf_printf(g->out, "%*ssubgraph \"cluster_module_%s_%s\" {\n%*slabel=<module <B>%s</B>>; "
                           "style=\"dashed\"; color=\"#7D8998\"; fontcolor=\"#7D8998\";\n",
                   depth * 2, "", id, in->name, depth * 2 + 2, "", in->name);
      open = true;
      node_or_task(g, &g->nodes[i], depth + 1);
    }
    if (open)
      buf_printf(g->out, "%*s}\n", depth * 2, "");
  }
}

static bool at_global(const GNode *n, const void *arg) { return (void)arg, n->place == P_GLOBAL; }
static bool at_region(const GNode *n, const void *arg) { return (void)arg, n->place == P_REGION; }
static bool at_vpc(const GNode *n, const void *vpc) { return n->place == P_VPC && n->vpc == vpc; }
static bool at_subnet(const GNode *n, const void *s) {
  return n->place == P_SUBNET && n->subnet == s;
}

/* A task and its containers, drawn inside it; a container's id is
   "task.container" (container names are not declaration names). */
static void task_cluster(G *g, const Decl *task, int depth) {
  Buf *b = g->out;
  buf_printf(b, "%*ssubgraph \"cluster_task_%s\" {\n", depth * 2, "", task->name);
  buf_printf(b, "%*slabel=\"\"; style=\"rounded,dashed\"; color=\"#ED7100\";\n", depth * 2 + 2, "");
  node(g, task, depth + 1);
  for (int i = 0; i < task->members.n; i++) {
    const Member *m = task->members.v[i];
    const char *name = m->k == M_STMT && !strcmp(m->name, "container") ? container_name(m) : NULL;
    if (!name)
      continue;
    int64_t mem;
    char more[48] = "";
    if (eval_int(member_attr(m, "memory"), &mem) ||
        eval_int(member_attr(m, "memory_reservation"), &mem))
      snprintf(more, sizeof more, " %lld MiB", (long long)(mem >> 20));
    buf_printf(b, "%*s\"%s.%s\" [label=<<B>", depth * 2 + 2, "", task->name, name);
    html(b, name);
    buf_puts(b, "</B><BR/><FONT POINT-SIZE=\"9\">container");
    html(b, more);
    buf_puts(b, "</FONT>>, fillcolor=\"#FFFFFF\", color=\"#ED7100\"];\n");
    buf_printf(&g->layout, "  \"%s\" -> \"%s.%s\" [style=invis];\n", task->name, task->name,
               name);
  }
  buf_printf(b, "%*s}\n", depth * 2, "");
}

/* ---- edges ---- */

static void edge(G *g, Decl *to) {
  Decl *from = g->from;
  if (!to || to == from || decl_is(to, "vpc"))
    return;
  GNode *fn = &g->nodes[from->index];
  if (fn->place == P_SUBNET && fn->subnet == to)
    return;
  Buf b = {0};
  buf_printf(&b, "  \"%s\" -> \"%s\"", g->from_id ? g->from_id : from->name, to->name);
  Buf attrs = {0};
  if (decl_is(to, "subnet"))
    buf_printf(&attrs, ", lhead=\"cluster_subnet_%s\"", to->name);
  if (decl_is(to, "task"))
    buf_printf(&attrs, ", lhead=\"cluster_task_%s\"", to->name);
  if (g->label)
    buf_printf(&attrs, ", xlabel=\"%s\"", g->label); /* beside its line, not a rank of its own */
  if (decl_is(to, "security_group") || decl_is(to, "role") || decl_is(to, "log_group"))
    buf_puts(&attrs, ", style=dashed, constraint=false");
  if (attrs.len)
    buf_printf(&b, " [%s]", attrs.s + 2);
  buf_puts(&b, ";\n");
  buf_free(&attrs);
  for (int i = 0; i < g->edges.n; i++)
    if (!strcmp(g->edges.v[i], b.s)) {
      buf_free(&b);
      return;
    }
  vec_push(&g->c->arena, &g->edges, arena_strndup(&g->c->arena, b.s, b.len));
  buf_free(&b);
}

static void expr_edges(G *g, const Expr *e) {
  if (!e)
    return;
  switch (e->k) {
  case EX_NAME:
  case EX_FIELD: edge(g, ref_of(e)); break;
  case EX_PAIR: expr_edges(g, e->base); break;
  case EX_CALL:
  case EX_LIST:
  case EX_OBJECT:
    for (int i = 0; i < e->items.n; i++)
      expr_edges(g, e->items.v[i]);
    break;
  case EX_STR:
    for (const StrPart *p = e->parts; p; p = p->next)
      expr_edges(g, p->expr);
    break;
  default: break;
  }
}

static void member_edges(G *g, const Vec *members) {
  for (int i = 0; i < members->n; i++) {
    const Member *m = members->v[i];
    if (m->k == M_ATTR) {
      expr_edges(g, m->value);
      continue;
    }
    char cidr[19];
    Cidr dest;
    g->label = NULL;
    if (!strcmp(m->name, "route") && m->words.n && eval_cidr(m->words.v[0], &dest)) {
      cidr_format(dest, cidr);
      g->label = arena_strndup(&g->c->arena, cidr, strlen(cidr));
    }
    for (int k = 0; k < m->words.n; k++)
      expr_edges(g, m->words.v[k]);
    g->label = NULL;
    const char *container = decl_is(g->from, "task") ? container_name(m) : NULL;
    if (container) /* its image, logs and env: from the container, inside its task */
      g->from_id = arena_printf(&g->c->arena, "%s.%s", g->from->name, container);
    member_edges(g, &m->body);
    if (container)
      g->from_id = NULL;
  }
}

/* ---- what the internet reaches (--reach) ---- */

static void reach_hop(G *g, StrMap *seen, const char *from, const Decl *to, const char *label) {
  Buf b = {0};
  buf_printf(&b, "  \"%s\" -> \"%s\" [color=\"#D13212\", penwidth=2", from, to->name);
  if (decl_is(to, "subnet")) buf_printf(&b, ", lhead=\"cluster_subnet_%s\"", to->name);
  if (label) buf_printf(&b, ", xlabel=\"%s\", fontcolor=\"#D13212\"", label);
  buf_puts(&b, "];\n");
  if (!strmap_get(seen, b.s)) {
    strmap_put(seen, b.s, g);
    buf_add(g->out, b.s, b.len);
  }
  buf_free(&b);
}

/* Each chain of exposure.c in red: internet, gateway, route table, subnet,
   elastic IP, group, and the target, its last hop labelled with the ports. */
static void reach_edges(G *g) {
  int n;
  Exposure *v = exposure_find(g->c, &n);
  StrMap seen = {0};
  for (int i = 0, j; i < n; i = j) {
    for (j = i + 1; j < n && v[j].target == v[i].target && v[j].group == v[i].group;)
      j++;
    Exposure *e = &v[i];
    reach_hop(g, &seen, "internet", e->igw, NULL);
    reach_hop(g, &seen, e->igw->name, e->table, NULL);
    reach_hop(g, &seen, e->table->name, e->subnet, NULL);
    const Decl *before = e->address ? e->address : e->subnet;
    if (e->address) reach_hop(g, &seen, e->subnet->name, before, NULL);
    reach_hop(g, &seen, before->name, e->group, NULL);
    reach_hop(g, &seen, e->group->name, e->target, exposure_ports(g->c, e, j - i));
  }
  strmap_free(&seen);
}

/* ---- the picture ---- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The row-th subnet of a zone: public subnets first, in program order. */
static Decl *zone_subnet(G *g, Decl *vpc, const char *az, int row) {
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < g->n; i++) {
      Decl *s = g->nodes[i].d;
      const char *saz = str_attr(s, "az");
      if (decl_is(s, "subnet") && g->nodes[i].vpc == vpc && !strcmp(saz ? saz : "", az) &&
          g->nodes[i].public_subnet == (pass == 0) && row-- == 0)
        return s;
    }
  return NULL;
}

static void vpc_cluster(G *g, Decl *vpc) {
  Buf *b = g->out;
  char cidr[19] = "";
  Cidr c;
  if (eval_cidr(decl_attr(vpc, "cidr"), &c))
    cidr_format(c, cidr);
  buf_printf(b, "    subgraph \"cluster_vpc_%s\" {\n", vpc->name);
  buf_puts(b, "      label=<<B>VPC ");
  html(b, vpc->name);
  buf_printf(b, "</B>  %s>;\n", cidr);
  buf_puts(b, "      style=\"rounded\"; color=\"#8C4FFF\"; penwidth=1.5;\n");
  nodes_at(g, at_vpc, vpc, arena_printf(&g->c->arena, "vpc_%s", vpc->name), 3);
  /* the zones, by name; subnets in program order within each */
  Vec zones = {0};
  for (int i = 0; i < g->n; i++) {
    Decl *s = g->nodes[i].d;
    if (!decl_is(s, "subnet") || g->nodes[i].vpc != vpc)
      continue;
    const char *az = str_attr(s, "az");
    az = az ? az : "";
    bool seen = false;
    for (int k = 0; k < zones.n && !seen; k++)
      seen = !strcmp(zones.v[k], az);
    if (!seen)
      vec_push(&g->c->arena, &zones, (void *)az);
  }
  if (zones.n)
    qsort(zones.v, (size_t)zones.n, sizeof(void *), cmp_str);
  for (int z = 0; z < zones.n; z++) {
    const char *az = zones.v[z];
    buf_printf(b, "      subgraph \"cluster_az_%s_", vpc->name);
    for (const char *p = az; *p; p++)
      buf_add(b, *p == '"' || *p == '\\' ? "_" : p, 1);
    buf_puts(b, "\" {\n");
    buf_puts(b, "        label=<");
    html(b, *az ? az : "zone unknown");
    buf_puts(b, ">;\n        style=\"dashed\"; color=\"#147EBA\"; fontcolor=\"#147EBA\";\n");
    for (int row = 0; zone_subnet(g, vpc, az, row); row++) {
      Decl *s = zone_subnet(g, vpc, az, row);
      bool pub = g->nodes[s->index].public_subnet;
      char scidr[19] = "";
      if (eval_cidr(decl_attr(s, "cidr"), &c))
        cidr_format(c, scidr);
      buf_printf(b, "        subgraph \"cluster_subnet_%s\" {\n", s->name);
      buf_puts(b, "          label=<<B>");
      html(b, s->name);
      buf_printf(b, "</B>  %s<BR/><FONT POINT-SIZE=\"9\">%s subnet</FONT>>;\n", scidr,
                 pub ? "public" : "private");
      buf_printf(b, "          style=\"filled\"; fillcolor=\"%s\"; color=\"%s\";\n",
                 pub ? "#F2F6E8" : "#E6F6F7", pub ? "#7AA116" : "#00A4A6");
      buf_printf(b, "          \"%s\" [shape=point, style=invis, width=0.01, label=\"\"];\n",
                 s->name);
      nodes_at(g, at_subnet, s, arena_printf(&g->c->arena, "subnet_%s", s->name), 5);
      buf_puts(b, "        }\n");
    }
    buf_puts(b, "      }\n");
  }
  buf_puts(b, "    }\n");
  /* The zones as columns, left to right by name, their subnets as rows:
     public ones first, each row on one rank, below what stands in the row
     above. */
  Buf *layout = &g->layout;
  for (int row = 0;; row++) {
    Vec anchors = {0};
    for (int z = 0; z < zones.n; z++) {
      Decl *s = zone_subnet(g, vpc, zones.v[z], row);
      if (s)
        vec_push(&g->c->arena, &anchors, s);
      Decl *below = s ? zone_subnet(g, vpc, zones.v[z], row + 1) : NULL;
      if (!below)
        continue;
      bool any = false;
      for (int k = 0; k < g->n; k++)
        if (g->nodes[k].place == P_SUBNET && g->nodes[k].subnet == s) {
          buf_printf(layout, "  \"%s\" -> \"%s\" [style=invis];\n", s->name, g->nodes[k].d->name);
          buf_printf(layout, "  \"%s\" -> \"%s\" [style=invis];\n", g->nodes[k].d->name,
                     below->name);
          any = true;
        }
      if (!any)
        buf_printf(layout, "  \"%s\" -> \"%s\" [style=invis];\n", s->name, below->name);
    }
    if (!anchors.n)
      break;
    /* what spans the zones stands above them */
    for (int k = 0; row == 0 && k < g->n; k++)
      if (g->nodes[k].place == P_VPC && g->nodes[k].vpc == vpc)
        buf_printf(layout, "  \"%s\" -> \"%s\" [style=invis, weight=0];\n",
                   g->nodes[k].d->name, ((Decl *)anchors.v[0])->name);
    buf_puts(layout, "  { rank=same;");
    for (int k = 0; k < anchors.n; k++)
      buf_printf(layout, " \"%s\";", ((Decl *)anchors.v[k])->name);
    buf_puts(layout, " }\n");
    for (int k = 1; k < anchors.n; k++)
      buf_printf(layout, "  \"%s\" -> \"%s\" [style=invis];\n", ((Decl *)anchors.v[k - 1])->name,
                 ((Decl *)anchors.v[k])->name);
  }
}

void graph_dot(Compilation *c, Buf *out, bool reach) {
  Vec *decls = &c->prog.decls;
  G g = {.c = c, .out = out, .n = decls->n};
  g.nodes = arena_alloc(&c->arena, sizeof(GNode) * (size_t)(g.n ? g.n : 1));
  bool igw = false;
  for (int i = 0; i < g.n; i++) {
    Decl *d = decls->v[i];
    g.nodes[i].d = d;
    if (d->k == D_RESOURCE && d->schema)
      place(&g, &g.nodes[i]);
    else if (is_generic(d))
      place_generic(&g.nodes[i]);
    igw = igw || decl_is(d, "internet_gateway");
  }
  mark_public(&g);
  Decl *stack = c->prog.stack;
  const char *name = stack ? stack->name : "stack";
  const char *region = stack ? str_attr(stack, "region") : NULL;

  buf_printf(out, "digraph \"%s\" {\n", name);
  buf_puts(out, "  graph [fontname=\"Helvetica\", fontsize=11, compound=true, newrank=true, "
                "nodesep=0.25, ranksep=0.45, labelloc=t, forcelabels=true, "
                "fontcolor=\"#232F3E\"];\n");
  buf_puts(out, "  node [fontname=\"Helvetica\", fontsize=11, shape=box, "
                "style=\"rounded,filled\", penwidth=1.2, fontcolor=\"#232F3E\"];\n");
  buf_puts(out, "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#545B64\", "
                "fontcolor=\"#545B64\", arrowsize=0.7];\n");
  buf_puts(out, "  label=<<B>stack ");
  html(out, name);
  buf_puts(out, "</B>>;\n");
  if (igw)
    buf_puts(out, "  \"internet\" [label=<<B>Internet</B>>, shape=ellipse, style=filled, "
                  "fillcolor=\"#FFFFFF\", color=\"#232F3E\"];\n");
  nodes_at(&g, at_global, NULL, "global", 1);
  buf_puts(out, "  subgraph \"cluster_region\" {\n    label=<<B>Region</B> ");
  html(out, region ? region : "");
  buf_puts(out, ">;\n    style=\"rounded\"; color=\"#147EBA\"; fontcolor=\"#147EBA\";\n");
  nodes_at(&g, at_region, NULL, "region", 2);
  for (int i = 0; i < g.n; i++)
    if (decl_is(g.nodes[i].d, "vpc"))
      vpc_cluster(&g, g.nodes[i].d);
  buf_puts(out, "  }\n");

  for (int i = 0; i < g.n; i++) {
    Decl *d = g.nodes[i].d;
    if (d->k != D_RESOURCE || (!d->schema && !is_generic(d)) || decl_is(d, "vpc") ||
        decl_is(d, "subnet"))
      continue;
    g.from = d;
    member_edges(&g, &d->members);
  }
  for (int i = 0; i < g.n; i++)
    if (decl_is(g.nodes[i].d, "internet_gateway"))
      buf_printf(out, "  \"internet\" -> \"%s\" [dir=both, arrowtail=none, penwidth=1.5];\n",
                 g.nodes[i].d->name);
  for (int i = 0; i < g.edges.n; i++)
    buf_puts(out, g.edges.v[i]);
  if (reach) reach_edges(&g);
  if (g.layout.len)
    buf_add(out, g.layout.s, g.layout.len);
  buf_free(&g.layout);
  buf_puts(out, "}\n");
}

/* ---- rendering through Graphviz ---- */

int graph_render(const char *dot, size_t len, const char *format) {
  int fds[2];
  if (pipe(fds) != 0)
    return 1;
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return 1;
  }
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    char arg[32];
    snprintf(arg, sizeof arg, "-T%s", format);
    execlp("dot", "dot", arg, (char *)NULL);
    _exit(127);
  }
  close(fds[0]);
  void (*old)(int) = signal(SIGPIPE, SIG_IGN);
  for (size_t off = 0; off < len;) {
    ssize_t w = write(fds[1], dot + off, len - off);
    if (w <= 0)
      break;
    off += (size_t)w;
  }
  close(fds[1]);
  signal(SIGPIPE, old);
  int status;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
    return 1;
  return WEXITSTATUS(status) == 127 ? 127 : WEXITSTATUS(status) ? 1 : 0;
}
