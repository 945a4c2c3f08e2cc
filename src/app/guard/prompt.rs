//! A one-line text prompt of the operations views: the desired count of a service or an Auto
//! Scaling group, the reason to stop a task.

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
}

impl Prompt {
    /// A prompt with `input` typed in already (the default stop reason).
    pub fn new(purpose: PromptPurpose, input: impl Into<String>) -> Prompt {
        Prompt {
            purpose,
            input: input.into(),
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
