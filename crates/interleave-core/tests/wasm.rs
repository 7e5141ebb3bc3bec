//! The core in a real browser: the same seed gives the same stream as natively.
#![cfg(target_arch = "wasm32")]

use interleave_core::rng::Rng;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn seeded_stream_equals_the_native_stream() {
    let mut r = Rng::new(1_234_567);
    assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
    assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
}
