//! The engine's images, with how many containers use each (`docker images` does not say).

use std::collections::HashMap;

use bollard::query_parameters::{ListContainersOptionsBuilder, ListImagesOptionsBuilder};

use super::DockerEngine;
use crate::backend::docker::error::DockerError;
use crate::domain::images::{ImageRow, rows_for_image};

impl DockerEngine {
    /// Every top-level image, one row per tag, newest first.
    pub async fn images(&self) -> Result<Vec<ImageRow>, DockerError> {
        let client = self.client().await?;
        let images = self
            .quick(
                "",
                client.list_images(Some(ListImagesOptionsBuilder::new().all(false).build())),
            )
            .await?;
        let containers = self
            .quick(
                "",
                client.list_containers(Some(ListContainersOptionsBuilder::new().all(true).build())),
            )
            .await?;
        let mut used: HashMap<String, usize> = HashMap::new();
        for container in containers {
            if let Some(image) = container.image_id {
                *used.entry(image).or_default() += 1;
            }
        }
        let mut images = images;
        images.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        Ok(images
            .into_iter()
            .flat_map(|image| {
                rows_for_image(
                    &image.id,
                    &image.repo_tags,
                    u64::try_from(image.size).unwrap_or(0),
                    Some(image.created),
                    used.get(&image.id).copied().unwrap_or(0),
                )
            })
            .collect())
    }
}
