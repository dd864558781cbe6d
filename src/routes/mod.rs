//! The route table: the one list that registers every endpoint with actix and that the
//! contract test compares with `openapi.yaml`, so the two cannot drift apart.

pub mod admin;
pub mod auth;
pub mod body;
pub mod councils;
pub mod devices;
pub mod export;
pub mod extract;
pub mod funding;
pub mod idempotency;
pub mod invitations;
pub mod links;
pub mod ops;
pub mod pages;
pub mod qualifications;
pub mod reference;
pub mod reports;
pub mod series;
pub mod state;
pub mod tasks;
pub mod users;
pub mod watches;

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
    s.route(Method::GET, "/e/verify", pages::verify);
    s.route(Method::GET, "/e/reset-password", pages::reset_password);
    s.route(Method::GET, "/e/set-password", pages::set_password);
    s.route(Method::GET, "/e/unsubscribe", pages::unsubscribe);
    s.route(Method::GET, "/e/release", pages::release);
    s.route(Method::GET, "/e/unlock", pages::unlock);
    s.route(Method::GET, "/e/task", pages::task);
    s.route(Method::POST, "/e/verify", pages::verify_post);
    s.route(
        Method::POST,
        "/e/reset-password",
        pages::reset_password_post,
    );
    s.route(Method::POST, "/e/set-password", pages::set_password_post);
    s.route(Method::POST, "/e/unsubscribe", pages::unsubscribe_post);
    s.route(Method::POST, "/e/release", pages::release_post);
    s.route(Method::POST, "/e/unlock", pages::unlock_post);
    s.route(
        Method::POST,
        "/api/v1/links/unsubscribe",
        links::unsubscribe,
    );
    s.route(Method::POST, "/api/v1/links/release", links::release);

    s.route(Method::POST, "/api/v1/auth/register", auth::register);
    s.route(
        Method::POST,
        "/api/v1/auth/verify-email",
        auth::verify_email,
    );
    s.route(
        Method::POST,
        "/api/v1/auth/verify-email/resend",
        auth::resend_verification,
    );
    s.route(Method::POST, "/api/v1/auth/login", auth::login);
    s.route(Method::POST, "/api/v1/auth/refresh", auth::refresh);
    s.route(Method::POST, "/api/v1/auth/logout", auth::logout);
    s.route(
        Method::POST,
        "/api/v1/auth/password-reset",
        auth::request_password_reset,
    );
    s.route(
        Method::POST,
        "/api/v1/auth/password-reset/confirm",
        auth::confirm_password_reset,
    );

    s.route(Method::GET, "/api/v1/me", users::get_me);
    s.route(Method::PATCH, "/api/v1/me", users::update_me);
    s.route(Method::DELETE, "/api/v1/me", users::erase_me);
    s.route(Method::POST, "/api/v1/me/password", users::change_password);
    s.route(Method::GET, "/api/v1/me/claims", tasks::my_claims);
    s.route(Method::GET, "/api/v1/me/export", export::export);
    s.route(Method::GET, "/api/v1/me/watches", watches::mine);
    s.route(Method::POST, "/api/v1/me/devices", devices::register);
    s.route(Method::GET, "/api/v1/me/devices", devices::mine);
    s.route(Method::DELETE, "/api/v1/me/devices/{id}", devices::forget);
    s.route(Method::GET, "/api/v1/me/invitations", invitations::mine);
    s.route(
        Method::POST,
        "/api/v1/me/invitations/{id}/decline",
        invitations::decline,
    );
    s.route(
        Method::GET,
        "/api/v1/me/qualifications",
        qualifications::mine,
    );
    s.route(Method::GET, "/api/v1/volunteers", invitations::volunteers);

    s.route(Method::GET, "/api/v1/qualifications", qualifications::list);
    s.route(
        Method::POST,
        "/api/v1/qualifications",
        qualifications::create,
    );
    s.route(
        Method::GET,
        "/api/v1/qualifications/expiring",
        qualifications::expiring,
    );
    s.route(
        Method::PATCH,
        "/api/v1/qualifications/{id}",
        qualifications::update,
    );
    s.route(
        Method::GET,
        "/api/v1/users/{id}/qualifications",
        qualifications::of_user,
    );
    s.route(
        Method::POST,
        "/api/v1/users/{id}/qualifications",
        qualifications::record,
    );
    s.route(
        Method::DELETE,
        "/api/v1/users/{id}/qualifications/{record_id}",
        qualifications::revoke,
    );

    s.route(Method::GET, "/api/v1/users", users::list_users);
    s.route(Method::POST, "/api/v1/users", users::create_user);
    s.route(Method::PATCH, "/api/v1/users/{id}", users::update_user);
    s.route(Method::DELETE, "/api/v1/users/{id}", users::erase_user);
    s.route(
        Method::POST,
        "/api/v1/users/{id}/resend-invitation",
        users::resend_invitation,
    );

    s.route(Method::POST, "/api/v1/task-series", series::create);
    s.route(Method::GET, "/api/v1/task-series/{id}", series::get);
    s.route(Method::PATCH, "/api/v1/task-series/{id}", series::edit);
    s.route(
        Method::POST,
        "/api/v1/task-series/{id}/cancel",
        series::cancel,
    );
    s.route(
        Method::POST,
        "/api/v1/task-series/{id}/claim",
        series::claim,
    );
    s.route(
        Method::POST,
        "/api/v1/task-series/{id}/release",
        series::release,
    );

    s.route(Method::GET, "/api/v1/tasks", tasks::list);
    s.route(Method::POST, "/api/v1/tasks", tasks::create);
    s.route(Method::GET, "/api/v1/tasks/{id}", tasks::get);
    s.route(Method::PATCH, "/api/v1/tasks/{id}", tasks::update);
    s.route(Method::POST, "/api/v1/tasks/{id}/cancel", tasks::cancel);
    s.route(Method::POST, "/api/v1/tasks/{id}/complete", tasks::complete);
    s.route(Method::POST, "/api/v1/tasks/{id}/claim", tasks::claim);
    s.route(Method::POST, "/api/v1/tasks/{id}/release", tasks::release);
    s.route(Method::PUT, "/api/v1/tasks/{id}/watch", watches::watch);
    s.route(Method::DELETE, "/api/v1/tasks/{id}/watch", watches::unwatch);
    s.route(Method::GET, "/api/v1/tasks/{id}/claims", tasks::claims);
    s.route(Method::GET, "/api/v1/tasks/{id}/events", tasks::events);
    s.route(
        Method::POST,
        "/api/v1/tasks/{id}/invitations",
        invitations::invite,
    );

    s.route(Method::GET, "/api/v1/councils", reference::list_councils);
    s.route(Method::POST, "/api/v1/councils", reference::create_council);
    s.route(
        Method::PATCH,
        "/api/v1/councils/{id}",
        reference::update_council,
    );
    s.route(
        Method::GET,
        "/api/v1/councils/{id}/opt-outs",
        councils::list_opt_outs,
    );
    s.route(
        Method::GET,
        "/api/v1/councils/{id}/opt-out-events",
        councils::list_opt_out_events,
    );
    s.route(
        Method::PUT,
        "/api/v1/councils/{id}/opt-outs/{category_id}",
        councils::put_opt_out,
    );
    s.route(
        Method::DELETE,
        "/api/v1/councils/{id}/opt-outs/{category_id}",
        councils::delete_opt_out,
    );
    s.route(
        Method::GET,
        "/api/v1/councils/{id}/reviews",
        councils::list_reviews,
    );
    s.route(
        Method::POST,
        "/api/v1/councils/{id}/reviews",
        councils::create_review,
    );
    s.route(
        Method::GET,
        "/api/v1/councils/{id}/overview",
        councils::overview,
    );
    s.route(
        Method::GET,
        "/api/v1/councils/{id}/overview.html",
        councils::overview_page,
    );
    s.route(Method::GET, "/api/v1/reviews/due", councils::due_reviews);
    s.route(Method::GET, "/api/v1/reports/summary", reports::summary);
    s.route(Method::GET, "/api/v1/reports/funding", funding::report);
    s.route(
        Method::GET,
        "/api/v1/reports/funding.csv",
        funding::report_csv,
    );
    s.route(
        Method::PUT,
        "/api/v1/funding/{year}",
        funding::set_parameters,
    );
    s.route(
        Method::PUT,
        "/api/v1/councils/{id}/residents/{year}",
        funding::set_residents,
    );
    s.route(
        Method::GET,
        "/api/v1/reports/summary.csv",
        reports::summary_csv,
    );
    s.route(Method::GET, "/api/v1/admin/outbox", admin::list_outbox);
    s.route(
        Method::POST,
        "/api/v1/admin/outbox/{id}/retry",
        admin::retry_outbox,
    );
    s.route(
        Method::GET,
        "/api/v1/admin/push-outbox",
        admin::list_push_outbox,
    );
    s.route(
        Method::POST,
        "/api/v1/admin/push-outbox/{id}/retry",
        admin::retry_push,
    );
    s.route(
        Method::GET,
        "/api/v1/categories",
        reference::list_categories,
    );
    s.route(
        Method::POST,
        "/api/v1/categories",
        reference::create_category,
    );
    s.route(
        Method::PATCH,
        "/api/v1/categories/{id}",
        reference::update_category,
    );
    s.route(
        Method::GET,
        "/api/v1/service-units",
        reference::list_service_units,
    );
    s.route(
        Method::POST,
        "/api/v1/service-units",
        reference::create_service_unit,
    );
    s.route(
        Method::PATCH,
        "/api/v1/service-units/{id}",
        reference::update_service_unit,
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
