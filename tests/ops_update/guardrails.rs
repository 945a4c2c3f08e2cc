//! Read-only refusal of every operation and key, confirmations, typed confirmations, bad input.

use super::*;

#[test]
fn every_operation_variant_has_an_example() {
    let examples = Op::all_examples();
    let indexes: Vec<usize> = examples.iter().map(Op::variant_index).collect();
    assert_eq!(indexes, (0..Op::VARIANTS).collect::<Vec<_>>());
}

#[test]
fn read_only_refuses_every_operation() {
    for op in Op::all_examples() {
        let mut s = state();
        s.ctx.read_only = true;
        opsdeck::app::guard::op::request(&mut s, op.clone(), None);
        assert_eq!(s.mode, Mode::Normal, "{op:?} opened a dialog");
        let f = s.flash.clone().expect("a refusal message");
        assert_eq!(f.tone, Tone::Error);
        assert_eq!(
            f.text,
            format!(
                "read-only mode: refused to {}, nothing was sent",
                op.title()
            )
        );
        // Even a typed reason does not get past it.
        opsdeck::app::guard::op::request(&mut s, op, Some("production".into()));
        assert_eq!(s.mode, Mode::Normal);
    }
}

#[test]
fn read_only_refuses_every_mutating_key_before_asking_anything() {
    type Setup = fn(&mut AppState);
    let views: [(&str, Setup, &[Action]); 5] = [
        (
            "services",
            |s| on_services(s, vec![service("api", 3)]),
            &[
                Action::Redeploy,
                Action::ScaleUp,
                Action::ScaleDown,
                Action::SetDesired,
                Action::Rollback,
            ],
        ),
        (
            "service detail",
            |s| {
                on_services(s, vec![service("api", 3)]);
                update(s, Msg::Action(Action::ToggleDetail));
            },
            &[
                Action::Redeploy,
                Action::ScaleUp,
                Action::ScaleDown,
                Action::SetDesired,
                Action::Rollback,
            ],
        ),
        (
            "tasks",
            |s| on_tasks(s, vec![task("0123456789abcdef", "RUNNING")]),
            &[Action::StopTask],
        ),
        (
            "asgs",
            on_asgs,
            &[Action::SetDesired, Action::ScaleUp, Action::ScaleDown],
        ),
        (
            "journal",
            |s| {
                let generation = fetch_generation(&command_line(s, "journal"));
                update(
                    s,
                    Msg::Journal(JournalMsg::Loaded {
                        generation,
                        now: 0,
                        result: Ok(JournalLoad {
                            entries: vec![entry("a", Outcome::Unknown)],
                            bad_lines: 0,
                        }),
                    }),
                );
            },
            &[Action::Undo],
        ),
    ];
    for (name, setup, actions) in views {
        for action in actions {
            let mut s = state();
            s.ctx.read_only = true;
            setup(&mut s);
            let commands = act(&mut s, *action);
            assert!(commands.is_empty(), "{name} {action:?} sent {commands:?}");
            assert_eq!(s.mode, Mode::Normal, "{name} {action:?} opened something");
            assert!(
                flash(&s).starts_with("read-only mode: refused to "),
                "{name} {action:?}: {:?}",
                s.flash
            );
        }
    }
}

#[test]
fn scale_up_asks_with_account_region_cluster_and_the_change() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    assert!(act(&mut s, Action::ScaleUp).is_empty());
    let c = confirm(&s);
    assert_eq!(line(c, "account"), "123456789012");
    assert_eq!(line(c, "region"), "eu-west-1");
    assert_eq!(line(c, "cluster"), CLUSTER);
    assert_eq!(line(c, "resource"), "api");
    assert_eq!(line(c, "change"), "desired 3 → 4");
    assert_eq!(c.typed, None);
    // `n` cancels, nothing is sent.
    assert!(key(&mut s, InputKey::Char('n')).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    act(&mut s, Action::ScaleUp);
    let commands = key(&mut s, InputKey::Char('y'));
    assert_eq!(
        commands,
        vec![Command::RunOp(Op::SetDesired {
            cluster: CLUSTER.into(),
            service: "api".into(),
            from: 3,
            to: 4
        })]
    );
}

#[test]
fn the_desired_prompt_takes_absolute_and_relative_counts() {
    for (input, to) in [("7", 7), ("+2", 5), ("-1", 2)] {
        let mut s = state();
        on_services(&mut s, vec![service("api", 3)]);
        act(&mut s, Action::SetDesired);
        let Mode::Prompt(p) = &s.mode else {
            panic!("no prompt: {:?}", s.mode)
        };
        assert!(p.label().contains("(desired 3, running 3, pending 0)"));
        typed(&mut s, input);
        assert!(key(&mut s, InputKey::Submit).is_empty());
        assert_eq!(line(confirm(&s), "change"), format!("desired 3 → {to}"));
        let commands = key(&mut s, InputKey::Submit);
        assert_eq!(run_ops(&commands).len(), 1, "{input}");
    }
}

#[test]
fn bad_counts_are_explained_and_nothing_is_sent() {
    let cases = [
        ("abc", "`abc` is not a count: type 7, +2 or -1"),
        ("", "type a count: 7, +2 or -1 (esc cancels)"),
        (
            "-5",
            "a count cannot be negative (3 - 5 = -2): nothing was sent",
        ),
        (
            "101",
            "101 is above the ceiling of 100 ([ops] max_desired): nothing was sent",
        ),
        ("3", "service api already has desired 3: nothing to change"),
    ];
    for (input, message) in cases {
        let mut s = state();
        on_services(&mut s, vec![service("api", 3)]);
        act(&mut s, Action::SetDesired);
        typed(&mut s, input);
        assert!(key(&mut s, InputKey::Submit).is_empty());
        assert_eq!(flash(&s), message, "{input}");
        // The prompt stays open to fix the input; esc closes it.
        assert!(matches!(s.mode, Mode::Prompt(_)), "{input}");
        key(&mut s, InputKey::Cancel);
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(flash(&s), "cancelled: nothing was sent");
    }
    // `-` at zero.
    let mut s = state();
    on_services(&mut s, vec![service("api", 0)]);
    assert!(act(&mut s, Action::ScaleDown).is_empty());
    assert_eq!(flash(&s), "service api is already at 0: nothing was sent");
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn scaling_to_zero_needs_the_name_typed() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::SetDesired);
    type_and_submit(&mut s, "0");
    let c = confirm(&s);
    assert_eq!(c.typed.as_deref(), Some("api"));
    assert_eq!(c.why_typed.as_deref(), Some("this scales to zero"));
    // `y` is just a letter here.
    assert!(key(&mut s, InputKey::Char('y')).is_empty());
    assert!(type_and_submit(&mut s, "ap").is_empty());
    assert_eq!(flash(&s), "the name does not match: nothing was sent");
    assert_eq!(confirm(&s).input, "");
    let commands = type_and_submit(&mut s, "api");
    assert_eq!(run_ops(&commands).len(), 1);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn big_steps_and_production_need_the_name_typed() {
    // 3 → 10 is more than the default factor of 3.
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::SetDesired);
    type_and_submit(&mut s, "10");
    assert_eq!(
        confirm(&s).why_typed.as_deref(),
        Some("this changes the count by more than 3x")
    );
    // 3 → 9 is within it; so is 9 → 3, but 10 → 3 is not.
    for (from, to, typed_needed) in [(3, 9, false), (9, 3, false), (10, 3, true), (0, 4, true)] {
        let mut s = state();
        on_services(&mut s, vec![service("api", from)]);
        act(&mut s, Action::SetDesired);
        type_and_submit(&mut s, &to.to_string());
        assert_eq!(confirm(&s).typed.is_some(), typed_needed, "{from} → {to}");
    }
    // Production profiles type the name for everything, unless configured otherwise.
    let mut s = state();
    s.ctx.production = true;
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::Redeploy);
    assert_eq!(
        confirm(&s).why_typed.as_deref(),
        Some("this is a production profile")
    );
    let mut s = state();
    s.ctx.production = true;
    s.guard.settings.typed_for_production = false;
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::Redeploy);
    assert_eq!(confirm(&s).typed, None);
}

#[test]
fn redeploy_asks_then_sends() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::Redeploy);
    assert_eq!(
        line(confirm(&s), "change"),
        "force a new deployment (tasks are replaced)"
    );
    let commands = key(&mut s, InputKey::Submit);
    assert_eq!(
        commands,
        vec![Command::RunOp(Op::Redeploy {
            cluster: CLUSTER.into(),
            service: "api".into()
        })]
    );
}

/// The rule shows in the prompt as it is typed, before enter; the text is kept.
#[test]
fn the_prompt_names_the_rule_as_it_is_typed() {
    let cases = [
        ("abc", "`abc` is not a count: type 7, +2 or -1"),
        ("-5", "a count cannot be negative (3 - 5 = -2)"),
        (
            "99999",
            "99999 is above the ceiling of 100 ([ops] max_desired)",
        ),
        ("1e9", "`1e9` is not a count: type 7, +2 or -1"),
    ];
    for (input, problem) in cases {
        let mut s = state();
        on_services(&mut s, vec![service("api", 3)]);
        act(&mut s, Action::SetDesired);
        typed(&mut s, input);
        let Mode::Prompt(prompt) = &s.mode else {
            panic!("the prompt closed on {input}");
        };
        assert_eq!(prompt.problem.as_deref(), Some(problem), "{input}");
        assert_eq!(prompt.input, input);
    }
    // Fixing the input clears it.
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::SetDesired);
    typed(&mut s, "7x");
    key(&mut s, InputKey::Backspace);
    let Mode::Prompt(prompt) = &s.mode else {
        panic!("the prompt closed");
    };
    assert_eq!(prompt.problem, None);
}

#[test]
fn an_empty_stop_reason_is_named_in_the_prompt() {
    let mut s = state();
    on_tasks(&mut s, vec![task("t1", "RUNNING")]);
    act(&mut s, Action::StopTask);
    key(&mut s, InputKey::Clear);
    assert!(key(&mut s, InputKey::Submit).is_empty());
    let Mode::Prompt(prompt) = &s.mode else {
        panic!("the prompt closed on an empty reason");
    };
    assert_eq!(
        prompt.problem.as_deref(),
        Some("type a reason to stop the task (esc cancels)")
    );
}

#[test]
fn the_same_change_again_while_one_is_in_flight_is_refused() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 3)]);
    act(&mut s, Action::Redeploy);
    let sent = key(&mut s, InputKey::Char('y'));
    let [Command::RunOp(op)] = sent.as_slice() else {
        panic!("no redeploy sent: {sent:?}");
    };
    // Pressed again before the answer: said, not sent, no dialog.
    assert!(act(&mut s, Action::Redeploy).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(flash(&s), "api is redeploying already: nothing was sent");
    // Once it finished, it can be asked for again.
    update(
        &mut s,
        Msg::OpFinished {
            op: Box::new(op.clone()),
            result: Ok("new deployment started".into()),
        },
    );
    act(&mut s, Action::Redeploy);
    assert!(matches!(s.mode, Mode::Confirm(_)));
}
