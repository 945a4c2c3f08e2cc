//! The real binary in tmux, for what a user must be able to count on: start-up never panics
//! over a log file it cannot open, secrets never reach the log at any level, and the files
//! opsdeck writes are private whatever the umask.
//!
//! Runs against the local Docker Engine, moto and an sshd on loopback when they are there
//! (scripts/test.sh); a test whose server is missing says so and passes, unless servers are
//! required.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;
#[path = "common/sshd.rs"]
mod sshd;
#[path = "common/tmux.rs"]
mod tmux;

use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, RemoveContainerOptionsBuilder, StartContainerOptions,
};
use tmux::{Tmux, opsdeck_bin};

const WAIT: Duration = Duration::from_secs(20);

/// opsdeck in tmux under `sh -c` (which records the exit status and keeps the pane alive),
/// with HOME and the XDG dirs in a temp dir unless `env` says otherwise.
struct Console {
    tmux: Tmux,
    home: tempfile::TempDir,
}

impl Console {
    fn start(args: &[&str], env: &[(&str, &str)], umask: Option<&str>) -> Console {
        let home = tempfile::tempdir().unwrap();
        Console::start_in(home, args, env, umask)
    }

    fn start_in(
        home: tempfile::TempDir,
        args: &[&str],
        env: &[(&str, &str)],
        umask: Option<&str>,
    ) -> Console {
        let dir = home.path().display().to_string();
        let status = home.path().join("exit-status").display().to_string();
        let bin = opsdeck_bin().display().to_string();
        let script = format!(
            r#"{}"$0" "$@"; echo $? > "$OPSDECK_E2E_STATUS.tmp"; mv "$OPSDECK_E2E_STATUS.tmp" "$OPSDECK_E2E_STATUS"; exec sleep 600"#,
            umask.map(|u| format!("umask {u}; ")).unwrap_or_default()
        );
        let mut sh_args: Vec<&str> = vec!["-c", &script, &bin];
        sh_args.extend_from_slice(args);
        let mut all: Vec<(&str, &str)> = vec![
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
        if !docker_host.is_empty() {
            all.push(("DOCKER_HOST", docker_host.as_str()));
        }
        // Later entries win in `env`: the test's own go last.
        all.extend_from_slice(env);
        let tmux = Tmux::start(Path::new("/bin/sh"), &sh_args, &all, 160, 48);
        tmux.wait_for("clusters", WAIT);
        Console { tmux, home }
    }

    /// Press `q` (from the view it is on); opsdeck must exit 0.
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
        assert_eq!(status, "0", "exit status; screen:\n{}", self.tmux.screen());
    }

    /// The default log file under this console's home.
    fn log_file(&self) -> PathBuf {
        self.home.path().join("opsdeck").join("opsdeck.log")
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The log's text, asserting it was written at `level` and holds none of `secrets`.
fn assert_log_clean(log: &Path, level: &str, secrets: &[&str]) {
    let text = std::fs::read_to_string(log).unwrap();
    assert!(text.contains("opsdeck starting"), "no log written:\n{text}");
    // opsdeck has few trace records of its own: any record below info shows the level took.
    assert!(
        text.contains(" DEBUG ") || text.contains(" TRACE "),
        "nothing logged below info at {level}: the test would prove nothing\n{text}"
    );
    for secret in secrets {
        let hits: Vec<&str> = text.lines().filter(|l| l.contains(secret)).collect();
        assert!(
            hits.is_empty(),
            "{secret:?} reached the log at {level}:\n{}",
            hits.join("\n")
        );
    }
}

// ---------------------------------------------------------------- start-up never panics

#[test]
fn a_log_file_that_cannot_be_opened_is_a_message_and_the_console_runs() {
    // Root can open any file, so make the path unopenable for anyone: a directory.
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("opsdeck").join("opsdeck.log");
    std::fs::create_dir_all(&log).unwrap();
    let console = Console::start_in(home, &["--endpoint-url", "http://127.0.0.1:9"], &[], None);
    let t = &console.tmux;
    let screen = t.wait_for("running without a log file", WAIT);
    assert!(screen.contains("cannot open the log file"), "{screen}");
    assert!(screen.contains("opsdeck.log"), "{screen}");
    // The console works: another view opens, and q quits with status 0.
    t.type_text(":containers");
    t.keys(&["Enter"]);
    t.wait_for("Containers", WAIT);
    console.quit_cleanly();
}

#[test]
fn a_state_dir_that_cannot_be_created_is_a_message_and_the_console_runs() {
    let home = tempfile::tempdir().unwrap();
    let blocker = home.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let state_home = blocker.display().to_string();
    let console = Console::start_in(
        home,
        &["--endpoint-url", "http://127.0.0.1:9"],
        &[("XDG_STATE_HOME", &state_home)],
        None,
    );
    let t = &console.tmux;
    let screen = t.wait_for("running without a log file", WAIT);
    assert!(
        screen.contains("cannot create the log directory"),
        "{screen}"
    );
    t.type_text(":containers");
    t.keys(&["Enter"]);
    t.wait_for("Containers", WAIT);
    console.quit_cleanly();
}

// ---------------------------------------------------------------- files private to the user

#[test]
fn the_log_and_state_dir_are_private_under_umask_000() {
    let home = tempfile::tempdir().unwrap();
    // An existing log left world-readable by an older version is made private too.
    let state = home.path().join("opsdeck");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
    let old_log = state.join("opsdeck.log");
    std::fs::write(&old_log, "").unwrap();
    std::fs::set_permissions(&old_log, std::fs::Permissions::from_mode(0o644)).unwrap();
    let console = Console::start_in(
        home,
        &["--endpoint-url", "http://127.0.0.1:9"],
        &[],
        Some("000"),
    );
    console.quit_cleanly();
    assert_eq!(mode(&console.log_file()), 0o600, "existing log file");
    assert_eq!(mode(&state), 0o700, "existing state dir");

    let fresh = Console::start(&["--endpoint-url", "http://127.0.0.1:9"], &[], Some("000"));
    fresh.quit_cleanly();
    let log = fresh.log_file();
    assert!(log.exists(), "a log was written");
    assert_eq!(mode(&log), 0o600, "new log file");
    assert_eq!(mode(log.parent().unwrap()), 0o700, "new state dir");
}

// ---------------------------------------------------------------- secrets never logged

/// One way of asking for a verbose log: the level it shows as, and the arguments and
/// environment that ask for it.
struct Verbose {
    level: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
}

/// The two ways of asking for a verbose log: the config's level and `OPSDECK_LOG`.
fn verbose_levels(dir: &Path) -> Vec<Verbose> {
    let config = dir.join("debug.toml");
    std::fs::write(&config, "[general]\nlog_level = \"debug\"\n").unwrap();
    vec![
        Verbose {
            level: "DEBUG",
            args: vec!["--config".to_string(), config.display().to_string()],
            env: Vec::new(),
        },
        Verbose {
            level: "TRACE",
            args: Vec::new(),
            env: vec![("OPSDECK_LOG", "trace".to_string())],
        },
    ]
}

fn test_image() -> String {
    std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-test/busybox:1".into())
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The engine, or `None` (with a printed line) when it or the test image is missing.
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

/// A labelled running container with `env`, force-removed when dropped.
struct TestContainer {
    docker: Docker,
    id: String,
    name: String,
}

impl TestContainer {
    fn start(rt: &tokio::runtime::Runtime, docker: &Docker, env: Vec<String>) -> TestContainer {
        let name = format!("sec-{}", common::unique_token(8));
        let run_id = std::env::var("OPSDECK_TEST_RUN_ID").unwrap_or_else(|_| "local".into());
        let labels: HashMap<String, String> = [("opsdeck.test".to_string(), run_id)].into();
        let body = ContainerCreateBody {
            image: Some(test_image()),
            cmd: Some(vec![
                "sh".into(),
                "-c".into(),
                "trap 'exit 0' TERM; while true; do sleep 1; done".into(),
            ]),
            env: Some(env),
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

#[test]
fn container_env_values_never_reach_the_log() {
    let rt = rt();
    let Some(docker) = docker(&rt) else {
        return;
    };
    let secret = format!("hunter2-{}", common::unique_token(6));
    let container = TestContainer::start(
        &rt,
        &docker,
        vec![format!("DB_PASSWORD={secret}"), "PLAIN=visible".into()],
    );
    let dir = tempfile::tempdir().unwrap();
    for Verbose { level, args, env } in verbose_levels(dir.path()) {
        let mut all_args: Vec<&str> = vec!["--endpoint-url", "http://127.0.0.1:9"];
        all_args.extend(args.iter().map(String::as_str));
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let console = Console::start(&all_args, &env, None);
        let t = &console.tmux;
        t.type_text(":containers");
        t.keys(&["Enter"]);
        t.wait_for(&container.name, WAIT);
        t.type_text(&format!("/{}", container.name));
        t.keys(&["Enter"]);
        // The detail pane shows the variable, its value masked.
        let screen = t.wait_for("DB_PASSWORD=", WAIT);
        assert!(!screen.contains(&secret), "{screen}");
        console.quit_cleanly();
        assert_log_clean(&console.log_file(), level, &[&secret]);
    }
}

#[test]
fn aws_credentials_never_reach_the_log() {
    let Some(url) = common::moto_url() else {
        return;
    };
    let token = common::unique_token(10);
    let secret_key = format!("secretkey{token}");
    let session = format!("sessiontoken{token}");
    let dir = tempfile::tempdir().unwrap();
    for Verbose { level, args, env } in verbose_levels(dir.path()) {
        let mut all_args: Vec<&str> = vec!["--endpoint-url", &url];
        all_args.extend(args.iter().map(String::as_str));
        let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        env.push(("AWS_SECRET_ACCESS_KEY", &secret_key));
        env.push(("AWS_SESSION_TOKEN", &session));
        let console = Console::start(&all_args, &env, None);
        let t = &console.tmux;
        // A fetch went through (moto accepts any credentials) ...
        t.wait_for("● live", WAIT);
        // ... and another view's, with the account lookup done by now.
        t.type_text(":hosts");
        t.keys(&["Enter"]);
        t.wait_for("Hosts", WAIT);
        t.keys(&["Escape"]);
        // Back on the clusters before `q`: an escape and a key sent together read as alt-key.
        t.wait_for("┌ Clusters", WAIT);
        console.quit_cleanly();
        assert_log_clean(&console.log_file(), level, &[&secret_key, &session]);
    }
}

#[test]
fn an_ssh_passphrase_never_reaches_the_log() {
    let Some(url) = common::moto_url() else {
        return;
    };
    if !sshd::sshd_available(common::servers_required()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let passphrase = format!("horse-{}", common::unique_token(8));
    let user_key = dir.path().join("locked_ed25519");
    let user_pub = sshd::keygen(&user_key, &passphrase);
    let server_dir = dir.path().join("sshd");
    std::fs::create_dir_all(&server_dir).unwrap();
    let sshd = sshd::Sshd::start(
        &server_dir,
        "127.0.0.1",
        sshd::free_port(),
        &[user_pub],
        None,
        "",
    );
    let name = format!("sec-{}", common::unique_token(8));
    launch(&url, &name);

    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
    std::fs::write(
        home.path().join(".ssh/config"),
        format!(
            "Host *.e2e-sec\n    HostName 127.0.0.1\n    Port {}\n    User {}\n    IdentityFile {}\n",
            sshd.port,
            sshd::whoami(),
            user_key.display()
        ),
    )
    .unwrap();
    let config = dir.path().join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[general]\nlog_level = \"trace\"\n\n[ssh]\nhostname = \"{{name}}.e2e-sec\"\nknown_hosts = \"{}\"\nagent_socket = \"{}\"\n",
            dir.path().join("known_hosts").display(),
            dir.path().join("no-agent.sock").display()
        ),
    )
    .unwrap();
    let config_text = config.display().to_string();
    let console = Console::start_in(
        home,
        &["--config", &config_text, "--endpoint-url", &url],
        &[],
        None,
    );
    let t = &console.tmux;
    t.type_text(":hosts");
    t.keys(&["Enter"]);
    t.wait_for("NAME ", WAIT);
    t.type_text(&format!("/Name={name}"));
    t.keys(&["Enter"]);
    t.wait_for(&format!("/Name={name} (1 of"), WAIT);
    t.type_text("s");
    t.wait_for("Unknown host key", WAIT);
    t.type_text("y");
    t.wait_for("passphrase for", WAIT);
    // A wrong one first, then the right one.
    t.type_text("wrong-horse-battery");
    t.keys(&["Enter"]);
    t.wait_for("wrong passphrase", WAIT);
    t.type_text(&passphrase);
    t.keys(&["Enter"]);
    wait_shell(t);
    t.type_text("exit");
    t.keys(&["Enter"]);
    t.wait_for(&format!("/Name={name} (1 of"), WAIT);
    t.keys(&["Escape"]);
    t.wait_gone(&format!("/Name={name}"), WAIT);
    console.quit_cleanly();
    assert_log_clean(
        &console.log_file(),
        "TRACE",
        &[&passphrase, "wrong-horse-battery"],
    );
}

/// Launch one running instance named `name` in moto.
fn launch(url: &str, name: &str) {
    use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
    use opsdeck::backend::{AwsTarget, connect};
    rt().block_on(async {
        let clients = connect(&AwsTarget {
            region: Some("eu-west-1".into()),
            endpoint_url: Some(url.to_string()),
            max_attempts: 1,
            ..AwsTarget::default()
        })
        .await
        .unwrap();
        let images = clients.ec2.describe_images().send().await.unwrap();
        let image = images.images()[0].image_id().unwrap().to_string();
        clients
            .ec2
            .run_instances()
            .image_id(image)
            .instance_type(InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::Instance)
                    .tags(Tag::builder().key("Name").value(name).build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
}

/// Wait until the console has handed the terminal to the remote shell and its prompt is up.
fn wait_shell(t: &Tmux) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let screen = t.screen();
        let prompt = screen
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_end().ends_with(['#', '$']));
        if !t.alternate_screen() && prompt {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no remote prompt; the screen was:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
