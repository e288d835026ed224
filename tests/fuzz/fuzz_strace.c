/* fuzz_strace.c - the strace reader on any bytes (see fuzz_common.h). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader_target("strace", data, size);
}
