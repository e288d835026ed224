/*
 * value.c - helpers on the value tree that every format needs.
 */
#include "sysrep.h"

size_t sr_int_spell(char *d, const struct sr_value *v)
{
	char tmp[24];
	size_t n = 0, k = 0;
	uint64_t u = v->num.u;

	switch (v->base) {
	case SR_BASE_HEX:
		do {
			tmp[n++] = "0123456789abcdef"[u & 15];
			u >>= 4;
		} while (u);
		d[k++] = '0';
		d[k++] = 'x';
		break;
	case SR_BASE_OCT:
		do {
			tmp[n++] = (char)('0' + (u & 7));
			u >>= 3;
		} while (u);
		d[k++] = '0';
		break;
	default:
		if (!(v->flags & SR_VF_UNSIGNED) && v->num.i < 0) {
			d[k++] = '-';
			u = (uint64_t)0 - u;
		}
		do {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
	}
	while (n)
		d[k++] = tmp[--n];
	return k;
}
