//! What a history walk learned, kept between runs outside the repository (in the user's cache folder):
//! for each commit, the id of the tree at the followed folder. Finding it means reading two or more trees
//! per commit of the whole history, the largest cost of a walk, and the answer can never change, because a
//! commit id names its content. So an entry is never stale; the risks are a file someone else wrote, a damaged
//! file and growth:
//!
//! - each file is signed (HMAC-SHA-256) with this user's key ([`CacheKey`]); a file without a valid signature
//!   (written by someone else, edited, damaged, of another format or for another folder) is not read, and
//!   the next walk replaces it. A claim about a commit's tree cannot be checked without the reads the cache
//!   saves, so the signature is what makes the cache unable to change an answer;
//! - a file holds only the commits of the walk that wrote it, so it stays the size of the history;
//! - files are replaced whole by a rename, so readers never see half a file and concurrent runs are safe;
//!   temporary files an interrupted save left behind are removed by a later save;
//! - a cache that cannot be read or written is no cache: the walk goes on without it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use gix::ObjectId;
use gix::hashtable::HashMap;
use hmac::{KeyInit, Mac};

use crate::repo::cache_config::CacheKey;

/// Names the format; a file of any other is ignored. Change it with the format.
const MAGIC: &[u8; 8] = b"okrwalk2";
/// The folder of this format's files, under the cache folder.
const FOLDER: &str = "walk-v2";
/// The signature's length, at the end of a file.
const SIGNATURE: usize = 32;
/// A temporary file this old was left by a save that was interrupted: no running save takes this long.
const STALE: Duration = Duration::from_secs(60 * 60);

type Signer = hmac::Hmac<sha2::Sha256>;
/// The index standing for "the commit has no such folder".
const ABSENT: u32 = u32::MAX;

/// The walk results for one folder of one repository.
pub struct WalkCache {
    file: PathBuf,
    key: Vec<u8>,
    signing: CacheKey,
    hash: gix::hash::Kind,
    known: HashMap<ObjectId, Option<ObjectId>>,
    rejected: Option<Rejected>,
}

/// Why a cache file that was there was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// Something other than a regular file is in its place (a FIFO would block a read forever).
    NotAFile,
    /// Its signature is not this user's for this content: written by another user or machine, edited,
    /// damaged, or of another format.
    NotSigned,
}

impl WalkCache {
    /// The results kept under `dir` for the folder `tree_path` of the repository whose git folder is
    /// `repository`, signed with `signing`; empty when there are none or they cannot be trusted (see
    /// [`WalkCache::rejected`]).
    pub fn open(
        dir: &Path,
        signing: &CacheKey,
        repository: &Path,
        tree_path: &str,
        hash: gix::hash::Kind,
    ) -> WalkCache {
        let mut key = repository.as_os_str().as_encoded_bytes().to_vec();
        key.push(b'\n');
        key.extend_from_slice(tree_path.as_bytes());
        let file = dir.join(FOLDER).join(file_name(&key));
        let (known, rejected) = match read_regular_file(&file) {
            Read::Missing => (HashMap::default(), None),
            Read::NotAFile => (HashMap::default(), Some(Rejected::NotAFile)),
            Read::Bytes(bytes) => match decode(&bytes, &key, signing, hash) {
                Some(known) => (known, None),
                None => (HashMap::default(), Some(Rejected::NotSigned)),
            },
        };
        WalkCache {
            file,
            key,
            signing: signing.clone(),
            hash,
            known,
            rejected,
        }
    }

    /// Why the file that was there was not read, if one was there and was not read.
    pub fn rejected(&self) -> Option<Rejected> {
        self.rejected
    }

    /// The folder's tree in `commit`: `Some(None)` when the commit has no such folder, `None` when unknown.
    pub fn get(&self, commit: &ObjectId) -> Option<Option<ObjectId>> {
        self.known.get(commit).copied()
    }

    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Replaces the file with `entries` (the commits of one walk), atomically.
    pub fn save(&self, entries: &[(ObjectId, Option<ObjectId>)]) -> std::io::Result<()> {
        replace_whole(
            &self.file,
            &encode(entries, &self.key, &self.signing, self.hash),
        )
    }

    /// Where this cache is kept.
    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// Replaces `file` with `bytes` by a rename, so readers never see half a file; removes what interrupted saves
/// left in its folder. The other caches of okr save through this too.
pub(crate) fn replace_whole(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file
        .parent()
        .ok_or_else(|| std::io::Error::other("a cache file is in a folder"))?;
    std::fs::create_dir_all(dir)?;
    remove_stale_temporaries(dir);
    let mut temporary = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    temporary.write_all(bytes)?;
    temporary.persist(file).map_err(|failed| failed.error)?;
    Ok(())
}

/// The body of a file [`sign`] signed with `signing`: `Ok(None)` when there is no file, `Err` when what is
/// there is not one (not a regular file, or not signed so). Nothing of the body is looked at before its
/// signature is checked.
pub(crate) fn read_signed(file: &Path, signing: &CacheKey) -> Result<Option<Vec<u8>>, Rejected> {
    match read_regular_file(file) {
        Read::Missing => Ok(None),
        Read::NotAFile => Err(Rejected::NotAFile),
        Read::Bytes(mut bytes) => {
            let Some((body, signature)) = bytes.split_last_chunk::<SIGNATURE>() else {
                return Err(Rejected::NotSigned);
            };
            signer(signing)
                .chain_update(body)
                .verify_slice(signature)
                .map_err(|_| Rejected::NotSigned)?;
            bytes.truncate(bytes.len() - SIGNATURE);
            Ok(Some(bytes))
        }
    }
}

/// A file name from the key: a hash, so any repository path and folder name make a short, portable name.
pub(crate) fn file_name(key: &[u8]) -> String {
    let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
    hasher.update(key);
    match hasher.try_finalize() {
        Ok(id) => id.to_string(),
        // Only a deliberate SHA-1 collision is refused; its name just has to differ from the honest one.
        Err(_) => format!("{:08x}", crc32fast::hash(key)),
    }
}

/// The file: magic, hash length, key, the distinct folder trees, then each commit with the index of its
/// folder tree (or [`ABSENT`]), and the HMAC-SHA-256 of all that under `signing`. Integers are
/// little-endian `u32`.
pub fn encode(
    entries: &[(ObjectId, Option<ObjectId>)],
    key: &[u8],
    signing: &CacheKey,
    hash: gix::hash::Kind,
) -> Vec<u8> {
    let mut folders: Vec<ObjectId> = Vec::new();
    let mut index_of: HashMap<ObjectId, u32> = HashMap::default();
    let indexes: Vec<u32> = entries
        .iter()
        .map(|(_, folder)| match folder {
            None => ABSENT,
            Some(folder) => *index_of.entry(*folder).or_insert_with(|| {
                folders.push(*folder);
                (folders.len() - 1) as u32
            }),
        })
        .collect();
    let width = hash.len_in_bytes();
    let mut bytes =
        Vec::with_capacity(64 + key.len() + folders.len() * width + entries.len() * (width + 4));
    bytes.extend_from_slice(MAGIC);
    bytes.push(width as u8);
    put_u32(&mut bytes, key.len());
    bytes.extend_from_slice(key);
    put_u32(&mut bytes, folders.len());
    for folder in &folders {
        bytes.extend_from_slice(folder.as_bytes());
    }
    put_u32(&mut bytes, entries.len());
    for ((commit, _), index) in entries.iter().zip(indexes) {
        bytes.extend_from_slice(commit.as_bytes());
        bytes.extend_from_slice(&index.to_le_bytes());
    }
    sign(bytes, signing)
}

/// `body` with its signature under `signing` appended: the last step of [`encode`], and what a file needs to
/// get past [`decode`]'s first check (fuzzing uses it to reach the rest).
pub fn sign(mut body: Vec<u8>, signing: &CacheKey) -> Vec<u8> {
    let signature = signer(signing).chain_update(&body).finalize().into_bytes();
    body.extend_from_slice(&signature);
    body
}

fn signer(key: &CacheKey) -> Signer {
    Signer::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length")
}

fn put_u32(bytes: &mut Vec<u8>, value: usize) {
    bytes.extend_from_slice(&u32::try_from(value).unwrap_or(u32::MAX).to_le_bytes());
}

/// Reads a file [`encode`] wrote for `key` and signed with `signing`; `None` for anything else. Nothing of
/// the file is read before its signature is checked.
pub fn decode(
    bytes: &[u8],
    key: &[u8],
    signing: &CacheKey,
    hash: gix::hash::Kind,
) -> Option<HashMap<ObjectId, Option<ObjectId>>> {
    let (body, signature) = bytes.split_last_chunk::<SIGNATURE>()?;
    // Compared in constant time, so the check leaks nothing of the right signature.
    signer(signing)
        .chain_update(body)
        .verify_slice(signature)
        .ok()?;
    let width = hash.len_in_bytes();
    let mut input = Input(body);
    if input.take(MAGIC.len())? != MAGIC || usize::from(input.take(1)?[0]) != width {
        return None;
    }
    let key_len = input.u32()? as usize;
    if input.take(key_len)? != key {
        return None;
    }
    let folder_count = input.u32()? as usize;
    let folders = input.take(folder_count.checked_mul(width)?)?;
    let folders: Vec<ObjectId> = folders
        .chunks_exact(width)
        .map(|id| ObjectId::try_from(id).ok())
        .collect::<Option<_>>()?;
    let commit_count = input.u32()? as usize;
    let records = input.take(commit_count.checked_mul(width + 4)?)?;
    if !input.0.is_empty() {
        return None;
    }
    let mut known = HashMap::default();
    known.reserve(commit_count);
    for record in records.chunks_exact(width + 4) {
        let (commit, index) = record.split_at(width);
        let commit = ObjectId::try_from(commit).ok()?;
        let index = u32::from_le_bytes(index.try_into().ok()?);
        let folder = match index {
            ABSENT => None,
            index => Some(*folders.get(index as usize)?),
        };
        known.insert(commit, folder);
    }
    Some(known)
}

/// The unread rest of a file.
struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        if count > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(count);
        self.0 = rest;
        Some(taken)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

/// What is at a cache file's place.
enum Read {
    Missing,
    NotAFile,
    Bytes(Vec<u8>),
}

/// The bytes of `path` if it is a regular file. Anything else someone put in the cache folder (a FIFO, which
/// would block the read forever, a device, a folder, a symbolic link) is no cache.
fn read_regular_file(path: &Path) -> Read {
    match std::fs::symlink_metadata(path) {
        Err(_) => Read::Missing,
        Ok(metadata) if !metadata.file_type().is_file() => Read::NotAFile,
        Ok(_) => std::fs::read(path).map_or(Read::Missing, Read::Bytes),
    }
}

/// Removes the temporary files of saves that were interrupted (a killed process cannot clean up after
/// itself); recent ones may belong to a save running now and are left alone.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().as_encoded_bytes().starts_with(b".tmp-") {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| now.duration_since(modified).is_ok_and(|age| age > STALE));
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(byte: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[byte; 20])
    }

    fn sample() -> Vec<(ObjectId, Option<ObjectId>)> {
        vec![
            (id(1), Some(id(10))),
            (id(2), Some(id(10))),
            (id(3), None),
            (id(4), Some(id(11))),
        ]
    }

    fn users_key() -> CacheKey {
        CacheKey::from_bytes([7; 32])
    }

    fn cache_in(dir: &Path, folder: &str) -> WalkCache {
        cache_signed(dir, folder, &users_key())
    }

    fn cache_signed(dir: &Path, folder: &str, signing: &CacheKey) -> WalkCache {
        WalkCache::open(
            dir,
            signing,
            Path::new("/work/repo/.git"),
            folder,
            gix::hash::Kind::Sha1,
        )
    }

    #[test]
    fn what_one_walk_saved_the_next_reads() {
        let dir = tempfile::tempdir().unwrap();
        let empty = cache_in(dir.path(), "okrs/2026-Q3");
        assert!(empty.is_empty());
        empty.save(&sample()).unwrap();

        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        assert_eq!(cache.len(), 4);
        assert_eq!(cache.get(&id(1)), Some(Some(id(10))));
        assert_eq!(cache.get(&id(3)), Some(None), "a commit without the folder");
        assert_eq!(cache.get(&id(4)), Some(Some(id(11))));
        assert_eq!(cache.get(&id(9)), None, "a commit the walk never saw");
    }

    #[test]
    fn each_folder_and_repository_has_its_own_file() {
        let dir = tempfile::tempdir().unwrap();
        cache_in(dir.path(), "okrs/2026-Q3")
            .save(&sample())
            .unwrap();
        assert!(cache_in(dir.path(), "okrs/2026-Q4").is_empty());
        let other = WalkCache::open(
            dir.path(),
            &users_key(),
            Path::new("/elsewhere/.git"),
            "okrs/2026-Q3",
            gix::hash::Kind::Sha1,
        );
        assert!(other.is_empty());
    }

    #[test]
    fn a_save_replaces_the_file_so_it_holds_only_the_last_walk() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        cache.save(&sample()).unwrap();
        cache.save(&[(id(7), Some(id(12)))]).unwrap();
        let reread = cache_in(dir.path(), "okrs/2026-Q3");
        assert_eq!(reread.len(), 1);
        assert_eq!(reread.get(&id(1)), None);
        let leftovers: Vec<_> = std::fs::read_dir(reread.file().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
    }

    #[test]
    fn a_damaged_file_is_no_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        cache.save(&sample()).unwrap();
        let good = std::fs::read(cache.file()).unwrap();

        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x40;
        let truncated = good[..good.len() - 7].to_vec();
        let mut longer = good.clone();
        longer.push(0);
        for (what, bytes) in [
            ("one bit flipped", flipped),
            ("truncated", truncated),
            ("a byte too many", longer),
            ("empty", Vec::new()),
            ("text", b"not a cache at all\n".to_vec()),
        ] {
            std::fs::write(cache.file(), &bytes).unwrap();
            let reread = cache_in(dir.path(), "okrs/2026-Q3");
            assert!(reread.is_empty(), "{what}");
            assert_eq!(reread.rejected(), Some(Rejected::NotSigned), "{what}");
        }
    }

    #[test]
    fn a_file_signed_with_another_key_is_not_read() {
        // What a shared cache folder or a CI cache filled by a pull request could hold: a well-formed file
        // claiming other trees, signed with a key that is not this user's.
        let dir = tempfile::tempdir().unwrap();
        let crafted = vec![(id(1), Some(id(11))), (id(4), None)];
        cache_signed(dir.path(), "okrs/2026-Q3", &CacheKey::from_bytes([8; 32]))
            .save(&crafted)
            .unwrap();
        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        assert!(cache.is_empty());
        assert_eq!(cache.rejected(), Some(Rejected::NotSigned));
    }

    #[test]
    fn any_change_to_a_signed_file_is_rejected_never_read_as_other_answers() {
        // A property over many changes: flipping, overwriting, inserting or cutting bytes anywhere either
        // leaves the file as it was or gets it rejected; no change is read as a different answer.
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        cache.save(&sample()).unwrap();
        let good = std::fs::read(cache.file()).unwrap();
        let expected = cache_in(dir.path(), "okrs/2026-Q3").known;
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: usize| {
            // xorshift64: repeatable, and enough to spread the changes over the file.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for round in 0..3000 {
            let mut bytes = good.clone();
            let at = next(bytes.len());
            match round % 4 {
                0 => bytes[at] ^= 1 << next(8),
                1 => bytes[at] = next(256) as u8,
                2 => bytes.insert(at, next(256) as u8),
                _ => bytes.truncate(at),
            }
            match decode(&bytes, &cache.key, &users_key(), gix::hash::Kind::Sha1) {
                None => {}
                Some(known) => assert!(
                    bytes == good && known == expected,
                    "round {round}: a changed file was read"
                ),
            }
        }
    }

    #[test]
    fn something_other_than_a_file_in_its_place_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        std::fs::create_dir_all(cache.file()).unwrap();
        let reread = cache_in(dir.path(), "okrs/2026-Q3");
        assert_eq!(reread.rejected(), Some(Rejected::NotAFile));
        assert!(reread.is_empty());
    }

    #[test]
    fn a_save_removes_temporary_files_interrupted_saves_left_but_not_recent_ones() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path(), "okrs/2026-Q3");
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        let old = folder.join(".tmp-interrupted");
        let recent = folder.join(".tmp-running");
        std::fs::write(&old, "half a file").unwrap();
        std::fs::write(&recent, "a save under way").unwrap();
        let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        cache.save(&sample()).unwrap();
        assert!(!old.exists(), "the interrupted save's file is removed");
        assert!(recent.exists(), "a recent one may be a save running now");
        assert_eq!(cache_in(dir.path(), "okrs/2026-Q3").len(), 4);
    }

    #[test]
    fn a_file_written_for_another_folder_is_not_read_for_this_one() {
        // Two keys sharing a file name cannot happen short of a SHA-1 collision; the key inside is checked
        // anyway, so a file copied or renamed by hand is ignored.
        let dir = tempfile::tempdir().unwrap();
        let q3 = cache_in(dir.path(), "okrs/2026-Q3");
        q3.save(&sample()).unwrap();
        let q4 = cache_in(dir.path(), "okrs/2026-Q4");
        std::fs::copy(q3.file(), q4.file()).unwrap();
        let q4_again = cache_in(dir.path(), "okrs/2026-Q4");
        assert!(q4_again.is_empty());
        assert_eq!(q4_again.rejected(), Some(Rejected::NotSigned));
    }

    #[test]
    fn an_unwritable_cache_folder_is_an_error_the_caller_can_ignore() {
        let dir = tempfile::tempdir().unwrap();
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "a file where the cache folder should be").unwrap();
        let cache = cache_in(&blocked, "okrs/2026-Q3");
        assert!(cache.is_empty());
        assert!(cache.save(&sample()).is_err());
    }
}
