/* import.h: `infrac import`, a CloudFormation template as .infra source (import.c). */
#ifndef IMPORT_H
#define IMPORT_H

extern const char import_usage[];
int import_main(int argc, char **argv);

#endif
