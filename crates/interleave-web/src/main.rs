//! The thin binary Trunk builds; everything lives in the library so tests can reach it.
fn main() {
    interleave_web::start();
}
