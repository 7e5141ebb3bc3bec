// Shape of: a chain whose `let` shadows the vector it reads (`let v = v.iter()…`), as
// Rust allows: the new `v` is made from the old one.
// Expect: runs
fn main() {
    let v = vec![1, 2, 3];
    let v: Vec<i32> = v.iter().map(|x| x * 10).collect();
    let total: i32 = v.iter().sum();
    println!("{} {total}", v.len());
}
