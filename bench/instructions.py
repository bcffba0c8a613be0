"""Instructions the text reader spends per 1,000 forms, counted by valgrind, so that the figure does not
depend on how busy the shared machine is (wall-clock rates here move by a factor of 3 with the load).

    python bench/instructions.py                  # this tree
    python bench/instructions.py --tree /tmp/old  # another checkout (e.g. `git archive 82e4498`), same dumps

Parses a bench dump (bench/generate.py) of N + 10 forms and one of 10 forms with `parsing.parse_bytes`
under `valgrind --tool=cachegrind --cache-sim=no`, with a fixed hash seed; the difference divided by N
is the reader's own cost, start-up cancelled.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

PARSE = "import sys; sys.path.insert(0, sys.argv[1]); from importer import parsing; parsing.parse_bytes(open(sys.argv[2], 'rb').read())"


def instructions(tree: Path, dump: Path) -> int:
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", PARSE, str(tree), str(dump)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return int(re.search(r"I\s+refs:\s+([\d,]+)", done.stderr).group(1).replace(",", ""))


def main():
    from generate import write_dump

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree whose importer is counted")
    parser.add_argument("-n", type=int, default=1000, help="forms counted (default 1,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        dumps = {}
        for count in (10, args.n + 10):
            dumps[count] = Path(workdir) / f"dump-{count}.txt"
            with dumps[count].open("w", encoding="utf-8") as out:
                write_dump(count, out)
        base, full = (instructions(args.tree.resolve(), dumps[count]) for count in (10, args.n + 10))
    print(f"parse_instructions: {(full - base) / args.n / 1000:,.0f} M instructions per 1,000 forms (N={args.n})")


if __name__ == "__main__":
    main()
