/* awsdiscover.h: what is deployed in a region, found (`import --live`).
   Each type has a row of awsdiscover.c: the list call, its paging, the
   filter for one VPC, the call that describes each item when the list
   gives only identifiers, what AWS made by itself (the default VPC, main
   route tables, default groups, the local route, a zone's NS and SOA), the
   captures apply would record, and the properties a read (awsread.h) does
   not give: names, containers, a role's trust policy. The rest of each
   resource is read as plan --refresh reads it, so what is written compares
   like for like with what a refresh reads. */
#ifndef AWSDISCOVER_H
#define AWSDISCOVER_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "awscall.h"

typedef struct {
  const char *vpc;                 /* --vpc ID, or NULL */
  const char *tag_key, *tag_value; /* --tag K=V, or NULL */
  bool include_defaults;           /* --include-defaults */
} DiscoverScope;

typedef struct {
  const char *type;    /* the CloudFormation type */
  char *name;          /* snake_case: its Name tag, its own name, or its ID */
  cJSON *obj;          /* as the list (or describe) call gave it */
  cJSON *captures;     /* as apply records them: id, arn, name ... */
  cJSON *props;        /* the template's properties */
  int parent;          /* the item it is part of (a route of its table), or -1 */
  bool is_default, in; /* made by AWS itself; in the scope */
  const void *row, *part;
  char *text; /* obj as JSON, where references are looked for */
} Found;

typedef struct {
  Found *items;
  int n, cap;
} Discovery;

/* Lists every type of the table in c's region, then marks what the scope
   takes: with --vpc the VPC and what refers to it, with --tag what has the
   tag, else everything AWS did not make by itself; and in every case what
   these use (the roles, the task definitions, the certificates ...). False
   with *err (malloc'd) when a call fails. */
bool awsdiscover(AwsClient *c, const DiscoverScope *scope, Discovery *d, char **err);

/* The items in the scope as a CloudFormation template (logical[i] the ID of
   items[i], NULL for one out of the scope) and the infrac-state/1 state
   that records them: each read as awsread reads it, in parallel; an ID,
   ARN or name of another item becomes its Ref or GetAtt; a database's
   password a NoEcho parameter. False with *err (malloc'd). */
bool awsdiscover_stack(AwsClient *c, Discovery *d, char *const *logical, const char *const *names,
                       const char *stack, const char *region, cJSON **tmpl, cJSON **state,
                       char **err);

void awsdiscover_free(Discovery *d);

#endif
