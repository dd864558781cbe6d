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
        name_nn -> Text,
    }
}

diesel::table! {
    claims (id) {
        id -> Uuid,
        task_id -> Uuid,
        volunteer_id -> Uuid,
        status -> Text,
        claimed_at -> Timestamptz,
        released_at -> Nullable<Timestamptz>,
        completed_at -> Nullable<Timestamptz>,
        minutes -> Nullable<Int4>,
        reminder_sent_for -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    console_sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        csrf_token -> Text,
        stage -> Text,
        pending_totp_secret -> Nullable<Bytea>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        code_proved -> Bool,
        resume -> Nullable<Text>,
    }
}

diesel::table! {
    console_drafts (id) {
        id -> Uuid,
        user_id -> Uuid,
        path -> Text,
        return_to -> Text,
        sealed -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    council_opt_outs (id) {
        id -> Uuid,
        council_id -> Uuid,
        category_id -> Uuid,
        reason -> Text,
        review_by -> Date,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        ended_by -> Nullable<Uuid>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    council_review_decisions (review_id, category_id) {
        review_id -> Uuid,
        category_id -> Uuid,
        decision -> Text,
    }
}

diesel::table! {
    council_reviews (id) {
        id -> Uuid,
        council_id -> Uuid,
        held_on -> Date,
        participants -> Text,
        notes -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    councils (id) {
        id -> Uuid,
        name -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        eligible -> Bool,
    }
}

diesel::table! {
    council_residents (council_id, year) {
        council_id -> Uuid,
        year -> Int4,
        residents_0_19 -> Int4,
        source -> Text,
        as_of -> Date,
        entered_by -> Nullable<Uuid>,
        entered_at -> Timestamptz,
    }
}

diesel::table! {
    notification_preferences (user_id, kind, channel) {
        user_id -> Uuid,
        kind -> Text,
        channel -> Text,
        enabled -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    outbox (id) {
        id -> Uuid,
        channel -> Text,
        kind -> Text,
        user_id -> Nullable<Uuid>,
        to_address -> Nullable<Text>,
        device_id -> Nullable<Uuid>,
        notification_id -> Nullable<Uuid>,
        language -> Text,
        facts -> Nullable<Jsonb>,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        message_id -> Nullable<Text>,
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
        claim_id -> Nullable<Uuid>,
        email_kind -> Nullable<Text>,
    }
}

diesel::table! {
    funding_parameters (year) {
        year -> Int4,
        base_nok -> Int8,
        per_child_nok -> Int8,
        pot_nok -> Int8,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (user_id, method, path, key) {
        user_id -> Uuid,
        method -> Text,
        path -> Text,
        key -> Text,
        request_hash -> Bytea,
        response_status -> Int4,
        response_body -> Jsonb,
        response_etag -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        task_id -> Uuid,
        volunteer_id -> Uuid,
        invited_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        declined_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_unlocks (token_id) {
        token_id -> Uuid,
        user_id -> Uuid,
        network -> Bytea,
        asked_at -> Timestamptz,
        unlocked_until -> Nullable<Timestamptz>,
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
    recovery_codes (id) {
        id -> Uuid,
        user_id -> Uuid,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
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
        code_proved -> Bool,
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
    task_events (id) {
        id -> Uuid,
        task_id -> Uuid,
        actor_id -> Nullable<Uuid>,
        kind -> Text,
        fields -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    task_private (task_id) {
        task_id -> Uuid,
        address -> Nullable<Text>,
        recipient_name -> Nullable<Text>,
        recipient_phone -> Nullable<Text>,
        notes -> Nullable<Text>,
    }
}

diesel::table! {
    tasks (id) {
        id -> Uuid,
        title -> Text,
        description -> Text,
        category_id -> Uuid,
        council_id -> Nullable<Uuid>,
        service_unit_id -> Uuid,
        created_by -> Nullable<Uuid>,
        status -> Text,
        starts_at -> Timestamptz,
        ends_at -> Nullable<Timestamptz>,
        duration_minutes -> Nullable<Int4>,
        spots -> Int4,
        active_claims -> Int4,
        area_hint -> Nullable<Text>,
        cancel_reason -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        series_id -> Nullable<Uuid>,
        occurrence_date -> Nullable<Date>,
    }
}

diesel::table! {
    task_series (id) {
        id -> Uuid,
        service_unit_id -> Uuid,
        created_by -> Nullable<Uuid>,
        title -> Text,
        description -> Text,
        category_id -> Uuid,
        council_id -> Nullable<Uuid>,
        duration_minutes -> Nullable<Int4>,
        spots -> Int4,
        area_hint -> Nullable<Text>,
        first_date -> Date,
        local_time -> Time,
        freq -> Text,
        every -> Int4,
        by_weekday -> Array<Text>,
        occurrences -> Nullable<Int4>,
        until -> Nullable<Date>,
        cancelled_from -> Nullable<Date>,
        cancelled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        rule_from -> Nullable<Date>,
        terms_version -> Int4,
    }
}

diesel::table! {
    series_events (id) {
        id -> Uuid,
        series_id -> Uuid,
        actor_id -> Nullable<Uuid>,
        kind -> Text,
        fields -> Array<Text>,
        from_date -> Nullable<Date>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    series_follows (series_id, user_id) {
        series_id -> Uuid,
        user_id -> Uuid,
        started_at -> Timestamptz,
        expires_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        end_reason -> Nullable<Text>,
        terms_version -> Int4,
    }
}

diesel::table! {
    task_series_private (series_id) {
        series_id -> Uuid,
        address -> Nullable<Text>,
        recipient_name -> Nullable<Text>,
        recipient_phone -> Nullable<Text>,
        notes -> Nullable<Text>,
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
    user_totp (user_id) {
        user_id -> Uuid,
        secret -> Bytea,
        enabled_at -> Timestamptz,
        last_step -> Nullable<Int8>,
        failed_codes -> Int4,
        codes_locked_at -> Nullable<Timestamptz>,
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
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_active_at -> Timestamptz,
        last_digest_at -> Nullable<Timestamptz>,
        erased_at -> Nullable<Timestamptz>,
        inactivity_warned_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    category_qualifications (category_id, qualification_id) {
        category_id -> Uuid,
        qualification_id -> Uuid,
    }
}

diesel::table! {
    qualifications (id) {
        id -> Uuid,
        slug -> Text,
        name_nb -> Text,
        name_en -> Text,
        description_nb -> Text,
        description_en -> Text,
        legal_basis -> Text,
        valid_months -> Nullable<Int4>,
        max_age_days_when_seen -> Nullable<Int4>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        name_nn -> Text,
    }
}

diesel::table! {
    qualification_records (id) {
        id -> Uuid,
        user_id -> Uuid,
        qualification_id -> Uuid,
        seen_on -> Date,
        issued_on -> Nullable<Date>,
        valid_until -> Nullable<Date>,
        recorded_by -> Nullable<Uuid>,
        recorded_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_by -> Nullable<Uuid>,
        expiry_notified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    devices (id) {
        id -> Uuid,
        user_id -> Uuid,
        token -> Text,
        platform -> Text,
        app_version -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    spot_openings (task_id) {
        task_id -> Uuid,
        pending_since -> Nullable<Timestamptz>,
        leavers -> Array<Uuid>,
        last_broadcast_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    task_watches (task_id, user_id) {
        task_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(category_qualifications -> categories (category_id));
diesel::joinable!(category_qualifications -> qualifications (qualification_id));
diesel::joinable!(qualification_records -> qualifications (qualification_id));

diesel::joinable!(claims -> tasks (task_id));
diesel::joinable!(claims -> users (volunteer_id));
diesel::joinable!(council_opt_outs -> categories (category_id));
diesel::joinable!(council_opt_outs -> councils (council_id));
diesel::joinable!(council_residents -> councils (council_id));
diesel::joinable!(council_residents -> users (entered_by));
diesel::joinable!(council_review_decisions -> categories (category_id));
diesel::joinable!(council_review_decisions -> council_reviews (review_id));
diesel::joinable!(council_reviews -> councils (council_id));
diesel::joinable!(council_reviews -> users (created_by));
diesel::joinable!(email_tokens -> claims (claim_id));
diesel::joinable!(console_drafts -> users (user_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(login_unlocks -> email_tokens (token_id));
diesel::joinable!(login_unlocks -> users (user_id));
diesel::joinable!(idempotency_keys -> users (user_id));
diesel::joinable!(invitations -> tasks (task_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(task_events -> tasks (task_id));
diesel::joinable!(task_events -> users (actor_id));
diesel::joinable!(console_sessions -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(task_private -> tasks (task_id));
diesel::joinable!(series_events -> task_series (series_id));
diesel::joinable!(series_follows -> task_series (series_id));
diesel::joinable!(series_follows -> users (user_id));
diesel::joinable!(task_series_private -> task_series (series_id));
diesel::joinable!(tasks -> categories (category_id));
diesel::joinable!(tasks -> councils (council_id));
diesel::joinable!(tasks -> service_units (service_unit_id));
diesel::joinable!(tasks -> users (created_by));
diesel::joinable!(user_category_opt_outs -> categories (category_id));
diesel::joinable!(user_totp -> users (user_id));
diesel::joinable!(user_category_opt_outs -> users (user_id));
diesel::joinable!(devices -> users (user_id));
diesel::joinable!(outbox -> devices (device_id));
diesel::joinable!(notification_preferences -> users (user_id));
diesel::joinable!(spot_openings -> tasks (task_id));
diesel::joinable!(task_watches -> tasks (task_id));
diesel::joinable!(task_watches -> users (user_id));
diesel::joinable!(users -> councils (council_id));
diesel::joinable!(users -> service_units (service_unit_id));

diesel::allow_tables_to_appear_in_same_query!(
    categories,
    spot_openings,
    task_watches,
    devices,
    category_qualifications,
    claims,
    console_drafts,
    console_sessions,
    council_opt_outs,
    council_residents,
    council_review_decisions,
    council_reviews,
    councils,
    notification_preferences,
    outbox,
    email_tokens,
    funding_parameters,
    idempotency_keys,
    invitations,
    login_unlocks,
    qualification_records,
    qualifications,
    rate_limit_counters,
    recovery_codes,
    refresh_tokens,
    series_events,
    series_follows,
    service_units,
    task_events,
    task_private,
    task_series,
    task_series_private,
    tasks,
    user_category_opt_outs,
    user_totp,
    users,
);
