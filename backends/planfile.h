/* planfile.h: the placeholders of infrac-plan/1 on their way to and from a
   file. In memory a value known only at apply time is a JSON form of its
   own (planvalue.h); in the file, params hold it as the text DESIGN.md
   gives ("${main.id}", "arn:${AWS::Partition}:...${x.arn}"), so that they
   validate against botocore's input shapes, and each step lists where its
   placeholders are, with their forms:
     "placeholders": [{"at": "/params/VpcId", "value": {"$capture": "main.id"}}]
   ("at" a JSON pointer (RFC 6901) into the step). Reading a plan puts the
   forms back at the listed positions only, after checking that each holds
   the text of its form; every other string stays literal text, "${HOME}"
   included, so a plan's text is never substituted.
   Likewise a capture of a value inside JSON text of the output
   ("ResourceDescription.Properties#/Arn" in memory) is written as the path
   of the text ("ResourceDescription.Properties", a path into the output
   shape) and the JSON pointer in the step's "captures_in_text":
     "captures_in_text": {"jobs.arn": "/Arn"} */
#ifndef PLANFILE_H
#define PLANFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* The text a form stands as in a file: "${NAME}" for a capture, a join's
   parts one after another. malloc'd. */
char *planfile_text(const cJSON *form);

/* A step as written: each form in its params replaced by its text, and
   listed in its "placeholders" (none: no member). */
void planfile_write_step(cJSON *step);

/* The steps of a plan as read: the forms back at the listed positions,
   the pointers of "captures_in_text" back on their paths, both lists
   dropped. False after "steps[i]...: what is wrong" in err
   when a listed position does not hold its form's text (the plan was
   changed after it was made), a form is malformed, or params hold a form
   no entry lists. */
bool planfile_read_steps(cJSON *steps, char *err, size_t errlen);

#endif
