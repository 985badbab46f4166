# The test office (agency, officers, citizen, published procedure) of the dossier tests.
from motcua.dossiers.tests.conftest import office  # noqa: F401
