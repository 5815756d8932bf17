/* test_cfn_parts.c: interpolated strings as parts (cfn_parts.h): Fn::Sub
   read into parts at load (${!Literal}, pseudo parameters, GetAtts with
   dotted attributes, a variable map), parts written back as the same
   Fn::Sub, and the IR's IV_SUB as Fn::Sub text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn_parts.h"

#include "check.h"

static cJSON *json(const char *text) {
  cJSON *v = cJSON_Parse(text);
  if (!v) {
    fprintf(stderr, "bad JSON in the test: %s\n", text);
    exit(2);
  }
  return v;
}

/* Is v, printed without spaces, want? Deletes v. */
static int is(cJSON *v, const char *want) {
  char *got = v ? cJSON_PrintUnformatted(v) : NULL;
  int ok = got && !strcmp(got, want);
  if (!ok) fprintf(stderr, "  got  %s\n  want %s\n", got ? got : "NULL", want);
  free(got);
  cJSON_Delete(v);
  return ok;
}

/* Fn::Sub's argument (JSON) as parts. */
static int parts_of(const char *arg, const char *want) {
  cJSON *a = json(arg);
  int ok = is(cfn_parts_from_sub(a), want);
  cJSON_Delete(a);
  return ok;
}

/* Fn::Sub's argument read into parts and written back: the same. */
static int round_trip(const char *arg) {
  cJSON *a = json(arg), *p = cfn_parts_from_sub(a);
  cJSON *sub = p ? cfn_parts_to_sub(p) : NULL;
  int ok = sub && cJSON_Compare(cJSON_GetObjectItemCaseSensitive(sub, "Fn::Sub"), a, true);
  if (!ok) fprintf(stderr, "  not the same back: %s\n", arg);
  cJSON_Delete(a);
  cJSON_Delete(p);
  cJSON_Delete(sub);
  return ok;
}

/* The parts of a text written into Fn::Sub and read back: the same parts. */
static int back(const char *parts) {
  cJSON *p = json(parts), *sub = cfn_parts_to_sub(p);
  cJSON *again = cfn_parts_from_sub(cJSON_GetObjectItemCaseSensitive(sub, "Fn::Sub"));
  int ok = cJSON_Compare(p, again, true);
  if (!ok) fprintf(stderr, "  not the same parts back: %s\n", parts);
  cJSON_Delete(p);
  cJSON_Delete(sub);
  cJSON_Delete(again);
  return ok;
}

/* The kinds of the parts, as "T", "R", "G", "V". */
static const char *kinds(const cJSON *parts) {
  static char out[64];
  size_t n = 0;
  Part p;
  for (const cJSON *x = cfn_parts_items(parts); x && n + 1 < sizeof out; x = x->next) {
    cfn_part(x, &p);
    out[n++] = "TRGV"[p.k];
  }
  out[n] = '\0';
  return out;
}

int main(void) {
  /* references, pseudo parameters, the escape */
  CHECK(parts_of("\"${ApiRepo.RepositoryUri}:${ImageTag}\"",
                 "{\"$parts\":[{\"Fn::GetAtt\":[\"ApiRepo\",\"RepositoryUri\"]},\":\","
                 "{\"Ref\":\"ImageTag\"}]}"));
  CHECK(parts_of("\"arn:${AWS::Partition}:s3:::b/${AWS::Region}\"",
                 "{\"$parts\":[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":s3:::b/\","
                 "{\"Ref\":\"AWS::Region\"}]}"));
  CHECK(parts_of("\"${Db.Endpoint.Address}\"",
                 "{\"$parts\":[{\"Fn::GetAtt\":[\"Db\",\"Endpoint.Address\"]}]}"));
  CHECK(parts_of("\"a${!Literal}b\"", "{\"$parts\":[\"a${Literal}b\"]}"));
  CHECK(parts_of("\"\"", "{\"$parts\":[]}"));
  /* a variable map: text in place, a Ref and a GetAtt as parts, another
     function as itself; a name not in the map is a reference still */
  CHECK(parts_of("[\"${A}-${B}-${C}-${D}-${E}-${F}\", {\"A\": \"x${y\", \"B\": {\"Ref\": \"P\"},"
                 " \"C\": {\"Fn::GetAtt\": [\"R\", \"Arn\"]}, \"D\": {\"Fn::GetAtt\": \"S.Name\"},"
                 " \"E\": {\"Fn::Join\": [\",\", [\"a\", \"b\"]]}}]",
                 "{\"$parts\":[\"x${y-\",{\"Ref\":\"P\"},\"-\",{\"Fn::GetAtt\":[\"R\",\"Arn\"]},\"-\","
                 "{\"Fn::GetAtt\":[\"S\",\"Name\"]},\"-\",{\"Fn::Join\":[\",\",[\"a\",\"b\"]]},\"-\","
                 "{\"Ref\":\"F\"}]}"));
  /* what is not Fn::Sub's argument */
  const char *bad[] = {"5", "[\"${A}\", 3]", "[\"${A}\"]", "{}", "\"echo ${HOME\""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cJSON *a = json(bad[i]);
    CHECK(!cfn_parts_from_sub(a));
    cJSON_Delete(a);
  }

  /* the walk */
  cJSON *p = json("{\"$parts\":[\"a\",{\"Ref\":\"X\"},{\"Fn::GetAtt\":[\"Y\",\"B.C\"]},"
                  "{\"Fn::Select\":[0,[\"q\"]]}]}");
  CHECK(!strcmp(kinds(p), "TRGV"));
  Part part;
  cfn_part(cfn_parts_items(p)->next->next, &part);
  CHECK(part.k == PART_GETATT && !strcmp(part.s, "Y") && !strcmp(part.attr, "B.C"));
  cJSON_Delete(p);
  cJSON *notparts = json("{\"Fn::Sub\":\"${X}\"}");
  CHECK(!cfn_parts_items(notparts));
  cJSON_Delete(notparts);

  /* written back: the text as it was, ${!X} for literal "${X}" */
  CHECK(round_trip("\"${ApiRepo.RepositoryUri}:${ImageTag}\""));
  CHECK(round_trip("\"a${!Literal}b and ${AWS::Region}\""));
  CHECK(round_trip("\"\""));
  CHECK(round_trip("\"${Db.Endpoint.Address}\""));
  CHECK(back("{\"$parts\":[\"${HOME} and ${!x}\",{\"Ref\":\"AWS::StackName\"}]}"));
  CHECK(back("{\"$parts\":[\"a\",{\"Fn::Join\":[\",\",[\"a\",\"b\"]]},{\"Ref\":\"Part1\"}]}"));
  /* another function is a variable, named apart from the references */
  p = json("{\"$parts\":[{\"Ref\":\"Part1\"},\"-\",{\"Fn::Select\":[0,[\"q\"]]}]}");
  CHECK(is(cfn_parts_to_sub(p), "{\"Fn::Sub\":[\"${Part1}-${Part2}\",{\"Part2\":{\"Fn::Select\":[0,[\"q\"]]}}]}"));
  cJSON_Delete(p);

  /* building: texts merge, parts splice in */
  p = cfn_parts_new();
  cfn_parts_add_text(p, "ab", 1);
  cfn_parts_add_text(p, "bc", 2);
  cfn_parts_add(p, json("{\"$parts\":[\"d\",{\"Ref\":\"X\"},\"e\"]}"));
  cfn_parts_add(p, cJSON_CreateString("f"));
  cfn_parts_add_text(p, "", 0);
  CHECK(is(p, "{\"$parts\":[\"abcd\",{\"Ref\":\"X\"},\"ef\"]}"));

  /* at load: every Fn::Sub, its key kept, nested ones too; others untouched */
  cJSON *t = json("{\"Resources\":{\"R\":{\"Properties\":{\"Image\":{\"Fn::Sub\":\"${Repo.Uri}:x\"},"
                  "\"L\":[{\"Fn::Sub\":[\"${V}\",{\"V\":{\"Fn::Base64\":{\"Fn::Sub\":\"${!a}\"}}}]}],"
                  "\"N\":{\"Fn::Sub\":5},\"S\":\"${X}\"}}}}");
  cfn_parts_load(t);
  CHECK(is(cJSON_Duplicate(t, true),
           "{\"Resources\":{\"R\":{\"Properties\":{\"Image\":{\"$parts\":[{\"Fn::GetAtt\":[\"Repo\",\"Uri\"]},"
           "\":x\"]},\"L\":[{\"$parts\":[{\"Fn::Base64\":{\"$parts\":[\"${a}\"]}}]}],"
           "\"N\":{\"Fn::Sub\":5},\"S\":\"${X}\"}}}}"));
  /* and the printers' copy has them as Fn::Sub again */
  CHECK(is(cfn_parts_printable(t),
           "{\"Resources\":{\"R\":{\"Properties\":{\"Image\":{\"Fn::Sub\":\"${Repo.Uri}:x\"},"
           "\"L\":[{\"Fn::Sub\":[\"${Part1}\",{\"Part1\":{\"Fn::Base64\":{\"Fn::Sub\":\"${!a}\"}}}]}],"
           "\"N\":{\"Fn::Sub\":5},\"S\":\"${X}\"}}}}"));
  cJSON_Delete(t);
  t = json("{\"a\":[1,{\"Ref\":\"X\"}]}");
  CHECK(!cfn_parts_printable(t));
  cJSON_Delete(t);
  t = json("{\"$parts\":[\"a\"]}");
  CHECK(is(cfn_parts_printable(t), "{\"Fn::Sub\":\"a\"}"));
  cJSON_Delete(t);

  /* the IR's IV_SUB as Fn::Sub text */
  IrValue text = {.k = IV_STR, .s = "arn:${x}:"}, pseudo = {.k = IV_REF, .s = "AWS::Partition"};
  IrValue ga = {.k = IV_GETATT, .s = "Db", .attr = "Endpoint.Address"};
  IrValue *items[] = {&text, &pseudo, &ga};
  IrValue sub = {.k = IV_SUB, .items = items, .n = 3};
  char *s = cfn_parts_ir_text(&sub);
  CHECK(!strcmp(s, "arn:${!x}:${AWS::Partition}${Db.Endpoint.Address}"));
  free(s);

  printf("test_cfn_parts: %d checks, %d failures\n", checks, failures);
  return failures != 0;
}
