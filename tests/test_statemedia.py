"""The state-media dimension and its trained head: graded, explained, calibrated, author-voice aware."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from rhetoric.analysis import Analyzer
from rhetoric.sourcing.dimension import SourcingDimension
from rhetoric.statemedia.dimension import StateMediaDimension
from rhetoric.statemedia.estimator import StateMediaEstimator
from rhetoric.statemedia.features import document_sentence_features, sentence_features
from rhetoric.statemedia.head import StateMediaHead

STATE = [
    "The respected leader inspected the heroic units and praised their great achievements in the sacred war.",
    "The people are filled with boundless pride in the glorious victory won under the wise leadership.",
    "The puppet clique and its imperialist masters will be crushed by the invincible might of the army.",
    "The delegation expressed full support for the just cause and vowed to strengthen the friendship.",
]
NEUTRAL = [
    "The city council voted on Tuesday to delay the budget, a spokeswoman said.",
    "Shares fell 2 percent in early trading, according to figures released by the exchange.",
    "The senator told reporters she had not decided how she would vote on the bill.",
    "Police said two people were injured in the crash and taken to a local hospital.",
]
WIRE = ("MOSCOW, March 3 (Reuters) - Russia's central bank kept its key interest rate unchanged on Friday, "
        "saying inflation had slowed but risks remained, the bank said in a statement. Analysts polled by "
        "Reuters had expected the decision. Separately, China's commerce ministry said exports rose 3 percent "
        "in February from a year earlier, according to official data, slightly below economists' forecasts.")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _rows(analyzer: Analyzer, texts: list[str]) -> list:  # type: ignore[type-arg]
    out = []
    for t in texts:
        a = analyzer.analyze(t)
        out.extend(r for r in document_sentence_features(a, SourcingDimension().apply(a)) if r)
    return out


@pytest.fixture(scope="module")
def toy_head(analyzer: Analyzer) -> StateMediaHead:
    rows, y, g = [], [], []
    for k in range(6):  # six "documents" per class, each one sentence of the lists above, reworded a little
        for label, texts in ((1, STATE), (0, NEUTRAL)):
            for i, t in enumerate(texts):
                r = _rows(analyzer, [t.replace("The ", "A " if k % 2 else "The ", 1)])
                rows.extend(r)
                y.extend([label] * len(r))
                g.extend([f"{label}-{k}-{i}"] * len(r))
    return StateMediaEstimator(bits=14, C=1.0, n_splits=3).fit(rows, y, groups=g, lexicon=np.zeros(len(y)))


def test_features_mask_names_places_and_numbers() -> None:
    text = "Yesterday Putin told Xinhua that China and russia grew 5 percent."
    words = text.lower().replace(".", " .").split()
    starts, ends, pos = [], [], 0
    for w in text.replace(".", " .").split():
        pos = text.index(w, pos); starts.append(pos); ends.append(pos + len(w)); pos += len(w)
    f = sentence_features(text, words, starts, ends, 0, len(words))
    assert "putin" not in f and "xinhua" not in f and "china" not in f and "russia" not in f
    assert f["<cap>"] == 5 and f["<num>"] == 1 and f["told <cap>"] == 1 and f["and <cap>"] == 1
    raw = sentence_features(text, words, starts, ends, 0, len(words), mask_names=False)
    assert raw["putin"] == 1 and raw["china"] == 1


def _reference_entries(a, ev, mask: bool, skip: set, quoted) -> tuple[list[int], list[int], list[str]]:
    """The scoring features spelt out one string per occurrence (the rules of ``document_entries``)."""
    from rhetoric.statemedia.features import FUNCTION_WORDS, _key, _outside
    from rhetoric.text.boilerplate import in_boilerplate
    seg, text = a.seg, a.text
    first = {i for i, j in seg.sentence_tokens if i < j}
    keys = [_key(w, text[s], k in first and w in FUNCTION_WORDS, mask)
            for k, (w, s) in enumerate(zip(seg.words, seg.starts))]
    ranges = [(b[0], b[1]) for b in a.boilerplate] + [(q.start, q.end) for q in quoted]
    out = _outside(a, ranges) if ranges else np.ones(len(keys), dtype=bool)
    qt = tuple(sorted((q.start, q.end, "") for q in quoted))
    extra = [[] for _ in seg.sentences]
    for m in a.matches:
        if m.entry.category == "state_media" and not (qt and in_boilerplate(qt, m.start, m.end)):
            extra[seg.sentence_of(m.start)].append(f"lex:{m.entry.label}")
    cited = set()
    for x in ev.attributions:
        extra[x.sentence].append(f"attr:{x.kind}")
        cited.add(x.sentence)
    sentences, rows, names = [], [], []
    for k, (i, j) in enumerate(seg.sentence_tokens):
        if k in skip:
            continue
        kept = [keys[t] for t in range(i, j) if out[t]]
        padded = ["<s>", *kept, "</s>"]
        sn = [*kept, *(f"{x} {y}" for x, y in zip(padded, padded[1:])), *extra[k],
              *([] if k in cited else ["attr:none"])]
        rows += [len(sentences)] * len(sn)
        sentences.append(k)
        names += sn
    return sentences, rows, names


@pytest.mark.parametrize("few_bigrams", [-1, 10**9])
def test_scoring_entries_are_the_documented_names_and_hashes(analyzer: Analyzer, seed_000: str, few_bigrams: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Names are spelt only when read and hashed without strings: both agree with the plain rules, with
    boilerplate, quoted ranges (author voice), sentence-initial function words and \"us\" masked as a place;
    bigram hashes from the parts' (``few_bigrams=-1``) or from the spelt names."""
    from rhetoric.statemedia import features as features_module
    monkeypatch.setattr(features_module, "_FEW_BIGRAMS", few_bigrams)
    from rhetoric.learn.features import DocumentFeatures
    from rhetoric.learn.hashing import text_hash
    from rhetoric.statemedia.features import columns, document_entries
    from rhetoric.text.boilerplate import boilerplate_sentences
    texts = [seed_000, WIRE, "Us and The us said. The RT report and \u201cXinhua\u201d said 12 \u00c9 ǅx ϒ.\n\n"
             "Share this story!\nAll rights reserved.", "x"]
    for text in texts:
        a = analyzer.analyze(text)
        ev = SourcingDimension().apply(a)
        skip = boilerplate_sentences(a)
        for mask in (True, False):
            for quoted in ((), ev.quoted):
                for features in (None, DocumentFeatures(a)):
                    sentences, row, names = document_entries(a, ev, mask_names=mask, skip_sentences=skip,
                                                             quoted=quoted, features=features)
                    ref = _reference_entries(a, ev, mask, skip, quoted)
                    assert (sentences, row.tolist(), names[:]) == ref
                    assert names.hashes.tolist() == [text_hash(n) for n in ref[2]]
                    assert columns(names, 12).tolist() == columns(ref[2], 12).tolist()
    a = analyzer.analyze("Us and the us said. The Xinhua report, 12 pages.")
    names = document_entries(a, SourcingDimension().apply(a))[2]
    assert names[:6] == ["<cap>", "and", "the", "<cap>", "said", "."]      # "us" is a place, also opening
    assert names[14:21] == ["the", "<cap>", "report", ",", "<num>", "pages", "."] and names[7] == "<cap> and"


def test_head_is_calibrated_estimator_and_round_trips(toy_head: StateMediaHead, analyzer: Analyzer) -> None:
    assert clone(toy_head).get_params() == toy_head.get_params()
    X = _rows(analyzer, ["The heroic army won a glorious victory under the wise leadership of the respected leader.",
                         "The council said the vote was delayed until Tuesday, a spokesman told reporters."])
    p = toy_head.predict_proba(X)
    assert p.shape == (2, 2) and np.allclose(p.sum(axis=1), 1) and p[0, 1] > 0.5 > p[1, 1]
    meta, arrays = toy_head.to_parts()
    again = StateMediaHead.from_parts(meta, arrays)
    assert type(again) is StateMediaHead and again.get_params() == toy_head.get_params()
    assert np.allclose(again.predict_proba(X), p) and again.threshold_ == toy_head.threshold_
    assert arrays["weights"].dtype == np.float16 and arrays["support"].dtype == np.int32


def test_scoring_path_matches_training_path(toy_head: StateMediaHead, analyzer: Analyzer, seed_000: str) -> None:
    from rhetoric.statemedia.features import document_entries
    a = analyzer.analyze(seed_000)
    ev = SourcingDimension().apply(a)
    rows = [r for r in document_sentence_features(a, ev) if r]
    sentences, row, names = document_entries(a, ev)
    z, _, top = toy_head.score_entries(len(sentences), row, names, 0.0)
    assert len(sentences) == len(rows) and np.allclose(z, toy_head.decision_function(rows))
    assert top == toy_head.contributions(rows)


def test_dimension_with_head_is_graded_and_explained(toy_head: StateMediaHead, analyzer: Analyzer) -> None:
    text = " ".join(STATE[:2]) + "\n\nShare this story!\nAll rights reserved."
    a = analyzer.analyze(text)
    src = SourcingDimension().apply(a)
    ev = StateMediaDimension(toy_head).apply(a, None, src)
    probs, flags = ev.sentence_fields["state_media"], ev.sentence_fields["boilerplate"]
    assert len(probs) == len(flags) == len(a.sentences)
    assert all((p is None) == f for p, f in zip(probs, flags)) and any(flags)  # furniture gets no probability
    assert 0.0 < ev.scores["state_media"] < 1.0 and ev.scores["state_media"] > 0.5
    info = ev.meta["state_media"]
    assert info["top_features"] and all(v > 0 for _, v in info["top_features"])
    assert info["top_sentences"] and not any(flags[k] for k in info["top_sentences"])
    neutral = analyzer.analyze(" ".join(NEUTRAL))
    low = StateMediaDimension(toy_head).apply(neutral, None, SourcingDimension().apply(neutral))
    assert 0.0 < low.scores["state_media"] < ev.scores["state_media"]


def test_quoted_state_media_counts_in_state_media_not_in_author_voice(analyzer: Analyzer) -> None:
    text = ('A spokesman said the talks had ended. "This sacred mission will deal a crushing blow to the '
            'puppet regime," the statement from Pyongyang said, according to the agency.')
    a = analyzer.analyze(text)
    ev = StateMediaDimension().apply(a, None, SourcingDimension().apply(a))
    assert ev.scores["state_media"] > 0 and ev.scores["state_media_author"] == 0


def test_without_head_boilerplate_spans_and_field(analyzer: Analyzer, seed_000: str) -> None:
    a = analyzer.analyze(seed_000)
    ev = StateMediaDimension().apply(a)
    bp = [s for s in ev.spans if s.category == "boilerplate"]
    assert [(s.start, s.end, s.label) for s in bp] == list(a.boilerplate)
    assert "state_media" not in ev.sentence_fields and sum(ev.sentence_fields["boilerplate"]) >= 5


# -- the shipped head ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped() -> StateMediaHead:
    from rhetoric.learn.modelfile import load_bundle
    head = load_bundle().get("state_media")
    if head is None:
        pytest.skip("the shipped model has no state_media head")
    return head


def _score(head: StateMediaHead, analyzer: Analyzer, text: str) -> float:
    a = analyzer.analyze(text)
    return StateMediaDimension(head).apply(a, None, SourcingDimension().apply(a)).scores["state_media"]


NEUTRAL_WIRES = {
    "diplomacy": "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi in Beijing on Tuesday, "
                 "the two ministries said, as both countries seek to deepen ties amid tensions with the West. The "
                 "talks covered trade, energy and the war in Ukraine, according to a Russian statement. Western "
                 "officials have said they are watching the relationship closely. Neither side gave details of any "
                 "new agreements, and a planned news conference was cancelled.",
    "protest": "Police in Moscow detained more than 200 people at protests on Sunday, a monitoring group said, as "
               "demonstrators gathered in several cities despite a ban. The Interior Ministry said the rallies were "
               "unauthorised. Witnesses told reporters that officers used batons to disperse crowds near the "
               "Kremlin. The Kremlin declined to comment on the detentions.",
    "lockdown": "Shanghai reported 3,000 new local COVID-19 cases on Wednesday, health officials said, as the city "
                "extended a lockdown that has confined millions of residents to their homes. Residents have "
                "complained about shortages of food and medicine, and some posted videos online of arguments with "
                "local officials. The city government said supplies were improving.",
}


def test_shipped_head_orders_seeds(shipped: StateMediaHead, analyzer: Analyzer, seed_000: str, seed_004: str) -> None:
    assert _score(shipped, analyzer, seed_000) > _score(shipped, analyzer, seed_004)


@pytest.mark.parametrize("story", sorted(NEUTRAL_WIRES))
def test_neutral_wire_story_about_russia_or_china_is_not_state_media(shipped: StateMediaHead, analyzer: Analyzer,
                                                                     story: str) -> None:
    assert _score(shipped, analyzer, NEUTRAL_WIRES[story]) < shipped.threshold_


@pytest.mark.xfail(strict=True, reason="known miss: economy/ministry words are frequent in the Chinese state-media "
                                       "headlines and rare in PolNeAR's election coverage (scores 0.68 > 0.37)")
def test_neutral_economy_wire_is_not_state_media(shipped: StateMediaHead, analyzer: Analyzer) -> None:
    assert _score(shipped, analyzer, WIRE) < shipped.threshold_


def test_shipped_head_on_rt_and_us_articles(shipped: StateMediaHead, analyzer: Analyzer, shared_data) -> None:  # type: ignore[no-untyped-def]
    from conftest import require_corpus

    from rhetoric.data.datasets import load_polnear, load_rt_sample
    require_corpus(shared_data, "rt-english-sample")
    rt = [_score(shipped, analyzer, a.text) for a in list(load_rt_sample(shared_data))[:60]]
    us = [_score(shipped, analyzer, a.text) for a in list(load_polnear("dev", shared_data))[:60]]
    assert sum(s == 0.0 for s in rt) == 0 and len(set(np.round(rt, 3))) > 30  # graded, no mass of zeros
    from sklearn.metrics import roc_auc_score
    assert roc_auc_score([1] * len(rt) + [0] * len(us), rt + us) > 0.9
    assert _score(shipped, analyzer, WIRE) < np.median(rt)
