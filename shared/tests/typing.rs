//! Typing into notes from text boxes that lag behind the document: diffs in
//! UTF-16 units, edits applied at the heads the box showed, carets carried
//! over remote changes. Every typed string survives on every replica.

mod common;

use automerge::{ActorId, AutoCommit, TextEncoding};
use common::*;
use linli_shared::domain::*;

fn utf16_meeting() -> AutoCommit {
    let mut doc = AutoCommit::new_with_encoding(TextEncoding::Utf16CodeUnit)
        .with_actor(ActorId::from(vec![9; 16]));
    create_meeting(&mut doc, &ctx("cm1", T0), new_meeting(&[])).unwrap();
    let item = NewAgendaItem {
        id: "i".into(),
        title: "加装电梯".into(),
        concerns: vec![],
    };
    add_agenda_item(&mut doc, &ctx("cm1", T0), item).unwrap();
    doc
}

const ITEM: Notes<'static> = Notes::Item("i");

/// A phone's text box: what it shows and the heads it shows them at.
struct TextBox {
    value: String,
    seen: Vec<automerge::ChangeHash>,
    caret: usize,
}

impl TextBox {
    fn new(doc: &mut AutoCommit) -> TextBox {
        TextBox {
            value: read_notes(doc, ITEM).unwrap(),
            seen: doc.get_heads(),
            caret: 0,
        }
    }
    /// The person types `s` at UTF-16 position `at` of what the box shows.
    fn type_at(&mut self, doc: &mut AutoCommit, at: usize, s: &str) {
        let units: Vec<u16> = self.value.encode_utf16().collect();
        let mut new: Vec<u16> = units[..at].to_vec();
        new.extend(s.encode_utf16());
        new.extend(&units[at..]);
        let new = String::from_utf16(&new).unwrap();
        let caret = at + s.encode_utf16().count();
        let splice = diff_utf16(&self.value, &new, caret).unwrap();
        let typed = apply_typed(doc, ITEM, &self.seen, &splice, T0).unwrap();
        // What the box shows afterwards is the document's text.
        assert_eq!(typed.text, read_notes(doc, ITEM).unwrap());
        self.seen = typed.heads;
        self.value = typed.text;
        self.caret = typed.caret;
    }
}

#[test]
fn diffs_count_utf16_units_and_follow_the_caret() {
    let s = |pos, delete, insert: &str| {
        Some(Splice {
            pos,
            delete,
            insert: insert.into(),
        })
    };
    assert_eq!(diff_utf16("aa", "aaa", 1), s(0, 0, "a"));
    assert_eq!(diff_utf16("aa", "aaa", 3), s(2, 0, "a"));
    assert_eq!(diff_utf16("议事", "议事会", 3), s(2, 0, "会"));
    // An emoji is two UTF-16 units.
    assert_eq!(diff_utf16("a😀b", "a😀xb", 4), s(3, 0, "x"));
    assert_eq!(diff_utf16("a😀b", "ab", 1), s(1, 2, ""));
    // Replacing one emoji by another that shares its high surrogate.
    assert_eq!(diff_utf16("😀", "😁", 2), s(0, 2, "😁"));
    assert_eq!(diff_utf16("电梯", "电梯", 2), None);
    assert_eq!(diff_utf16("abc", "aXc", 2), s(1, 1, "X"));
}

#[test]
fn typing_on_a_stale_box_merges_instead_of_overwriting() {
    // Whoever the other phone is (its actor id breaks ties between inserts at
    // the same spot) and however many edits it made before, what I keep
    // typing stays with what I typed.
    for (actor, earlier_edits) in [(0u8, 0), (7, 0), (255, 0), (0, 30), (255, 30)] {
        let mut doc = utf16_meeting();
        let mut mine = TextBox::new(&mut doc);
        mine.type_at(&mut doc, 0, "同意加装");
        // Another phone's edit arrives before my box is refreshed.
        let mut other = doc.fork().with_actor(ActorId::from(vec![actor; 16]));
        for _ in 0..earlier_edits {
            edit_notes(&mut other, Notes::Minutes, 0, 0, "x").unwrap();
        }
        edit_notes(&mut other, ITEM, 4, 0, "，一楼住户有顾虑").unwrap();
        doc.merge(&mut other).unwrap();
        // I keep typing into the box that still shows only my own text.
        mine.type_at(&mut doc, 4, "电梯");
        let merged = "同意加装电梯，一楼住户有顾虑";
        assert_eq!(
            read_notes(&doc, ITEM).unwrap(),
            merged,
            "other phone {actor}"
        );
        // The box now shows the merged text, in step with the document, with
        // the caret after what I typed.
        assert_eq!(mine.value, merged);
        assert_eq!(mine.seen, doc.get_heads());
        assert_eq!(mine.caret, 6);
        // The other phone gets the same text.
        other.merge(&mut doc).unwrap();
        assert_eq!(read_notes(&other, ITEM).unwrap(), merged);
    }
}

#[test]
fn deleting_on_a_stale_box_deletes_only_what_i_saw() {
    let mut doc = utf16_meeting();
    let mut mine = TextBox::new(&mut doc);
    mine.type_at(&mut doc, 0, "甲乙丙丁");
    let mut other = doc.fork().with_actor(ActorId::from(vec![7; 16]));
    // Meanwhile: text added inside the part I delete, and one of its
    // characters deleted.
    edit_notes(&mut other, ITEM, 2, 0, "😀新").unwrap(); // 甲乙😀新丙丁
    edit_notes(&mut other, ITEM, 1, 1, "").unwrap(); // 甲😀新丙丁
    doc.merge(&mut other).unwrap();
    // I select 乙丙 in my stale box and type 戊 over it.
    let splice = Splice {
        pos: 1,
        delete: 2,
        insert: "戊".into(),
    };
    let typed = apply_typed(&mut doc, ITEM, &mine.seen, &splice, T0).unwrap();
    assert_eq!(typed.text, "甲戊😀新丁");
    assert_eq!(typed.caret, 2);
    assert_eq!(read_notes(&doc, ITEM).unwrap(), typed.text);
    // A splice beyond what the box showed is refused and writes nothing.
    let heads = doc.get_heads();
    let bad = Splice {
        pos: 4,
        delete: 1,
        insert: String::new(),
    };
    assert!(matches!(
        apply_typed(&mut doc, ITEM, &mine.seen, &bad, T0),
        Err(DomainError::OutOfRange { index: 5, len: 4 })
    ));
    assert_eq!(doc.get_heads(), heads);
}

#[test]
fn the_caret_stays_after_what_i_typed_when_others_type_before_or_after() {
    let mut doc = utf16_meeting();
    let mut mine = TextBox::new(&mut doc);
    mine.type_at(&mut doc, 0, "abc");
    let seen = mine.seen.clone();
    let mut other = doc.fork().with_actor(ActorId::from(vec![7; 16]));
    edit_notes(&mut other, ITEM, 0, 0, "😀XY").unwrap(); // before my caret: 4 units
    edit_notes(&mut other, ITEM, 7, 0, "Z").unwrap(); // after it
    doc.merge(&mut other).unwrap();
    assert_eq!(read_notes(&doc, ITEM).unwrap(), "😀XYabcZ");
    assert_eq!(map_caret(&doc, ITEM, &seen, 3).unwrap(), 7);
    assert_eq!(map_caret(&doc, ITEM, &seen, 1).unwrap(), 5);
    assert_eq!(map_caret(&doc, ITEM, &seen, 0).unwrap(), 0);
    // The character before the caret was deleted remotely: the caret stays
    // where it was in the surrounding text.
    let mut other = doc.fork().with_actor(ActorId::from(vec![6; 16]));
    edit_notes(&mut other, ITEM, 5, 2, "").unwrap(); // deletes "bc"
    doc.merge(&mut other).unwrap();
    assert_eq!(read_notes(&doc, ITEM).unwrap(), "😀XYaZ");
    assert_eq!(map_caret(&doc, ITEM, &seen, 3).unwrap(), 5);
}

#[test]
fn a_caret_whose_text_before_was_deleted_stays_before_the_text_after() {
    let mut doc = utf16_meeting();
    let mut mine = TextBox::new(&mut doc);
    mine.type_at(&mut doc, 0, "甲乙丙");
    let seen = mine.seen.clone();
    let mut other = doc.fork().with_actor(ActorId::from(vec![7; 16]));
    edit_notes(&mut other, ITEM, 0, 2, "").unwrap();
    edit_notes(&mut other, ITEM, 0, 0, "XY").unwrap();
    doc.merge(&mut other).unwrap();
    assert_eq!(read_notes(&doc, ITEM).unwrap(), "XY丙");
    assert_eq!(map_caret(&doc, ITEM, &seen, 2).unwrap(), 2);
    // Typing there from the stale box lands there too.
    mine.type_at(&mut doc, 2, "丁");
    assert_eq!(mine.value, "XY丁丙");
    assert_eq!(mine.caret, 3);
}

#[test]
fn a_caret_after_an_emoji_stays_after_the_whole_emoji() {
    let mut doc = utf16_meeting();
    let mut mine = TextBox::new(&mut doc);
    mine.type_at(&mut doc, 0, "好😀");
    let seen = mine.seen.clone();
    let mut other = doc.fork().with_actor(ActorId::from(vec![7; 16]));
    edit_notes(&mut other, ITEM, 0, 0, "👍").unwrap();
    doc.merge(&mut other).unwrap();
    assert_eq!(read_notes(&doc, ITEM).unwrap(), "👍好😀");
    assert_eq!(map_caret(&doc, ITEM, &seen, 3).unwrap(), 5);
    assert_eq!(map_caret(&doc, ITEM, &seen, 1).unwrap(), 3);
}

#[test]
fn three_offline_typists_converge_with_every_string() {
    let mut base = utf16_meeting();
    let mut phones: Vec<AutoCommit> = (1..=3u8).map(|n| device(&mut base, n)).collect();
    let words = ["甲说：同意", "乙说：反对😀", "丙说：再议"];
    let mut boxes: Vec<TextBox> = phones.iter_mut().map(TextBox::new).collect();
    for round in 0..3 {
        for (i, (doc, tb)) in phones.iter_mut().zip(boxes.iter_mut()).enumerate() {
            let at = tb.value.encode_utf16().count();
            tb.type_at(doc, at, &format!("{}{round};", words[i]));
        }
        // Partial sync: phone 0 and 1 meet; phone 2 stays offline.
        let (a, rest) = phones.split_at_mut(1);
        sync_pair(&mut a[0], &mut rest[0]);
    }
    let (a, rest) = phones.split_at_mut(1);
    sync_pair(&mut a[0], &mut rest[1]);
    let (a, rest) = phones.split_at_mut(1);
    sync_pair(&mut a[0], &mut rest[0]);
    let texts: Vec<String> = phones
        .iter()
        .map(|d| read_notes(d, ITEM).unwrap())
        .collect();
    assert_eq!(texts[0], texts[1]);
    assert_eq!(texts[0], texts[2]);
    for w in words {
        for round in 0..3 {
            assert!(
                texts[0].contains(&format!("{w}{round};")),
                "{w}{round} in {}",
                texts[0]
            );
        }
    }
}
