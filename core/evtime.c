/*
 * evtime.c - the time axis of the views (see evtime.h).
 */
#include "evtime.h"

#define HALF_DAY (43200 * SR_NS_PER_SEC)
#define DAY (86400 * SR_NS_PER_SEC)

void sr_evclock_init(struct sr_evclock *c)
{
	c->day = 0;
	c->last_tod = -1;
	c->rel_sum = 0;
	c->seq = 0;
	c->axis = SR_AXIS_SEQ;
}

static int64_t ns_of(const struct sr_time *t)
{
	return t->sec * SR_NS_PER_SEC + (int64_t)t->nsec;
}

/* A TOD time on the axis; moves the day forward at midnight. */
static int64_t tod(struct sr_evclock *c, const struct sr_time *t)
{
	int64_t v = ns_of(t) + c->day;

	if (c->last_tod >= 0 && v < c->last_tod - HALF_DAY) {
		c->day += DAY;
		v += DAY;
	}
	c->last_tod = v;
	return v;
}

enum sr_axis sr_evclock_place(struct sr_evclock *c, const struct sr_event *ev, int64_t *start,
			      int64_t *dur)
{
	const struct sr_time *t = &ev->lead.time;
	enum sr_axis axis;
	int64_t at;

	c->seq++;
	*dur = ev->duration.clock != SR_CLOCK_NONE ? ns_of(&ev->duration) : -1;
	if (t->clock == SR_CLOCK_TOD) {
		axis = SR_AXIS_TOD;
		at = tod(c, t);
	} else if (t->clock == SR_CLOCK_EPOCH) {
		axis = SR_AXIS_EPOCH;
		at = ns_of(t);
	} else if (ev->lead.rel.clock == SR_CLOCK_REL) {
		axis = SR_AXIS_REL;
		c->rel_sum += ns_of(&ev->lead.rel);
		at = c->rel_sum;
	} else {
		*start = (int64_t)(c->seq - 1) * 1000;
		return SR_AXIS_SEQ;
	}
	c->axis = axis;
	*start = at;
	if (ev->kind == SR_E_SYSCALL && (ev->flags & SR_EF_RESUMED) &&
	    ev->start.clock == t->clock && (axis == SR_AXIS_TOD || axis == SR_AXIS_EPOCH)) {
		int64_t s = ns_of(&ev->start);

		if (axis == SR_AXIS_TOD) {
			/* the start is on the same day, or just before midnight */
			s += c->day;
			if (s > at + HALF_DAY)
				s -= DAY;
		}
		if (s <= at) {
			*start = s;
			if (*dur < 0)
				*dur = at - s;
		}
	}
	return axis;
}

const char *sr_axis_name(enum sr_axis a)
{
	static const char *const names[] = { "seq", "tod", "epoch", "rel" };

	return (unsigned)a < 4 ? names[a] : "seq";
}
