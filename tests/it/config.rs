//! Configuration, saved connections, `--list-dsn`, `-l`, and the checked-in shell
//! completion scripts.

use crate::common::{finish, Sandbox};
use crate::pty::sqlite_term;

fn write_config(sb: &Sandbox, text: &str) {
    let dir = sb.path().join("config/dbsh");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

#[test]
fn completion_scripts_are_up_to_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "dbsh.bash"),
        ("zsh", "_dbsh"),
        ("fish", "dbsh.fish"),
    ] {
        let r = crate::common::dbsh(&["--completions", shell]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let checked_in = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        assert!(
            checked_in == r.stdout,
            "completions/{file} is stale: run `dbsh --completions {shell} > completions/{file}`"
        );
        assert!(r.stdout.contains("no-destructive"), "{shell}");
    }
}

#[test]
fn saved_connections_by_name_with_settings() {
    let sb = Sandbox::new();
    let db = sb.path().join("saved.db");
    write_config(
        &sb,
        &format!(
            "null = \"∅\"\ninit = [\"create table if not exists t(x)\"]\n\n[connections.local]\nurl = \"sqlite://{}\"\ninit = [\"insert into t values (null)\"]\n\n[connections.ro]\nurl = \"sqlite://{}\"\nread_only = true\n",
            db.display(),
            db.display()
        ),
    );
    let r = finish(
        sb.cmd()
            .args(["local", "-c", "select x from t"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("| ∅ |"), "{}", r.stdout);

    let r = finish(sb.cmd().args(["--list-dsn"]).output().unwrap());
    assert_eq!(
        r.stdout,
        format!(
            "local\tsqlite://{}\nro\tsqlite://{}\n",
            db.display(),
            db.display()
        )
    );

    let r = finish(
        sb.cmd()
            .args(["ro", "-c", "insert into t values (1)"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        r.code, 1,
        "read_only = true on the saved connection: {}",
        r.stdout
    );
}

#[test]
fn list_dsn_masks_passwords() {
    let sb = Sandbox::new();
    write_config(
        &sb,
        "[connections.prod]\nurl = \"postgres://app:hunter2@db.example.com/app\"\n",
    );
    let r = finish(sb.cmd().arg("--list-dsn").output().unwrap());
    assert_eq!(r.stdout, "prod\tpostgres://app:***@db.example.com/app\n");
}

#[test]
fn password_env_that_is_unset_is_a_clear_error() {
    let sb = Sandbox::new();
    write_config(
        &sb,
        "[connections.prod]\nurl = \"postgres://app@127.0.0.1:1/app\"\npassword_env = \"DBSH_NO_SUCH_PW\"\n",
    );
    let r = finish(
        sb.cmd()
            .args(["prod", "-c", "select 1"])
            .env_remove("DBSH_NO_SUCH_PW")
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "saved connection 'prod': password_env names $DBSH_NO_SUCH_PW, which is not set"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let sb = Sandbox::new();
    write_config(&sb, "null = \"-\"\nrow_limit = \"lots\"\n");
    let r = finish(sb.cmd().args(["-c", "select 1"]).output().unwrap());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("config/dbsh/config.toml: line 2:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("row_limit"), "{}", r.stderr);

    write_config(&sb, "colour = \"red\"\nnull = \"-\"\n");
    let r = finish(sb.cmd().args(["-c", "select null as n"]).output().unwrap());
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr.matches("unknown key 'colour'").count(),
        1,
        "reported once: {}",
        r.stderr
    );
    assert!(r.stdout.contains("| - |"), "{}", r.stdout);

    let r = finish(
        sb.cmd()
            .args(["--config", "/nonexistent/dbsh.toml", "-c", "select 1"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/nonexistent/dbsh.toml"), "{}", r.stderr);
}

#[test]
fn dbsh_config_env_points_elsewhere() {
    let sb = Sandbox::new();
    let path = sb.path().join("elsewhere.toml");
    std::fs::write(&path, "null = \"NIL\"\n").unwrap();
    let r = finish(
        sb.cmd()
            .env("DBSH_CONFIG", &path)
            .args(["-c", "select null as n"])
            .output()
            .unwrap(),
    );
    assert!(r.stdout.contains("| NIL |"), "{}", r.stdout);
}

#[test]
fn list_databases() {
    let r = crate::common::dbsh(&["-l", "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Name,File\nmain,"), "{}", r.stdout);
}

#[test]
fn first_interactive_run_writes_a_commented_default_config() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let mut t = sqlite_term(&sb, &[]);
    t.wait_text(":memory:>", 10);
    t.ctrl_d();
    t.wait_exit(5);
    let path = sb.path().join("config/dbsh/config.toml");
    let text = std::fs::read_to_string(&path).expect("default config written");
    assert!(text.contains("# keys = \"emacs\""), "{text}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // It parses without warnings.
    let r = finish(sb.cmd().args(["-c", "select 1"]).output().unwrap());
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "");
}
