//! CloudWatch logs in the real opsdeck binary, in tmux, against moto (`OPSDECK_MOTO_URL`):
//! `l` on a service shows its tasks' lines, then a line put after the view opened; `:logs`
//! opens any group and rejects a bad start time with a precise message; `:logs` alone lists
//! the groups and `enter` tails the one picked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/moto.rs"]
mod moto;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use moto::REGION;
use opsdeck::backend::AwsClients;
use tmux::{Tmux, opsdeck_bin};

/// Long enough for a debug build on a busy 2-core machine.
const WAIT: Duration = Duration::from_secs(20);

/// A cluster with one service `web` whose two tasks log to `/ecs/CLUSTER-web`.
struct Seeded {
    clients: AwsClients,
    cluster: String,
    group: String,
    task_ids: Vec<String>,
}

async fn seed(url: &str) -> Seeded {
    let clients = moto::moto_clients(url).await.unwrap();
    let cluster = format!("odx-{}", common::unique_token(12));
    let group = format!("/ecs/{cluster}-web");
    moto::create_cluster(&clients, &cluster).await.unwrap();
    clients
        .logs
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await
        .unwrap();
    let logs = moto::awslogs(&group, "ecs").unwrap();
    let app = moto::container("app", "public.ecr.aws/nginx/nginx:1.27", 64, Some(logs));
    let td = moto::register_fargate(&clients, &format!("{cluster}-web"), vec![app])
        .await
        .unwrap();
    let (network, _) = moto::default_vpc_network(&clients).await.unwrap();
    moto::create_fargate_service(&clients, &cluster, "web", &td, 2, &network)
        .await
        .unwrap();
    let run = moto::run_fargate_tasks(
        &clients,
        &cluster,
        &td,
        2,
        "web",
        Some("ecs-svc/web"),
        &network,
    )
    .await
    .unwrap();
    let task_ids: Vec<String> = run
        .tasks()
        .iter()
        .filter_map(|t| t.task_arn())
        .map(|a| a.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(task_ids.len(), 2);
    let seeded = Seeded {
        clients,
        cluster,
        group,
        task_ids,
    };
    for (i, id) in seeded.task_ids.iter().enumerate() {
        let stream = format!("ecs/app/{id}");
        seeded
            .clients
            .logs
            .create_log_stream()
            .log_group_name(&seeded.group)
            .log_stream_name(&stream)
            .send()
            .await
            .unwrap();
        seeded
            .put(id, &format!("GET /health 200 from task {i}"), 60_000)
            .await;
    }
    seeded
}

impl Seeded {
    async fn put(&self, task_id: &str, message: &str, ago_ms: i64) {
        let now = opsdeck::runtime::logs::cwlogs::now_ms();
        self.clients
            .logs
            .put_log_events()
            .log_group_name(&self.group)
            .log_stream_name(format!("ecs/app/{task_id}"))
            .log_events(
                InputLogEvent::builder()
                    .timestamp(now - ago_ms)
                    .message(message)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
}

/// opsdeck in tmux with a private HOME, dummy credentials, on the services of `cluster`.
fn console(url: &str, cluster: &str, home: &Path) -> Tmux {
    let path = |p: &str| home.join(p).display().to_string();
    let (config, state) = (path("config"), path("state"));
    let (aws_config, aws_credentials) = (path(".aws/config"), path(".aws/credentials"));
    let home_dir = home.display().to_string();
    let env = [
        ("HOME", home_dir.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("XDG_STATE_HOME", state.as_str()),
        ("XDG_DATA_HOME", state.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", aws_config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", aws_credentials.as_str()),
    ];
    let args = [
        "--endpoint-url",
        url,
        "--region",
        REGION,
        "--cluster",
        cluster,
    ];
    Tmux::start(&opsdeck_bin(), &args, &env, 160, 48)
}

#[test]
fn service_logs_show_lines_put_after_opening() {
    let Some(url) = common::moto_url() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let seeded = rt.block_on(seed(&url));
    let home = tempfile::tempdir().unwrap();
    let tmux = console(&url, &seeded.cluster, home.path());

    // The services of the cluster; `l` on `web` opens its tasks' logs, merged.
    tmux.wait_for("web", WAIT);
    tmux.keys(&["l"]);
    let screen = tmux.wait_for("GET /health 200 from task 1", WAIT);
    assert!(screen.contains("GET /health 200 from task 0"), "{screen}");
    // Every line names its task and container.
    let short = &seeded.task_ids[1][..8];
    let line = screen.lines().find(|l| l.contains("from task 1")).unwrap();
    assert!(line.contains(&format!("{short}/app")), "{line}");
    // moto's live tail replays and closes: the view says it polls instead.
    tmux.wait_for("POLL 2s", WAIT);

    // A line put now appears, once.
    let marker = format!("payment accepted {}", common::unique_token(6));
    rt.block_on(seeded.put(&seeded.task_ids[0], &marker, 0));
    let screen = tmux.wait_for(&marker, WAIT);
    assert_eq!(screen.matches(&marker).count(), 1, "{screen}");

    // `:logs GROUP -15m` tails the group itself. (Wait for esc to be read on its own:
    // `esc :` typed at once reads as alt-:.)
    tmux.keys(&["Escape"]);
    tmux.wait_gone("Logs service", WAIT);
    tmux.type_text(&format!(":logs {} -15m", seeded.group));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&marker, WAIT);
    assert!(screen.contains(&seeded.group), "{screen}");

    // A bad start time: a precise message, and nothing opened.
    tmux.keys(&["Escape"]);
    tmux.wait_for("Services", WAIT);
    tmux.type_text(&format!(":logs {} -15x", seeded.group));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("invalid start time `-15x`", WAIT);
    assert!(screen.contains("Services"), "{screen}");

    tmux.keys(&["q"]);
    tmux.wait_exit(WAIT);
}

#[test]
fn logs_alone_lists_the_groups_and_enter_tails_one() {
    let Some(url) = common::moto_url() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let seeded = rt.block_on(seed(&url));
    let home = tempfile::tempdir().unwrap();
    let tmux = console(&url, &seeded.cluster, home.path());
    tmux.wait_for("web", WAIT);

    // `:logs` with no group: the account's log groups, narrowed with `/` to the seeded one.
    tmux.type_text(":logs");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Log groups", WAIT);
    tmux.type_text(&format!("/{}", seeded.cluster));
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Log groups [1", WAIT);
    let row = screen
        .lines()
        .find(|l| l.contains(&seeded.group))
        .unwrap_or_else(|| panic!("{} is not listed:\n{screen}", seeded.group));
    assert!(row.contains("never"), "no retention set: {row}");

    // `enter` tails it, as `:logs GROUP` does: a line put now shows up.
    tmux.keys(&["Enter"]);
    tmux.wait_for(&format!("logs: {}", seeded.group), WAIT);
    let marker = format!("refund issued {}", common::unique_token(6));
    rt.block_on(seeded.put(&seeded.task_ids[1], &marker, 0));
    tmux.wait_for(&marker, WAIT);

    // Back is the list again.
    tmux.keys(&["Escape"]);
    tmux.wait_for("Log groups", WAIT);
    tmux.keys(&["q"]);
    tmux.wait_exit(WAIT);
}
