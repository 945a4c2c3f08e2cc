//! The real binary in tmux against the machine's Docker Engine: `:containers`, a labelled test
//! container, its logs (a line printed after the view opened), a shell in it, quit, and the
//! terminal restored. Plus a scheme-less `DOCKER_HOST` that must be a message, not a crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;
#[path = "common/tmux.rs"]
mod tmux;

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, ExecConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder, StartContainerOptions,
};
use futures::StreamExt;
use tmux::{Tmux, opsdeck_bin};

const WAIT: Duration = Duration::from_secs(15);

fn test_image() -> String {
    std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-test/busybox:1".into())
}

/// A runtime for the test's own Docker calls.
fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The engine, or `None` (with a printed line) when it or the test image is missing;
/// panics instead when servers are required.
fn docker(rt: &tokio::runtime::Runtime) -> Option<Docker> {
    let why = rt.block_on(async {
        let docker = Docker::connect_with_local_defaults().map_err(|e| e.to_string())?;
        let docker = docker
            .negotiate_version()
            .await
            .map_err(|e| e.to_string())?;
        docker
            .inspect_image(&test_image())
            .await
            .map_err(|_| format!("the test image {} is missing", test_image()))?;
        Ok::<_, String>(docker)
    });
    match why {
        Ok(docker) => Some(docker),
        Err(why) => {
            assert!(
                !common::servers_required(),
                "no usable Docker engine ({why}) but OPSDECK_REQUIRE_PEERS=1/CI requires it"
            );
            eprintln!("skipped: no usable Docker engine ({why})");
            None
        }
    }
}

/// A labelled running container, force-removed when dropped.
struct TestContainer {
    docker: Docker,
    id: String,
    name: String,
}

impl TestContainer {
    fn start(rt: &tokio::runtime::Runtime, docker: &Docker, script: &str) -> TestContainer {
        let name = format!("e2e-{}", common::unique_token(8));
        let run_id = std::env::var("OPSDECK_TEST_RUN_ID").unwrap_or_else(|_| "local".into());
        let labels: HashMap<String, String> = [("opsdeck.test".to_string(), run_id)].into();
        let body = ContainerCreateBody {
            image: Some(test_image()),
            cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
            labels: Some(labels),
            ..Default::default()
        };
        let id = rt.block_on(async {
            let options = CreateContainerOptionsBuilder::new().name(&name).build();
            let created = docker.create_container(Some(options), body).await.unwrap();
            docker
                .start_container(&created.id, None::<StartContainerOptions>)
                .await
                .unwrap();
            created.id
        });
        TestContainer {
            docker: docker.clone(),
            id,
            name,
        }
    }

    fn exec(&self, rt: &tokio::runtime::Runtime, script: &str) {
        rt.block_on(async {
            let config = ExecConfig {
                cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
                attach_stdout: Some(true),
                ..Default::default()
            };
            let exec = self.docker.create_exec(&self.id, config).await.unwrap();
            if let bollard::exec::StartExecResults::Attached { mut output, .. } =
                self.docker.start_exec(&exec.id, None).await.unwrap()
            {
                while output.next().await.is_some() {}
            }
        });
    }
}

impl Drop for TestContainer {
    fn drop(&mut self) {
        let docker = self.docker.clone();
        let id = self.id.clone();
        let _ = std::thread::spawn(move || {
            let options = RemoveContainerOptionsBuilder::new().force(true).build();
            let _ = rt().block_on(docker.remove_container(&id, Some(options)));
        })
        .join();
    }
}

/// opsdeck in tmux with a private home and a dead AWS endpoint (the Docker views don't need
/// AWS), run by `sh -c` that records its exit status and keeps the pane alive (tmux reports a
/// dead pane's cursor as hidden, whatever the program left behind).
struct Console {
    tmux: Tmux,
    home: tempfile::TempDir,
}

impl Console {
    fn start(extra: &[(&str, &str)]) -> Console {
        Console::start_at(extra, 160, 48)
    }

    fn start_at(extra: &[(&str, &str)], width: u16, height: u16) -> Console {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().display().to_string();
        let status = home.path().join("exit-status").display().to_string();
        let bin = opsdeck_bin().display().to_string();
        let args = [
            "-c",
            r#""$0" "$@"; echo $? > "$OPSDECK_E2E_STATUS.tmp"; mv "$OPSDECK_E2E_STATUS.tmp" "$OPSDECK_E2E_STATUS"; exec sleep 600"#,
            &bin,
            "--endpoint-url",
            "http://127.0.0.1:9",
        ];
        let mut env: Vec<(&str, &str)> = vec![
            ("HOME", dir.as_str()),
            ("XDG_CONFIG_HOME", dir.as_str()),
            ("XDG_STATE_HOME", dir.as_str()),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("OPSDECK_E2E_STATUS", status.as_str()),
        ];
        let docker_host = std::env::var("DOCKER_HOST").unwrap_or_default();
        if !docker_host.is_empty() && !extra.iter().any(|(k, _)| *k == "DOCKER_HOST") {
            env.push(("DOCKER_HOST", docker_host.as_str()));
        }
        env.extend_from_slice(extra);
        let tmux = Tmux::start(std::path::Path::new("/bin/sh"), &args, &env, width, height);
        tmux.wait_for("clusters", WAIT);
        Console { tmux, home }
    }

    /// Press `q`; opsdeck must exit 0 and leave the terminal as it found it.
    fn quit_cleanly(&self) {
        self.tmux.keys(&["q"]);
        let path = self.home.path().join("exit-status");
        let deadline = std::time::Instant::now() + WAIT;
        let status = loop {
            if let Ok(status) = std::fs::read_to_string(&path) {
                break status.trim().to_string();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "opsdeck did not exit on q; the screen was:\n{}",
                self.tmux.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(
            status,
            "0",
            "opsdeck's exit status; screen:\n{}",
            self.tmux.screen()
        );
        assert!(
            self.tmux.terminal_restored(),
            "terminal not restored; screen:\n{}",
            self.tmux.screen()
        );
    }
}

/// Open the containers view and select `name` with a filter.
fn open_on(t: &Tmux, name: &str) {
    t.type_text(":containers");
    t.keys(&["Enter"]);
    t.wait_for(name, WAIT);
    t.type_text(&format!("/{name}"));
    t.keys(&["Enter"]);
    t.wait_for("[1/", WAIT);
}

#[test]
fn containers_view_shows_the_container_and_follows_its_logs() {
    let rt = rt();
    let Some(docker) = docker(&rt) else {
        return;
    };
    let token = common::unique_token(8);
    let script = format!(
        "echo hello-before; while [ ! -f /tmp/go ]; do sleep 0.1; done; \
         echo printed-after-{token}; trap 'exit 0' TERM; while true; do sleep 1; done"
    );
    let container = TestContainer::start(&rt, &docker, &script);
    let console = Console::start(&[]);
    let t = &console.tmux;

    open_on(t, &container.name);
    let screen = t.wait_for("running", WAIT);
    assert!(
        screen.contains("unix://") || screen.contains("tcp://"),
        "{screen}"
    );

    t.keys(&["l"]);
    t.wait_for("hello-before", WAIT);
    container.exec(&rt, ": > /tmp/go");
    t.wait_for(&format!("printed-after-{token}"), WAIT);
    console.quit_cleanly();
}

#[test]
fn enter_on_a_remove_confirmation_does_nothing_at_80x24() {
    let rt = rt();
    let Some(docker) = docker(&rt) else {
        return;
    };
    // Only a stopped container can be removed: this one exits at once.
    let container = TestContainer::start(&rt, &docker, "exit 0");
    // Exited before the console lists it, so its row says so from the start.
    let deadline = std::time::Instant::now() + WAIT;
    while rt
        .block_on(docker.inspect_container(
            &container.id,
            None::<bollard::query_parameters::InspectContainerOptions>,
        ))
        .ok()
        .and_then(|c| c.state?.running)
        != Some(false)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the container did not exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let console = Console::start_at(&[], 80, 24);
    let t = &console.tmux;
    open_on(t, &container.name);
    t.wait_for("exited", WAIT);
    t.keys(&["C-d"]);
    let dialog = t.wait_for("Confirm: remove", WAIT);
    assert!(dialog.contains("y: do it"), "{dialog}");
    assert!(
        !dialog.contains("y/enter"),
        "enter is not offered: {dialog}"
    );
    t.keys(&["Enter"]);
    // Give a remove the time to happen: nothing must.
    std::thread::sleep(Duration::from_secs(2));
    let screen = t.screen();
    assert!(
        screen.contains("Confirm: remove"),
        "the dialog stays:\n{screen}"
    );
    let inspected = rt.block_on(docker.inspect_container(
        &container.id,
        None::<bollard::query_parameters::InspectContainerOptions>,
    ));
    assert!(inspected.is_ok(), "the container was removed");
    assert!(
        !console.home.path().join("opsdeck/journal.jsonl").exists(),
        "nothing was journaled"
    );
    t.keys(&["n"]);
    t.wait_for("nothing was sent", WAIT);
    assert!(
        rt.block_on(docker.inspect_container(
            &container.id,
            None::<bollard::query_parameters::InspectContainerOptions>
        ))
        .is_ok()
    );
    console.quit_cleanly();
}

#[test]
fn exec_opens_a_shell_and_comes_back_to_the_console() {
    let rt = rt();
    let Some(docker) = docker(&rt) else {
        return;
    };
    let container = TestContainer::start(
        &rt,
        &docker,
        "trap 'exit 0' TERM; while true; do sleep 1; done",
    );
    let console = Console::start(&[]);
    let t = &console.tmux;
    open_on(t, &container.name);

    t.keys(&["e"]);
    t.wait_for("type `exit` to come back", WAIT);
    // Keys go to the shell one by one (raw mode), its output comes back.
    t.type_text("echo $((6*7))");
    t.keys(&["Enter"]);
    t.wait_for("42", WAIT);
    t.type_text("exit");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Containers", WAIT);
    assert!(
        screen.contains(&container.name),
        "back on the view: {screen}"
    );
    assert!(t.alternate_screen(), "the console is full-screen again");
    console.quit_cleanly();
}

#[test]
fn a_scheme_less_docker_host_is_a_message_and_the_console_goes_on() {
    let console = Console::start(&[("DOCKER_HOST", "localhost:2375")]);
    let t = &console.tmux;
    t.type_text(":containers");
    t.keys(&["Enter"]);
    t.wait_for("has no scheme", WAIT);
    t.type_text(":clusters");
    t.keys(&["Enter"]);
    t.wait_for("Clusters", WAIT);
    console.quit_cleanly();
}
