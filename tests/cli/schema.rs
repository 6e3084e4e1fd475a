//! The JSON Schema (for editors) and the validator must not drift: the same field names at every level, and
//! the same verdict on every fixture the schema can judge.

use std::path::{Path, PathBuf};

use okr::core::decode::{
    DROPPED_FIELDS, FILE_FIELDS, KEY_RESULT_FIELDS, OBJECTIVE_FIELDS, RETROSPECTIVE_FIELDS,
};
use okr::core::yaml::{self, Document, NodeId, NodeKind, Scalar};
use serde_json::Value;

use crate::fixtures::{ExpectedCase, invalid_cases, real_fixtures};
use crate::support::project_root;

fn schema() -> Value {
    let text = std::fs::read_to_string(project_root().join("schema/okr.schema.json")).unwrap();
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema is a valid 2020-12 schema")
}

/// The YAML document as the JSON value an editor's schema check sees.
fn to_json(doc: &Document, node: NodeId) -> Value {
    match &doc.node(node).kind {
        NodeKind::Scalar { value, .. } => match value {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::from(*i),
            Scalar::Float(f) => serde_json::Number::from_f64(*f)
                .map_or_else(|| Value::String(f.to_string()), Value::Number),
            Scalar::Str(s) => Value::String(s.clone()),
        },
        NodeKind::Sequence(items) => Value::Array(items.iter().map(|&i| to_json(doc, i)).collect()),
        NodeKind::Mapping(entries) => Value::Object(
            entries
                .iter()
                .map(|e| {
                    (
                        doc.key_text(e.key).unwrap_or_default().to_owned(),
                        to_json(doc, e.value),
                    )
                })
                .collect(),
        ),
    }
}

/// `Some(true)` when the schema accepts the file, `None` when it is not one parseable YAML document.
fn schema_accepts(validator: &jsonschema::Validator, path: &Path) -> Option<bool> {
    // okr reads no symbolic links that loop or leave the repository; the schema judges only real files.
    if std::fs::symlink_metadata(path)
        .ok()?
        .file_type()
        .is_symlink()
    {
        return None;
    }
    let parsed = yaml::parse(&std::fs::read(path).ok()?);
    let doc = parsed.document.filter(|_| parsed.problems.is_empty())?;
    let instance = doc.root().map_or(Value::Null, |root| to_json(&doc, root));
    Some(validator.is_valid(&instance))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
}

fn property_names(definition: &Value) -> Vec<String> {
    let mut names: Vec<String> = definition["properties"]
        .as_object()
        .expect("a definition with properties")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn sorted(fields: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    names.sort();
    names
}

#[test]
fn schema_and_validator_know_the_same_fields_at_every_level() {
    let schema = schema();
    let defs = &schema["$defs"];
    assert_eq!(property_names(&schema), sorted(FILE_FIELDS));
    assert_eq!(property_names(&defs["objective"]), sorted(OBJECTIVE_FIELDS));
    assert_eq!(property_names(&defs["dropped"]), sorted(DROPPED_FIELDS));
    assert_eq!(
        property_names(&defs["keyResult"]),
        sorted(KEY_RESULT_FIELDS)
    );
    assert_eq!(
        property_names(&schema["properties"]["retrospective"]),
        sorted(RETROSPECTIVE_FIELDS)
    );
}

#[test]
fn every_field_in_the_schema_has_a_description_for_editors() {
    fn walk(value: &Value, path: &str) {
        if let Some(properties) = value.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                assert!(
                    property.get("description").is_some(),
                    "{path}.{name} has no description"
                );
                walk(property, &format!("{path}.{name}"));
            }
        }
    }
    let schema = schema();
    walk(&schema, "file");
    for (name, definition) in schema["$defs"].as_object().unwrap() {
        walk(definition, name);
    }
}

#[test]
fn the_schema_accepts_every_valid_fixture_the_demo_and_the_real_quarters() {
    let validator = validator();
    let dirs = ["fixtures/valid", "fixtures/demo"]
        .iter()
        .map(|dir| project_root().join(dir))
        .chain(real_fixtures());
    for dir in dirs {
        let files = yaml_files(&dir);
        assert!(!files.is_empty(), "{} has no files", dir.display());
        for file in files {
            assert_eq!(
                schema_accepts(&validator, &file),
                Some(true),
                "schema rejects {}",
                file.display()
            );
        }
    }
}

#[test]
fn the_schema_gives_each_invalid_case_the_verdict_it_names() {
    let validator = validator();
    for case in invalid_cases() {
        let ExpectedCase { dir, schema, .. } = &case;
        let verdicts: Vec<Option<bool>> = yaml_files(dir)
            .iter()
            .map(|f| schema_accepts(&validator, f))
            .collect();
        let name = dir.file_name().unwrap().to_string_lossy();
        match schema.as_str() {
            "reject" => assert!(
                verdicts.contains(&Some(false)),
                "{name}: the schema accepts every file"
            ),
            "accept" => assert!(
                verdicts.iter().all(|v| *v == Some(true)),
                "{name}: the schema rejects a file"
            ),
            "none" => assert!(verdicts.contains(&None), "{name}: every file parses"),
            other => panic!("{name}: unknown schema verdict `{other}`"),
        }
    }
}
