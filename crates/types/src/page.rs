//! Lists a page at a time: what a list asks for and the page it gets.

use serde::{Deserialize, Serialize};

/// The page sizes a list offers; anything else is the first.
pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];

/// What a list asks for: a search, a page of a size, an order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageQuery {
    pub q: String,
    pub page: u32,
    pub per_page: u32,
    pub sort: String,
    pub desc: bool,
}

/// The search as the list applies it (trimmed, at most 200 characters), for what walks
/// the same users without pages (the export, bulk actions).
pub fn normalized_search(q: String) -> String {
    PageQuery::new(q, 1, 25, String::new(), true).normalized().q
}

impl PageQuery {
    /// A list's query as its server function receives it.
    pub fn new(q: String, page: u32, per_page: u32, sort: String, desc: bool) -> Self {
        PageQuery {
            q,
            page,
            per_page,
            sort,
            desc,
        }
    }

    /// As the server applies it: the search trimmed to 200 characters without control
    /// characters (no stored text has them, and a NUL would cut a pattern short in
    /// SQLite and be refused by PostgreSQL), page 1 or later, a size from `PAGE_SIZES`.
    pub fn normalized(self) -> PageQuery {
        PageQuery {
            q: self
                .q
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
                .trim()
                .chars()
                .take(200)
                .collect(),
            page: self.page.max(1),
            per_page: page_size(self.per_page),
            ..self
        }
    }
}

/// A page size from the allowed list (anything else falls back to the smallest).
pub fn page_size(n: u32) -> u32 {
    if PAGE_SIZES.contains(&n) {
        n
    } else {
        PAGE_SIZES[0]
    }
}

/// How many rows a search matches, as exactly as it could afford to count: counting every
/// match of a very common search would cost more than the page itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Total {
    Exact(i64),
    /// Counting stopped at a cap: at least this many.
    AtLeast(i64),
    /// Estimated from a sample of the rows: about this many.
    About(i64),
}

impl Total {
    /// An estimate rounded to two significant figures ("about 29,000", not "about
    /// 28,897"): the digits after those are noise.
    pub fn about(estimate: i64) -> Total {
        let mut unit = 1;
        while estimate / unit >= 100 {
            unit *= 10;
        }
        Total::About(estimate.saturating_add(unit / 2) / unit * unit)
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// Matching rows; when `total_capped`, at least this many; when `total_estimated`,
    /// about this many (never both).
    pub total: i64,
    pub total_capped: bool,
    #[serde(default)]
    pub total_estimated: bool,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// The rows found for `query` (normalized), with how many match.
    pub fn of((rows, total): (Vec<T>, Total), query: &PageQuery) -> Self {
        let (total, total_capped, total_estimated) = match total {
            Total::Exact(n) => (n, false, false),
            Total::AtLeast(n) => (n, true, false),
            Total::About(n) => (n, false, true),
        };
        Page {
            rows,
            total,
            total_capped,
            total_estimated,
            page: query.page,
            per_page: query.per_page,
        }
    }

    /// Whether `total` is a count; otherwise the last page is unknown and the next page
    /// is offered while pages come full.
    pub fn total_is_exact(&self) -> bool {
        !self.total_capped && !self.total_estimated
    }

    /// Whether there is a page after this one (as far as the list can tell).
    pub fn has_next(&self) -> bool {
        if self.total_is_exact() {
            self.page < self.last_page()
        } else {
            self.rows.len() as u32 >= self.per_page
        }
    }

    /// The total with its noun: "1 client", "10,000+ clients", "about 29,000 clients".
    pub fn count_label(&self, one: &str, many: &str) -> String {
        let n = crate::users::group_thousands(self.total);
        let plus = if self.total_capped { "+" } else { "" };
        let about = if self.total_estimated { "about " } else { "" };
        let noun = if self.total == 1 && self.total_is_exact() {
            one
        } else {
            many
        };
        format!("{about}{n}{plus} {noun}")
    }

    /// The last page there is (at least 1); unknown past the cap, so one more than shown.
    pub fn last_page(&self) -> u32 {
        let pages = (self.total.max(1) as u64).div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_drops_control_characters_and_stops_at_200_characters() {
        let q = |s: &str| PageQuery::new(s.into(), 0, 7, String::new(), false).normalized();
        assert_eq!(q("  a\0b\u{1b}c\n ").q, "abc");
        assert_eq!(q("\0").q, "");
        assert_eq!(q(&"é".repeat(300)).q.chars().count(), 200);
        assert_eq!((q("x").page, q("x").per_page), (1, PAGE_SIZES[0]));
    }

    #[test]
    fn estimates_keep_two_significant_figures() {
        assert_eq!(Total::about(28_897), Total::About(29_000));
        assert_eq!(Total::about(6_650), Total::About(6_700));
        assert_eq!(Total::about(1_049_999), Total::About(1_000_000));
        assert_eq!(Total::about(87), Total::About(87));
        assert_eq!(Total::about(0), Total::About(0));
        assert_eq!(
            Total::about(i64::MAX),
            Total::About(9_200_000_000_000_000_000)
        );
    }

    #[test]
    fn pages_past_an_inexact_total_are_offered_while_pages_come_full() {
        let query = PageQuery::default().normalized();
        let page = |rows: usize, total| Page::of((vec![(); rows], total), &query);
        assert!(!page(25, Total::Exact(25)).has_next());
        assert!(page(25, Total::Exact(26)).has_next());
        assert!(page(25, Total::About(26)).has_next());
        assert!(page(25, Total::AtLeast(1_000)).has_next());
        assert!(!page(24, Total::About(2_000)).has_next());
        let about = page(25, Total::About(2_000));
        assert!(about.total_estimated && !about.total_capped && !about.total_is_exact());
    }

    #[test]
    fn queries_are_normalized_before_use() {
        let raw = PageQuery {
            q: format!("  {}  ", "x".repeat(300)),
            page: 0,
            per_page: 7,
            sort: "name".into(),
            desc: true,
        };
        let q = raw.normalized();
        assert_eq!((q.q.chars().count(), q.page, q.per_page), (200, 1, 25));
        assert_eq!((q.sort.as_str(), q.desc), ("name", true));
        assert_eq!(page_size(50), 50);
        assert_eq!(page_size(7), 25);
    }

    #[test]
    fn the_last_page_counts_partial_pages() {
        let page = |total, per_page| {
            Page::<()>::of(
                (vec![], Total::Exact(total)),
                &PageQuery {
                    per_page,
                    ..PageQuery::default()
                },
            )
        };
        assert_eq!(page(0, 25).last_page(), 1);
        assert_eq!(page(51, 25).last_page(), 3);
        assert_eq!(page(100, 100).last_page(), 1);
    }
}
