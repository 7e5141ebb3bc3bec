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
    use interleave_core::explore::{self, EndKind, Options, Progress, Report, Verdict};
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
    fn report(
        r: &Report,
        program: &std::sync::Arc<interleave_core::program::Program>,
        options: &Options,
    ) -> Object {
        let o = message("done");
        let (verdict, bound) = match r.verdict {
            Verdict::Complete => ("complete", JsValue::NULL),
            Verdict::Incomplete(explore::Stop::States(n)) => (
                "incomplete",
                JsValue::from(format!("the bound of {n} distinct states")),
            ),
            Verdict::Incomplete(explore::Stop::LocalSteps(n)) => (
                "incomplete",
                JsValue::from(format!("a thread that ran {n} local steps in a row")),
            ),
        };
        set(&o, "verdict", verdict);
        set(&o, "bound", bound);
        set(&o, "executions", r.executions as f64);
        set(&o, "states", r.states as f64);
        let outcomes = Array::new();
        for x in &r.outcomes {
            let out = Object::new();
            set(&out, "end", x.key.end.key());
            let values = Array::new();
            for (n, v) in &x.key.values {
                values.push(&Array::of2(&n.into(), &(*v as f64).into()));
            }
            set(&out, "values", values);
            set(
                &out,
                "message",
                x.key.message.clone().map_or(JsValue::NULL, JsValue::from),
            );
            set(&out, "count", x.count as f64);
            set(&out, "preemptions", x.preemptions);
            set(&out, "minimal", x.minimal);
            set(&out, "schedule", explore::schedule_text(&x.witness));
            let story = Array::new();
            if x.key.end != EndKind::NeverEnds || !x.witness.is_empty() {
                if let Ok(lines) =
                    explore::narrate(std::sync::Arc::clone(program), options, &x.witness)
                {
                    for l in lines {
                        story.push(&l.into());
                    }
                }
            }
            set(&out, "story", story);
            outcomes.push(&out);
        }
        set(&o, "outcomes", outcomes);
        o
    }

    fn handle(data: &JsValue) {
        let get = |k: &str| Reflect::get(data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        if get("type").as_string().as_deref() != Some("explore") {
            return;
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
        let mut last = js_sys::Date::now();
        let mut progress = |p: Progress| {
            let now = js_sys::Date::now();
            if now - last < 100.0 {
                return;
            }
            last = now;
            let o = message("progress");
            match p {
                Progress::States(n) => set(&o, "states", n as f64),
                Progress::Witnesses => set(&o, "witnesses", true),
            }
            post(&o);
        };
        match explore::explore_with(std::sync::Arc::clone(&program), &options, &mut progress) {
            Ok(r) => post(&report(&r, &program, &options)),
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
