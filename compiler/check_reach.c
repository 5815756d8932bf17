/* check_reach.c: reachability from the internet (W607), from the facts of
   exposure.c. An instance's port reached directly, not through a load
   balancer's listener, and a database reached at all, are warned once per
   target and security group, naming the whole chain. A balancer's
   listeners are its purpose and are not warned. */
#include <string.h>

#include "check.h"
#include "exposure.h"

/* The note at a rule: what it lets through, of e[0..n) (the same rule). */
static const char *rule_text(Check *k, const Exposure *e, int n) {
  Cidr peer;
  char from[19] = "?";
  if (check_cidr(stmt_slot(e->rule, "peer", 0), &peer)) cidr_format(peer, from);
  return arena_printf(k->a, "security group %s admits %s from %s", e->group->name,
                      exposure_ports(k->c, e, n), from);
}

/* Is the instance behind a balancer: a service of its cluster registered in
   a target group? Then the direct path bypasses that balancer. */
static bool behind_balancer(Check *k, const Decl *inst) {
  Decl *cluster = decl_ref(inst, "cluster");
  if (!cluster) return false;
  Vec *decls = &k->c->prog.decls;
  for (int i = 0; i < decls->n; i++) {
    Decl *svc = decls->v[i];
    if (decl_is(svc, "service") && decl_ref(svc, "cluster") == cluster &&
        next_stmt(&svc->members, "load_balancer", &(int){0}))
      return true;
  }
  return false;
}

static void report(Check *k, const Exposure *e, int n) {
  Decl *d = e->target;
  char from[19];
  cidr_format(e->from, from);
  const char *who = e->from.prefix == 0 ? "the internet" : arena_printf(k->a, "%s", from);
  bool db = decl_is(d, "database");
  Diag *g =
      diag_warning(k->c, "W607", d->name_span, "%s %s is reachable from %s on %s through %s%s",
                   d->kind_name, d->name, who, exposure_ports(k->c, e, n), exposure_chain(k->c, e),
                   db ? ", although a database is private" : ", not through a load balancer");
  diag_note(k->c, g, e->route->span, "route table %s sends %s to internet gateway %s for subnet %s",
            e->table->name, cidr_desc(k, e->dst), e->igw->name, e->subnet->name);
  if (e->address)
    diag_note(k->c, g, e->address->name_span, "elastic IP %s gives it a public address",
              e->address->name);
  for (int i = 0, j; i < n; i = j) {
    for (j = i + 1; j < n && e[j].rule == e[i].rule;)
      j++;
    diag_note(k->c, g, e[i].rule->span, "%s", rule_text(k, &e[i], j - i));
  }
  if (db)
    diag_help(k->c, g,
              "keep public = false and private subnets, and admit the port only from the "
              "application's security group (`ingress tcp PORT from GROUP`)");
  else if (behind_balancer(k, d))
    diag_help(k->c, g,
              "give the instance a security group that admits only the balancer's group "
              "(`ingress tcp PORT from GROUP`), or move it to a private subnet; reach it "
              "for administration through Session Manager");
  else
    diag_help(k->c, g,
              "admit these ports only from the addresses that need them, or put a load "
              "balancer in front and the instance in a private subnet");
}

void check_reachability(Check *k) {
  int n;
  Exposure *v = exposure_find(k->c, &n);
  for (int i = 0; i < n;) {
    int j = i + 1; /* one warning per target, group and source range */
    while (j < n && v[j].target == v[i].target && v[j].group == v[i].group &&
           v[j].from.addr == v[i].from.addr && v[j].from.prefix == v[i].from.prefix)
      j++;
    if (!v[i].fronted) report(k, &v[i], j - i);
    i = j;
  }
}
