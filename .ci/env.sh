# Sourced by the other scripts: where the tools live.
export PATH="$HOME/.cargo/bin:$(pwd)/target/tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The WASM splitter's chunk merge (.ci/patches/wasm-split-merge-chunks.patch): no island's
# download may grow past 60 % + 32 KB of its unmerged code (20 % + 16 KB is its default).
# The merge is greedy: re-measure when islands change. Measured by building every setting
# (40-70 %, 24-40 KB, which islands are tight; docs/measurements.md, thirteenth stop):
# this one keeps Manage Users, Manage Clients, Staff and a client's Users tab under 200 KB.
export WASM_SPLIT_MERGE_FRACTION="${WASM_SPLIT_MERGE_FRACTION:-0.6}"
export WASM_SPLIT_MERGE_FLOOR="${WASM_SPLIT_MERGE_FLOOR:-32768}"
# Tight islands (WASM_SPLIT_MERGE_TIGHT, same patch) take at most 4 KB of code they do not
# need from the merge: the list pages and a client's Users tab, which the merge otherwise
# packs past the budget (a full run's Manage
# Users is ~2 KB heavier than a lone test's: its table holds the other tests' users).
export WASM_SPLIT_MERGE_TIGHT="${WASM_SPLIT_MERGE_TIGHT:-client_users_controls,users_controls,clients_controls}"
# 4 KB since the Bulk actions and Import modals (issue 14): Manage Users' first visit
# 180.3 → 174.7 KB of code (12, 8 and 6 KB gave 180.3, 181.7 and 180.8), a client's Users
# tab 176.6 → 181.8, Manage Clients 178.3 → 171.2 (docs/measurements.md).
export WASM_SPLIT_MERGE_TIGHT_FLOOR="${WASM_SPLIT_MERGE_TIGHT_FLOOR:-4096}"
