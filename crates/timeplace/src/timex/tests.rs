use super::*;
use dyad_doc::{DatePrecision, TimexKind};

/// Friday 6 February 2026.
fn anchor() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 2, 6)
}

/// (text, value) of every expression.
fn tv(text: &str) -> Vec<(String, String)> {
    find(text, anchor())
        .into_iter()
        .map(|t| (t.text, t.value))
        .collect()
}

/// The single expression in `text`, as (text, value).
fn one(text: &str) -> (String, String) {
    let all = tv(text);
    assert_eq!(all.len(), 1, "{text:?} -> {all:?}");
    all.into_iter().next().unwrap()
}

fn check(text: &str, span: &str, value: &str) {
    assert_eq!(one(text), (span.to_string(), value.to_string()), "{text:?}");
}

#[test]
fn explicit_dates_in_news_formats() {
    check(
        "Published 2026-02-06 in Havana.",
        "2026-02-06",
        "2026-02-06",
    );
    check("Filed 2026/02/06.", "2026/02/06", "2026-02-06");
    check("The talks ended on Feb. 5.", "Feb. 5", "2026-02-05");
    check("The talks ended on Feb 5th.", "Feb 5th", "2026-02-05");
    check(
        "It was signed on February 5, 2026.",
        "February 5, 2026",
        "2026-02-05",
    );
    check(
        "It was signed on 5 February 2026.",
        "5 February 2026",
        "2026-02-05",
    );
    check(
        "Tuesday, 04 November 2025 was busy.",
        "Tuesday, 04 November 2025",
        "2025-11-04",
    );
    check(
        "The vote came on the 5th of February.",
        "the 5th of February",
        "2026-02-05",
    );
    check("Dated 02/06/2026.", "02/06/2026", "2026-02-06");
    check("Dated 25/12/2025.", "25/12/2025", "2025-12-25");
    check("Elections are due in March 2026.", "March 2026", "2026-03");
    check("The plan dates from 2026.", "2026", "2026");
    check("It was launched in May 2010.", "May 2010", "2010-05");
}

#[test]
fn years_and_counts() {
    check("Sanctions have been in place since 2019.", "2019", "2019");
    check("The goal is to finish by 2030.", "2030", "2030");
    check("The city fell in 1453.", "1453", "1453");
    // Counts and names are not years.
    assert!(tv("They sent 2000 troops.").is_empty());
    assert!(tv("It cost $2019 each.").is_empty());
    assert!(tv("Flight 1549 landed.").is_empty());
    assert!(tv("Turnout was 1950 percent of nothing.").is_empty());
    // Outside 1900-2099 a year needs a cue word.
    assert!(tv("He counted 1453 ballots.").is_empty());
    assert_eq!(
        tv("The 1957-58 season."),
        vec![
            ("1957".to_string(), "1957".to_string()),
            ("58".to_string(), "1958".to_string())
        ]
    );
}

#[test]
fn decades_and_centuries() {
    check("It began in the 1990s.", "the 1990s", "199");
    check("It began in the '80s.", "the '80s", "198");
    check(
        "Since the early 2000s, prices rose.",
        "the early 2000s",
        "200",
    );
    check(
        "In the 20th century, war was common.",
        "the 20th century",
        "19",
    );
    check(
        "A twenty-first century problem.",
        "twenty-first century",
        "20",
    );
}

#[test]
fn weekdays_follow_tense() {
    // Anchor is Friday 2026-02-06.
    check(
        "The minister said on Thursday that talks failed.",
        "Thursday",
        "2026-02-05",
    );
    check(
        "The minister will meet on Thursday.",
        "Thursday",
        "2026-02-12",
    );
    check("He spoke Friday.", "Friday", "2026-02-06");
    check("They met last Thursday.", "last Thursday", "2026-02-05");
    check("They meet next Monday.", "next Monday", "2026-02-09");
    check(
        "Tuesday morning, police arrived.",
        "Tuesday morning",
        "2026-02-03TMO",
    );
}

#[test]
fn day_words() {
    check("The deal was signed today.", "today", "2026-02-06");
    check("Officials met yesterday.", "yesterday", "2026-02-05");
    check("Officials meet tomorrow.", "tomorrow", "2026-02-07");
    check("The summit opens tonight.", "tonight", "2026-02-06TNI");
    check(
        "Police said this morning that...",
        "this morning",
        "2026-02-06TMO",
    );
    check(
        "Shots were heard last night.",
        "last night",
        "2026-02-05TNI",
    );
    check("He spoke earlier today.", "earlier today", "2026-02-06");
    let t = find("Officials met yesterday.", anchor());
    assert_eq!(t[0].kind, TimexKind::Date);
    assert_eq!(t[0].precision, Some(DatePrecision::Day));
    assert_eq!(t[0].date, NaiveDate::from_ymd_opt(2026, 2, 5));
}

#[test]
fn relative_periods() {
    check("Prices rose last week.", "last week", "2026-W05");
    check("Prices will rise next week.", "next week", "2026-W07");
    check("The talks happen this week.", "this week", "2026-W06");
    check(
        "Protests broke out last weekend.",
        "last weekend",
        "2026-W05-WE",
    );
    check("Prices rose last month.", "last month", "2026-01");
    check("Prices will rise next month.", "next month", "2026-03");
    check("Prices rose last year.", "last year", "2025");
    check("The vote is next year.", "next year", "2027");
    check(
        "He resigned earlier this month.",
        "earlier this month",
        "2026-02",
    );
    check("He will resign later this year.", "later this year", "2026");
    check("It happened late last year.", "late last year", "2025");
    check(
        "It happened in early December.",
        "early December",
        "2025-12",
    );
    check("It happened in mid-2019.", "mid-2019", "2019");
    check(
        "By the end of the year, prices rose.",
        "the end of the year",
        "2026",
    );
}

#[test]
fn months_follow_tense() {
    check("Elections were held in March.", "March", "2025-03");
    check("Elections will be held in March.", "March", "2026-03");
    check("It happened in January.", "January", "2026-01");
}

#[test]
fn theresa_may_is_not_a_month() {
    assert!(tv("Theresa May said so.").is_empty());
    check("He was elected in May.", "May", "2025-05");
}

#[test]
fn offsets() {
    check(
        "The attack came two days ago.",
        "two days ago",
        "2026-02-04",
    );
    check("He left four years ago.", "four years ago", "2022");
    check(
        "She arrived three weeks ago.",
        "three weeks ago",
        "2026-W03",
    );
    assert_eq!(
        tv("It was founded in 2019. A year earlier, it had failed."),
        vec![
            ("2019".to_string(), "2019".to_string()),
            ("A year earlier".to_string(), "2018".to_string())
        ]
    );
    check(
        "Three weeks later, they met.",
        "Three weeks later",
        "2026-W09",
    );
    check("He arrived years ago.", "years ago", "PAST_REF");
}

#[test]
fn durations() {
    check(
        "Prices rose for the past two years.",
        "the past two years",
        "P2Y",
    );
    check("The siege lasted for three days.", "three days", "P3D");
    check("A twenty-five year lease.", "twenty-five year", "P25Y");
    check("A five-year plan.", "five-year", "P5Y");
    check("It took several days.", "several days", "PXD");
    check("It took a decade.", "a decade", "P10Y");
    check("It took almost seven years.", "almost seven years", "P7Y");
    check(
        "Over the past several months, prices rose.",
        "the past several months",
        "PXM",
    );
    check("In recent weeks, prices rose.", "recent weeks", "PXW");
    check(
        "It lasted two and a half years.",
        "two and a half years",
        "P2.5Y",
    );
    check("It lasted 90 days.", "90 days", "P90D");
    check("It lasted 24 hours.", "24 hours", "PT24H");
    check("They fought for years.", "years", "PXY");
    assert!(tv("A 12-year-old boy.").is_empty());
    assert!(tv("The boy is five years old.").is_empty());
}

#[test]
fn quarters_and_seasons() {
    check(
        "Profits rose in the first quarter.",
        "the first quarter",
        "2026-Q1",
    );
    check(
        "Profits fell in the fourth quarter.",
        "the fourth quarter",
        "2025-Q4",
    );
    check("Profits rose in Q3 2025.", "Q3 2025", "2025-Q3");
    check(
        "Profits rose in the third quarter of this year.",
        "the third quarter of this year",
        "2026-Q3",
    );
    check("Talks failed last summer.", "last summer", "2025-SU");
    check("Talks resume next spring.", "next spring", "2026-SP");
    check("It happened in summer 2019.", "summer 2019", "2019-SU");
    assert!(tv("The fall of Saigon.").is_empty());
}

#[test]
fn times_of_day() {
    check("Published at 3:48 PM.", "3:48 PM", "2026-02-06T15:48");
    check("Lunch is at noon.", "noon", "2026-02-06T12:00");
    check("It starts at 8 p.m.", "8 p.m.", "2026-02-06T20:00");
    check(
        "Kickoff 15:00 GMT Saturday.",
        "15:00 GMT Saturday",
        "2026-01-31T15:00",
    );
    check(
        "Tuesday, 04 November 2025 3:48 PM",
        "Tuesday, 04 November 2025 3:48 PM",
        "2025-11-04T15:48",
    );
    let t = find("Published at 3:48 PM.", anchor());
    assert_eq!(t[0].kind, TimexKind::Time);
}

#[test]
fn references() {
    check("Talks are now stalled.", "now", "PRESENT_REF");
    check("He is currently in Havana.", "currently", "PRESENT_REF");
    check("He recently visited.", "recently", "PAST_REF");
    check("As in the past, talks failed.", "the past", "PAST_REF");
    check(
        "In the future, talks may resume.",
        "the future",
        "FUTURE_REF",
    );
    assert!(tv("The former minister spoke.").is_empty());
}

#[test]
fn sets() {
    check("The paper is published daily.", "daily", "P1D");
    check("They meet every week.", "every week", "P1W");
    check("They meet twice a year.", "twice a year", "P1Y");
    check("They meet every Monday.", "every Monday", "XXXX-WXX-1");
    check("It runs every two years.", "every two years", "P2Y");
    let t = find("They meet every week.", anchor());
    assert_eq!(t[0].kind, TimexKind::Set);
    assert!(tv("The Daily Mail reported.").is_empty());
}

#[test]
fn ranges_are_two_dates() {
    assert_eq!(
        tv("The festival runs from March to May."),
        vec![
            ("March".to_string(), "2026-03".to_string()),
            ("May".to_string(), "2026-05".to_string())
        ]
    );
    assert_eq!(
        tv("The 2019-2021 drought."),
        vec![
            ("2019".to_string(), "2019".to_string()),
            ("2021".to_string(), "2021".to_string())
        ]
    );
}

#[test]
fn no_anchor_gives_unknown_forms() {
    let v: Vec<String> = find("On Thursday, in March, on Feb. 5, today.", None)
        .into_iter()
        .map(|t| t.value)
        .collect();
    assert_eq!(v, ["XXXX-WXX-4", "XXXX-03", "XXXX-02-05", "XXXX-XX-XX"]);
}

#[test]
fn bad_input_does_not_panic() {
    // Impossible calendar dates give no day value.
    for text in [
        "It happened on 31 February 2026.",
        "It happened on February 30.",
        "Dated 2026-02-31.",
        "Dated 13/13/2026.",
        "Dated 2026-13-01.",
    ] {
        let t = find(text, anchor());
        assert!(
            t.iter()
                .all(|t| !t.value.ends_with("-31") && !t.value.ends_with("-30")),
            "{text}: {t:?}"
        );
        assert!(t.iter().all(|t| !t.value.contains("-13")), "{text}: {t:?}");
    }
    // Far years are not years; huge counts do not overflow.
    assert!(tv("In 9999 and 0100.").is_empty());
    let t = tv("It happened 999999 years ago and 4294967295 days ago.");
    assert!(t.iter().all(|(_, v)| v == "PAST_REF"), "{t:?}");
    let t = find(
        "Some 900000 centuries later, in the 99th century.",
        anchor(),
    );
    assert!(t.len() <= 2, "{t:?}");
    // Odd anchors at the calendar's edge.
    for a in [NaiveDate::MIN, NaiveDate::MAX] {
        let _ = find(
            "Last year, next week, two days ago, Thursday, in March, the 1990s.",
            Some(a),
        );
    }
    // Junk, unicode and empty text.
    for text in [
        "",
        "\u{0}\u{feff}",
        "’’’'''---///:::",
        "Ёлка 2026年2月6日 ٢٠٢٦",
        "3:",
        "a.m.",
        "the",
    ] {
        let _ = find(text, anchor());
    }
}

#[test]
fn large_input_is_linear_and_spans_are_ordered() {
    let para =
        "On Thursday, the minister said prices rose 3% last year and will fall in March 2026, \
                two days ago.\n";
    let text = para.repeat(2000);
    let t = find(&text, anchor());
    assert_eq!(t.len(), 2000 * 4);
    for w in t.windows(2) {
        assert!(w[0].span.end <= w[1].span.start);
    }
    for x in &t {
        assert_eq!(&text[x.span.start..x.span.end], x.text);
    }
    // One long line without breaks.
    let long = "Thursday ".repeat(20_000);
    assert_eq!(find(&long, anchor()).len(), 20_000);
}

#[test]
fn annotate_without_a_parse_falls_back_on_words() {
    let mut doc = Document::new("d", dyad_doc::Source::default(), "");
    doc.text = "The minister will travel to Havana on Thursday.\nThe minister travelled to Havana on Thursday.\n".into();
    doc.date = anchor();
    annotate(&mut doc);
    let v: Vec<&str> = doc.times.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(v, ["2026-02-12", "2026-02-05"]);
}

#[test]
fn new_english_rules() {
    assert_eq!(tv("It could take between 12 and 18 months.").len(), 2);
    assert_eq!(
        tv("It could take 12 to 18 months."),
        vec![
            ("12".to_string(), "P12M".to_string()),
            ("18 months".to_string(), "P18M".to_string())
        ]
    );
    check("He finished in 3:07:35.", "3:07:35", "PT3H7M35S");
    check(
        "The launch is at 16:08 UTC.",
        "16:08 UTC",
        "2026-02-06T16:08Z",
    );
    check("Shares rose six straight days.", "six straight days", "P6D");
    check("It took weeks to decide.", "weeks", "PXW");
    check("Minutes before the vote, he left.", "Minutes", "PTXM");
    check("Over the years, prices rose.", "the years", "PXY");
    check(
        "Markets will stay closed until Friday.",
        "Friday",
        "2026-02-06",
    );
    check(
        "Prices will rise over the next decade.",
        "the next decade",
        "P10Y",
    );
    assert_eq!(
        tv("Eight years from now."),
        vec![
            ("Eight years".to_string(), "P8Y".to_string()),
            ("now".to_string(), "PRESENT_REF".to_string())
        ]
    );
}

#[test]
fn spans_and_cues_from_real_news() {
    check("During the 40-minute call, he spoke.", "40-minute", "PT40M");
    assert!(tv("Sign up for the day's news.").is_empty());
    // The dateline's dash ends the search for a tense cue.
    check(
        "BEIJING, Feb 5 - China said it opposed the move.",
        "Feb 5",
        "2026-02-05",
    );
    check(
        "The tariff could take effect on April 15.",
        "April 15",
        "2026-04-15",
    );
}
