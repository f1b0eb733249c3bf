//! argon2id hashing. Hashing is deliberately slow and takes 19 MiB a time, so it runs on
//! the blocking pool behind a gate sized to the cores with a short queue: a flood of
//! sign-ins gets "busy" answers instead of taking the memory and the CPU from everyone.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use roster_types::Password;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the hashing task did not finish")]
    Join,
    /// Every hashing slot is taken and the queue is full: try again shortly.
    #[error("the server is busy checking passwords")]
    Busy,
}

/// How long a hash may wait in the queue before the request is told to come back. A
/// queued request holds no hashing memory, so the queue may be long: a burst of honest
/// requests (a hundred creates at once) is served, a flood beyond it is refused at once.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

type Job = Box<dyn FnOnce() + Send>;

/// At most `slots` hashes at once and `queue` waiting; everything beyond is refused. The
/// hashes run on `slots` threads of their own: argon2's 19 MiB blocks are then reused by
/// those threads instead of settling in the allocator arena of every blocking-pool thread
/// a flood happens to touch.
pub struct HashGate {
    slots: Semaphore,
    waiting: AtomicUsize,
    queue: usize,
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
}

impl HashGate {
    pub fn new(slots: usize, queue: usize) -> Self {
        let slots = slots.max(1);
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let cores = hashing_cores(slots);
        for i in 0..slots {
            let rx = rx.clone();
            let core = cores.get(i).copied();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    if let Some(core) = core {
                        core_affinity::set_for_current(core);
                    }
                    lower_priority();
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("start a hashing thread");
        }
        Self {
            slots: Semaphore::new(slots),
            waiting: AtomicUsize::new(0),
            queue,
            jobs: std::sync::Mutex::new(tx),
        }
    }

    /// One core is left for everything else: the users list stays fast while sign-ins hash.
    fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let slots = cores.saturating_sub(1).max(1);
        Self::new(slots, (slots * 64).max(128))
    }

    /// Run `f` on a hashing thread once a slot is free.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = match self.slots.try_acquire() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(HashError::Busy);
                }
                let got = tokio::time::timeout(QUEUE_WAIT, self.slots.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match got {
                    Ok(Ok(p)) => p,
                    _ => return Err(HashError::Busy),
                }
            }
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(f());
        });
        self.jobs
            .lock()
            .map_err(|_| HashError::Join)?
            .send(job)
            .map_err(|_| HashError::Join)?;
        let out = result.await.map_err(|_| HashError::Join);
        drop(permit);
        out
    }
}

/// The core each hashing thread keeps to: the last `slots` of those this process may use,
/// one each. A hashing thread the scheduler may move about keeps landing on the core a
/// request's worker is woken on; measured with `roster bench http` on 2 cores, the users
/// list's p99 while 20 sign-ins hash was 4.6–5.3× its idle p99 unpinned and 1.3–1.5×
/// pinned. Empty (threads left free) where the cores cannot be read.
fn hashing_cores(slots: usize) -> Vec<core_affinity::CoreId> {
    let mut cores = core_affinity::get_core_ids().unwrap_or_default();
    cores.reverse();
    cores.truncate(slots);
    cores
}

/// Hashing yields the CPU to everything else: the hashing threads run only when a core
/// would otherwise be idle (SCHED_IDLE; the lowest nice value where that is refused). Under
/// a flood of sign-ins the other pages stay fast and the sign-ins wait (or get "busy"),
/// not the other way round.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread (pid 0 / its own tid); nothing shared.
    unsafe {
        let idle = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &idle) != 0 {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, 19);
        }
    }
}

fn gate() -> &'static HashGate {
    static GATE: OnceLock<HashGate> = OnceLock::new();
    GATE.get_or_init(HashGate::for_this_machine)
}

/// argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommendation.
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

pub async fn hash(password: &Password) -> Result<String, HashError> {
    let p = password.expose().to_string();
    gate().run(move || hash_blocking(&p)).await?
}

/// Verify `password` against `stored`; with no stored hash (unknown account) verify
/// against a fixed dummy so both answers take the same time.
pub async fn verify(password: &str, stored: Option<&str>) -> Result<bool, HashError> {
    let p = password.to_string();
    // An empty hash is an invited user's, who has no password yet: like an unknown
    // account, checked against the dummy so the answer takes the same time.
    let stored = stored.filter(|h| !h.is_empty());
    let known = stored.is_some();
    let h = stored
        .map(str::to_string)
        .unwrap_or_else(|| dummy_hash().to_string());
    let ok = gate()
        .run(move || {
            PasswordHash::new(&h)
                .map(|parsed| hasher().verify_password(p.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await?;
    Ok(ok && known)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("roster-dummy-password-for-timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_hashing_thread_keeps_to_a_core_of_its_own() {
        let allowed = core_affinity::get_core_ids().unwrap();
        let cores = hashing_cores(allowed.len() + 3);
        assert_eq!(
            cores.len(),
            allowed.len(),
            "never more than the process may use"
        );
        let mut distinct = cores.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), cores.len());
        // The one hashing thread of a gate runs on the last core, and only there.
        let gate = HashGate::new(1, 4);
        let seen = gate.run(core_affinity::get_core_ids).await.unwrap();
        assert_eq!(seen, Some(vec![*allowed.last().unwrap()]));
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let p = Password::parse("correct horse battery staple").unwrap();
        let h = hash(&p).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("horse"));
        assert!(verify("correct horse battery staple", Some(&h))
            .await
            .unwrap());
        assert!(!verify("correct horse battery stapler", Some(&h))
            .await
            .unwrap());
        // unknown account: never true, even for the dummy's own password
        assert!(!verify("roster-dummy-password-for-timing", None)
            .await
            .unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_gate_refuses_beyond_its_slots_and_queue() {
        let gate = std::sync::Arc::new(HashGate::new(1, 2));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = std::sync::Arc::new(std::sync::Mutex::new(hold));
        let mut running = Vec::new();
        // one runs, two wait: each blocks until released
        for _ in 0..3 {
            let (g, h) = (gate.clone(), hold.clone());
            running.push(tokio::spawn(async move {
                g.run(move || {
                    let _ = h.lock().unwrap().recv();
                })
                .await
            }));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        // the fourth finds the queue full
        assert!(matches!(gate.run(|| ()).await, Err(HashError::Busy)));
        for _ in 0..3 {
            release.send(()).unwrap();
        }
        for r in running {
            assert!(r.await.unwrap().is_ok());
        }
        // and once drained, it runs again
        assert!(gate.run(|| 7).await.is_ok());
    }
}
