"""Numbers are ASCII digits with at most one decimal point (core.money), and no text holds a control character
(core.text): the one rule each, for every caller."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pytest
from django import forms

from core.forms import ControlCharacterGuard
from core.money import PercentError, parse_percent, read_money, read_rate, to_decimal
from core.text import control_character_in

NOT_NUMBERS = ["١٢٣", "１２", "1_000", "0E+1000", "1e3", "Infinity", "NaN", "1.2.3", "12,5", "", " ", "--1", "0x10"]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_text_that_decimal_would_take_is_not_a_number_here(typed):
    with pytest.raises(InvalidOperation):
        to_decimal(typed)
    with pytest.raises(ValueError):
        read_money(typed)


@pytest.mark.parametrize("typed", [t for t in NOT_NUMBERS if t.strip()])
def test_nor_is_it_a_percentage_or_a_rate(typed):
    with pytest.raises(PercentError):
        parse_percent(typed)
    with pytest.raises(ValueError):
        read_rate(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("97", "97"), (" 19.99 ", "19.99"), ("0.5", "0.5"), (".5", "0.5"), ("300.", "300"), ("-1", "-1")],
)
def test_plain_numbers_still_read_exactly(typed, value):
    assert to_decimal(typed) == Decimal(value)


def test_numbers_that_are_numbers_already_pass_untouched():
    assert to_decimal(Decimal("1E+2")) == 100 and to_decimal(7) == 7 and to_decimal(19.99) == Decimal("19.99")


@pytest.mark.parametrize("text", ["a\x00b", "\x01", "x\x1b[31m", "\x7f", "\x85", "\x9f", "bad\ud800"])
def test_control_characters_are_found(text):
    assert control_character_in(text) is not None
    assert control_character_in(["fine", text]) is not None


@pytest.mark.parametrize("text", ["plain", "tab\tand\nline\r\nbreaks", "ünïcödé ✓ 中文", "", None, 3])
def test_ordinary_text_passes(text):
    assert control_character_in(text) is None


class Guarded(ControlCharacterGuard, forms.Form):
    name = forms.CharField()
    choice = forms.ChoiceField(choices=[("a", "A")])
    many = forms.MultipleChoiceField(choices=[("a", "A")], required=False)


def test_the_guard_refuses_the_field_before_it_is_cleaned():
    form = Guarded({"name": "Cal\x01m", "choice": "a\x00", "many": ["a", "\x00"]})
    assert not form.is_valid()
    for field in ("name", "choice", "many"):
        assert form.errors[field][0].startswith("Remove the control character (U+00")
    assert Guarded({"name": "Calm", "choice": "a"}).is_valid()
