/* cfn_decide.h: a template's Conditions decided for known param values, as
   the API plan needs them: it makes calls, it has no deploy time to wait for. */
#ifndef CFN_DECIDE_H
#define CFN_DECIDE_H

#include <cjson/cJSON.h>

/* A copy of t (to cJSON_Delete) whose Conditions are evaluated with each
   parameter's Default (infrac writes --param values there) and AWS::Region
   = region: resources and outputs whose condition is false left out,
   Fn::If replaced by the branch taken, Ref AWS::NoValue members removed,
   Conditions and Condition keys gone. NULL when a condition reads what is
   known only at deploy time (a NoEcho or default-less parameter, another
   pseudo-parameter): *undecided is then its logical ID. */
cJSON *cfn_decide(const cJSON *t, const char *region, const char **undecided);

#endif
