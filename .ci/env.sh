# Sourced by the other scripts: where the tools live.
export PATH="$HOME/.cargo/bin:$(pwd)/target/tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
