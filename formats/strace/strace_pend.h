/*
 * strace_pend.h - the strace reader's table of cut calls.
 *
 * A call cut by "<unfinished ...>" waits here until its "<... resumed>"
 * line.  Lookups by pid (every resumption, exit and cut) and by origin
 * (the -j replay) are hashed, so ten thousand tasks inside a call at once
 * cost what one does: nothing in the table is ever scanned per line.
 * Slots are reused through a free list; a slot's address stays valid until
 * the next sr_pend_add() (which may grow the array).
 */
#ifndef SR_STRACE_PEND_H
#define SR_STRACE_PEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysrep.h"

struct sr_pending {
	int64_t pid;                 /* -1: the line had no pid prefix */
	const struct sr_atom *name;  /* borrowed */
	struct sr_time start;
	char *text;                  /* owned: "name(args" as printed before the cut */
	size_t len, cap;
	/* the arguments parsed at the cut, borrowed from the batch they were
	 * parsed into (the reader's batch `head_b` in its generation
	 * `head_gen`): a resumption in the same batch parses only its tail */
	const struct sr_value *head; /* valid when nhead > 0 */
	uint32_t nhead;
	uint32_t hdoubt;             /* the cut line's doubts (enum sr_doubt) */
	bool head_sep;               /* the arguments ended with ", " */
	const void *head_b;
	uint64_t head_gen;
	uint64_t origin;             /* which cut made it (strace_par.c compares them) */
	bool used;
};

struct sr_pend_table {
	struct sr_pending *slot;     /* owned */
	size_t nslot, capslot;       /* nslot: slots ever handed out */
	uint32_t *free;              /* owned: indexes of unused slots */
	size_t nfree;
	uint32_t *by_pid, *by_origin; /* owned: open addressing, slot index + 1, 0 empty */
	size_t hmask;                /* hash size - 1 (0: no hash yet) */
	size_t nlive, nbare;         /* used slots; used slots with pid -1 */
};

/* The live cut call of pid, or NULL. */
struct sr_pending *sr_pend_find(const struct sr_pend_table *t, int64_t pid);
/* The live cut call made by cut `origin`, or NULL. */
struct sr_pending *sr_pend_origin(const struct sr_pend_table *t, uint64_t origin);
/* The cut call a resumption of (pid, name) continues: pid's own, or else
 * the one cut call of that name whose pid prefix differs in presence
 * (strace drops the prefix while a single task is traced).  NULL when
 * there is none or more than one. */
struct sr_pending *sr_pend_match(const struct sr_pend_table *t, int64_t pid,
				 const struct sr_atom *name);
/* pid's slot, taken fresh (origin set) or, when pid already has a cut call,
 * that one (a second cut without a resumption replaces the first: its
 * origin is kept).  NULL when out of memory. */
struct sr_pending *sr_pend_add(struct sr_pend_table *t, int64_t pid, uint64_t origin);
/* Gives a live cut call another origin (the -j replay's numbering). */
void sr_pend_set_origin(struct sr_pend_table *t, struct sr_pending *p, uint64_t origin);
/* Ends a cut call; its slot goes back to the free list (text kept for reuse). */
void sr_pend_drop(struct sr_pend_table *t, struct sr_pending *p);
/* Moves a live cut call to another pid (execve by a thread). */
void sr_pend_repid(struct sr_pend_table *t, struct sr_pending *p, int64_t pid);
/* Drops every cut call. */
void sr_pend_clear(struct sr_pend_table *t);
void sr_pend_free(struct sr_pend_table *t);
/* Copies text into p's owned buffer (and forgets the head); false when out
 * of memory. */
bool sr_pend_set_text(struct sr_pending *p, const char *s, size_t n);

#endif
