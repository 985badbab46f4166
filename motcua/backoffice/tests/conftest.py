"""The test office of the dossiers app (a ward committee, its officers, a citizen) and page helpers."""

from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)
