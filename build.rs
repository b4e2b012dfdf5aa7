//! Precompiles the built-in `.tmTheme` files in `themes/` into one binary dump in OUT_DIR,
//! so that start-up deserializes a few kilobytes instead of parsing XML (as bat does).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=themes");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let themes = syntect::highlighting::ThemeSet::load_from_folder("themes")
        .unwrap_or_else(|e| panic!("themes/: {e}: {e:?}"));
    if themes.themes.is_empty() {
        panic!("themes/ holds no .tmTheme file");
    }
    let dump = Path::new(&out_dir).join("themes.bin");
    syntect::dumps::dump_to_uncompressed_file(&themes, &dump)
        .unwrap_or_else(|e| panic!("{}: {e}", dump.display()));
}
