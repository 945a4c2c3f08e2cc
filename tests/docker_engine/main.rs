//! The containers view against the machine's real Docker Engine, and as a model and a screen.
//!
//! - `engine`: listing with compose grouping, the event stream, every action, log follow,
//!   unusable addresses;
//! - `recovery`: an engine that goes away mid-session and comes back;
//! - `model`: `update` on the containers view (read-only refusals, guards, focus);
//! - `render`: snapshots of the view (groups, stopped rows, detail pane, engine unreachable).
//!
//! Engine tests create containers from `OPSDECK_TEST_IMAGE` (built by `scripts/test.sh`),
//! labelled `opsdeck.test=<OPSDECK_TEST_RUN_ID>`, and remove them when they end, failing or
//! not. Without an engine they skip, unless `OPSDECK_REQUIRE_PEERS=1` or `CI` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod describe;
mod engine;
mod images;
mod model;
mod recovery;
mod render;
#[path = "../common/render.rs"]
mod tui;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::models::{ContainerCreateBody, ExecConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder, StartContainerOptions,
};
use opsdeck::app::Msg;
use tokio::sync::mpsc;

/// The image the test containers run.
fn test_image() -> String {
    std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-test/busybox:1".into())
}

/// This run's label value.
fn run_id() -> String {
    std::env::var("OPSDECK_TEST_RUN_ID").unwrap_or_else(|_| "local".into())
}

/// A shell loop that prints the date every second and exits at once on `docker stop`.
pub const TICKING: &str = "trap 'exit 0' TERM; while true; do date; sleep 1; done";

/// A Docker client for the test's own setup, or `None` (with a printed line) when no engine
/// or no test image is there. Panics instead when servers are required.
async fn docker() -> Option<Docker> {
    let skip = |why: String| {
        assert!(
            !common::servers_required(),
            "{why} but OPSDECK_REQUIRE_PEERS=1/CI requires the Docker engine: run scripts/test.sh"
        );
        let test = std::thread::current()
            .name()
            .unwrap_or("this test")
            .to_string();
        eprintln!("skipped {test}: {why}");
        None
    };
    let docker = match Docker::connect_with_local_defaults() {
        Ok(d) => d,
        Err(e) => return skip(format!("no Docker engine ({e})")),
    };
    let docker = match docker.negotiate_version().await {
        Ok(d) => d,
        Err(e) => return skip(format!("the Docker engine does not answer ({e})")),
    };
    if docker.inspect_image(&test_image()).await.is_err() {
        return skip(format!(
            "the test image {} is missing (scripts/test.sh builds it)",
            test_image()
        ));
    }
    Some(docker)
}

/// Containers a test made; removed (forced) when dropped, whatever happened.
struct Containers {
    docker: Docker,
    ids: Vec<String>,
}

impl Containers {
    fn new(docker: &Docker) -> Containers {
        Containers {
            docker: docker.clone(),
            ids: Vec::new(),
        }
    }

    /// Create (and start, when `start`) a labelled container running `sh -c script`.
    async fn run(
        &mut self,
        name: &str,
        labels: &[(&str, &str)],
        script: &str,
        start: bool,
    ) -> String {
        let mut all: HashMap<String, String> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        all.insert("opsdeck.test".into(), run_id());
        let body = ContainerCreateBody {
            image: Some(test_image()),
            cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
            labels: Some(all),
            env: Some(vec!["API_TOKEN=s3cret-value".into()]),
            ..Default::default()
        };
        let options = CreateContainerOptionsBuilder::new().name(name).build();
        let created = self
            .docker
            .create_container(Some(options), body)
            .await
            .expect("create a test container");
        self.ids.push(created.id.clone());
        if start {
            self.docker
                .start_container(&created.id, None::<StartContainerOptions>)
                .await
                .expect("start the test container");
        }
        created.id
    }

    /// Run `sh -c script` in a container and wait for it to finish.
    async fn exec(&self, id: &str, script: &str) {
        let config = ExecConfig {
            cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
            attach_stdout: Some(true),
            ..Default::default()
        };
        let exec = self.docker.create_exec(id, config).await.expect("exec");
        if let bollard::exec::StartExecResults::Attached { mut output, .. } = self
            .docker
            .start_exec(&exec.id, None)
            .await
            .expect("start exec")
        {
            use futures::StreamExt;
            while output.next().await.is_some() {}
        }
    }
}

impl Drop for Containers {
    fn drop(&mut self) {
        let docker = self.docker.clone();
        let ids = std::mem::take(&mut self.ids);
        // Drop may run inside the test's runtime: remove from a thread with its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                for id in ids {
                    let options = RemoveContainerOptionsBuilder::new().force(true).build();
                    let _ = docker.remove_container(&id, Some(options)).await;
                }
            });
        })
        .join();
    }
}

/// A name no other test or run uses.
fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", common::unique_token(8))
}

/// Wait for a message that `pick` accepts; panics with what was seen after `timeout`.
async fn wait_for<T>(
    rx: &mut mpsc::Receiver<Msg>,
    timeout: Duration,
    what: &str,
    mut pick: impl FnMut(&Msg) -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Some(msg)) => {
                if let Some(found) = pick(&msg) {
                    return found;
                }
                let mut text = format!("{msg:?}");
                text.truncate(300);
                seen.push(text);
            }
            Ok(None) => panic!("the channel closed while waiting for {what}"),
            Err(_) => {
                let last: Vec<&String> = seen.iter().rev().take(5).collect();
                panic!("timed out waiting for {what}; last messages: {last:#?}")
            }
        }
    }
}
