//! Small-cell suppression for the programme report and the council overview: no figure
//! about fewer than [`MIN_PEOPLE`] people may be shown, nor be derivable from what is
//! shown (the totals minus the visible rows). No I/O.

use std::collections::HashSet;
use std::hash::Hash;

/// Fewer people than this in a cell and its person figures are not shown.
pub const MIN_PEOPLE: usize = 3;

/// Which cells' person figures to hide, given the people behind each cell and behind
/// the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rows: Vec<bool>,
    pub totals: bool,
}

/// Primary suppression hides every cell of fewer than [`MIN_PEOPLE`] people. When any is
/// hidden, the totals minus the visible cells give the sum of the hidden ones, so the
/// hidden cells together must also cover at least [`MIN_PEOPLE`] people and be more than
/// one: the smallest visible cells are hidden with them (complementary suppression) until
/// they do. If no cells are left to add, the totals are hidden too.
pub fn suppress<P: Eq + Hash + Clone>(rows: &[HashSet<P>], totals: &HashSet<P>) -> Suppression {
    let mut hidden: Vec<bool> = rows.iter().map(|p| p.len() < MIN_PEOPLE).collect();
    let mut hide_totals = totals.len() < MIN_PEOPLE;
    if hidden.iter().any(|h| *h) {
        loop {
            let union: HashSet<&P> = rows
                .iter()
                .zip(&hidden)
                .filter(|(_, h)| **h)
                .flat_map(|(p, _)| p.iter())
                .collect();
            let count = hidden.iter().filter(|h| **h).count();
            if union.len() >= MIN_PEOPLE && count >= 2 {
                break;
            }
            // The visible cell with the fewest people, people-less cells last (hiding a
            // cell everyone knows is empty protects no one).
            let next = hidden
                .iter()
                .enumerate()
                .filter(|(_, h)| !**h)
                .min_by_key(|(i, _)| (rows[*i].is_empty(), rows[*i].len()))
                .map(|(i, _)| i);
            match next {
                Some(i) => hidden[i] = true,
                None => {
                    hide_totals = true;
                    break;
                }
            }
        }
    }
    Suppression {
        rows: hidden,
        totals: hide_totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(ids: &[u32]) -> HashSet<u32> {
        ids.iter().copied().collect()
    }

    #[test]
    fn large_cells_are_all_shown() {
        let rows = [people(&[1, 2, 3]), people(&[4, 5, 6, 7])];
        let s = suppress(&rows, &people(&[1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(
            s,
            Suppression {
                rows: vec![false, false],
                totals: false
            }
        );
    }

    #[test]
    fn one_small_cell_takes_the_next_smallest_with_it_so_totals_cannot_undo_it() {
        let rows = [people(&[1]), people(&[2, 3, 4]), people(&[5, 6, 7, 8, 9])];
        let s = suppress(&rows, &people(&[1, 2, 3, 4, 5, 6, 7, 8, 9]));
        assert_eq!(s.rows, vec![true, true, false]);
        assert!(!s.totals);
    }

    #[test]
    fn hidden_cells_together_must_cover_three_people() {
        // Two small cells of the same person: their sum still concerns one person.
        let rows = [
            people(&[1]),
            people(&[1]),
            people(&[2, 3, 4]),
            people(&[5, 6, 7]),
        ];
        let s = suppress(&rows, &people(&[1, 2, 3, 4, 5, 6, 7]));
        assert_eq!(s.rows, vec![true, true, true, false]);
        // Two small cells of different people (1 + 2 = 3) cover each other.
        let rows = [people(&[1]), people(&[2, 3]), people(&[4, 5, 6])];
        let s = suppress(&rows, &people(&[1, 2, 3, 4, 5, 6]));
        assert_eq!(s.rows, vec![true, true, false]);
    }

    #[test]
    fn with_nothing_left_to_hide_the_totals_go_too() {
        let rows = [people(&[1]), people(&[])];
        let s = suppress(&rows, &people(&[1, 2, 3]));
        assert_eq!(
            s,
            Suppression {
                rows: vec![true, true],
                totals: true
            }
        );
        let s = suppress(&[people(&[1, 2])], &people(&[1, 2]));
        assert!(
            s.totals,
            "totals of fewer than three people are small themselves"
        );
    }

    #[test]
    fn empty_cells_are_hidden_last() {
        let rows = [
            people(&[1]),
            people(&[]),
            people(&[2, 3, 4]),
            people(&[5, 6, 7, 8]),
        ];
        let s = suppress(&rows, &people(&[1, 2, 3, 4, 5, 6, 7, 8]));
        assert_eq!(s.rows, vec![true, true, true, false]);
    }
}
