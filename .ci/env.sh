# Sourced by the other scripts: where the tools live.
export PATH="$HOME/.cargo/bin:$(pwd)/target/tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The WASM splitter's chunk merge (.ci/patches/wasm-split-merge-chunks.patch): no island's
# download may grow past 50 % + 40 KB of its unmerged code. Measured with the splitter's CLI
# on every island against 40, 45, 50, 60 and 70 % with 32 and 40 KB (20 % + 16 KB is its
# default): a client's page in 8 chunks and the lightest there, the list and sign-in pages
# unchanged (docs/measurements.md). The merge is greedy: re-measure when islands change.
export WASM_SPLIT_MERGE_FRACTION="${WASM_SPLIT_MERGE_FRACTION:-0.5}"
export WASM_SPLIT_MERGE_FLOOR="${WASM_SPLIT_MERGE_FLOOR:-40960}"
# The sign-in pages' islands may take only 8 KB of code they do not need from the merge
# (WASM_SPLIT_MERGE_TIGHT, same patch): they are every visitor's first page. Measured with
# the splitter's CLI: their download 115 -> 98 KB (zlib), and a client's page, My account
# and the modals lighter too, the list pages unchanged (docs/measurements.md).
export WASM_SPLIT_MERGE_TIGHT="${WASM_SPLIT_MERGE_TIGHT:-user_login_island,staff_login_island}"
