//! The Docker adapter and runtime against the real engine.

use std::time::{Duration, Instant};

use opsdeck::app::Msg;
use opsdeck::app::docker::{DockerCommand, DockerMsg};
use opsdeck::app::guard::op::Op;
use opsdeck::app::logs::LogMsg;
use opsdeck::backend::docker::rows::{COMPOSE_PROJECT, COMPOSE_SERVICE};
use opsdeck::backend::docker::{DockerEngine, DockerTarget};
use opsdeck::domain::docker::DockerContainerRow;
use opsdeck::domain::logs::{LogLine, LogStream};
use opsdeck::domain::status::ContainerState;
use opsdeck::runtime::DockerHandle;
use tokio::sync::mpsc;

use super::{Containers, TICKING, docker, unique, wait_for};

/// The engine the tests' own client uses: `DOCKER_HOST`, else the default socket.
fn handle() -> DockerHandle {
    DockerHandle::from_config(None)
}

fn watch(focus: Option<String>) -> DockerCommand {
    DockerCommand::Watch {
        focus,
        lease_secs: 60,
    }
}

/// The rows of a successful list that contains a container named `name`.
fn listed_with(msg: &Msg, name: &str) -> Option<Vec<DockerContainerRow>> {
    match msg {
        Msg::Docker(DockerMsg::Listed {
            result: Ok(rows), ..
        }) if rows.iter().any(|r| r.name == name) => Some(rows.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn lists_running_and_stopped_containers_with_their_compose_project() {
    let Some(docker) = docker().await else {
        return;
    };
    let mut made = Containers::new(&docker);
    let project = unique("shop");
    let web = format!("{project}-web-1");
    let db = format!("{project}-db-1");
    let loose = unique("loose");
    made.run(
        &web,
        &[(COMPOSE_PROJECT, &project), (COMPOSE_SERVICE, "web")],
        TICKING,
        true,
    )
    .await;
    made.run(
        &db,
        &[(COMPOSE_PROJECT, &project), (COMPOSE_SERVICE, "db")],
        TICKING,
        false,
    )
    .await;
    made.run(&loose, &[], TICKING, true).await;

    let engine = handle().engine().unwrap();
    let rows = engine.list().await.unwrap();
    let find = |name: &str| rows.iter().find(|r| r.name == name).cloned().unwrap();
    let (web_row, db_row, loose_row) = (find(&web), find(&db), find(&loose));
    assert_eq!(
        (web_row.project.as_str(), web_row.service.as_str()),
        (project.as_str(), "web")
    );
    assert_eq!(web_row.state, ContainerState::Running);
    assert_eq!(db_row.project, project);
    assert_eq!(
        db_row.state,
        ContainerState::Created,
        "stopped containers are listed too"
    );
    assert!(loose_row.project.is_empty());

    // The view shows them grouped: the project's two containers together, before loose ones.
    let mut ours = [loose_row, db_row, web_row];
    ours.sort_by(opsdeck::app::docker::table::group_order);
    let names: Vec<&str> = ours.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, [db.as_str(), web.as_str(), loose.as_str()]);

    let detail = engine.detail(&web).await.unwrap();
    assert_eq!(
        detail.env.iter().find(|(k, _)| k == "API_TOKEN").unwrap().1,
        "•••"
    );
    assert!(detail.command.contains("while true"));
    assert!(
        detail
            .labels
            .iter()
            .any(|(k, v)| k == COMPOSE_PROJECT && *v == project)
    );
    assert_eq!(detail.restart_policy, "no");
}

#[tokio::test]
async fn the_event_stream_shows_a_container_started_elsewhere() {
    let Some(docker) = docker().await else {
        return;
    };
    let mut made = Containers::new(&docker);
    let handle = handle();
    let (tx, mut rx) = mpsc::channel(64);
    handle.run(watch(None), tx);
    wait_for(
        &mut rx,
        Duration::from_secs(10),
        "the first list",
        |m| match m {
            Msg::Docker(DockerMsg::Listed { result: Ok(_), .. }) => Some(()),
            _ => None,
        },
    )
    .await;

    let name = unique("evt");
    let started = Instant::now();
    made.run(&name, &[], TICKING, true).await;
    // Only the event stream can bring it: no refresh is asked for.
    let rows = wait_for(&mut rx, Duration::from_secs(10), "the new container", |m| {
        listed_with(m, &name).filter(|rows| {
            rows.iter()
                .any(|r| r.name == name && r.state == ContainerState::Running)
        })
    })
    .await;
    eprintln!(
        "container seen running {:?} after create+start",
        started.elapsed()
    );
    let row = rows.iter().find(|r| r.name == name).unwrap();
    assert!(
        row.started_at.is_some(),
        "running rows carry their start time"
    );

    // Stopped elsewhere: the row changes without a refresh.
    docker
        .stop_container(
            &name,
            None::<bollard::query_parameters::StopContainerOptions>,
        )
        .await
        .unwrap();
    wait_for(
        &mut rx,
        Duration::from_secs(15),
        "the stopped container",
        |m| {
            listed_with(m, &name).filter(|rows| {
                rows.iter()
                    .any(|r| r.name == name && r.state == ContainerState::Exited)
            })
        },
    )
    .await;
}

#[tokio::test]
async fn every_action_changes_the_real_container() {
    let Some(docker) = docker().await else {
        return;
    };
    let mut made = Containers::new(&docker);
    let name = unique("act");
    let id = made.run(&name, &[], TICKING, true).await;
    let handle = handle();
    let engine = handle.engine().unwrap();
    let state = |engine: std::sync::Arc<DockerEngine>, id: String| async move {
        engine
            .detail(&id)
            .await
            .map(|d| d.state)
            .unwrap_or_else(|e| e.to_string())
    };
    let op = |make: fn(String, String) -> Op| make(id.clone(), name.clone());

    let before = engine.detail(&id).await.unwrap().started_at;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let report = handle
        .run_op(&op(|id, name| Op::DockerRestart { id, name }))
        .await
        .unwrap();
    assert_eq!(report, format!("{name} is now running"));
    assert_ne!(
        engine.detail(&id).await.unwrap().started_at,
        before,
        "restarted"
    );

    let report = handle
        .run_op(&op(|id, name| Op::DockerPause { id, name }))
        .await
        .unwrap();
    assert_eq!(report, format!("{name} is now paused"));
    handle
        .run_op(&op(|id, name| Op::DockerUnpause { id, name }))
        .await
        .unwrap();
    assert_eq!(state(engine.clone(), id.clone()).await, "running");

    handle
        .run_op(&op(|id, name| Op::DockerStop { id, name }))
        .await
        .unwrap();
    assert_eq!(state(engine.clone(), id.clone()).await, "exited (0)");
    handle
        .run_op(&op(|id, name| Op::DockerStart { id, name }))
        .await
        .unwrap();
    assert_eq!(state(engine.clone(), id.clone()).await, "running");

    // The engine refuses to remove a running container; the message says why, in one line.
    let refused = handle
        .run_op(&op(|id, name| Op::DockerRemove { id, name }))
        .await
        .unwrap_err();
    assert!(refused.contains("running"), "{refused}");
    assert!(!refused.contains('\n'));

    handle
        .run_op(&op(|id, name| Op::DockerStop { id, name }))
        .await
        .unwrap();
    let report = handle
        .run_op(&op(|id, name| Op::DockerRemove { id, name }))
        .await
        .unwrap();
    assert_eq!(report, format!("{name} was removed"));
    assert_eq!(
        state(engine.clone(), id.clone()).await,
        format!("container {id} no longer exists")
    );
    let gone = handle
        .run_op(&op(|id, name| Op::DockerStart { id, name }))
        .await
        .unwrap_err();
    assert_eq!(gone, format!("container {name} no longer exists"));
}

#[tokio::test]
async fn log_follow_gets_lines_printed_after_it_opened_and_ends_with_the_container() {
    let Some(docker) = docker().await else {
        return;
    };
    let mut made = Containers::new(&docker);
    let name = unique("logs");
    let script = "echo before-1; echo before-2; \
                  while [ ! -f /tmp/go ]; do sleep 0.1; done; \
                  echo after-out; echo after-err >&2; \
                  trap 'exit 0' TERM; while true; do sleep 1; done";
    let id = made.run(&name, &[], script, true).await;
    // Both lines must be in the container's log before the tail opens; otherwise "the last
    // line" is whichever the container had printed by then.
    logged(&docker, &id, "before-2").await;
    let handle = handle();
    let (tx, mut rx) = mpsc::channel(64);
    let tail = opsdeck::runtime::docker::spawn_tail(&handle, 7, id.clone(), 1, tx);

    let mut texts = Vec::new();
    lines_until(&mut rx, &mut texts, "before-2").await;
    assert!(
        !texts.iter().any(|l| l.text == "before-1"),
        "history = 1 asks for the last line only: {texts:?}"
    );

    made.exec(&id, ": > /tmp/go").await;
    lines_until(&mut rx, &mut texts, "after-err").await;
    lines_until(&mut rx, &mut texts, "after-out").await;
    let err = texts.iter().find(|l| l.text == "after-err").unwrap();
    assert_eq!(err.stream, LogStream::Stderr);
    let out = texts.iter().find(|l| l.text == "after-out").unwrap();
    assert_eq!(out.stream, LogStream::Stdout);
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let ts = out.ts_millis.expect("Docker's timestamp is parsed");
    assert!(
        (now_ms - ts).abs() < 60_000,
        "timestamp {ts} vs now {now_ms}"
    );

    // The container disappears: the tail says so and ends.
    let options = bollard::query_parameters::RemoveContainerOptionsBuilder::new()
        .force(true)
        .build();
    docker.remove_container(&id, Some(options)).await.unwrap();
    let reason = wait_for(&mut rx, Duration::from_secs(10), "the end", |m| match m {
        Msg::Log(LogMsg::Ended { tail: 7, reason }) => Some(reason.clone()),
        _ => None,
    })
    .await;
    assert!(
        reason.contains("removed") || reason.contains("stopped"),
        "{reason}"
    );
    tokio::time::timeout(Duration::from_secs(5), tail)
        .await
        .expect("the tail task ends")
        .unwrap();
}

/// Wait until the container's log (read without following) holds `want`.
async fn logged(docker: &bollard::Docker, id: &str, want: &str) {
    use futures::StreamExt;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let options = bollard::query_parameters::LogsOptionsBuilder::new()
            .stdout(true)
            .stderr(true)
            .build();
        let mut text = String::new();
        let mut logs = docker.logs(id, Some(options));
        while let Some(Ok(chunk)) = logs.next().await {
            text.push_str(&chunk.to_string());
        }
        if text.contains(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{want:?} never reached the log: {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Collect the lines of tail 7 until one reads `want`.
async fn lines_until(rx: &mut mpsc::Receiver<Msg>, texts: &mut Vec<LogLine>, want: &str) {
    if texts.iter().any(|l| l.text == want) {
        return;
    }
    wait_for(rx, Duration::from_secs(10), want, |m| {
        if let Msg::Log(LogMsg::Lines { tail: 7, lines }) = m {
            texts.extend(lines.iter().cloned());
        }
        texts.iter().any(|l| l.text == want).then_some(())
    })
    .await;
}

#[tokio::test]
async fn no_engine_says_so_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docker.sock");
    let handle = DockerHandle::new(Ok(DockerTarget::Unix(path.display().to_string())));
    let (tx, mut rx) = mpsc::channel(64);
    handle.run(watch(None), tx);
    let message = wait_for(&mut rx, Duration::from_secs(10), "an error", |m| match m {
        Msg::Docker(DockerMsg::Listed { result: Err(e), .. }) => Some(e.clone()),
        _ => None,
    })
    .await;
    assert!(
        message.starts_with(&format!("no Docker engine at unix://{}", path.display())),
        "{message}"
    );
    assert!(
        message.contains("start Docker or set DOCKER_HOST"),
        "{message}"
    );

    // A socket nobody listens on: refused.
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    drop(listener);
    let handle = DockerHandle::new(Ok(DockerTarget::Unix(path.display().to_string())));
    let (tx, mut rx) = mpsc::channel(64);
    handle.run(watch(None), tx);
    let message = wait_for(&mut rx, Duration::from_secs(10), "an error", |m| match m {
        Msg::Docker(DockerMsg::Listed { result: Err(e), .. }) => Some(e.clone()),
        _ => None,
    })
    .await;
    assert!(message.contains("refused the connection"), "{message}");
    let refused = handle
        .run_op(&Op::DockerStop {
            id: "abc".into(),
            name: "web".into(),
        })
        .await
        .unwrap_err();
    assert!(refused.contains("refused the connection"), "{refused}");
}

#[tokio::test]
async fn a_scheme_less_docker_host_is_a_message_not_a_crash() {
    let handle = DockerHandle::new(
        DockerTarget::resolve(None, Some("localhost:2375"), false).map_err(|e| e.to_string()),
    );
    let (tx, mut rx) = mpsc::channel(8);
    handle.run(watch(None), tx);
    let message = wait_for(&mut rx, Duration::from_secs(5), "an error", |m| match m {
        Msg::Docker(DockerMsg::Listed { result: Err(e), .. }) => Some(e.clone()),
        _ => None,
    })
    .await;
    assert_eq!(
        message,
        "DOCKER_HOST `localhost:2375` has no scheme: use unix:///path/to/docker.sock or tcp://host:2375"
    );
}
