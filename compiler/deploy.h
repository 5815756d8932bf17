/* deploy.h: the commands that compare with and change what is deployed. */
#ifndef DEPLOY_H
#define DEPLOY_H

extern const char deploy_usage_plan[], deploy_usage_apply[], deploy_usage_destroy[];

int deploy_plan(int argc, char **argv);
int deploy_apply(int argc, char **argv);
int deploy_destroy(int argc, char **argv);

#endif
