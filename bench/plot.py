"""Draw bench/results/latency.png from the JSON that bench.call_overhead and bench.cold_start wrote.

Run: .venv/bin/python -m bench.plot   (after the two benches; matplotlib goes into the bench virtualenv,
.bench-venv/, beside fastmcp, never into the project's dependencies: needs the package registry once)

Left: the distribution (CDF) of one get_applications call, made directly with httpx2 and through MCP in
each protocol era. Right: every measured cold start of each server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
FIGURE = RESULTS / "latency.png"
MATPLOTLIB = "matplotlib"


def bench_python() -> Path:
    """The bench virtualenv's python, with matplotlib added beside what bench.context_cost installs."""
    from bench.context_cost import BENCH_VENV, FASTMCP
    from bench.context_cost import bench_python as created

    python = created(BENCH_VENV, FASTMCP)
    if subprocess.run([python, "-c", "import matplotlib"], capture_output=True).returncode != 0:
        print(f"adding {MATPLOTLIB} to {BENCH_VENV} (once) ...", file=sys.stderr)
        install: list[str | Path] = [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            MATPLOTLIB,
        ]
        subprocess.run(install, check=True)
    return python


def draw() -> None:
    """Runs inside the bench virtualenv."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    overhead = json.loads((RESULTS / "call_overhead.json").read_text(encoding="utf-8"))
    cold = json.loads((RESULTS / "cold_start.json").read_text(encoding="utf-8"))
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [3, 2]})

    def cdf(values: Sequence[float], label: str, **style: object) -> None:
        ordered = sorted(values)
        left.plot(ordered, [(i + 1) / len(ordered) for i in range(len(ordered))], label=label, **style)

    runs = overhead["runs"]
    direct = runs["auto"]["samples"]["direct_ms"] + runs["legacy"]["samples"]["direct_ms"]
    cdf(direct, f"direct httpx2 (p50 {sorted(direct)[len(direct) // 2]:.2f} ms)", color="black", linestyle="--")
    for mode, color in (("auto", "tab:blue"), ("legacy", "tab:orange")):
        run = runs[mode]
        cdf(run["samples"]["mcp_ms"], f"through MCP, {run['era']} (p50 {run['mcp']['p50_ms']} ms)", color=color)
    left.set_xlabel("get_applications, page of 10, emulator on loopback (ms)")
    left.set_ylabel("fraction of calls")
    left.set_title(f"Per call: {overhead['calls']} interleaved pairs per era", fontsize=10)
    high = max(max(run["samples"]["mcp_ms"]) for run in runs.values())
    left.set_xlim(0, min(high, 2 * max(run["mcp"]["p99_ms"] for run in runs.values())))
    left.grid(alpha=0.3)
    left.legend(fontsize=8, loc="lower right")

    names = list(cold["servers"])
    samples = [cold["samples_ms"][name] for name in names]
    right.boxplot(samples, widths=0.5, showfliers=False)
    for index, values in enumerate(samples, start=1):
        right.scatter([index] * len(values), values, s=10, alpha=0.6, color="tab:blue")
    labels = [f"{name}\n×{cold['servers'][name].get('median_ratio', 1.0):.2f}" for name in names]
    right.set_xticks(range(1, len(names) + 1), labels)
    right.set_ylabel("start → tools/list answered (ms)")
    right.set_title(f"Cold start over stdio: {cold['runs']} runs each", fontsize=10)
    right.grid(alpha=0.3, axis="y")
    figure.tight_layout()
    figure.savefig(FIGURE, dpi=90)
    print(f"wrote {FIGURE.relative_to(ROOT)} ({FIGURE.stat().st_size // 1024} KB)")


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--draw"]:
        draw()
        return 0
    return subprocess.run([bench_python(), str(Path(__file__).resolve()), "--draw"], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
