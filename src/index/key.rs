//! A file's identity in the index: the raw bytes of its path, written as text. A path that is
//! valid UTF-8 and holds no backslash is its own key; any other byte string is escaped (`\\` for a
//! backslash, `\xNN` for a byte that is not part of valid UTF-8), so two different paths never
//! share a key — `x\xff.txt` and `x\xfe.txt` stay two files — and the key reads back to the path.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// The key of `path`.
pub fn key_of(path: &Path) -> String {
    let bytes = path.as_os_str().as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains('\\') => s.to_string(),
        _ => escape(bytes),
    }
}

/// The path a key was made from.
pub fn path_of(key: &str) -> PathBuf {
    if !key.contains('\\') {
        return PathBuf::from(key);
    }
    let b = key.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'\\', Some(b'\\')) => {
                out.push(b'\\');
                i += 2;
            }
            (b'\\', Some(b'x')) if i + 4 <= b.len() => {
                match (hex(b[i + 2]), hex(b[i + 3])) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => out.extend_from_slice(&b[i..i + 4]),
                }
                i += 4;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    PathBuf::from(OsString::from_vec(out))
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(bytes: &[u8]) -> PathBuf {
        PathBuf::from(OsString::from_vec(bytes.to_vec()))
    }

    #[test]
    fn plain_paths_are_their_own_key() {
        assert_eq!(key_of(Path::new("/news/è.txt")), "/news/è.txt");
    }

    #[test]
    fn invalid_bytes_get_distinct_keys_that_read_back() {
        let cases: [&[u8]; 6] = [
            b"/n/x\xff.txt",
            b"/n/x\xfe.txt",
            b"/n/x\\xff.txt",
            b"/n/a\\b",
            b"/n/\\\\x",
            b"/n/\xc3.\xa8",
        ];
        let keys: Vec<String> = cases.iter().map(|b| key_of(&path(b))).collect();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(path_of(k), path(cases[i]), "{k}");
            for other in &keys[i + 1..] {
                assert_ne!(k, other);
            }
        }
        assert_eq!(keys[0], "/n/x\\xff.txt");
    }

    #[test]
    fn every_byte_string_round_trips() {
        // A deterministic walk over short byte strings built from the awkward bytes.
        let alphabet = [b'a', b'\\', b'x', b'f', 0xff, 0xc3, 0xa8, b'/'];
        for n in 0..(8u32.pow(5)) {
            let mut v = Vec::new();
            let mut m = n;
            for _ in 0..5 {
                v.push(alphabet[(m % 8) as usize]);
                m /= 8;
            }
            let p = path(&v);
            assert_eq!(path_of(&key_of(&p)), p, "{v:?}");
        }
    }
}
