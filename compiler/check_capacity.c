/* check_capacity.c: the hosts of a cluster (the instances that join it and
   its capacity block) and how many of a service's tasks they hold, by fixed
   host port, memory and CPU: the facts W401 and W402 reason about. */
#include <string.h>

#include "check.h"

/* ---- instance types: what ECS can place on one ---- */

/* Burstable types, each its own size. */
static const struct {
  const char *name;
  int vcpus, mib;
} burstable[] = {
    {"t2.nano", 1, 512},     {"t2.micro", 1, 1024},   {"t2.small", 1, 2048},
    {"t2.medium", 2, 4096},  {"t2.large", 2, 8192},   {"t2.xlarge", 4, 16384},
    {"t2.2xlarge", 8, 32768}, {"t3.nano", 2, 512},    {"t3.micro", 2, 1024},
    {"t3.small", 2, 2048},   {"t3.medium", 2, 4096},  {"t3.large", 2, 8192},
    {"t3.xlarge", 4, 16384}, {"t3.2xlarge", 8, 32768}, {"t3a.nano", 2, 512},
    {"t3a.micro", 2, 1024},  {"t3a.small", 2, 2048},  {"t3a.medium", 2, 4096},
    {"t3a.large", 2, 8192},  {"t3a.xlarge", 4, 16384}, {"t3a.2xlarge", 8, 32768},
    {"t4g.nano", 2, 512},    {"t4g.micro", 2, 1024},  {"t4g.small", 2, 2048},
    {"t4g.medium", 2, 4096}, {"t4g.large", 2, 8192},  {"t4g.xlarge", 4, 16384},
    {"t4g.2xlarge", 8, 32768},
};

/* Families whose memory is a fixed multiple of their vCPUs (general
   purpose 4 GiB, compute 2, memory 8 per vCPU), from the 5th generation. */
static const struct {
  const char *family;
  int mib_per_vcpu;
} families[] = {
    {"m5", 4096},  {"m5a", 4096}, {"m5d", 4096}, {"m6i", 4096}, {"m6a", 4096}, {"m6g", 4096},
    {"m6gd", 4096}, {"m7i", 4096}, {"m7a", 4096}, {"m7g", 4096}, {"m8g", 4096}, {"c5", 2048},
    {"c5a", 2048}, {"c5d", 2048}, {"c6i", 2048}, {"c6a", 2048}, {"c6g", 2048}, {"c6gd", 2048},
    {"c7i", 2048}, {"c7a", 2048}, {"c7g", 2048}, {"c8g", 2048}, {"r5", 8192},  {"r5a", 8192},
    {"r5d", 8192}, {"r6i", 8192}, {"r6a", 8192}, {"r6g", 8192}, {"r6gd", 8192}, {"r7i", 8192},
    {"r7a", 8192}, {"r7g", 8192}, {"r8g", 8192},
};

static const struct {
  const char *size;
  int vcpus;
} sizes[] = {
    {"medium", 1},    {"large", 2},     {"xlarge", 4},    {"2xlarge", 8},   {"4xlarge", 16},
    {"8xlarge", 32},  {"9xlarge", 36},  {"12xlarge", 48}, {"16xlarge", 64}, {"18xlarge", 72},
    {"24xlarge", 96}, {"32xlarge", 128}, {"48xlarge", 192},
};

/* The vCPUs and memory of an instance type; false when the table lacks it. */
static bool type_size(const char *type, int *vcpus, int *mib) {
  for (size_t i = 0; i < countof(burstable); i++)
    if (!strcmp(burstable[i].name, type)) {
      *vcpus = burstable[i].vcpus, *mib = burstable[i].mib;
      return true;
    }
  const char *dot = strchr(type, '.');
  if (!dot) return false;
  for (size_t f = 0; f < countof(families); f++) {
    if (strlen(families[f].family) != (size_t)(dot - type) ||
        memcmp(families[f].family, type, (size_t)(dot - type)))
      continue;
    for (size_t s = 0; s < countof(sizes); s++)
      if (!strcmp(sizes[s].size, dot + 1)) {
        *vcpus = sizes[s].vcpus, *mib = sizes[s].vcpus * families[f].mib_per_vcpu;
        return true;
      }
  }
  return false;
}

/* ECS places tasks in the memory the kernel reports, some 5% under the
   type's nominal memory ("Container instance memory management"): a
   t3.small offers about 1945 MiB, not 2 GiB. */
static int64_t usable_memory(int mib) { return (int64_t)mib * 95 / 100 << 20; }

/* ---- hosts ---- */

int cluster_hosts(Check *k, Decl *cluster, Host *out, int max) {
  Vec *joined = &k->joined[cluster->index];
  int n = 0;
  for (int i = 0; i < joined->n && n < max; i++) {
    Decl *inst = joined->v[i];
    out[n++] = (Host){.instance = inst, .count = 1, .type = eval_string(decl_attr(inst, "type")),
                      .type_at = decl_attr(inst, "type")};
  }
  Member *cap = next_stmt(&cluster->members, "capacity", &(int){0});
  int64_t min = 1;
  if (cap && n < max && (!member_attr(cap, "min") || eval_int(member_attr(cap, "min"), &min)) &&
      !member_attr_failed(cap, "min") && min > 0)
    out[n++] = (Host){.capacity = cap, .count = min, .type = eval_string(member_attr(cap, "type")),
                      .type_at = member_attr(cap, "type")};
  return n;
}

int64_t hosts_count(const Host *h, int n) {
  int64_t total = 0;
  for (int i = 0; i < n; i++)
    total = h[i].count > INT64_MAX - total ? INT64_MAX : total + h[i].count;
  return total;
}

/* What a task reserves on its instance: the task's own value, else the sum
   of its containers' (memory_reservation, else memory; cpu); 0 when unknown. */
static int64_t task_needs(const Decl *task, const char *attr, Expr **at) {
  int64_t v, total = 0;
  *at = decl_attr(task, attr);
  if (*at) return eval_int(*at, &v) ? v : 0;
  Member *c;
  for (int i = 0; (c = next_stmt(&task->members, "container", &i));) {
    Expr *e = !strcmp(attr, "memory") && member_attr(c, "memory_reservation")
                  ? member_attr(c, "memory_reservation")
                  : member_attr(c, attr);
    if (!e) continue;
    if (!eval_int(e, &v)) return 0;
    if (!*at) *at = e;
    total += v;
  }
  return total;
}

Fit service_fit(Check *k, Decl *cluster, Decl *task, bool fixed_port) {
  Fit f = {.tasks = 0};
  Host hosts[FIT_HOSTS];
  int n = cluster_hosts(k, cluster, hosts, FIT_HOSTS);
  Expr *mem_at, *cpu_at;
  int64_t mem = task_needs(task, "memory", &mem_at), cpu = task_needs(task, "cpu", &cpu_at);
  int64_t best = INT64_MAX;
  f.instances = hosts_count(hosts, n);
  for (int i = 0; i < n; i++) {
    int vcpus = 0, mib = 0;
    bool known = hosts[i].type && type_size(hosts[i].type, &vcpus, &mib);
    int64_t per = INT64_MAX;
    Fit here = {.bind = BIND_NONE};
    if (fixed_port) per = 1, here.bind = BIND_PORT;
    if (known && mem > 0 && usable_memory(mib) / mem < per) {
      per = usable_memory(mib) / mem;
      here = (Fit){.bind = BIND_MEMORY, .need = mem, .have = usable_memory(mib), .at = mem_at};
    }
    if (known && cpu > 0 && (int64_t)vcpus * 1024 / cpu < per) {
      per = (int64_t)vcpus * 1024 / cpu;
      here = (Fit){.bind = BIND_CPU, .need = cpu, .have = (int64_t)vcpus * 1024, .at = cpu_at};
    }
    if (per == INT64_MAX) {
      f.tasks = INT64_MAX; /* a host with no known limit: no count to reason on */
      f.bind = BIND_NONE;
      return f;
    }
    int64_t add = per && hosts[i].count > INT64_MAX / per ? INT64_MAX : per * hosts[i].count;
    f.tasks = add > INT64_MAX - f.tasks ? INT64_MAX : f.tasks + add;
    if (per < best) {
      best = per;
      f.bind = here.bind, f.need = here.need, f.have = here.have, f.at = here.at;
      f.per = per, f.host = hosts[i];
    }
  }
  if (!n) f.tasks = INT64_MAX;
  return f;
}

/* "a t3.small", "an m5.large": the article as the type's first letter is said */
const char *type_article(const char *type) {
  return strchr("aefhilmnorsx", type[0]) ? "an" : "a";
}

/* "memory binds: each task reserves 1GiB, a t3.small offers about 1945MiB" */
const char *fit_desc(Check *k, const Fit *f) {
  const char *an = type_article(f->host.type);
  if (f->bind == BIND_MEMORY)
    return arena_printf(k->a, "memory binds: each task reserves %s, %s %s offers about %s",
                        size_desc(k, f->need), an, f->host.type, size_desc(k, f->have));
  return arena_printf(k->a, "CPU binds: each task reserves %lld CPU units, %s %s has %lld",
                      (long long)f->need, an, f->host.type, (long long)f->have);
}
