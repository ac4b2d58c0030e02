//! Attachments of a draft: checked first (names, types, ids: no I/O), then read. Their
//! bytes always go out base64: a text file sent 7bit would have its line endings rewritten
//! on the way, and the recipient must get the exact bytes.

use base64::Engine as _;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, SinglePart};

use super::check::{message_id, one_line};
use crate::api::Attachment;
use crate::error::{Error, ErrorKind, Result};

/// Where the bytes of a checked attachment come from.
enum Source<'a> {
    Path(&'a str),
    Base64(&'a str),
}

/// An attachment whose fields are valid; its bytes are not read yet.
pub(super) struct Checked<'a> {
    field: String,
    source: Source<'a>,
    filename: String,
    /// `None`: guessed from the filename once the bytes are known.
    content_type: Option<ContentType>,
    content_id: Option<String>,
}

/// An attachment ready to become a MIME part.
pub(super) struct Loaded {
    pub filename: String,
    pub content_type: ContentType,
    pub content_id: Option<String>,
    pub bytes: Vec<u8>,
}

/// Check every attachment of the draft. Two with the same Content-ID are refused: the
/// HTML's `cid:` would point at either, and readers pick differently.
pub(super) fn check_all(attachments: &[Attachment]) -> Result<Vec<Checked<'_>>> {
    let checked = attachments
        .iter()
        .enumerate()
        .map(|(i, a)| check(i, a))
        .collect::<Result<Vec<_>>>()?;
    for (i, a) in checked.iter().enumerate() {
        let Some(id) = &a.content_id else { continue };
        if let Some(first) = checked[..i]
            .iter()
            .position(|b| b.content_id.as_ref() == Some(id))
        {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{}.contentId {id:?} is already used by attachments[{first}]",
                    a.field
                ),
            ));
        }
    }
    Ok(checked)
}

/// Check attachment `index` of the draft; `attachments[index]` is what errors name.
fn check(index: usize, a: &Attachment) -> Result<Checked<'_>> {
    let field = format!("attachments[{index}]");
    let config = |message: String| Error::new(ErrorKind::Config, message);
    let source = match (a.path.as_deref(), a.data_base64.as_deref()) {
        (Some(path), None) => Source::Path(path),
        (None, Some(data)) => Source::Base64(data),
        (Some(_), Some(_)) => {
            return Err(config(format!(
                "{field} has both a path and data: give one of them"
            )))
        }
        (None, None) => return Err(config(format!("{field} has neither a path nor data"))),
    };
    let filename = match (a.filename.trim(), &source) {
        ("", Source::Path(path)) => file_name_of(path),
        (name, _) => name.to_owned(),
    };
    if filename.is_empty() {
        return Err(config(format!("{field}.filename is empty")));
    }
    one_line(&format!("{field}.filename"), &filename)?;
    let content_type = match a.content_type.as_deref() {
        None => None,
        Some(t) => {
            one_line(&format!("{field}.contentType"), t)?;
            let parsed = ContentType::parse(t.trim())
                .map_err(|_| config(format!("{field}.contentType {t:?} is not a MIME type")))?;
            Some(parsed)
        }
    };
    let content_id = a
        .content_id
        .as_deref()
        .map(|id| message_id(&format!("{field}.contentId"), id))
        .transpose()?;
    Ok(Checked {
        field,
        source,
        filename,
        content_type,
        content_id,
    })
}

impl Checked<'_> {
    /// Read or decode the bytes. A file that cannot be read is a `Storage` error naming
    /// the path: the user picked it, and it may have moved since.
    pub(super) fn load(self) -> Result<Loaded> {
        let bytes = match self.source {
            Source::Path(path) => std::fs::read(path).map_err(|e| {
                Error::new(
                    ErrorKind::Storage,
                    format!("{}: cannot read {path}: {e}", self.field),
                )
            })?,
            Source::Base64(data) => decode(data).map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("{}.dataBase64 is not valid base64 ({e})", self.field),
                )
            })?,
        };
        let content_type = match self.content_type {
            Some(t) => t,
            None => guessed_type(&self.filename, &bytes)?,
        };
        Ok(Loaded {
            filename: self.filename,
            content_type,
            content_id: self.content_id,
            bytes,
        })
    }
}

impl Loaded {
    /// The MIME part: `inline` (with its Content-ID, for multipart/related) or an
    /// ordinary attachment.
    pub(super) fn part(self, inline: bool) -> Result<SinglePart> {
        let body = Body::new_with_encoding(self.bytes, ContentTransferEncoding::Base64)
            .map_err(|_| Error::new(ErrorKind::Bug, "base64 refused an attachment's bytes"))?;
        let builder = match (inline, self.content_id) {
            (true, Some(id)) => {
                lettre::message::Attachment::new_inline_with_name(id, self.filename)
            }
            _ => lettre::message::Attachment::new(self.filename),
        };
        Ok(builder.body(body, self.content_type))
    }
}

/// Base64 as browsers and tools produce it: line breaks and spaces are ignored.
fn decode(data: &str) -> std::result::Result<Vec<u8>, base64::DecodeError> {
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

fn file_name_of(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The type for a file by its extension. A text type gets `charset=utf-8` when the bytes
/// are UTF-8: without a charset, text/* means US-ASCII and accents would be garbled.
fn guessed_type(filename: &str, bytes: &[u8]) -> Result<ContentType> {
    let mime = guess(filename);
    let text = mime.starts_with("text/") && std::str::from_utf8(bytes).is_ok();
    let value = if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    };
    ContentType::parse(&value)
        .map_err(|_| Error::new(ErrorKind::Bug, format!("the type table holds {value:?}")))
}

/// The common types by extension, case-insensitive; anything else is
/// application/octet-stream. `.eml` is left out on purpose: message/rfc822 may not be
/// base64-encoded (RFC 2046 §5.2.1), so a forwarded message needs its own path.
pub(super) fn guess(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map_or("application/octet-stream", |(_, t)| t)
}

const TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
    ("heic", "image/heic"),
    ("bmp", "image/bmp"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("htm", "text/html"),
    ("html", "text/html"),
    ("ics", "text/calendar"),
    ("vcf", "text/vcard"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("rtf", "application/rtf"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("tar", "application/x-tar"),
    ("7z", "application/x-7z-compressed"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("ogg", "audio/ogg"),
    ("mp4", "video/mp4"),
    ("mov", "video/quicktime"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn data(filename: &str, b64: &str) -> Attachment {
        Attachment {
            filename: filename.into(),
            data_base64: Some(b64.into()),
            ..Attachment::default()
        }
    }

    #[test]
    fn types_are_guessed_from_the_extension() {
        assert_eq!(guess("Rapport.PDF"), "application/pdf");
        assert_eq!(guess("photo.jpeg"), "image/jpeg");
        assert_eq!(guess("archive.tar.gz"), "application/gzip");
        assert_eq!(guess("README"), "application/octet-stream");
        assert_eq!(guess("mail.eml"), "application/octet-stream");
        for (ext, t) in TYPES {
            ContentType::parse(t).unwrap_or_else(|_| panic!("{ext}: {t}"));
        }
    }

    #[test]
    fn utf8_text_gets_a_charset() {
        let loaded = check(0, &data("notes.txt", "w6k="))
            .and_then(Checked::load)
            .expect("loads");
        assert_eq!(
            loaded.content_type,
            ContentType::parse("text/plain; charset=utf-8").expect("a type")
        );
        assert_eq!(loaded.bytes, "é".as_bytes());
    }

    #[test]
    fn base64_may_be_wrapped() {
        let loaded = check(0, &data("a.bin", "AAEC\r\nAwQ=\n")).and_then(Checked::load);
        assert_eq!(loaded.expect("loads").bytes, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_source_is_exactly_one_of_path_and_data() {
        let both = Attachment {
            path: Some("/etc/hostname".into()),
            ..data("x", "AA==")
        };
        let neither = Attachment {
            filename: "x".into(),
            ..Attachment::default()
        };
        for (a, says) in [(both, "both"), (neither, "neither")] {
            let err = check(3, &a).err().expect(says);
            assert_eq!(err.kind, ErrorKind::Config);
            assert!(
                err.message.starts_with("attachments[3] has "),
                "{}",
                err.message
            );
            assert!(err.message.contains(says), "{}", err.message);
        }
    }

    #[test]
    fn bad_fields_are_named() {
        let cases = [
            (data("a\r\nb.txt", "AA=="), "attachments[0].filename"),
            (data("", "AA=="), "attachments[0].filename"),
            (
                Attachment {
                    content_type: Some("not a type".into()),
                    ..data("a.txt", "AA==")
                },
                "attachments[0].contentType",
            ),
            (
                Attachment {
                    content_id: Some("x\ny".into()),
                    ..data("a.png", "AA==")
                },
                "attachments[0].contentId",
            ),
        ];
        for (a, field) in cases {
            let err = check(0, &a).err().expect(field);
            assert_eq!(err.kind, ErrorKind::Config);
            assert!(err.message.starts_with(field), "{}", err.message);
        }
        let err = check(0, &data("a.bin", "not base64!"))
            .and_then(Checked::load)
            .err()
            .expect("bad base64");
        assert!(
            err.message.starts_with("attachments[0].dataBase64"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_content_id_is_used_once() {
        let logo = |name: &str| Attachment {
            content_id: Some("<logo@c>".into()),
            ..data(name, "AA==")
        };
        let err = check_all(&[data("a.pdf", "AA=="), logo("a.png"), logo("b.png")])
            .err()
            .expect("duplicate");
        assert_eq!(err.kind, ErrorKind::Config);
        assert_eq!(
            err.message,
            "attachments[2].contentId \"logo@c\" is already used by attachments[1]"
        );
    }

    #[test]
    fn an_unreadable_path_is_a_storage_error_naming_it() {
        let a = Attachment {
            path: Some("/nonexistent/courriel/report.pdf".into()),
            ..Attachment::default()
        };
        let checked = check(1, &a).expect("fields are fine");
        assert_eq!(checked.filename, "report.pdf", "named after the file");
        let err = checked.load().err().expect("unreadable");
        assert_eq!(err.kind, ErrorKind::Storage);
        assert!(
            err.message.contains("/nonexistent/courriel/report.pdf"),
            "{}",
            err.message
        );
    }
}
