//! Bad input never stops a run and never panics: random bytes under every extension, files over
//! the size limit, odd file names.

mod util;

use std::fs;

use util::Env;

/// xorshift64*: deterministic noise.
struct Noise(u64);

impl Noise {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
            })
            .collect()
    }
}

const EXTENSIONS: &[&str] = &[
    "txt", "md", "html", "htm", "xhtml", "rss", "atom", "xml", "pdf", "json", "jsonl", "ndjson",
];

#[test]
fn random_bytes_under_every_extension_never_stop_the_run() {
    let env = Env::new();
    let mut noise = Noise(0x5EED);
    for ext in EXTENSIONS {
        for (i, len) in [0usize, 1, 17, 300, 5000].into_iter().enumerate() {
            env.write(&format!("junk/{ext}_{i}.{ext}"), noise.bytes(len));
        }
        // text-like noise: printable bytes with markup and JSON punctuation sprinkled in
        let alphabet = b"<>{}[]\":,/ \nabcdefghij%PDF-1.4 obj stream";
        let text: Vec<u8> = noise
            .bytes(3000)
            .into_iter()
            .map(|b| alphabet[usize::from(b) % alphabet.len()])
            .collect();
        env.write(&format!("junk/{ext}_text.{ext}"), text);
    }
    env.write(
        "junk/good.txt",
        "Titolo\n\nUna notizia sul regolamento europeo.\n",
    );
    let r = env.run(&["index", "junk", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let s = r.json();
    assert!(s["added"].as_u64().unwrap() >= 1, "{s}");
    assert_eq!(env.hits("regolamento", 10).len(), 1);
    // a second run over the same junk is just as calm
    let again = env.run(&["index", "--json"]);
    assert_eq!(again.code, 0);
    assert!(!again.stderr.contains("panicked"));
}

#[test]
fn files_over_the_size_limit_are_reported_not_read() {
    let env = Env::new();
    env.write("news/small.txt", "Piccolo\n\nUn testo breve sul Garante.\n");
    env.write(
        "news/big.txt",
        format!("Grande\n\n{}\n", "parola ".repeat(400)),
    );
    // a 1 GiB sparse file: reported from its size alone, never read into memory
    let huge = fs::File::create(env.path("news/huge.txt")).unwrap();
    huge.set_len(1 << 30).unwrap();
    let s = env
        .run(&["index", "news", "--max-file-size", "1K", "--json"])
        .ok()
        .json();
    assert_eq!(s["added"], 1, "{s}");
    let errors = s["errors"].to_string();
    assert!(
        errors.contains("big.txt") && errors.contains("size limit"),
        "{errors}"
    );
    assert!(errors.contains("huge.txt"), "{errors}");
    // the limit is recorded: a later run without the flag keeps it
    let again = env.run(&["index", "--json"]).ok().json();
    assert_eq!(again["errors"].as_array().unwrap().len(), 2, "{again}");
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_indexed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    fs::create_dir_all(env.path("news")).unwrap();
    let name = OsStr::from_bytes(b"caff\xe8.txt");
    fs::write(
        env.path("news").join(name),
        "Caffè\n\nUna notizia sul supercalcolatore.\n",
    )
    .unwrap();
    let s = env.run(&["index", "news", "--json"]).ok().json();
    assert_eq!(s["added"], 1, "{s}");
    let hits = env.hits("supercalcolatore", 10);
    assert_eq!(hits.len(), 1);
    assert!(hits[0]["path"].as_str().unwrap().contains("caff"));
    // and the unchanged file is recognised as such next time
    let again = env.run(&["index", "--json"]).ok().json();
    assert_eq!(again["unchanged"], 1, "{again}");
}
