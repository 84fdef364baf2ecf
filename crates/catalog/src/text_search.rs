//! PostgreSQL 15's built-in text search objects (`pg_ts_config`, `pg_ts_dict`,
//! `pg_ts_parser`, `pg_ts_template`, `pg_ts_config_map`), read from the data tables, for
//! the `regconfig` / `regdictionary` types and the text search functions.
//!
//! Entry point: [`text_search()`].

use std::sync::OnceLock;

use tusk_types::Oid;

use crate::tsv::Table;

/// A text search configuration.
#[derive(Debug, Clone)]
pub struct TsConfig {
    /// OID.
    pub oid: Oid,
    /// `cfgname`.
    pub name: String,
    /// `cfgparser`.
    pub parser: Oid,
    /// Dictionaries per token type (index = token type id), in `mapseqno` order.
    pub map: Vec<Vec<Oid>>,
}

/// A text search dictionary.
#[derive(Debug, Clone)]
pub struct TsDict {
    /// OID.
    pub oid: Oid,
    /// `dictname`.
    pub name: String,
    /// The template's name (`simple`, `snowball`, `synonym`, ...).
    pub template: String,
    /// `dictinitoption` (`language = 'english', stopwords = 'english'`).
    pub options: Option<String>,
}

/// The built-in text search objects.
#[derive(Debug)]
pub struct TextSearch {
    /// Configurations in OID order.
    pub configs: Vec<TsConfig>,
    /// Dictionaries in OID order.
    pub dicts: Vec<TsDict>,
}

impl TextSearch {
    /// The configuration named `name` (in `pg_catalog`).
    pub fn config_by_name(&self, name: &str) -> Option<&TsConfig> {
        self.configs.iter().find(|c| c.name == name)
    }

    /// The configuration with OID `oid`.
    pub fn config(&self, oid: Oid) -> Option<&TsConfig> {
        self.configs.iter().find(|c| c.oid == oid)
    }

    /// The dictionary named `name` (in `pg_catalog`).
    pub fn dict_by_name(&self, name: &str) -> Option<&TsDict> {
        self.dicts.iter().find(|d| d.name == name)
    }

    /// The dictionary with OID `oid`.
    pub fn dict(&self, oid: Oid) -> Option<&TsDict> {
        self.dicts.iter().find(|d| d.oid == oid)
    }
}

fn oid(field: &Option<String>) -> Oid {
    Oid(field
        .as_deref()
        .and_then(|s| s.parse().ok())
        .expect("OID column"))
}

fn load() -> TextSearch {
    let templates = Table::parse(include_str!("../data/pg_ts_template.tsv"));
    let (t_oid, t_name) = (templates.col("oid"), templates.col("tmplname"));
    let dict_table = Table::parse(include_str!("../data/pg_ts_dict.tsv"));
    let dicts = dict_table
        .rows
        .iter()
        .map(|r| {
            let template = oid(&r[dict_table.col("dicttemplate")]);
            TsDict {
                oid: oid(&r[dict_table.col("oid")]),
                name: r[dict_table.col("dictname")].clone().unwrap_or_default(),
                template: templates
                    .rows
                    .iter()
                    .find(|t| oid(&t[t_oid]) == template)
                    .and_then(|t| t[t_name].clone())
                    .unwrap_or_default(),
                options: r[dict_table.col("dictinitoption")].clone(),
            }
        })
        .collect();
    let maps = Table::parse(include_str!("../data/pg_ts_config_map.tsv"));
    let (m_cfg, m_tok, m_dict) = (
        maps.col("mapcfg"),
        maps.col("maptokentype"),
        maps.col("mapdict"),
    );
    let config_table = Table::parse(include_str!("../data/pg_ts_config.tsv"));
    let configs = config_table
        .rows
        .iter()
        .map(|r| {
            let cfg = oid(&r[config_table.col("oid")]);
            let mut map: Vec<Vec<Oid>> = Vec::new();
            for m in maps.rows.iter().filter(|m| oid(&m[m_cfg]) == cfg) {
                let token: usize = m[m_tok]
                    .as_deref()
                    .and_then(|s| s.parse().ok())
                    .expect("token type");
                if map.len() <= token {
                    map.resize(token + 1, Vec::new());
                }
                map[token].push(oid(&m[m_dict]));
            }
            TsConfig {
                oid: cfg,
                name: r[config_table.col("cfgname")].clone().unwrap_or_default(),
                parser: oid(&r[config_table.col("cfgparser")]),
                map,
            }
        })
        .collect();
    TextSearch { configs, dicts }
}

/// The built-in text search objects, loaded once.
pub fn text_search() -> &'static TextSearch {
    static TS: OnceLock<TextSearch> = OnceLock::new();
    TS.get_or_init(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_maps_words_to_english_stem() {
        let ts = text_search();
        let english = ts.config_by_name("english").expect("english");
        let dict = ts.dict(english.map[1][0]).expect("dict");
        assert_eq!(dict.name, "english_stem");
        assert_eq!(dict.template, "snowball");
        assert_eq!(ts.config(Oid(3748)).expect("simple").name, "simple");
    }
}
