//! The states AWS and the Docker Engine report, as enums: parsed once at the backend edge so
//! that the app matches on variants instead of comparing strings, and shown with `Display` in
//! exactly the words the service used.

use std::fmt;

/// An enum of the values a service documents, plus `Unknown` for anything else. `Unknown("")`
/// (the default) stands for "not reported", so an absent value still shows as an empty cell.
macro_rules! status_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version does not know, kept as reported (empty: none reported).
            Unknown(String),
        }

        impl $name {
            /// The variant for a reported value; unknown values are kept as they are.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)*
                    other => Self::Unknown(other.to_string()),
                }
            }

            /// The value as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Unknown(text) => text,
                }
            }

            /// Whether nothing was reported.
            pub fn is_empty(&self) -> bool {
                self.as_str().is_empty()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::parse(text)
            }
        }

        impl From<Option<&str>> for $name {
            fn from(text: Option<&str>) -> Self {
                Self::parse(text.unwrap_or_default())
            }
        }
    };
}

status_enum!(
    /// An ECS task's (or container's) `lastStatus` / `desiredStatus`, in lifecycle order.
    TaskStatus {
        Provisioning => "PROVISIONING",
        Pending => "PENDING",
        Activating => "ACTIVATING",
        Running => "RUNNING",
        Deactivating => "DEACTIVATING",
        Stopping => "STOPPING",
        Deprovisioning => "DEPROVISIONING",
        Stopped => "STOPPED",
        Deleted => "DELETED",
    }
);

impl TaskStatus {
    /// Stopped, or on the way there (its logs will not grow any more).
    pub fn is_stopping_or_stopped(&self) -> bool {
        matches!(
            self,
            Self::Stopping | Self::Deprovisioning | Self::Stopped | Self::Deleted
        )
    }
}

status_enum!(
    /// An ECS service's status.
    ServiceStatus {
        Active => "ACTIVE",
        Draining => "DRAINING",
        Inactive => "INACTIVE",
    }
);

status_enum!(
    /// The rollout state of an ECS deployment.
    RolloutState {
        InProgress => "IN_PROGRESS",
        Completed => "COMPLETED",
        Failed => "FAILED",
    }
);

status_enum!(
    /// An ECS cluster's status.
    ClusterStatus {
        Active => "ACTIVE",
        Provisioning => "PROVISIONING",
        Deprovisioning => "DEPROVISIONING",
        Failed => "FAILED",
        Inactive => "INACTIVE",
    }
);

status_enum!(
    /// The health ECS reports for a task or one of its containers.
    HealthStatus {
        Healthy => "HEALTHY",
        Unhealthy => "UNHEALTHY",
        /// ECS says `UNKNOWN`: no verdict yet, or no health check.
        Undecided => "UNKNOWN",
    }
);

status_enum!(
    /// An EC2 instance's state.
    InstanceState {
        Pending => "pending",
        Running => "running",
        Stopping => "stopping",
        Stopped => "stopped",
        ShuttingDown => "shutting-down",
        Terminated => "terminated",
    }
);

impl InstanceState {
    /// Gone or going (`shutting-down`, `terminated`).
    pub fn is_gone(&self) -> bool {
        matches!(self, Self::ShuttingDown | Self::Terminated)
    }
}

status_enum!(
    /// A Docker container's state.
    ContainerState {
        Created => "created",
        Running => "running",
        Paused => "paused",
        Restarting => "restarting",
        Removing => "removing",
        Exited => "exited",
        Dead => "dead",
    }
);

status_enum!(
    /// The health of a Docker container with a health check.
    DockerHealth {
        Healthy => "healthy",
        Unhealthy => "unhealthy",
        Starting => "starting",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_parse_and_show_as_reported() {
        assert_eq!(TaskStatus::parse("RUNNING"), TaskStatus::Running);
        assert_eq!(TaskStatus::Deprovisioning.to_string(), "DEPROVISIONING");
        assert_eq!(
            InstanceState::parse("shutting-down"),
            InstanceState::ShuttingDown
        );
        assert_eq!(HealthStatus::parse("UNKNOWN"), HealthStatus::Undecided);
        assert_eq!(ContainerState::from("dead"), ContainerState::Dead);
        assert_eq!(RolloutState::from(Some("FAILED")), RolloutState::Failed);
    }

    #[test]
    fn other_values_are_kept_and_absent_ones_are_empty() {
        let odd = ServiceStatus::parse("SUSPENDED");
        assert_eq!(odd, ServiceStatus::Unknown("SUSPENDED".into()));
        assert_eq!(odd.to_string(), "SUSPENDED");
        // Case matters: a lower-case RUNNING is not the ECS value.
        assert_eq!(TaskStatus::parse("running").as_str(), "running");
        assert_ne!(TaskStatus::parse("running"), TaskStatus::Running);
        assert!(ClusterStatus::from(None).is_empty());
        assert_eq!(DockerHealth::default().to_string(), "");
        assert_eq!(format!("{:<8}|", InstanceState::Running), "running |");
    }

    #[test]
    fn stopping_and_gone() {
        assert!(TaskStatus::Stopping.is_stopping_or_stopped());
        assert!(TaskStatus::Deleted.is_stopping_or_stopped());
        assert!(!TaskStatus::Running.is_stopping_or_stopped());
        assert!(InstanceState::Terminated.is_gone());
        assert!(!InstanceState::Stopped.is_gone());
    }
}
