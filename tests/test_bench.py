"""The benchmark harness (`make bench`) runs end to end on a tiny corpus and reports in the issue's shape.

Only the harness is tested here, never the figures: timings on a shared machine would make a flaky test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from bench import addthread, buildwork, generate, importab, run, tracing
from converters.formats import textdump

REPORT_KEYS = {"baseline_build_s", "build_s", "build_j2_s", "ratio", "incremental_s", "peak_rss_mb", "import_s",
               "import_words_per_s", "raw_ner_words_per_s", "searchindex_bytes", "ratio_cpu"}


def test_generated_threads_are_what_the_importer_reads(tmp_path):
    stats = generate.write(tmp_path, 60, seed=5, per_thread=12)
    captures = sorted((tmp_path / "captures").glob("*.txt"))
    threads = [textdump.parse(c.read_text("utf-8"), str(c)) for c in captures]
    assert sum(len(t.posts) for t in threads) == stats["posts"] == 60
    assert len(list((tmp_path / "baseline" / "threads").glob("*.md"))) == len(captures) == stats["threads"]
    # Replies open with a copy of an earlier paragraph, as forum quotes do in a text dump.
    assert any(p.blocks and any(p.blocks[0].text.startswith(q) for q in
                                (b.text.split("\n")[0] for e in t.posts[:i] for b in e.blocks))
               for t in threads for i, p in enumerate(t.posts) if i)
    assert generate.write(tmp_path / "again", 60, seed=5, per_thread=12) == stats  # seeded: same corpus


def test_harness_reports_every_figure(tmp_path, capsys):
    assert run.main(["30", "--out", str(tmp_path), "--no-extras", "--rounds", "2"]) == 0
    report = json.loads((tmp_path / "report.json").read_text())
    assert list(report) == ["sizes"] and list(report["sizes"]) == ["30"]
    row = report["sizes"]["30"]
    assert set(row) == REPORT_KEYS
    assert all(row[k] > 0 for k in REPORT_KEYS - {"raw_ner_words_per_s"})
    assert row["ratio"] == pytest.approx(row["build_s"] / row["baseline_build_s"], rel=0.01)
    details = json.loads((tmp_path / "details.json").read_text())["sizes"]["30"]
    rounds = details["rounds"]  # the baseline and the build took turns; the medians are reported
    assert len(rounds["baseline_s"]) == len(rounds["build_s"]) == len(rounds["build_cpu_s"]) == 2
    assert row["build_s"] == pytest.approx(sum(rounds["build_s"]) / 2, abs=0.01)
    assert row["baseline_build_s"] == pytest.approx(sum(rounds["baseline_s"]) / 2, abs=0.01)
    incremental = details["incremental"]  # a thread added in each round, the median reported
    assert len(incremental["rounds"]) == 2
    for update in incremental["rounds"]:
        assert len(update["pages_the_import_changed"]) >= 1 and update["reread_only_changed_pages"]
        assert "index" in update["rewritten"]
    assert row["incremental_s"] == pytest.approx(
        sum(u["import_s"] + u["build_s"] for u in incremental["rounds"]) / 2, abs=0.01)
    assert "ratio" in capsys.readouterr().out  # the table

    # Adding one more thread to the built site, step by step (`bench/addthread.py`).
    threads = len(list((tmp_path / "30" / "site" / "corpus").rglob("*.md")))
    assert addthread.main([str(tmp_path / "30"), "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert len(list((tmp_path / "30" / "site" / "corpus").rglob("*.md"))) == threads + 1
    for step in ("read the thread models", "resolve the register", "resolve: inherit_quotes", "whole import",
                 "build (s)", "(register entry pages made)"):
        assert step in out, step

    # One more thread imported into copies of that corpus, with and without the helper (`bench/importab.py`).
    assert importab.main([str(tmp_path / "30" / "site" / "corpus"), "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "--scheduler auto  median" in out and "--scheduler sync  median" in out
    assert "the same files written" in out

    # The work of a clean build of that site, counted (`bench/buildwork.py`, a process a count): every post,
    # the same again.
    site = tmp_path / "30" / "site"
    counts = [subprocess.run([sys.executable, buildwork.__file__, str(site)], capture_output=True, text=True,
                             check=True).stdout for _ in range(2)]
    (calls, nodes, per_post, posts), again = [
        [float(n.replace(",", "")) for n in re.findall(r"[\d,.]*\d", c.rsplit("site: ", 1)[1])][:4] for c in counts]
    assert all(re.search(r"; \d+ full collections, finding .* dead objects", c) for c in counts)
    assert posts == sum(len(json.loads(f.read_text())["posts"]) for f in site.rglob("*.thread.json"))
    assert nodes > 10 * posts and per_post == pytest.approx(nodes / posts, abs=0.05)
    assert again[1:] == [nodes, per_post, posts] and abs(again[0] - calls) < calls / 100


def test_tracing_probe_is_undone_and_repeatable(capsys):
    """`bench/tracing.py --marginal` traces the next threads into a traced corpus round after round: each
    round must leave the corpus as it found it, or later rounds would measure a bigger corpus."""
    synth = generate.Generator(3).corpus(200)
    probe = tracing.Probe(synth, 120, threads=3)
    tracer = probe.tracer
    before = (dict(tracer.index._postings), len(tracer.entries), dict(tracer.live), set(tracer.articles))
    before = ({k: list(v) if type(v) is list else v for k, v in before[0].items()}, *before[1:])
    first = probe.work()
    after = ({k: list(v) if type(v) is list else v for k, v in tracer.index._postings.items()},
             len(tracer.entries), dict(tracer.live), set(tracer.articles))
    assert after == before
    assert probe.work() == first and first["candidates"] >= first["found"] > 0  # the next threads quote the corpus

    assert tracing.main(["100", "150", "--marginal", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "candidates/post" in out and len(out.strip().splitlines()) == 3
