//! Text into `tsvector` and `tsquery` through a text search configuration: the default
//! parser splits the text into tokens, the configuration's dictionaries for each token
//! type turn tokens into lexemes (PostgreSQL's `parsetext`). Also `ts_lexize`,
//! `ts_parse`, `ts_token_type`, `get_current_ts_config`, and `text @@ ...`.

use tusk_catalog::text_search::{text_search, TsConfig};
use tusk_types::adt::array::Array;
use tusk_types::adt::tsearch::{
    clean_stopwords, stop_placeholder, Lexeme, QueryNode, QueryOperand, TsQuery, TsVector,
    MAX_STR_LEN,
};
use tusk_types::{pg_err, type_oid, Datum, Error, Oid, Result};

use super::dictionary::lexize;
use super::execute::matches;
use super::parser::{tokenize, TOKEN_TYPES};
use super::{query_arg, query_datum, text_arg, vector_datum};
use crate::builtins::{reg, Builtin, Table};
use crate::context::NoticeLevel;
use crate::EvalContext;

const DEFAULT_PARSER: u32 = 3722;

fn config_by_oid(oid: &Datum) -> Result<&'static TsConfig> {
    let Datum::Oid(oid) = oid else {
        return Err(Error::internal("regconfig argument"));
    };
    text_search().config(Oid(*oid)).ok_or_else(|| {
        pg_err!(
            INTERNAL_ERROR,
            "cache lookup failed for text search configuration {}",
            oid
        )
    })
}

/// The configuration `default_text_search_config` names.
fn current_config(ctx: &mut EvalContext<'_>) -> Result<&'static TsConfig> {
    let name = ctx.session.setting("default_text_search_config")?;
    let oid = crate::io::regconfig_in(&name)?;
    config_by_oid(&Datum::Oid(oid.0))
}

/// One lexeme of parsed text with its position (1-based, counting every token that a
/// dictionary handled, stop words included).
struct Word {
    word: String,
    pos: u32,
}

/// `parsetext`.
fn parse_text(ctx: &mut EvalContext<'_>, config: &TsConfig, text: &str) -> Result<Vec<Word>> {
    let mut words = Vec::new();
    let mut pos = 0u32;
    for token in tokenize(text) {
        let Some(dicts) = config.map.get(token.kind as usize) else {
            continue;
        };
        if dicts.is_empty() {
            continue;
        }
        if token.text.len() >= MAX_STR_LEN {
            ctx.session.notice(
                NoticeLevel::Notice,
                &pg_err!(SUCCESSFUL_COMPLETION, "word is too long to be indexed").detail(format!(
                    "Words longer than {} characters are ignored.",
                    MAX_STR_LEN
                )),
            );
            continue;
        }
        for dict in dicts {
            let dict = text_search()
                .dict(*dict)
                .ok_or_else(|| Error::internal("text search dictionary of a mapping"))?;
            if let Some(lexemes) = lexize(dict, &token.text)? {
                pos += 1;
                for word in lexemes {
                    words.push(Word { word, pos });
                }
                break;
            }
        }
    }
    Ok(words)
}

fn to_tsvector(ctx: &mut EvalContext<'_>, config: &TsConfig, text: &str) -> Result<Datum> {
    let words = parse_text(ctx, config, text)?;
    let lexemes = words
        .into_iter()
        .map(|w| Lexeme {
            word: w.word,
            positions: vec![w.pos.min(16383) as u16],
        })
        .collect();
    Ok(vector_datum(&TsVector::from_lexemes(lexemes)))
}

/// How the words of one operand are joined (`MorphOpaque.qoperator`).
#[derive(Clone, Copy)]
enum Join {
    Phrase,
    And,
}

/// `pushval_morph`: one query operand's text as a subtree of its lexemes (phrase- or
/// AND-joined by position, with stop-word placeholders between), `None` if it has none.
fn morph(
    ctx: &mut EvalContext<'_>,
    config: &TsConfig,
    text: &str,
    weight: u8,
    prefix: bool,
    join: Join,
) -> Result<Option<QueryNode>> {
    let words = parse_text(ctx, config, text)?;
    if words.is_empty() {
        return Ok(None);
    }
    let combine = |l: QueryNode, r: QueryNode| match join {
        Join::Phrase => QueryNode::Phrase(Box::new(l), Box::new(r), 1),
        Join::And => QueryNode::And(Box::new(l), Box::new(r)),
    };
    let mut acc: Option<QueryNode> = None;
    let mut pos = 0u32;
    let mut i = 0;
    while i < words.len() {
        if pos > 0 {
            while pos + 1 < words[i].pos {
                let stop = stop_placeholder();
                acc = Some(match acc.take() {
                    Some(a) => combine(a, stop),
                    None => stop,
                });
                pos += 1;
            }
        }
        pos = words[i].pos;
        let mut node: Option<QueryNode> = None;
        while i < words.len() && words[i].pos == pos {
            let value = QueryNode::Operand(QueryOperand {
                word: words[i].word.clone(),
                weight,
                prefix,
            });
            node = Some(match node.take() {
                Some(n) => QueryNode::Or(Box::new(n), Box::new(value)),
                None => value,
            });
            i += 1;
        }
        let node = node.expect("one word at this position");
        acc = Some(match acc.take() {
            Some(a) => combine(a, node),
            None => node,
        });
    }
    Ok(acc)
}

fn finish_query(ctx: &mut EvalContext<'_>, query: TsQuery) -> Datum {
    let root = query.root.and_then(clean_stopwords);
    if root.is_none() {
        ctx.session.notice(
            NoticeLevel::Notice,
            &pg_err!(
                SUCCESSFUL_COMPLETION,
                "text-search query contains only stop words or doesn't contain lexemes, ignored"
            ),
        );
    }
    query_datum(&TsQuery { root })
}

fn to_tsquery(ctx: &mut EvalContext<'_>, config: &TsConfig, text: &str) -> Result<Datum> {
    let mut err: Option<Error> = None;
    let query = {
        let ctx_ref = &mut *ctx;
        TsQuery::parse_with(text, &mut |word, weight, prefix| match morph(
            ctx_ref,
            config,
            word,
            weight,
            prefix,
            Join::Phrase,
        ) {
            Ok(n) => Ok(n),
            Err(e) => {
                err = Some(e.clone());
                Err(e)
            }
        })?
    };
    if let Some(e) = err {
        return Err(e);
    }
    if query.root.is_none() {
        ctx.session.notice(
            NoticeLevel::Notice,
            &pg_err!(
                SUCCESSFUL_COMPLETION,
                "text-search query doesn't contain lexemes: \"{}\"",
                text
            ),
        );
        return Ok(query_datum(&query));
    }
    Ok(finish_query(ctx, query))
}

fn plain_query(
    ctx: &mut EvalContext<'_>,
    config: &TsConfig,
    text: &str,
    join: Join,
) -> Result<Datum> {
    let root = morph(ctx, config, text, 0, false, join)?;
    Ok(finish_query(ctx, TsQuery { root }))
}

/// `websearch_to_tsquery`: words are ANDed (the lexemes of one word joined as a
/// phrase), `"..."` is a phrase, `or` between operands is OR, each leading `-` negates.
fn websearch(ctx: &mut EvalContext<'_>, config: &TsConfig, text: &str) -> Result<Datum> {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    // Groups of ANDed operands, ORed together.
    let mut groups: Vec<Vec<QueryNode>> = vec![Vec::new()];
    let mut i = 0;
    let mut have_operand = false;
    // Query syntax characters separate words here; they are not operators.
    let separator =
        |c: char| c.is_whitespace() || matches!(c, ':' | '!' | '&' | '|' | '(' | ')' | '<' | '>');
    loop {
        while i < chars.len() && separator(at(i)) {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        // `or` after an operand, not part of a word, with an operand after it.
        if have_operand
            && at(i).eq_ignore_ascii_case(&'o')
            && at(i + 1).eq_ignore_ascii_case(&'r')
            && !(at(i + 2).is_alphanumeric() || matches!(at(i + 2), '_' | '-' | '\''))
        {
            let rest = &chars[i + 2..];
            if rest.iter().any(|c| c.is_alphanumeric()) {
                i += 2;
                groups.push(Vec::new());
                have_operand = false;
                continue;
            }
        }
        let mut negations = 0;
        while at(i) == '-' {
            negations += 1;
            i += 1;
        }
        let word: String;
        if at(i) == '"' {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && chars[j] != '"' {
                j += 1;
            }
            word = chars[start..j].iter().collect();
            i = (j + 1).min(chars.len());
        } else {
            let start = i;
            while i < chars.len() && !separator(chars[i]) && chars[i] != '"' {
                i += 1;
            }
            word = chars[start..i].iter().collect();
        }
        let mut node =
            morph(ctx, config, &word, 0, false, Join::Phrase)?.unwrap_or_else(stop_placeholder);
        for _ in 0..negations {
            node = QueryNode::Not(Box::new(node));
        }
        groups.last_mut().expect("a group").push(node);
        have_operand = true;
    }
    let mut root: Option<QueryNode> = None;
    for g in groups {
        let mut and: Option<QueryNode> = None;
        for n in g {
            and = Some(match and.take() {
                Some(a) => QueryNode::And(Box::new(a), Box::new(n)),
                None => n,
            });
        }
        if let Some(a) = and {
            root = Some(match root.take() {
                Some(r) => QueryNode::Or(Box::new(r), Box::new(a)),
                None => a,
            });
        }
    }
    Ok(finish_query(ctx, TsQuery { root }))
}

fn parser_oid(d: &Datum) -> Result<u32> {
    match d {
        Datum::Oid(o) if *o == DEFAULT_PARSER => Ok(*o),
        Datum::Oid(o) => Err(pg_err!(
            INTERNAL_ERROR,
            "cache lookup failed for text search parser {}",
            o
        )),
        Datum::Text(name) => {
            let parts = tusk_sql::split_qualified_name(name)?;
            match parts.as_slice() {
                [n] | [_, n] if n == "default" => Ok(DEFAULT_PARSER),
                _ => Err(pg_err!(
                    UNDEFINED_OBJECT,
                    "text search parser \"{}\" does not exist",
                    name
                )),
            }
        }
        _ => Err(Error::internal("parser argument")),
    }
}

/// `ts_debug`: each token with its type, the dictionaries its type maps to, the one
/// that recognised it and the lexemes it made.
fn debug_rows(ctx: &mut EvalContext<'_>, a: &[Datum]) -> Result<Vec<Vec<Datum>>> {
    let (config, text) = if a.len() == 2 {
        (config_by_oid(&a[0])?, text_arg(&a[1]))
    } else {
        (current_config(ctx)?, text_arg(&a[0]))
    };
    let oid_array = |oids: &[Oid]| {
        Datum::Array(Box::new(Array::from_elements(
            type_oid::REGDICTIONARY,
            oids.iter().map(|o| Datum::Oid(o.0)).collect(),
        )))
    };
    let mut rows = Vec::new();
    for token in tokenize(text) {
        let (_, alias, description) = TOKEN_TYPES[token.kind as usize - 1];
        let dicts: &[Oid] = config
            .map
            .get(token.kind as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut dictionary = Datum::Null;
        let mut lexemes = Datum::Null;
        for oid in dicts {
            let dict = text_search()
                .dict(*oid)
                .ok_or_else(|| Error::internal("text search dictionary of a mapping"))?;
            if let Some(words) = lexize(dict, &token.text)? {
                dictionary = Datum::Oid(oid.0);
                lexemes = Datum::Array(Box::new(Array::from_elements(
                    type_oid::TEXT,
                    words.into_iter().map(Datum::Text).collect(),
                )));
                break;
            }
        }
        rows.push(vec![
            Datum::Text(alias.to_string()),
            Datum::Text(description.to_string()),
            Datum::Text(token.text),
            oid_array(dicts),
            dictionary,
            lexemes,
        ]);
    }
    Ok(rows)
}

pub(super) fn register(t: &mut Table) {
    t.insert("ts_debug", Builtin::Rows(debug_rows));
    reg(t, &["to_tsvector_byid"], |ctx, a| {
        to_tsvector(ctx, config_by_oid(&a[0])?, text_arg(&a[1]))
    });
    reg(t, &["to_tsvector"], |ctx, a| {
        let config = current_config(ctx)?;
        to_tsvector(ctx, config, text_arg(&a[0]))
    });
    reg(t, &["to_tsquery_byid"], |ctx, a| {
        to_tsquery(ctx, config_by_oid(&a[0])?, text_arg(&a[1]))
    });
    reg(t, &["to_tsquery"], |ctx, a| {
        let config = current_config(ctx)?;
        to_tsquery(ctx, config, text_arg(&a[0]))
    });
    reg(t, &["plainto_tsquery_byid"], |ctx, a| {
        plain_query(ctx, config_by_oid(&a[0])?, text_arg(&a[1]), Join::And)
    });
    reg(t, &["plainto_tsquery"], |ctx, a| {
        let config = current_config(ctx)?;
        plain_query(ctx, config, text_arg(&a[0]), Join::And)
    });
    reg(t, &["phraseto_tsquery_byid"], |ctx, a| {
        plain_query(ctx, config_by_oid(&a[0])?, text_arg(&a[1]), Join::Phrase)
    });
    reg(t, &["phraseto_tsquery"], |ctx, a| {
        let config = current_config(ctx)?;
        plain_query(ctx, config, text_arg(&a[0]), Join::Phrase)
    });
    reg(t, &["websearch_to_tsquery_byid"], |ctx, a| {
        websearch(ctx, config_by_oid(&a[0])?, text_arg(&a[1]))
    });
    reg(t, &["websearch_to_tsquery"], |ctx, a| {
        let config = current_config(ctx)?;
        websearch(ctx, config, text_arg(&a[0]))
    });
    reg(t, &["get_current_ts_config"], |ctx, _| {
        Ok(Datum::Oid(current_config(ctx)?.oid.0))
    });
    reg(t, &["ts_match_tt"], |ctx, a| {
        let config = current_config(ctx)?;
        let v = to_tsvector(ctx, config, text_arg(&a[0]))?;
        let q = plain_query(ctx, config, text_arg(&a[1]), Join::And)?;
        let v = super::vector_arg(&v)?;
        Ok(Datum::Bool(matches(&v, query_arg(&q)?.root.as_ref())))
    });
    reg(t, &["ts_match_tq"], |ctx, a| {
        let config = current_config(ctx)?;
        let v = to_tsvector(ctx, config, text_arg(&a[0]))?;
        let v = super::vector_arg(&v)?;
        Ok(Datum::Bool(matches(&v, query_arg(&a[1])?.root.as_ref())))
    });
    reg(t, &["ts_lexize"], |_, a| {
        let Datum::Oid(oid) = a[0] else {
            return Err(Error::internal("regdictionary argument"));
        };
        let dict = text_search().dict(Oid(oid)).ok_or_else(|| {
            pg_err!(
                INTERNAL_ERROR,
                "cache lookup failed for text search dictionary {}",
                oid
            )
        })?;
        Ok(match lexize(dict, text_arg(&a[1]))? {
            None => Datum::Null,
            Some(words) => Datum::Array(Box::new(Array::from_elements(
                type_oid::TEXT,
                words.into_iter().map(Datum::Text).collect(),
            ))),
        })
    });
    let parse: crate::builtins::RowsFn = |_, a| {
        parser_oid(&a[0])?;
        Ok(tokenize(text_arg(&a[1]))
            .into_iter()
            .map(|t| vec![Datum::Int4(t.kind as i32), Datum::Text(t.text)])
            .collect())
    };
    t.insert("ts_parse_byid", Builtin::Rows(parse));
    t.insert("ts_parse_byname", Builtin::Rows(parse));
    let token_types: crate::builtins::RowsFn = |_, a| {
        parser_oid(&a[0])?;
        Ok(TOKEN_TYPES
            .iter()
            .map(|(id, alias, description)| {
                vec![
                    Datum::Int4(*id as i32),
                    Datum::Text(alias.to_string()),
                    Datum::Text(description.to_string()),
                ]
            })
            .collect())
    };
    t.insert("ts_token_type_byid", Builtin::Rows(token_types));
    t.insert("ts_token_type_byname", Builtin::Rows(token_types));
}
