//! The command line, as clap derive types. Nothing else in cerca sees clap; `cmd` turns these
//! into calls on the pipeline stages.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// cerca — search a folder of AI-policy news from the command line.
///
/// Index a folder once, then ask it questions: cerca ranks passages (not whole files) and
/// highlights the words that matched, in Italian, English, French, German and Spanish, across
/// inflections (investimento → investimenti), accents typed or not (sovranità / sovranita) and
/// elisions (dell'intelligenza).
#[derive(Debug, Parser)]
#[command(name = "cerca", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  cerca index ~/news                 index a folder (again later: just `cerca index`)
  cerca search sovranità tecnologica  best passages with both words
  cerca search '\"AI Act\" OR \"regolamento europeo\"' -n 5
  cerca search 'investimenti -Stargate lang:it' --json

Exit status: 0 results found (or indexing done), 1 no results, 2 error.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files and folders (text, markdown, HTML, PDF, JSON, RSS/Atom), or update the index.
    ///
    /// With no PATH, re-indexes the folders recorded in the index. With PATHs, adds them to the
    /// recorded ones. Files that changed are re-read, vanished ones removed; a file that cannot
    /// be read is reported and the run goes on. A run is one atomic commit: interrupted at any
    /// moment, the next run finishes the work. A folder that has gone missing (an unmounted
    /// disk) is reported and its documents are kept until it is back or `--forget` drops them.
    Index(IndexArgs),
    /// Search the index and print the best passages.
    ///
    /// Passages with every part of the query come first, then passages of documents that
    /// have every part between their passages, then passages with most parts (stderr says
    /// when no passage has them all); at most --per-doc passages of one document are shown.
    ///
    /// Query language, one example each:
    ///   sovranità tecnologica          every word (inflections, accents optional)
    ///   "intelligenza artificiale"     a phrase
    ///   "garante privacy"~2            a phrase with up to 2 other words in between
    ///   regolament*                    words beginning so (its 200 most frequent words)
    ///   AI Act OR "regolamento UE"     either side
    ///   investimenti -Stargate         without a word (also: NOT Stargate)
    ///   +sanzioni garante dati         a word every passage shown must have
    ///   (chip OR semiconduttori) Europa   grouping
    ///   title:Stargate                 a word in the title
    ///   title:"garante privacy"        a phrase in the title (any field takes a quoted value)
    ///   lang:it                        one language (it, en, fr, de, es)
    ///   source:garanteprivacy.it       one source: a URL's host, or the first folder under a root
    ///   path:garante/*.html            files whose path matches a glob (** crosses folders)
    ///   date:2025-01..2025-06          dated within a range (2025, 2025-03, 2025-03-14, 30d)
    ///
    /// A document with no date is kept unless a date filter (date:, --since, --until) is
    /// given. A query that does not parse is searched as its plain words; stderr says so.
    #[command(verbatim_doc_comment)]
    Search(SearchArgs),
    /// Index, then keep the index up to date as files change, until Ctrl-C.
    ///
    /// Bursts of changes are batched; each batch is one atomic update, like `cerca index`.
    Watch(WatchArgs),
    /// Print the text cerca indexed for a file, as it was read (decoded and repaired).
    ///
    /// PATH is looked up in the index, never read from disk (the file may have changed or be
    /// gone): give it as `cerca search` shows it, relative to the working directory, or
    /// absolute. `PATH:LINE` (or `PATH:LINE:COLUMN`, as search prints it) starts at that line.
    /// Lines are numbered as in the file; lines that were not indexed (markup, blank lines) are
    /// blank. A file holding several documents (JSON Lines, a feed) shows each under its heading;
    /// a PDF shows its pages. Words matching QUERY are highlighted as search highlights them.
    ///
    /// --json prints one object: {"path", "query", "from_line", "documents": [{"doc", "title",
    /// "title_highlights", "date", "source", "lang", "url", "lines": [{"line", "page", "text",
    /// "highlights": [{"start", "end", "text"}]}]}]}, where start and end are UTF-8 byte offsets
    /// into that line's text (the title's, for title_highlights) and only indexed lines are
    /// listed.
    Show(ShowArgs),
    /// Print what the index holds: documents, passages, languages, sources, dates, size, folders.
    ///
    /// --json prints the same as one object.
    Stats(StatsArgs),
    /// Serve the index as a web page and a JSON API on this machine, until Ctrl-C.
    ///
    /// The page (at /) searches as `cerca search` does, with filters and a document view. The
    /// API: GET /api/search?q=QUERY[&n=&per_doc=&since=&until=&lang=&source=&sort=score|date&path=]
    /// (the hits of `search --json`, with count and time taken), GET /api/doc?path=PATH[&q=QUERY]
    /// (what `show --json` prints), GET /api/stats (`stats --json`). Errors are JSON objects
    /// {"error", "status"}: 400 for a bad parameter, 404 for a path not in the index, 503 while
    /// there is no index. Each request sees the index's last commit: no restart after
    /// `cerca index` or while `cerca watch` runs. A busy address exits with status 2.
    Serve(ServeArgs),
    /// Print a shell completion script, e.g. `cerca completions bash > ~/.local/share/bash-completion/completions/cerca`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `cerca man > cerca.1; man ./cerca.1`.
    ///
    /// The page describes every subcommand.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Files or folders to index, added to those already recorded in the index.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexDir,
    /// Start from an empty index instead of updating the existing one. Also recovers a damaged
    /// index (one that cerca made).
    #[arg(long)]
    pub rebuild: bool,
    /// Stop covering a folder given earlier and remove its documents (a folder that has gone
    /// missing keeps its documents until it is back, or forgotten); repeatable.
    #[arg(long, value_name = "PATH")]
    pub forget: Vec<PathBuf>,
    /// Skip files larger than this (bytes, or with K, M, G) [default: 64M; recorded in the index].
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Field name of JSON news records for a role (title, text, date, url, source), tried before
    /// the usual names; repeatable, e.g. --field title=headline --field text=story. Recorded in
    /// the index for later runs.
    #[arg(long, value_name = "ROLE=NAME")]
    pub field: Vec<String>,
    /// If another indexer is updating the index, wait for it instead of exiting.
    #[arg(long)]
    pub wait: bool,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Files or folders to watch, added to those already recorded in the index.
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexDir,
    /// Print each update's summary as one JSON object per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for. Several words may be given without quotes; quote a query that
    /// excludes words: 'investimenti -Stargate'.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexDir,
    /// How many passages to show.
    #[arg(short = 'n', long = "max", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max: u32,
    /// At most this many passages of one document (0: no limit); the others are counted
    /// ("+3 more in this document").
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub per_doc: u32,
    /// Print each matching document's path once, best first (like `rg -l`).
    #[arg(long, conflicts_with_all = ["json", "vimgrep"])]
    pub files: bool,
    /// Print `path:line:column:text` per hit (the matched line), for editors and fzf.
    #[arg(long, conflicts_with = "json")]
    pub vimgrep: bool,
    /// Show whole passages, not the fragment of about 300 characters around the matches.
    #[arg(long)]
    pub full: bool,
    /// Only documents dated on or after DATE: 2025, 2025-03, 2025-03-14, or 30d (the last 30
    /// days). Undated documents are left out by a date filter.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only documents dated on or before DATE (2025 means up to 31 December 2025).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Order: best first (score) or newest first (date; undated last).
    #[arg(long, value_enum, default_value_t = SortBy::Score, value_name = "ORDER")]
    pub sort: SortBy,
    /// Print JSON Lines, one hit per line.
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, clap::Args)]
pub struct IndexDir {
    /// Index folder [default: $CERCA_INDEX, else ./index].
    #[arg(
        long = "index",
        value_name = "DIR",
        env = "CERCA_INDEX",
        hide_env = true
    )]
    pub dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Best first.
    Score,
    /// Newest first.
    Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The file, as search shows it (relative to the working directory) or absolute; with
    /// `:LINE` to start at that line.
    #[arg(value_name = "PATH[:LINE]")]
    pub path: PathBuf,
    /// Words to highlight, in the query language of `cerca search`.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexDir,
    /// Print one JSON object (its shape is described above).
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexDir,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub index: IndexDir,
    /// Address to listen on; the default answers this machine only.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// Open the page in the default browser once listening (xdg-open, or open on macOS).
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for `shell` (clap_complete, from these types).
pub fn write_completions(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut command = <Cli as clap::CommandFactory>::command();
    // clap_complete panics if its writer fails (a closed pipe): it writes to memory instead.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "cerca", &mut script);
    out.write_all(&script)
}

/// Writes cerca's manual page: clap_mangen's page for `cerca`, then a section per subcommand
/// (its synopsis, description and options), so that one page describes everything.
pub fn write_man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut command = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    command.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    // The list of subcommands points at pages of their own (`cerca\-show(1)`); here they are
    // sections of this page.
    for line in String::from_utf8_lossy(&page).lines() {
        let sub = line
            .strip_prefix("cerca\\-")
            .and_then(|l| l.strip_suffix("(1)"));
        match sub {
            Some(name) => writeln!(out, "\\fBcerca {name}\\fR (below)")?,
            None => writeln!(out, "{line}")?,
        }
    }
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("cerca {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        // Each rendering starts with roff's apostrophe preamble (kept once, from the page above)
        // and its own headings: inside this section they become subsections.
        for line in String::from_utf8_lossy(&section).lines() {
            if line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq") {
                continue;
            }
            match line.strip_prefix(".SH ") {
                Some(heading) => writeln!(out, ".SS {heading}")?,
                None => writeln!(out, "{line}")?,
            }
        }
    }
    Ok(())
}
