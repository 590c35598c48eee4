//! The embedded demo corpus: short fictional wire stories written for dyad (see demo/corpus).

use dyad_doc::{Document, Source, SourceFormat};

macro_rules! demo {
    ($($name:literal),* $(,)?) => {
        /// `(name, text)` of every demo story, in order.
        pub const CORPUS: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../../demo/corpus/", $name, ".txt")))),*
        ];
    };
}

demo!(
    "01_brazil_argentina_energy",
    "02_kenya_ethiopia_drought_appeal",
    "03_japan_korea_seoul_talks",
    "04_seoul_presses_tokyo_survey_ship",
    "05_india_pakistan_expulsions",
    "06_germany_turkey_ankara_dialogue",
    "07_us_eu_sanction_russian_tankers",
    "08_china_seizes_philippine_boat",
    "09_mexico_us_steel_tariff_call",
    "10_iran_saudi_riyadh_visit",
);

/// The demo stories as documents ready for the pipeline.
pub fn documents() -> Vec<Document> {
    CORPUS
        .iter()
        .map(|(name, text)| {
            let source = Source {
                path: format!("demo:{name}"),
                line: None,
                format: SourceFormat::Text,
            };
            Document::new(*name, source, *text)
        })
        .collect()
}
