# recipes.sh - issue 20: every shell recipe of README.md and docs/sysrep.1
# runs against corpus files and must give its expected output, so a wrong
# recipe fails make check.  tests/recipes/run.py does the work (its
# docstring: the placeholder files, substitutions, goldens under
# tests/golden/recipes/, the few skipped and why); here its PASS/FAIL lines
# are counted.  Sourced by tests/e2e.sh (see README here).

# shellcheck shell=bash disable=SC2015
RC=$TMP/recipes
mkdir -p "$RC"
"$PY" tests/recipes/run.py "$BIN" >"$RC/out" 2>"$RC/err"
r=$?
while IFS= read -r line; do
	case $line in
	"PASS "*) pass "recipe ${line#PASS }" ;;
	"FAIL "*) fail "recipe ${line#FAIL }" ;;
	"SKIP "*) echo "SKIP recipe ${line#SKIP }" ;;
	esac
done <"$RC/out"
[ $r -eq 0 ] && [ ! -s "$RC/err" ] && pass "recipes: the runner ran to its end" ||
	fail "recipes: the runner ran to its end" "exit $r: $(first_line "$RC/err")"
# the extractor sees every block: each ```sh block of the README and each
# example block of the man page gives at least one recipe
"$PY" - <<'PYEOF' && pass "recipes: every sh block of README.md and every EXAMPLES block of sysrep.1 is run" ||
import json, subprocess, sys
out = subprocess.run([sys.executable, "tests/recipes/extract.py", "README.md", "docs/sysrep.1"],
                     capture_output=True, text=True, check=True).stdout
lines = {json.loads(l)["src"] for l in out.splitlines()}
readme = open("README.md").read().split("\n")
starts = [i + 1 for i, l in enumerate(readme) if l.strip() == "```sh"]
ends = [next(j + 1 for j in range(s, len(readme)) if readme[j].strip() == "```") for s in starts]
for s, e in zip(starts, ends):
    if not any(s < int(x.split(":")[1]) < e for x in lines if x.startswith("README.md:")):
        sys.exit("README.md block at line %d gives no recipe" % s)
man = open("docs/sysrep.1").read().split("\n")
ex = man.index(".SH EXAMPLES")
nf = [i + 1 for i in range(ex, len(man)) if man[i] == ".nf" and not any(man[k].startswith(".SH") for k in range(ex + 1, i))]
if len([x for x in lines if x.startswith("docs/sysrep.1:")]) < len(nf):
    sys.exit("sysrep.1: fewer recipes than example blocks")
PYEOF
	fail "recipes: every sh block of README.md and every EXAMPLES block of sysrep.1 is run"
