from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)
