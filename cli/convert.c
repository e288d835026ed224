/*
 * convert.c - "sysrep convert": options, the output sink, the run of the
 * pipeline (sr_conv_*), corpus mode (sr_corpus_run), messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysrep.h"
#include "cli.h"

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && memcmp(s + n - k, suf, k) == 0;
}

/* Every extension -o knows, writers' and readers' (".jsonl, .json, ..."). */
static const char *output_exts(char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (const struct sr_writer_class *const *w = sr_writers(); *w; w++)
		if ((*w)->ext && (*w)->ext[0] && k < n)
			k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", (*w)->ext);
	for (const struct sr_reader_class *const *r = sr_readers(); *r; r++) {
		const char *e = (*r)->exts;

		while (e && *e && k < n) {
			size_t len = strcspn(e, ",");
			char ext[32];

			snprintf(ext, sizeof(ext), "%.*s", (int)len, e);
			if (sr_writer_find((*r)->name) && !strstr(buf, ext))
				k += (size_t)snprintf(buf + k, n - k, ", %s", ext);
			e += len + (e[len] == ',');
		}
	}
	if (k < n)
		snprintf(buf + k, n - k, ", each + .zst");
	return buf;
}

/* Every -O key is one the run, the reader or the writer reads: a typo is
 * a usage error naming the valid keys.  rc NULL (detect): any reader's. */
int check_fmt_keys(const struct sr_opts *fmt, const struct sr_reader_class *rc,
		   const struct sr_writer_class *wc)
{
	for (size_t i = 0; i < fmt->n; i++) {
		const char *key = fmt->v[i].key;
		bool known = sr_optdesc_find(sr_conv_opt_keys, key) ||
			     sr_optdesc_find(wc->opt_keys, key);
		char list[512];
		size_t k = 0;

		for (const struct sr_reader_class *const *r = sr_readers(); !known && *r; r++)
			if (!rc || *r == rc)
				known = sr_optdesc_find((*r)->opt_keys, key) != NULL;
		if (known)
			continue;
		list[0] = '\0';
		/* without -f, any reader may read the input: their keys count */
		const struct sr_optdesc *sets[3 + 16] = { sr_conv_opt_keys, wc->opt_keys,
							  rc ? rc->opt_keys : NULL };
		size_t nsets = 3;

		for (const struct sr_reader_class *const *r = sr_readers(); !rc && *r && nsets < 19;
		     r++)
			sets[nsets++] = (*r)->opt_keys;
		for (size_t s = 0; s < nsets; s++)
			for (const struct sr_optdesc *d = sets[s]; d && d->key && k < sizeof(list); d++)
				if (!strstr(list, d->key))
					k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
							      k ? ", " : "", d->key);
		return usage_error("-O %s: unknown option for %s%s%s (known: %s)", key,
				   rc ? rc->name : "", rc ? " -> " : "", wc->name, list);
	}
	return EXIT_OK;
}

/* -t TO; else the writer of OUT's extension (sr_writer_for_path); else
 * the default. */
int pick_writer(const char *to, const char *out, const struct sr_writer_class **wc)
{
	if (to) {
		*wc = sr_writer_find(to);
		if (!*wc)
			return usage_error("unknown output format '%s' (see 'sysrep formats')", to);
		return EXIT_OK;
	}
	*wc = out && strcmp(out, "-") != 0 ? sr_writer_for_path(out) : NULL;
	if (!*wc && out && strcmp(out, "-") != 0) {
		/* an extension no format claims is a mistake, not JSON Lines */
		const char *base = strrchr(out, '/'), *dot;

		base = base ? base + 1 : out;
		if ((dot = strrchr(base, '.')) && dot != base && dot[1]) {
			char list[512];

			return usage_error("-o %s: unknown output extension '%s' (known: %s; "
					   "or name the format with -t)",
					   out, dot, output_exts(list, sizeof(list)));
		}
	}
	if (!*wc)
		*wc = sr_writer_find(DEFAULT_WRITER);
	if (!*wc)
		return usage_error("no output format '%s' in this build", DEFAULT_WRITER);
	return EXIT_OK;
}

#define MAX_FMT_OPTS 64
_Static_assert(MAX_FMT_OPTS < READ_FMT_MAX, "read_opts_apply adds --max-line after them");

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

#define DEFAULT_ZSTD_LEVEL 3

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

/* The files corpus mode skipped as not traces, for one warning at the end. */
struct skipped {
	char **v; /* owned: "path (why)" */
	size_t n, cap;
};

static void corpus_skipped(void *ctx, const char *path, const char *why)
{
	struct skipped *sk = ctx;
	char *e = NULL;

	if (sk->n == sk->cap) {
		size_t nc = sk->cap ? 2 * sk->cap : 16;
		char **v = realloc(sk->v, nc * sizeof(*v));

		if (!v)
			return; /* the count in the summary stays right */
		sk->v = v;
		sk->cap = nc;
	}
	if (asprintf(&e, "%s (%s)", path, why) >= 0)
		sk->v[sk->n++] = e;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One warning naming every skipped file, in path order (the threads
 * finish in any order). */
static void skipped_warning(struct skipped *sk, bool quiet)
{
	if (sk->n && !quiet) {
		qsort(sk->v, sk->n, sizeof(*sk->v), cmp_strp);
		fprintf(stderr, "sysrep: warning: %zu file%s skipped, not trace%s: ", sk->n,
			sk->n == 1 ? "" : "s", sk->n == 1 ? "" : "s");
		for (size_t i = 0; i < sk->n; i++)
			fprintf(stderr, "%s%s", i ? ", " : "", sk->v[i]);
		fputs("; -f FORMAT reads every file as FORMAT\n", stderr);
	}
	for (size_t i = 0; i < sk->n; i++)
		free(sk->v[i]);
	free(sk->v);
}

/* convert -r INDIR -o OUTDIR: every file on its own, jobs at a time, then
 * one summary line on stderr. */
static int convert_corpus(struct convert_args *a, struct sr_convert_opts *opts,
			  const struct sr_writer_class *wc)
{
	struct sr_corpus_opts co = { 0 };
	struct sr_corpus_result res;
	struct sr_error err = { 0 };
	struct skipped sk = { 0 };
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
	co.skipped = corpus_skipped;
	co.ctx = &sk;
	if (sr_corpus_run(&co, &res, &err) < 0) {
		skipped_warning(&sk, true);
		return report(&err);
	}
	dt = now_s() - t0;
	skipped_warning(&sk, a->ro.quiet);
	if (!a->ro.quiet)
		fprintf(stderr,
			"sysrep: %llu files (%llu inputs), %llu events, %llu unparsed, "
			"%.1f MB in, %.1f MB out, %.1f s, %.1f MB/s, %llu failed, "
			"%llu skipped (not traces)\n",
			(unsigned long long)res.files, (unsigned long long)res.inputs,
			(unsigned long long)res.counts.events, (unsigned long long)res.counts.unparsed,
			res.counts.bytes_in / 1e6, res.counts.bytes_out / 1e6, dt,
			dt > 0 ? res.counts.bytes_in / 1e6 / dt : 0.0,
			(unsigned long long)res.failures, (unsigned long long)res.skipped);
	if (res.failures)
		return EXIT_DATA;
	/* --strict: nothing passed over, neither a line nor a file */
	if (a->strict && res.skipped) {
		fprintf(stderr, "sysrep: --strict: %llu file%s skipped as not traces\n",
			(unsigned long long)res.skipped, res.skipped == 1 ? "" : "s");
		return EXIT_DATA;
	}
	if (a->strict && res.counts.unparsed) {
		fprintf(stderr, "sysrep: cannot parse every line (--strict): %llu unparsed lines\n",
			(unsigned long long)res.counts.unparsed);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

static int convert_main(struct convert_args *ap);

int cmd_convert(int argc, char **argv)
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
	struct sr_counts counts = { 0 };
	struct sr_unparsed_at first = { 0 };
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
	if ((rc = check_fmt_keys(&fmt, opts.reader, wc)) != EXIT_OK)
		return rc;
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
		struct sr_counts ic = { 0 };

		st = sr_conv_input(conv, NULL, a.inputs[i], &ic, &err);
		/* --keep-going: an input's own error (not the output's, not
		 * memory) is reported with what was kept of it, and the run
		 * goes on with the next */
		if (st < 0 && a.keep_going && st != SR_ERR_NOMEM &&
		    !strcmp(err.file, a.inputs[i])) {
			report(&err);
			fprintf(stderr,
				"sysrep: --keep-going: file=%s: %llu record%s before the error kept, "
				"the rest of the input from there lost\n",
				a.inputs[i], (unsigned long long)ic.events,
				ic.events == 1 ? "" : "s");
			memset(&err, 0, sizeof(err));
			nfailed++;
			st = SR_OK;
		}
	}
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
	progress_end(&prog);
	keep = conv && sr_conv_complete(conv);
	if (conv) {
		counts = *sr_conv_totals(conv);
		first = *sr_conv_first_unparsed(conv);
	}
	/* Nothing parsed, and no -f: no reader recognised the input, and
	 * converting it would only wrap every line as "unparsed". */
	if (st >= 0 && keep && not_a_trace(conv, a.from != NULL, &err)) {
		st = err.code;
		keep = false;
	}
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
	/* --strict made unparsed lines an error above; else one summary line */
	unparsed_warning(&counts, &first, a.ro.quiet, NULL);
	if (nfailed) {
		fprintf(stderr, "sysrep: %d of %d inputs failed (--keep-going: the others were converted)\n",
			nfailed, a.ninputs);
		return EXIT_DATA;
	}
	return EXIT_OK;
}
