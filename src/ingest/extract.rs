//! From decoded text to a title, a date and paragraphs, for plain text and markdown. Markdown
//! syntax is parsed (pulldown-cmark) so that only the words a reader sees are indexed, while
//! every paragraph keeps the line it starts on in the file.

use chrono::NaiveDate;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::date;
use super::passage::Block;

/// A title longer than this is a paragraph, not a title.
const MAX_TITLE_CHARS: usize = 200;
/// A title made from the first sentence is cut to about this many characters.
const DERIVED_TITLE_CHARS: usize = 100;

/// One document of a file (most files hold one; a JSON Lines file or a feed holds many).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub title: String,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    /// The outlet the record names (JSON records); otherwise the document's host stands in.
    pub source: Option<String>,
    pub blocks: Vec<Block>,
    /// The line the title was taken from, when it is not also in `blocks`: a record that is only
    /// a title is indexed as that one line.
    pub title_line: Option<usize>,
}

/// Plain text: paragraphs are separated by blank lines; a text without any blank line has one
/// paragraph per line (news exports often do).
pub fn plain(text: &str) -> Record {
    let has_blank = text
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .any(|l| l.trim().is_empty());
    let mut blocks: Vec<Block> = Vec::new();
    let mut open = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            open = false;
            continue;
        }
        match blocks.last_mut() {
            Some(last) if open && has_blank => {
                last.text.push('\n');
                last.text.push_str(line);
            }
            _ => blocks.push(Block::new(line, i + 1)),
        }
        open = true;
    }
    split_title_and_date(&mut blocks);
    finish(blocks, false)
}

/// `Title\n14 marzo 2025\n\nBody`: the title and date lines form one block; make them two.
fn split_title_and_date(blocks: &mut Vec<Block>) {
    let Some(first) = blocks.first() else { return };
    let mut lines = first.text.splitn(3, '\n');
    let (Some(title), Some(second)) = (lines.next(), lines.next()) else {
        return;
    };
    if date::line(second).is_none() {
        return;
    }
    let line = first.line;
    let mut parts = vec![Block::new(title, line), Block::new(second, line + 1)];
    if let Some(rest) = lines.next() {
        parts.push(Block::new(rest, line + 2));
    }
    blocks.splice(0..1, parts);
}

/// Markdown: the text of paragraphs, headings, list items, quotes, tables and code blocks.
pub fn markdown(text: &str) -> Record {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let mut first_is_heading = None;
    let flush = |current: &mut Option<Block>, blocks: &mut Vec<Block>| {
        if let Some(b) = current.take().filter(|b| !b.text.trim().is_empty()) {
            blocks.push(b);
        }
    };
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(tag) if is_block(&tag) => {
                flush(&mut current, &mut blocks);
                if first_is_heading.is_none() && !matches!(tag, Tag::List(_) | Tag::BlockQuote(_)) {
                    first_is_heading = Some(matches!(tag, Tag::Heading { .. }));
                }
            }
            Event::End(tag) if is_block_end(&tag) => flush(&mut current, &mut blocks),
            Event::Text(t) | Event::Code(t) => {
                let block = current.get_or_insert_with(|| Block::new("", line_of(range.start)));
                block.text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = current.as_mut() {
                    b.text.push('\n');
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(b) = current.as_mut() {
                    b.text.push_str(" | ");
                }
            }
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    finish(blocks, first_is_heading == Some(true))
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::CodeBlock(_)
            | Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Table(_)
            | Tag::TableRow
            | Tag::TableHead
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::TableRow
            | TagEnd::TableHead
    )
}

/// Takes the title (and the date line after it) out of the paragraphs. When the first paragraph
/// is a heading it is the title; otherwise the first paragraph is the title if it looks like one,
/// and else a title is made from its first sentence.
pub fn finish(mut blocks: Vec<Block>, first_is_heading: bool) -> Record {
    let mut title_line = None;
    let title = match blocks.first() {
        Some(b) if first_is_heading || looks_like_title(&b.text) => {
            let b = blocks.remove(0);
            title_line = Some(b.line);
            b.text.trim().to_string()
        }
        Some(b) => derived_title(&b.text),
        None => String::new(),
    };
    let date = blocks.first().and_then(|b| date::line(&b.text));
    if date.is_some() {
        blocks.remove(0);
    }
    Record {
        title,
        date,
        url: None,
        source: None,
        blocks,
        title_line,
    }
}

fn looks_like_title(text: &str) -> bool {
    let t = text.trim();
    !t.contains('\n') && t.chars().count() <= MAX_TITLE_CHARS && !t.ends_with('.')
}

/// A title for a text that has none: its first sentence, shortened at a word boundary.
pub fn derived_title(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("").trim();
    let sentence = first_line
        .split_inclusive(". ")
        .next()
        .unwrap_or(first_line)
        .trim();
    if sentence.chars().count() <= DERIVED_TITLE_CHARS {
        return sentence.to_string();
    }
    let cut = sentence
        .char_indices()
        .nth(DERIVED_TITLE_CHARS)
        .map_or(sentence.len(), |(i, _)| i);
    let at_word = sentence[..cut].rfind(' ').unwrap_or(cut);
    format!(
        "{}…",
        sentence[..at_word].trim_end_matches([',', ';', ':', ' '])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn texts(e: &Record) -> Vec<(&str, usize)> {
        e.blocks.iter().map(|b| (b.text.as_str(), b.line)).collect()
    }

    #[test]
    fn plain_text_with_title_date_and_paragraphs() {
        let e =
            plain("AI Act in vigore\n2024-08-01\n\nPrimo paragrafo\nsu due righe.\n\nSecondo.\n");
        assert_eq!(e.title, "AI Act in vigore");
        assert_eq!(e.date, Some(ymd(2024, 8, 1)));
        assert_eq!(
            texts(&e),
            vec![("Primo paragrafo\nsu due righe.", 4), ("Secondo.", 7)]
        );
    }

    #[test]
    fn plain_text_without_blank_lines_has_a_paragraph_per_line() {
        let e = plain(
            "Una riga lunga che è un paragrafo intero e finisce con un punto.\nUn'altra riga.\n",
        );
        assert_eq!(
            e.title,
            "Una riga lunga che è un paragrafo intero e finisce con un punto."
        );
        assert_eq!(texts(&e).len(), 2, "the first paragraph stays in the body");
        assert_eq!(e.blocks[1].line, 2);
    }

    #[test]
    fn derived_title_is_cut_at_a_word() {
        let long = format!("{} fine.", "parola ".repeat(40));
        let e = plain(&long);
        assert!(e.title.ends_with('…'), "{}", e.title);
        assert!(e.title.chars().count() <= DERIVED_TITLE_CHARS + 1);
    }

    #[test]
    fn markdown_syntax_is_not_text() {
        let md = "# Il **titolo**\n2024-08-01\n\nUn [collegamento](https://example.org) e `codice`.\n\n- primo punto\n- *secondo* punto\n\n> citazione\n";
        let e = markdown(md);
        assert_eq!(e.title, "Il titolo");
        assert_eq!(e.date, Some(ymd(2024, 8, 1)));
        assert_eq!(
            texts(&e),
            vec![
                ("Un collegamento e codice.", 4),
                ("primo punto", 6),
                ("secondo punto", 7),
                ("citazione", 9)
            ]
        );
        let all: String = e.blocks.iter().map(|b| b.text.clone()).collect();
        assert!(!all.contains("example.org") && !all.contains('*') && !all.contains('#'));
    }

    #[test]
    fn markdown_without_heading_takes_title_like_text() {
        let e = markdown("Titolo semplice\n\nCorpo del testo.\n");
        assert_eq!(e.title, "Titolo semplice");
        assert_eq!(texts(&e), vec![("Corpo del testo.", 3)]);
    }

    #[test]
    fn date_lines_in_any_shape_are_dates() {
        for date_line in [
            "2024-08-01T10:00:00Z",
            "1 agosto 2024",
            "giovedì 1 agosto 2024",
            "Pubblicato il 1° agosto 2024",
            "01/08/2024",
        ] {
            let e = plain(&format!("AI Act in vigore\n{date_line}\n\nTesto.\n"));
            assert_eq!(e.date, Some(ymd(2024, 8, 1)), "{date_line}");
            assert_eq!(texts(&e), vec![("Testo.", 4)], "{date_line}");
            let e = markdown(&format!("# AI Act in vigore\n\n{date_line}\n\nTesto.\n"));
            assert_eq!(e.date, Some(ymd(2024, 8, 1)), "{date_line}");
            assert_eq!(texts(&e), vec![("Testo.", 5)], "{date_line}");
        }
    }

    #[test]
    fn a_sentence_with_a_date_is_text() {
        for second in [
            "2024-08-01 fu un giorno importante. Poi altro.",
            "Il 1 agosto 2024 entra in vigore il regolamento.",
            "1 agosto",
            "agosto 2024",
        ] {
            let e = plain(&format!("AI Act in vigore\n{second}\n\nTesto.\n"));
            assert_eq!(e.date, None, "{second}");
            assert!(e.blocks.iter().any(|b| b.text.contains(second)), "{second}");
        }
    }

    #[test]
    fn empty_input() {
        assert_eq!(plain("").title, "");
        assert!(markdown("\n\n").blocks.is_empty());
    }
}
