//! The typed ShowBackup response. Every string is cut to
//! [`capped::MAX_FIELD`] and the node list to [`MAX_NODES`] as it is read.

use serde::de::{self, DeserializeSeed};
use serde::{Deserialize, Deserializer, Serialize};

use super::bounded::{Bounded, BoundedSeq};
use super::capped;
use super::shape::{self, Expect};

/// The documented shape of a ShowBackup body, for naming where a body
/// leaves it. It says what [`RawDetail`] and [`RelatedDataNode`] accept.
const BACKUP_SHAPE: Expect = Expect::Object(&[
    ("id", Expect::RequiredText),
    ("name", Expect::Text),
    ("instance_id", Expect::Text),
    ("instance_name", Expect::Text),
    ("related_data_nodes", Expect::List(&NODE_SHAPE)),
]);
const NODE_SHAPE: Expect = Expect::Object(&[
    ("instance_id", Expect::Text),
    ("instance_name", Expect::Text),
]);

/// The most related data nodes a backup keeps. A real backup has a few;
/// the demo's largest has 10,000. Past this the rest are counted, not
/// built: 16 MiB of `{}` would otherwise be some 260 MB of nodes.
pub const MAX_NODES: usize = 100_000;

/// A DDM backup as ShowBackup returns it: exactly the five documented
/// fields, plus (never serialised) whether its node list was cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupDetail {
    pub id: String,
    pub name: String,
    pub instance_id: String,
    pub instance_name: String,
    /// `null` or missing means no data nodes, not an error.
    pub related_data_nodes: Vec<RelatedDataNode>,
    /// How many nodes the server sent, when that was more than
    /// [`MAX_NODES`] and only the first [`MAX_NODES`] were kept.
    #[serde(skip)]
    pub nodes_cut: Option<usize>,
}

/// A data node (RDS for MySQL instance) tied to a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedDataNode {
    #[serde(default, deserialize_with = "capped_or_empty")]
    pub instance_id: String,
    #[serde(default, deserialize_with = "capped_or_empty")]
    pub instance_name: String,
}

/// The body as read, before the node count is turned into `nodes_cut`.
#[derive(Deserialize)]
struct RawDetail {
    #[serde(deserialize_with = "capped_required")]
    id: String,
    #[serde(default, deserialize_with = "capped_or_empty")]
    name: String,
    #[serde(default, deserialize_with = "capped_or_empty")]
    instance_id: String,
    #[serde(default, deserialize_with = "capped_or_empty")]
    instance_name: String,
    #[serde(default, deserialize_with = "bounded_nodes")]
    related_data_nodes: Bounded<RelatedDataNode>,
}

/// A `null` name is shown as absent rather than failing the whole lookup.
fn capped_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(capped::text(d)?.unwrap_or_default())
}

/// The backup's `id` must be a string (a `null` one is a shape error).
fn capped_required<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    capped::text(d)?.ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &"a string"))
}

fn bounded_nodes<'de, D: Deserializer<'de>>(d: D) -> Result<Bounded<RelatedDataNode>, D::Error> {
    BoundedSeq::new(MAX_NODES, &|_: &RelatedDataNode| true).deserialize(d)
}

/// Why a body could not be read as a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseProblem {
    /// Not JSON at all (HTML, text, truncated).
    NotJson,
    /// JSON, but not a backup; the text says where.
    Shape(String),
}

/// Parses a ShowBackup body.
pub fn parse_backup(body: &[u8]) -> Result<BackupDetail, ParseProblem> {
    object_only(body)?;
    match serde_json::from_slice::<RawDetail>(body) {
        Ok(raw) => {
            let nodes = raw.related_data_nodes;
            Ok(BackupDetail {
                id: raw.id,
                name: raw.name,
                instance_id: raw.instance_id,
                instance_name: raw.instance_name,
                nodes_cut: nodes.cut.then_some(nodes.sent),
                related_data_nodes: nodes.kept,
            })
        }
        Err(e) => Err(problem(body, &BACKUP_SHAPE, &e)),
    }
}

/// What serde's refusal of `body` means: not JSON at all, or JSON that
/// leaves `expect` (named by path).
pub(super) fn problem(body: &[u8], expect: &Expect, e: &serde_json::Error) -> ParseProblem {
    // `1e400` is valid JSON that no f64 holds; serde_json files it under
    // syntax, which would call the body "not JSON" and blame the endpoint.
    // Its message is the only way to tell (a test pins it).
    if e.is_syntax() && e.to_string().starts_with("number out of range") {
        return ParseProblem::Shape(format!(
            "a number too large to read at line {}, column {}",
            e.line(),
            e.column()
        ));
    }
    if e.is_syntax() || e.is_eof() {
        ParseProblem::NotJson
    } else {
        ParseProblem::Shape(shape_problem(body, expect, e))
    }
}

/// Refuses a body that is not a JSON object. serde reads a struct from a
/// JSON array too (its fields in order), so `[]` would pass for an answer
/// with every field absent ("no windows", "no nodes"): a fact nobody said.
pub(super) fn object_only(body: &[u8]) -> Result<(), ParseProblem> {
    let got = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => return Ok(()),
        Some(b'[') => "a list",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "true or false",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => "a number",
        _ => return Err(ParseProblem::NotJson),
    };
    // Checked without building it: 16 MiB of `[0,0,...]` as values would
    // take hundreds of MiB.
    serde_json::from_slice::<de::IgnoredAny>(body).map_err(|_| ParseProblem::NotJson)?;
    Err(ParseProblem::Shape(format!(
        "the body: expected an object, got {got}"
    )))
}

/// The path and types of the first place `body` (valid JSON that serde
/// refused) leaves `expect`; serde's own words if the walk finds none.
fn shape_problem(body: &[u8], expect: &Expect, serde_error: &serde_json::Error) -> String {
    shape::first_mismatch(body, expect)
        .ok()
        .flatten()
        .unwrap_or_else(|| serde_error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MAX_FIELD;

    const EXAMPLE: &str = r#"{
      "id": "09902ee7866649b8908ec209bfee2747br09",
      "name": "Backup-ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg-2025052005400",
      "instance_id": "34970585d4964f2a8d6d9ea8d303398bin09",
      "instance_name": "ddm-diagnose3-2u8g-1-4bfGfxqdESTHbkKm5XrWLg",
      "related_data_nodes": [
        { "instance_id": "fc33739e5d2741529e21d87a7b5923fain01",
          "instance_name": "mysql_rds_related_ddm_for_diagnose3_01" }
      ]
    }"#;

    #[test]
    fn the_api_example_parses() {
        let b = parse_backup(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(b.id, "09902ee7866649b8908ec209bfee2747br09");
        assert_eq!(b.related_data_nodes.len(), 1);
        assert_eq!(
            b.related_data_nodes[0].instance_name,
            "mysql_rds_related_ddm_for_diagnose3_01"
        );
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let b = parse_backup(
            br#"{"id":"x","status":"normal","related_data_nodes":[{"instance_id":"n","extra":1}]}"#,
        )
        .unwrap();
        assert_eq!(b.related_data_nodes[0].instance_id, "n");
    }

    #[test]
    fn null_or_missing_node_lists_are_empty() {
        assert!(
            parse_backup(br#"{"id":"x","related_data_nodes":null}"#)
                .unwrap()
                .related_data_nodes
                .is_empty()
        );
        assert!(
            parse_backup(br#"{"id":"x"}"#)
                .unwrap()
                .related_data_nodes
                .is_empty()
        );
    }

    #[test]
    fn null_strings_are_empty() {
        let b = parse_backup(br#"{"id":"x","name":null,"related_data_nodes":[{"instance_id":"n","instance_name":null}]}"#).unwrap();
        assert_eq!(b.name, "");
        assert_eq!(b.related_data_nodes[0].instance_name, "");
    }

    #[test]
    fn wrong_types_are_shape_errors() {
        for body in [
            r#"{"id":"x","name":5}"#,
            r#"{"id":"x","related_data_nodes":"fc33"}"#,
            r#"{"id":"x","related_data_nodes":[1]}"#,
            r#"{"name":"no id"}"#,
            r#"[1,2]"#,
        ] {
            assert!(
                matches!(parse_backup(body.as_bytes()), Err(ParseProblem::Shape(_))),
                "{body}"
            );
        }
    }

    #[test]
    fn shape_errors_name_the_path_and_the_types() {
        let problem = |body: &str| match parse_backup(body.as_bytes()) {
            Err(ParseProblem::Shape(text)) => text,
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(
            problem(r#"{"id":"x","related_data_nodes":[{"instance_id":"a"},{"instance_id":5}]}"#),
            "related_data_nodes[1].instance_id: expected a string, got a number"
        );
        assert_eq!(
            problem(include_str!("../../assets/demo/shape.json")),
            "name: expected a string, got a number"
        );
        assert_eq!(
            problem(r#"{"name":"no id"}"#),
            "id: expected a string, got nothing"
        );
    }

    #[test]
    fn strings_are_cut_to_the_field_cap() {
        let long = "x".repeat(MAX_FIELD * 3);
        let body = format!(
            r#"{{"id":"{long}","name":"{long}","instance_id":"{long}","instance_name":"{long}","related_data_nodes":[{{"instance_id":"{long}","instance_name":"{long}"}}]}}"#
        );
        let b = parse_backup(body.as_bytes()).unwrap();
        let node = &b.related_data_nodes[0];
        for field in [
            &b.id,
            &b.name,
            &b.instance_id,
            &b.instance_name,
            &node.instance_id,
            &node.instance_name,
        ] {
            assert_eq!(field.len(), MAX_FIELD);
        }
        assert!(matches!(
            parse_backup(br#"{"id":null}"#),
            Err(ParseProblem::Shape(_))
        ));
    }

    #[test]
    fn nodes_past_the_cap_are_counted_and_the_cut_is_said() {
        let body = format!(
            r#"{{"id":"x","related_data_nodes":[{}]}}"#,
            vec!["{}"; MAX_NODES + 5].join(",")
        );
        let b = parse_backup(body.as_bytes()).unwrap();
        assert_eq!(b.related_data_nodes.len(), MAX_NODES);
        assert_eq!(b.nodes_cut, Some(MAX_NODES + 5));
        let body = format!(
            r#"{{"id":"x","related_data_nodes":[{}]}}"#,
            vec!["{}"; MAX_NODES].join(",")
        );
        let b = parse_backup(body.as_bytes()).unwrap();
        assert_eq!((b.related_data_nodes.len(), b.nodes_cut), (MAX_NODES, None));
        // The cut is not part of the API's JSON.
        let json = serde_json::to_value(&b).unwrap();
        assert!(json.get("nodes_cut").is_none());
    }

    #[test]
    fn non_json_is_told_apart() {
        for body in ["<html>", "", "{\"id\":\"x\",", "upstream says hi"] {
            assert_eq!(
                parse_backup(body.as_bytes()),
                Err(ParseProblem::NotJson),
                "{body}"
            );
        }
    }

    #[test]
    fn serializes_exactly_the_five_fields() {
        let b = parse_backup(br#"{"id":"x","extra":1,"related_data_nodes":null}"#).unwrap();
        let json: serde_json::Value = serde_json::to_value(&b).unwrap();
        let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "instance_id",
                "instance_name",
                "name",
                "related_data_nodes"
            ]
        );
        assert_eq!(json["related_data_nodes"], serde_json::json!([]));
    }
}
