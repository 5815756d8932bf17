/* arena.c: the compilation's memory, and growable buffers. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "infrac.h"

struct ArenaBlock {
  ArenaBlock *next;
  size_t used, cap;
  bool mapped; /* by mmap, not calloc */
  max_align_t data[];
};

/* Blocks come zeroed (calloc, or mmap from 2 MiB on, below) and nothing in
   them is ever reused, so every allocation is already zero: no memset. The
   first 8 blocks are 1 MiB, the next each twice the last, up to 64 MiB.
   Blocks of 1 MiB could come from the heap (glibc's mmap threshold grows up
   to 32 MiB as large chunks are freed), and calloc then cleared them whole:
   7% of a build of 100,000 resources.
   Doubling from the start cleared more in the LSP, whose compilations of a
   few MiB reuse the heap: the last block's unused half. Allocations are
   aligned to 8, enough for every type the compiler stores (max_align_t's
   16 cost 5% of the memory of a large stack). */
enum { ARENA_BLOCK = 1 << 20, ARENA_FLAT = 8, ARENA_MAX = 64 << 20, ARENA_ALIGN = 8 };

/* Blocks of 2 MiB and more are mapped, and ask for huge pages where the
   system has them: building 100,000 resources spent a quarter of its time
   in the kernel, faulting in 4 KiB pages one at a time (113,000 faults for
   410 MB). Mapped memory is zero, as calloc's is. */
enum { ARENA_HUGE = 2 << 20 };

static ArenaBlock *block_new(size_t cap) {
  size_t size = sizeof(ArenaBlock) + cap;
  ArenaBlock *b = NULL;
  if (cap >= ARENA_HUGE) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      b = p;
#ifdef MADV_HUGEPAGE
      madvise(p, size, MADV_HUGEPAGE); /* a hint: without it, 4 KiB pages */
#endif
      b->mapped = true;
    }
  } else {
    b = calloc(1, size);
  }
  if (!b) {
    fputs("infrac: out of memory\n", stderr);
    abort();
  }
  b->cap = cap;
  return b;
}

static void block_free(ArenaBlock *b) {
  if (b->mapped)
    munmap(b, sizeof(ArenaBlock) + b->cap);
  else
    free(b);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    fputs("infrac: out of memory\n", stderr);
    abort();
  }
  return p;
}

void *arena_alloc(Arena *a, size_t n) {
  n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  ArenaBlock *b = a->head;
  if (!b || b->cap - b->used < n) {
    size_t cap = a->nblocks < ARENA_FLAT ? ARENA_BLOCK
                 : b->cap >= ARENA_MAX / 2 ? ARENA_MAX : b->cap * 2;
    if (n > cap / 4)
      cap = n;
    b = block_new(cap);
    if (cap == n && a->head) {
      /* A large one (a file's text) has a block of its own, behind the
         head, which keeps serving small ones. */
      b->used = n;
      b->next = a->head->next;
      a->head->next = b;
      return b->data;
    }
    b->next = a->head;
    a->head = b;
    a->nblocks++;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  return p;
}

/* One pass for the usual short result; a second only when it is long. */
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) {
  char small[256];
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap2);
  va_end(ap2);
  if (n < (int)sizeof small)
    return arena_strndup(a, small, (size_t)n);
  char *p = arena_alloc(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

void arena_free(Arena *a) {
  for (ArenaBlock *b = a->head, *next; b; b = next) {
    next = b->next;
    block_free(b);
  }
  a->head = NULL;
  a->nblocks = 0;
}

void vec_push(Arena *a, Vec *vec, void *item) {
  if (vec->n == vec->cap) {
    int cap = vec->cap ? vec->cap * 2 : 4;
    void **v = arena_alloc(a, sizeof(void *) * (size_t)cap);
    if (vec->n)
      memcpy(v, vec->v, sizeof(void *) * (size_t)vec->n);
    vec->v = v;
    vec->cap = cap;
  }
  vec->v[vec->n++] = item;
}

void buf_add(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p) {
      fputs("infrac: out of memory\n", stderr);
      abort();
    }
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < (int)sizeof small) {
    buf_add(b, small, (size_t)n);
    return;
  }
  char *big = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  buf_add(b, big, (size_t)n);
  free(big);
}

void buf_free(Buf *b) {
  free(b->s);
  *b = (Buf){0};
}
