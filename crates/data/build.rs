// `sqlx::migrate!` embeds the migrations when this crate compiles: a migration added or
// edited alone must rebuild it too.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
