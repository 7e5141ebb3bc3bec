//! Share links: what the page shows, in the URL fragment, versioned and compressed.
//!
//! A link's fragment is `v4.` followed by base64url (no padding) of a zlib stream (its
//! Adler-32 checksum catches corruption) of a postcard-encoded [`LinkV4`]. The version is
//! read before anything else, so a later format can be recognised and refused in words.
//! Links of formats 1 to 3 still open, exactly as they were made (format 1 with the
//! scheduler order of its time, see `Settings::idle_cores_first`; formats 1 to 3 at 1 ms a
//! tick of a `Duration`).
//! Decoding never panics and says what was wrong; every value read is re-validated as if a
//! person had typed it. Pure and native-tested (including a fuzz test).

use crate::sim::{Policy, Scale, UiSettings};
use crate::view::{Tab, SPEEDS};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use interleave_lang::parser::MAX_SOURCE_BYTES;
use interleave_lang::presets;
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The link format this page writes; it also reads formats 1 and 2.
pub const VERSION: u32 = 4;
/// The longest witness a link may carry, in characters of its text.
const MAX_WITNESS_CHARS: usize = 100_000;
/// Longest fragment accepted. A scenario at the source limit usually compresses to far
/// less; one that does not (random text) gets no link: the page offers the file instead
/// (see `fits_a_link`).
pub const MAX_LINK_CHARS: usize = 120_000;
/// Most bytes a link may expand to (the scenario limit plus room for the settings).
const MAX_EXPANDED_BYTES: usize = MAX_SOURCE_BYTES + 4096;

/// Everything a link reproduces.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub source: String,
    /// The lesson the scenario came from, if it is one we know.
    pub preset: Option<&'static str>,
    pub edited: bool,
    pub settings: UiSettings,
    pub compare: bool,
    pub tick: u64,
    /// Ticks per second.
    pub speed: f64,
    pub tab: Tab,
    pub rust_view: bool,
    /// Predict, then reveal: the outcome and the timeline's future stay hidden until
    /// played or revealed.
    pub predict: bool,
    /// The witness the run follows: (what it reaches in words, its steps as text).
    pub follow: Option<(String, String)>,
}

/// Version 1 on the wire. Never change it: add a `LinkV2` and keep reading this one.
#[derive(Serialize, Deserialize)]
struct LinkV1 {
    source: String,
    preset: String,
    edited: bool,
    cores: u32,
    quantum: u64,
    switch_cost: u64,
    policy: u8,
    seed: u64,
    compare: bool,
    tick: u64,
    speed: f64,
    tab: u8,
    rust_view: bool,
}

/// Version 2 on the wire: version 1, then the scheduler's order and predict mode. Never
/// change it: add a `LinkV3` and keep reading this one.
#[derive(Serialize, Deserialize)]
struct LinkV2 {
    v1: LinkV1,
    /// 1: a slice that ended could be preempted while a core was idle (format 1's runs);
    /// 2: idle cores take waiting threads first.
    scheduler: u8,
    predict: bool,
}

/// Version 3 on the wire: version 2, then the followed witness (empty strings: none).
/// Never change it: add a `LinkV4` and keep reading this one.
#[derive(Serialize, Deserialize)]
struct LinkV3 {
    v2: LinkV2,
    follow_label: String,
    follow_steps: String,
}

/// Version 4 on the wire: version 3, then how long a tick of a `Duration` is (ns).
/// Never change it: add a `LinkV5` and keep reading this one.
#[derive(Serialize, Deserialize)]
struct LinkV4 {
    v3: LinkV3,
    tick_ns: u64,
}

/// Why a link could not be opened, in words a reader of the banner understands.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    /// The fragment is not one of ours at all.
    NotALink,
    /// It stops before its data ends.
    Truncated,
    /// Its data was changed on the way.
    Corrupted(String),
    /// Written by another version of Interleave.
    UnknownVersion(u64),
    /// Bigger than any link this page makes.
    Oversized(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NotALink => write!(
                f,
                "the part of the address after # is not an Interleave share link"
            ),
            LinkError::Truncated => write!(
                f,
                "the link is cut short: its end is missing (copy the whole link and try again)"
            ),
            LinkError::Corrupted(why) => write!(f, "the link is damaged: {why}"),
            LinkError::UnknownVersion(v) if *v > u64::from(VERSION) => write!(
                f,
                "the link was made by a newer version of Interleave (link format {v}; this page reads format {VERSION})"
            ),
            LinkError::UnknownVersion(v) => write!(
                f,
                "the link uses format {v}, which this page does not know (it reads format {VERSION})"
            ),
            LinkError::Oversized(why) => write!(f, "the link is too large: {why}"),
        }
    }
}

fn policy_code(p: Policy) -> u8 {
    match p {
        Policy::RoundRobin => 0,
        Policy::Fifo => 1,
        Policy::Random => 2,
    }
}

/// The fragment (without `#`) that reproduces `shared`.
pub fn encode(shared: &Shared) -> String {
    let s = shared.settings;
    let v1 = LinkV1 {
        source: shared.source.clone(),
        preset: shared.preset.unwrap_or("").to_string(),
        edited: shared.edited,
        cores: s.cores,
        quantum: s.quantum,
        switch_cost: s.switch_cost,
        policy: policy_code(s.policy),
        seed: s.seed,
        compare: shared.compare,
        tick: shared.tick,
        speed: shared.speed,
        tab: match shared.tab {
            Tab::Simulator => 0,
            Tab::RealThreads => 1,
        },
        rust_view: shared.rust_view,
    };
    let (follow_label, follow_steps) = shared.follow.clone().unwrap_or_default();
    let wire = LinkV4 {
        v3: LinkV3 {
            v2: LinkV2 {
                v1,
                scheduler: if s.idle_cores_first { 2 } else { 1 },
                predict: shared.predict,
            },
            follow_label,
            follow_steps,
        },
        tick_ns: s.tick_ns,
    };
    // Serialising plain owned data into a Vec cannot fail.
    let bytes = postcard::to_allocvec(&wire).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 9);
    format!("v{VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The embed snippet's height in CSS pixels.
pub const EMBED_HEIGHT_PX: u32 = 640;

/// The iframe snippet that embeds `url` (an embed-mode link) in another site.
pub fn embed_code(url: &str, title: &str) -> String {
    let attr = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    // The height shows the player, the timeline and the outcome beside the code on a course
    // page's column (tested); `allow` lets "Copy link" inside the frame use the clipboard.
    format!(
        "<iframe src=\"{}\" title=\"Interleave: {}\" width=\"100%\" height=\"{EMBED_HEIGHT_PX}\" \
         allow=\"clipboard-write\" style=\"border: 1px solid #ccc; border-radius: 6px\" loading=\"lazy\"></iframe>",
        attr(url),
        attr(title)
    )
}

/// True when a fragment looks like a share link (so other fragments are left alone).
pub fn is_link(fragment: &str) -> bool {
    let rest = fragment.trim_start_matches('#');
    rest.strip_prefix('v')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether the page may offer `fragment` as a link: one it will open again.
pub fn fits_a_link(fragment: &str) -> bool {
    fragment.len() <= MAX_LINK_CHARS
}

/// The longest saved draft: a scenario at the size limit that compresses badly, encoded.
const MAX_DRAFT_CHARS: usize = 400_000;

/// Reads a fragment (with or without its `#`) back into what it shows.
pub fn decode(fragment: &str) -> Result<Shared, LinkError> {
    decode_within(fragment, MAX_LINK_CHARS)
}

/// Reads a saved draft back: as a link, but as long as a scenario at the size limit may
/// encode to (the page never offers a link that long; a draft must not be lost for it).
pub fn decode_draft(text: &str) -> Result<Shared, LinkError> {
    decode_within(text, MAX_DRAFT_CHARS)
}

fn decode_within(fragment: &str, max_chars: usize) -> Result<Shared, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > max_chars {
        return Err(LinkError::Oversized(format!(
            "{} characters; links made here are at most {MAX_LINK_CHARS}",
            fragment.len()
        )));
    }
    let rest = fragment.strip_prefix('v').ok_or(LinkError::NotALink)?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return Err(LinkError::NotALink);
    }
    let version: u64 = rest[..digits].parse().unwrap_or(u64::MAX);
    let data = match rest[digits..].strip_prefix('.') {
        Some(data) => data,
        None if rest.len() == digits => return Err(LinkError::Truncated),
        None => return Err(LinkError::NotALink),
    };
    if !(1..=u64::from(VERSION)).contains(&version) {
        return Err(LinkError::UnknownVersion(version));
    }
    if data.is_empty() {
        return Err(LinkError::Truncated);
    }
    let packed = URL_SAFE_NO_PAD.decode(data).map_err(|e| match e {
        base64::DecodeError::InvalidByte(at, byte) => LinkError::Corrupted(format!(
            "character {:?} at position {} cannot appear in a link",
            char::from(byte),
            at + 1 + digits + 2
        )),
        _ => LinkError::Truncated,
    })?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_EXPANDED_BYTES)
            .map_err(|e| match e.status {
                TINFLStatus::HasMoreOutput => LinkError::Oversized(format!(
                    "it expands to more than {} KiB",
                    MAX_EXPANDED_BYTES / 1024
                )),
                TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                    LinkError::Truncated
                }
                TINFLStatus::Adler32Mismatch => {
                    LinkError::Corrupted("its checksum does not match its contents".into())
                }
                _ => LinkError::Corrupted("its compressed data is not valid".into()),
            })?;
    let malformed = |_| LinkError::Corrupted("the state inside it is malformed".into());
    // Links made before the tick could be set: 1 ms a tick.
    let v4 = |v3| LinkV4 {
        v3,
        tick_ns: Scale::default().nanos(),
    };
    let later = |v2| {
        v4(LinkV3 {
            v2,
            follow_label: String::new(),
            follow_steps: String::new(),
        })
    };
    let (wire, extra) = match version {
        1 => {
            let (v1, extra): (LinkV1, &[u8]) =
                postcard::take_from_bytes(&bytes).map_err(malformed)?;
            let v2 = LinkV2 {
                v1,
                scheduler: 1,
                predict: false,
            };
            (later(v2), extra)
        }
        2 => {
            let (v2, extra) = postcard::take_from_bytes::<LinkV2>(&bytes).map_err(malformed)?;
            (later(v2), extra)
        }
        3 => {
            let (v3, extra) = postcard::take_from_bytes::<LinkV3>(&bytes).map_err(malformed)?;
            (v4(v3), extra)
        }
        _ => postcard::take_from_bytes::<LinkV4>(&bytes).map_err(malformed)?,
    };
    if !extra.is_empty() {
        return Err(LinkError::Corrupted(
            "it carries data after the state".into(),
        ));
    }
    validate(wire)
}

/// Values from a link are untrusted input: checked like anything a person types.
fn validate(v4: LinkV4) -> Result<Shared, LinkError> {
    let Some(scale) = Scale::from_nanos(v4.tick_ns) else {
        return Err(LinkError::Corrupted(format!(
            "a tick of {} ns is not one the page offers",
            v4.tick_ns
        )));
    };
    let v3 = v4.v3;
    let follow = if v3.follow_steps.is_empty() {
        None
    } else {
        if v3.follow_steps.len() > MAX_WITNESS_CHARS || v3.follow_label.len() > 1000 {
            return Err(LinkError::Oversized(format!(
                "its witness is longer than {MAX_WITNESS_CHARS} characters"
            )));
        }
        interleave_core::explore::parse_schedule(&v3.follow_steps).map_err(|e| {
            LinkError::Corrupted(format!("its witness is not a list of steps ({e})"))
        })?;
        Some((v3.follow_label, v3.follow_steps))
    };
    let wire = v3.v2;
    let idle_cores_first = match wire.scheduler {
        1 => false,
        2 => true,
        n => {
            return Err(LinkError::Corrupted(format!(
                "scheduler order {n} does not exist"
            )))
        }
    };
    let w = wire.v1;
    if w.source.len() > MAX_SOURCE_BYTES {
        return Err(LinkError::Oversized(format!(
            "its scenario is {} bytes; the limit is {MAX_SOURCE_BYTES}",
            w.source.len()
        )));
    }
    let policy = match w.policy {
        0 => Policy::RoundRobin,
        1 => Policy::Fifo,
        2 => Policy::Random,
        n => {
            return Err(LinkError::Corrupted(format!(
                "scheduling policy {n} does not exist"
            )))
        }
    };
    let tab = match w.tab {
        0 => Tab::Simulator,
        1 => Tab::RealThreads,
        n => return Err(LinkError::Corrupted(format!("view {n} does not exist"))),
    };
    let settings = UiSettings {
        cores: w.cores,
        quantum: w.quantum,
        switch_cost: w.switch_cost,
        policy,
        seed: w.seed,
        idle_cores_first,
        tick_ns: scale.nanos(),
    }
    .clamped();
    let speed = if w.speed.is_finite() { w.speed } else { 10.0 };
    Ok(Shared {
        source: w.source,
        preset: presets::find(&w.preset).map(|p| p.name),
        edited: w.edited,
        settings,
        compare: w.compare,
        tick: w.tick,
        speed: speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]),
        tab,
        rust_view: w.rust_view,
        predict: wire.predict,
        follow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use interleave_core::rng::Rng;

    fn sample() -> Shared {
        Shared {
            source: presets::body(presets::find("lost-update").unwrap().source).to_string(),
            preset: Some("lost-update"),
            edited: true,
            settings: UiSettings {
                cores: 4,
                quantum: 2,
                switch_cost: 0,
                policy: Policy::Random,
                seed: 424_242,
                idle_cores_first: true,
                tick_ns: 100_000,
            },
            compare: true,
            tick: 17,
            speed: 25.0,
            tab: Tab::Simulator,
            rust_view: true,
            predict: true,
            follow: Some((
                "COUNTER = 4 · panics".into(),
                "M*3 T1*5 T2*4 T1 M T2*2 M".into(),
            )),
        }
    }

    #[test]
    fn a_link_round_trips_exactly_and_stays_short() {
        let s = sample();
        let link = encode(&s);
        assert!(link.starts_with("v4."), "{link}");
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "only characters that survive in a URL: {link}"
        );
        // Compression pays on the longest lesson: its link is shorter than its text.
        let longest = presets::all()
            .iter()
            .map(|p| presets::body(p.source))
            .max_by_key(|b| b.len())
            .unwrap();
        let long_link = encode(&Shared {
            source: longest.into(),
            ..s.clone()
        });
        assert!(
            long_link.len() < longest.len(),
            "{} chars for {} bytes",
            long_link.len(),
            longest.len()
        );
        assert_eq!(decode(&link), Ok(s.clone()));
        assert_eq!(decode(&format!("#{link}")), Ok(s));
    }

    #[test]
    fn the_embed_code_is_one_safe_iframe() {
        let code = embed_code("https://x.org/i/?embed=1#v1.ab", "Locks \"&\" <b>");
        assert!(code.starts_with("<iframe src=\"https://x.org/i/?embed=1#v1.ab\""));
        assert!(code.contains("title=\"Interleave: Locks &quot;&amp;&quot; &lt;b>\""));
        assert!(
            code.contains(" allow=\"clipboard-write\" "),
            "Copy link works inside"
        );
        assert!(code.ends_with("></iframe>"));
        assert_eq!(code.matches('<').count(), 2);
    }

    /// Links already handed out (the example course page's) must keep opening.
    #[test]
    fn the_documented_links_still_open() {
        let page = include_str!("../../../docs/embed-example.html");
        let links: Vec<&str> = page
            .split("#v1.")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(links.len(), 2);
        for l in links {
            let s = decode(&format!("v1.{l}")).unwrap();
            assert!(s.preset.is_some());
            assert!(
                !s.settings.idle_cores_first && !s.predict,
                "a format-1 link replays with the scheduler of its time"
            );
        }
    }

    /// The documented deadlock link, re-encoded: wasm must give the same characters
    /// (`tests/wasm.rs` checks this constant in the browser).
    #[test]
    fn a_format_1_link_re_encodes_the_same_natively_as_in_wasm() {
        let page = include_str!("../../../docs/embed-example.html");
        let v1 = page
            .split("#v1.")
            .nth(2)
            .and_then(|r| r.split('"').next())
            .unwrap();
        let shared = decode(&format!("v1.{v1}")).unwrap();
        assert_eq!(encode(&shared), "v4.eNp9kEEOgjAQRavGxHCKWbgomhA1xgWKUfceokBRBAopJZgYdl7JvUezRTAqhNn9zsu8nz4GqSDCd2BvwjET9LrxV8stWO9gmozmeKavtYo6dFOaxyCknsA63DSQE1IBUSaASHZvhLETYN3IWM5JgiWvkDzmAV5UoeZtyR_a-QmBqQXzKthVKEo390_nprzjWKu8o2yXPCI--3GH8k6akJxh9SdfEv5ZlIXrjXGJ1YU_JW8-F9rIpcRVDVF_0EMIDVE54x1CKj7v1gsnE3zq");
        // The same link as format 3 wrote it (before the tick could be set) still opens,
        // at 1 ms a tick.
        assert_eq!(decode("v3.eNp9kNEKgjAUhlcRhE9xLrqYBVIRXVhGet9DTJ1l6pQ5MQgfq_drM41K8dz9Ox_n-9lzkgsiQg9sE86FoPdDuNsewXoH02S0xCt9rzWUM0xpAYOYBgLr8NBATkwFJIUAIlnbiFMvwrpRsJKTDEteIWXKI7xpQsu7knf6-QWBpQXrJrhNqGo3Dy_XrnzgWK98oOyQPCEh-3HH8k6ekZJh9SdfEv5Z1IXbjXFL1YU_Je8-V9rMp8RXDdF4MkIITVE98xNCKr4AsTV7aQ"), Ok(shared));
    }

    #[test]
    fn every_preset_round_trips() {
        for p in presets::all() {
            let s = Shared {
                source: presets::body(p.source).to_string(),
                preset: Some(p.name),
                edited: false,
                settings: UiSettings::from_core(&p.settings),
                compare: false,
                tick: 0,
                speed: 10.0,
                tab: Tab::Simulator,
                rust_view: false,
                predict: p.name.len() % 2 == 0,
                follow: None,
            };
            assert_eq!(decode(&encode(&s)), Ok(s), "{}", p.name);
        }
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        let link = encode(&sample());
        let cut = &link[..link.len() / 2];
        assert_eq!(decode(cut), Err(LinkError::Truncated));
        assert_eq!(decode("v1"), Err(LinkError::Truncated));
        assert_eq!(decode("v1."), Err(LinkError::Truncated));
        assert_eq!(decode("hello"), Err(LinkError::NotALink));
        assert_eq!(decode("v5.AAAA"), Err(LinkError::UnknownVersion(5)));
        assert!(decode("v5.AAAA")
            .unwrap_err()
            .to_string()
            .contains("newer version"));
        let mut bad = link.clone().into_bytes();
        bad[10] = b'*';
        let err = decode(std::str::from_utf8(&bad).unwrap()).unwrap_err();
        assert!(
            matches!(&err, LinkError::Corrupted(m) if m.contains("'*' at position 11")),
            "{err}"
        );
        let huge = format!("v3.{}", "A".repeat(MAX_LINK_CHARS));
        assert!(matches!(decode(&huge), Err(LinkError::Oversized(_))));
    }

    #[test]
    fn a_changed_character_is_caught_by_the_checksum_or_the_decoder() {
        let link = encode(&sample());
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        // Every position from the data's start, replaced by a different valid character.
        for at in 3..link.len() - 1 {
            let mut b = link.clone().into_bytes();
            b[at] = alphabet[(alphabet.iter().position(|&c| c == b[at]).unwrap() + 7) % 64];
            let r = decode(std::str::from_utf8(&b).unwrap());
            assert!(r.is_err(), "a change at {at} went unnoticed");
        }
    }

    #[test]
    fn a_bomb_is_refused_without_expanding_it() {
        let zeros = vec![0u8; 10 * 1024 * 1024];
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9);
        let link = format!("v3.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(link.len() < MAX_LINK_CHARS);
        let err = decode(&link).unwrap_err();
        assert!(
            matches!(err, LinkError::Oversized(ref m) if m.contains("KiB")),
            "{err}"
        );
    }

    #[test]
    fn absurd_settings_in_a_link_are_clamped_like_typed_ones() {
        let wire = LinkV1 {
            source: "fn main() {}".into(),
            preset: "no-such-lesson".into(),
            edited: true,
            cores: 1_000_000,
            quantum: 0,
            switch_cost: u64::MAX,
            policy: 0,
            seed: 1,
            compare: false,
            tick: u64::MAX,
            speed: f64::NAN,
            tab: 0,
            rust_view: false,
        };
        let packed =
            miniz_oxide::deflate::compress_to_vec_zlib(&postcard::to_allocvec(&wire).unwrap(), 9);
        let s = decode(&format!("v1.{}", URL_SAFE_NO_PAD.encode(packed))).unwrap();
        assert_eq!(s.settings.cores, crate::sim::UI_MAX_CORES);
        assert_eq!(s.settings.quantum, 1);
        assert_eq!(s.settings.switch_cost, 1000);
        assert_eq!(s.preset, None);
        assert!(s.speed.is_finite());
    }

    /// Fuzz: random strings, random bytes behind a valid header, and random mutations of real
    /// links (flips, cuts, insertions, deletions) never panic. The count is in the note.
    #[test]
    fn the_decoder_survives_fuzzing() {
        const ROUNDS: usize = 40_000;
        let mut rng = Rng::new(7);
        let links: Vec<String> = presets::all()
            .iter()
            .map(|p| {
                encode(&Shared {
                    source: presets::body(p.source).into(),
                    ..sample()
                })
            })
            .collect();
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.#v%";
        let mut opened = 0;
        for round in 0..ROUNDS {
            let pick = |rng: &mut Rng, n: usize| (rng.next_u64() % n.max(1) as u64) as usize;
            let input: Vec<u8> = match round % 4 {
                0 => (0..pick(&mut rng, 200))
                    .map(|_| alphabet[pick(&mut rng, alphabet.len())])
                    .collect(),
                1 => {
                    let raw: Vec<u8> = (0..pick(&mut rng, 300))
                        .map(|_| rng.next_u64() as u8)
                        .collect();
                    let packed = if round % 8 == 1 {
                        miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6)
                    } else {
                        raw
                    };
                    let v = 1 + round % 3;
                    format!("v{v}.{}", URL_SAFE_NO_PAD.encode(packed)).into_bytes()
                }
                _ => {
                    let mut b = links[pick(&mut rng, links.len())].clone().into_bytes();
                    for _ in 0..1 + pick(&mut rng, 3) {
                        let at = pick(&mut rng, b.len());
                        match pick(&mut rng, 4) {
                            0 if at < b.len() => b[at] = alphabet[pick(&mut rng, alphabet.len())],
                            1 => b.truncate(at),
                            2 => b.insert(at, alphabet[pick(&mut rng, alphabet.len())]),
                            3 if at < b.len() => {
                                b.remove(at);
                            }
                            _ => {}
                        }
                    }
                    b
                }
            };
            let text = String::from_utf8_lossy(&input);
            if let Ok(s) = decode(&text) {
                opened += 1;
                assert!(s.settings.cores >= 1 && s.settings.cores <= crate::sim::UI_MAX_CORES);
                assert!(s.source.len() <= MAX_SOURCE_BYTES);
            }
        }
        // Only untouched-looking inputs may open (e.g. a cut exactly at the end).
        assert!(opened < ROUNDS / 100, "{opened} mangled links opened");
    }

    /// A scenario within the size limit whose link would pass the link limit gets no
    /// link (the page offers the file), and its saved draft still reads back whole.
    #[test]
    fn a_link_the_page_would_refuse_is_not_offered_and_the_draft_keeps_it() {
        let mut rng = Rng::new(9);
        let letters = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let noise: String = (0..150_000)
            .map(|i| match i % 61 {
                60 => '\n',
                _ => char::from(letters[rng.below(62) as usize]),
            })
            .collect();
        let s = Shared {
            source: format!("fn main() {{}}\n/*\n{noise}\n*/\n"),
            ..sample()
        };
        assert!(s.source.len() <= MAX_SOURCE_BYTES);
        let link = encode(&s);
        assert!(!fits_a_link(&link), "{} characters", link.len());
        assert!(matches!(decode(&link), Err(LinkError::Oversized(_))));
        assert_eq!(decode_draft(&link), Ok(s));
        assert!(fits_a_link(&encode(&sample())));
    }
}
