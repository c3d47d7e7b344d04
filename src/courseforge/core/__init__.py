"""The MkDocs-free core: lesson model, block splitting, reading time, preview cutoff, validation.

Nothing in this package imports MkDocs, so the same rules serve the MkDocs plugin, the
`courseforge` command line and any later port to another site generator.
"""
