//! Appointment lists: `sortBy` / `sortOrder`, `search` on the patient's name and email, with
//! the existing filters and paging, and typed errors for bad values.

mod common;

use common::scheduling::*;
use common::*;
use serde_json::Value;

fn starts(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|a| a["startTime"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn lists_sort_by_start_creation_or_status_both_ways() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let patient = app.login(PATIENT).await;
    let day = quiet_day();
    // Booked in this order: 15:00, 09:00, 11:00; the 11:00 one then confirmed.
    let mut ids = Vec::new();
    for (h, m) in [(15, 0), (9, 0), (11, 0)] {
        ids.push(
            app.book(
                &patient.token,
                &booking(&martin.user_id, paris(day, h, m), 30),
            )
            .await,
        );
    }
    app.put(
        &format!("/api/appointments/{}/confirm", ids[2]),
        martin.bearer(),
    )
    .await
    .ok(200);
    let list = |query: &str| {
        let app = &app;
        let uri = format!("/api/appointments?dateFrom={day}&dateTo={day}&{query}");
        let token = martin.token.clone();
        async move { list_items(&app.get(&uri, Some(&token)).await) }
    };
    let at = |h, m| rfc3339(paris(day, h, m));

    assert_eq!(starts(&list("").await), [at(9, 0), at(11, 0), at(15, 0)]);
    assert_eq!(
        starts(&list("sortBy=startTime&sortOrder=desc").await),
        [at(15, 0), at(11, 0), at(9, 0)]
    );
    // Creation order: all three may share a second, so compare with the ids' booking order
    // only through createdAt being non-decreasing.
    let created = list("sortBy=createdAt&sortOrder=asc").await;
    let stamps: Vec<&str> = created
        .iter()
        .map(|a| a["createdAt"].as_str().unwrap())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    let created_desc = list("sortBy=createdAt&sortOrder=desc").await;
    let stamps: Vec<&str> = created_desc
        .iter()
        .map(|a| a["createdAt"].as_str().unwrap())
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] >= w[1]), "{stamps:?}");

    let by_status = list("sortBy=status").await;
    let statuses: Vec<&str> = by_status
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["confirmed", "pending", "pending"]);
    // Ties keep start order in the same direction.
    assert_eq!(starts(&by_status)[1..], [at(9, 0), at(15, 0)]);
    let by_status_desc = list("sortBy=status&sortOrder=desc").await;
    assert_eq!(starts(&by_status_desc), [at(15, 0), at(9, 0), at(11, 0)]);
}

#[tokio::test]
async fn sorting_holds_across_pages() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    let mut seen = Vec::new();
    let total = app.total(&martin.token, "").await;
    let pages = total.div_ceil(3);
    for page in 1..=pages {
        let reply = app
            .get(
                &format!("/api/appointments?sortBy=startTime&sortOrder=desc&limit=3&page={page}"),
                martin.bearer(),
            )
            .await;
        seen.extend(starts(&list_items(&reply)));
    }
    assert_eq!(seen.len() as u64, total);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted);
}

#[tokio::test]
async fn search_matches_names_and_emails_in_any_case() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    // Demo: Léa Dubois (patient@) sees Dr Bernard, Karim Benali (patient2@) Dr Martin.
    let all = app.total(&martin.token, "").await;
    let dubois = app.total(&martin.token, "search=dubois").await;
    let benali = app.total(&martin.token, "search=BENALI").await;
    assert!(dubois > 0 && benali > 0);
    assert_eq!(
        dubois + benali,
        all,
        "every demo appointment is one of theirs"
    );
    assert_eq!(app.total(&martin.token, "search=karim").await, benali);
    assert_eq!(
        app.total(&martin.token, "search=Patient2%40nova").await,
        benali
    );
    assert_eq!(
        app.total(&martin.token, "search=%20%20dubois%20").await,
        dubois,
        "trimmed"
    );
    assert_eq!(
        app.total(&martin.token, "search=").await,
        all,
        "empty: no filter"
    );
    assert_eq!(app.total(&martin.token, "search=nobody").await, 0);
    // LIKE wildcards are taken literally.
    assert_eq!(app.total(&martin.token, "search=%25").await, 0);
    assert_eq!(app.total(&martin.token, "search=_").await, 0);
    assert_eq!(app.total(&martin.token, "search=dub_is").await, 0);
    // Combined with filters, and on the items as well as the count.
    let reply = app
        .get("/api/appointments?search=dubois&limit=100", martin.bearer())
        .await;
    assert!(list_items(&reply)
        .iter()
        .all(|a| a["patient"]["lastName"] == "Dubois"));
    let bernard_id = app.practitioner_id(&martin.token, "Bernard").await;
    assert_eq!(
        app.total(
            &martin.token,
            &format!("search=dubois&practitionerId={bernard_id}")
        )
        .await,
        dubois
    );
    assert_eq!(
        app.total(
            &martin.token,
            &format!("search=benali&practitionerId={bernard_id}")
        )
        .await,
        0
    );
    // A patient's search stays within their own appointments.
    let patient = app.login(PATIENT).await;
    assert_eq!(app.total(&patient.token, "search=benali").await, 0);
    assert_eq!(app.total(&patient.token, "search=dubois").await, dubois);
}

#[tokio::test]
async fn bad_list_parameters_name_their_field() {
    let app = app().await;
    let martin = app.login(MARTIN).await;
    for (query, field) in [
        ("sortBy=price", "sortBy"),
        ("sortBy=start_time", "sortBy"),
        ("sortOrder=up", "sortOrder"),
        ("sortOrder=ASC", "sortOrder"),
        ("status=maybe", "status"),
        ("limit=0", "limit"),
    ] {
        app.get(&format!("/api/appointments?{query}"), martin.bearer())
            .await
            .err(422, "VALIDATION_ERROR")
            .field_is(field);
    }
    let long = "a".repeat(101);
    app.get(&format!("/api/appointments?search={long}"), martin.bearer())
        .await
        .err(422, "VALIDATION_ERROR")
        .field_is("search");
}
