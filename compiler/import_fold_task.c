/* import_fold_task.c: an ECS task definition's ContainerDefinitions as the
   task kind's `container` statements, and its roles as `execution_role` and
   `task_role`. A container says only what the kind writes back (image,
   memory, cpu, essential, command, ports, env, awslogs logs); a key it has
   no word for (MountPoints, Links, Secrets ...) keeps the task a
   `resource`. What the kind adds that the template leaves out (a port's
   Protocol tcp, Essential true) is left to the build, which compares
   (import_kinds_misfits). */
#include <string.h>

#include "import_int.h"

/* The name of the resource of type type that v names by Ref, or NULL. */
static const char *ref_to(Imp *m, const cJSON *v, const char *type) {
  const cJSON *ref = cJSON_GetArraySize(v) == 1 ? cJSON_GetObjectItemCaseSensitive(v, "Ref") : NULL;
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(m->t, "Resources");
  const cJSON *t = cJSON_IsString(ref) ? cJSON_GetObjectItemCaseSensitive(
                                             cJSON_GetObjectItemCaseSensitive(res, ref->valuestring), "Type")
                                       : NULL;
  const Named *x = cJSON_IsString(t) && !strcmp(t->valuestring, type) ? imp_find(&m->res, ref->valuestring) : NULL;
  return x ? x->name : NULL;
}

const char *import_role_arn(Imp *m, const cJSON *v) {
  const cJSON *g = cJSON_GetArraySize(v) == 1 ? cJSON_GetObjectItemCaseSensitive(v, "Fn::GetAtt") : NULL;
  const char *id = NULL;
  if (cJSON_IsString(g)) {
    const char *dot = strchr(g->valuestring, '.');
    if (dot && !strcmp(dot + 1, "Arn"))
      id = arena_strndup(&m->a, g->valuestring, (size_t)(dot - g->valuestring));
  } else if (cJSON_GetArraySize(g) == 2 && cJSON_IsString(g->child) && cJSON_IsString(g->child->next) &&
             !strcmp(g->child->next->valuestring, "Arn")) {
    id = g->child->valuestring;
  }
  const cJSON *r = id ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(m->t, "Resources"), id) : NULL;
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(r, "Type");
  const Named *x = cJSON_IsString(t) && !strcmp(t->valuestring, "AWS::IAM::Role") ? imp_find(&m->res, id) : NULL;
  return x ? x->name : NULL;
}

static bool whole(const cJSON *v, long long *out) {
  if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble)
    return *out = (long long)v->valuedouble, true;
  const char *s = cJSON_IsString(v) ? v->valuestring : "";
  if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12)
    return false;
  *out = 0;
  for (; *s; s++)
    *out = *out * 10 + (*s - '0');
  return true;
}

/* Only the keys of keys (NULL-ended) in object o. */
static bool only(const cJSON *o, const char *const *keys) {
  for (const cJSON *k = cJSON_IsObject(o) ? o->child : NULL; k; k = k->next) {
    int i = 0;
    while (keys[i] && strcmp(keys[i], k->string))
      i++;
    if (!keys[i])
      return false;
  }
  return cJSON_IsObject(o);
}

static bool ports(Imp *m, const cJSON *list) {
  static const char *const keys[] = {"ContainerPort", "HostPort", "Protocol", NULL};
  for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next) {
    const cJSON *proto = cJSON_GetObjectItemCaseSensitive(p, "Protocol");
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(p, "HostPort");
    long long c, h;
    if (!only(p, keys) || !whole(cJSON_GetObjectItemCaseSensitive(p, "ContainerPort"), &c) ||
        (host && !whole(host, &h)) || (proto && !(cJSON_IsString(proto) && !strcmp(proto->valuestring, "tcp"))))
      return false;
    if (host)
      buf_printf(&m->out, "    port %lld -> %lld\n", h, c);
    else
      buf_printf(&m->out, "    port %lld\n", c);
  }
  return cJSON_IsArray(list);
}

static bool env(Imp *m, const cJSON *list, const char *path) {
  static const char *const keys[] = {"Name", "Value", NULL};
  buf_puts(&m->out, "    env {\n");
  int i = 0;
  for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next, i++) {
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(e, "Name");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(e, "Value");
    if (!only(e, keys) || !cJSON_IsString(name) || !imp_is_ident(name->valuestring) || !value)
      return false;
    buf_printf(&m->out, "      %s = ", name->valuestring);
    imp_value(m, value, arena_printf(&m->a, "%s[%d].Value", path, i));
    buf_puts(&m->out, "\n");
  }
  buf_puts(&m->out, "    }\n");
  return cJSON_IsArray(list);
}

/* awslogs to a log group of the stack, in the stack's region, streams
   prefixed with the container's name: `logs = group`. */
static bool logs(Imp *m, const cJSON *lc, const char *name) {
  static const char *const keys[] = {"LogDriver", "Options", NULL};
  static const char *const opts[] = {"awslogs-group", "awslogs-region", "awslogs-stream-prefix", NULL};
  const cJSON *driver = cJSON_GetObjectItemCaseSensitive(lc, "LogDriver");
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(lc, "Options");
  const cJSON *region = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "awslogs-region"), "Ref");
  const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(o, "awslogs-stream-prefix");
  const char *group = ref_to(m, cJSON_GetObjectItemCaseSensitive(o, "awslogs-group"), "AWS::Logs::LogGroup");
  if (!only(lc, keys) || !only(o, opts) || !cJSON_IsString(driver) || strcmp(driver->valuestring, "awslogs") ||
      !group || !cJSON_IsString(region) || strcmp(region->valuestring, "AWS::Region") || !cJSON_IsString(prefix) ||
      strcmp(prefix->valuestring, name))
    return false;
  buf_printf(&m->out, "    logs = %s\n", group);
  return true;
}

/* Memory as a size: 512 -> 512MiB. */
static bool mib(Imp *m, const char *attr, const cJSON *v) {
  long long n;
  if (!whole(v, &n))
    return false;
  buf_printf(&m->out, "    %s = %lldMiB\n", attr, n);
  return true;
}

static bool container(Imp *m, const cJSON *c, const char *path) {
  static const char *const keys[] = {"Name",    "Image",        "Essential",   "Cpu",          "Memory",
                                     "MemoryReservation", "Command", "PortMappings", "Environment",
                                     "LogConfiguration", NULL};
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(c, "Name");
  const cJSON *image = cJSON_GetObjectItemCaseSensitive(c, "Image");
  const cJSON *essential = cJSON_GetObjectItemCaseSensitive(c, "Essential");
  const cJSON *cpu = cJSON_GetObjectItemCaseSensitive(c, "Cpu");
  const cJSON *memory = cJSON_GetObjectItemCaseSensitive(c, "Memory");
  const cJSON *reserve = cJSON_GetObjectItemCaseSensitive(c, "MemoryReservation");
  const cJSON *command = cJSON_GetObjectItemCaseSensitive(c, "Command");
  const cJSON *pm = cJSON_GetObjectItemCaseSensitive(c, "PortMappings");
  const cJSON *vars = cJSON_GetObjectItemCaseSensitive(c, "Environment");
  const cJSON *lc = cJSON_GetObjectItemCaseSensitive(c, "LogConfiguration");
  long long n;
  if (!only(c, keys) || !cJSON_IsString(name) || !imp_is_ident(name->valuestring) || !image)
    return false;
  buf_printf(&m->out, "  container %s {\n    image = ", name->valuestring);
  imp_value(m, image, arena_printf(&m->a, "%s.Image", path));
  buf_puts(&m->out, "\n");
  if (cpu && whole(cpu, &n))
    buf_printf(&m->out, "    cpu = %lld\n", n);
  else if (cpu)
    return false;
  if ((memory && !mib(m, "memory", memory)) || (reserve && !mib(m, "memory_reservation", reserve)))
    return false;
  if (essential && !(cJSON_IsBool(essential) || (cJSON_IsString(essential) && (!strcmp(essential->valuestring, "true") ||
                                                                               !strcmp(essential->valuestring, "false")))))
    return false;
  if (essential && (cJSON_IsFalse(essential) || (cJSON_IsString(essential) && essential->valuestring[0] == 'f')))
    buf_puts(&m->out, "    essential = false\n");
  if (command) {
    buf_puts(&m->out, "    command = ");
    imp_value(m, command, arena_printf(&m->a, "%s.Command", path));
    buf_puts(&m->out, "\n");
  }
  if ((pm && !ports(m, pm)) || (vars && !env(m, vars, arena_printf(&m->a, "%s.Environment", path))) ||
      (lc && !logs(m, lc, name->valuestring)))
    return false;
  buf_puts(&m->out, "  }\n");
  return true;
}

bool import_containers(Imp *m, const cJSON *defs, const char *path) {
  int i = 0;
  for (const cJSON *c = cJSON_IsArray(defs) ? defs->child : NULL; c; c = c->next, i++)
    if (!container(m, c, arena_printf(&m->a, "%s[%d]", path, i)))
      return false;
  return cJSON_GetArraySize(defs) > 0;
}
