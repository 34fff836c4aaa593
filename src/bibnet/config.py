"""Checking the workflow configuration before anything runs.

A bad configuration must stop the workflow before the first API call or file write, with one
message that names the key, the bad value and the fix. The JSON schema in
``workflow/schemas/config.schema.yaml`` is the contract for shapes and types; this module turns
its errors into such messages and adds the checks a schema cannot express (known country codes,
years against today, the focal pair inside the country selection, the Pajek folder, the layers'
fields against OpenAlex's taxonomy).

Examples
--------
>>> cfg = check_config({"source": "pajek", "years": {"first": 2000, "last": 1999},
...                     "countries": "all", "focal": ["KR", "GB"], "seed": 1, "pajek_dir": "."})
Traceback (most recent call last):
...
bibnet.config.ConfigError: config key 'years': first (2000) is after last (1999). Fix: make years.first <= years.last.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from bibnet import countries as country_codes
from bibnet import taxonomy

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"
EARLIEST_YEAR = 1900


class ConfigError(ValueError):
    """A configuration value that cannot be used; the message says which and how to fix it."""

    def __init__(self, key: str, problem: str, fix: str):
        self.key, self.problem, self.fix = key, problem, fix
        super().__init__(f"config key '{key}': {problem}. Fix: {fix}.")


def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """The configuration's JSON schema (draft 2020-12)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def check_config(config: dict[str, Any], schema: dict | None = None,
                 today: dt.date | None = None) -> dict[str, Any]:
    """Validate ``config`` and return a copy with the schema's defaults filled in.

    Parameters
    ----------
    config : dict
        The configuration as Snakemake or ``yaml.safe_load`` gives it.
    schema : dict, optional
        The JSON schema; by default the workflow's own.
    today : datetime.date, optional
        What "the future" is measured against; by default today's date.

    Raises
    ------
    ConfigError
        For the first problem found, naming the key, the value and the fix.
    """
    schema = load_schema() if schema is None else schema
    checked = copy.deepcopy(config)
    _check_yaml_booleans(checked)
    _coerce_numbers(checked, schema)
    _check_synthetic_kind(checked, schema)
    _check_schema(checked, schema)
    _fill_defaults(checked, schema)
    if checked["source"] == "synthetic" and "years" in checked["synthetic"]:
        # The planted series is the run's series: every stage reads the top-level years.
        checked["years"] = dict(checked["synthetic"]["years"])
    _check_years(checked["years"], today or dt.date.today())
    _check_countries(checked)
    _check_layers(checked)
    _check_robustness(checked["hypotheses"]["robustness"])
    if checked["source"] == "pajek":
        _check_pajek_counting(checked)
        _check_pajek_dir(checked)
    if checked["source"] == "synthetic":
        _check_synthetic_world(checked)
    return checked


def _key(path) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


def _coerce_numbers(config: dict, schema: dict) -> None:
    """Turn numeric (and true/false) text into numbers (booleans) where the schema wants them.

    Snakemake's ``--config years='{first: 2003, last: 2005}'`` leaves nested values as text,
    those of free keys too (``synthetic={size_rank: {GB: 5}}``).
    """
    extra = schema.get("additionalProperties")
    for key in list(config):
        sub = schema.get("properties", {}).get(key, extra if isinstance(extra, dict) else None)
        if sub is None:
            continue
        value = config[key]
        if isinstance(value, dict):
            _coerce_numbers(value, sub)
        elif isinstance(value, str) and sub.get("type") == "boolean":
            config[key] = {"true": True, "false": False}.get(value.lower(), value)
        elif isinstance(value, str) and sub.get("type") in ("integer", "number"):
            try:
                config[key] = int(value) if sub["type"] == "integer" else float(value)
            except ValueError:
                pass  # left for the schema check to report


def _check_schema(config: dict, schema: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: (len(e.path), list(e.path)))
    if not errors:
        return
    error = errors[0]
    key = _key(error.path)
    if error.validator == "additionalProperties":
        known = ", ".join(sorted(error.schema.get("properties", {})))
        raise ConfigError(key, error.message, f"remove or rename it; known keys here: {known}")
    if error.validator == "required":
        raise ConfigError(key, error.message, "add it (config/config.yaml shows every key)")
    description = error.schema.get("description")
    if description is None and error.path:
        parent = schema
        for part in error.path:
            parent = parent.get("properties", {}).get(part, {}) if isinstance(part, str) else parent
        description = parent.get("description")
    fix = f"give {description}" if description else "see config/README.md"
    raise ConfigError(key, f"{error.instance!r} is not valid ({error.message})", fix)


def _fill_defaults(config: dict, schema: dict) -> None:
    for key, sub in schema.get("properties", {}).items():
        if key not in config and "default" in sub:
            config[key] = copy.deepcopy(sub["default"])
        if isinstance(config.get(key), dict) and sub.get("type") == "object":
            _fill_defaults(config[key], sub)


def _check_yaml_booleans(config: dict) -> None:
    """Name the country codes YAML 1.1 read as booleans: a bare ``NO`` (Norway) is false.

    YAML also reads ``YES``, ``ON``, ``OFF``, ``TRUE`` and ``FALSE`` (any case) as booleans,
    so the schema would only see ``false`` where the user wrote Norway.
    """
    for key in ("countries", "focal"):
        values = config.get(key)
        if not isinstance(values, list):
            continue
        for position, value in enumerate(values, start=1):
            if isinstance(value, bool):
                written = "NO (Norway), OFF or FALSE" if value is False else "YES, ON or TRUE"
                raise ConfigError(
                    key, f"item {position} is the boolean {str(value).lower()}: YAML reads a "
                    f"bare {written} as a boolean, not as text",
                    "quote the code, e.g. 'NO' for Norway: countries: [US, GB, 'NO']")


def _check_pajek_counting(config: dict) -> None:
    if config["counting"] != "whole":
        raise ConfigError(
            "counting", f"{config['counting']!r} needs each work's number of countries, and "
            "source pajek has whole counts only (a Pajek network holds pair totals, not works)",
            "set counting: whole with source pajek, or use source: openalex (or synthetic) "
            "for fractional or capped counts")


def _check_years(years: dict, today: dt.date) -> None:
    first, last = years["first"], years["last"]
    if first < EARLIEST_YEAR:
        raise ConfigError("years.first", f"{first} is before {EARLIEST_YEAR}",
                          f"set years.first to {EARLIEST_YEAR} or later")
    if last > today.year:
        raise ConfigError("years.last", f"{last} is in the future (this is {today.year})",
                          f"set years.last to {today.year} or earlier")
    if first > last:
        raise ConfigError("years", f"first ({first}) is after last ({last})",
                          "make years.first <= years.last")


def _code_problem(code: str) -> tuple[str, str] | None:
    if country_codes.is_known(code):
        return None
    if country_codes.is_known(code.upper()):
        return f"{code!r} is not upper case", f"write it as {code.upper()!r}"
    problem = f"{code!r} is not an ISO 3166-1 alpha-2 country code"
    meant = country_codes.meant(code)
    if meant:
        return problem, f"did you mean {meant!r} ({country_codes.name(meant)})? Write {meant!r}"
    return problem, "use a two-letter code such as 'KR' or 'GB' (Namibia is 'NA', in quotes)"


def _check_countries(config: dict) -> None:
    selection = config["countries"]
    if selection != "all":
        for code in selection:
            problem = _code_problem(code)
            if problem:
                raise ConfigError("countries", *problem)
    for code in config["focal"]:
        problem = _code_problem(code)
        if problem:
            raise ConfigError("focal", *problem)
        if selection != "all" and code not in selection:
            raise ConfigError("focal", f"{code!r} is not in countries",
                              f"add {code!r} to countries or choose a focal country from them")


def _check_layers(config: dict) -> None:
    """The layers name OpenAlex fields (with the nearest names on a typo), a source that has
    them, and no filter of their own in ``openalex.filters``."""
    try:
        layers = taxonomy.layers_from_spec(config["layers"])
    except ValueError as error:
        raise ConfigError("layers", str(error),
                          "write none, domains, or a list of OpenAlex fields by id (11-36, or "
                          "fields/N) or display name, e.g. [Engineering, Medicine]; "
                          "config/README.md lists all 26") from None
    if len(layers) == 1:
        return
    if config["source"] == "pajek":
        raise ConfigError("layers", f"{config['layers']!r} needs each work's field, and source "
                          "pajek has all-science networks only",
                          "set layers: none with source pajek, or use source: openalex (or "
                          "synthetic) for layers")
    clash = sorted(key for key in config["openalex"]["filters"] if key.startswith("primary_topic"))
    if clash:
        raise ConfigError("openalex.filters", f"{', '.join(clash)} filters by topic, and each "
                          "layer has its own topic filter", "remove it from openalex.filters, "
                          "or set layers: none")
    if config["source"] == "synthetic":
        _check_synthetic_layers(config["synthetic"])


def _check_synthetic_kind(config: dict, schema: dict) -> None:
    """Name the nearest sphere-world kind to a misspelt ``synthetic.kind`` (the schema's own
    message would only list them)."""
    kind = config.get("synthetic", {}).get("kind") if isinstance(config.get("synthetic"),
                                                                 dict) else None
    kinds = schema["properties"]["synthetic"]["properties"]["kind"]["enum"]
    if kind is None or kind in kinds:
        return
    meant = difflib.get_close_matches(str(kind), kinds, n=1, cutoff=0.5)
    fix = (f"did you mean {meant[0]!r}? " if meant else "") + f"use one of {', '.join(kinds)}"
    raise ConfigError("synthetic.kind", f"{kind!r} is no sphere-world kind", fix)


def _check_synthetic_world(config: dict) -> None:
    """Draw the planted world (and each layer's) once, so that a placement the world cannot
    take (a sphere of no planted centre, two countries at one rank, an effect the kind has
    not) stops the run now, not in the counts stage (a world of 250 countries takes 0.05 s)."""
    # imported here: only a synthetic run pays for the simulation's imports
    from bibnet.simulate.layers import layer_config, layer_overrides
    from bibnet.simulate.source import configured_world

    synthetic = config["synthetic"]
    _check_placements("synthetic", synthetic)
    for layer in taxonomy.layers_from_spec(config["layers"]):
        if not (layer.is_all or layer_overrides(synthetic, layer)):
            continue  # the all-science world at the layer's share
        try:
            configured_world(layer_config(config, layer))
        except ValueError as error:
            where = "synthetic" if layer.is_all else f"synthetic.layers ({layer.name})"
            raise ConfigError(where, str(error), "change the placement, the effects or the kind "
                              "(config/README.md, the synthetic source)") from None


def _check_synthetic_layers(synthetic: dict) -> None:
    for layer, overrides in synthetic.get("layers", {}).items():
        try:
            taxonomy.layer_by_name(layer)
        except ValueError as error:
            raise ConfigError("synthetic.layers", str(error),
                              "key each entry by an OpenAlex field or domain, e.g. Engineering "
                              "or Physical Sciences") from None
        _check_placements(f"synthetic.layers.{layer}", overrides)


def _check_placements(key: str, placements: dict) -> None:
    """The codes a ``size_rank`` or ``sphere_of`` names (a sphere's centre too) are known."""
    for what in ("size_rank", "sphere_of"):
        for code, value in placements.get(what, {}).items():
            for given in (code, value) if what == "sphere_of" else (code,):
                problem = _code_problem(given)
                if problem:
                    raise ConfigError(f"{key}.{what}", *problem)


def _check_robustness(robustness: dict) -> None:
    if robustness["first"] > robustness["last"]:
        raise ConfigError(
            "hypotheses.robustness",
            f"first ({robustness['first']}) is after last ({robustness['last']})",
            "give the fewest centres first, e.g. {first: 3, last: 8}")


def _check_pajek_dir(config: dict) -> None:
    if "pajek_dir" not in config:
        raise ConfigError("pajek_dir", "it is missing and source is pajek",
                          "set pajek_dir to a folder of WrldCoYYYY.net files, or use another source")
    folder = Path(config["pajek_dir"])
    if not folder.is_dir():
        raise ConfigError("pajek_dir", f"{str(folder)!r} is not a folder",
                          "point pajek_dir at a folder of WrldCoYYYY.net files")
    years = range(config["years"]["first"], config["years"]["last"] + 1)
    missing = [year for year in years if not (folder / f"WrldCo{year}.net").is_file()]
    if missing:
        shown = ", ".join(map(str, missing[:5])) + (" ..." if len(missing) > 5 else "")
        raise ConfigError("pajek_dir", f"{str(folder)!r} has no network for {shown}",
                          "narrow years to the years the folder holds, or add their files")


def window_years(year: int, width: int, first: int, last: int) -> list[int]:
    """The years a ``width``-year window centred on ``year`` covers within ``first..last``.

    Examples
    --------
    >>> window_years(2000, 3, 1990, 2023), window_years(1990, 3, 1990, 2023)
    ([1999, 2000, 2001], [1990, 1991])
    """
    half = width // 2
    return [y for y in range(year - half, year + half + 1) if first <= y <= last]
