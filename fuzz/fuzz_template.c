/* fuzz_template.c: libFuzzer over what reads a deployed template (`plan
   --against OLD`): the JSON/YAML loader, the diff and its renderings, and
   the API plan of the changes, both written and as apply runs it. The input
   is the new template, or the old one, a NUL byte and the new one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan.h"
#include "cfn_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data, *nul = memchr(text, 0, size);
  char err[256];
  cJSON *old_t = nul ? cfn_load_text(text, (size_t)(nul - text), err, sizeof err) : NULL;
  const char *new_text = nul ? nul + 1 : text;
  cJSON *new_t = cfn_load_text(new_text, size - (size_t)(new_text - text), err, sizeof err);
  if (new_t) {
    Diff *d = diff_templates(old_t, new_t);
    free(diff_render_text(d));
    ApiPlanOptions opt = {.stack = "fuzz", .region = "ap-northeast-1"};
    char *error = NULL;
    JsonOut o = {0};
    apiplan_render(&o, new_t, old_t, d, &opt, NULL, &error);
    free(o.s);
    free(error);
    cJSON_Delete(apiplan_steps(new_t, old_t, old_t ? d : NULL, &opt)); /* what apply runs */
    diff_free(d);
  }
  cJSON_Delete(old_t);
  cJSON_Delete(new_t);
  return 0;
}
