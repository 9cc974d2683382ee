//! `GET /api/appointments/slots` under a realistic booked load: a practice of 20 practitioners
//! whose next four weeks are about two-thirds booked (plus months of history), queried for
//! four weeks at a time for a random practitioner.
//!
//! Prints, per database: the server's own time per request (in process, through the router,
//! no network), the same over real HTTP with keep-alive (one client, then several at once),
//! and the handler's steps timed one by one to show where the time goes.
//!
//! `cargo run -p nova-bench --profile server --bin slots -- --help`

use std::time::{Duration, Instant};

use axum::body::Body;
use chrono::{Duration as Days, NaiveDate, Utc};
use http_body_util::BodyExt;
use nova_bench::db::BenchDb;
use nova_bench::http::{serve, Client};
use nova_bench::params::{param, postgres_url, wants_help};
use nova_bench::practice::{self, Practice, TZ};
use nova_bench::rng::Rng;
use nova_bench::stats::{Latencies, Table};
use nova_bench::Result;
use nova_contract::{ApiResponse, AppointmentSlot};
use nova_server::domain::slots;
use nova_server::{App, Config};
use tower::ServiceExt;

const HELP: &str = "\
slots: server time of GET /api/appointments/slots (4 weeks, 30 min) under a booked load

Parameters (--name value, or the environment variable BENCH_NAME):
  --practitioners N   practitioners in the practice (default 20)
  --weeks N           weeks asked for per request and booked (default 4)
  --fill F            chance an appointment starts at each step of the booking walk (default 0.6)
  --history-weeks N   weeks of past appointments in the database (default 26)
  --requests N        requests per measurement (default 2000)
  --clients N         concurrent keep-alive clients in the last run (default 8)
  --seed N            random seed (default 1)
  --postgres URL      also run on a fresh database of this PostgreSQL server (admin URL)
  --sqlite BOOL       run on a temporary SQLite file (default true)
Target: p99 <= 20 ms server time.";

struct Params {
    practitioners: usize,
    weeks: u32,
    fill: f64,
    history_weeks: u32,
    requests: usize,
    clients: usize,
    seed: u64,
}

impl Params {
    fn read() -> Self {
        Self {
            practitioners: param("practitioners", 20usize).max(1),
            weeks: param("weeks", 4u32).clamp(1, 8),
            fill: param("fill", 0.6f64),
            history_weeks: param("history-weeks", 26u32),
            requests: param("requests", 2000usize).max(1),
            clients: param("clients", 8usize).max(1),
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
    for postgres in databases {
        if let Err(e) = bench(&p, postgres.as_deref()).await {
            eprintln!("slots benchmark failed: {e}");
            std::process::exit(1);
        }
    }
}

async fn bench(p: &Params, postgres: Option<&str>) -> Result<()> {
    let db = BenchDb::create(postgres).await?;
    let outcome = measure(p, &db).await;
    db.remove().await?;
    outcome
}

/// What a run asks for.
struct Ask<'a> {
    practice: &'a Practice,
    from: NaiveDate,
    to: NaiveDate,
}

impl Ask<'_> {
    fn uri(&self, practitioner: usize) -> String {
        format!(
            "/api/appointments/slots?practitionerId={}&dateFrom={}&dateTo={}&duration=30",
            self.practice.practitioners[practitioner].id, self.from, self.to
        )
    }

    /// Any patient may ask; the token only names the cabinet.
    fn token(&self, rng: &mut Rng) -> &str {
        let patients = &self.practice.patients;
        &patients[rng.below(patients.len())].token
    }
}

async fn measure(p: &Params, db: &BenchDb) -> Result<()> {
    let app = nova_server::build(Config::for_tests(db.url())).await?;
    let pool = db.pool().await?;
    let practice =
        practice::create(&pool, &app.ctx.config.jwt_secret, p.practitioners, 200).await?;
    let mut rng = Rng::new(p.seed);
    // From tomorrow, so no slot slips into the past during the run.
    let from = Utc::now().with_timezone(&TZ).date_naive() + Days::days(1);
    let days = p.weeks * 7;
    let to = from + Days::days(i64::from(days) - 1);
    let upcoming = practice::book(&pool, &practice, from, days, p.fill, &mut rng).await?;
    let history_from = from - Days::days(i64::from(p.history_weeks) * 7);
    let history = practice::book(
        &pool,
        &practice,
        history_from,
        p.history_weeks * 7,
        p.fill,
        &mut rng,
    )
    .await?;
    pool.close().await;
    let ask = Ask {
        practice: &practice,
        from,
        to,
    };

    // Every practitioner once: the answers must be whole, and tell how booked the weeks are.
    let (mut offered, mut taken) = (0usize, 0usize);
    for i in 0..p.practitioners {
        let (status, body) = in_process(&app, &ask.uri(i), ask.token(&mut rng)).await?;
        if status != 200 {
            return Err(format!(
                "slots answered {status}: {}",
                String::from_utf8_lossy(&body)
            )
            .into());
        }
        let reply: ApiResponse<Vec<AppointmentSlot>> = serde_json::from_slice(&body)?;
        let list = reply.data.unwrap_or_default();
        offered += list.len();
        taken += list.iter().filter(|s| !s.available).count();
    }
    println!();
    println!(
        "== slots on {}: {} practitioners, {from} to {to} ({} weeks), {upcoming} upcoming + {history} past appointments",
        db.label(),
        p.practitioners,
        p.weeks
    );
    println!(
        "   {} slots of 30 min per answer, {:.1}% of them unavailable (booked)",
        offered / p.practitioners,
        100.0 * taken as f64 / offered.max(1) as f64
    );

    let mut table = Table::latency("GET /api/appointments/slots");
    for _ in 0..100 {
        let i = rng.below(p.practitioners);
        in_process(&app, &ask.uri(i), ask.token(&mut rng)).await?;
    }
    let (lat, rate) = run_in_process(&app, &ask, p, &mut rng).await?;
    table.latency_row("in process (router, no network)", &lat, rate);

    let server = App {
        router: app.router.clone(),
        ctx: app.ctx.clone(),
    };
    let (addr, task) = serve(server).await?;
    let (lat, rate) = run_http(addr, &ask, p, 1, &mut rng).await?;
    table.latency_row("HTTP keep-alive, 1 client", &lat, rate);
    let (lat, rate) = run_http(addr, &ask, p, p.clients, &mut rng).await?;
    table.latency_row(
        &format!("HTTP keep-alive, {} clients", p.clients),
        &lat,
        rate,
    );
    task.abort();
    table.print();

    println!();
    println!("   where the time goes: the handler's steps, timed alone");
    breakdown(&app, &ask, p, &mut rng).await?.print();
    Ok(())
}

async fn in_process(app: &App, uri: &str, token: &str) -> Result<(u16, axum::body::Bytes)> {
    let request = axum::http::Request::get(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())?;
    let response = app.router.clone().oneshot(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, body))
}

async fn run_in_process(
    app: &App,
    ask: &Ask<'_>,
    p: &Params,
    rng: &mut Rng,
) -> Result<(Latencies, f64)> {
    let mut lat = Latencies::new();
    let started = Instant::now();
    for _ in 0..p.requests {
        let uri = ask.uri(rng.below(p.practitioners));
        let token = ask.token(rng).to_string();
        let t = Instant::now();
        let (status, _) = in_process(app, &uri, &token).await?;
        lat.record(t.elapsed());
        if status != 200 {
            return Err(format!("slots answered {status}").into());
        }
    }
    Ok((lat, p.requests as f64 / started.elapsed().as_secs_f64()))
}

/// `requests` requests shared by `clients` concurrent clients, each on its own connection.
async fn run_http(
    addr: std::net::SocketAddr,
    ask: &Ask<'_>,
    p: &Params,
    clients: usize,
    rng: &mut Rng,
) -> Result<(Latencies, f64)> {
    let per_client = p.requests.div_ceil(clients);
    let mut plans = Vec::new();
    for _ in 0..clients {
        let plan: Vec<(String, String)> = (0..per_client)
            .map(|_| {
                let uri = ask.uri(rng.below(p.practitioners));
                (uri, ask.token(rng).to_string())
            })
            .collect();
        plans.push(plan);
    }
    // Open each connection before the clock starts.
    let mut warm = Vec::new();
    for plan in &plans {
        let client = Client::new(addr);
        client.get(&plan[0].0, &plan[0].1).await?;
        warm.push(client);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (client, plan) in warm.into_iter().zip(plans) {
        tasks.push(tokio::spawn(async move {
            let mut lat = Latencies::new();
            for (uri, token) in plan {
                let t = Instant::now();
                let (status, _) = client.get(&uri, &token).await?;
                lat.record(t.elapsed());
                if status != 200 {
                    return Err(format!("slots answered {status}").into());
                }
            }
            Ok::<_, nova_bench::Error>(lat)
        }));
    }
    let mut all = Latencies::new();
    for task in tasks {
        all.add(&task.await??);
    }
    let rate = all.count() as f64 / started.elapsed().as_secs_f64();
    Ok((all, rate))
}

/// The handler's steps, each timed over its own loop: the two queries, the engine, and
/// building the JSON answer.
async fn breakdown(app: &App, ask: &Ask<'_>, p: &Params, rng: &mut Rng) -> Result<Table> {
    let store = &app.ctx.store;
    let n = (p.requests / 2).max(1);
    let ids: Vec<&str> = (0..n)
        .map(|_| {
            ask.practice.practitioners[rng.below(p.practitioners)]
                .id
                .as_str()
        })
        .collect();
    let window = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let (from, to) = (
        window(ask.from) - Days::days(1),
        window(ask.to) + Days::days(2),
    );
    let mut table = Table::latency("step");
    let mut step = |label: &str, lat: Latencies, took: Duration| {
        let rate = lat.count() as f64 / took.as_secs_f64();
        table.latency_row(label, &lat, rate);
    };

    let (mut lat, t) = (Latencies::new(), Instant::now());
    let mut inputs = Vec::new();
    for id in &ids {
        let s = Instant::now();
        let hours = store.working_hours(id).await?;
        lat.record(s.elapsed());
        inputs.push((*id, hours));
    }
    step("query: weekly hours", lat, t.elapsed());

    let (mut lat, t) = (Latencies::new(), Instant::now());
    let mut full = Vec::new();
    let mut busy_rows = 0;
    for (id, hours) in inputs {
        let s = Instant::now();
        let busy = store.busy(id, from, to).await?;
        lat.record(s.elapsed());
        busy_rows += busy.len();
        full.push((id, hours, busy));
    }
    step(
        &format!("query: busy ({} rows each)", busy_rows / n),
        lat,
        t.elapsed(),
    );

    let (mut lat, t) = (Latencies::new(), Instant::now());
    let not_before = Utc::now();
    let mut answers = Vec::new();
    for (id, hours, busy) in &full {
        let s = Instant::now();
        let found = slots::slots(&slots::SlotQuery {
            tz: TZ,
            hours,
            busy,
            closed: &[],
            buffer_min: 0,
            from: ask.from,
            to: ask.to,
            duration_min: 30,
            step_min: slots::default_step(30),
            not_before,
        });
        lat.record(s.elapsed());
        answers.push((*id, found));
    }
    step("engine: slots::slots", lat, t.elapsed());

    let (mut lat, t) = (Latencies::new(), Instant::now());
    for (id, found) in answers {
        let s = Instant::now();
        let out: Vec<AppointmentSlot> = found
            .into_iter()
            .map(|s| AppointmentSlot {
                date: s.date,
                time: s.local_time.format("%H:%M").to_string(),
                available: s.available,
                practitioner_id: id.to_string(),
                duration: 30,
                kind: None,
                start_time: s.start,
            })
            .collect();
        let bytes = serde_json::to_vec(&ApiResponse::ok(out))?;
        std::hint::black_box(bytes);
        lat.record(s.elapsed());
    }
    step("answer: build + JSON", lat, t.elapsed());
    Ok(table)
}
