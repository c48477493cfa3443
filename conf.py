"""Sphinx configuration for the forum corpus site (build with `make html`)."""

project = "Forum corpus"
author = "Forum corpus contributors"

extensions = ["myst_parser", "sphinx_design", "ext"]

# Only the home page, the corpus and the documentation pages are read.
root_doc = "index"
include_patterns = ["index.md", "corpus/**", "docs/**"]
exclude_patterns = ["_build", ".venv"]
source_suffix = {".md": "markdown"}
suppress_warnings = ["toc.not_included"]

# Untrusted text: the extension enforces these too; they are here so readers see them.
myst_enable_extensions = ["colon_fence"]
myst_disable_syntax = ["html_block", "html_inline"]
smartquotes = False

# Corpus settings.
forum_corpus_dir = "corpus"
forum_base_url = ""  # e.g. "https://corpus.example.org/" to export absolute post URLs
# Citations (see README, "Citing posts"): forum display names, and the access date cited for pages
# that record no retrieval date.
forum_names: dict[str, str] = {}  # e.g. {"TB2K": "Time Bomb 2000 Forum"}
forum_default_retrieved = ""  # YYYY-MM-DD

html_theme = "furo"
html_title = "Forum corpus"
# No navigation tree listing every thread on every page: that makes builds quadratic.
html_sidebars = {"**": ["sidebar/brand.html", "sidebar/search.html"]}
html_static_path: list[str] = []
html_show_sourcelink = False
html_copy_source = False
