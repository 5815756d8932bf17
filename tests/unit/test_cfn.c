/* test_cfn.c: lowering and the JSON template: logical IDs, references as Ref,
   Fn::GetAtt and Fn::Sub, folding, --param defaults, secrets kept out, and
   the rendering (escapes, one-line intrinsics). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_json.h"
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
  CHECK(is_str(cJSON_GetObjectItemCaseSensitive(out, "Fn::Sub"),
               "${ApiRepoRepository.RepositoryUri}:${ImageTag} costs $${Count}"));
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

int main(void) {
  test_logical_ids();
  test_lower();
  test_params();
  test_collisions();
  test_ssm_shared();
  test_render();
  printf("test_cfn: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
