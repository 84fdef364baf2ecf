//! The built-in dictionaries: `simple` (lower-cases every word) and the Snowball
//! stemmers (`english_stem`, ...: lower-case, drop stop words, stem), as the
//! `dictinitoption` of each `pg_ts_dict` row configures them.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tusk_catalog::text_search::TsDict;
use tusk_types::{Error, Result, SqlState};

/// PostgreSQL's `english.stop` (share/tsearch_data).
fn english_stop_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("data/english.stop")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// The value of `key = 'value'` in a `dictinitoption` string.
fn option<'a>(options: &'a str, key: &str) -> Option<&'a str> {
    options.split(',').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('\''))
    })
}

fn algorithm(language: &str) -> Option<Algorithm> {
    Some(match language {
        "arabic" => Algorithm::Arabic,
        "danish" => Algorithm::Danish,
        "dutch" => Algorithm::Dutch,
        "english" => Algorithm::English,
        "finnish" => Algorithm::Finnish,
        "french" => Algorithm::French,
        "german" => Algorithm::German,
        "greek" => Algorithm::Greek,
        "hungarian" => Algorithm::Hungarian,
        "italian" => Algorithm::Italian,
        "norwegian" => Algorithm::Norwegian,
        "portuguese" => Algorithm::Portuguese,
        "romanian" => Algorithm::Romanian,
        "russian" => Algorithm::Russian,
        "spanish" => Algorithm::Spanish,
        "swedish" => Algorithm::Swedish,
        "tamil" => Algorithm::Tamil,
        "turkish" => Algorithm::Turkish,
        _ => return None,
    })
}

fn unsupported(dict: &TsDict) -> Error {
    Error::new(
        SqlState::FEATURE_NOT_SUPPORTED,
        format!(
            "text search dictionary \"{}\" is not supported yet",
            dict.name
        ),
    )
}

/// `ts_lexize`: the lexemes `dict` makes of `word`; `Some(vec![])` for a stop word,
/// `None` when the dictionary does not know the word (the next one is asked).
///
/// Errors: 0A000 for dictionaries tusk cannot run (ispell, synonym, thesaurus, and
/// Snowball languages without a stemmer or stop list here).
pub(crate) fn lexize(dict: &TsDict, word: &str) -> Result<Option<Vec<String>>> {
    let lower = word.to_lowercase();
    match dict.template.as_str() {
        "simple" => {
            if dict.options.is_some() {
                return Err(unsupported(dict));
            }
            Ok(Some(vec![lower]))
        }
        "snowball" => {
            let options = dict.options.as_deref().unwrap_or("");
            let language = option(options, "language").unwrap_or("");
            let algorithm = algorithm(language).ok_or_else(|| unsupported(dict))?;
            let stop = match option(options, "stopwords") {
                None => None,
                Some("english") => Some(english_stop_words()),
                Some(_) => return Err(unsupported(dict)),
            };
            if word.len() > 1000 {
                return Ok(Some(vec![lower]));
            }
            if lower.is_empty() || stop.is_some_and(|s| s.contains(lower.as_str())) {
                return Ok(Some(Vec::new()));
            }
            Ok(Some(vec![Stemmer::create(algorithm)
                .stem(&lower)
                .into_owned()]))
        }
        _ => Err(unsupported(dict)),
    }
}
