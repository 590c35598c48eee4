//! WARC input: pages out of a CC-NEWS-style archive, and one error per damaged record with the
//! records around it kept. Every archive here is written by the test itself.

mod support;

use chrono::NaiveDate;
use dyad_doc::{DateSource, Document, SourceFormat};
use dyad_ingest::warc::WarcRecords;
use dyad_ingest::{IngestError, ReadOptions, Reader};
use support::{http, page, record, response_fields, WarcWriter};

fn read(paths: &[&std::path::Path]) -> (Vec<Document>, Vec<IngestError>) {
    read_with(paths, None)
}

fn read_with(
    paths: &[&std::path::Path],
    record_limit: Option<u64>,
) -> (Vec<Document>, Vec<IngestError>) {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut reader = Reader::new(&names, ReadOptions::default());
    if let Some(l) = record_limit {
        reader = reader.max_record_bytes(l);
    }
    let (mut docs, mut errs) = (Vec::new(), Vec::new());
    for r in reader {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
    }
    (docs, errs)
}

/// warcinfo, request, two HTML responses (UTF-8; windows-1252 with its own date), an image
/// response and a metadata record.
fn news_archive() -> WarcWriter {
    let mut w = WarcWriter::default();
    w.warcinfo();
    w.request("https://news.example/a");
    w.html(
        "https://news.example/a",
        "2026-02-06T10:00:02Z",
        "text/html; charset=utf-8",
        page("Ministers meet", "Ruritania's foreign minister met his Freedonian counterpart in Genovia on Thursday. Café talks followed.").as_bytes(),
    );
    let legacy = "<html><head><meta property=\"article:published_time\" content=\"2026-02-04T08:00:00Z\"><title>Talks</title></head><body><p>The caf\u{e9} hosted the talks.</p></body></html>";
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(legacy);
    w.html(
        "<https://news.example/b>",
        "2026-02-06T10:00:03Z",
        "text/html; charset=windows-1252",
        &latin1,
    );
    w.html(
        "https://news.example/logo.jpg",
        "2026-02-06T10:00:04Z",
        "image/jpeg",
        b"\xff\xd8\xff\xe0 not really a jpeg",
    );
    w.raw(record(
        &[
            ("WARC-Type", "metadata"),
            ("WARC-Target-URI", "https://news.example/a"),
            ("Content-Type", "application/warc-fields"),
        ],
        b"fetchTimeMs: 42\r\n",
        None,
    ));
    w
}

#[test]
fn html_responses_become_documents_and_other_records_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("CC-NEWS-test.warc.gz");
    std::fs::write(&path, &news_archive().bytes).unwrap();
    let (docs, errs) = read(&[&path]);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 2);
    let (a, b) = (&docs[0], &docs[1]);
    assert_eq!(a.id, "CC-NEWS-test:3");
    assert_eq!(a.source.format, SourceFormat::Html);
    assert_eq!(a.source.line, Some(3));
    assert_eq!(a.url.as_deref(), Some("https://news.example/a"));
    assert!(a.raw.contains("Café talks"));
    // The fetch date stands in for a page that states none...
    assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 2, 6));
    assert_eq!(a.date_source, Some(DateSource::Metadata));
    // ...and leaves a page's own date to the extract stage.
    assert_eq!(b.url.as_deref(), Some("https://news.example/b"));
    assert_eq!(b.date, None);
    assert!(b.raw.contains("The café hosted"), "{}", b.raw);
}

#[test]
fn plain_warc_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.warc");
    std::fs::write(&path, &news_archive().plain).unwrap();
    let (docs, errs) = read(&[&path]);
    assert!(errs.is_empty(), "{errs:?}");
    let urls: Vec<_> = docs.iter().map(|d| d.url.as_deref().unwrap()).collect();
    assert_eq!(urls, ["https://news.example/a", "https://news.example/b"]);
}

#[test]
fn directories_pick_up_warc_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.warc.gz"), &news_archive().bytes).unwrap();
    std::fs::write(dir.path().join("b.warc"), &news_archive().plain).unwrap();
    std::fs::write(dir.path().join("c.gz"), b"not a warc").unwrap();
    let (docs, errs) = read(&[dir.path()]);
    assert!(errs.is_empty(), "{errs:?}");
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a:3", "a:4", "b:3", "b:4"]);
}

#[test]
fn truncated_gzip_keeps_the_records_before_it() {
    let w = news_archive();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.warc.gz");
    // Cut in the middle of the second page's member (record 4).
    let cut = (w.offsets[3] + w.offsets[4]) / 2;
    std::fs::write(&path, &w.bytes[..cut as usize]).unwrap();
    let (docs, errs) = read(&[&path]);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, "cut:3");
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = errs[0].to_string();
    assert!(
        e.contains(&format!("record 4 (gzip member at byte {})", w.offsets[3])),
        "{e}"
    );
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn broken_records_are_one_error_each_and_reading_resumes() {
    let mut w = WarcWriter::default();
    let date = "2026-02-06T10:00:00Z";
    let good = |n: u32| {
        http(
            "200 OK",
            &[("Content-Type", "text/html")],
            page(&format!("Page {n}"), "A sentence.").as_bytes(),
        )
    };
    w.warcinfo(); // 1
    w.response("https://news.example/1", date, &good(1)); // 2
    w.raw(b"GARBAGE HEADER\r\nno: colon line\r\n\r\nbody\r\n\r\n".to_vec()); // 3
    let block = good(4);
    let fields = response_fields("https://news.example/4", date);
    w.raw(record(&fields, &block, Some("999999"))); // 4: longer than its member
    w.raw(record(&fields, &block, Some("40"))); // 5: shorter than its block
    w.raw(record(&fields, &block, Some("forty"))); // 6: not a number
    let mut no_length = b"WARC/1.0\r\nWARC-Type: response\r\n\r\n".to_vec();
    no_length.extend_from_slice(&block);
    w.raw(no_length); // 7
    w.response("https://news.example/8", date, &good(8)); // 8
    let mut corrupt = support::gzip(&record(&fields, &block, None), flate2::Compression::fast());
    let crc = corrupt.len() - 8;
    corrupt[crc] ^= 0x5a;
    w.offsets.push(w.bytes.len() as u64);
    w.bytes.extend_from_slice(&corrupt); // 9: damaged gzip data (its checksum fails)
    w.response("https://news.example/10", date, &good(10)); // 10
    w.request("https://news.example/11"); // 11
    w.response("https://news.example/12", date, &good(12)); // 12

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.warc.gz");
    std::fs::write(&path, &w.bytes).unwrap();
    let (docs, errs) = read(&[&path]);
    let urls: Vec<_> = docs.iter().map(|d| d.url.clone().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://news.example/1",
            "https://news.example/8",
            "https://news.example/10",
            "https://news.example/12"
        ]
    );
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["broken:2", "broken:8", "broken:10", "broken:12"]);
    let expected: Vec<String> = [3usize, 4, 5, 6, 7, 9]
        .iter()
        .map(|&n| {
            format!(
                "{} record {n} (gzip member at byte {})",
                path.display(),
                w.offsets[n - 1]
            )
        })
        .collect();
    let origins: Vec<_> = errs.iter().map(|e| e.origin.clone()).collect();
    assert_eq!(origins, expected, "{errs:#?}");
    let messages: Vec<_> = errs.iter().map(|e| e.message.as_str()).collect();
    assert!(messages[0].contains("not a WARC record"), "{}", messages[0]);
    assert!(
        messages[1].contains("gzip member ends after"),
        "{}",
        messages[1]
    );
    assert!(messages[2].contains("does not end where its Content-Length says"));
    assert!(messages[3].contains("\"forty\" is not a number"));
    assert!(messages[4].contains("no Content-Length"));
    assert!(messages[5].contains("corrupt gzip data"), "{}", messages[5]);
}

#[test]
fn plain_warc_resynchronises_after_a_wrong_length() {
    let date = "2026-02-06T10:00:00Z";
    let block = |n: u32| {
        http(
            "200 OK",
            &[("Content-Type", "text/html")],
            page(&format!("Page {n}"), "A sentence.").as_bytes(),
        )
    };
    let fields = response_fields("https://news.example/x", date);
    let mut plain = record(&fields, &block(1), None);
    let second_at = plain.len();
    plain.extend(record(&fields, &block(2), Some("30")));
    plain.extend(record(&fields, &block(3), None));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.warc");
    std::fs::write(&path, &plain).unwrap();
    let (docs, errs) = read(&[&path]);
    let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["p:1", "p:3"]);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0]
            .origin
            .ends_with(&format!("record 2 at byte {second_at}")),
        "{}",
        errs[0]
    );
}

#[test]
fn oversized_record_is_skipped_with_an_error() {
    let date = "2026-02-06T10:00:00Z";
    let mut w = WarcWriter::default();
    let big = page("Big", &"word ".repeat(20_000));
    w.html(
        "https://news.example/big",
        date,
        "text/html",
        big.as_bytes(),
    );
    w.html(
        "https://news.example/small",
        date,
        "text/html",
        page("Small", "A sentence.").as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.warc.gz");
    std::fs::write(&path, &w.bytes).unwrap();
    let (docs, errs) = read_with(&[&path], Some(50_000));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].url.as_deref(), Some("https://news.example/small"));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].origin.ends_with("record 1 (gzip member at byte 0)"));
    assert!(
        errs[0].message.contains("over the 50000-byte limit"),
        "{}",
        errs[0]
    );
}

/// A 50 MB record under the default 20 MB limit: skipped without being held in memory.
#[test]
fn fifty_megabyte_record_is_skipped_under_the_default_limit() {
    let date = "2026-02-06T10:00:00Z";
    let mut w = WarcWriter {
        level: Some(flate2::Compression::fast()),
        ..Default::default()
    };
    let body = vec![b'a'; 50 * 1024 * 1024];
    w.html("https://news.example/huge", date, "text/html", &body);
    drop(body);
    w.html(
        "https://news.example/small",
        date,
        "text/html",
        page("Small", "A sentence.").as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.warc.gz");
    std::fs::write(&path, &w.bytes).unwrap();
    let (docs, errs) = read(&[&path]);
    assert_eq!(docs.len(), 1);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].message.contains("over the 20971520-byte limit"),
        "{}",
        errs[0]
    );
}

#[test]
fn records_iterator_gives_every_record_with_its_offset() {
    let w = news_archive();
    let records: Vec<_> = WarcRecords::new(&w.bytes[..], 1 << 20)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let types: Vec<_> = records.iter().map(|r| r.warc_type().unwrap()).collect();
    assert_eq!(
        types,
        ["warcinfo", "request", "response", "response", "response", "metadata"]
    );
    let offsets: Vec<_> = records.iter().map(|r| r.offset).collect();
    assert_eq!(offsets, w.offsets);
    // One member holding the whole file reads the same.
    let whole = support::gzip(&w.plain, flate2::Compression::fast());
    let n = WarcRecords::new(&whole[..], 1 << 20).unwrap().count();
    assert_eq!(n, 6);
}

/// Damage anywhere in one gzip member: no panic, the records before it are kept and reading
/// finds its way to the records after it.
#[test]
fn damage_anywhere_in_a_member_is_survived() {
    let date = "2026-02-06T10:00:00Z";
    let mut w = WarcWriter::default();
    for n in 1..=6 {
        w.html(
            &format!("https://news.example/{n}"),
            date,
            "text/html",
            page(&format!("Page {n}"), "Ministers met on Thursday.").as_bytes(),
        );
    }
    let (from, to) = (w.offsets[2] as usize, w.offsets[3] as usize);
    for at in from..to {
        let mut bytes = w.bytes.clone();
        bytes[at] ^= 0xa5;
        let mut urls = Vec::new();
        let mut errors = 0;
        for r in WarcRecords::new(&bytes[..], 1 << 20).unwrap() {
            match r {
                Ok(r) => urls.push(r.target_uri().unwrap().to_string()),
                Err(_) => errors += 1,
            }
        }
        let mut expected: Vec<String> = [1, 2, 4, 5, 6]
            .iter()
            .map(|n| format!("https://news.example/{n}"))
            .collect();
        if urls.len() == 6 {
            expected.insert(2, "https://news.example/3".into());
        } else {
            assert!(errors >= 1, "byte {at}: damage without an error");
        }
        assert_eq!(urls, expected, "byte {at}");
    }
}

/// A cut at any byte: no panic, every record wholly before the cut is read, and a cut inside a
/// record is one error that ends the file.
#[test]
fn a_cut_anywhere_keeps_the_records_before_it() {
    let w = news_archive();
    for cut in 0..w.bytes.len() {
        let bytes = &w.bytes[..cut];
        let whole = w
            .offsets
            .iter()
            .skip(1)
            .filter(|&&o| o <= cut as u64)
            .count();
        let mut ok = 0;
        let mut errors = Vec::new();
        for r in WarcRecords::new(bytes, 1 << 20).unwrap() {
            match r {
                Ok(_) => ok += 1,
                Err(e) => errors.push(e),
            }
        }
        assert_eq!(ok, whole, "cut at {cut}");
        let at_boundary = w.offsets.contains(&(cut as u64));
        assert_eq!(
            errors.len(),
            usize::from(!at_boundary),
            "cut at {cut}: {errors:?}"
        );
        assert!(errors.iter().all(|e| e.fatal));
    }
    // Random bytes, gzip'd or not, are errors, never a panic.
    let mut seed = 7u64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 56) as u8
        })
        .collect();
    for bytes in [
        noise.clone(),
        support::gzip(&noise, flate2::Compression::fast()),
    ] {
        let results: Vec<_> = WarcRecords::new(&bytes[..], 1 << 20).unwrap().collect();
        assert!(results.iter().all(Result::is_err));
        assert!(!results.is_empty());
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.warc.gz");
    std::fs::write(&empty, b"").unwrap();
    let (docs, errs) = read(&[&empty]);
    assert!(docs.is_empty());
    assert_eq!(errs.len(), 1);
    assert!(errs[0].message.contains("empty file"));
}
