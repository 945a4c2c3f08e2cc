//! `:images` against the real engine: a tag the test makes and a container made from it,
//! listed by the adapter and shown on an 80×24 screen.

use bollard::Docker;
use bollard::query_parameters::{RemoveImageOptionsBuilder, TagImageOptionsBuilder};
use opsdeck::app::images::{ImagesCommand, ImagesMsg};
use opsdeck::app::{Action, Command, InputKey, Msg, View, update};
use opsdeck::runtime::DockerHandle;

use super::{Containers, docker, model, test_image, tui, unique};

/// Removes the test's tag when the test ends, failing or not (the image keeps its other tags).
struct Tag {
    docker: Docker,
    name: String,
}

impl Drop for Tag {
    fn drop(&mut self) {
        let (docker, name) = (self.docker.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                let options = RemoveImageOptionsBuilder::new().noprune(true).build();
                let _ = docker.remove_image(&name, Some(options), None).await;
            });
        })
        .join();
    }
}

#[tokio::test]
async fn images_show_a_new_tag_and_the_container_using_it() {
    let Some(docker) = docker().await else {
        return;
    };
    let repo = format!("opsdeck-test/{}", unique("img"));
    docker
        .tag_image(
            &test_image(),
            Some(TagImageOptionsBuilder::new().repo(&repo).tag("t1").build()),
        )
        .await
        .expect("tag the test image");
    // Dropped last: the container goes before the tag.
    let _tag = Tag {
        docker: docker.clone(),
        name: format!("{repo}:t1"),
    };
    let mut containers = Containers::new(&docker);
    containers
        .run(&unique("img-user"), &[], "true", false)
        .await;

    let engine = DockerHandle::from_config(None).engine().expect("an engine");
    let rows = engine.images().await.expect("the engine lists its images");
    let row = rows
        .iter()
        .find(|r| r.repository == repo)
        .unwrap_or_else(|| panic!("{repo} is not listed: {rows:#?}"));
    assert_eq!(row.tag, "t1");
    assert!(!row.dangling);
    assert!(
        row.containers >= 1,
        "the test container uses the image: {row:?}"
    );

    // Through `:images` onto the screen.
    let mut s = model::state();
    let commands = opsdeck::app::images::open(&mut s, &[]);
    let [Command::Images(ImagesCommand::Fetch { generation })] = commands.as_slice() else {
        panic!("opening :images fetches them: {commands:?}");
    };
    assert_eq!(s.view(), &View::Images);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let loaded = |rows| {
        Msg::Images(ImagesMsg::Loaded {
            generation: *generation,
            now,
            result: Ok(rows),
        })
    };
    update(&mut s, loaded(rows.clone()));
    // `/` narrows to the test's tag, as a user would (other images on the machine stay out).
    update(&mut s, Msg::Action(Action::Filter));
    for c in repo.chars() {
        update(&mut s, Msg::Input(InputKey::Char(c)));
    }
    update(&mut s, Msg::Input(InputKey::Submit));
    let screen = tui::screen(&s, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains(row.short_id()))
        .unwrap_or_else(|| panic!("{} is not on screen:\n{screen}", row.short_id()));
    assert!(line.contains(&repo), "{line}");
    assert!(line.contains("t1"), "{line}");

    // The same list again changes nothing on screen.
    s.dirty = false;
    update(&mut s, loaded(rows));
    assert!(!s.dirty, "an identical list must not redraw");
}
