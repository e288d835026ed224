/*
 * semantic_same.h - whether a printed value is the canonical spelling of
 * its meaning, answered without building the spelled tree.
 */
#ifndef SR_SEMANTIC_SAME_H
#define SR_SEMANTIC_SAME_H

#include <stdbool.h>

#include "sysrep.h"

/*
 * True only when strace text of sr_semantic_spell(s, t) is certainly the
 * text of v (v's own member name left out: the caller prints it on both
 * sides) and every string under s is UTF-8.  False means "not known": the
 * caller then spells and prints (the general answer).  It answers for the
 * shapes most arguments have: strings, NULL, numbers, flag sets with or
 * without residue, constants, signal sets, fd objects, vectors and
 * structs made of these; anything else is left to the general path.
 */
bool sr_semantic_same(const struct sr_value *v, const struct sr_sval *s, struct sr_sarg t);

#endif /* SR_SEMANTIC_SAME_H */
