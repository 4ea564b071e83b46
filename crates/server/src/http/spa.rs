//! Serving the built browser app: files from the static directory, `index.html` for client
//! routes, and the JSON 404 problem for unknown `/api/` paths.
//!
//! Trunk puts a content hash in the names of the assets it emits, so those are cached for
//! a year. `index.html` names the current hashes, so it is revalidated on every load.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::http::ServerSettings;

const INDEX: &str = "index.html";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// Whether the missing static directory has been logged, so it is logged once per process.
static MISSING_LOGGED: AtomicBool = AtomicBool::new(false);

/// Handles every request that no API route matched.
pub async fn fallback(request: HttpRequest, settings: web::Data<ServerSettings>) -> HttpResponse {
    let path = request.path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        return crate::http::not_found(request).await;
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return crate::http::not_found(request).await;
    }

    let root = settings.static_dir.clone();
    if !root.is_dir() {
        if !MISSING_LOGGED.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                static_dir = %root.display(),
                "the browser app is not built, so only the API is served; run scripts/build-frontend.sh or set --static-dir"
            );
        }
        return not_built(&root);
    }

    let target = match resolve(&root, &path) {
        Some(Target::File(file)) => file,
        Some(Target::ClientRoute) => root.join(INDEX),
        None => return missing_asset(),
    };
    let outcome = web::block(move || read_inside(&root, &target)).await;
    match outcome {
        Ok(Ok(Some((file, body)))) => file_response(&file, body),
        Ok(Ok(None)) => missing_asset(),
        Ok(Err(error)) => {
            tracing::error!(%error, path, "reading a file of the browser app failed");
            HttpResponse::InternalServerError().insert_header((header::CACHE_CONTROL, NO_CACHE)).finish()
        }
        Err(error) => {
            tracing::error!(%error, path, "the file-reading task failed");
            HttpResponse::InternalServerError().insert_header((header::CACHE_CONTROL, NO_CACHE)).finish()
        }
    }
}

/// The target of a request path.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file that exists under the root.
    File(PathBuf),
    /// An address of the app itself, served with `index.html`.
    ClientRoute,
}

/// Maps a URL path to a file under `root`. Returns `None` for a path that names a file
/// (its last segment has an extension) that does not exist, and for paths with `..`,
/// backslashes, percent signs or hidden segments, which no emitted file has.
fn resolve(root: &Path, url_path: &str) -> Option<Target> {
    let relative = url_path.trim_start_matches('/');
    if relative.is_empty() {
        return Some(Target::ClientRoute);
    }

    let mut file = root.to_path_buf();
    for segment in relative.split('/') {
        if segment.is_empty() {
            continue;
        }
        let unsafe_segment = segment.starts_with('.')
            || segment.contains(['\\', '%', '\0'])
            || Path::new(segment).components().count() != 1;
        if unsafe_segment {
            return None;
        }
        file.push(segment);
    }
    if file.components().any(|component| matches!(component, Component::ParentDir)) {
        return None;
    }

    if file.is_file() {
        return Some(Target::File(file));
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        None
    } else {
        Some(Target::ClientRoute)
    }
}

/// Reads `file` when its real path, symlinks resolved, is still under `root`.
fn read_inside(root: &Path, file: &Path) -> std::io::Result<Option<(PathBuf, Vec<u8>)>> {
    let real_root = root.canonicalize()?;
    let real_file = match file.canonicalize() {
        Ok(real_file) => real_file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    if !real_file.starts_with(&real_root) || !real_file.is_file() {
        return Ok(None);
    }
    let body = std::fs::read(&real_file)?;
    Ok(Some((real_file, body)))
}

fn file_response(file: &Path, body: Vec<u8>) -> HttpResponse {
    let name = file.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let cache = if name != INDEX && is_hashed(name) { IMMUTABLE } else { NO_CACHE };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type(name)))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .body(body)
}

/// Tells whether a file name carries a content hash as Trunk writes it: a dash-separated part
/// of at least 12 hex digits, as in `app-3f9a1c2b4d5e6f70.css` or `app-3f9a…_bg.wasm`.
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.split('-').skip(1).any(|part| part.len() >= 12 && part.chars().all(|c| c.is_ascii_hexdigit()))
}

fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, extension)| extension.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn missing_asset() -> HttpResponse {
    HttpResponse::NotFound()
        .insert_header((header::CACHE_CONTROL, NO_CACHE))
        .content_type("text/plain; charset=utf-8")
        .body("not found")
}

/// Builds the note served in place of the app when its directory does not exist.
fn not_built(root: &Path) -> HttpResponse {
    let directory = html_escape(&root.display().to_string());
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mango CS</title></head>\
         <body><h1>The browser app is not built</h1>\
         <p>Mango CS serves the browser app from <code>{directory}</code>, which does not exist. \
         Build it with <code>scripts/build-frontend.sh</code>, or point <code>--static-dir</code> \
         (<code>MANGO_CS_STATIC_DIR</code>) at a built app.</p>\
         <p>The JSON API works without it: see <a href=\"/api/docs/\">/api/docs/</a>.</p></body></html>"
    );
    HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
        .insert_header((header::CACHE_CONTROL, NO_CACHE))
        .content_type("text/html; charset=utf-8")
        .body(body)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        for (name, body) in [("index.html", "<html></html>"), ("app-0123456789abcdef.css", "body{}")] {
            std::fs::write(dir.path().join(name), body).expect("write");
        }
        dir
    }

    #[test]
    fn client_routes_fall_back_to_index() {
        let dir = site();
        for path in ["/", "/accounts", "/accounts/0190abcd-1234", "/admin/users/"] {
            assert_eq!(resolve(dir.path(), path), Some(Target::ClientRoute), "{path}");
        }
    }

    #[test]
    fn existing_file_is_served() {
        let dir = site();
        let expected = dir.path().join("app-0123456789abcdef.css");
        assert_eq!(resolve(dir.path(), "/app-0123456789abcdef.css"), Some(Target::File(expected)));
    }

    #[test]
    fn missing_asset_is_not_index() {
        let dir = site();
        assert_eq!(resolve(dir.path(), "/app-ffffffffffffffff.js"), None);
    }

    #[test]
    fn traversal_is_rejected() {
        let dir = site();
        for path in ["/../secret", "/a/../../etc/passwd", "/%2e%2e/x", "/.env", "/a\\..\\b"] {
            assert_eq!(resolve(dir.path(), path), None, "{path}");
        }
    }

    #[test]
    fn symlink_out_of_root_is_not_read() {
        let dir = site();
        let outside = tempfile::tempdir().expect("create a temporary folder");
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "secret").expect("write");
        let link = dir.path().join("link.txt");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&secret, &link).expect("symlink");
        let read = read_inside(dir.path(), &link).expect("read");
        assert!(read.is_none());
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("mango-cs-frontend-3f9a1c2b4d5e6f70_bg.wasm"));
        assert!(is_hashed("mango-cs-frontend-3f9a1c2b4d5e6f70.js"));
        assert!(is_hashed("app-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("mango-cs-frontend.js"));
    }

    #[test]
    fn wasm_has_its_media_type() {
        assert_eq!(content_type("x_bg.wasm"), "application/wasm");
        assert_eq!(content_type("INDEX.HTML"), "text/html; charset=utf-8");
    }
}
