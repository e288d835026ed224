/*
 * sysstats.c - per-syscall aggregation (see sysrep.h): one row per atom
 * id, so adding an event is an index and three additions.
 */

#include <stdlib.h>
#include <string.h>

#include "sysrep.h"

struct sr_sysstats {
	struct sr_sysrow *by_id; /* owned: indexed by atom id; name NULL: unused */
	size_t cap;
	struct sr_sysrow *sorted; /* owned */
	bool timed;
	/* The rows of strace -c summary tables in the input, used when it
	 * holds no call (a file of strace -c output alone). */
	struct sr_sysrow *sum_by_id; /* owned, as by_id */
	size_t sum_cap;
	bool sum_timed;
};

struct sr_sysstats *sr_sysstats_new(void)
{
	return calloc(1, sizeof(struct sr_sysstats));
}

void sr_sysstats_free(struct sr_sysstats *s)
{
	if (!s)
		return;
	free(s->by_id);
	free(s->sum_by_id);
	free(s->sorted);
	free(s);
}

/* The row of atom id in *rows (grown to hold it); NULL when out of memory. */
static struct sr_sysrow *row_at(struct sr_sysrow **rows, size_t *cap, uint32_t id)
{
	if (id >= *cap) {
		size_t n = *cap ? *cap : 256;
		struct sr_sysrow *p;

		while (n <= id)
			n *= 2;
		p = realloc(*rows, n * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + *cap, 0, (n - *cap) * sizeof(*p));
		*rows = p;
		*cap = n;
	}
	return &(*rows)[id];
}

enum sr_status sr_sysstats_add(struct sr_sysstats *s, const struct sr_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		struct sr_sysrow *r;

		if (ev->kind == SR_E_SUMMARY && ev->name && ev->sum && ev->sum->row == SR_SUM_ROW) {
			if (!(r = row_at(&s->sum_by_id, &s->sum_cap, ev->name->id)))
				return SR_ERR_NOMEM;
			r->name = ev->name;
			r->calls += ev->sum->calls;
			r->errors += ev->sum->errors;
			if (ev->sum->has & (1u << SR_SC_SECONDS)) {
				r->ns += (uint64_t)(ev->sum->seconds * 1e9 + 0.5);
				s->sum_timed = true;
			}
			continue;
		}
		/* strace -c counts the calls that returned: not exit_group, not
		 * a call its task died in ("= ?") */
		if (ev->kind != SR_E_SYSCALL || !ev->name || !ev->has_ret || !ev->ret)
			continue;
		if (!(r = row_at(&s->by_id, &s->cap, ev->name->id)))
			return SR_ERR_NOMEM;
		r->name = ev->name;
		r->calls++;
		r->errors += ev->err != NULL;
		if (ev->duration.clock != SR_CLOCK_NONE) {
			r->ns += (uint64_t)ev->duration.sec * 1000000000u + ev->duration.nsec;
			s->timed = true;
		}
	}
	return SR_OK;
}

static int by_time(const void *a, const void *b)
{
	const struct sr_sysrow *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name->str, y->name->str);
}

const struct sr_sysrow *sr_sysstats_rows(struct sr_sysstats *s, size_t *n,
					 struct sr_sysrow *total, bool *timed)
{
	size_t k = 0, cap = s->cap;
	const struct sr_sysrow *rows = s->by_id;
	bool any = false;

	for (size_t i = 0; i < s->cap && !any; i++)
		any = s->by_id[i].name != NULL;
	if (!any && s->sum_cap) { /* no call: the summary tables' rows */
		rows = s->sum_by_id;
		cap = s->sum_cap;
	}
	memset(total, 0, sizeof(*total));
	*timed = any || !s->sum_cap ? s->timed : s->sum_timed;
	free(s->sorted);
	s->sorted = malloc((cap ? cap : 1) * sizeof(*s->sorted));
	if (!s->sorted) {
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < cap; i++) {
		if (!rows[i].name)
			continue;
		s->sorted[k++] = rows[i];
		total->calls += rows[i].calls;
		total->errors += rows[i].errors;
		total->ns += rows[i].ns;
	}
	qsort(s->sorted, k, sizeof(*s->sorted), by_time);
	*n = k;
	return s->sorted;
}
