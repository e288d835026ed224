/*
 * out_strace.c - writes events back as strace text.  With events read from
 * strace text the output is byte-identical to the input (see in_strace.c);
 * with events from other formats it is the text strace would have printed.
 */
#include <string.h>

#include "strace_text.h"

struct sr_writer {
	struct sr_sink *out;   /* borrowed */
	struct sr_buf line;    /* owned: the line being printed */
};

static enum sr_status strace_wopen(struct sr_writer **out, struct sr_sink *sink,
				   const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open writer: out of memory");
	(void)opts;
	w->out = sink;
	*out = w;
	return SR_OK;
}

static enum sr_status strace_write(struct sr_writer *w, const struct sr_batch *b,
				   struct sr_error *err)
{
	size_t i;

	(void)err;
	for (i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];

		w->line.len = 0;
		sr_strace_print_full(&w->line, ev);
		sr_sink_write(w->out, w->line.p, w->line.len);
	}
	return SR_OK;
}

static enum sr_status strace_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)w;
	(void)err;
	return SR_OK;
}

static void strace_wclose(struct sr_writer *w)
{
	if (!w)
		return;
	sr_buf_free(&w->line);
	free(w);
}

const struct sr_writer_class sr_out_strace = {
	.name = "strace",
	.ext = ".strace",
	.summary = "strace text, byte-identical to the input when read from strace text",
	.open = strace_wopen,
	.write = strace_write,
	.finish = strace_finish,
	.close = strace_wclose,
};
