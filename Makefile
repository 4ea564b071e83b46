# Mango CS developer commands. `make run` and `make test` are the two that matter on a
# fresh machine; both install what they need first.

SHELL := /bin/bash
CARGO ?= cargo
DATABASE_URL ?= sqlite://data/mango-cs.db
BIND ?= 127.0.0.1:8080
RELEASE_BIN := target/release/mango-cs
DEMO_CREDENTIALS := data/demo-credentials.txt

.PHONY: run build tools frontend test test-rust test-frontend e2e fuzz lint fmt openapi bench clean

## run: build the browser app and the server, start it on SQLite with sample data
run: build
	@mkdir -p data
	@if [ ! -s $(DEMO_CREDENTIALS) ]; then \
		DATABASE_URL=$(DATABASE_URL) $(RELEASE_BIN) sample-data generate | tee $(DEMO_CREDENTIALS).tmp && \
		mv $(DEMO_CREDENTIALS).tmp $(DEMO_CREDENTIALS) && \
		DATABASE_URL=$(DATABASE_URL) $(RELEASE_BIN) jobs run health-snapshot; \
	fi
	@echo
	@echo "Demo data (kept in $(DEMO_CREDENTIALS)):"
	@cat $(DEMO_CREDENTIALS)
	@echo "Try: curl -H \"Authorization: Bearer <token>\" http://$(BIND)/api/v1/accounts"
	@echo
	DATABASE_URL=$(DATABASE_URL) $(RELEASE_BIN) serve --bind $(BIND)

build: frontend
	$(CARGO) build --release -p server

## tools: install what the browser app and its tests need, when missing (wasm32 target,
## Trunk, wasm-bindgen-cli, npm packages, Debian's chromium)
tools:
	scripts/install-frontend-tools.sh

## frontend: build the browser app into frontend/dist
frontend: tools
	scripts/build-frontend.sh

## test: Rust unit and HTTP tests (also on PostgreSQL when TEST_POSTGRES_URL is set), the
## browser app's unit tests, then the browser tests in Chromium
test: test-rust test-frontend e2e

test-rust:
	@if [ -n "$$TEST_POSTGRES_URL" ]; then echo "HTTP tests run on sqlite and on postgres ($$TEST_POSTGRES_URL)"; \
	else echo "HTTP tests run on sqlite only; set TEST_POSTGRES_URL to also run them on PostgreSQL"; fi
	$(CARGO) test --workspace -- --test-threads=6

test-frontend: tools
	cd frontend && $(CARGO) test --lib

e2e: frontend
	$(CARGO) build -p server
	scripts/e2e.sh

## fuzz: send generated valid and hostile requests to every endpoint; fail on any 5xx
fuzz:
	$(CARGO) build -p server
	scripts/fuzz-api.sh 60

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --lib --bins -- -D warnings
	$(CARGO) clippy --workspace --tests -- -D warnings -A clippy::unwrap_used -A clippy::expect_used

fmt:
	$(CARGO) fmt --all

## openapi: regenerate the checked-in OpenAPI document from the code
openapi:
	$(CARGO) run -q -p server -- openapi > openapi/openapi.json

## bench: CSV import and export of 100,000 accounts, then the health-snapshot job on a
## book of 100,000 accounts, on SQLite and PostgreSQL; figures in docs/benchmarks.md
bench:
	scripts/bench-import.sh
	BENCH_SKIP_BUILD=1 scripts/bench-health.sh

clean:
	$(CARGO) clean
