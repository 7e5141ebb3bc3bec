//! The Rust view: a scenario as a real Rust program on std (the built-ins become a small
//! prelude), or the compile error rustc gives where the scenario races on a plain
//! `static`.

use super::*;

/// The Rust view of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct RustView {
    /// A complete program on std.
    pub code: String,
    /// `None` when safe Rust compiles it; otherwise what rustc says and why, which is the
    /// lesson (a plain static written by threads: a data race Rust refuses to compile).
    pub refused: Option<Refusal>,
    /// The scenario already is this Rust program (no built-in of the scenario language
    /// needed translating): the page shows no second copy of it.
    pub already_rust: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The error rustc reports, e.g. "error[E0594]: cannot assign to immutable static item `COUNTER`".
    pub error: String,
    pub why: String,
}

/// The first plain static that the scenario assigns to, if any.
fn written_plain_static(s: &Scenario) -> Option<String> {
    let plain: Vec<&str> = s
        .items
        .iter()
        .filter_map(|i| match i {
            // A `static mut` is written in `unsafe` blocks, which compile.
            Item::Static(st) if st.kind == StaticKind::Plain && !st.mutable => {
                Some(st.name.name.as_str())
            }
            _ => None,
        })
        .collect();
    fn in_block(b: &Block, plain: &[&str]) -> Option<String> {
        b.stmts.iter().find_map(|s| in_stmt(s, plain))
    }
    fn in_expr(e: &Expr, plain: &[&str]) -> Option<String> {
        match e {
            Expr::Closure { body, .. } => in_block(body, plain),
            Expr::Call { args, .. } => args.iter().find_map(|a| in_expr(a, plain)),
            Expr::Method { recv, args, .. } => {
                in_expr(recv, plain).or_else(|| args.iter().find_map(|a| in_expr(a, plain)))
            }
            Expr::If(s) => in_stmt(s, plain),
            Expr::Match {
                scrutinee, arms, ..
            } => in_expr(scrutinee, plain)
                .or_else(|| arms.iter().find_map(|a| in_block(&a.body, plain))),
            _ => None,
        }
    }
    fn in_stmt(s: &Stmt, plain: &[&str]) -> Option<String> {
        match s {
            Stmt::Assign { place, value, .. } => match place {
                Expr::Path(p) if p.len() == 1 && plain.contains(&p[0].name.as_str()) => {
                    Some(p[0].name.clone())
                }
                _ => in_expr(value, plain),
            },
            Stmt::Let { init, .. } => in_expr(init, plain),
            Stmt::Const(_) => None,
            Stmt::Expr { expr, .. } => in_expr(expr, plain),
            Stmt::If { then, els, .. } | Stmt::IfLetOk { then, els, .. } => {
                in_block(then, plain).or_else(|| els.as_deref().and_then(|e| in_stmt(e, plain)))
            }
            Stmt::While { body, .. }
            | Stmt::WhileLetOk { body, .. }
            | Stmt::Loop { body, .. }
            | Stmt::For { body, .. } => in_block(body, plain),
            Stmt::Block(b) => in_block(b, plain),
            Stmt::Return(_, Some(e)) => in_expr(e, plain),
            Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_, None) => None,
        }
    }
    s.items.iter().find_map(|i| match i {
        Item::Fn(f) => in_block(&f.body, &plain),
        Item::Static(_) | Item::Use { .. } => None,
    })
}

const PRELUDE_WORK: &str = "
/// `work(t)`: t ticks of CPU. Here a tick is a short busy loop.
fn work(ticks: i64) {
    let mut x = 0u64;
    for i in 0..ticks.max(0) as u64 * 20_000 {
        x = std::hint::black_box(x.wrapping_add(i));
    }
    std::hint::black_box(x);
}
";

const PRELUDE_SLEEP: &str = "
/// `sleep(t)`: the thread waits t ticks (here, milliseconds) off the CPU.
fn sleep(ticks: i64) {
    std::thread::sleep(std::time::Duration::from_millis(ticks.max(0) as u64));
}
";

const PRELUDE_BLOCKING_IO: &str = "
/// `blocking_io(t)`: a blocking call (a file read, an HTTP request) that answers after t
/// ticks; the calling thread waits and can do nothing else.
fn blocking_io(ticks: i64) {
    std::thread::sleep(std::time::Duration::from_millis(ticks.max(0) as u64));
}
";

/// A minimal async runtime on std alone, standing in for tokio or async-std: one event-loop
/// thread polls every task; `io(t)` completes after t milliseconds and wakes its task.
const PRELUDE_RT: &str = "
/// A tiny async runtime on std alone (real programs use tokio or async-std): one event-loop
/// thread polls every task, and a task's waker puts it back in the loop's queue.
mod rt {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::mpsc::{channel, Sender};
    use std::sync::{Arc, Condvar, Mutex, OnceLock};
    use std::task::{Context, Poll, Wake, Waker};
    use std::time::Duration;

    type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

    struct Job {
        future: Mutex<Option<BoxFuture>>,
        queue: Sender<Arc<Job>>,
    }

    impl Wake for Job {
        fn wake(self: Arc<Self>) {
            let queue = self.queue.clone();
            let _ = queue.send(self);
        }
    }

    /// The event loop's queue; the loop thread starts on first use.
    fn event_loop() -> Sender<Arc<Job>> {
        static QUEUE: OnceLock<Mutex<Sender<Arc<Job>>>> = OnceLock::new();
        let queue = QUEUE.get_or_init(|| {
            let (tx, rx) = channel::<Arc<Job>>();
            std::thread::spawn(move || {
                for job in rx {
                    let waker = Waker::from(Arc::clone(&job));
                    let mut slot = job.future.lock().unwrap();
                    if let Some(mut future) = slot.take() {
                        if future.as_mut().poll(&mut Context::from_waker(&waker)).is_pending() {
                            *slot = Some(future);
                        }
                    }
                }
            });
            Mutex::new(tx)
        });
        queue.lock().unwrap().clone()
    }

    /// Done flag and the waker of whoever awaits.
    type Shared = Arc<(Mutex<(bool, Option<Waker>)>, Condvar)>;

    fn finish(shared: &Shared) {
        let (lock, cv) = &**shared;
        let mut s = lock.lock().unwrap();
        s.0 = true;
        if let Some(w) = s.1.take() {
            w.wake();
        }
        cv.notify_all();
    }

    fn poll_shared(shared: &Shared, cx: &mut Context<'_>) -> Poll<()> {
        let mut s = shared.0.lock().unwrap();
        if s.0 {
            Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }

    /// A spawned task: `block_on` it from a thread, or `.await` it from another task.
    pub struct Task(Shared);

    impl Future for Task {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            poll_shared(&self.0, cx)
        }
    }

    pub fn spawn_task(f: impl Future<Output = ()> + Send + 'static) -> Task {
        let shared: Shared = Arc::default();
        let done = Arc::clone(&shared);
        let queue = event_loop();
        let future: BoxFuture = Box::pin(async move {
            f.await;
            finish(&done);
        });
        let job = Arc::new(Job { future: Mutex::new(Some(future)), queue: queue.clone() });
        let _ = queue.send(job);
        Task(shared)
    }

    /// Blocks the calling thread until the task is done.
    pub fn block_on(task: Task) {
        let (lock, cv) = &*task.0;
        let mut s = lock.lock().unwrap();
        while !s.0 {
            s = cv.wait(s).unwrap();
        }
    }

    /// I/O that answers after `ticks` milliseconds; awaiting it frees the event loop.
    pub fn io(ticks: i64) -> impl Future<Output = ()> {
        let shared: Shared = Arc::default();
        let mut started = false;
        std::future::poll_fn(move |cx| {
            if !started {
                started = true;
                let done = Arc::clone(&shared);
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(ticks.max(0) as u64));
                    finish(&done);
                });
            }
            poll_shared(&shared, cx)
        })
    }
}
";

/// The paths a `use` tree imports, each in full: `std::sync::{Arc, atomic::{AtomicUsize}}`
/// gives `std::sync::Arc` and `std::sync::atomic::AtomicUsize` (`self` is the module; an
/// alias counts as the name it renames).
pub(crate) fn use_paths(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        return vec![path.strip_suffix("::self").unwrap_or(path).to_string()];
    };
    let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
    let (prefix, inner) = (&tree[..open], &tree[open + 1..close]);
    let (mut depth, mut from, mut out) = (0, 0, Vec::new());
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.extend(use_paths(&format!("{prefix}{}", inner[from..i].trim())));
                from = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[from..].trim();
    if !last.is_empty() {
        out.extend(use_paths(&format!("{prefix}{last}")));
    }
    out
}

/// The equivalent Rust program on std, or parse errors.
pub fn rust_view(src: &str) -> Result<RustView, Vec<Diagnostic>> {
    let (scenario, diags) = parse(src);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let mut p = Printer::new(Mode::Rust, src, &[], &scenario);
    p.scenario(&scenario);
    let body = std::mem::take(&mut p.out);
    let u = &p.uses;
    let mut head = String::from(
        "// The Rust view of this scenario: the same program on std, as you would write it.\n",
    );
    // The scenario's own `use` lines first; then what the view needs that they do not
    // import already (two imports of one name do not compile: E0252).
    let mine: Vec<String> = scenario
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Use { path, .. } => Some(path.clone()),
            _ => None,
        })
        .collect();
    for path in &mine {
        let _ = writeln!(head, "use {path};");
    }
    let imported: Vec<String> = mine.iter().flat_map(|p| use_paths(p)).collect();
    let needed = |module: &str, name: &str| {
        !imported
            .iter()
            .any(|p| *p == format!("{module}::{name}") || *p == format!("{module}::*"))
    };
    let mut sync = Vec::new();
    if u.mutex && needed("std::sync", "Mutex") {
        sync.push("Mutex".to_string());
    }
    if u.rwlock && needed("std::sync", "RwLock") {
        sync.push("RwLock".to_string());
    }
    for once in &u.onces {
        if needed("std::sync", once) {
            sync.push(once.to_string());
        }
    }
    if u.condvar && needed("std::sync", "Condvar") {
        sync.push("Condvar".to_string());
    }
    if u.mpsc && needed("std::sync", "mpsc") {
        sync.push("mpsc".to_string());
    }
    let mut atomics = u.atomics.clone();
    if u.ordering || !atomics.is_empty() {
        atomics.push("Ordering".into());
    }
    atomics.retain(|a| needed("std::sync::atomic", a));
    if !atomics.is_empty() {
        sync.push(if atomics.len() == 1 {
            format!("atomic::{}", atomics[0])
        } else {
            format!("atomic::{{{}}}", atomics.join(", "))
        });
    }
    match sync.len() {
        0 => {}
        1 => {
            let _ = writeln!(head, "use std::sync::{};", sync[0]);
        }
        _ => {
            let _ = writeln!(head, "use std::sync::{{{}}};", sync.join(", "));
        }
    }
    if u.thread && needed("std", "thread") {
        head.push_str("use std::thread;\n");
    }
    if u.duration && needed("std::time", "Duration") {
        head.push_str("use std::time::Duration;\n");
    }
    for (used, text) in [
        (u.work, PRELUDE_WORK),
        (u.sleep, PRELUDE_SLEEP),
        (u.blocking_io, PRELUDE_BLOCKING_IO),
        (u.rt, PRELUDE_RT),
    ] {
        if used {
            head.push_str(text);
        }
    }
    head.push('\n');
    head.push_str(&body);
    let refused = written_plain_static(&scenario).map(|name| Refusal {
        error: format!("error[E0594]: cannot assign to immutable static item `{name}`"),
        why: format!(
            "Safe Rust refuses to compile this, and that is the lesson. A `static` is shared by \
             every thread, so Rust requires its type to be `Sync` (safe to use from several \
             threads at once) and lets you change it only through a type that synchronises: a \
             `Mutex` or an atomic. A plain `{name}` can only be read. `static mut` compiles only \
             inside `unsafe`, where you promise there is no data race, which is exactly the \
             promise this program breaks. (Sharing a local instead needs `Arc`, and the closure \
             given to `thread::spawn` must be `Send`; `Arc<usize>` gives only shared, read-only \
             access, so the same rule applies.) The fixes: `Mutex<usize>` or `AtomicUsize`."
        ),
    });
    Ok(RustView {
        code: head,
        already_rust: !u.dialect
            && refused.is_none()
            && u.bare
                .iter()
                .all(|b| imported.iter().any(|p| p.ends_with(&format!("::{b}")))),
        refused,
    })
}
