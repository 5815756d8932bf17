/* check_net.c: addresses, VPCs and zones. CIDR blocks (E201-E205), what
   must share a VPC (E206), zones (E401-E404), the way to the internet
   (E405, W403). */
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- addresses ---- */

/* cidr -> the network address: no bit set after the prefix (E201) */
static void check_host_bits(Walk *w, Expr *e) {
  Check *k = w->k;
  Cidr net = {cidr_network(e->cidr), e->cidr.prefix};
  char ip[16];
  ip_format(e->cidr.addr, ip);
  Diag *g = diag_error(k->c, "E201", e->span, "CIDR block %s of %s has host bits set",
                       cidr_desc(k, e->cidr), decl_desc(k, w->d));
  if (decl_is(w->d, "vpc") || decl_is(w->d, "subnet"))
    diag_help(k->c, g, "its network address is %s", cidr_desc(k, net));
  else
    diag_help(k->c, g, "its network address is %s; for the single address %s, write %s/32",
              cidr_desc(k, net), ip, ip);
  diag_fix(k->c, g, e->span, cidr_desc(k, net));
}

/* cidr(base, bits, index) -> a block inside base (E106) */
static void check_cidr_call(Walk *w, Expr *e) {
  Check *k = w->k;
  Cidr base, out;
  int64_t bits, index;
  Expr *bits_at = e->items.v[1], *index_at = e->items.v[2];
  if (!eval_cidr(e->items.v[0], &base) || !eval_int(bits_at, &bits) ||
      !eval_int(index_at, &index) ||
      cidr_subnet(base, (int)(bits > 32 ? 33 : bits), (uint64_t)index, &out))
    return;
  Cidr net = {cidr_network(base), base.prefix};
  if (base.prefix + bits > 32) {
    Diag *g = diag_error(k->c, "E106", bits_at->span,
                         "cidr() cannot add %lld bits to the /%d of %s: a prefix ends at /32",
                         (long long)bits, base.prefix, cidr_desc(k, net));
    diag_help(k->c, g, "add at most %d bits", 32 - base.prefix);
    return;
  }
  uint64_t blocks = (uint64_t)1 << bits;
  Diag *g =
      diag_error(k->c, "E106", index_at->span,
                 "cidr() has no block %lld: %s split by %lld bits gives %llu blocks",
                 (long long)index, cidr_desc(k, net), (long long)bits, (unsigned long long)blocks);
  diag_help(k->c, g, "the index runs from 0 to %llu", (unsigned long long)(blocks - 1));
}

/* any expression -> CIDR literals free of host bits (E201), cidr() inside its base (E106) */
bool check_addresses(Walk *w, Expr *e) {
  if (e->k == EX_CIDR && cidr_has_host_bits(e->cidr)) check_host_bits(w, e);
  if (e->k == EX_CALL && !strcmp(e->name, "cidr") && e->items.n == 3) check_cidr_call(w, e);
  return true;
}

/* vpc, subnet -> cidr from /16 to /28 (E204) */
static void check_prefix(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "cidr");
  Cidr c;
  if (!check_cidr(e, &c) || (c.prefix >= 16 && c.prefix <= 28)) return;
  bool big = c.prefix < 16;
  Diag *g = diag_error(k->c, "E204", e->span, "%s has the block %s, %s than /%d, the %s AWS allows",
                       decl_desc(k, d), cidr_desc(k, c), big ? "larger" : "smaller", big ? 16 : 28,
                       big ? "largest" : "smallest");
  if (big)
    diag_help(k->c, g, "AWS allows /16 (65,536 addresses) down to /28 (16): use a /16 such as %s",
              cidr_desc(k, (Cidr){c.addr, 16}));
  else
    diag_help(k->c, g, "AWS allows /16 (65,536 addresses) down to /28 (16): use a /28 or larger");
}

/* vpc -> cidr from /16 to /28 (E204) */
void check_vpc(Check *k, Decl *d) {
  check_prefix(k, d);
}

/* subnet -> cidr inside the vpc's cidr (E202) */
static void check_inside_vpc(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "cidr");
  Decl *vpc = decl_ref(d, "vpc");
  Cidr s, v;
  if (!vpc || !check_cidr(e, &s) || !check_cidr(decl_attr(vpc, "cidr"), &v) || cidr_contains(v, s))
    return;
  Diag *g = diag_error(k->c, "E202", e->span, "subnet cidr %s is not inside vpc %s (%s)",
                       cidr_desc(k, s), vpc->name, cidr_desc(k, v));
  diag_note(k->c, g, vpc->name_span, "vpc %s declared here", vpc->name);
  diag_help(k->c, g, "%s spans %s", vpc->name, range_desc(k, v));
}

/* subnet -> az, a zone of the stack's region (E401). Run before the rules
   (check.c, prepare): a zone in error is unknown to every rule after it,
   so no warning repeats it. */
void check_zone_in_region(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "az");
  const char *az = eval_string(e);
  if (!k->region || !az) return;
  const char *const *zones = k->region->zones;
  int n = 0;
  for (; zones[n]; n++)
    if (!strcmp(zones[n], az)) return;
  const Region *other = region_of_zone(az, strlen(az));
  Diag *g = other ? diag_error(k->c, "E401", e->span,
                               "zone \"%s\" of subnet %s is in region %s, not in the stack's "
                               "region %s",
                               az, d->name, other->name, k->region->name)
                  : diag_error(k->c, "E401", e->span,
                               "zone \"%s\" of subnet %s is not a zone of the stack's region %s",
                               az, d->name, k->region->name);
  diag_note(k->c, g, decl_attr(k->stack, "region")->span, "stack %s is in region %s",
            k->stack->name, k->region->name);
  Buf b = {0};
  for (int i = 0; i < n; i++)
    buf_printf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", zones[i]);
  const char *s = resolve_suggest(az, zones, n);
  if (s) {
    diag_help(k->c, g, "did you mean \"%s\"? the zones of %s are %s", s, k->region->name, b.s);
    diag_fix(k->c, g, e->span, arena_printf(k->a, "\"%s\"", s));
  } else {
    diag_help(k->c, g, "the zones of %s are %s", k->region->name, b.s);
  }
  buf_free(&b);
  e->k = EX_ERROR;
}

/* subnet -> cidr from /16 to /28 (E204), inside its vpc (E202) */
void check_subnet(Check *k, Decl *d) {
  check_prefix(k, d);
  check_inside_vpc(k, d);
}

/* ---- overlaps: sorted by address within each VPC, then one sweep ---- */

typedef struct {
  Decl *subnet, *vpc;
  Cidr cidr;
} Placed;

static int placed_cmp(const void *pa, const void *pb) {
  const Placed *a = pa, *b = pb;
  if (a->vpc != b->vpc) return a->vpc->index < b->vpc->index ? -1 : 1;
  int c = cidr_compare(a->cidr, b->cidr); /* a larger block before the ones it holds */
  if (c) return c;
  return (a->subnet->index > b->subnet->index) - (a->subnet->index < b->subnet->index);
}

/* The first block of c's size that starts after `after` ends, if any. */
static bool block_after(Cidr c, Cidr after, Cidr *out) {
  uint64_t size = cidr_size(c), start = (uint64_t)cidr_last(after) + 1;
  uint64_t at = (start + size - 1) / size * size;
  if (at + size - 1 > 0xFFFFFFFFu) return false;
  *out = (Cidr){(uint32_t)at, c.prefix};
  return true;
}

static void report_overlap(Check *k, const Placed *a, const Placed *b) {
  const Placed *later = a->subnet->index > b->subnet->index ? a : b;
  const Placed *earlier = later == a ? b : a;
  Cidr shared, moved;
  cidr_intersect(a->cidr, b->cidr, &shared);
  Expr *at = decl_attr(later->subnet, "cidr");
  Diag *g = diag_error(k->c, "E203", at->span,
                       "subnet %s (%s) overlaps subnet %s (%s) in vpc %s: both hold %s",
                       later->subnet->name, cidr_desc(k, later->cidr), earlier->subnet->name,
                       cidr_desc(k, earlier->cidr), a->vpc->name, range_desc(k, shared));
  diag_note(k->c, g, decl_attr(earlier->subnet, "cidr")->span, "subnet %s spans %s",
            earlier->subnet->name, range_desc(k, earlier->cidr));
  if (block_after(later->cidr, earlier->cidr, &moved))
    diag_help(k->c, g, "every address belongs to one subnet: the first /%d after %s is %s",
              moved.prefix, earlier->subnet->name, cidr_desc(k, moved));
}

/* vpc -> no address in two of its subnets (E203). Blocks nest or are apart,
   so in address order a subnet overlaps an earlier one only if it lies
   inside the one that reaches furthest. */
void check_overlaps(Check *k) {
  Vec *decls = &k->c->prog.decls;
  Placed *v = malloc(sizeof(Placed) * (size_t)(decls->n + 1));
  int n = 0;
  for (int i = 0; i < decls->n; i++) {
    Decl *s = decls->v[i];
    Decl *vpc = decl_is(s, "subnet") ? decl_ref(s, "vpc") : NULL;
    Cidr c, outer;
    if (!vpc || !check_cidr(decl_attr(s, "cidr"), &c)) continue;
    if (check_cidr(decl_attr(vpc, "cidr"), &outer) && !cidr_contains(outer, c)) continue; /* E202 */
    v[n++] = (Placed){s, vpc, c};
  }
  qsort(v, (size_t)n, sizeof *v, placed_cmp);
  for (int i = 1, reach = 0; i < n; i++) {
    if (v[i].vpc != v[reach].vpc || cidr_first(v[i].cidr) > cidr_last(v[reach].cidr))
      reach = i;
    else
      report_overlap(k, &v[reach], &v[i]);
  }
  free(v);
}

/* ---- sharing a VPC ---- */

/* A note at where d is placed in its vpc. */
static void vpc_note(Check *k, Diag *g, const Decl *d) {
  Decl *vpc = vpc_of(d);
  if (decl_attr(d, "vpc")) {
    diag_note(k->c, g, decl_attr(d, "vpc")->span, "%s belongs to vpc %s", d->name, vpc->name);
    return;
  }
  Decl *s = decl_ref(d, "subnet");
  diag_note(k->c, g, decl_attr(d, "subnet")->span, "%s stands in subnet %s, of vpc %s", d->name,
            s->name, vpc->name);
}

/* owner -> the resource `item` names stands in the vpc of `anchor`, the
   owner itself or its subnet (E206) */
static void want_vpc(Check *k, Expr *item, Decl *anchor, Decl *owner) {
  Decl *d = item_decl(item), *has = vpc_of(d), *want = vpc_of(anchor);
  if (!has || !want || has == want) return;
  const char *anchor_desc =
      anchor == owner ? decl_desc(k, owner)
                      : arena_printf(k->a, "%s's subnet %s", decl_desc(k, owner), anchor->name);
  Diag *g = diag_error(k->c, "E206", item->span, "%s is in vpc %s, but %s is in vpc %s",
                       decl_desc(k, d), has->name, anchor_desc, want->name);
  vpc_note(k, g, d);
  vpc_note(k, g, anchor);
  diag_help(k->c, g, "a %s belongs to one VPC: use a %s of vpc %s", kind_words(k, d),
            kind_words(k, d), want->name);
}

static void want_list_vpc(Check *k, Expr *list, Decl *anchor, Decl *owner) {
  for (int i = 0; i < list_len(list); i++)
    want_vpc(k, list_at(list, i), anchor, owner);
}

/* The first subnet of a list whose vpc is known: the others must share it. */
static Decl *anchor_subnet(Expr *subnets) {
  for (int i = 0; i < list_len(subnets); i++)
    if (vpc_of(item_decl(list_at(subnets, i)))) return item_decl(list_at(subnets, i));
  return NULL;
}

/* What a resource with subnets keeps in their VPC: the subnets, security
   groups, and the target groups of its blocks named `block`. */
static void check_subnets_vpc(Check *k, Decl *d, const char *block, const char *tg_attr) {
  Expr *subnets = decl_attr(d, "subnets");
  Decl *anchor = anchor_subnet(subnets);
  if (!anchor) return;
  want_list_vpc(k, subnets, anchor, d);
  want_list_vpc(k, decl_attr(d, "security_groups"), anchor, d);
  Member *m;
  for (int i = 0; block && (m = next_stmt(&d->members, block, &i));)
    want_vpc(k, member_attr(m, tg_attr), anchor, d);
}

/* instance -> security groups of its subnet's vpc (E206) */
void check_instance_network(Check *k, Decl *d) {
  Decl *s = decl_ref(d, "subnet");
  if (s) want_list_vpc(k, decl_attr(d, "security_groups"), s, d);
}

/* service -> subnets, security groups and target groups in one vpc (E206) */
void check_service_network(Check *k, Decl *d) {
  check_subnets_vpc(k, d, "load_balancer", "target_group");
}

/* ---- zones ---- */

/* A note at the zone of the first subnet of a list. */
static void zone_note(Check *k, Diag *g, Expr *subnets) {
  Decl *s = item_decl(list_at(subnets, 0));
  diag_note(k->c, g, decl_attr(s, "az")->span, "%s is in %s", s->name,
            check_zone_name(k, check_zone(k, s)));
}

/* database -> subnets in two zones or more (E403) */
static void check_database_zones(Check *k, Decl *d) {
  Expr *subnets = decl_attr(d, "subnets");
  Zones z;
  zones_of_list(k, &z, subnets);
  if (z.unknown || z.n >= 2) return;
  Diag *g =
      z.n ? diag_error(k->c, "E403", subnets->span, "database %s has subnets in one zone only (%s)",
                       d->name, zones_desc(k, &z))
          : diag_error(k->c, "E403", subnets->span, "database %s has no subnet", d->name);
  const char *more = zone_missing(k, &z);
  if (z.n) zone_note(k, g, subnets);
  if (z.n && more)
    diag_help(k->c, g,
              "RDS needs a subnet group in at least two zones, even without multi_az: "
              "add a subnet in %s",
              more);
  else
    diag_help(k->c, g, "RDS needs a subnet group in at least two zones, even without multi_az");
}

/* database -> subnets and security groups in one vpc (E206), in two zones (E403) */
void check_database_network(Check *k, Decl *d) {
  check_subnets_vpc(k, d, NULL, NULL);
  check_database_zones(k, d);
}

/* load_balancer -> one subnet per zone (E404), in two zones or more (E402) */
static void check_lb_zones(Check *k, Decl *d) {
  Expr *subnets = decl_attr(d, "subnets");
  if (!subnets) return;
  Zones z;
  zones_begin(k, &z);
  for (int i = 0; i < list_len(subnets); i++) {
    Expr *item = list_at(subnets, i);
    int zone = check_zone(k, item_decl(item));
    if (zone < 0 || k->zmark[zone] != z.serial) {
      zones_add(k, &z, zone);
      if (zone >= 0) k->zfirst[zone] = i;
      continue;
    }
    Expr *first = list_at(subnets, k->zfirst[zone]);
    Decl *a = item_decl(first), *b = item_decl(item);
    Diag *g = a == b ? diag_error(k->c, "E404", item->span,
                                  "subnet %s is listed twice in load balancer %s", b->name, d->name)
                     : diag_error(k->c, "E404", item->span,
                                  "subnets %s and %s of load balancer %s are both in %s", a->name,
                                  b->name, d->name, check_zone_name(k, zone));
    if (a == b)
      diag_note(k->c, g, first->span, "%s is first listed here", a->name);
    else
      diag_note(k->c, g, first->span, "%s is in %s too", a->name, check_zone_name(k, zone));
    diag_help(k->c, g, "a load balancer takes one subnet per zone: keep one of them");
  }
  if (z.unknown || z.n >= 2) return;
  Diag *g =
      z.n ? diag_error(k->c, "E402", subnets->span,
                       "load balancer %s has subnets in one zone only (%s)", d->name,
                       zones_desc(k, &z))
          : diag_error(k->c, "E402", subnets->span, "load balancer %s has no subnet", d->name);
  const char *more = zone_missing(k, &z);
  if (z.n) zone_note(k, g, subnets);
  if (z.n && more)
    diag_help(k->c, g, "a load balancer needs subnets in at least two zones: add a subnet in %s",
              more);
  else
    diag_help(k->c, g, "a load balancer needs subnets in at least two zones");
}

/* ---- the way to the internet ---- */

/* A note at why subnet s is private. */
static void reach_note(Check *k, Diag *g, Decl *s) {
  Decl *rt = k->table[s->index];
  if (rt)
    diag_note(k->c, g, rt->name_span,
              "route table %s, which %s uses, has no route 0.0.0.0/0 to an internet gateway",
              rt->name, s->name);
  else
    diag_note(k->c, g, s->name_span, "no route table lists subnet %s", s->name);
}

/* A public subnet of s's vpc, in s's zone if there is one. */
static Decl *public_near(Check *k, Decl *s) {
  Decl *vpc = vpc_of(s);
  Vec *pub = vpc ? &k->joined[vpc->index] : NULL;
  if (!pub || !pub->n) return NULL;
  for (int i = 0; i < pub->n; i++)
    if (check_zone(k, s) >= 0 && check_zone(k, pub->v[i]) == check_zone(k, s)) return pub->v[i];
  return pub->v[0];
}

/* nat_gateway -> a subnet with a route to an internet gateway (E405) */
void check_nat(Check *k, Decl *d) {
  Expr *e = decl_attr(d, "subnet");
  Decl *s = item_decl(e);
  if (!s || k->reach[s->index] != REACH_PRIVATE) return;
  Diag *g = diag_error(k->c, "E405", e->span,
                       "nat gateway %s stands in subnet %s, which has no route to an internet "
                       "gateway",
                       d->name, s->name);
  reach_note(k, g, s);
  Decl *pub = public_near(k, s);
  if (!pub) {
    diag_help(k->c, g,
              "a NAT gateway must stand in a public subnet, one whose route table "
              "routes 0.0.0.0/0 to an internet gateway");
    return;
  }
  diag_help(k->c, g, "a NAT gateway must stand in a public subnet, such as %s", pub->name);
  if (check_zone(k, pub) == check_zone(k, s)) diag_fix(k->c, g, e->span, pub->name);
}

/* load_balancer (internet_facing) -> subnets with a route to an internet gateway (E405) */
static void check_lb_public(Check *k, Decl *d) {
  Expr *subnets = decl_attr(d, "subnets");
  if (attr_failed(d, "scheme") || is_word(decl_attr(d, "scheme"), "internal")) return;
  for (int i = 0; i < list_len(subnets); i++) {
    Expr *item = list_at(subnets, i);
    Decl *s = item_decl(item);
    if (!s || k->reach[s->index] != REACH_PRIVATE) continue;
    Diag *g = diag_error(k->c, "E405", item->span,
                         "internet-facing load balancer %s stands in subnet %s, which has no "
                         "route to an internet gateway",
                         d->name, s->name);
    reach_note(k, g, s);
    diag_help(k->c, g,
              "put %s in public subnets, or make it internal (scheme = internal) if only the "
              "VPC should reach it",
              d->name);
  }
}

/* load_balancer -> subnets, security groups, target groups in one vpc (E206);
   zones (E402, E404); public subnets when internet-facing (E405) */
void check_lb_network(Check *k, Decl *d) {
  check_subnets_vpc(k, d, "listener", "forward");
  check_lb_zones(k, d);
  check_lb_public(k, d);
}

/* ---- route tables ---- */

static void report_same_route(Check *k, void *ctx, Keyed *first, Keyed *again) {
  Decl *rt = ctx;
  Member *a = first->item, *b = again->item;
  Expr *dst = stmt_slot(b, "cidr", 0), *to = stmt_slot(a, "target", 0);
  Cidr c;
  check_cidr(dst, &c);
  Diag *g = diag_error(k->c, "E205", dst->span, "route table %s routes %s twice", rt->name,
                       cidr_desc(k, c));
  diag_note(k->c, g, stmt_slot(a, "cidr", 0)->span, "first route to %s here%s%s", cidr_desc(k, c),
            to ? ", to " : "", to ? to->name : "");
  diag_help(k->c, g,
            "a route table sends each destination to one target: subnets that need another "
            "route to %s need a route table of their own",
            cidr_desc(k, c));
}

/* route_table -> each destination once (E205) */
static void check_same_route(Check *k, Decl *rt) {
  Keyed *v = arena_alloc(k->a, sizeof(Keyed) * (size_t)(rt->members.n + 1));
  int n = 0;
  Member *m;
  for (int i = 0; (m = next_stmt(&rt->members, "route", &i));) {
    Cidr c;
    if (check_cidr(stmt_slot(m, "cidr", 0), &c))
      v[n++] = (Keyed){(int64_t)cidr_first(c) << 6 | c.prefix, i, m};
  }
  check_duplicates(k, v, n, report_same_route, rt);
}

/* route_table -> subnets and route targets in the table's vpc (E206) */
static void check_table_vpc(Check *k, Decl *rt) {
  want_list_vpc(k, decl_attr(rt, "subnets"), rt, rt);
  Member *m;
  for (int i = 0; (m = next_stmt(&rt->members, "route", &i));)
    want_vpc(k, stmt_slot(m, "target", 0), rt, rt);
}

/* route_table -> a NAT gateway in each subnet's own zone (W403) */
static void check_nat_zone(Check *k, Decl *rt) {
  Expr *subnets = decl_attr(rt, "subnets");
  Member *m;
  for (int i = 0; (m = next_stmt(&rt->members, "route", &i));) {
    Decl *nat = item_decl(stmt_slot(m, "target", 0));
    int home = decl_is(nat, "nat_gateway") ? check_zone(k, decl_ref(nat, "subnet")) : -1;
    if (home < 0 || nat->mark == rt->index + 1) continue;
    nat->mark = rt->index + 1; /* once per table */
    for (int j = 0; j < list_len(subnets); j++) {
      Expr *item = list_at(subnets, j);
      Decl *s = item_decl(item);
      int zone = check_zone(k, s);
      if (zone < 0 || zone == home) continue;
      Diag *g =
          diag_warning(k->c, "W403", item->span,
                       "subnet %s in %s reaches the internet through nat gateway %s in %s", s->name,
                       check_zone_name(k, zone), nat->name, check_zone_name(k, home));
      diag_note(k->c, g, decl_attr(nat, "subnet")->span, "%s stands in %s, in %s", nat->name,
                decl_ref(nat, "subnet")->name, check_zone_name(k, home));
      diag_help(k->c, g,
                "if %s fails, %s loses its way out: give each zone its own NAT gateway and "
                "route table",
                check_zone_name(k, home), s->name);
    }
  }
}

/* route_table -> destinations once (E205), one vpc (E206), NAT in each subnet's zone (W403) */
void check_route_table(Check *k, Decl *d) {
  check_same_route(k, d);
  check_table_vpc(k, d);
  check_nat_zone(k, d);
}
