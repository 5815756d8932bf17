/* policy_cmd.h: infrac policy, the IAM policy of a stack's apply. */
#ifndef POLICY_CMD_H
#define POLICY_CMD_H

extern const char policy_usage[];
int policy_command(int argc, char **argv);

#endif
