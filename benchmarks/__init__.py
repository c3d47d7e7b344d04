"""courseforge's benchmark (issue 14): `python -m benchmarks --help`; see benchmarks/README.md."""
