//! PostgreSQL 15's default time zone abbreviation table (`timezone_abbreviations =
//! 'Default'`, the `timezonesets/Default` file), used when date/time input names a zone
//! by abbreviation (`'2024-01-08 04:05 PST'`).
//!
//! Invariant: [`ABBREVIATIONS`] is sorted by its lower-case key, for binary search.

/// What an abbreviation stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Abbrev {
    /// A fixed UTC offset in seconds east of Greenwich; `dst` marks daylight-time names.
    Fixed {
        /// Seconds east of UTC.
        offset: i32,
        /// Whether the abbreviation names a daylight-saving time.
        dst: bool,
    },
    /// An abbreviation whose meaning changed over time: its offset is the named IANA zone's
    /// offset for that abbreviation at the date in question.
    Dynamic(&'static str),
}

/// Looks an abbreviation up, case-insensitively.
pub fn lookup_abbreviation(name: &str) -> Option<Abbrev> {
    let key = name.to_ascii_lowercase();
    ABBREVIATIONS
        .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()
        .map(|i| ABBREVIATIONS[i].1)
}

/// The table: lower-case abbreviation and meaning, sorted by abbreviation.
pub static ABBREVIATIONS: &[(&str, Abbrev)] = &[
    (
        "acdt",
        Abbrev::Fixed {
            offset: 37800,
            dst: true,
        },
    ),
    (
        "acsst",
        Abbrev::Fixed {
            offset: 37800,
            dst: true,
        },
    ),
    (
        "acst",
        Abbrev::Fixed {
            offset: 34200,
            dst: false,
        },
    ),
    (
        "act",
        Abbrev::Fixed {
            offset: -18000,
            dst: false,
        },
    ),
    (
        "acwst",
        Abbrev::Fixed {
            offset: 31500,
            dst: false,
        },
    ),
    (
        "adt",
        Abbrev::Fixed {
            offset: -10800,
            dst: true,
        },
    ),
    (
        "aedt",
        Abbrev::Fixed {
            offset: 39600,
            dst: true,
        },
    ),
    (
        "aesst",
        Abbrev::Fixed {
            offset: 39600,
            dst: true,
        },
    ),
    (
        "aest",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    (
        "aft",
        Abbrev::Fixed {
            offset: 16200,
            dst: false,
        },
    ),
    (
        "akdt",
        Abbrev::Fixed {
            offset: -28800,
            dst: true,
        },
    ),
    (
        "akst",
        Abbrev::Fixed {
            offset: -32400,
            dst: false,
        },
    ),
    (
        "almst",
        Abbrev::Fixed {
            offset: 25200,
            dst: true,
        },
    ),
    (
        "almt",
        Abbrev::Fixed {
            offset: 21600,
            dst: false,
        },
    ),
    ("amst", Abbrev::Dynamic("Asia/Yerevan")),
    (
        "amt",
        Abbrev::Fixed {
            offset: -14400,
            dst: false,
        },
    ),
    ("anast", Abbrev::Dynamic("Asia/Anadyr")),
    ("anat", Abbrev::Dynamic("Asia/Anadyr")),
    ("arst", Abbrev::Dynamic("America/Argentina/Buenos_Aires")),
    ("art", Abbrev::Dynamic("America/Argentina/Buenos_Aires")),
    (
        "ast",
        Abbrev::Fixed {
            offset: -14400,
            dst: false,
        },
    ),
    (
        "awsst",
        Abbrev::Fixed {
            offset: 32400,
            dst: true,
        },
    ),
    (
        "awst",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "azost",
        Abbrev::Fixed {
            offset: 0,
            dst: true,
        },
    ),
    (
        "azot",
        Abbrev::Fixed {
            offset: -3600,
            dst: false,
        },
    ),
    ("azst", Abbrev::Dynamic("Asia/Baku")),
    ("azt", Abbrev::Dynamic("Asia/Baku")),
    (
        "bdst",
        Abbrev::Fixed {
            offset: 7200,
            dst: true,
        },
    ),
    (
        "bdt",
        Abbrev::Fixed {
            offset: 21600,
            dst: false,
        },
    ),
    (
        "bnt",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "bort",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "bot",
        Abbrev::Fixed {
            offset: -14400,
            dst: false,
        },
    ),
    (
        "bra",
        Abbrev::Fixed {
            offset: -10800,
            dst: false,
        },
    ),
    (
        "brst",
        Abbrev::Fixed {
            offset: -7200,
            dst: true,
        },
    ),
    (
        "brt",
        Abbrev::Fixed {
            offset: -10800,
            dst: false,
        },
    ),
    (
        "bst",
        Abbrev::Fixed {
            offset: 3600,
            dst: true,
        },
    ),
    (
        "btt",
        Abbrev::Fixed {
            offset: 21600,
            dst: false,
        },
    ),
    (
        "cadt",
        Abbrev::Fixed {
            offset: 37800,
            dst: true,
        },
    ),
    (
        "cast",
        Abbrev::Fixed {
            offset: 34200,
            dst: false,
        },
    ),
    (
        "cct",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "cdt",
        Abbrev::Fixed {
            offset: -18000,
            dst: true,
        },
    ),
    (
        "cest",
        Abbrev::Fixed {
            offset: 7200,
            dst: true,
        },
    ),
    (
        "cet",
        Abbrev::Fixed {
            offset: 3600,
            dst: false,
        },
    ),
    (
        "cetdst",
        Abbrev::Fixed {
            offset: 7200,
            dst: true,
        },
    ),
    (
        "chadt",
        Abbrev::Fixed {
            offset: 49500,
            dst: true,
        },
    ),
    (
        "chast",
        Abbrev::Fixed {
            offset: 45900,
            dst: false,
        },
    ),
    (
        "chut",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    ("ckt", Abbrev::Dynamic("Pacific/Rarotonga")),
    (
        "clst",
        Abbrev::Fixed {
            offset: -10800,
            dst: true,
        },
    ),
    ("clt", Abbrev::Dynamic("America/Santiago")),
    (
        "cot",
        Abbrev::Fixed {
            offset: -18000,
            dst: false,
        },
    ),
    (
        "cst",
        Abbrev::Fixed {
            offset: -21600,
            dst: false,
        },
    ),
    (
        "cxt",
        Abbrev::Fixed {
            offset: 25200,
            dst: false,
        },
    ),
    ("davt", Abbrev::Dynamic("Antarctica/Davis")),
    (
        "ddut",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    ("easst", Abbrev::Dynamic("Pacific/Easter")),
    ("east", Abbrev::Dynamic("Pacific/Easter")),
    (
        "eat",
        Abbrev::Fixed {
            offset: 10800,
            dst: false,
        },
    ),
    (
        "edt",
        Abbrev::Fixed {
            offset: -14400,
            dst: true,
        },
    ),
    (
        "eest",
        Abbrev::Fixed {
            offset: 10800,
            dst: true,
        },
    ),
    (
        "eet",
        Abbrev::Fixed {
            offset: 7200,
            dst: false,
        },
    ),
    (
        "eetdst",
        Abbrev::Fixed {
            offset: 10800,
            dst: true,
        },
    ),
    (
        "egst",
        Abbrev::Fixed {
            offset: 0,
            dst: true,
        },
    ),
    (
        "egt",
        Abbrev::Fixed {
            offset: -3600,
            dst: false,
        },
    ),
    (
        "est",
        Abbrev::Fixed {
            offset: -18000,
            dst: false,
        },
    ),
    (
        "fet",
        Abbrev::Fixed {
            offset: 10800,
            dst: false,
        },
    ),
    (
        "fjst",
        Abbrev::Fixed {
            offset: 46800,
            dst: true,
        },
    ),
    (
        "fjt",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    ("fkst", Abbrev::Dynamic("Atlantic/Stanley")),
    ("fkt", Abbrev::Dynamic("Atlantic/Stanley")),
    (
        "fnst",
        Abbrev::Fixed {
            offset: -3600,
            dst: true,
        },
    ),
    (
        "fnt",
        Abbrev::Fixed {
            offset: -7200,
            dst: false,
        },
    ),
    (
        "galt",
        Abbrev::Fixed {
            offset: -21600,
            dst: false,
        },
    ),
    (
        "gamt",
        Abbrev::Fixed {
            offset: -32400,
            dst: false,
        },
    ),
    ("gest", Abbrev::Dynamic("Asia/Tbilisi")),
    ("get", Abbrev::Dynamic("Asia/Tbilisi")),
    (
        "gft",
        Abbrev::Fixed {
            offset: -10800,
            dst: false,
        },
    ),
    (
        "gilt",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    (
        "gmt",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
    ("gyt", Abbrev::Dynamic("America/Guyana")),
    (
        "hkt",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "hst",
        Abbrev::Fixed {
            offset: -36000,
            dst: false,
        },
    ),
    (
        "ict",
        Abbrev::Fixed {
            offset: 25200,
            dst: false,
        },
    ),
    (
        "idt",
        Abbrev::Fixed {
            offset: 10800,
            dst: true,
        },
    ),
    ("iot", Abbrev::Dynamic("Indian/Chagos")),
    ("irkst", Abbrev::Dynamic("Asia/Irkutsk")),
    ("irkt", Abbrev::Dynamic("Asia/Irkutsk")),
    (
        "irt",
        Abbrev::Fixed {
            offset: 12600,
            dst: false,
        },
    ),
    (
        "ist",
        Abbrev::Fixed {
            offset: 7200,
            dst: false,
        },
    ),
    (
        "jayt",
        Abbrev::Fixed {
            offset: 32400,
            dst: false,
        },
    ),
    (
        "jst",
        Abbrev::Fixed {
            offset: 32400,
            dst: false,
        },
    ),
    (
        "kdt",
        Abbrev::Fixed {
            offset: 36000,
            dst: true,
        },
    ),
    (
        "kgst",
        Abbrev::Fixed {
            offset: 21600,
            dst: true,
        },
    ),
    ("kgt", Abbrev::Dynamic("Asia/Bishkek")),
    ("kost", Abbrev::Dynamic("Pacific/Kosrae")),
    ("krast", Abbrev::Dynamic("Asia/Krasnoyarsk")),
    ("krat", Abbrev::Dynamic("Asia/Krasnoyarsk")),
    (
        "kst",
        Abbrev::Fixed {
            offset: 32400,
            dst: false,
        },
    ),
    ("lhdt", Abbrev::Dynamic("Australia/Lord_Howe")),
    (
        "lhst",
        Abbrev::Fixed {
            offset: 37800,
            dst: false,
        },
    ),
    (
        "ligt",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    ("lint", Abbrev::Dynamic("Pacific/Kiritimati")),
    ("lkt", Abbrev::Dynamic("Asia/Colombo")),
    ("magst", Abbrev::Dynamic("Asia/Magadan")),
    ("magt", Abbrev::Dynamic("Asia/Magadan")),
    (
        "mart",
        Abbrev::Fixed {
            offset: -34200,
            dst: false,
        },
    ),
    ("mawt", Abbrev::Dynamic("Antarctica/Mawson")),
    (
        "mdt",
        Abbrev::Fixed {
            offset: -21600,
            dst: true,
        },
    ),
    (
        "mest",
        Abbrev::Fixed {
            offset: 7200,
            dst: true,
        },
    ),
    (
        "mesz",
        Abbrev::Fixed {
            offset: 7200,
            dst: true,
        },
    ),
    (
        "met",
        Abbrev::Fixed {
            offset: 3600,
            dst: false,
        },
    ),
    (
        "metdst",
        Abbrev::Fixed {
            offset: 7200,
            dst: true,
        },
    ),
    (
        "mez",
        Abbrev::Fixed {
            offset: 3600,
            dst: false,
        },
    ),
    (
        "mht",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    (
        "mmt",
        Abbrev::Fixed {
            offset: 23400,
            dst: false,
        },
    ),
    (
        "mpt",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    (
        "msd",
        Abbrev::Fixed {
            offset: 14400,
            dst: true,
        },
    ),
    ("msk", Abbrev::Dynamic("Europe/Moscow")),
    (
        "mst",
        Abbrev::Fixed {
            offset: -25200,
            dst: false,
        },
    ),
    (
        "must",
        Abbrev::Fixed {
            offset: 18000,
            dst: true,
        },
    ),
    (
        "mut",
        Abbrev::Fixed {
            offset: 14400,
            dst: false,
        },
    ),
    (
        "mvt",
        Abbrev::Fixed {
            offset: 18000,
            dst: false,
        },
    ),
    (
        "myt",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "ndt",
        Abbrev::Fixed {
            offset: -9000,
            dst: true,
        },
    ),
    (
        "nft",
        Abbrev::Fixed {
            offset: -12600,
            dst: false,
        },
    ),
    ("novst", Abbrev::Dynamic("Asia/Novosibirsk")),
    ("novt", Abbrev::Dynamic("Asia/Novosibirsk")),
    (
        "npt",
        Abbrev::Fixed {
            offset: 20700,
            dst: false,
        },
    ),
    (
        "nst",
        Abbrev::Fixed {
            offset: -12600,
            dst: false,
        },
    ),
    ("nut", Abbrev::Dynamic("Pacific/Niue")),
    (
        "nzdt",
        Abbrev::Fixed {
            offset: 46800,
            dst: true,
        },
    ),
    (
        "nzst",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    (
        "nzt",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    ("omsst", Abbrev::Dynamic("Asia/Omsk")),
    ("omst", Abbrev::Dynamic("Asia/Omsk")),
    (
        "pdt",
        Abbrev::Fixed {
            offset: -25200,
            dst: true,
        },
    ),
    (
        "pet",
        Abbrev::Fixed {
            offset: -18000,
            dst: false,
        },
    ),
    ("petst", Abbrev::Dynamic("Asia/Kamchatka")),
    ("pett", Abbrev::Dynamic("Asia/Kamchatka")),
    (
        "pgt",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    (
        "pht",
        Abbrev::Fixed {
            offset: 28800,
            dst: false,
        },
    ),
    (
        "pkst",
        Abbrev::Fixed {
            offset: 21600,
            dst: true,
        },
    ),
    (
        "pkt",
        Abbrev::Fixed {
            offset: 18000,
            dst: false,
        },
    ),
    (
        "pmdt",
        Abbrev::Fixed {
            offset: -7200,
            dst: true,
        },
    ),
    (
        "pmst",
        Abbrev::Fixed {
            offset: -10800,
            dst: false,
        },
    ),
    (
        "pont",
        Abbrev::Fixed {
            offset: 39600,
            dst: false,
        },
    ),
    (
        "pst",
        Abbrev::Fixed {
            offset: -28800,
            dst: false,
        },
    ),
    (
        "pwt",
        Abbrev::Fixed {
            offset: 32400,
            dst: false,
        },
    ),
    (
        "pyst",
        Abbrev::Fixed {
            offset: -10800,
            dst: true,
        },
    ),
    ("pyt", Abbrev::Dynamic("America/Asuncion")),
    (
        "ret",
        Abbrev::Fixed {
            offset: 14400,
            dst: false,
        },
    ),
    (
        "sadt",
        Abbrev::Fixed {
            offset: 37800,
            dst: true,
        },
    ),
    (
        "sast",
        Abbrev::Fixed {
            offset: 7200,
            dst: false,
        },
    ),
    (
        "sct",
        Abbrev::Fixed {
            offset: 14400,
            dst: false,
        },
    ),
    ("sgt", Abbrev::Dynamic("Asia/Singapore")),
    (
        "taht",
        Abbrev::Fixed {
            offset: -36000,
            dst: false,
        },
    ),
    (
        "tft",
        Abbrev::Fixed {
            offset: 18000,
            dst: false,
        },
    ),
    (
        "tjt",
        Abbrev::Fixed {
            offset: 18000,
            dst: false,
        },
    ),
    ("tkt", Abbrev::Dynamic("Pacific/Fakaofo")),
    ("tmt", Abbrev::Dynamic("Asia/Ashgabat")),
    (
        "tot",
        Abbrev::Fixed {
            offset: 46800,
            dst: false,
        },
    ),
    (
        "trut",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    (
        "tvt",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    (
        "uct",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
    (
        "ulast",
        Abbrev::Fixed {
            offset: 32400,
            dst: true,
        },
    ),
    ("ulat", Abbrev::Dynamic("Asia/Ulaanbaatar")),
    (
        "ut",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
    (
        "utc",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
    (
        "uyst",
        Abbrev::Fixed {
            offset: -7200,
            dst: true,
        },
    ),
    (
        "uyt",
        Abbrev::Fixed {
            offset: -10800,
            dst: false,
        },
    ),
    (
        "uzst",
        Abbrev::Fixed {
            offset: 21600,
            dst: true,
        },
    ),
    (
        "uzt",
        Abbrev::Fixed {
            offset: 18000,
            dst: false,
        },
    ),
    ("vet", Abbrev::Dynamic("America/Caracas")),
    ("vlast", Abbrev::Dynamic("Asia/Vladivostok")),
    ("vlat", Abbrev::Dynamic("Asia/Vladivostok")),
    ("volt", Abbrev::Dynamic("Europe/Volgograd")),
    (
        "vut",
        Abbrev::Fixed {
            offset: 39600,
            dst: false,
        },
    ),
    (
        "wadt",
        Abbrev::Fixed {
            offset: 28800,
            dst: true,
        },
    ),
    (
        "wakt",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    (
        "wast",
        Abbrev::Fixed {
            offset: 25200,
            dst: false,
        },
    ),
    (
        "wat",
        Abbrev::Fixed {
            offset: 3600,
            dst: false,
        },
    ),
    (
        "wdt",
        Abbrev::Fixed {
            offset: 32400,
            dst: true,
        },
    ),
    (
        "wet",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
    (
        "wetdst",
        Abbrev::Fixed {
            offset: 3600,
            dst: true,
        },
    ),
    (
        "wft",
        Abbrev::Fixed {
            offset: 43200,
            dst: false,
        },
    ),
    (
        "wgst",
        Abbrev::Fixed {
            offset: -7200,
            dst: true,
        },
    ),
    (
        "wgt",
        Abbrev::Fixed {
            offset: -10800,
            dst: false,
        },
    ),
    (
        "xjt",
        Abbrev::Fixed {
            offset: 21600,
            dst: false,
        },
    ),
    ("yakst", Abbrev::Dynamic("Asia/Yakutsk")),
    ("yakt", Abbrev::Dynamic("Asia/Yakutsk")),
    (
        "yapt",
        Abbrev::Fixed {
            offset: 36000,
            dst: false,
        },
    ),
    (
        "yekst",
        Abbrev::Fixed {
            offset: 21600,
            dst: true,
        },
    ),
    ("yekt", Abbrev::Dynamic("Asia/Yekaterinburg")),
    (
        "z",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
    (
        "zulu",
        Abbrev::Fixed {
            offset: 0,
            dst: false,
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(ABBREVIATIONS.len(), 195);
        assert_eq!(
            lookup_abbreviation("PST"),
            Some(Abbrev::Fixed {
                offset: -28800,
                dst: false
            })
        );
        assert_eq!(
            lookup_abbreviation("edt"),
            Some(Abbrev::Fixed {
                offset: -14400,
                dst: true
            })
        );
        assert_eq!(
            lookup_abbreviation("msk"),
            Some(Abbrev::Dynamic("Europe/Moscow"))
        );
        assert_eq!(lookup_abbreviation("xyz"), None);
    }
}
