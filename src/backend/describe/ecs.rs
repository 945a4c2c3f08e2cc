//! ECS SDK types mapped by hand into describe documents (the SDK types are not `Serialize`).
//! Keys are the ones `aws ecs describe-*` prints, so a document reads like the CLI's.

use aws_sdk_ecs::types::{
    Attachment, CapacityProviderStrategyItem, Cluster, Container, ContainerDefinition, Deployment,
    DeploymentConfiguration, KeyValuePair, LoadBalancer, LogConfiguration, NetworkConfiguration,
    PortMapping, Secret, Service, ServiceEvent, Task, TaskDefinition,
};
use serde_json::Value;

use crate::backend::describe::doc::{Obj, string_map, tags};

/// Service events shown: the newest few, as the console shows them elsewhere.
pub const SERVICE_EVENTS: usize = 5;

pub(crate) fn cluster(c: &Cluster) -> Value {
    Obj::new()
        .str("clusterName", c.cluster_name())
        .str("clusterArn", c.cluster_arn())
        .str("status", c.status())
        .num("activeServicesCount", c.active_services_count())
        .num("runningTasksCount", c.running_tasks_count())
        .num("pendingTasksCount", c.pending_tasks_count())
        .num(
            "registeredContainerInstancesCount",
            c.registered_container_instances_count(),
        )
        .strs("capacityProviders", c.capacity_providers())
        .list(
            "defaultCapacityProviderStrategy",
            c.default_capacity_provider_strategy(),
            strategy_item,
        )
        .list("settings", c.settings(), |s| {
            Obj::new()
                .str("name", s.name().map(|n| n.as_str()))
                .str("value", s.value())
                .done()
        })
        .list("statistics", c.statistics(), pair)
        .val("tags", tags(c.tags().iter().map(|t| (t.key(), t.value()))))
        .done()
}

pub(crate) fn service(s: &Service) -> Value {
    let events: Vec<ServiceEvent> = s.events().iter().take(SERVICE_EVENTS).cloned().collect();
    Obj::new()
        .str("serviceName", s.service_name())
        .str("serviceArn", s.service_arn())
        .str("clusterArn", s.cluster_arn())
        .str("status", s.status())
        .num("desiredCount", s.desired_count())
        .num("runningCount", s.running_count())
        .num("pendingCount", s.pending_count())
        .str("launchType", s.launch_type().map(|l| l.as_str()))
        .str("platformVersion", s.platform_version())
        .str("taskDefinition", s.task_definition())
        .str(
            "schedulingStrategy",
            s.scheduling_strategy().map(|x| x.as_str()),
        )
        .list("deployments", s.deployments(), deployment)
        .list("loadBalancers", s.load_balancers(), load_balancer)
        .val(
            "networkConfiguration",
            s.network_configuration()
                .map(network_configuration)
                .unwrap_or_default(),
        )
        .list(
            "capacityProviderStrategy",
            s.capacity_provider_strategy(),
            strategy_item,
        )
        .val(
            "deploymentConfiguration",
            s.deployment_configuration()
                .map(deployment_configuration)
                .unwrap_or_default(),
        )
        .val(
            "deploymentController",
            Obj::new()
                .str(
                    "type",
                    s.deployment_controller()
                        .map(|d| d.r#type())
                        .map(|t| t.as_str()),
                )
                .done(),
        )
        .opt(
            "healthCheckGracePeriodSeconds",
            s.health_check_grace_period_seconds(),
        )
        .num("enableExecuteCommand", s.enable_execute_command())
        .str("roleArn", s.role_arn())
        .time("createdAt", s.created_at())
        .str("createdBy", s.created_by())
        .list("events", &events, |e| {
            Obj::new()
                .time("createdAt", e.created_at())
                .str("message", e.message())
                .done()
        })
        .val("tags", tags(s.tags().iter().map(|t| (t.key(), t.value()))))
        .done()
}

fn deployment(d: &Deployment) -> Value {
    Obj::new()
        .str("id", d.id())
        .str("status", d.status())
        .str("taskDefinition", d.task_definition())
        .num("desiredCount", d.desired_count())
        .num("runningCount", d.running_count())
        .num("pendingCount", d.pending_count())
        .num("failedTasks", d.failed_tasks())
        .str("rolloutState", d.rollout_state().map(|r| r.as_str()))
        .str("rolloutStateReason", d.rollout_state_reason())
        .str("launchType", d.launch_type().map(|l| l.as_str()))
        .list(
            "capacityProviderStrategy",
            d.capacity_provider_strategy(),
            strategy_item,
        )
        .time("createdAt", d.created_at())
        .time("updatedAt", d.updated_at())
        .done()
}

fn load_balancer(lb: &LoadBalancer) -> Value {
    Obj::new()
        .str("targetGroupArn", lb.target_group_arn())
        .str("loadBalancerName", lb.load_balancer_name())
        .str("containerName", lb.container_name())
        .opt("containerPort", lb.container_port())
        .done()
}

fn network_configuration(n: &NetworkConfiguration) -> Value {
    let Some(vpc) = n.awsvpc_configuration() else {
        return Value::Null;
    };
    let awsvpc = Obj::new()
        .strs("subnets", vpc.subnets())
        .strs("securityGroups", vpc.security_groups())
        .str("assignPublicIp", vpc.assign_public_ip().map(|a| a.as_str()))
        .done();
    Obj::new().val("awsvpcConfiguration", awsvpc).done()
}

fn strategy_item(item: &CapacityProviderStrategyItem) -> Value {
    Obj::new()
        .str("capacityProvider", Some(item.capacity_provider()))
        .num("weight", item.weight())
        .num("base", item.base())
        .done()
}

fn deployment_configuration(c: &DeploymentConfiguration) -> Value {
    let breaker = c.deployment_circuit_breaker().map(|b| {
        Obj::new()
            .num("enable", b.enable())
            .num("rollback", b.rollback())
            .done()
    });
    let alarms = c.alarms().map(|a| {
        Obj::new()
            .strs("alarmNames", a.alarm_names())
            .num("enable", a.enable())
            .num("rollback", a.rollback())
            .done()
    });
    Obj::new()
        .val("deploymentCircuitBreaker", breaker.unwrap_or_default())
        .opt("maximumPercent", c.maximum_percent())
        .opt("minimumHealthyPercent", c.minimum_healthy_percent())
        .val("alarms", alarms.unwrap_or_default())
        .str("strategy", c.strategy().map(|s| s.as_str()))
        .opt("bakeTimeInMinutes", c.bake_time_in_minutes())
        .done()
}

pub(crate) fn task(t: &Task) -> Value {
    let overrides = t.overrides().map(|o| {
        Obj::new()
            .str("cpu", o.cpu())
            .str("memory", o.memory())
            .str("taskRoleArn", o.task_role_arn())
            .str("executionRoleArn", o.execution_role_arn())
            .list("containerOverrides", o.container_overrides(), |c| {
                Obj::new()
                    .str("name", c.name())
                    .strs("command", c.command())
                    .list("environment", c.environment(), pair)
                    .opt("cpu", c.cpu())
                    .opt("memory", c.memory())
                    .done()
            })
            .done()
    });
    Obj::new()
        .str("taskArn", t.task_arn())
        .str("clusterArn", t.cluster_arn())
        .str("taskDefinitionArn", t.task_definition_arn())
        .str("group", t.group())
        .str("startedBy", t.started_by())
        .str("lastStatus", t.last_status())
        .str("desiredStatus", t.desired_status())
        .str("healthStatus", t.health_status().map(|h| h.as_str()))
        .str("launchType", t.launch_type().map(|l| l.as_str()))
        .str("capacityProviderName", t.capacity_provider_name())
        .str("platformVersion", t.platform_version())
        .str("availabilityZone", t.availability_zone())
        .str("containerInstanceArn", t.container_instance_arn())
        .str("cpu", t.cpu())
        .str("memory", t.memory())
        .list("containers", t.containers(), container)
        .list("attachments", t.attachments(), attachment)
        .val("overrides", overrides.unwrap_or_default())
        .num("enableExecuteCommand", t.enable_execute_command())
        .time("createdAt", t.created_at())
        .time("startedAt", t.started_at())
        .time("stoppingAt", t.stopping_at())
        .time("stoppedAt", t.stopped_at())
        .str("stopCode", t.stop_code().map(|s| s.as_str()))
        .str("stoppedReason", t.stopped_reason())
        .val("tags", tags(t.tags().iter().map(|x| (x.key(), x.value()))))
        .done()
}

pub(crate) fn container(c: &Container) -> Value {
    Obj::new()
        .str("name", c.name())
        .str("containerArn", c.container_arn())
        .str("image", c.image())
        .str("imageDigest", c.image_digest())
        .str("runtimeId", c.runtime_id())
        .str("lastStatus", c.last_status())
        .opt("exitCode", c.exit_code())
        .str("reason", c.reason())
        .str("healthStatus", c.health_status().map(|h| h.as_str()))
        .str("cpu", c.cpu())
        .str("memory", c.memory())
        .str("memoryReservation", c.memory_reservation())
        .list("networkBindings", c.network_bindings(), |b| {
            Obj::new()
                .str("bindIP", b.bind_ip())
                .opt("containerPort", b.container_port())
                .opt("hostPort", b.host_port())
                .str("protocol", b.protocol().map(|p| p.as_str()))
                .done()
        })
        .list("networkInterfaces", c.network_interfaces(), |n| {
            Obj::new()
                .str("attachmentId", n.attachment_id())
                .str("privateIpv4Address", n.private_ipv4_address())
                .str("ipv6Address", n.ipv6_address())
                .done()
        })
        .done()
}

/// An attachment (the task's ENI): its id, status and details (`networkInterfaceId`,
/// `privateIPv4Address`, ...).
fn attachment(a: &Attachment) -> Value {
    Obj::new()
        .str("id", a.id())
        .str("type", a.r#type())
        .str("status", a.status())
        .list("details", a.details(), pair)
        .done()
}

fn pair(p: &KeyValuePair) -> Value {
    Obj::new()
        .str("name", p.name())
        .str("value", p.value())
        .done()
}

pub(crate) fn task_definition(d: &TaskDefinition) -> Value {
    Obj::new()
        .str("family", d.family())
        .num("revision", d.revision())
        .str("taskDefinitionArn", d.task_definition_arn())
        .str("status", d.status().map(|s| s.as_str()))
        .str("taskRoleArn", d.task_role_arn())
        .str("executionRoleArn", d.execution_role_arn())
        .str("networkMode", d.network_mode().map(|n| n.as_str()))
        .str("cpu", d.cpu())
        .str("memory", d.memory())
        .list(
            "requiresCompatibilities",
            d.requires_compatibilities(),
            |c| Value::String(c.as_str().to_string()),
        )
        .list(
            "containerDefinitions",
            d.container_definitions(),
            container_definition,
        )
        .time("registeredAt", d.registered_at())
        .str("registeredBy", d.registered_by())
        .done()
}

/// A container definition. `environment` values are masked later
/// (`domain::describe::mask_secrets`); `secrets` keep their names and `valueFrom`.
fn container_definition(c: &ContainerDefinition) -> Value {
    Obj::new()
        .str("name", c.name())
        .str("image", c.image())
        .num("cpu", c.cpu())
        .opt("memory", c.memory())
        .opt("memoryReservation", c.memory_reservation())
        .opt("essential", c.essential())
        .strs("entryPoint", c.entry_point())
        .strs("command", c.command())
        .list("portMappings", c.port_mappings(), port_mapping)
        .list("environment", c.environment(), pair)
        .list("secrets", c.secrets(), secret)
        .val(
            "logConfiguration",
            c.log_configuration()
                .map(log_configuration)
                .unwrap_or_default(),
        )
        .str("user", c.user())
        .str("workingDirectory", c.working_directory())
        .val("dockerLabels", string_map(c.docker_labels()))
        .done()
}

fn port_mapping(p: &PortMapping) -> Value {
    Obj::new()
        .str("name", p.name())
        .opt("containerPort", p.container_port())
        .opt("hostPort", p.host_port())
        .str("protocol", p.protocol().map(|x| x.as_str()))
        .str("appProtocol", p.app_protocol().map(|x| x.as_str()))
        .done()
}

fn secret(s: &Secret) -> Value {
    Obj::new()
        .str("name", Some(s.name()))
        .str("valueFrom", Some(s.value_from()))
        .done()
}

fn log_configuration(l: &LogConfiguration) -> Value {
    Obj::new()
        .str("logDriver", Some(l.log_driver().as_str()))
        .val("options", string_map(l.options()))
        .list("secretOptions", l.secret_options(), secret)
        .done()
}
