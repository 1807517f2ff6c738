//! Visits, the monthly task list and the micro-fund.

mod common;

use common::*;
use linli_shared::domain::RecordKind;
use linli_shared::domain::*;

#[test]
fn visits_are_logged_and_listed_newest_first() {
    let mut doc = sample_community();
    let v = NewVisit {
        id: "v1".into(),
        household: Some("hh1a".into()),
        note: "独居老人，身体好".into(),
        concerns: vec![],
    };
    log_visit(&mut doc, &ctx("ll1", T0), v).unwrap();
    record_concern(
        &mut doc,
        &ctx("ll1", T0 + DAY),
        new_concern("c", "微心愿：轮椅"),
    )
    .unwrap();
    let v2 = NewVisit {
        id: "v2".into(),
        household: Some("hh1b".into()),
        note: String::new(),
        concerns: vec!["c".into()],
    };
    log_visit(&mut doc, &ctx("ll1", T0 + DAY), v2).unwrap();
    let visits = list_visits(&doc).unwrap();
    assert_eq!(
        visits.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
        ["v2", "v1"]
    );
    assert_eq!(visits[0].concerns, ["c"]);
    assert_eq!(visits[1].household.as_deref(), Some("hh1a"));
    assert_eq!(
        log_visit(
            &mut doc,
            &ctx("ll1", T0),
            NewVisit {
                id: "v1".into(),
                ..Default::default()
            }
        ),
        Err(DomainError::AlreadyExists {
            kind: RecordKind::Visit,
            id: "v1".into()
        })
    );
    let bad = NewVisit {
        id: "v3".into(),
        household: Some("nowhere".into()),
        ..Default::default()
    };
    assert!(matches!(
        log_visit(&mut doc, &ctx("ll1", T0), bad),
        Err(DomainError::NotFound { .. })
    ));
}

#[test]
fn monthly_tasks() {
    let mut doc = sample_community();
    let task = |id: &str, month: &str| NewTask {
        id: id.into(),
        owner: "ll1".into(),
        month: month.into(),
        title: "走访独居老人".into(),
    };
    add_task(&mut doc, &ctx("gl1", T0), task("t1", "2026-11")).unwrap();
    add_task(&mut doc, &ctx("gl1", T0), task("t2", "2026-12")).unwrap();
    assert!(matches!(
        add_task(&mut doc, &ctx("gl1", T0), task("t3", "2026-13")),
        Err(DomainError::Malformed(_))
    ));
    assert!(matches!(
        add_task(&mut doc, &ctx("gl1", T0), task("t3", "26-11")),
        Err(DomainError::Malformed(_))
    ));
    complete_task(&mut doc, &ctx("ll1", T0 + DAY), "t1").unwrap();
    assert_eq!(
        complete_task(&mut doc, &ctx("ll1", T0 + DAY), "t1"),
        Err(DomainError::AlreadyDone("t1".into()))
    );
    let nov = list_tasks(&doc, "ll1", "2026-11").unwrap();
    assert_eq!(nov.len(), 1);
    assert_eq!(nov[0].done_at, Some(T0 + DAY));
    assert_eq!(list_tasks(&doc, "ll1", "2026-12").unwrap()[0].done_at, None);
    assert!(list_tasks(&doc, "ll2", "2026-11").unwrap().is_empty());
}

#[test]
fn micro_fund_spending_from_two_devices() {
    let mut base = sample_community();
    set_fund_allocation(&mut base, &ctx("cm1", T0), "ll1", 20_000).unwrap();
    assert_eq!(
        set_fund_allocation(&mut base, &ctx("cm1", T0), "ll1", 0),
        Err(DomainError::NonPositiveAmount(0))
    );
    let mut a = device(&mut base, 1);
    let mut b = device(&mut base, 2);
    let e = |id: &str, fen| NewExpense {
        id: id.into(),
        amount_fen: fen,
        purpose: "灯泡".into(),
        concern: None,
    };
    record_expense(&mut a, &ctx("ll1", T0 + DAY), e("e1", 3_550)).unwrap();
    record_expense(&mut b, &ctx("ll1", T0 + 2 * DAY), e("e2", 18_000)).unwrap();
    assert_eq!(
        record_expense(&mut b, &ctx("ll1", T0), e("e3", -1)),
        Err(DomainError::NonPositiveAmount(-1))
    );
    sync_pair(&mut a, &mut b);
    let acct = fund_account(&a, "ll1").unwrap();
    assert_eq!(
        (acct.allocated_fen, acct.spent_fen, acct.balance_fen),
        (20_000, 21_550, -1_550)
    );
    assert_eq!(
        acct.expenses
            .iter()
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>(),
        ["e2", "e1"]
    );
    assert_eq!(fund_account(&b, "ll1").unwrap(), acct);
    assert_eq!(fund_account(&a, "ll2").unwrap(), FundAccount::default());
}
