//! Parser experiments on the dev sets: trains only the parser (on jackknifed tags cached in
//! /tmp, computed once) and prints EWT and GUM dev UAS/LAS with predicted and with gold tags,
//! so a parser change is measured in three minutes rather than a full `dyad train`.
//!
//! ```sh
//! cargo run --release -p dyad-nlp --example parser_dev -- [EPOCHS]
//! ```
//! Reads ../shared/treebanks; the dev sets are tagged by the embedded tagger. Environment:
//! `SEED=N` (the parser's shuffle seed), `EMBEDDED=1` (score the embedded parser, no
//! training), `ERRORS=1` (the relations most often wrong), `TAGONLY=1` (UPOS confusions of the
//! embedded tagger on EWT dev, seen and unseen words), `NOPUNCT=1` (score the parser's own
//! punctuation attachment, without [`dyad_nlp::punct`]).

use std::path::Path;
use std::time::Instant;

use dyad_nlp::conllu::{self, Sentence};
use dyad_nlp::model::{embedded, jackknife_tags, Models, TrainOptions};
use dyad_nlp::parser::{ParseTrainOptions, Parser};
use dyad_nlp::tagger::Tagger;

fn read(p: &str) -> Result<Vec<Sentence>, String> {
    let text = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
    conllu::parse(&text).map_err(|e| format!("{p}: {e}"))
}

fn forms(s: &Sentence) -> Vec<&str> {
    s.words.iter().map(|w| w.form.as_str()).collect()
}

/// Tags each of 5 folds with a tagger trained on the other four, cached on disk.
fn jackknife(train: &[Sentence], full: &Tagger) -> Vec<Vec<u16>> {
    let cache = Path::new("/tmp/dyad-jackknife-tags.txt");
    if let Ok(text) = std::fs::read_to_string(cache) {
        let tags: Vec<Vec<u16>> = text
            .lines()
            .map(|l| l.split(' ').filter_map(|t| t.parse().ok()).collect())
            .collect();
        // A cache from another treebank or tagger would not line up word by word.
        if tags.len() == train.len()
            && tags
                .iter()
                .zip(train)
                .all(|(t, s)| t.len() == s.words.len())
        {
            return tags;
        }
    }
    let out = jackknife_tags(train, full, &TrainOptions::default());
    let text: Vec<String> = out
        .iter()
        .map(|t| {
            t.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let _ = std::fs::write(cache, text.join("\n"));
    out
}

fn score(
    models: &Models,
    parser: &Parser,
    gold: &[Sentence],
    gold_tags: bool,
    errors: &mut std::collections::BTreeMap<String, (usize, usize)>,
) -> (f64, f64, f64) {
    let (mut n, mut u, mut l) = (0usize, 0usize, 0usize);
    let mut secs = 0.0;
    let mut punct_secs = 0.0;
    for s in gold {
        let f = forms(s);
        let tags = if gold_tags {
            s.words
                .iter()
                .map(|w| models.tagger.class_of(&w.upos, &w.xpos))
                .collect()
        } else {
            models.tagger.tag(&f)
        };
        let amb = models.tagger.ambiguity(&f);
        let t = Instant::now();
        let mut arcs = parser.parse(&f, &tags, &amb);
        if std::env::var_os("NOPUNCT").is_none() {
            let t = Instant::now();
            models.reattach_punct(&f, &tags, &mut arcs);
            punct_secs += t.elapsed().as_secs_f64();
        }
        secs += t.elapsed().as_secs_f64();
        for (w, a) in s.words.iter().zip(&arcs) {
            n += 1;
            let g = w.deprel.split(':').next().unwrap_or("");
            if parser.label(a.label) == "dep" {
                errors.entry("(predicted dep)".into()).or_default().1 += 1;
            }
            if a.head == 0 {
                errors.entry("(predicted root)".into()).or_default().1 += 1;
            }
            let e = errors.entry(g.to_string()).or_default();
            e.0 += 1;
            if a.head == w.head {
                u += 1;
                let p = parser.label(a.label);
                if p.split(':').next().unwrap_or("") == g {
                    l += 1;
                    continue;
                }
            }
            e.1 += 1;
        }
    }
    eprintln!(
        "punctuation rule: {:.1}% of parse time",
        100.0 * punct_secs / secs
    );
    (
        100.0 * u as f64 / n as f64,
        100.0 * l as f64 / n as f64,
        n as f64 / secs,
    )
}

fn main() -> Result<(), String> {
    let base = "../shared/treebanks";
    let mut train = read(&format!("{base}/en-ewt/en_ewt-ud-train.conllu"))?;
    train.extend(read(&format!("{base}/en-gum/en_gum-ud-train.conllu"))?);
    let models = embedded()?;
    if std::env::var_os("TAGONLY").is_some() {
        return tag_errors(&train, models);
    }
    let started = Instant::now();
    let tags = jackknife(&train, &models.tagger);
    eprintln!("tags in {:.1}s", started.elapsed().as_secs_f64());
    let ambig: Vec<Vec<u32>> = train
        .iter()
        .map(|s| models.tagger.ambiguity(&forms(s)))
        .collect();
    let mut opts = ParseTrainOptions::default();
    if let Some(e) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        opts.epochs = e;
    }
    let started = Instant::now();
    if let Some(seed) = std::env::var("SEED").ok().and_then(|s| s.parse().ok()) {
        opts.seed = seed;
    }
    let parser = if std::env::var_os("EMBEDDED").is_some() {
        models.parser.clone()
    } else {
        Parser::train(&train, &tags, &ambig, &opts)
    };
    eprintln!("parser trained in {:.1}s", started.elapsed().as_secs_f64());
    let (f, w) = parser.size();
    for dev in ["en-ewt/en_ewt-ud-dev.conllu", "en-gum/en_gum-ud-dev.conllu"] {
        let gold = read(&format!("{base}/{dev}"))?;
        gold_punct(&gold);
        let mut errors = Default::default();
        let (uas, las, tps) = score(models, &parser, &gold, false, &mut errors);
        println!(
            "{dev}\tuas {uas:.2}\tlas {las:.2}\tparse tokens/s {tps:.0}\tfeatures {f} weights {w}"
        );
        let (guas, glas, _) = score(models, &parser, &gold, true, &mut Default::default());
        println!("{dev}\tgold tags: uas {guas:.2}\tlas {glas:.2}");
        if std::env::var_os("ERRORS").is_some() {
            let mut e: Vec<_> = errors.into_iter().collect();
            e.sort_by_key(|(_, (_, wrong))| std::cmp::Reverse(*wrong));
            for (rel, (all, wrong)) in e.iter().take(20) {
                println!("  {rel:10} {wrong:5} wrong of {all:5}");
            }
        }
    }
    Ok(())
}

/// How often the punctuation rule gives a gold tree's own attachment of its marks, each
/// mark first moved to a neighbouring word.
fn gold_punct(gold: &[Sentence]) {
    let (mut n, mut same) = (0, 0);
    let mut wrong: std::collections::BTreeMap<String, usize> = Default::default();
    for s in gold {
        let f = forms(s);
        let punct: Vec<bool> = s
            .words
            .iter()
            .map(|w| w.upos == "PUNCT" && w.deprel == "punct")
            .collect();
        let mut heads: Vec<usize> = s.words.iter().map(|w| w.head).collect();
        for (i, &p) in punct.iter().enumerate() {
            if p {
                heads[i] = if i > 0 { i } else { 2.min(f.len()) };
            }
        }
        dyad_nlp::punct::reattach(&f, &punct, &mut heads);
        for (i, w) in s.words.iter().enumerate() {
            if punct[i] {
                n += 1;
                if heads[i] == w.head {
                    same += 1;
                } else {
                    *wrong.entry(w.form.clone()).or_default() += 1;
                }
            }
        }
    }
    println!("gold punct reproduced {same} of {n}: {wrong:?}");
}

/// UPOS errors on the EWT dev set, split by words seen and unseen in training.
fn tag_errors(train: &[Sentence], models: &Models) -> Result<(), String> {
    let vocab: std::collections::HashSet<String> = train
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.form.to_lowercase()))
        .collect();
    let gold = read("../shared/treebanks/en-ewt/en_ewt-ud-dev.conllu")?;
    let mut conf: std::collections::HashMap<(String, String), usize> = Default::default();
    let (mut seen, mut unseen) = ([0usize; 2], [0usize; 2]);
    for s in &gold {
        let tags = models.tagger.tag(&forms(s));
        for (w, &t) in s.words.iter().zip(&tags) {
            let k = if vocab.contains(&w.form.to_lowercase()) {
                &mut seen
            } else {
                &mut unseen
            };
            k[0] += 1;
            let p = models.tagger.upos(t);
            if p != w.upos {
                k[1] += 1;
                *conf.entry((w.upos.clone(), p.to_string())).or_default() += 1;
            }
        }
    }
    println!("seen {seen:?} unseen {unseen:?}");
    let mut c: Vec<_> = conf.into_iter().collect();
    c.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    for ((g, p), n) in c.iter().take(25) {
        println!("  {g:6} -> {p:6} {n}");
    }
    Ok(())
}
