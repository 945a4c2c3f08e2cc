//! One test's corner of moto for the operations tests: a cluster with a Fargate service on
//! revision 2 of its task definition (revision 1 is the one to roll back to), running tasks,
//! and Auto Scaling groups.

use std::error::Error;

use aws_sdk_autoscaling::types::{LaunchTemplateSpecification, Tag};
use aws_sdk_ec2::types::{Filter, InstanceType, RequestLaunchTemplateData};
use aws_sdk_ecs::types::{AutoScalingGroupProvider, NetworkConfiguration};
use opsdeck::backend::{AwsClients, connect};
use opsdeck::domain::ids::ClusterName;

use super::{common, moto};

pub type TestResult = Result<(), Box<dyn Error>>;

use super::moto::moto_target;

pub struct Fleet {
    pub clients: AwsClients,
    pub cluster: ClusterName,
    pub service: String,
    pub family: String,
    pub network: NetworkConfiguration,
    pub subnet: String,
}

impl Fleet {
    /// A cluster `opx-<token>` with service `web` (desired 2, revision 2, two tasks).
    pub async fn new(url: &str) -> Result<Fleet, Box<dyn Error>> {
        let clients = connect(&moto_target(url)).await?;
        let cluster = ClusterName(format!("opx-{}", common::unique_token(12)));
        moto::create_cluster(&clients, cluster.as_str()).await?;
        let family = format!("{cluster}-web");
        for version in ["1.0", "2.0"] {
            let app = moto::container("app", format!("acme/web:{version}"), 128, None);
            moto::register_fargate(&clients, &family, vec![app]).await?;
        }
        let (network, subnet) = moto::default_vpc_network(&clients).await?;
        let fleet = Fleet {
            clients,
            cluster,
            service: "web".to_string(),
            family,
            network,
            subnet,
        };
        moto::create_fargate_service(
            &fleet.clients,
            fleet.cluster.as_str(),
            &fleet.service,
            &format!("{}:2", fleet.family),
            2,
            &fleet.network,
        )
        .await?;
        // moto sets running = desired only on UpdateService.
        fleet
            .clients
            .ecs
            .update_service()
            .cluster(fleet.cluster.as_str())
            .service(&fleet.service)
            .desired_count(2)
            .send()
            .await?;
        fleet.run_tasks(2).await?;
        Ok(fleet)
    }

    /// Start `count` tasks of the service, as ECS would; returns their ARNs.
    pub async fn run_tasks(&self, count: i32) -> Result<Vec<String>, Box<dyn Error>> {
        let out = moto::run_fargate_tasks(
            &self.clients,
            self.cluster.as_str(),
            &format!("{}:2", self.family),
            count,
            &self.service,
            Some("ecs-svc/1"),
            &self.network,
        )
        .await?;
        Ok(moto::task_arns(&out))
    }

    /// The service as ECS describes it now.
    pub async fn describe(&self) -> Result<aws_sdk_ecs::types::Service, Box<dyn Error>> {
        let out = self
            .clients
            .ecs
            .describe_services()
            .cluster(self.cluster.as_str())
            .services(&self.service)
            .send()
            .await?;
        Ok(out.services().first().cloned().ok_or("service missing")?)
    }

    /// An Auto Scaling group of `min..=max` with `desired` instances, tagged `tags`.
    pub async fn create_group(
        &self,
        name: &str,
        (min, desired, max): (i32, i32, i32),
        tags: &[(&str, &str)],
    ) -> Result<String, Box<dyn Error>> {
        let template = format!("{name}-lt");
        self.clients
            .ec2
            .create_launch_template()
            .launch_template_name(&template)
            .launch_template_data(
                RequestLaunchTemplateData::builder()
                    .image_id(ecs_ami(&self.clients).await?)
                    .instance_type(InstanceType::T3Micro)
                    .build(),
            )
            .send()
            .await?;
        let mut create = self
            .clients
            .autoscaling
            .create_auto_scaling_group()
            .auto_scaling_group_name(name)
            .launch_template(
                LaunchTemplateSpecification::builder()
                    .launch_template_name(&template)
                    .version("$Latest")
                    .build(),
            )
            .min_size(min)
            .max_size(max)
            .desired_capacity(desired)
            .vpc_zone_identifier(&self.subnet);
        for (k, v) in tags {
            create = create.tags(
                Tag::builder()
                    .key(*k)
                    .value(*v)
                    .resource_id(name)
                    .resource_type("auto-scaling-group")
                    .propagate_at_launch(true)
                    .build(),
            );
        }
        create.send().await?;
        let out = self
            .clients
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(name)
            .send()
            .await?;
        Ok(out
            .auto_scaling_groups()
            .first()
            .and_then(|g| g.auto_scaling_group_arn())
            .ok_or("no group ARN")?
            .to_string())
    }

    /// Make `group_arn` a capacity provider of the cluster.
    pub async fn attach_capacity_provider(&self, group_arn: &str) -> TestResult {
        let name = format!("{}-cp", self.cluster);
        self.clients
            .ecs
            .create_capacity_provider()
            .name(&name)
            .auto_scaling_group_provider(
                AutoScalingGroupProvider::builder()
                    .auto_scaling_group_arn(group_arn)
                    .build()?,
            )
            .send()
            .await?;
        self.clients
            .ecs
            .put_cluster_capacity_providers()
            .cluster(self.cluster.as_str())
            .capacity_providers(&name)
            .set_default_capacity_provider_strategy(Some(Vec::new()))
            .send()
            .await?;
        Ok(())
    }

    pub async fn group_desired(&self, name: &str) -> Result<i32, Box<dyn Error>> {
        let out = self
            .clients
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(name)
            .send()
            .await?;
        Ok(out
            .auto_scaling_groups()
            .first()
            .and_then(|g| g.desired_capacity())
            .ok_or("group missing")?)
    }
}

async fn ecs_ami(clients: &AwsClients) -> Result<String, Box<dyn Error>> {
    let images = clients
        .ec2
        .describe_images()
        .owners("amazon")
        .filters(
            Filter::builder()
                .name("name")
                .values("amzn2-ami-ecs-hvm-*x86_64-ebs")
                .build(),
        )
        .send()
        .await?;
    let mut names: Vec<(String, String)> = images
        .images()
        .iter()
        .filter_map(|i| Some((i.name()?.to_string(), i.image_id()?.to_string())))
        .collect();
    names.sort();
    Ok(names
        .pop()
        .map(|(_, id)| id)
        .unwrap_or_else(|| "ami-12c6146b".to_string()))
}
