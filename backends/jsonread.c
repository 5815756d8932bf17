/* jsonread.c: a recursive descent JSON reader that builds cJSON nodes (so
   the arena hooks of jsonarena.h apply) and stops at the first error, with
   its line and column. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "strmap.h"

/* An object with more members than this finds duplicates through a hash map
   instead of comparing with each member (Resources of 100,000 entries). */
enum { LINEAR_KEYS = 16 };

typedef struct {
  const char *s, *end, *p;
  int max_depth;
  char *err;
  size_t errlen;
  char *buf; /* the decoded string */
  size_t cap, len;
} Reader;

static bool fail_at(Reader *r, const char *at, const char *what, const char *detail) {
  int line = 1, col = 1;
  for (const char *q = r->s; q < at && q < r->end; q++, col++)
    if (*q == '\n')
      line++, col = 0;
  char shown[80] = "";
  size_t k = 0;
  for (const char *d = detail; d && *d && k + 5 < sizeof shown; d++) {
    unsigned char c = (unsigned char)*d;
    k += (size_t)(c < 0x20 || c == 0x7f ? snprintf(shown + k, sizeof shown - k, "\\x%02x", c)
                                          : snprintf(shown + k, sizeof shown - k, "%c", c));
  }
  if (detail)
    snprintf(r->err, r->errlen, "JSON: %s \"%s\" at %d:%d", what, shown, line, col);
  else
    snprintf(r->err, r->errlen, "JSON: %s at %d:%d", what, line, col);
  return false;
}

static void skip_space(Reader *r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static void put(Reader *r, const char *b, size_t n) {
  if (r->len + n + 1 > r->cap) {
    r->cap = (r->len + n + 1) * 2;
    if (!(r->buf = realloc(r->buf, r->cap)))
      abort();
  }
  memcpy(r->buf + r->len, b, n);
  r->len += n;
  r->buf[r->len] = '\0';
}

static int hex4(const char *p) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  return v;
}

/* The string at r->p (its opening quote) into r->buf. */
static bool read_string(Reader *r) {
  const char *start = r->p++;
  r->len = 0;
  put(r, "", 0);
  for (;;) {
    const char *run = r->p;
    while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
      r->p++;
    put(r, run, (size_t)(r->p - run));
    if (r->p >= r->end)
      return fail_at(r, start, "a string without its closing quote", NULL);
    if (*r->p == '"') {
      r->p++;
      return true;
    }
    if ((unsigned char)*r->p < 0x20)
      return fail_at(r, r->p, "a control character in a string (escape it)", NULL);
    const char *esc = r->p++;
    if (r->p >= r->end)
      return fail_at(r, esc, "a string without its closing quote", NULL);
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = *r->p ? strchr(from, *r->p) : NULL;
    if (k) {
      put(r, &to[k - from], 1);
      r->p++;
      continue;
    }
    if (*r->p != 'u' || r->end - r->p < 5 || hex4(r->p + 1) < 0)
      return fail_at(r, esc, "an invalid escape in a string", NULL);
    unsigned cp = (unsigned)hex4(r->p + 1);
    r->p += 5;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
      return fail_at(r, esc, "a lone low surrogate (\\uDC00-\\uDFFF) in a string", NULL);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      int lo = r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u' ? hex4(r->p + 2) : -1;
      if (lo < 0xDC00 || lo > 0xDFFF)
        return fail_at(r, esc, "a high surrogate without its low surrogate in a string", NULL);
      cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
      r->p += 6;
    }
    if (cp == 0)
      return fail_at(r, esc, "\\u0000 in a string (a NUL would cut it short)", NULL);
    char u[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1)
      u[0] = (char)cp;
    else if (n == 2)
      u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F));
    else if (n == 3)
      u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
      u[2] = (char)(0x80 | (cp & 0x3F));
    else
      u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
      u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F));
    put(r, u, n);
  }
}

static bool digits(Reader *r) {
  const char *d = r->p;
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
    r->p++;
  return r->p > d;
}

static cJSON *read_number(Reader *r) {
  const char *start = r->p;
  if (r->p < r->end && *r->p == '-')
    r->p++;
  const char *first = r->p;
  if (!digits(r) || (*first == '0' && r->p - first > 1))
    return fail_at(r, start, "an invalid number", NULL), NULL;
  if (r->p < r->end && *r->p == '.' && (r->p++, !digits(r)))
    return fail_at(r, start, "an invalid number", NULL), NULL;
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
    r->p++;
    if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
      r->p++;
    if (!digits(r))
      return fail_at(r, start, "an invalid number", NULL), NULL;
  }
  char small[64], *copy = (size_t)(r->p - start) < sizeof small ? small : NULL;
  if (!copy)
    copy = malloc((size_t)(r->p - start) + 1);
  if (!copy)
    abort();
  memcpy(copy, start, (size_t)(r->p - start));
  copy[r->p - start] = '\0';
  double d = strtod(copy, NULL);
  if (copy != small)
    free(copy);
  if (!isfinite(d))
    return fail_at(r, start, "a number beyond the range of a double", NULL), NULL;
  return cJSON_CreateNumber(d);
}

static bool literal(Reader *r, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
    return false;
  r->p += n;
  return true;
}

static cJSON *read_value(Reader *r, int depth);

static cJSON *read_container(Reader *r, int depth, bool object) {
  const char *open = r->p++;
  if (depth >= r->max_depth) {
    char what[96];
    snprintf(what, sizeof what, "nesting deeper than %d levels (the limit, docs/limits.md)",
             r->max_depth);
    return fail_at(r, open, what, NULL), NULL;
  }
  cJSON *v = object ? cJSON_CreateObject() : cJSON_CreateArray();
  StrMap keys = {0};
  size_t count = 0;
  skip_space(r);
  if (r->p < r->end && *r->p == (object ? '}' : ']')) {
    r->p++;
    return v;
  }
  for (;;) {
    char *key = NULL;
    skip_space(r);
    if (object) {
      const char *at = r->p;
      if (r->p >= r->end || *r->p != '"' || !read_string(r)) {
        if (!*r->err)
          fail_at(r, at, "expected a key in quotes", NULL);
        goto fail;
      }
      bool dup = false;
      if (count < LINEAR_KEYS) {
        for (const cJSON *c = v->child; c && !dup; c = c->next)
          dup = !strcmp(c->string, r->buf);
      } else {
        if (count == LINEAR_KEYS)
          for (const cJSON *c = v->child; c; c = c->next)
            strmap_put(&keys, c->string, (void *)c);
        dup = strmap_get(&keys, r->buf) != NULL;
      }
      if (dup) {
        fail_at(r, at, "duplicate key", r->buf);
        goto fail;
      }
      key = strdup(r->buf);
      skip_space(r);
      if (r->p >= r->end || *r->p != ':') {
        free(key);
        fail_at(r, r->p, "expected ':' after a key", NULL);
        goto fail;
      }
      r->p++;
      skip_space(r);
    }
    cJSON *item = read_value(r, depth + 1);
    if (!item) {
      free(key);
      goto fail;
    }
    if (object) {
      if (count >= LINEAR_KEYS)
        strmap_put(&keys, key, item);
      cJSON_AddItemToObject(v, key, item);
      free(key);
    } else {
      cJSON_AddItemToArray(v, item);
    }
    count++;
    skip_space(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == (object ? '}' : ']')) {
      r->p++;
      strmap_free(&keys);
      return v;
    }
    fail_at(r, r->p < r->end ? r->p : open,
            r->p < r->end ? (object ? "expected ',' or '}'" : "expected ',' or ']'")
                          : (object ? "an object without its closing '}'"
                                    : "an array without its closing ']'"),
            NULL);
    goto fail;
  }
fail:
  strmap_free(&keys);
  cJSON_Delete(v);
  return NULL;
}

static cJSON *read_value(Reader *r, int depth) {
  skip_space(r);
  if (r->p >= r->end)
    return fail_at(r, r->p, "expected a value, found the end", NULL), NULL;
  switch (*r->p) {
  case '{': return read_container(r, depth, true);
  case '[': return read_container(r, depth, false);
  case '"': return read_string(r) ? cJSON_CreateString(r->buf) : NULL;
  default: break;
  }
  if (literal(r, "true"))
    return cJSON_CreateTrue();
  if (literal(r, "false"))
    return cJSON_CreateFalse();
  if (literal(r, "null"))
    return cJSON_CreateNull();
  if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
    return read_number(r);
  return fail_at(r, r->p, "expected a value", NULL), NULL;
}

cJSON *json_read(const char *text, size_t len, int max_depth, char *err, size_t errlen) {
  Reader r = {text, text + len, text, max_depth, err, errlen, NULL, 0, 0};
  *err = '\0';
  cJSON *v = read_value(&r, 0);
  skip_space(&r);
  if (v && r.p < r.end) {
    fail_at(&r, r.p, "content after the document", NULL);
    cJSON_Delete(v);
    v = NULL;
  }
  free(r.buf);
  return v;
}
