/* awsproto.c: serialising params per protocol (botocore's serialize.py:
   query, ec2, json, rest-xml) and parsing responses (parsers.py), led by
   the generated model in awsapi_data.c. XML through libxml2. */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsproto.h"
#include "netlibs.h"
#include "sigv4.h"

typedef struct {
  char *s;
  size_t len, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
    if (!b->s)
      abort();
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void puts_(Buf *b, const char *s) { put(b, s, strlen(s)); }

const AwsService *aws_service(const char *cli_name) {
  for (int i = 0; i < aws_nservices; i++)
    if (!strcmp(aws_services[i].cli, cli_name))
      return &aws_services[i];
  return NULL;
}

const AwsOperation *aws_operation(const char *service, const char *name) {
  for (int i = 0; i < aws_noperations; i++)
    if (!strcmp(aws_operations[i].name, name) &&
        !strcmp(aws_services[aws_operations[i].service].cli, service))
      return &aws_operations[i];
  return NULL;
}

static const AwsMember *member_named(const AwsApiShape *s, const char *name) {
  for (int i = 0; i < s->n; i++)
    if (!strcmp(aws_members[s->first + i].name, name))
      return &aws_members[s->first + i];
  return NULL;
}

/* A scalar as text: booleans as true/false, whole numbers without a point. */
static char *scalar_text(const cJSON *v) {
  char *s = NULL;
  if (cJSON_IsString(v))
    return strdup(v->valuestring);
  if (cJSON_IsBool(v))
    return strdup(cJSON_IsTrue(v) ? "true" : "false");
  if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if (d == (double)(long long)d) {
      if (asprintf(&s, "%lld", (long long)d) < 0)
        abort();
    } else if (asprintf(&s, "%.17g", d) < 0) {
      abort();
    }
    return s;
  }
  return cJSON_PrintUnformatted(v);
}

static char *base64(const char *s) {
  size_t n = strlen(s);
  if (n > (size_t)0x3fffffff)
    abort();
  char *out = malloc(4 * ((n + 2) / 3) + 1);
  netlibs()->evp_encode_block((unsigned char *)out, (const unsigned char *)s, (int)n);
  return out;
}

/* Params sent base64-encoded though their shape is a string: botocore's
   handlers (base64_encode_user_data) encode them, as the CLI's users expect. */
static const struct {
  const char *service, *operation, *param;
} base64_params[] = {
    {"ec2", "RunInstances", "UserData"},
};

static bool base64_param(const AwsOperation *op, const char *param) {
  for (size_t i = 0; i < sizeof base64_params / sizeof *base64_params; i++)
    if (!strcmp(aws_services[op->service].cli, base64_params[i].service) &&
        !strcmp(op->name, base64_params[i].operation) && !strcmp(param, base64_params[i].param))
      return true;
  return false;
}

/* A random (version 4) UUID, as botocore's generate_idempotent_uuid. */
void awsproto_uuid4(char out[37]) {
  unsigned char b[16];
  if (netlibs()->rand_bytes(b, sizeof b) != 1)
    abort();
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
           b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
           b[15]);
}

/* ---- query and ec2: Name.member.1.Key=value ---- */

/* Form encoding as botocore's (Python's urlencode): RFC 3986 escapes, but a
   space is '+'. AWS takes either; a verifier that re-encodes the form from
   its values, as moto does when it enforces IAM, needs the same bytes. */
static void form_text(Buf *b, const char *s) {
  for (const char *sp; (sp = strchr(s, ' ')); s = sp + 1) {
    char *e = sigv4_uri_encode(s, (size_t)(sp - s), 0);
    puts_(b, e);
    puts_(b, "+");
    free(e);
  }
  char *e = sigv4_uri_encode(s, strlen(s), 0);
  puts_(b, e);
  free(e);
}

static void form_pair(Buf *b, const char *key, const char *value) {
  puts_(b, "&");
  form_text(b, key);
  puts_(b, "=");
  form_text(b, value);
}

/* The member's name in a query request: ec2 capitalises its locationName. */
static char *query_name(const AwsMember *m, bool ec2) {
  if (ec2 && m->query_name)
    return strdup(m->query_name);
  if (m->location_name) {
    char *s = strdup(m->location_name);
    if (ec2)
      s[0] = (char)toupper((unsigned char)s[0]);
    return s;
  }
  return strdup(m->name);
}

static bool query_value(Buf *b, int shape, const cJSON *v, const char *prefix, bool ec2,
                        char **err);

static bool query_struct(Buf *b, const AwsApiShape *s, const cJSON *v, const char *prefix,
                         bool ec2, char **err) {
  for (const cJSON *c = v->child; c; c = c->next) {
    const AwsMember *m = member_named(s, c->string);
    if (!m) {
      if (asprintf(err, "Unknown parameter %s%s%s in %s", prefix, *prefix ? "." : "",
                   c->string, s->name) < 0)
        abort();
      return false;
    }
    char *name = query_name(m, ec2), *key = NULL;
    const AwsApiShape *ms = &aws_shapes[m->shape];
    /* a flattened list takes its element's name, when it has one */
    const char *own = !ec2 && ms->type == AT_LIST && m->flattened && ms->member_loc ? ms->member_loc
                                                                                   : name;
    if (asprintf(&key, "%s%s%s", prefix, *prefix ? "." : "", own) < 0)
      abort();
    bool ok = query_value(b, m->shape, c, key, ec2, err);
    free(key);
    free(name);
    if (!ok)
      return false;
  }
  return true;
}

static bool query_value(Buf *b, int shape, const cJSON *v, const char *prefix, bool ec2,
                        char **err) {
  const AwsApiShape *s = &aws_shapes[shape];
  if (s->type == AT_STRUCT) {
    if (!cJSON_IsObject(v)) {
      if (asprintf(err, "%s must be an object", prefix) < 0)
        abort();
      return false;
    }
    return query_struct(b, s, v, prefix, ec2, err);
  }
  if (s->type == AT_LIST) {
    if (!cJSON_IsArray(v)) {
      if (asprintf(err, "%s must be a list", prefix) < 0)
        abort();
      return false;
    }
    if (!v->child && !ec2)
      form_pair(b, prefix, "");
    int i = 1;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
      char *key = NULL;
      int r = ec2 || s->flattened ? asprintf(&key, "%s.%d", prefix, i)
                                  : asprintf(&key, "%s.%s.%d", prefix,
                                             s->member_loc ? s->member_loc : "member", i);
      if (r < 0)
        abort();
      bool ok = query_value(b, s->member, c, key, ec2, err);
      free(key);
      if (!ok)
        return false;
    }
    return true;
  }
  if (s->type == AT_MAP) {
    int i = 1;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
      char *k = NULL, *val = NULL;
      if (asprintf(&k, "%s.entry.%d.key", prefix, i) < 0 ||
          asprintf(&val, "%s.entry.%d.value", prefix, i) < 0)
        abort();
      form_pair(b, k, c->string);
      bool ok = query_value(b, s->value, c, val, ec2, err);
      free(k);
      free(val);
      if (!ok)
        return false;
    }
    return true;
  }
  char *t = scalar_text(v);
  if (s->type == AT_BLOB) {
    char *e = base64(t);
    free(t);
    t = e;
  }
  form_pair(b, prefix, t);
  free(t);
  return true;
}

/* ---- rest-xml: URI, query string, headers and an XML body ---- */

static void xml_text(Buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': puts_(b, "&amp;"); break;
    case '<': puts_(b, "&lt;"); break;
    case '>': puts_(b, "&gt;"); break;
    case '"': puts_(b, "&quot;"); break;
    case '\'': puts_(b, "&apos;"); break;
    default: put(b, s, 1);
    }
  }
}

static void xml_value(Buf *b, int shape, const cJSON *v, const char *name);

/* In the shape's order, as botocore writes them (XML schemas' sequences). */
static void xml_members(Buf *b, const AwsApiShape *s, const cJSON *v) {
  for (int i = 0; i < s->n; i++) {
    const AwsMember *m = &aws_members[s->first + i];
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(v, m->name);
    if (c && m->location == AL_BODY)
      xml_value(b, m->shape, c, m->location_name ? m->location_name : m->name);
  }
}

static void xml_value(Buf *b, int shape, const cJSON *v, const char *name) {
  const AwsApiShape *s = &aws_shapes[shape];
  if (s->type == AT_LIST && s->flattened) {
    for (const cJSON *c = v->child; c; c = c->next)
      xml_value(b, s->member, c, name);
    return;
  }
  puts_(b, "<");
  puts_(b, name);
  puts_(b, ">");
  if (s->type == AT_STRUCT) {
    xml_members(b, s, v);
  } else if (s->type == AT_LIST) {
    for (const cJSON *c = v->child; c; c = c->next)
      xml_value(b, s->member, c, s->member_loc ? s->member_loc : "member");
  } else {
    char *t = scalar_text(v);
    xml_text(b, t);
    free(t);
  }
  puts_(b, "</");
  puts_(b, name);
  puts_(b, ">");
}

/* IDs as Route 53 returns them ("/hostedzone/Z1") are sent without their
   prefix, as botocore's fix_route53_ids does for these shapes. */
static const char *const prefixed_ids[] = {"ResourceId", "DelegationSetId", "ChangeId"};
static const char *const id_prefixes[] = {"/hostedzone/", "/change/", "/delegationset/"};

static char *uri_value(const AwsMember *m, const cJSON *v) {
  char *t = scalar_text(v);
  for (size_t i = 0; i < sizeof prefixed_ids / sizeof *prefixed_ids; i++) {
    if (strcmp(aws_shapes[m->shape].name, prefixed_ids[i]))
      continue;
    for (size_t j = 0; j < sizeof id_prefixes / sizeof *id_prefixes; j++) {
      size_t n = strlen(id_prefixes[j]);
      if (!strncmp(t, id_prefixes[j], n))
        memmove(t, t + n, strlen(t + n) + 1);
    }
  }
  return t;
}

static bool rest_xml(const AwsOperation *op, const cJSON *params, AwsRequest *out, char **err) {
  const AwsApiShape *in = op->input >= 0 ? &aws_shapes[op->input] : NULL;
  Buf path = {0}, query = {0}, body = {0};
  puts_(&query, "");
  const char *uri = op->uri, *q = strchr(uri, '?');
  size_t path_len = q ? (size_t)(q - uri) : strlen(uri);
  if (q)
    puts_(&query, q + 1);
  for (size_t i = 0; i < path_len;) {
    const char *close = uri[i] == '{' ? strchr(uri + i, '}') : NULL;
    if (!close) {
      put(&path, uri + i, 1);
      i++;
      continue;
    }
    char *name = strndup(uri + i + 1, (size_t)(close - uri - i - 1));
    bool greedy = name[strlen(name) - 1] == '+';
    if (greedy)
      name[strlen(name) - 1] = '\0';
    const cJSON *v = NULL;
    for (int k = 0; in && k < in->n && !v; k++) {
      const AwsMember *m = &aws_members[in->first + k];
      if (m->location == AL_URI && !strcmp(m->location_name ? m->location_name : m->name, name))
        v = cJSON_GetObjectItemCaseSensitive(params, m->name);
      if (v) {
        char *t = uri_value(m, v), *e = sigv4_uri_encode(t, strlen(t), greedy);
        puts_(&path, e);
        free(t);
        free(e);
      }
    }
    if (!v) {
      if (asprintf(err, "Missing required parameter %s", name) < 0)
        abort();
      free(name);
      free(path.s), free(query.s), free(body.s);
      return false;
    }
    free(name);
    i = (size_t)(close - uri) + 1;
  }
  bool has_body = false;
  for (const cJSON *c = params ? params->child : NULL; c; c = c->next) {
    const AwsMember *m = in ? member_named(in, c->string) : NULL;
    if (!m) {
      if (asprintf(err, "Unknown parameter %s", c->string) < 0)
        abort();
      free(path.s), free(query.s), free(body.s);
      return false;
    }
    if (m->location == AL_QUERY) {
      const char *k = m->location_name ? m->location_name : m->name;
      char *t = scalar_text(c);
      char *ek = sigv4_uri_encode(k, strlen(k), 0), *ev = sigv4_uri_encode(t, strlen(t), 0);
      if (query.len)
        puts_(&query, "&");
      puts_(&query, ek);
      puts_(&query, "=");
      puts_(&query, ev);
      free(t), free(ek), free(ev);
    }
    has_body |= m->location == AL_BODY;
  }
  if (has_body && op->input_root) {
    puts_(&body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
    puts_(&body, op->input_root);
    if (op->xmlns) {
      puts_(&body, " xmlns=\"");
      xml_text(&body, op->xmlns);
      puts_(&body, "\"");
    }
    puts_(&body, ">");
    xml_members(&body, in, params);
    puts_(&body, "</");
    puts_(&body, op->input_root);
    puts_(&body, ">");
  }
  out->path = path.s;
  out->query = query.s;
  out->body = body.s ? body.s : strdup("");
  out->body_len = body.len;
  out->content_type = has_body ? strdup("text/xml") : NULL;
  return true;
}

static bool serialise(const AwsOperation *op, const cJSON *params, AwsRequest *out, char **err) {
  const AwsService *svc = &aws_services[op->service];
  if (svc->protocol == AWS_REST_XML)
    return rest_xml(op, params, out, err);
  out->path = strdup("/");
  out->query = strdup("");
  if (svc->protocol == AWS_JSON) {
    char *target = NULL, *ct = NULL;
    if (asprintf(&target, "%s.%s", svc->target_prefix, op->name) < 0 ||
        asprintf(&ct, "application/x-amz-json-%s", svc->json_version) < 0)
      abort();
    out->target = target;
    out->content_type = ct;
    out->body = params ? cJSON_PrintUnformatted(params) : strdup("{}");
    out->body_len = strlen(out->body);
    return true;
  }
  cJSON *encoded = NULL;
  for (const cJSON *c = params ? params->child : NULL; c; c = c->next) {
    if (cJSON_IsString(c) && base64_param(op, c->string)) {
      if (!encoded)
        encoded = cJSON_Duplicate(params, true);
      char *e = base64(c->valuestring);
      cJSON_ReplaceItemInObjectCaseSensitive(encoded, c->string, cJSON_CreateString(e));
      free(e);
    }
  }
  if (encoded)
    params = encoded;
  Buf b = {0};
  puts_(&b, "Action=");
  puts_(&b, op->name);
  puts_(&b, "&Version=");
  puts_(&b, svc->api_version);
  if (params && op->input >= 0 &&
      !query_struct(&b, &aws_shapes[op->input], params, "", svc->protocol == AWS_EC2, err)) {
    free(b.s);
    cJSON_Delete(encoded);
    return false;
  }
  cJSON_Delete(encoded);
  out->body = b.s;
  out->body_len = b.len;
  out->content_type = strdup("application/x-www-form-urlencoded; charset=utf-8");
  return true;
}

bool awsproto_request(const AwsOperation *op, const cJSON *params, AwsRequest *out, char **err) {
  memset(out, 0, sizeof *out);
  out->method = strdup(op->method);
  /* the token is made once per call: the retries of the call send the same */
  cJSON *with_token = NULL;
  if (op->idempotency_token && !cJSON_GetObjectItemCaseSensitive(params, op->idempotency_token)) {
    char token[37];
    awsproto_uuid4(token);
    with_token = params ? cJSON_Duplicate(params, true) : cJSON_CreateObject();
    cJSON_AddStringToObject(with_token, op->idempotency_token, token);
    params = with_token;
  }
  bool ok = serialise(op, params, out, err);
  cJSON_Delete(with_token);
  if (!ok)
    awsproto_request_free(out);
  return ok;
}

void awsproto_request_free(AwsRequest *r) {
  free(r->method);
  free(r->path);
  free(r->query);
  if (r->body)
    memset(r->body, 0, r->body_len); /* params may hold a secret */
  free(r->body);
  free(r->content_type);
  free(r->target);
}

/* ---- responses: XML to the CLI's JSON, by the output shape ---- */

static bool named(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static cJSON *from_xml(const xmlNode *n, int shape);

static cJSON *scalar_from_xml(const xmlNode *n, const AwsApiShape *s) {
  xmlChar *t = netlibs()->xml_node_get_content(n);
  const char *text = t ? (const char *)t : "";
  cJSON *v;
  if (s->type == AT_INT || s->type == AT_DOUBLE)
    v = cJSON_CreateNumber(strtod(text, NULL));
  else if (s->type == AT_BOOL)
    v = cJSON_CreateBool(!strcmp(text, "true"));
  else
    v = cJSON_CreateString(text);
  (*netlibs()->xml_free)(t);
  return v;
}

static cJSON *struct_from_xml(const xmlNode *n, const AwsApiShape *s) {
  cJSON *o = cJSON_CreateObject();
  for (int i = 0; i < s->n; i++) {
    const AwsMember *m = &aws_members[s->first + i];
    if (m->location != AL_BODY)
      continue;
    const AwsApiShape *ms = &aws_shapes[m->shape];
    const char *xml_name = m->location_name ? m->location_name : m->name;
    if (ms->type == AT_LIST && (m->flattened || ms->flattened)) {
      const char *el = ms->member_loc && !m->location_name ? ms->member_loc : xml_name;
      cJSON *list = NULL;
      for (const xmlNode *c = n->children; c; c = c->next) {
        if (!named(c, el))
          continue;
        if (!list)
          list = cJSON_AddArrayToObject(o, m->name);
        cJSON_AddItemToArray(list, from_xml(c, ms->member));
      }
      continue;
    }
    for (const xmlNode *c = n->children; c; c = c->next) {
      if (named(c, xml_name)) {
        cJSON_AddItemToObject(o, m->name, from_xml(c, m->shape));
        break;
      }
    }
  }
  return o;
}

static cJSON *from_xml(const xmlNode *n, int shape) {
  const AwsApiShape *s = &aws_shapes[shape];
  switch (s->type) {
  case AT_STRUCT:
    return struct_from_xml(n, s);
  case AT_LIST: {
    cJSON *list = cJSON_CreateArray();
    for (const xmlNode *c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE)
        cJSON_AddItemToArray(list, from_xml(c, s->member));
    return list;
  }
  case AT_MAP: {
    cJSON *map = cJSON_CreateObject();
    for (const xmlNode *e = n->children; e; e = e->next) {
      const xmlNode *k = NULL, *v = NULL;
      for (const xmlNode *c = e->children; c; c = c->next) {
        if (named(c, "key"))
          k = c;
        else if (named(c, "value"))
          v = c;
      }
      if (k && v) {
        xmlChar *key = netlibs()->xml_node_get_content(k);
        cJSON_AddItemToObject(map, (const char *)key, from_xml(v, s->value));
        (*netlibs()->xml_free)(key);
      }
    }
    return map;
  }
  default:
    return scalar_from_xml(n, s);
  }
}

static xmlDoc *read_xml(const char *body, size_t n) {
  if (n > (size_t)0x7fffffff)
    return NULL;
  return netlibs()->xml_read_memory(body, (int)n, NULL, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                        XML_PARSE_NOBLANKS);
}

cJSON *awsproto_response(const AwsOperation *op, const char *body, size_t n) {
  const AwsService *svc = &aws_services[op->service];
  if (svc->protocol == AWS_JSON)
    return n ? cJSON_ParseWithLength(body, n) : cJSON_CreateObject();
  if (op->output < 0 || !n)
    return cJSON_CreateObject();
  xmlDoc *doc = read_xml(body, n);
  if (!doc)
    return NULL;
  const xmlNode *root = netlibs()->xml_doc_get_root_element(doc), *at = root;
  if (root && op->result_wrapper) {
    at = NULL;
    for (const xmlNode *c = root->children; c && !at; c = c->next)
      if (named(c, op->result_wrapper))
        at = c;
  }
  cJSON *v = at ? from_xml(at, op->output) : cJSON_CreateObject();
  netlibs()->xml_free_doc(doc);
  return v;
}

static const xmlNode *find(const xmlNode *n, const char *name) {
  for (; n; n = n->next) {
    if (named(n, name))
      return n;
    const xmlNode *in = find(n->children, name);
    if (in)
      return in;
  }
  return NULL;
}

static char *text_of(const xmlNode *n) {
  xmlChar *t = n ? netlibs()->xml_node_get_content(n) : NULL;
  char *s = t ? strdup((const char *)t) : NULL;
  (*netlibs()->xml_free)(t);
  return s;
}

void awsproto_error(const AwsOperation *op, const char *body, size_t n, char **code,
                    char **message) {
  *code = *message = NULL;
  if (aws_services[op->service].protocol == AWS_JSON) {
    cJSON *j = cJSON_ParseWithLength(body, n);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "__type");
    const cJSON *m = cJSON_GetObjectItem(j, "message"); /* message or Message */
    if (cJSON_IsString(t)) {
      const char *hash = strrchr(t->valuestring, '#');
      *code = strdup(hash ? hash + 1 : t->valuestring);
      (*code)[strcspn(*code, ":")] = '\0';
    }
    if (cJSON_IsString(m))
      *message = strdup(m->valuestring);
    cJSON_Delete(j);
    return;
  }
  xmlDoc *doc = read_xml(body, n);
  if (!doc)
    return;
  const xmlNode *err = find(netlibs()->xml_doc_get_root_element(doc), "Error");
  *code = text_of(err ? find(err->children, "Code") : NULL);
  *message = text_of(err ? find(err->children, "Message") : NULL);
  netlibs()->xml_free_doc(doc);
}
