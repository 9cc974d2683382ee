//! Booking under contention: many clients at once, over real HTTP with keep-alive, try to book
//! the same few slots (each slot is aimed at several times, some attempts an hour long so they
//! straddle two slots). Half the clients are patients booking for themselves, half are staff
//! booking for a new patient (`patientData`).
//!
//! Prints, per database, the outcomes (201 booked, 409 SLOT_CONFLICT, anything else), the rates
//! (successful bookings per second, attempts per second), latency percentiles, and then checks
//! the database itself: no two appointments of a practitioner that hold their slot overlap,
//! every 201 is stored, and refused staff bookings left no patient behind.
//!
//! `cargo run -p nova-bench --profile server --bin booking -- --help`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hyper::body::Bytes;
use nova_bench::db::BenchDb;
use nova_bench::http::{serve, Client};
use nova_bench::params::{param, postgres_url, wants_help};
use nova_bench::practice::{self, Practice, TZ, WINDOWS};
use nova_bench::rng::Rng;
use nova_bench::stats::{Latencies, Table};
use nova_bench::Result;
use nova_contract::{AppointmentType, CreateAppointmentRequest, PatientData};
use sqlx::AnyPool;

const HELP: &str = "\
booking: POST /api/appointments throughput under contention, and a double-booking check

Parameters (--name value, or the environment variable BENCH_NAME):
  --clients N         concurrent keep-alive clients (tokio tasks) (default 64)
  --practitioners N   practitioners whose slots are fought over (default 20)
  --days N            opening days fought over (14 slots of 30 min each) (default 10)
  --attempts N        attempts aimed at each slot (default 4)
  --long F            share of attempts that are 60 min (two slots) (default 0.2)
  --seed N            random seed (default 1)
  --postgres URL      also run on a fresh database of this PostgreSQL server (admin URL)
  --sqlite BOOL       run on a temporary SQLite file (default true)
Targets: >= 1000 bookings/s on SQLite, >= 3000/s on PostgreSQL.";

struct Params {
    clients: usize,
    practitioners: usize,
    days: u32,
    attempts: usize,
    long: f64,
    seed: u64,
}

impl Params {
    fn read() -> Self {
        Self {
            clients: param("clients", 64usize).max(1),
            practitioners: param("practitioners", 20usize).max(1),
            days: param("days", 10u32).max(1),
            attempts: param("attempts", 4usize).max(1),
            long: param("long", 0.2f64),
            seed: param("seed", 1u64),
        }
    }
}

#[tokio::main]
async fn main() {
    if wants_help() {
        println!("{HELP}");
        return;
    }
    nova_bench::init_tracing();
    let p = Params::read();
    let mut databases = Vec::new();
    if param("sqlite", true) {
        databases.push(None);
    }
    databases.extend(postgres_url().map(Some));
    let mut double_bookings = 0;
    for postgres in databases {
        match bench(&p, postgres.as_deref()).await {
            Ok(found) => double_bookings += found,
            Err(e) => {
                eprintln!("booking benchmark failed: {e}");
                std::process::exit(1);
            }
        }
    }
    if double_bookings > 0 {
        std::process::exit(3);
    }
}

async fn bench(p: &Params, postgres: Option<&str>) -> Result<i64> {
    let db = BenchDb::create(postgres).await?;
    let outcome = measure(p, &db).await;
    db.remove().await?;
    outcome
}

/// One booking attempt, prepared before the clock starts.
struct Attempt {
    practitioner: usize,
    start: DateTime<Utc>,
    minutes: u32,
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    booked: usize,
    booked_by_staff: usize,
    conflicts: usize,
    other: usize,
    examples: Vec<String>,
    booked_lat: Latencies,
    conflict_lat: Latencies,
    all_lat: Latencies,
}

impl Tally {
    fn attempts(&self) -> usize {
        self.booked + self.conflicts + self.other
    }

    fn merge(&mut self, o: Tally) {
        self.booked += o.booked;
        self.booked_by_staff += o.booked_by_staff;
        self.conflicts += o.conflicts;
        self.other += o.other;
        self.examples.extend(o.examples);
        self.examples.truncate(3);
        self.booked_lat.add(&o.booked_lat);
        self.conflict_lat.add(&o.conflict_lat);
        self.all_lat.add(&o.all_lat);
    }
}

/// Open days from the day after tomorrow (so none turns into the past during the run): the
/// first `skip` are left out, the next `n` returned.
fn days(skip: u32, n: u32) -> Vec<NaiveDate> {
    let mut day = Utc::now().with_timezone(&TZ).date_naive() + Duration::days(2);
    let mut out = Vec::new();
    while out.len() < (skip + n) as usize {
        if practice::is_open(day) {
            out.push(day);
        }
        day += Duration::days(1);
    }
    out.split_off(skip as usize)
}

/// Every 30-minute slot of these days, aimed at `p.attempts` times, in random order; and how
/// many slots that is.
fn plan(p: &Params, days: &[NaiveDate], rng: &mut Rng) -> (Vec<Attempt>, usize) {
    let mut attempts = Vec::new();
    let mut slots = 0;
    for practitioner in 0..p.practitioners {
        for &day in days {
            for (open, close) in WINDOWS {
                let mut minute = open;
                while minute + 30 <= close {
                    slots += 1;
                    for _ in 0..p.attempts {
                        let minutes = if minute + 60 <= close && rng.unit() < p.long {
                            60
                        } else {
                            30
                        };
                        let start = practice::instant(day, minute);
                        attempts.push(Attempt {
                            practitioner,
                            start: DateTime::from_timestamp(start, 0).unwrap_or_default(),
                            minutes,
                        });
                    }
                    minute += 30;
                }
            }
        }
    }
    rng.shuffle(&mut attempts);
    (attempts, slots)
}

async fn measure(p: &Params, db: &BenchDb) -> Result<i64> {
    let app = nova_server::build(nova_server::Config::for_tests(db.url())).await?;
    let pool = db.pool().await?;
    let practice = practice::create(
        &pool,
        &app.ctx.config.jwt_secret,
        p.practitioners,
        p.clients,
    )
    .await?;
    let practice = Arc::new(practice);
    let mut rng = Rng::new(p.seed);
    let (attempts, slots) = plan(p, &days(0, p.days), &mut rng);
    let total = attempts.len();
    // Warm-up on two later days, off the clock: every client connection, pool connection and
    // prepared statement is open before the measured run, as on a server that has been up.
    let (mut warm_up, _) = plan(p, &days(p.days, 2), &mut rng);
    warm_up.truncate(p.clients * WARM_UP_PER_CLIENT);
    let (addr, server) = serve(app).await?;
    let clients: Vec<Client> = (0..p.clients).map(|_| Client::new(addr)).collect();
    let (warm, _) = fire(&clients, &practice, warm_up, "warm").await?;
    let (tally, elapsed) = fire(&clients, &practice, attempts, "run").await?;
    server.abort();
    let check = verify(&pool, &practice).await?;
    pool.close().await;

    println!();
    println!(
        "== booking on {}: {} clients over HTTP keep-alive, {} practitioners x {} days x 14 slots = {slots} slots, {} attempts each ({:.0}% of them 60 min)",
        db.label(),
        p.clients,
        p.practitioners,
        p.days,
        p.attempts,
        100.0 * p.long
    );
    let mut outcomes = Table::new(&["outcome", "count", "per second"]);
    for (label, count) in [
        ("201 booked", tally.booked),
        ("409 SLOT_CONFLICT", tally.conflicts),
        ("other", tally.other),
        ("all attempts", total),
    ] {
        outcomes.row(vec![
            label.into(),
            count.to_string(),
            format!("{:.0}", count as f64 / elapsed),
        ]);
    }
    outcomes.print();
    for e in warm.examples.iter().chain(&tally.examples) {
        println!("   other answer: {e}");
    }
    println!(
        "   wall time {elapsed:.2} s (after a warm-up of {} attempts, {} booked)",
        warm.attempts(),
        warm.booked
    );
    println!();
    let mut latency = Table::latency("POST /api/appointments");
    latency.latency_row("all attempts", &tally.all_lat, total as f64 / elapsed);
    latency.latency_row(
        "201 booked",
        &tally.booked_lat,
        tally.booked as f64 / elapsed,
    );
    latency.latency_row(
        "409 SLOT_CONFLICT",
        &tally.conflict_lat,
        tally.conflicts as f64 / elapsed,
    );
    latency.print();
    println!();
    let booked = (warm.booked + tally.booked) as i64;
    let by_staff = (warm.booked_by_staff + tally.booked_by_staff) as i64;
    println!("   double bookings: {}", check.overlaps);
    println!(
        "   appointments stored: {} (201 answers: {booked})",
        check.stored
    );
    println!(
        "   patients created by staff: {} (staff 201 answers: {by_staff})",
        check.walk_ins
    );
    if check.stored != booked || check.walk_ins != by_staff {
        return Err("the database disagrees with the answers".into());
    }
    Ok(check.overlaps)
}

/// Warm-up attempts per client.
const WARM_UP_PER_CLIENT: usize = 10;

/// Runs `attempts` through the clients, each taking the next attempt as soon as its previous
/// answer is in. Even-numbered clients are patients booking for themselves, odd ones staff
/// booking for a new patient. Returns what they saw and the wall time in seconds.
async fn fire(
    clients: &[Client],
    practice: &Arc<Practice>,
    attempts: Vec<Attempt>,
    phase: &'static str,
) -> Result<(Tally, f64)> {
    let attempts = Arc::new(attempts);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, client) in clients.iter().cloned().enumerate() {
        let (attempts, next, practice) = (attempts.clone(), next.clone(), practice.clone());
        tasks.push(tokio::spawn(async move {
            let staff = i % 2 == 1;
            let token = if staff {
                practice.admin.token.clone()
            } else {
                practice.patients[i].token.clone()
            };
            let mut tally = Tally::default();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(a) = attempts.get(n) else { break };
                let body = request_body(&practice, a, staff.then(|| format!("{phase}-{n}")));
                let t = Instant::now();
                let (status, reply) = client.post_json("/api/appointments", &token, body).await?;
                let took = t.elapsed();
                tally.all_lat.record(took);
                let text = String::from_utf8_lossy(&reply);
                match status.as_u16() {
                    201 => {
                        tally.booked += 1;
                        tally.booked_by_staff += usize::from(staff);
                        tally.booked_lat.record(took);
                    }
                    409 if text.contains("\"SLOT_CONFLICT\"") => {
                        tally.conflicts += 1;
                        tally.conflict_lat.record(took);
                    }
                    other => {
                        tally.other += 1;
                        if tally.examples.len() < 3 {
                            tally.examples.push(format!("{other}: {text}"));
                        }
                    }
                }
            }
            Ok::<_, nova_bench::Error>(tally)
        }));
    }
    let mut tally = Tally::default();
    for task in tasks {
        tally.merge(task.await??);
    }
    Ok((tally, started.elapsed().as_secs_f64()))
}

/// A booking for the caller, or, with `walk_in` (a unique tag), for a new patient.
fn request_body(practice: &Practice, a: &Attempt, walk_in: Option<String>) -> Bytes {
    let request = CreateAppointmentRequest {
        patient_id: None,
        patient_data: walk_in.map(|tag| PatientData {
            first_name: "Walk".into(),
            last_name: format!("In {tag}"),
            email: format!("walkin-{tag}@bench.test"),
            phone: "0600000000".into(),
        }),
        practitioner_id: practice.practitioners[a.practitioner].id.clone(),
        kind: AppointmentType::Consultation,
        start_time: a.start,
        duration: a.minutes,
        notes: None,
        urgency: None,
    };
    Bytes::from(serde_json::to_vec(&request).expect("a request serializes"))
}

struct Check {
    overlaps: i64,
    stored: i64,
    walk_ins: i64,
}

/// What the database holds after the run, asked directly.
async fn verify(pool: &AnyPool, practice: &Practice) -> Result<Check> {
    let (overlaps,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM appointments a JOIN appointments b \
         ON a.practitioner_id = b.practitioner_id AND a.id < b.id \
         WHERE a.status IN ('pending', 'confirmed') AND b.status IN ('pending', 'confirmed') \
         AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at",
    )
    .fetch_one(pool)
    .await?;
    let (stored,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM appointments WHERE cabinet_id = $1")
            .bind(&practice.cabinet_id)
            .fetch_one(pool)
            .await?;
    let (walk_ins,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE email LIKE 'walkin-%@bench.test'",
    )
    .fetch_one(pool)
    .await?;
    Ok(Check {
        overlaps,
        stored,
        walk_ins,
    })
}
