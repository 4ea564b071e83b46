//! The page for addresses the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    crate::components::set_document_title("Page not found");
    view! {
        <div class="state state-empty page-not-found">
            <p class="state-title">"Page not found"</p>
            <p class="state-detail">"The address may be mistyped, or the page has moved."</p>
            <A href="/accounts">"Go to accounts"</A>
        </div>
    }
}
