//! How the domain's enums and ids are stored: enums as the text of their `as_str`, read back with
//! `parse`. A value the database holds that this version does not know is an error — a
//! status is never guessed.

use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use std::io::Write;

use crate::domain::task::{ClaimStatus, EventKind, TaskStatus};

macro_rules! text_enum {
    ($type:ty, $what:literal) => {
        impl ToSql<Text, Pg> for $type {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(IsNull::No)
            }
        }

        impl FromSql<Text, Pg> for $type {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, Pg>>::from_sql(value)?;
                <$type>::parse(&text).ok_or_else(|| format!("unknown {} {text:?}", $what).into())
            }
        }
    };
}

text_enum!(TaskStatus, "task status");
text_enum!(ClaimStatus, "claim status");
text_enum!(EventKind, "task event kind");

macro_rules! uuid_id {
    ($type:ty) => {
        impl ToSql<diesel::sql_types::Uuid, Pg> for $type {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <uuid::Uuid as ToSql<diesel::sql_types::Uuid, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<diesel::sql_types::Uuid, Pg> for $type {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                <uuid::Uuid as FromSql<diesel::sql_types::Uuid, Pg>>::from_sql(value).map(Self)
            }
        }
    };
}

uuid_id!(crate::domain::ids::TaskId);
uuid_id!(crate::domain::ids::UserId);
uuid_id!(crate::domain::ids::ClaimId);
