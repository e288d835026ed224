/*
 * corpus.h - converting a directory tree of traces in parallel
 * ("sysrep convert -r INDIR -o OUTDIR -j N").
 *
 * Every regular file under indir (names starting with '.' skipped) becomes
 * one output under outdir at the same relative place, its name with the
 * extension replaced by the writer's: "a/x.strace.zst" -> "a/x.jsonl".  A
 * numeric last suffix is a pid of strace -ff, not an extension, and stays
 * ("x.strace.123" -> "x.strace.123.jsonl").  With merge, the files NAME.PID
 * of one directory become one output for NAME (sr_conv_merge).  Files are
 * independent: jobs threads take them in turn, each with its own run.
 */
#ifndef SR_CORPUS_H
#define SR_CORPUS_H

#include "convert.h"

struct sr_corpus_opts {
	const char *indir, *outdir;            /* borrowed */
	const struct sr_writer_class *wc;      /* borrowed */
	const struct sr_convert_opts *conv;    /* borrowed; its filter is cloned per thread */
	int jobs;                              /* threads; < 1: one */
	bool merge;
	int zstd_level;                        /* > 0: compress outputs (and add ".zst") */
	/* Called (from any thread, one call at a time) for each file that failed. */
	void (*failed)(void *ctx, const struct sr_error *err);
	void *ctx;
};

struct sr_corpus_result {
	uint64_t files;     /* outputs attempted */
	uint64_t inputs;    /* input files read */
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

#endif /* SR_CORPUS_H */
