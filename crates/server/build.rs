// Compiles the PostgreSQL variants of the HTTP tests only when TEST_POSTGRES_URL names a
// database, so a run without one lists SQLite tests alone instead of passing empty ones.
fn main() {
    println!("cargo:rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo:rerun-if-env-changed=TEST_POSTGRES_URL");
    if std::env::var("TEST_POSTGRES_URL").is_ok_and(|url| !url.is_empty()) {
        println!("cargo:rustc-cfg=postgres_tests");
    }
}
