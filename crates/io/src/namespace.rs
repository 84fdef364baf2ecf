//! The directory tree of the in-memory file systems: file names mapped to file objects, and
//! the set of directories. Shared by [`crate::MemVfs`] and [`crate::FaultVfs`] (which keeps two:
//! the live tree and the tree as last made durable by directory fsyncs).
//!
//! Invariants: every file's and directory's parent is in `dirs`; the roots `/` and the empty
//! path (for relative names) always exist.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use crate::{not_found, os_error, parent_of};

const EEXIST: i32 = 17;
const ENOTDIR: i32 = 20;
const EISDIR: i32 = 21;
const ENOTEMPTY: i32 = 39;

/// Names to file objects `T` plus the directory set.
#[derive(Clone, Debug)]
pub(crate) struct Namespace<T: Clone> {
    pub(crate) files: BTreeMap<PathBuf, T>,
    pub(crate) dirs: BTreeSet<PathBuf>,
}

impl<T: Clone> Namespace<T> {
    /// A tree holding only the roots.
    pub(crate) fn new() -> Namespace<T> {
        let mut dirs = BTreeSet::new();
        dirs.insert(PathBuf::from("/"));
        dirs.insert(PathBuf::new());
        Namespace {
            files: BTreeMap::new(),
            dirs,
        }
    }

    /// The file at `path`, `ENOENT`/`EISDIR` otherwise.
    pub(crate) fn file(&self, path: &Path) -> io::Result<&T> {
        match self.files.get(path) {
            Some(file) => Ok(file),
            None if self.dirs.contains(path) => Err(os_error(EISDIR)),
            None => Err(not_found()),
        }
    }

    /// Checks that a new entry may be created at `path`: its parent directory exists and no
    /// directory has this name.
    pub(crate) fn check_creatable(&self, path: &Path) -> io::Result<()> {
        if self.dirs.contains(path) {
            return Err(os_error(EISDIR));
        }
        let parent = parent_of(path);
        if !self.dirs.contains(&parent) {
            return Err(if self.files.contains_key(&parent) {
                os_error(ENOTDIR)
            } else {
                not_found()
            });
        }
        Ok(())
    }

    /// Removes the file name `path`, returning its object.
    pub(crate) fn remove_file(&mut self, path: &Path) -> io::Result<T> {
        self.file(path)?;
        Ok(self.files.remove(path).expect("checked just above"))
    }

    /// Renames the file `from` to `to`, replacing any file at `to`.
    pub(crate) fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.file(from)?;
        self.check_creatable(to)?;
        let file = self.files.remove(from).expect("checked just above");
        self.files.insert(to.to_path_buf(), file);
        Ok(())
    }

    /// Creates `path` and its missing ancestors.
    pub(crate) fn create_dir_all(&mut self, path: &Path) -> io::Result<()> {
        let mut missing = Vec::new();
        let mut at = Some(path);
        while let Some(dir) = at {
            if self.dirs.contains(dir) {
                break;
            }
            if self.files.contains_key(dir) {
                return Err(os_error(if dir == path { EEXIST } else { ENOTDIR }));
            }
            missing.push(dir.to_path_buf());
            at = dir.parent();
        }
        self.dirs.extend(missing);
        Ok(())
    }

    /// Removes the empty directory `path`.
    pub(crate) fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        if !self.read_dir(path)?.is_empty() {
            return Err(os_error(ENOTEMPTY));
        }
        self.dirs.remove(path);
        Ok(())
    }

    /// The direct children (files and directories) of directory `path`, sorted.
    pub(crate) fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        if !self.dirs.contains(path) {
            return Err(if self.files.contains_key(path) {
                os_error(ENOTDIR)
            } else {
                not_found()
            });
        }
        let mut names: Vec<PathBuf> = self
            .files
            .keys()
            .chain(self.dirs.iter())
            .filter(|p| p.parent() == Some(path) && p.as_os_str() != path.as_os_str())
            .cloned()
            .collect();
        names.sort();
        Ok(names)
    }

    /// True if a file or directory is named `path`.
    pub(crate) fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(path) || self.dirs.contains(path)
    }

    /// Checks that directory `path` exists (for `sync_dir`).
    pub(crate) fn check_dir(&self, path: &Path) -> io::Result<()> {
        self.read_dir(path).map(|_| ())
    }
}
