//! Predict, then reveal: while a run's ending is hidden, the question (what will COUNTER be,
//! how will it end, how many ticks), a place to answer, and a way to reveal it now.

use crate::predict::{ask, Question, END_CHOICES};
use crate::state::Action;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub question: Question,
    pub guess: Option<String>,
    pub dispatch: Callback<Action>,
}

#[function_component(PredictPanel)]
pub fn predict_panel(p: &Props) -> Html {
    let d = &p.dispatch;
    let answer = match &p.question {
        Question::End => {
            let choices = END_CHOICES.iter().map(|&(key, words)| {
                let checked = p.guess.as_deref() == Some(key);
                let onchange = d.reform(move |_: Event| Action::Guess(key.to_string()));
                html! {
                    <label class="choice">
                        <input type="radio" name="predict-end" value={key} {checked} {onchange}
                               data-testid={format!("guess-{key}")} />
                        { format!(" {words}") }
                    </label>
                }
            });
            html! { <fieldset class="choices"><legend class="sr-only">{ ask(&p.question) }</legend>{ for choices }</fieldset> }
        }
        Question::Value(_) | Question::Ticks => {
            let oninput = d.reform(|e: InputEvent| {
                Action::Guess(
                    e.target_dyn_into::<web_sys::HtmlInputElement>()
                        .map(|i| i.value())
                        .unwrap_or_default(),
                )
            });
            html! {
                <label class="guess">{ "Your prediction " }
                    <input type="number" data-testid="guess" value={p.guess.clone().unwrap_or_default()} {oninput} />
                </label>
            }
        }
    };
    html! {
        <section class="panel outcome predict" data-testid="predict" aria-labelledby="predict-title">
            <h2 id="predict-title">{ "Predict, then play" }</h2>
            <p class="question" data-testid="question">{ ask(&p.question) }</p>
            { answer }
            <p class="muted">{ "The outcome and the rest of the timeline stay hidden until the run reaches its end. Play it, step through it, or:" }</p>
            <div class="row">
                <button data-testid="reveal" onclick={d.reform(|_: MouseEvent| Action::Reveal)}>{ "Reveal the outcome" }</button>
                <button class="quiet" data-testid="predict-off" onclick={d.reform(|_: MouseEvent| Action::Predict(false))}>{ "Always show outcomes" }</button>
            </div>
        </section>
    }
}
