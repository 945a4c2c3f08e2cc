//! Start-up: config, logging, theme and keymap, then the terminal and the loop.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::app::{AppState, ContextInfo, Settings};
use crate::backend::aws::AwsTarget;
use crate::cli::Cli;
use crate::config::{self, Config, Paths, Theme};
use crate::input::keymap::Keymap;
use crate::runtime::{self, AwsHandle, Backends, DockerHandle, Tails};
use crate::tui::TerminalGuard;

/// Everything `main` does after parsing the command line.
pub fn run(cli: Cli) -> Result<()> {
    let paths = Paths::resolve();
    let env_config = std::env::var_os("OPSDECK_CONFIG")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let named = cli.config.is_some() || env_config.is_some();
    let loaded = config::load(cli.config.as_deref(), env_config, &paths);

    if cli.paths {
        let (source, theme) = match &loaded {
            Ok(l) => (l.source.clone(), l.config.general.theme.clone()),
            Err(_) => (None, String::from("default")),
        };
        print!("{}", paths.describe(source.as_deref(), &theme));
        if let Err(e) = &loaded {
            println!("config error: {e}");
        }
        return Ok(());
    }

    // A config named on purpose must be right; a bad one found by default is reported in the UI.
    let (config, config_problem) = match loaded {
        Ok(l) => (l.config, None),
        Err(e) if named => return Err(e.into()),
        Err(e) => (Config::default(), Some(e.to_string())),
    };
    let theme_name = cli
        .theme
        .clone()
        .unwrap_or_else(|| config.general.theme.clone());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::load(&theme_name, Some(&paths.themes_dir), no_color)?;
    let keymap = Keymap::from_config(&config.keys)?;

    let log = crate::logging::init(&paths.log_file, &config.general.log_level);
    let _log_guard = log.guard;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "opsdeck starting");

    // Read before any thread starts: the local offset is only safe to query then.
    let utc_offset_secs = time::UtcOffset::current_local_offset()
        .map(|o| o.whole_seconds())
        .unwrap_or(0);

    let target = aws_target(&cli, &config);
    let profile = target
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_string());
    let ctx = ContextInfo {
        production: config.is_production(&profile),
        read_only: config.is_read_only(&profile, cli.read_only),
        region: target.region.clone().unwrap_or_default(),
        endpoint: target.endpoint_url.clone(),
        account: None,
        profile,
    };
    let settings = Settings {
        refresh_secs: config.general.refresh_interval,
        utc_offset_secs,
        log_tail_lines: config.logs.tail_lines as usize,
        log_buffer_lines: config.logs.buffer_lines,
        save_dir: paths.state_dir.join("logs"),
        log_redraw_ms: config.logs.redraw_interval_ms,
        clipboard: config.ui.clipboard == crate::config::Clipboard::Osc52,
    };
    let mut state = AppState::new(ctx, settings, keymap);
    state.hosts = crate::app::hosts::HostsState::new(
        crate::app::hosts::target::HostsSettings::from_config(&config.ssh),
    );
    let local_user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_default();
    state.guard.settings = crate::app::guard::state::OpsSettings {
        max_scale_factor: config.ops.max_scale_factor,
        max_desired: i32::try_from(config.ops.max_desired).unwrap_or(i32::MAX),
        typed_for_production: config.ops.confirm_by_typing_for_production,
        local_user: local_user.clone(),
    };
    let journal_file = paths.journal_file.clone();
    // `[docker] host` wins over DOCKER_HOST; a bad address is reported on the containers view.
    let docker = DockerHandle::from_config(config.docker.host());
    state.docker_engine = docker.engine_label();
    state.docker.show_all = config.docker.show_stopped;
    state.logs.timestamps = config.logs.timestamps;
    // Both go to the status line: the config's problem first, it is the one to fix.
    let problem = match (config_problem, log.problem) {
        (Some(config), Some(log)) => Some(format!("{config}; {log}")),
        (config, log) => config.or(log),
    };
    if let Some(problem) = problem {
        crate::app::core::nav::flash(&mut state, &problem, crate::app::core::table::Tone::Error);
    }
    if let Some(cluster) = &cli.cluster {
        state.stack.push(crate::app::View::Services {
            cluster: cluster.as_str().into(),
        });
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(async move {
        let (tx, rx) = runtime::channel();
        let backends = Backends {
            aws: AwsHandle::new(target, tx.clone()),
            docker,
            tails: Tails::default(),
            ops: runtime::guard::OpsRunner::new(journal_file, local_user),
            ssh: runtime::SshHandle::new(runtime::hosts::ssh::options_from_config(&config.ssh)),
            cwlogs: runtime::logs::cwlogs::CwSettings::from_config(&config),
        };
        let mut guard = TerminalGuard::enter().context("opening the terminal")?;
        let result = runtime::run(&mut guard, state, theme, backends, tx, rx).await;
        drop(guard);
        result.context("running the console")
    })?;
    // Don't wait for requests still in flight.
    rt.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}

fn aws_target(cli: &Cli, config: &Config) -> AwsTarget {
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    AwsTarget {
        profile: cli
            .profile
            .clone()
            .or_else(|| non_empty(&config.aws.profile)),
        region: cli.region.clone().or_else(|| non_empty(&config.aws.region)),
        endpoint_url: cli
            .endpoint_url
            .clone()
            .or_else(|| non_empty(&config.aws.endpoint_url)),
        connect_timeout: Duration::from_secs(config.aws.connect_timeout),
        attempt_timeout: Duration::from_secs(config.aws.attempt_timeout),
        ..AwsTarget::default()
    }
}
