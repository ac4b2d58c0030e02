//! UID sets the server sends back about many messages at once: COPYUID's source and
//! destination sets (UIDPLUS, after a MOVE or COPY of a set) and CONDSTORE's MODIFIED set
//! (the messages a guarded STORE left alone). Kept as the server's ranges and only ever
//! looked up for the UIDs we sent: a hostile `1:4294967295` is never expanded.

use std::ops::RangeInclusive;

use async_imap::imap_proto::rfc4315::UidSetMember;

/// A UID set as ranges, in the server's order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UidRanges(Vec<RangeInclusive<u32>>);

impl UidRanges {
    pub fn from_members(set: &[UidSetMember]) -> UidRanges {
        UidRanges(
            set.iter()
                .map(|m| match m {
                    UidSetMember::Uid(u) => *u..=*u,
                    UidSetMember::UidRange(r) => {
                        (*r.start()).min(*r.end())..=(*r.start()).max(*r.end())
                    }
                })
                .collect(),
        )
    }

    /// A set as written in a response ("3,7:9"); None when it is not one.
    pub fn parse(text: &str) -> Option<UidRanges> {
        let mut ranges = Vec::new();
        for part in text.split(',') {
            let (a, b) = part.split_once(':').unwrap_or((part, part));
            let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            ranges.push(a.min(b)..=a.max(b));
        }
        Some(UidRanges(ranges))
    }

    pub fn contains(&self, uid: u32) -> bool {
        self.0.iter().any(|r| r.contains(&uid))
    }

    /// Where `uid` stands in the set (0 for its first UID).
    fn position(&self, uid: u32) -> Option<u64> {
        let mut before = 0u64;
        for r in &self.0 {
            if r.contains(&uid) {
                return Some(before + u64::from(uid - r.start()));
            }
            before += u64::from(r.end() - r.start()) + 1;
        }
        None
    }

    /// The UID at `position` in the set.
    fn at(&self, mut position: u64) -> Option<u32> {
        for r in &self.0 {
            let len = u64::from(r.end() - r.start()) + 1;
            if position < len {
                return u32::try_from(u64::from(*r.start()) + position).ok();
            }
            position -= len;
        }
        None
    }
}

/// COPYUID (RFC 4315 §3): the n-th source UID landed as the n-th destination UID.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopyUid {
    pub from: UidRanges,
    pub to: UidRanges,
}

impl CopyUid {
    /// Where the message that was `uid` landed, when the server said.
    pub fn landed(&self, uid: u32) -> Option<u32> {
        self.to.at(self.from.position(uid)?)
    }
}

/// The UIDs in a completion's `[MODIFIED set]` (RFC 7162 §3.1.3), which imap-proto does
/// not parse: the text carries it. None when the code is absent.
pub fn modified(text: &str) -> Option<UidRanges> {
    let upper = text.to_ascii_uppercase();
    let start = upper.find("[MODIFIED ")? + "[MODIFIED ".len();
    let end = start + upper[start..].find(']')?;
    UidRanges::parse(&text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> UidRanges {
        UidRanges::parse(text).expect("a UID set")
    }

    #[test]
    fn copyuid_maps_each_source_to_its_destination() {
        let copy = CopyUid {
            from: set("3,7:9,20"),
            to: set("101:104,110"),
        };
        let landed: Vec<_> = [3, 7, 8, 9, 20, 5].map(|u| copy.landed(u)).into();
        assert_eq!(
            landed,
            vec![Some(101), Some(102), Some(103), Some(104), Some(110), None]
        );
    }

    #[test]
    fn a_hostile_set_is_looked_up_not_expanded() {
        let copy = CopyUid {
            from: set("1:4294967295"),
            to: set("4294967295:1"),
        };
        assert_eq!(copy.landed(4_294_967_295), Some(4_294_967_295));
        assert_eq!(copy.landed(2), Some(2));
    }

    #[test]
    fn a_shorter_destination_names_no_uid() {
        let copy = CopyUid {
            from: set("1:3"),
            to: set("9"),
        };
        assert_eq!((copy.landed(1), copy.landed(2)), (Some(9), None));
    }

    #[test]
    fn modified_is_read_from_the_text() {
        let set = modified("[MODIFIED 7,9:10] Conditional STORE failed").expect("MODIFIED");
        assert!(set.contains(7) && set.contains(10) && !set.contains(8));
        assert_eq!(modified("Store completed"), None);
        assert_eq!(modified("[MODIFIED x] no"), None);
    }
}
