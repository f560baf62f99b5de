"""Every case the Python random-spec campaign (fuzz/python_campaign.py)
ever failed on, replayed: fuzz/corpus/python/*.json."""
import glob
import json
import os
import sys

import pytest

import ein

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "fuzz"))
import python_campaign  # noqa: E402

CASES = sorted(glob.glob(os.path.join(ROOT, "fuzz", "corpus", "python",
                                      "*.json")))


def test_corpus_is_there():
    assert len(CASES) >= 5


@pytest.mark.parametrize("path", CASES, ids=[os.path.basename(c) for c in CASES])
def test_campaign_case(path):
    with open(path) as f:
        case = json.load(f)
    # Lists in JSON stand for tuples (paths).
    if isinstance(case.get("optimize"), list):
        case["optimize"] = [tuple(step) for step in case["optimize"]]
    assert python_campaign.check_case(ein, case) is None


def test_campaign_runs():
    # A short campaign with a fixed seed: every generated call behaves.
    import random
    rng = random.Random(11)
    for _ in range(300):
        case = python_campaign.make_case(rng)
        assert python_campaign.check_case(ein, case) is None, case
