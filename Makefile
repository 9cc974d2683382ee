# Nova RDV: `make run` (demo server on http://127.0.0.1:8080), `make test`
# (everything CI runs), `make clean`. Tools are installed on demand by
# scripts/ensure-tools.sh.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# wasm-opt 132 from end2end/node_modules must come before Debian's /usr/bin/wasm-opt
# (binaryen 108 emits a wasm that crashes at start); Trunk.toml pins version_132.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

NOVA_ADDR ?= 127.0.0.1:8080
DATABASE_URL ?= sqlite://data/nova.db?mode=rwc

# Browser unit tests: wasm-bindgen-test-runner (the cargo runner set in
# .cargo/config.toml) drives Debian's headless Chromium through chromedriver,
# with the Chromium flags from webdriver.json.
WASM_TEST_ENV := CHROMEDRIVER=/usr/bin/chromedriver \
	WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/webdriver.json \
	WASM_BINDGEN_USE_BROWSER=1 \
	WASM_BINDGEN_TEST_TIMEOUT=60

.PHONY: all run test tools dist clean

all: test

tools:
	scripts/ensure-tools.sh

# Release build of the browser app into dist/ (Trunk, with the standard library
# rebuilt for size: see scripts/build-web.sh).
dist: tools
	scripts/build-web.sh

run: dist
	cargo build --profile server -p nova-server
	mkdir -p data
	@echo
	@echo "Nova RDV: http://$(NOVA_ADDR)/  (database $(DATABASE_URL), demo data on)"
	@echo
	@echo "Demo accounts, password for all: nova-demo"
	@echo "  Cabinet Dentaire du Parc"
	@echo "    practitioners  dr.martin@nova-rdv.test, dr.bernard@nova-rdv.test"
	@echo "    patients       patient@nova-rdv.test, patient2@nova-rdv.test"
	@echo "    manager        manager@nova-rdv.test"
	@echo "    admin          admin@nova-rdv.test"
	@echo "  Cabinet Lumière (Lyon)"
	@echo "    practitioner   dr.leroy@lumiere.nova-rdv.test"
	@echo "    patient        patient@lumiere.nova-rdv.test"
	@echo
	NOVA_DEMO=1 NOVA_ADDR='$(NOVA_ADDR)' DATABASE_URL='$(DATABASE_URL)' NOVA_DIST=dist \
		target/server/nova-server

test: tools
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p nova-web --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo test --workspace
	# The server's integration suite again, on PostgreSQL (installed and started if missing),
	# with Redis for the several-instances test of the Redis adapter.
	# --workspace, not -p: the same feature set as above, so nothing is compiled twice.
	NOVA_TEST_POSTGRES=$$(scripts/ensure-postgres.sh) NOVA_TEST_REDIS=$$(scripts/ensure-redis.sh) \
		cargo test --workspace
	$(WASM_TEST_ENV) cargo test --target wasm32-unknown-unknown -p nova-web
	$(MAKE) --no-print-directory dist
	# The first visit's download against its budget (180 kB brotli): sizes, not times.
	bench/bundle-size.sh --no-build --check
	cargo build --workspace
	cd end2end && npx playwright test
	# The official socket.io-client against a fresh server (end2end/interop/*.test.mjs).
	cd end2end && node interop/run.mjs

clean:
	rm -rf dist target end2end/test-results end2end/playwright-report
