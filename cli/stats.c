/*
 * stats.c - "sysrep stats": counts per input and in total, and the strace
 * -c table (sr_sysstats_*), as text or JSON (sr_stats_print_*).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysrep.h"
#include "cli.h"

struct stats_args {
	const char *from;
	bool json;
	bool table_only; /* -c: the strace -c table alone */
	char **inputs;
	int ninputs;
	struct read_opts ro;
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

int cmd_stats(int argc, char **argv)
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
	struct sr_file_stats *fs;
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
			sr_stats_print_json(stdout, fs, n, sr_conv_totals(conv), ss);
		} else if (a.table_only) {
			sr_sysstats_print(ss, stdout, stderr);
		} else {
			sr_stats_print_text(stdout, fs, n, sr_conv_totals(conv));
			putchar('\n');
			sr_sysstats_print(ss, stdout, stdout);
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
