//! Rollbacks, stopping tasks, Auto Scaling capacity and the journal's undo.

use super::*;

fn images(family_revision: &str, image: &str) -> TaskDefinitionImages {
    TaskDefinitionImages {
        arn: format!("arn:aws:ecs:eu-west-1:1:task-definition/{family_revision}"),
        family_revision: family_revision.into(),
        images: vec![("app".into(), image.into())],
    }
}

#[test]
fn rollback_fetches_both_revisions_and_shows_their_images() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    let commands = act(&mut s, Action::Rollback);
    assert_eq!(
        commands,
        vec![Command::Service(ServiceCommand::PrepareRollback {
            cluster: CLUSTER.into(),
            service: "api".into()
        })]
    );
    assert_eq!(flash(&s), "looking up the revision before api:8…");
    update(
        &mut s,
        Msg::Service(ServiceMsg::RollbackPrepared {
            cluster: CLUSTER.into(),
            service: "api".into(),
            result: Ok(RollbackPlan {
                cluster: CLUSTER.into(),
                service: "api".into(),
                current: images("api:8", "acme/api:2.1"),
                previous: images("api:7", "acme/api:2.0"),
            }),
        }),
    );
    let c = confirm(&s);
    assert_eq!(line(c, "now"), "api:8: app=acme/api:2.1");
    assert_eq!(line(c, "back to"), "api:7: app=acme/api:2.0");
    assert_eq!(line(c, "change"), "task definition api:8 → api:7");
    let commands = key(&mut s, InputKey::Char('y'));
    assert_eq!(
        commands,
        vec![Command::RunOp(Op::Rollback {
            cluster: CLUSTER.into(),
            service: "api".into(),
            from: "api:8".into(),
            to: "api:7".into()
        })]
    );
}

#[test]
fn rollback_without_an_earlier_revision_says_so() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::Rollback);
    update(
        &mut s,
        Msg::Service(ServiceMsg::RollbackPrepared {
            cluster: CLUSTER.into(),
            service: "api".into(),
            result: Err(
                "not found: an ACTIVE revision of api before 8 (nothing to roll back to)".into(),
            ),
        }),
    );
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(
        flash(&s),
        "cannot roll back payments/api: not found: an ACTIVE revision of api before 8 (nothing to roll back to)"
    );
}

#[test]
fn stopping_a_task_asks_for_a_reason_with_a_default() {
    let mut s = state();
    on_tasks(&mut s, vec![task("0123456789abcdef", "RUNNING")]);
    let commands = act(&mut s, Action::StopTask);
    assert_eq!(commands, vec![Command::ResolveIdentity]);
    let Mode::Prompt(p) = &s.mode else {
        panic!("no prompt")
    };
    assert_eq!(p.input, "stopped from opsdeck by alice");
    // The caller identity arrives: the untouched default names that user instead.
    update(
        &mut s,
        Msg::IdentityResolved(Ok("arn:aws:sts::123456789012:assumed-role/Admin/bob".into())),
    );
    let Mode::Prompt(p) = &s.mode else {
        panic!("no prompt")
    };
    assert_eq!(p.input, "stopped from opsdeck by bob");
    key(&mut s, InputKey::Submit);
    let c = confirm(&s);
    assert_eq!(line(c, "resource"), "0123456789abcdef");
    assert_eq!(
        line(c, "change"),
        "stop, reason: stopped from opsdeck by bob"
    );
    let commands = key(&mut s, InputKey::Char('y'));
    assert_eq!(
        commands,
        vec![Command::RunOp(Op::StopTask {
            cluster: CLUSTER.into(),
            task: format!("arn:aws:ecs:eu-west-1:1:task/{CLUSTER}/0123456789abcdef").into(),
            reason: "stopped from opsdeck by bob".into()
        })]
    );
}

#[test]
fn stopping_needs_a_reason_and_a_running_task() {
    let mut s = state();
    on_tasks(&mut s, vec![task("0123456789abcdef", "RUNNING")]);
    act(&mut s, Action::StopTask);
    key(&mut s, InputKey::Clear);
    assert!(key(&mut s, InputKey::Submit).is_empty());
    assert_eq!(flash(&s), "type a reason to stop the task (esc cancels)");
    assert!(matches!(s.mode, Mode::Prompt(_)));

    let mut s = state();
    on_tasks(&mut s, vec![task("0123456789abcdef", "STOPPED")]);
    assert!(act(&mut s, Action::StopTask).is_empty());
    assert_eq!(
        flash(&s),
        "task 01234567 is already stopped or stopping: nothing to do"
    );
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn group_capacity_stays_within_min_and_max() {
    let mut s = state();
    on_asgs(&mut s);
    act(&mut s, Action::ScaleUp);
    let c = confirm(&s);
    assert_eq!(line(c, "change"), "desired capacity 2 → 3");
    assert_eq!(line(c, "bounds"), "min 1, max 4");
    assert_eq!(line(c, "feeds"), "ECS cluster payments (tag)");
    key(&mut s, InputKey::Cancel);

    act(&mut s, Action::SetDesired);
    type_and_submit(&mut s, "5");
    assert_eq!(
        flash(&s),
        "5 is above the max size 4 of payments-asg: nothing was sent (raise the max size in AWS first)"
    );
    key(&mut s, InputKey::Clear);
    type_and_submit(&mut s, "0");
    assert!(flash(&s).starts_with("0 is below the min size 1 of payments-asg"));
    key(&mut s, InputKey::Clear);
    let commands = type_and_submit(&mut s, "+2");
    assert!(commands.is_empty());
    let commands = key(&mut s, InputKey::Submit);
    assert_eq!(
        commands,
        vec![Command::RunOp(Op::SetAsgCapacity {
            group: "payments-asg".into(),
            from: 2,
            to: 4
        })]
    );
}

#[test]
fn a_journal_entry_can_be_undone_with_a_confirmation() {
    let mut s = state();
    let commands = update(&mut s, Msg::Action(Action::Command));
    assert!(commands.is_empty());
    typed(&mut s, "journal");
    let commands = key(&mut s, InputKey::Submit);
    assert_eq!(s.view(), &View::Journal);
    let generation = match commands.as_slice() {
        [Command::Journal(JournalCommand::Fetch { generation })] => *generation,
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Msg::Journal(JournalMsg::Loaded {
            generation,
            now: 1_741_064_800,
            result: Ok(JournalLoad {
                entries: vec![
                    entry(
                        "b",
                        Outcome::Failed {
                            error: "denied".into(),
                            request_id: String::new(),
                        },
                    ),
                    entry(
                        "a",
                        Outcome::Done {
                            summary: "desired is now 7".into(),
                            request_id: "req-1".into(),
                        },
                    ),
                ],
                bad_lines: 0,
            }),
        }),
    );
    assert_eq!(s.journal.table.visible_len(), 2);
    // A failed change has nothing to undo.
    assert!(act(&mut s, Action::Undo).is_empty());
    assert_eq!(
        flash(&s),
        "scale payments/api failed: there is nothing to undo"
    );
    act(&mut s, Action::Down);
    act(&mut s, Action::Undo);
    let c = confirm(&s);
    assert_eq!(line(c, "change"), "desired 7 → 3");
    assert!(line(c, "undoes").starts_with("desired 3 → 7"));
    // An undo is confirmed with `y` only: enter leaves the dialog as it is.
    assert!(key(&mut s, InputKey::Submit).is_empty());
    assert!(matches!(s.mode, Mode::Confirm(_)));
    let commands = key(&mut s, InputKey::Char('y'));
    assert_eq!(
        commands,
        vec![Command::Undo {
            op: Op::SetDesired {
                cluster: CLUSTER.into(),
                service: "api".into(),
                from: 7,
                to: 3
            },
            undoes: "a".into(),
        }]
    );
}

#[test]
fn enter_in_the_journal_undoes_nothing() {
    let mut s = state();
    let generation = fetch_generation(&command_line(&mut s, "journal"));
    let done = Outcome::Done {
        summary: "desired is now 7".into(),
        request_id: "req-1".into(),
    };
    update(
        &mut s,
        Msg::Journal(JournalMsg::Loaded {
            generation,
            now: 0,
            result: Ok(JournalLoad {
                entries: vec![entry("b", done.clone()), entry("a", done)],
                bad_lines: 0,
            }),
        }),
    );
    assert_eq!(
        s.journal.table.selected_row().map(|e| e.id.as_str()),
        Some("b"),
        "the cursor starts on the newest entry"
    );
    assert!(act(&mut s, Action::Enter).is_empty());
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn hard_to_reverse_changes_take_y_not_enter_and_n_cancels_like_esc() {
    let mut s = state();
    on_tasks(&mut s, vec![task("0123456789abcdef", "RUNNING")]);
    act(&mut s, Action::StopTask);
    key(&mut s, InputKey::Submit); // the default reason
    assert!(!confirm(&s).enter_confirms);
    assert!(
        key(&mut s, InputKey::Submit).is_empty(),
        "enter sent a stop"
    );
    assert!(
        matches!(s.mode, Mode::Confirm(_)),
        "enter closed the dialog"
    );
    key(&mut s, InputKey::Char('n'));
    assert_eq!(s.mode, Mode::Normal);
    let by_n = flash(&s).to_string();
    act(&mut s, Action::StopTask);
    key(&mut s, InputKey::Submit);
    key(&mut s, InputKey::Cancel);
    assert_eq!(flash(&s), by_n, "n and esc say the same");
    assert!(by_n.ends_with("nothing was sent"), "{by_n}");
    // A redeploy is easy to undo: enter confirms it.
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::Redeploy);
    assert!(confirm(&s).enter_confirms);
    assert_eq!(key(&mut s, InputKey::Submit).len(), 1);
}

#[test]
fn a_paste_goes_into_the_stop_reason_prompt() {
    let mut s = state();
    on_tasks(&mut s, vec![task("0123456789abcdef", "RUNNING")]);
    act(&mut s, Action::StopTask);
    key(&mut s, InputKey::Clear);
    assert!(update(&mut s, Msg::Paste("bad\ndeploy\n".into())).is_empty());
    let Mode::Prompt(p) = &s.mode else {
        panic!("the prompt stays open: {:?}", s.mode)
    };
    assert_eq!(p.input, "bad deploy");
    // The confirmation that follows ignores pastes: they must not answer it.
    key(&mut s, InputKey::Submit);
    confirm(&s);
    assert!(update(&mut s, Msg::Paste("y".into())).is_empty());
    confirm(&s);
}
