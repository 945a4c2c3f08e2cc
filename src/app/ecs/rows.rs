//! How ECS rows appear in the generic table: columns, cells and tones.

use crate::app::core::table::{Column, TableRow, Tone};
use crate::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use crate::domain::format::age;
use crate::domain::status::{ClusterStatus, HealthStatus, RolloutState, ServiceStatus, TaskStatus};

impl ClusterStatus {
    /// Failed clusters stand out; clusters coming or going are a warning.
    pub fn tone(&self) -> Tone {
        match self {
            ClusterStatus::Active => Tone::Normal,
            ClusterStatus::Unknown(text) if text.is_empty() => Tone::Normal,
            ClusterStatus::Failed => Tone::Error,
            _ => Tone::Warn,
        }
    }
}

impl ServiceStatus {
    /// Draining and inactive services are muted.
    pub fn tone(&self) -> Tone {
        match self {
            ServiceStatus::Active => Tone::Normal,
            ServiceStatus::Unknown(text) if text.is_empty() => Tone::Normal,
            _ => Tone::Muted,
        }
    }
}

impl RolloutState {
    /// The colour of a rollout; `None` when ECS reported none (the caller's own tone then).
    pub fn tone(&self) -> Option<Tone> {
        match self {
            RolloutState::Failed => Some(Tone::Error),
            RolloutState::InProgress => Some(Tone::Warn),
            RolloutState::Completed => Some(Tone::Ok),
            RolloutState::Unknown(_) => None,
        }
    }
}

impl TaskStatus {
    /// A task's row: running is normal, stopping or stopped is muted, the rest is on its way.
    pub fn task_tone(&self) -> Tone {
        match self {
            TaskStatus::Running => Tone::Normal,
            TaskStatus::Stopped | TaskStatus::Deprovisioning | TaskStatus::Stopping => Tone::Muted,
            _ => Tone::Warn,
        }
    }

    /// A container's row: containers go straight from running to stopped.
    pub fn container_tone(&self) -> Tone {
        match self {
            TaskStatus::Running => Tone::Normal,
            TaskStatus::Stopped => Tone::Muted,
            _ => Tone::Warn,
        }
    }
}

impl HealthStatus {
    /// `None` when there is no verdict (the row's tone then).
    pub fn tone(&self) -> Option<Tone> {
        match self {
            HealthStatus::Healthy => Some(Tone::Ok),
            HealthStatus::Unhealthy => Some(Tone::Error),
            _ => None,
        }
    }
}

impl TableRow for ClusterRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("NAME", 32).min(20),
            Column::text("STATUS", 8),
            Column::num("SERVICES", 8),
            Column::num("RUNNING", 7),
            Column::num("PENDING", 7),
            Column::num("INSTANCES", 9),
        ];
        C
    }

    fn cells(&self, _now: i64) -> Vec<String> {
        vec![
            self.name.to_string(),
            self.status.to_string(),
            self.active_services.to_string(),
            self.running_tasks.to_string(),
            self.pending_tasks.to_string(),
            self.container_instances.to_string(),
        ]
    }

    fn tone(&self) -> Tone {
        self.status.tone()
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let pending = if self.pending_tasks > 0 {
            Tone::Warn
        } else {
            row
        };
        vec![row, row, row, row, pending, row]
    }

    fn key(&self) -> String {
        self.name.to_string()
    }
}

impl ServiceRow {
    /// Fewer tasks running than desired.
    pub fn is_degraded(&self) -> bool {
        self.running < self.desired
    }

    /// The compact form of the task counts: `1/3 +2` (running/desired, pending when any).
    pub fn tasks(&self) -> String {
        if self.pending > 0 {
            format!("{}/{} +{}", self.running, self.desired, self.pending)
        } else {
            format!("{}/{}", self.running, self.desired)
        }
    }
}

impl TableRow for ServiceRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("NAME", 30).min(20),
            Column::text("STATUS", 8).priority(3),
            Column::num("DESIRED", 7).priority(8),
            Column::num("RUNNING", 7).priority(8),
            Column::num("PENDING", 7).priority(8),
            // `running/desired +pending` when the three do not fit.
            Column::num("TASKS", 9).min(7).compact_for(2, 3),
            Column::text("LAUNCH", 8).priority(1),
            Column::text("TASK DEF", 22).min(16).priority(4),
            Column::text("ROLLOUT", 11).priority(6),
            Column::num("AGE", 5).priority(5),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        vec![
            self.name.to_string(),
            self.status.to_string(),
            self.desired.to_string(),
            self.running.to_string(),
            self.pending.to_string(),
            self.tasks(),
            self.launch_type.clone(),
            self.task_definition.clone(),
            self.rollout.to_string(),
            age(self.created_at, now),
        ]
    }

    fn tone(&self) -> Tone {
        self.status.tone()
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let running = if self.running == 0 && self.desired > 0 {
            Tone::Error
        } else if self.is_degraded() {
            Tone::Warn
        } else if self.desired > 0 {
            Tone::Ok
        } else {
            row
        };
        let pending = if self.pending > 0 { Tone::Warn } else { row };
        let rollout = self.rollout.tone().unwrap_or(row);
        // The compact TASKS cell takes the worse of running's and pending's tones.
        let tasks = match (running, pending) {
            (Tone::Error, _) => Tone::Error,
            (_, Tone::Warn) => Tone::Warn,
            _ => running,
        };
        vec![
            row, row, row, running, pending, tasks, row, row, rollout, row,
        ]
    }

    fn key(&self) -> String {
        self.name.to_string()
    }
}

impl TableRow for TaskRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("TASK", 8),
            Column::text("LAST", 12).priority(8),
            Column::text("DESIRED", 8).priority(3),
            Column::text("HEALTH", 9).priority(7),
            Column::text("TASK DEF", 18).min(14).priority(5),
            Column::text("LAUNCH", 8).priority(1),
            Column::text("AZ", 11).priority(2),
            Column::text("PRIVATE IP", 15).priority(4),
            Column::num("AGE", 5).priority(6),
            Column::text("STOPPED REASON", 30).min(20).priority(5),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        let since = if self.stopped_at.is_some() {
            self.stopped_at
        } else {
            self.started_at
        };
        vec![
            self.arn.short_id().to_string(),
            self.last_status.to_string(),
            self.desired_status.to_string(),
            self.health.to_string(),
            self.task_definition.clone(),
            self.launch_type.clone(),
            self.availability_zone.clone(),
            self.private_ip.clone(),
            age(since, now),
            self.stopped_reason.clone(),
        ]
    }

    fn tone(&self) -> Tone {
        self.last_status.task_tone()
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let health = self.health.tone().unwrap_or(row);
        let mut tones = vec![row; Self::columns().len()];
        tones[3] = health;
        if !self.stopped_reason.is_empty() {
            tones[9] = Tone::Error;
        }
        tones
    }

    fn key(&self) -> String {
        self.arn.to_string()
    }
}

impl TableRow for ContainerRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("NAME", 20),
            Column::text("IMAGE", 34),
            Column::text("STATUS", 9),
            Column::num("EXIT", 4),
            Column::text("HEALTH", 9),
            Column::num("CPU", 5),
            Column::num("MEM", 6),
        ];
        C
    }

    fn cells(&self, _now: i64) -> Vec<String> {
        vec![
            self.name.clone(),
            self.image.clone(),
            self.last_status.to_string(),
            self.exit_code.map(|c| c.to_string()).unwrap_or_default(),
            self.health.to_string(),
            self.cpu.clone(),
            self.memory.clone(),
        ]
    }

    fn tone(&self) -> Tone {
        self.last_status.container_tone()
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let exit = match self.exit_code {
            Some(0) | None => row,
            Some(_) => Tone::Error,
        };
        let health = self.health.tone().unwrap_or(row);
        vec![row, row, row, exit, health, row, row]
    }

    fn key(&self) -> String {
        self.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::core::columns::{choose, max_offset};

    fn shown<R: TableRow>(width: u16) -> Vec<&'static str> {
        let choice = choose(R::columns(), width, 0);
        R::columns()
            .iter()
            .zip(&choice.shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.title)
            .collect()
    }

    #[test]
    fn services_at_80_100_160_and_200_columns() {
        // The table's inside is the terminal less its two borders.
        assert_eq!(
            shown::<ServiceRow>(78),
            ["NAME", "STATUS", "TASKS", "TASK DEF", "ROLLOUT", "AGE"]
        );
        let whole = [
            "NAME", "STATUS", "DESIRED", "RUNNING", "PENDING", "LAUNCH", "TASK DEF", "ROLLOUT",
            "AGE",
        ];
        for width in [98, 158, 198] {
            assert_eq!(shown::<ServiceRow>(width), whole, "{width}");
            assert_eq!(max_offset(ServiceRow::columns(), width), 0);
        }
        assert_eq!(max_offset(ServiceRow::columns(), 78), 1);
    }

    #[test]
    fn tasks_at_80_100_160_and_200_columns() {
        assert_eq!(
            shown::<TaskRow>(78),
            [
                "TASK",
                "LAST",
                "HEALTH",
                "TASK DEF",
                "AGE",
                "STOPPED REASON"
            ]
        );
        assert_eq!(
            shown::<TaskRow>(98),
            [
                "TASK",
                "LAST",
                "DESIRED",
                "HEALTH",
                "TASK DEF",
                "PRIVATE IP",
                "AGE",
                "STOPPED REASON"
            ]
        );
        for width in [158, 198] {
            assert_eq!(shown::<TaskRow>(width).len(), 10, "{width}");
        }
    }

    #[test]
    fn the_compact_task_counts() {
        let service = |desired, running, pending| ServiceRow {
            desired,
            running,
            pending,
            ..ServiceRow::default()
        };
        assert_eq!(service(3, 1, 2).tasks(), "1/3 +2");
        assert_eq!(service(2, 2, 0).tasks(), "2/2");
        // The cell takes the worse tone: down is an error, pending a warning.
        assert_eq!(service(3, 0, 3).tones()[5], Tone::Error);
        assert_eq!(service(3, 1, 2).tones()[5], Tone::Warn);
        assert_eq!(service(2, 2, 0).tones()[5], Tone::Ok);
    }
}
