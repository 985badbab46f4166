"""motcua: an open one-stop system for Vietnamese online public services."""
