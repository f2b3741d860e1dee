//! The RFC 6962 reference vectors in `tests/data/rfc6962.txt`.

use fazhi_ledger::{
    Hash, MemStore, TreeBuilder, check_record, check_tree, leaf_hash, prove_record, prove_tree,
    tree_hash,
};

fn hex_bytes(text: &str) -> Vec<u8> {
    let text = text.trim_matches('"');
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).expect("hex"))
        .collect()
}

struct Vectors {
    leaves: Vec<Hash>,
    roots: Vec<Hash>,
    inclusion: Vec<(u64, u64, Vec<Hash>)>,
    consistency: Vec<(u64, u64, Vec<Hash>)>,
}

fn vectors() -> Vectors {
    let text = include_str!("../data/rfc6962.txt");
    let mut v = Vectors {
        leaves: Vec::new(),
        roots: Vec::new(),
        inclusion: Vec::new(),
        consistency: Vec::new(),
    };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("leaves:") => {
                v.leaves = words[1..]
                    .iter()
                    .map(|w| leaf_hash(&hex_bytes(w)))
                    .collect()
            }
            Some("root") => v.roots.push(Hash::from_hex(words[2]).expect("hash")),
            Some(kind @ ("inclusion" | "consistency")) => {
                let (a, b) = (words[1].parse().expect("n"), words[2].parse().expect("n"));
                let hashes = words[3..]
                    .iter()
                    .map(|w| Hash::from_hex(w).expect("hash"))
                    .collect();
                if kind == "inclusion" {
                    v.inclusion.push((a, b, hashes))
                } else {
                    v.consistency.push((a, b, hashes))
                }
            }
            _ => {}
        }
    }
    v
}

#[test]
fn roots_match_the_published_tree_heads_for_every_size() {
    let v = vectors();
    let mut store = MemStore::new();
    let mut builder = TreeBuilder::new();
    assert_eq!(tree_hash(0, &store).expect("empty"), v.roots[0]);
    for (size, leaf) in (1..).zip(&v.leaves) {
        store.append(*leaf).expect("append");
        builder.push(*leaf);
        assert_eq!(
            tree_hash(size, &store).expect("root"),
            v.roots[size as usize],
            "size {size}"
        );
        assert_eq!(
            builder.root(),
            v.roots[size as usize],
            "builder, size {size}"
        );
    }
}

#[test]
fn proofs_match_the_published_proofs_and_verify() {
    let v = vectors();
    let mut store = MemStore::new();
    for leaf in &v.leaves {
        store.append(*leaf).expect("append");
    }
    for (index, size, expected) in &v.inclusion {
        let proof = prove_record(*size, *index, &store).expect("prove");
        assert_eq!(&proof, expected, "inclusion {index} in {size}");
        check_record(
            &proof,
            *size,
            v.roots[*size as usize],
            *index,
            v.leaves[*index as usize],
        )
        .expect("verifies");
    }
    for (old, new, expected) in &v.consistency {
        let proof = prove_tree(*new, *old, &store).expect("prove");
        assert_eq!(&proof, expected, "consistency {old} → {new}");
        check_tree(
            &proof,
            *new,
            v.roots[*new as usize],
            *old,
            v.roots[*old as usize],
        )
        .expect("verifies");
    }
}
