//! `docker inspect` as the describe view's document, against the real engine.

use opsdeck::backend::docker::{DockerEngine, DockerTarget};
use opsdeck::domain::describe::{MASK, plain_text, yaml_lines};

use super::{Containers, TICKING, docker, unique};

#[tokio::test]
async fn inspect_is_the_whole_document_with_env_values_masked() {
    let Some(client) = docker().await else {
        return;
    };
    let mut containers = Containers::new(&client);
    let name = unique("describe");
    let id = containers.run(&name, &[], TICKING, true).await;
    let host = std::env::var("DOCKER_HOST").ok();
    let target = DockerTarget::resolve(None, host.as_deref(), false).unwrap();
    let engine = DockerEngine::new(target);
    let doc = engine.inspect(&id).await.unwrap();
    assert_eq!(doc["Id"], id.as_str());
    assert_eq!(doc["Name"], format!("/{name}").as_str());
    assert_eq!(doc["State"]["Running"], true);
    let env = doc["Config"]["Env"].as_array().unwrap();
    assert!(
        env.iter().any(|e| e == &format!("API_TOKEN={MASK}")),
        "{env:?}"
    );
    let yaml = plain_text(&yaml_lines(&doc));
    assert!(!yaml.contains("s3cret-value"), "{yaml}");
    assert!(yaml.contains(&format!("Id: {id}\n")) || yaml.contains(&format!("Id: \"{id}\"\n")));

    let gone = engine
        .inspect("no-such-container-opsdeck")
        .await
        .unwrap_err();
    assert!(
        gone.user_message().contains("no-such-container-opsdeck"),
        "{gone}"
    );
}
