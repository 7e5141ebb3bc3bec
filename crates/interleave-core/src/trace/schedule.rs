//! [`Schedule`]: a run's scheduler decisions, run-length encoded.

use super::Decision;

/// A run's scheduler decisions, run-length encoded: almost all are "do not preempt", asked
/// of every running core on every tick, so a million of them take a few words. Reading
/// gives back exactly the decisions pushed, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// `PICK | i`: `Pick(i)`. Otherwise `[PREEMPTED] | n`: `n` equal `Preempt` decisions.
    words: Vec<u32>,
    len: usize,
}

const PICK: u32 = 1 << 31;
const PREEMPTED: u32 = 1 << 30;
const COUNT: u32 = PREEMPTED - 1;

impl Schedule {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn push(&mut self, d: Decision) {
        self.len += 1;
        match d {
            Decision::Pick(i) => {
                // A pick indexes the ready queue, far shorter than 2^31 threads; larger
                // indexes take more words (each adds up).
                let mut i = i;
                while i >= PICK - 1 {
                    self.words.push(PICK | (PICK - 1));
                    i -= PICK - 1;
                }
                self.words.push(PICK | i);
            }
            Decision::Preempt(p) => {
                let flag = if p { PREEMPTED } else { 0 };
                if let Some(last) = self.words.last_mut() {
                    if *last & (PICK | PREEMPTED) == flag && *last & COUNT < COUNT {
                        *last += 1;
                        return;
                    }
                }
                self.words.push(flag | 1);
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Decision> + '_ {
        let mut carry = 0;
        self.words.iter().flat_map(move |&w| {
            let (d, n) = if w & PICK != 0 {
                let part = w & !PICK;
                if part == PICK - 1 {
                    carry += part;
                    (None, 0)
                } else {
                    let i = carry + part;
                    carry = 0;
                    (Some(Decision::Pick(i)), 1)
                }
            } else {
                (Some(Decision::Preempt(w & PREEMPTED != 0)), w & COUNT)
            };
            d.into_iter()
                .flat_map(move |d| std::iter::repeat_n(d, n as usize))
        })
    }

    pub fn to_vec(&self) -> Vec<Decision> {
        self.iter().collect()
    }

    /// Gives back the room kept for growth, once recording is over.
    pub fn shrink_to_fit(&mut self) {
        self.words.shrink_to_fit();
    }
}

impl FromIterator<Decision> for Schedule {
    fn from_iter<I: IntoIterator<Item = Decision>>(ds: I) -> Schedule {
        let mut s = Schedule::default();
        for d in ds {
            s.push(d);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_gives_back_exactly_the_decisions_pushed_in_few_words() {
        let mut ds = vec![Decision::Preempt(false); 100_000];
        ds.extend([
            Decision::Pick(0),
            Decision::Pick(3),
            Decision::Preempt(true),
            Decision::Preempt(true),
            Decision::Pick(u32::MAX),
            Decision::Pick(PICK - 1),
            Decision::Pick(PICK - 2),
            Decision::Preempt(false),
        ]);
        let s: Schedule = ds.iter().copied().collect();
        assert_eq!(s.len(), ds.len());
        assert_eq!(s.to_vec(), ds);
        assert!(s.words.len() < 20, "{} words", s.words.len());
    }
}
