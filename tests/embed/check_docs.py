"""Checks that the code excerpts in docs/embedding.md are still in the files they quote.

Each fenced block (except sh) quotes the file named last in backticks before it; a line holding
only '...' elides lines. Every run of lines between elisions must appear verbatim and
contiguously in that file, and the runs must appear in order.
    usage: check_docs.py SOURCE_DIR
"""
import os
import re
import sys

EXT = {"c": (".c",), "cpp": (".cpp", ".cc"), "cmake": ("CMakeLists.txt", ".cmake"), "python": (".py",)}


def find_run(lines, run, start):
    for i in range(start, len(lines) - len(run) + 1):
        if lines[i:i + len(run)] == run:
            return i + len(run)
    return -1


def main(src):
    doc = os.path.join(src, "docs", "embedding.md")
    text = open(doc).read()
    errors, checked = [], 0
    for m in re.finditer(r"```(\w+)\n(.*?)```", text, re.S):
        lang, body = m.group(1), m.group(2)
        if lang not in EXT:
            continue
        named = [p for p in re.findall(r"`([\w./-]+)`", text[:m.start()]) if p.endswith(EXT[lang])]
        if not named or not os.path.isfile(os.path.join(src, named[-1])):
            errors.append(f"a {lang} block at offset {m.start()} names no existing file before it")
            continue
        path = named[-1]
        lines = open(os.path.join(src, path)).read().splitlines()
        runs, cur = [], []
        for line in body.rstrip("\n").split("\n"):
            if line.strip() == "...":
                runs.append(cur)
                cur = []
            else:
                cur.append(line)
        runs.append(cur)
        pos = 0
        for run in filter(None, runs):
            pos = find_run(lines, run, pos)
            if pos < 0:
                errors.append(f"{path}: the excerpt starting '{run[0].strip()}' is no longer in the file (or out of order)")
                break
        checked += 1
    for e in errors:
        print("docs/embedding.md:", e)
    if checked == 0:
        errors.append("no excerpts found")
    print(f"{checked} excerpts checked, {len(errors)} stale")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
