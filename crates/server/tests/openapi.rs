//! The served OpenAPI document and the interactive docs.

mod common;

use std::path::Path;

backend_tests! {
    fn served_document_equals_checked_in(server) {
        let response = server.anonymous().get("/api/openapi.json");
        assert_eq!(response.status(), 200);
        let served = response.text().expect("document");
        let checked_in = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json"))
            .expect("openapi/openapi.json is checked in");
        assert!(served == checked_in, "the served document differs from openapi/openapi.json; run `make openapi`");
        let document: serde_json::Value = serde_json::from_str(&served).expect("JSON");
        assert_eq!(document["openapi"], "3.1.0");
    }

    fn docs_load_nothing_from_outside(server) {
        let client = server.anonymous();
        let page = client.get("/api/docs/");
        assert_eq!(page.status(), 200);
        let html = page.text().expect("docs page");
        assert!(html.contains("swagger-ui"), "the docs page is Swagger UI: {html}");
        for attribute in ["src=\"", "href=\""] {
            for reference in html.split(attribute).skip(1).filter_map(|rest| rest.split('"').next()) {
                assert!(
                    !reference.starts_with("http://") && !reference.starts_with("https://") && !reference.starts_with("//"),
                    "the docs page loads {reference} from outside the binary"
                );
            }
        }
        let initializer = client.get("/api/docs/swagger-initializer.js");
        assert_eq!(initializer.status(), 200);
        let script = initializer.text().expect("initializer");
        assert!(script.contains("/api/docs/openapi.json"), "{script}");
        assert!(!script.contains("https://"), "the initializer fetches nothing from outside: {script}");
        assert_eq!(client.get("/api/docs/openapi.json").status(), 200);
    }
}
