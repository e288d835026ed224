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

#include "sysrep.h"
#include "convert.h"
#include "views.h"

enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

#define DEFAULT_WRITER "jsonl"

static const char help_main[] =
	"Usage: sysrep COMMAND [OPTION...] [INPUT...]\n"
	"Transcode Linux strace traces.\n"
	"\n"
	"Commands:\n"
	"  convert [-f FROM] [-t TO] [-o OUT] [--strict] [INPUT...]\n"
	"                      convert traces into one output (default: to JSON lines)\n"
	"  stats [--json] [-f FROM] [INPUT...]\n"
	"                      count lines, events and event kinds\n"
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
	"  -h, --help          show this help and exit\n"
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
	"  -f, --from=FORMAT   input format (default: detected, else strace)\n"
	"      --json          print one JSON object\n"
	"  -h, --help          show this help and exit\n";

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
};

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
};

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
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	/* The named options are -O KEY=VALUE under another spelling. */
	static const char *const keys[] = {
		[OPT_ARCH - OPT_ARCH] = "arch",	    [OPT_BY - OPT_ARCH] = "by",
		[OPT_NAMES - OPT_ARCH] = "names",   [OPT_LAYOUT - OPT_ARCH] = "layout",
		[OPT_WINDOW - OPT_ARCH] = "window", [OPT_LOOKAHEAD - OPT_ARCH] = "lookahead",
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":f:t:o:O:hz::", longs, NULL)) != -1) {
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
		case 'h':
			return -1;
		default:
			return bad_option(c, argv);
		}
	}
	a->inputs = argv + optind;
	a->ninputs = argc - optind;
	return EXIT_OK;
}

static int cmd_convert(int argc, char **argv)
{
	static char *const stdin_only[] = { "-", NULL };
	struct convert_args a = { 0 };
	struct sr_convert_opts opts = { 0 };
	struct sr_opts fmt;
	const struct sr_writer_class *wc;
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	enum sr_status st;
	bool keep;
	int rc;

	rc = parse_convert(argc, argv, &a);
	if (rc < 0)
		return print_help(help_convert);
	if (rc != EXIT_OK)
		return rc;
	if (!a.ninputs) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	/* --by, --names, --layout, --window, --lookahead are seq's options */
	if (!a.to && a.seq)
		a.to = "seq";
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK ||
	    (rc = pick_writer(a.to, a.out, &wc)) != EXIT_OK)
		return rc;
	opts.strict = a.strict;
	fmt.v = a.fmt;
	fmt.n = a.nfmt;
	opts.fmt = &fmt;
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
	for (int i = 0; st >= 0 && i < a.ninputs; i++)
		st = sr_conv_input(conv, NULL, a.inputs[i], NULL, &err);
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
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
	return st < 0 ? report(&err) : EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* stats                                                               */

struct stats_args {
	const char *from;
	bool json;
	char **inputs;
	int ninputs;
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
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":f:h", longs, NULL)) != -1) {
		switch (c) {
		case 'f':
			a->from = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'h':
			return -1;
		default:
			return bad_option(c, argv);
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

static void print_stats_json(const struct file_stats *fs, int n, const struct sr_counts *total)
{
	printf("{\"files\":%d,", n);
	json_counts(stdout, total);
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

static int cmd_stats(int argc, char **argv)
{
	static char *const stdin_only[] = { "-", NULL };
	struct stats_args a = { 0 };
	struct sr_convert_opts opts = { 0 };
	struct sr_error err = { 0 };
	struct file_stats *fs;
	struct sr_conv *conv = NULL;
	enum sr_status st;
	int rc, n = 0;

	rc = parse_stats(argc, argv, &a);
	if (rc < 0)
		return print_help(help_stats);
	if (rc != EXIT_OK)
		return rc;
	if (!a.ninputs) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK)
		return rc;
	fs = calloc((size_t)a.ninputs, sizeof(*fs));
	if (!fs) {
		sr_error_set(&err, SR_ERR_NOMEM, "cannot count: out of memory");
		return report(&err);
	}
	st = sr_conv_open(&conv, &opts, NULL, NULL, &err);
	for (; st >= 0 && n < a.ninputs; n++) {
		fs[n].name = a.inputs[n];
		st = sr_conv_input(conv, NULL, a.inputs[n], &fs[n].c, &err);
		fs[n].format = sr_conv_reader(conv) ? sr_conv_reader(conv)->name : "?";
	}
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
	if (st >= 0) {
		if (a.json)
			print_stats_json(fs, n, sr_conv_totals(conv));
		else
			print_stats_table(fs, n, sr_conv_totals(conv));
		if (fflush(stdout) != 0) {
			st = sr_error_set(&err, SR_ERR_IO, "cannot write output: %s",
					  strerror(errno));
			sr_error_file(&err, "-");
		}
	}
	sr_conv_close(conv);
	free(fs);
	return st < 0 ? report(&err) : EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* tree, report                                                        */

struct view_args {
	const char *from, *out;
	bool json;
	char **inputs;
	int ninputs;
};

static int parse_view(int argc, char **argv, struct view_args *a, bool json_ok)
{
	static const struct option longs[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, ":f:o:h", longs, NULL)) != -1) {
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
			return bad_option(c, argv);
		}
	}
	a->inputs = argv + optind;
	a->ninputs = argc - optind;
	return EXIT_OK;
}

/* Reads every input through a view writer (views.h) into OUT, which, like
 * convert's, is replaced only once complete. */
static int run_view(int argc, char **argv, const struct sr_writer_class *wc, const char *help,
		    bool json_ok)
{
	static char *const stdin_only[] = { "-", NULL };
	struct view_args a = { 0 };
	struct sr_convert_opts opts = { 0 };
	struct sr_opt fmt[1] = { { "json", "" } };
	struct sr_opts fo = { fmt, 0 };
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	enum sr_status st;
	int rc;

	rc = parse_view(argc, argv, &a, json_ok);
	if (rc < 0)
		return print_help(help);
	if (rc != EXIT_OK)
		return rc;
	if (!a.ninputs) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK)
		return rc;
	fo.n = a.json ? 1 : 0;
	opts.fmt = &fo;
	st = sr_sink_open(&sink, a.out ? a.out : "-", &err);
	if (st < 0)
		return report(&err);
	st = sr_conv_open(&conv, &opts, wc, sink, &err);
	for (int i = 0; st >= 0 && i < a.ninputs; i++)
		st = sr_conv_input(conv, NULL, a.inputs[i], NULL, &err);
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
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
