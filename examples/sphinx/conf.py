# Sphinx configuration of the layercake example: the Furo theme and
# extensions that come with Sphinx, all from Debian packages.
project = "layercake × Sphinx"
author = "layercake"
copyright = "2025, layercake"

extensions = [
    "sphinx.ext.todo",
    "sphinx.ext.extlinks",
]

extlinks = {"debian": ("https://packages.debian.org/trixie/%s", "%s")}
todo_include_todos = True

exclude_patterns = ["_build", "README.md"]

html_theme = "furo"
html_title = "layercake × Sphinx"
html_static_path = ["_static"]
html_css_files = ["extra.css"]
