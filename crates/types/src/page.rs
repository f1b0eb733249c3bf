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

    /// As the server applies it: the search trimmed to 200 characters, page 1 or later, a
    /// size from `PAGE_SIZES`.
    pub fn normalized(self) -> PageQuery {
        PageQuery {
            q: self.q.trim().chars().take(200).collect(),
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

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// Matching rows; when `total_capped`, at least this many (counting every match of a
    /// very common search would cost more than the page itself).
    pub total: i64,
    pub total_capped: bool,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// The rows found for `query` (normalized), with the total and whether it was capped.
    pub fn of((rows, total, total_capped): (Vec<T>, i64, bool), query: &PageQuery) -> Self {
        Page {
            rows,
            total,
            total_capped,
            page: query.page,
            per_page: query.per_page,
        }
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
                (vec![], total, false),
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
