"""The similarity engine (pure): tokeniser, ranking, threshold, studios, quality floor."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.similar import engine_bm25, evaluate, load
from bot.people.similar import Doc, search, similar_to, stem, studio_key, tokenize

ROTO = Doc(1, "SAM 2 for rotoscoping hair and fur",
           "We used SAM 2 to propagate roto masks on hair and fur shots, artists fixed edges.",
           "Saved a third of roto time; motion blur failed.", "content_creation", "Northlight",
           "u1")
ROTO_OTHER = Doc(2, "Promptable segmentation as a first pass for rotoscoping",
                 "Segmentation masks from clicks as a first pass for the roto artists on plates.",
                 "Half of the mattes accepted; thin hair edges jittered.", "content_creation",
                 "Kestrel", "u2")
ROTO_SAME = Doc(3, "Roto masks for hair with SAM2 in Nuke",
                "A Nuke gizmo running SAM2 to make roto masks for hair and fur, fixed by artists.",
                "Hair masks good on clean plates; motion blur failed.", "content_creation",
                "Northlight", "u3")
RAG = Doc(4, "RAG over the pipeline wiki",
          "Retrieval-augmented generation answering TD support questions from Confluence pages.",
          "60 percent answered with citations.", "llm_pipeline", "Quarry Lane", "u4")
GPU = Doc(5, "Sharing GPUs between the render farm and ML training",
          "Farm scheduler shares GPU nodes with preemption and checkpointing.",
          "Utilisation rose; CUDA driver conflicts.", "infrastructure", "Foxglove", "u5")


def test_tokenize_lowercases_drops_stop_words_and_numbers() -> None:
    tokens = tokenize("We tried THE model on 40 Shots in 2024")
    assert "we" not in tokens and "the" not in tokens and "40" not in tokens
    assert "2024" not in tokens
    assert "shot" in tokens


def test_tokenize_keeps_domain_tokens_and_acronyms() -> None:
    tokens = tokenize("SAM2, GPUs, RAG, LLMs, NeRF, Llama3, H100 and 4K plates")
    for token in ("sam2", "sam", "gpu", "rag", "llm", "nerf", "llama3", "llama", "h100", "4k"):
        assert token in tokens, token
    assert "sam" in tokenize("SAM 2")  # the spaced form meets "SAM2" on "sam"
    assert {"gpt4", "gpt"} <= set(tokenize("GPT-4"))


def test_tokenize_hyphenated_compounds_and_phrases_meet_their_spellings() -> None:
    assert "lipsync" in tokenize("lip-sync") and "lipsync" in tokenize("lip sync")
    assert "lipsync" in tokenize("Lipsync")
    assert "mocap" in tokenize("motion capture") and "mocap" in tokenize("mo-cap")
    assert "rag" in tokenize("retrieval-augmented generation")
    assert "rag" in tokenize("Retrieval Augmented Generation")
    assert "onprem" in tokenize("on-prem") and "onprem" in tokenize("on premises")
    assert "llm" in tokenize("large language models")
    assert {"gpuhour", "gpu", "hour"} <= set(tokenize("gpu-hours"))


def test_stemming_brings_word_families_together() -> None:
    for family in (("render", "renders", "rendering", "renderer"),
                   ("tag", "tags", "tagging", "tagged"),
                   ("schedule", "scheduling", "scheduler"),
                   ("animation", "animators", "animate"),
                   ("summary", "summaries", "summarisation", "summarization")):
        stems = {tokenize(w)[0] for w in family}
        assert len(stems) == 1, (family, stems)
    assert stem("process") == "process" and stem("analysis") == "analysis"
    assert tokenize("rotoscoping") == tokenize("roto")


def test_tokenize_survives_hostile_and_odd_text() -> None:
    assert tokenize("") == [] and tokenize("   \n\t") == []
    assert tokenize("<!channel> &amp; <@U123|x> — … “quotes” ___ ---") is not None
    assert tokenize("naïve café façade") == ["naïv", "café", "façad"]
    assert "\x00" not in "".join(tokenize("nul\x00byte"))
    assert len(tokenize("word " * 10_000)) == 10_000


def test_similar_ranks_close_work_and_never_the_target_itself() -> None:
    corpus = [ROTO, ROTO_OTHER, RAG, GPU]
    matches = similar_to(ROTO, corpus)
    assert [m.doc.id for m in matches] == [2]
    assert all(m.doc.id != ROTO.id for m in matches)
    assert matches[0].score > 0 and "roto" in matches[0].shared


def test_unrelated_talks_are_not_suggested() -> None:
    assert similar_to(RAG, [ROTO, ROTO_OTHER, GPU]) == []
    assert similar_to(GPU, [ROTO, RAG]) == []
    # "GPU" is shared by GPU and a GPU-inference RAG talk, weakly: filtered by the threshold.
    rag_gpu = Doc(6, RAG.title, RAG.abstract + " It runs on our own GPUs.", RAG.results,
                  "llm_pipeline", "Quarry Lane", "u6")
    assert similar_to(GPU, [rag_gpu]) == []
    assert [m.doc.id for m in similar_to(GPU, [rag_gpu], threshold=0.0)] == [6]
    empty = Doc(9, "", "", "", "", "", "")
    assert similar_to(empty, [ROTO, RAG]) == []


def test_other_studios_come_first_unless_same_studio_is_much_stronger() -> None:
    corpus = [ROTO, ROTO_OTHER, ROTO_SAME]
    matches = similar_to(ROTO, corpus, threshold=0.0, relative_cut=0.0)
    by_id = {m.doc.id: m for m in matches}
    assert by_id[3].same_studio and not by_id[2].same_studio
    raw_same, raw_other = by_id[3].score, by_id[2].score
    order = [m.doc.id for m in matches]
    if raw_same < 2 * raw_other:
        assert order.index(2) < order.index(3)
    else:
        assert order.index(3) < order.index(2)
    # A much stronger same-studio match (a near duplicate) still comes first.
    twin = Doc(7, ROTO.title, ROTO.abstract, ROTO.results, ROTO.focus_area, "northlight ltd",
               "u7")
    weak_other = Doc(8, "Hair grooming for creatures", "Hair grooming tools.", "", "other",
                     "Elsewhere", "u8")
    first = similar_to(ROTO, [twin, weak_other], threshold=0.0, relative_cut=0.0)
    assert first[0].doc.id == 7 and first[0].same_studio


def test_same_speaker_counts_as_same_studio_and_studio_names_normalise() -> None:
    mine = Doc(10, ROTO_OTHER.title, ROTO_OTHER.abstract, ROTO_OTHER.results,
               "content_creation", "Another Studio", "u1")
    matches = similar_to(ROTO, [mine], threshold=0.0)
    assert matches[0].same_studio
    assert studio_key("Double Negative Ltd.") == studio_key("double  negative")
    assert studio_key("") == ""


def test_k_limits_and_deterministic_order() -> None:
    docs = [Doc(100 + i, f"Roto masks for hair, take {i}", ROTO.abstract, "", "content_creation",
                f"Studio {i}", f"s{i}") for i in range(8)]
    matches = similar_to(ROTO, docs, k=3, threshold=0.0, relative_cut=0.0)
    assert len(matches) == 3
    assert [m.doc.id for m in matches] == [m.doc.id for m in similar_to(
        ROTO, list(reversed(docs)), k=3, threshold=0.0, relative_cut=0.0)]
    assert similar_to(ROTO, docs, k=0) == []


def test_search_finds_topics_and_needs_enough_of_the_topic() -> None:
    corpus = [ROTO, ROTO_OTHER, RAG, GPU]
    assert {h.doc.id for h in search("rotoscoping", corpus)} == {1, 2}
    assert [h.doc.id for h in search("RAG pipeline docs", corpus)][:1] == [4]
    assert [h.doc.id for h in search("GPU scheduling", corpus)] == [5]
    assert search("the and of", corpus) == []
    assert search("underwater basket weaving", corpus) == []
    assert search("roto", []) == []


def test_precision_at_3_on_the_evaluation_set_stays_above_the_measured_floor() -> None:
    # Measured 0.753 precision@3 (recall@3 0.758, MRR 0.896) when written: see bench/README.md.
    docs, truth = load()
    assert len(docs) >= 60
    assert all(1 <= len(v) <= 3 for v in truth.values())
    assert all(k in truth[v] for k, vs in truth.items() for v in vs)  # labels are symmetric
    quality = evaluate(docs, truth, engine_bm25)
    assert quality.precision_at_3 >= 0.70
    assert quality.recall_at_3 >= 0.70
    assert quality.mrr >= 0.85


def test_twin_talks_are_paired_even_in_a_tiny_corpus() -> None:
    # The first weeks: two submissions only. Shared words must still count.
    assert [m.doc.id for m in similar_to(ROTO_OTHER, [ROTO, ROTO_OTHER])] == [1]
    assert similar_to(RAG, [ROTO, RAG]) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokenize_never_raises_and_gives_clean_tokens(text: str) -> None:
    tokens = tokenize(text)
    assert all(t and not any(c.isspace() for c in t) for t in tokens)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1), st.text())
def test_similar_to_never_raises_on_arbitrary_text(title: str, abstract: str) -> None:
    target = Doc(1, title, abstract)
    for match in similar_to(target, [target, ROTO, RAG, Doc(2, abstract, title)]):
        assert match.doc.id != 1
    search(title, [ROTO, RAG, target])
