// Shape of: the message loop courses build on the Book's listing 16-10 (a thread sends
// `String`s; the receiver stops at a `"quit"` message): strings compared by their
// text with `==` and `!=`, a `for` over an array of `&str`, `format!`.
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for word in ["hello", "world", "quit", "never"] {
            tx.send(word.to_string()).unwrap();
        }
    });
    for msg in rx {
        if msg == "quit" {
            println!("bye");
            break;
        }
        let shout = format!("{msg}!");
        println!("{shout} {}", shout != "hello!");
    }
}
