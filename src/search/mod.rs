//! Searching: a query string → ranked passages with the byte ranges of the words that matched.
//! Each query word is analysed by every language's chain, so it meets the text however that text
//! was indexed; a title match weighs more than a passage's, and a word in its exact form more
//! than one that only shares its stem (told from the stored text of the best candidates).

mod build;
mod count;
mod diverse;
mod evidence;
mod exact;
mod excluded;
mod fragment;
mod highlight;
pub mod query;
mod rank;
mod stats;
mod sum;
mod whole;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, TantivyDocument};

use crate::analysis::{Analyzer, Lang, is_stopword};
use crate::index::{Fields, IndexError, Store};
use crate::ingest::passage::LineMap;
use crate::ingest::repair::Repair;
use diverse::TopDiverse;
use query::{Node, Parsed};

pub use count::{TOTAL_CAP, Total, total};
pub use highlight::Terms;

/// How much more a passage counts per part of the query it holds in the exact form typed (a
/// passage holding every part exactly counts 1 + `EXACT_BOOST` times more than one holding
/// them by their stems only).
const EXACT_BOOST: f32 = 1.5;
/// How much more a match in the document's title counts than one in the passage.
const TITLE_BOOST: f32 = 2.0;

/// One ranked passage.
#[derive(Clone, Debug)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub path: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The host of its URL, or the first folder under its root.
    pub source: Option<String>,
    pub lang: String,
    /// What repair changed in the passage's file, so a user can see why a word was found.
    pub repairs: Vec<Repair>,
    /// The line of the first match (of the passage's first line, if nothing is highlighted).
    pub line: u64,
    /// The 1-based column, in characters, of the first match on its line.
    pub column: u64,
    /// The line the passage starts on.
    pub passage_line: u64,
    /// The 1-based page, in a paged format (PDF).
    pub page: Option<u64>,
    pub url: Option<String>,
    pub text: String,
    /// Byte ranges into `text` of the words that matched, sorted, not overlapping.
    pub highlights: Vec<Range<usize>>,
    /// The same for `title`.
    pub title_highlights: Vec<Range<usize>>,
    /// Passages of the same document left out by the per-document cap.
    pub more_in_document: usize,
    /// The byte range of `text` worth showing: about 300 characters around the densest
    /// cluster of matches, cut between words (the whole text if it is short).
    pub fragment: Range<usize>,
}

/// The outcome of a search.
#[derive(Debug, Default)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// The query did not parse and was searched as plain words.
    pub lenient: bool,
    /// No passage had every part of the query; these are passages of documents that have
    /// them all, then passages with most of them.
    pub relaxed: bool,
    /// What the user should know of how the query was read (a prefix cut short).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the query has no word to search for")]
    Empty,
    #[error(transparent)]
    Query(#[from] query::QueryError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// What to search for besides the query itself.
#[derive(Clone, Debug)]
pub struct Request {
    /// How many passages to return.
    pub limit: usize,
    /// At most this many passages of one document (0: no cap).
    pub per_doc: usize,
    /// Filters given apart from the query (`--since`, `--until`): ANDed to it.
    pub filters: Vec<Node>,
    /// Newest first instead of best first.
    pub by_date: bool,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            limit: 10,
            per_doc: 2,
            filters: Vec::new(),
            by_date: false,
        }
    }
}

/// How much more a passage counts when its document's title holds every part of the query: a
/// short article titled with the query is not beaten by a passing mention in a long one.
const TITLE_HOLDS_ALL: f32 = 1.5;
/// How many passages more than are shown are collected, best first, for the title and closeness
/// rewards to reorder.
const RERANK_ROOM: usize = 5;
/// How many times more candidates a query weighs at first when the text may refute some.
const REFUTABLE: usize = 4;
/// How many candidate passages a query of several parts weighs, at least.
const MIN_CANDIDATES: usize = 200;

/// Runs `query` against the index and returns the best `limit` passages (at most two of one
/// document).
pub fn search(store: &Store, query: &str, limit: usize) -> Result<Results, SearchError> {
    let request = Request {
        limit,
        ..Request::default()
    };
    search_with(store, query, &request)
}

/// Runs `query` as `request` says.
pub fn search_with(store: &Store, query: &str, request: &Request) -> Result<Results, SearchError> {
    // The per-document cap leaves passages out: weigh a few more than are shown, and many more
    // only when that was not enough (one long document held most of them).
    let limit = request.limit.max(1);
    let parsed = as_searched(query, request)?;
    // Candidates the text may refute (a prefix, a phrase's stopword): more are weighed at once,
    // rather than searching again when too many fell.
    let room = if exact::may_refute(&parsed.root) {
        REFUTABLE
    } else {
        1
    };
    let mut wanted = if request.per_doc == 0 || !request.by_date {
        // Best first, the cap is applied while collecting: a few more than are shown leave
        // room for the title and closeness rewards to reorder them.
        limit.saturating_add(RERANK_ROOM)
    } else {
        limit.saturating_mul(2).saturating_add(10)
    }
    .saturating_mul(room);
    loop {
        let (results, exhausted) = search_weighing(store, &parsed, request, wanted)?;
        if results.hits.len() >= limit || exhausted || wanted >= limit.saturating_mul(64) {
            return Ok(results);
        }
        wanted = wanted.saturating_mul(4);
    }
}

/// One search of `parsed` (the query and the request's filters) weighing `wanted` candidates;
/// also says whether there were no more to weigh.
fn search_weighing(
    store: &Store,
    parsed: &Parsed,
    request: &Request,
    wanted: usize,
) -> Result<(Results, bool), SearchError> {
    let reader = reader_for(store, parsed)?;
    let searcher = reader.searcher();
    // Stems are looked up only in the fields of languages the index holds.
    let langs = store.meta.langs();
    let tantivy_err = |source| IndexError::Tantivy {
        path: store.dir.clone(),
        source,
    };
    let limit = request.limit.max(1);
    // A passage's length is weighed against its own language's passages.
    let stats = stats::ByLanguage::new(&searcher, &store.fields, &langs).map_err(tantivy_err)?;
    let top = |q: &dyn Query, n: usize| -> Result<Vec<(f32, DocAddress)>, SearchError> {
        Ok(searcher
            .search_with_statistics_provider(q, &TopDocs::with_limit(n).order_by_score(), &stats)
            .map_err(tantivy_err)?)
    };
    let ctx = build::Ctx {
        fields: &store.fields,
        langs: &langs,
        searcher: &searcher,
        notes: Default::default(),
    };
    for word in misread_fields(&parsed.root) {
        ctx.notes.borrow_mut().push(format!(
            "{word}: not a value that field takes (see `cerca search --help`); searched as a word"
        ));
    }
    let split = Split::of(parsed);
    let all = ctx.build(&parsed.root);
    let columns = evidence::Columns::new(&searcher);
    let mut left_out = HashMap::new();
    let mut found = if request.by_date {
        newest(&searcher, &stats, all.as_ref(), wanted).map_err(tantivy_err)?
    } else {
        let diverse = searcher
            .search_with_statistics_provider(
                all.as_ref(),
                &TopDiverse::new(&columns, wanted, request.per_doc),
                &stats,
            )
            .map_err(tantivy_err)?;
        left_out = diverse.left_out;
        diverse.found
    };
    let mut exhausted = found.len() < wanted;
    // The evidence asks each part about the candidates: built to be sought into.
    let part_queries: Vec<Box<dyn Query>> =
        split.parts.iter().map(|p| ctx.build_seekable(p)).collect();
    let n_parts = part_queries.len().max(1);
    // The passages holding the whole query come first whatever else is found: only when they
    // are too few are passages with some of the parts looked for, and weighed part by part.
    let mut candidates = if part_queries.len() > 1 && found.len() < wanted {
        // Passages with any part, so that neighbourhoods holding every part between several
        // passages, and passages holding most parts, are weighed too.
        let any = split.any_query(&ctx);
        let n = wanted.max(MIN_CANDIDATES);
        let mut seen: HashSet<DocAddress> = found.iter().map(|(_, a)| *a).collect();
        let more = top(any.as_ref(), n)?;
        exhausted = more.len() < n;
        for (score, address) in more {
            if seen.insert(address) {
                found.push((score, address));
            }
        }
        let contiguous = store.meta.contiguous;
        evidence::gather(
            &columns,
            store.fields.document,
            contiguous,
            &found,
            &part_queries,
        )
        .map_err(tantivy_err)?
    } else {
        evidence::holding_all(&columns, &found, n_parts).map_err(tantivy_err)?
    };
    // Parts written `+part` are held by every passage shown, fallback or not: the others are
    // dropped before any more work is spent on them.
    candidates.retain(|c| c.parts & split.required == split.required);
    // Whether the title holds every part, from the title fields' postings (no stored text read).
    let title_queries: Vec<Box<dyn Query>> = split
        .parts
        .iter()
        .map(|p| match in_title(p) {
            Some(title) => ctx.build_seekable(&title),
            None => Box::new(tantivy::query::EmptyQuery),
        })
        .collect();
    let titled = evidence::held_by(&searcher, &candidates, &title_queries).map_err(tantivy_err)?;
    for (c, held) in candidates.iter_mut().zip(titled) {
        if held {
            c.score *= TITLE_HOLDS_ALL;
        }
    }
    // Each candidate's document scored whole, to be fused with the passages' own order (a
    // date order has no use for it).
    if !request.by_date {
        let whole = whole::scores(
            &columns,
            &stats,
            &store.fields,
            &langs,
            all.as_ref(),
            &candidates,
            store.meta.contiguous,
        )
        .map_err(tantivy_err)?;
        for c in &mut candidates {
            c.document_score = whole.get(&c.document).copied().unwrap_or(0.0);
        }
    }
    // The stored text of the best candidates says what the stems cannot (`exact`): which parts
    // stand there in their exact form, and which the stems matched but the words do not hold
    // (a prefix longer than a stem, a phrase's stopword); and how close the parts stand. One
    // analysis of each passage tells where each part matched and what to highlight: the whole
    // query is the last group. A candidate found not to hold a part loses it, and may leave the
    // preview: the next best are read, until the preview is all read.
    let mut groups: Vec<&Node> = if n_parts > 1 {
        split.parts.iter().collect()
    } else {
        Vec::new()
    };
    groups.push(&parsed.root);
    let terms = Terms::of_groups(&groups);
    let mut read: HashMap<DocAddress, (TantivyDocument, Vec<Range<usize>>)> = HashMap::new();
    loop {
        let preview = rank::order(candidates.clone(), n_parts, request.per_doc, limit + 5);
        let unread: Vec<DocAddress> = preview
            .passages
            .iter()
            .map(|(c, _)| c.address)
            .filter(|a| !read.contains_key(a))
            .collect();
        if unread.is_empty() {
            break;
        }
        let mut judged: HashMap<DocAddress, (f32, u64)> = HashMap::new();
        for address in unread {
            let doc: TantivyDocument = searcher.doc(address).map_err(tantivy_err)?;
            let (lang, text) = lang_and_text(&store.fields, &doc);
            let mut spans = terms.ranges_of_each(lang, &text);
            let highlights = spans.pop().unwrap_or_default();
            let mut factor = if n_parts > 1 {
                rank::proximity(&spans)
            } else {
                1.0
            };
            let words = exact::Words::of(&text);
            let mut refuted = 0u64;
            let mut exactly = 0;
            for (i, part) in split.parts.iter().enumerate() {
                let j = exact::judge(part, lang, &words);
                refuted |= u64::from(j.refuted) << i;
                exactly += usize::from(j.exact);
            }
            factor *= 1.0 + EXACT_BOOST * exactly as f32 / n_parts as f32;
            judged.insert(address, (factor, refuted));
            read.insert(address, (doc, highlights));
        }
        for c in &mut candidates {
            if let Some(&(factor, refuted)) = judged.get(&c.address) {
                c.score *= factor;
                c.parts &= !refuted;
            }
        }
        candidates.retain(|c| c.parts != 0 && c.parts & split.required == split.required);
    }
    if request.by_date {
        // Newest first: the date stands in for the score, within the same tiers.
        let dates = evidence::dates(&searcher, &candidates).map_err(tantivy_err)?;
        for (c, date) in candidates.iter_mut().zip(dates) {
            c.score = date.map_or(f32::MIN, |d| d as f32);
        }
    }
    let ordered = rank::order(candidates, n_parts, request.per_doc, limit);
    let mut hits = Vec::with_capacity(ordered.passages.len());
    for (i, (c, more)) in ordered.passages.into_iter().enumerate() {
        let (doc, highlights) = match read.remove(&c.address) {
            Some((doc, highlights)) => (doc, Some(highlights)),
            None => (searcher.doc(c.address).map_err(tantivy_err)?, None),
        };
        let mut h = hit(&store.fields, &terms, highlights, i + 1, c.score, &doc);
        // Passages the collector left out and passages the ordering cut may be the same ones:
        // the larger count is the one known for sure. Counted on the first passage shown.
        h.more_in_document = more.max(left_out.remove(&c.document).unwrap_or(0));
        hits.push(h);
    }
    let mut notes = ctx.notes.into_inner();
    // A fallback that leaves nothing to show is no fallback: what emptied it is said instead.
    let relaxed = ordered.relaxed && !hits.is_empty();
    if ordered.relaxed && hits.is_empty() && split.required != 0 {
        notes.push(
            "no passage has all the words, and every passage shown must hold the words marked `+`: none does"
                .into(),
        );
    }
    let results = Results {
        hits,
        lenient: parsed.lenient,
        relaxed,
        notes,
    };
    Ok((results, exhausted))
}

/// `query` parsed, with the filters given apart from it ANDed to it: what is searched (and
/// counted, see [`count`]).
fn as_searched(query: &str, request: &Request) -> Result<Parsed, SearchError> {
    let mut parsed = query::parse(query)?;
    if !request.filters.is_empty() {
        let mut parts = match parsed.root {
            Node::And(parts) => parts,
            root => vec![root],
        };
        parts.extend(request.filters.iter().cloned());
        parsed.root = Node::And(parts);
    }
    if !has_positive(&parsed.root) {
        return Err(SearchError::Empty);
    }
    Ok(parsed)
}

/// The reader to search `parsed` with. A single word is answered by block-max WAND from a few
/// postings blocks; phrases and several words must score every passage that has them all, on
/// every core.
fn reader_for(store: &Store, parsed: &Parsed) -> Result<tantivy::IndexReader, IndexError> {
    if is_heavy(&parsed.root) {
        store.parallel_reader()
    } else {
        store.reader()
    }
}

/// The `n` newest passages `q` matches (undated ones last).
fn newest(
    searcher: &tantivy::Searcher,
    stats: &stats::ByLanguage,
    q: &dyn Query,
    n: usize,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    let by_date = TopDocs::with_limit(n)
        .order_by_fast_field::<tantivy::DateTime>("date", tantivy::Order::Desc);
    let mut found: Vec<(f32, DocAddress)> = searcher
        .search(q, &by_date)?
        .into_iter()
        .map(|(_, a)| (0.0, a))
        .collect();
    if found.len() < n {
        // Undated passages have no value in the column: the best of them by score follow.
        let seen: HashSet<DocAddress> = found.iter().map(|(_, a)| *a).collect();
        let rest = searcher.search_with_statistics_provider(
            q,
            &TopDocs::with_limit(n).order_by_score(),
            stats,
        )?;
        found.extend(rest.into_iter().filter(|(_, a)| !seen.contains(a)));
        found.truncate(n);
    }
    Ok(found)
}

/// A query split into the parts judged one by one (the words, phrases and groups of a top-level
/// AND; the whole query otherwise), what restricts them (languages, sources, paths, dates,
/// exclusions), and which parts are required (`+part`).
struct Split {
    parts: Vec<Node>,
    filters: Vec<Node>,
    /// Bit i: part i is required.
    required: u64,
}

fn is_filter(node: &Node) -> bool {
    matches!(
        node,
        Node::Lang(_) | Node::Not(_) | Node::Source(_) | Node::Path(_) | Node::Date(_)
    )
}

impl Split {
    fn of(parsed: &Parsed) -> Split {
        let whole = |root: &Node| Split {
            parts: vec![root.clone()],
            filters: Vec::new(),
            required: 0,
        };
        let Node::And(children) = &parsed.root else {
            return whole(&parsed.root);
        };
        let all_stop = children.iter().all(is_stop);
        let (filters, parts): (Vec<Node>, Vec<Node>) = children
            .iter()
            .filter(|c| all_stop || !is_stop(c))
            .cloned()
            .partition(is_filter);
        let parts: Vec<Node> = parts.into_iter().filter(has_positive).take(64).collect();
        if parts.is_empty() {
            return whole(&parsed.root);
        }
        let required = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p, Node::Must(_)))
            .fold(0u64, |bits, (i, _)| bits | 1 << i);
        Split {
            parts,
            filters,
            required,
        }
    }

    /// Passages with at least one part, within the filters.
    fn any_query(&self, ctx: &build::Ctx) -> Box<dyn Query> {
        let any = BooleanQuery::new(
            self.parts
                .iter()
                .map(|p| (Occur::Should, ctx.build(p)))
                .collect(),
        );
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(any))];
        for filter in &self.filters {
            let occur = match filter {
                Node::Not(_) => Occur::MustNot,
                _ => Occur::Must,
            };
            clauses.push((occur, ctx.build(filter)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

fn lang_and_text(f: &Fields, doc: &TantivyDocument) -> (Lang, String) {
    let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str());
    let lang = text_of(f.lang)
        .and_then(|l| l.parse().ok())
        .unwrap_or(Lang::Other);
    (lang, text_of(f.text).unwrap_or_default().to_string())
}

/// A hit from a stored passage; `highlights` if they are known already (else `terms` find them).
fn hit(
    f: &Fields,
    terms: &Terms,
    highlights: Option<Vec<Range<usize>>>,
    rank: usize,
    score: f32,
    doc: &TantivyDocument,
) -> Hit {
    let text_of = |field: Field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let (lang, text) = lang_and_text(f, doc);
    let title = text_of(f.title).unwrap_or_default();
    let passage_line = doc.get_first(f.line).and_then(|v| v.as_u64()).unwrap_or(0);
    let highlights = highlights.unwrap_or_else(|| terms.ranges(lang, &text));
    let lines = LineMap::decode(&text_of(f.lines).unwrap_or_default(), passage_line as usize);
    let (line, column) = lines.locate(&text, highlights.first().map_or(0, |r| r.start));
    let fragment = fragment::fragment(&text, &highlights);
    let date = doc
        .get_first(f.date)
        .and_then(|v| v.as_datetime())
        .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string());
    Hit {
        rank,
        score,
        path: text_of(f.path).unwrap_or_default(),
        title_highlights: terms.ranges(lang, &title),
        highlights,
        title,
        date,
        source: text_of(f.source),
        lang: lang.code().to_string(),
        repairs: text_of(f.repairs)
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default(),
        line: line as u64,
        column: column as u64,
        passage_line,
        page: doc.get_first(f.page).and_then(|v| v.as_u64()),
        url: text_of(f.url),
        text,
        more_in_document: 0,
        fragment,
    }
}

/// Words written like a field (`date:ieri`, `lang:xx`) whose value did not read: the query
/// searched them as words, and the user should know.
fn misread_fields(node: &Node) -> Vec<String> {
    match node {
        Node::Word(w) if query::FIELDS.iter().any(|f| w.starts_with(f)) => vec![w.clone()],
        Node::Not(inner) | Node::Must(inner) => misread_fields(inner),
        Node::And(parts) | Node::Or(parts) => parts.iter().flat_map(misread_fields).collect(),
        _ => Vec::new(),
    }
}

/// The part as it would be found in a title only: its words, each in the title. A prefix (or a
/// filter) says nothing of the title: `None`.
fn in_title(node: &Node) -> Option<Node> {
    match node {
        Node::Word(w) | Node::Title(w) => Some(Node::Title(w.clone())),
        Node::Phrase(p) | Node::Near(p, _) => Some(Node::And(
            p.split_whitespace()
                .map(|w| Node::Word(w.into()))
                .filter(|w| !is_stop(w))
                .filter_map(|w| in_title(&w))
                .collect(),
        )),
        Node::Must(inner) => in_title(inner),
        Node::And(parts) => parts
            .iter()
            .filter(|p| !is_filter(p))
            .map(in_title)
            .collect::<Option<Vec<Node>>>()
            .map(Node::And),
        Node::Or(parts) => {
            let found: Vec<Node> = parts.iter().filter_map(in_title).collect();
            (!found.is_empty()).then_some(Node::Or(found))
        }
        _ => None,
    }
}

/// Whether the query has a phrase, a prefix or several words (anything but a lone word).
fn is_heavy(node: &Node) -> bool {
    match node {
        Node::Word(_) | Node::Title(_) | Node::Not(_) => false,
        Node::Lang(_) | Node::Source(_) | Node::Path(_) | Node::Date(_) => false,
        Node::Phrase(_) | Node::Near(..) | Node::Prefix(_) => true,
        Node::Must(inner) => is_heavy(inner),
        Node::And(parts) | Node::Or(parts) => {
            parts.iter().filter(|p| has_positive(p)).count() > 1 || parts.iter().any(is_heavy)
        }
    }
}

/// Whether the query matches anything by itself (a lone exclusion does not; a filter does).
fn has_positive(node: &Node) -> bool {
    match node {
        Node::Word(w) | Node::Phrase(w) | Node::Near(w, _) | Node::Title(w) | Node::Prefix(w) => {
            !Analyzer::exact().tokens(w).is_empty()
        }
        Node::Lang(_) | Node::Source(_) | Node::Path(_) | Node::Date(_) => true,
        Node::Not(_) => false,
        Node::Must(inner) => has_positive(inner),
        Node::And(parts) | Node::Or(parts) => parts.iter().any(has_positive),
    }
}

/// A word is optional in an AND when it is a stopword in some language and other words remain.
fn is_stop(node: &Node) -> bool {
    let Node::Word(w) = node else { return false };
    let words = Analyzer::exact().tokens(w);
    !words.is_empty()
        && words
            .iter()
            .all(|t| Lang::ALL.into_iter().any(|l| is_stopword(l, &t.text)))
}
