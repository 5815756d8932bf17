/* cfn_sub.c: Fn::Sub text as its parts (cfn_sub.h). */
#include "cfn_sub.h"

#include <stdlib.h>
#include <string.h>

bool cfn_sub_next(const char **at, SubPart *part) {
  const char *s = *at;
  if (!*s)
    return false;
  *part = (SubPart){SUB_TEXT, s, 0, NULL, 0, false};
  if (s[0] == '$' && s[1] == '{') {
    if (s[2] == '!') { /* the escape: "${" itself, then the text after the '!' */
      part->n = 2;
      *at = s + 3;
      return true;
    }
    const char *end = strchr(s + 2, '}');
    if (!end) {
      part->n = strlen(s);
      part->unclosed = true;
      *at = s + part->n;
      return true;
    }
    if (end > s + 2) {
      const char *name = s + 2, *dot = memchr(name, '.', (size_t)(end - name));
      part->k = SUB_VAR;
      part->s = name;
      part->n = (size_t)((dot ? dot : end) - name);
      if (dot) {
        part->attr = dot + 1;
        part->nattr = (size_t)(end - dot - 1);
      }
      *at = end + 1;
      return true;
    }
    /* "${}": text, and so is what follows up to the next "${" */
    s += 3;
  }
  const char *next = strstr(s, "${");
  part->n = next ? (size_t)(next - part->s) : strlen(part->s);
  *at = part->s + part->n;
  return true;
}

char *cfn_sub_var_text(const SubPart *part) {
  size_t n = part->n + (part->attr ? 1 + part->nattr : 0);
  char *t = malloc(n + 1);
  if (!t)
    abort();
  memcpy(t, part->s, part->n);
  if (part->attr) {
    t[part->n] = '.';
    memcpy(t + part->n + 1, part->attr, part->nattr);
  }
  t[n] = '\0';
  return t;
}

char *cfn_sub_escape(const char *s, size_t n) {
  char *out = malloc(n + n / 2 + 1), *o = out;
  if (!out)
    abort();
  for (size_t i = 0; i < n; i++) {
    *o++ = s[i];
    if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
      memcpy(o, "{!", 2);
      o += 2;
      i++;
    }
  }
  *o = '\0';
  return out;
}
