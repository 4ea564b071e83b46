//! Diesel table definitions, kept by hand in step with `migrations/{sqlite,postgres}`.

diesel::table! {
    businesses (id) {
        id -> Text,
        name -> Text,
        slug -> Text,
        allowed_roles -> Text,
        is_sample -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        settings -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        business_id -> Text,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        active -> Bool,
        is_sample -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        business_id -> Text,
        user_id -> Text,
        token_hash -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        business_id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        token_prefix -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> Text,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        business_id -> Text,
        name -> Text,
        domain -> Nullable<Text>,
        industry -> Nullable<Text>,
        stage -> Text,
        at_risk -> Bool,
        at_risk_reasons -> Text,
        csm_id -> Nullable<Text>,
        ae_id -> Nullable<Text>,
        renewal_date -> Nullable<Date>,
        health_score -> Nullable<Integer>,
        billing_customer_id -> Nullable<Text>,
        external_id -> Nullable<Text>,
        metadata -> Text,
        is_sample -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        title -> Nullable<Text>,
        champion -> Bool,
        economic_buyer -> Bool,
        technical_buyer -> Bool,
        detractor -> Bool,
        metadata -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        kind -> Text,
        subject -> Text,
        body -> Nullable<Text>,
        occurred_at -> Timestamp,
        author_id -> Nullable<Text>,
        created_at -> Timestamp,
        dedupe_key -> Nullable<Text>,
    }
}

diesel::table! {
    custom_field_definitions (id) {
        id -> Text,
        business_id -> Text,
        entity -> Text,
        key -> Text,
        label -> Text,
        kind -> Text,
        options -> Text,
        required -> Bool,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    imports (id) {
        id -> Text,
        business_id -> Text,
        user_id -> Nullable<Text>,
        status -> Text,
        content -> Text,
        mapping -> Text,
        default_stage -> Text,
        result -> Nullable<Text>,
        created_at -> Timestamp,
        committed_at -> Nullable<Timestamp>,
        kind -> Text,
    }
}

diesel::table! {
    support_tickets (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        external_id -> Text,
        subject -> Text,
        status -> Text,
        reporter_email -> Text,
        opened_at -> Timestamp,
        solved_at -> Nullable<Timestamp>,
        reopened_at -> Text,
        last_reopened_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        external_id -> Text,
        respondent_email -> Text,
        kind -> Text,
        score -> Integer,
        responded_at -> Timestamp,
        comment -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        external_id -> Text,
        billing_customer_id -> Nullable<Text>,
        plan_name -> Text,
        status -> Text,
        quantity -> Integer,
        unit_amount -> BigInt,
        currency -> Text,
        billing_interval -> Text,
        current_period_start -> Timestamp,
        current_period_end -> Timestamp,
        cancel_at_period_end -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    usage_events (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        external_id -> Text,
        user_email -> Nullable<Text>,
        event -> Text,
        occurred_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    health_snapshots (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        as_of -> Date,
        overall -> Integer,
        neutral -> Bool,
        components -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_runs (id) {
        id -> Text,
        business_id -> Text,
        job -> Text,
        as_of -> Date,
        triggered_by -> Text,
        status -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        counts -> Text,
        error -> Nullable<Text>,
        user_id -> Nullable<Text>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        business_id -> Text,
        user_id -> Text,
        kind -> Text,
        title -> Text,
        body -> Text,
        account_id -> Nullable<Text>,
        read_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notification_preferences (user_id, kind, channel) {
        business_id -> Text,
        user_id -> Text,
        kind -> Text,
        channel -> Text,
        enabled -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    proposals (id) {
        id -> Text,
        business_id -> Text,
        account_id -> Text,
        source_subscription_id -> Nullable<Text>,
        status -> Text,
        uplift_percentage -> Text,
        currency -> Text,
        lines -> Text,
        total_amount -> BigInt,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        business_id -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> businesses (business_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(contacts -> accounts (account_id));
diesel::joinable!(activities -> accounts (account_id));
diesel::joinable!(support_tickets -> accounts (account_id));
diesel::joinable!(survey_responses -> accounts (account_id));
diesel::joinable!(subscriptions -> accounts (account_id));
diesel::joinable!(usage_events -> accounts (account_id));
diesel::joinable!(health_snapshots -> accounts (account_id));

diesel::allow_tables_to_appear_in_same_query!(
    businesses,
    users,
    sessions,
    api_tokens,
    login_attempts,
    accounts,
    contacts,
    activities,
    custom_field_definitions,
    imports,
    support_tickets,
    survey_responses,
    subscriptions,
    usage_events,
    health_snapshots,
    job_runs,
    notifications,
    notification_preferences,
    proposals,
    mail_outbox,
);
