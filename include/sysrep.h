/*
 * sysrep.h - the public API of libsysrep: the event model, status codes,
 * memory helpers, the reader/writer plug-in interfaces, and the conversion
 * pipeline the command line drives (readers -> batch -> filters -> writers:
 * convert, merge, corpus mode, stats and the strace -c table, the tree and
 * report views).  A library user never needs another header.
 *
 * Ownership in one paragraph: a reader fills a caller-supplied batch.  The
 * batch owns an arena; every event, value, attachment and string that the
 * reader produces lives either in that arena or in the reader's input buffer,
 * and stays valid until the next call of the reader's next() or until the
 * batch is reset.  Names that repeat (syscalls, errnos, signals) are interned
 * once per run in a struct sr_intern and referenced as struct sr_atom
 * pointers, valid until the table is freed.  Writers read batches and never
 * keep pointers into them past write().
 */
#ifndef SYSREP_H
#define SYSREP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SR_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Status and errors                                                   */

/* 0 ok, > 0 not an error, < 0 an error. */
enum sr_status {
	SR_OK = 0,
	SR_END = 1,             /* no more input */
	SR_ERR_NOMEM = -1,
	SR_ERR_IO = -2,
	SR_ERR_PARSE = -3,      /* malformed input data */
	SR_ERR_USAGE = -4,      /* bad option or argument */
	SR_ERR_FORMAT = -5,     /* unknown format, or input of the wrong format */
	SR_ERR_UNSUPPORTED = -6,
};

/* Details of an error.  Optional: every function that takes one accepts NULL. */
struct sr_error {
	enum sr_status code;
	char msg[256];          /* "cannot open input: No such file or directory" */
	char file[256];         /* input or output name, "" when none */
	uint64_t line;          /* 1-based, 0 when not applicable */
	uint32_t col;           /* 1-based, 0 when not applicable */
};

/* Fills err (when not NULL) and returns code.  printf-style message. */
enum sr_status sr_error_set(struct sr_error *err, enum sr_status code,
			    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets err->file (when err is not NULL). */
void sr_error_file(struct sr_error *err, const char *file);
/* "sysrep: cannot parse: file=x line=3 col=7: expected ')'" without the
 * "sysrep: " prefix, into buf; returns buf. */
const char *sr_error_format(const struct sr_error *err, char *buf, size_t n);
const char *sr_status_str(enum sr_status s);

/* ------------------------------------------------------------------ */
/* Byte strings, arenas, interning                                     */

/* A counted byte string; not NUL-terminated unless said so. */
struct sr_str {
	const char *ptr;        /* borrowed */
	size_t len;
};

#define SR_STR(lit) ((struct sr_str){ (lit), sizeof(lit) - 1 })

/* Bump allocator.  Allocations are 8-byte aligned and live until reset. */
struct sr_arena;
struct sr_arena *sr_arena_new(size_t chunk_size); /* 0: default (64 KiB) */
void *sr_arena_alloc(struct sr_arena *a, size_t n); /* NULL when out of memory */
char *sr_arena_memdup(struct sr_arena *a, const void *p, size_t n); /* adds a NUL */
/* Frees all allocations but keeps the largest chunk for reuse. */
void sr_arena_reset(struct sr_arena *a);
void sr_arena_free(struct sr_arena *a); /* accepts NULL */
size_t sr_arena_used(const struct sr_arena *a); /* bytes handed out since reset */

/* An interned name: one per distinct byte string per table. */
struct sr_atom {
	uint32_t id;            /* 0, 1, 2... in order of first interning */
	uint32_t len;
	bool json_plain;        /* bytes need no JSON escaping (printable ASCII, no " or \) */
	const char *str;        /* owned by the table, NUL-terminated */
};

struct sr_intern;
struct sr_intern *sr_intern_new(void);
/* Returns the atom for s[0..n), creating it; NULL when out of memory. */
const struct sr_atom *sr_intern(struct sr_intern *t, const char *s, size_t n);
/* Returns the atom or NULL when s was never interned. */
const struct sr_atom *sr_intern_find(const struct sr_intern *t, const char *s, size_t n);
size_t sr_intern_count(const struct sr_intern *t);
const struct sr_atom *sr_intern_at(const struct sr_intern *t, uint32_t id);
void sr_intern_free(struct sr_intern *t); /* accepts NULL */

/* ------------------------------------------------------------------ */
/* The value tree                                                      */

enum sr_vkind {
	SR_V_INT = 1,   /* integer: num, base; text = spelling as printed ("0x1f", "-1", "0644") */
	SR_V_STR,       /* string: text = decoded bytes; flags TRUNC, HEX_*, ABSTRACT */
	SR_V_NULL,      /* NULL */
	SR_V_IDENT,     /* a bare word: constant, symbol, "???", "&sin6_addr", "<... resuming ...>" */
	SR_V_FLAGS,     /* A|B|0x10: kids are the members (2 or more) */
	SR_V_STRUCT,    /* {a=1, b=2}: kids, each member's name in kid.name ("" when unnamed) */
	SR_V_ARRAY,     /* [1, 2]: kids */
	SR_V_SET,       /* [INT TERM], ~[RTMIN]: space-separated kids; flag COMPLEMENT */
	SR_V_FD,        /* 3</etc/passwd>: kids[0] the fd (INT or IDENT like AT_FDCWD);
			 * text = the annotation between the outer < > exactly as printed */
	SR_V_CALL,      /* makedev(0x1, 0x3): text = function name, kids = arguments */
	SR_V_CHANGED,   /* a => b: kids[0] before the call, kids[1] after */
	SR_V_COMMENT,   /* v C-comment: kids[0] = v (nkids 0: a lone comment);
			 * text = the comment body between the delimiters, spaces included */
	SR_V_ELLIPSIS,  /* ... (abbreviated struct or array) */
	SR_V_EXPR,      /* a OP b: text = operator ("&&", "==", "<<", "*"), kids[0..1] */
	SR_V_INDEX,     /* [VEOF]=4 in an array: kids[0] = index, kids[1] = value */
};

enum sr_base { SR_BASE_DEC = 0, SR_BASE_HEX, SR_BASE_OCT };

/* Value flags */
enum {
	SR_VF_TRUNC = 1 << 0,      /* STR: "..." followed the closing quote */
	SR_VF_HEX_ALL = 1 << 1,    /* STR: every byte printed as \xNN (-xx, or -x with non-ASCII) */
	SR_VF_HEX_CHARS = 1 << 2,  /* STR: non-printable bytes as \xNN, the rest as is */
	SR_VF_ABSTRACT = 1 << 3,   /* STR: prefixed by '@' (abstract unix socket) */
	SR_VF_COMPLEMENT = 1 << 4, /* SET: ~[...] */
	SR_VF_DELETED = 1 << 5,    /* FD: "(deleted)" followed the annotation */
	SR_VF_OLD_ARROW = 1 << 6,  /* CHANGED: printed "a->b" (strace <= 5.11) not "a => b" */
	SR_VF_SPACED = 1 << 7,     /* EXPR: operator printed with a space on each side */
	SR_VF_UNSIGNED = 1 << 8,   /* INT: num.u holds the value (hex, octal, or decimal > INT64_MAX) */
	SR_VF_DELETED_IN = 1 << 9, /* FD: " (deleted)" inside the annotation (older strace):
				    * "3</tmp/x (deleted)>"; text holds the path alone */
	SR_VF_LEADING = 1 << 10,   /* COMMENT: printed before its value, a struct's nonzero tail
				    * "[slash-star] bytes 24..31 [star-slash] "\x01..."" */
	SR_VF_COLON = 1 << 11,     /* STRUCT: members printed "name:value" (strace 4.x user_desc) */
	SR_VF_PADDED = 1 << 13,    /* STRUCT: a space inside the braces, "{ 0 }" (4.x sched_param) */
	SR_VF_OCT9 = 1 << 12,      /* STR: strace <= 4.21's octal rule: three digits before
				    * any digit ("\0009"), not only before 0-7 */
	SR_VF_OLD_SYSINFO = 1 << 14, /* STRUCT: strace <= 4.9's sysinfo separators, "loads=[...]
				    * totalram=" and "bufferram=0} totalswap=" (sr_old_sysinfo_sep) */
};

struct sr_value {
	uint8_t kind;           /* enum sr_vkind */
	uint8_t base;           /* INT: enum sr_base */
	uint16_t flags;         /* SR_VF_* */
	uint32_t nkids;
	struct sr_str name;     /* member name inside a STRUCT ("st_mode"), else empty */
	struct sr_str text;     /* see enum sr_vkind; borrowed from the batch */
	union {
		int64_t i;
		uint64_t u;
	} num;                  /* INT */
	struct sr_value *kids;  /* borrowed: nkids contiguous values in the batch arena */
};

/* The spelling strace gives an INT whose text is empty: decimal, "0x" and
 * lowercase hex, or "0" and octal, from num and base.  Writes at most
 * SR_INT_SPELL_MAX bytes to d (no NUL) and returns the length.  Formats that
 * store an INT's text only when it differs compare against this. */
#define SR_INT_SPELL_MAX 24
size_t sr_int_spell(char *d, const struct sr_value *v);

/* The INT inside v, looking through the wrappers strace puts around a
 * number (an fd annotation, a comment, a changed value); NULL if none. */
const struct sr_value *sr_value_int(const struct sr_value *v);
/* The member called name among n values (struct members or named
 * arguments); NULL if none. */
const struct sr_value *sr_value_member(const struct sr_value *v, uint32_t n, const char *name);
/* Whether flag `name` (bit value `bit` when printed as a number, -X raw)
 * is set in the flag set f. */
bool sr_value_has_flag(const struct sr_value *f, const char *name, uint64_t bit);
/* The flags of a clone ("flags=..." or, with -X raw, the first argument) or
 * of a clone3 (its struct's member); NULL for other calls, for fork and
 * vfork, and for a resumption whose start was not seen. */
struct sr_event;
const struct sr_value *sr_clone_flags(const struct sr_event *ev);

/* ------------------------------------------------------------------ */
/* Events                                                              */

enum sr_ekind {
	SR_E_SYSCALL = 1,  /* a complete call, or one merged from <unfinished ...> + <... resumed> */
	SR_E_UNFINISHED,   /* where a call was cut: "read(3, <unfinished ...>"; its merged
			    * SYSCALL event comes later, at the place of the resumption */
	SR_E_SIGNAL,       /* --- SIGCHLD {...} ---, --- stopped by SIGSTOP --- */
	SR_E_EXIT,         /* +++ exited with N +++ */
	SR_E_KILLED,       /* +++ killed by SIGSEGV (core dumped) +++ */
	SR_E_SUPERSEDED,   /* +++ superseded by execve in pid N +++ */
	SR_E_MESSAGE,      /* a line of strace's own: "strace: Process 12 attached" */
	SR_E_SUMMARY,      /* one line of a -c / -C / -w summary table */
	SR_E_UNPARSED,     /* a line sysrep could not parse: text holds it verbatim */
	SR_E__COUNT
};

/* Event flags */
enum {
	SR_EF_RESUMED = 1 << 0,    /* SYSCALL: merged; printed as "<... name resumed>" at this place */
	SR_EF_ORPHAN = 1 << 1,     /* SYSCALL: resumed with no start seen; args are only the tail */
	SR_EF_DETACHED = 1 << 2,   /* UNFINISHED: ended by "<detached ...>" */
	SR_EF_VERBATIM = 1 << 3,   /* the model could not reproduce the line: text holds it */
	SR_EF_CORE = 1 << 4,       /* KILLED: (core dumped) */
	SR_EF_STOPPED = 1 << 5,    /* SIGNAL: "stopped by SIG" */
	SR_EF_RESUMED_CUT = 1 << 6,/* SYSCALL: " <unfinished ...>" before ")": the task died in the
				    * call ("<... x resumed> <unfinished ...>) = ?") */
	SR_EF_NO_PAREN = 1 << 7,   /* SYSCALL: the argument list had no closing paren (strace cut it) */
	SR_EF_SEP_CUT = 1 << 8,    /* the argument list ends with ", " (UNFINISHED: the cut came
				    * right after it; SYSCALL: ", )" of a call that died) */
	SR_EF_BARE_RESUME = 1 << 9,/* RESUMED: printed as a bare tail on the next line, with
				    * no leader and no "<... resumed>" (strace -z / -Z) */
	SR_EF_NO_EOL = 1 << 10,    /* the input ended without a newline after this event's
				    * last line (a trace cut short) */
	SR_EF_RESUMED_SP = 1 << 12,/* RESUMED: a space followed "resumed>" (strace 4.x:
				    * "<... futex resumed> ) = 0") */
	SR_EF_EXIT_STATUS = 1 << 13,/* UNFINISHED: ended by " <unfinished ... exit status N>"
				    * (strace 4.x: the task exited in the call), N in code */
	SR_EF_MASK_AFTER = 1 << 14,/* SYSCALL: the last argument, named "mask", was printed after
				    * the arguments' paren: "sigreturn() (mask [HUP]) = 0" (4.x) */
	SR_EF_PID_CHANGED = 1 << 15,/* UNFINISHED: ended by " <pid changed to N ...>" (an execve
				    * in a thread took the leader's pid N, in code) */
	SR_EF_CRLF = 1 << 11,      /* this event's line ended with "\r\n" (a trace that went
				    * through a Windows tool); an attachment line's "\r"
				    * stays in its text */
};

enum sr_clock {
	SR_CLOCK_NONE = 0,
	SR_CLOCK_TOD,      /* -t / -tt: time of day, no date (sec = seconds since midnight) */
	SR_CLOCK_EPOCH,    /* -ttt: seconds since the epoch */
	SR_CLOCK_REL,      /* -r: seconds since the previous line; also -T durations */
};

struct sr_time {
	int64_t sec;
	uint32_t nsec;
	uint8_t clock;      /* enum sr_clock; NONE = absent */
	uint8_t digits;     /* fraction digits as printed: 0, 3, 6 or 9 */
	uint8_t width;      /* REL: width of the integer part as printed (padding) */
};

enum sr_pidform {
	SR_PID_NONE = 0,   /* not printed (single task, or -ff) */
	SR_PID_BRACKET,    /* "[pid  123] " */
	SR_PID_PLAIN,      /* "123   " (-o FILE -f) */
};

/* What the start of a line said, in the order strace prints it. */
struct sr_leader {
	int64_t pid;           /* -1 when unknown */
	uint8_t pid_form;      /* enum sr_pidform */
	bool has_nr;           /* -n printed "[ 59] " */
	bool has_ip;           /* -i printed "[00007f...] " */
	bool nr_unknown;       /* -n printed "[???]" */
	bool ip_unknown;       /* -i printed question marks */
	bool ip_spaced;        /* -i printed spaces for the leading zeros, "[    7f2f1a2b3c4d] "
				* (strace <= 4.7's "%16lx" on x86_64 and s390x) */
	uint8_t ip_digits;     /* -i: hex digits printed */
	uint8_t nr_width;      /* -n: width inside the brackets */
	int32_t nr;            /* -n value */
	uint64_t ip;           /* -i value */
	struct sr_time time;   /* -t / -tt / -ttt */
	struct sr_time rel;    /* -r (alone, or "(+ ...)" after an absolute time) */
	struct sr_str comm;    /* --decode-pids=comm: "prog" from "123<prog> " */
	struct sr_str secontext; /* --secontext: between the brackets */
};

enum sr_akind {
	SR_A_FRAME = 1,  /* -k: " > /lib/libc.so.6(__open64+0x51) [0xf8011]" */
	SR_A_DUMP,       /* -e read=/write=: " | 00000  7f 45 ...  .ELF... |" */
	SR_A_IOV,        /* " * 5 bytes in buffer 0" before a vectored dump */
	SR_A_TEXT,       /* any other attached line, verbatim */
	SR_A_SPLICE,     /* a message strace wrote into the middle of this event's line
			  * ("vfork(strace: Process 5 attached\n <unfinished ...>"):
			  * text = the message, addr = the byte offset in the line
			  * where it was written, followed by a newline */
	SR_A_OUTPUT,     /* the traced program's own output, written into this event's
			  * line when both went to one terminal ("write(2, \"hi\\n\", 3hi
			  * ) = 3"): text = the bytes as they appeared (newlines
			  * included), addr = the byte offset in the line; it accounts
			  * for as many input lines as it holds newlines */
};

/* A line that belongs to the event before it and carries no leader. */
struct sr_attach {
	uint8_t kind;          /* enum sr_akind */
	uint64_t addr;         /* FRAME: [0x...]; DUMP: offset; IOV: byte count */
	uint64_t offset;       /* FRAME: +0x... after the symbol; IOV: buffer index */
	struct sr_str module;  /* FRAME: "/lib/libc.so.6" */
	struct sr_str symbol;  /* FRAME: "__open64" (empty when none) */
	struct sr_str bytes;   /* DUMP: the bytes of this row */
	struct sr_str text;    /* the line verbatim (always set) */
};

/* A row of a -c / -C / -w summary table.  The columns and their order come
 * from the table's header (-U chooses them), their widths from its rule. */
enum sr_srow { SR_SUM_HEADER = 1, SR_SUM_RULE, SR_SUM_ROW, SR_SUM_TOTAL };

enum sr_scol {
	SR_SC_PCT = 1,   /* "% time" */
	SR_SC_SECONDS,   /* "seconds" (total time) */
	SR_SC_MIN,       /* "shortest" */
	SR_SC_MAX,       /* "longest" */
	SR_SC_USECS,     /* "usecs/call" */
	SR_SC_CALLS,     /* "calls" */
	SR_SC_ERRORS,    /* "errors" */
	SR_SC_NAME,      /* "syscall" */
	SR_SC__COUNT
};

#define SR_SUM_MAXCOLS 12

struct sr_summary {
	uint8_t row;                    /* enum sr_srow */
	uint8_t ncols;                  /* columns of the table, printed order */
	uint8_t col[SR_SUM_MAXCOLS];    /* enum sr_scol */
	uint8_t width[SR_SUM_MAXCOLS];  /* column widths from the rule line */
	uint16_t has;                   /* ROW/TOTAL: bit (1 << sr_scol) when printed (not blank) */
	double pct, seconds, min, max;  /* "% time", "seconds", "shortest", "longest" */
	uint64_t usecs, calls, errors;
	bool has_errors;                /* == has & (1 << SR_SC_ERRORS) */
};

struct sr_event {
	uint8_t kind;              /* enum sr_ekind */
	uint16_t flags;            /* SR_EF_* */
	struct sr_leader lead;     /* as printed on this event's line */
	struct sr_time start;      /* SYSCALL with RESUMED: the time of the unfinished line */
	struct sr_time duration;   /* -T "<0.000204>"; clock NONE when absent */
	const struct sr_atom *name;/* syscall (SYSCALL, UNFINISHED, SUMMARY) or signal (SIGNAL, KILLED) */
	int32_t nr;                /* syscall number when known, -1 otherwise */
	struct sr_value *args;     /* SYSCALL/UNFINISHED: arguments; SIGNAL: args[0] = siginfo */
	uint32_t nargs;
	uint32_t split;            /* RESUMED: bytes of "name(args" text printed before the cut */
	uint16_t pad;              /* spaces printed before "= " */
	uint16_t padcol;           /* the column those spaces started at, when the reader
				    * knows it (0: unknown); lets writers tell strace's
				    * own alignment (to column 40) from -a or hand edits */
	bool has_ret;              /* SYSCALL: "= ..." was printed */
	struct sr_value *ret;      /* return value tree; NULL for "?" */
	const struct sr_atom *err; /* errno name ("ENOENT"), NULL if none */
	struct sr_str errmsg;      /* "No such file or directory", or "errno 523" */
	struct sr_str *notes;      /* return annotations without parentheses: "Timeout",
				    * "INJECTED", "flags O_WRONLY", "in [3], left {...}" */
	uint32_t nnotes;
	struct sr_str unavail;     /* text after "= ?" such as "<unavailable>" */
	int64_t code;              /* EXIT: status; SUPERSEDED: the former pid;
				    * UNFINISHED with SR_EF_EXIT_STATUS: the status */
	struct sr_str text;        /* UNPARSED or VERBATIM: the line; MESSAGE: the message */
	struct sr_summary *sum;    /* SUMMARY */
	struct sr_attach *att;     /* lines attached to this event */
	uint32_t natt;
	uint64_t line;             /* 1-based input line of this event */
};

/* A batch of events filled by a reader.  The batch owns its arena. */
struct sr_batch {
	struct sr_event *ev;       /* owned: n events, capacity cap */
	size_t n, cap;
	struct sr_arena *arena;    /* owned: memory of this batch's events */
	struct sr_intern *atoms;   /* borrowed: the run's interning table */
	uint64_t lines;            /* input lines consumed into this batch */
	const char *source;        /* borrowed: name of the input ("-" for stdin) */
};

enum sr_status sr_batch_init(struct sr_batch *b, struct sr_intern *atoms);
void sr_batch_reset(struct sr_batch *b);  /* drops events, resets the arena */
void sr_batch_free(struct sr_batch *b);   /* accepts a zeroed batch */
/* Appends a zeroed event (lead.pid = -1, nr = -1); NULL when out of memory. */
struct sr_event *sr_batch_push(struct sr_batch *b);

/* ------------------------------------------------------------------ */
/* Input and output streams                                            */

/* An input: a file or stdin, decompressed transparently when it starts with
 * a zstd or gzip magic. */
struct sr_source;
struct sr_opts;
enum sr_status sr_source_open(struct sr_source **s, const char *path, struct sr_error *err);
/* Reads up to n bytes; *got = 0 only at the end.  Errors name the source. */
enum sr_status sr_source_read(struct sr_source *s, void *buf, size_t n, size_t *got,
			      struct sr_error *err);
/* Copies up to n bytes from the start of the decoded input without consuming them
 * (for auto-detection); returns the count. */
size_t sr_source_peek(struct sr_source *s, void *buf, size_t n, struct sr_error *err);
/*
 * The longest line a text reader takes, newline included: SR_MAX_LINE by
 * default, "-O max_line=BYTES" (K, M, G suffixes; 0: no limit).  Past it, a
 * line keeps its first max - 1 bytes (which the reader sees as a line, and
 * keeps as an unparsed event when it cannot parse it), and the rest, up to
 * its newline, is dropped and counted; memory then never grows with the
 * length of a line.  Text readers (strace, JSON) set it on their source;
 * binary readers never do.
 */
#define SR_MAX_LINE ((uint64_t)64 << 20)
/* Sets the limit from opts ("max_line"); SR_ERR_USAGE for a bad value. */
enum sr_status sr_source_limit_lines(struct sr_source *s, const struct sr_opts *opts,
				     struct sr_error *err);
/* Lines cut so far, and the bytes dropped from them. */
void sr_source_cut(const struct sr_source *s, uint64_t *lines, uint64_t *bytes);
const char *sr_source_name(const struct sr_source *s); /* "-" for stdin */
/* Moves a plain (uncompressed, not live) file input to byte off: peeked
 * and buffered bytes are dropped, the line limit starts afresh (off must
 * be a line start).  SR_ERR_USAGE for compressed input or a pipe. */
enum sr_status sr_source_seek(struct sr_source *s, uint64_t off, struct sr_error *err);
uint64_t sr_source_bytes(const struct sr_source *s);   /* decoded bytes read so far */
void sr_source_close(struct sr_source *s); /* accepts NULL */
/* A source on fd, already open for reading (a pipe, a socket, a file); the
 * source owns fd and closes it, also when opening fails.  name: for
 * messages ("strace"). */
enum sr_status sr_source_open_fd(struct sr_source **s, int fd, const char *name,
				 struct sr_error *err);
/* A source whose bytes come from the caller (a transcoder, memory, a
 * language runtime): fn(ctx, buf, n, &got, err) puts up to n bytes in buf
 * and sets *got (0 only at the end), or returns an error with err set,
 * which the source keeps (sticky) and every later read returns.  The
 * bytes are taken as they are (never decompressed).  name (copied; NULL
 * for "") names it in messages; ctx is borrowed and must outlive s. */
typedef enum sr_status (*sr_source_fn)(void *ctx, void *buf, size_t n, size_t *got,
				       struct sr_error *err);
enum sr_status sr_source_open_fn(struct sr_source **s, const char *name, sr_source_fn fn,
				 void *ctx, struct sr_error *err);
/* Makes s a live input (a pipe some process writes while we read): while a
 * read waits for input, idle(ctx) runs every ms milliseconds (0: 100); it
 * returns SR_OK to go on waiting (it may close the last writer, so that the
 * read sees the end), or an error, which the read then returns. */
void sr_source_set_idle(struct sr_source *s, int ms,
			enum sr_status (*idle)(void *ctx, struct sr_error *err), void *ctx);
/* Whether a read would return without waiting: input, its end or an error
 * arrives within ms milliseconds (0: just look).  Always true for a file.
 * Readers of live input use it to pass on what they hold back for more
 * context (the strace reader's last line) once the writer pauses. */
bool sr_source_ready(struct sr_source *s, int ms);

/* An output: buffered writes to a file or stdout.  Errors are sticky: the
 * first one is kept and returned by sr_sink_flush / sr_sink_close. */
struct sr_sink;
enum sr_status sr_sink_open(struct sr_sink **s, const char *path, struct sr_error *err);
/* Returns room for at least n bytes; write into it then commit how many were
 * used.  Never NULL: on error a scratch area is returned and the error kept. */
char *sr_sink_reserve(struct sr_sink *s, size_t n);
void sr_sink_commit(struct sr_sink *s, size_t n);
void sr_sink_write(struct sr_sink *s, const void *p, size_t n);
static inline void sr_sink_puts(struct sr_sink *s, struct sr_str x) { sr_sink_write(s, x.ptr, x.len); }
enum sr_status sr_sink_flush(struct sr_sink *s, struct sr_error *err);
/* Compresses everything written from now on into one zstd frame (with a
 * content checksum), closed by sr_sink_close: streaming, in constant memory,
 * invisible to the writer.  level: ZSTD_minCLevel()..ZSTD_maxCLevel() (3 is
 * zstd's default); threads > 1: that many zstd worker threads, 0 or 1: none.
 * Call before the first write (SR_ERR_USAGE after it, or for a bad level);
 * calling it again changes the parameters.  A flush pushes out what zstd
 * holds (ZSTD_e_flush), so a reader on a pipe sees every flushed byte. */
enum sr_status sr_sink_set_zstd(struct sr_sink *s, int level, int threads,
				struct sr_error *err);
uint64_t sr_sink_bytes(const struct sr_sink *s); /* bytes accepted so far (before compression) */
const char *sr_sink_name(const struct sr_sink *s);
/* Flushes, closes and frees; returns the first error of the sink's life. */
enum sr_status sr_sink_close(struct sr_sink *s, struct sr_error *err); /* accepts NULL */

/*
 * Removes every output not yet settled: the hidden temporary file of each
 * sink still open on a file (its target is left as it was), and a directory
 * a writer made for a run not yet finished (seq's adfa layout; removed when
 * empty).  Async-signal-safe (it calls only unlink and rmdir), for a handler
 * of SIGINT, SIGTERM or SIGHUP that the program installs (the library
 * installs none), which should then end the process (re-raise the signal):
 * the sinks and writers are not usable afterwards.
 */
void sr_discard_outputs(void);
/* Closes and frees after a failed run: a file output is discarded (its
 * temporary file removed, an earlier file of that name left alone), so no
 * complete-looking file remains; stdout gets what was buffered.  Accepts NULL. */
void sr_sink_abort(struct sr_sink *s);
/* The caller's own destination (memory, a socket, a language runtime):
 * returns 0 when all n bytes were taken, else an errno value, which the
 * sink keeps as its sticky error. */
typedef int (*sr_sink_fn)(void *ctx, const void *p, size_t n);
/* A sink whose bytes leave through fn(ctx, ...) instead of a file: at a
 * flush, at close, or when its buffer fills; zstd compression applies as
 * for a file.  name (copied; NULL for "") names it in errors.  ctx is
 * borrowed and must outlive the sink; abort, like close, hands fn what
 * is buffered (the caller decides what a failed run's bytes mean). */
enum sr_status sr_sink_open_fn(struct sr_sink **s, const char *name, sr_sink_fn fn,
			       void *ctx, struct sr_error *err);

/* ------------------------------------------------------------------ */
/* Readers and writers                                                 */

struct sr_reader;
struct sr_writer;

/* Format options: key=value pairs given on the command line (-O KEY=VALUE,
 * and the named options the CLI maps onto them, such as --arch).  Readers
 * and writers read the keys they know and ignore the others; each class
 * lists the keys it knows in its opt_keys (below), so a caller can tell an
 * unknown key from a known one. */
struct sr_opt {
	const char *key;         /* borrowed */
	const char *value;       /* borrowed; "" for a bare key */
};
struct sr_opts {
	const struct sr_opt *v;  /* borrowed */
	size_t n;
};
/* The option sr_conv gives every reader under --keep-going (keep_going in
 * struct sr_convert_opts): not a -O key. */
#define SR_OPT_KEEP_GOING "keep-going"
/* The value of the last key given, or def when absent; opts may be NULL. */
const char *sr_opts_get(const struct sr_opts *opts, const char *key, const char *def);

/* One option key a reader or writer accepts, with one line of help.  A
 * class's opt_keys is an array of these ended by { NULL, NULL }, or NULL
 * when the class takes no option.  Static data, never freed. */
struct sr_optdesc {
	const char *key;         /* "columns" */
	const char *help;        /* "the CSV columns, in order" */
};
/* The entry for key in keys (NULL-terminated, may be NULL), or NULL. */
const struct sr_optdesc *sr_optdesc_find(const struct sr_optdesc *keys, const char *key);

struct sr_reader_class {
	const char *name;        /* "strace" */
	const char *exts;        /* ".strace,.txt" */
	const char *summary;     /* one line for "sysrep formats" */
	int (*probe)(const void *head, size_t n); /* 0..100 for auto-detection */
	enum sr_status (*open)(struct sr_reader **r, struct sr_source *in,
			       const struct sr_opts *opts, struct sr_error *err);
	/* Resets b and fills it with the next events; SR_END with b->n == 0 at the end. */
	enum sr_status (*next)(struct sr_reader *r, struct sr_batch *b, struct sr_error *err);
	void (*close)(struct sr_reader *r); /* accepts NULL */
	const struct sr_optdesc *opt_keys; /* the -O keys it reads; NULL: none */
};

struct sr_writer_class {
	const char *name;        /* "jsonl" */
	const char *ext;         /* ".jsonl" */
	const char *summary;
	enum sr_status (*open)(struct sr_writer **w, struct sr_sink *out,
			       const struct sr_opts *opts, struct sr_error *err);
	enum sr_status (*write)(struct sr_writer *w, const struct sr_batch *b, struct sr_error *err);
	enum sr_status (*finish)(struct sr_writer *w, struct sr_error *err);
	void (*close)(struct sr_writer *w); /* accepts NULL */
	const struct sr_optdesc *opt_keys; /* the -O keys it reads; NULL: none */
};

/* The registry: the formats listed in formats/formats.def. */
const struct sr_reader_class *sr_reader_find(const char *name);
const struct sr_writer_class *sr_writer_find(const char *name);
const struct sr_reader_class *const *sr_readers(void); /* NULL-terminated */
const struct sr_writer_class *const *sr_writers(void); /* NULL-terminated */
/* The reader whose probe scores highest on head (NULL when none scores > 0). */
const struct sr_reader_class *sr_reader_detect(const void *head, size_t n);
/* The writer whose extension ends path, or comes before a final ".zst"
 * (x.jsonl.zst: compressed JSON Lines); the longest extension wins
 * (".chrome.json" before ".json").  Else the writer named like the reader
 * that claims the extension (x.txt, x.log: strace; x.mpk: msgpack).  NULL
 * when none matches. */
const struct sr_writer_class *sr_writer_for_path(const char *path);

/* Views: writers whose output is a view of a trace (the process tree, the
 * HTML report), not a format that could be read back.  They read batches
 * like any writer, so the pipeline feeds them from any reader, but write
 * only at finish().  Listed by SR_VIEW lines in formats/formats.def, apart
 * from sr_writers().
 *   tree     the process tree as text; option json: nested JSON objects
 *   report   a self-contained HTML page */
const struct sr_writer_class *sr_view_find(const char *name);
const struct sr_writer_class *const *sr_views(void); /* NULL-terminated */

/* ------------------------------------------------------------------ */
/* Syscall tables                                                      */

/* The architectures with a syscall table (core/tables/syscalls_<arch>.in,
 * from the kernel headers).  A trace does not say which architecture it
 * comes from: the caller chooses (the CLI's --arch, format option "arch"),
 * x86_64 by default. */
enum sr_arch {
	SR_ARCH_UNKNOWN = 0,
	SR_ARCH_X86_64,
	SR_ARCH_I386,
	SR_ARCH_AARCH64,
};

#define SR_ARCH_DEFAULT SR_ARCH_X86_64

/* "x86_64", "i386", "aarch64", or an alias uname -m prints ("amd64",
 * "i686", "arm64", ...); SR_ARCH_UNKNOWN for anything else or NULL. */
enum sr_arch sr_arch_parse(const char *s);
/* "x86_64", "i386", "aarch64"; NULL for SR_ARCH_UNKNOWN. */
const char *sr_arch_name(enum sr_arch a);
/* The number of the syscall named s[0..len) on arch a, with the names strace
 * prints ("newfstatat", "_llseek"), and "syscall_0x1b4" or "syscall_436"
 * (how strace prints a call it has no name for) as the number they spell.
 * -1 when the name is not a syscall of a, or a is unknown. */
int sr_syscall_nr(enum sr_arch a, const char *s, size_t len);
/* The name of syscall nr on arch a (static storage), or NULL when the table
 * has none for nr. */
const char *sr_syscall_name(enum sr_arch a, int nr);

/* ------------------------------------------------------------------ */
/* Semantic records (docs/semantic-record.md)                          */

/*
 * The meaning of a call, apart from how strace spelled it: arguments named
 * after the syscall's signature, fds as objects, flag sets with value and
 * names, C expressions evaluated.  A semantic value is a small generic tree
 * that maps one to one onto JSON (and msgpack, Python...): writers walk it.
 * It lives in the arena it was built in (the batch's), like the events.
 */
enum sr_skind {
	SR_S_NULL = 0,
	SR_S_BOOL,      /* num.b */
	SR_S_INT,       /* num.i */
	SR_S_UINT,      /* num.u: a value above INT64_MAX */
	SR_S_STR,       /* str: bytes (not NUL-terminated; may hold NULs, non-UTF-8) */
	SR_S_ARRAY,     /* kids[0..n) */
	SR_S_OBJECT,    /* kids[0..n), each with its key */
};

enum {
	SR_SF_TRUNC = 1 << 0,  /* STR: strace cut the string (-s); the JSON writers list
				* such strings in the record's "truncated" key */
};

struct sr_sval {
	uint8_t kind;           /* enum sr_skind */
	uint8_t flags;          /* SR_SF_* */
	uint32_t n;             /* ARRAY, OBJECT: number of kids */
	struct sr_str key;      /* a member of an OBJECT: its key */
	struct sr_str str;      /* STR */
	union {
		int64_t i;
		uint64_t u;
		bool b;
	} num;
	struct sr_sval *kids;   /* ARRAY, OBJECT */
};

/* The semantic types of arguments, returns and struct members. */
enum sr_stype {
	SR_T_INT = 0, SR_T_FD, SR_T_DIRFD, SR_T_PATH, SR_T_STR, SR_T_STRV, SR_T_BUF,
	SR_T_PTR, SR_T_PID, SR_T_UID, SR_T_GID, SR_T_MODE, SR_T_SIZE, SR_T_OFFSET,
	SR_T_FLAGS, SR_T_ENUM, SR_T_SIGNAL, SR_T_STRUCT, SR_T_ADDR, SR_T_ERRNO,
	SR_T_XINT,      /* a number strace prints in hex (mmap's offset, rseq's signature) */
	SR_T_SIGSET,    /* a signal set: [INT TERM], [12], ~[RTMIN] */
	SR_T_VEC,       /* an array strace may print as its address and a count
			 * comment instead ("N vars": execve's envp without -v) */
	SR_T_DENTS,     /* the same for directory entries ("N entries": getdents) */
	SR_T_RESUMED,   /* the call restart_syscall resumes, which strace prints in
			 * its argument's place: "<... resuming interrupted read ...>" */
	SR_T__COUNT
};

/* The type of one argument (or of a return, name NULL): a semantic type,
 * and for FLAGS, ENUM, SIGNAL, MODE and DIRFD its constant set (0: none). */
struct sr_sarg {
	const char *name;
	uint8_t type;           /* enum sr_stype */
	uint16_t set;
};

/* A syscall's signature on one architecture (static storage). */
struct sr_signature {
	const char *name;
	uint8_t rtype;          /* the return's enum sr_stype */
	uint16_t rset;
	int8_t nargs;           /* -1: the call is known but takes no documented arguments */
	struct sr_sarg args[8];
	uint16_t when;          /* 0, or some argument's type depends on another's
				 * value: see sr_semantic_arg_when() */
};

/* The signature of syscall name[0..len) on arch; NULL when none is known. */
const struct sr_signature *sr_signature_find(enum sr_arch arch, const char *name, size_t len);
/* True when some syscall's signature on arch has an argument named
 * name[0..len) ("pathname", "flags"): a column name the CSV writer takes. */
bool sr_signature_names_arg(enum sr_arch arch, const char *name, size_t len);
/* "fd", "flags", ... for a type; the name of constant set `set` ("open"). */
const char *sr_stype_name(enum sr_stype t);
const char *sr_cset_name(uint16_t set);
/* The value of constant `name` on arch in any set (O_CLOEXEC, SIGCHLD,
 * AT_FDCWD...): O_DIRECTORY is 0200000 on x86_64 and i386, 040000 on
 * aarch64; SR_ARCH_UNKNOWN is SR_ARCH_DEFAULT.  False when no table of
 * arch has it (MAP_32BIT on aarch64, PROT_BTI on x86_64). */
bool sr_const_value(enum sr_arch arch, const char *name, size_t len, uint64_t *value);

/* The computing context: caches the signature of each syscall atom. */
struct sr_semantic;
struct sr_semantic *sr_semantic_new(enum sr_arch arch);
void sr_semantic_free(struct sr_semantic *s); /* accepts NULL */
/* The signature of ev's call (cached by atom id); NULL when unknown. */
const struct sr_signature *sr_semantic_sig(struct sr_semantic *s, const struct sr_event *ev);
/* The type of argument i of ev (named arguments by their name). */
struct sr_sarg sr_semantic_arg_type(const struct sr_signature *sig, uint32_t i,
				    struct sr_str printed_name);
/* The type t of an argument refined by the other arguments args[0..nargs)
 * of the call where its meaning depends on them (fcntl's arg on cmd,
 * setsockopt's optname on level): t itself unless sig->when. */
struct sr_sarg sr_semantic_arg_when(const struct sr_signature *sig, struct sr_sarg t,
				    const struct sr_value *args, uint32_t nargs);
/* A return's note (ev->notes[i]) as strace prints it by default: -X
 * verbose's and -X raw's numbers spelled as constants where the default
 * prints them so (core/semantic_note.c).  note itself when it already is. */
struct sr_str sr_semantic_note(const struct sr_event *ev, const struct sr_signature *sig,
			       struct sr_str note, struct sr_arena *a);
/* Argument i of a call as a member of the "args" object (key set);
 * the return value (type from the signature); a value of a known type.
 * All built in arena a; NULL only when out of memory. */
struct sr_sval *sr_semantic_value(const struct sr_value *v, struct sr_sarg type,
				  struct sr_arena *a);
/* The canonical strace spelling of a semantic value of a type: what strace
 * prints for that meaning with its default flags (-X abbrev, no -y).  The
 * JSON writers keep an argument's spelled tree in "fmt" only where this
 * differs from what the trace printed, and the JSON reader uses it to
 * rebuild the others.  NULL when out of memory. */
struct sr_value *sr_semantic_spell(const struct sr_sval *s, struct sr_sarg type,
				   struct sr_arena *a);
/* The member `key` of an OBJECT; NULL if none. */
const struct sr_sval *sr_sval_get(const struct sr_sval *o, const char *key);

/*
 * The semantic record of one event, the same for every writer that carries
 * it (core/semantic_event.c): JSON Lines' "args", "return" and "info", pb's
 * Event.sem_args, sem_return and sem_info, csv's argument columns.
 */
struct sr_sem_event {
	const struct sr_signature *sig; /* the call's; NULL when unknown */
	/* SYSCALL, UNFINISHED: an OBJECT, argument name -> value, in
	 * signature order (kids[j].key); NULL for the other kinds */
	struct sr_sval *args;
	uint32_t *from;         /* args->kids[j] is the meaning of ev->args[from[j]] */
	struct sr_sarg *types;  /* types[i]: the type ev->args[i] was read with */
	/* SYSCALL with "= value": its meaning; NULL for "= ?" and no return */
	struct sr_sval *ret;
	struct sr_sarg rtype;
	struct sr_sval *info;   /* SIGNAL: the siginfo; NULL when none */
};
/* The record of ev built in arena a (SR_OK, or SR_ERR_NOMEM). */
enum sr_status sr_semantic_event(struct sr_semantic *s, const struct sr_event *ev,
				 struct sr_arena *a, struct sr_sem_event *out);
/* The type of argument i of a call, refined by the others (what
 * sr_semantic_event reads it with). */
struct sr_sarg sr_semantic_arg_at(const struct sr_signature *sig, const struct sr_event *ev,
				  uint32_t i);
/* The key of argument i (type t, printed value v) in "args": the
 * signature's name, the name strace printed (clone's flags=), or argI
 * (in arena a when i > 9). */
struct sr_str sr_semantic_arg_key(struct sr_sarg t, const struct sr_value *v, uint32_t i,
				  struct sr_arena *a);

/* ------------------------------------------------------------------ */
/* Counting and conversion                                             */

/* What a run saw.  Every input line is accounted for:
 * lines == events + unparsed + attached. */
struct sr_counts {
	uint64_t lines;          /* input lines consumed */
	uint64_t events;         /* events other than UNPARSED */
	uint64_t unparsed;       /* UNPARSED events */
	uint64_t verbatim;       /* events with SR_EF_VERBATIM */
	uint64_t attached;       /* attachment lines */
	uint64_t by_kind[SR_E__COUNT];
	uint64_t bytes_in, bytes_out;
	uint64_t cut_lines;      /* lines longer than the limit (SR_MAX_LINE) */
	uint64_t cut_bytes;      /* ... and the bytes dropped from them */
};

/* Adds the batch's events to c. */
void sr_counts_add(struct sr_counts *c, const struct sr_batch *b);
/* The input lines ev stands for, as sr_counts_add counts them: its own line,
 * one per attachment, and the extra lines of program output it holds.  A
 * reader of a format that is not line-based (pb, JSON, ...) adds this to
 * b->lines per event, so lines == events + unparsed + attached holds. */
uint64_t sr_event_lines(const struct sr_event *ev);

/* Names for enums, as used by the JSON writer ("syscall", "unfinished", ...). */
const char *sr_ekind_name(enum sr_ekind k);
const char *sr_vkind_name(enum sr_vkind k);

/* ------------------------------------------------------------------ */
/* Filters                                                             */

/* The filter stage of the pipeline: which events go on to the
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

/* ------------------------------------------------------------------ */
/* The conversion pipeline                                             */

/* The conversion pipeline: source -> reader -> batch -> writer -> sink.
 *
 * A run (struct sr_conv) owns one interning table, one batch that every input
 * reuses, and at most one open writer.  Several inputs can be fed into one run
 * in sequence; their events go to the same writer, one after the other, so
 * "sysrep convert a b c" gives one output.  A run without a writer class only
 * reads and counts (that is "sysrep stats").
 *
 * The sink is the caller's: the run writes into it but never closes it, so the
 * caller decides what a failed run means for the output file.
 *
 * Like the rest of the library, nothing here exits or prints on its own (the
 * stats printers write only on the stream they are given): errors are
 * returned as enum sr_status with details in the optional struct sr_error.
 */

struct sr_convert_opts {
	/* The reader of every input; NULL: detect it per input from the first
	 * bytes (sr_reader_detect), falling back to "strace". */
	const struct sr_reader_class *reader;
	/* Unparsed lines are an error: the run still reads and writes every
	 * input, then sr_conv_finish returns SR_ERR_PARSE naming the count and
	 * the first unparsed line. */
	bool strict;
	/* Options for the readers and writers (-O KEY=VALUE); may be NULL. */
	const struct sr_opts *fmt;
	/* > 1: a strace text input is parsed on that many threads (the output
	 * is the same as with one); chunk: bytes per piece, 0 the default. */
	int jobs;
	size_t chunk;
	/* Borrowed; NULL: every event goes through.  Applied to each batch
	 * after counting (the counts describe the input), before observe and
	 * the writer. */
	struct sr_filter *filter;
	/* Optional: sees every batch (after the filter) with the input bytes
	 * read so far; an error stops the run. */
	enum sr_status (*observe)(void *ctx, const struct sr_batch *b, uint64_t bytes,
				  struct sr_error *err);
	void *observe_ctx;
	/* --keep-going: an input that fails (cannot be opened, or stops on
	 * corrupt data) does not spoil the output: the run goes on with the
	 * next input and sr_conv_complete holds once the writer finished.
	 * Default: the output of a run with a failed input is incomplete.
	 * Readers see it as the option SR_OPT_KEEP_GOING: the JSON reader
	 * then keeps a bad line of JSON Lines as an UNPARSED event. */
	bool keep_going;
	/* Live output (sysrep record): the sink is flushed after every batch
	 * written, so a reader of the output follows the input as it comes
	 * (a live strace reader passes its lines on within 50 ms of a pause).
	 * Also keeps the parallel reader out: it waits for whole chunks. */
	bool flush;
};

/* Where the first UNPARSED event of a run was seen. */
struct sr_unparsed_at {
	char file[256]; /* "" when the run saw none */
	uint64_t line;	/* 1-based; 0 when the run saw none */
};

struct sr_conv;

/* The format options the run itself reads, whatever the reader and writer
 * ("arch": the syscall table for numbers); ended by { NULL, NULL }.  A key
 * of a run's sr_convert_opts.fmt is known when it is here or in the opt_keys
 * of the reader or the writer. */
extern const struct sr_optdesc sr_conv_opt_keys[];
/* The keys every text reader (strace, JSON) reads from its source:
 * max_line (sr_source_limit_lines). */
extern const struct sr_optdesc sr_text_opt_keys[];

/* Starts a run.  wc NULL: read and count only (out is then ignored and may be
 * NULL).  Otherwise opens wc on out; out is borrowed and must outlive the run.
 * opts NULL: the defaults (detect readers, not strict). */
enum sr_status sr_conv_open(struct sr_conv **c, const struct sr_convert_opts *opts,
			    const struct sr_writer_class *wc, struct sr_sink *out,
			    struct sr_error *err);

/* Reads the input at path ("-" for stdin) to its end and passes every batch
 * to the writer.  counts (optional) receives this input's counts only, even
 * when the input fails half-way (what was read up to the error); the run's
 * totals keep accumulating (sr_conv_totals).  rc overrides the run's reader
 * for this input; NULL: the run's choice.  Errors name the input in err->file. */
enum sr_status sr_conv_input(struct sr_conv *c, const struct sr_reader_class *rc, const char *path,
			     struct sr_counts *counts, struct sr_error *err);

/* As sr_conv_input, from a source the caller opened (and closes after):
 * a pipe, or a live input (sr_source_set_idle).  Errors name the source. */
enum sr_status sr_conv_source(struct sr_conv *c, const struct sr_reader_class *rc,
			      struct sr_source *src, struct sr_counts *counts,
			      struct sr_error *err);

/* Reads the per-pid files of one "strace -ff" trace (NAME.PID, each
 * giving its events the pid of its suffix) at once and passes their events
 * on ordered by their time stamps (-t/-tt/-ttt; an event without one stays
 * after the event before it in its file; equal times: the earlier path
 * first).  Streaming: one batch per file in memory.  counts as for
 * sr_conv_input, over all the files. */
enum sr_status sr_conv_merge(struct sr_conv *c, const char *const *paths, size_t n,
			     struct sr_counts *counts, struct sr_error *err);

/* Ends the run: finishes the writer (it may still write into the sink) and,
 * in strict mode, reports unparsed lines as SR_ERR_PARSE, with err->file and
 * err->line at the first one.  Does not flush or close the sink: the caller
 * closes it, or aborts it when !sr_conv_complete.  Call once; after it only
 * the accessors and sr_conv_close. */
enum sr_status sr_conv_finish(struct sr_conv *c, struct sr_error *err);

/* True once sr_conv_finish has finished the writer after every input was
 * read to its end: the output is whole and worth keeping, even when
 * sr_conv_finish then reported unparsed lines in strict mode. */
bool sr_conv_complete(const struct sr_conv *c);

/* The run's counts so far, over all inputs; bytes_out is what the run wrote
 * into the sink (including the writer's finish()). */
const struct sr_counts *sr_conv_totals(const struct sr_conv *c);
/* The first unparsed line of the run (line 0 when none). */
const struct sr_unparsed_at *sr_conv_first_unparsed(const struct sr_conv *c);
/* The reader used for the last input opened (NULL before the first). */
const struct sr_reader_class *sr_conv_reader(const struct sr_conv *c);

/* Frees the run and closes its writer (without finishing it when
 * sr_conv_finish was not called).  Accepts NULL. */
void sr_conv_close(struct sr_conv *c);

/* One-shot conversion of n inputs (paths; "-" is stdin) into one output:
 * open, one sr_conv_input per path, finish, close.  Stops at the first input
 * that fails.  counts (optional) receives the totals.  Does not close out. */
enum sr_status sr_convert(const struct sr_convert_opts *opts, const char *const *paths, size_t n,
			  const struct sr_writer_class *wc, struct sr_sink *out,
			  struct sr_counts *counts, struct sr_error *err);

/* Reads one input and counts it, writing nothing.  rc NULL: auto-detect. */
enum sr_status sr_stats(const struct sr_reader_class *rc, const char *path,
			struct sr_counts *counts, struct sr_error *err);

/* dst += src, field by field. */
void sr_counts_sum(struct sr_counts *dst, const struct sr_counts *src);

/* ------------------------------------------------------------------ */
/* Corpus mode                                                         */

/* Converting a directory tree of traces in parallel
 * ("sysrep convert -r INDIR -o OUTDIR -j N").
 *
 * Every regular file under indir (names starting with '.' skipped) that
 * is a trace becomes one output under outdir at the same relative place, its name with the
 * extension replaced by the writer's: "a/x.strace.zst" -> "a/x.jsonl".  A
 * numeric last suffix is a pid of strace -ff, not an extension, and stays
 * ("x.strace.123" -> "x.strace.123.jsonl").  With merge, the files NAME.PID
 * of one directory become one output for NAME (sr_conv_merge).  Files are
 * independent: jobs threads take them in turn, each with its own run.
 *
 * Without a reader in conv (-f), a file is a trace when a reader's probe
 * is certain of its head (the first 4 KiB, decompressed: a binary
 * format's magic; strace text whose first lines each hold a call, a
 * signal, an exit), or when some reader's probe takes it for its own
 * (sr_reader_detect: JSON, strace text) and that reader's first batch
 * holds more events than unparsed lines: a README quoting an strace line
 * is not a trace, a trace opening with strace's own messages is.  Other
 * files (source code, a README, an empty or a binary file) are skipped:
 * not read further, no output, counted and passed to opts->skipped.  With
 * a reader given, every file is read with it, as in single-file mode.
 */

struct sr_corpus_opts {
	const char *indir, *outdir;            /* borrowed */
	const struct sr_writer_class *wc;      /* borrowed */
	const struct sr_convert_opts *conv;    /* borrowed; its filter is cloned per thread */
	int jobs;                              /* threads; < 1: one */
	bool merge;
	int zstd_level;                        /* > 0: compress outputs (and add ".zst") */
	/* Called (from any thread, one call at a time) for each file that failed. */
	void (*failed)(void *ctx, const struct sr_error *err);
	/* Called likewise for each file skipped as not a trace: its path, and
	 * why ("empty", "no reader recognises its first lines", ...). */
	void (*skipped)(void *ctx, const char *path, const char *why);
	void *ctx;
};

struct sr_corpus_result {
	uint64_t files;     /* outputs attempted */
	uint64_t inputs;    /* input files read */
	uint64_t skipped;   /* files that are not traces (not read, no output) */
	uint64_t failures;  /* outputs that failed (and were not written) */
	struct sr_counts counts;
};

/* SR_ERR_USAGE/IO when indir cannot be listed or outdir made; per-file
 * failures only count (and go to opts->failed): the others are converted. */
enum sr_status sr_corpus_run(const struct sr_corpus_opts *opts, struct sr_corpus_result *res,
			     struct sr_error *err);

/* The output name for input name in (a relative path): see above.  Returns
 * a malloc'd string, NULL when out of memory. */
char *sr_corpus_outname(const char *in, const char *ext, bool zst);

/* ------------------------------------------------------------------ */
/* Statistics: the counts of "sysrep stats" and the strace -c table    */

/* Per-syscall counts, errors and -T time, for the strace -c
 * table of "sysrep stats" (from any input format).
 */

struct sr_sysrow {
	const struct sr_atom *name; /* borrowed from the run's table */
	uint64_t calls, errors;
	uint64_t ns;                /* sum of -T durations */
};

struct sr_sysstats;
struct sr_sysstats *sr_sysstats_new(void); /* NULL when out of memory */
void sr_sysstats_free(struct sr_sysstats *s); /* accepts NULL */
/* Counts every SYSCALL event of b that returned (a complete call, or one
 * joined from its resumption; "= ?" is not counted, as strace -c does not),
 * and apart the rows of strace -c summary tables (SUMMARY events), which
 * sr_sysstats_rows gives when the input held no call; SR_ERR_NOMEM on
 * failure. */
enum sr_status sr_sysstats_add(struct sr_sysstats *s, const struct sr_batch *b);
/* The rows sorted as strace -c sorts them (time, then calls, then name),
 * and the total; *timed: whether any call carried a -T duration.  The
 * array is owned by s and valid until the next add. */
const struct sr_sysrow *sr_sysstats_rows(struct sr_sysstats *s, size_t *n,
					 struct sr_sysrow *total, bool *timed);

/* One input's counts, as "sysrep stats" shows them. */
struct sr_file_stats {
	const char *name;   /* borrowed: the input's path */
	const char *format; /* borrowed: the reader's name */
	struct sr_counts c;
};

/* The strace -c table of s on out, in strace's layout (strace/src/count.c):
 * rows by time, errors blank when none, the total row; a note on note when
 * no call carried a -T duration. */
void sr_sysstats_print(struct sr_sysstats *s, FILE *out, FILE *note);
/* "sysrep stats" as text on out: the counts of each of the n inputs (a
 * table when n > 1) and their total. */
void sr_stats_print_text(FILE *out, const struct sr_file_stats *fs, int n,
			 const struct sr_counts *total);
/* "sysrep stats --json" on out: one JSON object with the totals, the
 * syscalls of s and, when n > 1, a per_file array. */
void sr_stats_print_json(FILE *out, const struct sr_file_stats *fs, int n,
			 const struct sr_counts *total, struct sr_sysstats *s);

/* ------------------------------------------------------------------ */
/* Recording: a program traced live by the system's strace             */

/* The options sysrep gives strace unless told not to (NULL-terminated):
 * -f -n, nanosecond epoch times and durations, -yy -Y, -s 256. */
const char *const *sr_record_default_flags(void);

struct sr_record_opts {
	const char *strace;             /* borrowed: a path, or a name looked up in
					 * PATH; NULL: "strace" */
	const char *const *argv;        /* borrowed: the command, NULL-terminated;
					 * NULL when attaching (pids) */
	const char *const *pids;        /* borrowed: npids strace -p arguments
					 * ("123", "12,34") */
	size_t npids;
	const char *const *extra;       /* borrowed: nextra more strace options, given
					 * after the defaults (a later one wins) */
	size_t nextra;
	bool no_defaults;               /* give strace only extra */
};

/* A running strace and the pipe its trace comes through. */
struct sr_recording;

/* Finds strace, checks that ptrace is permitted (a child's PTRACE_TRACEME;
 * for pids also kernel.yama.ptrace_scope and CAP_SYS_PTRACE) and starts
 * strace with its output on a pipe that neither strace's stdout/stderr nor
 * the traced program shares.  Errors: SR_ERR_UNSUPPORTED when strace is
 * missing or ptrace is denied, with a message that says what to do;
 * SR_ERR_USAGE for no command, a pid that does not exist, or an extra
 * option that would take the trace elsewhere (-o, -ff, -D, -p).  Signals
 * the caller ignores stay ignored in strace and the program: set handlers
 * after starting. */
enum sr_status sr_record_start(struct sr_recording **r, const struct sr_record_opts *o,
			       struct sr_error *err);
/* The trace, live (owned by the recording): read it to its end, for
 * example with sr_conv_source and sr_convert_opts.flush.  Its end comes
 * after strace exited. */
struct sr_source *sr_record_source(struct sr_recording *r);
/* strace's pid, to forward a signal to (0 once it has ended). */
int sr_record_pid(const struct sr_recording *r);
/* The path of the strace that runs. */
const char *sr_record_strace(const struct sr_recording *r);
/* Waits for strace after its trace was read to the end (or, after a reader
 * or writer error, stops it: SIGKILL, as strace with a command blocks
 * SIGTERM; the program is then detached and runs on untraced).  *status: the command's
 * exit status, 128 + N when signal N killed it (strace passes both on), or
 * strace's own status when strace failed.  SR_ERR_UNSUPPORTED when strace
 * ended without tracing anything (err says why when ptrace was denied). */
enum sr_status sr_record_finish(struct sr_recording *r, int *status, struct sr_error *err);
/* Frees; a strace still running is killed and waited for.  Accepts NULL. */
void sr_record_free(struct sr_recording *r);

/* ------------------------------------------------------------------ */
/* Pieces of one big strace file                                       */

/*
 * A big strace text file cut into pieces that independent processes read
 * (sysrep.dask makes a partition of each): the strace reader opened with
 * the option "piece" = a piece's spec reads only that piece, and the
 * pieces together give exactly the events of the whole file's reading,
 * each once, with the same fields and line numbers (an event whose call
 * was cut by "<unfinished ...>" comes with the piece that cut it, after
 * that piece's own lines).  A piece whose reading would differ from the
 * whole file's (a line the plan read otherwise than the reader; a piece
 * ending inside a line strace's message or the program's output split)
 * fails with SR_ERR_PARSE instead.  The plan is one sequential pass over
 * the file that looks at line shapes only (docs/python.md).
 */
struct sr_piece {
	uint64_t start, end;     /* bytes [start, end), cut at line starts */
	uint64_t line;           /* the number of its first line (1-based) */
	char *spec;              /* owned: the reader's "piece" option; NULL when
				  * the plan has one piece: read the file whole */
};
struct sr_plan {
	struct sr_piece *piece;  /* owned */
	size_t n;
};
/* Cuts path, a plain strace text file, at line starts about every
 * piece_bytes.  Compressed input is one piece (its spec NULL, end
 * UINT64_MAX), as is a file of at most piece_bytes. */
enum sr_status sr_strace_plan_pieces(const char *path, uint64_t piece_bytes, struct sr_plan *plan,
				     struct sr_error *err);
void sr_plan_free(struct sr_plan *plan); /* accepts NULL and a zeroed plan */

#endif /* SYSREP_H */
