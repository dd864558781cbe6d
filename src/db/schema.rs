// @generated automatically by Diesel CLI.

diesel::table! {
    categories (id) {
        id -> Uuid,
        slug -> Text,
        name_nb -> Text,
        name_en -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    councils (id) {
        id -> Uuid,
        name -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Uuid,
        kind -> Text,
        user_id -> Nullable<Uuid>,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        headers -> Jsonb,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    email_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        purpose -> Text,
        token_hash -> Bytea,
        email -> Nullable<Text>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    rate_limit_counters (bucket, window_start) {
        bucket -> Bytea,
        window_start -> Timestamptz,
        hits -> Int4,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    service_units (id) {
        id -> Uuid,
        name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    user_category_opt_outs (user_id, category_id) {
        user_id -> Uuid,
        category_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        password_hash -> Nullable<Text>,
        name -> Text,
        phone -> Nullable<Text>,
        role -> Text,
        service_unit_id -> Nullable<Uuid>,
        council_id -> Nullable<Uuid>,
        language -> Text,
        email_verified -> Bool,
        invitable -> Bool,
        notify_claim_confirmation -> Bool,
        notify_task_changed -> Bool,
        notify_task_cancelled -> Bool,
        notify_reminder -> Bool,
        notify_invitation -> Bool,
        notify_new_tasks_digest -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_active_at -> Timestamptz,
    }
}

diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(user_category_opt_outs -> categories (category_id));
diesel::joinable!(user_category_opt_outs -> users (user_id));
diesel::joinable!(users -> councils (council_id));
diesel::joinable!(users -> service_units (service_unit_id));

diesel::allow_tables_to_appear_in_same_query!(
    categories,
    councils,
    email_outbox,
    email_tokens,
    rate_limit_counters,
    refresh_tokens,
    service_units,
    user_category_opt_outs,
    users,
);
