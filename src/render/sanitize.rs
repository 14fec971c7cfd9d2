//! Making text from files safe to print on a terminal. A title, date, path or passage comes from
//! a file someone else wrote, and a terminal obeys what it is sent: `ESC ] 0 ; … BEL` retitles the
//! window, `ESC [ 2 J` clears the screen, a carriage return overwrites what was printed, and a
//! bidi override (U+202E) shows text in an order other than its own. Every string that came from a
//! document or a file name goes through [`sanitize`] (one line) or [`sanitize_lines`] (a passage)
//! before it is written for a person; `--json` does not need it, as JSON escapes controls itself.
//!
//! A control character is not dropped but shown as a visible escape, so that what the file holds
//! can still be told: `\x1B` for a character up to U+00FF (C0, DEL, C1), `\u{202E}` above it — the
//! notation of fd and of Rust's string escapes. A tab becomes one space (its width is the
//! terminal's to choose, and a passage is indented by the renderer).

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    // `is_control` is C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
    c.is_control()
        || matches!(
            c,
            '\u{061C}'                   // Arabic letter mark
            | '\u{200E}' | '\u{200F}'    // left-to-right and right-to-left marks
            | '\u{202A}'..='\u{202E}'    // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}'    // bidi isolates
            | '\u{2028}' | '\u{2029}' // line and paragraph separators: breaks the layout cannot see
        )
}

/// `s` for one line of terminal output: every control character (newlines too) made visible.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// `s` for several lines of terminal output: as [`sanitize`], but a line feed is kept, as the
/// renderer lays out a passage's lines itself (a CR just before it is a line ending and goes).
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    // Most text has nothing to escape: borrow it rather than copy every passage.
    if !s
        .chars()
        .any(|c| is_unsafe(c) && !(keep_newlines && c == '\n'))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            '\t' => out.push(' '),
            c if is_unsafe(c) => {
                let code = c as u32;
                // Writing to a String cannot fail.
                let _ = if code <= 0xFF {
                    write!(out, "\\x{code:02X}")
                } else {
                    write!(out, "\\u{{{code:04X}}}")
                };
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in [
            "sovranità tecnologica",
            "Ελληνικά, 中文, العربية, 🦀",
            "a \\x1B typed by hand",
            "",
        ] {
            assert!(matches!(sanitize(s), Cow::Borrowed(_)), "{s:?}");
            assert_eq!(sanitize(s), s);
        }
        assert!(matches!(sanitize_lines("a\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_sequences_are_shown_not_sent() {
        assert_eq!(
            sanitize("2025-01-01 \x1b]0;PWNED\x07 \x1b[2J"),
            "2025-01-01 \\x1B]0;PWNED\\x07 \\x1B[2J"
        );
        assert_eq!(sanitize("a\0b\x7fc"), "a\\x00b\\x7Fc");
        assert_eq!(sanitize("ok\rFAKE"), "ok\\x0DFAKE");
    }

    #[test]
    fn c1_controls_are_escaped() {
        // U+009B is a one-character CSI and U+009D an OSC on terminals that take 8-bit controls.
        assert_eq!(sanitize("\u{9b}2J\u{9d}0;x\u{9c}"), "\\x9B2J\\x9D0;x\\x9C");
        assert_eq!(sanitize("next\u{85}line"), "next\\x85line");
    }

    #[test]
    fn bidi_controls_are_escaped() {
        assert_eq!(sanitize("abc\u{202E}fdp.exe"), "abc\\u{202E}fdp.exe");
        for c in [
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{2028}', '\u{2029}',
        ] {
            let s = format!("a{c}b");
            assert_eq!(
                sanitize(&s),
                format!("a\\u{{{:04X}}}b", c as u32),
                "{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn newlines_are_kept_only_where_the_renderer_lays_out_lines() {
        assert_eq!(sanitize("title\nline"), "title\\x0Aline");
        assert_eq!(sanitize_lines("one\ntwo\r\nthree"), "one\ntwo\nthree");
        assert_eq!(sanitize_lines("over\rwrite"), "over\\x0Dwrite");
        assert_eq!(sanitize_lines("a\tb"), "a b");
    }

    #[test]
    fn no_unsafe_character_survives_any_input() {
        // Every character in the ranges that matter, alone and between letters.
        let all = (0u32..0x3000).filter_map(char::from_u32);
        for c in all {
            let s = format!("x{c}y");
            for out in [sanitize(&s), sanitize_lines(&s)] {
                assert!(
                    !out.chars().any(|d| is_unsafe(d) && d != '\n'),
                    "U+{:04X} -> {out:?}",
                    c as u32
                );
            }
            assert!(!sanitize(&s).contains('\n'));
        }
    }
}
