"""Checks an `ort-lite test` log against the checked-in list of node tests that must pass.

usage: python3 compare_pass.py LOG [EXPECTED] [--update]
  EXPECTED defaults to expected_pass.txt next to this file: one case name a line, '#' comments.
  Exit 1 when a listed case did not PASS (failed, skipped or missing), or the log is incomplete.
  Newly passing cases are printed as a hint; --update adds them to EXPECTED (it never drops a
  listed case: a regression is fixed in the code, or removed from the list by hand, with a reason).
"""
import os
import re
import sys

LINE = re.compile(r"^(PASS|FAIL|SKIP) (\S+?)(?::\s*(.*))?$")
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$")


def read_expected(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [ln.split("#", 1)[0].strip() for ln in f if ln.split("#", 1)[0].strip()]


def write_expected(path, names):
    header = ("# ONNX backend node tests (tests/conformance/gen_node_tests.py) that ort-lite must pass.\n"
              "# scripts/test.sh fails when any of these does not PASS. One case a line, sorted.\n"
              "# Add newly passing cases from a run: python3 tests/conformance/compare_pass.py build/conformance.log --update\n")
    with open(path, "w") as f:
        f.write(header + "".join(n + "\n" for n in sorted(names)))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    log = args[0]
    expected_path = args[1] if len(args) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected_pass.txt")

    status, reason, summary = {}, {}, None
    with open(log, errors="replace") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            m = LINE.match(ln)
            if m:
                status[m.group(2)], reason[m.group(2)] = m.group(1), m.group(3) or ""
            elif SUMMARY.match(ln.strip()):
                summary = tuple(int(x) for x in SUMMARY.match(ln.strip()).groups())
    counts = tuple(sum(1 for s in status.values() if s == k) for k in ("PASS", "FAIL", "SKIP"))
    passed = {n for n, s in status.items() if s == "PASS"}
    expected = read_expected(expected_path)

    ok = True
    if summary is None:
        print(f"conformance: no final 'N passed, N failed, N skipped' line in {log}: the runner stopped early")
        ok = False
    elif summary != counts:
        print(f"conformance: summary says {summary[0]} passed, {summary[1]} failed, {summary[2]} skipped "
              f"but the log has {counts[0]} PASS, {counts[1]} FAIL, {counts[2]} SKIP lines")
        ok = False

    if "--update" in sys.argv:
        merged = set(read_expected(expected_path)) | passed
        write_expected(expected_path, merged)
        print(f"conformance: {expected_path} now lists {len(merged)} cases")
        return 0 if ok else 1

    regressions = [n for n in expected if n not in passed]
    new = sorted(passed - set(expected))
    print(f"conformance: {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped; "
          f"{len(expected) - len(regressions)}/{len(expected)} expected cases pass")
    if regressions:
        ok = False
        print(f"conformance: {len(regressions)} expected case(s) did not pass:")
        for n in regressions:
            st = status.get(n)
            print(f"  {n}: " + (f"{st} {reason[n]}".rstrip() if st else "not in the run (missing case or runner stopped)"))
    if new:
        print(f"conformance: hint: {len(new)} case(s) pass but are not in {os.path.relpath(expected_path)}:")
        for n in new[:40]:
            print(f"  + {n}")
        if len(new) > 40:
            print(f"  ... and {len(new) - 40} more")
        print("  add them (python3 tests/conformance/compare_pass.py LOG --update) so they stay passing")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
