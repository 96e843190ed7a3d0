package initspec

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// dir is a MapFS entry for an empty folder.
var dir = &fstest.MapFile{Mode: 0o755 | 1<<31}

// realLayouts are small stand-ins for the layouts of real repositories init
// was tried on: the files and settings that decide what it writes, nothing
// else. Each is named after the kind of repository it mirrors.
var realLayouts = []struct {
	name      string
	fsys      fstest.MapFS
	generator string
	reason    string
}{
	// Eleventy's base blog: the build script runs Eleventy, whose config
	// writes _site; .nvmrc asks for a newer Node.js than Debian's.
	{"eleventy-base-blog", fstest.MapFS{
		"package.json":       file(`{"scripts": {"build": "npx @11ty/eleventy", "start": "npx @11ty/eleventy --serve"}, "devDependencies": {"@11ty/eleventy": "^3.0.0"}, "engines": {"node": ">=18"}}`),
		"package-lock.json":  file("{}\n"),
		".nvmrc":             file("22\n"),
		"eleventy.config.js": file("export const config = {\n\tdir: { input: \"content\", output: \"_site\" },\n};\n// outputPath: \"/feed.xml\"\n"),
		"content/index.md":   file("# hi\n"),
	}, Eleventy, "found package.json depending on @11ty/eleventy"},
	// A blog whose build script bundles JavaScript with rollup before
	// Eleventy runs, through other scripts.
	{"eleventy-script-chain", fstest.MapFS{
		"package.json":      file(`{"scripts": {"build": "npm run clean && npm run build-ci", "build-ci": "npm run js-build && eleventy && npm run test", "js-build": "rollup -c", "clean": "rm -rf _site/posts", "test": "mocha", "serve": "eleventy --serve"}, "dependencies": {"@11ty/eleventy": "^2.0.0"}}`),
		"package-lock.json": file("{}\n"),
		".eleventy.js":      file("module.exports = () => ({ dir: { output: \"_site\" } });\n"),
	}, Eleventy, "found package.json depending on @11ty/eleventy"},
	// An Astro theme with npm and an .npmrc; the config's `output:` is
	// Astro's rendering mode, not a folder.
	{"astro-npm", fstest.MapFS{
		"package.json":          file(`{"scripts": {"dev": "astro dev", "build": "astro build", "check": "astro check"}, "dependencies": {"astro": "^5.0.0"}}`),
		"package-lock.json":     file("{}\n"),
		".npmrc":                file("save-exact=true\n"),
		"astro.config.ts":       file("export default defineConfig({ output: 'static' });\n"),
		"src/pages/index.astro": file("<p>hi</p>\n"),
	}, Astro, "found package.json depending on astro"},
	// A pnpm monorepo whose root depends on astro without configuring it;
	// the site is docs/, which takes the theme from the workspace.
	{"astro-pnpm-monorepo", fstest.MapFS{
		"package.json":                file(`{"name": "root", "packageManager": "pnpm@10.4.1+sha512.abc", "devDependencies": {"astro": "^5.0.0"}}`),
		"pnpm-lock.yaml":              file("lockfileVersion: '9.0'\n"),
		"pnpm-workspace.yaml":         file("packages:\n  - 'packages/**/*'\n  - 'docs'\n"),
		"packages/theme/package.json": file(`{"name": "theme"}`),
		"docs/package.json":           file(`{"name": "docs", "scripts": {"build": "astro build"}, "dependencies": {"astro": "^5.0.0", "theme": "workspace:*"}}`),
		"docs/astro.config.mjs":       file("export default {};\n"),
		"docs/src/content/docs/a.md":  file("# hi\n"),
	}, Astro, "found docs/package.json depending on astro"},
	// Docusaurus at the root of a documentation repository, npm.
	{"docusaurus-npm", fstest.MapFS{
		"package.json":         file(`{"scripts": {"start": "docusaurus start", "build": "docusaurus build", "serve": "docusaurus serve"}, "dependencies": {"@docusaurus/core": "^3.0.0"}}`),
		"package-lock.json":    file("{}\n"),
		"docusaurus.config.js": file("module.exports = {};\n"),
	}, Docusaurus, "found package.json depending on @docusaurus/core"},
	// A library's monorepo: Yarn 4 workspaces with the release committed
	// (yarnPath) and node_modules, the site in website/.
	{"docusaurus-yarn-website", fstest.MapFS{
		"package.json":                  file(`{"name": "mono", "packageManager": "yarn@4.4.1", "workspaces": ["packages/*", "website"], "scripts": {"build": "yarn build:packages"}}`),
		"yarn.lock":                     file("__metadata:\n  version: 8\n"),
		".yarnrc.yml":                   file("nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.4.1.cjs\n"),
		".yarn/releases/yarn-4.4.1.cjs": file("// yarn\n"),
		"packages/toolkit/package.json": file(`{"name": "toolkit"}`),
		"website/package.json":          file(`{"name": "website", "scripts": {"build": "docusaurus build", "netlify-build": "yarn install && yarn build"}, "dependencies": {"@docusaurus/core": "^3.0.0"}}`),
		"website/docusaurus.config.ts":  file("export default {};\n"),
	}, Docusaurus, "found website/package.json depending on @docusaurus/core"},
	// A Yarn 1 site: yarn is fetched for the install, the build runs with npm.
	{"docusaurus-yarn1", fstest.MapFS{
		"package.json":         file(`{"scripts": {"build": "docusaurus build --out-dir public"}, "dependencies": {"@docusaurus/core": "^2.4.0"}}`),
		"yarn.lock":            file("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n"),
		"docusaurus.config.js": file("module.exports = {};\n"),
	}, Docusaurus, "found package.json depending on @docusaurus/core"},
	// VitePress' own repository: pnpm workspace, the docs in docs/ with
	// their own package.json; the root's scripts run pnpm.
	{"vitepress-pnpm-docs", fstest.MapFS{
		"package.json":              file(`{"name": "vitepress", "packageManager": "pnpm@10.0.0", "scripts": {"docs:build": "pnpm build && pnpm -F=docs build"}, "devDependencies": {"rollup": "^4"}}`),
		"pnpm-lock.yaml":            file("lockfileVersion: '9.0'\n"),
		"pnpm-workspace.yaml":       file("packages:\n  - docs\n"),
		"docs/package.json":         file(`{"name": "docs", "scripts": {"build": "vitepress build"}, "devDependencies": {"vitepress": "workspace:*"}}`),
		"docs/.vitepress/config.ts": file("export default {};\n"),
		"docs/index.md":             file("# hi\n"),
	}, VitePress, "found docs/package.json depending on vitepress"},
	// A project with VitePress docs built by a pnpm script: pnpm is not in
	// the build step, so VitePress runs itself; no pnpm version anywhere.
	{"vitepress-pnpm-script", fstest.MapFS{
		"package.json":               file(`{"scripts": {"docs:build": "pnpm run gen && vitepress build docs", "gen": "node gen.js"}, "devDependencies": {"vitepress": "^1.5.0"}}`),
		"pnpm-lock.yaml":             file("lockfileVersion: '6.0'\n"),
		"docs/.vitepress/config.mts": file("export default { outDir: '../public' };\n"),
	}, VitePress, "found package.json depending on vitepress"},
	// A GitHub Pages site: github-pages in the Gemfile, development and test
	// groups, plugins with one Debian lacks, jekyll-github-metadata, and a
	// GitHub remote in .git/config.
	{"jekyll-github-pages", fstest.MapFS{
		"_config.yml": file("title: Licenses\nplugins:\n  - jekyll-sitemap\n  - jekyll-seo-tag\n  - jekyll-coffeescript\n  - jekyll-github-metadata # links\n"),
		"Gemfile":     file("source 'https://rubygems.org'\ngem 'github-pages', versions['github-pages']\ngem 'webrick', '~> 1.7'\n\ngroup :development do\n  gem 'colored'\n  gem 'terminal-table'\nend\n\ngroup :test do\n  gem 'html-proofer', '~> 3.0'\n  gem 'rspec'\nend\n"),
		".git/config": file("[remote \"origin\"]\n\turl = git@github.com:example/licenses.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"),
	}, Jekyll, "found _config.yml"},
	// A theme's own repository: the Gemfile says gemspec, the gemspec names
	// the plugins; a gem only for one Jekyll version is conditional.
	{"jekyll-theme-gemspec", fstest.MapFS{
		"_config.yml":     file("# theme: minima\n# plugins:\n#  - jekyll-feed\n"),
		"Gemfile":         file("source \"https://rubygems.org\"\ngemspec\n\ngem \"jekyll\", ENV[\"JEKYLL_VERSION\"] if ENV[\"JEKYLL_VERSION\"]\ngem \"kramdown-parser-gfm\" if ENV[\"JEKYLL_VERSION\"] == \"~> 3.9\"\n"),
		"theme.gemspec":   file("Gem::Specification.new do |spec|\n  spec.add_runtime_dependency \"jekyll\", \">= 3.5\"\n  spec.add_runtime_dependency \"jekyll-feed\", \"~> 0.9\"\n  spec.add_runtime_dependency \"jekyll-seo-tag\", \"~> 2.1\"\n  spec.add_development_dependency \"bundler\"\nend\n"),
		"_layouts/a.html": file("{{ content }}\n"),
	}, Jekyll, "found _config.yml"},
	// An old GitHub Pages theme with no Gemfile: paginate: with no plugin,
	// settings Jekyll 4 stops on (built for real: these stopped it).
	{"jekyll-paginate-no-plugin", fstest.MapFS{
		"_config.yml": file("markdown: redcarpet\npermalink: pretty\nrelative_permalinks: true\npaginate: 5\n"),
		"index.html":  file("{% for post in paginator.posts %}{% endfor %}\n"),
	}, Jekyll, "found _config.yml"},
	// A project's GitHub Pages site in docs/, plugins in the Gemfile's
	// jekyll_plugins group only.
	{"jekyll-docs-folder", fstest.MapFS{
		"go.mod":           file("module example.org/tool\n"),
		"docs/_config.yml": file("theme: minima\n"),
		"docs/Gemfile":     file("source \"https://rubygems.org\"\ngem \"jekyll\", \"~> 4.3\"\ngem \"minima\"\ngroup :jekyll_plugins do\n  gem \"jekyll-feed\"\nend\n"),
	}, Jekyll, "found docs/_config.yml"},
	// A Hugo site with a theme that needs Hugo 0.146, as PaperMod's
	// theme.toml says; trixie has 0.131.
	{"hugo-theme-min-version", fstest.MapFS{
		"hugo.toml":                   file("baseURL = 'https://blog.example.org/'\ntheme = 'PaperMod'\n"),
		"themes/PaperMod/theme.toml":  file("name = \"PaperMod\"\nlicense = \"MIT\"\nmin_version = \"0.146.0\"\n"),
		"themes/PaperMod/layouts/x.h": file(""),
	}, Hugo, "found hugo.toml"},
	// A Hugo site whose module config asks for a version trixie has.
	{"hugo-module-min-met", fstest.MapFS{
		"hugo.toml": file("baseURL = 'https://example.org/'\n[module]\n  [module.hugoVersion]\n    extended = true\n    min = \"0.120.0\"\n"),
	}, Hugo, "found hugo.toml"},
	// An Astro site that needs Node.js 22.12 (engines, as Astro 6 does).
	{"astro-engines-node22", fstest.MapFS{
		"package.json":      file(`{"engines": {"node": ">=22.12.0"}, "scripts": {"build": "astro build"}, "dependencies": {"astro": "^6.0.0"}}`),
		"package-lock.json": file("{}\n"),
		"astro.config.mjs":  file("export default {};\n"),
	}, Astro, "found package.json depending on astro"},
	// A Hugo blog whose theme is a git submodule that is not checked out.
	{"hugo-theme-submodule", fstest.MapFS{
		"config.toml":        file("baseURL = 'https://blog.example.org/'\ntheme = 'ananke'\n"),
		".gitmodules":        file("[submodule \"themes/ananke\"]\n\tpath = themes/ananke\n\turl = https://example.org/ananke.git\n"),
		"themes/ananke":      dir,
		"content/posts/a.md": file("# hi\n"),
	}, Hugo, "found config.toml"},
	// Material for MkDocs with its own plugins, one Debian lacks, hooks, and
	// MkDocs' tags in the file.
	{"mkdocs-material-plugins", fstest.MapFS{
		"mkdocs.yml": file("site_name: Docs\ntheme:\n  name: material\n  custom_dir: overrides\nplugins:\n  - blog\n  - search:\n      separator: '[\\s]+'\n  - minify:\n      minify_html: true\nmarkdown_extensions:\n  - admonition\n  - toc:\n      permalink: true\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n  - pymdownx.superfences\nhooks:\n  - overrides/hooks/a.py\n"),
	}, MkDocs, "found mkdocs.yml"},
	// An MkDocs site that inherits part of its configuration, with
	// extensions Debian does not have.
	{"mkdocs-inherit", fstest.MapFS{
		"mkdocs.yml":     file("INHERIT: ./mkdocs.env.yml\nsite_name: Lib\ntheme:\n  name: material\nmarkdown_extensions:\n  material.extensions.preview: {}\n  abbr: null\n  mdx_include: {base_path: docs}\n"),
		"mkdocs.env.yml": file("markdown_extensions:\n  pymdownx.highlight:\n    linenums: !ENV [LINENUMS, false]\nplugins:\n  - redirects\n"),
	}, MkDocs, "found mkdocs.yml"},
	// A Sphinx guide (python-guide): conf.py in docs/ from an old
	// sphinx-quickstart, alabaster with templates of its own on
	// html_theme_path, built-in extensions only, intersphinx.
	{"sphinx-guide-docs", fstest.MapFS{
		"docs/conf.py": file("# -*- coding: utf-8 -*-\n# created by\n# sphinx-quickstart on Wed Aug  4 22:51:11 2010.\nimport os\nimport sys\nsys.path.append(os.path.abspath('_themes'))\n" +
			"extensions = [\n    'sphinx.ext.ifconfig',\n    'sphinx.ext.todo',\n    'sphinx.ext.intersphinx',\n    'sphinx.ext.doctest',\n]\nmaster_doc = 'index'\n" +
			"current_year = datetime.datetime.now().year\npygments_style = 'flask_theme_support.FlaskyStyle'\nhtml_theme = 'alabaster'\nhtml_theme_path = ['_themes']\n"),
		"docs/_themes/flask_theme_support.py": file("# styles\n"),
		"docs/index.rst":                      file("Guide\n=====\n"),
		"docs/requirements.txt":               file("Sphinx==7.2.6\n"),
		"Makefile":                            file("docs:\n\tmake -C docs html\n"),
	}, Sphinx, "found docs/conf.py"},
	// A library's Read the Docs project: sphinx-quickstart with separate
	// source and build folders (docs/source/conf.py), the Read the Docs
	// theme, MyST Markdown, copy buttons, autodoc of the package and a
	// pyproject.toml at the top.
	{"sphinx-rtd-source", fstest.MapFS{
		"pyproject.toml":        file("[project]\nname = \"lib\"\n"),
		"src/lib/__init__.py":   file(""),
		".readthedocs.yaml":     file("version: 2\nsphinx:\n  configuration: docs/source/conf.py\n"),
		"docs/Makefile":         file("SOURCEDIR = source\n"),
		"docs/requirements.txt": file("sphinx-rtd-theme\nmyst-parser\nsphinx-copybutton\n"),
		"docs/source/conf.py":   file("# Configuration file for the Sphinx documentation builder.\nproject = 'lib'\nextensions = [\n    \"sphinx.ext.autodoc\",  # API\n    \"sphinx.ext.napoleon\",\n    \"myst_parser\",\n    \"sphinx_copybutton\",\n    # \"sphinx_gallery.gen_gallery\",\n]\nhtml_theme = \"sphinx_rtd_theme\"\n"),
		"docs/source/index.md":  file("# lib\n"),
	}, Sphinx, "found docs/source/conf.py"},
	// A project with Furo in doc/, an extension of its own in _ext/ (on
	// sys.path), extensions appended later in conf.py, one Debian lacks.
	{"sphinx-furo-local-ext", fstest.MapFS{
		"doc/conf.py":            file("import os, sys\nsys.path.insert(0, os.path.abspath(\"_ext\"))\nextensions = [\"sphinx.ext.graphviz\", \"sphinxcontrib.mermaid\", \"sphinxext.opengraph\", \"issue_role\"]\nextensions.append(\"sphinx_design\")\nextensions += [\"sphinx_last_updated_by_git\"]\nhtml_theme = \"furo\"\n"),
		"doc/_ext/issue_role.py": file("def setup(app): pass\n"),
		"doc/index.rst":          file("Hi\n==\n"),
	}, Sphinx, "found doc/conf.py"},
	// Documentation at the top of its own repository, with a theme Debian
	// lacks.
	{"sphinx-root-theme", fstest.MapFS{
		"conf.py":   file("project = \"Handbook\"\nhtml_theme = 'shibuya'\nextensions = ['sphinx.ext.todo', 'sphinx_sitemap']\n"),
		"index.rst": file("Handbook\n========\n"),
	}, Sphinx, "found conf.py"},
	// A Pelican blog: publishconf.py for the published build, a theme in
	// the repository, plugins from a checked-out plugins repository (one
	// missing), typographic quotes.
	{"pelican-blog", fstest.MapFS{
		"pelicanconf.py":                      file("AUTHOR = 'A'\nSITENAME = 'Blog'\nPATH = 'content'\nTHEME = 'themes/Flex'\nPLUGIN_PATHS = ['pelican-plugins']\nPLUGINS = [\n    'sitemap',\n    'neighbors',  # prev/next\n]\nTYPOGRIFY = True\n# DEFAULT_DATE = 'fs'\n"),
		"publishconf.py":                      file("import os\nimport sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *\nSITEURL = 'https://blog.example.org'\nRELATIVE_URLS = False\nDELETE_OUTPUT_DIRECTORY = True\n"),
		"themes/Flex/templates/base.html":     file("{{ SITENAME }}\n"),
		"pelican-plugins/sitemap/__init__.py": file("from .sitemap import *\n"),
		"content/first.md":                    file("Title: First\nDate: 2024-01-01\n\nHi.\n"),
		"Makefile":                            file("publish:\n\tpelican content -s publishconf.py\n"),
	}, Pelican, "found pelicanconf.py"},
	// pelican-quickstart's files in a project's docs/ folder, undated
	// articles dated by their files.
	{"pelican-quickstart-docs", fstest.MapFS{
		"docs/pelicanconf.py": file("AUTHOR = 'A'\nSITENAME = 'Docs'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'Europe/Paris'\nDEFAULT_LANG = 'en'\nDEFAULT_DATE = 'fs'\n"),
		"docs/content/a.rst":  file("A\n=\n"),
	}, Pelican, "found docs/pelicanconf.py"},
	// A Rust project's book in book/: mermaid diagrams through a
	// preprocessor, a link checker marked optional.
	{"mdbook-rust-book", fstest.MapFS{
		"Cargo.toml":          file("[package]\nname = \"tool\"\n"),
		"book/book.toml":      file("[book]\ntitle = \"Tool\"\nsrc = \"src\"\n\n[preprocessor.mermaid]\ncommand = \"mdbook-mermaid\"\n\n[output.html]\nadditional-js = [\"mermaid.min.js\"]\n\n[output.linkcheck]\noptional = true\n"),
		"book/src/SUMMARY.md": file("- [Intro](intro.md)\n"),
		"book/src/intro.md":   file("# Intro\n"),
		"book/mermaid.min.js": file("//\n"),
	}, MdBook, "found book/book.toml"},
	// A book at the top of its repository with only the HTML renderer.
	{"mdbook-plain", fstest.MapFS{
		"book.toml":      file("[book]\nauthors = [\"A\"]\nlanguage = \"en\"\ntitle = \"Guide\"\n"),
		"src/SUMMARY.md": file("# Summary\n"),
	}, MdBook, "found book.toml"},
	// A Hakyll site: the cabal file at the root, the generator in src/.
	{"hakyll-src", fstest.MapFS{
		"site.cabal":  file("Name: site\nExecutable site\n  Hs-source-dirs: src\n  Main-is: Main.hs\n  Build-depends:\n    base >= 4.6 && < 5,\n    hakyll >= 4.10 && < 4.17,\n    text >= 1.2\n"),
		"src/Main.hs": file("import Hakyll\n"),
		"posts/a.md":  file("a\n"),
	}, Hakyll, "found site.cabal naming hakyll"},
}

// want is what init must write for one real layout.
type want struct {
	packages []string
	steps    []wantStep // site.build.steps, or nil for run
	run      string
	workdir  string
	output   string
	env      map[string]string
	notes    []string // each found in the notes
	warnings []string // each found in one of the warnings
	// suite is site.build.suite, suiteNotes found in the lines saying why.
	suite      string
	suiteNotes []string
}

type wantStep struct{ inputs, run, workdir string }

var realWants = map[string]want{
	"eleventy-base-blog": {packages: nodePackages,
		steps:   []wantStep{{"package.json package-lock.json", "npm ci --no-audit --no-fund", ""}, {"", "npm run build", ""}},
		workdir: ".", output: "_site",
		notes: []string{`runs package.json's "build" script, which writes the site to _site/`},
		suite: "forky", suiteNotes: []string{".nvmrc asks for Node.js >=22, but trixie has Node.js 20.19.2"}},
	"astro-engines-node22": {packages: nodePackages,
		steps:   []wantStep{{"package.json package-lock.json", "npm ci --no-audit --no-fund", ""}, {"", "npm run build", ""}},
		workdir: ".", output: "dist",
		suite: "forky", suiteNotes: []string{"package.json's engines.node asks for Node.js >=22.12.0, but trixie has Node.js 20.19.2"}},
	"hugo-theme-min-version": {packages: []string{"hugo"},
		run: "hugo --minify --destination /out", workdir: ".", output: "/out",
		suite: "forky", suiteNotes: []string{"themes/PaperMod/theme.toml asks for Hugo >=0.146.0, but trixie has Hugo 0.131.0", "forky has Hugo 0.167.0. nginx and its libraries stay on trixie"}},
	"hugo-module-min-met": {packages: []string{"hugo"},
		run: "hugo --minify --destination /out", workdir: ".", output: "/out"},
	"eleventy-script-chain": {packages: nodePackages,
		steps:   []wantStep{{"package.json package-lock.json", "npm ci --no-audit --no-fund", ""}, {"", "npm run build", ""}},
		workdir: ".", output: "_site"},
	"astro-npm": {packages: nodePackages,
		steps:   []wantStep{{"package.json package-lock.json .npmrc", "npm ci --no-audit --no-fund", ""}, {"", "npm run build", ""}},
		workdir: ".", output: "dist"},
	"astro-pnpm-monorepo": {packages: nodePackages,
		steps: []wantStep{
			{"package.json pnpm-lock.yaml pnpm-workspace.yaml packages/**/*/package.json docs/package.json", "npx --yes pnpm@10.4.1 install --frozen-lockfile", "."},
			{"", "npm run build", ""}},
		workdir: "docs", output: "dist",
		notes: []string{"pnpm is not in Debian, and init knows no pinned pnpm 10.4.1 (from package.json's packageManager)", "docs/package.json takes theme from the workspace"}},
	"docusaurus-npm": {packages: nodePackages,
		steps:   []wantStep{{"package.json package-lock.json", "npm ci --no-audit --no-fund", ""}, {"", "npm run build", ""}},
		workdir: ".", output: "build"},
	"docusaurus-yarn-website": {packages: nodePackages,
		steps: []wantStep{
			{"package.json yarn.lock .yarnrc.yml .yarn/releases/yarn-4.4.1.cjs packages/*/package.json website/package.json", "node .yarn/releases/yarn-4.4.1.cjs install --immutable", "."},
			{"", "node ../.yarn/releases/yarn-4.4.1.cjs run build", ""}},
		workdir: "website", output: "build",
		notes: []string{"Yarn runs from the release the repository commits (.yarn/releases/yarn-4.4.1.cjs"}},
	"docusaurus-yarn1": {packages: nodePackages,
		steps:   []wantStep{{"package.json yarn.lock", "yarn install --frozen-lockfile", ""}, {"", "npm run build", ""}},
		workdir: ".", output: "public",
		notes: []string{"Yarn 1 is not in Debian (its yarnpkg is Yarn 4)"}},
	"vitepress-pnpm-docs": {packages: nodePackages,
		steps: []wantStep{
			{"package.json pnpm-lock.yaml pnpm-workspace.yaml docs/package.json", "npx --yes pnpm@10.0.0 install --frozen-lockfile", "."},
			{"", "npm run build", ""}},
		workdir: "docs", output: ".vitepress/dist",
		notes: []string{"docs/package.json takes vitepress from the workspace"}},
	"vitepress-pnpm-script": {packages: nodePackages,
		steps:   []wantStep{{"package.json pnpm-lock.yaml", "npx --yes pnpm@8 install --frozen-lockfile", ""}, {"", "npx --offline vitepress build docs --outDir /out", ""}},
		workdir: ".", output: "/out",
		notes: []string{"pnpm 8 (from pnpm-lock.yaml's lockfileVersion)", `package.json's "docs:build" script runs pnpm, which the build step does not have`}},
	"jekyll-github-pages": {packages: []string{"jekyll", "ruby-jekyll-sitemap", "ruby-jekyll-seo-tag", "ruby-jekyll-github-metadata"},
		run: "jekyll build --destination /out", workdir: ".", output: "/out",
		env:      map[string]string{"JEKYLL_NO_BUNDLER_REQUIRE": "true", "PAGES_DISABLE_NETWORK": "1", "PAGES_REPO_NWO": "example/licenses"},
		notes:    []string{"Debian has no package for: jekyll-coffeescript.", "github-pages, GitHub Pages' own gem set"},
		warnings: []string{"Debian has no package for: jekyll-coffeescript. Remove them"}},
	"jekyll-theme-gemspec": {packages: []string{"jekyll", "ruby-jekyll-feed", "ruby-jekyll-seo-tag"},
		run: "jekyll build --destination /out", workdir: ".", output: "/out",
		env: map[string]string{"JEKYLL_NO_BUNDLER_REQUIRE": "true"}},
	"jekyll-paginate-no-plugin": {packages: []string{"jekyll", "ruby-jekyll-paginate"},
		run: "jekyll build --destination /out", workdir: ".", output: "/out",
		notes: []string{"_config.yml sets paginate: but its plugins: lack jekyll-paginate", "With no Gemfile this reads like a GitHub Pages site",
			"markdown: redcarpet, which Jekyll 4 does not have", "relative_permalinks: true, which stops Jekyll 3 and later"}},
	"jekyll-docs-folder": {packages: []string{"jekyll", "jekyll-theme-minima", "ruby-jekyll-feed"},
		run: "jekyll build --destination /out", workdir: "docs", output: "/out",
		env:   map[string]string{"JEKYLL_NO_BUNDLER_REQUIRE": "true"},
		notes: []string{"The Gemfile's jekyll_plugins group has jekyll-feed: add them to"}},
	"hugo-theme-submodule": {packages: []string{"hugo"},
		run: "hugo --minify --destination /out", workdir: ".", output: "/out",
		notes:    []string{"The theme themes/ananke is a git submodule that is not checked out here"},
		warnings: []string{"themes/ananke is a git submodule that is not checked out here, so the build context lacks it"}},
	"mkdocs-material-plugins": {packages: []string{"mkdocs", "mkdocs-material", "python3-pymdownx"},
		run: "mkdocs build --strict --site-dir /out", workdir: ".", output: "/out",
		notes:    []string{"Debian has no package for: plugin minify.", "hooks: run Python files"},
		warnings: []string{"Debian has no package for: plugin minify."}},
	"mkdocs-inherit": {packages: []string{"mkdocs", "mkdocs-material", "mkdocs-redirects", "python3-pymdownx"},
		run: "mkdocs build --strict --site-dir /out", workdir: ".", output: "/out",
		notes: []string{"Debian has no package for: extension mdx_include."}},
	"sphinx-guide-docs": {packages: []string{"python3-sphinx"},
		run: "sphinx-build -b dirhtml -d /tmp/doctrees . /out", workdir: "docs", output: "/out",
		notes: []string{"sphinx.ext.intersphinx downloads other projects' inventories"}},
	"sphinx-rtd-source": {packages: []string{"python3-sphinx", "python3-sphinx-rtd-theme", "python3-myst-parser", "python3-sphinx-copybutton"},
		run: "sphinx-build -b dirhtml -d /tmp/doctrees . /out", workdir: "docs/source", output: "/out",
		notes: []string{"sphinx.ext.autodoc imports the documented modules", "a requirements file's versions do not apply"}},
	"sphinx-furo-local-ext": {packages: []string{"python3-sphinx", "furo", "graphviz", "python3-sphinxcontrib-mermaid", "python3-sphinxext-opengraph", "python3-sphinx-design"},
		run: "sphinx-build -b dirhtml -d /tmp/doctrees . /out", workdir: "doc", output: "/out",
		notes:    []string{"Debian has no package for: extension sphinx_last_updated_by_git."},
		warnings: []string{"extension sphinx_last_updated_by_git"}},
	"sphinx-root-theme": {packages: []string{"python3-sphinx", "python3-sphinx-sitemap"},
		run: "sphinx-build -b dirhtml -d /tmp/doctrees . /out", workdir: ".", output: "/out",
		notes:    []string{"Debian has no package for: theme shibuya."},
		warnings: []string{"Debian has no package for: theme shibuya. The build fails until conf.py"}},
	"pelican-blog": {packages: []string{"pelican", "python3-typogrify"},
		run: "pelican --settings publishconf.py --output /out", workdir: ".", output: "/out",
		warnings: []string{"Debian has no package for: plugin neighbors, and the folder does not hold them."}},
	"pelican-quickstart-docs": {packages: []string{"pelican"},
		run: "pelican --settings pelicanconf.py --output /out", workdir: "docs", output: "/out",
		warnings: []string{"DEFAULT_DATE = 'fs' dates undated articles by their files' modification times"}},
	"mdbook-rust-book": {packages: []string{"mdbook"},
		run: "mdbook build --dest-dir /out", workdir: "book", output: "/out/html",
		notes:    []string{"mdbook writes the web site to /out/html"},
		warnings: []string{"Debian has no package for: preprocessor mdbook-mermaid."}},
	"mdbook-plain": {packages: []string{"mdbook"},
		run: "mdbook build --dest-dir /out", workdir: ".", output: "/out"},
	"hakyll-src": {packages: []string{"ghc", "libghc-hakyll-dev"},
		steps: []wantStep{
			{"site.cabal *.hs src", "ghc -O0 -threaded -outputdir /tmp/hakyll-ghc -isrc src/Main.hs -o /src/.site", ""},
			{"", "/src/.site build", ""}},
		workdir: ".", output: "_site"},
}

func TestDetectRealLayouts(t *testing.T) {
	for _, tc := range realLayouts {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := realWants[tc.name]
			if !ok {
				t.Fatalf("no want for %s", tc.name)
			}
			d, err := Detect(tc.fsys)
			if err != nil {
				t.Fatalf("Detect() error = %v", err)
			}
			if d.Generator != tc.generator || d.Reason != tc.reason {
				t.Errorf("Detect() = %s (%s), want %s (%s)", d.Generator, d.Reason, tc.generator, tc.reason)
			}
			b := d.Spec.Build
			if b == nil {
				t.Fatalf("Detect().Spec.Build = nil, want a build")
			}
			if !slices.Equal(b.Packages, w.packages) {
				t.Errorf("packages = %v, want %v", b.Packages, w.packages)
			}
			if b.Workdir != w.workdir || b.Output != w.output || b.Run.Shell != w.run {
				t.Errorf("workdir, output, run = %q, %q, %q; want %q, %q, %q", b.Workdir, b.Output, b.Run.Shell, w.workdir, w.output, w.run)
			}
			env := b.Env
			if env == nil {
				env = map[string]string{}
			}
			if w.env == nil {
				w.env = map[string]string{}
			}
			if !maps.Equal(env, w.env) {
				t.Errorf("env = %v, want %v", b.Env, w.env)
			}
			var got []wantStep
			for _, st := range b.Steps {
				got = append(got, wantStep{strings.Join(st.Inputs, " "), st.Run.Shell, st.Workdir})
			}
			if !slices.Equal(got, w.steps) {
				t.Errorf("steps =\n%q\nwant\n%q", got, w.steps)
			}
			if b.Suite != w.suite {
				t.Errorf("suite = %q, want %q", b.Suite, w.suite)
			}
			suiteNotes := strings.Join(d.Spec.SuiteNotes, " ")
			for _, n := range w.suiteNotes {
				if !strings.Contains(suiteNotes, n) {
					t.Errorf("suite notes = %q\nwant them to say %q", d.Spec.SuiteNotes, n)
				}
			}
			notes := strings.Join(d.Spec.Notes, " ")
			for _, n := range w.notes {
				if !strings.Contains(notes, n) {
					t.Errorf("notes = %q\nwant them to say %q", d.Spec.Notes, n)
				}
			}
			warnings := strings.Join(d.Spec.Warnings, "\n")
			for _, n := range w.warnings {
				if !strings.Contains(warnings, n) {
					t.Errorf("warnings = %q\nwant one to say %q", d.Spec.Warnings, n)
				}
			}
		})
	}
}

// Every package the MkDocs and npm mappings can write is in Debian trixie's
// recorded index, and so is nothing init could guess wrong.
func TestMappedPackagesExistInDebian(t *testing.T) {
	var names []string
	for _, pkgs := range mkdocsPlugins {
		names = append(names, pkgs...)
	}
	for _, m := range markdownPackages {
		names = append(names, m.pkg)
	}
	for _, p := range mkdocsThemes {
		if p != "" {
			names = append(names, p)
		}
	}
	for _, p := range sphinxThemes {
		names = append(names, p)
	}
	for _, pkgs := range sphinxExtensions {
		names = append(names, pkgs...)
	}
	names = append(names, nodePackages...)
	names = append(names, "yarnpkg", "ruby-jekyll-paginate", "python3-sphinx", "pelican", "python3-typogrify", "mdbook")
	for _, n := range names {
		if !inDebian(n) {
			t.Errorf("init may write %q, which is not in Debian trixie", n)
		}
	}
	for _, n := range []string{"pnpm", "yarn", "mkdocs-minify-plugin", "ruby-github-pages", "python3-furo", "python3-shibuya", "zola"} {
		if inDebian(n) {
			t.Errorf("inDebian(%q) = true; the recorded index should not have it", n)
		}
	}
}

// Every warning is one line, and is also written in the spec's comments.
func TestWarningsAreNotes(t *testing.T) {
	for _, tc := range allLayouts() {
		d, err := Detect(tc.fsys)
		if err != nil {
			t.Fatal(err)
		}
		notes := strings.Join(d.Spec.Notes, " ")
		for _, w := range d.Spec.Warnings {
			if strings.Contains(w, "\n") || !strings.Contains(notes, w) {
				t.Errorf("%s: warning %q is not one line of the notes %q", tc.name, w, d.Spec.Notes)
			}
		}
	}
}
