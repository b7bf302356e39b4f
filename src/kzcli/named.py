"""``NamedTuple`` for kz's record classes: ``typing.NamedTuple`` to the type checker, a cheaper
class maker at run time.

``typing.NamedTuple`` builds each class through ``collections.namedtuple``,
which compiles a ``__new__`` from source: 100 to 240 µs per class in a fresh
process (measured here), and a search imports 18 of them, about 2 ms of a
run that may take 12 ms more than Typer alone (benchmarks/startup.py). Here a
class is made with one generic ``__new__`` (binding keywords and defaults
only when the call needs it) and the C field getters ``collections`` itself
uses: the same tuples, equality, hashing, ``_replace``, ``_make``, ``_asdict``,
``_fields`` and ``repr``, for about a tenth of the cost.

A module states its records as it would with typing::

    from kzcli.named import NamedTuple

    class Mention(NamedTuple):
        section: str
        paragraph: int
        quote: str = ""
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    try:
        from _collections import _tuplegetter as _getter
    except ImportError:  # another Python than CPython
        from operator import itemgetter

        def _getter(index: int, doc: str) -> property:
            return property(itemgetter(index), doc=doc)

    class _Maker(type):
        """Makes each class stated on ``NamedTuple``: its fields, in order, are its annotations."""

        def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> type:
            if namespace.get("_root"):
                return super().__new__(mcls, name, bases, namespace)
            fields = tuple(namespace.get("__annotations__", {}))
            defaults = {field: namespace.pop(field) for field in fields if field in namespace}
            if any(field.startswith("_") for field in fields):
                raise TypeError(f"{name}: a field's name may not begin with an underscore")
            namespace.update(
                {field: _getter(i, f"Field {i}: {field}") for i, field in enumerate(fields)},
                __slots__=(),
                _fields=fields,
                _field_defaults=defaults,
                __match_args__=fields,
            )
            return super().__new__(mcls, name, bases, namespace)

    class NamedTuple(tuple, metaclass=_Maker):
        """The base of each record class (its methods: those of ``collections.namedtuple``'s)."""

        _root = True
        __slots__ = ()
        _fields: ClassVar[tuple[str, ...]] = ()
        _field_defaults: ClassVar[dict[str, Any]] = {}

        def __new__(cls, *values: Any, **named: Any) -> Any:
            if named or len(values) != len(cls._fields):
                values = cls._bound(values, named)
            return tuple.__new__(cls, values)

        @classmethod
        def _bound(cls, values: tuple[Any, ...], named: dict[str, Any]) -> tuple[Any, ...]:
            """The field values of a call that names some or leaves some to their defaults."""
            fields = cls._fields
            if len(values) > len(fields):
                raise TypeError(f"{cls.__name__}() takes {len(fields)} values, {len(values)} were given")
            bound = list(values)
            for field in fields[len(values) :]:
                if field in named:
                    bound.append(named.pop(field))
                elif field in cls._field_defaults:
                    bound.append(cls._field_defaults[field])
                else:
                    raise TypeError(f"{cls.__name__}() missing a value for {field!r}")
            if named:
                raise TypeError(f"{cls.__name__}() got unexpected or repeated fields: {', '.join(named)}")
            return tuple(bound)

        @classmethod
        def _make(cls, iterable: Any) -> Any:
            values = tuple(iterable)
            if len(values) != len(cls._fields):
                raise TypeError(f"{cls.__name__}._make: expected {len(cls._fields)} values, got {len(values)}")
            return tuple.__new__(cls, values)

        def _replace(self, **changes: Any) -> Any:
            made = self._make(changes.pop(field, value) for field, value in zip(self._fields, self, strict=True))
            if changes:
                raise ValueError(f"{type(self).__name__} has no fields {', '.join(changes)}")
            return made

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

        def __getnewargs__(self) -> tuple[Any, ...]:
            return tuple(self)

        def __repr__(self) -> str:
            shown = ", ".join(f"{field}={value!r}" for field, value in zip(self._fields, self, strict=True))
            return f"{type(self).__name__}({shown})"
