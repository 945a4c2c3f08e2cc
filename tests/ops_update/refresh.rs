//! Refreshes of the operations views: the same data again draws nothing, changed data draws.

use super::*;

/// The fetch of the visible operations view in `commands`.
fn fetched(commands: &[Command]) -> u64 {
    match commands {
        [Command::Asg(AsgCommand::Fetch { generation })]
        | [Command::Journal(JournalCommand::Fetch { generation })]
        | [Command::Service(ServiceCommand::FetchDetail { generation, .. })] => *generation,
        other => panic!("expected one operations fetch, got {other:?}"),
    }
}

/// Answer a refresh tick's fetch with `msg` after the draw that clears `dirty`; returns
/// whether the answer made the screen dirty.
fn reload(s: &mut AppState, msg: impl Fn(u64) -> Msg) -> bool {
    let generation = fetched(&update(s, Msg::Tick { now: 1_000 }));
    s.dirty = false;
    update(s, msg(generation));
    s.dirty
}

#[test]
fn asgs_redraw_only_when_a_group_changes() {
    let mut s = state();
    let commands = opsdeck::app::asg::open(&mut s, &[]);
    let groups = |desired: i32| {
        move |generation| {
            Msg::Asg(AsgMsg::Loaded {
                generation,
                now: 1_000,
                result: Ok(vec![AsgRow { desired, ..group() }]),
            })
        }
    };
    update(&mut s, groups(2)(fetched(&commands)));
    assert!(!reload(&mut s, groups(2)), "same groups");
    assert!(reload(&mut s, groups(3)), "desired changed");
    let failed = |generation| {
        Msg::Asg(AsgMsg::Loaded {
            generation,
            now: 1_000,
            result: Err("throttled".into()),
        })
    };
    assert!(reload(&mut s, failed), "first failure");
    assert!(!reload(&mut s, failed), "same failure");
}

#[test]
fn the_journal_redraws_only_when_it_changes() {
    let mut s = state();
    let commands = opsdeck::app::journal::open(&mut s, &[]);
    let journal = |bad_lines: usize| {
        move |generation| {
            // As read from the file: the local time is filled in by `update`.
            let mut e = entry(
                "a",
                Outcome::Done {
                    summary: "desired 3 → 7".into(),
                    request_id: "r-1".into(),
                },
            );
            e.time_text = String::new();
            Msg::Journal(JournalMsg::Loaded {
                generation,
                now: 1_000,
                result: Ok(JournalLoad {
                    entries: vec![e],
                    bad_lines,
                }),
            })
        }
    };
    update(&mut s, journal(0)(fetched(&commands)));
    assert!(!reload(&mut s, journal(0)), "same journal");
    assert!(reload(&mut s, journal(1)), "a torn line more");
}

#[test]
fn the_service_detail_redraws_only_when_it_changes() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    let commands = act(&mut s, Action::ToggleDetail);
    assert!(matches!(s.view(), View::ServiceDetail { .. }));
    let detail = |running: i32| {
        move |generation| {
            Msg::Service(ServiceMsg::DetailLoaded {
                generation,
                now: 1_000,
                result: Ok(Box::new(ServiceDetail {
                    service: ServiceRow {
                        running,
                        ..service("api", 3)
                    },
                    ..Default::default()
                })),
            })
        }
    };
    update(&mut s, detail(3)(fetched(&commands)));
    assert!(!reload(&mut s, detail(3)), "same detail");
    assert!(reload(&mut s, detail(2)), "a task stopped");
}
