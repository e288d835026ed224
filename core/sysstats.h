/*
 * sysstats.h - per-syscall counts, errors and -T time, for the strace -c
 * table of "sysrep stats" (from any input format).
 */
#ifndef SR_SYSSTATS_H
#define SR_SYSSTATS_H

#include "sysrep.h"

struct sr_sysrow {
	const struct sr_atom *name; /* borrowed from the run's table */
	uint64_t calls, errors;
	uint64_t ns;                /* sum of -T durations */
};

struct sr_sysstats;
struct sr_sysstats *sr_sysstats_new(void); /* NULL when out of memory */
void sr_sysstats_free(struct sr_sysstats *s); /* accepts NULL */
/* Counts every SYSCALL event of b that returned (a complete call, or one
 * joined from its resumption; "= ?" is not counted, as strace -c does not);
 * SR_ERR_NOMEM on failure. */
enum sr_status sr_sysstats_add(struct sr_sysstats *s, const struct sr_batch *b);
/* The rows sorted as strace -c sorts them (time, then calls, then name),
 * and the total; *timed: whether any call carried a -T duration.  The
 * array is owned by s and valid until the next add. */
const struct sr_sysrow *sr_sysstats_rows(struct sr_sysstats *s, size_t *n,
					 struct sr_sysrow *total, bool *timed);

#endif /* SR_SYSSTATS_H */
