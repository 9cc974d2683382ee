//! With `NOVA_SMTP_URL` set, mail really goes out over SMTP (lettre) and nothing is written to
//! the outbox. The SMTP server here is a minimal one on 127.0.0.1 that records what it is sent.

mod common;

use common::*;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Accepts SMTP sessions and sends each message's DATA (headers and body) to the channel.
async fn fake_smtp_server() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 localhost ESMTP test\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split(' ').next().unwrap_or_default().to_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                        "DATA" => {
                            let _ = write.write_all(b"354 end with .\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            let _ = tx.send(data);
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    if write.write_all(answer).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn codes_go_out_over_smtp_when_a_server_is_configured() {
    let (port, mut received) = fake_smtp_server().await;
    let app = app_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_from = "Nova RDV <no-reply@nova-rdv.test>".into();
    })
    .await;
    app.post("/api/auth/otp-request", None, &json!({"email": PATIENT}))
        .await
        .ok(200);
    // Sending runs in the background; wait for the message (bounded, not timed).
    let data = tokio::time::timeout(std::time::Duration::from_secs(60), received.recv())
        .await
        .expect("the mail arrives")
        .expect("a message");
    assert!(data.contains("To: patient@nova-rdv.test"), "{data}");
    assert!(data.contains("no-reply@nova-rdv.test"), "{data}");
    let code = data
        .split("connexion : ")
        .nth(1)
        .map(|rest| rest.chars().take(6).collect::<String>())
        .unwrap_or_else(|| panic!("a code in {data}"));
    assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code:?}");
    app.post(
        "/api/auth/login-otp",
        None,
        &json!({"email": PATIENT, "otp": code}),
    )
    .await
    .ok(200);
    assert!(
        app.ctx.store.outbox_for(PATIENT).await.unwrap().is_empty(),
        "sent mail is not kept"
    );
}

#[tokio::test]
async fn a_bad_smtp_url_stops_the_server_at_start() {
    let result = nova_server::build({
        let mut c = nova_server::Config::for_tests("sqlite::memory:");
        c.smtp_url = Some("ftp://nowhere".into());
        c
    })
    .await;
    assert!(matches!(result, Err(nova_server::Error::Config(_))));
}
