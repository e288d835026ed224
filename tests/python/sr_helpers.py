"""Shared by the Python module's tests: where the CLI and the corpus are."""
import glob
import json
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SYSREP = os.environ.get("SYSREP", os.path.join(ROOT, "sysrep"))
CORPUS = os.path.join(ROOT, "corpus")


def corpus_files():
    """Every trace of corpus/ but the bench trace: strace text in all its
    shapes, the generated recordings, strace -ff files and .scap captures."""
    files = []
    for pat in ("*.strace", "gen/*", "perpid/*", "scap/*.scap"):
        files += sorted(glob.glob(os.path.join(CORPUS, pat)))
    return files


def cli(*args, input=None):
    """The CLI's stdout as bytes; fails the test on a non-zero exit."""
    return subprocess.run([SYSREP, *args], input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=True).stdout


def cli_records(*args):
    """json.loads of every line "sysrep convert -t jsonl ARGS" writes."""
    return [json.loads(line) for line in cli("convert", "-t", "jsonl", *args).splitlines()]
