/*
 * wire_walk.h - the one walk of events and value trees that the Protocol
 * Buffers and MessagePack writers share, and the one builder their readers
 * share (docs/pb-msgpack.md).
 *
 * Writers: sr_wire_out holds what every wire writer keeps (the sink, the
 * string table, the header's defaults, the syscall-number memo, the line
 * counter); the walk visits an event's fields in the order both formats
 * write them, decides which are present, recurses into the value tree, and
 * calls the format's emitter, which only encodes.  A format names each
 * field in its own table (a pb field number, a msgpack key).
 *
 * Readers: sr_wire_in holds the input buffer, the string table and the
 * header's defaults; the sr_wire_build_* functions turn decoded items back
 * into events and value trees in the batch's arena, with the errors both
 * readers report.
 */
#ifndef SR_WIRE_WALK_H
#define SR_WIRE_WALK_H

#include "wire.h"

/* ------------------------------------------------------------------ */
/* Fields                                                              */

/* Every field of the header and the event, in the order written. */
enum sr_wf {
	SR_WF_NONE,
	/* the header */
	SR_WF_MAGIC, SR_WF_SCHEMA, SR_WF_SOURCE_FORMAT, SR_WF_SOURCE_NAME, SR_WF_GENERATOR,
	SR_WF_ARCH, SR_WF_H_PID_FORM, SR_WF_H_TIME_CLOCK, SR_WF_H_TIME_DIGITS,
	SR_WF_H_REL_DIGITS, SR_WF_H_REL_WIDTH, SR_WF_H_DUR_DIGITS, SR_WF_H_DURATIONS,
	SR_WF_H_NUMBERS, SR_WF_H_IPS, SR_WF_H_FDS, SR_WF_H_RELATIVE, SR_WF_H_OPTIONS,
	SR_WF_H_OPTION, SR_WF_H_NUMBERS_FROM_ARCH,
	/* the event */
	SR_WF_KIND, SR_WF_LINE,
	SR_WF_LEAD,       /* group: the whole leader (pb's Leader) */
	SR_WF_PID,
	SR_WF_PID_FORM,   /* where pb writes it: beside the pid */
	SR_WF_TIME, SR_WF_REL,
	SR_WF_LEAD_REST,  /* group: the leader's rarer fields (msgpack's "L") */
	SR_WF_PID_FORM_REST, /* where msgpack writes it: first of the rarer fields */
	SR_WF_COMM, SR_WF_SECONTEXT, SR_WF_HAS_NR, SR_WF_NR_UNKNOWN, SR_WF_NR_WIDTH,
	SR_WF_LEAD_NR, SR_WF_HAS_IP, SR_WF_IP_UNKNOWN, SR_WF_IP_DIGITS, SR_WF_IP,
	SR_WF_IP_SPACED,  /* strace <= 4.7: -i addresses padded with spaces */
	SR_WF_NAME, SR_WF_ARGS, SR_WF_ARG, SR_WF_RET, SR_WF_RET_UNKNOWN, SR_WF_DURATION,
	SR_WF_FLAGS, SR_WF_PAD, SR_WF_SPLIT, SR_WF_ERR, SR_WF_ERRMSG, SR_WF_START, SR_WF_NR,
	SR_WF_NOTES, SR_WF_NOTE, SR_WF_UNAVAIL, SR_WF_CODE, SR_WF_TEXT,
	SR_WF_SUM,        /* group */
	SR_WF_SUM_ROW, SR_WF_SUM_COLS, SR_WF_SUM_WIDTHS, SR_WF_SUM_HAS, SR_WF_SUM_PCT,
	SR_WF_SUM_SECONDS, SR_WF_SUM_MIN, SR_WF_SUM_MAX, SR_WF_SUM_USECS, SR_WF_SUM_CALLS,
	SR_WF_SUM_ERRORS, SR_WF_SUM_HAS_ERRORS,
	SR_WF_ATTS, SR_WF_ATT,  /* a list of groups */
	SR_WF_ATT_KIND, SR_WF_ATT_ADDR, SR_WF_ATT_OFFSET, SR_WF_ATT_MODULE, SR_WF_ATT_SYMBOL,
	SR_WF_ATT_BYTES, SR_WF_ATT_TEXT,
	SR_WF_KID,        /* a value inside another */
	SR_WF__COUNT
};

/* ------------------------------------------------------------------ */
/* Writers                                                             */

struct sr_wire_out;

/* What value_open() says of the value it was given. */
enum { SR_WIRE_LEAF = 0, SR_WIRE_KIDS = 1 };

/*
 * A format's encoder.  The walk calls a field's function only when the
 * field is present (not zero, not empty, not the default), or, for the
 * fields marked in `always`, every time.  A field the format has no place
 * for (no tag, no key) it leaves out.  Errors of the encoding (out of
 * memory) are sticky in the format's own state and reported by frame().
 */
struct sr_wire_emit {
	const char *name;                /* "pb": in messages */
	const char *magic;               /* the header's SR_WF_MAGIC */
	const bool *always;              /* [SR_WF__COUNT] or NULL */
	void *(*open)(struct sr_wire_out *o);  /* the encoder's state; NULL: out of memory */
	void (*close)(void *enc);
	void (*begin)(struct sr_wire_out *o);  /* a header or an event starts */
	/* the header or the event, with the table entries it adds, into the
	 * sink: SR_OK or SR_ERR_NOMEM */
	enum sr_status (*frame)(struct sr_wire_out *o);
	void (*u)(struct sr_wire_out *o, enum sr_wf f, uint64_t v);
	void (*i)(struct sr_wire_out *o, enum sr_wf f, int64_t v);
	void (*b)(struct sr_wire_out *o, enum sr_wf f);  /* true */
	void (*d)(struct sr_wire_out *o, enum sr_wf f, double v);
	void (*bytes)(struct sr_wire_out *o, enum sr_wf f, struct sr_str s);
	void (*str)(struct sr_wire_out *o, enum sr_wf f, struct sr_str s); /* through the table */
	void (*atom)(struct sr_wire_out *o, enum sr_wf f, const struct sr_atom *a);
	void (*time)(struct sr_wire_out *o, enum sr_wf f, const struct sr_time *t,
		     enum sr_wire_tslot slot);
	void (*u8s)(struct sr_wire_out *o, enum sr_wf f, const uint8_t *v, unsigned int n);
	/* A list of n items (written each as the item field, one call each)
	 * or a group of fields and its end; mark is the walk's memory for the
	 * format (where the group starts). */
	void (*list)(struct sr_wire_out *o, enum sr_wf f, uint32_t n);
	void (*open_group)(struct sr_wire_out *o, enum sr_wf f, size_t mark[2]);
	void (*close_group)(struct sr_wire_out *o, enum sr_wf f, size_t mark[2]);
	/* A value of a known kind (SR_V_INT..SR_V_INDEX): SR_WIRE_LEAF when
	 * written whole, SR_WIRE_KIDS when its kids are to be walked (as
	 * SR_WF_KID) before value_close(). */
	int (*value_open)(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v,
			  size_t mark[2]);
	void (*value_close)(struct sr_wire_out *o, enum sr_wf f, const struct sr_value *v,
			    size_t mark[2]);
	/* The event's semantic record (include/sysrep.h), after its other
	 * fields, unless -O record=spelling.  NULL: the format carries none
	 * (and takes no "record" option). */
	void (*sem)(struct sr_wire_out *o, const struct sr_event *ev,
		    const struct sr_sem_event *se);
};

/* What every wire writer keeps. */
struct sr_wire_out {
	const struct sr_wire_emit *e;
	void *enc;                 /* owned: e->open()'s state */
	struct sr_sink *out;       /* borrowed */
	struct sr_wst strs;        /* owned: the stream's string table */
	struct sr_wire_hdr hdr;
	enum sr_arch arch;
	struct sr_nr_memo memo[SR_NR_MEMO];
	bool started;              /* the header is written */
	uint64_t next_line;        /* the line an event without `line` has */
	/* the semantic record: NULL unless e->sem and not record=spelling */
	struct sr_semantic *sem;   /* owned: signatures of o->arch */
	struct sr_arena *arena;    /* owned: one batch's records */
};

/* The writer-class functions of a wire format (open with its emitter). */
enum sr_status sr_wire_writer_open(struct sr_writer **wp, struct sr_sink *out,
				   const struct sr_opts *opts, const struct sr_wire_emit *e,
				   struct sr_error *err);
enum sr_status sr_wire_writer_write(struct sr_writer *w, const struct sr_batch *b,
				    struct sr_error *err);
enum sr_status sr_wire_writer_finish(struct sr_writer *w, struct sr_error *err);
void sr_wire_writer_close(struct sr_writer *w);
extern const struct sr_optdesc sr_wire_writer_keys[];

/* The option keys of a format that carries the semantic record. */
extern const struct sr_optdesc sr_wire_writer_sem_keys[];

/* Defines the writer class sr_out_<fmt> of a wire format with emitter emit
 * (what else differs between the formats). */
#define SR_WIRE_WRITER(fmt, ext_, summary_, emit) \
	SR_WIRE_WRITER_KEYS(fmt, ext_, summary_, emit, sr_wire_writer_keys)
/* The same with the option keys keys_ */
#define SR_WIRE_WRITER_KEYS(fmt, ext_, summary_, emit, keys_) \
	static enum sr_status fmt##_open(struct sr_writer **wp, struct sr_sink *out, \
					 const struct sr_opts *opts, struct sr_error *err) \
	{ \
		return sr_wire_writer_open(wp, out, opts, &(emit), err); \
	} \
	const struct sr_writer_class sr_out_##fmt = { \
		.name = #fmt, .ext = ext_, .summary = summary_, .open = fmt##_open, \
		.write = sr_wire_writer_write, .finish = sr_wire_writer_finish, \
		.close = sr_wire_writer_close, .opt_keys = keys_, \
	}

/* ------------------------------------------------------------------ */
/* Readers                                                             */

/* What every wire reader keeps. */
struct sr_wire_in {
	const char *name;          /* "pb": in messages */
	struct sr_source *in;      /* borrowed */
	unsigned char *buf;        /* owned: input not yet decoded is buf[pos..len) */
	size_t len, cap, pos;
	uint64_t off;              /* stream offset of buf[0] */
	bool eof, started;
	struct sr_rst strs;        /* owned: the stream's string table */
	struct sr_wire_hdr hdr;    /* defaults from the header */
	enum sr_arch arch;         /* numbers_from_arch: the table; else unknown */
	struct sr_nr_memo memo[SR_NR_MEMO];
	uint64_t next_line;
	/* the event being built */
	struct sr_batch *b;        /* borrowed */
	const char *why;           /* what was expected, set on failure */
};

/* The reader-class functions of a wire format (its name in messages). */
enum sr_status sr_wire_reader_open(struct sr_reader **rp, struct sr_source *in, const char *name,
				   struct sr_error *err);
void sr_wire_reader_close(struct sr_reader *r);
/* Defines the reader class sr_in_<fmt> of a wire format: its probe and
 * next() (what differs between the formats). */
#define SR_WIRE_READER(fmt, exts_, summary_, probe_, next_) \
	static enum sr_status fmt##_open(struct sr_reader **rp, struct sr_source *in, \
					 const struct sr_opts *opts, struct sr_error *err) \
	{ \
		(void)opts; \
		return sr_wire_reader_open(rp, in, #fmt, err); \
	} \
	const struct sr_reader_class sr_in_##fmt = { \
		.name = #fmt, .exts = exts_, .summary = summary_, .probe = probe_, \
		.open = fmt##_open, .next = next_, .close = sr_wire_reader_close, \
	}

static inline struct sr_wire_in *sr_wire_reader_in(struct sr_reader *r)
{
	return (struct sr_wire_in *)r; /* its first member (wire_build.c) */
}
/* Makes buf[pos..len) hold at least need bytes, unless the input ends. */
enum sr_status sr_wire_fill(struct sr_wire_in *r, size_t need, struct sr_error *err);
/* The header's syscall table: SR_ERR_UNSUPPORTED (err set) when unknown. */
enum sr_status sr_wire_build_arch(struct sr_wire_in *r, bool from_arch, const char *arch,
				  struct sr_error *err);
/* SR_ERR_UNSUPPORTED (err set) for a schema newer than this sysrep's. */
enum sr_status sr_wire_build_schema(struct sr_wire_in *r, uint64_t version,
				    struct sr_error *err);

/*
 * The builder: each returns false with r->why set (what was expected).
 * Strings by reference come from the stream's table; the others are
 * borrowed from the decoded input, which outlives the batch.
 */
/* A table entry the event adds */
bool sr_wire_build_entry(struct sr_wire_in *r, const void *s, size_t n);
/* A string by reference (ref > 0) */
bool sr_wire_build_ref(struct sr_wire_in *r, uint64_t ref, struct sr_str *out);
/* An atom of the run by reference (ref > 0) */
bool sr_wire_build_atom(struct sr_wire_in *r, uint64_t ref, const struct sr_atom **out);
/* An atom of the run from inline bytes */
bool sr_wire_build_intern(struct sr_wire_in *r, struct sr_str s, const struct sr_atom **out);
/* n zeroed objects of size each in the batch's arena */
void *sr_wire_build_alloc(struct sr_wire_in *r, size_t n, size_t size);
/* A value about to be built at depth: zeroed, and not too deep */
bool sr_wire_build_value(struct sr_wire_in *r, struct sr_value *v, int depth);
/* v's kids: n values, zeroed (none when n is 0) */
bool sr_wire_build_kids(struct sr_wire_in *r, struct sr_value *v, uint64_t n);
/* An INT given without its text gets its canonical spelling */
bool sr_wire_build_spell(struct sr_wire_in *r, struct sr_value *v);
/* v becomes the FLAGS of the table entry "A|B|C" */
bool sr_wire_build_flags(struct sr_wire_in *r, uint64_t ref, struct sr_value *v);
/* An event starts: its defaults from the header */
void sr_wire_build_event(struct sr_wire_in *r, struct sr_event *ev);
/* An event is complete: its line, the next line, its syscall number */
void sr_wire_build_done(struct sr_wire_in *r, struct sr_event *ev, bool has_line, bool has_nr);

/* r->why when the arena is full */
#define SR_WIRE_NOMEM "memory (out of memory)"

#endif /* SR_WIRE_WALK_H */
