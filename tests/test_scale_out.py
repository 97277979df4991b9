"""Fan-out through one executor interface: local processes and a Dask cluster give the same results."""

import pytest
from click.testing import CliRunner

from quotetrack import api, executors, store
from quotetrack.claims import statement_texts, text_key
from quotetrack.cli import cli
from quotetrack.errors import ExtractorMismatch, QuotetrackError
from quotetrack.extract import ExtractorSpec, extract_articles, extract_batch
from quotetrack.types import Article

from conftest import ROOT

SEEDS = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
TEXTS = [
    'The bridge will reopen in May. "We have the money now," Mayor Ana Lopez said on Tuesday.',
    'Critics were not convinced. "This is a promise we heard before," said Tom Hale, a council member.',
    "Nobody said anything of note here.",
    'Lopez added that the work "will take four months."',
]


@pytest.fixture(scope="module")
def cluster():
    """A local Dask cluster of two worker processes on the loopback interface."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local.scheduler_address


def articles():
    return [Article(id=f"a{i}", text=text, language="en", path=f"a{i}.txt") for i, text in enumerate(TEXTS)]


def records(results):
    return [(r.article.id, [q.to_dict() for q in r.quotes], [p.code for p in r.problems]) for r in results]


def test_dask_workers_give_the_local_results_in_order(cluster):
    local = records(extract_articles(articles(), batch_size=2))
    remote = records(extract_articles(articles(), batch_size=2, scheduler=cluster))
    assert remote == local
    assert [a for a, _, _ in remote] == ["a0", "a1", "a2", "a3"] and len(local[0][1]) == 1


def test_build_through_dask_writes_the_local_database(cluster, tmp_path, monkeypatch, shared_dir):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--db", "dask.db", "--scheduler", cluster])
    assert result.exit_code == 0, result.output
    api.build([SEEDS], db_path=tmp_path / "local.db", workers=2)

    def rows(name):
        db = store.open_db(tmp_path / name)
        quotes = [dict(r.items()) for r in db["quotes"].rows_where(order_by="id")]
        speakers = list(db["speakers"].rows_where(order_by="id"))
        return quotes, speakers, db["articles"].count

    dask_rows, local_rows = rows("dask.db"), rows("local.db")
    assert dask_rows == local_rows and dask_rows[2] == len(SEEDS.read_text().splitlines()) and len(dask_rows[0]) > 30


def test_statements_are_encoded_where_extracted_and_alike_with_any_number_of_workers(tmp_path):
    api.build([SEEDS], db_path=tmp_path / "one.db")
    api.build([SEEDS], db_path=tmp_path / "two.db", workers=2, batch_size=4)

    def built(name):
        db = store.open_db(tmp_path / name)
        claims = db.execute("select id, block, quote_count, first_quote_id from claim_groups order by id").fetchall()
        vectors = dict(db.execute("select key, vector from claim_vectors").fetchall())
        texts = db.execute("select content || coalesce(' ' || content_2, '') from quotes").fetchall()
        return claims, vectors, {text_key(t) for (content,) in texts for t in statement_texts(content)}

    (one_claims, one_vectors, needed), (two_claims, two_vectors, _) = built("one.db"), built("two.db")
    assert two_claims == one_claims and len(one_claims) > 30
    assert needed <= set(one_vectors)  # every statement and its sentences, encoded at extraction
    assert two_vectors == one_vectors  # to the last bit: one encoder call per article, however batched


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(QuotetrackError, match=r"Cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        list(extract_articles(articles(), scheduler="tcp://127.0.0.1:9"))


def test_a_worker_with_another_extractor_refuses_the_batch():
    with pytest.raises(ExtractorMismatch, match="differs from the caller's"):
        extract_batch(ExtractorSpec(None, True, "0123456789abcdef"), articles())


def test_a_lost_worker_fails_its_batch_only(monkeypatch):
    def flaky(spec, batch):
        if any(a.id == "a2" for a in batch):
            raise RuntimeError("worker lost")
        return extract_batch(spec, batch)

    monkeypatch.setattr("quotetrack.extract.extract_batch", flaky)
    results = list(extract_articles(articles(), batch_size=2))
    assert [r.article.id for r in results] == ["a0", "a1", "a2", "a3"]
    assert [[p.code for p in r.problems] for r in results] == [[], [], ["QT200"], ["QT200"]]
    assert "worker lost" in results[2].problems[0].message and len(results[0].quotes) == 1


def times(factor, batch):
    if 3 in batch:
        raise ValueError("three")
    return [factor * b for b in batch]


def test_inline_and_process_executors_keep_input_order():
    batches = [[i] for i in range(7)]
    for executor in (executors.InlineExecutor(), executors.ProcessExecutor(2)):
        outcomes = list(executor.map(times, 10, iter(batches)))
        assert [o.results for o in outcomes] == [[0], [10], [20], None, [40], [50], [60]]
        assert [o.batch for o in outcomes] == batches and str(outcomes[3].error) == "three"
