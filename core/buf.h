/*
 * buf.h - a growable byte buffer (core/buf.c), the output buffer of the
 * printers and writers.
 */
#ifndef SR_BUF_H
#define SR_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sysrep.h"

/* A growable byte buffer owned by its user (malloc'd). */
struct sr_buf {
	char *p;
	size_t len, cap;
	size_t mark;    /* set by the printer: where the padding before "= " began */
};

bool sr_buf_grow(struct sr_buf *b, size_t extra);
void sr_buf_free(struct sr_buf *b);
static inline void sr_buf_add(struct sr_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len < n + 16 && !sr_buf_grow(b, n + 16))
		return;
	if (n <= 16) {
		/* most pieces are short: two overlapping 8-byte moves instead
		 * of a call to memcpy */
		char *d = b->p + b->len;
		const char *s = p;

		if (n >= 8) {
			uint64_t a, z;

			__builtin_memcpy(&a, s, 8);
			__builtin_memcpy(&z, s + n - 8, 8);
			__builtin_memcpy(d, &a, 8);
			__builtin_memcpy(d + n - 8, &z, 8);
		} else {
			for (size_t i = 0; i < n; i++)
				d[i] = s[i];
		}
	} else {
		__builtin_memcpy(b->p + b->len, p, n);
	}
	b->len += n;
}
static inline void sr_buf_addc(struct sr_buf *b, char c)
{
	if (b->cap == b->len && !sr_buf_grow(b, 1))
		return;
	b->p[b->len++] = c;
}
static inline void sr_buf_adds(struct sr_buf *b, struct sr_str s) { sr_buf_add(b, s.ptr, s.len); }

#endif /* SR_BUF_H */
