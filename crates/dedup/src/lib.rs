//! The dedup stage: one event per real-world event.
//!
//! Inside one document, the same source, target, code and date reported in several sentences
//! (the lead, a quote, the summary paragraph) is one event that lists every mention. The first
//! mention stays the evidence shown; confidence grows with corroboration.
//!
//! Across documents, the store uses the rest of this crate as it stores each document:
//! [`minhash`] finds reprints and syndicated copies (linked to their original, not coded twice),
//! [`across`] decides when events from different outlets are one event, and [`stories`] groups
//! articles about the same developing story.

pub mod across;
pub mod minhash;
pub mod stories;

use std::collections::HashMap;

use dyad_doc::{Document, Event};

/// The identity of an event for merging: source and target codes (country level plus sector),
/// CAMEO code and date.
pub fn event_key(e: &Event) -> String {
    let side = |v: &[dyad_doc::EventActor]| {
        let mut k: Vec<String> = v
            .iter()
            .map(|a| format!("{}/{}", a.code, a.sector))
            .collect();
        k.sort();
        k.dedup();
        k.join("+")
    };
    format!(
        "{}>{}|{}|{}",
        side(&e.actor),
        side(&e.recipient),
        e.cameo,
        e.date.map(|d| d.to_string()).unwrap_or_default()
    )
}

/// Runs the stage on one document: merges its events with the same key, in first-seen order.
pub fn annotate(doc: &mut Document) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut merged: Vec<Event> = Vec::with_capacity(doc.events.len());
    for e in std::mem::take(&mut doc.events) {
        let key = event_key(&e);
        match index.get(&key) {
            Some(&i) => {
                let m = &mut merged[i];
                for mention in e.mentions {
                    if !m.mentions.contains(&mention) {
                        m.mentions.push(mention);
                    }
                }
                m.confidence = (m.confidence.max(e.confidence) + 0.1).min(0.95);
                if m.speaker.is_none() {
                    m.speaker = e.speaker;
                }
            }
            None => {
                index.insert(key, merged.len());
                merged.push(e);
            }
        }
    }
    doc.events = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_doc::{EventActor, EventMention, Span};

    fn ev(src: &str, tgt: &str, code: &str, sentence: usize) -> Event {
        let a = |c: &str| EventActor {
            code: c.into(),
            sector: String::new(),
            entity_text: c.into(),
        };
        Event {
            actor: vec![a(src)],
            recipient: vec![a(tgt)],
            cameo: code.into(),
            plover: "SUPPORT".into(),
            mode: vec![],
            context: vec![],
            date: None,
            date_precision: None,
            date_text: None,
            location: None,
            event_text: "supports".into(),
            mentions: vec![EventMention {
                sentence_index: sentence,
                sentence: Span::new(sentence * 10, sentence * 10 + 5),
                trigger: Span::new(sentence * 10, sentence * 10 + 2),
            }],
            rule: String::new(),
            confidence: 0.5,
            speaker: None,
        }
    }

    #[test]
    fn same_event_in_two_sentences_is_one_event_with_two_mentions() {
        let mut doc = Document {
            events: vec![
                ev("CHN", "CUB", "051", 0),
                ev("USA", "CUB", "051", 1),
                ev("CHN", "CUB", "051", 4),
            ],
            ..Default::default()
        };
        annotate(&mut doc);
        assert_eq!(doc.events.len(), 2);
        assert_eq!(doc.events[0].mentions.len(), 2);
        assert_eq!(doc.events[0].mentions[1].sentence_index, 4);
        assert!((doc.events[0].confidence - 0.6).abs() < 1e-9);
        assert_eq!(doc.events[1].actor[0].code, "USA");
    }
}
