"""kzcli.named.NamedTuple behaves as typing.NamedTuple does for what kz asks of its records."""

from __future__ import annotations

import copy
import pickle
from typing import Any
from typing import NamedTuple as TypingNamedTuple

import pytest

from kzcli.corpus import Mention, Records, Section
from kzcli.named import NamedTuple


class Point(NamedTuple):
    x: int
    y: int
    label: str = "origin"


# The same class as the type checker does not see it: for the calls it would refuse.
LOOSE: Any = Point


class TypingPoint(TypingNamedTuple):
    x: int
    y: int
    label: str = "origin"


def test_fields_values_and_defaults_as_typing_makes_them() -> None:
    for made, typing_made in (
        (Point(1, 2), TypingPoint(1, 2)),
        (Point(1, y=2, label="a"), TypingPoint(1, y=2, label="a")),
    ):
        assert tuple(made) == tuple(typing_made)
        assert (made.x, made.y, made.label) == (typing_made.x, typing_made.y, typing_made.label)
    assert Point._fields == TypingPoint._fields == ("x", "y", "label")
    assert Point._field_defaults == TypingPoint._field_defaults == {"label": "origin"}
    assert Point.__match_args__ == ("x", "y", "label")


def test_a_record_is_a_tuple_equal_and_hashed_as_its_values() -> None:
    point = Point(1, 2, "a")
    assert isinstance(point, tuple)
    assert point == (1, 2, "a") and hash(point) == hash((1, 2, "a"))
    x, y, label = point
    assert (x, y, label) == (1, 2, "a")
    assert point[1:] == (2, "a")


def test_replace_make_asdict_and_repr() -> None:
    point = Point(1, 2)
    moved = point._replace(y=5)
    assert type(moved) is Point and moved == (1, 5, "origin") and point == (1, 2, "origin")
    assert Point._make([3, 4, "b"]) == Point(3, 4, "b")
    assert point._asdict() == {"x": 1, "y": 2, "label": "origin"}
    assert repr(point) == "Point(x=1, y=2, label='origin')" == repr(TypingPoint(1, 2)).replace("TypingPoint", "Point")


def test_copies_and_pickles_as_itself() -> None:
    point = Point(1, [2], "a")  # type: ignore[arg-type]  # a mutable value shows the deep copy
    assert copy.copy(point) == point and type(copy.copy(point)) is Point
    deep = copy.deepcopy(point)
    assert deep == point and deep.y is not point.y
    assert pickle.loads(pickle.dumps(Point(1, 2))) == Point(1, 2)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: LOOSE(1), "missing a value for 'y'"),
        (lambda: LOOSE(1, 2, "a", 4), "takes 3 values, 4 were given"),
        (lambda: LOOSE(1, 2, z=3), "unexpected or repeated fields: z"),
        (lambda: LOOSE(1, 2, x=3), "unexpected or repeated fields: x"),
        (lambda: Point._make([1]), "expected 3 values, got 1"),
    ],
)
def test_a_wrong_call_is_a_type_error_as_with_typing(make: Any, says: str) -> None:
    with pytest.raises(TypeError, match=says):
        make()


def test_a_field_is_read_only_and_an_unknown_change_refused() -> None:
    point = Point(1, 2)
    with pytest.raises(AttributeError):
        point.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        point.z = 3  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="no fields z"):
        LOOSE(1, 2)._replace(z=1)


def test_kz_records_are_made_by_it() -> None:
    """The corpus's own records: a default (Records.topics) and keyword construction."""
    mention = Mention("torture", 2, "a quote")
    assert type(mention).__mro__[1] is NamedTuple
    records = Records((), (), (), (), (), ())
    section = Section("torture", "Torture", ("A paragraph.",))
    assert records.topics == () and records._replace(sections=(section,)).sections == (section,)
