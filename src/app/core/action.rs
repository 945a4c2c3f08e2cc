//! What a key asks for. Names are the snake_case words used in the config's `[keys]` tables.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($($variant:ident => $name:literal, $help:literal;)*) => {
        /// An imperative request from the keyboard.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in help order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The config name (`scale_up`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            /// One line for the help screen.
            pub fn help(self) -> &'static str {
                match self {
                    $(Action::$variant => $help,)*
                }
            }

            /// The action named `name` in the config, if any.
            pub fn from_name(name: &str) -> Option<Action> {
                match name {
                    $($name => Some(Action::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Up => "up", "move up";
    Down => "down", "move down";
    PageUp => "page_up", "one page up";
    PageDown => "page_down", "one page down";
    Top => "top", "go to the top";
    Bottom => "bottom", "go to the bottom";
    Enter => "enter", "open the selected item";
    Back => "back", "go back / close";
    Filter => "filter", "filter rows (!term excludes)";
    Command => "command", "command line (:clusters, :services, :q …)";
    Help => "help", "show this help";
    Messages => "messages", "the last 100 messages (:messages)";
    Refresh => "refresh", "refresh now";
    Quit => "quit", "quit opsdeck";
    Suspend => "suspend", "suspend opsdeck (fg brings it back)";
    SortNext => "sort_next", "sort by the next column";
    SortPrev => "sort_prev", "sort by the previous column";
    SortReverse => "sort_reverse", "reverse the sort order";
    ScrollLeft => "scroll_left", "scroll the columns left";
    ScrollRight => "scroll_right", "scroll the columns right (hidden columns)";
    ToggleDetail => "toggle_detail", "show or hide the detail pane";
    CopyId => "copy_id", "copy the id or name (logs: the line)";
    CopyFull => "copy_full", "copy the ARN or full name (logs: the line)";
    ToggleAll => "toggle_all", "show stopped items too";
    TailLogs => "tail_logs", "show logs";
    Ssh => "ssh", "open a shell";
    Redeploy => "redeploy", "force a new deployment";
    ScaleUp => "scale_up", "desired count +1";
    ScaleDown => "scale_down", "desired count -1";
    SetDesired => "set_desired", "set the desired count";
    StopTask => "stop_task", "stop the task";
    Rollback => "rollback", "roll back to the previous revision";
    Undo => "undo", "undo the selected change (asks first)";
    Restart => "restart", "restart the container";
    Stop => "stop", "stop the container";
    Start => "start", "start the container";
    Pause => "pause", "pause or unpause the container";
    Remove => "remove", "remove the stopped container";
    Exec => "exec", "open a shell in the container";
    JumpToHost => "jump_to_host", "go to the EC2 host the task runs on";
    RunCommand => "run_command", "run a command on the host (menu)";
    Follow => "follow", "follow or pause the log";
    Wrap => "wrap", "wrap long lines";
    Timestamps => "timestamps", "show or hide timestamps";
    SearchNext => "search_next", "next match";
    SearchPrev => "search_prev", "previous match";
    Save => "save", "save the buffer to a file";
    ToggleFilterMode => "toggle_filter_mode", "hide non-matching lines";
    HideContainer => "hide_container", "hide the current line's container (again: show all)";
    Describe => "describe", "describe the selected item (YAML)";
    DescribeTaskDefinition => "describe_task_definition", "describe the task definition";
    ToggleJson => "toggle_json", "show the document as JSON or YAML";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
        assert_eq!(Action::from_name("scale_upp"), None);
    }
}
