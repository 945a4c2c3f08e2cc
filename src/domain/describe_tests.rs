use super::*;
use serde_json::json;

fn yaml(value: &Value) -> String {
    plain_text(&yaml_lines(value))
}

fn json_text(value: &Value) -> String {
    plain_text(&json_lines(value))
}

#[test]
fn maps_and_lists_nest_by_two_spaces() {
    let doc = json!({
        "name": "web",
        "ports": [80, 443],
        "containers": [{"image": "nginx", "name": "app"}, {"name": "side"}],
        "nested": {"a": {"b": true}},
        "empty": {},
        "none": [],
        "gone": null,
    });
    assert_eq!(
        yaml(&doc),
        "containers:\n  - image: nginx\n    name: app\n  - name: side\nempty: {}\ngone: null\n\
         name: web\nnested:\n  a:\n    b: true\nnone: []\nports:\n  - 80\n  - 443\n"
    );
}

#[test]
fn lists_of_lists_stay_on_the_dash() {
    let doc = json!([[1, 2], ["a"]]);
    assert_eq!(yaml(&doc), "- - 1\n  - 2\n- - a\n");
}

#[test]
fn strings_a_reader_would_misread_are_quoted() {
    for s in [
        "",
        " lead",
        "trail ",
        "a: b",
        "x #c",
        "end:",
        "true",
        "False",
        "null",
        "~",
        "yes",
        "on",
        "12",
        "1.5",
        "1e3",
        "0x1f",
        "2024-05-01",
        "2024-05-01T12:00:00Z",
        "-",
        "- x",
        "#c",
        "*ref",
        "&a",
        "!tag",
        "[x]",
        "{x}",
        "'q'",
        "\"q\"",
        "%p",
        "@a",
        "`b",
        "10.0.1.5",
        "tab\there",
    ] {
        assert!(!is_plain_safe(s), "{s:?} should be quoted");
        let line = yaml(&json!({ "k": s }));
        assert!(line.starts_with("k: \""), "{s:?}: {line}");
    }
    for s in [
        "web",
        "arn:aws:ecs:eu-west-1:123456789012:service/prod/web",
        "web:7",
        "80/tcp",
        "nginx:1.25",
        "a#b",
        "hello world",
        "ENABLED",
    ] {
        assert!(is_plain_safe(s), "{s:?} should be plain");
    }
}

#[test]
fn quoting_escapes_what_a_terminal_would_act_on() {
    assert_eq!(quoted("a\"b\\c"), r#""a\"b\\c""#);
    assert_eq!(quoted("\u{1b}[2J"), r#""\u001b[2J""#);
    assert_eq!(quoted("bell\u{7}\r"), r#""bell\u0007\r""#);
    assert_eq!(quoted("\u{9b}x"), r#""\u009bx""#);
    // Whatever quoted() writes parses back as JSON (and so as YAML) to the same string.
    let back: String = serde_json::from_str(&quoted("x\u{1b}y\n\"z\"")).unwrap();
    assert_eq!(back, "x\u{1b}y\n\"z\"");
}

#[test]
fn multi_line_strings_become_literal_blocks() {
    assert_eq!(
        yaml(&json!({"cmd": "set -e\necho hi\n"})),
        "cmd: |\n  set -e\n  echo hi\n"
    );
    assert_eq!(yaml(&json!({"cmd": "a\n\nb"})), "cmd: |-\n  a\n\n  b\n");
    assert_eq!(yaml(&json!({"cmd": "a\nb\n\n"})), "cmd: |+\n  a\n  b\n\n");
    assert_eq!(yaml(&json!(["a\nb"])), "- |-\n  a\n  b\n");
    // A first line starting with a space, or control characters: quoted instead.
    assert_eq!(yaml(&json!({"c": " a\nb"})), "c: \" a\\nb\"\n");
    assert_eq!(yaml(&json!({"c": "a\u{1b}\nb"})), "c: \"a\\u001b\\nb\"\n");
}

#[test]
fn keys_are_quoted_like_strings() {
    assert_eq!(
        yaml(&json!({"a: b": 1, "true": 2})),
        "\"a: b\": 1\n\"true\": 2\n"
    );
}

#[test]
fn tokens_carry_their_kind() {
    let lines = yaml_lines(&json!({"n": 1, "s": "x", "b": false}));
    let kinds: Vec<Vec<TokenKind>> = lines
        .iter()
        .map(|l| l.tokens.iter().map(|(k, _)| *k).collect())
        .collect();
    use TokenKind::*;
    assert_eq!(
        kinds,
        vec![
            vec![Key, Punct, Space, Literal],
            vec![Key, Punct, Space, Num],
            vec![Key, Punct, Space, Str],
        ]
    );
}

#[test]
fn json_form_is_indented_json() {
    let doc = json!({"a": [1, {"b": "x"}], "c": {}, "d": null});
    let text = json_text(&doc);
    assert_eq!(
        text,
        "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x\"\n    }\n  ],\n  \"c\": {},\n  \"d\": null\n}\n"
    );
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn environment_values_are_masked_and_secrets_kept() {
    let mut doc = json!({
        "containerDefinitions": [{
            "name": "app",
            "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "MODE", "value": "prod"}],
            "secrets": [{"name": "API_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/api"}],
        }],
        "overrides": {"containerOverrides": [{"environment": [{"name": "X", "value": "y"}]}]},
    });
    mask_secrets(&mut doc);
    let text = yaml(&doc);
    assert!(!text.contains("hunter2") && !text.contains("prod\n") && !text.contains(": y"));
    assert!(text.contains("name: DB_PASSWORD"));
    assert!(text.contains(&format!("value: {MASK}")));
    assert!(text.contains("valueFrom: arn:aws:ssm:eu-west-1:1:parameter/api"));
}

#[test]
fn docker_env_values_are_masked() {
    let mut doc = json!({"Config": {"Env": ["PATH=/usr/bin", "TOKEN=abc=def", "BARE"]}});
    mask_secrets(&mut doc);
    assert_eq!(
        doc["Config"]["Env"],
        json!([format!("PATH={MASK}"), format!("TOKEN={MASK}"), "BARE"])
    );
}

#[test]
fn titles_and_slugs() {
    let target = DescribeTarget::Service {
        cluster: "prod".into(),
        service: "payments-api".into(),
    };
    assert_eq!(target.title(), "Describe service payments-api");
    assert_eq!(target.slug(), "describe-service-payments-api");
    let td = DescribeTarget::TaskDefinition {
        arn: "arn:aws:ecs:eu-west-1:1:task-definition/web:7".into(),
    };
    assert_eq!(td.title(), "Describe task definition web:7");
    assert_eq!(td.slug(), "describe-task-definition-web-7");
    let odd = DescribeTarget::DockerContainer {
        id: "x".into(),
        name: "../../etc".into(),
    };
    assert!(!odd.slug().contains('/'));
}
