# The two commands of the README, and the checks to run before committing.
.PHONY: run test check fmt

run:   ## build a release build and start Roster at http://127.0.0.1:3000 (SQLite under data/)
	.ci/serve

test:  ## install what tests need and run every test (unit, SQLite, PostgreSQL, HTTP, Chromium)
	.ci/test

check: ## formatting and lints, no warnings allowed
	cargo fmt --all --check
	cargo clippy -p roster-types --features server --all-targets -- -D warnings
	cargo clippy -p roster-data -p roster-core --all-targets -- -D warnings
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p roster --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all
