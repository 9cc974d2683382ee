//! Text encoding of Engine.IO v4 packets and of the Socket.IO v5 packets they carry.
//!
//! Pure string work, so every rule of the wire format is unit-tested natively. Over the websocket
//! transport each frame holds exactly one Engine.IO packet, so there is no payload splitting on
//! the record separator here.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::api::json;

/// The main namespace; on the wire it is implied by the absence of a `/nsp,` prefix.
pub const DEFAULT_NAMESPACE: &str = "/";

/// Why a frame could not be decoded. Decoding never panics, whatever the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// A frame or Socket.IO packet with no type character at all.
    Empty,
    /// The first character is not an Engine.IO packet type (`0`–`6`).
    UnknownEngineType(char),
    /// The first character is not a Socket.IO packet type (`0`–`6`).
    UnknownSocketType(char),
    /// `BINARY_EVENT` / `BINARY_ACK`: their attachments come in separate binary frames, which this
    /// client does not reassemble.
    BinaryUnsupported,
    /// The open packet's JSON is missing or lacks a required field.
    InvalidOpen(String),
    /// Some JSON payload does not parse.
    InvalidJson(String),
    /// A CONNECT payload that is not a JSON object.
    InvalidConnectPayload,
    /// A CONNECT_ERROR payload that is neither `{"message": "..."}` nor a bare string.
    InvalidConnectError,
    /// An EVENT payload that is not a non-empty array starting with the event name.
    InvalidEventPayload,
    /// An ACK payload that is not an array.
    InvalidAckPayload,
    /// An ACK packet without its id.
    MissingAckId,
    /// An ack id too large for `u64`.
    AckIdOverflow,
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty packet"),
            Self::UnknownEngineType(c) => write!(f, "unknown Engine.IO packet type '{c}'"),
            Self::UnknownSocketType(c) => write!(f, "unknown Socket.IO packet type '{c}'"),
            Self::BinaryUnsupported => f.write_str("binary Socket.IO packets are not supported"),
            Self::InvalidOpen(e) => write!(f, "invalid open packet: {e}"),
            Self::InvalidJson(e) => write!(f, "invalid JSON payload: {e}"),
            Self::InvalidConnectPayload => f.write_str("CONNECT payload must be a JSON object"),
            Self::InvalidConnectError => f.write_str("CONNECT_ERROR payload has no message"),
            Self::InvalidEventPayload => {
                f.write_str("EVENT payload must be a non-empty array starting with a string")
            }
            Self::InvalidAckPayload => f.write_str("ACK payload must be an array"),
            Self::MissingAckId => f.write_str("ACK packet without an id"),
            Self::AckIdOverflow => f.write_str("ack id does not fit in 64 bits"),
        }
    }
}

impl std::error::Error for CodecError {}

/// The handshake data of the Engine.IO `open` packet. Durations are in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenPacket {
    pub sid: String,
    /// Empty for a websocket-only session: there is nothing to upgrade to.
    #[serde(default)]
    pub upgrades: Vec<String>,
    pub ping_interval: u32,
    pub ping_timeout: u32,
    #[serde(default)]
    pub max_payload: u64,
}

/// One Engine.IO v4 packet (one websocket text frame).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EioPacket {
    Open(OpenPacket),
    Close,
    /// The payload is empty except for the `probe` of a polling→websocket upgrade.
    Ping(String),
    Pong(String),
    /// The raw Socket.IO packet; decode it with [`decode_sio`].
    Message(String),
    Upgrade,
    Noop,
}

/// Decodes one Engine.IO text frame.
pub fn decode_eio(frame: &str) -> Result<EioPacket, CodecError> {
    let (kind, rest) = split_type(frame)?;
    match kind {
        '0' => json::from_str(rest)
            .map(EioPacket::Open)
            .map_err(|e| CodecError::InvalidOpen(e.to_string())),
        '1' => Ok(EioPacket::Close),
        '2' => Ok(EioPacket::Ping(rest.to_owned())),
        '3' => Ok(EioPacket::Pong(rest.to_owned())),
        '4' => Ok(EioPacket::Message(rest.to_owned())),
        '5' => Ok(EioPacket::Upgrade),
        '6' => Ok(EioPacket::Noop),
        other => Err(CodecError::UnknownEngineType(other)),
    }
}

/// Encodes one Engine.IO packet as a websocket text frame.
pub fn encode_eio(packet: &EioPacket) -> String {
    match packet {
        EioPacket::Open(open) => {
            // Serializing plain strings and integers cannot fail.
            format!("0{}", serde_json::to_string(open).unwrap_or_default())
        }
        EioPacket::Close => "1".to_owned(),
        EioPacket::Ping(payload) => format!("2{payload}"),
        EioPacket::Pong(payload) => format!("3{payload}"),
        EioPacket::Message(payload) => format!("4{payload}"),
        EioPacket::Upgrade => "5".to_owned(),
        EioPacket::Noop => "6".to_owned(),
    }
}

/// What a Socket.IO packet says, apart from its namespace.
#[derive(Debug, Clone, PartialEq)]
pub enum SioPayload {
    /// Client → server: the optional `auth` object. Server → client: `{"sid": "..."}`.
    Connect(Option<Value>),
    Disconnect,
    /// `args` are the values after the event name; `id` asks the receiver for an ACK.
    Event {
        name: String,
        args: Vec<Value>,
        id: Option<u64>,
    },
    Ack {
        id: u64,
        args: Vec<Value>,
    },
    /// The namespace refused the connection. `data` is the optional extra the JS server sends.
    ConnectError {
        message: String,
        data: Option<Value>,
    },
}

/// A Socket.IO v5 packet: the content of an Engine.IO `message`.
#[derive(Debug, Clone, PartialEq)]
pub struct SioPacket {
    pub namespace: String,
    pub payload: SioPayload,
}

impl SioPacket {
    /// A packet on the main namespace.
    pub fn new(payload: SioPayload) -> Self {
        Self {
            namespace: DEFAULT_NAMESPACE.to_owned(),
            payload,
        }
    }
}

/// Decodes the Socket.IO packet inside an Engine.IO `message`.
pub fn decode_sio(text: &str) -> Result<SioPacket, CodecError> {
    let (kind, rest) = split_type(text)?;
    if matches!(kind, '5' | '6') {
        return Err(CodecError::BinaryUnsupported);
    }
    if !matches!(kind, '0'..='4') {
        return Err(CodecError::UnknownSocketType(kind));
    }
    let (namespace, rest) = split_namespace(rest);
    let payload = match kind {
        '0' => SioPayload::Connect(decode_connect(rest)?),
        '1' => SioPayload::Disconnect,
        '2' => {
            let (id, rest) = split_ack_id(rest)?;
            let (name, args) = decode_event_args(rest)?;
            SioPayload::Event { name, args, id }
        }
        '3' => {
            let (id, rest) = split_ack_id(rest)?;
            let id = id.ok_or(CodecError::MissingAckId)?;
            match parse_json(rest)? {
                Value::Array(args) => SioPayload::Ack { id, args },
                _ => return Err(CodecError::InvalidAckPayload),
            }
        }
        _ => decode_connect_error(rest)?,
    };
    Ok(SioPacket { namespace, payload })
}

/// Encodes a Socket.IO packet (without the Engine.IO `4` prefix; see [`encode_message`]).
pub fn encode_sio(packet: &SioPacket) -> String {
    let (kind, body) = match &packet.payload {
        SioPayload::Connect(data) => ('0', data.as_ref().map(json_text).unwrap_or_default()),
        SioPayload::Disconnect => ('1', String::new()),
        SioPayload::Event { name, args, id } => {
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(Value::String(name.clone()));
            all.extend(args.iter().cloned());
            ('2', with_id(*id, &Value::Array(all)))
        }
        SioPayload::Ack { id, args } => ('3', with_id(Some(*id), &Value::Array(args.clone()))),
        SioPayload::ConnectError { message, data } => {
            let mut obj = serde_json::Map::new();
            obj.insert("message".to_owned(), Value::String(message.clone()));
            if let Some(data) = data {
                obj.insert("data".to_owned(), data.clone());
            }
            ('4', json_text(&Value::Object(obj)))
        }
    };
    let mut out = String::with_capacity(body.len() + packet.namespace.len() + 2);
    out.push(kind);
    if !packet.namespace.is_empty() && packet.namespace != DEFAULT_NAMESPACE {
        if !packet.namespace.starts_with('/') {
            out.push('/');
        }
        out.push_str(&packet.namespace);
        out.push(',');
    }
    out.push_str(&body);
    out
}

/// A Socket.IO packet as a complete Engine.IO `message` frame (`4…`).
pub fn encode_message(packet: &SioPacket) -> String {
    format!("4{}", encode_sio(packet))
}

/// Collapses the values of an event or ack into one: none → `null`, one → itself, several → an
/// array. Socketioxide sends a single argument unless the server emits a tuple.
pub fn args_to_value(mut args: Vec<Value>) -> Value {
    match args.len() {
        0 => Value::Null,
        1 => args.pop().unwrap_or(Value::Null),
        _ => Value::Array(args),
    }
}

fn split_type(text: &str) -> Result<(char, &str), CodecError> {
    let mut chars = text.chars();
    let kind = chars.next().ok_or(CodecError::Empty)?;
    Ok((kind, chars.as_str()))
}

/// A namespace starts with `/` and ends at the first `,` (or at the end, e.g. `1/admin`).
fn split_namespace(text: &str) -> (String, &str) {
    if !text.starts_with('/') {
        return (DEFAULT_NAMESPACE.to_owned(), text);
    }
    match text.split_once(',') {
        Some((nsp, rest)) => (nsp.to_owned(), rest),
        None => (text.to_owned(), ""),
    }
}

fn split_ack_id(text: &str) -> Result<(Option<u64>, &str), CodecError> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if end == 0 {
        return Ok((None, text));
    }
    let (digits, rest) = text.split_at(end);
    let id = digits.parse().map_err(|_| CodecError::AckIdOverflow)?;
    Ok((Some(id), rest))
}

fn with_id(id: Option<u64>, data: &Value) -> String {
    match id {
        Some(id) => id.to_string() + &json_text(data),
        None => json_text(data),
    }
}

/// A value as compact JSON text. Not `Value::to_string`: its `Display` also carries the
/// pretty-printer (for `{:#}`), which nothing here uses.
pub fn json_text(value: &Value) -> String {
    // Writing a `Value` into a `Vec` cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn parse_json(text: &str) -> Result<Value, CodecError> {
    json::from_str(text).map_err(|e| CodecError::InvalidJson(e.to_string()))
}

fn decode_connect(text: &str) -> Result<Option<Value>, CodecError> {
    if text.is_empty() {
        return Ok(None);
    }
    match parse_json(text)? {
        obj @ Value::Object(_) => Ok(Some(obj)),
        _ => Err(CodecError::InvalidConnectPayload),
    }
}

fn decode_event_args(text: &str) -> Result<(String, Vec<Value>), CodecError> {
    let Value::Array(mut all) = parse_json(text)? else {
        return Err(CodecError::InvalidEventPayload);
    };
    if !matches!(all.first(), Some(Value::String(_))) {
        return Err(CodecError::InvalidEventPayload);
    }
    let args = all.split_off(1);
    match all.pop() {
        Some(Value::String(name)) => Ok((name, args)),
        _ => Err(CodecError::InvalidEventPayload),
    }
}

fn decode_connect_error(text: &str) -> Result<SioPayload, CodecError> {
    match parse_json(text)? {
        Value::Object(mut obj) => match obj.remove("message") {
            Some(Value::String(message)) => Ok(SioPayload::ConnectError {
                message,
                data: obj.remove("data"),
            }),
            _ => Err(CodecError::InvalidConnectError),
        },
        // Protocol v4 servers sent the message as a bare string.
        Value::String(message) => Ok(SioPayload::ConnectError {
            message,
            data: None,
        }),
        _ => Err(CodecError::InvalidConnectError),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sio(text: &str) -> SioPayload {
        decode_sio(text).expect(text).payload
    }

    fn event(name: &str, args: Vec<Value>, id: Option<u64>) -> SioPayload {
        SioPayload::Event {
            name: name.to_owned(),
            args,
            id,
        }
    }

    // ---- Engine.IO ----

    #[test]
    fn eio_open_websocket_only() {
        let frame = r#"0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#;
        let expected = OpenPacket {
            sid: "lv_VI97HAXpY6yYWAAAC".into(),
            upgrades: vec![],
            ping_interval: 25000,
            ping_timeout: 20000,
            max_payload: 1_000_000,
        };
        assert_eq!(decode_eio(frame), Ok(EioPacket::Open(expected)));
    }

    #[test]
    fn eio_open_tolerates_missing_optional_fields_and_extra_ones() {
        let frame = r#"0{"sid":"a","pingInterval":1,"pingTimeout":2,"extra":true}"#;
        let Ok(EioPacket::Open(open)) = decode_eio(frame) else {
            panic!("not an open packet");
        };
        assert!(open.upgrades.is_empty());
        assert_eq!(open.max_payload, 0);
        assert_eq!((open.ping_interval, open.ping_timeout), (1, 2));
    }

    #[test]
    fn eio_open_with_polling_upgrades() {
        let frame = r#"0{"sid":"x","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000,"maxPayload":100}"#;
        let Ok(EioPacket::Open(open)) = decode_eio(frame) else {
            panic!("not an open packet");
        };
        assert_eq!(open.upgrades, vec!["websocket".to_owned()]);
    }

    #[test]
    fn eio_open_invalid() {
        for frame in [
            "0",
            "0{",
            "0[]",
            r#"0{"sid":"a"}"#,
            r#"0{"sid":1,"pingInterval":1,"pingTimeout":1}"#,
            r#"0{"sid":"a","pingInterval":-1,"pingTimeout":1}"#,
        ] {
            assert!(
                matches!(decode_eio(frame), Err(CodecError::InvalidOpen(_))),
                "{frame}"
            );
        }
    }

    #[test]
    fn eio_simple_packets() {
        assert_eq!(decode_eio("1"), Ok(EioPacket::Close));
        assert_eq!(decode_eio("2"), Ok(EioPacket::Ping(String::new())));
        assert_eq!(decode_eio("3"), Ok(EioPacket::Pong(String::new())));
        assert_eq!(decode_eio("2probe"), Ok(EioPacket::Ping("probe".into())));
        assert_eq!(decode_eio("3probe"), Ok(EioPacket::Pong("probe".into())));
        assert_eq!(decode_eio("4"), Ok(EioPacket::Message(String::new())));
        assert_eq!(
            decode_eio(r#"42["hey","Jude"]"#),
            Ok(EioPacket::Message(r#"2["hey","Jude"]"#.into()))
        );
        assert_eq!(decode_eio("5"), Ok(EioPacket::Upgrade));
        assert_eq!(decode_eio("6"), Ok(EioPacket::Noop));
    }

    #[test]
    fn eio_malformed() {
        assert_eq!(decode_eio(""), Err(CodecError::Empty));
        assert_eq!(decode_eio("7"), Err(CodecError::UnknownEngineType('7')));
        assert_eq!(decode_eio("x42"), Err(CodecError::UnknownEngineType('x')));
        assert_eq!(decode_eio("é2"), Err(CodecError::UnknownEngineType('é')));
        assert_eq!(decode_eio(" 2"), Err(CodecError::UnknownEngineType(' ')));
    }

    #[test]
    fn eio_encode() {
        assert_eq!(encode_eio(&EioPacket::Close), "1");
        assert_eq!(encode_eio(&EioPacket::Ping(String::new())), "2");
        assert_eq!(encode_eio(&EioPacket::Pong(String::new())), "3");
        assert_eq!(encode_eio(&EioPacket::Pong("probe".into())), "3probe");
        assert_eq!(encode_eio(&EioPacket::Message("0".into())), "40");
        assert_eq!(encode_eio(&EioPacket::Upgrade), "5");
        assert_eq!(encode_eio(&EioPacket::Noop), "6");
    }

    #[test]
    fn eio_round_trips() {
        let open = OpenPacket {
            sid: "s".into(),
            upgrades: vec!["websocket".into()],
            ping_interval: 300,
            ping_timeout: 200,
            max_payload: 42,
        };
        for packet in [
            EioPacket::Open(open),
            EioPacket::Close,
            EioPacket::Ping(String::new()),
            EioPacket::Pong("probe".into()),
            EioPacket::Message(r#"2["é",{"a":"日本"}]"#.into()),
            EioPacket::Upgrade,
            EioPacket::Noop,
        ] {
            assert_eq!(decode_eio(&encode_eio(&packet)), Ok(packet));
        }
    }

    // ---- Socket.IO: decoding ----

    #[test]
    fn sio_connect() {
        assert_eq!(sio("0"), SioPayload::Connect(None));
        assert_eq!(
            sio(r#"0{"sid":"wZX3oN0bSVIhsaknAAAI"}"#),
            SioPayload::Connect(Some(json!({"sid": "wZX3oN0bSVIhsaknAAAI"})))
        );
        assert_eq!(decode_sio("0").map(|p| p.namespace), Ok("/".into()));
    }

    #[test]
    fn sio_connect_with_namespace() {
        let packet = decode_sio(r#"0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}"#).unwrap();
        assert_eq!(packet.namespace, "/admin");
        assert_eq!(
            packet.payload,
            SioPayload::Connect(Some(json!({"sid": "oSO0OpakMV_3jnilAAAA"})))
        );
        let bare = decode_sio("0/admin,").unwrap();
        assert_eq!(bare.namespace, "/admin");
        assert_eq!(bare.payload, SioPayload::Connect(None));
    }

    #[test]
    fn sio_connect_rejects_non_object() {
        assert_eq!(decode_sio("0[1]"), Err(CodecError::InvalidConnectPayload));
        assert_eq!(decode_sio("0\"x\""), Err(CodecError::InvalidConnectPayload));
        assert!(matches!(
            decode_sio("0{\"token\":"),
            Err(CodecError::InvalidJson(_))
        ));
    }

    #[test]
    fn sio_disconnect() {
        assert_eq!(sio("1"), SioPayload::Disconnect);
        let packet = decode_sio("1/admin,").unwrap();
        assert_eq!(packet.namespace, "/admin");
        assert_eq!(packet.payload, SioPayload::Disconnect);
    }

    #[test]
    fn sio_namespace_without_trailing_comma() {
        let packet = decode_sio("1/custom").unwrap();
        assert_eq!(packet.namespace, "/custom");
        assert_eq!(packet.payload, SioPayload::Disconnect);
    }

    #[test]
    fn sio_event() {
        assert_eq!(
            sio(r#"2["hey","Jude"]"#),
            event("hey", vec![json!("Jude")], None)
        );
        assert_eq!(sio(r#"2["ping"]"#), event("ping", vec![], None));
        assert_eq!(
            sio(r#"2["multi",1,{"a":[true,null]},"x"]"#),
            event(
                "multi",
                vec![json!(1), json!({"a": [true, null]}), json!("x")],
                None
            )
        );
    }

    #[test]
    fn sio_event_with_namespace_and_ack_id() {
        let packet = decode_sio(r#"2/admin,12["foo",{"n":1}]"#).unwrap();
        assert_eq!(packet.namespace, "/admin");
        assert_eq!(
            packet.payload,
            event("foo", vec![json!({"n": 1})], Some(12))
        );
    }

    #[test]
    fn sio_event_ack_ids() {
        assert_eq!(sio(r#"20["a"]"#), event("a", vec![], Some(0)));
        assert_eq!(sio(r#"27["a"]"#), event("a", vec![], Some(7)));
        assert_eq!(sio(r#"21234567["a"]"#), event("a", vec![], Some(1_234_567)));
        assert_eq!(
            sio(r#"218446744073709551615["a"]"#),
            event("a", vec![], Some(u64::MAX))
        );
        assert_eq!(
            decode_sio(r#"218446744073709551616["a"]"#),
            Err(CodecError::AckIdOverflow)
        );
    }

    #[test]
    fn sio_event_invalid_payloads() {
        for text in [
            "2",
            "2[]",
            "2[1]",
            r#"2{"a":1}"#,
            r#"2"name""#,
            "2[null]",
            r#"2/admin,"#,
            r#"212"#,
        ] {
            let result = decode_sio(text);
            assert!(
                matches!(
                    result,
                    Err(CodecError::InvalidEventPayload | CodecError::InvalidJson(_))
                ),
                "{text}: {result:?}"
            );
        }
        assert_eq!(decode_sio("2[1]"), Err(CodecError::InvalidEventPayload));
        assert!(matches!(
            decode_sio(r#"2["a","#),
            Err(CodecError::InvalidJson(_))
        ));
        assert!(matches!(
            decode_sio(r#"2["a"]trailing"#),
            Err(CodecError::InvalidJson(_))
        ));
    }

    #[test]
    fn sio_ack() {
        assert_eq!(
            sio(r#"354["data"]"#),
            SioPayload::Ack {
                id: 54,
                args: vec![json!("data")]
            }
        );
        assert_eq!(
            sio("30[]"),
            SioPayload::Ack {
                id: 0,
                args: vec![]
            }
        );
        let packet = decode_sio(r#"3/admin,13["bar"]"#).unwrap();
        assert_eq!(packet.namespace, "/admin");
        assert_eq!(
            packet.payload,
            SioPayload::Ack {
                id: 13,
                args: vec![json!("bar")]
            }
        );
    }

    #[test]
    fn sio_ack_invalid() {
        assert_eq!(decode_sio(r#"3["x"]"#), Err(CodecError::MissingAckId));
        assert_eq!(decode_sio("3"), Err(CodecError::MissingAckId));
        assert_eq!(
            decode_sio(r#"31{"a":1}"#),
            Err(CodecError::InvalidAckPayload)
        );
        assert_eq!(decode_sio("31\"x\""), Err(CodecError::InvalidAckPayload));
        assert!(matches!(decode_sio("31"), Err(CodecError::InvalidJson(_))));
        assert!(matches!(
            decode_sio("31[1,"),
            Err(CodecError::InvalidJson(_))
        ));
    }

    #[test]
    fn sio_connect_error() {
        assert_eq!(
            sio(r#"4{"message":"Not authorized"}"#),
            SioPayload::ConnectError {
                message: "Not authorized".into(),
                data: None
            }
        );
        assert_eq!(
            sio(r#"4{"message":"Token invalide","data":{"code":"TOKEN_EXPIRED"}}"#),
            SioPayload::ConnectError {
                message: "Token invalide".into(),
                data: Some(json!({"code": "TOKEN_EXPIRED"}))
            }
        );
        assert_eq!(
            sio(r#"4"legacy v4 message""#),
            SioPayload::ConnectError {
                message: "legacy v4 message".into(),
                data: None
            }
        );
        let packet = decode_sio(r#"4/admin,{"message":"Invalid namespace"}"#).unwrap();
        assert_eq!(packet.namespace, "/admin");
    }

    #[test]
    fn sio_connect_error_invalid() {
        assert_eq!(decode_sio("4{}"), Err(CodecError::InvalidConnectError));
        assert_eq!(
            decode_sio(r#"4{"message":3}"#),
            Err(CodecError::InvalidConnectError)
        );
        assert_eq!(decode_sio("4[]"), Err(CodecError::InvalidConnectError));
        assert!(matches!(decode_sio("4"), Err(CodecError::InvalidJson(_))));
    }

    #[test]
    fn sio_binary_rejected() {
        assert_eq!(
            decode_sio(r#"51-["baz",{"_placeholder":true,"num":0}]"#),
            Err(CodecError::BinaryUnsupported)
        );
        assert_eq!(
            decode_sio(r#"61-15["bar",{"_placeholder":true,"num":0}]"#),
            Err(CodecError::BinaryUnsupported)
        );
    }

    #[test]
    fn sio_malformed_type() {
        assert_eq!(decode_sio(""), Err(CodecError::Empty));
        assert_eq!(decode_sio("7"), Err(CodecError::UnknownSocketType('7')));
        assert_eq!(decode_sio("a[]"), Err(CodecError::UnknownSocketType('a')));
        assert_eq!(decode_sio("€"), Err(CodecError::UnknownSocketType('€')));
    }

    #[test]
    fn sio_unicode() {
        assert_eq!(
            sio(r#"2["rendezvous:créé",{"message":"Rendez-vous confirmé ✓ 日本 🎉"}]"#),
            event(
                "rendezvous:créé",
                vec![json!({"message": "Rendez-vous confirmé ✓ 日本 🎉"})],
                None
            )
        );
        let packet = decode_sio(r#"2/admin™,1["é"]"#).unwrap();
        assert_eq!(packet.namespace, "/admin™");
        assert_eq!(packet.payload, event("é", vec![], Some(1)));
    }

    #[test]
    fn never_panics_on_odd_input() {
        // Multibyte characters at every position the parser slices at.
        for text in [
            "2/é,[\"é\"]",
            "2/é",
            "2/é,",
            "2é",
            "21é",
            "2/é,1é",
            "0/é,{\"é\":\"é\"}",
            "51-/é,1[\"é\"]",
            "3/é,é",
            "4/é,",
            "é",
            "\u{1e}",
            "2\u{1e}42[\"a\"]",
            "0/,",
            "/",
            ",",
            "2,",
        ] {
            let _ = decode_sio(text);
            let _ = decode_eio(text);
            let _ = decode_eio(&format!("4{text}"));
        }
    }

    // ---- Socket.IO: encoding ----

    #[test]
    fn sio_encode_connect() {
        assert_eq!(encode_sio(&SioPacket::new(SioPayload::Connect(None))), "0");
        assert_eq!(
            encode_message(&SioPacket::new(SioPayload::Connect(Some(
                json!({"token": "abc"})
            )))),
            r#"40{"token":"abc"}"#
        );
        let admin = SioPacket {
            namespace: "/admin".into(),
            payload: SioPayload::Connect(None),
        };
        assert_eq!(encode_sio(&admin), "0/admin,");
    }

    #[test]
    fn sio_encode_namespace_without_slash_gets_one() {
        let packet = SioPacket {
            namespace: "admin".into(),
            payload: SioPayload::Disconnect,
        };
        assert_eq!(encode_sio(&packet), "1/admin,");
        let empty = SioPacket {
            namespace: String::new(),
            payload: SioPayload::Disconnect,
        };
        assert_eq!(encode_sio(&empty), "1");
    }

    #[test]
    fn sio_encode_event_and_ack() {
        let plain = SioPacket::new(event("hello", vec![json!({"a": 1})], None));
        assert_eq!(encode_message(&plain), r#"42["hello",{"a":1}]"#);
        let with_id = SioPacket::new(event("hello", vec![json!("x")], Some(1234)));
        assert_eq!(encode_message(&with_id), r#"421234["hello","x"]"#);
        let ack = SioPacket {
            namespace: "/admin".into(),
            payload: SioPayload::Ack {
                id: 13,
                args: vec![json!("bar")],
            },
        };
        assert_eq!(encode_sio(&ack), r#"3/admin,13["bar"]"#);
    }

    #[test]
    fn sio_encode_connect_error() {
        let packet = SioPacket::new(SioPayload::ConnectError {
            message: "Token invalide".into(),
            data: None,
        });
        assert_eq!(encode_sio(&packet), r#"4{"message":"Token invalide"}"#);
    }

    #[test]
    fn sio_round_trips() {
        let payloads = [
            SioPayload::Connect(None),
            SioPayload::Connect(Some(json!({"token": "t", "lastEventId": "e-1"}))),
            SioPayload::Disconnect,
            event("a", vec![], None),
            event(
                "b",
                vec![json!(null), json!([1, 2]), json!("日本")],
                Some(0),
            ),
            event("c:d", vec![json!({"x": "✓"})], Some(98_765_432_109)),
            SioPayload::Ack {
                id: 5,
                args: vec![],
            },
            SioPayload::Ack {
                id: 77,
                args: vec![json!({"ok": true}), json!(2)],
            },
            SioPayload::ConnectError {
                message: "Non autorisé".into(),
                data: Some(json!({"retry": false})),
            },
        ];
        for namespace in ["/", "/admin", "/é™"] {
            for payload in payloads.iter().cloned() {
                let packet = SioPacket {
                    namespace: namespace.into(),
                    payload,
                };
                let frame = encode_message(&packet);
                let Ok(EioPacket::Message(inner)) = decode_eio(&frame) else {
                    panic!("{frame} is not a message");
                };
                assert_eq!(decode_sio(&inner), Ok(packet), "{frame}");
            }
        }
    }

    #[test]
    fn args_collapse() {
        assert_eq!(args_to_value(vec![]), Value::Null);
        assert_eq!(args_to_value(vec![json!({"a": 1})]), json!({"a": 1}));
        assert_eq!(args_to_value(vec![json!(1), json!(2)]), json!([1, 2]));
    }

    #[test]
    fn errors_display() {
        assert_eq!(CodecError::Empty.to_string(), "empty packet");
        assert!(CodecError::UnknownEngineType('9')
            .to_string()
            .contains("'9'"));
    }
}
