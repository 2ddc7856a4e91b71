"""Benchmark of the Table tab on a 100,000-row array of Discourse-like topics; prints ratios and times.

Run: .venv/bin/python benchmarks/table_view.py [--quick]

Figures (each measured in the same run, best of several on two shared cores):
1. first_rows_ratio: last body byte -> first table rows painted, divided by the same for the tree
   (the body parsed by the viewer both times; the tree is the baseline). Target <= 1.5.
   first_rows_after_parse_ratio: the same with the parse left out (the viewers' own work only).
2. sort_ms: clicking a column header -> the sorted rows painted, the slower of a number and a text
   column. Target <= 500.
3. scroll_stall_ms: longest event-loop stall while scrolling page by page and jumping about (as when
   dragging the scroll bar), unsorted and sorted, sampled by a 10 ms QTimer (its period subtracted).
   Target <= 50.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.json_view import WORDS, PaintWatch  # noqa: E402
from explorer.core.jsontree.parse import parse_document  # noqa: E402
from explorer.core.jsontree.table import find_arrays  # noqa: E402
from explorer.ui.body import BodyView  # noqa: E402

SAMPLE_MS = 10
SCROLL_MS = 16  # one scroll step per frame at 60 Hz


def _topic(i: int, rng: random.Random) -> dict:
    title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
    return {
        "id": 1000 + i, "title": title, "fancy_title": title, "slug": title.lower().replace(" ", "-"),
        "posts_count": rng.randint(1, 400), "reply_count": rng.randint(0, 300),
        "highest_post_number": i % 400, "image_url": None, "created_at": "2024-03-01T12:00:00.000Z",
        "last_posted_at": "2024-03-02T08:00:00.000Z",
        "bumped": True, "bumped_at": "2024-03-02T08:00:00.000Z", "archetype": "regular", "unseen": False,
        "pinned": i % 50 == 0, "visible": True, "closed": False, "archived": False, "bookmarked": None,
        "liked": None, "tags": [rng.choice(WORDS), rng.choice(WORDS)], "views": rng.randint(0, 100_000),
        "like_count": rng.randint(0, 900), "has_summary": False, "last_poster_username": f"user{i % 997}",
        "category_id": 1 + i % 12, "pinned_globally": False, "featured_link": None,
        "last_poster": {"id": i % 997, "username": f"user{i % 997}", "avatar_template": "/a/{size}.png"},
        "posters": [{"extras": "latest", "description": "Original Poster", "user_id": i % 997}],
    }


def generate(path: Path, rows: int, seed: int = 11) -> int:
    """Write a JSON array of `rows` topics (streamed, so generating costs no memory the run sees)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for i in range(rows):
            out.write(("," if i else "") + json.dumps(_topic(i, rng)))
        out.write("]")
    return path.stat().st_size


def _paint_time(app: QApplication, viewport: object, ready: object, start_action: object) -> float:
    """Seconds from start_action() to the first paint of `viewport` at which ready() holds."""
    loop = QEventLoop()
    watch = PaintWatch(viewport, loop, ready)  # type: ignore[arg-type]
    started: list[float] = []

    def go() -> None:
        started.append(time.perf_counter())
        watch.armed = True
        start_action()  # type: ignore[operator]

    QTimer.singleShot(0, go)
    QTimer.singleShot(120_000, loop.quit)  # never hang the benchmark
    loop.exec()
    painted = watch.painted_at or time.perf_counter()
    watch.deleteLater()
    for _ in range(5):
        app.processEvents()
    return painted - started[0]


def first_rows(app: QApplication, view: BodyView, data: bytes, table: bool) -> float:
    """Last byte -> first rows of the tree (or of the table, the Table tab in front) painted."""
    view.clear()
    gc.collect()
    view._prefer_table = table  # what a click on the Table tab leaves behind for the next response
    if table:
        port = view.table_view.view.viewport()
        def ready() -> bool:
            return view.table_view.model is not None and view.table_view.model.rowCount() > 0
    else:
        port = view.json_view.tree.viewport()
        def ready() -> bool:
            model = view.json_view.model
            return model is not None and model.rowCount(model.index(0, 0)) > 0
    return _paint_time(app, port, ready, lambda: view.show_body(data, "application/json", table_key="bench"))


def first_rows_after_parse(app: QApplication, view: BodyView, data: bytes, table: bool) -> float:
    """The same, from a parsed document: the viewers' own work (model, columns, first paint)."""
    view.clear()
    gc.collect()
    document = parse_document(data)
    if table:
        view.tabs.addTab(view.table_view, "Table")
        view.tabs.setCurrentWidget(view.table_view)
        target = view.table_view
        def start() -> None:
            target.set_source(document.root, find_arrays(document.root), "bench")
            target.ensure_loaded()
        return _paint_time(app, target.view.viewport(), lambda: target.model is not None, start)
    view.tabs.addTab(view.json_view, "Tree")
    view.tabs.setCurrentWidget(view.json_view)
    tree = view.json_view
    return _paint_time(app, tree.tree.viewport(), lambda: tree.model is not None,
                       lambda: tree.set_document(document, data))


def sort_time(app: QApplication, view: BodyView, column: int) -> float:
    """Header click -> sorted rows painted, in seconds."""
    table = view.table_view
    table.view.scrollToTop()
    app.processEvents()
    header = table.view.horizontalHeader()
    sorted_once: list[bool] = []
    table.model.layoutChanged.connect(lambda: sorted_once.append(True))  # type: ignore[union-attr]
    return _paint_time(app, table.view.viewport(), lambda: bool(sorted_once),
                       lambda: header.sectionClicked.emit(column))


def scroll_stall(app: QApplication, view: BodyView, seconds: float, seed: int = 3) -> float:
    """Longest gap between 10 ms sampler ticks while the table scrolls a page per frame, with a jump
    to a random place every tenth step (a dragged scroll bar)."""
    rng = random.Random(seed)
    bar = view.table_view.view.verticalScrollBar()
    ticks: list[float] = []
    step = [0]
    sampler = QTimer()
    sampler.setInterval(SAMPLE_MS)
    sampler.timeout.connect(lambda: ticks.append(time.perf_counter()))
    scroller = QTimer()
    scroller.setInterval(SCROLL_MS)

    def scroll() -> None:
        step[0] += 1
        if step[0] % 10 == 0:
            bar.setValue(rng.randint(0, bar.maximum()))
        else:
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            if bar.value() >= bar.maximum():
                bar.setValue(0)

    scroller.timeout.connect(scroll)
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    sampler.start()
    scroller.start()
    ticks.append(time.perf_counter())
    loop.exec()
    sampler.stop()
    scroller.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    return max(0.0, max(gaps) - SAMPLE_MS / 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows and fewer runs, for a fast check")
    args = parser.parse_args(argv)
    rows, runs = (20_000, 2) if args.quick else (100_000, 3)
    app = QApplication.instance() or QApplication([])
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topics.json"
        size = generate(path, rows)
        data = path.read_bytes()
    view = BodyView()
    view.resize(1200, 800)
    view.show()
    app.processEvents()

    tree = min(first_rows(app, view, data, table=False) for _ in range(runs))
    table = min(first_rows(app, view, data, table=True) for _ in range(runs))
    print(f"{rows:,} rows, {size / 1e6:.0f} MB: first rows, tree {tree * 1000:.0f} ms, "
          f"table {table * 1000:.0f} ms")
    tree_own = min(first_rows_after_parse(app, view, data, table=False) for _ in range(runs))
    table_own = min(first_rows_after_parse(app, view, data, table=True) for _ in range(runs))
    print(f"without the parse: tree {tree_own * 1000:.1f} ms, table {table_own * 1000:.1f} ms")

    # Scrolling right after the first paint (rows still being materialised between paints), sorting,
    # then scrolling in array order and sorted; each the best of `runs` (two shared cores are noisy).
    fresh, plain, in_order, sorts = [], [], [], []
    for _ in range(runs):
        view._prefer_table = True
        view.show_body(data, "application/json", table_key="bench")
        app.processEvents()
        fresh.append(scroll_stall(app, view, 1.0))
        columns = view.table_view.model.columns  # type: ignore[union-attr]
        number, text = columns.index(("views",)), columns.index(("title",))
        for column in (number, text):
            sorts.append((column, sort_time(app, view, column)))  # ascending
            sorts.append((column, sort_time(app, view, column)))  # descending
            sort_time(app, view, column)  # back to the array's order
        plain.append(scroll_stall(app, view, 1.5))
        view.table_view.sort_by(text)
        in_order.append(scroll_stall(app, view, 1.5))
    worst_sort = max(min(t for c, t in sorts if c == column) for column in (number, text))
    print(f"sort by views {min(t for c, t in sorts if c == number) * 1000:.0f} ms, by title "
          f"{min(t for c, t in sorts if c == text) * 1000:.0f} ms")
    stall_fresh, stall_plain, stall_sorted = min(fresh), min(plain), min(in_order)
    stall = max(stall_fresh, stall_plain, stall_sorted)
    print(f"longest stall while scrolling: {stall_fresh * 1000:.1f} ms just after the first paint, "
          f"{stall_plain * 1000:.1f} ms in array order, {stall_sorted * 1000:.1f} ms sorted")
    view.clear()

    results["first_rows_ratio"] = round(table / tree, 2)
    results["first_rows_after_parse_ratio"] = round(table_own / tree_own, 2)
    results["sort_ms"] = round(worst_sort * 1000, 1)
    results["scroll_stall_ms"] = round(stall * 1000, 1)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
