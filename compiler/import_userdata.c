/* import_userdata.c: an instance's user data as the instance kind says
   it: the script that joins an ECS cluster at boot is its `cluster`, the
   rest its `user_data`. */
#include <string.h>

#include "cfn_parts.h"
#include "import_int.h"

/* ORDER: the text before the cluster's Ref, then after it, as
   lower_ecs_config (lower_net.c) writes them. */
static const char *const ecs_join[2] = {"#!/bin/bash\necho ECS_CLUSTER=", " >> /etc/ecs/ecs.config\n"};

cJSON *import_ecs_join(const cJSON *body, const cJSON **ref) {
  const cJSON *x = cfn_parts_items(body);
  Part p[3];
  for (int i = 0; i < 3; i++, x = x->next) {
    if (!x)
      return NULL;
    cfn_part(x, &p[i]);
  }
  size_t n = strlen(ecs_join[1]);
  if (p[0].k != PART_TEXT || strcmp(p[0].s, ecs_join[0]) || p[1].k != PART_REF || p[2].k != PART_TEXT ||
      strncmp(p[2].s, ecs_join[1], n))
    return NULL;
  cJSON *rest = cfn_parts_new();
  cfn_parts_add_text(rest, p[2].s + n, strlen(p[2].s + n));
  for (; x; x = x->next)
    cfn_parts_add(rest, cJSON_Duplicate(x, true));
  *ref = p[1].v;
  return rest;
}

bool import_parts_empty(const cJSON *parts) {
  const cJSON *x = cfn_parts_items(parts);
  Part p;
  if (x)
    cfn_part(x, &p);
  return !x || (!x->next && p.k == PART_TEXT && !*p.s);
}
