//! The engine on a big generated catalog: what the scale measures (top-K with a limit,
//! index lookups) must not change what is suggested. A limit gives exactly the first
//! candidates of the unlimited answer, for every kind of position.

use super::bench_support::{generate_catalog, table_name};
use super::{suggest, Options};

fn statements() -> Vec<String> {
    let t = table_name;
    vec![
        "SELECT * FROM ".into(),
        "SELECT * FROM inv".into(),
        "SELECT * FROM cu_pa".into(),
        "SELECT ".into(),
        "SELECT c".into(),
        format!("SELECT * FROM {} a JOIN ", t(1200)),
        format!("SELECT * FROM {} a JOIN {} b ON ", t(1200), t(600)),
        format!(
            "SELECT * FROM {} a JOIN {} b ON b.id = a.id WHERE ",
            t(900),
            t(450)
        ),
        format!("SELECT a. FROM {} a", t(700)),
        "INSERT INTO ".into(),
        "SELECT fn_".into(),
        "SELECT * FROM public.".into(),
    ]
}

#[test]
fn a_limit_keeps_the_best_candidates_in_order() {
    let cat = generate_catalog(3000, 8);
    let recent: Vec<String> = (0..40).map(|i| table_name(i * 37)).collect();
    for sql in statements() {
        // `SELECT a. FROM …`: the cursor after the dot.
        let cursor = sql.find(". FROM").map_or(sql.chars().count(), |b| b + 1);
        for limit in [1, 7, 100] {
            let all = Options {
                recent: recent.clone(),
                ..Options::default()
            };
            let few = Options {
                limit: Some(limit),
                ..all.clone()
            };
            let full = suggest(&sql, cursor, &cat, &all);
            let top = suggest(&sql, cursor, &cat, &few);
            let want: Vec<_> = full.candidates.iter().take(limit).collect();
            let got: Vec<_> = top.candidates.iter().collect();
            assert_eq!(got, want, "{sql:?} limit {limit}");
            assert_eq!(top.replace_start, full.replace_start);
        }
    }
}

#[test]
fn lookups_find_tables_and_joins_in_a_big_catalog() {
    let cat = generate_catalog(3000, 8);
    let opts = Options::default();
    let sql = format!("SELECT * FROM {} a JOIN ", table_name(2000));
    let joins: Vec<_> = suggest(&sql, sql.len(), &cat, &opts)
        .candidates
        .into_iter()
        .filter(|c| c.kind == super::Kind::Join)
        .map(|c| c.text)
        .collect();
    // Table 2000 references 1000 and (2000*31) % 2000 = 0; 4000 and 4001 are beyond.
    assert!(
        joins.iter().any(|j| j.contains(&table_name(1000))),
        "{joins:?}"
    );
    assert!(
        joins.iter().any(|j| j.contains(&table_name(0))),
        "{joins:?}"
    );
    let sql = format!("SELECT a. FROM {} a", table_name(2999));
    let cols = suggest(&sql, 9, &cat, &opts).candidates;
    let cols = cols.iter().filter(|c| c.kind == super::Kind::Column);
    assert_eq!(cols.count(), 8);
}
