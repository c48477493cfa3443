"""Converters: captured forum threads (page dumps, saved HTML, JSON) → thread model → MyST pages.

Data flows one way: `formats` read a capture into a `model.Thread`, `anchors` gives every post its
permanent anchor, `myst_writer` renders the page, and `importer` writes the corpus atomically.
"""
