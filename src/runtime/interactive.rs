//! Interactive sessions that take the terminal: Docker exec and SSH.

use crate::app::core::command::Session;

/// Run a session to its end. The caller has already left the alternate screen.
pub async fn run(session: Session, backends: &crate::runtime::Backends) -> Result<(), String> {
    match session {
        Session::DockerExec { id, .. } => {
            crate::runtime::docker::exec_session(&backends.docker, &id).await
        }
        Session::Host(host) => backends.ssh.run_session(host).await,
        Session::Suspend => super::signals::stop_self(),
    }
}
