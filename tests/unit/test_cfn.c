/* test_cfn.c: lowering and the JSON template: logical IDs, references as Ref,
   Fn::GetAtt and Fn::Sub, folding, --param defaults, secrets kept out, the
   rendering (escapes, one-line intrinsics), and the rendering straight from
   the IR byte for byte the same as the tree's, on the examples, a generated
   stack and random resource graphs. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_json.h"
#include "cfn_parts.h"
#include "infrac.h"
#include "lower.h"
#include "params.h"

#include "check.h"

static const char stack[] =
    "stack s { region = \"ap-northeast-1\" }\n"
    "param image_tag : string = \"latest\"\n"
    "param db_password : secret\n"
    "param count : int = 1\n"
    "vpc main { cidr = 10.0.0.0/16 }\n"
    "subnet public_a { vpc = main  cidr = 10.0.0.0/24  az = \"ap-northeast-1a\" }\n"
    "subnet public_c { vpc = main  cidr = 10.0.1.0/24  az = \"ap-northeast-1c\" }\n"
    "internet_gateway igw { vpc = main }\n"
    "route_table public {\n  vpc = main\n  subnets = [public_a, public_c]\n"
    "  route 0.0.0.0/0 -> igw\n}\n"
    "security_group web { vpc = main\n  ingress tcp 80 from 0.0.0.0/0\n}\n"
    "registry api_repo { name = \"api\" }\n"
    "target_group api_tg { vpc = main  protocol = http  port = 80 }\n"
    "load_balancer api_alb {\n  subnets = [public_a, public_c]\n  security_groups = [web]\n"
    "  listener http 80 { forward = api_tg }\n}\n"
    "output image = \"${api_repo.uri}:${image_tag} costs $${count}\"\n"
    "output subnet_range = \"range ${public_a.cidr} in ${public_a.az}\"\n";

static Compilation *compile(const char *text, const char **params, int nparams) {
  Compilation *c = compile_new();
  for (int i = 0; i < nparams; i++)
    CHECK(params_add(c, params[i]));
  compile_add_source(c, "test.infra", text, strlen(text));
  compile_run(c);
  if (c->nerrors)
    diag_render_text(c, stderr, false);
  CHECK(c->nerrors == 0);
  return c;
}

static const cJSON *at(const cJSON *t, const char *a, const char *b, const char *c) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, a);
  if (b)
    v = cJSON_GetObjectItemCaseSensitive(v, b);
  if (c)
    v = cJSON_GetObjectItemCaseSensitive(v, c);
  return v;
}

static bool is_str(const cJSON *v, const char *s) {
  return cJSON_IsString(v) && !strcmp(v->valuestring, s);
}

static void test_logical_ids(void) {
  Arena a = {0};
  CHECK(!strcmp(lower_logical_id(&a, "public_a", "Subnet"), "PublicASubnet"));
  CHECK(!strcmp(lower_logical_id(&a, "main", "Vpc"), "MainVpc"));
  CHECK(!strcmp(lower_logical_id(&a, "image_tag", ""), "ImageTag"));
  CHECK(!strcmp(lower_logical_id(&a, "db_password", ""), "DbPassword"));
  CHECK(!strcmp(lower_logical_id(&a, "api_alb", "Listener443"), "ApiAlbListener443"));
  CHECK(!strcmp(lower_logical_id(&a, "web2x", "SecurityGroup"), "Web2xSecurityGroup"));
  arena_free(&a);
}

static void test_lower(void) {
  Compilation *c = compile(stack, NULL, 0);
  IrStack *ir = lower_program(c);
  static const char *const ids[][2] = {
      {"MainVpc", "AWS::EC2::VPC"},
      {"PublicASubnet", "AWS::EC2::Subnet"},
      {"IgwInternetGateway", "AWS::EC2::InternetGateway"},
      {"IgwAttachment", "AWS::EC2::VPCGatewayAttachment"},
      {"PublicRouteTable", "AWS::EC2::RouteTable"},
      {"PublicRouteTableRoute1", "AWS::EC2::Route"},
      {"PublicRouteTablePublicC", "AWS::EC2::SubnetRouteTableAssociation"},
      {"WebSecurityGroup", "AWS::EC2::SecurityGroup"},
      {"ApiRepoRepository", "AWS::ECR::Repository"},
      {"ApiAlbLoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer"},
      {"ApiAlbListener80", "AWS::ElasticLoadBalancingV2::Listener"},
  };
  for (size_t i = 0; i < countof(ids); i++) {
    const IrResource *r = lower_find(ir, ids[i][0]);
    CHECK(r && !strcmp(r->type, ids[i][1]));
  }
  CHECK(lower_find(ir, "MainVpc")->primary && !lower_find(ir, "IgwAttachment")->primary);
  CHECK(!strcmp(lower_find(ir, "IgwAttachment")->decl->name, "igw"));
  /* the route to the gateway waits for its attachment; nothing else waits */
  const IrResource *route = lower_find(ir, "PublicRouteTableRoute1");
  CHECK(route->ndepends == 1 && !strcmp(route->depends_on[0], "IgwAttachment"));
  CHECK(lower_find(ir, "PublicASubnet")->ndepends == 0);
  CHECK(ir->nparams == 3 && !strcmp(ir->params[0]->logical_id, "ImageTag"));
  CHECK(ir->params[1]->secret && !ir->params[1]->def);
  CHECK(!strcmp(ir->params[2]->type, "Number") && !strcmp(ir->params[2]->def, "1"));

  cJSON *t = cfn_template(ir);
  CHECK(is_str(at(t, "Resources", "PublicASubnet", "Properties")->child->child, "MainVpc"));
  const cJSON *out = at(t, "Outputs", "Image", "Value");
  /* the references stay references (parts), which the printers write as Fn::Sub */
  Part part;
  const cJSON *item = cfn_parts_items(out);
  cfn_part(item, &part);
  CHECK(part.k == PART_GETATT && !strcmp(part.s, "ApiRepoRepository") &&
        !strcmp(part.attr, "RepositoryUri"));
  cfn_part(item->next->next, &part);
  CHECK(part.k == PART_REF && !strcmp(part.s, "ImageTag"));
  cJSON *sub = cfn_parts_to_sub(out);
  CHECK(is_str(cJSON_GetObjectItemCaseSensitive(sub, "Fn::Sub"),
               "${ApiRepoRepository.RepositoryUri}:${ImageTag} costs $${Count}"));
  cJSON_Delete(sub);
  /* known now: folded into a plain string */
  CHECK(is_str(at(t, "Outputs", "SubnetRange", "Value"), "range 10.0.0.0/24 in ap-northeast-1a"));
  const cJSON *sg = at(t, "Resources", "WebSecurityGroup", "Properties");
  CHECK(is_str(cJSON_GetObjectItemCaseSensitive(sg, "GroupDescription"), "security group web"));
  const cJSON *first = t->child;
  CHECK(is_str(first, "2010-09-09") && !strcmp(first->string, "AWSTemplateFormatVersion"));
  CHECK(!strcmp(first->next->string, "Parameters")); /* no description: none written */
  cJSON_Delete(t);
  compile_free(c);
}

static void test_params(void) {
  const char *given[] = {"image_tag=abc", "count=3", "db_password=hunter2"};
  Compilation *c = compile(stack, given, 3);
  FILE *err = tmpfile();
  CHECK(!params_check(c, err, false)); /* the secret is refused */
  CHECK(params_check(c, err, true));
  CHECK(!strcmp(params_get(c, "image_tag"), "abc") && !params_get(c, "nothing"));
  cJSON *t = cfn_template(lower_program(c));
  CHECK(is_str(at(t, "Parameters", "ImageTag", "Default"), "abc"));
  CHECK(is_str(at(t, "Parameters", "Count", "Default"), "3"));
  CHECK(!at(t, "Parameters", "DbPassword", "Default"));
  char *text = cfn_json_render(t);
  CHECK(!strstr(text, "hunter2"));
  free(text);
  cJSON_Delete(t);
  compile_free(c);

  const char *bad[] = {"count=x", "nope=1", "count=99999999999999999999"};
  for (int i = 0; i < 3; i++) {
    c = compile(stack, bad + i, 1);
    rewind(err);
    CHECK(!params_check(c, err, true));
    compile_free(c);
  }
  c = compile_new();
  CHECK(!params_add(c, "no-equals"));
  compile_free(c);
  fclose(err);
}

/* Names whose PascalCase meet: the later one gets a number, and references
   follow it. */
static void test_collisions(void) {
  static const char text[] =
      "stack s { region = \"ap-northeast-1\" }\n"
      "param main_vpc : string = \"x\"\n"
      "vpc main { cidr = 10.0.0.0/16 }\n"
      "subnet a_b { vpc = main  cidr = 10.0.0.0/24  az = \"ap-northeast-1a\" }\n"
      "subnet a__b { vpc = main  cidr = 10.0.1.0/24  az = \"ap-northeast-1c\" }\n"
      "subnet route1 { vpc = main  cidr = 10.0.2.0/24  az = \"ap-northeast-1a\" }\n"
      "internet_gateway igw { vpc = main }\n"
      "route_table rt { vpc = main  subnets = [route1, a__b, route1]\n  route 0.0.0.0/0 -> igw\n}\n"
      "output a_b = a__b.id\noutput a__b = a_b.id\n";
  Compilation *c = compile(text, NULL, 0);
  IrStack *ir = lower_program(c);
  CHECK(!strcmp(ir->params[0]->logical_id, "MainVpc"));
  CHECK(lower_find(ir, "MainVpc2") && !strcmp(lower_find(ir, "MainVpc2")->type, "AWS::EC2::VPC"));
  CHECK(lower_find(ir, "ABSubnet") && !strcmp(lower_find(ir, "ABSubnet")->decl->name, "a_b"));
  CHECK(lower_find(ir, "ABSubnet2") && !strcmp(lower_find(ir, "ABSubnet2")->decl->name, "a__b"));
  CHECK(!strcmp(lower_find(ir, "RtRouteTableRoute1")->type, "AWS::EC2::Route"));
  CHECK(!strcmp(lower_find(ir, "RtRouteTableRoute12")->type,
                "AWS::EC2::SubnetRouteTableAssociation"));
  int assoc = 0; /* route1 listed twice is associated once */
  for (int i = 0; i < ir->nres; i++)
    assoc += !strcmp(ir->res[i]->type, "AWS::EC2::SubnetRouteTableAssociation");
  CHECK(assoc == 2);
  CHECK(ir->noutputs == 2 && !strcmp(ir->outputs[1]->logical_id, "AB2"));
  CHECK(!strcmp(ir->outputs[0]->value->s, "ABSubnet2")); /* a__b.id */
  const IrValue *vpc = lower_find(ir, "ABSubnet")->props->items[0];
  CHECK(vpc->k == IV_REF && !strcmp(vpc->s, "MainVpc2"));
  compile_free(c);
}

/* Instances that read one SSM path share one parameter. */
static void test_ssm_shared(void) {
  static const char text[] =
      "stack s { region = \"ap-northeast-1\" }\n"
      "vpc main { cidr = 10.0.0.0/16 }\n"
      "subnet a { vpc = main  cidr = 10.0.0.0/24  az = \"ap-northeast-1a\" }\n"
      "instance one { subnet = a  type = \"t3.micro\"  image = ssm(\"/ami\") }\n"
      "instance two { subnet = a  type = \"t3.micro\"  image = ssm(\"/ami\") }\n"
      "instance three { subnet = a  type = \"t3.micro\"  image = ssm(\"/other\") }\n";
  Compilation *c = compile(text, NULL, 0);
  IrStack *ir = lower_program(c);
  CHECK(ir->nparams == 2 && !strcmp(ir->params[0]->logical_id, "OneImage") &&
        !strcmp(ir->params[1]->logical_id, "ThreeImage"));
  CHECK(!strcmp(ir->params[0]->ssm, "/ami") && !strcmp(ir->params[0]->def, "/ami"));
  const IrValue *image = lower_find(ir, "TwoInstance")->props->items[0];
  CHECK(image->k == IV_REF && !strcmp(image->s, "OneImage"));
  compile_free(c);
}

static void test_render(void) {
  cJSON *t = cJSON_CreateObject();
  cJSON_AddStringToObject(t, "A", "q\"b\\n\n\x01");
  cJSON *r = cJSON_AddObjectToObject(t, "Resources");
  cJSON *x = cJSON_AddObjectToObject(r, "X");
  cJSON *p = cJSON_AddObjectToObject(x, "Properties");
  cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "VpcId"), "Ref", "MainVpc");
  cJSON_AddArrayToObject(p, "Empty");
  cJSON_AddNumberToObject(p, "Port", 443);
  char *s = cfn_json_render(t);
  CHECK(!strcmp(s, "{\n"
                   "  \"A\": \"q\\\"b\\\\n\\n\\u0001\",\n"
                   "  \"Resources\": {\n"
                   "    \"X\": {\n"
                   "      \"Properties\": {\n"
                   "        \"VpcId\": {\"Ref\": \"MainVpc\"},\n"
                   "        \"Empty\": [],\n"
                   "        \"Port\": 443\n"
                   "      }\n"
                   "    }\n"
                   "  }\n"
                   "}\n"));
  free(s);
  cJSON_Delete(t);
}

/* cfn_json_render_ir(ir) against cfn_json_render(cfn_template(ir)); what
   names the graph when they differ. */
static void same_text(const IrStack *ir, const char *what) {
  cJSON *t = cfn_template(ir);
  char *want = cfn_json_render(t), *got = cfn_json_render_ir(ir);
  CHECK(want && got);
  if (want && got && strcmp(want, got)) {
    size_t i = 0;
    while (want[i] == got[i])
      i++;
    size_t from = i > 60 ? i - 60 : 0;
    fprintf(stderr, "%s: the IR's text differs at byte %zu\n--- tree\n%.120s\n--- ir\n%.120s\n",
            what, i, want + from, got + from);
  }
  CHECK(want && got && !strcmp(want, got));
  free(want);
  free(got);
  cJSON_Delete(t);
}

static void same_text_of(const char *what, const char *text, size_t len) {
  Compilation *c = compile_new();
  compile_add_source(c, what, text, len);
  compile_run(c);
  CHECK(c->nerrors == 0);
  if (!c->nerrors)
    same_text(lower_program(c), what);
  compile_free(c);
}

/* The examples, and a generated stack of every kind bench/gen writes. */
static void test_render_ir_stacks(void) {
  glob_t g;
  CHECK(glob("examples/*.infra", 0, NULL, &g) == 0 && g.gl_pathc >= 4);
  for (size_t i = 0; i < g.gl_pathc; i++) {
    Compilation *c = compile_new();
    CHECK(compile_add_paths(c, &g.gl_pathv[i], 1));
    compile_run(c);
    CHECK(c->nerrors == 0);
    if (!c->nerrors)
      same_text(lower_program(c), g.gl_pathv[i]);
    compile_free(c);
  }
  globfree(&g);
  FILE *gen = popen("bench/gen 300", "r");
  CHECK(gen != NULL);
  if (!gen)
    return;
  char *text = NULL;
  size_t len = 0, cap = 0, n;
  do {
    if (len + 65536 > cap && !(text = realloc(text, cap = cap * 2 + 65536)))
      abort();
    n = fread(text + len, 1, cap - len, gen);
    len += n;
  } while (n);
  CHECK(pclose(gen) == 0 && len > 10000);
  same_text_of("bench-300.infra", text, len);
  free(text);
}

/* ---- random resource graphs ---- */

static uint32_t rng = 2463534242u;
static uint32_t next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}
#define PICK(v) ((v)[next_rand() % countof(v)])

/* Half the graphs have short strings, so that deep values still fit on
   one line; the others lengths about WIDTH, so that one-line forms
   sometimes fit and sometimes not. Characters that are escaped. */
static bool short_strings;

static const char *random_string(Arena *a) {
  static const int lens[] = {0, 1, 8, 20, 40, 60, 75, 85, 95, 110};
  static const char chars[] = "aZ09 :.-${}\"\\\n\t\x01\xc3\xa9";
  int n = short_strings ? (int)(next_rand() % 4) : PICK(lens) + (int)(next_rand() % 8);
  char *s = arena_alloc(a, (size_t)n + 1);
  for (int i = 0; i < n; i++)
    s[i] = chars[next_rand() % (sizeof chars - 1)];
  return s;
}

/* Keys that change the layout (Properties, intrinsic functions' keys) among
   plain ones. */
static const char *random_key(Arena *a) {
  static const char *const keys[] = {"Properties", "Ref",        "Fn::If", "Fn::", "Key", "Value",
                                     "Tags",       "Fn::GetAtt", "Refs",   "",     NULL};
  const char *k = PICK(keys);
  return k ? k : random_string(a);
}

static IrValue *random_value(Arena *a, int depth);

static IrValue *random_of(Arena *a, int depth, IrValueKind k) {
  static const int64_t ints[] = {
      0, -1, 443, 65535, -4611686018427387904LL, 9007199254740993LL, 123456789012345LL};
  IrValue *v = arena_alloc(a, sizeof *v);
  v->k = k;
  v->s = random_string(a);
  v->attr = random_string(a);
  v->i = v->k == IV_BOOL ? next_rand() % 2 : PICK(ints);
  if (v->k == IV_LIST || v->k == IV_MAP)
    v->n = (int)(next_rand() % 4);
  else if (v->k == IV_BASE64 || v->k == IV_JOIN)
    v->n = 1;
  v->items = arena_alloc(a, sizeof *v->items * (size_t)(v->n + 1));
  v->keys = arena_alloc(a, sizeof *v->keys * (size_t)(v->n + 1));
  for (int i = 0; i < v->n; i++) {
    v->items[i] = random_value(a, depth + 1);
    v->keys[i] = random_key(a);
  }
  return v;
}

/* Every kind; containers and the intrinsics that hold a value (Fn::Base64,
   Fn::Join) as often as the rest, for the nestings that flat() limits. */
static IrValue *random_value(Arena *a, int depth) {
  static const IrValueKind kinds[] = {IV_STR,  IV_INT,    IV_BOOL, IV_LIST,   IV_MAP,
                                      IV_REF,  IV_GETATT, IV_SUB,  IV_BASE64, IV_BASE64,
                                      IV_JOIN, IV_JOIN,   IV_LIST, IV_MAP};
  return random_of(a, depth, depth > 7 ? (IrValueKind)(next_rand() % 3) : PICK(kinds));
}

static const char **random_strings(Arena *a, int n) {
  const char **v = arena_alloc(a, sizeof *v * (size_t)(n + 1));
  for (int i = 0; i < n; i++)
    v[i] = random_string(a);
  return v;
}

static IrStack *random_stack(Arena *a) {
  short_strings = next_rand() % 2;
  IrStack *ir = arena_alloc(a, sizeof *ir);
  ir->description = next_rand() % 2 ? random_string(a) : NULL;
  ir->nparams = (int)(next_rand() % 3);
  ir->params = arena_alloc(a, sizeof *ir->params * (size_t)(ir->nparams + 1));
  for (int i = 0; i < ir->nparams; i++) {
    IrParam *p = ir->params[i] = arena_alloc(a, sizeof *p);
    p->logical_id = random_string(a);
    p->type = random_string(a);
    p->secret = next_rand() % 3 == 0;
    p->def = next_rand() % 2 ? random_string(a) : NULL;
    p->ssm = next_rand() % 3 == 0 ? random_string(a) : NULL;
    p->nallowed = (int)(next_rand() % 4);
    p->allowed = random_strings(a, p->nallowed);
  }
  ir->nres = (int)(next_rand() % 4);
  ir->res = arena_alloc(a, sizeof *ir->res * (size_t)(ir->nres + 1));
  for (int i = 0; i < ir->nres; i++) {
    IrResource *r = ir->res[i] = arena_alloc(a, sizeof *r);
    r->logical_id = random_string(a);
    r->type = random_string(a);
    r->ndepends = (int)(next_rand() % 4);
    r->depends_on = random_strings(a, r->ndepends);
    r->deletion_policy = next_rand() % 3 == 0 ? random_string(a) : NULL;
    r->props = next_rand() % 4 ? random_of(a, 0, IV_MAP) : NULL;
  }
  ir->noutputs = (int)(next_rand() % 3);
  ir->outputs = arena_alloc(a, sizeof *ir->outputs * (size_t)(ir->noutputs + 1));
  for (int i = 0; i < ir->noutputs; i++) {
    IrOutput *o = ir->outputs[i] = arena_alloc(a, sizeof *o);
    o->logical_id = random_string(a);
    o->value = random_value(a, 2);
  }
  return ir;
}

enum { ROUNDS = 5000 };

static void test_render_ir_random(void) {
  for (int i = 0; i < ROUNDS; i++) {
    Arena a = {0};
    char what[32];
    snprintf(what, sizeof what, "random graph %d", i);
    same_text(random_stack(&a), what);
    arena_free(&a);
  }
}

int main(void) {
  test_logical_ids();
  test_lower();
  test_params();
  test_collisions();
  test_ssm_shared();
  test_render();
  test_render_ir_stacks();
  test_render_ir_random();
  printf("test_cfn: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
