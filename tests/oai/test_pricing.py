"""Prices: the data file, name normalisation, overrides."""

from __future__ import annotations

import pytest

from autogen.oai.pricing import compute_cost, lookup_price, normalize_price


def test_dated_and_azure_names_find_their_base_price():
    assert lookup_price("gpt-4o-2099-01-01") == lookup_price("gpt-4o")
    assert lookup_price("gpt-35-turbo") == lookup_price("gpt-3.5-turbo")


def test_unknown_model_has_no_price():
    assert lookup_price("some-local-model") is None


def test_override_wins_over_table():
    assert compute_cost("gpt-4", 1000, 1000, (1.0, 2.0)) == pytest.approx(3.0)


def test_single_number_price_is_used_for_both():
    assert normalize_price(0.5) == (0.5, 0.5)


def test_bad_price_is_an_error_naming_the_value():
    with pytest.raises(ValueError, match="got 'cheap'"):
        normalize_price("cheap")
