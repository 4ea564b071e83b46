//! Running the HTTP server.

use std::net::SocketAddr;

use actix_web::HttpServer;
use anyhow::Context;
use app::App;
use tracing::info;

use crate::build_http_app;
use crate::http::ServerSettings;

/// Serves the API on `bind` until the process is stopped, running the scheduled jobs at
/// their times of day.
pub fn serve(
    app: App,
    settings: ServerSettings,
    bind: SocketAddr,
    schedules: Vec<(app::jobs::Job, chrono::NaiveTime)>,
) -> anyhow::Result<()> {
    let runtime = actix_web::rt::System::new();
    runtime.block_on(async move {
        for (job, at) in schedules {
            crate::scheduler::start(app.clone(), job, at);
        }
        crate::scheduler::start_mail(app.clone());
        let server =
            HttpServer::new(move || build_http_app!(app.clone(), settings.clone())).bind(bind).with_context(|| {
                format!("cannot listen on {bind}; is another process using it? Set --bind or MANGO_CS_BIND")
            })?;
        for address in server.addrs() {
            info!(%address, "listening");
            println!("Mango CS is listening on http://{address} (API docs at http://{address}/api/docs/)");
        }
        server.run().await.context("the HTTP server stopped with an error")
    })
}
