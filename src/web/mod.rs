//! The web edge both server-rendered front ends stand on (the console, and the volunteer
//! web to come): who is signed in, with which role; a form whose anti-forgery token is
//! checked before its handler sees a field; and a `Page` that always carries the page
//! headers. A handler takes these as extractors and returns a `PageResult`; whatever it
//! refuses becomes a `Refusal`, which its front end draws as a page in the reader's
//! language (`console::pages`) — so no handler checks a token, a session or a role by
//! hand, and none draws its own error page.

pub mod form;
pub mod frame;
pub mod http;
pub mod lang;
pub mod page;
pub mod session;
pub mod sign_in;

pub use form::{Form, PartForm, SignInForm};
pub use lang::Lang;
pub use page::{Page, PageResult, Refusal, refusal_of};
pub use session::{Admin, Anyone, CouncilPage, SignedIn, Staff, Visitor, VolunteerPage};
