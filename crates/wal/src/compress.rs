//! Full-page image compression (`wal_compression`, PostgreSQL docs §20.5.1 and §30.5).
//!
//! With compression on, each full-page image of a record is LZ4-compressed (block format,
//! `lz4_flex`) when that makes it smaller; the block header then carries
//! [`BLOCK_IMAGE_COMPRESSED`](crate::BLOCK_IMAGE_COMPRESSED) besides `HAS_IMAGE`, and the image
//! area holds a 2-byte little-endian compressed length followed by that many bytes instead
//! of the 8192 raw bytes. An image that does not shrink is stored raw (flag clear), as
//! PostgreSQL does. Decompression must yield exactly 8192 bytes, or the record is invalid.
//!
//! PostgreSQL 15 offers `pglz`, `lz4` and `zstd`; we implement `lz4` and map `on`/`pglz` to it
//! (the setting only selects how images are stored; a reader handles either form), and refuse
//! `zstd` with 0A000 ([`WalCompression::from_setting`]).

use tusk_types::{pg_err, Result};

use crate::record::PAGE_IMAGE_SIZE;

/// How full-page images are stored in the WAL (`wal_compression`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum WalCompression {
    /// Raw 8192-byte images (`off`, the default).
    #[default]
    Off,
    /// LZ4 block compression (`lz4`; `on` and `pglz` are mapped here).
    Lz4,
}

impl WalCompression {
    /// Maps a `wal_compression` setting to a method: `off`/`false`/`no`/`0` → `Off`;
    /// `lz4`, `on`/`true`/`yes`/`1` and `pglz` → `Lz4` (pglz is not implemented: LZ4 serves
    /// the same purpose and is faster).
    ///
    /// Errors: 0A000 (feature_not_supported) for `zstd`; 22023 (invalid_parameter_value)
    /// for anything else, with PostgreSQL's message.
    pub fn from_setting(value: &str) -> Result<WalCompression> {
        match value.trim().to_ascii_lowercase().as_str() {
            "off" | "false" | "no" | "0" => Ok(WalCompression::Off),
            "lz4" | "on" | "true" | "yes" | "1" | "pglz" => Ok(WalCompression::Lz4),
            "zstd" => Err(pg_err!(
                FEATURE_NOT_SUPPORTED,
                "compression method zstd not supported"
            )
            .detail("This functionality requires the server to be built with zstd support.")),
            other => Err(pg_err!(
                INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"wal_compression\": \"{other}\""
            )
            .hint("Available values: pglz, lz4, zstd, on, off.")),
        }
    }

    pub(crate) fn to_u8(self) -> u8 {
        match self {
            WalCompression::Off => 0,
            WalCompression::Lz4 => 1,
        }
    }

    pub(crate) fn from_u8(value: u8) -> WalCompression {
        if value == 1 {
            WalCompression::Lz4
        } else {
            WalCompression::Off
        }
    }
}

/// Compresses a page image; `None` if compression is off or would not save space (the
/// caller then stores the raw image). The result fits the 2-byte length field.
pub(crate) fn compress_image(
    method: WalCompression,
    image: &[u8; PAGE_IMAGE_SIZE],
) -> Option<Vec<u8>> {
    match method {
        WalCompression::Off => None,
        WalCompression::Lz4 => {
            let compressed = lz4_flex::block::compress(image);
            // Stored with a 2-byte length: keep it only if it saves more than that.
            (compressed.len() + 2 < PAGE_IMAGE_SIZE).then_some(compressed)
        }
    }
}

/// Decompresses a stored image; `Err` (a reader message) unless it yields exactly 8192 bytes.
pub(crate) fn decompress_image(bytes: &[u8]) -> std::result::Result<[u8; PAGE_IMAGE_SIZE], String> {
    let mut image = [0u8; PAGE_IMAGE_SIZE];
    match lz4_flex::block::decompress_into(bytes, &mut image) {
        Ok(PAGE_IMAGE_SIZE) => Ok(image),
        Ok(n) => Err(format!(
            "compressed full-page image decompressed to {n} bytes, expected {PAGE_IMAGE_SIZE}"
        )),
        Err(e) => Err(format!("could not decompress full-page image: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tusk_types::SqlState;

    #[test]
    fn settings_map_to_methods() {
        assert_eq!(
            WalCompression::from_setting("off").expect("off"),
            WalCompression::Off
        );
        for on in ["lz4", "on", "pglz", "LZ4", "true"] {
            assert_eq!(
                WalCompression::from_setting(on).expect(on),
                WalCompression::Lz4
            );
        }
        let zstd = WalCompression::from_setting("zstd").expect_err("zstd");
        assert_eq!(zstd.code, SqlState::FEATURE_NOT_SUPPORTED);
        let bad = WalCompression::from_setting("gzip").expect_err("gzip");
        assert_eq!(bad.code, SqlState::INVALID_PARAMETER_VALUE);
    }

    #[test]
    fn compressible_images_round_trip_and_random_ones_stay_raw() {
        let mut page = [0u8; PAGE_IMAGE_SIZE];
        page[..24].copy_from_slice(&[7; 24]);
        page[8000..].fill(0x55);
        let packed = compress_image(WalCompression::Lz4, &page).expect("compresses");
        assert!(packed.len() < 200, "{} bytes", packed.len());
        assert_eq!(decompress_image(&packed).expect("round trip"), page);
        assert!(compress_image(WalCompression::Off, &page).is_none());
        // Incompressible content (a simple LCG) is kept raw.
        let mut x = 12345u32;
        for b in page.iter_mut() {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (x >> 16) as u8;
        }
        assert!(compress_image(WalCompression::Lz4, &page).is_none());
        assert!(decompress_image(&packed[..packed.len() - 1]).is_err());
        assert!(decompress_image(&[0xff; 10]).is_err());
    }
}
