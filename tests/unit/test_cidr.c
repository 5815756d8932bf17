/* test_cidr.c: CIDR arithmetic at its edges (/0, /32, both ends of the address
   space, adjacent and nested blocks, host bits), parse errors with the exact
   span they underline, formatting, and the region table. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "regions.h"

#include "check.h"

/* The block or address written as s; a text that does not parse fails here. */
static Cidr block(const char *s) {
  Cidr c = {0, 0};
  size_t lo, hi;
  bool ok = cidr_parse(s, strlen(s), strchr(s, '/') != NULL, &c, &lo, &hi) == CIDR_OK;
  checks++;
  if (!ok) {
    failures++;
    fprintf(stderr, "%s:%d: CHECK failed: %s does not parse\n", __FILE__, __LINE__, s);
  }
  return c;
}

static bool formats_as(Cidr c, const char *want) {
  char buf[19];
  return strcmp(cidr_format(c, buf), want) == 0;
}

static bool ip_is(uint32_t addr, const char *want) {
  char buf[16];
  return strcmp(ip_format(addr, buf), want) == 0;
}

/* Parsing s fails with want, and s[lo..hi) is what it underlines. */
static bool parse_fails(const char *s, bool want_prefix, CidrError want, size_t lo, size_t hi) {
  Cidr c;
  size_t bad_lo = 999, bad_hi = 999;
  CidrError e = cidr_parse(s, strlen(s), want_prefix, &c, &bad_lo, &bad_hi);
  return e == want && bad_lo == lo && bad_hi == hi;
}

static void test_mask(void) {
  CHECK(cidr_mask(0) == 0);
  CHECK(cidr_mask(1) == 0x80000000u);
  CHECK(cidr_mask(24) == 0xFFFFFF00u);
  CHECK(cidr_mask(31) == 0xFFFFFFFEu);
  CHECK(cidr_mask(32) == 0xFFFFFFFFu);
}

static void test_ranges(void) {
  Cidr all = block("0.0.0.0/0");
  CHECK(cidr_first(all) == 0 && cidr_last(all) == 0xFFFFFFFFu);
  CHECK(cidr_size(all) == 4294967296u);
  CHECK(!cidr_has_host_bits(all));

  Cidr top = block("255.255.255.255/32");
  CHECK(cidr_first(top) == 0xFFFFFFFFu && cidr_last(top) == 0xFFFFFFFFu);
  CHECK(cidr_size(top) == 1 && !cidr_has_host_bits(top));
  Cidr bottom = block("0.0.0.0/32");
  CHECK(cidr_first(bottom) == 0 && cidr_last(bottom) == 0 && cidr_size(bottom) == 1);

  Cidr upper_half = block("128.0.0.0/1");
  CHECK(cidr_last(upper_half) == 0xFFFFFFFFu && cidr_size(upper_half) == 2147483648u);

  Cidr host = block("10.0.1.5/24");
  CHECK(cidr_has_host_bits(host));
  CHECK(cidr_network(host) == 0x0A000100u && cidr_first(host) == 0x0A000100u);
  CHECK(cidr_last(host) == 0x0A0001FFu && cidr_size(host) == 256);
  CHECK(!cidr_has_host_bits(block("10.0.1.0/24")));
  CHECK(cidr_has_host_bits(block("255.255.255.255/0")));
  CHECK(cidr_network(block("255.255.255.255/0")) == 0);
}

static void test_contains(void) {
  Cidr all = block("0.0.0.0/0"), vpc = block("10.0.0.0/16");
  CHECK(cidr_contains(all, block("255.255.255.255/32")));
  CHECK(cidr_contains(all, block("0.0.0.0/32")));
  CHECK(cidr_contains(all, all) && cidr_contains(vpc, vpc));
  CHECK(!cidr_contains(vpc, all));
  CHECK(cidr_contains(vpc, block("10.0.1.0/24")));
  CHECK(!cidr_contains(block("10.0.1.0/24"), vpc));
  CHECK(cidr_contains(vpc, block("10.0.255.255/32")));
  CHECK(!cidr_contains(vpc, block("10.1.0.0/32")));
  CHECK(!cidr_contains(vpc, block("9.255.255.255/32")));
  /* The inner block is 10.0.1.0/24 whatever its host bits. */
  CHECK(cidr_contains(vpc, block("10.0.1.5/24")));
  CHECK(!cidr_contains(block("10.0.1.0/24"), block("10.0.0.0/23")));
}

static void test_overlaps(void) {
  Cidr a = block("10.0.0.0/24"), b = block("10.0.1.0/24");
  CHECK(!cidr_overlaps(a, b) && !cidr_overlaps(b, a));
  CHECK(!cidr_overlaps(block("10.0.0.0/16"), block("10.1.0.0/16")));
  CHECK(cidr_overlaps(a, a));
  CHECK(cidr_overlaps(block("10.0.0.0/8"), block("10.255.255.255/32")));
  CHECK(cidr_overlaps(block("10.255.255.255/32"), block("10.0.0.0/8")));
  CHECK(cidr_overlaps(block("255.255.255.0/24"), block("255.255.255.255/32")));
  CHECK(!cidr_overlaps(block("0.0.0.0/32"), block("0.0.0.1/32")));
  CHECK(cidr_overlaps(block("0.0.0.0/0"), block("0.0.0.0/32")));
  CHECK(cidr_overlaps(block("10.0.1.0/23"), a)); /* 10.0.0.0/23 with host bits */
}

static void test_intersect(void) {
  Cidr vpc = block("10.0.0.0/16"), sub = block("10.0.5.0/24"), out = {0, -1};
  CHECK(cidr_intersect(vpc, sub, &out) && formats_as(out, "10.0.5.0/24"));
  CHECK(cidr_intersect(sub, vpc, &out) && formats_as(out, "10.0.5.0/24"));
  CHECK(cidr_intersect(vpc, vpc, &out) && formats_as(out, "10.0.0.0/16"));
  CHECK(cidr_intersect(vpc, block("10.0.5.7/24"), &out) && formats_as(out, "10.0.5.0/24"));
  CHECK(cidr_intersect(block("0.0.0.0/0"), block("255.255.255.255/32"), &out) &&
               formats_as(out, "255.255.255.255/32"));
  out = (Cidr){0, -1};
  CHECK(!cidr_intersect(block("10.0.0.0/24"), block("10.0.1.0/24"), &out));
  CHECK(out.prefix == -1); /* untouched when there is no overlap */
}

static void test_subnet(void) {
  Cidr vpc = block("10.0.0.0/16"), all = block("0.0.0.0/0"), out = {0, -1};
  CHECK(cidr_subnet(vpc, 8, 2, &out) && formats_as(out, "10.0.2.0/24"));
  CHECK(cidr_subnet(vpc, 8, 0, &out) && formats_as(out, "10.0.0.0/24"));
  CHECK(cidr_subnet(vpc, 8, 255, &out) && formats_as(out, "10.0.255.0/24"));
  CHECK(!cidr_subnet(vpc, 8, 256, &out));
  CHECK(cidr_subnet(vpc, 0, 0, &out) && formats_as(out, "10.0.0.0/16"));
  CHECK(!cidr_subnet(vpc, 0, 1, &out));
  CHECK(cidr_subnet(vpc, 16, 65535, &out) && formats_as(out, "10.0.255.255/32"));
  CHECK(!cidr_subnet(vpc, 16, 65536, &out));
  CHECK(!cidr_subnet(vpc, 17, 0, &out)); /* /33 */
  CHECK(!cidr_subnet(vpc, -1, 0, &out));
  /* As Terraform: the base's host bits are ignored. */
  CHECK(cidr_subnet(block("10.0.7.9/16"), 8, 2, &out) && formats_as(out, "10.0.2.0/24"));

  CHECK(cidr_subnet(all, 0, 0, &out) && formats_as(out, "0.0.0.0/0"));
  CHECK(!cidr_subnet(all, 0, 1, &out));
  CHECK(cidr_subnet(all, 1, 1, &out) && formats_as(out, "128.0.0.0/1"));
  CHECK(cidr_subnet(all, 32, 4294967295u, &out) && formats_as(out, "255.255.255.255/32"));
  CHECK(!cidr_subnet(all, 32, 4294967296u, &out));
  CHECK(!cidr_subnet(all, 33, 0, &out));
  CHECK(!cidr_subnet(block("1.2.3.4/32"), 1, 0, &out));
  CHECK(cidr_subnet(block("1.2.3.4/32"), 0, 0, &out) && formats_as(out, "1.2.3.4/32"));
}

static int compare_for_qsort(const void *a, const void *b) {
  return cidr_compare(*(const Cidr *)a, *(const Cidr *)b);
}

static void test_compare(void) {
  Cidr vpc = block("10.0.0.0/16"), first = block("10.0.0.0/24");
  CHECK(cidr_compare(vpc, first) < 0 && cidr_compare(first, vpc) > 0);
  CHECK(cidr_compare(vpc, vpc) == 0);
  CHECK(cidr_compare(block("10.0.1.0/24"), vpc) > 0);
  CHECK(cidr_compare(block("10.0.0.5/24"), first) == 0); /* by network address */
  /* Unsigned order: a subtraction would wrap here. */
  CHECK(cidr_compare(block("255.255.255.255/32"), block("0.0.0.0/0")) > 0);
  CHECK(cidr_compare(block("0.0.0.0/32"), block("128.0.0.0/1")) < 0);

  Cidr v[] = {block("10.0.2.0/24"), block("192.168.0.0/16"), block("10.0.0.0/24"),
              block("10.0.0.0/16")};
  qsort(v, sizeof v / sizeof v[0], sizeof v[0], compare_for_qsort);
  CHECK(formats_as(v[0], "10.0.0.0/16") && formats_as(v[1], "10.0.0.0/24"));
  CHECK(formats_as(v[2], "10.0.2.0/24") && formats_as(v[3], "192.168.0.0/16"));
}

static void test_parse(void) {
  Cidr c = {0, -1};
  size_t lo, hi;
  CHECK(cidr_parse("1.2.3.4", 7, false, &c, &lo, &hi) == CIDR_OK);
  CHECK(c.addr == 0x01020304u && c.prefix == 32);
  CHECK(cidr_parse("255.255.255.255/32", 18, true, &c, &lo, &hi) == CIDR_OK);
  CHECK(c.addr == 0xFFFFFFFFu && c.prefix == 32);
  CHECK(cidr_parse("0.0.0.0/0", 9, true, &c, &lo, &hi) == CIDR_OK);
  CHECK(c.addr == 0 && c.prefix == 0);
  /* Leading zeros are decimal, not octal. */
  CHECK(cidr_parse("010.000.001.0/08", 16, true, &c, &lo, &hi) == CIDR_OK);
  CHECK(c.addr == 0x0A000100u && c.prefix == 8);
  /* Only s[0..n) is read, as the lexer passes a token inside the source. */
  CHECK(cidr_parse("10.0.0.0/16 # vpc", 11, true, &c, &lo, &hi) == CIDR_OK);
  CHECK(c.addr == 0x0A000000u && c.prefix == 16);
  CHECK(cidr_parse("10.0.0.0/16", 8, false, &c, &lo, &hi) == CIDR_OK);
  CHECK(c.addr == 0x0A000000u && c.prefix == 32);
}

static void test_parse_errors(void) {
  CHECK(parse_fails("10.0.300.0/16", true, CIDR_BAD_OCTET, 5, 8));
  CHECK(parse_fails("256.0.0.0", false, CIDR_BAD_OCTET, 0, 3));
  CHECK(parse_fails("1.2.3.256", false, CIDR_BAD_OCTET, 6, 9));
  CHECK(parse_fails("1.2.3.0255", false, CIDR_BAD_OCTET, 6, 10)); /* four digits */
  CHECK(parse_fails("1.2.99999999999.4", false, CIDR_BAD_OCTET, 4, 15));
  CHECK(parse_fails("10.0.300.0/33", true, CIDR_BAD_OCTET, 5, 8)); /* the first problem */

  CHECK(parse_fails("10.0.0.0/33", true, CIDR_BAD_PREFIX, 9, 11));
  CHECK(parse_fails("10.0.0.0/99999999999", true, CIDR_BAD_PREFIX, 9, 20));

  CHECK(parse_fails("1.2.3", false, CIDR_BAD_SYNTAX, 0, 5));
  CHECK(parse_fails("1.2.3/24", true, CIDR_BAD_SYNTAX, 0, 8));
  CHECK(parse_fails("1.2.3.4/", true, CIDR_BAD_SYNTAX, 0, 8));
  CHECK(parse_fails("1.2.3.4", true, CIDR_BAD_SYNTAX, 0, 7));
  CHECK(parse_fails("1.2.3.4/24", false, CIDR_BAD_SYNTAX, 0, 10));
  CHECK(parse_fails("1.2.3.4.5", false, CIDR_BAD_SYNTAX, 0, 9));
  CHECK(parse_fails("1..2.3", false, CIDR_BAD_SYNTAX, 0, 6));
  CHECK(parse_fails(".1.2.3", false, CIDR_BAD_SYNTAX, 0, 6));
  CHECK(parse_fails("1.2.3.4.", false, CIDR_BAD_SYNTAX, 0, 8));
  CHECK(parse_fails("1.2.3.4/-1", true, CIDR_BAD_SYNTAX, 0, 10));
  CHECK(parse_fails("1.2.3.4/24/", true, CIDR_BAD_SYNTAX, 0, 11));
  CHECK(parse_fails("a.b.c.d", false, CIDR_BAD_SYNTAX, 0, 7));
  CHECK(parse_fails("", false, CIDR_BAD_SYNTAX, 0, 0));
  CHECK(parse_fails("", true, CIDR_BAD_SYNTAX, 0, 0));
}

static void test_format(void) {
  char buf[19];
  CHECK(cidr_format(block("10.0.1.0/24"), buf) == buf);
  CHECK(formats_as(block("10.0.1.5/24"), "10.0.1.5/24")); /* host bits kept */
  CHECK(formats_as(block("0.0.0.0/0"), "0.0.0.0/0"));
  CHECK(strlen(cidr_format(block("255.255.255.255/32"), buf)) == 18); /* the longest */
  CHECK(strcmp(buf, "255.255.255.255/32") == 0);
  CHECK(ip_is(0x0A0001FFu, "10.0.1.255"));
  CHECK(ip_is(0, "0.0.0.0"));
  CHECK(ip_is(0xFFFFFFFFu, "255.255.255.255"));
  CHECK(ip_is(cidr_last(block("10.0.1.0/24")), "10.0.1.255"));
}

static bool zones_are(const Region *r, const char *const *want) {
  size_t i = 0;
  for (; want[i]; i++)
    if (!r->zones[i] || strcmp(r->zones[i], want[i]) != 0) return false;
  return r->zones[i] == NULL;
}

static const Region *find(const char *name) {
  return region_find(name, strlen(name));
}
static const Region *of_zone(const char *zone) {
  return region_of_zone(zone, strlen(zone));
}

static void test_regions(void) {
  const Region *tokyo = find("ap-northeast-1");
  CHECK(tokyo && strcmp(tokyo->name, "ap-northeast-1") == 0);
  static const char *const tokyo_zones[] = {"ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d",
                                            NULL};
  CHECK(tokyo && zones_are(tokyo, tokyo_zones));
  CHECK(of_zone("ap-northeast-1a") == tokyo && of_zone("ap-northeast-1d") == tokyo);
  CHECK(of_zone("ap-northeast-1b") == NULL); /* not offered to new accounts */
  CHECK(of_zone("ap-northeast-1") == NULL && of_zone("ap-northeast-1aa") == NULL);
  CHECK(region_find("ap-northeast-1a", 14) == tokyo); /* a slice of a longer text */
  CHECK(region_find("ap-northeast-1", 13) == NULL);
  CHECK(region_of_zone("ap-northeast-1a,", 15) == tokyo);
  CHECK(find("mars-north-1") == NULL && find("") == NULL && of_zone("") == NULL);

  const Region *virginia = find("us-east-1");
  static const char *const virginia_zones[] = {
      "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f", NULL};
  CHECK(virginia && zones_are(virginia, virginia_zones));
  CHECK(of_zone("us-east-1f") == virginia);
  CHECK(find("ca-central-1") && of_zone("ca-central-1c") == NULL);
  CHECK(find("mx-central-1") && find("ap-southeast-7") && find("il-central-1"));
}

/* Every zone is its region's name and one letter, belongs to that region
   alone, and every region has the two zones that load balancers and
   databases need. */
static void test_region_table(void) {
  size_t n = 0;
  const Region *all = region_all(&n);
  CHECK(n >= 30);
  for (size_t i = 0; i < n; i++) {
    const Region *r = &all[i];
    size_t len = strlen(r->name), zones = 0;
    CHECK(find(r->name) == r);
    for (const char *const *z = r->zones; *z; z++, zones++) {
      CHECK(strlen(*z) == len + 1 && strncmp(*z, r->name, len) == 0);
      CHECK((*z)[len] >= 'a' && (*z)[len] <= 'z');
      CHECK(of_zone(*z) == r);
    }
    CHECK(zones >= 2);
  }
}

int main(void) {
  test_mask();
  test_ranges();
  test_contains();
  test_overlaps();
  test_intersect();
  test_subnet();
  test_compare();
  test_parse();
  test_parse_errors();
  test_format();
  test_regions();
  test_region_table();
  if (failures) {
    fprintf(stderr, "test_cidr: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("test_cidr: %d checks passed\n", checks);
  return 0;
}
