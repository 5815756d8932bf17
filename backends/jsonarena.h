/* jsonarena.h: cJSON's nodes and strings from an arena. cJSON mallocs each
   of them and cJSON_Delete frees them one by one: for a tree of millions of
   nodes dropped whole (a deployed template of 100,000 resources), malloc
   and free were a fifth of the time.

   Between json_arena_enter and json_arena_leave, every cJSON allocation
   comes from the arena and cJSON_free frees nothing. So a tree made inside
   must not outlive the arena and is never given to cJSON_Delete outside;
   a tree made outside must not be deleted inside (it would leak); what
   cJSON_Print returns is released with cJSON_free, never free. The hooks
   are global and take no context: the arena is a static, and scopes nest. */
#ifndef JSONARENA_H
#define JSONARENA_H

#include "infrac.h"

/* Returns the arena it replaces (NULL: malloc), for json_arena_leave. */
Arena *json_arena_enter(Arena *a);
void json_arena_leave(Arena *outer);

#endif
