/* graph.h: the stack as a picture (`infrac graph`): Graphviz DOT of the VPCs,
   their availability zones and subnets, and the resources in them. */
#ifndef GRAPH_H
#define GRAPH_H

#include "infrac.h"

/* Appends the DOT of c's program, which compile_run has resolved without
   error, to out. The same program gives the same bytes. With reach, the
   paths from the internet (exposure.h) are drawn in red on top. */
void graph_dot(Compilation *c, Buf *out, bool reach);

/* Renders dot text through Graphviz's `dot -T<format>` onto stdout. Returns
   0, or 1 when dot failed, or 127 when dot is not installed. */
int graph_render(const char *dot, size_t len, const char *format);

#endif
