//! The councils' funding key, in whole kroner and integers only: each eligible council
//! gets the base amount plus the per-child amount times its residents aged 0–19; a
//! council without a figure for the year gets its base alone; one not eligible, nothing.

/// The key's amounts for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameters {
    pub base_nok: i64,
    pub per_child_nok: i64,
    pub pot_nok: i64,
}

/// One council's share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub base_nok: i64,
    pub per_child_part_nok: i64,
    pub total_nok: i64,
}

/// The share of a council with `residents_0_19` (`None`: no figure entered).
pub fn share(p: &Parameters, eligible: bool, residents_0_19: Option<i64>) -> Share {
    if !eligible {
        return Share {
            base_nok: 0,
            per_child_part_nok: 0,
            total_nok: 0,
        };
    }
    let per_child = residents_0_19.map_or(0, |r| r.saturating_mul(p.per_child_nok));
    Share {
        base_nok: p.base_nok,
        per_child_part_nok: per_child,
        total_nok: p.base_nok.saturating_add(per_child),
    }
}

/// The shares added up, and whether they exceed the pot.
pub fn sum(p: &Parameters, shares: &[Share]) -> (i64, bool) {
    let total = shares
        .iter()
        .fold(0i64, |acc, s| acc.saturating_add(s.total_nok));
    (total, total > p.pot_nok)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LARVIK: Parameters = Parameters {
        base_nok: 80_000,
        per_child_nok: 87,
        pot_nok: 1_000_000,
    };

    #[test]
    fn a_council_gets_its_base_and_87_kroner_per_child() {
        let s = share(&LARVIK, true, Some(1_234));
        assert_eq!(s.per_child_part_nok, 107_358);
        assert_eq!(s.total_nok, 187_358);
    }

    #[test]
    fn without_a_figure_only_the_base_and_not_eligible_nothing() {
        assert_eq!(share(&LARVIK, true, None).total_nok, 80_000);
        assert_eq!(share(&LARVIK, false, Some(5_000)).total_nok, 0);
    }

    #[test]
    fn the_sum_says_when_the_pot_is_exceeded() {
        let shares = [
            share(&LARVIK, true, Some(4_000)),
            share(&LARVIK, true, Some(3_000)),
        ];
        // 80,000 + 348,000 + 80,000 + 261,000 = 769,000
        assert_eq!(sum(&LARVIK, &shares), (769_000, false));
        let more = [shares[0], shares[1], share(&LARVIK, true, Some(3_000))];
        assert_eq!(sum(&LARVIK, &more), (1_110_000, true));
    }
}
