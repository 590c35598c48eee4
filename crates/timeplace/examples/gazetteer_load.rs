//! Prints how long parsing the embedded gazetteer takes: `cargo run --release --example
//! gazetteer_load -p dyad-timeplace`.
fn main() {
    let t = std::time::Instant::now();
    let g = dyad_timeplace::gazetteer::Gazetteer::embedded();
    println!(
        "{} entries, {} words at most per name, parsed in {:.1} ms",
        g.len(),
        g.max_words(),
        t.elapsed().as_secs_f64() * 1000.0
    );
}
