# caseboard's two everyday commands, on a fresh Debian machine or a warm one:
#
#   make run    install front-end packages, build the assets and the binary,
#               migrate, load the demo division once, and serve on
#               http://localhost:8080 (CASEBOARD_DB, CASEBOARD_ADDR and the
#               other CASEBOARD_* variables pass through the environment)
#   make test   install what the tests need (npm packages, Chromium,
#               PostgreSQL), then vet, test on SQLite and PostgreSQL, fuzz
#               briefly, and run the browser tests; fails if any of them does
#
# Also: build, assets, lint, bench, screenshots, clean. Every install step is
# idempotent and skips quickly when its work is already done.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

GO      ?= go
TAGS    := sqlite_fts5
BIN     := bin/caseboard
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X caseboard/internal/cli.Version=$(VERSION)

# The SQLite driver is cgo.
export CGO_ENABLED := 1

# What make test runs the Go tests against: the store tests run on SQLite and
# on PostgreSQL, each test in a schema of its own, and a missing PostgreSQL
# is a failure rather than a skip.
TEST_POSTGRES := postgres://postgres@127.0.0.1:5432/test?sslmode=disable

# npm writes node_modules/.package-lock.json on every install, so it stands
# for node_modules: missing, or older than the manifest or the lock file,
# means install.
NODE_STAMP := node_modules/.package-lock.json

# The assets are rebuilt when their sources, the build script or the
# installed packages change; the stamp is inside the output directory so
# that removing web/static/dist rebuilds them.
ASSETS_STAMP := web/static/dist/.built
ASSET_SOURCES := $(shell find web/assets -type f 2>/dev/null)

.PHONY: run build assets lint test vet test-go fuzz test-browser bench screenshots clean

## run: build everything, migrate, load the demo data once, and serve
run: build
	$(BIN) migrate
	$(BIN) demo --if-empty
	exec $(BIN) serve

## build: the binary, with the assets embedded in it
build: assets
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/caseboard

## assets: the CSS and JavaScript in web/static/dist
assets: $(ASSETS_STAMP)

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS_STAMP): $(NODE_STAMP) $(ASSET_SOURCES)
	@test -f web/assets/build.sh || { echo "web/assets/build.sh is missing: it builds web/static/dist, which the pages need" >&2; exit 1; }
	bash web/assets/build.sh
	@mkdir -p $(@D) && touch $@

## lint: gofmt finds nothing to change, and go vet finds nothing
lint:
	@unformatted=$$(find . -name '*.go' -not -path './node_modules/*' -not -path './.git/*' -print0 | xargs -0 -r gofmt -l); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l lists files to format (run gofmt -w on them):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...

## test: install what the tests need, then every kind of test, in order
# scripts/test.sh runs the phases one after another (so make -j cannot
# reorder them): npm packages, Chromium and PostgreSQL, then vet, go-test,
# fuzz, build and browser, each timed, with a summary at the end. A failing
# test phase does not stop the later ones; the run still fails.
test:
	@MAKE='$(MAKE)' bash scripts/test.sh

vet:
	$(GO) vet -tags $(TAGS) ./...

test-go:
	CASEBOARD_TEST_POSTGRES='$(TEST_POSTGRES)' CASEBOARD_REQUIRE_POSTGRES=1 \
		$(GO) test -race -tags $(TAGS) ./...

# Each fuzz target explores for FUZZTIME in make test: a short pass that
# keeps the whole suite inside its time budget as targets are added; run
# longer by hand (make fuzz FUZZTIME=5m).
FUZZTIME ?= 6s

fuzz:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

# The browser tests start bin/caseboard themselves on a temporary database.
# The files are named, not the directory: newer Node versions read the
# arguments of --test as glob patterns rather than directories.
BROWSER_TESTS := tests/browser/*.test.mjs
test-browser:
	node --test $(BROWSER_TESTS)

## bench: the benchmarks: scripts/bench.sh, or plain go test -bench without it
bench:
	@if [ -f scripts/bench.sh ]; then bash scripts/bench.sh; \
	else $(GO) test -tags $(TAGS) -run='^$$' -bench=. -benchmem ./...; fi

## screenshots: full-page PNGs of every page into docs/screenshots/
# Only the page tests run (each saves its page's PNG as it loads it), and of
# them only the render checks, so an accessibility finding does not stop the
# pictures being taken; make test is where those fail.
SCREENSHOTS_DIR ?= docs/screenshots
screenshots: build
	@bash scripts/ensure-chromium.sh
	SCREENSHOTS='$(SCREENSHOTS_DIR)' node --test --test-name-pattern='^renders' $(BROWSER_TESTS)

## clean: remove what the build made (not data/, which holds your database)
clean:
	rm -rf bin web/static/dist test-results tests/browser/output
