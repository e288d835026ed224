/*
 * json_in_text.c - values a foreign JSON producer left in strace's text
 * spelling ("{WIFEXITED(s) && WEXITSTATUS(s) == 3}" in strace -B json,
 * posix-omni-parser's uncut struct pieces), read by the strace reader
 * itself so that they become exactly the nodes strace text gives.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "json_in.h"

/* A deep copy of v into the batch's arena (v lives in another batch). */
static bool copy_value(struct dctx *c, struct sr_value *d, const struct sr_value *v)
{
	uint32_t i;

	*d = *v;
	d->name = v->name.len ? sr_jin_dup_str(c, v->name.ptr, v->name.len) : v->name;
	d->text = v->text.len ? sr_jin_dup_str(c, v->text.ptr, v->text.len) : v->text;
	if (v->nkids) {
		d->kids = sr_jin_new_values(c, v->nkids);
		if (!d->kids)
			return false;
		for (i = 0; i < v->nkids; i++)
			if (!copy_value(c, &d->kids[i], &v->kids[i]))
				return false;
	}
	return !c->oom;
}

bool sr_jin_strace_args(struct dctx *c, const struct sr_atom *name, const char *s, size_t n,
			struct sr_value *out, uint32_t cap, uint32_t *got)
{
	const struct sr_reader_class *rc = sr_reader_find("strace");
	struct sr_source *src = NULL;
	struct sr_reader *rd = NULL;
	struct sr_batch tb = { 0 };
	struct sr_buf *t = &c->r->scratch;
	bool ok = false;
	uint32_t i;
	int fd;

	*got = 0;
	if (!rc || !name)
		return false;
	t->len = 0;
	sr_buf_add(t, name->str, name->len);
	sr_buf_addc(t, '(');
	sr_buf_add(t, s, n);
	sr_buf_add(t, ") = 0\n", 6);
	fd = memfd_create("omni-args", MFD_CLOEXEC);
	if (fd < 0)
		return false;
	if (write(fd, t->p, t->len) != (ssize_t)t->len || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return false;
	}
	if (sr_source_open_fd(&src, fd, "posix-omni-parser arguments", NULL) != SR_OK)
		return false;
	if (sr_batch_init(&tb, c->b->atoms) != SR_OK || rc->open(&rd, src, NULL, NULL) != SR_OK)
		goto out;
	if (rc->next(rd, &tb, NULL) < 0 || tb.n != 1 || tb.ev[0].kind != SR_E_SYSCALL ||
	    tb.ev[0].nargs > cap)
		goto out;
	for (i = 0; i < tb.ev[0].nargs; i++)
		if (!copy_value(c, &out[i], &tb.ev[0].args[i]))
			goto out;
	*got = tb.ev[0].nargs;
	ok = true;
out:
	if (rd)
		rc->close(rd);
	sr_batch_free(&tb);
	sr_source_close(src);
	return ok;
}
