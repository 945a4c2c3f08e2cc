//! Plain data of the `:asgs` view: Auto Scaling groups and how they feed ECS clusters.

/// How an Auto Scaling group was found to feed an ECS cluster (best effort, shown to the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterLink {
    /// An ECS capacity provider of the cluster names the group (`autoScalingGroupArn`).
    CapacityProvider,
    /// A tag on the group names the cluster (`ecs-cluster`, `ecs:cluster`, ...).
    Tag,
    /// The group's instances are registered as container instances of the cluster.
    ContainerInstances,
}

impl ClusterLink {
    /// A short label for the `VIA` column.
    pub fn label(self) -> &'static str {
        match self {
            ClusterLink::CapacityProvider => "capacity provider",
            ClusterLink::Tag => "tag",
            ClusterLink::ContainerInstances => "instances",
        }
    }
}

/// One Auto Scaling group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AsgRow {
    pub name: String,
    pub arn: String,
    pub min: i32,
    pub desired: i32,
    pub max: i32,
    /// Instances in the `InService` lifecycle state.
    pub in_service: i32,
    /// Instances in a `Pending*` lifecycle state.
    pub pending: i32,
    /// Every instance the group has, whatever its state.
    pub instances: i32,
    /// Instance ids of the group (to match ECS container instances).
    pub instance_ids: Vec<String>,
    /// The ECS cluster the group feeds, when known.
    pub cluster: Option<String>,
    /// How `cluster` was found.
    pub link: Option<ClusterLink>,
    /// The group carries the `AmazonECSManaged` tag (ECS managed scaling changes it too).
    pub ecs_managed: bool,
    /// Tags as key/value pairs.
    pub tags: Vec<(String, String)>,
    /// Empty unless the group is being deleted.
    pub status: String,
    /// Creation time, seconds since the Unix epoch.
    pub created_at: Option<i64>,
}
