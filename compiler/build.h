/* build.h: `infrac build`, the stack as a CloudFormation template. */
#ifndef BUILD_H
#define BUILD_H

extern const char build_usage[];
/* argv: the arguments after "build". Returns the exit status. */
int build_main(int argc, char **argv);

#endif
