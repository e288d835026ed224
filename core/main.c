/*
 * main.c - the sysrep command line.
 *
 * The only file outside libsysrep.a.  It parses options, opens the output
 * sink, runs the pipeline of core/convert.h and prints.  Errors come back from
 * the library as struct sr_error and are printed here, once, as
 * "sysrep: <message>".  Exit status: 0 ok, 1 data or I/O error, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sysrep.h"
#include "convert.h"
#include "corpus.h"
#include "filter.h"
#include "sysstats.h"
#include "views.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

#define DEFAULT_WRITER "jsonl"

#define HELP_FILTERS                                                                \
	"Filters (applied after any reader; see 'man sysrep'):\n"                   \
	"  -e, --trace=[trace=][!]SET\n"                                             \
	"                      only these calls: names, strace classes (%file,\n"    \
	"                      %network, %process, %signal, %memory, %ipc, %desc,\n" \
	"                      %creds, %clock, %pure, %stat, %lstat, %fstat,\n"      \
	"                      %statfs, ...), /REGEX, all, none; !SET: the others\n" \
	"      --pid=N[,M...]  only events of these pids\n"                          \
	"      --failed        only calls that failed (strace -Z)\n"                 \
	"      --successful    only calls that succeeded (strace -z)\n"              \
	"      --since=T, --until=T\n"                                               \
	"                      only events in [T, T'): seconds on the trace's clock\n" \
	"                      (-ttt: epoch; -t/-tt: since midnight, or HH:MM:SS)\n" \
	"  -j, --jobs=N        N threads: a strace file is parsed in N pieces (the\n" \
	"                      output is identical); with -r, N files at a time\n"   \
	"      --chunk=BYTES   with -j: the size of a piece (default 256 KiB)\n"       \
	"  -q, --quiet         no progress line (shown on a terminal for inputs\n"   \
	"                      over 4 MB)\n"

static const char help_main[] =
	"Usage: sysrep COMMAND [OPTION...] [INPUT...]\n"
	"Transcode Linux strace traces.\n"
	"\n"
	"Commands:\n"
	"  convert [-f FROM] [-t TO] [-o OUT] [--strict] [INPUT...]\n"
	"                      convert traces into one output (default: to JSON lines)\n"
	"  convert -r INDIR -o OUTDIR [-t TO] [-j N] [--merge]\n"
	"                      convert a directory tree, N files at a time\n"
	"  stats [--json] [-c] [-f FROM] [INPUT...]\n"
	"                      count lines, events and event kinds; the strace -c table\n"
	"  tree [--json] [-f FROM] [-o OUT] [INPUT...]\n"
	"                      the process tree: forks, execs, exits, threads\n"
	"  report [-f FROM] [-o OUT.html] [INPUT...]\n"
	"                      a self-contained HTML report: tree, tables, timeline\n"
	"  formats             list the input and output formats\n"
	"  help [COMMAND]      show this help, or a command's help\n"
	"\n"
	"Options:\n"
	"  -h, --help          show help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"INPUT and OUT may be '-' for stdin and stdout (the default).  Inputs\n"
	"compressed with zstd or gzip are decompressed transparently.\n"
	"\n"
	"Exit status: 0 ok, 1 data or I/O error, 2 usage error.\n"
	"Example: strace -o ls.strace ls; sysrep convert ls.strace | jq .syscall\n";

static const char help_convert[] =
	"Usage: sysrep convert [OPTION...] [INPUT...]\n"
	"Convert traces, in order, into one output.  No INPUT, or '-': stdin.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"  -t, --to=FORMAT     output format (default: from the extension of OUT,\n"
	"                      else " DEFAULT_WRITER ")\n"
	"  -o, --output=OUT    write to OUT, replaced only once complete\n"
	"                      (default: stdout)\n"
	"      --strict        exit with status 1 if any line could not be parsed\n"
	"                      (the output is still written in full)\n"
	"      --keep-going    with several inputs, a missing or corrupt one does\n"
	"                      not stop the run: it is reported, the others are\n"
	"                      converted, OUT is kept, and the exit status is 1.\n"
	"                      By default the first error stops the run (exit 1)\n"
	"                      and -o OUT is not written\n"
	"  -z, --zstd[=LEVEL]  compress the output with zstd (level 1-22, default 3;\n"
	"                      also when OUT ends in .zst, the writer then chosen\n"
	"                      by the extension before it: -o x.jsonl.zst)\n"
	"      --threads=N     zstd with N worker threads (implies -z)\n"
	"  -O, --option=KEY=VALUE\n"
	"                      an option for the reader or writer (repeatable;\n"
	"                      'sysrep formats' lists them)\n"
	"      --columns=LIST  CSV output: the columns, in order (-O columns=LIST),\n"
	"                      e.g. time,pid,syscall,return,errno,duration,arg0,args\n"
	"      --arch=ARCH     syscall numbers of x86_64 (default), i386 or aarch64\n"
	"                      (-O arch=ARCH): a trace does not say its architecture\n"
	"      --merge         the INPUTs are the per-pid files of strace -ff\n"
	"                      (NAME.PID): one stream, ordered by time\n"
	"  -r, --recursive=INDIR\n"
	"                      corpus mode: every file under INDIR to the same place\n"
	"                      under -o OUTDIR, its extension replaced by TO's\n"
	"                      (.zst/.gz dropped; a .PID suffix kept unless --merge);\n"
	"                      -j N files at a time; a summary line on stderr\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS
	"\n"
	"Syscall sequences (-t seq, implied by these options; see docs/seq.md):\n"
	"      --by=pid|tid    one sequence per process (threads joined, default)\n"
	"                      or per thread (-O by=...)\n"
	"      --names         syscall names instead of numbers (-O names)\n"
	"      --layout=LAYOUT lines (default): 'PID: n n n' per process;\n"
	"                      adfa: one file per process in the directory -o DIR;\n"
	"                      unm: 'PID NR' lines in trace order (-O layout=...)\n"
	"      --window=K      the distinct windows of K calls per process, with\n"
	"                      counts, as CSV or with -O format=jsonl (-O window=K)\n"
	"      --lookahead     with --window: lookahead pairs instead (-O lookahead)\n"
	"\n"
	"'sysrep formats' lists the formats.\n";

static const char help_stats[] =
	"Usage: sysrep stats [OPTION...] [INPUT...]\n"
	"Count lines, events (per kind), unparsed, verbatim and attached lines and\n"
	"bytes of each input, and their totals.  No INPUT, or '-': stdin.\n"
	"\n"
	"After the counts, the strace -c table from the -T durations (zero without\n"
	"-T): % time, seconds, usecs/call, calls, errors per syscall, by time.\n"
	"The counts describe the input; the table, the events the filters keep.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"      --json          print one JSON object (with a \"syscalls\" array)\n"
	"  -c, --table         print the strace -c table alone\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS;

static const char help_tree[] =
	"Usage: sysrep tree [OPTION...] [INPUT...]\n"
	"Print the process tree of a trace: who forked whom (clone, clone3, fork,\n"
	"vfork), the command line of each process's last execve, how it ended,\n"
	"and its threads (CLONE_THREAD) as a count.  Several INPUTs are parts of\n"
	"one trace (strace -ff files).  No INPUT, or '-': stdin.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"      --json          nested JSON objects instead of text\n"
	"  -o, --output=OUT    write to OUT (default: stdout)\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS
	"\n"
	"See docs/views.md.\n";

static const char help_report[] =
	"Usage: sysrep report [OPTION...] [INPUT...]\n"
	"Write one self-contained HTML page about a trace: the process tree, calls\n"
	"and errors per syscall and per process, the slowest calls, the files and\n"
	"sockets touched, and a timeline per process.  No network, no external\n"
	"files.  Several INPUTs are parts of one trace.  No INPUT, or '-': stdin.\n"
	"\n"
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"  -o, --output=OUT    write to OUT (default: stdout)\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	HELP_FILTERS
	"\n"
	"Example: sysrep report app.strace -o report.html\n";

static const char help_formats[] =
	"Usage: sysrep formats\n"
	"List the input formats (readers) and output formats (writers).\n";

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* A bad command line: the message, then one hint line. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sysrep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'sysrep --help'.\n", stderr);
	return EXIT_USAGE;
}

static int exit_code(enum sr_status st)
{
	if (st >= 0)
		return EXIT_OK;
	return st == SR_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
}

/* Prints a library error, once; returns the exit status for it. */
static int report(const struct sr_error *err)
{
	char buf[1024];

	fprintf(stderr, "sysrep: %s\n", sr_error_format(err, buf, sizeof(buf)));
	return exit_code(err->code);
}

/* Reports a getopt_long failure; argv[optind - 1] is the offending word. */
static int bad_option(int c, char **argv)
{
	const char *word = argv[optind - 1];

	if (c == ':')
		return usage_error("option '%s' needs an argument", word);
	if (optopt && strncmp(word, "--", 2) != 0)
		return usage_error("unknown option '-%c'", optopt);
	return usage_error("unknown option '%s'", word);
}

static int print_help(const char *text)
{
	fputs(text, stdout);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_DATA;
}

/* ------------------------------------------------------------------ */
/* Formats                                                             */

static int find_reader(const char *name, const struct sr_reader_class **rc)
{
	*rc = NULL;
	if (!name)
		return EXIT_OK;
	*rc = sr_reader_find(name);
	if (!*rc)
		return usage_error("unknown input format '%s' (see 'sysrep formats')", name);
	return EXIT_OK;
}

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && memcmp(s + n - k, suf, k) == 0;
}

/* The writer whose extension ends path, or comes before a final ".zst"
 * (x.jsonl.zst: compressed JSON Lines); NULL when none matches. */
static const struct sr_writer_class *writer_for_path(const char *path)
{
	const struct sr_writer_class *const *w, *best = NULL;
	size_t n = strlen(path), best_len = 0;

	if (has_suffix(path, n, ".zst"))
		n -= 4;

	/* the longest extension wins: ".chrome.json" before ".json" */
	for (w = sr_writers(); *w; w++) {
		size_t e = (*w)->ext ? strlen((*w)->ext) : 0;

		if (e > best_len && has_suffix(path, n, (*w)->ext)) {
			best = *w;
			best_len = e;
		}
	}
	return best;
}

static int pick_writer(const char *to, const char *out, const struct sr_writer_class **wc)
{
	if (to) {
		*wc = sr_writer_find(to);
		if (!*wc)
			return usage_error("unknown output format '%s' (see 'sysrep formats')", to);
		return EXIT_OK;
	}
	*wc = out && strcmp(out, "-") != 0 ? writer_for_path(out) : NULL;
	if (!*wc)
		*wc = sr_writer_find(DEFAULT_WRITER);
	if (!*wc)
		return usage_error("no output format '%s' in this build", DEFAULT_WRITER);
	return EXIT_OK;
}

static int str_width(const char *s, int w)
{
	int n = s ? (int)strlen(s) : 0;

	return n > w ? n : w;
}

static void format_line(int nw, int ew, const char *name, const char *exts, const char *summary)
{
	printf("  %-*s  %-*s  %s\n", nw, name, ew, exts ? exts : "", summary ? summary : "");
}

static int cmd_formats(int argc, char **argv)
{
	const struct sr_reader_class *const *r;
	const struct sr_writer_class *const *w;
	int nw = 0, ew = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return print_help(help_formats);
	if (argc > 1)
		return usage_error("formats: unexpected argument '%s'", argv[1]);
	/* one column width for both tables */
	for (r = sr_readers(); *r; r++) {
		nw = str_width((*r)->name, nw);
		ew = str_width((*r)->exts, ew);
	}
	for (w = sr_writers(); *w; w++) {
		nw = str_width((*w)->name, nw);
		ew = str_width((*w)->ext, ew);
	}
	puts("Readers (-f FROM):");
	for (r = sr_readers(); *r; r++)
		format_line(nw, ew, (*r)->name, (*r)->exts, (*r)->summary);
	puts("Writers (-t TO):");
	for (w = sr_writers(); *w; w++)
		format_line(nw, ew, (*w)->name, (*w)->ext, (*w)->summary);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_DATA;
}

/* ------------------------------------------------------------------ */
/* convert                                                             */

#define MAX_FMT_OPTS 64

/* The options of every reading command (filters, -j, -q). */
struct read_opts {
	struct sr_filter *filter; /* owned; NULL until a filter option */
	int jobs;
	size_t chunk;
	bool quiet;
};

struct convert_args {
	const char *from, *to, *out;
	bool strict;
	bool zstd;   /* -z, --threads or OUT ending in .zst */
	int zlevel;  /* -zLEVEL; 0: zstd's default */
	int threads; /* --threads */
	bool seq; /* a sequence option was given: the writer defaults to seq */
	struct sr_opt fmt[MAX_FMT_OPTS]; /* -O KEY=VALUE, values borrowed from argv */
	size_t nfmt;
	char **inputs; /* borrowed from argv */
	int ninputs;
	const char *indir; /* -r: a directory tree, converted file by file */
	bool merge;        /* --merge: strace -ff files by time */
	struct read_opts ro;
	bool keep_going;   /* --keep-going: a failed input does not stop the run */
};

/* --keep-going (apart from the enum above, which issue 10 extends) */
enum { OPT_KEEP_GOING = 600 };

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

static int parse_count(const char *s, int lo, int hi);

/* ------------------------------------------------------------------ */
/* What every reading command shares: filters, -j, progress            */

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
	{ "quiet", no_argument, NULL, 'q' }

#define NOT_MINE (-3)

/* Handles one of READ_LONGS / READ_SHORTS; NOT_MINE for other options. */
static int read_opt(int c, const char *arg, struct read_opts *ro)
{
	struct sr_error err = { 0 };
	double t;

	switch (c) {
	case 'e':
	case OPT_PID:
	case OPT_FAILED:
	case OPT_SUCCESSFUL:
	case OPT_SINCE:
	case OPT_UNTIL:
		if (!ro->filter && !(ro->filter = sr_filter_new())) {
			sr_error_set(&err, SR_ERR_NOMEM, "out of memory");
			return report(&err);
		}
		break;
	case 'j':
		if ((ro->jobs = parse_count(arg, 1, 256)) < 0)
			return usage_error("-j: bad count '%s' (1-256)", arg);
		return EXIT_OK;
	case OPT_CHUNK: {
		int kib = parse_count(arg, 1, 1 << 30);

		if (kib < 0)
			return usage_error("--chunk: bad size '%s'", arg);
		ro->chunk = (size_t)kib;
		return EXIT_OK;
	}
	case 'q':
		ro->quiet = true;
		return EXIT_OK;
	default:
		return NOT_MINE;
	}
	switch (c) {
	case 'e':
		if (sr_filter_trace(ro->filter, arg, &err) < 0)
			return err.code == SR_ERR_USAGE ? usage_error("%s", err.msg) : report(&err);
		break;
	case OPT_PID:
		if (sr_filter_pids(ro->filter, arg, &err) < 0)
			return usage_error("%s", err.msg);
		break;
	case OPT_FAILED:
	case OPT_SUCCESSFUL:
		sr_filter_status(ro->filter, c == OPT_FAILED ? SR_FILTER_FAILED : SR_FILTER_SUCCESSFUL);
		break;
	default:
		if (!sr_filter_parse_time(arg, &t))
			return usage_error("%s: bad time '%s' (seconds, or HH:MM:SS.frac)",
					   c == OPT_SINCE ? "--since" : "--until", arg);
		/* the other end of the window stays as it was */
		sr_filter_window_end(ro->filter, c == OPT_SINCE, t);
		break;
	}
	return EXIT_OK;
}

static void read_opts_apply(const struct read_opts *ro, struct sr_convert_opts *opts)
{
	opts->filter = ro->filter && !sr_filter_is_empty(ro->filter) ? ro->filter : NULL;
	opts->jobs = ro->jobs;
	opts->chunk = ro->chunk;
}

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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_init(struct progress *p, const struct read_opts *ro, char **inputs, int n)
{
	struct stat sb;

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < n; i++)
		if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &sb) == 0)
			p->total += (uint64_t)sb.st_size;
	p->on = !ro->quiet && p->total > PROGRESS_MIN && isatty(STDERR_FILENO);
	p->t0 = p->last = now_s();
}

static void progress_show(struct progress *p, uint64_t bytes)
{
	double t, rate;
	uint64_t done;
	char left[32] = "";

	if (bytes < p->cur) /* the next input */
		p->base += p->cur;
	p->cur = bytes;
	done = p->base + bytes;
	/* the first line after a tenth of a second, then four a second */
	if (!p->on || (t = now_s()) - p->last < (p->shown ? 0.25 : 0.1))
		return;
	p->last = t;
	rate = done / (t - p->t0) / 1e6;
	if (rate > 0 && done < p->total) {
		unsigned s = (unsigned)((p->total - done) / 1e6 / rate);

		snprintf(left, sizeof(left), ", %u:%02u left", s / 60, s % 60);
	}
	fprintf(stderr, "\rsysrep: %.1f of %.1f MB, %.1f MB/s%s   ", done / 1e6, p->total / 1e6,
		rate, left);
	p->shown = true;
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

static enum sr_status observe_progress(void *ctx, const struct sr_batch *b, uint64_t bytes,
				       struct sr_error *err)
{
	(void)b;
	(void)err;
	progress_show(ctx, bytes);
	return SR_OK;
}

/* Appends a format option; key and value are borrowed. */
static int add_fmt(struct convert_args *a, const char *key, const char *value)
{
	if (a->nfmt == MAX_FMT_OPTS) {
		fprintf(stderr, "sysrep: too many format options (at most %d)\n", MAX_FMT_OPTS);
		return EXIT_USAGE;
	}
	a->fmt[a->nfmt].key = key;
	a->fmt[a->nfmt].value = value;
	a->nfmt++;
	return EXIT_OK;
}

/* Output compression (not a format option: the sink does it). */
enum { OPT_THREADS = 512 };

#define DEFAULT_ZSTD_LEVEL 3

/* A whole decimal number in lo..hi, or -1. */
static int parse_count(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= lo && v <= hi ? (int)v : -1;
}

static int parse_convert(int argc, char **argv, struct convert_args *a)
{
	static const struct option longs[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
		{ "option", required_argument, NULL, 'O' },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "by", required_argument, NULL, OPT_BY },
		{ "names", no_argument, NULL, OPT_NAMES },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "lookahead", no_argument, NULL, OPT_LOOKAHEAD },
		{ "columns", required_argument, NULL, OPT_COLUMNS },
		{ "zstd", optional_argument, NULL, 'z' },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "recursive", required_argument, NULL, 'r' },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "help", no_argument, NULL, 'h' },
		READ_LONGS,
		{ 0 },
	};
	/* The named options are -O KEY=VALUE under another spelling. */
	static const char *const keys[] = {
		[OPT_ARCH - OPT_ARCH] = "arch",	    [OPT_BY - OPT_ARCH] = "by",
		[OPT_NAMES - OPT_ARCH] = "names",   [OPT_LAYOUT - OPT_ARCH] = "layout",
		[OPT_WINDOW - OPT_ARCH] = "window", [OPT_LOOKAHEAD - OPT_ARCH] = "lookahead",
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":f:t:o:O:hz::r:" READ_SHORTS, longs, NULL)) != -1) {
		switch (c) {
		case 'z':
			/* -z, -z19, --zstd=19 (-z 19 would take 19 for an input) */
			a->zstd = true;
			if (optarg && (a->zlevel = parse_count(optarg, 1, 22)) < 0)
				return usage_error("-z: bad zstd level '%s' (1-22)", optarg);
			break;
		case OPT_THREADS:
			a->zstd = true;
			if ((a->threads = parse_count(optarg, 0, 256)) < 0)
				return usage_error("--threads: bad count '%s' (0-256)", optarg);
			break;
		case 'f':
			a->from = optarg;
			break;
		case 't':
			a->to = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case OPT_STRICT:
			a->strict = true;
			break;
		case OPT_KEEP_GOING:
			a->keep_going = true;
			break;
		case OPT_COLUMNS:
			/* the named form of -O columns=... */
			if ((rc = add_fmt(a, "columns", optarg)) != EXIT_OK)
				return rc;
			break;
		case 'O': {
			/* "KEY=VALUE" is split in place: argv is ours to edit */
			char *eq = strchr(optarg, '=');

			if (eq)
				*eq = '\0';
			if ((rc = add_fmt(a, optarg, eq ? eq + 1 : "")) != EXIT_OK)
				return rc;
			break;
		}
		case OPT_ARCH:
		case OPT_BY:
		case OPT_NAMES:
		case OPT_LAYOUT:
		case OPT_WINDOW:
		case OPT_LOOKAHEAD:
			a->seq |= c != OPT_ARCH;
			rc = add_fmt(a, keys[c - OPT_ARCH],
				     c == OPT_NAMES || c == OPT_LOOKAHEAD ? "" : optarg);
			if (rc != EXIT_OK)
				return rc;
			break;
		case 'r':
			a->indir = optarg;
			break;
		case OPT_MERGE:
			a->merge = true;
			break;
		case 'h':
			return -1;
		default:
			rc = read_opt(c, optarg, &a->ro);
			if (rc == NOT_MINE)
				return bad_option(c, argv);
			if (rc != EXIT_OK)
				return rc;
		}
	}
	a->inputs = argv + optind;
	a->ninputs = argc - optind;
	return EXIT_OK;
}

static void corpus_failed(void *ctx, const struct sr_error *err)
{
	(void)ctx;
	report(err);
}

/* convert -r INDIR -o OUTDIR: every file on its own, jobs at a time, then
 * one summary line on stderr. */
static int convert_corpus(struct convert_args *a, struct sr_convert_opts *opts,
			  const struct sr_writer_class *wc)
{
	struct sr_corpus_opts co = { 0 };
	struct sr_corpus_result res;
	struct sr_error err = { 0 };
	double t0 = now_s(), dt;

	if (!a->out || !strcmp(a->out, "-"))
		return usage_error("-r %s: needs -o OUTDIR", a->indir);
	if (a->ninputs)
		return usage_error("-r: unexpected input '%s' (the inputs are the files under %s)",
				   a->inputs[0], a->indir);
	co.indir = a->indir;
	co.outdir = a->out;
	co.wc = wc;
	opts->jobs = 0; /* the threads go to files, not to pieces of one */
	co.conv = opts;
	co.jobs = a->ro.jobs;
	co.merge = a->merge;
	co.zstd_level = a->zstd ? (a->zlevel ? a->zlevel : DEFAULT_ZSTD_LEVEL) : 0;
	co.failed = corpus_failed;
	if (sr_corpus_run(&co, &res, &err) < 0)
		return report(&err);
	dt = now_s() - t0;
	if (!a->ro.quiet)
		fprintf(stderr,
			"sysrep: %llu files (%llu inputs), %llu events, %llu unparsed, "
			"%.1f MB in, %.1f MB out, %.1f s, %.1f MB/s, %llu failed\n",
			(unsigned long long)res.files, (unsigned long long)res.inputs,
			(unsigned long long)res.counts.events, (unsigned long long)res.counts.unparsed,
			res.counts.bytes_in / 1e6, res.counts.bytes_out / 1e6, dt,
			dt > 0 ? res.counts.bytes_in / 1e6 / dt : 0.0,
			(unsigned long long)res.failures);
	if (res.failures)
		return EXIT_DATA;
	if (a->strict && res.counts.unparsed) {
		fprintf(stderr, "sysrep: cannot parse every line (--strict): %llu unparsed lines\n",
			(unsigned long long)res.counts.unparsed);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

static int convert_main(struct convert_args *ap);

static int cmd_convert(int argc, char **argv)
{
	struct convert_args a = { 0 };
	int rc;

	rc = parse_convert(argc, argv, &a);
	if (rc == EXIT_OK) {
		rc = convert_main(&a);
		sr_filter_free(a.ro.filter);
		return rc;
	}
	sr_filter_free(a.ro.filter);
	if (rc < 0)
		return print_help(help_convert);
	return rc;
}

static int convert_main(struct convert_args *ap)
{
	static char *const stdin_only[] = { "-", NULL };
	struct convert_args a = *ap;
	struct sr_convert_opts opts = { 0 };
	struct sr_opts fmt;
	const struct sr_writer_class *wc;
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	struct progress prog;
	enum sr_status st;
	bool keep;
	int rc, nfailed = 0;

	if (!a.ninputs && !a.indir) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	/* --by, --names, --layout, --window, --lookahead are seq's options */
	if (!a.to && a.seq)
		a.to = "seq";
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK ||
	    (rc = pick_writer(a.to, a.indir ? NULL : a.out, &wc)) != EXIT_OK)
		return rc;
	opts.strict = a.strict;
	opts.keep_going = a.keep_going;
	fmt.v = a.fmt;
	fmt.n = a.nfmt;
	opts.fmt = &fmt;
	read_opts_apply(&a.ro, &opts);
	if (a.indir)
		return convert_corpus(&a, &opts, wc);
	progress_init(&prog, &a.ro, a.inputs, a.ninputs);
	if (prog.on) {
		opts.observe = observe_progress;
		opts.observe_ctx = &prog;
	}
	/* seq's adfa layout writes a directory of files, which a sink (one
	 * file) cannot: the writer gets -o as its dir= option and creates the
	 * files itself, and the sink stays stdout, unused. */
	if (!strcmp(wc->name, "seq") && !strcmp(sr_opts_get(&fmt, "layout", ""), "adfa")) {
		if (!a.out || !strcmp(a.out, "-"))
			return usage_error("--layout adfa writes files: it needs -o DIR");
		if ((rc = add_fmt(&a, "dir", a.out)) != EXIT_OK)
			return rc;
		fmt.n = a.nfmt;
		a.out = NULL;
	}

	st = sr_sink_open(&sink, a.out ? a.out : "-", &err);
	if (st < 0)
		return report(&err);
	if (a.out && has_suffix(a.out, strlen(a.out), ".zst"))
		a.zstd = true;
	if (a.zstd && sr_sink_set_zstd(sink, a.zlevel ? a.zlevel : DEFAULT_ZSTD_LEVEL,
				       a.threads, &err) < 0) {
		sr_sink_abort(sink);
		return report(&err);
	}
	st = sr_conv_open(&conv, &opts, wc, sink, &err);
	if (st >= 0 && a.merge)
		st = sr_conv_merge(conv, (const char *const *)a.inputs, (size_t)a.ninputs, NULL,
				   &err);
	for (int i = 0; st >= 0 && !a.merge && i < a.ninputs; i++) {
		st = sr_conv_input(conv, NULL, a.inputs[i], NULL, &err);
		/* --keep-going: an input's own error (not the output's, not
		 * memory) is reported, and the run goes on with the next */
		if (st < 0 && a.keep_going && st != SR_ERR_NOMEM &&
		    !strcmp(err.file, a.inputs[i])) {
			report(&err);
			memset(&err, 0, sizeof(err));
			nfailed++;
			st = SR_OK;
		}
	}
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
	progress_end(&prog);
	keep = conv && sr_conv_complete(conv);
	sr_conv_close(conv);
	if (!keep) {
		/* -o: the old file stays; stdout: gets what was converted */
		sr_sink_abort(sink);
		return report(&err);
	}
	/* One message: losing the output outweighs --strict's complaint. */
	if (sr_sink_close(sink, &cerr) < 0)
		return report(&cerr);
	if (st < 0)
		return report(&err);
	if (nfailed) {
		fprintf(stderr, "sysrep: %d of %d inputs failed (--keep-going: the others were converted)\n",
			nfailed, a.ninputs);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* stats                                                               */

struct stats_args {
	const char *from;
	bool json;
	bool table_only; /* -c: the strace -c table alone */
	char **inputs;
	int ninputs;
	struct read_opts ro;
};

struct file_stats {
	const char *name;   /* borrowed from argv */
	const char *format; /* reader name */
	struct sr_counts c;
};

static int parse_stats(int argc, char **argv, struct stats_args *a)
{
	static const struct option longs[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "table", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		READ_LONGS,
		{ 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":f:hc" READ_SHORTS, longs, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->from = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'c':
			a->table_only = true;
			break;
		case 'h':
			return -1;
		default:
			rc = read_opt(c, optarg, &a->ro);
			if (rc == NOT_MINE)
				return bad_option(c, argv);
			if (rc != EXIT_OK)
				return rc;
		}
	}
	a->inputs = argv + optind;
	a->ninputs = argc - optind;
	return EXIT_OK;
}

/* A JSON string literal; file names may hold anything. */
static void json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}

/* The members shared by the totals and each per_file entry. */
static void json_counts(FILE *f, const struct sr_counts *c)
{
	fprintf(f,
		"\"lines\":%llu,\"events\":%llu,\"unparsed\":%llu,"
		"\"verbatim\":%llu,\"attached\":%llu,\"bytes\":%llu,\"kinds\":{",
		(unsigned long long)c->lines, (unsigned long long)c->events,
		(unsigned long long)c->unparsed, (unsigned long long)c->verbatim,
		(unsigned long long)c->attached, (unsigned long long)c->bytes_in);
	for (int k = 1; k < SR_E__COUNT; k++) {
		fprintf(f, "%s", k > 1 ? "," : "");
		json_str(f, sr_ekind_name(k));
		fprintf(f, ":%llu", (unsigned long long)c->by_kind[k]);
	}
	fputs("}", f);
}

/* The strace -c table, in strace's layout (strace/src/count.c): rows by
 * time, errors blank when none, the total row. */
static void print_syscall_table(struct sr_sysstats *ss, FILE *note)
{
	static const char rule[] =
		"------ ----------- ----------- --------- --------- ----------------\n";
	struct sr_sysrow total;
	const struct sr_sysrow *rows;
	size_t n;
	bool timed;

	rows = sr_sysstats_rows(ss, &n, &total, &timed);
	printf("%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time", "seconds", "usecs/call",
	       "calls", "errors", "syscall");
	fputs(rule, stdout);
	for (size_t i = 0; i < n; i++) {
		const struct sr_sysrow *r = &rows[i];

		printf("%6.2f %11.6f %11llu %9llu %9.llu %s\n",
		       total.ns ? 100.0 * (double)r->ns / (double)total.ns : 0.0, r->ns / 1e9,
		       (unsigned long long)(r->ns / r->calls / 1000), (unsigned long long)r->calls,
		       (unsigned long long)r->errors, r->name->str);
	}
	fputs(rule, stdout);
	printf("%6.6s %11.6f %11llu %9llu %9.llu %s\n", "100.00", total.ns / 1e9,
	       (unsigned long long)(total.calls ? total.ns / total.calls / 1000 : 0),
	       (unsigned long long)total.calls, (unsigned long long)total.errors, "total");
	if (!timed && total.calls)
		fputs("(no -T durations in the input: the time columns are zero)\n", note);
}

static void json_syscalls(FILE *f, struct sr_sysstats *ss)
{
	struct sr_sysrow total;
	const struct sr_sysrow *rows;
	size_t n;
	bool timed;

	rows = sr_sysstats_rows(ss, &n, &total, &timed);
	fprintf(f, ",\"timed\":%s,\"syscalls\":[", timed ? "true" : "false");
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_str(f, rows[i].name->str);
		fprintf(f, ",\"calls\":%llu,\"errors\":%llu,\"seconds\":%.6f,\"usecs_per_call\":%llu}",
			(unsigned long long)rows[i].calls, (unsigned long long)rows[i].errors,
			rows[i].ns / 1e9, (unsigned long long)(rows[i].ns / rows[i].calls / 1000));
	}
	fputs("]", f);
}

static void print_stats_json(const struct file_stats *fs, int n, const struct sr_counts *total,
			     struct sr_sysstats *ss)
{
	printf("{\"files\":%d,", n);
	json_counts(stdout, total);
	json_syscalls(stdout, ss);
	if (n > 1) {
		fputs(",\"per_file\":[", stdout);
		for (int i = 0; i < n; i++) {
			fputs(i ? ",{\"file\":" : "{\"file\":", stdout);
			json_str(stdout, fs[i].name);
			fputs(",\"format\":", stdout);
			json_str(stdout, fs[i].format);
			fputs(",", stdout);
			json_counts(stdout, &fs[i].c);
			fputs("}", stdout);
		}
		fputs("]", stdout);
	}
	fputs("}\n", stdout);
}

static void print_counts_block(const struct sr_counts *c)
{
	printf("  %-12s %12llu\n", "lines", (unsigned long long)c->lines);
	printf("  %-12s %12llu\n", "events", (unsigned long long)c->events);
	for (int k = 1; k < SR_E__COUNT; k++)
		if (c->by_kind[k] && k != SR_E_UNPARSED)
			printf("    %-10s %12llu\n", sr_ekind_name(k),
			       (unsigned long long)c->by_kind[k]);
	printf("  %-12s %12llu\n", "unparsed", (unsigned long long)c->unparsed);
	printf("  %-12s %12llu\n", "verbatim", (unsigned long long)c->verbatim);
	printf("  %-12s %12llu\n", "attached", (unsigned long long)c->attached);
	printf("  %-12s %12llu\n", "bytes", (unsigned long long)c->bytes_in);
}

static void print_stats_table(const struct file_stats *fs, int n, const struct sr_counts *total)
{
	if (n > 1) {
		printf("%-32s %10s %10s %9s %9s %9s %12s\n", "file", "lines", "events", "unparsed",
		       "verbatim", "attached", "bytes");
		for (int i = 0; i < n; i++) {
			const struct sr_counts *c = &fs[i].c;

			printf("%-32s %10llu %10llu %9llu %9llu %9llu %12llu\n", fs[i].name,
			       (unsigned long long)c->lines, (unsigned long long)c->events,
			       (unsigned long long)c->unparsed, (unsigned long long)c->verbatim,
			       (unsigned long long)c->attached, (unsigned long long)c->bytes_in);
		}
		printf("\ntotal (%d files):\n", n);
	} else {
		printf("%s (%s):\n", fs[0].name, fs[0].format);
	}
	print_counts_block(total);
}

struct stats_obs {
	struct sr_sysstats *ss; /* borrowed */
	struct progress prog;
};

static enum sr_status observe_stats(void *ctx, const struct sr_batch *b, uint64_t bytes,
				    struct sr_error *err)
{
	struct stats_obs *so = ctx;

	progress_show(&so->prog, bytes);
	if (sr_sysstats_add(so->ss, b) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot count: out of memory");
	return SR_OK;
}

static int stats_main(struct stats_args *ap);

static int cmd_stats(int argc, char **argv)
{
	struct stats_args a = { 0 };
	int rc;

	rc = parse_stats(argc, argv, &a);
	if (rc == EXIT_OK)
		rc = stats_main(&a);
	else if (rc < 0)
		rc = print_help(help_stats);
	sr_filter_free(a.ro.filter);
	return rc;
}

static int stats_main(struct stats_args *ap)
{
	static char *const stdin_only[] = { "-", NULL };
	struct stats_args a = *ap;
	struct sr_convert_opts opts = { 0 };
	struct sr_error err = { 0 };
	struct file_stats *fs;
	struct sr_conv *conv = NULL;
	struct stats_obs so = { 0 };
	struct progress *prog = &so.prog;
	struct sr_sysstats *ss;
	enum sr_status st;
	int rc, n = 0;

	if (!a.ninputs) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK)
		return rc;
	fs = calloc((size_t)a.ninputs, sizeof(*fs));
	ss = so.ss = sr_sysstats_new();
	if (!fs || !ss) {
		free(fs);
		sr_sysstats_free(ss);
		sr_error_set(&err, SR_ERR_NOMEM, "cannot count: out of memory");
		return report(&err);
	}
	read_opts_apply(&a.ro, &opts);
	progress_init(prog, &a.ro, a.inputs, a.ninputs);
	opts.observe = observe_stats;
	opts.observe_ctx = &so;
	st = sr_conv_open(&conv, &opts, NULL, NULL, &err);
	for (; st >= 0 && n < a.ninputs; n++) {
		fs[n].name = a.inputs[n];
		st = sr_conv_input(conv, NULL, a.inputs[n], &fs[n].c, &err);
		fs[n].format = sr_conv_reader(conv) ? sr_conv_reader(conv)->name : "?";
	}
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
	if (st >= 0) {
		progress_end(prog);
		if (a.json) {
			print_stats_json(fs, n, sr_conv_totals(conv), ss);
		} else if (a.table_only) {
			print_syscall_table(ss, stderr);
		} else {
			print_stats_table(fs, n, sr_conv_totals(conv));
			putchar('\n');
			print_syscall_table(ss, stdout);
		}
		if (fflush(stdout) != 0) {
			st = sr_error_set(&err, SR_ERR_IO, "cannot write output: %s",
					  strerror(errno));
			sr_error_file(&err, "-");
		}
	}
	sr_conv_close(conv);
	free(fs);
	sr_sysstats_free(ss);
	return st < 0 ? report(&err) : EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* tree, report                                                        */

struct view_args {
	const char *from, *out;
	bool json;
	char **inputs;
	int ninputs;
	struct read_opts ro;
};

static int parse_view(int argc, char **argv, struct view_args *a, bool json_ok)
{
	static const struct option longs[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		READ_LONGS,
		{ 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":f:o:h" READ_SHORTS, longs, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->from = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case OPT_JSON:
			if (!json_ok)
				return usage_error("unknown option '--json'");
			a->json = true;
			break;
		case 'h':
			return -1;
		default:
			rc = read_opt(c, optarg, &a->ro);
			if (rc == NOT_MINE)
				return bad_option(c, argv);
			if (rc != EXIT_OK)
				return rc;
		}
	}
	a->inputs = argv + optind;
	a->ninputs = argc - optind;
	return EXIT_OK;
}

static int view_main(struct view_args *ap, const struct sr_writer_class *wc);

/* Reads every input through a view writer (views.h) into OUT, which, like
 * convert's, is replaced only once complete. */
static int run_view(int argc, char **argv, const struct sr_writer_class *wc, const char *help,
		    bool json_ok)
{
	struct view_args a = { 0 };
	int rc;

	rc = parse_view(argc, argv, &a, json_ok);
	if (rc == EXIT_OK)
		rc = view_main(&a, wc);
	else if (rc < 0)
		rc = print_help(help);
	sr_filter_free(a.ro.filter);
	return rc;
}

static int view_main(struct view_args *ap, const struct sr_writer_class *wc)
{
	static char *const stdin_only[] = { "-", NULL };
	struct view_args a = *ap;
	struct sr_convert_opts opts = { 0 };
	struct sr_opt fmt[1] = { { "json", "" } };
	struct sr_opts fo = { fmt, 0 };
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	struct progress prog;
	enum sr_status st;
	int rc;

	if (!a.ninputs) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK)
		return rc;
	fo.n = a.json ? 1 : 0;
	opts.fmt = &fo;
	read_opts_apply(&a.ro, &opts);
	progress_init(&prog, &a.ro, a.inputs, a.ninputs);
	if (prog.on) {
		opts.observe = observe_progress;
		opts.observe_ctx = &prog;
	}
	st = sr_sink_open(&sink, a.out ? a.out : "-", &err);
	if (st < 0)
		return report(&err);
	st = sr_conv_open(&conv, &opts, wc, sink, &err);
	for (int i = 0; st >= 0 && i < a.ninputs; i++)
		st = sr_conv_input(conv, NULL, a.inputs[i], NULL, &err);
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
	progress_end(&prog);
	if (st < 0 || !sr_conv_complete(conv)) {
		sr_conv_close(conv);
		sr_sink_abort(sink);
		return report(&err);
	}
	sr_conv_close(conv);
	if (sr_sink_close(sink, &cerr) < 0)
		return report(&cerr);
	return EXIT_OK;
}

static int cmd_tree(int argc, char **argv)
{
	return run_view(argc, argv, &sr_view_tree, help_tree, true);
}

static int cmd_report(int argc, char **argv)
{
	return run_view(argc, argv, &sr_view_report, help_report, false);
}

/* ------------------------------------------------------------------ */

static int cmd_help(int argc, char **argv)
{
	if (argc < 2)
		return print_help(help_main);
	if (!strcmp(argv[1], "convert"))
		return print_help(help_convert);
	if (!strcmp(argv[1], "stats"))
		return print_help(help_stats);
	if (!strcmp(argv[1], "formats"))
		return print_help(help_formats);
	if (!strcmp(argv[1], "tree"))
		return print_help(help_tree);
	if (!strcmp(argv[1], "report"))
		return print_help(help_report);
	if (!strcmp(argv[1], "help"))
		return print_help(help_main);
	return usage_error("no help for unknown command '%s'", argv[1]);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "convert", cmd_convert },
		{ "stats", cmd_stats },
		{ "formats", cmd_formats },
		{ "tree", cmd_tree },
		{ "report", cmd_report },
		{ "help", cmd_help },
	};
	const char *cmd = argc > 1 ? argv[1] : NULL;

	opterr = 0; /* getopt_long's own messages lack the hint line */
	if (!cmd) {
		fputs(help_main, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		return print_help(help_main);
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		puts("sysrep " SR_VERSION);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_DATA;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return usage_error("unknown option '%s'", cmd);
	return usage_error("unknown command '%s'", cmd);
}
