/*
 * semantic_internal.h - what core/semantic*.c share: the shapes of the
 * generated constant tables and the lookups over them.
 */
#ifndef SR_SEMANTIC_INTERNAL_H
#define SR_SEMANTIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sysrep.h"

struct sem_const {
	uint64_t v;
	const char *name;
	uint8_t len;
};

/* A constant set: its entries are sem_consts[start .. start + nfield + nbits),
 * first the values of its multi-bit field (mask), then its bits (flags) or
 * values (enum), in the order strace prints them. */
struct sem_set {
	const char *name;
	bool flags;
	uint64_t mask;     /* the field's bits (O_ACCMODE, MAP_TYPE); 0: none */
	uint32_t start;
	uint16_t nfield, nbits;
	uint16_t fset;     /* the field's values are those of this set (clone: signal) */
	bool oct;          /* the residue is printed in octal (modes) */
};

const struct sem_set *sr_sem_set(uint16_t set);
const struct sem_const *sr_sem_consts(void);
/* The type of a struct member by its name (SR_T_INT when none is known). */
struct sr_sarg sr_sem_field(const char *name, size_t len);
/* The name of value v in set (enum), NULL when none. */
const char *sr_sem_enum_name(uint16_t set, uint64_t v, uint8_t *len);
/* The value of name in set, or in any set. */
bool sr_sem_set_value(uint16_t set, const char *name, size_t len, uint64_t *v);

#endif /* SR_SEMANTIC_INTERNAL_H */
