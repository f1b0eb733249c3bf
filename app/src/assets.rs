//! Where the built site's files are: with hashed names (cargo leptos `hash-files`), the
//! stylesheet is `/pkg/roster.<hash>.css`, named in `hash.txt` beside the server binary.

use leptos::prelude::LeptosOptions;
use std::sync::OnceLock;

/// Where cargo-leptos writes its hashes: `hash.txt` beside the server binary.
pub fn hash_file_path(options: &LeptosOptions) -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// The hashes cargo-leptos wrote, or none when the build did not hash its files.
pub fn hash_file(options: &LeptosOptions) -> Option<String> {
    if !options.hash_files {
        return None;
    }
    std::fs::read_to_string(hash_file_path(options)?).ok()
}

/// The stylesheet's address, worked out once (the hash file does not change while the
/// server runs).
pub fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let pkg = options.site_pkg_dir_route_base();
        let name = &options.output_name;
        match hash_file(options).as_deref().and_then(css_hash) {
            Some(hash) => format!("{pkg}{name}.{hash}.css"),
            None => format!("{pkg}{name}.css"),
        }
    })
}

fn css_hash(hashes: &str) -> Option<&str> {
    hashes.lines().find_map(|line| {
        let (file, hash) = line.split_once(':')?;
        (file.trim() == "css").then(|| hash.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_css_hash_is_read_from_its_line() {
        let file = "js: AbC\nwasm: dEf\ncss: x-Y_z\nmanifest: q\n";
        assert_eq!(css_hash(file), Some("x-Y_z"));
        assert_eq!(css_hash("js: a\n"), None);
    }
}
