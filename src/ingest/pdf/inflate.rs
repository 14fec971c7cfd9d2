//! Decompression bombs: a PDF of a few megabytes can hold a stream that inflates to gigabytes,
//! and lopdf inflates a stream whole into memory, so such a file aborts the process (an
//! allocation failure is not a panic that `catch_unwind` could catch). Before lopdf sees a file,
//! every stream in it is inflated here through a writer that counts and refuses to go past a
//! budget, keeping nothing but the count (or, for a stream with several filters, the output of
//! the inner filters, itself bounded); a file whose streams add up to more is refused.
//!
//! The streams are found in the raw bytes (each `stream` keyword and the dictionary before it),
//! not through lopdf: lopdf already inflates object and cross-reference streams while it loads a
//! file. An encrypted file's streams are only readable after decryption; [`check_document`] runs
//! the same count over the loaded, decrypted objects.

use std::io::{self, Write};

use flate2::write::{DeflateDecoder, ZlibDecoder};
use memchr::memmem;
use pdf_extract::{Dictionary, Document, Object, Stream};

/// The total bytes the streams of `bytes` inflate to, or [`Over`] past `limit`. Linear in the
/// file's size: each stream's data is read once, up to the `endstream` after it, and a
/// `stream` keyword inside another stream's data is not taken for a stream.
pub fn check_bytes(bytes: &[u8], limit: u64) -> Result<u64, Over> {
    let ends: Vec<usize> = memmem::find_iter(bytes, b"endstream").collect();
    let mut next_end = 0;
    let mut total = 0;
    let mut region_start = 0;
    let mut inside_until = 0;
    for at in memmem::find_iter(bytes, b"stream") {
        let is_end = at >= 3 && &bytes[at - 3..at] == b"end";
        // The stream's dictionary lies between the previous keyword (the previous stream's
        // `endstream`) and this one, after the `obj` that opens it.
        let region = &bytes[region_start.min(at)..at];
        region_start = at + 6;
        if is_end || at < inside_until {
            continue;
        }
        let Some(data) = stream_data(bytes, at + 6) else {
            continue;
        };
        while ends.get(next_end).is_some_and(|&e| e < data) {
            next_end += 1;
        }
        // Without an `endstream` lopdf does not read the stream either.
        let Some(&end) = ends.get(next_end) else {
            break;
        };
        inside_until = end;
        let dict = memmem::rfind(region, b"obj").map_or(region, |o| &region[o..]);
        let filters = filters_in(dict);
        decoded_size(
            &filters,
            early_change_off(dict),
            &bytes[data..end],
            &mut total,
            limit,
        )?;
    }
    Ok(total)
}

/// The same count over a loaded document's streams (for a file that was decrypted on loading).
pub fn check_document(doc: &Document, limit: u64) -> Result<u64, Over> {
    let mut total = 0;
    for object in doc.objects.values() {
        if let Object::Stream(stream) = object {
            let filters: Vec<Vec<u8>> = match stream.filters() {
                Ok(f) => f.into_iter().map(<[u8]>::to_vec).collect(),
                Err(_) => continue,
            };
            let off = stream
                .dict
                .get(b"DecodeParms")
                .and_then(Object::as_dict)
                .is_ok_and(|p| p.get(b"EarlyChange").and_then(Object::as_i64).ok() == Some(0));
            decoded_size(&filters, off, &stream.content, &mut total, limit)?;
        }
    }
    Ok(total)
}

/// The streams' content would pass the limit.
#[derive(Debug, PartialEq, Eq)]
pub struct Over;

/// Where a stream's data starts: after the end of line that follows `stream` (lopdf also takes
/// spaces before it).
fn stream_data(bytes: &[u8], mut i: usize) -> Option<usize> {
    while bytes.get(i).is_some_and(|&b| b == b' ' || b == b'\t') {
        i += 1;
    }
    match bytes.get(i..)? {
        [b'\r', b'\n', ..] => Some(i + 2),
        [b'\n' | b'\r', ..] => Some(i + 1),
        _ => None,
    }
}

/// The names of a dictionary's `/Filter`, a name or an array of names, as lopdf reads them
/// (`#xx` escapes decoded). A filter given by reference is not applied by lopdf: none then.
fn filters_in(dict: &[u8]) -> Vec<Vec<u8>> {
    let Some(at) = memmem::rfind(dict, b"/Filter") else {
        return Vec::new();
    };
    let rest = dict[at + 7..].trim_ascii_start();
    match rest.first() {
        Some(b'/') => vec![name(&rest[1..])],
        Some(b'[') => {
            let inner = &rest[1..rest.iter().position(|&b| b == b']').unwrap_or(rest.len())];
            inner
                .split(|&b| b == b'/')
                .skip(1)
                .map(name)
                .filter(|n| !n.is_empty())
                .collect()
        }
        _ => Vec::new(),
    }
}

fn name(raw: &[u8]) -> Vec<u8> {
    let end = raw
        .iter()
        .position(|b| b.is_ascii_whitespace() || b"/[]<>()%{}".contains(b))
        .unwrap_or(raw.len());
    let mut out = Vec::with_capacity(end);
    let mut i = 0;
    while i < end {
        let hex = raw
            .get(i + 1..i + 3)
            .filter(|_| raw[i] == b'#' && i + 2 < end);
        match hex.and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(raw[i]);
                i += 1;
            }
        }
    }
    out
}

/// `/EarlyChange 0` in the dictionary (LZW's default is 1).
fn early_change_off(dict: &[u8]) -> bool {
    memmem::find(dict, b"/EarlyChange").is_some_and(|at| {
        dict[at + 12..]
            .trim_ascii_start()
            .first()
            .is_some_and(|&b| b == b'0')
    })
}

/// Runs a stream's filters in order, adding every layer's output to `total`. Inner layers are
/// kept (they are the next filter's input), the last is only counted. A filter lopdf does not
/// know ends the chain: lopdf then keeps the stream as it is.
fn decoded_size(
    filters: &[Vec<u8>],
    early_change_off: bool,
    data: &[u8],
    total: &mut u64,
    limit: u64,
) -> Result<(), Over> {
    let mut input: Vec<u8>;
    let mut current = data;
    for (i, filter) in filters.iter().enumerate() {
        let last = i + 1 == filters.len();
        let mut sink = Budget {
            kept: (!last).then(Vec::new),
            total,
            limit,
        };
        match filter.as_slice() {
            b"FlateDecode" => flate(current, &mut sink),
            b"LZWDecode" => lzw(current, early_change_off, &mut sink),
            // At most four bytes out for every byte in: no bomb, so lopdf's own decoder is used.
            b"ASCII85Decode" if current.len() as u64 <= limit / 4 => {
                let mut dict = Dictionary::new();
                dict.set("Filter", "ASCII85Decode");
                let stream = Stream::new(dict, current.to_vec());
                let _ = sink.write_all(&stream.decompressed_content().unwrap_or_default());
            }
            b"ASCII85Decode" => return Err(Over),
            _ => return Ok(()),
        }
        if *sink.total > limit {
            return Err(Over);
        }
        input = sink.kept.unwrap_or_default();
        current = &input;
    }
    Ok(())
}

/// Inflates as lopdf does: zlib, and when that fails before any output, raw deflate after the
/// two header bytes.
fn flate(data: &[u8], sink: &mut Budget) {
    let before = *sink.total;
    let mut zlib = ZlibDecoder::new(&mut *sink);
    let failed = zlib
        .write_all(data)
        .and_then(|()| zlib.try_finish())
        .is_err();
    drop(zlib);
    if failed && *sink.total == before && data.len() > 2 && *sink.total <= sink.limit {
        let mut raw = DeflateDecoder::new(&mut *sink);
        let _ = raw.write_all(&data[2..]).and_then(|()| raw.try_finish());
    }
}

fn lzw(data: &[u8], early_change_off: bool, sink: &mut Budget) {
    use weezl::{BitOrder, decode::Decoder};
    let mut decoder = if early_change_off {
        Decoder::new(BitOrder::Msb, 8)
    } else {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    };
    let _ = decoder.into_stream(sink).decode_all(data);
}

/// A writer that counts what it is given against a budget shared by all streams of a file, and
/// keeps it only when asked to; past the budget it refuses, which stops the decoder.
struct Budget<'a> {
    kept: Option<Vec<u8>>,
    total: &'a mut u64,
    limit: u64,
}

impl Write for Budget<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        *self.total += buf.len() as u64;
        if *self.total > self.limit {
            return Err(io::Error::other("over the inflate limit"));
        }
        if let Some(kept) = &mut self.kept {
            kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn pdf_with_stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "%PDF-1.4\n1 0 obj\n<< {dict} /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        out.extend(data);
        out.extend(b"\nendstream\nendobj\n");
        out
    }

    #[test]
    fn counts_inflated_bytes() {
        let pdf = pdf_with_stream("/Filter /FlateDecode", &zlib(&[b' '; 10_000]));
        assert_eq!(check_bytes(&pdf, 1 << 20), Ok(10_000));
    }

    #[test]
    fn refuses_past_the_limit() {
        let pdf = pdf_with_stream("/Filter /FlateDecode", &zlib(&vec![0; 2_000_000]));
        assert_eq!(check_bytes(&pdf, 1_000_000), Err(Over));
    }

    #[test]
    fn layers_escapes_and_arrays_are_followed() {
        let twice = zlib(&zlib(&vec![0; 2_000_000]));
        for dict in [
            "/Filter [/FlateDecode /FlateDecode]",
            "/Filter[/Flate#44ecode/FlateDecode]",
        ] {
            let pdf = pdf_with_stream(dict, &twice);
            assert_eq!(check_bytes(&pdf, 1_000_000), Err(Over), "{dict}");
        }
    }

    #[test]
    fn lzw_is_bounded_too() {
        let data = vec![b'a'; 3_000_000];
        let mut enc = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
        let packed = enc.encode(&data).unwrap();
        let pdf = pdf_with_stream("/Filter /LZWDecode", &packed);
        assert_eq!(check_bytes(&pdf, 1_000_000), Err(Over));
        assert_eq!(check_bytes(&pdf, 4_000_000), Ok(3_000_000));
    }

    #[test]
    fn unfiltered_and_unknown_streams_cost_nothing() {
        let plain = pdf_with_stream("", &zlib(&vec![0; 100_000]));
        assert_eq!(check_bytes(&plain, 10), Ok(0));
        let jpeg = pdf_with_stream("/Filter /DCTDecode", b"\xFF\xD8\xFF");
        assert_eq!(check_bytes(&jpeg, 10), Ok(0));
        assert_eq!(check_bytes(b"stream", 10), Ok(0));
        assert_eq!(check_bytes(b"", 10), Ok(0));
    }
}
