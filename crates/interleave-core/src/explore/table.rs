//! A table from 16-byte fingerprints to a 4-byte value (a node, a count of preemptions):
//! open addressing over the fingerprints themselves (already uniform), at most half full.

/// 16 bytes of key and 4 of value per slot.
pub struct Table {
    keys: Vec<u128>,
    nodes: Vec<u32>,
    len: usize,
}

const EMPTY: u128 = 0;

impl Table {
    pub fn new() -> Table {
        Table {
            keys: vec![EMPTY; 1024],
            nodes: vec![0; 1024],
            len: 0,
        }
    }

    fn slot(&self, key: u128) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = (key as usize) & mask;
        while self.keys[i] != EMPTY && self.keys[i] != key {
            i = (i + 1) & mask;
        }
        i
    }

    pub fn get(&self, key: u128) -> Option<u32> {
        let i = self.slot(key.max(1));
        (self.keys[i] != EMPTY).then(|| self.nodes[i])
    }

    pub fn insert(&mut self, key: u128, node: u32) {
        let key = key.max(1);
        if (self.len + 1) * 2 > self.keys.len() {
            let old = std::mem::replace(
                self,
                Table {
                    keys: vec![EMPTY; self.keys.len() * 2],
                    nodes: vec![0; self.keys.len() * 2],
                    len: 0,
                },
            );
            for (k, n) in old.keys.into_iter().zip(old.nodes) {
                if k != EMPTY {
                    self.insert(k, n);
                }
            }
        }
        let i = self.slot(key);
        if self.keys[i] == EMPTY {
            self.len += 1;
        }
        self.keys[i] = key;
        self.nodes[i] = node;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn bytes(&self) -> usize {
        self.keys.len() * (16 + 4)
    }
}
