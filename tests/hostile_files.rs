//! Files built to hurt: a FIFO among the files, text and markup whose shape (one endless line,
//! elements nested twenty thousand deep) used to make indexing time grow with the square of the
//! size, a PDF that inflates to gigabytes, documents so short they are only a title. Each is
//! indexed by the real binary next to an ordinary file, which must stay searchable.

mod util;

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use util::{Env, Run};

fn ordinary(env: &Env, dir: &str) {
    env.write(
        &format!("{dir}/ordinario.txt"),
        "Titolo\n\nUna notizia sul supercalcolatore europeo.\n",
    );
}

fn assert_ordinary_found(env: &Env) {
    let hits = env.hits("supercalcolatore", 10);
    assert_eq!(hits.len(), 1, "{hits:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_folder_does_not_hang_the_run() {
    let env = Env::new();
    ordinary(&env, "news");
    let status = Command::new("mkfifo")
        .arg(env.path("news/a.txt"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("a.txt", env.path("news/link.txt")).unwrap();
    let mut child = env
        .cmd(&["index", "news", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let waited = wait_timeout(&mut child, Duration::from_secs(60));
    assert!(waited.is_some(), "cerca index hung on a FIFO");
    let run = util::run_output(child.wait_with_output().unwrap());
    let s = run.ok().json();
    assert_eq!(s["added"], 1, "{s}");
    assert_ordinary_found(&env);
}

fn wait_timeout(child: &mut std::process::Child, limit: Duration) -> Option<()> {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return Some(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    None
}

#[test]
fn one_line_documents_are_found_by_their_title() {
    let env = Env::new();
    env.write("news/nota.txt", "Nota breve sul regolamento\n");
    env.write("news/nota.md", "# Avviso sulla trasparenza\n");
    env.write(
        "news/solo-titolo.html",
        "<html><head><title>Comunicato sul supercalcolo</title></head></html>",
    );
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(
        (s["added"].as_u64(), s["skipped"].as_u64()),
        (Some(3), Some(0)),
        "{s}"
    );
    for (query, path, title) in [
        ("regolamento", "nota.txt", "Nota breve sul regolamento"),
        ("trasparenza", "nota.md", "Avviso sulla trasparenza"),
        (
            "supercalcolo",
            "solo-titolo.html",
            "Comunicato sul supercalcolo",
        ),
    ] {
        let hits = env.hits(query, 10);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
        assert!(
            hits[0]["path"].as_str().unwrap().ends_with(path),
            "{hits:?}"
        );
        assert_eq!(hits[0]["title"], title);
        assert_eq!(hits[0]["text"], title);
        assert_eq!(hits[0]["line"], 1);
    }
}

/// Sentences of news-like Italian, `bytes` long in all.
fn sentences(bytes: usize) -> Vec<String> {
    let words = [
        "il",
        "regolamento",
        "europeo",
        "sull'intelligenza",
        "artificiale",
        "entra",
        "in",
        "vigore",
        "oggi",
        "e",
        "la",
        "commissione",
        "annuncia",
        "nuove",
        "regole",
        "per",
        "imprese",
    ];
    let mut state = 0x2545_F491_u64;
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut s = String::from("Notizia");
        for _ in 0..12 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            s.push(' ');
            s.push_str(words[(state >> 33) as usize % words.len()]);
        }
        s.push('.');
        total += s.len() + 1;
        out.push(s);
    }
    out
}

/// Indexes `hostile` and `flat` (folders of the same size) each into its own index, after a
/// warm-up, and returns the slower hostile run over the flat one.
fn time_ratio(env: &Env, hostile: &str, flat: &str) -> f64 {
    // Every run into an index of its own: a second run into the same one would be a no-op.
    let index = |dir: &str, n: usize| {
        let idx = format!("idx-{hostile}-{dir}-{n}");
        let (run, took) = env.timed(&["index", dir, "--index", &idx, "--json"]);
        run.ok();
        took
    };
    index(flat, 0);
    let (hostile, flat) = (index(hostile, 1), index(flat, 1));
    hostile.as_secs_f64() / flat.as_secs_f64()
}

#[test]
fn a_book_on_one_line_indexes_as_fast_as_in_paragraphs() {
    let env = Env::new();
    let text = sentences(3 << 20);
    env.write("one/libro.txt", text.join(" "));
    let paragraphs: Vec<String> = text.chunks(8).map(|c| c.join(" ")).collect();
    env.write("para/libro.txt", paragraphs.join("\n\n"));
    let ratio = time_ratio(&env, "one", "para");
    assert!(
        ratio < 5.0,
        "one line took {ratio:.1}x the time of paragraphs"
    );
    let hits = env.run(&[
        "search",
        "commissione",
        "--index",
        "idx-one-one-1",
        "--json",
        "-n",
        "3",
        "--per-doc",
        "0",
    ]);
    assert_eq!(hits.ok().json_lines().len(), 3);
}

#[test]
fn deeply_nested_html_indexes_as_fast_as_a_flat_page() {
    let env = Env::new();
    let n = 20_000;
    let page = |body: String| {
        format!("<html><head><title>Pagina</title></head><body>{body}</body></html>")
    };
    let divs = format!("{}{}", "<div>parola ".repeat(n), "</div>".repeat(n));
    let lists = format!("{}{}", "<ul><li>voce ".repeat(n), "</li></ul>".repeat(n));
    let paragraph = "<p>Una notizia sul regolamento europeo per le imprese.</p>\n";
    let flat = paragraph.repeat(divs.len().max(lists.len()) / paragraph.len());
    env.write("divs/a.html", page(divs));
    env.write("lists/a.html", page(lists));
    env.write("flat/a.html", page(flat));
    for nested in ["divs", "lists"] {
        let ratio = time_ratio(&env, nested, "flat");
        assert!(ratio < 5.0, "{nested}: {ratio:.1}x the time of a flat page");
    }
    // The text of the deepest elements is still there.
    let r = env
        .run(&["search", "voce", "--index", "idx-lists-lists-1", "--json"])
        .ok();
    let hits = r.json_lines();
    let words: usize = hits
        .iter()
        .map(|h| h["text"].as_str().unwrap().matches("voce").count())
        .sum();
    assert!(words > 0, "{hits:?}");
}

/// A PDF with one page whose content stream is `zlib` (FlateDecode).
fn pdf_with_content(zlib: &[u8]) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        [
            format!(
                "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                zlib.len()
            )
            .as_bytes(),
            zlib,
            b"\nendstream",
        ]
        .concat(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// A zlib stream of `mib` MiB of spaces, made without compressing them all: one MiB deflated
/// and flushed to a byte boundary refers to nothing before it, so it can be repeated.
fn zlib_bomb(mib: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut deflate = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(1 << 16);
    deflate
        .compress_vec(&vec![b' '; 1 << 20], &mut chunk, FlushCompress::Full)
        .unwrap();
    assert_eq!(deflate.total_in(), 1 << 20);
    let mut out = vec![0x78, 0x01];
    for _ in 0..mib {
        out.extend(&chunk);
    }
    out.extend([0x03, 0x00]); // an empty final block
    // Adler-32 of n bytes all c: a = 1 + n·c, b = n + c·n(n+1)/2 (mod 65521).
    let (n, c) = (u128::from(mib) << 20, u128::from(b' '));
    let a = ((1 + n * c) % 65521) as u64;
    let b = ((n + c * (n * (n + 1) / 2)) % 65521) as u64;
    out.extend(((b << 16 | a) as u32).to_be_bytes());
    out
}

#[test]
fn the_zlib_bomb_is_what_it_says() {
    let bomb = zlib_bomb(3);
    let mut inflated = Vec::new();
    flate2::read::ZlibDecoder::new(&bomb[..]).read_to_end_checked(&mut inflated);
    assert_eq!(inflated.len(), 3 << 20);
    assert!(inflated.iter().all(|&b| b == b' '));
}

trait ReadChecked {
    fn read_to_end_checked(&mut self, out: &mut Vec<u8>);
}

impl<R: std::io::Read> ReadChecked for R {
    fn read_to_end_checked(&mut self, out: &mut Vec<u8>) {
        self.read_to_end(out).expect("a valid zlib stream");
    }
}

#[test]
fn a_pdf_bomb_is_reported_and_the_rest_indexed() {
    let env = Env::new();
    ordinary(&env, "news");
    env.write("news/bomba.pdf", pdf_with_content(&zlib_bomb(64)));
    let r = env.run(&["index", "news", "--max-file-size", "4M", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bomba.pdf: PDF content inflates past 16 MB; not read"),
        "{}",
        r.stderr
    );
    let s = r.json();
    assert_eq!(s["added"], 1, "{s}");
    assert_ordinary_found(&env);
}

/// The bomb that used to abort the process: 4 GiB of spaces in a 4 MB file, indexed under an
/// address-space limit of 3 GB, with the default size limit (so the check inflates 256 MB).
#[cfg(target_os = "linux")]
#[test]
fn a_four_gib_pdf_bomb_does_not_abort_under_a_memory_limit() {
    let env = Env::new();
    ordinary(&env, "news");
    let bomb = pdf_with_content(&zlib_bomb(4096));
    assert!(bomb.len() < 8 << 20, "{}", bomb.len());
    let mut f = std::fs::File::create(env.path("news/bomba.pdf")).unwrap();
    f.write_all(&bomb).unwrap();
    let out = Command::new("prlimit")
        .arg("--as=3221225472")
        .arg(env!("CARGO_BIN_EXE_cerca"))
        .args(["index", "news", "--json"])
        .current_dir(env.dir.path())
        .env_remove("CERCA_INDEX")
        .output();
    let Ok(out) = out else {
        eprintln!("prlimit is not available; skipped");
        return;
    };
    let r: Run = util::run_output(out);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bomba.pdf: PDF content inflates past 256 MB"),
        "{}",
        r.stderr
    );
    assert_ordinary_found(&env);
}
