//! Config, theme and keymap loading through the public API.

use std::fs;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::app::Action;
use opsdeck::config::{
    self, Clipboard, Config, ConfigError, DEFAULT_CONFIG, Paths, SshAddress, SshClient, Theme,
};
use opsdeck::input::{KeyBinding, KeyContext, Keymap};
use ratatui::style::{Color, Modifier};

fn load(text: &str) -> Config {
    config::load_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn load_err(text: &str) -> ConfigError {
    match config::load_str(text, "test.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn temp_paths() -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let paths = Paths::from_dirs(&dir.path().join("config"), &dir.path().join("state"));
    (dir, paths)
}

#[test]
fn example_config_parses_and_equals_the_defaults() {
    let example = load(DEFAULT_CONFIG);
    assert_eq!(example, Config::default());
    assert_eq!(load(""), Config::default());
    assert_eq!(example.general.refresh_interval, 5);
    assert_eq!(example.ssh.client, SshClient::Ssh2);
    assert_eq!(example.ssh.address, SshAddress::Private);
    assert_eq!(example.keys["global"]["quit"], ["q", "ctrl-c"]);
    assert!(Keymap::from_config(&example.keys).is_ok());
}

#[test]
fn the_clipboard_can_be_turned_off() {
    assert_eq!(Config::default().ui.clipboard, Clipboard::Osc52);
    assert_eq!(
        load("[ui]\nclipboard = \"off\"\n").ui.clipboard,
        Clipboard::Off
    );
}

#[test]
fn one_key_override_falls_through() {
    let config = load("[general]\nrefresh_interval = 30\n");
    assert_eq!(config.general.refresh_interval, 30);
    let mut expected = Config::default();
    expected.general.refresh_interval = 30;
    assert_eq!(config, expected);
}

#[test]
fn integer_is_accepted_for_a_float() {
    assert_eq!(
        load("[ops]\nmax_scale_factor = 2\n").ops.max_scale_factor,
        2.0
    );
}

#[test]
fn profiles_and_commands_are_added() {
    let config = load(
        r#"
[aws]
production_profiles = ["prod"]

[profiles.prod-eu]
production = true
read_only = true

[ssh.commands]
top = "top -bn1"
disk = ""
"#,
    );
    assert!(config.is_production("prod"));
    assert!(config.is_production("prod-eu"));
    assert!(config.is_read_only("prod-eu", false));
    assert!(!config.is_read_only("dev", false));
    assert_eq!(config.ssh.commands["top"], "top -bn1");
    assert!(config.ssh.commands.contains_key("docker-ps"));
    assert!(!config.ssh.commands.contains_key("disk"), "empty removes");
}

#[test]
fn keys_override_per_action() {
    let config = load("[keys.services]\nscale_up = [\"=\", \"ctrl-up\"]\n");
    let services = &config.keys["services"];
    assert_eq!(services["scale_up"], ["=", "ctrl-up"]);
    assert_eq!(services["scale_down"], ["-"], "other actions keep theirs");
    assert_eq!(config.keys["global"]["quit"], ["q", "ctrl-c"]);

    let keymap = Keymap::from_config(&config.keys).unwrap();
    let eq = press(KeyCode::Char('='));
    assert_eq!(
        keymap.action(KeyContext::Services, &eq),
        Some(Action::ScaleUp)
    );
    // `=` is sort_reverse globally; the services table wins there only.
    assert_eq!(
        keymap.action(KeyContext::Tasks, &eq),
        Some(Action::SortReverse)
    );
    let plus = press(KeyCode::Char('+'));
    assert_eq!(keymap.action(KeyContext::Services, &plus), None);
}

#[test]
fn a_user_key_is_taken_from_the_default_action_that_had_it() {
    let config = load("[keys.services]\nscale_up = [\"r\"]\n");
    assert_eq!(config.keys["services"]["scale_up"], ["r"]);
    assert!(config.keys["services"]["redeploy"].is_empty());
    let keymap = Keymap::from_config(&config.keys).unwrap();
    let r = press(KeyCode::Char('r'));
    assert_eq!(
        keymap.action(KeyContext::Services, &r),
        Some(Action::ScaleUp)
    );
    assert_eq!(keymap.hint(KeyContext::Services, Action::Redeploy), None);
}

/// Each bad config: its text, the expected line, key and a part of the message.
#[test]
fn bad_configs_name_line_and_key() {
    let cases: &[(&str, usize, Option<&str>, &str)] = &[
        (
            "[general]\nrefresh_intervall = 5\n",
            2,
            Some("general.refresh_intervall"),
            "unknown key `refresh_intervall` in [general]; did you mean `refresh_interval`?",
        ),
        (
            "# mine\n[general]\ntheme = \"light\"\nrefresh_interval = \"5\"\n",
            4,
            Some("general.refresh_interval"),
            "`general.refresh_interval` must be an integer, not a string",
        ),
        (
            "[general]\n\nrefresh_interval = 0\n",
            3,
            Some("general.refresh_interval"),
            "`general.refresh_interval` = 0 is out of range (1..=3600 seconds)",
        ),
        (
            "[logs]\nbuffer_lines = 10\n",
            2,
            Some("logs.buffer_lines"),
            "out of range",
        ),
        (
            "[logs]\n# floods\nredraw_interval_ms = 60000\n",
            3,
            Some("logs.redraw_interval_ms"),
            "`logs.redraw_interval_ms` = 60000 is out of range (0..=5000 ms)",
        ),
        (
            "[logs]\ntimestamps = \"yes\"\n",
            2,
            Some("logs.timestamps"),
            "`logs.timestamps` must be a boolean (true or false), not a string",
        ),
        (
            "[ops]\nmax_scale_factor = 0.5\n",
            2,
            Some("ops.max_scale_factor"),
            "out of range",
        ),
        (
            "[general]\ntheme = \"drak\"\n",
            2,
            Some("general.theme"),
            "unknown theme `drak` in `general.theme`; available themes: default, light, high-contrast",
        ),
        (
            "[general]\nlog_level = \"loud\"\n",
            2,
            Some("general.log_level"),
            "unknown log level `loud`",
        ),
        (
            "[keys.services]\nscale_upp = [\"+\"]\n",
            2,
            Some("keys.services.scale_upp"),
            "unknown action `scale_upp` in [keys.services]; did you mean `scale_up`?",
        ),
        (
            "[keys.global]\nquit = [\"q\",\n  \"ctrl-\"]\n",
            3,
            Some("keys.global.quit"),
            "invalid key `ctrl-` for `quit` in [keys.global]: nothing follows `ctrl-`",
        ),
        (
            "[keys.global]\nquit = \"q\"\n",
            2,
            Some("keys.global.quit"),
            "must be a list of keys",
        ),
        (
            "[keys.services]\nscale_up = [\"x\"]\nscale_down = [\"x\"]\n",
            3,
            Some("keys.services.scale_down"),
            "key `x` is bound to both `scale_up` and `scale_down` in [keys.services]",
        ),
        (
            "\n[keys.foo]\nup = [\"k\"]\n",
            2,
            Some("keys.foo"),
            "unknown key table [keys.foo] (tables: global, clusters,",
        ),
        (
            "[keys.service]\n",
            1,
            Some("keys.service"),
            "did you mean `services`?",
        ),
        (
            "[genral]\n",
            1,
            Some("genral"),
            "unknown key `genral` in the top level; did you mean `general`?",
        ),
        (
            "[profiles.prod]\nreadonly = true\n",
            2,
            Some("profiles.prod.readonly"),
            "unknown key `readonly` in [profiles.prod]; did you mean `read_only`?",
        ),
        (
            "[profiles.prod]\nproduction = \"yes\"\n",
            2,
            Some("profiles.prod.production"),
            "must be a boolean",
        ),
        (
            "[ui]\nclipboard = \"xclip\"\n",
            2,
            Some("ui.clipboard"),
            "unknown variant `xclip`, expected `osc52` or `off`",
        ),
        (
            "[ssh]\nclient = \"ssh3\"\n",
            2,
            Some("ssh.client"),
            "unknown variant `ssh3`",
        ),
        (
            "[aws]\nproduction_profiles = [\"prod\", 7]\n",
            2,
            Some("aws.production_profiles"),
            "`aws.production_profiles`: invalid type: integer `7`",
        ),
        (
            "[ssh]\ntimeout = -1\n",
            2,
            Some("ssh.timeout"),
            "`ssh.timeout`: invalid value: integer `-1`, expected a whole number of 0 or more",
        ),
        ("[general\n", 1, None, "TOML syntax error"),
        (
            "[general]\ntheme = \"light\"\ntheme = \"default\"\n",
            3,
            None,
            "TOML syntax error: duplicate key",
        ),
    ];
    for (text, line, key, message) in cases {
        let error = load_err(text);
        let shown = error.to_string();
        assert!(!shown.contains('\n'), "one line: {shown}");
        assert!(
            shown.starts_with(&format!("test.toml:{line}: ")),
            "line {line} expected: {shown}"
        );
        assert!(shown.contains(message), "{message:?} expected in: {shown}");
        assert_eq!(error.line(), Some(*line), "{shown}");
        assert_eq!(error.key(), *key, "{shown}");
    }
}

#[test]
fn explicit_or_env_file_must_exist_but_the_default_may_not() {
    let (dir, paths) = temp_paths();
    let missing = dir.path().join("nope.toml");

    let error = config::load(Some(&missing), None, &paths).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("config file not found: {}", missing.display())
    );
    assert!(matches!(
        config::load(None, Some(missing.clone()), &paths),
        Err(ConfigError::NotFound { .. })
    ));

    let loaded = config::load(None, None, &paths).unwrap();
    assert_eq!(loaded.source, None);
    assert_eq!(loaded.config, Config::default());
}

#[test]
fn files_are_found_in_order_explicit_env_default() {
    let (dir, paths) = temp_paths();
    let write = |path: &Path, interval: u64| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("[general]\nrefresh_interval = {interval}\n")).unwrap();
    };
    let explicit = dir.path().join("explicit.toml");
    let env = dir.path().join("env.toml");
    write(&explicit, 11);
    write(&env, 22);
    write(&paths.config_file, 33);

    let interval = |explicit: Option<&Path>, env: Option<PathBuf>| {
        let loaded = config::load(explicit, env, &paths).unwrap();
        (
            loaded.config.general.refresh_interval,
            loaded.source.unwrap(),
        )
    };
    assert_eq!(
        interval(Some(&explicit), Some(env.clone())),
        (11, explicit.clone())
    );
    assert_eq!(interval(None, Some(env.clone())), (22, env.clone()));
    assert_eq!(
        interval(None, Some(PathBuf::new())),
        (33, paths.config_file.clone())
    );
    assert_eq!(interval(None, None), (33, paths.config_file.clone()));
}

#[test]
fn errors_from_a_file_name_the_file() {
    let (dir, paths) = temp_paths();
    let file = dir.path().join("bad.toml");
    fs::write(&file, "[general]\nrefresh_intervall = 5\n").unwrap();
    let error = config::load(Some(&file), None, &paths).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}:2: unknown key", file.display())),
        "{error}"
    );
}

#[test]
fn a_user_theme_name_is_accepted_when_its_file_exists() {
    let (_dir, paths) = temp_paths();
    fs::create_dir_all(&paths.themes_dir).unwrap();
    fs::create_dir_all(paths.config_file.parent().unwrap()).unwrap();
    fs::write(&paths.config_file, "[general]\ntheme = \"mine\"\n").unwrap();
    let error = config::load(None, None, &paths).unwrap_err();
    assert!(
        error.to_string().contains("unknown theme `mine`"),
        "{error}"
    );

    fs::write(
        paths.themes_dir.join("mine.toml"),
        "[slots]\nok = { fg = \"#00ff00\" }\n",
    )
    .unwrap();
    let loaded = config::load(None, None, &paths).unwrap();
    assert_eq!(loaded.config.general.theme, "mine");
    let theme = Theme::load("mine", Some(&paths.themes_dir), false).unwrap();
    assert_eq!(theme.ok.fg, Some(Color::Rgb(0, 255, 0)));
    assert_eq!(
        theme.error,
        Theme::default().error,
        "other slots from default"
    );
}

#[test]
fn describe_lists_the_paths_in_use() {
    let (_dir, paths) = temp_paths();
    fs::create_dir_all(&paths.themes_dir).unwrap();
    fs::write(paths.themes_dir.join("light.toml"), "[slots]\n").unwrap();
    fs::write(&paths.config_file, "").unwrap();
    let text = paths.describe(Some(&paths.config_file), "light");
    let names: Vec<&str> = text.lines().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(
        names,
        ["config", "themes", "theme", "state", "log", "journal"]
    );
    assert!(text.contains(&format!("config: {}\n", paths.config_file.display())));
    assert!(text.contains("(over built-in `light`)"));
    assert!(text.contains("opsdeck.log (not present)"));
}

#[test]
fn every_theme_file_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut names = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            // Loading the file as a user theme parses it from disk.
            Theme::load(&name, Some(&dir), false).unwrap_or_else(|e| panic!("{e}"));
            names.push(name);
        }
    }
    names.sort();
    let mut builtin: Vec<String> = Theme::builtin_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    builtin.sort();
    assert_eq!(names, builtin, "every file in themes/ is built in");
    assert_ne!(Theme::load("light", None, false).unwrap(), Theme::default());
}

#[test]
fn unknown_theme_lists_the_available_ones() {
    let error = Theme::load("drak", None, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown theme `drak`; available themes: default, light, high-contrast"
    );
    assert!(Theme::load("../default", None, false).is_err());
}

#[test]
fn user_file_overrides_single_slots_of_a_builtin() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("default.toml"),
        "[slots]\nselected = { fg = \"black\", bg = \"light-green\" }\n",
    )
    .unwrap();
    let theme = Theme::load("default", Some(dir.path()), false).unwrap();
    assert_eq!(theme.selected.bg, Some(Color::LightGreen));
    assert_eq!(theme.ok, Theme::default().ok);

    fs::write(dir.path().join("default.toml"), "[slots]\nsellected = {}\n").unwrap();
    let error = Theme::load("default", Some(dir.path()), false).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with(":2: unknown colour slot `sellected`; did you mean `selected`?"),
        "{error}"
    );
}

#[test]
fn no_color_theme_has_no_colours() {
    let theme = Theme::load("light", None, true).unwrap();
    assert_eq!(theme, Theme::no_color());
    for (slot, style) in theme.slots() {
        assert_eq!((style.fg, style.bg), (None, None), "{slot}");
    }
    assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
    assert!(theme.header.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn high_contrast_uses_the_16_ansi_colours_only() {
    let theme = Theme::load("high-contrast", None, false).unwrap();
    for (slot, style) in theme.slots() {
        for color in [style.fg, style.bg].into_iter().flatten() {
            assert!(
                !matches!(color, Color::Rgb(..) | Color::Indexed(_)),
                "{slot}: {color:?}"
            );
        }
    }
}

#[test]
fn key_names_round_trip() {
    for text in [
        "k", "G", "ctrl-r", "alt-x", "enter", "esc", "backtab", "space", "pageup", "f5", "+", "<",
    ] {
        let key = KeyBinding::parse(text).unwrap();
        assert_eq!(key.to_string(), text);
    }
    assert!(KeyBinding::parse("ctrl-").is_err());
}

#[test]
fn default_keymap_resolves_the_view_before_global() {
    let keymap = Keymap::default();
    assert_eq!(
        keymap,
        Keymap::from_config(&Config::default().keys).unwrap()
    );
    let s = press(KeyCode::Char('s'));
    assert_eq!(keymap.action(KeyContext::Docker, &s), Some(Action::Stop));
    assert_eq!(keymap.action(KeyContext::Tasks, &s), Some(Action::Ssh));
    assert_eq!(keymap.action(KeyContext::Clusters, &s), None);
    let j = press(KeyCode::Char('j'));
    assert_eq!(keymap.action(KeyContext::Docker, &j), Some(Action::Down));
    let shift_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(
        keymap.action(KeyContext::Logs, &shift_g),
        Some(Action::Bottom)
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(
        keymap.action(KeyContext::Journal, &ctrl_c),
        Some(Action::Quit)
    );
}

#[test]
fn help_is_generated_from_the_keymap() {
    let config = load("[keys.global]\nhelp = [\"f1\", \"?\"]\n");
    let keymap = Keymap::from_config(&config.keys).unwrap();
    let help = keymap.help(KeyContext::Services);
    assert_eq!(help[0].scope, KeyContext::Services);
    let find = |action: Action| help.iter().find(|e| e.action == action).unwrap();
    assert_eq!(find(Action::TailLogs).keys, "l");
    assert_eq!(find(Action::Down).keys, "j, down");
    assert_eq!(find(Action::Down).scope, KeyContext::Global);
    assert_eq!(find(Action::Help).keys, "f1, ?");
    assert_eq!(find(Action::Help).description, Action::Help.help());
    let own = help
        .iter()
        .take_while(|e| e.scope == KeyContext::Services)
        .count();
    assert_eq!(
        own,
        config.keys["services"].len(),
        "view entries come first"
    );
    assert_eq!(
        keymap.hint(KeyContext::Services, Action::Help),
        Some("f1".into())
    );
}
