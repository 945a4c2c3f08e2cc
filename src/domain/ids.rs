//! Id newtypes, so that an ARN and a name cannot be swapped by accident.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        /// Serialized as the plain string, so journal records read the same as before.
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
    };
}

id_type!(
    /// A cluster name (what `ecs:ListServices` accepts as `cluster`).
    ClusterName
);
id_type!(
    /// A service name, unique inside one cluster.
    ServiceName
);
id_type!(
    /// A full task ARN.
    TaskArn
);

impl TaskArn {
    /// The task id: the last path segment of the ARN.
    pub fn id(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// The first 8 characters of the id, as shown in tables.
    pub fn short_id(&self) -> &str {
        let id = self.id();
        match id.char_indices().nth(8) {
            Some((i, _)) => &id[..i],
            None => id,
        }
    }
}

/// The name at the end of an ARN (`arn:...:cluster/NAME` → `NAME`).
pub fn name_from_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_are_cut_from_arns() {
        let arn = TaskArn::from("arn:aws:ecs:eu-west-1:1:task/prod/0123456789abcdef");
        assert_eq!(arn.id(), "0123456789abcdef");
        assert_eq!(arn.short_id(), "01234567");
        assert_eq!(TaskArn::from("abc").short_id(), "abc");
        assert_eq!(name_from_arn("arn:aws:ecs:r:1:cluster/web"), "web");
    }
}
