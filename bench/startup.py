"""Start-up cost: each command against `python -c "import pydantic"`, interleaved in one run so
that machine noise hits all alike, and whether each left openai and instructor unimported.

    python bench/startup.py [--rounds N]

Goals: `import sayso` at most 2x, `sayso --help` at most 3x.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
# Each check prints whether openai or instructor was imported, so the measure proves it.
PROBE = "import sys; print(any(m in sys.modules for m in ('openai', 'instructor')))"


def commands(folder: Path) -> dict[str, list[str]]:
    article = folder / "a.txt"
    article.write_text("The mayor said the bridge would open in May.\n", encoding="utf-8")
    out = folder / "done.jsonl"
    out.write_text(json.dumps({"input": str(article), "output": {}}) + "\n", encoding="utf-8")
    run_cli = "import sys, runpy; sys.argv = ['sayso', *sys.argv[1:]];\ntry:\n    runpy.run_module('sayso', run_name='__main__')\nexcept SystemExit:\n    pass\n" + PROBE
    return {
        "import pydantic": [PY, "-c", "import pydantic; " + PROBE],
        "import sayso": [PY, "-c", "import sayso; " + PROBE],
        "sayso --help": [PY, "-c", run_cli, "--help"],
        "sayso schema": [PY, "-c", run_cli, "schema"],
        "scoring (evaluation)": [PY, "-c", "from sayso.evaluation import score_article, load_gold; " + PROBE],
        "resume, nothing left": [PY, "-c", run_cli, "summarize", str(article), "--out", str(out),
                                 "--base-url", "http://127.0.0.1:9/v1", "--model", "m"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(Path(tmp))
        times: dict[str, list[float]] = {name: [] for name in cmds}
        imported: dict[str, str] = {}
        for _ in range(args.rounds):
            for name, cmd in cmds.items():
                started = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True, check=False)
                times[name].append(time.perf_counter() - started)
                imported[name] = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "?"
    base = statistics.median(times["import pydantic"])
    print(f"{args.rounds} rounds, medians; ratio to `import pydantic` ({base * 1000:.0f} ms)")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:24} {median * 1000:7.0f} ms  {median / base:5.2f}x  "
              f"openai/instructor imported: {imported[name]}")


if __name__ == "__main__":
    main()
