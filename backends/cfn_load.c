/* cfn_load.c: a CloudFormation template, JSON or YAML, as a cJSON tree. The
   YAML short forms become the JSON long forms (!Ref X -> {"Ref": "X"}). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cfn_load.h"

/* Aliases may share a node many times over (a "billion laughs"): a document
   that expands to more than this many values is refused (docs/limits.md). */
enum { MAX_VALUES = 1000000 };

static cJSON *yaml_node_json(yaml_document_t *doc, yaml_node_t *node, int depth, long *left);

/* Plain scalars are typed as YAML 1.1 would; quoted ones stay strings, and
   so do tagged ones (!Ref 400, !GetAZs with nothing after it), as in
   cfn-lint's reader. */
static cJSON *scalar_json(yaml_node_t *node) {
  const char *s = (const char *)node->data.scalar.value;
  size_t n = node->data.scalar.length;
  if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (node->tag && node->tag[0] == '!'))
    return cJSON_CreateString(s);
  if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
    return cJSON_CreateTrue();
  if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
    return cJSON_CreateFalse();
  if (n == 0 || !strcmp(s, "~") || !strcmp(s, "null"))
    return cJSON_CreateNull();
  char *end;
  double d = strtod(s, &end);
  bool numeric = (s[0] >= '0' && s[0] <= '9') || ((s[0] == '-' || s[0] == '.') && n > 1);
  if (numeric && *end == '\0' && !(n > 1 && s[0] == '0' && s[1] != '.'))
    return cJSON_CreateNumber(d);
  return cJSON_CreateString(s);
}

/* !GetAtt A.B in its scalar form is the list [A, B]. */
static cJSON *getatt_json(cJSON *v) {
  if (!cJSON_IsString(v))
    return v;
  const char *s = v->valuestring;
  const char *dot = strchr(s, '.');
  if (!dot)
    return v;
  cJSON *list = cJSON_CreateArray();
  char *first = strndup(s, (size_t)(dot - s));
  cJSON_AddItemToArray(list, cJSON_CreateString(first));
  cJSON_AddItemToArray(list, cJSON_CreateString(dot + 1));
  free(first);
  cJSON_Delete(v);
  return list;
}

static cJSON *tagged(const char *tag, cJSON *v) {
  if (!tag || tag[0] != '!' || !strncmp(tag, "tag:yaml.org", 12))
    return v;
  const char *name = tag + 1;
  cJSON *obj = cJSON_CreateObject();
  if (!strcmp(name, "Ref") || !strcmp(name, "Condition")) {
    cJSON_AddItemToObject(obj, name, v);
    return obj;
  }
  char key[64];
  snprintf(key, sizeof key, "Fn::%s", name);
  cJSON_AddItemToObject(obj, key, !strcmp(name, "GetAtt") ? getatt_json(v) : v);
  return obj;
}

static cJSON *yaml_node_json(yaml_document_t *doc, yaml_node_t *node, int depth, long *left) {
  if (!node || depth > 200 || --*left < 0)
    return cJSON_CreateNull();
  cJSON *v = NULL;
  switch (node->type) {
  case YAML_SCALAR_NODE: v = scalar_json(node); break;
  case YAML_SEQUENCE_NODE:
    v = cJSON_CreateArray();
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++)
      cJSON_AddItemToArray(v, yaml_node_json(doc, yaml_document_get_node(doc, *it), depth + 1, left));
    break;
  case YAML_MAPPING_NODE:
    v = cJSON_CreateObject();
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
      yaml_node_t *k = yaml_document_get_node(doc, p->key);
      const char *key = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
      cJSON_AddItemToObject(v, key, yaml_node_json(doc, yaml_document_get_node(doc, p->value),
                                                   depth + 1, left));
    }
    break;
  default: v = cJSON_CreateNull(); break;
  }
  return tagged((const char *)node->tag, v);
}

static cJSON *load_yaml(const char *text, size_t len, char *err, size_t errlen) {
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    snprintf(err, errlen, "YAML: %s at line %zu", parser.problem ? parser.problem : "bad input",
             parser.problem_mark.line + 1);
    yaml_parser_delete(&parser);
    return NULL;
  }
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  long left = MAX_VALUES;
  cJSON *v = root ? yaml_node_json(&doc, root, 0, &left) : NULL;
  if (!root)
    snprintf(err, errlen, "YAML: the file is empty");
  if (left < 0) {
    snprintf(err, errlen, "YAML: more than %d values once aliases are expanded", MAX_VALUES);
    cJSON_Delete(v);
    v = NULL;
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return v;
}

/* The sections that the diff and the API plan walk as objects must be
   objects: "Properties: [a, b]" is no template. */
static bool shape_ok(const cJSON *t, char *err, size_t errlen) {
  static const char *const sections[] = {"Resources", "Parameters", "Outputs"};
  for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(t, sections[i]);
    if (s && !cJSON_IsObject(s)) {
      snprintf(err, errlen, "not a template: %s is not an object", sections[i]);
      return false;
    }
    for (const cJSON *e = s ? s->child : NULL; e; e = e->next) {
      const cJSON *props = cJSON_GetObjectItemCaseSensitive(e, "Properties");
      if (!cJSON_IsObject(e) || (props && !cJSON_IsObject(props))) {
        snprintf(err, errlen, "not a template: %s.%.100s%s is not an object", sections[i],
                 e->string, cJSON_IsObject(e) ? ".Properties" : "");
        return false;
      }
    }
  }
  return true;
}

cJSON *cfn_load_text(const char *text, size_t len, char *err, size_t errlen) {
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
    i++;
  cJSON *v;
  if (i < len && text[i] == '{') {
    const char *end = NULL;
    v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    /* Not JSON, but maybe YAML in flow style: {Resources: {...}}. */
    if (!v && !(v = load_yaml(text, len, err, errlen))) {
      int line = 1;
      for (const char *p = text; end && p < end; p++)
        line += *p == '\n';
      snprintf(err, errlen, "JSON: syntax error at line %d", line);
      return NULL;
    }
  } else {
    v = load_yaml(text, len, err, errlen);
    if (!v)
      return NULL;
  }
  if (!cJSON_IsObject(v)) {
    snprintf(err, errlen, "not a template: expected an object at the top");
    cJSON_Delete(v);
    return NULL;
  }
  if (!shape_ok(v, err, errlen)) {
    cJSON_Delete(v);
    return NULL;
  }
  return v;
}
