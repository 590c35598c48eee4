//! Reading CoNLL-U treebanks (Universal Dependencies), for training and evaluation.

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Surface form.
    pub form: String,
    /// Lemma.
    pub lemma: String,
    /// Universal POS tag.
    pub upos: String,
    /// Language-specific (Penn) tag.
    pub xpos: String,
    /// Head (1-based word index; 0 is the root).
    pub head: usize,
    /// Universal dependency relation.
    pub deprel: String,
    /// False when the MISC column says `SpaceAfter=No`.
    pub space_after: bool,
}

/// One CoNLL-U sentence with the comments dyad uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The `# text =` comment.
    pub text: Option<String>,
    /// A `# newdoc` comment precedes the sentence.
    pub new_doc: bool,
    /// A `# newpar` comment precedes the sentence.
    pub new_par: bool,
    /// Syntactic words (multiword-token ranges and empty nodes are skipped).
    pub words: Vec<Word>,
}

/// Parses CoNLL-U text; errors name the line.
pub fn parse(text: &str) -> Result<Vec<Sentence>, String> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim_start();
            if let Some(t) = c.strip_prefix("text =") {
                cur.text = Some(t.trim().to_string());
            } else if c.starts_with("newdoc") {
                cur.new_doc = true;
            } else if c.starts_with("newpar") {
                cur.new_par = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(format!(
                "line {}: expected 10 columns, found {}",
                n + 1,
                cols.len()
            ));
        }
        if cols[0].contains(['-', '.']) {
            continue;
        }
        let head = match cols[6] {
            "_" => 0,
            h => h
                .parse()
                .map_err(|_| format!("line {}: head {h:?} is not a number", n + 1))?,
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head,
            deprel: cols[7].to_string(),
            space_after: !cols[9].split('|').any(|m| m == "SpaceAfter=No"),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// The raw text of a treebank: the sentences' `# text` joined by a space, with a blank line at
/// paragraph and document starts, as the CoNLL 2018 shared task rebuilt its raw input.
pub fn raw_text(sentences: &[Sentence]) -> String {
    let mut raw = String::new();
    for s in sentences {
        if !raw.is_empty() {
            raw.push_str(if s.new_par || s.new_doc { "\n\n" } else { " " });
        }
        match &s.text {
            Some(t) => raw.push_str(t),
            None => {
                for w in &s.words {
                    raw.push_str(&w.form);
                    if w.space_after {
                        raw.push(' ');
                    }
                }
            }
        }
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar id = p1\n# text = I don't.\n1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\tSpaceAfter=No\n3.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n# text = Yes.\n1\tYes\tyes\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n";

    #[test]
    fn reads_words_and_comments() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words.len(), 4);
        assert!(s[0].new_doc && s[0].new_par && !s[1].new_par);
        assert_eq!(s[0].words[2].form, "n't");
        assert!(!s[0].words[2].space_after);
        assert_eq!(s[0].words[3].head, 3);
        assert_eq!(raw_text(&s), "I don't. Yes.");
        assert!(parse("1\tonly\tthree").unwrap_err().starts_with("line 1"));
    }
}
