//! Items other than functions: `static`, `static mut` and `const` declarations, whose
//! type (as text) chooses the kind, and whose initial value must be a constant.

use super::*;

impl Parser {
    /// `static …` or `const …` (the keyword not yet eaten).
    pub(super) fn static_item(&mut self) -> PResult<Static> {
        let is_const = self.is_kw("const");
        let start = self.bump().span;
        let mutable = self.eat_kw("mut");
        let name = self.ident("a name for the static")?;
        self.expect(
            ":",
            Some("statics need a type, e.g. `static COUNTER: usize = 0;`"),
        )?;
        let ty_span = self.span();
        let ty = self.type_text()?;
        let kind = if ty.starts_with("Mutex<") || ty.starts_with("RwLock<") {
            StaticKind::Mutex
        } else if ty == "Condvar" {
            StaticKind::Condvar
        } else if ty == "Once" || ty.starts_with("OnceLock<") {
            StaticKind::Once
        } else if ty.starts_with("Atomic") {
            StaticKind::Atomic
        } else if [
            "usize", "isize", "i64", "u64", "i32", "u32", "i8", "u8", "i16", "u16", "bool",
        ]
        .contains(&ty.as_str())
        {
            if is_const {
                StaticKind::Const
            } else {
                StaticKind::Plain
            }
        } else if is_const {
            return Err(self.error(
                ty_span.to(self.prev_span()),
                format!("a `const` of type `{ty}` is not simulated yet"),
                Some("constants are numbers here: `const N: usize = 10;`"),
            ));
        } else {
            return Err(self.error(
                ty_span.to(self.prev_span()),
                format!("unsupported static type `{ty}`"),
                Some(
                    "use an integer type, `AtomicUsize`/`AtomicI64`/`AtomicBool`, `Mutex<i64>` or `Condvar`",
                ),
            ));
        };
        self.expect("=", None)?;
        let init_span = self.span();
        let init = self.expr()?;
        let span = init_span.to(self.prev_span());
        let value = match (kind, &init) {
            (StaticKind::Plain | StaticKind::Const, e) => const_int(e),
            (StaticKind::Condvar, Expr::Call { callee, args, .. }) => {
                let path: Vec<&str> = callee.iter().map(|c| c.name.as_str()).collect();
                (path.ends_with(&["Condvar", "new"]) && args.is_empty()).then_some(0)
            }
            (StaticKind::Once, Expr::Call { callee, args, .. }) => {
                let path: Vec<&str> = callee.iter().map(|c| c.name.as_str()).collect();
                let lock = ty != "Once";
                let want = if lock { "OnceLock" } else { "Once" };
                (path.ends_with(&[want, "new"]) && args.is_empty()).then_some(i64::from(lock))
            }
            (_, Expr::Call { callee, args, .. })
                if callee.last().is_some_and(|c| c.name == "new") && args.len() == 1 =>
            {
                let wrapper = callee.first().map(|c| c.name.as_str()).unwrap_or("");
                let ok = match kind {
                    StaticKind::Mutex => ty.starts_with(wrapper) && !wrapper.is_empty(),
                    _ => wrapper.starts_with("Atomic"),
                };
                if ok {
                    const_int(&args[0])
                } else {
                    None
                }
            }
            _ => None,
        };
        let Some(init) = value else {
            if kind == StaticKind::Mutex && ty.contains("Vec<") {
                return Err(self.error(
                    span,
                    format!("a `static` `{ty}` is not simulated yet"),
                    Some("make it in `main` and share it: `let list = Arc::new(Mutex::new(Vec::new()));`, `Arc::clone(&list)` for each thread"),
                ));
            }
            let want = match kind {
                StaticKind::Plain | StaticKind::Const => "an integer, e.g. `0`".to_string(),
                StaticKind::Atomic => format!("`{ty}::new(0)`"),
                StaticKind::Mutex => "`Mutex::new(0)`".into(),
                StaticKind::Condvar => "`Condvar::new()`".into(),
                StaticKind::Once if ty == "Once" => "`Once::new()`".into(),
                StaticKind::Once => "`OnceLock::new()`".into(),
            };
            return Err(self.error(
                span,
                "unsupported initial value",
                Some(&format!("initialise it with {want}")),
            ));
        };
        self.semi()?;
        Ok(Static {
            name,
            kind,
            ty,
            init,
            mutable,
            span: start.to(self.prev_span()),
        })
    }
}

/// An integer constant: `3`, `-3`, `true`, `false`.
pub(super) fn const_int(e: &Expr) -> Option<i64> {
    match e {
        Expr::Int(v, _) => Some(*v),
        Expr::Bool(b, _) => Some(*b as i64),
        Expr::Unary {
            op: UnOp::Neg,
            expr,
            ..
        } => const_int(expr).map(|v| v.wrapping_neg()),
        _ => None,
    }
}
