//! The part of a long passage worth showing: about [`FRAGMENT_CHARS`] characters around the
//! densest cluster of matches, cut only between words (so never inside a UTF-8 character). A
//! passage not much longer than that is shown whole.

use std::ops::Range;

/// About how many characters a fragment holds.
pub const FRAGMENT_CHARS: usize = 300;

/// The byte range of `text` to show, given the byte ranges of its matches (sorted).
pub fn fragment(text: &str, matches: &[Range<usize>]) -> Range<usize> {
    let chars: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let n = chars.len();
    if n <= FRAGMENT_CHARS + FRAGMENT_CHARS / 5 {
        return 0..text.len();
    }
    // Work in characters: the index of the character at or after a byte offset.
    let char_at = |byte: usize| chars.partition_point(|&b| b < byte);
    let starts: Vec<usize> = matches.iter().map(|m| char_at(m.start)).collect();
    let ends: Vec<usize> = matches.iter().map(|m| char_at(m.end)).collect();
    // The window of FRAGMENT_CHARS holding the most matches, found with two pointers.
    let (mut best, mut best_count, mut j) = (0usize, 0usize, 0usize);
    for i in 0..starts.len() {
        j = j.max(i);
        while j < starts.len() && ends[j] <= starts[i] + FRAGMENT_CHARS {
            j += 1;
        }
        if j - i > best_count {
            best_count = j - i;
            best = i;
        }
    }
    let (from, to) = if best_count == 0 {
        (0, 0)
    } else {
        (starts[best], ends[best + best_count - 1])
    };
    // Centre the cluster, within the text.
    let slack = FRAGMENT_CHARS.saturating_sub(to - from);
    let mut start = from.saturating_sub(slack / 2);
    let mut end = (start + FRAGMENT_CHARS).min(n);
    start = end.saturating_sub(FRAGMENT_CHARS).min(start);
    // Cut between words: move the start forward past the word it falls in (never past the
    // first match), and the end back before the word it falls in.
    let is_space = |c: usize| text[chars[c]..].starts_with(char::is_whitespace);
    if start > 0 {
        let mut s = start;
        while s < from.max(start) && !is_space(s - 1) {
            s += 1;
        }
        start = if s > 0 && is_space(s - 1) {
            s
        } else {
            back_to_space(start, &is_space)
        };
    }
    if end < n {
        let mut e = end;
        while e > to && !is_space(e) {
            e -= 1;
        }
        end = if is_space(e) {
            e
        } else {
            forward_to_space(end, n, &is_space)
        };
    }
    let byte = |c: usize| if c >= n { text.len() } else { chars[c] };
    byte(start)..byte(end)
}

/// The nearest character at or before `c` that follows a space (0 at the start).
fn back_to_space(mut c: usize, is_space: &dyn Fn(usize) -> bool) -> usize {
    while c > 0 && !is_space(c - 1) {
        c -= 1;
    }
    c
}

/// The nearest space at or after `c` (the end of the text if none).
fn forward_to_space(mut c: usize, n: usize, is_space: &dyn Fn(usize) -> bool) -> usize {
    while c < n && !is_space(c) {
        c += 1;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_short_passage_is_whole() {
        let first_word = Range { start: 0, end: 5 };
        assert_eq!(fragment("breve testo", &[first_word]), 0..11);
    }

    #[test]
    fn the_densest_cluster_is_shown_and_words_are_whole() {
        let filler = "parola ".repeat(100);
        let text = format!("{filler}Garante qui. {filler}Garante privacy Garante dati {filler}");
        let matches: Vec<Range<usize>> = text
            .match_indices("Garante")
            .map(|(i, m)| i..i + m.len())
            .collect();
        let r = fragment(&text, &matches);
        let shown = &text[r.clone()];
        assert_eq!(shown.matches("Garante").count(), 2, "{shown}");
        assert!(shown.chars().count() <= FRAGMENT_CHARS);
        assert!(r.start == 0 || text[..r.start].ends_with(' '));
        assert!(r.end == text.len() || text[r.end..].starts_with(' '));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Over random text of any script, with random matches: the fragment lies on character
        /// boundaries, holds a match if there is one, and cuts no word.
        #[test]
        fn fragments_never_cut_a_character_or_a_word(
            words in proptest::collection::vec("[a-zà-ÿ€😀]{1,12}", 1..200),
            picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let text = words.join(" ");
            let mut starts: Vec<usize> = Vec::new();
            let mut at = 0;
            for w in &words {
                starts.push(at);
                at += w.len() + 1;
            }
            let mut chosen: Vec<usize> = picks.iter().map(|p| p.index(words.len())).collect();
            chosen.sort_unstable();
            chosen.dedup();
            let matches: Vec<Range<usize>> =
                chosen.iter().map(|&i| starts[i]..starts[i] + words[i].len()).collect();
            let r = fragment(&text, &matches);
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert!(r.start <= r.end && r.end <= text.len());
            prop_assert!(r.start == 0 || text[..r.start].ends_with(' '));
            prop_assert!(r.end == text.len() || text[r.end..].starts_with(' '));
            if let Some(m) = matches.first() {
                prop_assert!(matches.iter().any(|m| r.start <= m.start && m.end <= r.end), "{m:?} {r:?}");
            }
        }
    }
}
