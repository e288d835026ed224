/*
 * msgpack_internal.h - the two forms of the MessagePack format
 * (docs/pb-msgpack.md).  sr_out_msgpack and sr_in_msgpack, the classes the
 * registry knows, write the semantic record (out_msgpack_sem.c) and read
 * either form (in_msgpack_sem.c, by the header's "record" key); these are
 * the spelled form's classes, which they hand a run to.
 */
#ifndef MSGPACK_INTERNAL_H
#define MSGPACK_INTERNAL_H

#include "sysrep.h"

/* out_msgpack.c: the spelled event model (-O record=spelling) */
extern const struct sr_writer_class sr_out_msgpack_spelled;
/* in_msgpack.c: reads a spelled stream; its probe is the format's */
extern const struct sr_reader_class sr_in_msgpack_spelled;

/* The header's "schema_version" of the semantic form: version 1 is the
 * spelled form, which readers before the semantic form refuse nothing of,
 * so a semantic stream must be one they refuse. */
#define SR_MP_SEMANTIC_SCHEMA 2

#endif /* MSGPACK_INTERNAL_H */
