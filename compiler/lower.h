/* lower.h: the resource graph (IR). Lowering turns a checked program into
   AWS resources with CloudFormation types and properties, typed values,
   references and explicit dependencies: the one thing every backend reads. */
#ifndef LOWER_H
#define LOWER_H

#include "infrac.h"

/* A property value. Maps keep their keys in emission order. */
typedef enum {
  IV_STR,    /* s */
  IV_INT,    /* i */
  IV_BOOL,   /* i: 0 or 1 */
  IV_LIST,   /* items[n] */
  IV_MAP,    /* keys[n] -> items[n] */
  IV_REF,    /* s: a logical ID of a resource or parameter, or a pseudo parameter (AWS::Region) */
  IV_GETATT, /* s: a logical ID; attr: "Endpoint.Address" */
  IV_SUB,    /* s: an Fn::Sub template, "${ApiRepoRepository.RepositoryUri}:${ImageTag}" */
  IV_BASE64, /* items[0]: the value encoded */
  IV_JOIN,   /* s: the delimiter; items[0]: a list (an output of a list) */
  IV_FN,     /* s: "Fn::Select"; items[n]: its arguments (one: the value itself, else a list) */
} IrValueKind;

typedef struct IrValue {
  IrValueKind k;
  const char *s;          /* STR, REF, GETATT, SUB, JOIN */
  const char *attr;       /* GETATT */
  int64_t i;              /* INT, BOOL */
  const char **keys;      /* MAP */
  struct IrValue **items; /* LIST, MAP, BASE64, JOIN */
  int n, cap;
} IrValue;

typedef struct IrResource {
  const char *logical_id; /* "PublicASubnet" */
  const char *type;       /* "AWS::EC2::Subnet" */
  const Decl *decl;       /* the declaration it comes from (companions too) */
  /* the declaration's main resource (MainVpc for vpc main), not a companion */
  bool primary;
  IrValue *props;          /* IV_MAP; NULL or empty: no Properties */
  const char **depends_on; /* logical IDs, beyond what references imply */
  int ndepends;
  const char *deletion_policy;       /* "Snapshot", "Retain", "Delete", or NULL */
  const char *update_replace_policy; /* likewise */
  const char *condition;             /* the logical ID of its Condition, or NULL */
  IrValue *metadata, *creation_policy, *update_policy; /* or NULL */
} IrResource;

typedef struct IrParam {
  const char *name;       /* the param's name; an ssm() value's first user: "api_host.image" */
  const char *logical_id; /* "ImageTag" */
  bool secret;            /* NoEcho, never a Default */
  const Decl *decl;       /* the param declaration, or an ssm() value's first user */
  /* "String", "Number", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>" */
  const char *type;
  const char *def;      /* the Default (a --param value or the declared one), or NULL */
  const char *ssm;      /* the SSM parameter path of an ssm() value, else NULL */
  const char **allowed; /* AllowedValues (a bool param: "true", "false") */
  int nallowed;
  /* a secret that is a database's master password: what RDS takes (0: none) */
  int min_length, max_length;
  const char *allowed_pattern, *constraint; /* or NULL */
} IrParam;

typedef struct IrOutput {
  const char *name;       /* "alb_dns" */
  const char *logical_id; /* "AlbDns" */
  const Decl *decl;
  IrValue *value;
  IrValue *export_name; /* Export.Name, or NULL */
  IrValue *description; /* or NULL */
  const char *condition;
} IrOutput;

/* A condition the template keeps (one not folded at compile time), or a
   constant looked up at deploy time (a Mapping). */
typedef struct IrNamed {
  const char *logical_id;
  IrValue *value;
} IrNamed;

typedef struct IrStack {
  const char *name, *region, *description;
  /* in a stable order: declarations in program order, companions after their primary */
  IrResource **res;
  int nres;
  IrParam **params; /* declared params in program order, then ssm() values */
  int nparams;
  IrOutput **outputs;
  int noutputs;
  IrNamed **conditions, **mappings;
  int nconditions, nmappings;
} IrStack;

/* After compile_run with no error; allocated in c's arena. Non-secret
   --param values (params.h) become the parameters' defaults. */
IrStack *lower_program(Compilation *c);

/* "public_a" + "Subnet" -> "PublicASubnet": PascalCase of a name (with '_'
   and '-' as word breaks) followed by suffix. */
const char *lower_logical_id(Arena *a, const char *name, const char *suffix);
/* "AWS::RDS::DBInstance" -> "DbInstance": the suffix of a type's logical IDs. */
const char *lower_type_word(Arena *a, const char *type);
/* The resource of a logical ID, or NULL. */
const IrResource *lower_find(const IrStack *ir, const char *logical_id);

#endif
