/* check_parts.c: each key of a declaration's part_ids names a resource the
   declaration makes beside its main one (E104). Lowering looks each part's
   ID up by its name and never reads a key that names none, so a misspelt
   key would pin nothing and the part would get its derived ID: a stack
   taken over with `infrac import` would replace the resource. */
#include <string.h>

#include "check.h"
#include "lower.h"

typedef enum {
  PART_ONE,      /* always made: the part's name */
  PART_IF_STMT,  /* made when the declaration has statement `member` */
  PART_IF_ATTR,  /* made when it sets attribute `member` */
  PART_NUMBERED, /* one per statement `member`: name1, name2 ... */
  PART_PORTED,   /* one per statement `member`: name + its port (Listener80) */
  PART_PER_REF,  /* one per declaration listed in attribute `member`: its PascalCase name */
} PartRule;

/* ORDER: by kind, each kind's parts as lowering makes them (lower.c,
   lower_net.c, lower_app.c, lower_capacity.c: every lower_part). */
static const struct {
  const char *kind, *part, *member;
  PartRule rule;
} parts[] = {
    {"internet_gateway", "Attachment", NULL, PART_ONE},
    {"nat_gateway", "Eip", NULL, PART_ONE},
    {"route_table", "Route", "route", PART_NUMBERED},
    {"route_table", NULL, "subnets", PART_PER_REF},
    {"role", "InstanceProfile", NULL, PART_ONE}, /* made when an instance or a cluster's capacity uses it, or named */
    {"elastic_ip", "Association", "instance", PART_IF_ATTR},
    {"database", "SubnetGroup", NULL, PART_ONE},
    {"database", "ParameterGroup", "parameters", PART_IF_STMT},
    {"load_balancer", "Listener", "listener", PART_PORTED},
    {"cluster", "Capacity", "capacity", PART_IF_STMT},
    {"cluster", "LaunchTemplate", "capacity", PART_IF_STMT},
};

/* The names of the parts d makes, into names. */
static void part_names(Arena *a, const Decl *d, Vec *names) {
  for (size_t p = 0; p < countof(parts); p++) {
    if (!decl_is(d, parts[p].kind))
      continue;
    int i = 0, n = 0;
    Member *m;
    Expr *list;
    switch (parts[p].rule) {
    case PART_ONE:
      vec_push(a, names, (void *)parts[p].part);
      break;
    case PART_IF_STMT:
      if (stmt_nth(&d->members, parts[p].member, 0))
        vec_push(a, names, (void *)parts[p].part);
      break;
    case PART_IF_ATTR:
      if (decl_attr(d, parts[p].member))
        vec_push(a, names, (void *)parts[p].part);
      break;
    case PART_NUMBERED:
      while (next_stmt(&d->members, parts[p].member, &i))
        vec_push(a, names, arena_printf(a, "%s%d", parts[p].part, ++n));
      break;
    case PART_PORTED:
      while ((m = next_stmt(&d->members, parts[p].member, &i))) {
        Expr *port = stmt_slot(m, "port", 0);
        if (port)
          vec_push(a, names, arena_printf(a, "%s%lld", parts[p].part, (long long)port->i));
      }
      break;
    case PART_PER_REF:
      list = decl_attr(d, parts[p].member);
      for (int k = 0; k < list_len(list); k++) {
        const Expr *item = list_at(list, k);
        const Decl *x = item->k == EX_NAME ? item->ref : NULL; /* a subnet kind, or a `resource` of one */
        if (x && x->k == D_RESOURCE)
          vec_push(a, names, (void *)lower_logical_id(a, x->name, ""));
      }
      break;
    }
  }
}

void check_part_ids(Check *k, Decl *d) {
  const Expr *o = d->meta[META_PART_IDS];
  if (!o || o->k != EX_OBJECT)
    return;
  Vec names = {0};
  part_names(k->a, d, &names);
  for (int i = 0; i < o->items.n; i++) {
    const Expr *key = o->items.v[i];
    int j = 0;
    while (j < names.n && strcmp(names.v[j], key->name))
      j++;
    if (j < names.n)
      continue;
    Diag *dg = diag_error(k->c, "E104", key->name_span, "%s %s makes no part '%s': part_ids pins nothing with it",
                          d->kind_name, d->name, key->name);
    const char *sug = names.n ? resolve_suggest(key->name, (const char *const *)names.v, names.n) : NULL;
    if (sug) {
      diag_help(k->c, dg, "did you mean '%s'?", sug);
      diag_fix(k->c, dg, key->name_span, sug);
    } else if (names.n) {
      Buf b = {0};
      for (int n = 0; n < names.n; n++)
        buf_printf(&b, "%s%s", n ? ", " : "", (const char *)names.v[n]);
      diag_help(k->c, dg, "its parts: %s", b.s);
      buf_free(&b);
    } else {
      diag_help(k->c, dg, "%s %s makes no resource beside its own: logical_id pins that one", d->kind_name,
                d->name);
    }
  }
}
