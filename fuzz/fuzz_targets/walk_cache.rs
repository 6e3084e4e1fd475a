//! Any bytes as a walk-cache file: the reader must return, never panic or allocate beyond the file, and a
//! file is read only when okr's own signature covers it; what it reads, written again, reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::repo::cache_config::CacheKey;
use okr::repo::walk_cache::{decode, encode, sign};

const FOLDER: &[u8] = b"/work/repo/.git\nokrs/2026-Q3";

fuzz_target!(|data: &[u8]| {
    let key = CacheKey::from_bytes([7; 32]);
    let sha1 = gix::hash::Kind::Sha1;
    // As found in the cache folder: read only if the signature is this key's for the rest of the bytes.
    if decode(data, FOLDER, &key, sha1).is_some() {
        let body = data[..data.len() - 32].to_vec();
        assert_eq!(sign(body, &key), data, "read without okr's signature");
    }
    // Signed, so the parse behind the signature is reached: any body gives an answer or none, and an answer
    // written again reads the same.
    if let Some(known) = decode(&sign(data.to_vec(), &key), FOLDER, &key, sha1) {
        let entries: Vec<_> = known.iter().map(|(c, f)| (*c, *f)).collect();
        let again = decode(&encode(&entries, FOLDER, &key, sha1), FOLDER, &key, sha1);
        assert_eq!(again.as_ref(), Some(&known));
    }
});
