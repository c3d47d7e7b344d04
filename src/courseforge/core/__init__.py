"""The MkDocs-free core: the course model, what each edition shows, and why.

Nothing in this package imports MkDocs (Python-Markdown and pymdown-extensions only), so the
same rules serve the MkDocs plugin, the `courseforge` command line and any later port to
another site generator.
"""
