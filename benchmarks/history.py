"""Benchmark of the request history with 100,000 recorded Discourse responses; prints ratios and times.

Run: .venv/bin/python benchmarks/history.py [--entries N] [--runs N] [--home DIR]

Figures:
1. startup_ratio_100k: start-up to the painted window (benchmarks/startup.py's measurement, fresh offscreen
   processes alternating) with a home holding the 100k-entry history, divided by the same with an empty
   home, medians of both measured in this run.
2. search_ms: a free-text search over the bodies returning its first page (50 entries), median over
   several different words (common ones that match most entries, rarer ones, one that matches nothing).
3. record_ms: what HistoryRecorder.after_send costs the sender's (UI) thread, median of 300 sends while
   the writer thread writes them into the 100k history.
4. db_mb: the database file (with its write-ahead log checkpointed) in MiB, against the 500 MiB budget.
5. deep_page_ratio: the last page of the whole list (100 entries, 99,900 deep) read by key (`before=`),
   divided by the first page; offset_page_ratio: the same page read by position (LIMIT/OFFSET, as the
   list was read before), divided by the first page.
6. stem_ratio: a search for a word that begins hundreds of index words (a user-name stem, `alice`)
   expanded to those words, divided by the same search as an FTS5 prefix query (how it ran before, and
   still does beyond the expansion limit); typed_ratio: the same for typing `ali`, `alic`, `alice` in
   turn (the expansion read once and narrowed). stem_ms: the expanded search in milliseconds.
7. prune_ratio: a prune with nothing to drop (running totals) divided by summing every entry's stored
   size (what each prune did before).

The history is generated through the store's own code path (redaction, compression, index) in
transactions of 1,000 entries: topic lists of 20-30 topics, 5-20 KB of JSON each, drawn from a pool of
titles, users and categories so that they compress like real ones. `--home DIR` keeps the generated home
for another run (it is reused when it already holds the history). The last line printed is one JSON
object: {"startup_ratio_100k": ..., "search_ms": ..., "record_ms": ..., "db_mb": ..., "deep_page_ratio": ...,
"offset_page_ratio": ..., "stem_ratio": ..., "typed_ratio": ..., "stem_ms": ..., "prune_ratio": ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.core.history import HistoryFilter, HistoryRecorder, HistoryStore  # noqa: E402
from explorer.core.http.result import ExecutionResult  # noqa: E402
from explorer.core.lifecycle import Exchange, RequestSpec  # noqa: E402
from explorer.core.paths import AppPaths  # noqa: E402
from explorer.core.prepared import PreparedRequest  # noqa: E402

STARTUP = ROOT / "benchmarks" / "startup.py"
BATCH = 1000
ADMIN_KEY = "d0c5a11a" + "0" * 56
NOUNS = (  # noqa: SIM905 - a sentence of words reads better than a column of them
    "plugin theme category badge webhook backup upgrade migration invite group moderator sidebar "
    "notification digest email login sso oauth api key rate limit search tag poll chat emoji upload "
    "avatar profile bookmark draft reply quote flag review queue spam akismet cdn s3 redis sidekiq "
    "postgres docker container nginx certificate domain subfolder translation locale timezone"
).split()
VERBS = "broken missing slow failing ignored duplicated stuck hidden reset changed renamed lost".split()  # noqa: SIM905
WORDS = "how to after when with without on in for the a my our new old".split()  # noqa: SIM905


def _titles(rng: random.Random, count: int) -> list[str]:
    return [
        f"{rng.choice(NOUNS).capitalize()} {rng.choice(VERBS)} {rng.choice(WORDS)} {rng.choice(NOUNS)} "
        f"{rng.choice(WORDS)} {rng.choice(NOUNS)} {rng.randint(2, 3999)}"
        for _ in range(count)
    ]


def _topic(rng: random.Random, topic_id: int, title: str, users: list[str]) -> dict[str, object]:
    posters = rng.sample(range(len(users)), 2)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(1_600_000_000 + rng.randint(0, 10**8)))
    return {
        "id": topic_id,
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "posts_count": rng.randint(1, 400),
        "reply_count": rng.randint(0, 300),
        "created_at": stamp,
        "archetype": "regular",
        "pinned": rng.random() < 0.05,
        "closed": rng.random() < 0.1,
        "tags": rng.sample(NOUNS, rng.randint(0, 3)),
        "views": rng.randint(10, 90_000),
        "like_count": rng.randint(0, 900),
        "last_poster_username": users[posters[0]],
        "category_id": rng.randint(1, 40),
        "posters": [
            {"extras": "latest" if n == 0 else None, "description": "Original Poster", "user_id": p + 1}
            for n, p in enumerate(posters)
        ],
    }


class Generator:
    """Topic-list responses like /latest.json's, 5-20 KB each, put together from pools of serialised
    topics and users (generating each one from scratch would take longer than recording it)."""

    def __init__(self, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        names = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
        users = [f"{self.rng.choice(names)}{n}" for n in range(3000)]
        self.users = [
            json.dumps(
                {
                    "id": n + 1,
                    "username": u,
                    "name": u.capitalize(),
                    "avatar_template": f"/user_avatar/forum.example.org/{u}/{{size}}/{n + 1}_2.png",
                },
                separators=(",", ":"),
            )
            for n, u in enumerate(users)
        ]
        self.topics = [
            json.dumps(_topic(self.rng, 1000 + n, title, users), separators=(",", ":"))
            for n, title in enumerate(_titles(self.rng, 20_000))
        ]

    def body(self) -> bytes:
        rng = self.rng
        topics = ",".join(rng.sample(self.topics, rng.randint(20, 30)))
        users = ",".join(rng.sample(self.users, rng.randint(5, 15)))
        return (
            f'{{"users":[{users}],"primary_groups":[],"topic_list":{{"can_create_topic":true,'
            f'"more_topics_url":"/latest?page={rng.randint(1, 99)}","per_page":30,"topics":[{topics}]}}}}'
        ).encode()

    def exchange(self, started_at: float) -> Exchange:
        body = self.body()
        page = self.rng.randint(0, 50)
        request = PreparedRequest(
            "GET",
            "https://forum.example.org/latest.json",
            query=(("page", str(page)),),
            headers=(("Api-Key", ADMIN_KEY), ("Api-Username", "system"), ("Accept", "application/json")),
            api="discourse",
            method_id="listLatestTopics",
        )
        result = ExecutionResult(
            request,
            status=200,
            reason="OK",
            http_version="HTTP/1.1",
            headers=(
                ("content-type", "application/json; charset=utf-8"),
                ("x-discourse-route", "list/latest"),
                ("cache-control", "no-cache, no-store"),
                ("x-request-id", f"{self.rng.getrandbits(64):016x}"),
            ),
            body=body,
            size=len(body),
            wire_size=len(body) // 5,
            elapsed_s=self.rng.uniform(0.05, 0.9),
            final_url=request.full_url(),
            final_method="GET",
        )
        spec = RequestSpec(
            api="discourse", method_id="listLatestTopics", arguments={"page": str(page)}, profile="Forum"
        )
        return Exchange(request, result, spec, started_at=started_at)


def generate(path: Path, entries: int) -> float:
    """Fill the history at `path` with `entries` responses; seconds taken."""
    generator = Generator()
    store = HistoryStore(path)
    begin = time.perf_counter()
    start_time = time.time() - entries * 60.0  # one a minute, up to now
    for first in range(0, entries, BATCH):
        count = min(BATCH, entries - first)
        store.record_many((generator.exchange(start_time + (first + n) * 60.0), None) for n in range(count))
        if (first // BATCH) % 10 == 9:
            print(f"  {first + count:,} entries, {time.perf_counter() - begin:.0f} s", flush=True)
    store.close()
    return time.perf_counter() - begin


def database_mb(path: Path) -> float:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    wal = path.with_name(path.name + "-wal")
    return (path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)) / 2**20


def startup_times(homes: dict[str, Path], runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """(painted, ready) seconds of fresh window processes per home, the homes taking turns."""
    from benchmarks.startup import _time_one

    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in homes}
    with tempfile.TemporaryDirectory() as cache:
        for index in range(runs + 1):
            for name, home in homes.items():
                os.environ["EXPLORER_HOME"] = str(home)
                painted, ready = _time_one([sys.executable, str(STARTUP), "--child", str(home)], cache)
                if index:  # the first round warms the file cache and makes each home's profiles
                    times[name][0].append(painted)
                    times[name][1].append(ready)
    os.environ.pop("EXPLORER_HOME", None)
    return times


SEARCH_WORDS = (
    "plugin",
    "webhook",
    "sidekiq",
    "broken",
    "alice",
    "certificate",
    "grace17",
    "timezone",
    "nosuchword",
)


def search_times(path: Path) -> dict[str, tuple[float, int]]:
    """Milliseconds to the first page (50 entries) of a search for each word, and how many it found."""
    store = HistoryStore(path)
    store.search(HistoryFilter(text="upgrade"))  # opens the connection and warms the page cache
    found: dict[str, tuple[float, int]] = {}
    for word in SEARCH_WORDS:
        begin = time.perf_counter()
        page = store.search(HistoryFilter(text=word), limit=50)
        found[word] = ((time.perf_counter() - begin) * 1000, len(page))
    store.close()
    return found


def _median_ms(action: Callable[[], object], runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        action()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def paging_times(path: Path) -> dict[str, float]:
    """Milliseconds for the first page, the last page by key, and the last page by position (OFFSET)."""
    from explorer.core.history.query import SUMMARY_COLUMNS

    store = HistoryStore(path)
    db = store._db()
    total = store.count()
    depth = max(total - 100, 0)
    edge = db.execute("SELECT id FROM entries ORDER BY id DESC LIMIT 1 OFFSET ?", (depth - 1,)).fetchone()
    before = int(edge[0]) if edge is not None and depth else None
    offset_sql = f"SELECT {SUMMARY_COLUMNS} FROM entries e ORDER BY e.id DESC LIMIT 100 OFFSET ?"
    found = {
        "first": _median_ms(lambda: store.search(limit=100)),
        "key": _median_ms(lambda: store.search(limit=100, before=before)),
        "offset": _median_ms(lambda: db.execute(offset_sql, (depth,)).fetchall()),
    }
    store.close()
    return found


def stem_times(path: Path, stem: str = "alice") -> dict[str, float]:
    """Milliseconds for a search of a user-name stem expanded and as a prefix query, fresh each time, and
    for typing it from its third letter on."""
    store = HistoryStore(path)
    store.search(HistoryFilter(text="upgrade"))
    expander = store._local.expand
    limit = expander.limit
    typed = [stem[:n] for n in range(3, len(stem) + 1)]

    def fresh(text: str) -> None:
        expander._lists.clear()  # as if typed afresh: the word list is read again
        store.search(HistoryFilter(text=text), limit=50)

    def typing() -> None:
        expander._lists.clear()
        for text in typed:
            store.search(HistoryFilter(text=text), limit=50)

    found = {"expanded": _median_ms(lambda: fresh(stem)), "typed_expanded": _median_ms(typing)}
    expander.limit = 0  # every word begins more than none: the prefix query, as before
    found["prefix"] = _median_ms(lambda: fresh(stem))
    found["typed_prefix"] = _median_ms(typing)
    expander.limit = limit
    expander._lists.clear()
    found["terms"] = len(expander(stem) or ())
    store.close()
    return found


def prune_times(path: Path) -> dict[str, float]:
    """Milliseconds for a prune that drops nothing and for summing every entry's stored size."""
    store = HistoryStore(path)
    store.prune()  # the first of an opening also checks the totals' count
    db = store._db()
    found = {
        "prune": _median_ms(store.prune),
        "sum": _median_ms(lambda: db.execute("SELECT total(stored_bytes) FROM entries").fetchone()),
    }
    store.close()
    return found


def record_times(path: Path, count: int = 300) -> list[float]:
    """Milliseconds each HistoryRecorder.after_send takes on the calling thread, the writer busy writing."""
    generator = Generator(seed=23)
    exchanges = [generator.exchange(time.time() + n) for n in range(count)]
    recorder = HistoryRecorder(lambda: HistoryStore(path))
    times = []
    for exchange in exchanges:
        begin = time.perf_counter()
        recorder.after_send(exchange)
        times.append((time.perf_counter() - begin) * 1000)
    if not recorder.flush(timeout=600):
        raise SystemExit("the recorder did not finish writing")
    recorder.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="start-up runs per home")
    parser.add_argument("--home", type=Path, help="keep (or reuse) the generated home here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        full = args.home or Path(scratch) / "full"
        empty = Path(scratch) / "empty"
        path = AppPaths.under(full).history_file
        if not path.exists():
            print(f"generating {args.entries:,} entries in {path} ...", flush=True)
            seconds = generate(path, args.entries)
            print(f"generated in {seconds:.0f} s ({args.entries / seconds:,.0f} entries/s)")
        db_mb = database_mb(path)
        print(f"database: {db_mb:.1f} MiB")

        searches = search_times(path)
        for word, (ms, hits) in searches.items():
            print(f"search {word!r}: {ms:.2f} ms, {hits} on the first page")
        search_ms = statistics.median(ms for ms, _ in searches.values())

        pages = paging_times(path)
        print(
            f"page of 100: first {pages['first']:.2f} ms; last by key {pages['key']:.2f} ms, "
            f"by OFFSET {pages['offset']:.2f} ms"
        )
        stems = stem_times(path)
        print(
            f"search 'alice' ({stems['terms']:.0f} index words): expanded {stems['expanded']:.1f} ms, "
            f"prefix query {stems['prefix']:.1f} ms; typing ali, alic, alice: {stems['typed_expanded']:.1f} "
            f"ms against {stems['typed_prefix']:.1f} ms"
        )
        prunes = prune_times(path)
        print(
            f"prune with nothing to drop: {prunes['prune']:.3f} ms; "
            f"summing every size: {prunes['sum']:.2f} ms"
        )

        records = record_times(path)
        record_ms = statistics.median(records)
        print(f"after_send: median {record_ms:.4f} ms, max {max(records):.3f} ms over {len(records)} sends")

        empty.mkdir()
        times = startup_times({"empty": empty, "full": full}, args.runs)
        for name, (painted, ready) in times.items():
            print(
                f"{name:>5} home: painted {', '.join(f'{t:.3f}' for t in painted)} s; "
                f"ready {', '.join(f'{t:.3f}' for t in ready)} s"
            )
        painted_ratio = statistics.median(times["full"][0]) / statistics.median(times["empty"][0])
        ready_ratio = statistics.median(times["full"][1]) / statistics.median(times["empty"][1])
        print(f"start-up with the history / without: painted {painted_ratio:.3f}, ready {ready_ratio:.3f}")
    figures = {
        "startup_ratio_100k": round(ready_ratio, 3),
        "search_ms": round(search_ms, 2),
        "record_ms": round(record_ms, 4),
        "db_mb": round(db_mb, 1),
        "deep_page_ratio": round(pages["key"] / pages["first"], 2),
        "offset_page_ratio": round(pages["offset"] / pages["first"], 2),
        "stem_ratio": round(stems["expanded"] / stems["prefix"], 2),
        "typed_ratio": round(stems["typed_expanded"] / stems["typed_prefix"], 2),
        "stem_ms": round(stems["expanded"], 1),
        "prune_ratio": round(prunes["prune"] / prunes["sum"], 4),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
