//! Builds the embedded pricing profiles at build time, so a run does not parse and validate
//! ~47 KB of YAML before it can start. The build script compiles the crate's own model types
//! and the part of `input` that turns pricing files into a catalog (no file reading, no
//! engine), builds each profile exactly as a run with user files would, and writes the
//! validated catalog as JSON to `OUT_DIR/profile-NAME.json`, listed in `OUT_DIR/prebuilt.rs`
//! for `input::catalog` to embed.
//! A problem in an embedded pricing file fails the build with the same message a run would
//! print.

// The included modules are the library's; the script uses only the catalog-building part.
#![allow(dead_code, unused_imports)]

#[path = "src/model/mod.rs"]
mod model;

#[path = "src/input"]
mod input {
    pub mod digest;
    pub mod pricing;
    pub mod validate;
    pub mod yaml;
}

use std::fmt::Write as _;
use std::path::Path;

// `{path:?}` writes the path as a Rust string literal for include_str!.
#[allow(clippy::unnecessary_debug_formatting)]
fn main() {
    println!("cargo:rerun-if-changed=pricing");
    println!("cargo:rerun-if-changed=src/model");
    println!("cargo:rerun-if-changed=src/input");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    // `prebuilt.rs`: the list input::catalog embeds, one (profile, JSON) pair per profile.
    let mut list = String::from("&[\n");
    for (name, _) in input::pricing::profiles::PROFILES {
        let sources = input::pricing::profiles::profile_sources(name).unwrap_or_default();
        let catalog = match input::pricing::profiles::build(name, &sources) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("the embedded pricing profile `{name}` does not validate:\n{e}");
                std::process::exit(1);
            }
        };
        let json = serde_json::to_string(&catalog).expect("a catalog serializes to JSON");
        let path = Path::new(&out).join(format!("profile-{name}.json"));
        std::fs::write(&path, json)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        let _ = writeln!(list, "    ({name:?}, include_str!({path:?})),");
    }
    list.push(']');
    let path = Path::new(&out).join("prebuilt.rs");
    std::fs::write(&path, list).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
