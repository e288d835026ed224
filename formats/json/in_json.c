/*
 * in_json.c - the JSON reader: one reader for four shapes, told apart per
 * object by its keys (docs/json-input.md):
 *
 *   - sysrep's own JSON Lines (-t jsonl) and JSON array (-t json): every key
 *     of docs/jsonl-schema.md, and the "fmt" extras, so that
 *     strace -> jsonl -> strace gives back the input bytes;
 *   - strace's structured output (the unmerged "-B json" branch): objects
 *     with "cmd", integers as strings, one per line or in an array;
 *   - posix-omni-parser JSON: objects with "syscall" and "args" flattened
 *     into one Python tuple string, typed again here as far as it allows.
 *
 * Parsing is jansson's: a chunk of input is kept in a buffer and each
 * top-level object is decoded with json_loadb(JSON_DISABLE_EOF_CHECK), which
 * says how many bytes it used, so an array of a million events is read one
 * element at a time like JSON Lines, and memory stays bounded by a batch.
 * Everything an event keeps is copied into the batch arena before the
 * jansson tree is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_in.h"

/* ------------------------------------------------------------------ */
/* Input handling                                                      */

/* Reads more input after moving the undecoded tail to the front; grows
 * the buffer when it is full. */
static enum sr_status fill(struct sr_reader *r, struct sr_error *err)
{
	size_t got;
	enum sr_status st;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->len == r->cap) {
		char *n = realloc(r->buf, r->cap * 2);

		if (!n)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		r->buf = n;
		r->cap *= 2;
	}
	st = sr_source_read(r->in, r->buf + r->len, r->cap - r->len, &got, err);
	if (st < 0)
		return st;
	if (!got)
		r->eof = true;
	r->len += got;
	return SR_OK;
}

static void advance(struct sr_reader *r, size_t n)
{
	const char *p = r->buf + r->pos, *e = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(e - p)))) {
		r->line++;
		r->col = 0;
		p = nl + 1;
	}
	r->col += (uint32_t)(e - p);
	r->pos += n;
}

/* Skips white space; false at the end of the input. */
static bool skip_ws(struct sr_reader *r, struct sr_error *err, enum sr_status *st)
{
	for (;;) {
		while (r->pos < r->len) {
			char ch = r->buf[r->pos];

			if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
				return true;
			advance(r, 1);
		}
		if (r->eof)
			return false;
		*st = fill(r, err);
		if (*st < 0)
			return false;
	}
}

static enum sr_status parse_error(struct sr_reader *r, const json_error_t *je,
				  struct sr_error *err)
{
	enum sr_status st = sr_error_set(err, SR_ERR_PARSE, "cannot parse: %s", je->text);

	if (err) {
		err->line = r->line + (uint64_t)(je->line > 0 ? je->line - 1 : 0);
		err->col = (uint32_t)(je->line <= 1 ? r->col + (uint32_t)(je->column > 0 ? je->column : 1)
						    : (uint32_t)(je->column > 0 ? je->column : 1));
	}
	return st;
}

/* The length of the JSON value at s (brackets and strings matched), or 0
 * when it does not end within n bytes. */
static size_t value_extent(const char *s, size_t n)
{
	size_t i;
	int depth = 0;
	bool str = false;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				str = false;
			continue;
		}
		if (ch == '"')
			str = true;
		else if (ch == '{' || ch == '[')
			depth++;
		else if ((ch == '}' || ch == ']') && --depth == 0)
			return i + 1;
	}
	return 0;
}

/*
 * jansson refuses integers beyond long long, but the jsonl writer prints
 * unsigned 64-bit values (RLIM64_INFINITY is 18446744073709551615) as
 * numbers.  Such an object is decoded again from a copy in which every
 * integer literal too big is a string marked with this reader's nonce,
 * which sr_jin_big_int() recognises.  Only objects that failed take this path.
 */
static json_t *rescue(struct sr_reader *r, size_t n, json_error_t *je)
{
	const char *s = r->buf + r->pos;
	size_t i;
	bool str = false;

	r->fix.len = 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (str) {
			if (ch == '\\' && i + 1 < n) {
				sr_buf_add(&r->fix, s + i, 2);
				i++;
				continue;
			}
			if (ch == '"')
				str = false;
			sr_buf_addc(&r->fix, ch);
			continue;
		}
		if (ch == '"') {
			str = true;
		} else if (ch >= '0' && ch <= '9' && (i == 0 || !strchr("0123456789.eE+-", s[i - 1]))) {
			size_t k = i;

			while (k < n && s[k] >= '0' && s[k] <= '9')
				k++;
			if (k - i >= 19 && (k >= n || !strchr(".eE", s[k])) &&
			    (k - i > 19 || memcmp(s + i, "9223372036854775807", 19) > 0)) {
				sr_buf_addc(&r->fix, '"');
				sr_buf_add(&r->fix, r->nonce, r->nonce_len);
				sr_buf_add(&r->fix, s + i, k - i);
				sr_buf_addc(&r->fix, '"');
				i = k - 1;
				continue;
			}
			sr_buf_add(&r->fix, s + i, k - i);
			i = k - 1;
			continue;
		}
		sr_buf_addc(&r->fix, ch);
	}
	if (!r->fix.p)
		return NULL;
	return json_loadb(r->fix.p, r->fix.len, JSON_ALLOW_NUL, je);
}

/* Decodes the next top-level object into *out; SR_END when none is left. */
static enum sr_status next_object(struct sr_reader *r, json_t **out, struct sr_error *err)
{
	enum sr_status st = SR_OK;
	json_error_t je;
	json_t *j;

	*out = NULL;
	if (r->done)
		return SR_END;
	if (!skip_ws(r, err, &st))
		goto at_end;
	if (!r->started) {
		r->started = true;
		if (r->buf[r->pos] == '[') {
			r->array = true;
			advance(r, 1);
			if (!skip_ws(r, err, &st))
				goto at_end;
		}
	}
	if (r->array) {
		if (r->buf[r->pos] == ']') {
			advance(r, 1);
			r->done = true;
			/* only white space may follow */
			if (skip_ws(r, err, &st)) {
				je.line = 1;
				je.column = 1;
				snprintf(je.text, sizeof(je.text), "end of file expected after ']'");
				return parse_error(r, &je, err);
			}
			return st < 0 ? st : SR_END;
		}
		if (r->nobj) {
			if (r->buf[r->pos] != ',') {
				je.line = 1;
				je.column = 1;
				unsigned char c = (unsigned char)r->buf[r->pos];
				/* a byte that cannot be shown is named by its value */
				if (c >= 0x20 && c < 0x7f)
					snprintf(je.text, sizeof(je.text),
						 "',' or ']' expected near '%c'", c);
				else
					snprintf(je.text, sizeof(je.text),
						 "',' or ']' expected near byte 0x%02x", c);
				return parse_error(r, &je, err);
			}
			advance(r, 1);
			if (!skip_ws(r, err, &st))
				goto at_end;
		}
	} else if (r->nobj && r->buf[r->pos] == ',') {
		/* strace's structured-output branch ends each object with ", "
		 * (its file is a JSON array without the brackets) */
		advance(r, 1);
		if (!skip_ws(r, err, &st))
			goto at_end;
	}
	r->obj_pos = r->pos;
	r->obj_line = r->line;
	r->obj_col = r->col;
	for (;;) {
		size_t avail = r->len - r->pos;

		r->obj_pos = r->pos; /* fill() moves the buffer */
		j = json_loadb(r->buf + r->pos, avail, JFLAGS, &je);
		if (j) {
			advance(r, (size_t)je.position);
			break;
		}
		/* cut by the end of the buffer: read more and try again */
		if (!r->eof && (size_t)je.position + 2 >= avail) {
			st = fill(r, err);
			if (st < 0)
				return st;
			continue;
		}
		if (strstr(je.text, "too big")) {
			size_t n = value_extent(r->buf + r->pos, avail);

			if (n && (j = rescue(r, n, &je))) {
				advance(r, n);
				break;
			}
		}
		return parse_error(r, &je, err);
	}
	if (!json_is_object(j)) {
		json_decref(j);
		je.line = 1;
		je.column = 1;
		snprintf(je.text, sizeof(je.text), "an object expected for each event");
		return parse_error(r, &je, err);
	}
	r->nobj++;
	*out = j;
	return SR_OK;
at_end:
	if (st < 0)
		return st;
	if (r->array && !r->done) {
		je.line = 1;
		je.column = 1;
		snprintf(je.text, sizeof(je.text), "']' expected near end of file");
		return parse_error(r, &je, err);
	}
	r->done = true;
	return SR_END;
}

static enum shape object_shape(const json_t *o)
{
	const json_t *args = json_object_get(o, "args");

	if (json_object_get(o, "type"))
		return SHAPE_SYSREP;
	if (json_object_get(o, "cmd") || json_is_string(json_object_get(o, "resumed")) ||
	    json_is_string(json_object_get(o, "signal")) ||
	    json_is_string(json_object_get(o, "exited")) ||
	    json_is_string(json_object_get(o, "killed")))
		return SHAPE_BJSON;
	if (json_is_string(args))
		return SHAPE_OMNI;
	if (json_object_get(o, "syscall"))
		return SHAPE_SYSREP;
	return 0;
}

/* Where the value of the top-level key in the object text s[0..n) starts,
 * or 0 when it is not found (an escaped key): the error then points at the
 * object's first byte. */
static size_t key_offset(const char *s, size_t n, const char *key)
{
	size_t klen = strlen(key), i;
	int depth = 0;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '"') {
			size_t k = i + 1;

			while (k < n && s[k] != '"')
				k += s[k] == '\\' ? 2 : 1;
			if (k < n && depth == 1 && k - i - 1 == klen && !memcmp(s + i + 1, key, klen)) {
				size_t v = k + 1;
				bool colon = false; /* a key, not a value that spells it */

				while (v < n && (s[v] == ' ' || s[v] == '\t' || s[v] == '\n' ||
						 s[v] == '\r' || (s[v] == ':' && !colon))) {
					colon |= s[v] == ':';
					v++;
				}
				if (colon && v < n)
					return v;
			}
			i = k;
		} else if (ch == '{' || ch == '[') {
			depth++;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return 0;
}

/* An error in the object just decoded (buf[obj_pos..pos)): at the value of
 * the key it is about, else at the object's start. */
static enum sr_status object_error(struct sr_reader *r, const char *why, const char *key,
				   struct sr_error *err)
{
	const char *s = r->buf + r->obj_pos, *p, *e;
	size_t off = key ? key_offset(s, r->pos - r->obj_pos, key) : 0;
	uint64_t line = r->obj_line;
	uint32_t col = r->obj_col;

	for (p = s, e = s + off; p < e; p++) {
		if (*p == '\n') {
			line++;
			col = 0;
		} else {
			col++;
		}
	}
	sr_error_set(err, SR_ERR_PARSE, "cannot parse: %s", why);
	if (err) {
		err->line = line;
		err->col = col + 1;
	}
	return SR_ERR_PARSE;
}

/*
 * --keep-going on JSON Lines: the line that failed (the object decoded, or
 * the text up to the newline when it did not decode) becomes an UNPARSED
 * event holding it, counted like the strace reader's unparsed lines, and
 * the next line is read.  consumed: the object was decoded (buf[obj_pos..
 * pos) holds it); else pos is at the bad line's start.
 */
static enum sr_status keep_line(struct sr_reader *r, struct sr_batch *b, struct sr_event *ev,
				bool consumed, struct sr_error *err)
{
	const char *s, *nl;
	size_t n;
	enum sr_status st;

	if (!consumed) {
		while (!(nl = memchr(r->buf + r->pos, '\n', r->len - r->pos)) && !r->eof) {
			/* the events already in b view no bytes of buf */
			st = fill(r, err);
			if (st < 0)
				return st;
		}
		n = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
		r->obj_pos = r->pos;
		advance(r, n);
	}
	s = r->buf + r->obj_pos;
	n = r->pos - r->obj_pos;
	if (n && s[n - 1] == '\r')
		n--;
	memset(ev, 0, sizeof(*ev));
	ev->kind = SR_E_UNPARSED;
	ev->line = r->obj_line;
	ev->lead.pid = -1;
	ev->nr = -1;
	ev->text.ptr = sr_arena_memdup(b->arena, s, n);
	if (!ev->text.ptr && n)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
	ev->text.len = n;
	b->lines += 1;
	r->nobj++;
	return SR_OK;
}

static enum sr_status json_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	enum sr_status st;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	while (b->n < BATCH_EVENTS) {
		struct dctx c = { .r = r, .b = b };
		struct sr_event *ev;
		json_t *o;
		bool ok = false;
		const char *why = NULL;

		st = next_object(r, &o, err);
		if (st == SR_ERR_PARSE && r->keep_going && !r->array && r->pos < r->len) {
			ev = sr_batch_push(b);
			if (!ev)
				return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
			st = keep_line(r, b, ev, r->pos != r->obj_pos, err);
			if (st < 0) {
				b->n--;
				return st;
			}
			continue;
		}
		if (st < 0)
			return st;
		if (st == SR_END)
			return b->n ? SR_OK : SR_END;
		ev = sr_batch_push(b);
		if (!ev) {
			json_decref(o);
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		}
		ev->line = r->obj_line;
		switch (object_shape(o)) {
		case SHAPE_SYSREP:
			ok = sr_jin_sysrep_event(&c, o, ev);
			break;
		case SHAPE_BJSON:
			ok = sr_jin_bjson_event(&c, o, ev);
			break;
		case SHAPE_OMNI:
			ok = sr_jin_omni_event(&c, o, ev);
			break;
		default:
			why = "not a trace event (no \"type\", \"cmd\" or \"syscall\" key)";
			break;
		}
		json_decref(o);
		if (c.oom)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		if (!ok && !why)
			why = c.why ? c.why : "values nested too deeply";
		if (why && r->keep_going) {
			st = keep_line(r, b, ev, true, err);
			if (st < 0) {
				b->n--;
				return st;
			}
			continue;
		}
		if (why) {
			/* the events before it are whole: the caller keeps them */
			b->n--;
			return object_error(r, why, c.bad_key, err);
		}
		/* the trace lines the event stands for, attachments included,
		 * as the pb and archive readers count them (found by fuzzing:
		 * lines != events + attached for sysrep's own JSON Lines) */
		b->lines += sr_event_lines(ev);
	}
	return SR_OK;
}

static enum sr_status json_open(struct sr_reader **out, struct sr_source *in,
				const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));
	struct timespec ts;

	*out = NULL;
	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	r->in = in;
	/* semantic records are spelled back with the signatures of the arch
	 * they were written with (the writer's --arch, x86_64 by default) */
	r->arch = sr_arch_parse(sr_opts_get(opts, "arch", "x86_64"));
	if (r->arch == SR_ARCH_UNKNOWN)
		r->arch = SR_ARCH_DEFAULT;
	r->cap = CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	}
	/* a line is at most max_line bytes (a longer one is cut, and the
	 * object it held is a parse error) */
	if (sr_source_limit_lines(in, opts, err) < 0) {
		free(r->buf);
		free(r);
		return SR_ERR_USAGE;
	}
	r->line = 1;
	r->last_pf = SR_PID_BRACKET;
	r->keep_going = sr_opts_get(opts, SR_OPT_KEEP_GOING, NULL) != NULL;
	/* a marker no trace string will hold by chance */
	clock_gettime(CLOCK_REALTIME, &ts);
	r->nonce_len = (size_t)snprintf(r->nonce, sizeof(r->nonce), "sysrep-u64-%lx-%lx:",
					(unsigned long)ts.tv_nsec ^ (unsigned long)getpid(),
					(unsigned long)ts.tv_sec);
	*out = r;
	return SR_OK;
}

static void json_close(struct sr_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	sr_jin_bjson_drop_pending(r);
	sr_buf_free(&r->scratch);
	sr_buf_free(&r->fix);
	free(r);
}

/* A JSON array or JSON Lines of objects.  strace text never starts with
 * '{' or '['+'{'; "[pid 12]" is text. */
static int json_probe(const void *head, size_t n)
{
	const char *p = head, *e = p + n;

	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p == e)
		return 0;
	if (*p == '[') {
		p++;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p == e || *p == ']')
			return 90;
	}
	if (*p != '{')
		return 0;
	/* every object these shapes hold starts with a key: "{" alone is no
	 * proof (a damaged strace line may start so) */
	p++;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p == e || *p == '"' || *p == '}' ? 90 : 0;
}

const struct sr_reader_class sr_in_json = {
	.name = "json",
	.exts = ".jsonl,.json",
	.summary = "JSON: sysrep's jsonl/json, strace -B json, posix-omni-parser",
	.probe = json_probe,
	.open = json_open,
	.next = json_next,
	.close = json_close,
	.opt_keys = sr_text_opt_keys,
};

/* The same reader under the name of the format users convert to. */
const struct sr_reader_class sr_in_jsonl = {
	.name = "jsonl",
	.exts = ".jsonl",
	.summary = "sysrep JSON Lines (the json reader under its writer's name)",
	.probe = NULL,
	.open = json_open,
	.next = json_next,
	.close = json_close,
	.opt_keys = sr_text_opt_keys,
};

