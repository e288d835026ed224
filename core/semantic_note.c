/*
 * semantic_note.c - a return's note ("flags FD_CLOEXEC", poll's
 * "[{fd=3, revents=POLLIN}]") as strace prints it by default, so that the
 * semantic record's notes do not depend on -X: -X verbose prints
 * "0x1 /​* FD_CLOEXEC *​/" where the default prints FD_CLOEXEC, and -X raw
 * prints "0x1" where the note's place says which constants the number is
 * made of (fcntl's "flags 0x1", poll's "revents=0x1").  The JSON writers
 * write the result as "notes" and keep what the trace printed under
 * fmt.notes when it differs (docs/semantic-record.md).
 */
#include <string.h>

#include "semantic_internal.h"
#include "strace_text.h"
#include "sysrep.h"


static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* The constant set of the note's numbers: fcntl's F_GETFD and F_GETFL
 * notes ("flags ..."), poll's revents; 0 when the note has none. */
static uint16_t note_set(const struct sr_event *ev, const struct sr_signature *sig,
			 struct sr_str note, struct sr_arena *a)
{
	if (!sig)
		return 0;
	if (!strcmp(sig->name, "poll") || !strcmp(sig->name, "ppoll"))
		return sr_sem_set_named(sr_sem_sig_arch(sig), "poll");
	if ((!strcmp(sig->name, "fcntl") || !strcmp(sig->name, "fcntl64")) && ev->nargs >= 2 &&
	    sig->nargs >= 2 && note.len > 6 && !memcmp(note.ptr, "flags ", 6)) {
		struct sr_sval *cmd = sr_semantic_value(&ev->args[1], sig->args[1], a);
		const struct sr_sval *name = sr_sval_get(cmd, "name");

		if (!name || name->kind != SR_S_STR)
			return 0;
		if (name->str.len == 7 && !memcmp(name->str.ptr, "F_GETFD", 7))
			return sr_sem_set_named(sr_sem_sig_arch(sig), "fd_flags");
		if (name->str.len == 7 && !memcmp(name->str.ptr, "F_GETFL", 7))
			return sr_sem_set_named(sr_sem_sig_arch(sig), "open");
	}
	return 0;
}

/* Hex number x spelled as the flags of set, into b. */
static bool flags_text(struct sr_buf *b, uint64_t x, uint16_t set, struct sr_arena *a)
{
	struct sr_value v = { .kind = SR_V_INT, .base = SR_BASE_HEX, .flags = SR_VF_UNSIGNED };
	struct sr_sarg t = { NULL, SR_T_FLAGS, set };
	struct sr_sval *s;
	struct sr_value *sp;

	v.num.u = x;
	s = sr_semantic_value(&v, t, a);
	sp = s ? sr_semantic_spell(s, t, a) : NULL;
	if (!sp)
		return false;
	sr_strace_print_value(b, sp);
	return true;
}

struct sr_str sr_semantic_note(const struct sr_event *ev, const struct sr_signature *sig,
			       struct sr_str note, struct sr_arena *a)
{
	const char *p = note.ptr, *e = p ? p + note.len : p, *q; /* NULL when empty */
	struct sr_buf b = { 0 };
	struct sr_str out = note;
	uint16_t set;
	char *d;

	/* most notes ("Timeout", "in [3], left {...}") have no number to spell */
	if (!memchr(p, 'x', note.len))
		return note;
	set = note_set(ev, sig, note, a);
	while (p < e) {
		const char *h = p;
		uint64_t x = 0;

		if (!(p + 2 < e && p[0] == '0' && p[1] == 'x' && is_hex(p[2]) &&
		      (p == note.ptr || !is_word(p[-1])))) {
			sr_buf_addc(&b, *p++);
			continue;
		}
		for (q = p + 2; q < e && is_hex(*q) && q - p < 18; q++)
			x = x << 4 | (uint64_t)(*q <= '9' ? *q - '0' : *q - 'a' + 10);
		if (q < e && is_word(*q)) {
			sr_buf_add(&b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		/* -X verbose: the comment holds the default spelling */
		if (e - q > 6 && !memcmp(q, " /* ", 4)) {
			const char *c = q + 4, *end;

			for (end = c; end + 2 < e && memcmp(end, " */", 3); end++)
				;
			if (end + 2 < e && end > c) {
				sr_buf_add(&b, c, (size_t)(end - c));
				p = end + 3;
				continue;
			}
		}
		/* -X raw: the set that this place of the note prints */
		if (set && (h == note.ptr + 6 || (h - note.ptr >= 8 && !memcmp(h - 8, "revents=", 8))) &&
		    flags_text(&b, x, set, a)) {
			p = q;
			continue;
		}
		sr_buf_add(&b, p, (size_t)(q - p));
		p = q;
	}
	if (b.len && (b.len != note.len || memcmp(b.p, note.ptr, b.len)) &&
	    (d = sr_arena_alloc(a, b.len))) {
		memcpy(d, b.p, b.len);
		out = (struct sr_str){ d, b.len };
	}
	sr_buf_free(&b);
	return out;
}
