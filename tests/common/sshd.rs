//! Real OpenSSH `sshd` instances for tests: generated keys in a temp dir, a free port, run in
//! the foreground as our child and killed by pid on drop. Optionally inside a network
//! namespace, to put a target where only a bastion reaches it.
//!
//! Include with `#[path = "../common/sshd.rs"] mod sshd;` next to `mod common;`.
#![allow(dead_code)]

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The sshd binary (Debian's openssh-server).
pub const SSHD: &str = "/usr/sbin/sshd";

/// Whether sshd and ssh-keygen are installed. When not: `false` with a line saying the test
/// was skipped, or a panic when servers are required (CI, `OPSDECK_REQUIRE_PEERS=1`).
pub fn sshd_available(required: bool) -> bool {
    let keygen = Command::new("ssh-keygen")
        .arg("-?")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if Path::new(SSHD).exists() && keygen {
        // The privilege separation directory sshd insists on (it may not exist in containers).
        let _ = fs::create_dir_all("/run/sshd");
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    assert!(
        !required,
        "OpenSSH sshd is not installed but OPSDECK_REQUIRE_PEERS=1/CI requires it: apt-get install openssh-server"
    );
    eprintln!("skipped {test}: {SSHD} is not installed (apt-get install openssh-server)");
    false
}

/// Generate an ed25519 key pair at `path` (and `path.pub`); returns the public key line.
pub fn keygen(path: &Path, passphrase: &str) -> String {
    let _ = fs::remove_file(path);
    let _ = fs::remove_file(path.with_extension("pub"));
    let status = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-C",
            "opsdeck-test",
            "-N",
            passphrase,
            "-f",
        ])
        .arg(path)
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success(), "ssh-keygen failed");
    let mut public = path.as_os_str().to_owned();
    public.push(".pub");
    fs::read_to_string(PathBuf::from(public))
        .expect("public key")
        .trim()
        .to_string()
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// The login name sshd will accept for us (we log in as ourselves).
pub fn whoami() -> String {
    let out = Command::new("id").arg("-un").output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// One sshd.
pub struct Sshd {
    pub dir: PathBuf,
    /// The address it listens on.
    pub addr: String,
    pub port: u16,
    /// `ssh-ed25519 AAAA...` of its host key.
    pub host_key: String,
    /// The network namespace it runs in, if any.
    pub netns: Option<String>,
    child: Child,
}

impl Sshd {
    /// Start sshd on `addr:port` in `dir` (which must exist), accepting `authorized` keys
    /// for any user. `extra` is appended to the config. Waits until it accepts connections
    /// (only checked outside a namespace).
    pub fn start(
        dir: &Path,
        addr: &str,
        port: u16,
        authorized: &[String],
        netns: Option<&str>,
        extra: &str,
    ) -> Sshd {
        let host_key_path = dir.join("host_ed25519");
        let host_key = if host_key_path.exists() {
            fs::read_to_string(dir.join("host_ed25519.pub"))
                .expect("host key")
                .trim()
                .to_string()
        } else {
            keygen(&host_key_path, "")
        };
        fs::write(dir.join("authorized_keys"), authorized.join("\n") + "\n").expect("write");
        let config = format!(
            "Port {port}\nListenAddress {addr}\nHostKey {hk}\nAuthorizedKeysFile {dir}/authorized_keys\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n\
             PidFile {dir}/sshd.pid\nPermitRootLogin prohibit-password\nPrintMotd no\nPrintLastLog no\n\
             AllowTcpForwarding yes\nLogLevel DEBUG1\nAcceptEnv LANG\n{extra}\n",
            hk = host_key_path.display(),
            dir = dir.display(),
        );
        let config_path = dir.join("sshd_config");
        fs::write(&config_path, config).expect("write sshd_config");
        let log = dir.join("sshd.log");
        let mut cmd = match netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", ns, SSHD]);
                c
            }
            None => Command::new(SSHD),
        };
        let child = cmd
            .arg("-D")
            .arg("-f")
            .arg(&config_path)
            .arg("-E")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd starts");
        let sshd = Sshd {
            dir: dir.to_path_buf(),
            addr: addr.to_string(),
            port,
            host_key,
            netns: netns.map(str::to_string),
            child,
        };
        sshd.wait_listening();
        sshd
    }

    fn wait_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let up = if self.netns.is_some() {
                self.log().contains("Server listening")
            } else {
                TcpStream::connect((self.addr.as_str(), self.port)).is_ok()
            };
            if up {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "sshd did not start; its log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// sshd's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default()
    }

    /// Stop, replace the host key with a new one, start again on the same port.
    pub fn restart_with_new_host_key(self, authorized: &[String]) -> Sshd {
        let (dir, addr, port, netns) = (
            self.dir.clone(),
            self.addr.clone(),
            self.port,
            self.netns.clone(),
        );
        drop(self);
        let _ = fs::remove_file(dir.join("host_ed25519"));
        let _ = fs::remove_file(dir.join("host_ed25519.pub"));
        Sshd::start(&dir, &addr, port, authorized, netns.as_deref(), "")
    }

    /// `[addr]:port` as known_hosts names it.
    pub fn known_hosts_name(&self) -> String {
        if self.port == 22 {
            self.addr.clone()
        } else {
            format!("[{}]:{}", self.addr, self.port)
        }
    }

    /// The pid of the sshd process (ours: run in the foreground).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        // Only this process, by its pid. Sessions it forked die with their connections.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An ssh-agent on a socket in `dir`, holding the keys added with [`Agent::add`].
pub struct Agent {
    pub socket: PathBuf,
    child: Child,
}

impl Agent {
    pub fn start(dir: &Path) -> Agent {
        let socket = dir.join("agent.sock");
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent starts");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !socket.exists() {
            assert!(Instant::now() < deadline, "ssh-agent did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
        Agent { socket, child }
    }

    pub fn add(&self, key: &Path) {
        let status = Command::new("ssh-add")
            .arg("-q")
            .arg(key)
            .env("SSH_AUTH_SOCK", &self.socket)
            .stdin(Stdio::null())
            .status()
            .expect("ssh-add runs");
        assert!(status.success(), "ssh-add failed");
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A network namespace with loopback up and a veth link to the host: `host_ip` on our
/// side, `ns_ip` inside. Deleted on drop.
pub struct Netns {
    pub name: String,
    pub host_ip: String,
    pub ns_ip: String,
    host_if: String,
}

impl Netns {
    /// `None` when namespaces cannot be made here (not root, no iproute2).
    pub fn create(token: &str) -> Option<Netns> {
        let name = format!("odk-{token}");
        let host_if = format!("odkh{}", &token[..token.len().min(8)]);
        let ns_if = format!("odkn{}", &token[..token.len().min(8)]);
        let octet = token
            .bytes()
            .fold(0u32, |acc, b| acc.wrapping_mul(31).wrapping_add(b.into()))
            % 250
            + 2;
        let host_ip = format!("10.231.{octet}.1");
        let ns_ip = format!("10.231.{octet}.2");
        let ip = |args: &[&str]| {
            Command::new("ip")
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if !ip(&["netns", "add", &name]) {
            return None;
        }
        let netns = Netns {
            name: name.clone(),
            host_ip: host_ip.clone(),
            ns_ip: ns_ip.clone(),
            host_if: host_if.clone(),
        };
        let ok = ip(&["netns", "exec", &name, "ip", "link", "set", "lo", "up"])
            && ip(&[
                "link", "add", &host_if, "type", "veth", "peer", "name", &ns_if,
            ])
            && ip(&["link", "set", &ns_if, "netns", &name])
            && ip(&["addr", "add", &format!("{host_ip}/30"), "dev", &host_if])
            && ip(&["link", "set", &host_if, "up"])
            && ip(&[
                "netns",
                "exec",
                &name,
                "ip",
                "addr",
                "add",
                &format!("{ns_ip}/30"),
                "dev",
                &ns_if,
            ])
            && ip(&["netns", "exec", &name, "ip", "link", "set", &ns_if, "up"]);
        ok.then_some(netns)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_if])
            .stderr(Stdio::null())
            .status();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}
