/*
 * tree_view.c - the writer behind "sysrep tree" (see sysrep.h: views): builds the
 * process tree from every batch, renders it at finish.
 */
#include <stdlib.h>

#include "sysrep.h"
#include "tree.h"

struct sr_writer {
	struct sr_sink *out;  /* borrowed */
	struct sr_tree *tree; /* owned */
	bool json;
};

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
	struct sr_buf b = { 0 };
	bool ok;

	if (sr_tree_finish(w->tree) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot build the tree: out of memory");
	if (w->json) {
		ok = sr_tree_render_json(w->tree, &b, false);
		sr_buf_add(&b, "\n", 1);
	} else {
		ok = sr_tree_render_text(w->tree, &b);
	}
	if (ok && b.len) /* a trace of no task has no tree: nothing, not NULL */
		sr_sink_write(w->out, b.p, b.len);
	sr_buf_free(&b);
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
