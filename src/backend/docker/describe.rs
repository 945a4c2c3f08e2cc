//! `docker inspect` for the describe view: bollard's model is `Serialize`, so the whole
//! inspect goes into the document as the engine gave it, `Config.Env` values masked.

use bollard::query_parameters::InspectContainerOptions;
use serde_json::Value;

use crate::backend::docker::{DockerEngine, DockerError};
use crate::domain::describe::mask_secrets;

impl DockerEngine {
    /// The container's inspect document, environment values masked.
    pub async fn inspect(&self, id: &str) -> Result<Value, DockerError> {
        let client = self.client().await?;
        let inspect = self
            .quick(
                id,
                client.inspect_container(id, None::<InspectContainerOptions>),
            )
            .await?;
        let mut doc = serde_json::to_value(inspect)
            .map_err(|e| DockerError::Api(format!("cannot read the inspect of {id}: {e}")))?;
        mask_secrets(&mut doc);
        Ok(doc)
    }
}
