//! Docker images as the `:images` view lists them: one row per tag, like `docker images`.

/// One tag of an image (an untagged image is one row with `<none>`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRow {
    /// `sha256:…`, as the engine reports it.
    pub id: String,
    /// `shop/web`, or `<none>`.
    pub repository: String,
    /// `1.4`, or `<none>`.
    pub tag: String,
    /// Bytes on disk.
    pub size: u64,
    /// Epoch seconds.
    pub created: Option<i64>,
    /// Containers (running or not) made from this image.
    pub containers: usize,
    /// No tag points at it any more.
    pub dangling: bool,
}

impl ImageRow {
    /// The id as `docker images` shows it: 12 hex digits, without `sha256:`.
    pub fn short_id(&self) -> &str {
        let hex = self.id.strip_prefix("sha256:").unwrap_or(&self.id);
        hex.get(..12).unwrap_or(hex)
    }
}

/// The rows for one image: its tags split into repository and tag (`<none>` when untagged).
pub fn rows_for_image(
    id: &str,
    tags: &[String],
    size: u64,
    created: Option<i64>,
    containers: usize,
) -> Vec<ImageRow> {
    let tags: Vec<&String> = tags.iter().filter(|t| *t != "<none>:<none>").collect();
    let row = |repository: &str, tag: &str| ImageRow {
        id: id.to_string(),
        repository: repository.to_string(),
        tag: tag.to_string(),
        size,
        created,
        containers,
        dangling: tags.is_empty(),
    };
    if tags.is_empty() {
        return vec![row("<none>", "<none>")];
    }
    tags.iter()
        .map(|t| {
            // The tag follows the last colon after the last slash (`host:5000/web:1.4`).
            let slash = t.rfind('/').map_or(0, |i| i + 1);
            match t[slash..].rfind(':') {
                Some(i) => row(&t[..slash + i], &t[slash + i + 1..]),
                None => row(t, "<none>"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_at_the_last_colon_of_the_name() {
        let rows = rows_for_image(
            "sha256:0123456789abcdef",
            &["localhost:5000/shop/web:1.4".into(), "web:latest".into()],
            10,
            None,
            2,
        );
        let names: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.repository.as_str(), r.tag.as_str()))
            .collect();
        assert_eq!(
            names,
            [("localhost:5000/shop/web", "1.4"), ("web", "latest")]
        );
        assert!(rows.iter().all(|r| !r.dangling && r.containers == 2));
        assert_eq!(rows[0].short_id(), "0123456789ab");
    }

    #[test]
    fn an_untagged_image_is_one_dangling_row() {
        for tags in [vec![], vec!["<none>:<none>".to_string()]] {
            let rows = rows_for_image("sha256:ab", &tags, 1, None, 0);
            assert_eq!(rows.len(), 1);
            assert!(rows[0].dangling);
            assert_eq!(rows[0].repository, "<none>");
            assert_eq!(rows[0].short_id(), "ab");
        }
    }
}
