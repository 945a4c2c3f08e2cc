//! The engine through relays the tests control: over TCP (`DOCKER_HOST=tcp://…`), and going
//! away mid-session and coming back. The machine's daemon is shared, so it is not stopped: a
//! unix-socket relay is cut and restored, which is what a client sees when the daemon stops
//! and starts again.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opsdeck::app::Msg;
use opsdeck::app::docker::{DockerCommand, DockerMsg};
use opsdeck::backend::docker::{DEFAULT_SOCKET, DockerTarget};
use opsdeck::runtime::DockerHandle;
use tokio::net::{TcpListener, UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{docker, wait_for};

/// The machine's engine socket.
fn upstream() -> PathBuf {
    std::env::var("DOCKER_HOST")
        .ok()
        .and_then(|h| h.strip_prefix("unix://").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SOCKET))
}

/// A socket that relays every connection to the engine, until stopped.
struct Relay {
    path: PathBuf,
    accept: JoinHandle<()>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    fn start(path: &Path) -> Relay {
        let listener = UnixListener::bind(path).unwrap();
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let open = connections.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = UnixStream::connect(upstream()).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                open.lock().unwrap().push(relay);
            }
        });
        Relay {
            path: path.to_path_buf(),
            accept,
            connections,
        }
    }

    /// Cut every connection and remove the socket: the daemon is gone.
    fn stop(self) {
        self.accept.abort();
        for c in self.connections.lock().unwrap().drain(..) {
            c.abort();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Relay TCP connections on a free loopback port to the engine's socket; the port.
async fn tcp_relay() -> (u16, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            tokio::spawn(async move {
                if let Ok(mut outbound) = UnixStream::connect(upstream()).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (port, task)
}

#[tokio::test]
async fn a_tcp_docker_host_is_followed_like_the_socket() {
    let Some(_docker) = docker().await else {
        return;
    };
    let (port, relay) = tcp_relay().await;
    let target = DockerTarget::resolve(None, Some(&format!("tcp://127.0.0.1:{port}")), false);
    assert_eq!(target, Ok(DockerTarget::Tcp(format!("127.0.0.1:{port}"))));
    let handle = DockerHandle::new(target.map_err(|e| e.to_string()));
    assert_eq!(handle.engine_label(), format!("tcp://127.0.0.1:{port}"));
    let (tx, mut rx) = mpsc::channel(64);
    handle.run(
        DockerCommand::Watch {
            focus: None,
            lease_secs: 60,
        },
        tx,
    );
    let rows = wait_for(
        &mut rx,
        Duration::from_secs(10),
        "a list over TCP",
        |m| match m {
            Msg::Docker(DockerMsg::Listed { result, .. }) => Some(result.clone()),
            _ => None,
        },
    )
    .await;
    assert!(rows.is_ok(), "{rows:?}");
    relay.abort();
}

#[tokio::test]
async fn the_view_recovers_by_itself_when_the_engine_comes_back() {
    let Some(_docker) = docker().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("relay.sock");
    let relay = Relay::start(&path);
    let handle = DockerHandle::new(Ok(DockerTarget::Unix(path.display().to_string())));
    let (tx, mut rx) = mpsc::channel(64);
    handle.run(
        DockerCommand::Watch {
            focus: None,
            lease_secs: 120,
        },
        tx,
    );
    let listed = |m: &Msg| match m {
        Msg::Docker(DockerMsg::Listed { result: Ok(_), .. }) => Some(()),
        _ => None,
    };
    wait_for(&mut rx, Duration::from_secs(10), "the first list", listed).await;

    relay.stop();
    let message = wait_for(
        &mut rx,
        Duration::from_secs(10),
        "the engine lost",
        |m| match m {
            Msg::Docker(DockerMsg::Listed { result: Err(e), .. }) => Some(e.clone()),
            _ => None,
        },
    )
    .await;
    assert!(message.contains("no Docker engine at unix://"), "{message}");
    assert!(message.contains("retrying"), "{message}");

    // Back: the watcher's retries find it and the list comes again, nothing asked.
    let relay = Relay::start(&path);
    wait_for(&mut rx, Duration::from_secs(15), "the list again", listed).await;
    relay.stop();
}
