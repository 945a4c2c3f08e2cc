//! The `:asgs` view: Auto Scaling groups, and setting a group's desired capacity.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load::store;
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{enter, flash};
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::{Column, TableOps, TableRow, Tone};
use crate::app::core::view::View;
use crate::app::guard::op::{self, Op};
use crate::app::guard::prompt::{Prompt, PromptPurpose};
use crate::app::guard::scale::{Limits, check_target, target_from_text};
use crate::domain::asg::AsgRow;
use crate::domain::format::age;
use crate::input::keymap::KeyContext;

impl TableRow for AsgRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("NAME", 30).min(20),
            Column::num("DESIRED", 7),
            Column::num("MIN", 4),
            Column::num("MAX", 4),
            Column::num("IN SERVICE", 10),
            Column::num("PENDING", 7),
            Column::text("ECS CLUSTER", 20),
            Column::text("VIA", 17),
            Column::num("INSTANCES", 9),
            Column::num("AGE", 5),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        let via = match (self.link, self.ecs_managed) {
            (Some(link), _) => link.label().to_string(),
            (None, true) => "AmazonECSManaged".to_string(),
            (None, false) => String::new(),
        };
        vec![
            self.name.clone(),
            self.desired.to_string(),
            self.min.to_string(),
            self.max.to_string(),
            self.in_service.to_string(),
            self.pending.to_string(),
            self.cluster.clone().unwrap_or_default(),
            via,
            self.instances.to_string(),
            age(self.created_at, now),
        ]
    }

    fn tone(&self) -> Tone {
        if self.status.is_empty() {
            Tone::Normal
        } else {
            Tone::Muted
        }
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let in_service = if self.in_service < self.desired {
            Tone::Warn
        } else if self.desired > 0 {
            Tone::Ok
        } else {
            row
        };
        let pending = if self.pending > 0 { Tone::Warn } else { row };
        let mut tones = vec![row; Self::columns().len()];
        tones[4] = in_service;
        tones[5] = pending;
        tones[7] = Tone::Muted;
        tones
    }

    fn key(&self) -> String {
        self.name.clone()
    }
}

/// What happened on the Auto Scaling side.
#[derive(Debug, Clone, PartialEq)]
pub enum AsgMsg {
    Loaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<AsgRow>>,
    },
}

/// Auto Scaling side effects (capacity changes are the guard's, through `RunOp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsgCommand {
    /// List the groups; answered with `AsgMsg::Loaded`.
    Fetch { generation: u64 },
}

/// Apply an Auto Scaling message.
pub fn update(state: &mut AppState, msg: AsgMsg) -> Vec<Command> {
    match msg {
        AsgMsg::Loaded {
            generation,
            now,
            result,
        } => {
            store(state, generation, |s| &mut s.asgs, result, now);
        }
    }
    Vec::new()
}

/// `:asgs`: open the Auto Scaling groups view.
pub fn open(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    crate::app::core::nav::open_over_root(state, View::Asgs)
}

/// Fetch the groups.
pub fn fetch(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::Asg(AsgCommand::Fetch { generation })]
}

pub fn table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.asgs)
}

pub fn filter(state: &AppState) -> &str {
    &state.asgs.filter.text
}

/// The copy keys: the group's name, or its ARN.
pub fn copy(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.asgs.selected_row()?;
    Some(match kind {
        CopyKind::Full if !row.arn.is_empty() => Copied::new("ASG ARN", row.arn.as_str()),
        _ => Copied::new("ASG name", row.name.as_str()),
    })
}

/// `y`: the selected group.
pub fn describe(
    state: &AppState,
    kind: crate::domain::describe::DescribeKind,
) -> Option<crate::domain::describe::DescribeTarget> {
    let row = state.asgs.selected_row()?;
    (kind == crate::domain::describe::DescribeKind::Item).then(|| {
        crate::domain::describe::DescribeTarget::Asg {
            name: row.name.clone(),
        }
    })
}

/// Keys on the `:asgs` view; `None` lets the generic handling run.
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    match action {
        Action::SetDesired => {
            let Some(group) = selected(state) else {
                return Some(Vec::new());
            };
            let op = Op::SetAsgCapacity {
                group: group.name.clone(),
                from: group.desired,
                to: group.desired,
            };
            if op::refused_read_only(state, &op) {
                return Some(Vec::new());
            }
            state.mode = Mode::Prompt(Box::new(Prompt::new(
                PromptPurpose::AsgDesired {
                    group: group.name.clone(),
                    min: group.min,
                    desired: group.desired,
                    max: group.max,
                },
                "",
            )));
            Some(Vec::new())
        }
        Action::ScaleUp | Action::ScaleDown => {
            let Some(group) = selected(state) else {
                return Some(Vec::new());
            };
            let target = if action == Action::ScaleUp {
                group.desired.saturating_add(1)
            } else {
                group.desired - 1
            };
            if target < 0 {
                flash(
                    state,
                    &format!("group {} is already at 0: nothing was sent", group.name),
                    Tone::Error,
                );
                return Some(Vec::new());
            }
            request_capacity(state, &group, target);
            Some(Vec::new())
        }
        Action::Enter => {
            let Some(group) = state.asgs.selected_row().cloned() else {
                return Some(Vec::new());
            };
            match group.cluster {
                Some(cluster) => Some(enter(
                    state,
                    View::Services {
                        cluster: cluster.as_str().into(),
                    },
                )),
                None => {
                    flash(
                        state,
                        &format!("no ECS cluster is known to use group {}", group.name),
                        Tone::Warn,
                    );
                    Some(Vec::new())
                }
            }
        }
        _ => None,
    }
}

/// The desired-capacity prompt was answered with `text`.
pub fn on_prompt_submit(state: &mut AppState, group: &str, text: &str) -> Result<(), String> {
    let Some(row) = state.asgs.rows().iter().find(|r| r.name == group).cloned() else {
        let key = state.keymap.key_name(KeyContext::Asgs, Action::Refresh);
        return Err(format!(
            "group {group} is no longer listed: nothing was sent (refresh with {key})"
        ));
    };
    let target = target_from_text(row.desired, text, limits(state, &row))?;
    request_capacity(state, &row, target);
    Ok(())
}

/// What is wrong with `text` as a new capacity for `group`, if anything.
pub fn prompt_problem(state: &AppState, group: &str, text: &str) -> Option<String> {
    let row = state.asgs.rows().iter().find(|r| r.name == group)?;
    target_from_text(row.desired, text, limits(state, row)).err()
}

fn limits<'a>(state: &AppState, row: &'a AsgRow) -> Limits<'a> {
    Limits {
        what: &row.name,
        ceiling: state.guard.settings.max_desired,
        group_bounds: Some((row.min, row.max)),
    }
}

fn request_capacity(state: &mut AppState, row: &AsgRow, target: i32) {
    if let Err(message) = check_target(row.desired, target, limits(state, row)) {
        flash(state, &message, Tone::Error);
        return;
    }
    let op = Op::SetAsgCapacity {
        group: row.name.clone(),
        from: row.desired,
        to: target,
    };
    let mut extra = vec![(
        "bounds".to_string(),
        format!("min {}, max {}", row.min, row.max),
    )];
    if let Some(cluster) = &row.cluster {
        let via = row.link.map(|l| l.label()).unwrap_or("unknown");
        extra.push((
            "feeds".to_string(),
            format!("ECS cluster {cluster} ({via})"),
        ));
    }
    if row.ecs_managed {
        extra.push((
            "note".to_string(),
            "ECS managed scaling may change this again".to_string(),
        ));
    }
    op::request_with(state, op, extra, None);
}

fn selected(state: &mut AppState) -> Option<AsgRow> {
    let row = state.asgs.selected_row().cloned();
    if row.is_none() {
        flash(state, "no Auto Scaling group selected", Tone::Warn);
    }
    row
}
