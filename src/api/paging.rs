//! Reading a listing page by page, inside one deadline and one byte budget
//! for all its pages, so a server that claims endless rows (or sends huge
//! ones) cannot keep a listing going, or growing, for ever.

use std::ops::ControlFlow;

use super::list::{self, ListLimit, Listing, PageRead, PageShape};
use super::{DdmClient, Error, ErrorClass, ListStop, Within, decode};
use crate::http::Deadline;

/// The most body bytes one listing reads, over all its pages. 100,000
/// honest rows take less.
pub const LIST_BYTE_BUDGET: usize = 64 * 1024 * 1024;

/// One page as it arrived, its kept rows handed over: for a caller that
/// keeps only part of each row (or none), so the listing never holds them.
#[derive(Debug)]
pub struct PageRows<T> {
    pub rows: Vec<T>,
    /// Rows the server has sent so far, kept or not.
    pub scanned: usize,
    pub total: Option<u64>,
    /// The page's `extra` field (see `PageShape`), when it sent one.
    pub extra: Option<String>,
}

/// How a visited listing ended (its rows went to the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visited {
    /// The total the server claims, unless `keep` dropped rows.
    pub total: Option<u64>,
    /// Rows were left unread: the limit, or the caller stopped it.
    pub truncated: bool,
}

impl DdmClient {
    /// Reads pages of `segments` until the server runs out, `limit` rows
    /// that `keep` accepts were found, or the claimed total is read. When
    /// `keep` drops rows, the server's total no longer counts what is shown
    /// and is not reported. All pages share the profile's listing deadline
    /// and [`LIST_BYTE_BUDGET`]; passing either ends the listing with
    /// [`Error::ListStopped`] (the pages already given to `on_page` stay
    /// with the caller).
    pub(super) async fn list<T, K>(
        &self,
        segments: &[&str],
        filter: &[(String, String)],
        limit: ListLimit,
        shape: PageShape,
        keep: &K,
        on_page: &mut (dyn FnMut(PageRead<'_, T>) + Send),
    ) -> Result<Listing<T>, Error>
    where
        T: serde::de::DeserializeOwned + Send,
        K: Fn(&T) -> bool,
    {
        let mut rows = Vec::new();
        let visited = self
            .visit(segments, filter, limit, shape, keep, &mut |page| {
                let before = rows.len();
                rows.extend(page.rows);
                on_page(PageRead {
                    rows: &rows[before..],
                    scanned: page.scanned,
                    total: page.total,
                    extra: page.extra.as_deref(),
                });
                ControlFlow::Continue(())
            })
            .await?;
        Ok(Listing {
            rows,
            total: visited.total,
            truncated: visited.truncated,
        })
    }

    /// [`Self::list`] without keeping: each page's rows are handed to
    /// `on_page`, which may stop the listing (it then ends truncated).
    pub(super) async fn visit<T, K>(
        &self,
        segments: &[&str],
        filter: &[(String, String)],
        limit: ListLimit,
        shape: PageShape,
        keep: &K,
        on_page: &mut (dyn FnMut(PageRows<T>) -> ControlFlow<()> + Send),
    ) -> Result<Visited, Error>
    where
        T: serde::de::DeserializeOwned,
        K: Fn(&T) -> bool,
    {
        // A password prompt or token command is the operator's time, not
        // the listing's: get it done before the clock starts.
        self.auth.prepare().await?;
        let deadline = Deadline::after(self.list_timeout);
        let mut budget_left = LIST_BYTE_BUDGET;
        let mut kept = 0usize;
        let mut offset = 0usize;
        let mut total = None;
        let mut dropped = false;
        loop {
            let page_size = ListLimit::PAGE
                .min(limit.max_rows.saturating_sub(kept))
                .max(1);
            let mut query = filter.to_vec();
            query.push(("offset".into(), offset.to_string()));
            query.push(("limit".into(), page_size.to_string()));
            let mut url = self.transport.url_for(segments);
            // Sorted and encoded as the AK/SK signature expects (%20, not +).
            url.set_query(Some(&crate::auth::signer::canonical_query(&query)));
            let stopped = |reason| Error::ListStopped {
                reason,
                rows: kept,
                url: url.to_string(),
            };
            if deadline.passed() {
                return Err(stopped(ListStop::Deadline(deadline.budget)));
            }
            if budget_left == 0 {
                return Err(stopped(ListStop::Budget(LIST_BYTE_BUDGET)));
            }
            // The budget is only the binding cap when it is below the
            // transport's own; otherwise a too-large page is that page's fault.
            let budget_binds = budget_left < self.transport.body_cap();
            let within = Within {
                until: Some(deadline),
                body_cap: Some(budget_left),
            };
            tracing::info!(%url, "list page");
            let response = match self.get(url.clone(), within).await {
                Ok(response) => response,
                Err(e) if e.class() == ErrorClass::Timeout && deadline.passed() => {
                    return Err(stopped(ListStop::Deadline(deadline.budget)));
                }
                Err(e) if e.class() == ErrorClass::TooLarge && budget_binds => {
                    return Err(stopped(ListStop::Budget(LIST_BYTE_BUDGET)));
                }
                Err(e) => return Err(e),
            };
            budget_left = budget_left.saturating_sub(response.body.len());
            // Rows past the listing's cap are counted but never built: a
            // page of millions of `{}` must not become millions of structs.
            // The cap is the rows left until `max_rows`, not the `limit`
            // asked of this page: a server that ignores `limit` but honours
            // `offset` has its extra rows used rather than skipped, and all
            // pages together still build at most `max_rows` rows.
            let room = limit.max_rows.saturating_sub(kept);
            let page = list::parse_page(&response.body, shape, room, keep);
            let page = decode(&response, page)?;
            drop(response);
            total = page.total.or(total);
            let got = page.rows.sent;
            offset = offset.saturating_add(got);
            dropped |= page.rows.refused;
            // A server that ignores `limit` must not push past the cap, not
            // even in the pages shown while loading.
            let overflow = page.rows.cut;
            kept += page.rows.kept.len();
            let flow = on_page(PageRows {
                rows: page.rows.kept,
                scanned: offset,
                total,
                extra: page.extra,
            });
            let done = got == 0 || got < page_size || total.is_some_and(|t| offset as u64 >= t);
            // A server that ignores both the filter and the offset would
            // otherwise be read for ever: rows read, kept or not, are capped.
            if done || flow.is_break() || kept >= limit.max_rows || offset >= list::MAX_SCANNED {
                let truncated = !done || overflow;
                let total = if dropped { None } else { total };
                return Ok(Visited { total, truncated });
            }
        }
    }
}
