//! The list's state as it lives in the URL (`?q=&page=&per=&sort=&dir=`), so a reload,
//! back/forward or a shared link shows the same list.

use crate::ui::common::encode;
use roster_types::page::page_size;
use roster_types::users::UserSort;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    pub q: String,
    pub page: u32,
    pub per_page: u32,
    pub sort: UserSort,
    pub desc: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            page: 1,
            per_page: 25,
            sort: UserSort::Created,
            desc: true,
        }
    }
}

impl ListQuery {
    /// From the URL's parameters; anything missing or malformed takes its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let d = Self::default();
        let sort = get("sort").map(|s| UserSort::parse(&s)).unwrap_or(d.sort);
        Self {
            q: get("q").unwrap_or_default(),
            page: crate::ui::common::page_number(get("page").as_deref()),
            per_page: get("per")
                .and_then(|p| p.parse().ok())
                .map(page_size)
                .unwrap_or(d.per_page),
            sort,
            desc: match get("dir").as_deref() {
                Some("asc") => false,
                Some("desc") => true,
                _ => sort == UserSort::Created,
            },
        }
    }

    /// The URL for this state; defaults are left out so links stay short.
    pub fn to_url(&self, path: &str) -> String {
        let d = Self::default();
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        if self.page != 1 {
            parts.push(format!("page={}", self.page));
        }
        if self.per_page != d.per_page {
            parts.push(format!("per={}", self.per_page));
        }
        if self.sort != d.sort || self.desc != d.desc {
            parts.push(format!("sort={}", self.sort.code()));
            parts.push(format!("dir={}", if self.desc { "desc" } else { "asc" }));
        }
        if parts.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }

    /// A click on a column header: sort by it, or flip the direction if it is the sort.
    pub fn sorted_by(&self, sort: UserSort) -> Self {
        let desc = if self.sort == sort {
            !self.desc
        } else {
            sort == UserSort::Created
        };
        Self {
            sort,
            desc,
            page: 1,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> ListQuery {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ListQuery::from_params(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_and_round_trip() {
        assert_eq!(parse(&[]), ListQuery::default());
        assert_eq!(ListQuery::default().to_url("/admin/users"), "/admin/users");
        let q = ListQuery {
            q: "ann & co 50%".into(),
            page: 3,
            per_page: 50,
            sort: UserSort::Name,
            desc: false,
        };
        let url = q.to_url("/admin/users");
        assert_eq!(
            url,
            "/admin/users?q=ann%20%26%20co%2050%25&page=3&per=50&sort=name&dir=asc"
        );
        assert_eq!(
            parse(&[
                ("q", "ann & co 50%"),
                ("page", "3"),
                ("per", "50"),
                ("sort", "name"),
                ("dir", "asc")
            ]),
            q
        );
    }

    #[test]
    fn bad_values_fall_back() {
        let q = parse(&[("page", "0"), ("per", "7"), ("sort", "x"), ("dir", "up")]);
        assert_eq!(q, ListQuery::default());
    }

    #[test]
    fn header_clicks_toggle_and_reset_the_page() {
        let q = ListQuery {
            page: 4,
            ..ListQuery::default()
        };
        let by_name = q.sorted_by(UserSort::Name);
        assert_eq!(
            (by_name.sort, by_name.desc, by_name.page),
            (UserSort::Name, false, 1)
        );
        let flipped = by_name.sorted_by(UserSort::Name);
        assert!(flipped.desc);
    }
}
