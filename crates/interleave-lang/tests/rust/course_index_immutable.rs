// Shape of: Rust by Example, "Vectors" (writing `xs[i] = …` needs `let mut xs`): the
// vector is declared without `mut`, and rustc refuses the write.
// Expect: error[E0596]
fn main() {
    let counts = vec![0; 3];
    for i in 0..3 {
        counts[i] = i * 2;
    }
    println!("{}", counts[2]);
}
