"""Options shared by both front-ends, and the frozen settings built from them.

Every option is declared once as an :class:`OptionSpec`. flake8 registers it as
``--<name>`` (read from ``.flake8``/``setup.cfg``/``tox.ini`` too); pylint
registers it in the ``awsbp`` section (``[tool.pylint.awsbp]`` or pylintrc).
Both hand the raw values to :meth:`Settings.from_raw`, which validates them and
raises :class:`OptionError` with a one-line message on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from awsbp.evidence import Evidence
from awsbp.valueobject import ValueObject

OptionKind = Literal["codes", "list", "int", "bool", "str", "evidence"]
OptionValue = tuple[str, ...] | int | bool | str

_CODE_PREFIX = re.compile(r"^AWSBP[0-9]{0,3}$")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


class OptionError(ValueError):
    """A bad option value; the message is one line, fit to show a user."""


class OptionSpec(ValueObject):
    """One option: its name (without dashes), kind, default and help text.

    Immutable: never assign to an attribute after construction. Compares and hashes
    by value.
    """

    __slots__ = ("default", "help", "kind", "metavar", "name")

    name: str
    kind: OptionKind
    default: OptionValue
    help: str
    metavar: str

    def __init__(
        self, name: str, kind: OptionKind, default: OptionValue, help: str, metavar: str = ""
    ) -> None:
        self.name = name
        self.kind = kind
        self.default = default
        self.help = help
        self.metavar = metavar

    def _key(self) -> tuple[object, ...]:
        return (self.name, self.kind, self.default, self.help, self.metavar)

    def __repr__(self) -> str:
        return f"OptionSpec({self.name!r}, {self.kind!r}, default={self.default!r})"

    @property
    def attr(self) -> str:
        """The attribute name hosts use (``awsbp_disable`` for ``awsbp-disable``)."""
        return self.name.replace("-", "_")

    def default_text(self) -> str:
        """The default as it would be written in a config file."""
        if isinstance(self.default, tuple):
            return ",".join(self.default)
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        return str(self.default)


def _split(value: object) -> tuple[str, ...]:
    """Split a comma/newline separated value (or an iterable of such) into items."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts: Iterable[str] = re.split(r"[,\s]+", value)
    elif isinstance(value, Iterable):
        parts = [p for item in value for p in re.split(r"[,\s]+", str(item))]
    else:
        parts = [str(value)]
    return tuple(p.strip() for p in parts if p.strip())


def normalize(spec: OptionSpec, value: object) -> OptionValue:
    """Turn a raw host value into the typed value for ``spec`` or raise OptionError."""
    label = spec.name
    if spec.kind == "codes":
        codes = tuple(c.upper() for c in _split(value))
        for code in codes:
            if not _CODE_PREFIX.match(code):
                raise OptionError(
                    f"{label}: {code!r} is not an awsbp code or prefix "
                    "(expected AWSBP followed by up to three digits, e.g. AWSBP101 or AWSBP1)"
                )
        return codes
    if spec.kind == "list":
        return _split(value)
    if spec.kind == "int":
        if isinstance(value, bool):
            raise OptionError(f"{label}: expected a whole number, got {value!r}")
        try:
            return int(str(value).strip())
        except ValueError:
            raise OptionError(f"{label}: expected a whole number, got {value!r}") from None
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise OptionError(f"{label}: expected true or false, got {value!r}")
    if spec.kind == "evidence":
        text = str(value).strip()
        if not text:
            return ""
        try:
            return Evidence.parse(text).name.lower()
        except ValueError as exc:
            raise OptionError(f"{label}: {exc}") from None
    return str(value)


CORE_OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        name="awsbp-disable",
        kind="codes",
        default=(),
        metavar="CODES",
        help=(
            "Comma-separated awsbp codes or prefixes to switch off (e.g. AWSBP101,AWSBP3). "
            "Works in config files, where flake8's own extend-ignore cannot take "
            "five-letter codes."
        ),
    ),
    OptionSpec(
        name="awsbp-enable",
        kind="codes",
        default=(),
        metavar="CODES",
        help=(
            "Comma-separated awsbp codes or prefixes of default-off rules to switch on "
            "(pylint; under flake8 use --extend-select)."
        ),
    ),
    OptionSpec(
        name="awsbp-lambda-handlers",
        kind="list",
        default=(),
        metavar="HANDLERS",
        help=(
            "Lambda handlers, in SAM's Handler format (app.lambda_handler, "
            "src/pkg/mod.handler) or a bare function name; added to the built-in "
            "heuristic (a module-level function taking (event, context))."
        ),
    ),
    OptionSpec(
        name="awsbp-lambda-heuristic",
        kind="bool",
        default=True,
        metavar="BOOL",
        help="Treat module-level functions taking (event, context) as Lambda handlers.",
    ),
    OptionSpec(
        name="awsbp-min-evidence",
        kind="evidence",
        default="",
        metavar="LEVEL",
        help=(
            "Override every rule's minimum evidence (low, medium or high). Empty keeps "
            "each rule's own level."
        ),
    ),
)


class Settings:
    """Validated option values for one lint run; immutable and cheap to share.

    Never assign to ``values`` or change it after construction. Compares by value;
    like the ``values`` mapping it holds, it cannot be hashed.
    """

    __slots__ = ("values",)

    values: Mapping[str, OptionValue]

    def __init__(self, values: Mapping[str, OptionValue] | None = None) -> None:
        self.values = {} if values is None else values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Settings):
            return NotImplemented
        return self.values == other.values

    def __hash__(self) -> int:
        return hash((self.values,))  # TypeError for a dict, as for the dataclass it was

    def __repr__(self) -> str:
        return f"Settings({dict(self.values)!r})"

    @classmethod
    def from_raw(
        cls, raw: Mapping[str, object], specs: Iterable[OptionSpec] | None = None
    ) -> Settings:
        """Build settings from host values keyed by option name or attribute name."""
        if specs is None:
            from awsbp.registry import all_options

            specs = all_options()
        values: dict[str, OptionValue] = {}
        for spec in specs:
            if spec.name in raw:
                value = raw[spec.name]
            elif spec.attr in raw:
                value = raw[spec.attr]
            else:
                value = spec.default
            values[spec.name] = spec.default if value is None else normalize(spec, value)
        return cls(values=values)

    @classmethod
    def default(cls) -> Settings:
        """Settings with every option at its default."""
        return cls.from_raw({})

    def _get(self, name: str) -> OptionValue:
        try:
            return self.values[name]
        except KeyError:
            from awsbp.registry import option_spec

            return option_spec(name).default

    def get_list(self, name: str) -> tuple[str, ...]:
        """A ``codes`` or ``list`` option."""
        value = self._get(name)
        assert isinstance(value, tuple)
        return value

    def get_int(self, name: str) -> int:
        """An ``int`` option."""
        value = self._get(name)
        assert isinstance(value, int)
        return value

    def get_bool(self, name: str) -> bool:
        """A ``bool`` option."""
        value = self._get(name)
        assert isinstance(value, bool)
        return value

    def get_str(self, name: str) -> str:
        """A ``str`` or ``evidence`` option."""
        value = self._get(name)
        assert isinstance(value, str)
        return value
