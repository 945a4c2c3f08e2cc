//! The console under fuzz: its state, a backend that answers the commands `update` sends
//! (right, wrong, late or twice), the screen, and the invariants checked after every event.

use std::collections::{BTreeMap, VecDeque};

use opsdeck::app::asg::{AsgCommand, AsgMsg};
use opsdeck::app::core::keys::key_to_msg;
use opsdeck::app::core::table::{TableRow, TableState};
use opsdeck::app::describe::{DescribeCommand, DescribeMsg};
use opsdeck::app::docker::{DockerCommand, DockerMsg};
use opsdeck::app::hosts::{HostSession, HostsCommand, HostsMsg, Purpose, RunOutput};
use opsdeck::app::images::{ImagesCommand, ImagesMsg};
use opsdeck::app::journal::{JournalCommand, JournalMsg};
use opsdeck::app::loggroups::{LogGroupsCommand, LogGroupsMsg};
use opsdeck::app::logs::{self, LogMsg};
use opsdeck::app::service::{ServiceCommand, ServiceMsg};
use opsdeck::app::{Action, AppState, Command, ContextInfo, Mode, Msg, Settings, View, update};
use opsdeck::config::Theme;
use opsdeck::domain::ssh::{HopRole, HostKey, LockedKey, SshHop, SshPlan};
use opsdeck::input::keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::random::{COMMAND_LINES, Gen, char_key};
use super::rows::{self, NOW};

/// Draw every this many events (and after every resize): drawing is most of the cost.
const RENDER_EVERY: u64 = 200;
/// Terminals up to this many cells are drawn at their size every [`RENDER_EVERY`] events.
const SMALL_CELLS: u32 = 80 * 24;
/// Commands waiting for an answer; the oldest are forgotten (a backend that never answers).
const MAX_PENDING: usize = 48;
/// Esc presses that must get any mode back to normal.
const ESC_PRESSES: usize = 4;

fn new_state() -> AppState {
    let settings = Settings {
        refresh_secs: 5,
        utc_offset_secs: 3_600,
        log_tail_lines: 50,
        // Small, so the ring drops lines and cloning the state for the esc check is cheap.
        log_buffer_lines: 400,
        save_dir: std::env::temp_dir().join("opsdeck-fuzz-never-written"),
        ..Settings::default()
    };
    let ctx = ContextInfo {
        profile: "dev".into(),
        region: "eu-west-1".into(),
        ..ContextInfo::default()
    };
    let mut s = AppState::new(ctx, settings, Keymap::default());
    s.docker_engine = "unix:///var/run/docker.sock".into();
    s.hosts.settings.commands = vec![("uptime".into(), "uptime".into())];
    s
}

pub struct World {
    g: Gen,
    state: AppState,
    /// A fresh state, cloned after a quit (building one reads the default keymap).
    fresh: AppState,
    pending: VecDeque<Command>,
    size: (u16, u16),
    terminal: Terminal<TestBackend>,
    theme: Theme,
    now: i64,
    recent: VecDeque<String>,
    counts: BTreeMap<&'static str, u64>,
}

impl World {
    pub fn new(g: Gen) -> World {
        let mut world = World {
            g,
            state: new_state(),
            fresh: new_state(),
            pending: VecDeque::new(),
            size: (80, 24),
            terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
            theme: Theme::default(),
            now: NOW,
            recent: VecDeque::new(),
            counts: BTreeMap::new(),
        };
        world.send(Msg::Resized {
            width: 80,
            height: 24,
        });
        world.send(Msg::Action(Action::Refresh));
        world
    }

    fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    /// One random event, then the invariants.
    pub fn step(&mut self, n: u64) {
        let r = self.g.rng.below(1000);
        match r {
            0..=449 => {
                let key = self.g.key();
                self.note(format!("key {:?} {:?}", key.code, key.modifiers));
                self.key(key);
            }
            450..=519 => {
                let action = *self.g.rng.pick(Action::ALL);
                self.note(format!("action {action:?}"));
                self.send(Msg::Action(action));
            }
            520..=539 => {
                let keys = self.g.paste();
                self.note(format!("paste of {} keys", keys.len()));
                if self.g.rng.chance(1, 2) {
                    let text: String = keys
                        .iter()
                        .filter_map(|key| match key.code {
                            crossterm::event::KeyCode::Char(c) => Some(c),
                            _ => None,
                        })
                        .collect();
                    self.send(Msg::Paste(text));
                } else {
                    for key in keys {
                        self.key(key);
                    }
                }
            }
            540..=559 => self.command_line(),
            560..=561 => {
                self.size = self.g.size();
                self.note(format!("resize {:?}", self.size));
                let (width, height) = self.size;
                self.send(Msg::Resized { width, height });
                // Sizes are drawn when resized to: all small ones, one in six of the big
                // ones (a big screen costs as much as many small ones).
                let (w, h) = self.size;
                if u32::from(w) * u32::from(h) <= SMALL_CELLS || self.g.rng.chance(1, 6) {
                    self.render(self.size);
                }
            }
            562..=599 => {
                self.now += 1 + self.g.rng.below(30) as i64;
                self.send(Msg::Tick { now: self.now });
            }
            600..=899 => self.answer(),
            _ => {
                let msg = self.stray();
                self.send(msg);
            }
        }
        if self.state.quit {
            self.count("quits");
            self.state = self.fresh.clone();
            self.pending.clear();
            self.send(Msg::Action(Action::Refresh));
        }
        self.check();
        if n.is_multiple_of(RENDER_EVERY) {
            // Drawing costs per cell: big terminals are drawn when resized to, and the
            // rest of the time the same state is drawn at an ordinary size.
            let (w, h) = self.size;
            let size = if u32::from(w) * u32::from(h) <= SMALL_CELLS {
                self.size
            } else {
                (60, 20)
            };
            self.render(size);
        }
        self.observe();
    }

    fn note(&mut self, text: String) {
        if self.recent.len() == 24 {
            self.recent.pop_front();
        }
        self.recent.push_back(text);
    }

    pub fn recent(&self) -> String {
        let mut out: Vec<String> = self.recent.iter().cloned().collect();
        out.push(format!(
            "view {:?}, mode {:?}, stack {}",
            self.state.view(),
            self.state.mode,
            self.state.stack.len()
        ));
        out.join("\n")
    }

    /// A key as the runtime handles it: mapped in the current state, then `update`.
    fn key(&mut self, key: crossterm::event::KeyEvent) {
        if let Some(msg) = key_to_msg(&self.state, &key) {
            self.send(msg);
        }
    }

    fn send(&mut self, msg: Msg) {
        let commands = update(&mut self.state, msg);
        for command in commands {
            if self.pending.len() == MAX_PENDING {
                self.pending.pop_front();
            }
            self.pending.push_back(command);
        }
    }

    /// `:` and a command line that reaches another view, typed key by key.
    fn command_line(&mut self) {
        let line = *self.g.rng.pick(COMMAND_LINES);
        self.note(format!("command line :{line}"));
        self.key(char_key(':'));
        for c in line.chars() {
            self.key(char_key(c));
        }
        self.key(char_key('\n'));
    }

    fn render(&mut self, (w, h): (u16, u16)) {
        if self.terminal.backend().buffer().area.as_size() != ratatui::layout::Size::new(w, h) {
            self.terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        }
        self.state.dirty = false;
        let (state, theme) = (&self.state, &self.theme);
        self.terminal
            .draw(|frame| opsdeck::ui::render(frame, state, theme))
            .unwrap();
        let class = match (w, h) {
            (0, _) | (_, 0) => "drawn at 0 wide or high",
            (w, h) if w < 40 || h < 12 => "drawn tiny",
            (w, h) if w <= 120 && h <= 40 => "drawn ordinary",
            (300, 100) => "drawn at 300×100",
            _ => "drawn wide",
        };
        self.count(class);
    }

    /// The backend's answer to one of the commands waiting, picked at random: mostly the
    /// right one, sometimes an error, sometimes the same answer twice.
    fn answer(&mut self) {
        if self.pending.is_empty() {
            let msg = self.stray();
            return self.send(msg);
        }
        let at = self.g.rng.below(self.pending.len() as u64) as usize;
        let again = self.g.rng.chance(1, 12);
        let command = if again {
            self.pending[at].clone()
        } else {
            match self.pending.remove(at) {
                Some(c) => c,
                None => return,
            }
        };
        self.note(short("answer", &command));
        for msg in self.answers(command) {
            self.send(msg);
        }
    }

    fn fails(&mut self) -> bool {
        self.g.rng.chance(1, 8)
    }

    fn error(&mut self) -> String {
        format!("AccessDenied: {}", self.g.word())
    }

    fn answers(&mut self, command: Command) -> Vec<Msg> {
        let now = self.now;
        let g = &mut self.g;
        let fail = g.rng.chance(1, 8);
        let err = format!("ThrottlingException: {}", g.word());
        match command {
            Command::FetchClusters { generation } => vec![Msg::ClustersLoaded {
                generation,
                now,
                result: if fail {
                    Err(err)
                } else {
                    Ok(rows::clusters(g))
                },
            }],
            Command::FetchServices {
                generation,
                cluster,
            } => vec![Msg::ServicesLoaded {
                generation,
                now,
                result: if fail {
                    Err(err)
                } else {
                    Ok(rows::services(g, cluster.as_str()))
                },
            }],
            Command::FetchTasks {
                generation,
                cluster,
                ..
            } => vec![Msg::TasksLoaded {
                generation,
                now,
                result: if fail {
                    Err(err)
                } else {
                    Ok(rows::tasks(g, cluster.as_str()))
                },
            }],
            Command::FetchTask {
                generation,
                cluster,
                task,
            } => {
                let mut row = rows::task(g, cluster.as_str(), 0);
                row.arn = task;
                vec![Msg::TaskLoaded {
                    generation,
                    now,
                    result: if fail { Err(err) } else { Ok(Box::new(row)) },
                }]
            }
            Command::StartTail { tail, .. } => self.tail_msgs(tail),
            Command::StopTail { tail } => vec![Msg::Log(LogMsg::Ended {
                tail,
                reason: "stopped".into(),
            })],
            Command::SaveLog { dir, stem, .. } => vec![Msg::Log(LogMsg::Saved {
                result: if fail {
                    Err(format!("cannot write {}: {err}", dir.display()))
                } else {
                    Ok(dir.join(format!("{stem}.log")))
                },
            })],
            Command::RunOp(op) | Command::Undo { op, .. } => vec![Msg::OpFinished {
                op: Box::new(op),
                result: if fail { Err(err) } else { Ok("done".into()) },
            }],
            // The runtime writes it to the terminal; nothing comes back.
            Command::Copy { .. } => Vec::new(),
            Command::Interactive(_) => vec![Msg::SessionEnded {
                result: if fail { Err(err) } else { Ok(()) },
            }],
            Command::Docker(DockerCommand::Watch { focus, .. }) => {
                let mut msgs = vec![Msg::Docker(DockerMsg::Listed {
                    now,
                    result: if fail {
                        Err("Cannot connect to the Docker daemon".into())
                    } else {
                        Ok(rows::docker_rows(g))
                    },
                })];
                if let Some(id) = focus {
                    msgs.extend(self.focus_msgs(id));
                }
                msgs
            }
            Command::Docker(DockerCommand::Focus { id }) => self.focus_msgs(id),
            command @ (Command::Service(_)
            | Command::Asg(_)
            | Command::Journal(_)
            | Command::ResolveIdentity) => vec![self.ops_answer(command)],
            Command::Hosts(command) => vec![Msg::Hosts(self.hosts_answer(command))],
            Command::Describe(DescribeCommand::Fetch { generation, .. }) => {
                let mut lines = Vec::new();
                for _ in 0..g.rng.below(60) {
                    lines.push(serde_json::json!({ "name": g.word(), "value": g.word() }));
                }
                let doc = serde_json::json!({
                    "name": g.word(),
                    "count": g.rng.below(100),
                    "note": format!("{}: {}\n{}", g.word(), g.word(), g.word()),
                    "environment": lines,
                });
                vec![Msg::Describe(DescribeMsg::Loaded {
                    generation,
                    now,
                    result: if fail { Err(err) } else { Ok(doc) },
                })]
            }
            Command::Describe(DescribeCommand::Save { dir, stem, ext, .. }) => {
                vec![Msg::Describe(DescribeMsg::Saved {
                    result: if fail {
                        Err(format!("cannot write {}: {err}", dir.display()))
                    } else {
                        Ok(dir.join(format!("{stem}.{ext}")))
                    },
                })]
            }
            Command::Images(ImagesCommand::Fetch { generation }) => {
                vec![Msg::Images(ImagesMsg::Loaded {
                    generation,
                    now,
                    result: if fail {
                        Err("Cannot connect to the Docker daemon".into())
                    } else {
                        Ok(rows::images(g))
                    },
                })]
            }
            Command::LogGroups(LogGroupsCommand::Fetch { generation }) => {
                vec![Msg::LogGroups(LogGroupsMsg::Loaded {
                    generation,
                    now,
                    result: if fail {
                        Err(err)
                    } else {
                        Ok(rows::log_groups(g))
                    },
                })]
            }
        }
    }

    fn focus_msgs(&mut self, id: String) -> Vec<Msg> {
        let g = &mut self.g;
        let result = if g.rng.chance(1, 8) {
            Err(format!("No such container: {id}"))
        } else {
            Ok(Box::new(rows::docker_detail(g, &id)))
        };
        let mut msgs = vec![Msg::Docker(DockerMsg::Detail {
            id: id.clone(),
            result,
        })];
        for _ in 0..g.rng.below(4) {
            msgs.push(Msg::Docker(DockerMsg::Sample {
                id: id.clone(),
                sample: rows::sample(g),
            }));
        }
        msgs
    }

    /// What a tail reports: lines, its mode, problems, sampling, its end.
    fn tail_msgs(&mut self, tail: u64) -> Vec<Msg> {
        let g = &mut self.g;
        let mut msgs = Vec::new();
        for _ in 0..1 + g.rng.below(3) {
            let msg = match g.rng.below(10) {
                0..=5 => LogMsg::Lines {
                    tail,
                    lines: rows::log_lines(g),
                },
                6 => LogMsg::Mode {
                    tail,
                    mode: g.rng.pick(&["LIVE", "POLL 2s", "POLL 8s", ""]).to_string(),
                },
                7 => LogMsg::Problem {
                    tail,
                    message: format!("live tail interrupted ({}): reconnecting", g.word()),
                },
                8 => LogMsg::Sampled {
                    tail,
                    sampled: g.rng.chance(1, 2),
                },
                _ => LogMsg::Ended {
                    tail,
                    reason: g.word(),
                },
            };
            msgs.push(Msg::Log(msg));
        }
        // A tail goes on reporting: it is still waiting for an answer.
        if !msgs
            .iter()
            .any(|m| matches!(m, Msg::Log(LogMsg::Ended { .. })))
        {
            self.pending.push_back(Command::StartTail {
                tail,
                source: logs::LogSource::Docker {
                    id: String::new(),
                    name: String::new(),
                },
                history: 0,
            });
        }
        msgs
    }

    /// The answer to a service, Auto Scaling, journal or identity command.
    fn ops_answer(&mut self, command: Command) -> Msg {
        let now = self.now;
        let fail = self.fails();
        let err = self.error();
        let g = &mut self.g;
        match command {
            Command::Service(ServiceCommand::FetchDetail {
                generation,
                cluster,
                service,
            }) => Msg::Service(ServiceMsg::DetailLoaded {
                generation,
                now,
                result: if fail {
                    Err(err)
                } else {
                    Ok(Box::new(rows::service_detail(
                        g,
                        cluster.as_str(),
                        service.as_str(),
                    )))
                },
            }),
            Command::Asg(AsgCommand::Fetch { generation }) => Msg::Asg(AsgMsg::Loaded {
                generation,
                now,
                result: if fail { Err(err) } else { Ok(rows::asgs(g)) },
            }),
            Command::Journal(JournalCommand::Fetch { generation }) => {
                Msg::Journal(JournalMsg::Loaded {
                    generation,
                    now,
                    result: if fail { Err(err) } else { Ok(rows::journal(g)) },
                })
            }
            Command::Service(ServiceCommand::PrepareRollback { cluster, service }) => {
                Msg::Service(ServiceMsg::RollbackPrepared {
                    result: if fail {
                        Err(err)
                    } else {
                        Ok(rows::rollback(g, cluster.as_str(), service.as_str()))
                    },
                    cluster: cluster.to_string(),
                    service: service.to_string(),
                })
            }
            Command::ResolveIdentity => Msg::IdentityResolved(if fail {
                Err(err)
            } else {
                Ok("arn:aws:iam::123456789012:user/alice".into())
            }),
            other => unreachable!("not an operations command: {other:?}"),
        }
    }

    fn hosts_answer(&mut self, command: HostsCommand) -> HostsMsg {
        let now = self.now;
        let fail = self.fails();
        let err = self.error();
        let g = &mut self.g;
        let session = |plan: Box<SshPlan>| HostsMsg::Ready {
            session: HostSession {
                label: plan.label.clone(),
                plan,
                ticket: Some(1),
            },
        };
        match command {
            HostsCommand::Fetch { generation } => HostsMsg::Loaded {
                generation,
                now,
                result: if fail { Err(err) } else { Ok(rows::hosts(g)) },
            },
            HostsCommand::FindTaskHost { purpose, .. } => HostsMsg::TaskHost {
                purpose,
                result: if fail {
                    Err(err)
                } else {
                    Ok(rows::hosts(g).into_iter().next().unwrap_or_default())
                },
            },
            HostsCommand::Connect { request, purpose } => {
                let plan = Box::new(plan(&request.label));
                match g.rng.below(5) {
                    0 => HostsMsg::KeyUnknown {
                        plan,
                        key: host_key(),
                        purpose,
                    },
                    1 => HostsMsg::PassphraseNeeded {
                        plan,
                        key: locked_key(),
                        purpose,
                        failed: 0,
                    },
                    2 => HostsMsg::Failed { message: err },
                    _ => match purpose {
                        Purpose::Shell => session(plan),
                        Purpose::Run { name, command } => HostsMsg::Output {
                            host: request.label,
                            name,
                            command,
                            result: Ok(RunOutput {
                                text: (0..g.rng.below(80))
                                    .map(|i| format!("line {i} {}\n", g.word()))
                                    .collect(),
                                exit_status: Some(g.rng.below(3) as i32),
                                truncated: g.rng.chance(1, 5),
                            }),
                        },
                    },
                }
            }
            HostsCommand::Trust { plan, .. } => {
                if fail {
                    HostsMsg::Failed { message: err }
                } else {
                    session(plan)
                }
            }
            HostsCommand::Unlock {
                plan,
                key,
                purpose,
                attempt,
                ..
            } => {
                if g.rng.chance(1, 2) {
                    HostsMsg::PassphraseNeeded {
                        plan,
                        key,
                        purpose,
                        failed: attempt,
                    }
                } else {
                    session(plan)
                }
            }
        }
    }

    /// A message nobody asked for just now: stale generations and tails, late results,
    /// context changes.
    fn stray(&mut self) -> Msg {
        let now = self.now;
        let stale = self.state.generation.saturating_sub(self.g.rng.below(3));
        let tail = self
            .state
            .logs
            .last_tail
            .saturating_sub(self.g.rng.below(2));
        let g = &mut self.g;
        let msg = match g.rng.below(12) {
            0 => Msg::ClustersLoaded {
                generation: stale,
                now,
                result: Ok(rows::clusters(g)),
            },
            1 => Msg::TasksLoaded {
                generation: stale,
                now,
                result: Err("stale".into()),
            },
            2 => Msg::Docker(DockerMsg::Detail {
                id: format!("id-box-{}", g.rng.below(12)),
                result: Ok(Box::new(rows::docker_detail(g, "id-box-3"))),
            }),
            3 => Msg::Docker(DockerMsg::Sample {
                id: format!("id-box-{}", g.rng.below(12)),
                sample: rows::sample(g),
            }),
            4 => Msg::Docker(DockerMsg::Listed {
                now,
                result: Ok(rows::docker_rows(g)),
            }),
            5 => Msg::Log(LogMsg::Lines {
                tail,
                lines: rows::log_lines(g),
            }),
            6 => Msg::Log(LogMsg::Ended {
                tail,
                reason: g.word(),
            }),
            7 => Msg::Hosts(HostsMsg::Loaded {
                generation: stale,
                now,
                result: Ok(rows::hosts(g)),
            }),
            8 => Msg::Asg(AsgMsg::Loaded {
                generation: stale,
                now,
                result: Ok(rows::asgs(g)),
            }),
            9 => Msg::Connected {
                profile: g.word(),
                region: "eu-west-1".into(),
                endpoint: g.rng.chance(1, 2).then(|| "http://localhost:5000".into()),
            },
            10 => Msg::AccountResolved(g.word()),
            _ => Msg::OpFinished {
                op: Box::new(rows::op(g)),
                result: Err(g.word()),
            },
        };
        self.note(short("stray", &msg));
        msg
    }

    /// The invariants.
    fn check(&mut self) {
        let s = &self.state;
        assert!(!s.stack.is_empty(), "the navigation stack is empty");
        in_range("clusters", &s.clusters);
        in_range("services", &s.services);
        in_range("tasks", &s.tasks);
        in_range("containers", &s.containers);
        in_range("docker", &s.docker.table);
        in_range("asgs", &s.asgs);
        in_range("journal", &s.journal.table);
        in_range("hosts", &s.hosts.list.table);
        in_range("images", &s.images.table);
        in_range("log groups", &s.loggroups.table);
        if s.mode != Mode::Normal && self.g.rng.chance(1, 8) {
            self.check_way_out();
        }
    }

    /// From the mode open now, esc gets back to normal within a few presses.
    fn check_way_out(&mut self) {
        let mut s = self.state.clone();
        let esc = char_key('\u{1b}');
        let start = short("mode", &s.mode);
        for _ in 0..ESC_PRESSES {
            if s.mode == Mode::Normal {
                break;
            }
            let msg = key_to_msg(&s, &esc)
                .unwrap_or_else(|| panic!("esc means nothing in mode {:?}", s.mode));
            update(&mut s, msg);
        }
        assert_eq!(
            s.mode,
            Mode::Normal,
            "{ESC_PRESSES} esc presses did not leave mode {start}"
        );
    }

    fn observe(&mut self) {
        let view = match self.state.view() {
            View::Clusters => "view clusters",
            View::Services { .. } => "view services",
            View::Tasks { .. } => "view tasks",
            View::Containers { .. } => "view containers",
            View::ServiceDetail { .. } => "view service detail",
            View::Docker => "view docker",
            View::Logs { .. } => "view logs",
            View::LogGroups => "view log groups",
            View::Hosts => "view hosts",
            View::Asgs => "view asgs",
            View::Journal => "view journal",
            View::Images => "view images",
            View::Describe { .. } => "view describe",
        };
        let mode = match self.state.mode {
            Mode::Normal => "mode normal",
            Mode::Filter(_) => "mode filter",
            Mode::Command(_) => "mode command",
            Mode::Help(_) => "mode help",
            Mode::Messages(_) => "mode messages",
            Mode::Confirm(_) => "mode confirm",
            Mode::Prompt(_) => "mode prompt",
            Mode::Hosts(_) => "mode hosts",
        };
        self.count(view);
        self.count(mode);
    }

    pub fn stats(&self) -> String {
        self.counts
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What a full run must have reached at least once.
    pub fn coverage(&self) -> Vec<(&'static str, u64)> {
        const MUST: &[&str] = &[
            "view services",
            "view tasks",
            "view containers",
            "view service detail",
            "view docker",
            "view logs",
            "view log groups",
            "view hosts",
            "view asgs",
            "view journal",
            "view images",
            "mode filter",
            "mode command",
            "mode help",
            "mode confirm",
            "mode prompt",
            "mode hosts",
            "drawn at 0 wide or high",
            "drawn tiny",
            "drawn ordinary",
            "drawn wide",
            "drawn at 300×100",
        ];
        MUST.iter()
            .map(|k| (*k, self.counts.get(k).copied().unwrap_or(0)))
            .collect()
    }
}

fn in_range<R: TableRow>(what: &str, table: &TableState<R>) {
    let (selected, len) = (table.selected_index(), table.visible_len());
    assert!(
        selected < len || (len == 0 && selected == 0),
        "{what}: selection {selected} out of {len} visible rows"
    );
}

fn plan(label: &str) -> SshPlan {
    SshPlan {
        label: label.into(),
        target: SshHop {
            name: "10.0.0.5".into(),
            host: "10.0.0.5".into(),
            port: 22,
            user: "ec2-user".into(),
            identity_files: Vec::new(),
        },
        known_hosts: std::env::temp_dir().join("opsdeck-fuzz-known-hosts"),
        timeout_secs: 10,
        ..SshPlan::default()
    }
}

fn host_key() -> HostKey {
    HostKey {
        role: HopRole::Target,
        host: "10.0.0.5".into(),
        key_type: "ssh-ed25519".into(),
        fingerprint: "SHA256:abc".into(),
        key_base64: "AAAA".into(),
        other_types_known: Vec::new(),
    }
}

fn locked_key() -> LockedKey {
    LockedKey {
        role: HopRole::Bastion,
        hop: "bastion".into(),
        file: std::env::temp_dir().join("opsdeck-fuzz-id"),
        shown: "~/.ssh/id_ed25519".into(),
    }
}

/// `what` and the first 160 bytes of `value`'s debug text, without formatting the rest.
fn short(what: &str, value: &dyn std::fmt::Debug) -> String {
    struct Bounded(String);
    impl std::fmt::Write for Bounded {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            for c in s.chars() {
                if self.0.len() >= 160 {
                    return Err(std::fmt::Error);
                }
                self.0.push(c);
            }
            Ok(())
        }
    }
    let mut out = Bounded(format!("{what} "));
    let _ = std::fmt::write(&mut out, format_args!("{value:?}"));
    out.0
}
