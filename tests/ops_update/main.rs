//! Operations through `update`: every mutating key and operation refused in read-only mode,
//! the confirmation and typed-confirmation flows, bad input, rollbacks, stopping tasks, the
//! journal's undo and the rollout watch.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../common/model.rs"]
mod model;

mod flows;
mod guardrails;
mod refresh;
mod watch;

use opsdeck::app::asg::{AsgCommand, AsgMsg};
use opsdeck::app::core::table::Tone;
use opsdeck::app::guard::op::{Confirm, Op};
use opsdeck::app::journal::entry::{JournalEntry, JournalLoad, Outcome};
use opsdeck::app::journal::{JournalCommand, JournalMsg};
use opsdeck::app::service::{ServiceCommand, ServiceMsg};
use opsdeck::app::{
    Action, AppState, Command, ContextInfo, InputKey, Mode, Msg, Settings, View, update,
};
use opsdeck::domain::asg::AsgRow;
use opsdeck::domain::ecs::{ServiceRow, TaskRow};
use opsdeck::domain::ids::TaskArn;
use opsdeck::domain::service::{DeploymentRow, RollbackPlan, ServiceDetail, TaskDefinitionImages};
use opsdeck::input::keymap::Keymap;

use model::{command_line, fetch_generation};

const CLUSTER: &str = "payments";

fn state() -> AppState {
    let ctx = ContextInfo {
        profile: "dev".into(),
        region: "eu-west-1".into(),
        account: Some("123456789012".into()),
        ..ContextInfo::default()
    };
    let mut s = AppState::new(ctx, Settings::default(), Keymap::default());
    s.guard.settings.local_user = "alice".into();
    s
}

fn service(name: &str, desired: i32) -> ServiceRow {
    ServiceRow {
        cluster: CLUSTER.into(),
        name: name.into(),
        status: "ACTIVE".into(),
        desired,
        running: desired,
        task_definition: format!("{name}:8"),
        ..Default::default()
    }
}

fn task(id: &str, status: &str) -> TaskRow {
    TaskRow {
        cluster: CLUSTER.into(),
        arn: TaskArn::from(format!("arn:aws:ecs:eu-west-1:1:task/{CLUSTER}/{id}")),
        last_status: status.into(),
        desired_status: status.into(),
        ..Default::default()
    }
}

fn group() -> AsgRow {
    AsgRow {
        name: "payments-asg".into(),
        min: 1,
        desired: 2,
        max: 4,
        in_service: 2,
        cluster: Some(CLUSTER.into()),
        link: Some(opsdeck::domain::asg::ClusterLink::Tag),
        ..Default::default()
    }
}

/// On the services view of CLUSTER with `rows` loaded, opened as a user does.
fn on_services(s: &mut AppState, rows: Vec<ServiceRow>) {
    let generation = fetch_generation(&command_line(s, &format!("services {CLUSTER}")));
    update(
        s,
        Msg::ServicesLoaded {
            generation,
            now: 1_000,
            result: Ok(rows),
        },
    );
}

/// On the tasks view of CLUSTER's service `api` with `rows` loaded.
fn on_tasks(s: &mut AppState, rows: Vec<TaskRow>) {
    let generation = fetch_generation(&command_line(s, &format!("tasks {CLUSTER} api")));
    update(
        s,
        Msg::TasksLoaded {
            generation,
            now: 1_000,
            result: Ok(rows),
        },
    );
}

/// On the Auto Scaling groups view with one group loaded.
fn on_asgs(s: &mut AppState) {
    let generation = fetch_generation(&command_line(s, "asgs"));
    update(
        s,
        Msg::Asg(AsgMsg::Loaded {
            generation,
            now: 1_000,
            result: Ok(vec![group()]),
        }),
    );
}

fn act(s: &mut AppState, a: Action) -> Vec<Command> {
    update(s, Msg::Action(a))
}

fn key(s: &mut AppState, k: InputKey) -> Vec<Command> {
    update(s, Msg::Input(k))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        assert!(key(s, InputKey::Char(c)).is_empty());
    }
}

fn confirm(s: &AppState) -> &Confirm {
    match &s.mode {
        Mode::Confirm(c) => c,
        other => panic!("no confirmation open: {other:?}, flash {:?}", s.flash),
    }
}

fn line<'a>(c: &'a Confirm, label: &str) -> &'a str {
    c.lines
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {label} line in {:?}", c.lines))
}

fn flash(s: &AppState) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

fn run_ops(commands: &[Command]) -> Vec<&Op> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::RunOp(op) => Some(op),
            _ => None,
        })
        .collect()
}

fn type_and_submit(s: &mut AppState, text: &str) -> Vec<Command> {
    typed(s, text);
    key(s, InputKey::Submit)
}

fn entry(id: &str, outcome: Outcome) -> JournalEntry {
    JournalEntry {
        id: id.into(),
        at: Some(1_741_064_767),
        time_text: "03-04 05:06:07".into(),
        who: "arn:aws:sts::123456789012:assumed-role/Admin/alice".into(),
        profile: "dev".into(),
        region: "eu-west-1".into(),
        account: Some("123456789012".into()),
        op: Op::SetDesired {
            cluster: CLUSTER.into(),
            service: "api".into(),
            from: 3,
            to: 7,
        },
        before: "desired 3".into(),
        outcome,
        undoes: None,
        undone_by: None,
    }
}
