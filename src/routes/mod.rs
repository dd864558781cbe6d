//! The route table: the one list that registers every endpoint with actix and that the
//! contract test compares with `openapi.yaml`, so the two cannot drift apart.

pub mod ops;
pub mod reference;

use actix_web::dev::HttpServiceFactory;
use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, web};

use crate::error::ApiError;

/// Receives each route of [`register`].
pub trait RouteSink {
    fn route<F, Args>(&mut self, method: Method, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static;
}

/// Every endpoint the service answers, with its full path.
pub fn register<S: RouteSink>(s: &mut S) {
    s.route(Method::GET, "/healthz", ops::healthz);
    s.route(Method::GET, "/readyz", ops::readyz);
    s.route(Method::GET, "/metrics", ops::metrics);
    s.route(Method::GET, "/openapi.yaml", ops::openapi);
    s.route(Method::GET, "/api/v1/councils", reference::list_councils);
    s.route(
        Method::GET,
        "/api/v1/categories",
        reference::list_categories,
    );
    s.route(
        Method::GET,
        "/api/v1/service-units",
        reference::list_service_units,
    );
}

/// A route as listed by [`route_table`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteDef {
    pub method: String,
    pub path: &'static str,
}

/// The routes [`register`] declares, without building a server.
pub fn route_table() -> Vec<RouteDef> {
    struct Lister(Vec<RouteDef>);
    impl RouteSink for Lister {
        fn route<F, Args>(&mut self, method: Method, path: &'static str, _handler: F)
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            self.0.push(RouteDef {
                method: method.to_string(),
                path,
            });
        }
    }
    let mut lister = Lister(Vec::new());
    register(&mut lister);
    lister.0
}

/// Collects the routes into one actix resource per path, each answering other methods
/// with a problem+json 405 that lists the allowed ones.
#[derive(Default)]
pub struct ActixRoutes {
    resources: Vec<(&'static str, actix_web::Resource, Vec<Method>)>,
}

impl RouteSink for ActixRoutes {
    fn route<F, Args>(&mut self, method: Method, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let index = match self.resources.iter().position(|(p, _, _)| *p == path) {
            Some(i) => i,
            None => {
                self.resources.push((path, web::resource(path), Vec::new()));
                self.resources.len() - 1
            }
        };
        let (_, resource, methods) = self.resources.remove(index);
        let resource = resource.route(web::method(method.clone()).to(handler));
        let mut methods = methods;
        methods.push(method);
        self.resources.insert(index, (path, resource, methods));
    }
}

impl ActixRoutes {
    /// All resources, ready for `App::service`.
    pub fn build() -> Vec<impl HttpServiceFactory + 'static> {
        let mut routes = Self::default();
        register(&mut routes);
        routes
            .resources
            .into_iter()
            .map(|(_, resource, methods)| {
                let allow = methods
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                resource.default_service(web::to(move || {
                    let allow = allow.clone();
                    async move { Err::<HttpResponse, _>(ApiError::method_not_allowed(allow)) }
                }))
            })
            .collect()
    }
}

/// The answer for paths no route matches.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::not_found("there is no such endpoint"))
}
