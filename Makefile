# Masar — two commands do everything: `make demo` and `make test` (and `make serve` for the web app).
# Both install what is missing first (Debian packages through apt-get), so a fresh
# machine with the Swift toolchain needs nothing else.

SWIFT        ?= swift
APT_PACKAGES := libsqlite3-dev libgraphviz-dev graphviz fonts-noto-core libxml2 \
                chromium chromium-driver wrk python3 python3-venv postgresql postgresql-client
TOOLS_ENV    ?= .build-browser/venv
BENCH_DIR    ?= .build-bench-data
BENCH        ?=
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test bench setup test-tools build serve clean

## Install the Debian packages Masar needs, when any is absent.
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## Test tools from PyPI, in a virtual environment of their own: selenium for the real-browser
## journey, with axe-core 4.10 (bundled by axe-selenium-python 3.0.0, whose metadata asks for
## Python 3.12 but whose code runs on 3.11; its pytest dependency is not needed) for the journey's
## accessibility checks; SpiffWorkflow for its copy of the OMG's BPMN 2.0 schema (and lxml to apply it).
test-tools: setup
	@[ -x $(TOOLS_ENV)/bin/python ] || python3 -m venv $(TOOLS_ENV)
	@$(TOOLS_ENV)/bin/python -c "import selenium" 2>/dev/null || $(TOOLS_ENV)/bin/pip install --quiet selenium
	@$(TOOLS_ENV)/bin/python -c "import axe_selenium_python" 2>/dev/null || $(TOOLS_ENV)/bin/pip install --quiet --no-deps --ignore-requires-python axe-selenium-python==3.0.0
	@$(TOOLS_ENV)/bin/python -c "import SpiffWorkflow, lxml" 2>/dev/null || $(TOOLS_ENV)/bin/pip install --quiet SpiffWorkflow==3.2.0 lxml

build: setup
	$(SWIFT) build --product masar

## Validate the bundled catalogue and print every before/after figure.
demo: build
	$$($(SWIFT) build --show-bin-path)/masar demo Services

## The web app on http://127.0.0.1:8080/, with a demo programme when the database is empty.
serve: build
	$$($(SWIFT) build --show-bin-path)/masar serve --demo-catalogue Services

## Every test: the Swift suites beside a throw-away PostgreSQL cluster (Tests/postgres/cluster.sh
## starts it and stops it whatever happens), the store's suite on both backends, then the web's
## and the command line's again with their labs on PostgreSQL; the BPMN exports against the OMG
## schema; then the real-browser journey (screenshots in Tests/browser/screenshots).
test: test-tools
	$(SWIFT) build --build-tests
	Tests/postgres/cluster.sh sh -c '$(SWIFT) test --skip-build && \
	  MASAR_TEST_BACKEND=postgres $(SWIFT) test --skip-build --filter "MasarWebTests|masarTests"'
	$(TOOLS_ENV)/bin/python Tests/interop/bpmn_schema.py $$($(SWIFT) build --show-bin-path)/masar Services
	$(TOOLS_ENV)/bin/python Tests/browser/journey.py $$($(SWIFT) build --show-bin-path)/masar Services Tests/browser/screenshots

## Benchmarks (see BENCHMARKS.md): all of them, about half an hour, or one with
## BENCH=catalogue, BENCH=diagrams, BENCH=store, BENCH=votes or BENCH=web.
bench: setup
	@python3 -c "import yaml; yaml.CSafeLoader" 2>/dev/null || python3 -m pip install --quiet pyyaml
	$(SWIFT) build -c release --product masar-bench
	$(SWIFT) build -c release --product masar
	@[ -f $(BENCH_DIR)/catalogue/.complete ] || { \
	  rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)/catalogue && \
	  python3 Benchmarks/generate_catalogue.py $(BENCH_DIR)/catalogue --services 3000 --seed 42 && \
	  python3 Benchmarks/generate_catalogue.py --dense-500 $(BENCH_DIR)/dense-500.yaml && \
	  touch $(BENCH_DIR)/catalogue/.complete; }
	$$($(SWIFT) build -c release --show-bin-path)/masar-bench $(BENCH_DIR) $(BENCH)

clean:
	rm -rf .build $(BENCH_DIR) Diagrams
