//! EC2 instances and Auto Scaling groups mapped by hand into describe documents.

use aws_sdk_autoscaling::types::AutoScalingGroup;
use aws_sdk_ec2::types::Instance;
use serde_json::Value;

use crate::backend::describe::doc::{Obj, tags};

pub(crate) fn instance(i: &Instance) -> Value {
    let placement = i.placement().map(|p| {
        Obj::new()
            .str("availabilityZone", p.availability_zone())
            .str("tenancy", p.tenancy().map(|t| t.as_str()))
            .done()
    });
    Obj::new()
        .str("instanceId", i.instance_id())
        .str("instanceType", i.instance_type().map(|t| t.as_str()))
        .val(
            "state",
            Obj::new()
                .str("name", i.state().and_then(|s| s.name()).map(|n| n.as_str()))
                .done(),
        )
        .str("stateTransitionReason", i.state_transition_reason())
        .str("imageId", i.image_id())
        .str("architecture", i.architecture().map(|a| a.as_str()))
        .str("platformDetails", i.platform_details())
        .str("keyName", i.key_name())
        .time("launchTime", i.launch_time())
        .val("placement", placement.unwrap_or_default())
        .str("vpcId", i.vpc_id())
        .str("subnetId", i.subnet_id())
        .str("privateIpAddress", i.private_ip_address())
        .str("privateDnsName", i.private_dns_name())
        .str("publicIpAddress", i.public_ip_address())
        .str("publicDnsName", i.public_dns_name())
        .list("securityGroups", i.security_groups(), |g| {
            Obj::new()
                .str("groupId", g.group_id())
                .str("groupName", g.group_name())
                .done()
        })
        .str(
            "iamInstanceProfile",
            i.iam_instance_profile().and_then(|p| p.arn()),
        )
        .val("tags", tags(i.tags().iter().map(|t| (t.key(), t.value()))))
        .done()
}

pub(crate) fn asg(g: &AutoScalingGroup) -> Value {
    let template = g.launch_template().map(|t| {
        Obj::new()
            .str("launchTemplateId", t.launch_template_id())
            .str("launchTemplateName", t.launch_template_name())
            .str("version", t.version())
            .done()
    });
    Obj::new()
        .str("autoScalingGroupName", g.auto_scaling_group_name())
        .str("autoScalingGroupARN", g.auto_scaling_group_arn())
        .str("status", g.status())
        .opt("minSize", g.min_size())
        .opt("maxSize", g.max_size())
        .opt("desiredCapacity", g.desired_capacity())
        .opt("defaultCooldown", g.default_cooldown())
        .str("launchConfigurationName", g.launch_configuration_name())
        .val("launchTemplate", template.unwrap_or_default())
        .strs("availabilityZones", g.availability_zones())
        .str("vpcZoneIdentifier", g.vpc_zone_identifier())
        .str("healthCheckType", g.health_check_type())
        .opt("healthCheckGracePeriod", g.health_check_grace_period())
        .strs("targetGroupARNs", g.target_group_arns())
        .strs("loadBalancerNames", g.load_balancer_names())
        .list("instances", g.instances(), |i| {
            Obj::new()
                .str("instanceId", i.instance_id())
                .str("instanceType", i.instance_type())
                .str("availabilityZone", i.availability_zone())
                .str("lifecycleState", i.lifecycle_state().map(|s| s.as_str()))
                .str("healthStatus", i.health_status())
                .opt("protectedFromScaleIn", i.protected_from_scale_in())
                .done()
        })
        .opt("capacityRebalance", g.capacity_rebalance())
        .time("createdTime", g.created_time())
        .val("tags", tags(g.tags().iter().map(|t| (t.key(), t.value()))))
        .done()
}
