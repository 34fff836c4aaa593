"""OpenAlex's research taxonomy, and the layers a study is read in.

OpenAlex files every work under the *primary topic* that fits it best; each topic belongs to one
of 26 *fields* (ids 11-36), each field to one of 4 *domains* (ids 1-4) (OpenAlex's topic
classification, 2024; the same ids and names as the emulator's ``FIELDS`` and ``DOMAINS``). A
*layer* is the country collaboration network of one field or one domain: the works whose
primary topic is in it, fetched with the filter ``primary_topic.field.id:N`` or
``primary_topic.domain.id:N``. All-science (every work, with or without a primary topic) is a
layer of its own, named ``all``; the other layers are named by OpenAlex's display names, as in
the ``layer`` column of the counts tables.

The configuration's ``layers`` (`layers_from_spec`): ``none`` (all-science only), ``domains``
(all-science and the 4 domains), or a list of fields, each written as its id (``22``), its
short id (``fields/22``), its full id (``https://openalex.org/fields/22``) or its display name
(``Engineering``, in any case). A name that is none of these is refused with the nearest names.

Examples
--------
>>> [layer.name for layer in layers_from_spec("domains")]
['all', 'Life Sciences', 'Social Sciences', 'Physical Sciences', 'Health Sciences']
>>> [layer.name for layer in layers_from_spec([22, "fields/25", "computer science"])]
['all', 'Engineering', 'Materials Science', 'Computer Science']
>>> engineering = field_layer("Engineering")
>>> engineering.filter, engineering.tag, engineering.domain
({'primary_topic.field.id': 22}, 'field-22-engineering', 'Physical Sciences')
>>> Layer.from_tag(engineering.tag) == engineering
True
>>> field_layer("Enginering")
Traceback (most recent call last):
...
ValueError: 'Enginering' is not an OpenAlex field (did you mean 'Engineering'?)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DOMAINS: dict[int, str] = {1: "Life Sciences", 2: "Social Sciences", 3: "Physical Sciences",
                           4: "Health Sciences"}
#: Each field's display name and domain id.
FIELDS: dict[int, tuple[str, int]] = {
    11: ("Agricultural and Biological Sciences", 1), 12: ("Arts and Humanities", 2),
    13: ("Biochemistry, Genetics and Molecular Biology", 1),
    14: ("Business, Management and Accounting", 2), 15: ("Chemical Engineering", 3),
    16: ("Chemistry", 3), 17: ("Computer Science", 3), 18: ("Decision Sciences", 2),
    19: ("Earth and Planetary Sciences", 3), 20: ("Economics, Econometrics and Finance", 2),
    21: ("Energy", 3), 22: ("Engineering", 3), 23: ("Environmental Science", 3),
    24: ("Immunology and Microbiology", 1), 25: ("Materials Science", 3), 26: ("Mathematics", 3),
    27: ("Medicine", 4), 28: ("Neuroscience", 1), 29: ("Nursing", 4),
    30: ("Pharmacology, Toxicology and Pharmaceutics", 1), 31: ("Physics and Astronomy", 3),
    32: ("Psychology", 2), 33: ("Social Sciences", 2), 34: ("Veterinary", 4),
    35: ("Dentistry", 4), 36: ("Health Professions", 4)}
#: The OpenAlex filter (and group-by) key of each kind of layer.
FILTER_KEYS = {"field": "primary_topic.field.id", "domain": "primary_topic.domain.id"}
#: Parquet metadata key (pandas ``attrs``) naming a table's layer.
LAYER_KEY = "bibnet.layer"
#: The name of the all-science layer, in the ``layer`` column and in file names.
ALL = "all"
LAYER_SPECS = ("none", "domains")
_ID = re.compile(r"(?:https://openalex\.org/)?(?:(fields|domains)/)?(\d+)", re.IGNORECASE)
_TAG = re.compile(r"(field|domain)-(\d+)-[a-z-]+")


@dataclass(frozen=True)
class Layer:
    """One layer: all-science (``kind="all"``), a field or a domain (``id`` its OpenAlex id)."""

    kind: str = ALL
    id: int | None = None

    def __post_init__(self):
        known = {ALL: {None}, "field": FIELDS, "domain": DOMAINS}.get(self.kind)
        if known is None or self.id not in known:
            raise ValueError(f"no OpenAlex layer of kind {self.kind!r} and id {self.id!r}")

    @property
    def is_all(self) -> bool:
        return self.kind == ALL

    @property
    def name(self) -> str:
        """OpenAlex's display name; ``all`` for all-science."""
        if self.kind == "field":
            return FIELDS[self.id][0]
        return DOMAINS[self.id] if self.kind == "domain" else ALL

    @property
    def domain(self) -> str | None:
        """The domain a field belongs to (a domain's own name; None for all-science)."""
        if self.kind == "field":
            return DOMAINS[FIELDS[self.id][1]]
        return self.name if self.kind == "domain" else None

    @property
    def tag(self) -> str:
        """The layer in file and folder names: ``all``, ``field-22-engineering``,
        ``domain-4-health-sciences`` (the id keeps the field and the domain Social Sciences
        apart, the name keeps the folders readable)."""
        if self.is_all:
            return ALL
        slug = re.sub(r"[^a-z]+", "-", self.name.lower()).strip("-")
        return f"{self.kind}-{self.id}-{slug}"

    @property
    def filter(self) -> dict[str, int]:
        """The OpenAlex work filter of the layer (empty for all-science)."""
        return {} if self.is_all else {FILTER_KEYS[self.kind]: self.id}

    def record(self) -> dict:
        """What manifests and provenance record of the layer."""
        record = {"layer": self.name, "tag": self.tag, "kind": self.kind}
        if not self.is_all:
            record.update(id=self.id, filter=f"{FILTER_KEYS[self.kind]}:{self.id}")
        return record

    @classmethod
    def from_tag(cls, tag: str) -> Layer:
        """The layer a `tag` names."""
        if tag == ALL:
            return ALL_SCIENCE
        match = _TAG.fullmatch(tag)
        layer = cls(match[1], int(match[2])) if match else None
        if layer is None or layer.tag != tag:
            raise ValueError(f"{tag!r} is not a layer tag such as 'all' or "
                             f"'{field_layer(22).tag}'")
        return layer


ALL_SCIENCE = Layer()
DOMAIN_LAYERS = tuple(Layer("domain", number) for number in DOMAINS)
FIELD_LAYERS = tuple(Layer("field", number) for number in FIELDS)


def _nearest(text: str, names: Iterable[str]) -> list[str]:
    """Names ``text`` may have meant: those whose words it abbreviates (``Comp Sci``), then the
    closest spellings."""
    names = list(names)
    words = text.lower().split()
    abbreviated = [name for name in names if words and all(
        any(part.startswith(word) for part in name.lower().replace(",", "").split())
        for word in words)]
    by_lower = {name.lower(): name for name in names}
    close = difflib.get_close_matches(text.strip().lower(), list(by_lower), n=3, cutoff=0.75)
    return list(dict.fromkeys(abbreviated + [by_lower[name] for name in close]))[:3]


def _suggestion(text: str, names: Iterable[str]) -> str:
    nearest = _nearest(text, names)
    if not nearest:
        return ""
    return " (did you mean " + " or ".join(repr(name) for name in nearest) + "?)"


def field_layer(value: int | str) -> Layer:
    """The field ``value`` names: an id (``22``, ``"22"``, ``"fields/22"``, the full URL) or a
    display name in any case.

    Raises
    ------
    ValueError
        Naming the value and, where there are any, the nearest field names; a domain is
        refused with a pointer to ``layers: domains``.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{value!r} is not an OpenAlex field id or name")
    text = str(value).strip()
    match = _ID.fullmatch(text)
    if match:
        number = int(match[2])
        if match[1] and match[1].lower() == "domains" or (not match[1] and number in DOMAINS):
            raise ValueError(f"{value!r} is a domain ({DOMAINS.get(number, 'unknown')}), not a "
                             "field; layers: domains gives the 4 domains")
        if number not in FIELDS:
            raise ValueError(f"{value!r} is not an OpenAlex field id (fields are "
                             f"{min(FIELDS)}-{max(FIELDS)})")
        return Layer("field", number)
    by_name = {name.lower(): number for number, (name, _) in FIELDS.items()}
    if text.lower() in by_name:
        return Layer("field", by_name[text.lower()])
    domains = {name.lower(): name for name in DOMAINS.values()}
    if text.lower() in domains:
        raise ValueError(f"{value!r} is a domain, not a field; layers: domains gives the 4 "
                         "domains, or list its fields by name")
    names = [name for name, _ in FIELDS.values()]
    raise ValueError(f"{value!r} is not an OpenAlex field{_suggestion(text, names)}")


def layer_by_name(value: int | str) -> Layer:
    """A field or a domain, by id (``22``, ``fields/22``, ``domains/3``: field ids 11-36 and
    domain ids 1-4 never meet) or by display name (Social Sciences, both a field and a
    domain, must be written ``fields/33`` or ``domains/2``)."""
    text = str(value).strip()
    match = _ID.fullmatch(text)
    domain_id = match and (match[1] or "").lower() != "fields" and int(match[2]) in DOMAINS
    if domain_id:
        return Layer("domain", int(match[2]))
    by_domain = {name.lower(): number for number, name in DOMAINS.items()}
    if text.lower() in by_domain:
        if any(name.lower() == text.lower() for name, _ in FIELDS.values()):
            number = by_domain[text.lower()]
            field = next(n for n, (name, _) in FIELDS.items() if name.lower() == text.lower())
            raise ValueError(f"{value!r} is both a domain and a field; write domains/{number} "
                             f"or fields/{field}")
        return Layer("domain", by_domain[text.lower()])
    try:
        return field_layer(value)
    except ValueError:
        names = [*DOMAINS.values(), *(name for name, _ in FIELDS.values())]
        raise ValueError(f"{value!r} is not an OpenAlex field or domain"
                         f"{_suggestion(text, names)}") from None


def layers_from_spec(spec: str | Iterable[int | str]) -> tuple[Layer, ...]:
    """The layers of a ``layers`` setting, all-science first.

    Raises
    ------
    ValueError
        For an unknown word (with the nearest of ``none`` and ``domains``), an unknown or
        repeated field, or an empty list.
    """
    if isinstance(spec, str):
        if spec == "none":
            return (ALL_SCIENCE,)
        if spec == "domains":
            return (ALL_SCIENCE, *DOMAIN_LAYERS)
        try:
            field = field_layer(spec)
        except ValueError:
            raise ValueError(f"{spec!r} is neither none nor domains nor a list of fields"
                             f"{_suggestion(spec, LAYER_SPECS)}") from None
        raise ValueError(f"{spec!r} is one field, not a list: write [{field.name}]")
    fields = [field_layer(value) for value in spec]
    if not fields:
        raise ValueError("the list of fields is empty")
    repeated = sorted({layer.name for layer in fields if fields.count(layer) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} listed more than once")
    return (ALL_SCIENCE, *fields)


def layers_from_config(config: Mapping) -> tuple[Layer, ...]:
    """The layers of a checked configuration (``layers``, by default ``none``)."""
    return layers_from_spec(config.get("layers", "none"))
