/* sigv4.h: AWS Signature Version 4 (HMAC-SHA256 through OpenSSL's libcrypto).
   Kept apart from the HTTP code so that tests/unit/test_sigv4.c can compare
   each stage (canonical request, string to sign, signature) with botocore's
   and with AWS's published test suite. */
#ifndef SIGV4_H
#define SIGV4_H

#include <stddef.h>

typedef struct {
  const char *name, *value;
} SigHeader;

typedef struct {
  const char *method; /* "POST" */
  const char *path;   /* the URL's path as sent: "/", "/2013-04-01/hostedzone" */
  const char *query;  /* the URL's query as sent, "" or "a=1&b=2" */
  const char *payload;
  size_t payload_len;
  const SigHeader *headers; /* every header to sign, with host and x-amz-date */
  size_t nheaders;
  const char *amz_date; /* "20150830T123600Z" */
  const char *region, *service, *access_key, *secret_key;
} SigRequest;

typedef struct {
  char *canonical, *string_to_sign, *authorization;
  char signature[65];
} SigResult;

void sigv4_sign(const SigRequest *req, SigResult *out);
void sigv4_free(SigResult *res);
/* Percent-encodes s as SigV4 wants (RFC 3986 unreserved kept; '/' kept
   when keep_slash). The caller frees. */
char *sigv4_uri_encode(const char *s, size_t n, int keep_slash);
/* Lower-case hex SHA-256 of data into hex[65]. */
void sigv4_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
