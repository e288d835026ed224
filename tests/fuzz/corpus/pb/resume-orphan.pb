]
	sysrep.pbstrace"-tests/fuzz/corpus/strace/resume-orphan.strace*sysrep 0.1.02x86_64˜<
read"(2Pˆº"[pid  1] read(3,  <unfinished ...>=
write"(:PX`º![pid  2] <... write resumed>) = 1+"Pº[pid  1] +++ exited with 0 +++