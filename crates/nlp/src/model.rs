//! The trained English models (tagger, lemmatizer, parser) as one bundle: training from
//! treebanks, files on disk, the copy embedded in the binary, and analysis of a sentence.

use std::path::Path;
use std::sync::OnceLock;

use crate::conllu::Sentence;
use crate::lemma::Lemmatizer;
use crate::parser::{Arc, ParseTrainOptions, Parser};
use crate::tagger::{TagTrainOptions, Tagger};

/// File names of the three models inside a model directory.
pub const TAGGER_FILE: &str = "en-tagger.bin";
/// Lemmatizer file name.
pub const LEMMA_FILE: &str = "en-lemma.bin";
/// Parser file name.
pub const PARSER_FILE: &str = "en-parser.bin";

/// The tagger, lemmatizer and parser that the nlp stage runs.
#[derive(Clone)]
pub struct Models {
    /// Part-of-speech tagger.
    pub tagger: Tagger,
    /// Lemmatizer.
    pub lemmatizer: Lemmatizer,
    /// Dependency parser.
    pub parser: Parser,
}

/// What the models say of one word.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Tag class (see [`Models::upos`] and [`Models::xpos`]).
    pub tag: u16,
    /// Lemma.
    pub lemma: String,
    /// Head and relation.
    pub arc: Arc,
}

/// Settings for `dyad train`.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Tagger settings.
    pub tagger: TagTrainOptions,
    /// Parser settings.
    pub parser: ParseTrainOptions,
    /// The parser trains on tags predicted by taggers that did not see the sentence (this many
    /// folds), so it learns from the tagger's real errors; 0 or 1 trains on gold tags.
    pub jackknife: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            tagger: TagTrainOptions::default(),
            parser: ParseTrainOptions::default(),
            jackknife: 5,
        }
    }
}

impl Models {
    /// Trains all three models on treebank sentences; `log` hears about progress.
    pub fn train(sentences: &[Sentence], opts: &TrainOptions, log: &mut dyn FnMut(&str)) -> Self {
        log(&format!("tagger: {} sentences", sentences.len()));
        let tagger = Tagger::train(sentences, &opts.tagger);
        log("lemmatizer");
        let lemmatizer = Lemmatizer::train(sentences.iter().flat_map(|s| {
            s.words.iter().map(|w| {
                (
                    w.form.as_str(),
                    w.upos.as_str(),
                    w.xpos.as_str(),
                    w.lemma.as_str(),
                )
            })
        }));
        let tags = if opts.jackknife > 1 {
            log(&format!("jackknifed tags: {} folds", opts.jackknife));
            jackknife_tags(sentences, &tagger, opts)
        } else {
            gold_tags(sentences, &tagger)
        };
        let ambig: Vec<Vec<u32>> = sentences
            .iter()
            .map(|s| {
                let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                tagger.ambiguity(&forms)
            })
            .collect();
        log("parser");
        let parser = Parser::train(sentences, &tags, &ambig, &opts.parser);
        Models {
            tagger,
            lemmatizer,
            parser,
        }
    }

    /// Analyses one sentence given as its tokens' forms.
    pub fn analyze(&self, forms: &[&str]) -> Vec<Analysis> {
        let tags = self.tagger.tag(forms);
        let mut arcs = self
            .parser
            .parse(forms, &tags, &self.tagger.ambiguity(forms));
        self.reattach_punct(forms, &tags, &mut arcs);
        forms
            .iter()
            .zip(tags.iter().zip(arcs))
            .map(|(form, (&tag, arc))| Analysis {
                tag,
                lemma: self.lemmatizer.lemmatize(
                    form,
                    self.tagger.upos(tag),
                    self.tagger.xpos(tag),
                ),
                arc,
            })
            .collect()
    }

    /// Moves the marks tagged PUNCT and parsed as `punct` to where UD's rule puts them
    /// ([`crate::punct`]).
    pub fn reattach_punct(&self, forms: &[&str], tags: &[u16], arcs: &mut [Arc]) {
        let punct: Vec<bool> = tags
            .iter()
            .zip(arcs.iter())
            .map(|(&t, a)| self.tagger.upos(t) == "PUNCT" && self.parser.label(a.label) == "punct")
            .collect();
        let mut heads: Vec<usize> = arcs.iter().map(|a| a.head).collect();
        crate::punct::reattach(forms, &punct, &mut heads);
        for (a, h) in arcs.iter_mut().zip(heads) {
            a.head = h;
        }
    }

    /// UPOS of a tag class.
    pub fn upos(&self, tag: u16) -> &str {
        self.tagger.upos(tag)
    }

    /// Penn XPOS of a tag class.
    pub fn xpos(&self, tag: u16) -> &str {
        self.tagger.xpos(tag)
    }

    /// Name of a dependency relation.
    pub fn deprel(&self, label: u16) -> &str {
        self.parser.label(label)
    }

    /// Writes the three model files into `dir`.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join(TAGGER_FILE), self.tagger.to_bytes())?;
        std::fs::write(dir.join(LEMMA_FILE), self.lemmatizer.to_bytes())?;
        std::fs::write(dir.join(PARSER_FILE), self.parser.to_bytes())?;
        Ok(())
    }

    /// Reads the three model files from `dir`.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))
        };
        Self::from_bytes(&read(TAGGER_FILE)?, &read(LEMMA_FILE)?, &read(PARSER_FILE)?)
    }

    /// Reads the models from their serialized bytes.
    pub fn from_bytes(tagger: &[u8], lemma: &[u8], parser: &[u8]) -> Result<Self, String> {
        let tagger = Tagger::from_bytes(tagger).map_err(|e| format!("{TAGGER_FILE}: {e}"))?;
        let lemmatizer = Lemmatizer::from_bytes(lemma).map_err(|e| format!("{LEMMA_FILE}: {e}"))?;
        let parser = Parser::from_bytes(parser).map_err(|e| format!("{PARSER_FILE}: {e}"))?;
        Ok(Models {
            tagger,
            lemmatizer,
            parser,
        })
    }
}

fn gold_tags(sentences: &[Sentence], tagger: &Tagger) -> Vec<Vec<u16>> {
    sentences
        .iter()
        .map(|s| {
            s.words
                .iter()
                .map(|w| tagger.class_of(&w.upos, &w.xpos))
                .collect()
        })
        .collect()
}

/// Tags each fold (`opts.jackknife` of them) with a tagger trained on the other folds, in the
/// classes of `full`: the tags a parser should train on.
pub fn jackknife_tags(sentences: &[Sentence], full: &Tagger, opts: &TrainOptions) -> Vec<Vec<u16>> {
    use rayon::prelude::*;
    let k = opts.jackknife;
    let folds: Vec<Vec<(usize, Vec<u16>)>> = (0..k)
        .into_par_iter()
        .map(|fold| {
            let train: Vec<Sentence> = sentences
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != fold)
                .map(|(_, s)| s.clone())
                .collect();
            let tagger = Tagger::train(&train, &opts.tagger);
            sentences
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k == fold)
                .map(|(i, s)| {
                    let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                    // Fold taggers may number tags differently: map through the names.
                    let tags = tagger
                        .tag(&forms)
                        .into_iter()
                        .map(|t| full.class_of(tagger.upos(t), tagger.xpos(t)))
                        .collect();
                    (i, tags)
                })
                .collect()
        })
        .collect();
    let mut out = vec![Vec::new(); sentences.len()];
    for (i, tags) in folds.into_iter().flatten() {
        out[i] = tags;
    }
    out
}

static EMBEDDED: OnceLock<Result<Models, String>> = OnceLock::new();

/// The models compiled into the binary (see `dyad train`), read once on first use.
pub fn embedded() -> Result<&'static Models, &'static str> {
    EMBEDDED
        .get_or_init(|| {
            Models::from_bytes(
                include_bytes!("../model/en-tagger.bin"),
                include_bytes!("../model/en-lemma.bin"),
                include_bytes!("../model/en-parser.bin"),
            )
        })
        .as_ref()
        .map_err(String::as_str)
}
