//! The root component: owns the reducer and the threads worker.

use crate::components::threads_panel::ThreadsPanel;
use crate::state::{Action, AppState};
use crate::threads::ThreadsWorker;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let worker: Rc<RefCell<Option<ThreadsWorker>>> = use_mut_ref(|| None);

    {
        let worker = worker.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let dispatch = Callback::from(move |a: Action| dispatcher.dispatch(a));
            match ThreadsWorker::spawn(dispatch.clone()) {
                Ok(w) => *worker.borrow_mut() = Some(w),
                Err(e) => dispatch.emit(Action::ThreadsFailed(e)),
            }
            move || drop(worker.borrow_mut().take())
        });
    }

    let on_run_check = {
        let worker = worker.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |_| {
            let sent = worker.borrow().as_ref().map(|w| w.run_check());
            match sent {
                Some(Ok(())) => dispatcher.dispatch(Action::CheckStarted),
                Some(Err(e)) => dispatcher.dispatch(Action::CheckFailed(e)),
                None => dispatcher.dispatch(Action::CheckFailed("no threads worker".into())),
            }
        })
    };

    html! {
        <main class="app">
            <header class="app-header">
                <h1>{ "Interleave" }</h1>
                <p class="tagline">{ "See concurrency: threads on one core take turns; on many cores they run at once." }</p>
            </header>
            <ThreadsPanel threads={state.threads.clone()} check={state.check.clone()} {on_run_check} />
        </main>
    }
}
