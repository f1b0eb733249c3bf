//! A list's state as it lives in the URL (`?q=&page=&per=&sort=&dir=`), so a reload,
//! back/forward or a shared link shows the same list. Manage Users and Manage Clients
//! share it, each with its own orders.

use crate::ui::common::encode;
use roster_types::clients::ClientSort;
use roster_types::page::page_size;
use roster_types::users::UserSort;

/// A list's sort orders as the URL names them.
pub trait ListSort: Copy + Default + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    fn parse(s: &str) -> Self;
    fn code(self) -> &'static str;
    /// Whether a click on this column first sorts newest first (the creation date).
    fn newest_first(self) -> bool;
    /// The list's filter parameters, kept in its URLs beside the search.
    const FILTERS: &'static [&'static str] = &[];
}

impl ListSort for UserSort {
    fn parse(s: &str) -> Self {
        UserSort::parse(s)
    }
    fn code(self) -> &'static str {
        UserSort::code(self)
    }
    fn newest_first(self) -> bool {
        self == UserSort::Created
    }
    const FILTERS: &'static [&'static str] = &roster_types::user_filter::KEYS;
}

impl ListSort for ClientSort {
    fn parse(s: &str) -> Self {
        ClientSort::parse(s)
    }
    fn code(self) -> &'static str {
        ClientSort::code(self)
    }
    fn newest_first(self) -> bool {
        self == ClientSort::Created
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery<S> {
    pub q: String,
    pub page: u32,
    pub per_page: u32,
    pub sort: S,
    pub desc: bool,
    /// The filters that are set, as `(key, value)` in `S::FILTERS` order.
    pub filters: Vec<(String, String)>,
}

impl<S: ListSort> Default for ListQuery<S> {
    fn default() -> Self {
        let sort = S::default();
        Self {
            q: String::new(),
            page: 1,
            per_page: 25,
            sort,
            desc: sort.newest_first(),
            filters: Vec::new(),
        }
    }
}

impl<S: ListSort> ListQuery<S> {
    /// From the URL's parameters; anything missing or malformed takes its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let d = Self::default();
        let sort = get("sort").map(|s| S::parse(&s)).unwrap_or(d.sort);
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
                _ => sort.newest_first(),
            },
            filters: S::FILTERS
                .iter()
                .filter_map(|k| {
                    let v = get(k)?.trim().to_string();
                    (!v.is_empty()).then(|| (k.to_string(), v))
                })
                .collect(),
        }
    }

    /// A filter's value ("" when it is not set).
    pub fn filter(&self, key: &str) -> String {
        self.filters
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The URL for this state; defaults are left out so links stay short.
    pub fn to_url(&self, path: &str) -> String {
        let d = Self::default();
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        for (k, v) in &self.filters {
            parts.push(format!("{k}={}", encode(v)));
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

    /// The list the page being rendered asks for (its URL's query, as the router read it).
    pub fn of_page() -> Self {
        use leptos::prelude::WithUntracked;
        let params = leptos_router::hooks::use_query_map();
        params.with_untracked(|m| Self::from_params(|k| m.get(k)))
    }

    /// A click on a column header: sort by it, or flip the direction if it is the sort.
    pub fn sorted_by(&self, sort: S) -> Self {
        let desc = if self.sort == sort {
            !self.desc
        } else {
            sort.newest_first()
        };
        Self {
            sort,
            desc,
            page: 1,
            ..self.clone()
        }
    }

    /// The same list at another page.
    pub fn at_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> ListQuery<UserSort> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ListQuery::from_params(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_and_round_trip() {
        assert_eq!(parse(&[]), ListQuery::default());
        assert!(ListQuery::<UserSort>::default().desc);
        assert_eq!(
            ListQuery::<UserSort>::default().to_url("/admin/users"),
            "/admin/users"
        );
        let q = ListQuery {
            q: "ann & co 50%".into(),
            page: 3,
            per_page: 50,
            sort: UserSort::Name,
            desc: false,
            filters: vec![],
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

    #[test]
    fn clients_default_to_company_order_and_created_sorts_newest_first() {
        let d = ListQuery::<ClientSort>::default();
        assert_eq!((d.sort, d.desc), (ClientSort::Company, false));
        assert_eq!(d.to_url("/admin/clients"), "/admin/clients");
        let by_company = d.sorted_by(ClientSort::Company);
        assert_eq!(
            by_company.to_url("/admin/clients"),
            "/admin/clients?sort=company&dir=desc"
        );
        let newest = d.sorted_by(ClientSort::Created);
        assert_eq!((newest.sort, newest.desc), (ClientSort::Created, true));
        let m = |k: &str| (k == "sort").then(|| "name".to_string());
        let by_name = ListQuery::<ClientSort>::from_params(m);
        assert_eq!((by_name.sort, by_name.desc), (ClientSort::Name, false));
    }
}
