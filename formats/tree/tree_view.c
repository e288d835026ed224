/*
 * tree_view.c - the writer behind "sysrep tree" (see sysrep.h: views): builds the
 * process tree from every batch, renders it at finish, streaming into the
 * sink (memory grows with the tasks, not with the output).
 */
#include <errno.h>
#include <stdlib.h>

#include "jw.h"
#include "sysrep.h"
#include "tree.h"

struct sr_writer {
	struct sr_sink *out;  /* borrowed */
	struct sr_tree *tree; /* owned */
	bool json;
	uint32_t depth; /* text: the levels listed; 0: all */
};

/* -O depth=N: a count of levels, 0 for all. */
static bool parse_depth(const char *v, uint32_t *depth)
{
	char *end;
	unsigned long long n;

	if (!v)
		return true;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (end == v || *end || *v == '-' || errno || n > UINT32_MAX)
		return false;
	*depth = (uint32_t)n;
	return true;
}

static enum sr_status tree_open(struct sr_writer **wp, struct sr_sink *out,
				const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	*wp = NULL;
	if (!w || sr_tree_new(&w->tree) < 0) {
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot build the tree: out of memory");
	}
	w->out = out;
	w->json = sr_opts_get(opts, "json", NULL) != NULL;
	w->depth = SR_TREE_DEPTH;
	if (!parse_depth(sr_opts_get(opts, "depth", NULL), &w->depth)) {
		const char *v = sr_opts_get(opts, "depth", NULL);

		sr_tree_free(w->tree);
		free(w);
		return sr_error_set(err, SR_ERR_USAGE,
				    "tree: depth wants a number of levels (0: all), not '%s'", v);
	}
	*wp = w;
	return SR_OK;
}

static enum sr_status tree_write(struct sr_writer *w, const struct sr_batch *b,
				 struct sr_error *err)
{
	if (sr_tree_add(w->tree, b, NULL) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot build the tree: out of memory");
	return SR_OK;
}

static enum sr_status tree_finish(struct sr_writer *w, struct sr_error *err)
{
	struct sr_jw j = { .out = w->out };
	bool ok;

	if (sr_tree_finish(w->tree) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot build the tree: out of memory");
	/* a trace of no task has no tree: text prints nothing, JSON no roots */
	if (w->json) {
		ok = sr_tree_render_json(w->tree, &j);
		sr_jw_c(&j, '\n');
		sr_jw_drain(&j);
	} else {
		ok = sr_tree_render_text(w->tree, &j, w->depth);
	}
	ok &= !j.oom;
	sr_buf_free(&j.b);
	if (!ok)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot render the tree: out of memory");
	return SR_OK;
}

static void tree_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_tree_free(w->tree);
	free(w);
}

static const struct sr_optdesc sr_view_tree_keys[] = {
	{ "json", "nested JSON objects instead of text" },
	{ "depth", "text: levels listed below a root, deeper ones summed up in one line "
		   "(default 100; 0: all)" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_view_tree = {
	.name = "tree",
	.ext = "",
	.summary = "the process tree (sysrep tree)",
	.open = tree_open,
	.write = tree_write,
	.finish = tree_finish,
	.close = tree_close,
	.opt_keys = sr_view_tree_keys,
};
