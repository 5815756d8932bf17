/* test_overlaps.c: the overlap check (E203) sorts the subnets of each VPC and
   sweeps them once. Against the quadratic answer on random stacks: a subnet
   is reported exactly when it overlaps one that sorts before it, by address
   and then by size, and every pair reported does overlap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infrac.h"

enum { SUBNETS = 120, ROUNDS = 200 };

typedef struct {
  Cidr c;
  int index;
} Block;

static uint32_t rng = 12345;
static uint32_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* A block of /20 to /28 inside 10.0.0.0/16, aligned; few distinct ones, so
   that they often nest or repeat. */
static Cidr random_block(void) {
  int prefix = 20 + (int)(next_rand() % 9);
  uint32_t size = 1u << (32 - prefix), slots = 65536 / size;
  return (Cidr){0x0A000000u + (next_rand() % (slots < 64 ? slots : 64)) * size, prefix};
}

static int block_cmp(const void *pa, const void *pb) {
  const Block *a = pa, *b = pb;
  int c = cidr_compare(a->c, b->c);
  return c ? c : a->index - b->index;
}

/* How many subnets overlap one that sorts before them. */
static int expected_reports(Block *v, int n) {
  qsort(v, (size_t)n, sizeof *v, block_cmp);
  int count = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < i; j++)
      if (cidr_overlaps(v[i].c, v[j].c)) {
        count++;
        break;
      }
  return count;
}

/* Names s12 and s40 from "subnet s12 (...) overlaps subnet s40 (...)". */
static bool reported_pair_overlaps(const char *msg, const Block *by_index) {
  int a, b;
  if (sscanf(msg, "subnet s%d (%*[^)]) overlaps subnet s%d", &a, &b) != 2)
    return false;
  return cidr_overlaps(by_index[a].c, by_index[b].c);
}

static bool round_ok(int round) {
  Block v[SUBNETS], by_index[SUBNETS];
  Buf src = {0};
  buf_puts(&src, "stack t { region = \"ap-northeast-1\" }\nvpc main { cidr = 10.0.0.0/16 }\n");
  for (int i = 0; i < SUBNETS; i++) {
    char text[19];
    v[i] = by_index[i] = (Block){random_block(), i};
    buf_printf(&src, "subnet s%d { vpc = main  cidr = %s  az = \"ap-northeast-1a\" }\n", i,
               cidr_format(v[i].c, text));
  }
  Compilation *c = compile_new();
  compile_add_source(c, "random.infra", src.s, src.len);
  compile_run(c);
  int reports = 0;
  bool pairs_ok = true;
  for (int i = 0; i < c->diags.n; i++) {
    Diag *d = c->diags.v[i];
    reports += !strcmp(d->code, "E203");
    pairs_ok = pairs_ok && !strcmp(d->code, "E203") && reported_pair_overlaps(d->msg, by_index);
  }
  int want = expected_reports(v, SUBNETS);
  bool ok = reports == want && pairs_ok;
  if (!ok)
    fprintf(stderr, "round %d: %d reports, %d expected%s\n%s", round, reports, want,
            pairs_ok ? "" : ", or a report that is not an overlap", src.s);
  compile_free(c);
  buf_free(&src);
  return ok;
}

int main(void) {
  int failures = 0;
  for (int round = 0; round < ROUNDS; round++)
    failures += !round_ok(round);
  if (failures) {
    fprintf(stderr, "test_overlaps: %d of %d rounds failed\n", failures, ROUNDS);
    return 1;
  }
  printf("test_overlaps: %d random stacks of %d subnets agree with the quadratic check\n", ROUNDS,
         SUBNETS);
  return 0;
}
