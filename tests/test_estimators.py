"""PropagandaModel as a scikit-learn estimator: sklearn's own checks, and text-input versions of the
checks that sklearn can only run on numeric arrays.

``check_estimator`` runs nothing but ``check_estimator_cloneable`` for an estimator whose tags say
it takes strings (``input_tags.string=True, two_d_array=False``): every other check builds numeric
``X``. So each check of sklearn 1.9's API, legacy and classifier suites is run here by name against
the estimator; the ones that feed numeric arrays are listed in :data:`EXPECTED_FAILED` with the reason
and the test below that checks the same property with text (strict xfail: a check that starts
passing must leave the list).
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import DataConversionWarning, NotFittedError, SkipTestWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks as ec
from sklearn.utils.estimator_checks import check_estimator

from rhetoric.propaganda.model import PropagandaModel

SMALL = {"n_bits": 10, "tagger_bits": 10, "calibration_folds": 2, "technique_folds": 2}
LOADED = ["disgraceful", "evil", "shameful", "corrupt", "vile", "pathetic"]
NEUTRAL = ["meeting", "report", "budget", "council", "weather", "station", "library", "schedule"]


def texts_and_labels(n: int = 60, seed: int = 0) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    X, y = [], []
    for i in range(n):
        a, b = rng.choice(NEUTRAL, 2, replace=False)
        if i % 3 == 0:
            X.append(f"The {a} is run by {rng.choice(LOADED)} traitors who betray the {b}!")
            y.append(1)
        else:
            X.append(f"The {a} opened next to the {b} on day {i}.")
            y.append(0)
    return X, np.array(y)


X, Y = texts_and_labels()
PROBE = ["They are vile traitors who betray the nation!", "The library opened on day 4.", "x", ""]
_NUMERIC = "feeds numeric arrays; PropagandaModel takes texts -- text version: "
EXPECTED_FAILED = {
    "check_fit_score_takes_y": _NUMERIC + "test_fit_returns_self_and_keeps_its_parameters",
    "check_estimators_overwrite_params": _NUMERIC + "test_fit_returns_self_and_keeps_its_parameters",
    "check_dont_overwrite_parameters": _NUMERIC + "test_fit_returns_self_and_keeps_its_parameters",
    "check_estimators_fit_returns_self": _NUMERIC + "test_fit_returns_self_and_keeps_its_parameters",
    "check_readonly_memmap_input": _NUMERIC + "test_text_containers_give_the_same_predictions",
    "check_positive_only_tag_during_fit": _NUMERIC + "(no positivity constraint applies to text)",
    "check_estimators_dtypes": _NUMERIC + "test_text_containers_give_the_same_predictions",
    "check_dtype_object": _NUMERIC + "test_text_containers_give_the_same_predictions",
    "check_f_contiguous_array_estimator": _NUMERIC + "test_text_containers_give_the_same_predictions",
    "check_classifier_data_not_an_array": _NUMERIC + "test_text_containers_give_the_same_predictions",
    "check_complex_data": _NUMERIC + "test_bad_inputs_fail_clearly",
    "check_estimators_empty_data_messages": _NUMERIC + "test_bad_inputs_fail_clearly",
    "check_estimators_nan_inf": _NUMERIC + "test_bad_inputs_fail_clearly",
    "check_estimator_sparse_tag": _NUMERIC + "test_bad_inputs_fail_clearly",
    "check_estimator_sparse_array": _NUMERIC + "test_bad_inputs_fail_clearly",
    "check_estimator_sparse_matrix": _NUMERIC + "test_bad_inputs_fail_clearly",
    "check_classifiers_one_label": _NUMERIC + "test_targets",
    "check_classifiers_regression_target": _NUMERIC + "test_targets",
    "check_classifier_not_supporting_multiclass": _NUMERIC + "test_targets",
    "check_supervised_y_2d": _NUMERIC + "test_targets",
    "check_classifiers_classes": _NUMERIC + "test_targets",
    "check_classifiers_train": _NUMERIC + "test_fitted_predictions_are_consistent",
    "check_decision_proba_consistency": _NUMERIC + "test_fitted_predictions_are_consistent",
    "check_estimators_pickle": _NUMERIC + "test_fitted_predictions_are_consistent",
    "check_pipeline_consistency": _NUMERIC + "test_works_with_sklearn_tools",
    "check_methods_sample_order_invariance": _NUMERIC + "test_fitted_predictions_are_consistent",
    "check_methods_subset_invariance": _NUMERIC + "test_fitted_predictions_are_consistent",
    "check_class_weight_classifiers": _NUMERIC + "test_class_weight_is_used",
}
SKIPPED = {"check_array_api_input": "array API namespaces (needs SCIPY_ARRAY_API=1 and numeric arrays); "
                                    "text input has no array namespace"}


def _all_checks() -> dict[str, object]:
    """Every check sklearn 1.9 would run on a 2-D numeric classifier (API, legacy, classifier suites)."""
    est = PropagandaModel(**SMALL)
    found: dict[str, object] = {"check_estimator_cloneable": ec.check_estimator_cloneable}
    generators = (ec._yield_api_checks(est), ec._yield_checks(est), ec._yield_classifier_checks(est),
                  [ec.check_parameters_default_constructible, ec.check_methods_sample_order_invariance,
                   ec.check_methods_subset_invariance])
    for gen in generators:
        for check in gen:
            found.setdefault(getattr(check, "__name__", None) or check.func.__name__, check)  # type: ignore[attr-defined]
    return found


CHECKS = _all_checks()


def _param(name: str) -> object:
    if name in SKIPPED:
        return pytest.param(name, marks=pytest.mark.skip(reason=SKIPPED[name]))
    if name in EXPECTED_FAILED:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=EXPECTED_FAILED[name]))
    return name


@pytest.mark.parametrize("name", [_param(n) for n in CHECKS])
def test_sklearn_check(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkipTestWarning)
        CHECKS[name]("PropagandaModel", PropagandaModel(**SMALL))  # type: ignore[operator]


def test_every_listed_check_exists_and_some_run():
    assert set(EXPECTED_FAILED) | set(SKIPPED) <= set(CHECKS)
    assert len(set(CHECKS) - set(EXPECTED_FAILED) - set(SKIPPED)) >= 10


def test_check_estimator_itself_skips_the_numeric_suite():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = check_estimator(PropagandaModel(**SMALL), on_skip=None, on_fail=None)
    assert [(r["check_name"], r["status"]) for r in results] == [("check_estimator_cloneable", "passed")]
    assert any(issubclass(w.category, SkipTestWarning) and "requires input" in str(w.message) for w in caught)
    tags = PropagandaModel().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array and tags.estimator_type == "classifier"


@pytest.fixture(scope="module")
def fitted() -> PropagandaModel:
    return PropagandaModel(**SMALL).fit(X, Y)


# -- text versions of the numeric checks ----------------------------------------------------------


def test_fit_returns_self_and_keeps_its_parameters():
    est = PropagandaModel(**SMALL)
    params = est.get_params()
    assert est.fit(X, Y) is est
    assert est.get_params() == params
    public = [k for k in vars(est) if not k.startswith("_")]
    assert {k for k in public if not k.endswith("_")} == set(params)      # fit adds only trailing-_ state
    assert est.score(X, Y) > 0.9                                          # ClassifierMixin.score takes y


def test_text_containers_give_the_same_predictions(fitted):
    import pandas as pd
    expected = fitted.predict_proba(PROBE)
    read_only = np.array(PROBE, dtype=object)
    read_only.flags.writeable = False
    for container in (tuple(PROBE), np.array(PROBE), np.array(PROBE, dtype=object), read_only, pd.Series(PROBE)):
        np.testing.assert_array_equal(fitted.predict_proba(container), expected)


def test_bad_inputs_fail_clearly(fitted):
    import scipy.sparse as sp
    with pytest.raises(ValueError, match="0 samples"):
        PropagandaModel(**SMALL).fit([], [])
    with pytest.raises(TypeError, match="not one string"):
        fitted.predict("one text")
    with pytest.raises(TypeError, match="expected strings"):
        fitted.predict([1.5, float("nan")])
    with pytest.raises(TypeError, match="expected strings"):
        fitted.predict(["ok", None])
    with pytest.raises(ValueError, match="1-D"):
        fitted.predict(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises((TypeError, ValueError)):
        fitted.predict(sp.csr_matrix(np.eye(3)))
    with pytest.raises(ValueError, match="labels"):
        PropagandaModel(**SMALL).fit(X, Y[:-1])
    with pytest.raises(NotFittedError):
        PropagandaModel(**SMALL).predict(PROBE)


def test_targets():
    with pytest.raises(ValueError, match="class"):
        PropagandaModel(**SMALL).fit(X, np.zeros(len(X), int))
    with pytest.raises(ValueError, match="Unknown label type"):
        PropagandaModel(**SMALL).fit(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="Only binary classification is supported."):
        PropagandaModel(**SMALL).fit(X, np.arange(len(X)) % 3)
    with pytest.warns(DataConversionWarning):
        column = PropagandaModel(**SMALL).fit(X, Y.reshape(-1, 1))
    named = PropagandaModel(**SMALL).fit(X, np.where(Y == 1, "yes", "no"))
    assert list(named.classes_) == ["no", "yes"] and list(column.classes_) == [0, 1]
    assert set(named.predict(PROBE)) <= {"no", "yes"} and named.predict(PROBE[:1])[0] == "yes"
    np.testing.assert_array_equal(named.predict_proba(PROBE), column.predict_proba(PROBE))


def test_fitted_predictions_are_consistent(fitted):
    Xt, _ = texts_and_labels(40, seed=9)
    proba, dec, pred = fitted.predict_proba(Xt), fitted.decision_function(Xt), fitted.predict(Xt)
    assert proba.shape == (40, 2) and dec.shape == (40,) and pred.shape == (40,)
    np.testing.assert_allclose(proba.sum(1), 1.0)
    assert set(pred) <= set(fitted.classes_)
    order = np.argsort(dec, kind="stable")
    assert np.all(np.diff(proba[order, 1]) >= 0)                         # decision and proba rank alike
    perm = np.random.default_rng(0).permutation(40)
    np.testing.assert_array_equal(fitted.predict_proba([Xt[i] for i in perm]), proba[perm])
    np.testing.assert_array_equal(np.vstack([fitted.predict_proba(Xt[:13]), fitted.predict_proba(Xt[13:])]), proba)
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.predict_proba(Xt), proba)
    np.testing.assert_array_equal(PropagandaModel(**SMALL).fit(X, Y).predict_proba(Xt), proba)   # seeded


def test_class_weight_is_used():
    a = PropagandaModel(**SMALL, class_weight=None).fit(X, Y)
    b = PropagandaModel(**SMALL, class_weight="balanced").fit(X, Y)
    assert not np.array_equal(a.coef_hash_, b.coef_hash_)


def test_works_with_sklearn_tools():
    est = PropagandaModel(**SMALL)
    assert is_classifier(est) and is_classifier(make_pipeline(est))
    assert clone(est).get_params() == est.get_params() and not hasattr(clone(est), "heads_")
    pipe = make_pipeline(PropagandaModel(**SMALL)).fit(X, Y)
    np.testing.assert_array_equal(pipe.predict_proba(PROBE), PropagandaModel(**SMALL).fit(X, Y).predict_proba(PROBE))
    scores = cross_val_score(PropagandaModel(**SMALL), X, Y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.8
    search = GridSearchCV(PropagandaModel(**SMALL), {"C": [1, 2]}, cv=3).fit(X, Y)
    assert search.best_params_["C"] in (1, 2) and len(search.cv_results_["params"]) == 2
    assert search.predict(PROBE[:1])[0] == 1
