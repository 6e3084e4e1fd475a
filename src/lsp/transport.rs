//! Messages over a byte stream: `Content-Length` headers, then a JSON body (the protocol's base layer).
//!
//! lsp-server's own reader ends the connection at the first body that is not a message; this one reads the
//! frame, and a body that is not JSON, or not a message, comes back as [`Incoming::Malformed`] so the server can
//! answer it with a parse error and read on. Only a broken frame (no length, or the stream ending inside one)
//! ends the connection: after it, nothing says where the next message starts.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;

pub enum Incoming {
    Message(Message),
    /// A whole frame whose body is not a message; why, in words.
    Malformed(String),
    /// A request whose id lsp-server cannot hold (a number past 32 bits, a fraction, `null`): it would read as
    /// a notification and go unanswered. The id as the client wrote it.
    UnheldId(serde_json::Value),
    /// The stream ended between messages.
    End,
}

/// Header lines longer than this are not headers.
const MAX_HEADER_LINE: u64 = 4096;

/// Reads the next message.
pub fn read(input: &mut impl BufRead) -> io::Result<Incoming> {
    let mut length: Option<usize> = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() && first {
            return Ok(Incoming::End);
        }
        first = false;
        if !line.ends_with(b"\n") {
            return Err(broken("a header line without an end"));
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse()
                    .map_err(|_| broken("a Content-Length that is not a number"))?,
            );
        }
    }
    let length = length.ok_or_else(|| broken("a message without a Content-Length header"))?;
    let mut body = Vec::new();
    input.by_ref().take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the stream ended inside a message",
        ));
    }
    Ok(decode(&body))
}

fn decode(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Message>(body) {
        Ok(Message::Notification(notification)) => match unheld_id(body) {
            Some(id) => Incoming::UnheldId(id),
            None => Incoming::Message(Message::Notification(notification)),
        },
        Ok(message) => Incoming::Message(message),
        // Bytes that are not UTF-8 inside a string: read them as U+FFFD, as an editor shows them.
        Err(_) if std::str::from_utf8(body).is_err() => {
            match serde_json::from_str::<Message>(&String::from_utf8_lossy(body)) {
                Ok(message) => Incoming::Message(message),
                Err(err) => Incoming::Malformed(err.to_string()),
            }
        }
        Err(err) => Incoming::Malformed(err.to_string()),
    }
}

/// The id of a body that lsp-server read as a notification, when it has one: a request with an id it could not
/// hold.
fn unheld_id(body: &[u8]) -> Option<serde_json::Value> {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "present")]
        id: Option<serde_json::Value>,
    }
    fn present<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<serde_json::Value>, D::Error> {
        serde::Deserialize::deserialize(deserializer).map(Some)
    }
    let text = String::from_utf8_lossy(body);
    serde_json::from_str::<Probe>(&text).ok()?.id
}

fn broken(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{what}; cannot read on"),
    )
}

/// Writes a message and flushes it.
pub fn write(output: &mut impl Write, message: Message) -> io::Result<()> {
    message.write(output)?;
    output.flush()
}

/// Answers a body that was not a message, as JSON-RPC asks: a parse error with a null id.
pub fn write_parse_error(output: &mut impl Write, why: &str) -> io::Result<()> {
    let message = format!("not a message: {why}");
    write_error(
        output,
        &serde_json::Value::Null,
        lsp_server::ErrorCode::ParseError,
        &message,
    )
}

/// Answers a request whose id is `id`, as written, with an error; for ids lsp-server's types cannot hold.
pub fn write_error(
    output: &mut impl Write,
    id: &serde_json::Value,
    code: lsp_server::ErrorCode,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_body_that_is_not_a_message_is_skipped_and_the_next_one_read() {
        let mut stream = frame(b"{not json");
        stream.extend(frame(
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        let mut input = io::Cursor::new(stream);
        assert!(matches!(read(&mut input).unwrap(), Incoming::Malformed(_)));
        assert!(
            matches!(read(&mut input).unwrap(), Incoming::Message(Message::Notification(n)) if n.method == "initialized")
        );
        assert!(matches!(read(&mut input).unwrap(), Incoming::End));
    }

    #[test]
    fn bytes_that_are_not_utf8_in_a_string_read_as_replacement_characters() {
        let body = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"text\":\"a\xff\xfeb\"}}";
        let mut input = io::Cursor::new(frame(body));
        let Incoming::Message(Message::Notification(n)) = read(&mut input).unwrap() else {
            panic!("a notification");
        };
        assert_eq!(n.params["text"], "a\u{fffd}\u{fffd}b");
    }

    #[test]
    fn a_request_whose_id_does_not_fit_is_not_taken_for_a_notification() {
        for (id, expected) in [
            ("4294967296", serde_json::json!(4_294_967_296_u64)),
            ("1.5", serde_json::json!(1.5)),
            ("null", serde_json::Value::Null),
        ] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"x","params":{{}}}}"#);
            let mut input = io::Cursor::new(frame(body.as_bytes()));
            let Incoming::UnheldId(found) = read(&mut input).unwrap() else {
                panic!("an id it cannot hold: {id}");
            };
            assert_eq!(found, expected);
        }
        let body = br#"{"jsonrpc":"2.0","method":"x","params":{}}"#;
        let mut input = io::Cursor::new(frame(body));
        assert!(matches!(
            read(&mut input).unwrap(),
            Incoming::Message(Message::Notification(_))
        ));
    }

    #[test]
    fn a_frame_cut_short_or_without_a_length_ends_the_connection() {
        let mut input = io::Cursor::new(b"Content-Length: 50\r\n\r\n{}".to_vec());
        assert!(read(&mut input).is_err());
        let mut input = io::Cursor::new(b"X-Other: 1\r\n\r\n{}".to_vec());
        assert!(read(&mut input).is_err());
    }
}
