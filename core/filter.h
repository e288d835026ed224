/*
 * filter.h - the filter stage of the pipeline: which events go on to the
 * writer, chosen the way strace users choose them.
 *
 *   -e trace=SET   SET: names, %classes (core/tables/classes.in), /regex,
 *                  "all", "none", comma-separated; "!SET" negates it.
 *                  Applies to SYSCALL and UNFINISHED events (an unfinished
 *                  marker goes with its call); other events stay.
 *   --pid N[,M]    only events of these pids (events without a pid, such as
 *                  strace's messages and unparsed lines, stay).
 *   --failed       calls that returned an error (strace -Z);
 *   --successful   calls that returned without one (strace -z).  Both drop
 *                  unfinished markers: the outcome is only known at the
 *                  resumption, whose event holds the whole call.
 *   --since T --until T   events whose time is in [T, T'): seconds on the
 *                  trace's own clock (-ttt: since the epoch, -t/-tt: since
 *                  midnight, also as HH:MM:SS[.frac]); events without a time
 *                  stay.
 *
 * Matching by name is memoized per atom, so the hot loop does no string
 * work; a /regex is compiled once and run once per distinct name.
 */
#ifndef SR_FILTER_H
#define SR_FILTER_H

#include "sysrep.h"

struct sr_filter;

enum sr_filter_status { SR_FILTER_ANY = 0, SR_FILTER_FAILED, SR_FILTER_SUCCESSFUL };

struct sr_filter *sr_filter_new(void); /* NULL when out of memory */
void sr_filter_free(struct sr_filter *f); /* accepts NULL */
/* An independent copy (the memo is per filter: one per thread). */
struct sr_filter *sr_filter_clone(const struct sr_filter *f);

/* "trace=open,%file" or "open,%file" (what -e takes); repeated calls
 * replace the set.  SR_ERR_USAGE for an unknown class, a bad regex or
 * another -e qualifier. */
enum sr_status sr_filter_trace(struct sr_filter *f, const char *spec, struct sr_error *err);
/* "12,34": adds pids. */
enum sr_status sr_filter_pids(struct sr_filter *f, const char *list, struct sr_error *err);
void sr_filter_status(struct sr_filter *f, enum sr_filter_status s);
/* A time "1712345678.5" or "10:00:00.25" into seconds; false when malformed. */
bool sr_filter_parse_time(const char *s, double *out);
/* The window [since, until); pass NAN for an open end. */
void sr_filter_window(struct sr_filter *f, double since, double until);
/* Sets one end of the window: since (true) or until (false). */
void sr_filter_window_end(struct sr_filter *f, bool since, double t);

/* True when the filter removes nothing (no option was given). */
bool sr_filter_is_empty(const struct sr_filter *f);
/* Whether ev passes. */
bool sr_filter_event(struct sr_filter *f, const struct sr_event *ev);
/* Removes the events that do not pass from b, in place, keeping the order
 * and b->lines (the input lines the batch consumed). */
void sr_filter_batch(struct sr_filter *f, struct sr_batch *b);

/* The names of class cls ("%file"), space-separated, or NULL. */
const char *sr_filter_class(const char *cls);

#endif /* SR_FILTER_H */
