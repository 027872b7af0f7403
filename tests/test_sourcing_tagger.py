"""The attribution tagger: features, decoding, training, the model-file round trip, and relations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rhetoric.analysis import Analyzer
from rhetoric.data.datasets import AttributionRelation
from rhetoric.learn.hashing import mix64
from rhetoric.sourcing import features as F
from rhetoric.sourcing import tagger as T
from rhetoric.sourcing.training import gold_spans, gold_tags, predicted_spans, prepare, span_scores


def _brute(em, tr):
    best = max(itertools.product(range(em.shape[1]), repeat=len(em)),
               key=lambda p: sum(em[i, p[i]] for i in range(len(em))) + sum(tr[p[i], p[i + 1]]
                                                                          for i in range(len(em) - 1)))
    return list(best)


def test_viterbi_is_the_exact_best_path_of_every_sentence():
    rng = np.random.default_rng(0)
    for _ in range(40):
        lens = [int(x) for x in rng.integers(1, 5, size=rng.integers(1, 4))]
        em, tr = rng.normal(size=(sum(lens), 3)), rng.normal(size=(3, 3))
        expected, o = [], 0
        for n in lens:
            expected += _brute(em[o:o + n], tr)
            o += n
        assert T.viterbi(em, tr, lens).tolist() == expected


def test_viterbi_with_ties_empty_and_long_sentences_is_the_per_sentence_best_path():
    """Sentences of very different lengths (and empty ones) decode together as each alone would;
    integer scores make ties, which go to the lowest label as in a one-sentence argmax."""
    rng = np.random.default_rng(3)
    for _ in range(30):
        lens = [int(x) for x in rng.integers(0, 4, size=rng.integers(1, 6))] + [int(rng.integers(0, 40))]
        rng.shuffle(lens)
        em = rng.integers(0, 2, size=(sum(lens), 4)).astype(np.float32)
        tr = rng.integers(0, 2, size=(4, 4)).astype(np.float64)
        expected, o = [], 0
        for n in lens:
            if n:
                expected += T.viterbi(em[o:o + n], tr, [n]).tolist()
            o += n
        assert T.viterbi(em, tr, lens).tolist() == expected
        one = [_one_sentence(em[o:o + n], tr) for o, n in zip(np.cumsum([0] + lens[:-1]), lens) if n]
        assert expected == [t for path in one for t in path]


def _one_sentence(em, tr):
    """Textbook Viterbi of one sentence (first best label on ties), in Python."""
    score, back = list(em[0]), []
    for t in range(1, len(em)):
        cand = [[score[i] + tr[i, j] for i in range(len(score))] for j in range(len(score))]
        back.append([max(range(len(c)), key=c.__getitem__) for c in cand])
        score = [max(c) + em[t, j] for j, c in enumerate(cand)]
        score = [float(np.float32(x)) if t == len(em) - 1 else x for x in score]
    cur = max(range(len(score)), key=score.__getitem__)
    path = [cur]
    for b in reversed(back):
        cur = b[cur]
        path.append(cur)
    return path[::-1]


def test_document_runs_are_the_runs_of_every_sentence():
    rng = np.random.default_rng(4)
    for _ in range(50):
        lens = [int(x) for x in rng.integers(0, 9, size=rng.integers(1, 7))]
        gaps = rng.integers(0, 3, size=len(lens))
        ranges, pos = [], 0
        for n, g in zip(lens, gaps):
            pos += int(g)
            ranges.append((pos, pos + n))
            pos += n
        tags = rng.integers(0, len(T.LABELS), size=sum(lens))
        expected, o = [], 0
        for (i, _), n in zip(ranges, lens):
            expected += [(role, i + a, i + b) for role, a, b in T.spans_from_tags(tags[o:o + n].tolist())]
            o += n
        assert T.document_runs(tags, ranges) == expected


def test_spans_from_tags_reads_bio_runs():
    L = {name: i for i, name in enumerate(T.LABELS)}
    tags = [L["B-source"], L["I-source"], L["B-cue"], L["O"], L["I-content"], L["I-content"], L["B-content"]]
    assert T.spans_from_tags(tags) == [("source", 0, 2), ("cue", 2, 3), ("content", 4, 6), ("content", 6, 7)]


def test_feature_columns_are_the_documented_mix64_hashes():
    a = np.random.default_rng(1).integers(0, 2 ** 62, size=(20, F.N_COLUMNS)).astype(np.uint64)
    ref = np.stack([mix64(a[:, k], 0x1000 + k) & F._MASK for k in range(F.N_COLUMNS)], axis=1)
    assert (F._mix_rows(np.ascontiguousarray(a.T)).T == ref).all()


def _relation(text, source, cue, content):
    frags = []
    for role, part in (("Source", source), ("Cue", cue), ("Content", content)):
        s = text.index(part)
        frags.append((role, s, s + len(part)))
    return AttributionRelation(None, None, None, source, cue, content, fragments=tuple(frags))


NAMES = ["Smith", "Jones", "Officials", "The ministry", "Analysts", "Lavrov", "A senior aide", "Critics"]
VERBS = ["said", "argued", "insisted", "warned", "claimed", "noted"]
THINGS = ["the deal was off", "talks would resume", "the plan had failed", "prices were rising"]


def _corpus(n):
    rng = np.random.default_rng(2)
    docs = []
    for _ in range(n):
        parts, rels = [], []
        for _ in range(3):
            who, verb, what = NAMES[rng.integers(len(NAMES))], VERBS[rng.integers(len(VERBS))], \
                THINGS[rng.integers(len(THINGS))]
            parts.append(f"{who} {verb} {what}.")
        text = " The weather was mild. ".join(parts)
        pos = 0
        for p in parts:
            start = text.index(p, pos)
            who = next(w for w in NAMES if p.startswith(w))
            verb = p[len(who) + 1:].split()[0]
            frags = (("Source", start, start + len(who)), ("Cue", start + len(who) + 1, start + len(who) + 1 + len(verb)),
                     ("Content", start + len(who) + len(verb) + 2, start + len(p) - 1))
            rels.append(AttributionRelation(None, None, None, who, verb, fragments=frags))
            pos = start + len(p)
        docs.append((text, tuple(rels)))
    return docs


def test_gold_tags_round_trip_to_the_gold_spans():
    text, rels = _corpus(1)[0]
    doc = prepare(Analyzer(), text, rels)
    scores = span_scores([(predicted_spans(doc, doc.y), gold_spans(rels, text), text)], n_boot=20)
    assert all(scores[r]["exact_f1"] == 1.0 for r in T.ROLES)
    tags = gold_tags(doc.analysis, rels)
    assert T.LABELS[tags[0]] == "B-source"


@pytest.fixture(scope="module")
def small_tagger():
    pytest.importorskip("pycrfsuite")
    from rhetoric.sourcing.training import train_attribution
    return train_attribution(_corpus(40), c1=0.0, c2=0.01, max_iterations=60)


def test_a_tagger_trained_on_a_toy_corpus_finds_its_relations_and_survives_the_model_file(small_tagger):
    from rhetoric.sourcing.training import evaluate_attribution
    held_out = _corpus(45)[40:]
    scores = evaluate_attribution(small_tagger, held_out, n_boot=20)
    assert scores["cue"]["exact_f1"] > 0.95 and scores["source"]["exact_f1"] > 0.9, scores
    meta, arrays = small_tagger.to_parts()
    assert arrays["weights"].dtype == np.float16 and arrays["keys"].dtype == np.uint32
    again = T.AttributionTagger.from_parts(meta, arrays)
    doc = prepare(Analyzer(), held_out[0][0], held_out[0][1])
    assert (again.tag(doc.X, doc.lengths) == small_tagger.tag(doc.X, doc.lengths)).all()
    with pytest.raises(ValueError):
        T.AttributionTagger.from_parts({**meta, "bits": 12}, arrays)


def test_sourcing_dimension_with_the_head_gives_relations_with_exact_offsets(small_tagger):
    from rhetoric.sourcing.dimension import SourcingDimension
    text = "Analysts warned the plan had failed. The weather was mild. Lavrov said talks would resume."
    analysis = Analyzer().analyze(text)
    ev = SourcingDimension(small_tagger).apply(analysis)
    found = [(a.source.text, a.cue.text, a.content.text if a.content else None, a.kind) for a in ev.attributions]
    assert ("Analysts", "warned", "the plan had failed", "vague") in found
    assert ("Lavrov", "said", "talks would resume", "named") in found
    for a in ev.attributions:
        for sp in (a.cue, a.source, a.content):
            if sp is not None:
                assert text[sp.start:sp.end] == sp.text
    assert isinstance(ev.sourcing["n_attributions"], int) and ev.sourcing["n_distinct_sources"] == 2


class _FixedHead:
    """A head that tags given words: lets a test drive the decoder without training."""

    def __init__(self, analysis, roles):
        self.tags = np.zeros(len(analysis.seg.words), dtype=np.int64)
        index = {name: i for i, name in enumerate(T.LABELS)}
        for (role, start, end) in roles:
            i, j = analysis.seg.token_at(start), analysis.seg.token_at(end - 1) + 1
            self.tags[i] = index["B-" + role]
            self.tags[i + 1:j] = index["I-" + role]

    def tag(self, X, lengths):
        return self.tags[: len(X)]


def _roles(text, *parts):
    out, pos = [], 0
    for role, piece in parts:
        s = text.index(piece, pos)
        out.append((role, s, s + len(piece)))
        pos = s + len(piece)
    return out


def test_a_cue_inside_a_quotation_is_not_a_new_attribution():
    from rhetoric.sourcing.dimension import SourcingDimension
    text = '"Smith said the deal was off," Lavrov said.'
    analysis = Analyzer().analyze(text)
    head = _FixedHead(analysis, _roles(text, ("source", "Smith"), ("cue", "said"), ("content", "the deal was off"),
                                       ("source", "Lavrov"), ("cue", "said")))
    ev = SourcingDimension(head).apply(analysis)
    assert [(a.source.text, a.cue.start) for a in ev.attributions] == [("Lavrov", text.rindex("said"))]


def test_one_source_with_two_cues_and_a_cue_without_source():
    from rhetoric.sourcing.dimension import SourcingDimension
    text = "Two senior officials said the talks failed and warned of war. It was reportedly over."
    analysis = Analyzer().analyze(text)
    head = _FixedHead(analysis, _roles(text, ("source", "Two senior officials"), ("cue", "said"),
                                       ("content", "the talks failed"), ("cue", "warned"), ("content", "of war"),
                                       ("cue", "reportedly")))
    ev = SourcingDimension(head).apply(analysis)
    got = [(a.source.text if a.source else None, a.cue.text, a.content.text if a.content else None, a.kind)
           for a in ev.attributions]
    assert got == [("Two senior officials", "said", "the talks failed", "anonymous"),
                   ("Two senior officials", "warned", "of war", "anonymous"),
                   (None, "reportedly", None, "vague")]
    # one anonymous source cited twice
    assert ev.sourcing["n_anonymous"] == 2 and ev.sourcing["n_distinct_anonymous"] == 1


def test_rhetoric_train_task_attribution_on_a_brat_folder_writes_the_head(tmp_path, capsys):
    pytest.importorskip("pycrfsuite")
    from rhetoric.cli.main import main
    from rhetoric.learn.modelfile import load_bundle
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for k, (text, rels) in enumerate(_corpus(25)):
        (tmp_path / "text" / f"doc{k}.txt").write_text(text, encoding="utf-8")
        lines, n = [], 0
        for i, rel in enumerate(rels, start=1):
            refs = []
            for role, s, e in rel.fragments:
                n += 1
                lines.append(f"T{n}\t{role} {s} {e}\t{text[s:e]}")
                refs.append(f"{role}:T{n}")
            lines.append(f"E{i}\tAttribution:T{n} " + " ".join(refs))
        (tmp_path / "attributions" / f"doc{k}_ann1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "m.rhetoric-model"
    assert main(["train", "--task", "attribution", "--format", "brat", str(tmp_path), "-o", str(out)]) == 0
    assert "wrote head 'attribution'" in capsys.readouterr().out
    head = load_bundle(out)["attribution"]
    assert isinstance(head, T.AttributionTagger) and len(head.keys_) > 0
    # a broken offset names the file and the line
    bad = tmp_path / "attributions" / "doc0_ann1.ann"
    bad.write_text(bad.read_text(encoding="utf-8").replace("T1\tSource 0", "T1\tSource 3", 1), encoding="utf-8")
    assert main(["train", "--task", "attribution", "--format", "brat", str(tmp_path), "-o", str(out), "--force"]) == 1
    assert f"{bad}:1:" in capsys.readouterr().err


def test_tag_runs_tags_only_the_sentence_tokens_in_order():
    class Recorder:
        def tag(self, X, lengths):
            self.X, self.lengths = X.copy(), list(lengths)
            return np.full(len(X), T.LABELS.index("B-cue"))

    X = np.arange(10)[:, None] * np.ones((1, 3), dtype=np.int64)
    for ranges, rows in (([(0, 4), (4, 10)], list(range(10))), ([(1, 3), (5, 9)], [1, 2, 5, 6, 7, 8])):
        head = Recorder()
        runs = T.tag_runs(head, X, ranges)
        assert head.X[:, 0].tolist() == rows and head.lengths == [j - i for i, j in ranges]
        assert runs == [("cue", t, t + 1) for t in rows]


def test_word_facts_are_the_stem_hash_and_speech_flag_of_every_token_also_when_the_memo_is_full():
    from rhetoric.learn.hashing import text_hash, token_hashes
    from rhetoric.sourcing.words import WordFacts, is_speech, stem
    text = "Officials said the minister questioned it; critics are questioning, saying she criticised dubbed tweets."
    a = Analyzer().analyze(text)
    th = token_hashes(a.text, a.seg.words, a.seg.starts, a.seg.ends, normalized=a.normalized)
    expected_st = [text_hash("ST:" + stem(w)) for w in a.seg.words]
    expected_sp = [int(is_speech(w)) for w in a.seg.words]
    assert stem("questioned") == "question" and is_speech("dubbed") and is_speech("criticised") and not is_speech("minister")
    other = Analyzer().analyze("Nobody here knows anything else at all.")
    th2 = token_hashes(other.text, other.seg.words, other.seg.starts, other.seg.ends, normalized=other.normalized)
    for facts in (WordFacts(), WordFacts(limit=3)):        # a memo of 3 words is replaced by every document
        for _ in range(2):
            st, sp = facts.of(th)
            assert st.tolist() == expected_st and sp.tolist() == expected_sp
            facts.of(th2)
        assert len(facts._known) == (len(set(a.seg.words) | set(other.seg.words)) if facts.limit > 100
                                     else len(set(other.seg.words)))


def _reference_shift(a, range_of, k, pad):
    """``a[i + k]`` when that token is in the same sentence as token ``i``, else ``pad``."""
    n = len(a)
    return [a[i + k] if 0 <= i + k < n and range_of[i + k] == range_of[i] else pad for i in range(n)]


def test_neighbour_columns_stop_at_sentence_edges_and_tokens_outside_sentences_stand_alone():
    from dataclasses import replace

    from rhetoric.learn.hashing import token_hashes
    from rhetoric.sourcing.features import _MASK, token_features
    text = 'He said "no" today. Then they left. Critics argued, loudly, that it failed.'
    a = Analyzer().analyze(text)
    n = len(a.seg.words)
    raw = token_hashes(a.text, a.seg.words, a.seg.starts, a.seg.ends, normalized=a.normalized).h.tolist()
    whole = a.seg.sentence_tokens
    # the sentences as found, sentences leaving tokens out (before, between and after them), none
    gappy = [(whole[0][0] + 1, whole[0][1] - 1), (whole[1][0] + 1, whole[1][1]), (whole[2][0], whole[2][1] - 2)]
    for ranges in (whole, gappy, []):
        X = token_features(replace(a, seg=replace(a.seg, sentence_tokens=ranges)))
        assert X.shape == (n, 28) and (X >= 0).all() and (X < 2 ** 20).all()
        range_of = [-1 - t for t in range(n)]          # a token outside every sentence: a range of its own
        for k, (i, j) in enumerate(ranges):
            range_of[i:j] = [k] * (j - i)
        for col, k in ((1, 0), (2, -1), (3, 1), (4, -2), (5, 2)):
            ref = np.array(_reference_shift(raw, range_of, k, 0x5A5A5A5A), dtype=np.uint64)
            assert X[:, col].tolist() == (mix64(ref, 0x1000 + col) & _MASK).tolist(), (ranges, col)


def test_emissions_are_the_column_by_column_float32_sums_of_the_weight_rows():
    rng = np.random.default_rng(5)
    head = T.AttributionTagger()
    head.keys_ = np.sort(rng.choice(1 << 20, size=5000, replace=False)).astype(np.uint32)
    head.weights_ = rng.normal(scale=2.0, size=(5000, len(T.LABELS))).astype(np.float16)
    head.transitions_ = rng.normal(size=(len(T.LABELS), len(T.LABELS))).astype(np.float32)
    from rhetoric.sourcing.tagger import _CHUNK
    n = _CHUNK + 123                             # more than one gather of _CHUNK tokens
    X = rng.choice(np.concatenate([head.keys_.astype(np.int64), rng.integers(0, 1 << 20, 3000)]), size=(n, 28))
    rows = {int(k): head.weights_[i].astype(np.float32) for i, k in enumerate(head.keys_)}
    zero = np.zeros(len(T.LABELS), dtype=np.float32)
    ref = np.stack([np.array([rows.get(int(v), zero) for v in X[:, k]]) for k in range(28)])
    expected = ref[0].copy()
    for k in range(1, 28):
        expected += ref[k]
    got = head.emissions(X)
    assert got.dtype == np.float32 and got.shape == (n, len(T.LABELS))
    assert np.ascontiguousarray(got).tobytes() == expected.tobytes()


def test_sentences_decoded_one_by_one_and_batched_have_the_same_paths(monkeypatch):
    """One sentence, or a few where the longest holds half the tokens, is decoded sentence by
    sentence (no batching set-up); the batched loop (forced here) must agree, ties, empty
    sentences and dtypes included, and a layout of many sentences is built with NumPy alike."""
    from rhetoric.sourcing import decode
    rng = np.random.default_rng(6)
    cases = []
    for trial in range(80):
        lens = [int(rng.integers(1, 30))] + [int(x) for x in rng.integers(0, 12, size=trial % 4)]
        n, n_labels = sum(lens), int(rng.integers(2, 8))
        if trial % 2:                              # integer scores: ties everywhere
            em = rng.integers(0, 2, size=(n, n_labels)).astype(np.float32)
            tr = rng.integers(0, 2, size=(n_labels, n_labels)).astype(np.float64)
        else:
            em = rng.normal(size=(n, n_labels)).astype(np.float32 if trial % 4 else np.float64)
            tr = rng.normal(size=(n_labels, n_labels))
        cases.append((em, tr, lens))
    # final scores 1.0 and 1.0 + 1e-9 are equal in float32: a tie, which goes to the lower label
    cases.append((np.array([[0.0, 0.0], [1.0, 1.0]], dtype=np.float32), np.array([[0.0, 1e-9], [0.0, 1e-9]]), [2]))
    alone = [T.viterbi(em, tr, lens) for em, tr, lens in cases]
    assert all(p.dtype == np.int64 for p in alone) and alone[-1].tolist() == [0, 0]
    for (em, tr, lens), path in zip(cases, alone):
        expected, o = [], 0
        for n in lens:
            expected += _one_sentence(em[o:o + n], tr) if n else []
            o += n
        assert path.tolist() == expected
    monkeypatch.setattr(decode, "_ONE_SENTENCE_MAX", 0)
    assert [T.viterbi(em, tr, lens).tolist() for em, tr, lens in cases] == [p.tolist() for p in alone]
    monkeypatch.setattr(decode, "_FEW_SENTENCES", 0)
    assert [T.viterbi(em, tr, lens).tolist() for em, tr, lens in cases] == [p.tolist() for p in alone]


@pytest.mark.parametrize("few", [-1, 10 ** 6])
def test_document_runs_read_in_python_and_in_numpy_are_the_same_runs(monkeypatch, few):
    from rhetoric.sourcing import decode
    monkeypatch.setattr(decode, "_FEW_TOKENS", few)
    test_document_runs_are_the_runs_of_every_sentence()


@pytest.mark.parametrize("few", [0, 10 ** 6])
def test_tag_runs_checks_ranges_in_python_and_in_numpy_alike(monkeypatch, few):
    from rhetoric.sourcing import decode
    monkeypatch.setattr(decode, "_FEW_SENTENCES", few)
    test_tag_runs_tags_only_the_sentence_tokens_in_order()


def _reference_columns(a, ranges):
    """Every column's fact (before the column's mix64), built token by token from the documented
    facts, for ``token_features(a)`` with no rule attributions (role 0 everywhere)."""
    from rhetoric.learn.hashing import P2, text_hash, token_hashes
    from rhetoric.sourcing.words import WordFacts
    n = len(a.seg.words)
    th = token_hashes(a.text, a.seg.words, a.seg.starts, a.seg.ends, normalized=a.normalized)
    st, spk = (x.tolist() for x in WordFacts().of(th))
    h, quote, cap = th.h.tolist(), F.quote_state(a, th).tolist(), th.cap.tolist()
    lex = [0] * n
    for m in (m for m in a.matches if m.entry.category == "attribution"):
        i, j = a.seg.token_at(m.start), a.seg.token_at(m.end - 1) + 1
        lex[i] = text_hash("LB:" + m.entry.label)
        lex[i + 1:j] = [text_hash("LI:" + m.entry.label)] * (j - i - 1)
    range_of = [-1 - t for t in range(n)]
    for k, (i, j) in enumerate(ranges):
        range_of[i:j] = [k] * (j - i)
    same = [[t for t in range(n) if range_of[t] == range_of[i]] for i in range(n)]
    place = [1 if i == s[0] else 2 if i == s[-1] else 0 for i, s in zip(range(n), same)]
    pad = 0x5A5A5A5A

    def around(values, k, fill):
        return _reference_shift(values, range_of, k, fill)

    mask = (1 << 64) - 1

    def pair(xs, ys, salt):
        return [int(mix64(np.uint64(((x * int(P2)) & mask) ^ y), salt)) for x, y in zip(xs, ys)]

    sent_quote = [int(any(quote[t] == 2 for t in s)) for s in same]
    sent_cue = [int(any(lex[t] == text_hash("LB:cue") for t in s)) for s in same]
    role = [0] * n
    cols = [[0] * n, h, around(h, -1, pad), around(h, 1, pad), around(h, -2, pad), around(h, 2, pad),
            th.suf.tolist(), th.shp.tolist(), around(th.shp.tolist(), -1, pad), around(th.shp.tolist(), 1, pad),
            pair(around(h, -1, pad), h, 1), pair(h, around(h, 1, pad), 2),
            st, around(st, -1, pad), around(st, 1, pad), lex, around(lex, -1, pad), around(lex, 1, pad),
            role, around(role, -1, pad + 1), around(role, 1, pad + 1),
            [q * 4 + p for q, p in zip(quote, place)], pair(quote, st, 3),
            [int(c) * 16 + q * 3 + p for c, q, p in zip(cap, quote, place)],
            [x * 4 + y * 2 + z for x, y, z in zip(around(spk, -1, 0), spk, around(spk, 1, 0))],
            pair(around(st, -1, pad), st, 4),
            [x * 16 + y * 4 + z for x, y, z in zip(quote, around(quote, -1, 3), around(quote, 1, 3))],
            [x * 4 + y * 2 + z for x, y, z in zip(sent_quote, sent_cue, spk)]]
    assert len(cols) == F.N_COLUMNS
    return cols


@pytest.mark.parametrize("few", [0, 10 ** 6])
def test_every_column_is_its_documented_fact(monkeypatch, few):
    """The 28 columns are the documented facts, for one sentence, several, sentences leaving tokens
    out and none; ``few`` sends the sentence edges and the spans' tokens through Python (lists,
    slices) or through NumPy (arrays)."""
    from dataclasses import replace
    monkeypatch.setattr(F, "_FEW", few)
    for text in ('He said "no" today. Then they left. Critics argued, loudly, that it failed.',
                 "Officials said on Monday that the plan may have succeeded.", "Said.", '"', "He said so"):
        a = Analyzer().analyze(text)
        whole = a.seg.sentence_tokens
        variants = [whole, []]
        if len(whole) == 3:
            variants.append([(whole[0][0] + 1, whole[0][1] - 1), (whole[1][0] + 1, whole[1][1]),
                             (whole[2][0], whole[2][1] - 2)])
        for ranges in variants:
            b = replace(a, seg=replace(a.seg, sentence_tokens=ranges))
            X = F.token_features(b)
            for col, ref in enumerate(_reference_columns(b, ranges)):
                expected = (mix64(np.array(ref, dtype=np.uint64), 0x1000 + col) & F._MASK).tolist()
                assert X[:, col].tolist() == expected, (text, ranges, col)


def test_quote_states_are_the_same_with_and_without_the_shared_hashes():
    from rhetoric.learn.hashing import token_hashes
    for text in ("No quotes here at all.", 'He said "no" and "yes\n" she said.', '"', "A \"b\" c\n\"d"):
        a = Analyzer().analyze(text)
        th = token_hashes(a.text, a.seg.words, a.seg.starts, a.seg.ends, normalized=a.normalized)
        with_hashes, without = F.quote_state(a, th), F.quote_state(a)
        assert with_hashes.dtype == without.dtype == np.uint64
        assert with_hashes.tolist() == without.tolist()


@pytest.mark.parametrize("few", [0, 10 ** 6])
def test_tagged_attributions_find_run_sentences_alike_in_python_and_numpy(monkeypatch, few):
    from rhetoric.sourcing import relations
    monkeypatch.setattr(relations, "_FEW_RUNS", few)
    test_one_source_with_two_cues_and_a_cue_without_source()
