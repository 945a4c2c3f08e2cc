//! What a CloudWatch tail reads: log groups and streams, and the label of each stream.
//!
//! A log group (`:logs GROUP [PREFIX]`) is fixed. An ECS task's streams are resolved once from
//! its task definition. An ECS service's streams change as tasks are replaced: the service's
//! tasks are listed again every refresh, new tasks' streams join the tail, and stopped tasks
//! are reported with their reason and dropped after a grace period (their last lines still
//! arrive).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use crate::app::logs::LogSource;
use crate::backend::BackendError;
use crate::backend::logs::streams::{StreamResolver, TaskLogs, TaskStream};
use crate::backend::logs::{
    AwsLogs, GroupQuery, LiveSpec, MAX_LIVE_GROUPS, MAX_STREAM_NAMES, StreamSelection,
};
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// How long a stopped task's streams are still read (its last lines arrive late).
const STOPPED_GRACE: Duration = Duration::from_secs(30);
/// Longest label for a stream of a plain log group.
const MAX_STREAM_LABEL: usize = 24;

/// Why the streams could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// Nothing to follow, ever (another log driver, unknown task): end the tail.
    Fatal(String),
    /// Worth trying again (network, throttling, a task not started yet).
    Retry(String),
}

impl From<BackendError> for ResolveError {
    fn from(e: BackendError) -> Self {
        match e {
            BackendError::NotFound { .. } => ResolveError::Fatal(e.user_message()),
            other => ResolveError::Retry(other.user_message()),
        }
    }
}

/// What a refresh found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Streams that joined (read their recent past once).
    pub added: Vec<TaskStream>,
    /// Messages for the user (stopped tasks, containers that cannot be followed).
    pub messages: Vec<String>,
    /// The set of streams changed (a live session must be restarted).
    pub changed: bool,
}

/// A task the tail follows.
#[derive(Debug, Clone)]
struct Tracked {
    streams: Vec<TaskStream>,
    /// When the task was seen stopped (or gone); its streams go after [`STOPPED_GRACE`].
    stopped: Option<Instant>,
}

/// The streams of one tail and their labels.
pub struct Scope {
    source: LogSource,
    pattern: Option<String>,
    resolver: Option<StreamResolver>,
    tracked: BTreeMap<String, Tracked>,
    /// Colour index per task id (services) or container (tasks), in order of appearance.
    colours: HashMap<String, u8>,
    /// Labels of the streams of a plain log group, made on first sight.
    group_labels: HashMap<String, (String, u8)>,
    /// Messages already shown (a problem is said once).
    said: HashSet<String>,
    /// ARN of each log group, for live tail.
    arns: HashMap<String, String>,
    /// A service without running tasks was reported.
    said_idle: bool,
    /// The first resolution succeeded.
    resolved: bool,
}

impl Scope {
    pub fn new(source: LogSource, resolver: Option<StreamResolver>) -> Self {
        let pattern = match &source {
            LogSource::Group { pattern, .. } => pattern.clone().filter(|p| !p.trim().is_empty()),
            _ => None,
        };
        Self {
            source,
            pattern,
            resolver,
            tracked: BTreeMap::new(),
            colours: HashMap::new(),
            group_labels: HashMap::new(),
            said: HashSet::new(),
            arns: HashMap::new(),
            said_idle: false,
            resolved: false,
        }
    }

    /// Whether the streams change over time (an ECS service).
    pub fn refreshes(&self) -> bool {
        matches!(self.source, LogSource::EcsService { .. })
    }

    /// Find the streams (again). The first call decides whether there is anything to follow.
    pub async fn resolve(&mut self) -> Result<Changes, ResolveError> {
        let first = !self.resolved;
        let source = self.source.clone();
        let changes = match &source {
            LogSource::Group { .. } | LogSource::Docker { .. } => Ok(Changes::default()),
            LogSource::EcsTask {
                cluster,
                task,
                container,
            } => {
                let Some(resolver) = self.resolver.as_mut() else {
                    return Err(ResolveError::Retry("AWS is not connected".into()));
                };
                let logs = resolver
                    .task(
                        &ClusterName::from(cluster.as_str()),
                        &TaskArn::from(task.as_str()),
                        container.as_deref(),
                    )
                    .await?;
                if logs.streams.is_empty() {
                    return Err(nothing_to_follow(&logs.problems, "this task"));
                }
                let mut changes = Changes::default();
                if first {
                    changes.messages = self.unsaid(logs.problems.clone());
                    changes.changed = true;
                    self.track(&logs);
                }
                Ok(changes)
            }
            LogSource::EcsService { cluster, service } => {
                let Some(resolver) = self.resolver.as_mut() else {
                    return Err(ResolveError::Retry("AWS is not connected".into()));
                };
                let tasks = resolver
                    .service(
                        &ClusterName::from(cluster.as_str()),
                        &ServiceName::from(service.as_str()),
                    )
                    .await?;
                self.apply_service(service.as_str(), tasks, first)
            }
        };
        if changes.is_ok() {
            self.resolved = true;
        }
        changes
    }

    fn apply_service(
        &mut self,
        service: &str,
        tasks: Vec<TaskLogs>,
        first: bool,
    ) -> Result<Changes, ResolveError> {
        let now = Instant::now();
        self.resolved = true;
        let mut changes = Changes::default();
        let running: Vec<&TaskLogs> = tasks.iter().filter(|t| !t.stopped()).collect();
        if first && !running.is_empty() && running.iter().all(|t| t.streams.is_empty()) {
            let problems: Vec<String> = running.iter().flat_map(|t| t.problems.clone()).collect();
            return Err(nothing_to_follow(&problems, &format!("service {service}")));
        }
        let mut problems = Vec::new();
        for task in &running {
            problems.extend(task.problems.iter().cloned());
            if !self.tracked.contains_key(&task.task_id) && !task.streams.is_empty() {
                if !first {
                    changes.added.extend(task.streams.iter().cloned());
                }
                changes.changed = true;
                self.track(task);
            }
        }
        // Tasks that stopped, or that ECS no longer lists.
        let running_ids: HashSet<&str> = running.iter().map(|t| t.task_id.as_str()).collect();
        for (id, tracked) in self.tracked.iter_mut() {
            if tracked.stopped.is_none() && !running_ids.contains(id.as_str()) {
                tracked.stopped = Some(now);
                let reason = tasks
                    .iter()
                    .find(|t| &t.task_id == id)
                    .map(|t| t.stopped_reason.clone())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| "no longer listed by ECS".to_string());
                changes
                    .messages
                    .push(format!("task {} stopped: {reason}", short(id)));
            }
        }
        let before = self.tracked.len();
        self.tracked.retain(|_, t| {
            t.stopped
                .is_none_or(|at| now.duration_since(at) < STOPPED_GRACE)
        });
        if self.tracked.len() != before {
            changes.changed = true;
        }
        if running.is_empty() {
            if !self.said_idle {
                self.said_idle = true;
                changes.messages.push(format!(
                    "service {service} has no running tasks: waiting for tasks to start"
                ));
            }
        } else {
            self.said_idle = false;
        }
        changes.messages.extend(self.unsaid(problems));
        Ok(changes)
    }

    fn track(&mut self, task: &TaskLogs) {
        let next = (self.colours.len() % 256) as u8;
        match &self.source {
            LogSource::EcsService { .. } => {
                self.colours.entry(task.task_id.clone()).or_insert(next);
            }
            _ => {
                for s in &task.streams {
                    let next = (self.colours.len() % 256) as u8;
                    self.colours.entry(s.container.clone()).or_insert(next);
                }
            }
        }
        self.tracked.insert(
            task.task_id.clone(),
            Tracked {
                streams: task.streams.clone(),
                stopped: None,
            },
        );
    }

    fn unsaid(&mut self, messages: Vec<String>) -> Vec<String> {
        messages
            .into_iter()
            .filter(|m| self.said.insert(m.clone()))
            .collect()
    }

    /// The streams followed now.
    fn streams(&self) -> impl Iterator<Item = &TaskStream> {
        self.tracked.values().flat_map(|t| t.streams.iter())
    }

    /// The `FilterLogEvents` queries that cover the scope: one per log group (per 100 streams).
    pub fn queries(&self) -> Vec<GroupQuery> {
        match &self.source {
            LogSource::Group { group, prefix, .. } => vec![GroupQuery {
                group: group.clone(),
                streams: match prefix.as_deref().filter(|p| !p.is_empty()) {
                    Some(p) => StreamSelection::Prefix(p.to_string()),
                    None => StreamSelection::All,
                },
                pattern: self.pattern.clone(),
            }],
            _ => {
                let mut by_group: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                for s in self.streams() {
                    let names = by_group.entry(s.group.as_str()).or_default();
                    if !names.contains(&s.stream) {
                        names.push(s.stream.clone());
                    }
                }
                queries_for(by_group, &self.pattern)
            }
        }
    }

    /// Queries for just `streams` (new tasks' recent past).
    pub fn queries_for(&self, streams: &[TaskStream]) -> Vec<GroupQuery> {
        let mut by_group: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for s in streams {
            by_group
                .entry(s.group.as_str())
                .or_default()
                .push(s.stream.clone());
        }
        queries_for(by_group, &self.pattern)
    }

    /// A live tail session for the scope, or why there cannot be one.
    pub async fn live_spec(&mut self, logs: &AwsLogs) -> Result<LiveSpec, String> {
        let queries = self.queries();
        let mut groups: Vec<String> = queries.iter().map(|q| q.group.clone()).collect();
        groups.dedup();
        if groups.is_empty() {
            return Err("nothing to follow yet".into());
        }
        if groups.len() > MAX_LIVE_GROUPS {
            return Err(format!(
                "live tail follows at most {MAX_LIVE_GROUPS} log groups, this tail has {}",
                groups.len()
            ));
        }
        let streams = if groups.len() == 1 && queries.len() == 1 {
            queries[0].streams.clone()
        } else {
            // Several groups (or more than 100 streams): every stream, filtered here.
            let names: Vec<String> = self.streams().map(|s| s.stream.clone()).collect();
            StreamSelection::Names(names)
        };
        let mut pairs = Vec::with_capacity(groups.len());
        for group in groups {
            let arn = match self.arns.get(&group) {
                Some(arn) => arn.clone(),
                None => {
                    let arn = logs.group_arn(&group).await.map_err(|e| e.user_message())?;
                    self.arns.insert(group.clone(), arn.clone());
                    arn
                }
            };
            pairs.push((arn, group));
        }
        Ok(LiveSpec {
            groups: pairs,
            streams,
            pattern: self.pattern.clone(),
        })
    }

    /// The label and colour of a stream's lines (empty for a single container's tail).
    pub fn label(&mut self, stream: &str) -> (String, u8) {
        match &self.source {
            LogSource::EcsService { .. } => match self.streams().find(|s| s.stream == stream) {
                Some(s) => (
                    format!("{}/{}", short(&s.task_id), s.container),
                    self.colours.get(&s.task_id).copied().unwrap_or(0),
                ),
                None => (stream_label(stream), 0),
            },
            LogSource::EcsTask { container, .. } => {
                if container.is_some() || self.streams().count() <= 1 {
                    return (String::new(), 0);
                }
                match self.streams().find(|s| s.stream == stream) {
                    Some(s) => (
                        s.container.clone(),
                        self.colours.get(&s.container).copied().unwrap_or(0),
                    ),
                    None => (stream_label(stream), 0),
                }
            }
            LogSource::Group { .. } | LogSource::Docker { .. } => {
                if let Some(found) = self.group_labels.get(stream) {
                    return found.clone();
                }
                let made = (stream_label(stream), (self.group_labels.len() % 256) as u8);
                self.group_labels.insert(stream.to_string(), made.clone());
                made
            }
        }
    }
}

fn queries_for(by_group: BTreeMap<&str, Vec<String>>, pattern: &Option<String>) -> Vec<GroupQuery> {
    let mut out = Vec::new();
    for (group, names) in by_group {
        for chunk in names.chunks(MAX_STREAM_NAMES) {
            out.push(GroupQuery {
                group: group.to_string(),
                streams: StreamSelection::Names(chunk.to_vec()),
                pattern: pattern.clone(),
            });
        }
    }
    out
}

fn nothing_to_follow(problems: &[String], what: &str) -> ResolveError {
    match problems {
        [] => ResolveError::Retry(format!("{what} has no CloudWatch log streams yet: waiting")),
        [one] => ResolveError::Fatal(one.clone()),
        [first, rest @ ..] => ResolveError::Fatal(format!("{first} (and {} more)", rest.len())),
    }
}

/// The first 8 characters of a task id.
pub fn short(task_id: &str) -> &str {
    match task_id.char_indices().nth(8) {
        Some((i, _)) => &task_id[..i],
        None => task_id,
    }
}

/// A short label for any stream: `PREFIX/CONTAINER/TASK-ID` → `TASKID8/CONTAINER`, else the
/// end of the name.
pub fn stream_label(stream: &str) -> String {
    let parts: Vec<&str> = stream.split('/').collect();
    if let [_, .., container, id] = parts.as_slice()
        && id.len() >= 16
        && id.chars().all(|c| c.is_ascii_hexdigit())
    {
        return format!("{}/{container}", short(id));
    }
    let count = stream.chars().count();
    if count <= MAX_STREAM_LABEL {
        stream.to_string()
    } else {
        let tail: String = stream
            .chars()
            .skip(count - (MAX_STREAM_LABEL - 1))
            .collect();
        format!("…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, status: &str, streams: &[&str]) -> TaskLogs {
        TaskLogs {
            task_id: id.into(),
            last_status: status.into(),
            stopped_reason: if status == "STOPPED" {
                "Essential container in task exited".into()
            } else {
                String::new()
            },
            streams: streams
                .iter()
                .map(|c| TaskStream {
                    group: "/ecs/web".into(),
                    stream: format!("app/{c}/{id}"),
                    task_id: id.into(),
                    container: (*c).into(),
                })
                .collect(),
            problems: Vec::new(),
        }
    }

    fn service_scope() -> Scope {
        Scope::new(
            LogSource::EcsService {
                cluster: "c".into(),
                service: "web".into(),
            },
            None,
        )
    }

    #[test]
    fn a_service_tail_follows_replaced_tasks() {
        let mut scope = service_scope();
        let a = "aaaaaaaa11112222";
        let b = "bbbbbbbb33334444";
        let first = scope
            .apply_service("web", vec![task(a, "RUNNING", &["app"])], true)
            .unwrap_or_default();
        assert!(first.added.is_empty(), "history covers the first tasks");
        assert_eq!(scope.queries().len(), 1);
        // A deployment: a stops, b starts.
        let next = scope
            .apply_service(
                "web",
                vec![task(a, "STOPPED", &["app"]), task(b, "RUNNING", &["app"])],
                false,
            )
            .unwrap_or_default();
        assert_eq!(next.added.len(), 1);
        assert_eq!(next.added[0].stream, format!("app/app/{b}"));
        assert_eq!(
            next.messages,
            vec!["task aaaaaaaa stopped: Essential container in task exited"]
        );
        assert!(next.changed);
        // The stopped task's stream is still read during the grace period.
        let names = match &scope.queries()[0].streams {
            StreamSelection::Names(n) => n.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(names.len(), 2);
        assert_eq!(
            scope.label(&format!("app/app/{b}")),
            ("bbbbbbbb/app".to_string(), 1)
        );
        assert_eq!(scope.label(&format!("app/app/{a}")).1, 0);
        // Said once.
        let again = scope
            .apply_service(
                "web",
                vec![task(a, "STOPPED", &["app"]), task(b, "RUNNING", &["app"])],
                false,
            )
            .unwrap_or_default();
        assert!(again.messages.is_empty() && again.added.is_empty());
    }

    #[test]
    fn a_service_without_awslogs_is_explained() {
        let mut scope = service_scope();
        let mut t = task("cccccccc55556666", "RUNNING", &[]);
        t.problems = vec!["container app uses the splunk log driver: opsdeck follows only awslogs (CloudWatch Logs)".into()];
        match scope.apply_service("web", vec![t], true) {
            Err(ResolveError::Fatal(m)) => assert!(m.contains("splunk"), "{m}"),
            other => panic!("{other:?}"),
        }
        let mut idle = service_scope();
        let changes = idle
            .apply_service("web", Vec::new(), true)
            .unwrap_or_default();
        assert_eq!(
            changes.messages,
            vec!["service web has no running tasks: waiting for tasks to start"]
        );
    }

    #[test]
    fn stream_labels_are_short() {
        assert_eq!(
            stream_label("ecs/web/0123456789abcdef0123456789abcdef"),
            "01234567/web"
        );
        assert_eq!(stream_label("i-0abc"), "i-0abc");
        let long = "a-very-long-stream-name-from-somewhere-else";
        let label = stream_label(long);
        assert_eq!(label.chars().count(), MAX_STREAM_LABEL);
        assert!(label.ends_with("somewhere-else"));
    }

    #[test]
    fn more_than_100_streams_make_several_queries() {
        let mut scope = service_scope();
        let tasks: Vec<TaskLogs> = (0..150)
            .map(|i| task(&format!("{i:016x}"), "RUNNING", &["app"]))
            .collect();
        scope.apply_service("web", tasks, true).unwrap_or_default();
        let queries = scope.queries();
        assert_eq!(queries.len(), 2);
        assert!(queries.iter().all(|q| q.group == "/ecs/web"));
    }
}
