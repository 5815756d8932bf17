/* test_kind_writes.c: each kind's list of the properties its lowering
   writes (Schema.writes, E109) against the type table and the kind table:
   every property is one of the main type's, every controlling name is one
   of the kind's attributes or statements (or "-"), and the lowering writes
   no property of the main resource that the list leaves out. */
#include <string.h>

#include "check.h"
#include "infrac.h"
#include "lower.h"

/* Is Property=attr pair `prop` in the kind's list? */
static bool listed(const Schema *s, const char *prop) {
  size_t n = strlen(prop);
  for (const char *p = s->writes; p && *p; p += strcspn(p, " "), p += *p == ' ') {
    if (!strncmp(p, prop, n) && p[n] == '=') return true;
  }
  return false;
}

static void test_list(void) {
  int nkinds;
  const Schema *kinds = kind_all(&nkinds);
  for (int k = 1; k < nkinds; k++) {
    const Schema *s = &kinds[k];
    const AwsType *t = aws_type_find(s->cfn);
    CHECK(t != NULL);
    CHECK(s->writes && *s->writes);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", s->writes ? s->writes : "");
    for (char *item = strtok(buf, " "); item; item = strtok(NULL, " ")) {
      char *eq = strchr(item, '=');
      CHECK(eq != NULL);
      if (!eq || !t) continue;
      *eq = 0;
      const char *ctl = eq + 1;
      bool prop_ok = aws_shape_prop(t->shape, item) != NULL;
      bool ctl_ok = !strcmp(ctl, "-") || kind_attr_index(s, ctl) >= 0 || kind_stmt(s, ctl);
      if (!prop_ok || !ctl_ok) fprintf(stderr, "%s: %s=%s\n", s->name, item, ctl);
      CHECK(prop_ok);
      CHECK(ctl_ok);
    }
  }
}

/* The reference example lowered: its main resources write only listed properties. */
static void test_lowering(void) {
  Compilation *c = compile_new();
  char *paths[] = {"examples/webapp.infra"};
  CHECK(compile_add_paths(c, paths, 1));
  compile_run(c);
  CHECK(c->nerrors == 0);
  IrStack *ir = lower_program(c);
  for (int i = 0; i < ir->nres; i++) {
    const IrResource *r = ir->res[i];
    if (!r->primary || !r->decl->schema) continue;
    for (int j = 0; j < r->props->n; j++) {
      bool ok = listed(r->decl->schema, r->props->keys[j]);
      if (!ok) fprintf(stderr, "%s writes %s, not in its list\n", r->decl->schema->name, r->props->keys[j]);
      CHECK(ok);
    }
  }
  compile_free(c);
}

int main(void) {
  test_list();
  test_lowering();
  printf("test_kind_writes: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
