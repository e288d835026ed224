/*
 * strace_text.h - the strace text spelling of events and values
 * (core/strace_print.c): what the strace writer writes, what the strace
 * reader compares its input with, and how the other writers (jsonl, csv,
 * chrome, archive, report, tree) spell values and calls as text.
 */
#ifndef SR_STRACE_TEXT_H
#define SR_STRACE_TEXT_H

#include "buf.h"
#include "sysrep.h"

/* Printing.  Each appends to b. */
void sr_strace_print_value(struct sr_buf *b, const struct sr_value *v);
void sr_strace_print_leader(struct sr_buf *b, const struct sr_leader *l);
/* "name(args" without the closing paren: the text that an unfinished
 * marker prints and that a resumed event splits. */
void sr_strace_print_call_open(struct sr_buf *b, const struct sr_event *ev);
/* The whole line for ev, without the newline. */
void sr_strace_print_event(struct sr_buf *b, const struct sr_event *ev);
void sr_strace_print_attach(struct sr_buf *b, const struct sr_attach *a);
/* The event's lines as strace wrote them: the line with any spliced
 * messages, its attachments, each with its newline (but the last when the
 * input ended without one). */
void sr_strace_print_full(struct sr_buf *b, const struct sr_event *ev);
void sr_strace_print_string(struct sr_buf *b, const char *s, size_t n, unsigned flags);

/* SR_VF_OLD_SYSINFO: what strace <= 4.9's sysinfo printer wrote after each of
 * its nine members (uptime, loads, totalram, freeram, sharedram, bufferram,
 * totalswap, freeswap, procs), the last one the closing brace. */
#define SR_OLD_SYSINFO_MEMBERS 9
extern const char *const sr_old_sysinfo_sep[SR_OLD_SYSINFO_MEMBERS];

#endif /* SR_STRACE_TEXT_H */
