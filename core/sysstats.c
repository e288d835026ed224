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
	free(s->sorted);
	free(s);
}

enum sr_status sr_sysstats_add(struct sr_sysstats *s, const struct sr_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		struct sr_sysrow *r;

		/* strace -c counts the calls that returned: not exit_group, not
		 * a call its task died in ("= ?") */
		if (ev->kind != SR_E_SYSCALL || !ev->name || !ev->has_ret || !ev->ret)
			continue;
		if (ev->name->id >= s->cap) {
			size_t n = s->cap ? s->cap : 256;
			struct sr_sysrow *p;

			while (n <= ev->name->id)
				n *= 2;
			p = realloc(s->by_id, n * sizeof(*p));
			if (!p)
				return SR_ERR_NOMEM;
			memset(p + s->cap, 0, (n - s->cap) * sizeof(*p));
			s->by_id = p;
			s->cap = n;
		}
		r = &s->by_id[ev->name->id];
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
	size_t k = 0;

	memset(total, 0, sizeof(*total));
	*timed = s->timed;
	free(s->sorted);
	s->sorted = malloc((s->cap ? s->cap : 1) * sizeof(*s->sorted));
	if (!s->sorted) {
		*n = 0;
		return NULL;
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->by_id[i].name)
			continue;
		s->sorted[k++] = s->by_id[i];
		total->calls += s->by_id[i].calls;
		total->errors += s->by_id[i].errors;
		total->ns += s->by_id[i].ns;
	}
	qsort(s->sorted, k, sizeof(*s->sorted), by_time);
	*n = k;
	return s->sorted;
}
