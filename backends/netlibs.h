/* netlibs.h: libcurl, libxml2 and libcrypto, opened with dlopen the first
   time a command talks to AWS (apply, destroy, refresh, import --live ...).
   Linked, the three and the ~40 libraries they bring cost every process
   10-25 ms of dynamic loading before main; check, build, plan, fmt and
   import from a file never call them (docs/performance.md, "Start-up"). */
#ifndef NETLIBS_H
#define NETLIBS_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

/* The functions infrac calls, resolved by name (the table in netlibs.c). */
typedef struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *curl);
  void (*easy_reset)(CURL *curl);
  CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL *curl);
  CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
  const char *(*easy_strerror)(CURLcode code);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
  void (*slist_free_all)(struct curl_slist *list);

  void (*xml_init_parser)(void);
  xmlDoc *(*xml_read_memory)(const char *buf, int size, const char *url, const char *encoding,
                             int options);
  xmlNode *(*xml_doc_get_root_element)(const xmlDoc *doc);
  xmlChar *(*xml_node_get_content)(const xmlNode *cur);
  void (*xml_free_doc)(xmlDoc *doc);
  xmlFreeFunc *xml_free; /* libxml2's xmlFree is a variable holding the function */

  int (*evp_encode_block)(unsigned char *t, const unsigned char *f, int n);
  int (*rand_bytes)(unsigned char *buf, int num);
  const EVP_MD *(*evp_sha256)(void);
  unsigned char *(*hmac)(const EVP_MD *md, const void *key, int key_len, const unsigned char *d,
                         size_t n, unsigned char *md_out, unsigned int *md_len);
  unsigned char *(*sha256)(const unsigned char *d, size_t n, unsigned char *md);
  void (*cleanse)(void *ptr, size_t len);
} NetLibs;

/* Opens the three libraries (once; thread-safe) and resolves every function.
   False, with *err naming the missing library or function and the package
   that provides it, when one cannot be loaded. */
bool netlibs_load(char **err);

/* The loaded functions. Loads them if need be; when that fails, says why
   on stderr and exits 1 (callers that can report an error call
   netlibs_load first: aws_client_new does). */
const NetLibs *netlibs(void);

#endif
