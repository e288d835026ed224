/*
 * convert.h - the conversion pipeline: source -> reader -> batch -> writer -> sink.
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
 * Like the rest of the library, nothing here prints or exits: errors are
 * returned as enum sr_status with details in the optional struct sr_error.
 */
#ifndef SR_CONVERT_H
#define SR_CONVERT_H

#include "sysrep.h"

struct sr_filter;

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
	 * Default: the output of a run with a failed input is incomplete. */
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

#endif /* SR_CONVERT_H */
