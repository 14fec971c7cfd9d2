//! Walking the roots: every regular file under them, once, in directory order (sorting would
//! cost a tenth of a no-change run; the summary sorts its errors instead). Symbolic links are
//! followed (walkdir detects loops and reports them instead of looping); hidden entries and the
//! index's own folder are left out — its folder below a root, or its own files when the index
//! lives in the root itself.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One step of the walk: a file to read, or a path that could not be visited.
pub enum Walked {
    File(PathBuf),
    Error { path: PathBuf, error: String },
}

/// Walks `roots`, skipping `exclude` (the index folder) wherever it appears.
pub fn walk<'a>(
    roots: &'a [PathBuf],
    exclude: Option<&'a Path>,
) -> impl Iterator<Item = Walked> + 'a {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    roots.iter().flat_map(move |root| {
        let exclude = exclude.clone();
        // An index kept in the very folder it indexes: the folder is walked, the index's own
        // record (`meta.json`; its other files are hidden or of no kind cerca reads) is not.
        let root_is_index = exclude.is_some() && root.canonicalize().ok() == exclude;
        WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(move |e| {
                let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
                let excluded = e.depth() > 0
                    && e.file_type().is_dir()
                    && exclude
                        .as_ref()
                        .is_some_and(|x| e.path().canonicalize().is_ok_and(|p| &p == x));
                let own = root_is_index && e.depth() == 1 && e.file_name() == "meta.json";
                !hidden && !excluded && !own
            })
            .filter_map(|entry| match entry {
                Ok(e) if e.file_type().is_file() => Some(Walked::File(e.into_path())),
                Ok(_) => None,
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                    let error = if err.loop_ancestor().is_some() {
                        "symbolic link loop, not followed".to_string()
                    } else {
                        err.io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string())
                    };
                    Some(Walked::Error { path, error })
                }
            })
    })
}
