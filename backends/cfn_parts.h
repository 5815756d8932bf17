/* cfn_parts.h: an interpolated string ("${api_repo.uri}:${image_tag}") as
   the parts it is made of, from lowering to the printers. The back half
   walks parts; only the printers (cfn_json.c, cfn_yaml.c) write them as
   Fn::Sub text, and only a template read from disk has Fn::Sub text read
   back into parts (cfn_parts_load, through cfn_sub.h).

   In the IR: IV_SUB, items[n], each an IV_STR (literal text), an IV_REF
   (a resource, a parameter or a pseudo parameter) or an IV_GETATT.
   In a template tree: {"$parts": [ITEM, ...]}, each ITEM a string (literal
   text), {"Ref": ID}, {"Fn::GetAtt": [ID, ATTR]}, or another function (a
   variable of Fn::Sub's second argument). */
#ifndef CFN_PARTS_H
#define CFN_PARTS_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "lower.h"

#define PARTS_KEY "$parts"

typedef enum {
  PART_TEXT,   /* s: literal text */
  PART_REF,    /* s: the logical ID, parameter or pseudo parameter */
  PART_GETATT, /* s: the logical ID; attr: "Endpoint.Address" */
  PART_VALUE,  /* v: another function, written as a variable of Fn::Sub */
} PartKind;

typedef struct {
  PartKind k;
  const char *s, *attr;
  const cJSON *v; /* the item itself */
} Part;

/* The items of {"$parts": [...]}, or NULL when v is not parts. */
const cJSON *cfn_parts_items(const cJSON *v);
/* The part that item is; items are walked as
   for (const cJSON *x = cfn_parts_items(v); x; x = x->next) cfn_part(x, &p); */
void cfn_part(const cJSON *item, Part *p);

/* A new {"$parts": []}, and appending to it: text merges with the text
   before it; a part that is parts itself is spliced in. */
cJSON *cfn_parts_new(void);
void cfn_parts_add_text(cJSON *parts, const char *s, size_t n);
void cfn_parts_add(cJSON *parts, cJSON *item); /* takes item */

/* Fn::Sub's argument (a string, or [string, {variables}]) as parts, or
   NULL when it is neither. ${!X} is the text ${X}; a variable that is a
   string is text, one that is a Ref or a GetAtt that part, another
   function a PART_VALUE. NULL too for an unclosed "${", which CloudFormation
   refuses: such an Fn::Sub stays as written. */
cJSON *cfn_parts_from_sub(const cJSON *arg);
/* Every {"Fn::Sub": ...} under t as parts, in place: what a template read
   from disk goes through once, at load. */
void cfn_parts_load(cJSON *t);

/* The printers' side: parts as {"Fn::Sub": ...} (a string, or [string,
   {variables}] when a part is another function); the IR's IV_SUB as
   Fn::Sub text. malloc'd. */
cJSON *cfn_parts_to_sub(const cJSON *parts);
char *cfn_parts_ir_text(const IrValue *sub);
/* A copy of t with every parts object as Fn::Sub (for the printers of a
   tree), or NULL when t holds none. */
cJSON *cfn_parts_printable(const cJSON *t);
/* v as JSON text (cJSON_Print, or cJSON_PrintUnformatted) with its parts
   as Fn::Sub: what is written out (a state, a journal line, a value shown).
   Freed with cJSON_free. */
char *cfn_parts_print(const cJSON *v, bool formatted);

#endif
