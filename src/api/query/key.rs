//! Hierarchical query keys: `["appointments", "list", "2026-11-23", …]`. A key names one cached
//! answer; any prefix of it names a family (`["appointments"]` is every appointment list and
//! detail), which is what invalidation and in-place patches act on.

use std::fmt::{self, Display};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueryKey(Vec<String>);

impl QueryKey {
    pub fn new(root: &str) -> Self {
        Self(vec![root.to_owned()])
    }

    /// The key one level down.
    pub fn with(mut self, part: impl Display) -> Self {
        self.0.push(part.to_string());
        self
    }

    /// Whether `self` is `prefix` or one of its descendants.
    pub fn starts_with(&self, prefix: &QueryKey) -> bool {
        self.0.starts_with(&prefix.0)
    }
}

impl Display for QueryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_by_whole_parts() {
        let list = QueryKey::new("appointments").with("list").with(2);
        assert!(list.starts_with(&QueryKey::new("appointments")));
        assert!(list.starts_with(&list));
        assert!(!list.starts_with(&QueryKey::new("appoint")));
        assert!(!QueryKey::new("appointments").starts_with(&list));
        assert_eq!(list.to_string(), "appointments/list/2");
    }
}
