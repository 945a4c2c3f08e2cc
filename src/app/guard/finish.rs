//! What happens when a confirmed operation finishes: the flash, the shown count, and the watch
//! of the rollout on the service detail view.

use crate::app::core::command::Command;
use crate::app::core::nav::{enter, fetch_visible, flash};
use crate::app::core::state::AppState;
use crate::app::core::table::Tone;
use crate::app::core::view::View;
use crate::app::guard::op::Op;
use crate::app::service::{Watch, WatchKind};

/// A `RunOp` finished.
pub fn finished(state: &mut AppState, op: Op, result: Result<String, String>) -> Vec<Command> {
    state.dirty = true;
    if let Some(i) = state.guard.pending.iter().position(|p| *p == op) {
        state.guard.pending.remove(i);
        crate::app::guard::op::mark_rows(state);
    }
    let summary = match result {
        Ok(summary) => summary,
        Err(message) => {
            flash(
                state,
                &format!("failed: {} — {message}", op.title()),
                Tone::Error,
            );
            return refresh_after(state);
        }
    };
    let watch = match &op {
        Op::SetDesired {
            cluster,
            service,
            to,
            ..
        } => {
            set_service_desired(state, cluster.as_str(), service.as_str(), *to);
            Some((cluster, service, WatchKind::Scale { to: *to }))
        }
        Op::Redeploy { cluster, service }
        | Op::Rollback {
            cluster, service, ..
        } => Some((cluster, service, WatchKind::Deploy)),
        Op::SetAsgCapacity { group, to, .. } => {
            set_group_desired(state, group, *to);
            None
        }
        _ => None,
    };
    let Some((cluster, service, kind)) = watch else {
        flash(
            state,
            &format!("done: {} — {summary}", op.title()),
            Tone::Ok,
        );
        return refresh_after(state);
    };
    state.service.watch = Some(Watch {
        cluster: cluster.to_string(),
        service: service.to_string(),
        kind,
    });
    let text = format!("done: {} — {summary}; watching the rollout", op.title());
    let open = matches!(state.view(), View::Services { cluster: c } if c == cluster);
    let commands = if open {
        enter(
            state,
            View::ServiceDetail {
                cluster: cluster.as_str().into(),
                service: service.as_str().into(),
            },
        )
    } else {
        refresh_after(state)
    };
    flash(state, &text, Tone::Ok);
    commands
}

/// Refresh the visible view unless a fetch for it is already on its way.
fn refresh_after(state: &mut AppState) -> Vec<Command> {
    fetch_visible(state)
}

/// Show the new desired count at once; the next refresh confirms it.
fn set_service_desired(state: &mut AppState, cluster: &str, service: &str, to: i32) {
    let mut rows = state.services.rows().to_vec();
    let mut changed = false;
    for row in rows
        .iter_mut()
        .filter(|r| r.cluster.as_str() == cluster && r.name.as_str() == service)
    {
        row.desired = to;
        changed = true;
    }
    if changed {
        let now = state.services.now();
        state.services.set_rows(rows, now);
    }
    if let Some(detail) = &mut state.service.detail.data
        && detail.service.cluster.as_str() == cluster
        && detail.service.name.as_str() == service
    {
        detail.service.desired = to;
    }
}

fn set_group_desired(state: &mut AppState, group: &str, to: i32) {
    let mut rows = state.asgs.rows().to_vec();
    if let Some(row) = rows.iter_mut().find(|r| r.name == group) {
        row.desired = to;
        let now = state.asgs.now();
        state.asgs.set_rows(rows, now);
    }
}
