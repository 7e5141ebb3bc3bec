// Shape of: The Rust Programming Language, listing 8-18's note ("s1 has been moved here and
// can no longer be used"): using `s1` after `s1 + &s2` is rustc's E0382.
// Expect: error[E0382]
fn main() {
    let s1 = String::from("Hello, ");
    let s2 = String::from("world!");
    let s3 = s1 + &s2;
    println!("{s1} {s3}");
}
