//! Trying a profile's endpoints in order, as the official SDK does with a
//! comma-separated `HUAWEICLOUD_SDK_REGION_DDM_<REGION>`: the next one only
//! when this one cannot be reached at all (DNS, refused, TLS, connect
//! timeout), never after an HTTP answer, which the endpoint did give.

use reqwest::Url;

use crate::http::{self, NetworkKind};

/// Whether `e` says the endpoint could not be reached, so another may be
/// tried without the request having reached a server.
pub(super) fn unreachable(e: &http::Error) -> bool {
    matches!(
        e,
        http::Error::Network {
            kind: NetworkKind::Dns | NetworkKind::Refused | NetworkKind::Tls,
            ..
        }
    )
}

/// `url` (built on the endpoint `from`) moved onto the endpoint `to`: the
/// part after `from`'s own path, and the query, are kept.
pub(super) fn rebase(url: &Url, from: &Url, to: &Url) -> Url {
    if from == to {
        return url.clone();
    }
    let base = from.path().trim_end_matches('/');
    let rest = url.path().strip_prefix(base).unwrap_or(url.path());
    let mut moved = to.clone();
    moved.set_path(&format!("{}{rest}", to.path().trim_end_matches('/')));
    moved.set_query(url.query());
    moved
}

/// Where one request is in the list of endpoints: it starts at the one
/// that answered last and goes round once.
#[derive(Debug)]
pub(super) struct Route {
    count: usize,
    start: usize,
    step: usize,
    /// What each endpoint that could not be reached said, in order.
    failed: Vec<String>,
}

impl Route {
    /// A route over `count` endpoints (at least one) starting at `start`.
    pub fn new(count: usize, start: usize) -> Route {
        let count = count.max(1);
        Route {
            count,
            start: start % count,
            step: 0,
            failed: Vec::new(),
        }
    }

    /// The endpoint to try now (0 is the profile's first).
    pub fn at(&self) -> usize {
        (self.start + self.step) % self.count
    }

    /// Notes that the endpoint at hand could not be reached (`e`); true
    /// when another is left to try.
    pub fn next(&mut self, e: &http::Error) -> bool {
        if let http::Error::Network { detail, .. } = e {
            self.failed.push(detail.clone());
        }
        self.step += 1;
        self.step < self.count
    }

    /// Where the next request should start: the endpoint that answered,
    /// or the first again when none could be reached (as the SDK does).
    pub fn settled(&self) -> usize {
        if self.step >= self.count {
            0
        } else {
            self.at()
        }
    }

    /// `e`, the last endpoint's failure, saying every endpoint that was
    /// tried when none could be reached; unchanged otherwise.
    pub fn explain(&self, e: http::Error) -> http::Error {
        if self.count < 2 || self.failed.len() < self.count {
            return e;
        }
        match e {
            http::Error::Network {
                kind,
                url,
                attempts,
                ..
            } => http::Error::Network {
                kind,
                detail: format!(
                    "none of the {} endpoints could be reached, tried in order: {}",
                    self.count,
                    self.failed.join("; ")
                ),
                url,
                attempts,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn a_url_moves_to_another_endpoint_with_its_path_and_query() {
        let from = url("https://a.example/prefix/");
        let moved = rebase(
            &url("https://a.example/prefix/v3/p/backups?limit=10&offset=0"),
            &from,
            &url("http://127.0.0.1:8080"),
        );
        assert_eq!(
            moved.as_str(),
            "http://127.0.0.1:8080/v3/p/backups?limit=10&offset=0"
        );
        let moved = rebase(
            &url("https://a.example/v3/p"),
            &url("https://a.example"),
            &url("https://b.example/other"),
        );
        assert_eq!(moved.as_str(), "https://b.example/other/v3/p");
    }

    #[test]
    fn a_route_goes_round_once_from_where_it_starts() {
        let refused = |host: &str| http::Error::Network {
            kind: NetworkKind::Refused,
            detail: format!("{host}: Connection refused"),
            url: format!("http://{host}/"),
            attempts: 1,
        };
        let mut route = Route::new(3, 1);
        assert_eq!(route.at(), 1);
        assert!(route.next(&refused("b")));
        assert_eq!(route.at(), 2);
        assert_eq!(route.settled(), 2, "the one that answered");
        assert!(route.next(&refused("c")));
        assert_eq!(route.at(), 0);
        assert!(!route.next(&refused("a")));
        assert_eq!(route.settled(), 0);
        assert_eq!(
            route.explain(refused("a")).to_string(),
            "could not connect: none of the 3 endpoints could be reached, tried in order: \
             b: Connection refused; c: Connection refused; a: Connection refused"
        );
        // One endpoint: its own error, as before.
        let mut one = Route::new(1, 0);
        assert!(!one.next(&refused("a")));
        assert_eq!(
            one.explain(refused("a")).to_string(),
            "could not connect: a: Connection refused"
        );
    }
}
