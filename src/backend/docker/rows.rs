//! bollard types → the plain rows, details and samples of `domain::docker`.

use bollard::models::{
    ContainerCpuStats, ContainerInspectResponse, ContainerMemoryStats, ContainerStatsResponse,
    ContainerSummary, Port,
};

use crate::domain::docker::{
    CpuCounters, DockerContainerDetail, DockerContainerRow, StatsSample, cpu_percent, mask_env,
};
use crate::domain::status::{ContainerState, DockerHealth};

/// The label Docker Compose puts on a project's containers.
pub const COMPOSE_PROJECT: &str = "com.docker.compose.project";
/// The label Docker Compose puts on a service's containers.
pub const COMPOSE_SERVICE: &str = "com.docker.compose.service";

/// A list entry → a row (CPU, memory and start time are filled in later).
pub fn row_from_summary(s: ContainerSummary) -> DockerContainerRow {
    let labels = s.labels.unwrap_or_default();
    let status = s.status.unwrap_or_default();
    DockerContainerRow {
        id: s.id.unwrap_or_default(),
        name: s
            .names
            .and_then(|n| n.into_iter().next())
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_default(),
        image: s.image.unwrap_or_default(),
        state: s
            .state
            .map(|st| ContainerState::parse(st.as_ref()))
            .unwrap_or_default(),
        health: health_from_status(&status),
        status,
        project: labels.get(COMPOSE_PROJECT).cloned().unwrap_or_default(),
        service: labels.get(COMPOSE_SERVICE).cloned().unwrap_or_default(),
        ports: format_ports(s.ports.as_deref().unwrap_or_default()),
        created: s.created.unwrap_or_default(),
        ..DockerContainerRow::default()
    }
}

/// The health the engine's status text reports (`Up 3 minutes (healthy)`).
fn health_from_status(status: &str) -> DockerHealth {
    if status.contains("(healthy)") {
        DockerHealth::Healthy
    } else if status.contains("(unhealthy)") {
        DockerHealth::Unhealthy
    } else if status.contains("(health: starting)") {
        DockerHealth::Starting
    } else {
        DockerHealth::default()
    }
}

/// `0.0.0.0:8080→80/tcp, 443/tcp`: published ports once (not once per IP family), sorted.
pub fn format_ports(ports: &[Port]) -> String {
    let mut out: Vec<(u16, String)> = ports
        .iter()
        .map(|p| {
            let proto = p.typ.map(|t| t.to_string()).unwrap_or_else(|| "tcp".into());
            let text = match (p.public_port, p.ip.as_deref()) {
                (Some(public), Some("0.0.0.0" | "::") | None) => {
                    format!("{public}→{}/{proto}", p.private_port)
                }
                (Some(public), Some(ip)) => format!("{ip}:{public}→{}/{proto}", p.private_port),
                (None, _) => format!("{}/{proto}", p.private_port),
            };
            (p.private_port, text)
        })
        .collect();
    out.sort();
    out.dedup();
    out.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An inspect → the detail pane's data.
pub fn detail_from_inspect(i: ContainerInspectResponse) -> DockerContainerDetail {
    let config = i.config.unwrap_or_default();
    let host = i.host_config.unwrap_or_default();
    let state = i.state.unwrap_or_default();
    let mut command: Vec<String> = config.entrypoint.unwrap_or_default();
    command.extend(config.cmd.unwrap_or_default());
    let mut labels: Vec<(String, String)> = config.labels.unwrap_or_default().into_iter().collect();
    labels.sort();
    let mounts = i
        .mounts
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            let source = m
                .name
                .filter(|n| !n.is_empty())
                .or(m.source)
                .unwrap_or_default();
            let mode = if m.rw.unwrap_or(true) { "rw" } else { "ro" };
            format!("{source} → {} ({mode})", m.destination.unwrap_or_default())
        })
        .collect();
    let mut networks: Vec<String> = i
        .network_settings
        .and_then(|n| n.networks)
        .unwrap_or_default()
        .into_iter()
        .map(
            |(name, ep)| match ep.ip_address.filter(|ip| !ip.is_empty()) {
                Some(ip) => format!("{name}: {ip}"),
                None => name,
            },
        )
        .collect();
    networks.sort();
    let restart_policy = match host.restart_policy {
        Some(p) => {
            let name = p.name.map(|n| n.to_string()).unwrap_or_default();
            match (name.as_str(), p.maximum_retry_count) {
                ("", _) => "no".to_string(),
                ("on-failure", Some(n)) if n > 0 => format!("on-failure:{n}"),
                _ => name,
            }
        }
        None => "no".to_string(),
    };
    let run_state = state
        .status
        .map(|s| ContainerState::parse(s.as_ref()))
        .unwrap_or_default();
    let state_text = match (&run_state, state.exit_code) {
        (ContainerState::Exited, Some(code)) if state.oom_killed == Some(true) => {
            format!("exited ({code}, out of memory)")
        }
        (ContainerState::Exited, Some(code)) => format!("exited ({code})"),
        _ => run_state.to_string(),
    };
    DockerContainerDetail {
        id: i.id.unwrap_or_default(),
        name: i
            .name
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string(),
        image: config.image.unwrap_or_default(),
        command: command.join(" "),
        env: config
            .env
            .unwrap_or_default()
            .iter()
            .map(|e| mask_env(e))
            .collect(),
        mounts,
        networks,
        labels,
        restart_policy,
        restart_count: i.restart_count.unwrap_or_default(),
        state: state_text,
        run_state,
        started_at: state
            .started_at
            .as_deref()
            .and_then(parse_rfc3339_millis)
            .map(|ms| ms / 1000),
        created: i
            .created
            .as_deref()
            .and_then(parse_rfc3339_millis)
            .map(|ms| ms / 1000),
    }
}

/// The CPU counters of one reading.
pub fn counters(cpu: Option<&ContainerCpuStats>) -> CpuCounters {
    let Some(cpu) = cpu else {
        return CpuCounters::default();
    };
    let container = cpu
        .cpu_usage
        .as_ref()
        .and_then(|u| u.total_usage)
        .unwrap_or(0);
    let online_cpus = cpu.online_cpus.filter(|&n| n > 0).unwrap_or_else(|| {
        cpu.cpu_usage
            .as_ref()
            .and_then(|u| u.percpu_usage.as_ref())
            .map(|p| p.len() as u32)
            .unwrap_or(1)
    });
    CpuCounters {
        container,
        system: cpu.system_cpu_usage.unwrap_or(0),
        online_cpus,
    }
}

/// Memory in use without the page cache, and the limit (as `docker stats` computes it).
pub fn memory(mem: Option<&ContainerMemoryStats>) -> (u64, u64) {
    let Some(mem) = mem else {
        return (0, 0);
    };
    let usage = mem.usage.unwrap_or(0);
    let cache = mem
        .stats
        .as_ref()
        .and_then(|s| {
            s.get("inactive_file")
                .or_else(|| s.get("total_inactive_file"))
                .copied()
        })
        .unwrap_or(0);
    let used = if cache < usage { usage - cache } else { usage };
    (used, mem.limit.unwrap_or(0))
}

/// A streamed stats reading (it carries the previous reading in `precpu_stats`) → a sample.
pub fn sample_from_stats(s: &ContainerStatsResponse) -> StatsSample {
    let (memory_bytes, memory_limit) = memory(s.memory_stats.as_ref());
    StatsSample {
        cpu_percent: cpu_percent(
            counters(s.precpu_stats.as_ref()),
            counters(s.cpu_stats.as_ref()),
        ),
        memory_bytes,
        memory_limit,
    }
}

/// `2024-05-01T12:34:56.123456789Z` (or with a `+02:00` offset) → milliseconds since the
/// epoch. `None` for anything else, and for Docker's zero time (`0001-01-01T00:00:00Z`).
pub fn parse_rfc3339_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> {
        let mut v = 0i64;
        for &c in b.get(from..to)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if year < 1970 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_secs = match b.get(i) {
        Some(b'Z' | b'z') => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let (h, m) = (num(i + 1, i + 3)?, num(i + 4, i + 6)?);
            let secs = h * 3600 + m * 60;
            if sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(secs * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::PortTypeEnum;
    use std::collections::HashMap;

    #[test]
    fn timestamps_parse_to_millis() {
        assert_eq!(parse_rfc3339_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_millis("2024-05-01T12:34:56.123456789Z"),
            Some(1_714_566_896_123)
        );
        assert_eq!(
            parse_rfc3339_millis("2024-05-01T14:34:56.1+02:00"),
            Some(1_714_566_896_100)
        );
        assert_eq!(parse_rfc3339_millis("0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339_millis("hello world, a log line"), None);
        assert_eq!(parse_rfc3339_millis("2024-05-01T12:34:56"), None);
    }

    #[test]
    fn ports_are_compact_and_not_repeated_per_ip_family() {
        let port = |ip: Option<&str>, private, public| Port {
            ip: ip.map(String::from),
            private_port: private,
            public_port: public,
            typ: Some(PortTypeEnum::TCP),
        };
        let ports = [
            port(Some("0.0.0.0"), 80, Some(8080)),
            port(Some("::"), 80, Some(8080)),
            port(None, 443, None),
            port(Some("127.0.0.1"), 5432, Some(15432)),
        ];
        assert_eq!(
            format_ports(&ports),
            "8080→80/tcp, 443/tcp, 127.0.0.1:15432→5432/tcp"
        );
        assert_eq!(format_ports(&[]), "");
    }

    #[test]
    fn summaries_carry_compose_labels_and_health() {
        let labels: HashMap<String, String> = [
            (COMPOSE_PROJECT.to_string(), "shop".to_string()),
            (COMPOSE_SERVICE.to_string(), "web".to_string()),
        ]
        .into_iter()
        .collect();
        let row = row_from_summary(ContainerSummary {
            id: Some("abc".into()),
            names: Some(vec!["/shop-web-1".into()]),
            status: Some("Up 3 minutes (unhealthy)".into()),
            labels: Some(labels),
            ..Default::default()
        });
        assert_eq!(row.name, "shop-web-1");
        assert_eq!(row.project, "shop");
        assert_eq!(row.service, "web");
        assert_eq!(row.health, DockerHealth::Unhealthy);
    }

    #[test]
    fn memory_leaves_out_the_page_cache() {
        let mem = ContainerMemoryStats {
            usage: Some(100),
            limit: Some(1000),
            stats: Some([("inactive_file".to_string(), 30)].into_iter().collect()),
            ..Default::default()
        };
        assert_eq!(memory(Some(&mem)), (70, 1000));
        assert_eq!(memory(None), (0, 0));
    }
}
