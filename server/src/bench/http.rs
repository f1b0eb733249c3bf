//! `roster bench http`: what a visitor and the server feel, in one run — the first visit's
//! bytes and files for Manage Users (from the built site, as the server sends them), page
//! and JSON throughput beside `/healthz`, and the list while sign-ins hash.

use super::{percentile, BenchServer};
use anyhow::Context;
use leptos::prelude::LeptosOptions;
use roster_data::Db;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The budgets printed beside the figures (see docs/measurements.md).
const FIRST_VISIT_BUDGET: u64 = 200 * 1024;
const CODE_FILES_BUDGET: usize = 12;
const CONNECTIONS: usize = 32;

pub async fn run(db: Db, options: LeptosOptions, seconds: u64) -> anyhow::Result<()> {
    let server = BenchServer::start(&db, Some(options.clone())).await?;
    let result = measure(&db, &server, &options, Duration::from_secs(seconds)).await;
    server.stop().await?;
    result
}

async fn measure(
    db: &Db,
    server: &BenchServer,
    options: &LeptosOptions,
    time: Duration,
) -> anyhow::Result<()> {
    println!(
        "roster bench http: {} database, {} users, {CONNECTIONS} connections for {}s each (client and server share this machine's cores)",
        db.engine(),
        server.users,
        time.as_secs()
    );
    first_visit(server, options).await?;
    let ssr = load(server, Target::Page("/admin/users"), time).await?;
    let json = load(server, Target::List, time).await?;
    let health = load(server, Target::Health, time).await?;
    println!("{:<34} {:>9} {:>8} {:>8}", "", "req/s", "p50 ms", "p99 ms");
    for (name, r) in [
        ("/admin/users (page, signed in)", &ssr),
        ("/api/users/list (JSON)", &json),
        ("/healthz", &health),
    ] {
        println!(
            "{name:<34} {:>9.0} {:>8.2} {:>8.2}",
            r.per_second, r.p50, r.p99
        );
    }
    println!(
        "page/healthz {:.3}, JSON/healthz {:.3}",
        ssr.per_second / health.per_second,
        json.per_second / health.per_second
    );
    while_hashing(server).await
}

/// The bytes of a first visit to Manage Users with an empty cache: the page as the server
/// sends it to Chromium (gzip; brotli for the built files), then each file its hydration
/// loads.
async fn first_visit(server: &BenchServer, options: &LeptosOptions) -> anyhow::Result<()> {
    let http = server.signed_in().await?;
    let url = format!("{}/admin/users", server.base);
    let page = get(&http, &url).await?;
    // The islands the page hydrates decide which lazy chunks it loads.
    let html = http.get(&url).send().await?.text().await?;
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let mut files = first_visit_files(&pkg, &page_islands(&html))?;
    files.push(("favicon.svg".into(), "/favicon.svg".into()));
    let mut total = page;
    let mut code = 0;
    for (name, path) in &files {
        total += get(&http, &format!("{}{path}", server.base)).await?;
        code += usize::from(name.ends_with(".wasm") || name.ends_with(".js"));
    }
    let verdict = |ok: bool| if ok { "within budget" } else { "OVER budget" };
    println!(
        "first visit /admin/users: {total} bytes ({:.1} KB) in {} requests, {code} code files; page {page} bytes; budget {} KB and {CODE_FILES_BUDGET} code files: {}",
        total as f64 / 1024.0,
        files.len() + 1,
        FIRST_VISIT_BUDGET / 1024,
        verdict(total <= FIRST_VISIT_BUDGET && code <= CODE_FILES_BUDGET)
    );
    Ok(())
}

/// Body bytes of a GET as they crossed the wire (the client does not decompress).
async fn get(http: &reqwest::Client, url: &str) -> anyhow::Result<u64> {
    let r = http
        .get(url)
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
    Ok(r.bytes().await?.len() as u64)
}

/// The islands a page's HTML names (`data-component="UsersControls_8636…"`), in snake
/// case: the names their lazy chunks have in the split manifest (`users_controls_loader_…`).
fn page_islands(html: &str) -> Vec<String> {
    let mut islands: Vec<String> = html
        .split("data-component=\"")
        .skip(1)
        .filter_map(|rest| {
            let name = rest.split('"').next()?;
            let name = name.rsplit_once('_').map_or(name, |(n, _)| n);
            Some(app::ui::common::island_snake_case(name))
        })
        .collect();
    islands.sort();
    islands.dedup();
    islands
}

/// The code and style a page with `islands` loads: the main module, its JavaScript, the
/// stylesheet, and for each lazy island its chunks from the split manifest and the split
/// loader (eager islands are in the main module).
fn first_visit_files(pkg: &Path, islands: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let names: Vec<String> = std::fs::read_dir(pkg)
        .with_context(|| format!("reading the built site at {}", pkg.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
        .collect();
    let find = |stem: &str, ext: &str| -> Option<String> {
        names
            .iter()
            .find(|n| {
                n.ends_with(ext)
                    && (n.as_str() == format!("{stem}{ext}")
                        || n.starts_with(&format!("{stem}.")) && n.matches('.').count() == 2)
            })
            .cloned()
    };
    let mut files: Vec<String> = ["roster.wasm", "roster.js", "roster.css"]
        .iter()
        .filter_map(|f| {
            let (stem, ext) = f.split_at(f.find('.').unwrap_or(0));
            find(stem, ext)
        })
        .collect();
    anyhow::ensure!(
        files.len() == 3,
        "no built site in {}: run `cargo leptos build --release --split --precompress` first",
        pkg.display()
    );
    if let Some(manifest) = names
        .iter()
        .find(|n| n.starts_with("__wasm_split_manifest"))
    {
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(pkg.join(manifest))?)?;
        let lazy: Vec<_> = islands
            .iter()
            .filter_map(|island| {
                let prefix = format!("{island}_loader_");
                manifest
                    .as_object()?
                    .iter()
                    .find(|(k, _)| k.starts_with(&prefix))
            })
            .collect();
        for (key, chunks) in &lazy {
            let chunks = chunks.as_array().cloned().unwrap_or_default();
            for chunk in chunks.iter().filter_map(|c| c.as_str()) {
                files.extend(find(chunk, ".wasm"));
            }
            files.extend(find(&format!("split_{key}"), ".wasm"));
        }
        if !lazy.is_empty() {
            files.extend(
                names
                    .iter()
                    .find(|n| n.starts_with("__wasm_split."))
                    .cloned(),
            );
        }
        // Two islands sharing a chunk load it once.
        files.sort();
        files.dedup();
    }
    let root = PathBuf::from("/").join(pkg.file_name().unwrap_or_default());
    Ok(files
        .into_iter()
        .map(|f| {
            let path = root.join(&f).to_string_lossy().into_owned();
            (f, path)
        })
        .collect())
}

enum Target {
    Page(&'static str),
    List,
    Health,
}

struct Load {
    per_second: f64,
    p50: f64,
    p99: f64,
}

/// `CONNECTIONS` clients, each signed in, asking one after another for `time`.
async fn load(server: &BenchServer, target: Target, time: Duration) -> anyhow::Result<Load> {
    let target = std::sync::Arc::new(target);
    let mut clients = Vec::new();
    for _ in 0..CONNECTIONS {
        clients.push(match *target {
            Target::Health => reqwest::Client::new(),
            _ => server.signed_in().await?,
        });
    }
    let start = Instant::now();
    let deadline = start + time;
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|http| {
            let (base, target) = (server.base.clone(), target.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let r = match &*target {
                        Target::Page(p) => http.get(format!("{base}{p}")).send().await,
                        Target::List => {
                            let url = format!("{base}/api/users/list");
                            http.post(url).form(&[("q", "")]).send().await
                        }
                        Target::Health => http.get(format!("{base}/healthz")).send().await,
                    };
                    let ok = match r {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    anyhow::ensure!(ok, "a request failed under load");
                    times.push(t.elapsed());
                }
                Ok(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let elapsed = start.elapsed().as_secs_f64();
    times.sort();
    Ok(Load {
        per_second: times.len() as f64 / elapsed,
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
    })
}

/// The list requests each p99 is read from: its 10th slowest, not one stray answer.
const LIST_SAMPLES: usize = 1000;

/// The list's p99, alone and while 20 sign-ins hash their passwords at the same moment.
async fn while_hashing(server: &BenchServer) -> anyhow::Result<()> {
    let http = server.signed_in().await?;
    let list = |http: reqwest::Client, base: String| async move {
        let mut times = Vec::new();
        for _ in 0..LIST_SAMPLES {
            let t = Instant::now();
            let url = format!("{base}/api/users/list");
            let r = http.post(url).form(&[("q", "")]).send().await?;
            anyhow::ensure!(r.status().is_success(), "list: {}", r.status());
            r.bytes().await?;
            times.push(t.elapsed());
        }
        times.sort();
        Ok::<_, anyhow::Error>(percentile(&times, 0.99))
    };
    let idle = list(http.clone(), server.base.clone()).await?;
    // The sign-ins go on until the list's samples are taken, so every sample meets them.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sign_ins: Vec<_> = (0..20)
        .map(|_| {
            let (base, email, password, stop) = (
                server.base.clone(),
                server.email.clone(),
                server.password.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let c = reqwest::Client::new();
                    let url = format!("{base}/api/auth/staff/sign-in");
                    c.post(url)
                        .form(&[("email", &email), ("password", &password)])
                        .send()
                        .await?;
                }
                Ok::<_, reqwest::Error>(())
            })
        })
        .collect();
    let busy = list(http, server.base.clone()).await?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for s in sign_ins {
        s.await??;
    }
    println!(
        "list p99 alone {idle:.2} ms, while 20 sign-ins hash {busy:.2} ms ({:.2}×; budget 2×)",
        busy / idle
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::page_islands;

    #[test]
    fn a_page_names_its_islands_as_the_split_manifest_does() {
        let html = r#"<body><leptos-island data-component="UsersControls_8636453396331457748" data-props="{}">
            <leptos-island data-component="SignOutButton_1">…</leptos-island>
            <leptos-island data-component="UsersControls_8636453396331457748"></leptos-island>
            <leptos-island data-component="StaffLoginIsland_11007852501592265595"></leptos-island>"#;
        assert_eq!(
            page_islands(html),
            ["sign_out_button", "staff_login_island", "users_controls"]
        );
        assert!(page_islands("<p>no islands</p>").is_empty());
        assert!(page_islands(r#"data-component="unterminated"#).len() <= 1);
    }
}
