//! SSH figures on loopback, against real sshd instances started here:
//! - time from "connect" to the remote shell's first prompt, direct and through a bastion,
//!   for opsdeck's built-in client and for OpenSSH's `ssh` on the same hops;
//! - keystroke round trip in a session (a key out, its echo back): opsdeck's shell loop,
//!   a bare blocking libssh2 channel (the raw connection), and OpenSSH.
//!
//! `cargo bench --bench ssh` (scripts/bench.sh may run it). Needs openssh-server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/sshd.rs"]
mod sshd;

use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opsdeck::backend::hosts::ssh::{Connection, Outcome, ShellIo, connect, run_shell, trust};
use opsdeck::domain::ssh::{SshClientKind, SshHop, SshPlan};
use sshd::Sshd;

const PROMPT_RUNS: usize = 10;
const KEYSTROKES: usize = 300;

fn main() {
    if !sshd::sshd_available(false) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("user_ed25519");
    let public = sshd::keygen(&key, "");
    let mut servers = Vec::new();
    for name in ["target", "bastion"] {
        let d = dir.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        servers.push(Sshd::start(
            &d,
            "127.0.0.1",
            sshd::free_port(),
            std::slice::from_ref(&public),
            None,
            "",
        ));
    }
    let (target, bastion) = (&servers[0], &servers[1]);
    let known_hosts = dir.path().join("known_hosts");
    let hop = |s: &Sshd| SshHop {
        name: s.addr.clone(),
        host: s.addr.clone(),
        port: s.port,
        user: sshd::whoami(),
        identity_files: vec![key.clone()],
    };
    let direct = SshPlan {
        label: "bench".into(),
        target: hop(target),
        bastion: None,
        known_hosts: known_hosts.clone(),
        agent_socket: None,
        timeout_secs: 10,
        client: SshClientKind::Ssh2,
        ssh_config: None,
    };
    let jumped = SshPlan {
        bastion: Some(hop(bastion)),
        ..direct.clone()
    };
    // Trust both host keys once (and write an OpenSSH config for the same hops).
    for plan in [&direct, &jumped] {
        for _ in 0..3 {
            if let Outcome::UnknownKey(k) = connect(plan).unwrap() {
                trust(plan, &k).unwrap();
            }
        }
    }
    let config = dir.path().join("ssh_config");
    std::fs::write(
        &config,
        format!(
            "Host *\n  IdentityFile {}\n  UserKnownHostsFile {}\n  BatchMode yes\n  User {}\n",
            key.display(),
            known_hosts.display(),
            sshd::whoami()
        ),
    )
    .unwrap();

    println!("ssh on loopback, {PROMPT_RUNS} runs each (median / max), debug or release as built");
    println!("time to the remote prompt:");
    report(
        "  opsdeck direct, connect + auth only",
        (0..PROMPT_RUNS).map(|_| {
            let t = Instant::now();
            drop(ready(&direct));
            t.elapsed()
        }),
    );
    report(
        "  openssh direct, `ssh host true`",
        (0..PROMPT_RUNS).map(|_| {
            let t = Instant::now();
            let status = Command::new("ssh")
                .arg("-F")
                .arg(&config)
                .arg("-p")
                .arg(target.port.to_string())
                .arg(&target.addr)
                .arg("true")
                .stdin(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            t.elapsed()
        }),
    );
    report(
        "  opsdeck direct",
        (0..PROMPT_RUNS).map(|_| prompt_time(&direct)),
    );
    report(
        "  openssh direct",
        (0..PROMPT_RUNS).map(|_| openssh_prompt_time(&config, target, None)),
    );
    report(
        "  opsdeck via bastion",
        (0..PROMPT_RUNS).map(|_| prompt_time(&jumped)),
    );
    report(
        "  openssh via bastion",
        (0..PROMPT_RUNS).map(|_| openssh_prompt_time(&config, target, Some(bastion))),
    );

    println!("keystroke round trip ({KEYSTROKES} keys):");
    report_all("  opsdeck shell loop, direct", &pump_rtt(&direct));
    report_all("  raw libssh2 channel, direct", &raw_rtt(&direct));
    report_all("  openssh, direct", &openssh_rtt(&config, target, None));
    report_all("  opsdeck shell loop, via bastion", &pump_rtt(&jumped));
    report_all("  raw libssh2 channel, via bastion", &raw_rtt(&jumped));
    report_all(
        "  openssh, via bastion",
        &openssh_rtt(&config, target, Some(bastion)),
    );
}

fn ready(plan: &SshPlan) -> Connection {
    match connect(plan).unwrap() {
        Outcome::Ready(c) => c,
        Outcome::UnknownKey(_) => panic!("keys were trusted"),
    }
}

/// Shared output the measuring thread watches.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    fn has_prompt(&self) -> bool {
        let text = self.0.lock().unwrap();
        let trimmed = String::from_utf8_lossy(&text).trim_end().to_string();
        trimmed.ends_with('#') || trimmed.ends_with('$')
    }
    fn wait(&self, what: impl Fn(&Sink) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !what(self) {
            assert!(Instant::now() < deadline, "timed out");
            std::hint::spin_loop();
        }
    }
}

/// A shell session on the built-in client in a thread; returns the keyboard and the screen.
fn session(plan: &SshPlan) -> (UnixStream, Sink, std::thread::JoinHandle<()>, Instant) {
    let started = Instant::now();
    let conn = ready(plan);
    let (keyboard, input) = UnixStream::pair().unwrap();
    input.set_nonblocking(true).unwrap();
    let sink = Sink::default();
    let out = sink.clone();
    let thread = std::thread::spawn(move || {
        let mut input = input;
        let mut output = out;
        let fd = input.as_raw_fd();
        let mut size = || Some((120u16, 40u16));
        let _ = run_shell(
            &conn,
            "xterm-256color",
            ShellIo {
                input_fd: fd,
                input: &mut input,
                output: &mut output,
                size: &mut size,
            },
        );
    });
    (keyboard, sink, thread, started)
}

fn prompt_time(plan: &SshPlan) -> Duration {
    let (mut keyboard, sink, thread, started) = session(plan);
    sink.wait(Sink::has_prompt);
    let elapsed = started.elapsed();
    keyboard.write_all(b"exit\n").unwrap();
    thread.join().unwrap();
    elapsed
}

fn openssh(config: &Path, target: &Sshd, bastion: Option<&Sshd>) -> Command {
    let mut cmd = Command::new("ssh");
    cmd.arg("-F")
        .arg(config)
        .arg("-tt")
        .arg("-p")
        .arg(target.port.to_string());
    if let Some(b) = bastion {
        cmd.arg("-J").arg(format!("{}:{}", b.addr, b.port));
    }
    cmd.arg(&target.addr)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// Start OpenSSH, copy its output into a sink from a thread.
fn openssh_session(
    config: &Path,
    target: &Sshd,
    bastion: Option<&Sshd>,
) -> (std::process::Child, Sink, Instant) {
    let started = Instant::now();
    let mut child = openssh(config, target, bastion).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let sink = Sink::default();
    let mut out = sink.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n]).unwrap();
        }
    });
    (child, sink, started)
}

fn openssh_prompt_time(config: &Path, target: &Sshd, bastion: Option<&Sshd>) -> Duration {
    let (mut child, sink, started) = openssh_session(config, target, bastion);
    sink.wait(Sink::has_prompt);
    let elapsed = started.elapsed();
    child.stdin.as_mut().unwrap().write_all(b"exit\n").unwrap();
    let _ = child.wait();
    elapsed
}

/// Time from writing one key to the first byte of its echo, `KEYSTROKES` times.
fn keystrokes(sink: &Sink, mut send: impl FnMut(&[u8])) -> Vec<Duration> {
    sink.wait(Sink::has_prompt);
    std::thread::sleep(Duration::from_millis(100));
    let mut times = Vec::with_capacity(KEYSTROKES);
    for i in 0..KEYSTROKES {
        let before = sink.len();
        let key: &[u8] = if i % 60 == 59 { b"\x15" } else { b"a" };
        let t = Instant::now();
        send(key);
        sink.wait(|s| s.len() > before);
        times.push(t.elapsed());
        // Let the echo settle (a kill-line redraw can come in pieces).
        std::thread::sleep(Duration::from_millis(2));
    }
    times
}

fn pump_rtt(plan: &SshPlan) -> Vec<Duration> {
    let (mut keyboard, sink, thread, _) = session(plan);
    let times = keystrokes(&sink, |k| keyboard.write_all(k).unwrap());
    keyboard.write_all(b"\x15exit\n").unwrap();
    thread.join().unwrap();
    times
}

/// The same keystrokes on a blocking libssh2 channel with no loop around it.
fn raw_rtt(plan: &SshPlan) -> Vec<Duration> {
    let conn = ready(plan);
    conn.session.set_blocking(true);
    let mut channel = conn.session.channel_session().unwrap();
    channel
        .request_pty("xterm-256color", None, Some((120, 40, 0, 0)))
        .unwrap();
    channel.shell().unwrap();
    let mut buf = [0u8; 4096];
    let mut seen = Vec::new();
    while {
        let text = String::from_utf8_lossy(&seen).trim_end().to_string();
        !(text.ends_with('#') || text.ends_with('$'))
    } {
        let n = channel.read(&mut buf).unwrap();
        seen.extend_from_slice(&buf[..n]);
    }
    let mut times = Vec::with_capacity(KEYSTROKES);
    for i in 0..KEYSTROKES {
        let key: &[u8] = if i % 60 == 59 { b"\x15" } else { b"a" };
        let t = Instant::now();
        channel.write_all(key).unwrap();
        channel.flush().unwrap();
        let _ = channel.read(&mut buf).unwrap();
        times.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(2));
        // Drain what else came (a redraw after kill-line).
        conn.session.set_blocking(false);
        while channel.read(&mut buf).is_ok_and(|n| n > 0) {}
        conn.session.set_blocking(true);
    }
    let _ = channel.write_all(b"\x15exit\n");
    let _ = channel.wait_close();
    times
}

fn openssh_rtt(config: &Path, target: &Sshd, bastion: Option<&Sshd>) -> Vec<Duration> {
    let (mut child, sink, _) = openssh_session(config, target, bastion);
    let mut stdin = child.stdin.take().unwrap();
    let times = keystrokes(&sink, |k| {
        stdin.write_all(k).unwrap();
        stdin.flush().unwrap();
    });
    let _ = stdin.write_all(b"\x15exit\n");
    drop(stdin);
    let _ = child.wait();
    times
}

fn report(label: &str, times: impl Iterator<Item = Duration>) {
    let times: Vec<Duration> = times.collect();
    report_all(label, &times);
}

fn report_all(label: &str, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let pick = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<40} median {:>8.2} ms   p95 {:>8.2} ms   max {:>8.2} ms",
        ms(pick(0.5)),
        ms(pick(0.95)),
        ms(pick(1.0)),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
