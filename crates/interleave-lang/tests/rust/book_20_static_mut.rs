// Shape of: The Rust Programming Language, chapter 20, "Accessing or Modifying a Mutable
// Static Variable" (a `static mut` changed in `unsafe` blocks, from one thread).
// Expect: runs
static mut COUNTER: u32 = 0;

fn add_to_count(inc: u32) {
    unsafe {
        COUNTER += inc;
    }
}

fn main() {
    add_to_count(3);
    add_to_count(4);
    unsafe {
        let c = COUNTER;
        println!("COUNTER: {c}");
    }
}
