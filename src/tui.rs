//! Terminal ownership: raw mode and the alternate screen, restored on every way out.

use std::io::{self, Stdout, Write};

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Frame;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Holds the terminal in UI mode; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: Term,
    /// The last frame written, to write nothing when a redraw comes out the same.
    shown: Option<Buffer>,
}

impl TerminalGuard {
    /// Enter raw mode and the alternate screen, and install the panic hook.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        let mut guard = Self {
            terminal,
            shown: None,
        };
        guard.terminal.hide_cursor()?;
        guard.terminal.clear()?;
        Ok(guard)
    }

    /// Leave UI mode for an interactive child (a shell), keeping the guard.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        Ok(())
    }

    /// Come back to UI mode after `suspend`, and force a full redraw.
    pub fn resume(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        self.terminal.hide_cursor()?;
        self.terminal.clear()?;
        self.shown = None;
        Ok(())
    }

    /// Draw a frame, writing only what changed; a frame equal to the one on screen writes
    /// nothing at all (ratatui would still send its style reset and cursor hide: about 24
    /// bytes a frame, which a live sample every second turns into kilobytes a minute).
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        self.terminal.autoresize()?;
        let mut frame = self.terminal.get_frame();
        render(&mut frame);
        let drawn = self.terminal.current_buffer_mut();
        if self.shown.as_ref() == Some(&*drawn) {
            drawn.reset();
            return Ok(());
        }
        let copy = drawn.clone();
        // The console never shows a cursor: it stays hidden.
        self.terminal.apply_buffer_with_cursor(None)?;
        self.shown = Some(copy);
        Ok(())
    }
}

impl TerminalGuard {
    /// Take the terminal again after the process was stopped and continued by someone
    /// else (SIGSTOP, a debugger): the shell may have put the tty back in cooked mode.
    pub fn reenter(&mut self) -> io::Result<()> {
        // Raw mode is only set again once crossterm has forgotten it was on.
        let _ = disable_raw_mode();
        self.resume()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        // ratatui's `Terminal` shows the cursor when dropped, and prints to stderr when it
        // cannot. When the tty is gone (the SSH session died) stderr is that dead tty too and
        // the print panics; so a terminal whose cursor cannot be shown is forgotten instead.
        if self.terminal.show_cursor().is_err() {
            let options = TerminalOptions {
                viewport: Viewport::Fixed(Rect::default()),
            };
            if let Ok(detached) =
                Terminal::with_options(CrosstermBackend::new(io::stdout()), options)
            {
                std::mem::forget(std::mem::replace(&mut self.terminal, detached));
            }
        }
    }
}

/// Put the terminal back as we found it. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut stdout = io::stdout();
    let _ = execute!(stdout, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = stdout.flush();
}

/// A panic on the UI thread (the loop runs on `main`) restores the terminal before the
/// message is printed. A panic in a background task only ends that task: the console keeps
/// running, so the terminal is left alone and the panic goes to the log file, not the screen.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("panic: {info}");
        if std::thread::current().name() == Some("main") {
            restore();
            previous(info);
        }
    }));
}
