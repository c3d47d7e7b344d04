"""courseforge: publish an interactive, partly paid course as a static site."""

__version__ = "0.1.0"
