/* strmap.h: a hash map from strings to pointers, for the backends, whose
   templates of 100,000 resources make cJSON's linear object lookups
   quadratic. */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>

typedef struct {
  char *key; /* owned copy */
  void *val;
  size_t hash;
} StrMapSlot;

typedef struct {
  StrMapSlot *slots;
  size_t cap, n;
} StrMap;

void *strmap_get(const StrMap *m, const char *key); /* NULL when absent */
void strmap_put(StrMap *m, const char *key, void *val); /* replaces */
void strmap_free(StrMap *m);

#endif
