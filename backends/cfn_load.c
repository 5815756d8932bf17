/* cfn_load.c: a CloudFormation template, JSON or YAML, as a cJSON tree. The
   YAML short forms become the JSON long forms (!Ref X -> {"Ref": "X"}). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "cfn_load.h"
#include "cfn_parts.h"
#include "jsonread.h"
#include "strmap.h"
#include "termtext.h"

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

/* Building the cJSON tree of a loaded YAML document. libyaml's loader shares
   an anchored node between its aliases, so a few KB can stand for billions
   of values ("billion laughs"): their expanded size is counted first, from
   the node graph, and a document beyond the limits is refused before
   anything is built. */
typedef struct {
  yaml_document_t *doc;
  char *err;
  size_t errlen;
  unsigned char *seen; /* per node: 1 being counted, 2 counted */
  double *values, *bytes; /* per node, expanded */
} Yaml;

static bool yaml_fail(Yaml *y, const yaml_node_t *node, const char *what, const char *detail) {
  char shown[80] = "";
  if (detail)
    term_escape_into(shown, sizeof shown, detail);
  snprintf(y->err, y->errlen, "YAML: %s%s%s%s at %zu:%zu", what, detail ? " \"" : "", shown,
           detail ? "\"" : "", node->start_mark.line + 1, node->start_mark.column + 1);
  return false;
}

static size_t node_index(Yaml *y, const yaml_node_t *n) {
  return (size_t)(n - y->doc->nodes.start);
}

/* The values and scalar bytes the node stands for once its aliases are
   expanded; false on a cycle or too deep a nesting. */
static bool expanded(Yaml *y, yaml_node_t *node, int depth) {
  size_t i = node_index(y, node);
  if (y->seen[i] == 2)
    return true;
  if (y->seen[i] == 1)
    return yaml_fail(y, node, "an alias inside the node it names", NULL);
  if (depth > LOAD_MAX_DEPTH) {
    char what[96];
    snprintf(what, sizeof what, "nesting deeper than %d levels (the limit, docs/limits.md)",
             LOAD_MAX_DEPTH);
    return yaml_fail(y, node, what, NULL);
  }
  y->seen[i] = 1;
  double values = 1, bytes = node->type == YAML_SCALAR_NODE ? (double)node->data.scalar.length : 0;
  if (node->type == YAML_SEQUENCE_NODE)
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++) {
      yaml_node_t *c = yaml_document_get_node(y->doc, *it);
      if (c && !expanded(y, c, depth + 1))
        return false;
      values += c ? y->values[node_index(y, c)] : 0;
      bytes += c ? y->bytes[node_index(y, c)] : 0;
    }
  if (node->type == YAML_MAPPING_NODE)
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
      yaml_node_t *c = yaml_document_get_node(y->doc, p->value);
      if (c && !expanded(y, c, depth + 1))
        return false;
      values += c ? y->values[node_index(y, c)] : 0;
      bytes += c ? y->bytes[node_index(y, c)] : 0;
    }
  y->values[i] = values;
  y->bytes[i] = bytes;
  y->seen[i] = 2;
  return true;
}

/* The whole document within the limits, its aliases expanded. */
static bool expansion_ok(Yaml *y, yaml_node_t *root) {
  size_t n = (size_t)(y->doc->nodes.top - y->doc->nodes.start);
  y->seen = calloc(n, 1);
  y->values = calloc(n, sizeof(double));
  y->bytes = calloc(n, sizeof(double));
  if (!y->seen || !y->values || !y->bytes)
    abort();
  bool ok = expanded(y, root, 0);
  double raw_bytes = 0;
  for (size_t i = 0; ok && i < n; i++)
    if (y->doc->nodes.start[i].type == YAML_SCALAR_NODE)
      raw_bytes += (double)y->doc->nodes.start[i].data.scalar.length;
  size_t r = node_index(y, root);
  if (ok && y->values[r] - (double)n > LOAD_MAX_ALIAS_VALUES) {
    snprintf(y->err, y->errlen,
             "YAML: its aliases expand the document by more than %d values (the limit, "
             "docs/limits.md)", LOAD_MAX_ALIAS_VALUES);
    ok = false;
  } else if (ok && y->bytes[r] - raw_bytes > LOAD_MAX_ALIAS_BYTES) {
    snprintf(y->err, y->errlen,
             "YAML: its aliases expand the document by more than %d MiB of text (the limit, "
             "docs/limits.md)", LOAD_MAX_ALIAS_BYTES >> 20);
    ok = false;
  }
  free(y->seen);
  free(y->values);
  free(y->bytes);
  return ok;
}

static bool is_merge_key(const yaml_node_t *k) {
  return k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         !strcmp((const char *)k->data.scalar.value, "<<");
}

/* NULL after a message in y->err. The expansion is known to be bounded. */
static cJSON *yaml_node_json(Yaml *y, yaml_node_t *node) {
  cJSON *v = NULL;
  switch (node->type) {
  case YAML_SCALAR_NODE:
    if (strlen((const char *)node->data.scalar.value) != node->data.scalar.length)
      return yaml_fail(y, node, "a NUL character in a string (it would cut it short)", NULL), NULL;
    v = scalar_json(node);
    break;
  case YAML_SEQUENCE_NODE:
    v = cJSON_CreateArray();
    for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top;
         it++) {
      yaml_node_t *c = yaml_document_get_node(y->doc, *it);
      cJSON *x = c ? yaml_node_json(y, c) : cJSON_CreateNull();
      if (!x)
        goto fail;
      cJSON_AddItemToArray(v, x);
    }
    break;
  case YAML_MAPPING_NODE: {
    v = cJSON_CreateObject();
    StrMap keys = {0};
    size_t count = 0;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++, count++) {
      yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
      yaml_node_t *c = yaml_document_get_node(y->doc, p->value);
      const char *key = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : NULL;
      bool ok = key && strlen(key) == k->data.scalar.length;
      if (!ok)
        yaml_fail(y, k ? k : node, "a key that is not a string", NULL);
      else if (is_merge_key(k))
        ok = yaml_fail(y, k, "a merge key (<<: CloudFormation does not merge)", NULL);
      else if (count < 16) {
        for (const cJSON *e = v->child; e && ok; e = e->next)
          ok = strcmp(e->string, key) != 0;
      } else {
        if (count == 16)
          for (const cJSON *e = v->child; e; e = e->next)
            strmap_put(&keys, e->string, (void *)e);
        ok = !strmap_get(&keys, key);
      }
      if (key && !ok && !*y->err)
        yaml_fail(y, k, "duplicate key", key);
      cJSON *x = ok ? (c ? yaml_node_json(y, c) : cJSON_CreateNull()) : NULL;
      if (!x) {
        strmap_free(&keys);
        goto fail;
      }
      if (count >= 16)
        strmap_put(&keys, key, x);
      cJSON_AddItemToObject(v, key, x);
    }
    strmap_free(&keys);
    break;
  }
  default: v = cJSON_CreateNull(); break;
  }
  return tagged((const char *)node->tag, v);
fail:
  cJSON_Delete(v);
  return NULL;
}

static void parse_error(const yaml_parser_t *parser, char *err, size_t errlen) {
  const char *what = parser->error == YAML_MEMORY_ERROR ? "out of memory"
                     : parser->problem                  ? parser->problem
                                                        : "bad input";
  snprintf(err, errlen, "YAML: %s at %zu:%zu", what, parser->problem_mark.line + 1,
           parser->problem_mark.column + 1);
}

/* libyaml's scanner keeps a possible key per open [ or {, and looks at all
   of them at every token: text nested 100,000 deep in brackets took minutes.
   So the depth of the brackets is found first, outside quotes and comments;
   one too deep is refused before libyaml reads it. */
static bool flow_depth_ok(const char *text, size_t len, char *err, size_t errlen) {
  int depth = 0;
  size_t line = 1, col = 0;
  for (size_t i = 0; i < len; i++, col++) {
    char c = text[i];
    if (c == '\n') {
      line++, col = 0;
    } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
                            text[i - 1] == '\n')) {
      while (i + 1 < len && text[i + 1] != '\n')
        i++;
    } else if (c == '"' || c == '\'') {
      /* a quoted scalar: to its end ('' and \" stay inside) */
      for (i++; i < len && !(text[i] == c && !(c == '"' && text[i - 1] == '\\' &&
                                               !(i >= 2 && text[i - 2] == '\\')));
           i++)
        if (text[i] == '\n')
          line++, col = 0;
    } else if (c == '[' || c == '{') {
      if (++depth > LOAD_MAX_DEPTH) {
        snprintf(err, errlen, "YAML: nesting deeper than %d levels (the limit, docs/limits.md) "
                              "at %zu:%zu", LOAD_MAX_DEPTH, line, col + 1);
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return true;
}

static cJSON *load_yaml(const char *text, size_t len, char *err, size_t errlen) {
  if (!flow_depth_ok(text, len, err, errlen))
    return NULL;
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    parse_error(&parser, err, errlen);
    yaml_parser_delete(&parser);
    return NULL;
  }
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  Yaml y = {&doc, err, errlen, NULL, NULL, NULL};
  *err = '\0';
  cJSON *v = NULL;
  if (!root)
    snprintf(err, errlen, "YAML: the file is empty");
  else if (expansion_ok(&y, root))
    v = yaml_node_json(&y, root);
  yaml_document_delete(&doc);
  /* one document: a second one (after ---) or anything the parser cannot
     read after the first is an error, not ignored */
  if (v && !yaml_parser_load(&parser, &doc)) {
    parse_error(&parser, err, errlen);
    cJSON_Delete(v);
    v = NULL;
  } else if (v) {
    yaml_node_t *second = yaml_document_get_root_node(&doc);
    if (second) {
      snprintf(err, errlen, "YAML: a second document at %zu:%zu: a template is one document",
               second->start_mark.line + 1, second->start_mark.column + 1);
      cJSON_Delete(v);
      v = NULL;
    }
    yaml_document_delete(&doc);
  }
  yaml_parser_delete(&parser);
  return v;
}
bool cfn_getatt(const cJSON *v, const char **id, size_t *idlen, const char **attr) {
  const cJSON *g = cJSON_GetArraySize(v) == 1 ? cJSON_GetObjectItemCaseSensitive(v, "Fn::GetAtt") : NULL;
  const char *dot = cJSON_IsString(g) ? strchr(g->valuestring, '.') : NULL;
  if (dot) {
    *id = g->valuestring, *idlen = (size_t)(dot - g->valuestring), *attr = dot + 1;
    return true;
  }
  if (cJSON_GetArraySize(g) != 2 || !cJSON_IsString(g->child) || !cJSON_IsString(g->child->next))
    return false;
  *id = g->child->valuestring, *idlen = strlen(*id), *attr = g->child->next->valuestring;
  return true;
}

/* The sections that the diff and the API plan walk as objects must be
   objects: "Properties: [a, b]" is no template. */
bool cfn_template_ok(const cJSON *t, char *err, size_t errlen) {
  static const char *const sections[] = {"Resources", "Parameters", "Outputs"};
  for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(t, sections[i]);
    if (s && !cJSON_IsObject(s)) {
      snprintf(err, errlen, "not a template: %s is not an object", sections[i]);
      return false;
    }
    for (const cJSON *e = s ? s->child : NULL; e; e = e->next) {
      const cJSON *props = cJSON_GetObjectItemCaseSensitive(e, "Properties");
      char shown[128];
      term_escape_into(shown, sizeof shown, e->string);
      size_t n = strspn(e->string, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
      if (!n || e->string[n] || n > 255) {
        snprintf(err, errlen, "not a template: %s.%s: a logical ID is 1 to 255 letters and digits",
                 sections[i], shown);
        return false;
      }
      if (!cJSON_IsObject(e) || (props && !cJSON_IsObject(props))) {
        snprintf(err, errlen, "not a template: %s.%s%s is not an object", sections[i], shown,
                 cJSON_IsObject(e) ? ".Properties" : "");
        return false;
      }
    }
  }
  return true;
}

cJSON *doc_read_text(const char *text, size_t len, char *err, size_t errlen) {
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
    i++;
  cJSON *v;
  if (i < len && text[i] == '{') {
    if (len > LOAD_MAX_BYTES) {
      snprintf(err, errlen, "larger than %d MiB (the limit, docs/limits.md)", LOAD_MAX_BYTES >> 20);
      return NULL;
    }
    v = json_read(text, len, LOAD_MAX_DEPTH, err, errlen);
    /* Not JSON, but maybe YAML in flow style: {Resources: {...}}. */
    char yerr[256];
    if (!v && len <= LOAD_MAX_YAML_BYTES)
      v = load_yaml(text, len, yerr, sizeof yerr);
    if (!v)
      return NULL;
  } else {
    if (len > LOAD_MAX_YAML_BYTES) {
      snprintf(err, errlen, "YAML larger than %d MiB (the limit, docs/limits.md)",
               LOAD_MAX_YAML_BYTES >> 20);
      return NULL;
    }
    v = load_yaml(text, len, err, errlen);
    if (!v)
      return NULL;
  }
  if (!cJSON_IsObject(v)) {
    snprintf(err, errlen, "expected an object at the top");
    cJSON_Delete(v);
    return NULL;
  }
  cfn_parts_load(v); /* Fn::Sub text read once, here: the rest walks parts */
  return v;
}

cJSON *cfn_load_text(const char *text, size_t len, char *err, size_t errlen) {
  cJSON *v = doc_read_text(text, len, err, errlen);
  if (v && !cfn_template_ok(v, err, errlen)) {
    cJSON_Delete(v);
    return NULL;
  }
  return v;
}

cJSON *doc_read_file(const char *path, const char *what, char *err, size_t errlen) {
  /* O_NONBLOCK: a FIFO planted in place of the file must not hang us */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  const char *why = fd < 0 || fstat(fd, &st) ? strerror(errno)
                    : S_ISDIR(st.st_mode)    ? strerror(EISDIR)
                    : !S_ISREG(st.st_mode)   ? "not a regular file"
                                             : NULL;
  if (!why && st.st_size > LOAD_MAX_BYTES) {
    snprintf(err, errlen, "%s: larger than %d MiB (the limit, docs/limits.md)", path,
             LOAD_MAX_BYTES >> 20);
    close(fd);
    return NULL;
  }
  size_t cap = why ? 0 : (size_t)st.st_size + 1, len = 0;
  char *text = why ? NULL : malloc(cap);
  ssize_t n = 0;
  while (text && len < cap && (n = read(fd, text + len, cap - len)) > 0)
    len += (size_t)n;
  if (!why && n < 0)
    why = strerror(errno);
  else if (!why && len >= cap) /* it grew while read */
    why = "it changed while read";
  if (fd >= 0)
    close(fd);
  if (why) {
    snprintf(err, errlen, "cannot read %s %s: %s", what, path, why);
    free(text);
    return NULL;
  }
  char msg[256];
  cJSON *v = doc_read_text(text, len, msg, sizeof msg);
  free(text);
  if (!v)
    snprintf(err, errlen, "%s: %s", path, msg);
  return v;
}
