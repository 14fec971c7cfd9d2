//! Passages: the unit cerca ranks and shows. Paragraphs (blocks) become passages; short ones are
//! joined with their neighbours, long ones are cut at sentence boundaries into windows of at most
//! [`MAX_CHARS`] characters. Every passage knows the 1-based line it starts on.

use unicode_segmentation::UnicodeSegmentation;

/// No passage is longer than this many characters.
pub const MAX_CHARS: usize = 1000;
/// Paragraphs shorter than this are joined with the next one (a heading with its paragraph).
pub const MIN_CHARS: usize = 200;

/// A paragraph of a document's text, with the 1-based line it starts on (for a record of a
/// JSON Lines file, the record's line) and, in a paged format, its 1-based page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    pub text: String,
    pub line: usize,
    pub page: Option<u32>,
    /// For a text whose line breaks were not kept (HTML's white space is collapsed): the byte
    /// offsets where the file's line changes, with the new line. Sorted; may be empty.
    pub marks: Vec<(usize, usize)>,
}

impl Block {
    pub fn new(text: impl Into<String>, line: usize) -> Block {
        Block {
            text: text.into(),
            line,
            page: None,
            marks: Vec::new(),
        }
    }
}

/// A passage: what the index stores and a search returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    pub line: usize,
    pub page: Option<u32>,
    /// Where in the file each paragraph joined into this passage begins (see [`LineMap`]).
    pub lines: LineMap,
}

/// The file lines of a passage's text: for each paragraph joined into it, the byte offset in
/// the text where it begins and the file line it begins on. Inside a paragraph each newline is
/// the next line. So a match can be pointed at on its own line, not the passage's first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMap(Vec<(usize, usize)>);

impl LineMap {
    pub fn starting(line: usize) -> LineMap {
        LineMap(vec![(0, line)])
    }

    /// The file line and the 1-based column (in characters) of byte `offset` of `text`.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let (start, line) = self
            .0
            .iter()
            .rev()
            .find(|(at, _)| *at <= offset)
            .copied()
            .unwrap_or((0, self.0.first().map_or(1, |a| a.1)));
        let start = floor_char_boundary(text, start.min(offset));
        let before = &text[start..offset];
        let newlines = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(start, |i| start + i + 1);
        (
            line + newlines,
            text[line_start..offset].chars().count() + 1,
        )
    }

    /// As stored in the index: `offset:line` pairs separated by spaces.
    pub fn encode(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(|(o, l)| format!("{o}:{l}")).collect();
        parts.join(" ")
    }

    /// Reads [`LineMap::encode`]'s form; a damaged value reads as the passage's first line.
    pub fn decode(s: &str, first_line: usize) -> LineMap {
        let pairs: Option<Vec<(usize, usize)>> = s
            .split(' ')
            .map(|p| {
                let (o, l) = p.split_once(':')?;
                Some((o.parse().ok()?, l.parse().ok()?))
            })
            .collect();
        match pairs {
            Some(p) if !p.is_empty() => LineMap(p),
            _ => LineMap::starting(first_line),
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn split(blocks: &[Block]) -> Vec<Passage> {
    let mut pieces = Vec::new();
    for block in blocks {
        let text = block.text.trim();
        if text.is_empty() {
            continue;
        }
        let lead = block.text.len() - block.text.trim_start().len();
        let line = block.line + block.text[..lead].matches('\n').count();
        // The marks of the trimmed text, from its start.
        let marks: Vec<(usize, usize)> = block
            .marks
            .iter()
            .filter(|&&(at, _)| at >= lead && at < lead + text.len())
            .map(|&(at, line)| (at - lead, line))
            .collect();
        if text.chars().count() <= MAX_CHARS {
            let mut lines = LineMap::starting(line);
            lines.0.extend(marks);
            pieces.push((
                Passage {
                    text: text.to_string(),
                    line,
                    page: block.page,
                    lines,
                },
                true,
            ));
        } else {
            pieces.extend(windows(text, line, &marks).into_iter().map(|p| {
                (
                    Passage {
                        page: block.page,
                        ..p
                    },
                    false,
                )
            }));
        }
    }
    merge_small(pieces)
}

/// Joins whole short paragraphs with the following ones while the result stays within bounds.
fn merge_small(pieces: Vec<(Passage, bool)>) -> Vec<Passage> {
    let mut out: Vec<(Passage, bool)> = Vec::new();
    for (piece, whole) in pieces {
        if let Some((last, last_whole)) = out.last_mut() {
            let (a, b) = (last.text.chars().count(), piece.text.chars().count());
            if *last_whole
                && whole
                && last.page == piece.page
                && a < MIN_CHARS
                && a + 1 + b <= MAX_CHARS
            {
                last.text.push('\n');
                let base = last.text.len();
                let joined = piece.lines.0.iter().map(|&(at, line)| (base + at, line));
                last.lines.0.extend(joined);
                last.text.push_str(&piece.text);
                continue;
            }
        }
        out.push((piece, whole));
    }
    out.into_iter().map(|(p, _)| p).collect()
}

/// Cuts a long paragraph into windows at sentence boundaries (at spaces inside a sentence that is
/// itself too long, and inside a word only when a word is longer than a window). Linear in the
/// paragraph's length, whatever its shape: a whole book on one line is one paragraph.
fn windows(text: &str, first_line: usize, marks: &[(usize, usize)]) -> Vec<Passage> {
    let mut out = Vec::new();
    let mut lines = LineCounter::new(text, first_line, marks);
    let (mut from, mut to, mut chars) = (0usize, 0usize, 0usize);
    let mut add = |start: usize, unit: &str| {
        let n = unit.chars().count();
        if chars > 0 && chars + n > MAX_CHARS {
            push_window(&mut out, &mut lines, from, to);
            from = start;
            chars = 0;
        }
        to = start + unit.len();
        chars += n;
    };
    for (start, sentence) in text.split_sentence_bound_indices() {
        if sentence.chars().count() <= MAX_CHARS {
            add(start, sentence);
        } else {
            for (s, unit) in hard_cut(sentence) {
                add(start + s, unit);
            }
        }
    }
    push_window(&mut out, &mut lines, from, to);
    out
}

/// The line of an offset into a text, for offsets asked in increasing order: each call counts
/// only the newlines (and passes only the marks) since the previous one, so numbering all
/// windows of a text is one pass.
struct LineCounter<'a> {
    text: &'a str,
    /// See [`Block::marks`].
    marks: &'a [(usize, usize)],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str, first_line: usize, marks: &'a [(usize, usize)]) -> LineCounter<'a> {
        LineCounter {
            text,
            marks,
            offset: 0,
            line: first_line,
        }
    }

    fn line_at(&mut self, offset: usize) -> usize {
        debug_assert!(offset >= self.offset, "offsets must not go back");
        while let Some((&(at, line), rest)) = self.marks.split_first() {
            if at > offset {
                break;
            }
            if at >= self.offset {
                self.offset = at;
                self.line = line;
            }
            self.marks = rest;
        }
        if offset > self.offset {
            self.line += self.text[self.offset..offset].matches('\n').count();
            self.offset = offset;
        }
        self.line
    }

    /// The marks inside `from..to`, counted from `from`.
    fn marks_within(&self, from: usize, to: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.marks
            .iter()
            .take_while(move |&&(at, _)| at < to)
            .filter(move |&&(at, _)| at > from)
            .map(move |&(at, line)| (at - from, line))
    }
}

fn push_window(out: &mut Vec<Passage>, lines: &mut LineCounter, from: usize, to: usize) {
    let slice = &lines.text[from..to];
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = slice.len() - slice.trim_start().len();
    let start = from + lead;
    let line = lines.line_at(start);
    let mut map = LineMap::starting(line);
    map.0
        .extend(lines.marks_within(start, start + trimmed.len()));
    out.push(Passage {
        text: trimmed.to_string(),
        line,
        page: None,
        lines: map,
    });
}

/// Splits an over-long sentence into pieces of at most `MAX_CHARS` characters.
fn hard_cut(sentence: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < sentence.len() {
        let rest = &sentence[start..];
        let limit = rest
            .char_indices()
            .nth(MAX_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        let end = if limit == rest.len() {
            limit
        } else {
            // Cut after the space, whose width may be more than a byte (a no-break space).
            match rest[..limit]
                .char_indices()
                .rfind(|(_, c)| c.is_whitespace())
            {
                Some((space, c)) if space > 0 => space + c.len_utf8(),
                _ => limit,
            }
        };
        out.push((start, &rest[..end]));
        start += end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, line: usize) -> Block {
        Block::new(text, line)
    }

    #[test]
    fn marks_of_a_collapsed_paragraph_reach_its_passages_and_windows() {
        // Short: one passage, each word on its own line.
        let text = "uno due tre";
        let b = Block {
            marks: vec![(0, 4), (4, 5), (8, 7)],
            ..Block::new(text, 3)
        };
        let p = split(&[b]);
        let at = |word: &str| {
            p[0].lines
                .locate(&p[0].text, p[0].text.find(word).unwrap())
                .0
        };
        assert_eq!((at("uno"), at("due"), at("tre")), (4, 5, 7));
        // Long: windows, each starting on the line of its first word.
        let sentence = "Una frase di prova che dice poco. ";
        let long = sentence.repeat(100);
        let marks: Vec<(usize, usize)> = (0..100).map(|i| (i * sentence.len(), 10 + i)).collect();
        let b = Block {
            marks,
            ..Block::new(long.trim_end(), 10)
        };
        let p = split(&[b]);
        assert!(p.len() > 2);
        let mut offset = 0;
        for w in &p {
            let start = long[offset..].find(&w.text).unwrap() + offset;
            assert_eq!(w.line, 10 + start / sentence.len(), "{}", w.text);
            let last = w.text.rfind("Una").unwrap();
            let line = w.lines.locate(&w.text, last).0;
            assert_eq!(line, 10 + (start + last) / sentence.len());
            offset = start + w.text.len();
        }
    }

    #[test]
    fn a_match_is_located_on_its_own_line_and_column() {
        // Three paragraphs, two blank lines apart in the file, joined into one passage.
        let blocks = [
            block("Titolo", 1),
            block("Prima riga\nseconda riga con Abilene", 3),
            block("Texas è più in là", 7),
        ];
        let p = split(&blocks);
        assert_eq!(p.len(), 1);
        let text = &p[0].text;
        let at = |word: &str| p[0].lines.locate(text, text.find(word).unwrap());
        assert_eq!(at("Titolo"), (1, 1));
        assert_eq!(at("Prima"), (3, 1));
        assert_eq!(at("Abilene"), (4, 18));
        assert_eq!(at("Texas"), (7, 1));
        assert_eq!(at("là"), (7, 16));
        let stored = LineMap::decode(&p[0].lines.encode(), 1);
        assert_eq!(stored, p[0].lines);
        assert_eq!(LineMap::decode("garbage", 9), LineMap::starting(9));
        // Offsets past the end or inside a character are clamped, never a panic.
        assert_eq!(p[0].lines.locate("è", 1), (1, 1));
        assert_eq!(p[0].lines.locate(text, 10_000).0, 7);
    }

    #[test]
    fn paragraphs_of_different_pages_stay_apart() {
        let mut a = block("Pagina uno.", 1);
        a.page = Some(1);
        let mut b = block("Pagina due.", 1);
        b.page = Some(2);
        let p = split(&[a, b]);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].page, p[1].page), (Some(1), Some(2)));
    }

    #[test]
    fn short_paragraphs_join_long_ones_stand_alone() {
        let long = "Parola ".repeat(40);
        let blocks = [block("Titolo breve", 1), block(&long, 3), block(&long, 5)];
        let p = split(&blocks);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].line, 1);
        assert!(p[0].text.starts_with("Titolo breve\nParola"));
        assert_eq!(p[1].line, 5);
    }

    #[test]
    fn long_paragraph_is_cut_at_sentences_with_lines() {
        let sentence =
            "Il regolamento europeo sull'intelligenza artificiale entra in vigore oggi. ";
        let text = format!("{}\n{}", sentence.repeat(10), sentence.repeat(20));
        let p = split(&[block(&text, 7)]);
        assert!(p.len() >= 3, "{p:?}");
        for passage in &p {
            assert!(passage.text.chars().count() <= MAX_CHARS);
            assert!(
                passage.text.starts_with("Il regolamento"),
                "{:?}",
                passage.text
            );
            assert!(passage.text.ends_with("oggi."));
        }
        assert_eq!(p[0].line, 7);
        assert!(p.last().unwrap().line == 8);
        // nothing lost, nothing duplicated
        let words: usize = p.iter().map(|x| x.text.split_whitespace().count()).sum();
        assert_eq!(words, text.split_whitespace().count());
    }

    #[test]
    fn sentence_and_word_longer_than_a_window_are_cut() {
        let long_sentence = "parola ".repeat(400);
        let long_word = "x".repeat(2500);
        for text in [long_sentence, long_word] {
            let p = split(&[block(&text, 1)]);
            assert!(p.len() >= 3);
            assert!(p.iter().all(|x| x.text.chars().count() <= MAX_CHARS));
            let total: usize = p
                .iter()
                .map(|x| x.text.replace(char::is_whitespace, "").len())
                .sum();
            assert_eq!(total, text.replace(char::is_whitespace, "").len());
        }
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let text = "àèìòù".repeat(700);
        let p = split(&[block(&text, 1)]);
        assert!(p.iter().all(|x| x.text.chars().count() <= MAX_CHARS));
    }

    #[test]
    fn a_long_sentence_is_cut_after_a_multibyte_space() {
        let text = format!(
            "{}\u{a0}{}",
            "a".repeat(MAX_CHARS - 2),
            "b".repeat(MAX_CHARS)
        );
        let p = split(&[block(&text, 1)]);
        assert!(p.iter().all(|x| x.text.chars().count() <= MAX_CHARS));
        assert_eq!(p[0].text, "a".repeat(MAX_CHARS - 2));
    }

    #[test]
    fn empty_blocks_give_nothing() {
        assert!(split(&[block("  \n ", 1)]).is_empty());
        assert!(split(&[]).is_empty());
    }
}
