//! Syntax-highlighting themes: the built-in `.tmTheme` files (precompiled by build.rs) and
//! the user's own in `$XDG_CONFIG_HOME/dbsh/themes/`, turned into one terminal style per
//! kind of SQL token.
//!
//! syntect is used only for the theme format and its scope matching; tokens come from our
//! own lexer (highlight.rs). Colours follow bat's convention for palette themes: a colour
//! with alpha 0 is ANSI palette entry `r`, alpha 1 is the terminal's default colour.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use nu_ansi_term::{Color, Style};
use syntect::highlighting::{FontStyle, Highlighter, Theme, ThemeSet};
use syntect::parsing::Scope;

use super::highlight::Kind;

/// The built-in themes, dumped by build.rs.
static BUILTIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/themes.bin"));

pub const DEFAULT_DARK: &str = "dark";
pub const DEFAULT_LIGHT: &str = "light";

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// No colours at all (NO_COLOR, --no-color, not a terminal).
    Off,
    /// The xterm 256-colour palette: RGB theme colours are approximated.
    Ansi256,
    /// 24-bit colour (COLORTERM=truecolor or 24bit).
    TrueColor,
}

impl ColorMode {
    /// Decide from the flag and the environment: `--no-color`, a non-empty `NO_COLOR`, or
    /// output that is not a terminal turn colours off.
    pub fn detect(no_color_flag: bool) -> ColorMode {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color_flag || no_color_env || !std::io::stdout().is_terminal() {
            return ColorMode::Off;
        }
        match std::env::var("COLORTERM").as_deref() {
            Ok("truecolor") | Ok("24bit") => ColorMode::TrueColor,
            _ => ColorMode::Ansi256,
        }
    }
}

/// The theme used when none is configured: light when the terminal says its background is
/// light (`COLORFGBG` ending in 7 or 15, as rxvt and some others set), else dark.
pub fn default_name() -> &'static str {
    let light = std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| v.rsplit(';').next().map(str::to_string))
        .is_some_and(|bg| bg == "7" || bg == "15");
    if light {
        DEFAULT_LIGHT
    } else {
        DEFAULT_DARK
    }
}

/// `$XDG_CONFIG_HOME/dbsh/themes` (or the platform's config directory).
pub fn user_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("dbsh").join("themes"))
}

fn builtin_set() -> ThemeSet {
    syntect::dumps::from_uncompressed_data(BUILTIN).unwrap_or_default()
}

/// Names of the user's `.tmTheme` files in `dir`, with their paths, sorted.
fn user_themes(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tmTheme"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p)))
        .collect();
    found.sort();
    found
}

/// Every theme name, built-in and the user's, sorted, each once (a user theme with a
/// built-in's name replaces it). The second element says where it comes from.
pub fn list() -> Vec<(String, &'static str)> {
    let mut names: std::collections::BTreeMap<String, &'static str> = builtin_set()
        .themes
        .into_keys()
        .map(|n| (n, "built-in"))
        .collect();
    if let Some(dir) = user_dir() {
        for (name, _) in user_themes(&dir) {
            names.insert(name, "user");
        }
    }
    names.into_iter().collect()
}

/// Load the theme `name`: the user's file first, then the built-ins. Errors say why.
pub fn load(name: &str) -> Result<Theme, String> {
    if let Some(dir) = user_dir() {
        if let Some((_, path)) = user_themes(&dir).into_iter().find(|(n, _)| n == name) {
            return ThemeSet::get_theme(&path).map_err(|e| format!("{}: {e}", path.display()));
        }
    }
    builtin_set()
        .themes
        .remove(name)
        .ok_or_else(|| format!("unknown theme '{name}' (dbsh --list-themes lists them)"))
}

/// One terminal style per token kind, plus the style of a matching bracket pair.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    styles: Vec<(Kind, Style)>,
    pub bracket: Style,
}

/// The scope each token kind is looked up under in the theme.
const SCOPES: &[(Kind, &str)] = &[
    (Kind::Keyword, "keyword.other.sql"),
    (Kind::Type, "storage.type.sql"),
    (Kind::Function, "entity.name.function.sql"),
    (Kind::String, "string.quoted.single.sql"),
    (Kind::QuotedIdent, "variable.other.quoted.sql"),
    (Kind::Number, "constant.numeric.sql"),
    (Kind::Constant, "constant.language.sql"),
    (Kind::Comment, "comment.sql"),
    (Kind::Operator, "keyword.operator.sql"),
    (Kind::Punctuation, "punctuation.sql"),
    (Kind::Parameter, "variable.parameter.sql"),
    (Kind::Command, "keyword.control.command.sql"),
];

impl Palette {
    pub fn from_theme(theme: &Theme, mode: ColorMode) -> Palette {
        if mode == ColorMode::Off {
            return Palette::default();
        }
        let highlighter = Highlighter::new(theme);
        let default_fg = theme.settings.foreground;
        let styles = SCOPES
            .iter()
            .filter_map(|(kind, scope)| {
                let scope = Scope::new(scope).ok()?;
                let s = highlighter.style_for_stack(&[scope]);
                // The theme's plain foreground is left to the terminal: the theme's
                // background is never painted, so its foreground may not suit it.
                let fg = (Some(s.foreground) != default_fg)
                    .then(|| convert(s.foreground, mode))
                    .flatten();
                let mut style = Style::new();
                style.foreground = fg;
                style.is_bold = s.font_style.contains(FontStyle::BOLD);
                style.is_italic = s.font_style.contains(FontStyle::ITALIC);
                style.is_underline = s.font_style.contains(FontStyle::UNDERLINE);
                Some((*kind, style))
            })
            .collect();
        let mut bracket = Style::new().bold().underline();
        bracket.foreground = theme
            .settings
            .brackets_foreground
            .and_then(|c| convert(c, mode));
        Palette { styles, bracket }
    }

    pub fn style(&self, kind: Kind) -> Style {
        self.styles
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or_else(Style::new, |(_, s)| *s)
    }
}

/// A theme colour on this terminal; `None` is the terminal's default colour.
pub fn convert(c: syntect::highlighting::Color, mode: ColorMode) -> Option<Color> {
    match (c.a, mode) {
        (_, ColorMode::Off) => None,
        (0, _) => Some(Color::Fixed(c.r)),
        (1, _) => None,
        (_, ColorMode::TrueColor) => Some(Color::Rgb(c.r, c.g, c.b)),
        (_, ColorMode::Ansi256) => Some(Color::Fixed(rgb_to_256(c.r, c.g, c.b))),
    }
}

/// The nearest entry of the xterm 256-colour palette (the 6x6x6 cube or the grey ramp).
pub fn rgb_to_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let nearest = |v: u8| -> usize {
        (0..6)
            .min_by_key(|&i| (i32::from(LEVELS[i]) - i32::from(v)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (nearest(r), nearest(g), nearest(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_i = ((avg.saturating_sub(8)) / 10).min(23);
    let grey = (8 + grey_i * 10) as u8;
    let dist = |(x, y, z): (u8, u8, u8)| -> i32 {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(x, r) + d(y, g) + d(z, b)
    };
    if dist((grey, grey, grey)) < dist(cube) {
        232 + grey_i as u8
    } else {
        (16 + 36 * ri + 6 * gi + bi) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_themes_load_and_colour_keywords() {
        let names: Vec<String> = list().into_iter().map(|(n, _)| n).collect();
        for name in ["dark", "light", "ansi"] {
            assert!(names.contains(&name.to_string()), "{names:?}");
            let theme = load(name).unwrap();
            let p = Palette::from_theme(&theme, ColorMode::TrueColor);
            assert!(p.style(Kind::Keyword).foreground.is_some(), "{name}");
            assert!(p.style(Kind::String).foreground.is_some(), "{name}");
        }
    }

    #[test]
    fn ansi_theme_uses_only_palette_colours() {
        let p = Palette::from_theme(&load("ansi").unwrap(), ColorMode::TrueColor);
        for (kind, _) in SCOPES {
            match p.style(*kind).foreground {
                None => {}
                Some(Color::Fixed(n)) => assert!((1..=6).contains(&n), "{kind:?}: {n}"),
                Some(other) => panic!("{kind:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn no_colour_mode_has_no_styles() {
        let p = Palette::from_theme(&load("dark").unwrap(), ColorMode::Off);
        assert_eq!(p.style(Kind::Keyword), Style::new());
    }

    #[test]
    fn palette_approximation() {
        assert_eq!(rgb_to_256(0, 0, 0), 16);
        assert_eq!(rgb_to_256(255, 255, 255), 231);
        assert_eq!(rgb_to_256(255, 0, 0), 196);
        assert_eq!(rgb_to_256(128, 128, 128), 244);
    }

    #[test]
    fn unknown_theme_is_an_error() {
        assert!(load("no-such-theme").unwrap_err().contains("unknown theme"));
    }
}

/// What highlighting adds to start-up: theme load, palette and a first highlight.
/// `cargo test --release --lib highlighting_start_up_cost -- --ignored --nocapture`
#[cfg(test)]
#[test]
#[ignore = "a measurement, not a check"]
fn highlighting_start_up_cost() {
    use std::time::Instant;
    let runs = 200;
    let start = Instant::now();
    for _ in 0..runs {
        let theme = load(DEFAULT_DARK).unwrap_or_default();
        let palette = Palette::from_theme(&theme, ColorMode::TrueColor);
        let h = super::highlight::SqlHighlighter {
            splitter: std::sync::Arc::new(std::sync::Mutex::new(crate::sql::Splitter::new(
                crate::sql::Dialect::Postgres,
            ))),
            palette,
            enabled: true,
        };
        let line = "select a.id, count(*) from accounts a join orders o on o.account_id = a.id where o.total > 10.5 and a.name like 'x%' group by a.id;";
        std::hint::black_box(reedline::Highlighter::highlight(&h, line, 20));
    }
    eprintln!(
        "theme load + palette + first highlight: {:.3} ms",
        start.elapsed().as_secs_f64() * 1000.0 / runs as f64
    );
    let long = format!("select length('{}') as n;", "x".repeat(5000));
    let script = "select a, 'b', 3 from t where x = (1 + 2); -- c\n".repeat(100);
    for text in [&long, &script] {
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(super::highlight::tokenize(
                text,
                &crate::sql::LexState::new(crate::sql::Dialect::Postgres),
            ));
        }
        eprintln!(
            "tokenize {} chars: {:.3} ms",
            text.len(),
            start.elapsed().as_secs_f64() * 1000.0 / runs as f64
        );
    }
}
