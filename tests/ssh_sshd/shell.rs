//! The interactive shell loop: bytes both ways on a real PTY, window size changes forwarded,
//! the end of the remote shell noticed; and one-off commands.

use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opsdeck::backend::hosts::ssh::{ShellIo, run_command, run_shell};

use super::{connect_trusting, fixture};

/// A `Write` the test can watch from another thread.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?}; output:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[test]
fn keystrokes_in_output_out_resizes_forwarded_and_exit_noticed() {
    let Some(f) = fixture() else { return };
    let conn = connect_trusting(&f.plan()).unwrap();
    let (mut keyboard, input) = UnixStream::pair().unwrap();
    input.set_nonblocking(true).unwrap();
    let screen = Screen::default();
    let size = Arc::new(Mutex::new((80u16, 24u16)));
    let session = {
        let screen = screen.clone();
        let size = Arc::clone(&size);
        std::thread::spawn(move || {
            let mut input = input;
            let input_fd = input.as_raw_fd();
            let mut output = screen;
            let mut size_fn = move || Some(*size.lock().unwrap());
            run_shell(
                &conn,
                "xterm-256color",
                ShellIo {
                    input_fd,
                    input: &mut input,
                    output: &mut output,
                    size: &mut size_fn,
                },
            )
        })
    };
    keyboard.write_all(b"echo TERM=$TERM; stty size\n").unwrap();
    screen.wait_for("TERM=xterm-256color");
    screen.wait_for("24 80");
    *size.lock().unwrap() = (132, 40);
    // The loop checks the size at least every 100 ms.
    std::thread::sleep(Duration::from_millis(250));
    keyboard
        .write_all(b"stty size; echo ma''rk-$((6*7))\n")
        .unwrap();
    screen.wait_for("40 132");
    screen.wait_for("mark-42");
    // Raw bytes pass untouched: ctrl-c (0x03) interrupts a sleep on the remote side.
    keyboard.write_all(b"sleep 30\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    keyboard.write_all(&[0x03]).unwrap();
    keyboard.write_all(b"echo after-int-$?\n").unwrap();
    screen.wait_for("after-int-130");
    keyboard.write_all(b"exit 7\n").unwrap();
    let end = session.join().unwrap().unwrap();
    assert_eq!(end.exit_status, Some(7));
}

#[test]
fn a_one_off_command_returns_its_output_stderr_and_status() {
    let Some(f) = fixture() else { return };
    let conn = connect_trusting(&f.plan()).unwrap();
    let out = run_command(&conn, "echo out; echo err >&2; exit 3", 4096).unwrap();
    assert_eq!(out.text, "out\nerr\n");
    assert_eq!(out.exit_status, Some(3));
    assert!(!out.truncated);
    let out = run_command(&conn, "seq 1 100000", 1000).unwrap();
    assert!(out.truncated);
    assert_eq!(out.text.len(), 1000);
    assert!(out.text.starts_with("1\n2\n3\n"));
    // The connection is still usable after a cut command.
    let out = run_command(&conn, "echo still-here", 100).unwrap();
    assert_eq!(out.text.trim(), "still-here");
}

#[test]
fn a_dropped_connection_ends_the_session_with_a_clear_message() {
    let Some(f) = fixture() else { return };
    let conn = connect_trusting(&f.plan()).unwrap();
    let (mut keyboard, input) = UnixStream::pair().unwrap();
    input.set_nonblocking(true).unwrap();
    let screen = Screen::default();
    let out = screen.clone();
    let session = std::thread::spawn(move || {
        let mut input = input;
        let input_fd = input.as_raw_fd();
        let mut output = out;
        let mut size = || Some((80u16, 24u16));
        run_shell(
            &conn,
            "xterm",
            ShellIo {
                input_fd,
                input: &mut input,
                output: &mut output,
                size: &mut size,
            },
        )
    });
    keyboard.write_all(b"echo ready-$((1+1))\n").unwrap();
    screen.wait_for("ready-2");
    // The server side of this connection dies without a goodbye.
    keyboard
        .write_all(b"kill -9 $(ps -o ppid= -p $$)\n")
        .unwrap();
    let result = session.join().unwrap();
    match result {
        Err(e) => {
            let message = e.user_message();
            assert!(
                message.starts_with("the connection to host test-host dropped"),
                "{message}"
            );
        }
        Ok(end) => panic!("a dropped connection must be reported, got {end:?}"),
    }
}
