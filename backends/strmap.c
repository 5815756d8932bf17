/* strmap.c: open addressing with linear probing; FNV-1a. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

static size_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)h;
}

/* The slot of key, or the empty one where it goes. Slots keep their key's
   hash: a probe past another key costs no visit to that key's string, a
   cache miss in a table of 100,000 resources. */
static StrMapSlot *find(const StrMap *m, const char *key, size_t h) {
  size_t i = h & (m->cap - 1);
  while (m->slots[i].key && (m->slots[i].hash != h || strcmp(m->slots[i].key, key)))
    i = (i + 1) & (m->cap - 1);
  return &m->slots[i];
}

void *strmap_get(const StrMap *m, const char *key) {
  if (!m->cap)
    return NULL;
  StrMapSlot *s = find(m, key, hash(key));
  return s->key ? s->val : NULL;
}

void strmap_put(StrMap *m, const char *key, void *val) {
  if ((m->n + 1) * 2 > m->cap) {
    StrMap grown = {calloc(m->cap ? m->cap * 2 : 64, sizeof(StrMapSlot)), m->cap ? m->cap * 2 : 64,
                    m->n};
    if (!grown.slots)
      abort();
    for (size_t i = 0; i < m->cap; i++)
      if (m->slots[i].key)
        *find(&grown, m->slots[i].key, m->slots[i].hash) = m->slots[i];
    free(m->slots);
    *m = grown;
  }
  size_t h = hash(key);
  StrMapSlot *s = find(m, key, h);
  if (!s->key) {
    if (!(s->key = strdup(key)))
      abort();
    s->hash = h;
    m->n++;
  }
  s->val = val;
}

void strmap_free(StrMap *m) {
  for (size_t i = 0; i < m->cap; i++)
    free(m->slots[i].key);
  free(m->slots);
  *m = (StrMap){0};
}
