//! Bytes to text: BOMs, UTF-8 and UTF-16, and a clear refusal for binary data or other
//! encodings (legacy encodings come with the formats work).

use super::IngestError;

/// How far into a file to look for NUL bytes, the mark of binary content.
const SNIFF: usize = 8192;

pub fn decode(bytes: &[u8]) -> Result<String, IngestError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    if bytes[..bytes.len().min(SNIFF)].contains(&0) {
        return Err(IngestError::Binary);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, IngestError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(IngestError::NotUtf8 {
            offset: e.valid_up_to(),
        }),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, IngestError> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| IngestError::BadUtf16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("città".as_bytes()).unwrap(), "città");
        assert_eq!(decode(b"\xEF\xBB\xBFcitt\xC3\xA0").unwrap(), "città");
    }

    #[test]
    fn utf16_with_bom() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("però".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("però".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap(), "però");
        assert_eq!(decode(&be).unwrap(), "però");
    }

    #[test]
    fn latin1_is_reported_with_its_offset() {
        assert!(matches!(
            decode(b"citt\xE0 ok"),
            Err(IngestError::NotUtf8 { offset: 4 })
        ));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(
            decode(b"\x7FELF\x02\x01\x00\x00"),
            Err(IngestError::Binary)
        ));
    }
}
