/*
 * buf.c - the growable byte buffer (see buf.h).
 */
#include <stdlib.h>

#include "buf.h"

bool sr_buf_grow(struct sr_buf *b, size_t extra)
{
	size_t ncap = b->cap ? b->cap : 256;
	char *n;

	if (b->cap - b->len >= extra)
		return true;
	while (ncap - b->len < extra)
		ncap *= 2;
	n = realloc(b->p, ncap);
	if (!n)
		return false;
	b->p = n;
	b->cap = ncap;
	return true;
}

void sr_buf_free(struct sr_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
