use super::*;

fn text(p: &Piece) -> &str {
    match p {
        Piece::Sql { text, .. } | Piece::Command { text, .. } => text,
        Piece::CopyData { data, .. } => data,
    }
}

fn texts(d: Dialect, input: &str) -> Vec<String> {
    Splitter::new(d)
        .split(input)
        .iter()
        .map(|p| text(p).to_string())
        .collect()
}

fn terminators(d: Dialect, input: &str) -> Vec<Terminator> {
    Splitter::new(d)
        .split(input)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Sql { terminator, .. } => Some(terminator),
            _ => None,
        })
        .collect()
}

use Dialect::*;

#[rustfmt::skip]
#[test]
fn statements_split_where_each_server_ends_them() {
    let cases: &[(Dialect, &str, &[&str])] = &[
        (Sqlite, "select 1; select 2;select 3", &["select 1", "select 2", "select 3"]),
        (Postgres, "select ';', \"a;b\", 1 -- x;y\n /* ; */ from t; select 2;", &["select ';', \"a;b\", 1 -- x;y\n /* ; */ from t", "select 2"]),
        (Mysql, "select 'it\\'s;', `a;b`; select 2;", &["select 'it\\'s;', `a;b`", "select 2"]),
        (Sqlite, "select [a;b] from t; select 2;", &["select [a;b] from t", "select 2"]),
        (Postgres, "create function f() returns int as $body$ select 1; $body$ language sql; select $1;", &["create function f() returns int as $body$ select 1; $body$ language sql", "select $1"]),
        // psql: a `;` inside parentheses does not end the statement.
        (Postgres, "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); select 1;", &["CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "select 1"]),
        (Mysql, "select (1; select 2);", &["select (1", "select 2)"]),
        (Postgres, "select E'a\\';b'; select 2;", &["select E'a\\';b'", "select 2"]),
        (Postgres, "select 'a\\'; select 2;", &["select 'a\\'", "select 2"]),
        (Postgres, "select a$b$ from t; select 2;", &["select a$b$ from t", "select 2"]),
        (Postgres, "select /* /* ; */ ; */ 1; select 2;", &["select /* /* ; */ ; */ 1", "select 2"]),
        (Mysql, "select 1 # x;\n;", &["select 1 # x;"]),
        // `--1` is minus minus one in MySQL, not a comment.
        (Mysql, "select 2 --1;", &["select 2 --1"]),
        // Executable comments are code: sent, and their `;` ends the statement, as the
        // mysql client does.
        (Mysql, "/*!40101 SET @x = 5 */;\n/*!50001 CREATE VIEW v AS SELECT 1 */;", &["/*!40101 SET @x = 5 */", "/*!50001 CREATE VIEW v AS SELECT 1 */"]),
        (Mysql, "/*M!100100 SET a=1 */;", &["/*M!100100 SET a=1 */"]),
        (Mysql, "/* plain */ select 1;", &["select 1"]),
        // psql's `\;` joins statements into one query string.
        (Postgres, "select 1 \\; select 2;\nselect 3;", &["select 1 ; select 2", "select 3"]),
        (Postgres, "\\dt users\nselect 1;", &["\\dt users", "select 1"]),
        (Sqlite, "\\dt users\n.tables\nselect 1;", &["\\dt users", ".tables", "select 1"]),
        // Unterminated text is still a piece, never dropped.
        (Postgres, "select 1; select 'oops", &["select 1", "select 'oops"]),
        (Postgres, "select 1; /* open", &["select 1", "/* open"]),
        (Postgres, "select $$ x", &["select $$ x"]),
        (Mysql, "/*!40101 SET x=1", &["/*!40101 SET x=1"]),
    ];
    for (d, input, want) in cases {
        assert_eq!(texts(*d, input), *want, "{d:?} {input:?}");
    }
}

#[rustfmt::skip]
#[test]
fn completeness_for_the_validator() {
    let s = Splitter::new(Postgres);
    let cases = [
        ("select 1;", true),
        ("select 1;  -- done\n", true),
        ("select 1", false),
        ("select 'a;", false),
        ("select 1 /* ; ", false),
        ("select $$ ; ", false),
        ("select $$ ; $$;", true),
        ("\\dt", true),
        ("select 1 \\G", true),
        ("select 1 \\gset p_", true),
        ("", true),
        ("  \n ", true),
        ("select \"x;\" from t;", true),
        ("select \"x; from t;", false),
        ("select E'a\\'b';", true),
        ("select 'a\\';", true),
        ("select (1;", false),
        ("/* open", false),
        ("copy t from stdin;", false),
        ("copy t from stdin;\n1\n", false),
        ("copy t from stdin;\n1\n\\.\n", true),
        ("copy t from stdin;\n1\n\\.", true),
        ("copy t to stdout;", true),
    ];
    for (input, want) in cases {
        assert_eq!(s.is_complete(input), want, "{input:?}");
    }
    assert!(!Splitter::new(Mysql).is_complete("/*!40101 SET x=1;"));
    assert!(!Splitter::new(Postgres).is_complete(".5 +"));
}

#[test]
fn terminators_name_the_command() {
    use Terminator::*;
    assert_eq!(
        terminators(Mysql, "select 1\\G select 2\\g select 3;"),
        [Vertical, Go, Delimiter]
    );
    assert_eq!(
        terminators(Postgres, "select 1 AS x \\gset\nselect 2 \\gset p_\nselect 3 \\gx\nselect 4 \\g out.txt\nselect 5 \\gexec\nselect 6"),
        [
            Command("\\gset".into()),
            Command("\\gset p_".into()),
            Command("\\gx".into()),
            Command("\\g out.txt".into()),
            Command("\\gexec".into()),
            Unterminated
        ]
    );
    assert!(Command("\\gx".into()).is_vertical());
    assert!(Vertical.is_vertical());
    assert!(!Command("\\gexec".into()).is_vertical());
    // `\gset` is never `\g` followed by SQL `set`.
    assert_eq!(texts(Postgres, "SELECT 1 AS x \\gset"), ["SELECT 1 AS x"]);
}

#[test]
fn standard_conforming_strings_follow_set_and_the_server() {
    let input = "SET standard_conforming_strings = off;\nselect 'a\\'b';\nselect 2;";
    assert_eq!(
        texts(Postgres, input),
        [
            "SET standard_conforming_strings = off",
            "select 'a\\'b'",
            "select 2"
        ]
    );
    let mut s = Splitter::new(Postgres);
    s.split("SET SESSION standard_conforming_strings TO 'off';");
    assert!(!s.lex_state().standard_conforming_strings);
    assert!(s.is_complete("select 'a\\'b';"));
    s.split("set standard_conforming_strings = on;");
    assert!(!s.is_complete("select 'a\\'b';"));
    s.set_standard_conforming_strings(false);
    assert!(s.is_complete("select 'a\\'b';"));
}

#[test]
fn mysql_sql_mode_changes_quoting() {
    let input =
        "SET sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';\nselect \"a;b\", 'c\\';\nselect 2;";
    assert_eq!(
        texts(Mysql, input),
        [
            "SET sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'",
            "select \"a;b\", 'c\\'",
            "select 2"
        ]
    );
    let mut s = Splitter::new(Mysql);
    s.split("SET sql_mode = '';");
    assert!(!s.lex_state().ansi_quotes && !s.lex_state().no_backslash_escapes);
}

#[test]
fn copy_from_stdin_data_blocks() {
    let input = "COPY t (a, b) FROM stdin;\n1\tx\n2\t'y\n\\.\nselect 1;";
    let pieces = Splitter::new(Postgres).split(input);
    assert_eq!(pieces.len(), 3, "{pieces:?}");
    assert_eq!(text(&pieces[0]), "COPY t (a, b) FROM stdin");
    assert_eq!(
        pieces[1],
        Piece::CopyData {
            data: "1\tx\n2\t'y\n".into(),
            offset: 26
        }
    );
    assert_eq!(text(&pieces[2]), "select 1");
    // No `\.`: the data runs to the end, as psql reads it.
    let pieces = Splitter::new(Postgres).split("copy t from STDIN;\n1\n2\n");
    assert_eq!(text(&pieces[1]), "1\n2\n");
    // Text after the COPY on its line runs after the data.
    let pieces = Splitter::new(Postgres).split("copy t from stdin; select 2;\n1\n\\.\nselect 3;");
    let got: Vec<&str> = pieces.iter().map(text).collect();
    assert_eq!(got, ["copy t from stdin", "1\n", "select 2", "select 3"]);
    // Only PostgreSQL has it; COPY TO STDOUT has no data block.
    assert_eq!(texts(Postgres, "copy t to stdout;\nselect 1;").len(), 2);
}

#[test]
fn trigger_bodies_keep_their_semicolons() {
    let input = "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET x = CASE WHEN 1 THEN 2 END;\n  DELETE FROM c;\nEND;\nselect 1;";
    let got = texts(Sqlite, input);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("END"));
    let s = Splitter::new(Sqlite);
    assert!(!s.is_complete("CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM c;"));
}

#[test]
fn mysql_routines_and_delimiter() {
    let mut s = Splitter::new(Mysql);
    let got = s.split("DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nselect 3;");
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(s.delimiter(), ";");
    let got = texts(
        Mysql,
        "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END IF; CASE WHEN 1 THEN SELECT 2; END CASE; END; select 3;",
    );
    assert_eq!(got.len(), 2, "{got:?}");
    // `BEGIN` alone is a transaction, not a block.
    assert_eq!(texts(Mysql, "begin; select 1;").len(), 2);
    // mariadb-dump's triggers: `;;` delimiter around executable comments.
    let got = texts(
        Mysql,
        "DELIMITER ;;\n/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET @x = 1; END */;;\nDELIMITER ;\nselect 1;",
    );
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("END */"), "{got:?}");
    // A `$$` delimiter right after a word ends the statement, as in the mysql client.
    let mut s = Splitter::new(Mysql);
    let got =
        s.split("DELIMITER $$\nCREATE PROCEDURE q() BEGIN SELECT 1; END$$\nDELIMITER ;\nselect 3;");
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(s.delimiter(), ";");
}

#[test]
fn offsets_point_into_the_input() {
    let input = "  select 1;\n  select 2;\n\\dt\ncopy t from stdin;\nx\n\\.\n";
    for p in Splitter::new(Postgres).split(input) {
        assert!(input[p.offset()..].starts_with(text(&p)), "{p:?}");
    }
}

/// Random input: no panic, offsets on char boundaries inside the input, and every word
/// of the input lands in some piece (nothing is dropped).
#[test]
fn random_input_never_panics_and_loses_no_word() {
    let alphabet = [
        "select", "x", " ", "\n", ";", "'", "\"", "`", "[", "]", "(", ")", "$$", "$a$", "--", "/*",
        "*/", "/*!", "#", "\\", "\\g", "\\G", "\\gset", "\\;", "begin", "end", "create", "trigger",
        "é", "🦀", ".", ":v", "E'",
    ];
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..3000 {
        let mut input = std::string::String::new();
        for _ in 0..(seed % 16) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            input.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        for d in [Postgres, Mysql, Sqlite] {
            let mut s = Splitter::new(d);
            let pieces = s.split(&input);
            let _ = s.is_complete(&input);
            let spans: Vec<(usize, usize)> = pieces
                .iter()
                .map(|p| {
                    let at = p.offset();
                    assert!(at <= input.len() && input.is_char_boundary(at), "{input:?}");
                    // Command pieces and joined statements end where the input says.
                    let len = match p {
                        Piece::Sql { text, .. } => text.len() + text.matches(';').count(),
                        _ => text(p).len(),
                    };
                    (at, at + len)
                })
                .collect();
            let state = LexState::new(d);
            // Words after a `\g file`-style command are its arguments.
            if d != Mysql && input.to_ascii_lowercase().contains("\\g") {
                continue;
            }
            for t in super::super::lex::tokenize(&input, &state) {
                if t.kind == Kind::Word && !t.text(&input).eq_ignore_ascii_case("delimiter") {
                    assert!(
                        spans.iter().any(|&(a, b)| a <= t.start && t.start < b),
                        "{d:?} {input:?}: word at {} lost in {pieces:?}",
                        t.start
                    );
                }
            }
        }
    }
}

#[test]
fn never_panics_on_odd_input() {
    let samples = [
        "'",
        "\"",
        "`",
        "[",
        "$",
        "$$",
        "$a",
        "/*",
        "*/",
        "--",
        "#",
        "\\",
        "\\G",
        ";",
        "é'ü",
        "DELIMITER",
        "DELIMITER ",
        "create trigger end end end;",
        "E'\\",
        "\u{0}",
        "🦀;🦀",
        "$é$ x $é$;",
        "copy t from stdin;",
        "\\.",
        "/*!",
        "\\;",
        "U&'",
        ":'",
    ];
    for d in [Postgres, Mysql, Sqlite] {
        for a in samples {
            for b in samples {
                let input = format!("{a}{b}");
                let mut s = Splitter::new(d);
                let _ = s.split(&input);
                let _ = s.is_complete(&input);
            }
        }
    }
}

/// Throughput, written down in the commit log: `cargo test --lib split_speed -- --ignored
/// --nocapture` (add `--release` for release numbers).
#[test]
#[ignore = "benchmark"]
fn split_speed() {
    let line = "insert into t values (1, 'it''s ; a -- string /* x */'), (2, E'\\n'); -- c\n";
    let script = line.repeat(50_000);
    for d in [Postgres, Mysql, Sqlite] {
        let start = std::time::Instant::now();
        let n = super::super::lex::tokenize(&script, &LexState::new(d)).len();
        eprintln!(
            "{d:?}: lex only {n} tokens in {:.0} ms",
            start.elapsed().as_secs_f64() * 1e3
        );
        let start = std::time::Instant::now();
        let pieces = Splitter::new(d).split(&script);
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(pieces.len(), 50_000);
        eprintln!(
            "{d:?}: {:.1} MB/s ({} statements in {:.0} ms)",
            script.len() as f64 / secs / 1e6,
            pieces.len(),
            secs * 1e3
        );
    }
}

#[rustfmt::skip]
#[test]
fn mysql_line_commands_need_no_terminator_at_a_statement_start() {
    let cases: &[(Dialect, &str, &[&str])] = &[
        (Mysql, "use test\nselect 1;", &["use test", "select 1"]),
        (Mysql, "USE test;\nsource /tmp/a.sql\ncharset utf8mb4\nstatus\n", &["USE test", "source /tmp/a.sql", "charset utf8mb4", "status"]),
        (Mysql, "warnings\nnowarning\nexit", &["\\W", "\\w", "exit"]),
        // Inside a statement the words are SQL.
        (Mysql, "select\nstatus from t;", &["select\nstatus from t"]),
        (Mysql, "select 1 as use_me;", &["select 1 as use_me"]),
        // Only MySQL has them.
        (Postgres, "use test\nselect 1;", &["use test\nselect 1"]),
    ];
    for (d, input, want) in cases {
        assert_eq!(texts(*d, input), *want, "{d:?}: {input:?}");
    }
    let mut s = Splitter::new(Mysql);
    s.split("delimiter //\n");
    assert_eq!(texts_with(&mut s, "use test//\nselect 1//"), ["use test", "select 1"]);
}

fn texts_with(s: &mut Splitter, input: &str) -> Vec<String> {
    s.split(input).iter().map(|p| text(p).to_string()).collect()
}
