//! Owns waiting for Meilisearch's asynchronous tasks. Every write (settings, documents,
//! index creation, swap, deletion) returns a task; the adapter polls it until it is finished,
//! with a wall-clock limit far above the SDK's 5 s default (which gives up while the task may
//! still succeed), then checks that its status is `succeeded` and otherwise reports the task's
//! own error code and message.

use super::MeiliOptions;
use super::http::Client;
use crate::error::{Error, Result};
use meilisearch_sdk::errors::MeilisearchError;
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use std::time::Duration;
use tokio::time::Instant;

/// Longest pause between two polls.
const MAX_POLL: Duration = Duration::from_secs(1);

/// Waits until `info`'s task is finished (succeeded or failed) or the timeout passes.
pub(crate) async fn finished(
    client: &Client,
    info: &TaskInfo,
    opts: &MeiliOptions,
) -> Result<Task> {
    let deadline = Instant::now() + opts.task_timeout;
    let mut pause = opts.poll_interval;
    loop {
        let task = client.get_task(info).await?;
        if matches!(task, Task::Succeeded { .. } | Task::Failed { .. }) {
            return Ok(task);
        }
        if Instant::now() + pause > deadline {
            return Err(Error::TaskTimeout {
                task: info.task_uid,
                seconds: opts.task_timeout.as_secs(),
            });
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_POLL);
    }
}

/// The error of a failed task.
pub(crate) fn failure(uid: u32, error: &MeilisearchError) -> Error {
    Error::TaskFailed {
        task: uid,
        code: error.error_code.to_string(),
        message: error.error_message.clone(),
    }
}

/// Waits for `info`'s task and fails unless it succeeded.
pub(crate) async fn succeeded(client: &Client, info: TaskInfo, opts: &MeiliOptions) -> Result<()> {
    match finished(client, &info, opts).await? {
        Task::Succeeded { .. } => Ok(()),
        Task::Failed { content } => Err(failure(info.task_uid, &content.error)),
        // `finished` only returns finished tasks.
        Task::Enqueued { .. } | Task::Processing { .. } => {
            Err(Error::TaskTimeout { task: info.task_uid, seconds: opts.task_timeout.as_secs() })
        }
    }
}
