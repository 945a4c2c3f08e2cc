//! After an operation: the detail view, the rollout watch and its notifications.

use super::*;

fn detail(desired: i32, running: i32, rollout: &str) -> ServiceDetail {
    ServiceDetail {
        service: ServiceRow {
            running,
            ..service("api", desired)
        },
        deployments: vec![DeploymentRow {
            id: "ecs-svc/1".into(),
            status: "PRIMARY".into(),
            rollout_state: rollout.into(),
            desired,
            running,
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// Answer the detail fetch that `commands` hold.
fn answer_detail(s: &mut AppState, commands: &[Command], d: ServiceDetail) {
    let generation = fetch_generation(commands);
    update(
        s,
        Msg::Service(ServiceMsg::DetailLoaded {
            generation,
            now: 2_000,
            result: Ok(Box::new(d)),
        }),
    );
}

#[test]
fn a_finished_scale_opens_the_detail_and_reports_when_it_completes() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 2)]);
    let op = Op::SetDesired {
        cluster: CLUSTER.into(),
        service: "api".into(),
        from: 2,
        to: 4,
    };
    let commands = update(
        &mut s,
        Msg::OpFinished {
            op: Box::new(op),
            result: Ok("desired is now 4".into()),
        },
    );
    assert_eq!(
        s.view(),
        &View::ServiceDetail {
            cluster: CLUSTER.into(),
            service: "api".into()
        }
    );
    assert!(matches!(
        commands.as_slice(),
        [Command::Service(ServiceCommand::FetchDetail { .. })]
    ));
    assert_eq!(
        flash(&s),
        "done: scale payments/api — desired is now 4; watching the rollout"
    );
    // The services table already shows the new count.
    assert_eq!(s.services.rows()[0].desired, 4);

    answer_detail(&mut s, &commands, detail(4, 2, "COMPLETED"));
    assert!(s.service.watch.is_some());
    let commands = update(&mut s, Msg::Tick { now: 2_005 });
    answer_detail(&mut s, &commands, detail(4, 4, "COMPLETED"));
    assert!(s.service.watch.is_none());
    let f = s.flash.clone().unwrap();
    assert_eq!(f.text, "scaling of payments/api completed: 4/4 running");
    assert_eq!(f.tone, Tone::Ok);
}

#[test]
fn a_failed_rollout_is_reported() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 2)]);
    let commands = update(
        &mut s,
        Msg::OpFinished {
            op: Box::new(Op::Redeploy {
                cluster: CLUSTER.into(),
                service: "api".into(),
            }),
            result: Ok("ecs-svc/2 started".into()),
        },
    );
    let mut failed = detail(2, 0, "FAILED");
    failed.deployments[0].rollout_reason =
        "ECS deployment circuit breaker: tasks failed to start.".into();
    answer_detail(&mut s, &commands, failed);
    let f = s.flash.clone().unwrap();
    assert_eq!(
        f.text,
        "rollout of payments/api failed: ECS deployment circuit breaker: tasks failed to start."
    );
    assert_eq!(f.tone, Tone::Error);
}

#[test]
fn a_failed_operation_says_why() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 2)]);
    update(
        &mut s,
        Msg::OpFinished {
            op: Box::new(Op::SetDesired {
                cluster: CLUSTER.into(),
                service: "api".into(),
                from: 2,
                to: 4,
            }),
            result: Err(
                "service api in cluster payments no longer exists: nothing was sent".into(),
            ),
        },
    );
    assert_eq!(
        flash(&s),
        "failed: scale payments/api — service api in cluster payments no longer exists: nothing was sent"
    );
    assert!(s.service.watch.is_none());
    assert_eq!(s.services.rows()[0].desired, 2);
}

#[test]
fn d_on_a_service_opens_its_detail_and_keys_scroll_the_events() {
    let mut s = state();
    on_services(&mut s, vec![service("api", 2)]);
    let commands = act(&mut s, Action::ToggleDetail);
    assert!(matches!(
        commands.as_slice(),
        [Command::Service(ServiceCommand::FetchDetail { .. })]
    ));
    let mut d = detail(2, 2, "COMPLETED");
    d.events = (0..5)
        .map(|i| opsdeck::domain::service::ServiceEventRow {
            id: i.to_string(),
            at: Some(1_000 - i),
            message: format!("event {i}"),
        })
        .collect();
    answer_detail(&mut s, &commands, d);
    act(&mut s, Action::Down);
    act(&mut s, Action::Down);
    assert_eq!(s.service.detail.events_scroll, 2);
    act(&mut s, Action::Bottom);
    assert_eq!(s.service.detail.events_scroll, 4);
    act(&mut s, Action::Top);
    assert_eq!(s.service.detail.events_scroll, 0);
    // Operations work from the detail too.
    act(&mut s, Action::ScaleUp);
    assert_eq!(line(confirm(&s), "change"), "desired 2 → 3");
    key(&mut s, InputKey::Cancel);
    // `d` again goes back.
    act(&mut s, Action::ToggleDetail);
    assert_eq!(
        s.view(),
        &View::Services {
            cluster: CLUSTER.into()
        }
    );
}
