//! The typed ShowBackup response.

use serde::{Deserialize, Deserializer, Serialize};

/// A DDM backup as ShowBackup returns it: exactly the five documented fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupDetail {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_empty_string")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_empty_string")]
    pub instance_id: String,
    #[serde(default, deserialize_with = "null_as_empty_string")]
    pub instance_name: String,
    /// `null` or missing means no data nodes, not an error.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub related_data_nodes: Vec<RelatedDataNode>,
}

/// A data node (RDS for MySQL instance) tied to a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedDataNode {
    #[serde(default, deserialize_with = "null_as_empty_string")]
    pub instance_id: String,
    #[serde(default, deserialize_with = "null_as_empty_string")]
    pub instance_name: String,
}

/// A `null` name is shown as absent rather than failing the whole lookup.
fn null_as_empty_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<RelatedDataNode>, D::Error> {
    Ok(Option::<Vec<RelatedDataNode>>::deserialize(d)?.unwrap_or_default())
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
    match serde_json::from_slice::<BackupDetail>(body) {
        Ok(detail) => Ok(detail),
        Err(e) if e.is_syntax() || e.is_eof() => Err(ParseProblem::NotJson),
        Err(e) => Err(ParseProblem::Shape(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
