/* sigv4.c: AWS Signature Version 4, as botocore's SigV4Auth computes it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "sigv4.h"

typedef struct {
  char *s;
  size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    if (!b->s)
      abort();
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

static void hex(const unsigned char *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

void sigv4_sha256_hex(const void *data, size_t n, char out[65]) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(data, n, d);
  hex(d, sizeof d, out);
}

static void hmac(const unsigned char *key, size_t klen, const char *msg, unsigned char out[32]) {
  unsigned int len = 32;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len);
}

char *sigv4_uri_encode(const char *s, size_t n, int keep_slash) {
  Buf b = {0};
  puts_(&b, "");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      put(&b, (const char *)&c, 1);
    } else {
      char e[4];
      snprintf(e, sizeof e, "%%%02X", c);
      put(&b, e, 3);
    }
  }
  return b.s;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query's pairs sorted (they arrive encoded, as the URL carries them). */
static void canonical_query(Buf *b, const char *query) {
  char *copy = strdup(query ? query : ""), *save = NULL;
  size_t n = 0, cap = 8;
  char **pairs = malloc(cap * sizeof *pairs);
  for (char *p = strtok_r(copy, "&", &save); p; p = strtok_r(NULL, "&", &save)) {
    if (n == cap)
      pairs = realloc(pairs, (cap *= 2) * sizeof *pairs);
    pairs[n++] = p;
  }
  qsort(pairs, n, sizeof *pairs, cmp_str);
  for (size_t i = 0; i < n; i++) {
    if (i)
      puts_(b, "&");
    puts_(b, pairs[i]);
    if (!strchr(pairs[i], '='))
      puts_(b, "=");
  }
  free(pairs);
  free(copy);
}

typedef struct {
  char *name;
  const char *value;
} LowHeader;

static int cmp_header(const void *a, const void *b) {
  return strcmp(((const LowHeader *)a)->name, ((const LowHeader *)b)->name);
}

/* "name:value" with the value's runs of spaces made one, trimmed. */
static void header_value(Buf *b, const char *v) {
  while (*v == ' ' || *v == '\t')
    v++;
  size_t n = strlen(v);
  while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
    n--;
  for (size_t i = 0; i < n; i++) {
    if ((v[i] == ' ' || v[i] == '\t') && i && (v[i - 1] == ' ' || v[i - 1] == '\t'))
      continue;
    put(b, v[i] == '\t' ? " " : v + i, 1);
  }
}

void sigv4_sign(const SigRequest *r, SigResult *out) {
  LowHeader *hs = calloc(r->nheaders ? r->nheaders : 1, sizeof *hs);
  for (size_t i = 0; i < r->nheaders; i++) {
    hs[i].name = strdup(r->headers[i].name);
    for (char *c = hs[i].name; *c; c++)
      *c = (char)tolower((unsigned char)*c);
    hs[i].value = r->headers[i].value;
  }
  qsort(hs, r->nheaders, sizeof *hs, cmp_header);
  Buf cr = {0}, signed_h = {0};
  puts_(&signed_h, "");
  puts_(&cr, r->method);
  puts_(&cr, "\n");
  char *path = sigv4_uri_encode(r->path, strlen(r->path), 1);
  puts_(&cr, path);
  free(path);
  puts_(&cr, "\n");
  canonical_query(&cr, r->query);
  puts_(&cr, "\n");
  for (size_t i = 0; i < r->nheaders; i++) {
    puts_(&cr, hs[i].name);
    puts_(&cr, ":");
    header_value(&cr, hs[i].value);
    puts_(&cr, "\n");
    if (i)
      puts_(&signed_h, ";");
    puts_(&signed_h, hs[i].name);
  }
  puts_(&cr, "\n");
  puts_(&cr, signed_h.s);
  puts_(&cr, "\n");
  char payload_hash[65], cr_hash[65];
  sigv4_sha256_hex(r->payload ? r->payload : "", r->payload ? r->payload_len : 0, payload_hash);
  puts_(&cr, payload_hash);
  sigv4_sha256_hex(cr.s, cr.len, cr_hash);

  char date[9];
  snprintf(date, sizeof date, "%.8s", r->amz_date);
  Buf scope = {0}, sts = {0};
  puts_(&scope, date);
  puts_(&scope, "/");
  puts_(&scope, r->region);
  puts_(&scope, "/");
  puts_(&scope, r->service);
  puts_(&scope, "/aws4_request");
  puts_(&sts, "AWS4-HMAC-SHA256\n");
  puts_(&sts, r->amz_date);
  puts_(&sts, "\n");
  puts_(&sts, scope.s);
  puts_(&sts, "\n");
  puts_(&sts, cr_hash);

  /* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
  Buf k = {0};
  puts_(&k, "AWS4");
  puts_(&k, r->secret_key);
  unsigned char key[32], next[32];
  hmac((const unsigned char *)k.s, k.len, date, key);
  OPENSSL_cleanse(k.s, k.len);
  free(k.s);
  hmac(key, 32, r->region, next);
  hmac(next, 32, r->service, key);
  hmac(key, 32, "aws4_request", next);
  unsigned char sig[32];
  hmac(next, 32, sts.s, sig);
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(next, sizeof next);
  hex(sig, sizeof sig, out->signature);

  Buf auth = {0};
  puts_(&auth, "AWS4-HMAC-SHA256 Credential=");
  puts_(&auth, r->access_key);
  puts_(&auth, "/");
  puts_(&auth, scope.s);
  puts_(&auth, ", SignedHeaders=");
  puts_(&auth, signed_h.s);
  puts_(&auth, ", Signature=");
  puts_(&auth, out->signature);
  out->canonical = cr.s;
  out->string_to_sign = sts.s;
  out->authorization = auth.s;
  for (size_t i = 0; i < r->nheaders; i++)
    free(hs[i].name);
  free(hs);
  free(signed_h.s);
  free(scope.s);
}

void sigv4_free(SigResult *res) {
  free(res->canonical);
  free(res->string_to_sign);
  free(res->authorization);
}
