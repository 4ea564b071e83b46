//! Entry point of the wasm binary that Trunk builds.

fn main() {
    mango_cs_frontend::start();
}
