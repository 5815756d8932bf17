/* netlibs.c: opens libcurl, libxml2 and libcrypto on first use (netlibs.h). */
#define _GNU_SOURCE /* asprintf */
#include "netlibs.h"

#include <dlfcn.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sonames the build linked against before (the Makefile reads them
   from the libraries pkg-config finds); these when it could not. */
#ifndef SONAME_CURL
#define SONAME_CURL "libcurl.so.4"
#endif
#ifndef SONAME_XML2
#define SONAME_XML2 "libxml2.so.2"
#endif
#ifndef SONAME_CRYPTO
#define SONAME_CRYPTO "libcrypto.so.3"
#endif

enum { CURL_LIB, XML2_LIB, CRYPTO_LIB, NLIBS };

static const struct {
  const char *soname, *package; /* the Debian package that installs it */
} libs[NLIBS] = {
    [CURL_LIB] = {SONAME_CURL, "libcurl4"},
    [XML2_LIB] = {SONAME_XML2, "libxml2"},
    [CRYPTO_LIB] = {SONAME_CRYPTO, "libssl3"},
};

/* One row per function: the library, its name there, its slot. The
   0 * sizeof has the compiler check the slot's type against the header's
   declaration (unevaluated: no reference to the symbol is linked). */
#define SLOT(lib, field, symbol)                                                                   \
  { lib, #symbol, offsetof(NetLibs, field) + 0 * sizeof(((NetLibs *)0)->field = symbol) }
#define SLOT_VAR(lib, field, symbol)                                                               \
  { lib, #symbol, offsetof(NetLibs, field) + 0 * sizeof(((NetLibs *)0)->field = &symbol) }

static const struct {
  int lib;
  const char *symbol;
  size_t offset;
} slots[] = {
    SLOT(CURL_LIB, global_init, curl_global_init),
    SLOT(CURL_LIB, easy_init, curl_easy_init),
    SLOT(CURL_LIB, easy_cleanup, curl_easy_cleanup),
    SLOT(CURL_LIB, easy_reset, curl_easy_reset),
    SLOT(CURL_LIB, easy_setopt, curl_easy_setopt),
    SLOT(CURL_LIB, easy_perform, curl_easy_perform),
    SLOT(CURL_LIB, easy_getinfo, curl_easy_getinfo),
    SLOT(CURL_LIB, easy_strerror, curl_easy_strerror),
    SLOT(CURL_LIB, slist_append, curl_slist_append),
    SLOT(CURL_LIB, slist_free_all, curl_slist_free_all),
    SLOT(XML2_LIB, xml_init_parser, xmlInitParser),
    SLOT(XML2_LIB, xml_read_memory, xmlReadMemory),
    SLOT(XML2_LIB, xml_doc_get_root_element, xmlDocGetRootElement),
    SLOT(XML2_LIB, xml_node_get_content, xmlNodeGetContent),
    SLOT(XML2_LIB, xml_free_doc, xmlFreeDoc),
    SLOT_VAR(XML2_LIB, xml_free, xmlFree),
    SLOT(CRYPTO_LIB, evp_encode_block, EVP_EncodeBlock),
    SLOT(CRYPTO_LIB, rand_bytes, RAND_bytes),
    SLOT(CRYPTO_LIB, evp_sha256, EVP_sha256),
    SLOT(CRYPTO_LIB, hmac, HMAC),
    SLOT(CRYPTO_LIB, sha256, SHA256),
    SLOT(CRYPTO_LIB, cleanse, OPENSSL_cleanse),
};

static NetLibs loaded;
static char *load_error; /* why loading failed, or NULL */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  void *handle[NLIBS];
  for (int i = 0; i < NLIBS; i++) {
    handle[i] = dlopen(libs[i].soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle[i]) {
      if (asprintf(&load_error,
                   "cannot load %s, which infrac needs to talk to AWS (Debian: apt-get install "
                   "%s): %s",
                   libs[i].soname, libs[i].package, dlerror()) < 0)
        abort();
      return;
    }
  }
  for (size_t i = 0; i < sizeof slots / sizeof *slots; i++) {
    void *p = dlsym(handle[slots[i].lib], slots[i].symbol);
    if (!p) {
      if (asprintf(&load_error, "%s has no %s (a version too old?): %s", libs[slots[i].lib].soname,
                   slots[i].symbol, dlerror()) < 0)
        abort();
      return;
    }
    /* a data or function address into its slot: ISO C has no cast between them */
    memcpy((char *)&loaded + slots[i].offset, &p, sizeof p);
  }
  /* before any thread of a parallel apply: neither is thread-safe */
  loaded.global_init(CURL_GLOBAL_DEFAULT);
  loaded.xml_init_parser();
}

bool netlibs_load(char **err) {
  pthread_once(&once, load);
  if (load_error && err) *err = strdup(load_error);
  return !load_error;
}

const NetLibs *netlibs(void) {
  if (!netlibs_load(NULL)) {
    fprintf(stderr, "infrac: error: %s\n", load_error);
    exit(1);
  }
  return &loaded;
}
