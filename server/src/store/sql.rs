//! A small builder for queries whose WHERE clause depends on the request. sqlx's QueryBuilder
//! writes `?` placeholders for the `Any` driver, which PostgreSQL rejects; this one numbers them
//! `$1, $2…`, which both databases accept.

use sqlx::any::AnyArguments;
use sqlx::Arguments;

use crate::error::Error;

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
}

#[derive(Debug, Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(start: &str) -> Self {
        Self {
            text: start.to_owned(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    /// Appends a placeholder for `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    /// Appends `$a, $b, …` for a list.
    pub fn bind_list(&mut self, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        for (i, arg) in args.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(arg);
        }
        self
    }

    pub fn sql(&self) -> &str {
        &self.text
    }

    pub fn arguments(&self) -> Result<AnyArguments, Error> {
        let mut out = AnyArguments::default();
        for arg in &self.args {
            match arg {
                Arg::Text(s) => out.add(s.clone()),
                Arg::Int(i) => out.add(*i),
            }
            .map_err(|e| Error::Internal(format!("bind: {e}")))?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut q = Sql::new("SELECT 1 WHERE a = ");
        q.bind(Arg::Text("x".into()))
            .push(" AND b IN (")
            .bind_list([Arg::Int(1), Arg::Int(2)])
            .push(")");
        assert_eq!(q.sql(), "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
    }
}
