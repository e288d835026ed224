/*
 * evtime.h - one time axis for the events of a run, for the views that draw
 * events over time (the chrome writer, the report, the process tree).
 *
 * strace prints times in several clocks: -t/-tt are seconds since midnight
 * (no date), -ttt seconds since the epoch, -r seconds since the previous
 * line, and nothing at all without those flags.  The axis turns each event
 * into nanoseconds:
 *
 *   - TOD times get a day added each time the clock goes backwards by more
 *     than 12 hours (the trace ran past midnight);
 *   - -r times are summed;
 *   - a trace without times gets its event index as microseconds (the
 *     sequence position), so that views still show the order of events.
 *
 * A resumed call starts at the time of its "<unfinished ...>" line; its
 * duration is -T's when printed, else the time between the two lines.
 */
#ifndef SR_EVTIME_H
#define SR_EVTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "sysrep.h"

enum sr_axis {
	SR_AXIS_SEQ = 0, /* no times: event index, 1 us apart */
	SR_AXIS_TOD,	 /* -t/-tt: ns since the first midnight */
	SR_AXIS_EPOCH,	 /* -ttt: ns since the epoch */
	SR_AXIS_REL,	 /* -r: ns since the first event */
};

struct sr_evclock {
	int64_t day;	  /* ns added to TOD times: one day per midnight passed */
	int64_t last_tod; /* the last TOD time seen, day included; -1: none */
	int64_t rel_sum;  /* -r: the running sum */
	uint64_t seq;	  /* events seen so far */
	uint8_t axis;	  /* enum sr_axis of the last event with a time */
};

#define SR_NS_PER_SEC 1000000000ll

void sr_evclock_init(struct sr_evclock *c);

/*
 * Places ev on the axis and counts it: *start is when the event (or the
 * call) began, *dur how long the call took, or -1 when the trace does not
 * say.  Call it for every event of the run, in order, so that the sequence
 * positions of untimed events are their event indexes.  Returns the axis
 * the event's time is on.
 */
enum sr_axis sr_evclock_place(struct sr_evclock *c, const struct sr_event *ev, int64_t *start,
			      int64_t *dur);

/* The axis names "seq", "tod", "epoch", "rel". */
const char *sr_axis_name(enum sr_axis a);

#endif /* SR_EVTIME_H */
