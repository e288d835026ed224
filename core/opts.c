/*
 * opts.c - format options (-O KEY=VALUE) as readers and writers see them.
 */
#include <string.h>

#include "sysrep.h"

const char *sr_opts_get(const struct sr_opts *opts, const char *key, const char *def)
{
	size_t i;

	if (!opts)
		return def;
	/* the last one given wins, as with repeated command-line options */
	for (i = opts->n; i-- > 0;)
		if (strcmp(opts->v[i].key, key) == 0)
			return opts->v[i].value;
	return def;
}
