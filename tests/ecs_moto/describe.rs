//! The describe view's documents against moto: a service, a task, its container and a task
//! definition, with environment values masked and secrets shown as given.

use aws_sdk_ecs::types::{ContainerDefinition, KeyValuePair, PortMapping, Secret};
use opsdeck::backend::describe::AwsDescribe;
use opsdeck::domain::describe::{DescribeTarget, MASK, plain_text, yaml_lines};

use super::fleet::{Fleet, service_names};
use super::{TestResult, common, moto};

#[tokio::test]
async fn a_service_document_has_its_deployments_network_and_task_definition() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let names = service_names("api", 1);
    fleet.create_services(&names).await?;
    let describe = AwsDescribe::from_clients(&fleet.clients);
    let target = DescribeTarget::Service {
        cluster: fleet.cluster.clone(),
        service: names[0].as_str().into(),
    };
    let doc = describe.describe(&target).await?;
    assert_eq!(doc["serviceName"], names[0].as_str());
    assert_eq!(doc["taskDefinition"], fleet.task_definition.as_str());
    assert_eq!(doc["desiredCount"], 1);
    assert_eq!(doc["status"], "ACTIVE");
    let subnets = &doc["networkConfiguration"]["awsvpcConfiguration"]["subnets"];
    assert!(subnets.as_array().is_some_and(|s| !s.is_empty()), "{doc:#}");
    let deployments = doc["deployments"].as_array().ok_or("no deployments")?;
    assert_eq!(
        deployments[0]["taskDefinition"],
        fleet.task_definition.as_str()
    );
    let yaml = plain_text(&yaml_lines(&doc));
    assert!(
        yaml.contains(&format!("taskDefinition: {}\n", fleet.task_definition)),
        "{yaml}"
    );

    let missing = DescribeTarget::Service {
        cluster: fleet.cluster.clone(),
        service: "no-such-service".into(),
    };
    let err = describe.describe(&missing).await.unwrap_err();
    assert!(err.user_message().contains("no-such-service"), "{err}");
    Ok(())
}

#[tokio::test]
async fn a_task_and_its_container_are_described() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let arns = fleet.run_tasks("web000", 1).await?;
    let describe = AwsDescribe::from_clients(&fleet.clients);
    let task = DescribeTarget::Task {
        cluster: fleet.cluster.clone(),
        task: arns[0].as_str().into(),
    };
    let doc = describe.describe(&task).await?;
    assert_eq!(doc["taskArn"], arns[0].as_str());
    assert_eq!(doc["taskDefinitionArn"], fleet.task_definition.as_str());
    assert_eq!(doc["group"], "service:web000");
    assert_eq!(doc["containers"][0]["name"], "app");
    let container = DescribeTarget::Container {
        cluster: fleet.cluster.clone(),
        task: arns[0].as_str().into(),
        container: "app".into(),
    };
    let doc = describe.describe(&container).await?;
    assert_eq!(doc["name"], "app");
    assert_eq!(doc["image"], "public.ecr.aws/nginx/nginx:1.27");
    Ok(())
}

#[tokio::test]
async fn task_definitions_mask_environment_values_and_keep_secret_names() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let logs = moto::awslogs(&format!("/ecs/{}-secret", fleet.cluster), "app")?;
    let app = ContainerDefinition::builder()
        .name("app")
        .image("public.ecr.aws/nginx/nginx:1.27")
        .memory_reservation(128)
        .port_mappings(PortMapping::builder().container_port(8080).build())
        .environment(
            KeyValuePair::builder()
                .name("DB_PASSWORD")
                .value("hunter2-not-shown")
                .build(),
        )
        .secrets(
            Secret::builder()
                .name("API_KEY")
                .value_from("arn:aws:ssm:eu-west-1:123456789012:parameter/api-key")
                .build()?,
        )
        .log_configuration(logs)
        .build();
    let family = format!("{}-secret", fleet.cluster);
    let arn = moto::register_fargate(&fleet.clients, &family, vec![app]).await?;
    let describe = AwsDescribe::from_clients(&fleet.clients);
    let doc = describe
        .describe(&DescribeTarget::TaskDefinition { arn: arn.clone() })
        .await?;
    assert_eq!(doc["family"], family.as_str());
    assert_eq!(doc["taskDefinitionArn"], arn.as_str());
    assert_eq!(doc["networkMode"], "awsvpc");
    assert_eq!(doc["cpu"], "256");
    let app = &doc["containerDefinitions"][0];
    assert_eq!(app["environment"][0]["name"], "DB_PASSWORD");
    assert_eq!(app["environment"][0]["value"], MASK);
    assert_eq!(app["secrets"][0]["name"], "API_KEY");
    assert_eq!(
        app["secrets"][0]["valueFrom"],
        "arn:aws:ssm:eu-west-1:123456789012:parameter/api-key"
    );
    assert_eq!(app["portMappings"][0]["containerPort"], 8080);
    assert_eq!(app["logConfiguration"]["logDriver"], "awslogs");
    let yaml = plain_text(&yaml_lines(&doc));
    assert!(!yaml.contains("hunter2"), "{yaml}");
    // `cpu` is a string in ECS: quoted, so it reads back as one.
    assert!(yaml.contains("cpu: \"256\"\n"), "{yaml}");
    Ok(())
}
