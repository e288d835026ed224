/*
 * record.c - "sysrep record": run a program (or attach to processes) under
 * the system's strace and convert its trace while it runs, into any writer.
 *
 * The library starts strace with its trace on a pipe of its own
 * (sr_record_start) and hands back a live source; the ordinary pipeline
 * reads it (sr_conv_source) with a flush after every batch, so
 * "sysrep record -- CMD | jq" follows the program as it runs.  The exit
 * status is the command's own, or 128 + N when signal N killed it.
 *
 * Signals: a terminal's ^C or ^\ reaches the whole foreground group; the
 * program decides what to do with it, strace follows, and we stay to write
 * the end of the trace (ignoring them, as a shell's wait does).  A SIGTERM
 * or SIGHUP sent to sysrep alone is passed on to strace, which then
 * detaches (-p; with a command, strace blocks it, as it does when run
 * with -o by hand).  When our own output fails (its reader went away),
 * strace is stopped and the program runs on untraced.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysrep.h"
#include "cli.h"

#define MAX_FMT_OPTS 64
_Static_assert(MAX_FMT_OPTS < READ_FMT_MAX, "read_opts_apply adds --max-line after them");
#define MAX_PIDS 256
#define MAX_EXTRA 256
#define DEFAULT_ZSTD_LEVEL 3

enum { OPT_STRACE = 700, OPT_STRACE_OPT, OPT_NO_DEFAULTS, OPT_DRY_RUN };

struct record_args {
	const char *to, *out;
	bool strict, zstd, dry_run;
	int zlevel, threads;
	struct sr_opt fmt[MAX_FMT_OPTS]; /* -O KEY=VALUE, --arch */
	size_t nfmt;
	const char *pids[MAX_PIDS]; /* -p */
	size_t npids;
	const char *extra[MAX_EXTRA]; /* --strace-opt, -s */
	size_t nextra;
	struct sr_record_opts ro;
	struct read_opts rd;
};

static int parse_record(int argc, char **argv, struct record_args *a)
{
	static const struct option longs[] = {
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "option", required_argument, NULL, 'O' },
		{ "arch", required_argument, NULL, OPT_ARCH },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "zstd", optional_argument, NULL, 'z' },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "attach", required_argument, NULL, 'p' },
		{ "strace", required_argument, NULL, OPT_STRACE },
		{ "strace-opt", required_argument, NULL, OPT_STRACE_OPT },
		{ "no-strace-defaults", no_argument, NULL, OPT_NO_DEFAULTS },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "help", no_argument, NULL, 'h' },
		READ_LONGS,
		{ 0 },
	};
	int c, rc;

	/* '+': the first word that is not an option starts the command, so
	 * its own options are left alone even without "--" */
	while ((c = getopt_long(argc, argv, "+:t:o:O:z::p:s:h" READ_SHORTS, longs, NULL)) != -1) {
		switch (c) {
		case 't':
			a->to = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'O':
		case OPT_ARCH: {
			char *eq = c == 'O' ? strchr(optarg, '=') : NULL;

			if (a->nfmt == MAX_FMT_OPTS)
				return usage_error("too many format options (at most %d)",
						   MAX_FMT_OPTS);
			if (eq)
				*eq = '\0';
			a->fmt[a->nfmt].key = c == 'O' ? optarg : "arch";
			a->fmt[a->nfmt].value = c == 'O' ? (eq ? eq + 1 : "") : optarg;
			a->nfmt++;
			break;
		}
		case OPT_STRICT:
			a->strict = true;
			break;
		case 'z':
			a->zstd = true;
			if (optarg && (a->zlevel = parse_count(optarg, 1, 22)) < 0)
				return usage_error("-z: bad zstd level '%s' (1-22)", optarg);
			break;
		case OPT_THREADS:
			a->zstd = true;
			if ((a->threads = parse_count(optarg, 0, 256)) < 0)
				return usage_error("--threads: bad count '%s' (0-256)", optarg);
			break;
		case 'p':
			if (a->npids == MAX_PIDS)
				return usage_error("too many -p (at most %d)", MAX_PIDS);
			if (strspn(optarg, "0123456789, ") != strlen(optarg) || !*optarg)
				return usage_error("-p: bad process id '%s'", optarg);
			a->pids[a->npids++] = optarg;
			break;
		case 's':
		case OPT_STRACE_OPT:
			/* -s N is strace's string size, common enough to be ours too */
			if (a->nextra + 2 > MAX_EXTRA)
				return usage_error("too many strace options (at most %d)",
						   MAX_EXTRA);
			if (c == 's') {
				if (parse_count(optarg, 0, 1 << 30) < 0)
					return usage_error("-s: bad string size '%s'", optarg);
				a->extra[a->nextra++] = "-s";
			}
			a->extra[a->nextra++] = optarg;
			break;
		case OPT_STRACE:
			a->ro.strace = optarg;
			break;
		case OPT_NO_DEFAULTS:
			a->ro.no_defaults = true;
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			break;
		case 'h':
			return -1;
		default:
			rc = read_opt(c, optarg, &a->rd);
			if (rc == NOT_MINE)
				return bad_option(c, argv);
			if (rc != EXIT_OK)
				return rc;
		}
	}
	if (optind < argc) {
		a->ro.argv = (const char *const *)argv + optind;
		if (a->npids)
			return usage_error("give a command or -p PID, not both");
	} else if (!a->npids) {
		return usage_error(
			"no command to record (sysrep record [OPTION...] -- CMD [ARG...])");
	}
	a->ro.pids = a->pids;
	a->ro.npids = a->npids;
	a->ro.extra = a->extra;
	a->ro.nextra = a->nextra;
	return EXIT_OK;
}

/* Prints the strace command line, as a shell would take it. */
static void print_word(const char *w, bool first)
{
	bool plain = *w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789-_=+/.,:%@") == strlen(w);

	if (!first)
		putchar(' ');
	if (plain) {
		fputs(w, stdout);
		return;
	}
	putchar('\'');
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*w);
	putchar('\'');
}

static int dry_run(const struct record_args *a)
{
	const struct sr_record_opts *o = &a->ro;

	print_word(o->strace ? o->strace : "strace", true);
	if (!o->no_defaults)
		for (const char *const *f = sr_record_default_flags(); *f; f++)
			print_word(*f, false);
	for (size_t i = 0; i < o->nextra; i++)
		print_word(o->extra[i], false);
	print_word("-o", false);
	print_word("/proc/SYSREP_PID/fd/N", false);
	for (size_t i = 0; i < o->npids; i++) {
		print_word("-p", false);
		print_word(o->pids[i], false);
	}
	if (o->argv) {
		print_word("--", false);
		for (const char *const *w = o->argv; *w; w++)
			print_word(*w, false);
	}
	putchar('\n');
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_DATA;
}

static volatile sig_atomic_t strace_pid;

static void forward(int sig)
{
	if (strace_pid > 0)
		kill((pid_t)strace_pid, sig);
}

static void catch_signals(bool on)
{
	struct sigaction fwd = { .sa_handler = on ? forward : SIG_DFL };
	struct sigaction ign = { .sa_handler = on ? SIG_IGN : SIG_DFL };

	sigemptyset(&fwd.sa_mask);
	sigemptyset(&ign.sa_mask);
	fwd.sa_flags = SA_RESTART;
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGQUIT, &ign, NULL);
	/* a reader of our output that goes away ("| head") is an error the
	 * run sees, so that it stops strace before it dies (gone_reader) */
	sigaction(SIGPIPE, &ign, NULL);
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);
}

/* After a failed write: when it was because the reader of our stdout went
 * away ("| head"), end as a pipeline's writer does, by SIGPIPE, silently. */
static void gone_reader(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR)) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
}

static int record_main(struct record_args *a)
{
	struct sr_convert_opts opts = { 0 };
	struct sr_opts fmt = { a->fmt, a->nfmt };
	const struct sr_writer_class *wc = NULL;
	struct sr_error err = { 0 }, rerr = { 0 }, cerr = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	struct sr_recording *rec = NULL;
	enum sr_status st, rst;
	int status = EXIT_DATA;
	bool keep;
	struct sr_counts counts;
	struct sr_unparsed_at first;

	/* as convert: -o x.yaml and -O bogus=1 are mistakes, not JSON Lines */
	if ((status = pick_writer(a->to, a->out, &wc)) != EXIT_OK ||
	    (status = check_fmt_keys(&fmt, sr_reader_find("strace"), wc)) != EXIT_OK)
		return status;
	status = EXIT_DATA;
	if (!strcmp(sr_opts_get(&fmt, "layout", ""), "adfa"))
		return usage_error("record writes one output: --layout adfa is for convert");
	if (a->dry_run)
		return dry_run(a);
	opts.reader = sr_reader_find("strace");
	opts.strict = a->strict;
	opts.fmt = &fmt;
	opts.flush = true;
	read_opts_apply(&a->rd, &opts);
	opts.jobs = 0; /* live input: one reader */

	/* The output first: a bad -o should not cost a run of the program. */
	st = sr_sink_open(&sink, a->out ? a->out : "-", &err);
	if (st < 0)
		return report(&err);
	if (a->out && strlen(a->out) > 4 && !strcmp(a->out + strlen(a->out) - 4, ".zst"))
		a->zstd = true;
	if (a->zstd && sr_sink_set_zstd(sink, a->zlevel ? a->zlevel : DEFAULT_ZSTD_LEVEL,
					a->threads, &err) < 0) {
		sr_sink_abort(sink);
		return report(&err);
	}
	st = sr_conv_open(&conv, &opts, wc, sink, &err);
	if (st < 0) {
		sr_sink_abort(sink);
		return report(&err);
	}
	st = sr_record_start(&rec, &a->ro, &err);
	if (st < 0) {
		sr_conv_close(conv);
		sr_sink_abort(sink);
		report(&err);
		return st == SR_ERR_USAGE ? EXIT_USAGE : EXIT_DATA;
	}
	strace_pid = sr_record_pid(rec);
	catch_signals(true);

	st = sr_conv_source(conv, NULL, sr_record_source(rec), NULL, &err);
	rst = sr_record_finish(rec, &status, &rerr);
	strace_pid = 0;
	catch_signals(false);
	sr_record_free(rec);
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
	keep = sr_conv_complete(conv);
	counts = *sr_conv_totals(conv);
	first = *sr_conv_first_unparsed(conv);
	sr_conv_close(conv);
	if (!keep) {
		sr_sink_abort(sink);
		if (!a->out || !strcmp(a->out, "-"))
			gone_reader();
		report(&err);
		return EXIT_DATA;
	}
	if (sr_sink_close(sink, &cerr) < 0) {
		if (!a->out || !strcmp(a->out, "-"))
			gone_reader();
		report(&cerr);
		return EXIT_DATA;
	}
	if (rst < 0) {
		report(&rerr);
		return EXIT_DATA;
	}
	if (st < 0) {
		/* --strict: unparsed lines; the command's failure comes first */
		report(&err);
		return status ? status : EXIT_DATA;
	}
	unparsed_warning(&counts, &first, a->rd.quiet, NULL);
	return status;
}

int cmd_record(int argc, char **argv)
{
	struct record_args a = { 0 };
	int rc = parse_record(argc, argv, &a);

	if (rc == EXIT_OK)
		rc = record_main(&a);
	else if (rc < 0)
		rc = print_help(help_record);
	sr_filter_free(a.rd.filter);
	return rc;
}
