//! Local Docker containers as the containers view shows them.

/// One container of the local engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DockerContainerRow {
    pub id: String,
    pub name: String,
    pub image: String,
    /// `running`, `exited`, `paused`, ...
    pub state: String,
    /// The engine's status text (`Up 5 minutes (healthy)`).
    pub status: String,
    /// Docker Compose project (`com.docker.compose.project`), if any.
    pub project: String,
    /// Docker Compose service (`com.docker.compose.service`), if any.
    pub service: String,
}
