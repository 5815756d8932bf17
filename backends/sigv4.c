/* sigv4.c: AWS Signature Version 4, as botocore's SigV4Auth computes it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h> /* SHA256_DIGEST_LENGTH */

#include "infrac.h" /* Buf */
#include "netlibs.h"
#include "sigv4.h"


static void hex(const unsigned char *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

void sigv4_sha256_hex(const void *data, size_t n, char out[65]) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  netlibs()->sha256(data, n, d);
  hex(d, sizeof d, out);
}

static void hmac(const unsigned char *key, size_t klen, const char *msg, unsigned char out[32]) {
  unsigned int len = 32;
  const NetLibs *net = netlibs();
  net->hmac(net->evp_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len);
}

char *sigv4_uri_encode(const char *s, size_t n, int keep_slash) {
  Buf b = {0};
  buf_puts(&b, "");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      buf_add(&b, (const char *)&c, 1);
    } else {
      char e[4];
      snprintf(e, sizeof e, "%%%02X", c);
      buf_add(&b, e, 3);
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
      buf_puts(b, "&");
    buf_puts(b, pairs[i]);
    if (!strchr(pairs[i], '='))
      buf_puts(b, "=");
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
    buf_add(b, v[i] == '\t' ? " " : v + i, 1);
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
  buf_puts(&signed_h, "");
  buf_puts(&cr, r->method);
  buf_puts(&cr, "\n");
  char *path = sigv4_uri_encode(r->path, strlen(r->path), 1);
  buf_puts(&cr, path);
  free(path);
  buf_puts(&cr, "\n");
  canonical_query(&cr, r->query);
  buf_puts(&cr, "\n");
  for (size_t i = 0; i < r->nheaders; i++) {
    buf_puts(&cr, hs[i].name);
    buf_puts(&cr, ":");
    header_value(&cr, hs[i].value);
    buf_puts(&cr, "\n");
    if (i)
      buf_puts(&signed_h, ";");
    buf_puts(&signed_h, hs[i].name);
  }
  buf_puts(&cr, "\n");
  buf_puts(&cr, signed_h.s);
  buf_puts(&cr, "\n");
  char payload_hash[65], cr_hash[65];
  sigv4_sha256_hex(r->payload ? r->payload : "", r->payload ? r->payload_len : 0, payload_hash);
  buf_puts(&cr, payload_hash);
  sigv4_sha256_hex(cr.s, cr.len, cr_hash);

  char date[9];
  snprintf(date, sizeof date, "%.8s", r->amz_date);
  Buf scope = {0}, sts = {0};
  buf_puts(&scope, date);
  buf_puts(&scope, "/");
  buf_puts(&scope, r->region);
  buf_puts(&scope, "/");
  buf_puts(&scope, r->service);
  buf_puts(&scope, "/aws4_request");
  buf_puts(&sts, "AWS4-HMAC-SHA256\n");
  buf_puts(&sts, r->amz_date);
  buf_puts(&sts, "\n");
  buf_puts(&sts, scope.s);
  buf_puts(&sts, "\n");
  buf_puts(&sts, cr_hash);

  /* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
  Buf k = {0};
  buf_puts(&k, "AWS4");
  buf_puts(&k, r->secret_key);
  unsigned char key[32], next[32];
  hmac((const unsigned char *)k.s, k.len, date, key);
  netlibs()->cleanse(k.s, k.len);
  free(k.s);
  hmac(key, 32, r->region, next);
  hmac(next, 32, r->service, key);
  hmac(key, 32, "aws4_request", next);
  unsigned char sig[32];
  hmac(next, 32, sts.s, sig);
  netlibs()->cleanse(key, sizeof key);
  netlibs()->cleanse(next, sizeof next);
  hex(sig, sizeof sig, out->signature);

  Buf auth = {0};
  buf_puts(&auth, "AWS4-HMAC-SHA256 Credential=");
  buf_puts(&auth, r->access_key);
  buf_puts(&auth, "/");
  buf_puts(&auth, scope.s);
  buf_puts(&auth, ", SignedHeaders=");
  buf_puts(&auth, signed_h.s);
  buf_puts(&auth, ", Signature=");
  buf_puts(&auth, out->signature);
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
