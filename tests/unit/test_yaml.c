/* test_yaml.c: cfn_yaml_render. Every tree reads back equal through
   cfn_load; golden renderings for the hand-written look. With a file
   argument, renders that JSON template to stdout (tests/suites/yaml.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_load.h"
#include "cfn_parts.h"
#include "cfn_yaml.h"

#include "check.h"

/* json rendered, then read back: the same data. Returns the YAML. */
static char *roundtrip_at(const char *json, int line) {
  cJSON *t = cJSON_Parse(json);
  if (!t) {
    fprintf(stderr, "%s:%d: bad JSON in the test\n", __FILE__, line);
    failures++;
    return NULL;
  }
  char *yaml = cfn_yaml_render(t), err[256] = "";
  cJSON *back = yaml ? cfn_load_text(yaml, strlen(yaml), err, sizeof err) : NULL;
  cfn_parts_load(t); /* what the JSON, loaded, is: its Fn::Sub as parts */
  checks++;
  if (!back || !cJSON_Compare(t, back, 1)) {
    failures++;
    char *got = back ? cJSON_PrintUnformatted(back) : NULL;
    fprintf(stderr, "%s:%d: round trip failed %s\n--- json\n%s\n--- yaml\n%s--- read back\n%s\n",
            __FILE__, line, err, json, yaml ? yaml : "(NULL)\n", got ? got : "(NULL)");
    free(got);
  }
  cJSON_Delete(t);
  cJSON_Delete(back);
  return yaml;
}
#define roundtrip(json) free(roundtrip_at(json, __LINE__))

/* json renders exactly as want (and reads back). */
static void golden_at(const char *json, const char *want, int line) {
  char *yaml = roundtrip_at(json, line);
  checks++;
  if (!yaml || strcmp(yaml, want)) {
    failures++;
    fprintf(stderr, "%s:%d: rendering differs\n--- want\n%s--- got\n%s", __FILE__, line, want,
            yaml ? yaml : "(NULL)\n");
  }
  free(yaml);
}
#define golden(json, want) golden_at(json, want, __LINE__)

static void test_golden(void) {
  golden("{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"Web\": {"
         "\"Type\": \"AWS::EC2::Instance\", \"Properties\": {"
         "\"SubnetId\": {\"Ref\": \"PublicASubnet\"},"
         "\"AvailabilityZone\": {\"Fn::Select\": [0, {\"Fn::GetAZs\": \"\"}]},"
         "\"SecurityGroupIds\": [{\"Fn::GetAtt\": [\"WebSg\", \"GroupId\"]}],"
         "\"UserData\": {\"Fn::Base64\": {\"Fn::Sub\": \"#!/bin/bash\\necho ${AWS::Region}\\n\"}},"
         "\"Tags\": [{\"Key\": \"Name\", \"Value\": {\"Fn::Sub\": \"${AWS::StackName}-web\"}}]"
         "}}}}",
         "AWSTemplateFormatVersion: '2010-09-09'\n"
         "Resources:\n"
         "  Web:\n"
         "    Type: AWS::EC2::Instance\n"
         "    Properties:\n"
         "      SubnetId: !Ref PublicASubnet\n"
         "      AvailabilityZone: !Select [0, !GetAZs '']\n"
         "      SecurityGroupIds:\n"
         "      - !GetAtt WebSg.GroupId\n"
         "      UserData:\n"
         "        Fn::Base64: !Sub |\n"
         "          #!/bin/bash\n"
         "          echo ${AWS::Region}\n"
         "      Tags:\n"
         "      - Key: Name\n"
         "        Value: !Sub ${AWS::StackName}-web\n");
  /* Conditions: !Condition only among the arguments of And/Or/Not/If. */
  golden("{\"Conditions\": {\"IsProd\": {\"Fn::Equals\": [{\"Ref\": \"Env\"}, \"prod\"]},"
         "\"IsDev\": {\"Fn::Not\": [{\"Condition\": \"IsProd\"}]}},"
         "\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Condition\": \"IsDev\","
         "\"Properties\": {\"DelaySeconds\": {\"Fn::If\": [\"IsProd\", 5, {\"Ref\": "
         "\"AWS::NoValue\"}]}}}}}",
         "Conditions:\n"
         "  IsProd: !Equals [!Ref Env, prod]\n"
         "  IsDev: !Not [!Condition IsProd]\n"
         "Resources:\n"
         "  Q:\n"
         "    Type: AWS::SQS::Queue\n"
         "    Condition: IsDev\n"
         "    Properties:\n"
         "      DelaySeconds: !If [IsProd, 5, !Ref 'AWS::NoValue']\n");
  /* A one-key map that is not a function stays a map; a long list goes in block. */
  golden("{\"Condition\": {\"Condition\": \"X\"}, \"L\": {\"Fn::Join\": [\",\", [\"aaaaaaaaaaaaaaaa\", "
         "\"bbbbbbbbbbbbbbbbbbbb\", \"cccccccccccccccccccccccc\"]]}, \"M\": {\"Fn::\": 1}}",
         "Condition:\n"
         "  Condition: X\n"
         "L: !Join\n"
         "- ','\n"
         "- - aaaaaaaaaaaaaaaa\n"
         "  - bbbbbbbbbbbbbbbbbbbb\n"
         "  - cccccccccccccccccccccccc\n"
         "M:\n"
         "  'Fn::': 1\n");
  golden("{}", "{}\n");
}

static void test_intrinsics(void) {
  roundtrip("{\"Resources\": {\"A\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {"
            "\"Ref\": {\"Ref\": \"AWS::Region\"},"
            "\"GetAtt\": {\"Fn::GetAtt\": [\"Db\", \"Endpoint.Address\"]},"
            "\"GetAttDotted\": {\"Fn::GetAtt\": [\"A.B\", \"C\"]},"
            "\"GetAttRef\": {\"Fn::GetAtt\": [\"Role\", {\"Ref\": \"AttrName\"}]},"
            "\"Sub\": {\"Fn::Sub\": \"arn:aws:s3:::${Bucket}/*\"},"
            "\"SubList\": {\"Fn::Sub\": [\"${AWS::Region}${Az}\", {\"Az\": {\"Fn::Select\": [0, "
            "{\"Fn::FindInMap\": [\"Env\", {\"Ref\": \"Env\"}, \"Azs\"]}]}}]},"
            "\"Base64\": {\"Fn::Base64\": {\"Fn::Join\": [\"\", [\"a\", {\"Ref\": \"B\"}]]}},"
            "\"Base64Str\": {\"Fn::Base64\": \"plain\"},"
            "\"Join\": {\"Fn::Join\": [\"-\", [{\"Ref\": \"AWS::StackName\"}, \"a\"]]},"
            "\"JoinEmpty\": {\"Fn::Join\": [\"\", []]},"
            "\"Select\": {\"Fn::Select\": [\"1\", {\"Fn::GetAZs\": {\"Ref\": \"AWS::Region\"}}]},"
            "\"GetAZs\": {\"Fn::GetAZs\": {\"Ref\": \"AWS::Region\"}},"
            "\"If\": {\"Fn::If\": [\"IsProd\", {\"Key\": \"Tier\", \"Value\": \"prod\"}, "
            "{\"Ref\": \"AWS::NoValue\"}]},"
            "\"Import\": {\"Fn::ImportValue\": {\"Fn::Sub\": \"${Env}-vpc\"}},"
            "\"ImportStr\": {\"Fn::ImportValue\": \"shared-vpc\"},"
            "\"Split\": {\"Fn::Select\": [2, {\"Fn::Split\": [\",\", \"a,b,c\"]}]},"
            "\"Cidr\": {\"Fn::Cidr\": [{\"Fn::GetAtt\": [\"Vpc\", \"CidrBlock\"]}, 6, 8]},"
            "\"Transform\": {\"Fn::Transform\": {\"Name\": \"AWS::Include\", \"Parameters\": "
            "{\"Location\": \"s3://b/k\"}}},"
            "\"Bool\": {\"Fn::And\": [{\"Fn::Equals\": [\"a\", {\"Ref\": \"X\"}]}, "
            "{\"Fn::Or\": [{\"Condition\": \"C1\"}, {\"Fn::Not\": [{\"Condition\": \"C2\"}]}]}]}"
            "}}}}");
  /* Functions whose argument is a function, in block and flow position. */
  roundtrip("{\"A\": {\"Fn::Base64\": {\"Fn::Sub\": \"x\"}}, \"B\": [{\"Ref\": {\"Ref\": \"Y\"}}],"
            "\"C\": {\"Fn::Select\": [0, {\"Fn::GetAZs\": {\"Ref\": \"AWS::Region\"}}]},"
            "\"D\": {\"Fn::Not\": [{\"Condition\": {\"Ref\": \"Z\"}}]}}");
  /* Parts (cfn_parts.h) are written as !Sub and read back as the same parts;
     a part that is another function as a variable of !Sub. */
  char *y = roundtrip_at("{\"Image\": {\"$parts\": [{\"Fn::GetAtt\": [\"Repo\", \"Uri\"]}, \":\","
                         " {\"Ref\": \"Tag\"}, \" ${HOME}\"]}, \"Az\": {\"$parts\": [\"in \","
                         " {\"Fn::Select\": [0, {\"Fn::GetAZs\": \"\"}]}]}}", __LINE__);
  CHECK(y && strstr(y, "Image: !Sub ${Repo.Uri}:${Tag} ${!HOME}\n") && strstr(y, "Part1"));
  free(y);
  /* Non-string arguments under a tag; a tagged empty map. */
  roundtrip("{\"A\": {\"Ref\": 5}, \"B\": {\"Fn::Base64\": true}, \"C\": {\"Fn::Base64\": null},"
            "\"D\": {\"Fn::Transform\": {}}, \"E\": {\"Fn::GetAtt\": [\"A\", \"B\", \"C\"]},"
            "\"F\": {\"Fn::GetAtt\": \"A.B\"}, \"G\": {\"Ref\": \"400\"}, \"H\": {\"Ref\": \"\"}}");
}

static void test_strings(void) {
  /* Plain for a YAML reader would be another type, or not parse. */
  static const char *const ambiguous[] = {
      "400", "16", "-1", "+1", "0.5", ".5", "1.", "1e3", "1E3", "1_000", "0x1F", "0o17", "017",
      "0b101", "10:30", "190:20:30", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "true",
      "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "", ".inf",
      "-.Inf", ".NaN", "<<", "=", " lead", "trail ", "*star", "&amp", "!bang", "%pct", "@at",
      "`tick", "-dash", "- dash", "?q", "? q", ":colon", "{brace", "[bracket", "}", "]",
      "'single", "\"double", "#hash", "|pipe", ">gt", "a: b", "a #b", "a:", "a,b", "10.0.0.1",
      "1.2.3", "-", "--- ", "...", "\\", "tab\there", "cr\rlf", "nul\x01"};
  for (size_t i = 0; i < sizeof ambiguous / sizeof *ambiguous; i++) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "Value", ambiguous[i]);
    cJSON_AddStringToObject(t, ambiguous[i][0] ? ambiguous[i] : "k", ambiguous[i]);
    cJSON *list = cJSON_AddArrayToObject(t, "List");
    cJSON_AddItemToArray(list, cJSON_CreateString(ambiguous[i]));
    cJSON *sel = cJSON_AddObjectToObject(t, "Select");
    cJSON *args = cJSON_AddArrayToObject(sel, "Fn::Select");
    cJSON_AddItemToArray(args, cJSON_CreateNumber(0));
    cJSON_AddItemToArray(args, cJSON_CreateString(ambiguous[i]));
    cJSON *ref = cJSON_AddObjectToObject(t, "Ref");
    cJSON_AddStringToObject(ref, "Ref", ambiguous[i]);
    char *json = cJSON_PrintUnformatted(t);
    roundtrip(json);
    free(json);
    cJSON_Delete(t);
  }
  golden("{\"Port\": \"80\", \"Enabled\": \"true\", \"Cidr\": \"10.0.0.0/16\", \"Empty\": \"\"}",
         "Port: '80'\nEnabled: 'true'\nCidr: 10.0.0.0/16\nEmpty: ''\n");
}

static void test_multiline(void) {
  static const char *const scripts[] = {
      "#!/bin/bash\\nyum -y install httpd\\n",
      "no trailing newline\\nsecond",
      "two trailing\\n\\n",
      "  indented first line\\nx\\n",
      "\\nstarts with a newline\\n",
      "blank\\n\\nlines\\n\\n\\ninside\\n",
      "trailing space \\nx\\n",
      "tab\\tinside\\n",
      "crlf\\r\\nline\\r\\n",
      "a: b\\n# not a comment\\n- not a list\\n",
      "unicode \\u00e9\\u6771\\u4eac\\n\\ud83d\\ude00\\n",
      "line\\u2028separator\\u0085nel\\n",
  };
  for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"UserData\": {\"Fn::Base64\": {\"Fn::Sub\": \"%s\"}}, \"Plain\": \"%s\","
             "\"InList\": [\"%s\", {\"Fn::Join\": [\"\", [\"%s\"]]}]}",
             scripts[i], scripts[i], scripts[i], scripts[i]);
    roundtrip(json);
  }
  golden("{\"S\": \"a\\n  b\\n\", \"T\": \"x\\ny\"}", "S: |\n  a\n    b\nT: |-\n  x\n  y\n");
}

static void test_values(void) {
  roundtrip("{\"Numbers\": [0, -1, 3.5, 0.1, 1e20, -2.5e-7, 123456789012345678, 65535, 1e15, "
            "1.7976931348623157e308], \"Bools\": [true, false], \"Null\": null,"
            "\"Empty\": {\"Map\": {}, \"List\": [], \"Nested\": [[], {}, [[]]]},"
            "\"Unicode\": {\"\\u6771\\u4eac\": \"\\u00e9t\\u00e9 \\ud83d\\ude00 \\ufeffbom\"},"
            "\"\": \"empty key\", \"80\": \"number key\", \"a: b\": \"colon key\","
            "\"Deep\": [[[[{\"a\": [[{\"b\": {\"c\": [1]}}]]}]]]]}");
  golden("{\"V\": [7, 2.5, 1e20, true, null]}", "V:\n- 7\n- 2.5\n- 1.0e+20\n- true\n- null\n");
}

/* cfn_load reads what people write by hand as cfn-lint does. */
static void test_load(void) {
  static const struct {
    const char *yaml, *json;
  } cases[] = {
      {"A: !Ref 400\nB: !GetAZs\nC: !Sub true\nD: [!Ref 1, 1]\n",
       "{\"A\": {\"Ref\": \"400\"}, \"B\": {\"Fn::GetAZs\": \"\"}, \"C\": {\"Fn::Sub\": "
       "\"true\"}, \"D\": [{\"Ref\": \"1\"}, 1]}"},
      {"{Resources: {A: {Type: 'AWS::SQS::Queue'}}, N: [1, '1']}",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\"}}, \"N\": [1, \"1\"]}"},
      {"X: !GetAtt [A, B]\nY: !Select [0, !GetAZs '']\n",
       "{\"X\": {\"Fn::GetAtt\": [\"A\", \"B\"]}, \"Y\": {\"Fn::Select\": [0, "
       "{\"Fn::GetAZs\": \"\"}]}}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char err[256] = "";
    cJSON *got = cfn_load_text(cases[i].yaml, strlen(cases[i].yaml), err, sizeof err);
    cJSON *want = cJSON_Parse(cases[i].json);
    cfn_parts_load(want); /* !Sub read as Fn::Sub is: its parts */
    CHECK(got && want && cJSON_Compare(got, want, 1));
    if (!got)
      fprintf(stderr, "  case %zu: %s\n", i, err);
    cJSON_Delete(got);
    cJSON_Delete(want);
  }
  char err[256];
  CHECK(!cfn_load_text("{\"a\": 1", 8, err, sizeof err) && strstr(err, "JSON"));
}

/* tests/suites/yaml.sh: test_yaml TEMPLATE.json renders it to stdout. */
static int render_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  char *text = NULL;
  size_t len = 0, n;
  char chunk[4096];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    text = realloc(text, len + n + 1);
    memcpy(text + len, chunk, n);
    len += n;
  }
  fclose(f);
  cJSON *t = text ? cJSON_ParseWithLength(text, len) : NULL;
  char *yaml = t ? cfn_yaml_render(t) : NULL;
  if (yaml)
    fputs(yaml, stdout);
  else
    fprintf(stderr, "%s: cannot render\n", path);
  free(yaml);
  cJSON_Delete(t);
  free(text);
  return !yaml;
}

int main(int argc, char **argv) {
  if (argc == 2)
    return render_file(argv[1]);
  test_golden();
  test_intrinsics();
  test_strings();
  test_multiline();
  test_values();
  test_load();
  printf("test_yaml: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
