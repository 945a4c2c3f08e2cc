//! Realistic rows for every view, with the generator's odd names mixed in.

use opsdeck::app::guard::op::Op;
use opsdeck::app::journal::entry::{JournalEntry, JournalLoad, Outcome};
use opsdeck::domain::asg::AsgRow;
use opsdeck::domain::docker::{DockerContainerDetail, DockerContainerRow, StatsSample};
use opsdeck::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use opsdeck::domain::hosts::HostRow;
use opsdeck::domain::ids::{ClusterName, ServiceName, TaskArn};
use opsdeck::domain::images::{ImageRow, rows_for_image};
use opsdeck::domain::loggroups::{LogGroupClass, LogGroupRow};
use opsdeck::domain::logs::{LogLine, LogStream};
use opsdeck::domain::service::{
    DeploymentRow, RollbackPlan, ServiceDetail, ServiceEventRow, StoppedTaskRow,
    TaskDefinitionImages,
};

use super::random::Gen;

pub const NOW: i64 = 1_700_000_000;

/// How many rows a list has: none, one, a screenful, more than a screen.
fn count(g: &mut Gen) -> usize {
    match g.rng.below(32) {
        0..=3 => 0,
        4..=7 => 1,
        8 => 60 + g.rng.below(60) as usize,
        _ => 2 + g.rng.below(8) as usize,
    }
}

/// A name: mostly from a small set (so refreshes keep rows), sometimes odd.
pub fn name(g: &mut Gen, stem: &str, i: usize) -> String {
    if g.rng.chance(1, 10) {
        format!("{stem}{}", g.word())
    } else {
        format!("{stem}-{}", i % 12)
    }
}

/// One of the options, as text or parsed into a status enum.
fn status<T: for<'a> From<&'a str>>(g: &mut Gen, options: &[&str]) -> T {
    T::from(*g.rng.pick(options))
}

pub fn clusters(g: &mut Gen) -> Vec<ClusterRow> {
    (0..count(g))
        .map(|i| ClusterRow {
            name: name(g, "cluster", i).as_str().into(),
            status: status(g, &["ACTIVE", "INACTIVE", "PROVISIONING"]),
            ..Default::default()
        })
        .collect()
}

pub fn services(g: &mut Gen, cluster: &str) -> Vec<ServiceRow> {
    (0..count(g))
        .map(|i| {
            let desired = g.rng.below(6) as i32;
            ServiceRow {
                cluster: cluster.into(),
                name: name(g, "svc", i).as_str().into(),
                status: status(g, &["ACTIVE", "DRAINING"]),
                desired,
                running: g.rng.below(desired as u64 + 2) as i32,
                task_definition: format!("svc-{i}:{}", 1 + g.rng.below(20)),
                ..Default::default()
            }
        })
        .collect()
}

fn container(g: &mut Gen, i: usize) -> ContainerRow {
    ContainerRow {
        name: name(g, "app", i),
        image: format!("acme/app:{}", g.rng.below(9)),
        last_status: status(g, &["RUNNING", "STOPPED", "PENDING"]),
        exit_code: g.rng.chance(1, 3).then_some(137),
        runtime_id: format!("rt{i}"),
        ..Default::default()
    }
}

pub fn task(g: &mut Gen, cluster: &str, i: usize) -> TaskRow {
    let id = format!("{:032x}", (i as u64 % 12) * 7919 + 1);
    TaskRow {
        cluster: cluster.into(),
        arn: TaskArn::from(format!("arn:aws:ecs:eu-west-1:1:task/{cluster}/{id}")),
        last_status: status(g, &["RUNNING", "STOPPED", "PENDING", "DEPROVISIONING"]),
        desired_status: status(g, &["RUNNING", "STOPPED"]),
        launch_type: status(g, &["EC2", "FARGATE", ""]),
        container_instance_arn: if g.rng.chance(1, 2) {
            format!("arn:aws:ecs:eu-west-1:1:container-instance/{cluster}/ci{i}")
        } else {
            String::new()
        },
        started_at: Some(NOW - g.rng.below(90_000) as i64),
        containers: (0..g.rng.below(4) as usize)
            .map(|c| container(g, c))
            .collect(),
        ..Default::default()
    }
}

pub fn tasks(g: &mut Gen, cluster: &str) -> Vec<TaskRow> {
    (0..count(g)).map(|i| task(g, cluster, i)).collect()
}

pub fn docker_row(g: &mut Gen, i: usize) -> DockerContainerRow {
    let state: String = status(
        g,
        &[
            "running",
            "running",
            "exited",
            "paused",
            "created",
            "restarting",
        ],
    );
    let running = state == "running" || state == "paused";
    let name = name(g, "box", i);
    DockerContainerRow {
        id: format!("id-{name}"),
        image: "shop/web:1.4".into(),
        status: format!("{state} for a while"),
        project: status(g, &["", "shop", "blog"]),
        ports: "8080→80/tcp".into(),
        created: NOW - 86_400,
        started_at: running.then_some(NOW - 7_200),
        cpu_percent: running.then_some(g.rng.below(4000) as f64 / 10.0),
        memory_bytes: running.then_some(g.rng.below(1 << 32)),
        memory_limit: running.then_some(1 << 31),
        state: state.as_str().into(),
        name,
        ..Default::default()
    }
}

pub fn docker_rows(g: &mut Gen) -> Vec<DockerContainerRow> {
    (0..count(g)).map(|i| docker_row(g, i)).collect()
}

pub fn docker_detail(g: &mut Gen, id: &str) -> DockerContainerDetail {
    DockerContainerDetail {
        id: id.into(),
        name: id.trim_start_matches("id-").into(),
        image: "shop/web:1.4".into(),
        command: format!("/entrypoint.sh {}", g.word()),
        env: vec![
            ("DB_PASSWORD".into(), "•••".into()),
            ("EMPTY".into(), String::new()),
        ],
        mounts: vec!["data → /var/lib/data (rw)".into()],
        networks: vec!["shop_default: 172.18.0.3".into()],
        labels: vec![("com.docker.compose.project".into(), g.word())],
        restart_policy: "unless-stopped".into(),
        restart_count: g.rng.below(5) as i64,
        state: status(g, &["running", "exited (1)", "paused"]),
        run_state: status(g, &["running", "exited", "paused"]),
        started_at: Some(NOW - 3_600),
        created: Some(NOW - 86_400),
    }
}

pub fn sample(g: &mut Gen) -> StatsSample {
    StatsSample {
        cpu_percent: g
            .rng
            .chance(4, 5)
            .then(|| g.rng.below(1_000_000) as f64 / 100.0),
        memory_bytes: g.rng.next() >> g.rng.below(64),
        memory_limit: if g.rng.chance(1, 4) { 0 } else { 1 << 31 },
    }
}

pub fn images(g: &mut Gen) -> Vec<ImageRow> {
    (0..count(g))
        .flat_map(|i| {
            let tags = match g.rng.below(4) {
                0 => Vec::new(),
                1 => vec![
                    format!("{}:1.{i}", name(g, "shop/web", i)),
                    "web:latest".into(),
                ],
                _ => vec![format!("{}:{}", name(g, "repo", i), g.word())],
            };
            let used = g.rng.below(3) as usize;
            rows_for_image(
                &format!("sha256:{i:064x}"),
                &tags,
                g.rng.next() >> 30,
                Some(NOW - 600),
                used,
            )
        })
        .collect()
}

pub fn log_groups(g: &mut Gen) -> Vec<LogGroupRow> {
    (0..count(g))
        .map(|i| LogGroupRow {
            name: format!("/ecs/{}", name(g, "group", i)),
            stored_bytes: g.rng.next() >> 40,
            retention_days: g.rng.chance(1, 2).then_some(30),
            created_at: Some(NOW - 86_400),
            class: match g.rng.below(3) {
                0 => LogGroupClass::InfrequentAccess,
                _ => LogGroupClass::Standard,
            },
            ..Default::default()
        })
        .collect()
}

pub fn hosts(g: &mut Gen) -> Vec<HostRow> {
    (0..count(g))
        .map(|i| {
            let name = name(g, "node", i);
            HostRow {
                id: format!("i-{:08x}", i % 12),
                state: status(g, &["running", "stopped", "terminated", "pending"]),
                private_ip: format!("10.0.0.{}", i % 250),
                tags: vec![("Name".into(), name.clone()), ("env".into(), g.word())],
                name,
                ..HostRow::default()
            }
        })
        .collect()
}

pub fn asgs(g: &mut Gen) -> Vec<AsgRow> {
    (0..count(g))
        .map(|i| {
            let desired = g.rng.below(10) as i32;
            AsgRow {
                name: name(g, "asg", i),
                min: 0,
                desired,
                max: desired + g.rng.below(5) as i32,
                in_service: g.rng.below(desired as u64 + 1) as i32,
                ..Default::default()
            }
        })
        .collect()
}

pub fn op(g: &mut Gen) -> Op {
    let (cluster, service): (ClusterName, ServiceName) = ("prod".into(), name(g, "svc", 1).into());
    let (id, name) = ("id-box-1".to_string(), "box-1".to_string());
    match g.rng.below(8) {
        0 => Op::Redeploy { cluster, service },
        1 => Op::SetDesired {
            cluster,
            service,
            from: 2,
            to: g.rng.below(5) as i32,
        },
        2 => Op::Rollback {
            cluster,
            service,
            from: "svc:8".into(),
            to: "svc:7".into(),
        },
        3 => Op::StopTask {
            cluster,
            task: "arn:aws:ecs:eu-west-1:1:task/prod/abc".into(),
            reason: g.word(),
        },
        4 => Op::SetAsgCapacity {
            group: "asg-1".into(),
            from: 1,
            to: 3,
        },
        5 => Op::DockerRestart { id, name },
        6 => Op::DockerStop { id, name },
        _ => Op::DockerRemove { id, name },
    }
}

pub fn journal(g: &mut Gen) -> JournalLoad {
    let entries = (0..count(g))
        .map(|i| JournalEntry {
            id: format!("j{i}"),
            at: Some(NOW - i as i64 * 60),
            time_text: String::new(),
            who: "alice".into(),
            profile: "dev".into(),
            region: "eu-west-1".into(),
            account: Some("123456789012".into()),
            op: op(g),
            before: "desired 2, running 2".into(),
            outcome: match g.rng.below(3) {
                0 => Outcome::Done {
                    summary: g.word(),
                    request_id: "req-1".into(),
                },
                1 => Outcome::Failed {
                    error: g.word(),
                    request_id: String::new(),
                },
                _ => Outcome::Unknown,
            },
            undoes: None,
            undone_by: g.rng.chance(1, 4).then(|| "j-undo".to_string()),
        })
        .collect();
    JournalLoad {
        entries,
        bad_lines: g.rng.below(3) as usize,
    }
}

pub fn service_detail(g: &mut Gen, cluster: &str, service: &str) -> ServiceDetail {
    let desired = g.rng.below(6) as i32;
    ServiceDetail {
        service: ServiceRow {
            cluster: cluster.into(),
            name: service.into(),
            status: "ACTIVE".into(),
            desired,
            running: g.rng.below(7) as i32,
            task_definition: format!("{service}:8"),
            ..Default::default()
        },
        deployments: (0..g.rng.below(3))
            .map(|i| DeploymentRow {
                id: format!("ecs-svc/{i}"),
                status: status(g, &["PRIMARY", "ACTIVE"]),
                rollout_state: status(g, &["IN_PROGRESS", "COMPLETED", "FAILED"]),
                desired,
                running: g.rng.below(7) as i32,
                ..Default::default()
            })
            .collect(),
        events: (0..g.rng.below(30))
            .map(|i| ServiceEventRow {
                id: format!("e{i}"),
                at: Some(NOW - i as i64),
                message: g.word(),
            })
            .collect(),
        stopped: (0..g.rng.below(4))
            .map(|i| StoppedTaskRow {
                arn: format!("arn:aws:ecs:eu-west-1:1:task/{cluster}/s{i}"),
                reason: g.word(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

pub fn rollback(g: &mut Gen, cluster: &str, service: &str) -> RollbackPlan {
    let images = |fr: &str| TaskDefinitionImages {
        arn: format!("arn:aws:ecs:eu-west-1:1:task-definition/{fr}"),
        family_revision: fr.into(),
        images: vec![("app".into(), "acme/app:2".into())],
    };
    let _ = g;
    RollbackPlan {
        cluster: cluster.into(),
        service: service.into(),
        current: images(&format!("{service}:8")),
        previous: images(&format!("{service}:7")),
    }
}

pub fn log_lines(g: &mut Gen) -> Vec<LogLine> {
    let n = match g.rng.below(40) {
        0..=3 => 0,
        4 => 200 + g.rng.below(400) as usize,
        _ => 1 + g.rng.below(6) as usize,
    };
    (0..n)
        .map(|i| {
            let mut text = format!("GET /api/{i} 200 {}", g.word());
            if g.rng.chance(1, 200) {
                text = text.repeat(40);
            }
            let mut line = LogLine::new(&text).at(NOW * 1000 + i as i64);
            if g.rng.chance(1, 4) {
                line = line.labelled(&name(g, "task", i), g.rng.below(256) as u8);
            }
            if g.rng.chance(1, 5) {
                line.stream = LogStream::Stderr;
            }
            line
        })
        .collect()
}
