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
	uint8_t arch;      /* enum sr_arch: whose values these are (every set
			    * exists once per architecture, see sr_sem_set) */
};

/* A type that depends on other values (core/tables/semantic-hand.in, "when"):
 * argument or member `t.name` has type t when each selecting argument (or
 * sibling member) sel[i] has value v[i].  The rules of one call (of the
 * members) are consecutive, the first that matches wins; `last` ends them. */
struct sem_when {
	const char *sel[2];
	uint64_t v[2];
	uint8_t nsel;
	struct sr_sarg t;
	bool last;
	const char *as;    /* NULL, or the argument's name under this rule
			    * (prctl's arg2 is "capability" for PR_CAPBSET_READ) */
};

const struct sem_when *sr_sem_when(uint16_t i);
/* Set `set`.  Set indices are per architecture: the signatures of arch
 * refer to its sets, so a set index alone gives the values of the trace's
 * architecture (O_DIRECTORY is 0x10000 on x86_64, 0x4000 on aarch64). */
const struct sem_set *sr_sem_set(uint16_t set);
/* The index of the set called name on arch; 0 when none. */
uint16_t sr_sem_set_named(enum sr_arch arch, const char *name);
/* The architecture of a signature of sr_signature_find(); the default for
 * NULL or any other. */
enum sr_arch sr_sem_sig_arch(const struct sr_signature *sig);
const struct sem_const *sr_sem_consts(void);
/* The type of a struct member by its name (SR_T_INT when none is known). */
struct sr_sarg sr_sem_field(const char *name, size_t len);
/* The same, and *when: 0, or the first rule of sr_sem_when() that may
 * refine it from the member's siblings. */
struct sr_sarg sr_sem_member(const char *name, size_t len, uint16_t *when);

/* A struct member's entry in the generated table. */
struct sem_field {
	struct sr_sarg t;
	uint16_t when;
};
/* The name of value v in set (enum), NULL when none. */
const char *sr_sem_enum_name(uint16_t set, uint64_t v, uint8_t *len);
/* The value of name in set, or in any set of the set's architecture. */
bool sr_sem_set_value(uint16_t set, const char *name, size_t len, uint64_t *v);

/* sr_semantic_value() built into s (zeroed by the caller) instead of a
 * new node: the event record fills its argument array in place.  False
 * only when out of memory. */
bool sr_semantic_value_in(struct sr_sval *s, const struct sr_value *v, struct sr_sarg type,
			  struct sr_arena *a);

/* The base strace prints a number of type t in by default: hex for
 * addresses and the types whose numbers are pointers or hex words. */
static inline enum sr_base sr_sem_int_base(uint8_t t)
{
	switch (t) {
	case SR_T_PTR:
	case SR_T_ADDR:
	case SR_T_STRUCT:
	case SR_T_STR:
	case SR_T_PATH:
	case SR_T_BUF:
	case SR_T_STRV:
	case SR_T_XINT:
		return SR_BASE_HEX;
	default:
		return SR_BASE_DEC;
	}
}

#endif /* SR_SEMANTIC_INTERNAL_H */
