/* test_strmap.c: the backends' string map: absent keys, replacement,
   growth past many rehashes, keys copied. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "strmap.h"

#include "check.h"

int main(void) {
  StrMap m = {0};
  CHECK(strmap_get(&m, "x") == NULL);
  char key[32];
  for (intptr_t i = 0; i < 20000; i++) {
    snprintf(key, sizeof key, "Res%ld", (long)i);
    strmap_put(&m, key, (void *)(i + 1)); /* key is a reused buffer: the map copies it */
  }
  CHECK(m.n == 20000);
  int wrong = 0;
  for (intptr_t i = 0; i < 20000; i++) {
    snprintf(key, sizeof key, "Res%ld", (long)i);
    wrong += strmap_get(&m, key) != (void *)(i + 1);
  }
  CHECK(wrong == 0);
  CHECK(strmap_get(&m, "Res20000") == NULL);
  CHECK(strmap_get(&m, "") == NULL);
  strmap_put(&m, "Res7", (void *)99);
  CHECK(strmap_get(&m, "Res7") == (void *)99);
  CHECK(m.n == 20000);
  strmap_put(&m, "", (void *)5);
  CHECK(strmap_get(&m, "") == (void *)5);
  strmap_free(&m);
  CHECK(m.n == 0 && strmap_get(&m, "Res1") == NULL);
  printf("test_strmap: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
