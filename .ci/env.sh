# Sourced by the other scripts: where the tools live.
export PATH="$HOME/.cargo/bin:$(pwd)/target/tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The WASM splitter's chunk merge (.ci/patches/wasm-split-merge-chunks.patch): no island's
# download may grow past 60 % + 32 KB of its unmerged code. Measured with the splitter's CLI
# on every island against 40, 45 and 50 % (20 % + 16 KB is its default): fewer files on a
# client's page (10 -> 8), fewer bytes on the sign-in pages and My account, the list pages
# unchanged (docs/measurements.md).
export WASM_SPLIT_MERGE_FRACTION="${WASM_SPLIT_MERGE_FRACTION:-0.6}"
export WASM_SPLIT_MERGE_FLOOR="${WASM_SPLIT_MERGE_FLOOR:-32768}"
# The sign-in pages' islands may take only 8 KB of code they do not need from the merge
# (WASM_SPLIT_MERGE_TIGHT, same patch): they are every visitor's first page. Measured with
# the splitter's CLI: their download 115 -> 98 KB (zlib), and a client's page, My account
# and the modals lighter too, the list pages unchanged (docs/measurements.md).
export WASM_SPLIT_MERGE_TIGHT="${WASM_SPLIT_MERGE_TIGHT:-user_login_island,staff_login_island}"
