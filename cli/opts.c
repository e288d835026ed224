/*
 * opts.c - what the subcommands share: messages (printed here, once, as
 * "sysrep: <message>"), the options of every reading command (filters, -j,
 * --chunk, -q), numbers, and the progress line.
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
#include "cli.h"

/* ------------------------------------------------------------------ */

/* A bad command line: the message, then one hint line. */
int usage_error(const char *fmt, ...)
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
int report(const struct sr_error *err)
{
	char buf[1024];

	fprintf(stderr, "sysrep: %s\n", sr_error_format(err, buf, sizeof(buf)));
	return exit_code(err->code);
}

bool not_a_trace(const struct sr_conv *conv, bool from_given, struct sr_error *err)
{
	const struct sr_counts *c = sr_conv_totals(conv);
	const struct sr_unparsed_at *first = sr_conv_first_unparsed(conv);

	if (from_given || !c->unparsed || c->events)
		return false;
	sr_error_set(err, SR_ERR_PARSE,
		     "not a trace: none of its %llu lines parsed (no reader recognises it; "
		     "-f FORMAT converts it anyway)", (unsigned long long)c->unparsed);
	sr_error_file(err, first->file);
	err->line = first->line;
	return true;
}

void unparsed_warning(const struct sr_counts *c, const struct sr_unparsed_at *first, bool quiet,
		      const char *view)
{
	if (!c->unparsed || quiet)
		return;
	if (view)
		fprintf(stderr, "sysrep: warning: %llu unparsed line%s (left out of the %s), "
			"the first at file=%s line=%llu; -q hides this\n",
			(unsigned long long)c->unparsed, c->unparsed == 1 ? "" : "s", view,
			first->file, (unsigned long long)first->line);
	else
		fprintf(stderr, "sysrep: warning: %llu unparsed line%s (kept as \"unparsed\" records), "
			"the first at file=%s line=%llu; -q hides this, --strict makes it an error\n",
			(unsigned long long)c->unparsed, c->unparsed == 1 ? "" : "s", first->file,
			(unsigned long long)first->line);
}

/* Reports a getopt_long failure; argv[optind - 1] is the offending word. */
int bad_option(int c, char **argv)
{
	const char *word = argv[optind - 1];

	if (c == ':')
		return usage_error("option '%s' needs an argument", word);
	if (optopt && strncmp(word, "--", 2) != 0)
		return usage_error("unknown option '-%c'", optopt);
	return usage_error("unknown option '%s'", word);
}

/* Flushes stdout; a failed write (a full disk, /dev/full, a closed pipe)
 * gets a message and exit status 1. */
int flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_OK;
	fprintf(stderr, "sysrep: cannot write to stdout: %s\n", strerror(errno ? errno : EIO));
	return EXIT_DATA;
}

int print_help(const char *text)
{
	fputs(text, stdout);
	return flush_stdout();
}

int print_version(void)
{
	puts("sysrep " SR_VERSION);
	return flush_stdout();
}

/* ------------------------------------------------------------------ */
/* Formats and numbers                                                 */

int find_reader(const char *name, const struct sr_reader_class **rc)
{
	*rc = NULL;
	if (!name)
		return EXIT_OK;
	*rc = sr_reader_find(name);
	if (!*rc)
		return usage_error("unknown input format '%s' (see 'sysrep formats')", name);
	return EXIT_OK;
}

/* A whole decimal number in lo..hi, or -1. */
int parse_count(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= lo && v <= hi ? (int)v : -1;
}

/* ------------------------------------------------------------------ */
/* What every reading command shares: filters, -j, progress            */

/* Handles one of READ_LONGS / READ_SHORTS; NOT_MINE for other options. */
int read_opt(int c, const char *arg, struct read_opts *ro)
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
	case OPT_MAX_LINE: /* checked where it is used: sr_source_limit_lines */
		ro->max_line = arg;
		return EXIT_OK;
	case OPT_VERSION: /* "sysrep CMD --version" as "sysrep --version" */
		exit(print_version());
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

void read_opts_apply(struct read_opts *ro, struct sr_convert_opts *opts)
{
	size_t n = opts->fmt ? opts->fmt->n : 0;

	opts->filter = ro->filter && !sr_filter_is_empty(ro->filter) ? ro->filter : NULL;
	opts->jobs = ro->jobs;
	opts->chunk = ro->chunk;
	if (ro->max_line && n < READ_FMT_MAX) {
		/* last, so that it wins over a -O max_line (sr_opts_get) */
		if (n)
			memcpy(ro->fmt, opts->fmt->v, n * sizeof(*ro->fmt));
		ro->fmt[n] = (struct sr_opt){ "max_line", ro->max_line };
		ro->fmt_all = (struct sr_opts){ ro->fmt, n + 1 };
		opts->fmt = &ro->fmt_all;
	}
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, const struct read_opts *ro, char **inputs, int n)
{
	struct stat sb;

	memset(p, 0, sizeof(*p));
	for (int i = 0; i < n; i++)
		if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &sb) == 0)
			p->total += (uint64_t)sb.st_size;
	p->on = !ro->quiet && p->total > PROGRESS_MIN && isatty(STDERR_FILENO);
	p->t0 = p->last = now_s();
}

void progress_show(struct progress *p, uint64_t bytes)
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

void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

enum sr_status observe_progress(void *ctx, const struct sr_batch *b, uint64_t bytes,
				       struct sr_error *err)
{
	(void)b;
	(void)err;
	progress_show(ctx, bytes);
	return SR_OK;
}
