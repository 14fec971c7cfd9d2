//! Where a document comes from, by name: the outlet a news record names, or else the host of the
//! document's address (`https://www.ansa.it:443/x` → `ansa.it`), so that every story of one site
//! carries the same source whatever the format it was saved in.

use url::{Host, Url};

/// The longest source name kept; a longer value is text, not a name.
const MAX_NAME_CHARS: usize = 200;

/// The site of a web address: its host, lowercase, without a leading `www.` or a port, with an
/// international name in its own letters (`città.it`, not `xn--citt-3na.it`). Only `http` and
/// `https` addresses name a site; a relative or other address gives `None`.
pub fn host(address: &str) -> Option<String> {
    let url = Url::parse(address.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = match url.host()? {
        Host::Domain(domain) => {
            let (unicode, errors) = idna::domain_to_unicode(domain);
            if errors.is_ok() {
                unicode
            } else {
                domain.to_string()
            }
        }
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => ip.to_string(),
    };
    let host = host.trim_end_matches('.').to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

/// A source as a record writes it: a name (`ANSA`) is kept as written, whitespace collapsed; an
/// address stands for its site's host.
pub fn name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return None;
    }
    let is_address = ["http://", "https://"].iter().any(|s| {
        name.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    if is_address {
        return host(&name);
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for (address, want) in [
            ("https://www.ansa.it/sito/notizie/x.html", Some("ansa.it")),
            ("http://WWW.Corriere.IT:8080/a?b#c", Some("corriere.it")),
            (
                "https://user:pw@www2.ilsole24ore.com/",
                Some("www2.ilsole24ore.com"),
            ),
            ("https://notizie.example./a", Some("notizie.example")),
            ("https://xn--citt-3na.it/", Some("città.it")),
            ("https://città.it/", Some("città.it")),
            ("https://www.example/", Some("example")),
            ("http://127.0.0.1:8000/x", Some("127.0.0.1")),
            ("  https://gpai.example/x  ", Some("gpai.example")),
            ("ftp://example.org/x", None),
            ("mailto:a@example.org", None),
            ("file:///tmp/a.html", None),
            ("/2024/08/01/articolo", None),
            ("example.org/x", None),
            ("https://", None),
            ("", None),
            ("not a url", None),
        ] {
            assert_eq!(host(address).as_deref(), want, "{address:?}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(name("  ANSA ").as_deref(), Some("ANSA"));
        assert_eq!(name("Il  Sole\n24 Ore").as_deref(), Some("Il Sole 24 Ore"));
        assert_eq!(name("HTTPS://www.ansa.it/").as_deref(), Some("ansa.it"));
        assert_eq!(name("https://").as_deref(), None);
        assert_eq!(name("   "), None);
        assert_eq!(name(&"x".repeat(201)), None);
    }
}
