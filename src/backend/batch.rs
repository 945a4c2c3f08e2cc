//! Describe calls in batches, a bounded number in flight: never one call per item.

use futures::{StreamExt, TryStreamExt, stream};

use crate::backend::error::BackendError;

/// Describe `ids` in owned batches of at most `size`, `concurrency` batches in flight at a
/// time; rows keep the batches' order. The first failed batch is the answer.
pub(crate) async fn batched<T, F, Fut>(
    ids: &[String],
    size: usize,
    concurrency: usize,
    describe: F,
) -> Result<Vec<T>, BackendError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, BackendError>>,
{
    let pages: Vec<Vec<T>> = stream::iter(ids.chunks(size).map(<[String]>::to_vec))
        .map(describe)
        .buffered(concurrency)
        .try_collect()
        .await?;
    Ok(pages.into_iter().flatten().collect())
}
