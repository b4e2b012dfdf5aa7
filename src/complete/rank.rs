//! Matching what was typed against candidate names, and the order candidates are shown in.
//!
//! Names match fuzzily (the typed chars as a subsequence: `djmi` finds
//! `django_migrations`); keywords match by prefix only. Matching is case-insensitive.
//! An exact or prefix match always ranks above a scattered one; among equals the closer,
//! then shorter, then more recently used name wins. Knows nothing of SQL.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Class {
    Exact,
    Prefix,
    Fuzzy,
}

/// How well one name matched; smaller is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Match {
    pub class: Class,
    /// Within a class: prefix -> name length; fuzzy -> span of the match, then its start.
    pub closeness: u32,
}

/// The typed prefix, case-folded once per request.
pub(super) struct Matcher {
    typed: Vec<char>,
    /// As typed, for preferring names whose case matches too.
    raw: Vec<char>,
    /// `typed` as bytes when it is all ASCII: the per-name rejection then runs on bytes.
    ascii: Option<Vec<u8>>,
    /// The first (up to 8) bytes of `ascii` as a `name_head` and the mask of those bytes.
    head: Option<(u64, u64)>,
}

fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Matcher {
    pub(super) fn new(typed: &str) -> Matcher {
        let folded: Vec<char> = typed.chars().map(fold).collect();
        let ascii: Option<Vec<u8>> = folded
            .iter()
            .all(char::is_ascii)
            .then(|| folded.iter().map(|&c| c as u8).collect());
        let head = ascii.as_ref().filter(|a| !a.is_empty()).map(|a| {
            let n = a.len().min(8);
            let mut want = [0u8; 8];
            want[..n].copy_from_slice(&a[..n]);
            let mask = if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            };
            (u64::from_le_bytes(want), mask)
        });
        Matcher {
            typed: folded,
            raw: typed.chars().collect(),
            ascii,
            head,
        }
    }

    /// True when a name whose `name_head` is `head` cannot start with what was typed
    /// (false whenever that cannot be told from the head).
    pub(super) fn rejects_head(&self, head: u64) -> bool {
        match self.head {
            Some((want, mask)) => head != crate::catalog::UNKNOWN_HEAD && head & mask != want,
            None => false,
        }
    }

    /// Prefix-or-exact match only (keywords, and fast paths).
    pub(super) fn prefix(&self, name: &str) -> Option<Match> {
        if self.typed.is_empty() {
            let class = if name.is_empty() {
                Class::Exact
            } else {
                Class::Prefix
            };
            return Some(Match {
                class,
                closeness: 0,
            });
        }
        let mut it = name.chars();
        for &t in &self.typed {
            match it.next() {
                Some(c) if fold(c) == t => {}
                _ => return None,
            }
        }
        let rest = it.count();
        if rest == 0 {
            Some(Match {
                class: Class::Exact,
                closeness: 0,
            })
        } else {
            // Same case as typed (`Ord` -> `Order Items` over `orders`) first, then shorter.
            let case_differs = !name.chars().zip(&self.raw).all(|(c, r)| c == *r);
            let closeness =
                (u32::from(case_differs) << 24) | len_u32(self.typed.len() + rest).min(0xff_ffff);
            Some(Match {
                class: Class::Prefix,
                closeness,
            })
        }
    }

    /// Exact, prefix, or subsequence match.
    pub(super) fn name(&self, name: &str) -> Option<Match> {
        self.prefix(name).or_else(|| self.fuzzy(name))
    }

    /// A subsequence match of a name that is no prefix match.
    pub(super) fn fuzzy(&self, name: &str) -> Option<Match> {
        let first = *self.typed.first()?;
        // Cheap rejection first (most names fail it): every typed char must occur in
        // order. On bytes when both sides are ASCII (a non-ASCII char may fold to ASCII).
        match &self.ascii {
            Some(typed) if name.is_ascii() => {
                let mut it = name.bytes();
                if !typed
                    .iter()
                    .all(|&t| it.any(|b| b.to_ascii_lowercase() == t))
                {
                    return None;
                }
            }
            _ => {
                let mut it = name.chars().map(fold);
                if !self.typed.iter().all(|&t| it.any(|c| c == t)) {
                    return None;
                }
            }
        }
        // Shortest window over all starting points; no allocation (this runs per name).
        let mut best: Option<(usize, usize)> = None; // (span, start)
        for (start, (b, c)) in name.char_indices().enumerate() {
            if fold(c) != first {
                continue;
            }
            let mut rest = name[b + c.len_utf8()..].chars().map(fold);
            let mut span = 1;
            let mut ok = true;
            for &t in &self.typed[1..] {
                loop {
                    match rest.next() {
                        Some(c) => {
                            span += 1;
                            if c == t {
                                break;
                            }
                        }
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if !ok {
                    break;
                }
            }
            if !ok {
                break; // a later start cannot succeed either
            }
            if best.is_none_or(|(s, _)| span < s) {
                best = Some((span, start));
            }
        }
        let (span, start) = best?;
        Some(Match {
            class: Class::Fuzzy,
            closeness: len_u32(span)
                .saturating_mul(256)
                .saturating_add(len_u32(start.min(255))),
        })
    }
}

/// The full sort key of a candidate; `Ord` gives the menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rank {
    pub m: Match,
    /// Which kind of suggestion produced it, as ordered by the context (columns before
    /// functions before keywords, ...).
    pub group: u16,
    /// Position in the recent list, `u32::MAX` when not recent.
    pub recent: u32,
    /// Generation order, the final tie-break (catalog order for columns).
    pub order: u32,
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> Ordering {
        self.m
            .class
            .cmp(&other.m.class)
            .then(self.group.cmp(&other.group))
            .then(self.recent.cmp(&other.recent))
            .then(self.m.closeness.cmp(&other.m.closeness))
            .then(self.order.cmp(&other.order))
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The recently used names, for [`Rank::recent`]. Asked once per candidate (50,000
/// times for `FROM ` in a big catalog), so a name is turned away by its length, then by a
/// case-folded hash, before any string is compared.
pub(super) struct Recent<'a> {
    names: &'a [String],
    /// Bit `n` set: some recent name is `n` bytes long (bit 63: 63 or longer).
    lengths: u64,
    /// `folded_hash` of each name, in list order.
    hashes: Vec<u64>,
}

/// FNV-1a over the ASCII-lower-cased bytes: equal for names `eq_ignore_ascii_case` calls
/// equal.
fn folded_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

impl<'a> Recent<'a> {
    pub(super) fn new(names: &'a [String]) -> Recent<'a> {
        let lengths = names.iter().fold(0, |acc, n| acc | 1 << n.len().min(63));
        let hashes = names.iter().map(|n| folded_hash(n)).collect();
        Recent {
            names,
            lengths,
            hashes,
        }
    }

    /// Position of `name` in the list (case-insensitive), `u32::MAX` when not there.
    pub(super) fn rank(&self, name: &str) -> u32 {
        if self.lengths & (1 << name.len().min(63)) == 0 {
            return u32::MAX;
        }
        let h = folded_hash(name);
        self.hashes
            .iter()
            .zip(self.names)
            .position(|(&rh, r)| rh == h && r.eq_ignore_ascii_case(name))
            .map_or(u32::MAX, len_u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_rules_out_only_names_that_cannot_start_with_the_typed_prefix() {
        use crate::catalog::name_head;
        let m = Matcher::new("Inv");
        assert!(!m.rejects_head(name_head("invoice_payment_0001")));
        assert!(!m.rejects_head(name_head("INV")));
        assert!(m.rejects_head(name_head("in")));
        assert!(m.rejects_head(name_head("customer_invoice")));
        assert!(!m.rejects_head(name_head("ïnv")));
        let long = Matcher::new("invoice_payment");
        assert!(!long.rejects_head(name_head("invoice_pxyz")));
        assert!(!Matcher::new("").rejects_head(name_head("x")));
        assert!(!Matcher::new("é").rejects_head(name_head("x")));
        for name in [
            "invoice",
            "Inventory",
            "in",
            "xinv",
            "ïnv",
            "INVOICE_PAYMENT_X",
        ] {
            for typed in ["i", "in", "INV", "invoice_p", "invoice_payment_x"] {
                let m = Matcher::new(typed);
                if m.rejects_head(name_head(name)) {
                    assert_eq!(m.prefix(name), None, "{typed} {name}");
                }
            }
        }
    }

    #[test]
    fn recent_names_are_found_in_any_ascii_case_first_position_first() {
        let names: Vec<String> = ["orders", "users", "Users", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let recent = Recent::new(&names);
        assert_eq!(recent.rank("USERS"), 1);
        assert_eq!(recent.rank("orders"), 0);
        assert_eq!(recent.rank("x"), 3);
        assert_eq!(recent.rank("order"), u32::MAX);
        assert_eq!(recent.rank("ordeRs"), 0);
        assert_eq!(recent.rank("userz"), u32::MAX);
        assert_eq!(Recent::new(&[]).rank(""), u32::MAX);
    }
}
