//! Mends what utoipa writes correctly but unhelpfully, on the finished JSON:
//!
//! - The contract's `Id` is an alias of `String`, which utoipa reads as a schema named
//!   `String`; it becomes `Id`, with what an id is.
//! - `ApiResponse<()>` (a success with nothing to say) names its data `TupleUnit` and leaves
//!   it untyped; on the wire it is `null`.
//! - A generic envelope (`ApiResponse<PaginatedResponse<Appointment>>`) gets copies of its
//!   arguments' schemas inlined; each copy of a named schema becomes a `$ref` to it again, so
//!   a reader sees `data: Appointment` rather than its forty lines.
//! - A body that may be left out (`Option<T>`) reads `T or null`; on the wire it is `T` or
//!   nothing at all (`null` is refused), which `required: false` already says.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

const SCHEMAS: &str = "#/components/schemas/";

pub fn tidy(mut doc: Value) -> Value {
    rename_schema(
        &mut doc,
        "String",
        "Id",
        json!({"type": "string", "description": "An opaque identifier (a UUID today)."}),
    );
    let unit = doc["components"]["schemas"]
        .as_object_mut()
        .and_then(|schemas| schemas.remove("ApiResponse_TupleUnit"));
    if let Some(mut envelope) = unit {
        envelope["properties"]["data"] =
            json!({"type": "null", "description": "Nothing beyond the success itself."});
        rename_schema(
            &mut doc,
            "ApiResponse_TupleUnit",
            "ApiResponse_Null",
            envelope,
        );
    }
    drop_unreferenced(&mut doc, "TupleUnit");
    relink(&mut doc);
    unwrap_optional_bodies(&mut doc);
    doc
}

fn unwrap_optional_bodies(doc: &mut Value) {
    walk(doc, &mut |node| {
        let Some(body) = node.get_mut("requestBody") else {
            return;
        };
        if body.get("required") == Some(&json!(true)) {
            return;
        }
        let Some(contents) = body.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        for content in contents.values_mut() {
            let inner = match content["schema"]["oneOf"].as_array() {
                Some(choices) if choices.len() == 2 && choices[1] == json!({"type": "null"}) => {
                    choices[0].clone()
                }
                _ => continue,
            };
            content["schema"] = inner;
        }
    });
}

/// Replaces schema `from` by `schema` under the name `to`, and every `$ref` to it.
fn rename_schema(doc: &mut Value, from: &str, to: &str, schema: Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    schemas.remove(from);
    schemas.insert(to.into(), schema);
    let (old, new) = (format!("{SCHEMAS}{from}"), format!("{SCHEMAS}{to}"));
    walk(doc, &mut |node| {
        if let Some(r) = node.get_mut("$ref") {
            if r == old.as_str() {
                *r = Value::String(new.clone());
            }
        }
    });
}

fn drop_unreferenced(doc: &mut Value, name: &str) {
    let target = format!("{SCHEMAS}{name}");
    let mut used = false;
    walk(doc, &mut |node| {
        used |= node.get("$ref") == Some(&json!(target))
    });
    if !used {
        if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
            schemas.remove(name);
        }
    }
}

/// Calls `visit` on every JSON object of the document, parents first.
fn walk(node: &mut Value, visit: &mut impl FnMut(&mut Map<String, Value>)) {
    match node {
        Value::Object(map) => {
            visit(map);
            for child in map.values_mut() {
                walk(child, visit);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, visit)),
        _ => {}
    }
}

/// Replaces every inlined copy of a named object or enum schema by a `$ref` to it. A schema
/// shared by two names is left alone: which name the copy meant is unknown.
fn relink(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object() else {
        return;
    };
    let mut names: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for (name, schema) in schemas {
        let named = schema.get("properties").is_some()
            || schema.get("enum").is_some()
            || schema.get("allOf").is_some();
        if named {
            names.entry(schema.to_string()).or_default().push(name);
        }
    }
    let by_value: BTreeMap<String, String> = names
        .into_iter()
        .filter(|(_, names)| names.len() == 1)
        .map(|(value, names)| (value, format!("{SCHEMAS}{}", names[0])))
        .collect();
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for schema in schemas.values_mut() {
            relink_children(schema, &by_value);
        }
    }
    if let Some(paths) = doc.get_mut("paths") {
        relink_children(paths, &by_value);
    }
}

fn relink_children(node: &mut Value, by_value: &BTreeMap<String, String>) {
    let children: Vec<&mut Value> = match node {
        Value::Object(map) => map.values_mut().collect(),
        Value::Array(items) => items.iter_mut().collect(),
        _ => return,
    };
    for child in children {
        match by_value.get(&child.to_string()) {
            Some(target) => *child = json!({"$ref": target}),
            None => relink_children(child, by_value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlined_copies_become_refs_and_id_is_named() {
        let appointment = json!({"type": "object", "properties": {"id": {"$ref": "#/components/schemas/String"}}});
        let doc = json!({
            "paths": {},
            "components": {"schemas": {
                "String": {"type": "string"},
                "Appointment": appointment,
                "ApiResponse_Appointment": {"type": "object", "properties": {"data": appointment}},
            }}
        });
        let doc = tidy(doc);
        let schemas = &doc["components"]["schemas"];
        assert!(schemas.get("String").is_none());
        assert_eq!(schemas["Id"]["type"], "string");
        assert_eq!(
            schemas["Appointment"]["properties"]["id"]["$ref"],
            "#/components/schemas/Id"
        );
        assert_eq!(
            schemas["ApiResponse_Appointment"]["properties"]["data"]["$ref"],
            "#/components/schemas/Appointment"
        );
    }
}
