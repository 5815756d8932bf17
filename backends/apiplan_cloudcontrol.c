/* apiplan_cloudcontrol.c: every type without a native row goes through the
   AWS Cloud Control API: CreateResource with the desired state,
   UpdateResource with an RFC 6902 JSON Patch of the changed properties,
   DeleteResource; each request followed by GetResourceRequestStatus until
   it succeeds. The resource is named by its primary identifier (the
   registry schema's), captured as NAME.id once the create has succeeded;
   Ref of it stands for that identifier. Replacement comes from the
   schema's create-only properties, as for every type (diff.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiplan_int.h"
#include "awstypes.h"
#include "planvalue.h"

/* The request's token, captured as NAME.WHAT_request, and the steps that
   wait for it: a GetResourceRequestStatus that waits until the request
   succeeds, and when identifier, one more that reads the identifier the
   finished request reports. */
static void await(Plan *p, cJSON *request_step, const char *what, bool identifier) {
  char cap[64], name[320];
  snprintf(cap, sizeof cap, "%s_request", what);
  capture(p, request_step, cap, "ProgressEvent.RequestToken");
  snprintf(name, sizeof name, "%s.%s", rname(p, p->logical), cap);
  for (int i = 0; i < 1 + identifier; i++) {
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "RequestToken", pv_capture(name));
    cJSON *s = new_step(p, "cloudcontrol", "GetResourceRequestStatus", params);
    if (i == 0)
      wait_for(s, "resource_request_success");
    else
      capture(p, s, "id", "ProgressEvent.Identifier");
  }
}

static cJSON *typed(Plan *p) {
  cJSON *params = cJSON_CreateObject();
  cJSON_AddStringToObject(params, "TypeName", p->type);
  return params;
}

static void add_attr(cJSON *attrs, const char *name) {
  for (const cJSON *a = attrs->child; a; a = a->next)
    if (!strcmp(a->valuestring, name))
      return;
  cJSON_AddItemToArray(attrs, cJSON_CreateString(name));
}

/* Adds to attrs (names, once) every attribute of logical that v reads:
   Fn::GetAtt [logical, A], in the parts of an interpolated string too. */
static void attrs_read(const cJSON *v, const char *logical, cJSON *attrs) {
  const cJSON *f = cJSON_IsObject(v) && v->child && !v->child->next ? v->child : NULL;
  if (f && !strcmp(f->string, "Fn::GetAtt") && cJSON_GetArraySize(f) == 2 &&
      cJSON_IsString(f->child) && cJSON_IsString(f->child->next)) {
    if (!strcmp(f->child->valuestring, logical))
      add_attr(attrs, f->child->next->valuestring);
    return;
  }
  for (const cJSON *c = cJSON_IsObject(v) || cJSON_IsArray(v) ? v->child : NULL; c; c = c->next)
    attrs_read(c, logical, attrs);
}

void cc_create(Plan *p, const cJSON *props) {
  cJSON *params = typed(p);
  cJSON *none = props ? NULL : cJSON_CreateObject();
  cJSON_AddItemToObject(params, "DesiredState", json_text(p, props ? props : none));
  cJSON_Delete(none);
  await(p, new_step(p, "cloudcontrol", "CreateResource", params), "create", true);
  /* the attributes the stack reads, from the properties GetResource returns */
  cJSON *attrs = cJSON_CreateArray();
  attrs_read(cJSON_GetObjectItemCaseSensitive(p->tmpl, "Resources"), p->logical, attrs);
  const AwsType *t = aws_type_find(p->type);
  cJSON *read = NULL;
  for (const cJSON *a = attrs->child; a; a = a->next) {
    if (t && t->primary_id && t->primary_id[0] && !t->primary_id[1] &&
        !strcmp(t->primary_id[0], a->valuestring))
      continue; /* the identifier, captured already */
    if (!read) {
      cJSON *get = typed(p);
      char id[320];
      snprintf(id, sizeof id, "%s.id", rname(p, p->logical));
      cJSON_AddItemToObject(get, "Identifier", pv_capture(id));
      read = new_step(p, "cloudcontrol", "GetResource", get);
    }
    char path[300], *name = snake(a->valuestring);
    snprintf(path, sizeof path, "ResourceDescription.Properties#/%s", a->valuestring);
    for (char *c = strchr(path, '#'); c && (c = strchr(c, '.'));)
      *c = '/'; /* Endpoint.Address: /Endpoint/Address */
    capture(p, read, name, path);
    free(name);
  }
  cJSON_Delete(attrs);
}

/* One operation per changed top-level property: add, replace or remove. */
void cc_update(Plan *p, const DiffResource *r, const cJSON *props) {
  cJSON *patch = cJSON_CreateArray();
  for (int i = 0; i < r->nprops; i++) {
    const DiffProp *dp = &r->props[i];
    const cJSON *now = prop(props, dp->path);
    cJSON *op = cJSON_CreateObject();
    cJSON_AddStringToObject(op, "op", !now ? "remove" : dp->old ? "replace" : "add");
    char path[512];
    snprintf(path, sizeof path, "/%s", dp->path);
    cJSON_AddStringToObject(op, "path", path);
    if (now)
      cJSON_AddItemToObject(op, "value", cJSON_Duplicate(now, true));
    cJSON_AddItemToArray(patch, op);
  }
  cJSON *params = typed(p);
  cJSON_AddItemToObject(params, "Identifier", placeholder(p, p->logical, "id"));
  cJSON_AddItemToObject(params, "PatchDocument", json_text(p, patch));
  cJSON_Delete(patch);
  await(p, new_step(p, "cloudcontrol", "UpdateResource", params), "update", false);
}

void cc_delete(Plan *p, const cJSON *props) {
  (void)props;
  cJSON *params = typed(p);
  cJSON_AddItemToObject(params, "Identifier", placeholder(p, p->logical, "id"));
  await(p, new_step(p, "cloudcontrol", "DeleteResource", params), "delete", false);
}
