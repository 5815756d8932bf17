/* exposure.h: what the internet can reach, and through which chain:
   internet -> internet gateway -> route table -> subnet -> public address
   -> security group -> the port of an instance, a database or a load
   balancer. Read by the checker (W607), `infrac graph --reach` and the
   LSP's hover. Exact for what it claims: a route table counts only for the
   subnets it lists, a rule naming a group admits only that group's members
   (never the internet), an address comes only from an elastic IP, a public
   IP at launch or a public database or balancer, and a port only when
   something listens on it (when that is known). */
#ifndef EXPOSURE_H
#define EXPOSURE_H

#include "infrac.h"

typedef enum { EXPO_TCP, EXPO_UDP, EXPO_ALL } ExpoProto;

typedef struct {
  Decl *target;             /* an instance, a database or a load balancer */
  Decl *igw;                /* the internet gateway the route goes to */
  Decl *table;              /* the route table that serves the subnet */
  Member *route;            /* its route to the gateway */
  Cidr dst;                 /* the route's destination */
  Decl *subnet;             /* the first subnet of the target with this route */
  Decl *address;            /* the elastic IP, or NULL for a public IP of its own */
  const char *address_desc; /* "api_ip", "public IP", "public endpoint" */
  Decl *group;              /* the security group whose rule admits */
  Member *rule;             /* the ingress rule */
  Cidr from;                /* who: the rule's range within the route's destination */
  ExpoProto proto;
  int lo, hi;   /* the ports reached: admitted and listened on */
  bool fronted; /* a listener's port of a load balancer: the intended door */
} Exposure;

/* Every exposure of c's resolved program, grouped by target in declaration
   order, then by group and rule. Allocated in c's arena. */
Exposure *exposure_find(Compilation *c, int *n);

/* "igw → public → public_a → api_ip → web" */
const char *exposure_chain(Compilation *c, const Exposure *e);
/* "tcp 22 and 80", "udp 53", "all 0-65535" over e[0..n) (one target). */
const char *exposure_ports(Compilation *c, const Exposure *e, int n);

#endif
