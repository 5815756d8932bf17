/* awsread.h: what is deployed, read back. Each type has a read (a row of
   awsread.c's table: the describe call, where the resource is in its
   response, and which response fields are which template properties; other
   types: Cloud Control's GetResource), so that the live resource and the
   state's recorded one compare like for like. */
#ifndef AWSREAD_H
#define AWSREAD_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "awscall.h"

typedef struct {
  int read;         /* resources read */
  int cloudcontrol; /* of them, through Cloud Control */
  int unread;       /* resources that could not be read: taken as recorded */
  int gone;         /* resources AWS no longer has */
} ReadCounts;

/* The live template of the infrac-state/1 state: its template, where each
   property that a read maps, and that the state records, is as AWS has it
   (only the values that differ are written as AWS gives them; the others
   keep the template's Ref and GetAtt), and a resource AWS no longer has is
   left out. Defaults AWS fills in are not compared (a property the state
   does not record), nor is the order of lists that AWS does not keep. NULL
   with *err (malloc'd) when a read fails otherwise than "not found". */
cJSON *awsread_live(AwsClient *c, const cJSON *state, ReadCounts *counts, char **err);

/* The read of one resource of state (its captures, and the properties it is
   read by: a route's table, a record's zone, name and type) filling props:
   every field the type's rows map, as AWS has it, recorded or not (for
   `import --live`). Reentrant for one client per thread. False with *err
   (malloc'd) when the read fails or the resource is gone. */
bool awsread_fill(AwsClient *c, const cJSON *state, const char *logical, cJSON *props,
                  char **err);

/* "A.B[0].C", "A[].B" (each item's B) of v, copied; NULL when absent. */
cJSON *awsread_at(const cJSON *v, const char *path);

/* Whether type has a read of its own (else Cloud Control's, by the
   identifier the state records). */
bool awsread_native(const char *type);
/* A scalar as text (80 and "80" alike: a number in buf), or NULL. */
const char *awsread_scalar(const cJSON *v, char buf[64]);
/* Calls f with the service and operation of each call that reads a
   resource of type (a type's rows, once per row); false when the type has
   no read of its own (it is read with Cloud Control's GetResource). */
bool awsread_calls(const char *type, void (*f)(const char *service, const char *op, void *ctx),
                   void *ctx);

#endif
