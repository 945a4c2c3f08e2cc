//! What can go wrong talking to the Docker Engine, classified into one line that names the
//! cause and what to do. The full error goes to the log file, never to the screen.

use std::error::Error as StdError;
use std::io;

/// A Docker backend failure, with a one-line [`Display`](std::fmt::Display) for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DockerError {
    #[error("DOCKER_HOST `{0}` has no scheme: use unix:///path/to/docker.sock or tcp://host:2375")]
    NoScheme(String),
    #[error(
        "Docker host `{0}`: this scheme is not supported, use unix:///path/to/docker.sock or tcp://host:2375"
    )]
    UnsupportedScheme(String),
    #[error("no Docker engine at {0} (no socket there): start Docker or set DOCKER_HOST")]
    NoSocket(String),
    #[error(
        "permission denied on the Docker socket {0}: add your user to the `docker` group or set DOCKER_HOST"
    )]
    PermissionDenied(String),
    #[error("the Docker engine at {0} refused the connection: is the daemon running?")]
    Refused(String),
    #[error("the Docker engine at {0} did not answer in time: is it overloaded or unreachable?")]
    Timeout(String),
    #[error("lost the connection to the Docker engine at {0}: is the daemon still running?")]
    Lost(String),
    #[error("container {0} no longer exists")]
    NoSuchContainer(String),
    #[error("Docker refused: {0}")]
    Conflict(String),
    #[error("Docker engine error: {0}")]
    Api(String),
}

impl DockerError {
    /// The one line shown to the user.
    pub fn user_message(&self) -> String {
        self.to_string()
    }

    /// Whether the engine itself could not be reached (the connection should be rebuilt).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            DockerError::NoSocket(_)
                | DockerError::PermissionDenied(_)
                | DockerError::Refused(_)
                | DockerError::Timeout(_)
                | DockerError::Lost(_)
        )
    }

    /// Classify a bollard error from a call about `what` (a container name or id) on the
    /// engine at `engine`.
    pub fn from_bollard(engine: &str, what: &str, err: &bollard::errors::Error) -> DockerError {
        use bollard::errors::Error as B;
        tracing::debug!(engine, what, error = ?err, "Docker call failed");
        match err {
            B::SocketNotFoundError(_) => DockerError::NoSocket(engine.to_string()),
            B::RequestTimeoutError => DockerError::Timeout(engine.to_string()),
            B::UnsupportedURISchemeError { .. } => {
                DockerError::UnsupportedScheme(engine.to_string())
            }
            B::DockerResponseServerError {
                status_code,
                message,
            } => match status_code {
                404 if what.is_empty() => DockerError::Api(one_line(message)),
                404 => DockerError::NoSuchContainer(what.to_string()),
                304 => DockerError::Conflict(format!("{what} is already in that state")),
                409 => DockerError::Conflict(one_line(message)),
                _ => DockerError::Api(format!("{status_code} {}", one_line(message))),
            },
            B::IOError { err } => DockerError::from_io(engine, err.kind()),
            other => match io_kind(other) {
                Some(kind) => DockerError::from_io(engine, kind),
                // A closed or broken connection without an I/O error inside.
                None if matches!(
                    other,
                    B::HyperResponseError { .. } | B::HyperLegacyError { .. }
                ) =>
                {
                    DockerError::Lost(engine.to_string())
                }
                None => DockerError::Api(one_line(&other.to_string())),
            },
        }
    }
}

impl DockerError {
    /// An I/O failure talking to the engine.
    fn from_io(engine: &str, kind: io::ErrorKind) -> DockerError {
        let engine = engine.to_string();
        match kind {
            io::ErrorKind::NotFound => DockerError::NoSocket(engine),
            io::ErrorKind::PermissionDenied => DockerError::PermissionDenied(engine),
            io::ErrorKind::ConnectionRefused => DockerError::Refused(engine),
            io::ErrorKind::TimedOut => DockerError::Timeout(engine),
            _ => DockerError::Lost(engine),
        }
    }
}

/// The kind of the first `io::Error` in an error's source chain.
fn io_kind(err: &(dyn StdError + 'static)) -> Option<io::ErrorKind> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        current = e.source();
    }
    None
}

/// The first line of a message, trimmed.
fn one_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::errors::Error as B;

    const ENGINE: &str = "unix:///var/run/docker.sock";

    #[test]
    fn server_errors_name_the_container() {
        let e = B::DockerResponseServerError {
            status_code: 404,
            message: "No such container: web".into(),
        };
        assert_eq!(
            DockerError::from_bollard(ENGINE, "web", &e).to_string(),
            "container web no longer exists"
        );
        let e = B::DockerResponseServerError {
            status_code: 409,
            message: "You cannot remove a running container abc. Stop the container before attempting removal or force remove\nmore".into(),
        };
        let msg = DockerError::from_bollard(ENGINE, "web", &e).to_string();
        assert!(msg.starts_with("Docker refused: You cannot remove a running container"));
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn io_errors_are_classified_by_kind() {
        let e = B::IOError {
            err: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        let d = DockerError::from_bollard(ENGINE, "", &e);
        assert!(matches!(d, DockerError::PermissionDenied(_)));
        assert!(d.to_string().contains("docker` group"));
        assert!(d.is_unreachable());
        let e = B::IOError {
            err: io::Error::from(io::ErrorKind::ConnectionRefused),
        };
        assert!(matches!(
            DockerError::from_bollard(ENGINE, "", &e),
            DockerError::Refused(_)
        ));
        let e = B::SocketNotFoundError("/nope.sock".into());
        assert_eq!(
            DockerError::from_bollard("unix:///nope.sock", "", &e).to_string(),
            "no Docker engine at unix:///nope.sock (no socket there): start Docker or set DOCKER_HOST"
        );
    }
}
