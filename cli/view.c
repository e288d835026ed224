/*
 * view.c - "sysrep tree" and "sysrep report": thin aliases of the tree and
 * report view writers (sr_view_find) over the same pipeline as convert.
 */
#include <stdio.h>
#include <string.h>

#include "sysrep.h"
#include "cli.h"

struct view_args {
	const char *from, *out;
	const char *depth; /* tree --depth N: the writer's -O depth */
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
		{ "depth", required_argument, NULL, OPT_DEPTH },
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
		case OPT_DEPTH: /* json_ok: the tree, the view that takes it */
			if (!json_ok)
				return usage_error("unknown option '--depth'");
			a->depth = optarg;
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

/* Reads every input through the view writer of that name (sr_view_find)
 * into OUT, which, like convert's, is replaced only once complete. */
static int run_view(int argc, char **argv, const char *view, const char *help, bool json_ok)
{
	const struct sr_writer_class *wc = sr_view_find(view);
	struct view_args a = { 0 };
	int rc;

	if (!wc)
		return usage_error("no view '%s' in this build", view);
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
	struct sr_opt fmt[2] = { { "json", "" }, { "depth", "" } };
	struct sr_opts fo = { fmt, 0 };
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	struct progress prog;
	struct sr_counts counts;
	struct sr_unparsed_at first;
	enum sr_status st;
	int rc;

	if (!a.ninputs) {
		a.inputs = (char **)stdin_only;
		a.ninputs = 1;
	}
	if ((rc = find_reader(a.from, &opts.reader)) != EXIT_OK)
		return rc;
	if (a.json)
		fmt[fo.n++] = (struct sr_opt){ "json", "" };
	if (a.depth)
		fmt[fo.n++] = (struct sr_opt){ "depth", a.depth };
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
	/* as convert: no trace at all is an error, unparsed lines a warning */
	if (st < 0 || !sr_conv_complete(conv) || not_a_trace(conv, a.from != NULL, &err)) {
		sr_conv_close(conv);
		sr_sink_abort(sink);
		return report(&err);
	}
	counts = *sr_conv_totals(conv);
	first = *sr_conv_first_unparsed(conv);
	sr_conv_close(conv);
	if (sr_sink_close(sink, &cerr) < 0)
		return report(&cerr);
	unparsed_warning(&counts, &first, a.ro.quiet, wc->name);
	return EXIT_OK;
}

int cmd_tree(int argc, char **argv)
{
	return run_view(argc, argv, "tree", help_tree, true);
}

int cmd_report(int argc, char **argv)
{
	return run_view(argc, argv, "report", help_report, false);
}
