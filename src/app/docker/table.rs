//! The containers table: columns and cells of a container row, stopped rows muted, and the
//! order that groups containers by Docker Compose project.

use std::cmp::Ordering;

use crate::app::core::table::{Column, TableRow, Tone};
use crate::domain::docker::{DockerContainerRow, bytes, percent};
use crate::domain::format::age;
use crate::domain::status::{ContainerState, DockerHealth};

impl ContainerState {
    /// A container's row: running is normal, restarting or paused a warning, dead an error,
    /// anything stopped is muted.
    pub fn tone(&self) -> Tone {
        match self {
            ContainerState::Running => Tone::Normal,
            ContainerState::Restarting | ContainerState::Paused => Tone::Warn,
            ContainerState::Dead => Tone::Error,
            _ => Tone::Muted,
        }
    }

    /// The state itself (cell or detail line): green while running, else the row's tone.
    pub fn state_tone(&self) -> Tone {
        match self.tone() {
            Tone::Normal => Tone::Ok,
            other => other,
        }
    }
}

impl DockerHealth {
    pub fn tone(&self) -> Tone {
        match self {
            DockerHealth::Unhealthy => Tone::Error,
            DockerHealth::Starting => Tone::Warn,
            DockerHealth::Healthy => Tone::Ok,
            DockerHealth::Unknown(_) => Tone::Normal,
        }
    }
}

/// Widest the name column grows on wide terminals.
pub const NAME_MAX: u16 = 40;

impl TableRow for DockerContainerRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("NAME", NAME_MAX).min(22),
            Column::text("STATE", 8).priority(8),
            Column::text("STATUS", 10).priority(5),
            Column::num("CPU%", 6).priority(6),
            Column::num("MEM", 7).priority(6),
            Column::num("UPTIME", 6).priority(3),
            Column::text("IMAGE", 20).min(16).priority(4),
            Column::text("PORTS", 22).min(12).priority(2),
            Column::text("PROJECT", 14).priority(1),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        let running = self.is_running() || self.is_paused();
        vec![
            self.name.clone(),
            self.state.to_string(),
            self.short_status(),
            match self.cpu_percent {
                Some(p) if running => percent(p),
                _ => String::new(),
            },
            match self.memory_bytes {
                Some(m) if running => bytes(m),
                _ => String::new(),
            },
            if running {
                age(self.started_at, now)
            } else {
                String::new()
            },
            self.image.clone(),
            self.ports.clone(),
            self.project.clone(),
        ]
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let mut tones = vec![row; Self::columns().len()];
        tones[1] = self.state.state_tone();
        if row == Tone::Normal {
            tones[2] = self.health.tone();
        }
        if self.state == ContainerState::Exited && self.exit_code().is_some_and(|c| c != 0) {
            tones[2] = Tone::Error;
        }
        tones
    }

    fn tone(&self) -> Tone {
        self.state.tone()
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

/// Compose projects first (by name), then containers outside any project; inside a group by
/// compose service, then name.
pub fn group_order(a: &DockerContainerRow, b: &DockerContainerRow) -> Ordering {
    a.project
        .is_empty()
        .cmp(&b.project.is_empty())
        .then_with(|| a.project.cmp(&b.project))
        .then_with(|| a.service.cmp(&b.service))
        .then_with(|| a.name.cmp(&b.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, project: &str, service: &str) -> DockerContainerRow {
        DockerContainerRow {
            id: name.into(),
            name: name.into(),
            project: project.into(),
            service: service.into(),
            state: "running".into(),
            ..Default::default()
        }
    }

    #[test]
    fn projects_come_first_then_loose_containers() {
        let mut rows = [
            row("zeta", "", ""),
            row("shop-web-1", "shop", "web"),
            row("alpha", "", ""),
            row("blog-db-1", "blog", "db"),
            row("shop-db-1", "shop", "db"),
        ];
        rows.sort_by(group_order);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["blog-db-1", "shop-db-1", "shop-web-1", "alpha", "zeta"]
        );
    }

    #[test]
    fn stopped_rows_are_muted_and_show_no_usage() {
        let mut r = row("web", "", "");
        r.cpu_percent = Some(3.0);
        r.memory_bytes = Some(1024);
        r.started_at = Some(0);
        assert_eq!(r.cells(120)[3], "3.0%");
        assert_eq!(r.cells(120)[5], "2m");
        r.state = "exited".into();
        r.status = "Exited (1) 2 minutes ago".into();
        assert_eq!(r.tone(), Tone::Muted);
        let cells = r.cells(120);
        assert_eq!((cells[3].as_str(), cells[4].as_str()), ("", ""));
        assert_eq!(r.tones()[2], Tone::Error);
    }
}
