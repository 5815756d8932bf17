/* fuzz_check.c: libFuzzer over the whole pipeline of `infrac check` and
   `infrac build`: any input must give diagnostics, never a crash, a leak or
   a hang; an input without errors is also lowered and written as
   CloudFormation JSON (from the tree and straight from the IR, which must
   agree) and YAML, and as the API plan that creates it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "cfn_json.h"
#include "cfn_yaml.h"
#include "infrac.h"
#include "lower.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Compilation *c = compile_new();
  compile_add_source(c, "fuzz.infra", (const char *)data, size);
  compile_run(c);
  free(diag_render_json(c));
  free(diag_render_sarif(c));
  if (!c->nerrors) {
    IrStack *ir = lower_program(c);
    cJSON *t = cfn_template(ir);
    char *json = cfn_json_render(t), *direct = cfn_json_render_ir(ir);
    if (strcmp(json, direct))
      abort();
    free(json);
    free(direct);
    free(cfn_yaml_render(t));
    ApiPlanOptions opt = {.stack = ir->name ? ir->name : "fuzz",
                          .region = ir->region ? ir->region : "ap-northeast-1"};
    cJSON *steps = apiplan_steps(t, NULL, NULL, &opt);
    free(cJSON_PrintUnformatted(steps));
    cJSON_Delete(steps);
    cJSON_Delete(t);
  }
  compile_free(c);
  return 0;
}
