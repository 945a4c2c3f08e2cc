//! Operations against a real moto server (`OPSDECK_MOTO_URL`), run by the same executor the
//! console uses (`runtime::ops::run_aws_op`): each change is read back through the API, and
//! the audit journal is checked to hold the intent before the request is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod fleet;
#[path = "../common/moto.rs"]
mod moto;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use opsdeck::app::guard::op::Op;
use opsdeck::app::journal::entry::Outcome;
use opsdeck::backend::asg::AwsAsg;
use opsdeck::backend::ecs::ops::AwsOps;
use opsdeck::domain::asg::ClusterLink;
use opsdeck::runtime::guard::{OpsRunner, run_aws_op};
use opsdeck::runtime::journal::Journal;

use fleet::{Fleet, TestResult};

fn runner(dir: &Path) -> OpsRunner {
    OpsRunner::new(dir.join("state/opsdeck/journal.jsonl"), "tester")
}

fn journal_of(runner: &OpsRunner) -> Vec<opsdeck::app::journal::entry::JournalEntry> {
    let load = runner.journal.read().unwrap();
    assert_eq!(load.bad_lines, 0);
    load.entries
}

fn scale(fleet: &Fleet, from: i32, to: i32) -> Op {
    Op::SetDesired {
        cluster: fleet.cluster.clone(),
        service: fleet.service.as_str().into(),
        from,
        to,
    }
}

#[tokio::test]
async fn scaling_sets_desired_and_journals_intent_and_result() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());

    let summary = run_aws_op(&runner, &fleet.clients, &scale(&fleet, 2, 4)).await?;
    assert_eq!(summary, "desired is now 4");
    assert_eq!(fleet.describe().await?.desired_count(), 4);

    let entries = journal_of(&runner);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.op, scale(&fleet, 2, 4));
    // moto's caller identity.
    assert_eq!(entry.who, "arn:aws:sts::123456789012:user/moto");
    assert_eq!(entry.account.as_deref(), Some("123456789012"));
    assert_eq!(entry.region, "eu-west-1");
    assert!(entry.before.contains("desired 2"), "{}", entry.before);
    match &entry.outcome {
        Outcome::Done {
            summary,
            request_id,
        } => {
            assert_eq!(summary, "desired is now 4");
            assert!(!request_id.is_empty(), "moto sends a request id");
        }
        other => panic!("{other:?}"),
    }
    // The file is private to the user.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(runner.journal.path())?
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    Ok(())
}

#[tokio::test]
async fn stale_counts_and_vanished_resources_send_nothing() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());

    // The user saw 3, the service has 2: refused, unchanged.
    let err = run_aws_op(&runner, &fleet.clients, &scale(&fleet, 3, 6))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!(
            "{}/web has desired 2 now, not 3 as shown: nothing was sent (refresh and retry)",
            fleet.cluster
        )
    );
    assert_eq!(fleet.describe().await?.desired_count(), 2);

    // A service that is gone.
    let gone = Op::SetDesired {
        cluster: fleet.cluster.clone(),
        service: "nope".into(),
        from: 1,
        to: 2,
    };
    let err = run_aws_op(&runner, &fleet.clients, &gone)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!(
            "service nope in cluster {} no longer exists: nothing was sent",
            fleet.cluster
        )
    );
    // A task that is gone.
    let task = Op::StopTask {
        cluster: fleet.cluster.clone(),
        task: format!(
            "arn:aws:ecs:eu-west-1:123456789012:task/{}/0000000000000000",
            fleet.cluster
        )
        .into(),
        reason: "x".into(),
    };
    let err = run_aws_op(&runner, &fleet.clients, &task)
        .await
        .unwrap_err();
    assert!(
        err.starts_with("task 00000000 in cluster")
            && err.ends_with("no longer exists: nothing was sent"),
        "{err}"
    );
    // Nothing was journaled: nothing was attempted.
    assert!(journal_of(&runner).is_empty());
    Ok(())
}

#[tokio::test]
async fn redeploy_starts_a_new_deployment() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());
    let before = fleet.describe().await?;
    let old = before.deployments()[0].id().unwrap().to_string();

    let op = Op::Redeploy {
        cluster: fleet.cluster.clone(),
        service: fleet.service.as_str().into(),
    };
    let summary = run_aws_op(&runner, &fleet.clients, &op).await?;
    let after = fleet.describe().await?;
    let primary = after
        .deployments()
        .iter()
        .find(|d| d.status() == Some("PRIMARY"))
        .unwrap();
    let new = primary.id().unwrap();
    assert_ne!(new, old, "a new deployment was started");
    assert_eq!(summary, format!("{new} started"));
    Ok(())
}

#[tokio::test]
async fn rollback_goes_back_one_revision_after_showing_both_images() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());

    let plan = AwsOps::from_clients(&fleet.clients)
        .rollback_plan(&fleet.cluster, &fleet.service)
        .await?;
    assert_eq!(plan.current.family_revision, format!("{}:2", fleet.family));
    assert_eq!(plan.previous.family_revision, format!("{}:1", fleet.family));
    assert_eq!(plan.current.images_text(), "app=acme/web:2.0");
    assert_eq!(plan.previous.images_text(), "app=acme/web:1.0");

    let op = Op::Rollback {
        cluster: fleet.cluster.clone(),
        service: fleet.service.as_str().into(),
        from: plan.current.family_revision.clone(),
        to: plan.previous.family_revision.clone(),
    };
    let summary = run_aws_op(&runner, &fleet.clients, &op).await?;
    assert_eq!(
        summary,
        format!("task definition is now {}:1", fleet.family)
    );
    // AWS answers with the ARN, moto with what was sent: compare the family and revision.
    let td = fleet
        .describe()
        .await?
        .task_definition()
        .unwrap()
        .to_string();
    assert_eq!(
        opsdeck::domain::ecs::family_revision(&td),
        format!("{}:1", fleet.family)
    );

    // Now on revision 1 there is nothing earlier.
    let err = AwsOps::from_clients(&fleet.clients)
        .rollback_plan(&fleet.cluster, &fleet.service)
        .await
        .unwrap_err();
    assert_eq!(
        err.user_message(),
        format!(
            "not found: an ACTIVE revision of {} before 1 (nothing to roll back to)",
            fleet.family
        )
    );
    // A second rollback from the revision the user saw (2) is refused: it runs 1 now.
    let err = run_aws_op(&runner, &fleet.clients, &op).await.unwrap_err();
    assert!(
        err.contains("runs") && err.contains("nothing was sent"),
        "{err}"
    );
    Ok(())
}

#[tokio::test]
async fn stopping_a_task_records_the_reason() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());
    let task = fleet.run_tasks(1).await?.remove(0);
    let op = Op::StopTask {
        cluster: fleet.cluster.clone(),
        task: task.clone().into(),
        reason: "stopped from opsdeck by moto".into(),
    };
    let summary = run_aws_op(&runner, &fleet.clients, &op).await?;
    assert!(summary.ends_with("is stopped"), "{summary}");
    let out = fleet
        .clients
        .ecs
        .describe_tasks()
        .cluster(fleet.cluster.as_str())
        .tasks(&task)
        .send()
        .await?;
    let described = &out.tasks()[0];
    assert_eq!(described.last_status(), Some("STOPPED"));
    assert_eq!(
        described.stopped_reason(),
        Some("stopped from opsdeck by moto")
    );
    // Stopping it again is refused before anything is sent.
    let err = run_aws_op(&runner, &fleet.clients, &op).await.unwrap_err();
    assert!(
        err.ends_with("has already stopped: nothing was sent"),
        "{err}"
    );
    assert_eq!(journal_of(&runner).len(), 1);

    // The detail view lists it with its reason.
    let detail = AwsOps::from_clients(&fleet.clients)
        .service_detail(&fleet.cluster, &fleet.service)
        .await?;
    assert_eq!(detail.service.desired, 2);
    assert_eq!(detail.deployments.len(), 1);
    assert!(detail.deployments[0].is_primary());
    let stopped = detail
        .stopped
        .iter()
        .find(|t| t.arn == task)
        .expect("the stopped task is listed");
    assert_eq!(stopped.reason, "stopped from opsdeck by moto");
    Ok(())
}

#[tokio::test]
async fn group_capacity_changes_within_its_size_only() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());
    let group = format!("{}-asg", fleet.cluster);
    fleet.create_group(&group, (1, 1, 3), &[]).await?;

    let op = Op::SetAsgCapacity {
        group: group.clone(),
        from: 1,
        to: 2,
    };
    let summary = run_aws_op(&runner, &fleet.clients, &op).await?;
    assert_eq!(summary, "desired capacity is now 2");
    assert_eq!(fleet.group_desired(&group).await?, 2);

    // moto would accept 5 for a group of max 3; opsdeck does not send it.
    let over = Op::SetAsgCapacity {
        group: group.clone(),
        from: 2,
        to: 5,
    };
    let err = run_aws_op(&runner, &fleet.clients, &over)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!("5 is outside group {group}'s size 1..3: nothing was sent")
    );
    assert_eq!(fleet.group_desired(&group).await?, 2);

    let gone = Op::SetAsgCapacity {
        group: format!("{group}-nope"),
        from: 1,
        to: 2,
    };
    let err = run_aws_op(&runner, &fleet.clients, &gone)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        format!("Auto Scaling group {group}-nope no longer exists: nothing was sent")
    );
    assert_eq!(journal_of(&runner).len(), 1);
    Ok(())
}

#[tokio::test]
async fn groups_are_listed_with_the_cluster_they_feed() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let by_provider = format!("{}-cp-asg", fleet.cluster);
    let by_tag = format!("{}-tag-asg", fleet.cluster);
    let alone = format!("{}-lone-asg", fleet.cluster);
    let arn = fleet.create_group(&by_provider, (1, 2, 4), &[]).await?;
    fleet.attach_capacity_provider(&arn).await?;
    fleet
        .create_group(
            &by_tag,
            (0, 1, 2),
            &[("ecs-cluster", fleet.cluster.as_str())],
        )
        .await?;
    fleet.create_group(&alone, (0, 1, 1), &[]).await?;

    let rows = AwsAsg::from_clients(&fleet.clients).groups().await?;
    let row = |name: &str| rows.iter().find(|r| r.name == name).unwrap().clone();
    let p = row(&by_provider);
    assert_eq!((p.min, p.desired, p.max), (1, 2, 4));
    assert_eq!(p.instances, 2);
    assert_eq!(p.in_service + p.pending, 2);
    assert_eq!(p.cluster.as_deref(), Some(fleet.cluster.as_str()));
    assert_eq!(p.link, Some(ClusterLink::CapacityProvider));
    let t = row(&by_tag);
    assert_eq!(t.cluster.as_deref(), Some(fleet.cluster.as_str()));
    assert_eq!(t.link, Some(ClusterLink::Tag));
    let a = row(&alone);
    assert_eq!(a.cluster, None);
    assert_eq!(a.link, None);
    Ok(())
}

/// Records, at the moment each UpdateService request goes on the wire, how many intents
/// without a result the journal file holds.
#[derive(Debug, Clone)]
struct JournalAtSend {
    path: PathBuf,
    seen: Arc<Mutex<Vec<usize>>>,
}

impl Intercept for JournalAtSend {
    fn name(&self) -> &'static str {
        "JournalAtSend"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg.load::<Metadata>().map(Metadata::name) == Some("UpdateService") {
            let load = Journal::new(&self.path).read()?;
            let open = load
                .entries
                .iter()
                .filter(|e| e.outcome == Outcome::Unknown)
                .count();
            self.seen.lock().unwrap().push(open);
        }
        Ok(())
    }
}

#[tokio::test]
async fn the_intent_is_on_disk_before_the_request_is_sent() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let mut fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    let runner = runner(dir.path());
    let spy = JournalAtSend {
        path: runner.journal.path().to_path_buf(),
        seen: Arc::default(),
    };
    let config = fleet
        .clients
        .ecs
        .config()
        .to_builder()
        .interceptor(spy.clone())
        .build();
    fleet.clients.ecs = aws_sdk_ecs::Client::from_conf(config);

    run_aws_op(&runner, &fleet.clients, &scale(&fleet, 2, 3)).await?;
    run_aws_op(&runner, &fleet.clients, &scale(&fleet, 3, 5)).await?;
    // Each request saw exactly its own intent, already flushed, and no result yet.
    assert_eq!(*spy.seen.lock().unwrap(), vec![1, 1]);
    let entries = journal_of(&runner);
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|e| matches!(e.outcome, Outcome::Done { .. }))
    );
    // Newest first.
    assert_eq!(entries[0].op, scale(&fleet, 3, 5));
    Ok(())
}

#[tokio::test]
async fn a_journal_that_cannot_be_written_stops_the_change() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let dir = tempfile::tempdir()?;
    // The journal's directory is a file: nothing can be created under it.
    let blocker = dir.path().join("state");
    std::fs::write(&blocker, "not a directory")?;
    let runner = OpsRunner::new(blocker.join("journal.jsonl"), "tester");
    let err = run_aws_op(&runner, &fleet.clients, &scale(&fleet, 2, 4))
        .await
        .unwrap_err();
    assert!(
        err.starts_with("cannot write the audit journal ") && err.ends_with(" — nothing was sent"),
        "{err}"
    );
    assert_eq!(fleet.describe().await?.desired_count(), 2);
    Ok(())
}
