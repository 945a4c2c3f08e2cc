//! A one-line text prompt of the operations views: the desired count of a service or an Auto
//! Scaling group, the reason to stop a task.

use crate::app::core::command::Command;
use crate::app::core::msg::InputKey;
use crate::app::core::nav::flash;
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::Tone;
use crate::app::guard::ecs_ops;
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// What the prompt's answer is for, with what the user saw when it opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    /// A new desired count for an ECS service.
    ServiceDesired {
        cluster: ClusterName,
        service: ServiceName,
        desired: i32,
        running: i32,
        pending: i32,
    },
    /// A new desired capacity for an Auto Scaling group.
    AsgDesired {
        group: String,
        min: i32,
        desired: i32,
        max: i32,
    },
    /// The reason recorded when stopping an ECS task.
    StopReason { cluster: ClusterName, task: TaskArn },
}

/// An open prompt: the status line shows `label` and what was typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub purpose: PromptPurpose,
    pub input: String,
    /// What is wrong with the input as typed, shown in the prompt at once.
    pub problem: Option<String>,
}

impl Prompt {
    /// A prompt with `input` typed in already (the default stop reason).
    pub fn new(purpose: PromptPurpose, input: impl Into<String>) -> Prompt {
        Prompt {
            purpose,
            input: input.into(),
            problem: None,
        }
    }

    /// The label when the full one leaves no room for a problem: what is scaled or stopped.
    pub fn short_label(&self) -> String {
        match &self.purpose {
            PromptPurpose::ServiceDesired { service, .. } => format!("scale {service}: "),
            PromptPurpose::AsgDesired { group, .. } => format!("scale {group}: "),
            PromptPurpose::StopReason { .. } => "reason: ".to_string(),
        }
    }

    /// The text before the input, with the current state and the accepted forms.
    pub fn label(&self) -> String {
        match &self.purpose {
            PromptPurpose::ServiceDesired {
                service,
                desired,
                running,
                pending,
                ..
            } => format!(
                "scale {service} (desired {desired}, running {running}, pending {pending}) to 7/+2/-1: "
            ),
            PromptPurpose::AsgDesired {
                group,
                min,
                desired,
                max,
            } => format!("scale {group} (desired {desired}, min {min}, max {max}) to 7/+2/-1: "),
            PromptPurpose::StopReason { task, .. } => {
                format!("stop task {} because: ", task.short_id())
            }
        }
    }
}

/// Keys typed into an ops prompt (the desired-count prompt); `None` when no such prompt is open.
pub fn on_prompt_input(state: &mut AppState, key: InputKey) -> Option<Vec<Command>> {
    let Mode::Prompt(prompt) = &mut state.mode else {
        return None;
    };
    state.dirty = true;
    let edited = matches!(
        key,
        InputKey::Char(_) | InputKey::Backspace | InputKey::Clear
    );
    match key {
        InputKey::Char(c) => prompt.input.push(c),
        InputKey::Backspace => {
            prompt.input.pop();
        }
        InputKey::Clear => prompt.input.clear(),
        InputKey::Up | InputKey::Down | InputKey::Complete => {}
        InputKey::Cancel => {
            state.mode = Mode::Normal;
            flash(state, "cancelled: nothing was sent", Tone::Muted);
        }
        InputKey::Submit => {
            let Mode::Prompt(prompt) = std::mem::take(&mut state.mode) else {
                return Some(Vec::new());
            };
            if let Err(message) = ecs_ops::submit(state, &prompt) {
                // Keep the prompt open so the input can be fixed.
                let mut prompt = prompt;
                prompt.problem = Some(inline(&message));
                state.mode = Mode::Prompt(prompt);
                flash(state, &message, Tone::Error);
            }
        }
    }
    if edited {
        // Checked as typed: the rule shows in the prompt before enter is pressed. An empty
        // input is only wrong once submitted.
        let problem = match &state.mode {
            Mode::Prompt(p) if !p.input.trim().is_empty() => {
                ecs_ops::problem(state, p).map(|m| inline(&m))
            }
            _ => None,
        };
        if let Mode::Prompt(p) = &mut state.mode {
            p.problem = problem;
        }
    }
    Some(Vec::new())
}

/// A refusal as the prompt shows it: nothing can have been sent while typing.
fn inline(message: &str) -> String {
    message
        .strip_suffix(": nothing was sent")
        .unwrap_or(message)
        .replace(": nothing was sent (", " (")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_show_the_current_counts() {
        let p = Prompt::new(
            PromptPurpose::ServiceDesired {
                cluster: "c".into(),
                service: "web".into(),
                desired: 3,
                running: 2,
                pending: 1,
            },
            "",
        );
        assert!(
            p.label()
                .contains("scale web (desired 3, running 2, pending 1) to 7/+2/-1")
        );
    }
}
