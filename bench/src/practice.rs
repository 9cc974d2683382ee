//! A practice written straight into the database (seeding through the API would spend most of
//! the run on argon2 and on the no-overlap checks we are about to measure): one cabinet, its
//! practitioners with weekly hours, an admin, patients, signed access tokens for each, and
//! appointments laid out without overlaps.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use nova_contract::Role;
use nova_server::auth::tokens::{issue_access, Claims};
use sqlx::{Any, AnyPool, AssertSqlSafe, Transaction};

use crate::rng::Rng;
use crate::Result;

/// Every practitioner's opening hours, Monday to Friday, in local minutes: 09:00–12:00 and
/// 14:00–18:00, as in the demo data (fourteen 30-minute slots a day).
pub const WINDOWS: [(u32, u32); 2] = [(9 * 60, 12 * 60), (14 * 60, 18 * 60)];

/// The cabinet's time zone.
pub const TZ: Tz = chrono_tz::Europe::Paris;

/// Someone who can call the API.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    /// A signed access token, valid for a day.
    pub token: String,
}

#[derive(Debug, Clone)]
pub struct Practice {
    pub cabinet_id: String,
    pub admin: Person,
    pub practitioners: Vec<Person>,
    pub patients: Vec<Person>,
}

/// Creates the practice. Tokens are signed with `secret`, the server's JWT secret.
pub async fn create(
    pool: &AnyPool,
    secret: &[u8],
    practitioners: usize,
    patients: usize,
) -> Result<Practice> {
    let now = Utc::now().timestamp();
    let cabinet_id = uuid::Uuid::new_v4().to_string();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO cabinets (id, name, city, timezone, created_at) \
         VALUES ($1, 'Cabinet du Banc d''essai', 'Paris', $2, $3)",
    )
    .bind(&cabinet_id)
    .bind(TZ.name())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut people = Vec::new();
    let mut add = |role: Role, n: usize| -> Vec<Person> {
        (0..n)
            .map(|i| {
                let id = uuid::Uuid::new_v4().to_string();
                people.push(vec![
                    Val::Text(id.clone()),
                    Val::Text(cabinet_id.clone()),
                    Val::Text(format!("{}-{i}-{}@bench.test", role.as_str(), &id[..8])),
                    // No password: these accounts never log in, they hold signed tokens.
                    Val::Text(nova_server::auth::password::UNUSABLE.into()),
                    Val::Text(format!("{}{i}", role.as_str())),
                    Val::Text("Banc".into()),
                    Val::Text(role.as_str().into()),
                    Val::Int(now),
                ]);
                Person {
                    token: token(secret, &id, &cabinet_id, role, now),
                    id,
                }
            })
            .collect()
    };
    let admin = add(Role::Admin, 1).remove(0);
    let practitioners = add(Role::Practitioner, practitioners);
    let patients = add(Role::Patient, patients);
    insert_rows(
        &mut tx,
        "users",
        &[
            "id",
            "cabinet_id",
            "email",
            "password_hash",
            "first_name",
            "last_name",
            "role",
            "created_at",
        ],
        people,
    )
    .await?;
    let mut hours = Vec::new();
    for p in &practitioners {
        for weekday in 1..=5 {
            for (start, end) in WINDOWS {
                hours.push(vec![
                    Val::Text(p.id.clone()),
                    Val::Int(weekday),
                    Val::Int(i64::from(start)),
                    Val::Int(i64::from(end)),
                ]);
            }
        }
    }
    insert_rows(
        &mut tx,
        "working_hours",
        &["practitioner_id", "weekday", "start_minute", "end_minute"],
        hours,
    )
    .await?;
    tx.commit().await?;
    Ok(Practice {
        cabinet_id,
        admin,
        practitioners,
        patients,
    })
}

fn token(secret: &[u8], id: &str, cabinet_id: &str, role: Role, now: i64) -> String {
    let claims = Claims {
        sub: id.to_string(),
        cab: cabinet_id.to_string(),
        role,
        iat: now as u64,
        exp: (now + 24 * 3600) as u64,
    };
    issue_access(secret, &claims).expect("HS256 signing does not fail")
}

/// Whether a local day has opening hours.
pub fn is_open(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A local wall-clock minute of a day as Unix seconds.
pub fn instant(day: NaiveDate, minute: u32) -> i64 {
    let naive = day
        .and_hms_opt(minute / 60, minute % 60, 0)
        .expect("a minute of the day");
    TZ.from_local_datetime(&naive)
        .earliest()
        .expect("opening hours avoid the DST gap")
        .timestamp()
}

/// Fills `days` days from `from` for every practitioner: walking each opening window, at each
/// step an appointment of 15–60 min starts with probability `fill`, else 30 min stay free. So
/// appointments never overlap, and they fall off the 30-minute grid as real ones do. A few
/// cancelled appointments (which hold nothing) are scattered over the same days. Days before
/// today get past statuses. Returns how many appointments were written.
pub async fn book(
    pool: &AnyPool,
    practice: &Practice,
    from: NaiveDate,
    days: u32,
    fill: f64,
    rng: &mut Rng,
) -> Result<usize> {
    const DURATIONS: [u32; 7] = [15, 30, 30, 30, 30, 45, 60];
    let now = Utc::now().timestamp();
    let today = Utc::now().with_timezone(&TZ).date_naive();
    let mut rows = Vec::new();
    for p in &practice.practitioners {
        for offset in 0..days {
            let day = from + Duration::days(i64::from(offset));
            if !is_open(day) {
                continue;
            }
            let past = day < today;
            for (open, close) in WINDOWS {
                let mut cursor = open;
                while cursor + 15 <= close {
                    if rng.unit() >= fill {
                        cursor += 30;
                        continue;
                    }
                    let mut minutes = DURATIONS[rng.below(DURATIONS.len())];
                    while cursor + minutes > close {
                        minutes -= 15;
                    }
                    let status = if past {
                        if rng.unit() < 0.06 {
                            "no_show"
                        } else {
                            "completed"
                        }
                    } else if rng.unit() < 0.12 {
                        "pending"
                    } else {
                        "confirmed"
                    };
                    rows.push(appointment(
                        practice, p, day, cursor, minutes, status, now, rng,
                    ));
                    if rng.unit() < 0.05 {
                        let at = open + 15 * rng.below(((close - open) / 15) as usize) as u32;
                        let minutes = 15.min(close - at);
                        let row = appointment(practice, p, day, at, minutes, "cancelled", now, rng);
                        rows.push(row);
                    }
                    cursor += minutes;
                }
            }
        }
    }
    let count = rows.len();
    let mut tx = pool.begin().await?;
    insert_rows(
        &mut tx,
        "appointments",
        &[
            "id",
            "cabinet_id",
            "practitioner_id",
            "patient_id",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "duration",
            "urgency",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

#[allow(clippy::too_many_arguments)]
fn appointment(
    practice: &Practice,
    practitioner: &Person,
    day: NaiveDate,
    minute: u32,
    minutes: u32,
    status: &str,
    now: i64,
    rng: &mut Rng,
) -> Vec<Val> {
    let start = instant(day, minute);
    let patient = &practice.patients[rng.below(practice.patients.len())];
    vec![
        Val::Text(uuid::Uuid::new_v4().to_string()),
        Val::Text(practice.cabinet_id.clone()),
        Val::Text(practitioner.id.clone()),
        Val::Text(patient.id.clone()),
        Val::Text("consultation".into()),
        Val::Text(status.into()),
        Val::Int(start),
        Val::Int(start + i64::from(minutes) * 60),
        Val::Int(i64::from(minutes)),
        Val::Text("normal".into()),
        Val::Int(now),
        Val::Int(now),
    ]
}

/// A value to bind in a bulk insert.
enum Val {
    Text(String),
    Int(i64),
}

/// Multi-row INSERTs, 50 rows a statement: seeding tens of thousands of rows one statement at
/// a time would dominate the run on PostgreSQL.
async fn insert_rows(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<Vec<Val>> = rows.by_ref().take(50).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in batch.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if j == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in batch.into_iter().flatten() {
            query = match value {
                Val::Text(s) => query.bind(s),
                Val::Int(i) => query.bind(i),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
