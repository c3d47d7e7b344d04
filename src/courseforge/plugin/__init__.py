"""The MkDocs adapter over `courseforge.core`."""
