//! Describe calls in batches, a bounded number in flight: never one call per item.

use futures::{StreamExt, TryStreamExt, stream};

use crate::backend::error::BackendError;

/// Describe `ids` in owned batches of at most `size`, `concurrency` batches in flight at a
/// time, whichever answers first making room for the next; rows keep the batches' order.
/// The first failed batch is the answer.
pub(crate) async fn batched<T, F, Fut>(
    ids: &[String],
    size: usize,
    concurrency: usize,
    mut describe: F,
) -> Result<Vec<T>, BackendError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<T>, BackendError>>,
{
    let batches = ids.chunks(size.max(1)).map(<[String]>::to_vec).enumerate();
    let mut pages: Vec<(usize, Vec<T>)> = stream::iter(batches)
        .map(|(index, batch)| {
            let page = describe(batch);
            async move { page.await.map(|rows| (index, rows)) }
        })
        .buffer_unordered(concurrency.max(1))
        .try_collect()
        .await?;
    pages.sort_unstable_by_key(|(index, _)| *index);
    Ok(pages.into_iter().flat_map(|(_, rows)| rows).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn rows_keep_the_batch_order_whatever_answers_first() {
        let ids: Vec<String> = (0..25).map(|i| i.to_string()).collect();
        let rows = batched(&ids, 10, 3, |batch| async move {
            // The first batch answers last.
            let delay = if batch[0] == "0" { 30 } else { 1 };
            tokio::time::sleep(Duration::from_millis(delay)).await;
            Ok(batch)
        })
        .await
        .unwrap();
        assert_eq!(rows, ids);
    }
}
