//! Cross-document deduplication end to end: fictional wire stories from three outlets ingested
//! into one store. A syndicated reprint is linked to its original and not coded again; two
//! outlets' reports of one meeting become one event with two sources; an unrelated story stays
//! apart.

use std::path::Path;
use std::process::Command;

use dyad_export::EventRecord;
use dyad_store::{Store, StoryQuery};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/crossdoc/reports.jsonl"
);

fn ingest(db: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["ingest", FIXTURE, "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn events(store: &Store) -> Vec<EventRecord> {
    store.events(&Default::default()).unwrap()
}

fn codes(r: &EventRecord) -> String {
    let side = |v: &[dyad_doc::EventActor]| {
        v.iter()
            .map(|a| a.code.as_str())
            .collect::<Vec<_>>()
            .join("+")
    };
    format!("{}>{} {}", side(&r.actor), side(&r.recipient), r.cameo.code)
}

#[test]
fn reprints_are_linked_and_reports_of_one_meeting_merge() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let summary = ingest(&db);
    assert!(
        summary.contains("(1 of them reprints"),
        "summary: {summary}"
    );
    let store = Store::open(&db).unwrap();
    let all = events(&store);
    // Nothing from the reprint is stored as an event or a report.
    assert!(all.iter().all(|r| r.doc_id != "daily-example-7"));
    assert!(all
        .iter()
        .flat_map(|r| &r.reports)
        .all(|p| p.doc_id != "daily-example-7"));

    // Norway meets Chile: one event per direction, reported by Nordic Wire and the Andes Post.
    let meetings: Vec<&EventRecord> = all.iter().filter(|r| codes(r) == "NOR>CHL 040").collect();
    assert_eq!(
        meetings.len(),
        1,
        "{:#?}",
        all.iter().map(codes).collect::<Vec<_>>()
    );
    let m = meetings[0];
    assert_eq!(m.doc_id, "nordic-wire-1");
    assert_eq!(m.reports.len(), 1);
    assert_eq!(m.reports[0].doc_id, "andes-post-3");
    assert_eq!(m.reports[0].date.as_deref(), Some("2026-03-11"));
    assert!(m.reports[0]
        .sentence
        .contains("met Norwegian Foreign Minister"));
    assert_eq!((m.num_articles(), m.num_sources()), (2, 2));
    assert_eq!(all.iter().filter(|r| codes(r) == "CHL>NOR 040").count(), 1);
    // The report's own event id names the merged event.
    let alias = &m.reports[0].event_id;
    assert_eq!(
        store.resolve_event_id(alias).unwrap().as_deref(),
        Some(m.id.as_str())
    );
    assert_eq!(store.resolve_event_id("no-such-event").unwrap(), None);

    // The Peruvian protest is its own event, reported once.
    let protest = all.iter().find(|r| r.doc_id == "andes-post-4").unwrap();
    assert!(protest.reports.is_empty());

    // Stories: the two fisheries articles (and the reprint) are one story, the protest another.
    let stories = store.stories(&StoryQuery::default()).unwrap();
    assert_eq!(stories.len(), 2, "{stories:#?}");
    let fish = store.story_of("nordic-wire-1").unwrap().unwrap();
    assert_eq!(store.story_of("andes-post-3").unwrap(), Some(fish));
    assert_ne!(store.story_of("andes-post-4").unwrap(), Some(fish));
    let (story, docs) = store.story(fish).unwrap().unwrap();
    assert_eq!(story.documents, 3);
    assert_eq!(
        (story.first_date.as_deref(), story.last_date.as_deref()),
        (Some("2026-03-10"), Some("2026-03-11"))
    );
    let copy = docs.iter().find(|d| d.doc_id == "daily-example-7").unwrap();
    assert_eq!(copy.duplicate_of.as_deref(), Some("nordic-wire-1"));
    assert_eq!(store.story(9999).unwrap(), None);

    // Ingesting again changes nothing.
    let before = all.len();
    ingest(&db);
    let store = Store::open(&db).unwrap();
    assert_eq!(events(&store).len(), before);
    assert_eq!(store.stories(&StoryQuery::default()).unwrap().len(), 2);
}

#[test]
fn gdelt_export_counts_every_outlet_and_writes_every_mention() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    ingest(&db);
    let out = dir.path().join("gdelt");
    let status = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["export", "--format", "gdelt", "--store"])
        .arg(&db)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let events = std::fs::read_to_string(out.join("events.tsv")).unwrap();
    let meeting: Vec<&str> = events
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|c| c[5] == "NORGOV" && c[15] == "CHLGOV" && c[26] == "040")
        .unwrap_or_else(|| panic!("no NOR>CHL meeting in\n{events}"))
        .to_vec();
    // NumMentions, NumSources, NumArticles (columns 32-34, 1-based).
    assert_eq!(&meeting[31..34], &["2", "2", "2"]);
    let mentions = std::fs::read_to_string(out.join("mentions.tsv")).unwrap();
    let rows: Vec<&str> = mentions
        .lines()
        .filter(|l| l.starts_with(&format!("{}\t", meeting[0])))
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|l| l.contains("\tAndes Post\t")));
    assert!(rows.iter().any(|l| l.contains("\tNordic Wire\t")));
}

/// The two seed reports of the February 2026 Wang–Rodriguez meeting in Beijing (a Reuters story
/// and another outlet's): the meeting, China's support for Cuba and its opposition to outside
/// interference, told at that meeting, are each one event with two sources.
#[test]
fn the_two_seed_reports_of_the_wang_rodriguez_meeting_merge() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seeds.db");
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .arg("ingest")
        .arg(seeds.join("000_2e5ffbeb46cfaa46.txt"))
        .arg(seeds.join("001_3f50df4c612dd481.txt"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = Store::open(&db).unwrap();
    let all = events(&store);
    let support: Vec<&EventRecord> = all.iter().filter(|r| codes(r) == "CHN>CUB 051").collect();
    assert_eq!(
        support.len(),
        1,
        "{:#?}",
        all.iter().map(codes).collect::<Vec<_>>()
    );
    let s = support[0];
    assert_eq!((s.num_articles(), s.num_sources()), (2, 2));
    let docs: Vec<&str> = std::iter::once(s.doc_id.as_str())
        .chain(s.reports.iter().map(|r| r.doc_id.as_str()))
        .collect();
    assert_eq!(docs, ["000_2e5ffbeb46cfaa46", "001_3f50df4c612dd481"]);
    assert_eq!(all.iter().filter(|r| codes(r) == "CHN> 110").count(), 1);
    // The meeting: one report's "Wang Yi met with his Cuban counterpart ... on Thursday" and
    // the other's "Liu Haixing ... told Rodriguez in a separate meeting on Wednesday" are China
    // meeting Cuba a day apart, one event at country level, in both directions.
    for dir in ["CHN>CUB 040", "CUB>CHN 040"] {
        let m: Vec<&EventRecord> = all.iter().filter(|r| codes(r) == dir).collect();
        assert_eq!(m.len(), 1, "{dir}");
        assert_eq!((m[0].num_articles(), m[0].num_sources()), (2, 2), "{dir}");
    }
    // Both articles are one story.
    assert_eq!(
        store.story_of("000_2e5ffbeb46cfaa46").unwrap(),
        store.story_of("001_3f50df4c612dd481").unwrap()
    );
}
