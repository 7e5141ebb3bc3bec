//! The explorer's Web Worker (built by Trunk as a worker, loaded by the page on demand): it
//! takes `{type: 'explore', source, maxStates}` and answers with `{type: 'progress',
//! states}` now and then, then `{type: 'done', …}` (the histogram, see `report`), or
//! `{type: 'diagnostics', text}` when the scenario does not compile. The page cancels an
//! exploration by terminating the worker: the explorer never blocks the page.

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::listen();
}

#[cfg(target_arch = "wasm32")]
mod worker {
    use interleave_core::explore::{self, Options, Progress, Report, Verdict};
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
        let _ = Reflect::set(o, &k.into(), &v.into());
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(o: &Object) {
        let _ = scope().post_message(o);
    }

    fn message(kind: &str) -> Object {
        let o = Object::new();
        set(&o, "type", kind);
        o
    }

    /// The report as a plain object the page reads back (numbers as numbers: counts past
    /// 2⁵³ lose their last digits, which a histogram does not show).
    fn report(r: &Report, max_depth: u64) -> Object {
        let o = message("done");
        let (verdict, bound) = match r.verdict {
            Verdict::Complete => ("complete", JsValue::NULL),
            Verdict::Incomplete(stop) => {
                let mut words = match stop {
                    explore::Stop::States(n) => format!("the bound of {n} distinct states"),
                    explore::Stop::LocalSteps(n) => {
                        format!("a thread that ran {n} local steps in a row")
                    }
                    explore::Stop::Outcomes(n) => format!(
                        "the bound of {n} distinct outcomes (executions ending in yet others were not counted)"
                    ),
                    explore::Stop::Preemptions(k) => format!(
                        "a bound of {k} preemptions (executions with more were not explored)"
                    ),
                    explore::Stop::Limit(limit) => format!(
                        "a limit of the simulator in some execution ({}); that execution was followed no further",
                        limit.words(&interleave_core::settings::Limits::default())
                    ),
                    explore::Stop::Depth(n) => format!(
                        "the bound of {n} steps in one execution (a thread can go on and on, reaching new states)"
                    ),
                };
                if let Some(depth) = r.shallower {
                    words.push_str(&format!(
                        ", in a search to {max_depth} steps; shown are the executions of up to {depth} steps"
                    ));
                }
                ("incomplete", JsValue::from(words))
            }
        };
        set(&o, "verdict", verdict);
        set(&o, "bound", bound);
        set(&o, "executions", r.executions_approx);
        set(&o, "states", r.states as f64);
        set(&o, "caveats", r.caveats.join(" "));
        let outcomes = Array::new();
        for x in &r.outcomes {
            let out = Object::new();
            set(&out, "end", x.key.end.key());
            let values = Array::new();
            // Numbers as numbers, the rest in words (`true`, `[1, 2]`).
            for (n, w) in x.key.words() {
                let v: JsValue = match w.parse::<i64>() {
                    Ok(k) => (k as f64).into(),
                    Err(_) => w.into(),
                };
                values.push(&Array::of2(&n.into(), &v));
            }
            set(&out, "values", values);
            set(
                &out,
                "message",
                x.key.message.clone().map_or(JsValue::NULL, JsValue::from),
            );
            set(&out, "output", x.key.output.as_str());
            set(&out, "count", x.approx);
            set(&out, "preemptions", x.preemptions);
            set(&out, "minimal", x.minimal);
            set(&out, "schedule", explore::schedule_text(&x.witness));
            outcomes.push(&out);
        }
        set(&o, "outcomes", outcomes);
        o
    }

    /// Lines of a told witness at most (one per run of steps by one thread).
    const STORY_LINES: usize = 200;

    /// `{type: 'tell', source, schedule}`: the witness in words and its preemptions.
    fn tell(source: &str, schedule: &str) {
        let o = message("told");
        set(&o, "schedule", schedule);
        let story = Array::new();
        let options = Options::default();
        let steps = explore::parse_schedule(schedule);
        if let (Ok(c), Ok(steps)) = (interleave_lang::compile(source), steps) {
            if let Ok(lines) = explore::narrate(std::sync::Arc::clone(&c.program), &options, &steps)
            {
                let more = lines.len().saturating_sub(STORY_LINES);
                for l in lines.into_iter().take(STORY_LINES) {
                    story.push(&l.into());
                }
                if more > 0 {
                    story.push(
                        &format!("… and {more} more lines: the timeline has every step").into(),
                    );
                }
            }
            if let Ok(n) = explore::preemptions(c.program, &options, &steps) {
                set(&o, "preemptions", n);
            }
        }
        set(&o, "story", story);
        post(&o);
    }

    fn handle(data: &JsValue) {
        let get = |k: &str| Reflect::get(data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        match get("type").as_string().as_deref() {
            Some("explore") => {}
            Some("tell") => {
                return tell(
                    &get("source").as_string().unwrap_or_default(),
                    &get("schedule").as_string().unwrap_or_default(),
                )
            }
            _ => return,
        }
        let source = get("source").as_string().unwrap_or_default();
        let max_states = get("maxStates").as_f64().unwrap_or(1e6).clamp(1.0, 5e6) as u64;
        let program = match interleave_lang::compile(&source) {
            Ok(c) => c.program,
            Err(diags) => {
                let o = message("diagnostics");
                let text: String = diags
                    .iter()
                    .map(|d| interleave_lang::diag::render(&source, "scenario", d))
                    .collect();
                set(&o, "text", text);
                post(&o);
                return;
            }
        };
        let options = Options {
            max_states,
            max_witness_nodes: 1_000_000,
            ..Options::default()
        };
        let began = js_sys::Date::now();
        let mut last = began;
        let mut progress = |p: Progress| {
            let now = js_sys::Date::now();
            let o = message("progress");
            match p {
                Progress::States(n) => {
                    // A message every 100 ms is enough for a progress line.
                    if now - last < 100.0 {
                        return;
                    }
                    set(&o, "states", n as f64);
                    set(&o, "perSecond", n as f64 * 1000.0 / (now - began).max(1.0));
                }
                Progress::Witnesses => set(&o, "witnesses", true),
            }
            last = now;
            post(&o);
        };
        match explore::explore_with(std::sync::Arc::clone(&program), &options, &mut progress) {
            Ok(r) => post(&report(&r, options.max_depth)),
            Err(e) => {
                let o = message("error");
                set(&o, "message", e.to_string());
                post(&o);
            }
        }
    }

    pub fn listen() {
        let on = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| handle(&e.data()));
        scope().set_onmessage(Some(on.as_ref().unchecked_ref()));
        // The worker lives as long as the page keeps it: so does its handler.
        on.forget();
        post(&message("ready"));
    }
}
