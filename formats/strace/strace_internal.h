/*
 * strace_internal.h - the strace text reader's private header: the line
 * parser (strace_parse.c, strace_value.c) and parallel parsing
 * (strace_par.c).  The printer of core/strace_text.h is the definition of
 * the round trip: a line it cannot reproduce is kept verbatim.  The parser
 * notes (struct sr_stp's doubt) every spelling it read that the printer
 * might not give back, and the reader prints back and compares only the
 * lines so noted (all of them with the option verify=all).
 */
#ifndef STRACE_INTERNAL_H
#define STRACE_INTERNAL_H

#include <stdlib.h>

#include "sysrep.h"
#include "strace_text.h"

/* Why a line must be printed back and compared with its input: the parser
 * read something the grammar allows in more than one spelling, or that the
 * printer writes differently, and kept only its value.  Every spelling not
 * listed here is kept as read (a number's text, a name, a path, a comment)
 * or is the only one the parser accepts (", " between arguments, " => "),
 * so the printer gives it back by construction. */
enum sr_doubt {
	SR_DOUBT_PID = 1 << 0,      /* a pid with leading zeros, or padded unlike "%-5u " / "%5u" */
	SR_DOUBT_TIME = 1 << 1,     /* a time of day past 59, a '.' without digits, a leading
				     * zero or an overlong -r / -ttt number */
	SR_DOUBT_NR = 1 << 2,       /* -n: a syscall number with leading zeros */
	SR_DOUBT_IP = 1 << 3,       /* -i: capital hex digits */
	SR_DOUBT_DURATION = 1 << 4, /* -T: a leading zero, a '.' without digits, more than
				     * nine digits, an overlong number */
	SR_DOUBT_ESCAPE = 1 << 5,   /* a string whose escapes are not the ones the printer
				     * writes ("\x41", "\101", "\X0a", "\00" before a digit...) */
	SR_DOUBT_RAW = 1 << 6,      /* a string holding a byte the printer escapes (a tab,
				     * a control byte, a byte past 0x7e) */
	SR_DOUBT_SEP = 1 << 7,      /* separators mixed inside one struct or set ("{a b, c}",
				     * "~[A, B]"), or "{ a}" (padded on one side only) */
	SR_DOUBT_TAIL = 1 << 8,     /* a cut or resumed call's rarer tails: " <unfinished ...
				     * exit status N>", " <pid changed to N ...>",
				     * "resumed> <unfinished ...>", a bare -z tail */
	SR_DOUBT_KIND = 1 << 9,     /* a line other than a call: a signal, an exit, a -c row,
				     * a message (rare; their numbers are spelled by rule) */
};

/* The option of the strace reader that prints back every line: "-O verify=all". */
#define SR_STRACE_VERIFY_KEY "verify"

/* The parser's state for one line.  Values it builds live in arena; strings
 * without escapes point into the line itself. */
struct sr_stp {
	const char *p;            /* cursor */
	const char *end;          /* end of the line (no newline) */
	const char *line;         /* start of the line, for column numbers */
	struct sr_arena *arena;   /* borrowed */
	struct sr_intern *atoms;  /* borrowed */
	const char *expected;     /* what the parser wanted where it stopped */
	const char *errpos;       /* where it stopped */
	/* a stack of values under construction; kids are copied to the arena
	 * when their parent closes, so nesting needs no per-node malloc */
	struct sr_value *stack;   /* owned */
	size_t sp, scap;
	int depth;
	/* recently interned names (see atom() in strace_parse.c) */
#define SR_STP_ACACHE 256
	const struct sr_atom *acache[SR_STP_ACACHE];
	const struct sr_intern *acache_owner;
	/* the -c table being read: columns from its header, widths from its
	 * rule; ncols == 0 before any header (the default layout is assumed) */
	struct sr_summary table;
	uint32_t doubt;           /* enum sr_doubt: why the line must be printed back */
	const char *padat;        /* a call's return part: just after its ')' (where the
				   * padding before "= " starts) */
	struct sr_buf spell;      /* owned: an escaped string spelled back (strace_value.c) */
};

void sr_stp_init(struct sr_stp *ps, struct sr_arena *arena, struct sr_intern *atoms);
void sr_stp_free(struct sr_stp *ps);
void sr_stp_reset(struct sr_stp *ps, const char *line, const char *end);

/* Records a failure at the cursor; returns false for tail calls. */
bool sr_stp_fail(struct sr_stp *ps, const char *expected);

/* Parses "arg, arg, ..." up to (not including) a closing ')' or the end of
 * the text.  Arguments may be named ("flags=..."). Stores the arguments in
 * the arena.  *sep_cut is set when the text ended right after ", ". */
bool sr_stp_args(struct sr_stp *ps, char close, struct sr_value **out, uint32_t *n,
		 bool *sep_cut);
/* sr_stp_args() for a list whose first nhead items (nhead > 0) were parsed
 * before, from a text that stopped right after the last of them
 * (after_sep: after the ", " that followed it): the cursor is where that
 * text went on.  Gives the items sr_stp_args() gives on the whole list when
 * the text after the last kept item starts with ')' or ", " (after_sep:
 * any text), which can extend no item. */
bool sr_stp_args_cont(struct sr_stp *ps, char close, const struct sr_value *head,
		      uint32_t nhead, bool after_sep, struct sr_value **out, uint32_t *n,
		      bool *sep_cut);
/* Parses one value (a full expression, with comment and "=>"). */
bool sr_stp_value(struct sr_stp *ps, struct sr_value *out);

/* Parses one line (without its newline) into ev.  Never fails: a line it
 * cannot parse becomes SR_E_UNPARSED.  For a call, sets *body to the text of
 * "name(args..." so the reader can keep an unfinished call's first half.
 * The caller sets ev->line. */
enum sr_line_shape {
	SR_LINE_EVENT = 0,   /* ev is complete */
	SR_LINE_ATTACH,      /* the line belongs to the previous event (att filled) */
	SR_LINE_UNFINISHED,  /* ev is an UNFINISHED marker; *body = "name(args..." */
	SR_LINE_RESUMED,     /* "<... name resumed>": ev->lead set, ev->name set,
			      * *body = the text after "resumed>", *tail = the rest
			      * of the line from the return part on */
};
struct sr_line_info {
	struct sr_str body;      /* UNFINISHED: "name(args"; RESUMED: tail after "resumed>" */
	bool resumed_cut;        /* RESUMED: " <unfinished ...>" followed "resumed>" */
};
enum sr_line_shape sr_strace_parse_line(struct sr_stp *ps, const char *line, size_t len,
					struct sr_event *ev, struct sr_attach *att,
					struct sr_line_info *info);

/* strace <= 4.x's own messages, printed without "strace: ": "Process 5
 * attached - interrupt to quit", "Process 5 detached"... at p. */
bool sr_strace_old_message(const char *p, const char *end);
/* Where strace wrote one of its own messages into the middle of a line
 * (no -o: trace and messages share stderr), or 0.  The reader splits the
 * line there; the piece planner finds the same places. */
size_t sr_strace_splice_at(const char *line, size_t len);

/* " > frame", " | dump |", " * N bytes in buffer K": false when not one. */
bool sr_strace_parse_attach(const char *p, const char *end, struct sr_attach *a);

/* Parses "name(args...) = ret ..." (the body after the leader) into ev: the
 * call, its return part and -T duration.  Used for complete lines and for an
 * unfinished call joined with its resumption. */
bool sr_strace_parse_call(struct sr_stp *ps, const char *s, const char *end,
			  struct sr_event *ev);

/* sr_strace_parse_call() on a cut call joined with its resumption, s..end
 * ("name(args" then the tail), when the cut call's arguments were parsed
 * at the cut (head, nhead > 0, after_sep: they ended with ", "): only the
 * tail, from s + pre, is parsed.  The tail must start with ')' or ", "
 * unless after_sep (see sr_stp_args_cont()); ev->name is set already. */
bool sr_strace_parse_call_cont(struct sr_stp *ps, const char *s, const char *end, size_t pre,
			       const struct sr_value *head, uint32_t nhead, bool after_sep,
			       struct sr_event *ev);

/* When line starts like "write(FD, "...", N" (its end cut off by the
 * program's output to the same terminal), the length of that prefix and N;
 * else 0.  Uses ps's arena. */
size_t sr_strace_write_prefix(struct sr_stp *ps, const char *line, size_t len, uint64_t *count);

/* True when a number printed by -ff in a file name suffix: "trace.1234". */
int64_t sr_strace_pid_from_name(const char *name);

/* ------------------------------------------------------------------ */
/* Parallel parsing of one strace file (in_strace.c, strace_par.c).     */

/* What a worker did to its table of unfinished calls, in order.  origin
 * names a cut call: the chunk-local number of its "<unfinished ...>". */
enum sr_pop_kind {
	SR_POP_UNFINISHED = 1, /* a cut call was kept: pid, name, start, text, origin */
	SR_POP_RESUME,         /* a resumption matched origin (0: none), consumed it or
				* not; evi, text (the line), lineno, may_splice to parse
				* it again; bare: a -z tail after the line before */
	SR_POP_EXIT,           /* pid exited or was killed */
	SR_POP_SUPERSEDED,     /* pid took over thread code's cut execve */
	SR_POP_CUT,            /* the line just parsed was cut (origin) or not (0) */
};

struct sr_pop {
	uint8_t op;             /* enum sr_pop_kind */
	bool bare, consumed, may_splice;
	int64_t pid, code;
	const struct sr_atom *name; /* borrowed: the worker's interning table */
	struct sr_time start;
	struct sr_str text;     /* borrowed: the chunk or the batch arena */
	uint64_t origin;
	size_t evi;
	uint64_t lineno;
};

struct sr_reader;
/*
 * A batch holds at most about this many lines, whatever their bytes: memory
 * goes by events (an event is some 300 bytes before its values), so a chunk
 * of 1 MiB of empty lines would otherwise be a million events (issue 22:
 * 10 MB of empty lines took 307 MB, 1.5 GB with -j 2).
 */
#define SR_STRACE_BATCH_LINES 8192
/* The end of the first max lines of buf[0..len), moved on past attachment
 * lines so that none is parted from its event; len when there are fewer. */
size_t sr_strace_cut_lines(const char *buf, size_t len, size_t max);
enum sr_status sr_strace_parse_range(struct sr_reader *r, struct sr_batch *b, const char *buf,
				     size_t len, bool eof);
/* A reader without a source; logging: a worker that records struct sr_pop. */
struct sr_reader *sr_strace_worker_new(const char *source, bool logging);
void sr_strace_worker_free(struct sr_reader *r); /* accepts NULL */
/* Empties the state (a worker before its next chunk). */
void sr_strace_worker_reset(struct sr_reader *r);
/* Continues the line numbers at lineno (a sequential reader taking a chunk). */
void sr_strace_worker_start(struct sr_reader *r, uint64_t lineno);
/* True when the next line's parse depends on more than the table of cut
 * calls: a cut line before it (-z tails), a spliced message or program
 * output waiting for its rest, a -c table header. */
bool sr_strace_worker_carries(const struct sr_reader *r);
/* Replays worker w's records of the chunk it parsed into wb onto seq, the
 * sequential reader at the start of that chunk: wb's line numbers move by
 * base, its atoms go through remap into tmp->atoms, and each resumption
 * seq matches differently from w is parsed again into tmp (whose arena
 * must then live as long as wb's).  tag: this chunk's origins (the chunk
 * number << 32).  Afterwards seq is at the end of the chunk. */
enum sr_status sr_strace_stitch(struct sr_reader *seq, const struct sr_reader *w,
				struct sr_batch *wb, struct sr_batch *tmp, uint64_t base,
				uint64_t tag, const struct sr_atom *(*remap)(void *ctx,
									const struct sr_atom *a),
				void *ctx);

/* ------------------------------------------------------------------ */
/* Pieces of one big file read independently (strace_piece.c).          */

/* What a line does to the table of cut calls (sr_strace_cut_shape). */
enum sr_cut_shape {
	SR_CUT_OTHER = 0,    /* nothing */
	SR_CUT_ATTACH_LIKE,  /* " > ", " | "...: an attachment when it parses */
	SR_CUT_UNFINISHED,   /* a cut call: name */
	SR_CUT_RESUMED,      /* "<... name resumed>": name */
	SR_CUT_EXIT,         /* "+++ exited with N +++" or "+++ killed by ... +++" */
	SR_CUT_SUPERSEDED,   /* "+++ superseded by execve in pid CODE +++" */
};
/* The shape of one line (no newline), its leader's pid (-1: none) and the
 * call's name, read as sr_strace_parse_line() reads them.  code: EXIT's
 * status, SUPERSEDED's pid, UNFINISHED's length of "...name(args". */
enum sr_cut_shape sr_strace_cut_shape(const char *line, size_t len, int64_t *pid,
				      struct sr_str *name, int64_t *code);

/* The strace reader's "piece" option, parsed (strace_piece.c). */
struct sr_piece_call {
	int64_t pid;
	struct sr_str name;      /* into the spec */
};
enum sr_ahead_kind { SR_AHEAD_RESUME = 1, SR_AHEAD_DROP, SR_AHEAD_REPID };
struct sr_ahead {
	uint8_t kind;            /* enum sr_ahead_kind */
	int64_t pid, pid2;       /* DROP: pid; REPID: pid -> pid2 */
	uint64_t off, line;      /* RESUME: the line's byte offset and number */
};
struct sr_piece_spec {
	uint64_t start, end, line;   /* bytes [start, end), line = number of the first */
	bool last;                   /* end is the end of the file */
	struct sr_piece_call *open;  /* owned: cut calls open at start (earlier pieces') */
	size_t nopen;
	struct sr_piece_call *close; /* owned: cut calls open at end, as the plan saw them */
	size_t nclose;
	struct sr_ahead *ahead;      /* owned: this piece's calls after its end, in order */
	size_t nahead;
	char *text;                  /* owned: a copy of the spec the names point into */
};
enum sr_status sr_piece_spec_parse(struct sr_piece_spec *ps, const char *spec,
				   struct sr_error *err);
void sr_piece_spec_free(struct sr_piece_spec *ps);

#endif
