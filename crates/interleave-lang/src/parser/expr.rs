//! Expressions: precedence climbing over the binary operators, `as`, the unary
//! operators, postfix calls, fields, indexing, `?` and `.await`, and the primaries.
//! Nesting and operator chains are bounded (`MAX_NESTING`, `MAX_CHAIN`), so no
//! expression overflows the stack of any pass that walks it.

use super::*;

impl Parser {
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let chain = self.chain;
        let e = self.expr_in();
        self.chain = chain;
        self.leave();
        e
    }

    /// One more operator on the current chain (see `MAX_CHAIN`).
    pub(super) fn link(&mut self) -> PResult<()> {
        self.chain += 1;
        if self.chain > MAX_CHAIN {
            let span = self.span();
            return Err(self.error(
                span,
                format!("an expression chaining more than {MAX_CHAIN} operators"),
                Some("split it into several `let`s"),
            ));
        }
        Ok(())
    }

    pub(super) fn expr_in(&mut self) -> PResult<Expr> {
        let start = self.span();
        let lhs = self.binary(0)?;
        let e = if self.is("..") || self.is("..=") {
            let inclusive = self.bump().tok == Tok::P("..=");
            let rhs = self.binary(0)?;
            Expr::Range {
                start: Box::new(lhs),
                end: Box::new(rhs),
                inclusive,
                span: start.to(self.prev_span()),
            }
        } else {
            lhs
        };
        Ok(e)
    }

    pub(super) fn binop(&self) -> Option<(BinOp, u8)> {
        let Tok::P(p) = self.peek() else { return None };
        Some(match *p {
            "||" => (BinOp::Or, 1),
            "&&" => (BinOp::And, 2),
            "==" => (BinOp::Eq, 3),
            "!=" => (BinOp::Ne, 3),
            "<" => (BinOp::Lt, 3),
            "<=" => (BinOp::Le, 3),
            ">" => (BinOp::Gt, 3),
            ">=" => (BinOp::Ge, 3),
            "+" => (BinOp::Add, 4),
            "-" => (BinOp::Sub, 4),
            "*" => (BinOp::Mul, 5),
            "/" => (BinOp::Div, 5),
            "%" => (BinOp::Rem, 5),
            _ => return None,
        })
    }

    /// Precedence climbing over binary operators (all left-associative).
    pub(super) fn binary(&mut self, min: u8) -> PResult<Expr> {
        let mut lhs = self.cast()?;
        while let Some((op, prec)) = self.binop() {
            if prec <= min {
                break;
            }
            self.bump();
            self.link()?;
            self.enter()?;
            let rhs = self.binary(prec)?;
            self.leave();
            let span = lhs.span().to(rhs.span());
            lhs = Expr::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                span,
            };
            if prec == 3 && matches!(self.binop(), Some((_, 3))) {
                // `a == b == c`, `a < b < c`: rustc refuses them.
                let at = self.span();
                return Err(self.error(
                    at,
                    "comparison operators cannot be chained",
                    Some("split the comparison into two: `a < b && b < c`"),
                ));
            }
        }
        Ok(lhs)
    }

    /// `e as T` binds tighter than the binary operators, looser than the unary ones.
    pub(super) fn cast(&mut self) -> PResult<Expr> {
        let mut e = self.unary()?;
        while self.eat_kw("as") {
            self.link()?;
            let ty = self.type_text()?;
            let span = e.span().to(self.prev_span());
            e = Expr::Cast {
                expr: Box::new(e),
                ty,
                span,
            };
        }
        Ok(e)
    }

    pub(super) fn unary(&mut self) -> PResult<Expr> {
        let start = self.span();
        let op = match self.peek() {
            Tok::P("-") => Some(UnOp::Neg),
            Tok::P("!") => Some(UnOp::Not),
            Tok::P("*") => Some(UnOp::Deref),
            Tok::P("&") => Some(UnOp::Ref(false)),
            _ => None,
        };
        if op == Some(UnOp::Neg) && *self.peek_at(1) == Tok::Int(i64::MIN) {
            // `-9223372036854775808`: the one literal whose digits do not fit alone.
            self.bump();
            let at = self.bump().span;
            return Ok(Expr::Int(i64::MIN, start.to(at)));
        }
        if self.is("&&") {
            // `&&x` in front of a value is two borrows, as Rust reads it.
            self.bump();
            let inner = if self.eat_kw("mut") {
                UnOp::Ref(true)
            } else {
                UnOp::Ref(false)
            };
            self.enter()?;
            let e = self.unary();
            self.leave();
            let e = e?;
            let span = start.to(e.span());
            let once = Expr::Unary {
                op: inner,
                span,
                expr: Box::new(e),
            };
            return Ok(Expr::Unary {
                op: UnOp::Ref(false),
                span,
                expr: Box::new(once),
            });
        }
        if let Some(mut op) = op {
            self.bump();
            if op == UnOp::Ref(false) && self.eat_kw("mut") {
                op = UnOp::Ref(true);
            }
            self.enter()?;
            let e = self.unary()?;
            self.leave();
            return Ok(Expr::Unary {
                op,
                span: start.to(e.span()),
                expr: Box::new(e),
            });
        }
        self.postfix()
    }

    pub(super) fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        let mut links = 0;
        loop {
            links += 1;
            if links > MAX_NESTING {
                let span = self.span();
                return Err(self.error(
                    span,
                    format!("a chain of more than {MAX_NESTING} calls"),
                    Some("split it into several statements"),
                ));
            }
            if self.eat(".") {
                if self.eat_kw("await") {
                    let span = e.span().to(self.prev_span());
                    e = Expr::Await {
                        expr: Box::new(e),
                        span,
                    };
                    continue;
                }
                let name = match self.peek().clone() {
                    Tok::Int(i) => {
                        // `t.0`: a tuple's field.
                        let at = self.bump().span;
                        let index = u32::try_from(i)
                            .map_err(|_| self.error(at, "no tuple has that many fields", None))?;
                        let span = e.span().to(at);
                        e = Expr::Field {
                            base: Box::new(e),
                            index,
                            span,
                        };
                        continue;
                    }
                    _ => self.ident("a method name")?,
                };
                if self.is("::") {
                    // Turbofish `.sum::<i32>()`: ignored (the printer keeps it as written).
                    self.bump();
                    self.expect("<", None)?;
                    self.type_text()?;
                    self.expect(">", None)?;
                }
                let args = if self.is("(") {
                    self.args()?
                } else {
                    let span = name.span;
                    return Err(self.error(
                        span,
                        format!("fields are not supported (`.{}`)", name.name),
                        Some("call a method, e.g. `.load()`"),
                    ));
                };
                let span = e.span().to(self.prev_span());
                e = Expr::Method {
                    recv: Box::new(e),
                    name,
                    args,
                    span,
                };
            } else if self.eat("[") {
                self.enter()?;
                let index = self.expr()?;
                self.leave();
                self.expect("]", Some("close the index with `]`"))?;
                let span = e.span().to(self.prev_span());
                e = Expr::Index {
                    base: Box::new(e),
                    index: Box::new(index),
                    span,
                };
            } else if self.eat("?") {
                let span = e.span().to(self.prev_span());
                e = Expr::Try {
                    expr: Box::new(e),
                    span,
                };
            } else {
                return Ok(e);
            }
        }
    }

    pub(super) fn args(&mut self) -> PResult<Vec<Expr>> {
        self.expect("(", None)?;
        self.list(")", "close the argument list with `)`")
    }

    /// Expressions separated by commas up to `close` (eaten), the opening already eaten.
    pub(super) fn list(&mut self, close: &str, hint: &str) -> PResult<Vec<Expr>> {
        let mut items = Vec::new();
        while !self.is(close) {
            items.push(self.expr()?);
            if !self.eat(",") {
                break;
            }
        }
        self.expect(close, Some(hint))?;
        Ok(items)
    }

    pub(super) fn primary(&mut self) -> PResult<Expr> {
        let start = self.span();
        match self.peek().clone() {
            Tok::Int(i64::MIN) => {
                self.bump();
                Err(self.error(
                    start,
                    "this number does not fit in 64 bits",
                    Some("numbers are at most 9223372036854775807 (`i64::MAX`)"),
                ))
            }
            Tok::Int(v) => {
                self.bump();
                Ok(Expr::Int(v, start))
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Expr::Str(s, start))
            }
            Tok::Ident(k) if k == "true" || k == "false" => {
                self.bump();
                Ok(Expr::Bool(k == "true", start))
            }
            Tok::Ident(k) if k == "move" => self.closure(),
            Tok::Ident(k) if k == "async" => {
                self.bump();
                self.enter()?;
                let is_move = self.eat_kw("move");
                let body = self.block();
                self.leave();
                let body = body?;
                Ok(Expr::Async {
                    is_move,
                    span: start.to(body.span),
                    body: Box::new(body),
                })
            }
            Tok::Ident(k) if k == "match" => self.match_expr(),
            Tok::Ident(k) if k == "if" => {
                self.bump();
                self.enter()?;
                let s = self.if_rest(start);
                self.leave();
                Ok(Expr::If(Box::new(s?)))
            }
            Tok::Life(l) => {
                let hint = "write the loop without a label: `break` leaves the innermost loop";
                let msg = format!("loop labels (`'{l}:`) are not simulated yet");
                Err(self.error(start, msg, Some(hint)))
            }
            Tok::P("|") | Tok::P("||") => self.closure(),
            Tok::P("[") => {
                self.bump();
                self.enter()?;
                let items = self.list("]", "close the array with `]`");
                self.leave();
                Ok(Expr::Array(items?, start.to(self.prev_span())))
            }
            Tok::P("(") => {
                self.bump();
                let mut items = Vec::new();
                let mut trailing_comma = false;
                while !self.is(")") {
                    items.push(self.expr()?);
                    trailing_comma = self.eat(",");
                    if !trailing_comma {
                        break;
                    }
                }
                self.expect(")", None)?;
                let span = start.to(self.prev_span());
                if items.len() == 1 && !trailing_comma {
                    Ok(items.pop().expect("one item"))
                } else {
                    Ok(Expr::Tuple(items, span))
                }
            }
            Tok::Ident(k) if !KEYWORDS.contains(&k.as_str()) => {
                let mut path = vec![self.ident("a name")?];
                while self.is("::") {
                    self.bump();
                    if self.is("<") {
                        // Turbofish `::<T>`: ignored.
                        self.bump();
                        self.type_text()?;
                        self.expect(">", None)?;
                        continue;
                    }
                    path.push(self.ident("a name after `::`")?);
                }
                let bang = self.eat("!");
                if self.is("(") {
                    let args = self.args()?;
                    return Ok(Expr::Call {
                        callee: path,
                        bang,
                        args,
                        span: start.to(self.prev_span()),
                    });
                }
                if bang && path.len() == 1 && path[0].name == "vec" && self.eat("[") {
                    // `vec![a, b]`: a call of `vec!` with its elements as arguments.
                    let first = if self.is("]") {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    if let Some(x) = first.clone().filter(|_| self.is(";")) {
                        // `vec![x; n]`: what the macro expands to, `vec::from_elem(x, n)`.
                        let at = self.bump().span;
                        let n = self.expr()?;
                        self.expect("]", Some("close the vector with `]`"))?;
                        path.push(Ident {
                            name: "from_elem".into(),
                            span: at,
                        });
                        return Ok(Expr::Call {
                            callee: path,
                            bang,
                            args: vec![x, n],
                            span: start.to(self.prev_span()),
                        });
                    }
                    let mut args: Vec<Expr> = first.into_iter().collect();
                    if !args.is_empty() && !self.is("]") {
                        self.expect(",", Some("separate the elements with `,`"))?;
                    }
                    args.extend(self.list("]", "close the vector with `]`")?);
                    return Ok(Expr::Call {
                        callee: path,
                        bang,
                        args,
                        span: start.to(self.prev_span()),
                    });
                }
                if bang {
                    let span = self.span();
                    let hint = "the macros are `assert!`, `assert_eq!`, `assert_ne!`, `println!` and `vec![…]`";
                    return Err(self.error(span, "expected `(` after the macro name", Some(hint)));
                }
                Ok(Expr::Path(path))
            }
            t => {
                let hint = if t == Tok::Eof {
                    Some("the scenario ended early: is a `}` or `)` missing?")
                } else {
                    None
                };
                Err(self.error(
                    start,
                    format!("expected an expression, found {}", describe(&t)),
                    hint,
                ))
            }
        }
    }
}
