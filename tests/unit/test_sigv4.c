/* test_sigv4.c: the signer against AWS's published SigV4 test suite
   (get-vanilla) and against botocore's SigV4Auth for requests of each
   protocol infrac sends (tests/unit/data/sigv4_botocore.txt, written by
   tests/tools/sigv4_expected.py). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sigv4.h"

static const char *SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/* aws-sig-v4-test-suite/get-vanilla */
static void get_vanilla(void) {
  SigHeader h[] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  SigRequest r = {"GET", "/", "", "", 0, h, 2, "20150830T123600Z", "us-east-1", "service",
                  "AKIDEXAMPLE", SECRET};
  SigResult s;
  sigv4_sign(&r, &s);
  CHECK(!strcmp(s.canonical, "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
                             "\nhost;x-amz-date\n"
                             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  CHECK(!strcmp(s.string_to_sign,
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"));
  CHECK(!strcmp(s.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
  CHECK(!strcmp(s.authorization,
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                "SignedHeaders=host;x-amz-date, "
                "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
  sigv4_free(&s);
}

static char *line(FILE *f) {
  static char buf[4096];
  if (!fgets(buf, sizeof buf, f))
    return NULL;
  buf[strcspn(buf, "\n")] = '\0';
  return buf;
}

/* "TAG LEN\n" then LEN bytes and a newline. */
static char *sized(FILE *f, const char *tag) {
  char *l = line(f);
  size_t n = strlen(tag);
  if (!l || strncmp(l, tag, n) || l[n] != ' ')
    return NULL;
  size_t len = strtoul(l + n + 1, NULL, 10);
  char *s = calloc(len + 1, 1);
  if (fread(s, 1, len, f) != len || fgetc(f) != '\n') {
    free(s);
    return NULL;
  }
  return s;
}

static int botocore_cases(void) {
  FILE *f = fopen("tests/unit/data/sigv4_botocore.txt", "r");
  CHECK(f != NULL);
  if (!f)
    return 0;
  int cases = 0;
  char *l;
  while ((l = line(f)) && !strncmp(l, "case ", 5)) {
    char *name = strdup(l + 5), *field[5];
    for (int i = 0; i < 5; i++)
      field[i] = strdup((l = line(f)) ? l : "");
    SigHeader h[8];
    size_t nh = 0;
    long at = ftell(f);
    while ((l = line(f)) && !strncmp(l, "header ", 7) && nh < 8) {
      char *colon = strstr(l, ": ");
      h[nh].name = strndup(l + 7, (size_t)(colon - l - 7));
      h[nh++].value = strdup(colon + 2);
      at = ftell(f);
    }
    fseek(f, at, SEEK_SET);
    char *payload = sized(f, "payload"), *canonical = sized(f, "canonical"),
         *sts = sized(f, "sts");
    l = line(f);
    char *sig = strdup(l && !strncmp(l, "signature ", 10) ? l + 10 : "");
    CHECK(payload && canonical && sts);
    SigRequest r = {field[0], field[1], field[2], payload, payload ? strlen(payload) : 0,
                    h, nh, "20150830T123600Z", field[3], field[4], "AKIDEXAMPLE", SECRET};
    SigResult s;
    sigv4_sign(&r, &s);
    bool same = canonical && sts && !strcmp(s.canonical, canonical) &&
                !strcmp(s.string_to_sign, sts) && !strcmp(s.signature, sig);
    if (!same)
      fprintf(stderr, "case %s:\n--- ours\n%s\n%s\n%s\n--- botocore\n%s\n%s\n%s\n", name,
              s.canonical, s.string_to_sign, s.signature, canonical ? canonical : "?",
              sts ? sts : "?", sig);
    CHECK(same);
    cases++;
    sigv4_free(&s);
    for (size_t i = 0; i < nh; i++) {
      free((char *)h[i].name);
      free((char *)h[i].value);
    }
    for (int i = 0; i < 5; i++)
      free(field[i]);
    free(name), free(payload), free(canonical), free(sts), free(sig);
  }
  fclose(f);
  return cases;
}

int main(void) {
  get_vanilla();
  CHECK(botocore_cases() == 6);
  char *e = sigv4_uri_encode("a b/c~d%", 8, 0);
  CHECK(!strcmp(e, "a%20b%2Fc~d%25"));
  free(e);
  printf("test_sigv4: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
