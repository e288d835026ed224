/*
 * cli.h - what the files of the command line (cli/) share: exit codes,
 * messages, the options of every reading command (filters, -j, -q), the
 * progress line, and one entry point per subcommand.  The CLI includes no
 * project header but sysrep.h and this one: everything else it needs is
 * the library's public API.
 */
#ifndef SR_CLI_H
#define SR_CLI_H

#include <getopt.h>

#include "sysrep.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

#define DEFAULT_WRITER "jsonl"

/* The help texts (help.c). */
extern const char help_main[], help_convert[], help_stats[], help_tree[], help_report[],
	help_formats[], help_record[];

/* The subcommands: argv[0] is the command's name. */
int cmd_convert(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_tree(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* The writers of convert and record (convert.c): -t TO, else the one of
 * OUT's extension (an extension no format claims is a usage error), else
 * the default; and the check that every -O key is read by the reader (any
 * reader when rc is NULL), the writer or the run. */
int pick_writer(const char *to, const char *out, const struct sr_writer_class **wc);
int check_fmt_keys(const struct sr_opts *fmt, const struct sr_reader_class *rc,
		   const struct sr_writer_class *wc);

/* ------------------------------------------------------------------ */
/* Messages (opts.c)                                                   */

/* A bad command line: the message, then one hint line. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a library error, once; returns the exit status for it. */
int report(const struct sr_error *err);
/* After a run: no line of the input parsed and no -f named its format,
 * so no reader recognised it (err says so, with its first line). */
bool not_a_trace(const struct sr_conv *conv, bool from_given, struct sr_error *err);
/* The one summary line of a run's unparsed lines (count, first file and
 * line), unless quiet or there were none.  view: the view's name ("tree"),
 * which leaves them out, or NULL for a writer, which keeps them. */
void unparsed_warning(const struct sr_counts *c, const struct sr_unparsed_at *first, bool quiet,
		      const char *view);
/* Reports a getopt_long failure; argv[optind - 1] is the offending word. */
int bad_option(int c, char **argv);
int print_help(const char *text);
int print_version(void);
/* Flushes stdout: EXIT_OK, or a message and EXIT_DATA when writing failed. */
int flush_stdout(void);

/* -f NAME: *rc NULL when name is NULL (detect); usage error when unknown. */
int find_reader(const char *name, const struct sr_reader_class **rc);
/* A whole decimal number in lo..hi, or -1. */
int parse_count(const char *s, int lo, int hi);

/* ------------------------------------------------------------------ */
/* Options of every reading command (opts.c)                           */

/* The options of every reading command (filters, -j, -q). */
#define READ_FMT_MAX 128 /* more than any command's -O options (64) */

struct read_opts {
	struct sr_filter *filter; /* owned; NULL until a filter option */
	int jobs;
	size_t chunk;
	bool quiet;
	const char *max_line; /* --max-line N: "-O max_line=N", for every reading command */
	/* read_opts_apply: the command's format options, then max_line */
	struct sr_opt fmt[READ_FMT_MAX];
	struct sr_opts fmt_all;
};

/* --keep-going (apart from the enum below, which issue 10 extends) */
enum { OPT_KEEP_GOING = 600, OPT_VERSION };

enum {
	OPT_STRICT = 256,
	OPT_JSON,
	OPT_ARCH,
	OPT_BY,
	OPT_NAMES,
	OPT_LAYOUT,
	OPT_WINDOW,
	OPT_LOOKAHEAD,
	OPT_COLUMNS,
	OPT_PID,
	OPT_FAILED,
	OPT_SUCCESSFUL,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_CHUNK,
	OPT_MERGE,
	OPT_TABLE,
};

/* issue 22: sysrep tree --depth, --max-line */
enum { OPT_DEPTH = 700, OPT_MAX_LINE };

/* Output compression (not a format option: the sink does it). */
enum { OPT_THREADS = 512 };

#define READ_SHORTS "e:j:q"
#define READ_LONGS                                                                  \
	{ "trace", required_argument, NULL, 'e' },                                  \
	{ "pid", required_argument, NULL, OPT_PID },                                \
	{ "failed", no_argument, NULL, OPT_FAILED },                                \
	{ "successful", no_argument, NULL, OPT_SUCCESSFUL },                        \
	{ "since", required_argument, NULL, OPT_SINCE },                            \
	{ "until", required_argument, NULL, OPT_UNTIL },                            \
	{ "jobs", required_argument, NULL, 'j' },                                   \
	{ "chunk", required_argument, NULL, OPT_CHUNK },                            \
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },                      \
	{ "quiet", no_argument, NULL, 'q' },                                        \
	{ "version", no_argument, NULL, OPT_VERSION }

#define NOT_MINE (-3)

/* Handles one of READ_LONGS / READ_SHORTS; NOT_MINE for other options. */
int read_opt(int c, const char *arg, struct read_opts *ro);
/* Sets opts from ro; call after opts->fmt is set: --max-line joins the
 * format options (in ro, which must outlive opts). */
void read_opts_apply(struct read_opts *ro, struct sr_convert_opts *opts);

/* ------------------------------------------------------------------ */
/* The progress line (opts.c)                                          */

/* The progress line: on stderr when it is a terminal and the inputs are
 * larger than PROGRESS_MIN, rewritten at most four times a second. */
#define PROGRESS_MIN (4u << 20)

struct progress {
	bool on, shown;
	uint64_t total;  /* bytes of the inputs on disk */
	uint64_t base;   /* bytes of the inputs done */
	uint64_t cur;    /* bytes of the current input */
	double t0, last;
};

double now_s(void);
void progress_init(struct progress *p, const struct read_opts *ro, char **inputs, int n);
void progress_show(struct progress *p, uint64_t bytes);
void progress_end(struct progress *p);
/* An observe callback for struct sr_convert_opts; ctx: a struct progress. */
enum sr_status observe_progress(void *ctx, const struct sr_batch *b, uint64_t bytes,
				struct sr_error *err);

#endif /* SR_CLI_H */
