//! The language reference as a page of the site: `docs/language.md` rendered to
//! `language.html` (Trunk's build hook calls this), so the hints in the page can point at it.

use crate::util::{root, Result};
use std::path::Path;

/// `docs/language.md` as a standalone HTML page, in the page's colours.
pub fn page(markdown: &str) -> String {
    let mut body = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    pulldown_cmark::html::push_html(&mut body, parser);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Interleave: the scenario language</title>\n<style>\n\
         body {{ font: 16px/1.55 system-ui, sans-serif; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; color: #1d1d24; background: #fbfbfd; }}\n\
         pre {{ background: #eceef4; padding: 0.75rem; border-radius: 6px; overflow-x: auto; }}\n\
         code {{ font: 14px ui-monospace, SFMono-Regular, Menlo, monospace; }}\n\
         a {{ color: #3b5bdb; }}\n\
         table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #d9d9e3; padding: 0.2rem 0.5rem; text-align: left; }}\n\
         @media (prefers-color-scheme: dark) {{ body {{ color: #ececf1; background: #14141a; }} pre {{ background: #262631; }} a {{ color: #8ca2ff; }} th, td {{ border-color: #33333f; }} }}\n\
         </style>\n</head>\n<body>\n<main>\n<p><a href=\"./\">← Back to Interleave</a></p>\n{body}</main>\n</body>\n</html>\n"
    )
}

/// Trunk's build hook: writes `language.html` into the staging dir.
pub fn render_for_trunk() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .ok_or("build-docs is Trunk's build hook: TRUNK_STAGING_DIR is not set")?;
    let src = root().join("docs/language.md");
    let md = std::fs::read_to_string(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let out = Path::new(&staging).join("language.html");
    std::fs::write(&out, page(&md)).map_err(|e| format!("{}: {e}", out.display()))
}

#[cfg(test)]
mod unit {
    #[test]
    fn the_reference_renders_headings_code_and_lists() {
        let html =
            super::page("# Title\n\nSome `code`.\n\n- one\n- two\n\n```rust\nfn main() {}\n```\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<code>code</code>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("<pre><code class=\"language-rust\">fn main() {}"));
        assert!(html.starts_with("<!doctype html>"));
    }
}
