//! Command-line interface. Every command reads `DATABASE_URL`, and on failure prints one
//! line naming what failed and what to do.

use std::io::{Read, Write};
use std::net::SocketAddr;

use anyhow::{bail, Context};
use api_types::users::UserCreate;
use app::{App, AppConfig, AppError};
use clap::{Args, Parser, Subcommand};
use crm_core::Role;

use crate::http::ServerSettings;

/// Mango CS: a self-hostable customer-success platform.
#[derive(Debug, Parser)]
#[command(name = "mango-cs", version)]
pub struct Cli {
    /// Database to use: sqlite://PATH (created on first start) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = store::DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "MANGO_CS_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default when no command is given).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage businesses (tenants).
    #[command(subcommand)]
    Businesses(BusinessCommand),
    /// Manage users.
    #[command(subcommand)]
    Users(UserCommand),
    /// Manage personal API tokens.
    #[command(subcommand)]
    Tokens(TokenCommand),
    /// Generate or remove demo data.
    #[command(subcommand, name = "sample-data")]
    SampleData(SampleDataCommand),
    /// Run scheduled jobs now.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Print the OpenAPI document of the API and exit; needs no database.
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run a job now for every business, or for one, and print each run's outcome.
    ///
    /// `health-snapshot` scores every live account for the date and flags those at risk;
    /// a second run for the same date replaces that date's snapshots.
    /// `renewal-reminders` sends the renewal reminders due on the date, each once, then
    /// delivers the mail (MANGO_CS_SMTP_URL) or keeps it in the outbox.
    Run {
        /// The job: health-snapshot or renewal-reminders.
        job: String,
        /// Slug of the one business to run it for.
        #[arg(long)]
        business: Option<String>,
        /// The date to compute for (YYYY-MM-DD); today in UTC when absent.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MANGO_CS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Mark the session cookie Secure; set this when users reach the server over HTTPS.
    #[arg(long, env = "MANGO_CS_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Take the client address from the Forwarded or X-Forwarded-For header, for sign-in
    /// throttling per address. Set it only behind a reverse proxy that sets the header,
    /// because clients can forge it otherwise.
    #[arg(long, env = "MANGO_CS_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Most database connections the server keeps open.
    #[arg(long, env = "MANGO_CS_DB_POOL_SIZE", default_value_t = 16)]
    pub pool_size: u32,
    /// Time of day (HH:MM, UTC) of the daily health snapshot, or `off`.
    #[arg(long, env = "MANGO_CS_HEALTH_SNAPSHOT_AT", default_value = "07:30", value_parser = crate::scheduler::parse_time)]
    pub health_snapshot_at: crate::scheduler::DailyAt,
    /// Time of day (HH:MM, UTC) of the daily renewal reminders, or `off`.
    #[arg(long, env = "MANGO_CS_RENEWAL_REMINDERS_AT", default_value = "08:00", value_parser = crate::scheduler::parse_time)]
    pub renewal_reminders_at: crate::scheduler::DailyAt,
    /// Directory of the built browser app, relative to the working directory;
    /// scripts/build-frontend.sh writes it.
    #[arg(long, env = "MANGO_CS_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: std::path::PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum BusinessCommand {
    /// Create a business.
    Create {
        /// Display name, such as "Acme Software".
        #[arg(long)]
        name: String,
        /// Short unique id: lower-case letters, digits and dashes.
        #[arg(long)]
        slug: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user in a business.
    Create {
        /// Slug of the business.
        #[arg(long)]
        business: String,
        #[arg(long)]
        email: String,
        /// Display name; defaults to the part of the email before the @.
        #[arg(long)]
        name: Option<String>,
        /// member, manager, admin or super_admin.
        #[arg(long)]
        role: String,
        /// Read the password (at least 12 characters) from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print only the token.
    Create {
        /// Email of the user the token acts as.
        #[arg(long)]
        email: String,
        /// Purpose of the token, such as "CRM sync".
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SampleDataCommand {
    /// Add a user of every role, a few account owners and 200 accounts with contacts,
    /// timelines, support tickets, survey responses, subscriptions and usage events, all
    /// marked as sample data, then print the login and an API token.
    ///
    /// Prints `user:` lines, then `password: PASSWORD`, `login: EMAIL / PASSWORD` and
    /// `token: mcs_...` for the sample admin. Running it again on a business that already
    /// has sample data adds nothing: it sets a new password for the sample users (ending
    /// their sessions) and prints the login with a new token.
    Generate {
        /// Slug of the business to fill. A missing business is created as a sample business;
        /// in an existing one only the added users and accounts are sample data.
        #[arg(long, default_value = app::sample_data::DEFAULT_SLUG)]
        business: String,
        /// Number of accounts to add, 1 to 1000000. Each gets about 10 activities, 2 support
        /// tickets, 2 survey responses and 1 subscription over the last 400 days.
        #[arg(long, value_name = "N", default_value_t = app::sample_data::DEFAULT_ACCOUNT_COUNT as u32,
              value_parser = clap::value_parser!(u32).range(1..=app::sample_data::MAX_ACCOUNT_COUNT as i64))]
        accounts: u32,
    },
    /// Remove exactly what `generate` added and print what was removed.
    ///
    /// Deletes the sample accounts (with everything that belongs to them) and the sample users.
    /// A business that `generate` created is deleted as a whole only while it holds nothing
    /// else. Accounts added by people keep existing, without an owner where a sample user
    /// was one. Succeeds when there is nothing to remove.
    Destroy {
        /// Slug of the business to clean up.
        #[arg(long, default_value = app::sample_data::DEFAULT_SLUG)]
        business: String,
    },
}

pub fn init_tracing(cli: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match cli.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

fn open(database_url: &str, pool_size: u32) -> anyhow::Result<App> {
    let (pool, backend) = store::connect(database_url, pool_size)
        .with_context(|| "cannot open the database; check DATABASE_URL and that the database server is running")?;
    tracing::info!(backend = backend.name(), "database ready");
    let mail = mail_settings();
    mail.check().map_err(|message| anyhow::anyhow!(message))?;
    Ok(App::new(pool, backend, AppConfig { mail, ..AppConfig::default() }))
}

/// Reads where mail goes from the environment: `MANGO_CS_SMTP_URL` (none keeps mail in
/// the outbox), `MANGO_CS_MAIL_FROM` and `MANGO_CS_PUBLIC_URL`.
fn mail_settings() -> app::mail::MailSettings {
    let defaults = app::mail::MailSettings::default();
    let read =
        |name: &str| std::env::var(name).ok().map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
    app::mail::MailSettings {
        smtp_url: read("MANGO_CS_SMTP_URL"),
        from: read("MANGO_CS_MAIL_FROM").unwrap_or(defaults.from),
        public_url: read("MANGO_CS_PUBLIC_URL").unwrap_or(defaults.public_url),
    }
}

/// Turns a service error into one line for the terminal.
fn describe(error: AppError) -> anyhow::Error {
    match error {
        AppError::Validation(errors) => {
            let details: Vec<String> =
                errors.0.iter().map(|error| format!("{}: {}", error.field, error.message)).collect();
            anyhow::anyhow!("invalid input: {}", details.join("; "))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

/// Writes command output to stdout. A closed pipe (as in `mango-cs openapi | head`) is not
/// an error: the reader has all it wanted.
fn write_out(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let command = match cli.command {
        Some(command) => command,
        None => Command::Serve(ServeArgs::default_from_env()?),
    };
    match command {
        Command::Openapi => write_out(&crate::http::openapi::document_json()),
        Command::Serve(args) => {
            let app = open(&cli.database_url, args.pool_size)?;
            let settings = ServerSettings {
                secure_cookies: args.secure_cookies,
                static_dir: args.static_dir,
                trust_forwarded_for: args.trust_forwarded_for,
            };
            if let Err(failure) = app.fail_abandoned_runs() {
                tracing::warn!(error = %failure, "could not close job runs left by a stopped process");
            }
            let schedules = [
                (app::jobs::Job::HealthSnapshot, args.health_snapshot_at),
                (app::jobs::Job::RenewalReminders, args.renewal_reminders_at),
            ]
            .into_iter()
            .filter_map(|(job, at)| at.0.map(|at| (job, at)))
            .collect();
            crate::serve::serve(app, settings, args.bind, schedules)
        }
        Command::Migrate => {
            open(&cli.database_url, 1)?;
            write_out("migrations applied\n")
        }
        Command::Businesses(BusinessCommand::Create { name, slug }) => {
            let app = open(&cli.database_url, 1)?;
            let business = app.create_business(&name, &slug).map_err(describe)?;
            write_out(&format!("created business {} ({})\n", business.slug, business.id))
        }
        Command::Users(UserCommand::Create { business, email, name, role, password_stdin }) => {
            let role: Role = role.parse().map_err(|error| anyhow::anyhow!("invalid --role: {error}"))?;
            let password = if password_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context("cannot read the password from standard input")?;
                Some(text.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
            let app = open(&cli.database_url, 1)?;
            let user = app
                .create_user_in_business(&business, &UserCreate { email, name, role, password })
                .map_err(describe)?;
            write_out(&format!("created user {} ({}) with role {}\n", user.email, user.id, user.role))
        }
        Command::Tokens(TokenCommand::Create { email, name }) => {
            let app = open(&cli.database_url, 1)?;
            let created = app.create_token_for_email(&email, &name).map_err(describe)?;
            write_out(&format!("{}\n", created.secret))
        }
        Command::SampleData(SampleDataCommand::Generate { business, accounts }) => {
            let app = open(&cli.database_url, 1)?;
            let summary = app.generate_sample_data(&business, accounts as usize).map_err(describe)?;
            write_out(&summary.to_string())
        }
        Command::Jobs(JobsCommand::Run { job, business, as_of }) => {
            let known: Vec<&str> = app::jobs::Job::ALL.iter().map(|job| job.name()).collect();
            let Some(job) = app::jobs::Job::parse(&job) else {
                bail!("unknown job {job:?}; expected one of: {}", known.join(", "));
            };
            let as_of = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            // A run holds three connections at once: the business list, the job lock and the work.
            let app = open(&cli.database_url, 3)?;
            let runs = app
                .run_job_for_businesses(job, as_of, business.as_deref(), app::jobs::Trigger::CommandLine, false)
                .map_err(describe)?;
            let mut failed = 0;
            let mut report = String::new();
            for run in runs {
                match run.outcome {
                    Ok(Some(done)) => {
                        if done.status != "succeeded" {
                            failed += 1;
                        }
                        report.push_str(&format!(
                            "{} {} {} for {}: {}{}\n",
                            done.job,
                            run.slug,
                            done.status,
                            done.as_of,
                            done.counts,
                            done.error.map(|error| format!(" ({error})")).unwrap_or_default()
                        ));
                    }
                    Ok(None) => report.push_str(&format!(
                        "{} {} skipped: {}\n",
                        job.name(),
                        run.slug,
                        run.skipped.unwrap_or("nothing to do")
                    )),
                    Err(error) => {
                        failed += 1;
                        report.push_str(&format!("{} {} not run: {}\n", job.name(), run.slug, describe(error)));
                    }
                }
            }
            write_out(&report)?;
            if failed > 0 {
                bail!("{failed} run(s) did not succeed");
            }
            Ok(())
        }
        Command::SampleData(SampleDataCommand::Destroy { business }) => {
            let app = open(&cli.database_url, 1)?;
            let removed = app.destroy_sample_data(&business).map_err(describe)?;
            write_out(&format!("{removed}\n"))
        }
    }
}

impl ServeArgs {
    /// Reads the serve options from the environment alone, for when no command is given.
    fn default_from_env() -> anyhow::Result<Self> {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            serve: ServeArgs,
        }
        match Only::try_parse_from(["mango-cs"]) {
            Ok(only) => Ok(only.serve),
            Err(error) => bail!("invalid server settings in the environment: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(["mango-cs"].iter().chain(args))
    }

    #[test]
    fn accounts_defaults_to_200() {
        let cli = parse(&["sample-data", "generate"]).unwrap();
        let Some(Command::SampleData(SampleDataCommand::Generate { accounts, .. })) = cli.command else {
            panic!("not a generate command");
        };
        assert_eq!(accounts, 200);
    }

    #[test]
    fn accounts_outside_range_is_rejected() {
        for value in ["0", "1000001", "-5", "many"] {
            let argument = format!("--accounts={value}");
            let error = parse(&["sample-data", "generate", &argument]).unwrap_err().to_string();
            assert!(error.contains("--accounts"), "{value}: {error}");
        }
        for value in ["1", "1000000"] {
            assert!(parse(&["sample-data", "generate", "--accounts", value]).is_ok(), "{value}");
        }
    }
}
