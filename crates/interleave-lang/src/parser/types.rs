//! Types, as text: what a `static` or a `let` was declared with (`Mutex<i64>`,
//! `(Sender<i32>, Receiver<i32>)`). The compiler reads a static's kind from it; a `let`'s
//! is checked for form only.

use super::*;

impl Parser {
    pub(super) fn type_text(&mut self) -> PResult<String> {
        self.enter()?;
        let mut s = String::new();
        while self.is("&") {
            self.bump();
            s.push('&');
            if let Tok::Life(l) = self.peek().clone() {
                // `&'static str`, `&'a T`: kept as written.
                self.bump();
                s.push_str(&format!("'{l} "));
            }
            if self.eat_kw("mut") {
                s.push_str("mut ");
            }
        }
        if self.eat("[") {
            // A slice `[T]` or an array `[T; N]`.
            let inner = self.type_text()?;
            let len = if self.eat(";") {
                let e = self.expr()?;
                let n = match e {
                    Expr::Int(n, _) => n.to_string(),
                    _ => "_".to_string(),
                };
                format!("; {n}")
            } else {
                String::new()
            };
            self.expect("]", None)?;
            self.leave();
            return Ok(format!("{s}[{inner}{len}]"));
        }
        if self.eat("(") {
            // A tuple type, `()` included.
            let mut parts = Vec::new();
            while !self.is(")") {
                parts.push(self.type_text()?);
                if !self.eat(",") {
                    break;
                }
            }
            self.expect(")", None)?;
            self.leave();
            return Ok(format!("{s}({})", parts.join(", ")));
        }
        let mut first = true;
        loop {
            if !first {
                s.push_str("::");
            }
            first = false;
            let id = self.ident("a type")?;
            s.push_str(&id.name);
            if !self.eat("::") {
                break;
            }
        }
        if self.eat("<") {
            s.push('<');
            loop {
                let inner = self.type_text()?;
                s.push_str(&inner);
                if self.eat(",") {
                    s.push_str(", ");
                    continue;
                }
                break;
            }
            self.expect(">", None)?;
            s.push('>');
        }
        self.leave();
        Ok(s)
    }
}
