//! Catalog values for unit tests: a relation without columns, a one-column foreign key.

use super::{ForeignKey, Relation, RelationKind};

pub(crate) fn rel(schema: &str, name: &str) -> Relation {
    Relation {
        schema: schema.into(),
        name: name.into(),
        kind: RelationKind::Table,
        columns: Vec::new(),
    }
}

/// `from.x REFERENCES to(id)`, each end as (schema, table).
pub(crate) fn fk(from: (&str, &str), to: (&str, &str)) -> ForeignKey {
    ForeignKey {
        from_schema: from.0.into(),
        from_table: from.1.into(),
        from_columns: vec!["x".into()],
        to_schema: to.0.into(),
        to_table: to.1.into(),
        to_columns: vec!["id".into()],
    }
}
