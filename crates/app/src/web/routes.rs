//! The router builder every module's `router()` uses. axum cannot list a router's routes, so
//! [`Routes`] records each `(method, path)` as it adds it; [`super::route_table`] hands that list
//! to the tests, which request every route as every role. A route added any other way would be
//! invisible to them, so every route goes through here.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use super::AppState;

/// A `Router<AppState>` and the routes it was built from.
#[derive(Debug)]
#[must_use]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<(Method, &'static str)>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// `GET path` (axum answers `HEAD` with it too).
    pub fn get<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, get(handler))
    }

    /// `POST path`, with axum's default body limit.
    pub fn post<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, post(handler))
    }

    /// `POST path` taking a body of up to `limit` bytes (file uploads).
    pub fn upload<H, T>(self, path: &'static str, handler: H, limit: usize) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            Method::POST,
            path,
            post(handler).layer(DefaultBodyLimit::max(limit)),
        )
    }

    /// Both sets of routes.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// The same routes with `wrap` applied to the router (a middleware layer); the table is
    /// unchanged.
    pub fn wrap(mut self, wrap: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Routes {
        self.router = wrap(self.router);
        self
    }

    /// The router and the `(method, path)` of every route, in the order they were added.
    pub fn into_parts(self) -> (Router<AppState>, Vec<(Method, &'static str)>) {
        (self.router, self.table)
    }

    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<AppState>) -> Routes {
        self.table.push((method, path));
        // axum merges the method routers of one path, so `.get(p, a).post(p, b)` is one route.
        self.router = self.router.route(path, route);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn nothing() {}

    #[test]
    fn every_route_added_is_recorded_once_per_method() {
        let routes = Routes::new()
            .get("/a", nothing)
            .post("/a", nothing)
            .merge(Routes::new().upload("/b/{id}", nothing, 10))
            .wrap(|router| router);
        let (_, table) = routes.into_parts();
        assert_eq!(
            table,
            vec![
                (Method::GET, "/a"),
                (Method::POST, "/a"),
                (Method::POST, "/b/{id}"),
            ]
        );
    }
}
