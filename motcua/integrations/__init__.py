"""Integrations with national systems, above dossiers: the national public-service portal (``national``)."""
