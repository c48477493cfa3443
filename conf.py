"""Sphinx configuration for the forum corpus site (build with `make html`)."""

project = "Forum corpus"
author = "Forum corpus contributors"

# sphinx-design (pinned in requirements.txt) is not loaded: no page of the site uses its directives,
# and its post-transforms walk every page all the same (7% of a clean build's work, bench/buildwork.py).
# Add "sphinx_design" here to use its cards, grids and tabs in your own pages.
extensions = ["myst_parser", "ext"]

# Only the home page, the corpus and the documentation pages are read.
root_doc = "index"
include_patterns = ["index.md", "corpus/**", "docs/**"]
exclude_patterns = ["_build", ".venv"]
source_suffix = {".md": "markdown"}
suppress_warnings = ["toc.not_included"]

# Untrusted text (see SECURITY.md): the extension enforces these too; they are here so readers see them.
# It also turns docutils' raw and file insertion off, refuses MyST's `substitution` extension and
# sphinx.ext.ifconfig (both evaluate page text), and guards corpus pages at build time.
myst_enable_extensions = ["colon_fence"]
myst_disable_syntax = ["html_block", "html_inline"]
smartquotes = False
# Every page carries this Content-Security-Policy (a <meta> tag); the extension adds the hashes of the
# theme's own inline script and styles. "" turns it off.
forum_csp = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
             "connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")
forum_external_rel = "nofollow noopener"  # on every link to another site

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
