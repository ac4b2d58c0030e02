//! The small decoders several modules need, in one place: calendar dates from unix time
//! and back (IMAP dates, certificate expiry, CLI output) and percent-decoding (`mailto:`
//! links, RFC 2231 file names). Pure functions, no clock.

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds → (year, month 1-12, day 1-31), UTC (Howard Hinnant's algorithm).
pub fn civil_from_unix(unix: i64) -> (i64, i64, i64) {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Percent-decodes `s`: UTF-8 when the octets are, ISO-8859-1 otherwise (an old mailer's
/// `%E9`); a `%` not followed by two hex digits stays as it is.
pub fn percent(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(octet) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(octet);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for unix in [0, 951_782_400, 1_764_400_000, -86_400] {
            let (y, m, d) = civil_from_unix(unix);
            assert_eq!(
                days_from_civil(y, m, d) * 86_400,
                unix - unix.rem_euclid(86_400)
            );
        }
        assert_eq!(civil_from_unix(951_782_400), (2000, 2, 29));
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent("R%C3%A9sum%C3%A9.pdf"), "Résumé.pdf");
        assert_eq!(percent("caf%E9"), "café");
        assert_eq!(percent("100%"), "100%");
        assert_eq!(percent("%zz"), "%zz");
    }
}
