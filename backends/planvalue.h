/* planvalue.h: the values of an infrac-plan/1 step's params that are known
   only at apply time, as JSON forms of their own rather than a convention
   inside strings, so that no text of a plan is ever substituted:
     {"$capture": "main.id"}                  the value a step captured
     {"$join": ["arn:", {"$capture": "x.arn"}, "/a"]}
                                              text made of literal strings and captures
   A string is always literal text, "${HOME}" included; in a plan file
   the forms stand as text at positions each step lists (planfile.h). */
#ifndef PLANVALUE_H
#define PLANVALUE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

/* {"$capture": name} */
cJSON *pv_capture(const char *name);

/* The capture name when v is exactly {"$capture": "NAME"}, else NULL. */
const char *pv_capture_name(const cJSON *v);

/* The parts when v is exactly {"$join": [...]}, else NULL. */
const cJSON *pv_join_parts(const cJSON *v);

/* The value of the concatenation of parts (an array, taken over): adjacent
   strings merged, nested joins flattened; a plain string when no capture is
   left, the capture itself when it stands alone, else {"$join": parts}.
   A part that is neither a string, a capture nor a join is its JSON text. */
cJSON *pv_join(cJSON *parts);

/* Calls f for the name of every capture in v (inside joins too). */
void pv_each_capture(const cJSON *v, void (*f)(void *ctx, const char *name), void *ctx);

#endif
