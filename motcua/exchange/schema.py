"""The XML Schemas of edXML packages and status messages (``schema/*.xsd``, written from the
standard's field list), checked with xmlschema. Every package we send is validated before it leaves;
every package we receive is validated before it is read."""

from functools import lru_cache
from pathlib import Path

import xmlschema
from lxml import etree

from motcua.exchange.edxml import MalformedPackage, is_status

DIRECTORY = Path(__file__).resolve().parent / "schema"


@lru_cache(maxsize=2)
def _schema(name: str) -> xmlschema.XMLSchema:
    # Local files only: the schemas import nothing from the network, the packages are parsed already.
    return xmlschema.XMLSchema(str(DIRECTORY / name), allow="local")


def package_schema() -> xmlschema.XMLSchema:
    return _schema("edxml.xsd")


def status_schema() -> xmlschema.XMLSchema:
    return _schema("edxml-status.xsd")


def validate(root: etree._Element) -> None:
    """MalformedPackage naming the first element that breaks the schema (a status message is checked
    against the status schema)."""
    schema = status_schema() if is_status(root) else package_schema()
    error = next(schema.iter_errors(root), None)
    if error is not None:
        where = error.path or ""
        raise MalformedPackage(f"Schema: {where}: {error.reason or error.message}".strip())
