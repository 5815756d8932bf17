/* jsonarena.c: cJSON's allocator switched to an arena and back. */
#include <cjson/cJSON.h>

#include "jsonarena.h"

static Arena *current;

static void *alloc(size_t n) { return arena_alloc(current, n); }
static void release(void *p) { (void)p; }

static void install(Arena *a) {
  current = a;
  cJSON_InitHooks(a ? &(cJSON_Hooks){alloc, release} : NULL);
}

Arena *json_arena_enter(Arena *a) {
  Arena *outer = current;
  install(a);
  return outer;
}

void json_arena_leave(Arena *outer) {
  install(outer);
}
