/* cfn_sub.h: the one reader (and writer) of Fn::Sub text. Its one user
   is cfn_parts.c: a template read from disk has its Fn::Sub read into
   parts once, at load, and the printers write parts back as Fn::Sub; the
   rest of infrac (the diff, the API plan, apply's state, drift, import)
   walks parts (cfn_parts.h), so that ${!Literal} and an unclosed "${" mean
   the same everywhere, and literal text is never taken for a reference. */
#ifndef CFN_SUB_H
#define CFN_SUB_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  SUB_TEXT, /* literal text: s[0..n), escapes already resolved */
  SUB_VAR,  /* ${name} or ${name.attr}: a Ref, or a GetAtt when attr is set */
} SubKind;

typedef struct {
  SubKind k;
  /* TEXT: the text; VAR: the name before the first '.' (a logical ID, a
     parameter, a pseudo parameter such as AWS::Region, or a variable of
     Fn::Sub's second argument). Spans of the text read, not NUL-ended. */
  const char *s;
  size_t n;
  const char *attr; /* VAR: what follows the first '.', or NULL (a Ref) */
  size_t nattr;
  bool unclosed; /* TEXT: a "${" without its '}' (CloudFormation refuses it) */
} SubPart;

/* The next part of the text at *at, which it moves past it; false at the
   end. "${!X}" is the text "${X}" (the parts "${" and "X}..."); "${}" is text. */
bool cfn_sub_next(const char **at, SubPart *part);

/* The part's name and, for a GetAtt, ".attr": "MainVpc.CidrBlock" (malloc'd). */
char *cfn_sub_var_text(const SubPart *part);

/* Text written into Fn::Sub as itself: each "${" as "${!" (malloc'd). */
char *cfn_sub_escape(const char *s, size_t n);

#endif
