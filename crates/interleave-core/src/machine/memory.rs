//! Plain statics (`static mut`, or a `static` the dialect lets threads share unsynchronised):
//! loads and stores run as compact instructions (see `exec`), and the race detector
//! (`crate::race`) watches every one.
//!
//! Conflict rule: a load reads the variable, a store writes it; two loads commute.

use super::access::{Accesses, Object};
use crate::trace::EventKind;

/// What a plain-memory event touches.
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::Load { var, .. } => acc.add(Object::Var(var.0), false),
        EventKind::Store { var, .. } => acc.add(Object::Var(var.0), true),
        _ => {}
    }
}
