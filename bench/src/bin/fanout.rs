//! Fan-out: thousands of connected sockets in cabinet rooms, events triggered through the
//! announcement endpoint (a manager telling their cabinet something), against nova-server
//! (its own process, so its CPU and memory can be read from /proc) and against a reference
//! server on Node's `socket.io` under the same load. Prints numbers; asserts nothing.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hyper::body::Bytes;
use nova_bench::db::BenchDb;
use nova_bench::fanout::{client, cpu_seconds, rss_kb, Board};
use nova_bench::http::Client;
use nova_bench::params::{param, wants_help};
use nova_bench::stats::Table;
use nova_bench::{practice, Result};

const STEADY: usize = 0;
const BURST: usize = 1;
const SATURATION: usize = 2;

struct Params {
    sockets: usize,
    rooms: usize,
    rate: usize,
    seconds: u64,
    bursts: usize,
    saturate: u64,
    concurrency: usize,
    node: bool,
}

/// The load, the same for both servers.
struct Load {
    p: Params,
    per_room: usize,
    /// (token, room) per client, in room order.
    clients: Vec<(String, usize)>,
    /// One manager-level (admin) token per room, to announce with.
    announcers: Vec<String>,
}

struct Outcome {
    name: &'static str,
    idle_bytes_per_socket: f64,
    steady: nova_bench::stats::Latencies,
    steady_cpu_us_per_delivery: f64,
    burst: nova_bench::stats::Latencies,
    burst_seconds: f64,
    saturation_deliveries_per_s: f64,
    saturation: nova_bench::stats::Latencies,
    /// Cores the server and this benchmark (its 2,000 clients) used at saturation: on two
    /// shared cores their sum is the machine, and the clients' share caps what any server
    /// can be shown to deliver.
    saturation_server_cores: f64,
    saturation_client_cores: f64,
    sent: u64,
    delivered: u64,
    dropped: u64,
    http_errors: u64,
}

#[tokio::main]
async fn main() -> Result<()> {
    if wants_help() {
        println!(
            "fanout: --sockets 2000 --rooms 100 --rate 200 (events/s) --seconds 10 --bursts 5 \
             --saturate 5 (s) --concurrency 32 (requests in flight at saturation) --node 1"
        );
        return Ok(());
    }
    nova_bench::init_tracing();
    let p = Params {
        sockets: param("sockets", 2000),
        rooms: param("rooms", 100),
        rate: param("rate", 200),
        seconds: param("seconds", 10),
        bursts: param("bursts", 5),
        saturate: param("saturate", 5),
        concurrency: param("concurrency", 32),
        node: param::<u8>("node", 1) == 1,
    };
    let per_room = (p.sockets / p.rooms).max(3);

    // Seed: one cabinet per room, an admin and a practitioner and patients in each.
    let db = BenchDb::create(None).await?;
    let app = nova_server::build(nova_server::Config::for_tests(db.url())).await?;
    let secret = app.ctx.config.jwt_secret.clone();
    drop(app);
    let pool = db.pool().await?;
    let (mut clients, mut announcers) = (Vec::new(), Vec::new());
    for room in 0..p.rooms {
        let practice = practice::create(&pool, &secret, 1, per_room - 2).await?;
        let people = std::iter::once(&practice.admin)
            .chain(&practice.practitioners)
            .chain(&practice.patients);
        clients.extend(people.map(|person| (person.token.clone(), room)));
        announcers.push(practice.admin.token.clone());
    }
    pool.close().await;
    let load = Load {
        p,
        per_room,
        clients,
        announcers,
    };

    println!(
        "Fan-out: {} sockets in {} rooms of {}, {} events/s for {} s, {} bursts of one event \
         per room ({} deliveries each), {} s at saturation; {} cores, load average {}",
        load.clients.len(),
        load.p.rooms,
        load.per_room,
        load.p.rate,
        load.p.seconds,
        load.p.bursts,
        load.clients.len(),
        load.p.saturate,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    );

    let mut outcomes = Vec::new();
    let bin_dir = std::env::current_exe()?
        .parent()
        .map(PathBuf::from)
        .ok_or("no executable directory")?;
    let port = free_port()?;
    let nova = Command::new(bin_dir.join("nova-server"))
        .env("NOVA_ADDR", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", db.url())
        .env("JWT_SECRET", String::from_utf8_lossy(&secret).to_string())
        .env("NOVA_DEMO", "0")
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or("warn".into()),
        )
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("nova-server next to this program: {e}"))?;
    outcomes.push(run_against("nova", nova, port, &load).await?);

    if load.p.node {
        let dir = PathBuf::from(param("node-ref", "bench/node-ref".to_string()));
        if dir.join("node_modules/socket.io").exists() {
            let port = free_port()?;
            let node = Command::new("node")
                .arg(dir.join("server.mjs"))
                .env("PORT", port.to_string())
                .stdout(Stdio::null())
                .spawn()
                .map_err(|e| format!("node: {e}"))?;
            outcomes.push(run_against("node", node, port, &load).await?);
        } else {
            eprintln!(
                "no {}/node_modules: run bench/fanout.sh (it installs socket.io)",
                dir.display()
            );
        }
    }
    print(&outcomes);
    Ok(())
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn run_against(
    name: &'static str,
    mut child: Child,
    port: u16,
    load: &Load,
) -> Result<Outcome> {
    let outcome = measure(name, child.id(), port, load).await;
    let _ = child.kill();
    let _ = child.wait();
    outcome
}

async fn measure(name: &'static str, pid: u32, port: u16, load: &Load) -> Result<Outcome> {
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let http = Client::new(addr);
    let started = Instant::now();
    loop {
        if let Ok((status, _)) = http.get("/api/health", "").await {
            if status.is_success() {
                break;
            }
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!("{name} did not answer /api/health").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let max_events = load.p.rate * load.p.seconds as usize + load.p.bursts * load.p.rooms + 500_000;
    let board = Board::new(max_events, 3, load.clients.len(), load.p.rooms);
    let announcer = Announcer {
        http: http.clone(),
        board: board.clone(),
        seq: Arc::new(AtomicUsize::new(0)),
        errors: Arc::new(AtomicU64::new(0)),
        tokens: Arc::new(load.announcers.clone()),
    };
    let announce = |phase: usize, room: usize| announcer.post(phase, room);
    // One event before measuring, so lazily built parts of both servers exist.
    announce(BURST, 0).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Idle memory: RSS before and after every socket connected and settled.
    let rss_before = rss_kb(pid);
    let mut readers = Vec::new();
    let gate = Arc::new(tokio::sync::Semaphore::new(64));
    let mut connecting = tokio::task::JoinSet::new();
    for (i, (token, _)) in load.clients.iter().enumerate() {
        let (gate, board, token) = (gate.clone(), board.clone(), token.clone());
        connecting.spawn(async move {
            let _permit = gate.acquire_owned().await;
            client(addr, &token, i, board).await
        });
    }
    while let Some(joined) = connecting.join_next().await {
        readers.push(joined.map_err(|e| e.to_string())??);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_bytes_per_socket =
        (rss_kb(pid).saturating_sub(rss_before) * 1024) as f64 / load.clients.len() as f64;
    let room_of = |c: usize| load.clients[c].1;
    // The warm-up event was sent before anyone listened.
    board.sent_to_room[0].store(0, Ordering::Relaxed);

    // Steady rate.
    let cpu_before = cpu_seconds(pid);
    let received_before = board.total_received();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / load.p.rate as f64));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut posts = tokio::task::JoinSet::new();
    for i in 0..load.p.rate * load.p.seconds as usize {
        ticker.tick().await;
        posts.spawn(announce(STEADY, i % load.p.rooms));
    }
    while posts.join_next().await.is_some() {}
    settle(&board, &room_of).await;
    let steady_deliveries = board.total_received() - received_before;
    let steady_cpu_us_per_delivery =
        (cpu_seconds(pid) - cpu_before) * 1e6 / steady_deliveries.max(1) as f64;

    // Bursts: one event per room at once, every socket receives one.
    let burst_started = Instant::now();
    for _ in 0..load.p.bursts {
        let mut posts = tokio::task::JoinSet::new();
        for room in 0..load.p.rooms {
            posts.spawn(announce(BURST, room));
        }
        while posts.join_next().await.is_some() {}
        settle(&board, &room_of).await;
    }
    let burst_seconds = burst_started.elapsed().as_secs_f64() / load.p.bursts.max(1) as f64;

    // Saturation: as many events as `concurrency` requests in flight allow.
    let received_before = board.total_received();
    let cpu_before = (cpu_seconds(pid), cpu_seconds(std::process::id()));
    let started = Instant::now();
    let until = started + Duration::from_secs(load.p.saturate);
    let next_room = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..load.p.concurrency {
        let next_room = next_room.clone();
        let announcer = announcer.clone();
        let rooms = load.p.rooms;
        workers.spawn(async move {
            while Instant::now() < until {
                let room = next_room.fetch_add(1, Ordering::Relaxed) % rooms;
                announcer.post(SATURATION, room).await;
            }
        });
    }
    while workers.join_next().await.is_some() {}
    settle(&board, &room_of).await;
    let elapsed = started.elapsed().as_secs_f64();
    let saturation_deliveries_per_s = (board.total_received() - received_before) as f64 / elapsed;
    let saturation_server_cores = (cpu_seconds(pid) - cpu_before.0) / elapsed;
    let saturation_client_cores = (cpu_seconds(std::process::id()) - cpu_before.1) / elapsed;

    for r in readers {
        r.abort();
    }
    let latency = |phase: usize| {
        board.latency[phase]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    };
    Ok(Outcome {
        name,
        idle_bytes_per_socket,
        steady: latency(STEADY),
        steady_cpu_us_per_delivery,
        burst: latency(BURST),
        burst_seconds,
        saturation_deliveries_per_s,
        saturation: latency(SATURATION),
        saturation_server_cores,
        saturation_client_cores,
        sent: board
            .sent_to_room
            .iter()
            .map(|n| n.load(Ordering::Relaxed) * load.per_room as u64)
            .sum(),
        delivered: board.total_received(),
        dropped: board.missing(room_of),
        http_errors: announcer.errors.load(Ordering::Relaxed),
    })
}

/// Triggers events: an admin of the room's cabinet announces `b:{phase}:{seq}`.
#[derive(Clone)]
struct Announcer {
    http: Client,
    board: Arc<Board>,
    seq: Arc<AtomicUsize>,
    errors: Arc<AtomicU64>,
    tokens: Arc<Vec<String>>,
}

impl Announcer {
    fn post(&self, phase: usize, room: usize) -> impl std::future::Future<Output = ()> + 'static {
        let this = self.clone();
        async move {
            let n = this.seq.fetch_add(1, Ordering::Relaxed);
            let body = Bytes::from(format!("{{\"message\":\"b:{phase}:{n}\"}}"));
            this.board.mark_sent(n, room);
            match this
                .http
                .post_json("/api/announcements", &this.tokens[room], body)
                .await
            {
                Ok((status, _)) if status.is_success() => {}
                _ => {
                    this.errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
}

/// Waits until every client has what was sent to its room, or 5 s without progress.
async fn settle(board: &Board, room_of: &impl Fn(usize) -> usize) {
    let mut last = (board.missing(room_of), Instant::now());
    loop {
        let missing = board.missing(room_of);
        if missing == 0 {
            return;
        }
        if missing != last.0 {
            last = (missing, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(5) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn print(outcomes: &[Outcome]) {
    let mut header = vec!["".to_string()];
    header.extend(outcomes.iter().map(|o| o.name.to_string()));
    if outcomes.len() == 2 {
        header.push("nova/node".into());
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table = Table::new(&header);
    let mut row = |label: &str, f: &dyn Fn(&Outcome) -> f64, digits: usize, ratio: bool| {
        let mut cells = vec![label.to_string()];
        cells.extend(outcomes.iter().map(|o| format!("{:.*}", digits, f(o))));
        if outcomes.len() == 2 && ratio {
            let (a, b) = (f(&outcomes[0]), f(&outcomes[1]));
            cells.push(if b > 0.0 {
                format!("{:.2}", a / b)
            } else {
                "-".into()
            });
        }
        table.row(cells);
    };
    row("steady p50 ms", &|o| o.steady.ms(0.50), 2, true);
    row("steady p99 ms", &|o| o.steady.ms(0.99), 2, true);
    row("steady deliveries", &|o| o.steady.count() as f64, 0, false);
    row(
        "CPU µs / delivery (steady)",
        &|o| o.steady_cpu_us_per_delivery,
        1,
        true,
    );
    row("burst p50 ms", &|o| o.burst.ms(0.50), 2, true);
    row("burst p99 ms", &|o| o.burst.ms(0.99), 2, true);
    row(
        "burst: all delivered in ms",
        &|o| o.burst_seconds * 1e3,
        1,
        true,
    );
    row(
        "saturation deliveries/s",
        &|o| o.saturation_deliveries_per_s,
        0,
        true,
    );
    row("saturation p99 ms", &|o| o.saturation.ms(0.99), 1, true);
    row(
        "saturation: server cores",
        &|o| o.saturation_server_cores,
        2,
        true,
    );
    row(
        "saturation: clients' cores",
        &|o| o.saturation_client_cores,
        2,
        true,
    );
    row(
        "saturation: server µs/delivery",
        &|o| o.saturation_server_cores * 1e6 / o.saturation_deliveries_per_s.max(1.0),
        1,
        true,
    );
    row(
        "saturation: clients' µs/delivery",
        &|o| o.saturation_client_cores * 1e6 / o.saturation_deliveries_per_s.max(1.0),
        1,
        true,
    );
    row(
        "idle memory / socket kB",
        &|o| o.idle_bytes_per_socket / 1024.0,
        1,
        true,
    );
    row("deliveries expected", &|o| o.sent as f64, 0, false);
    row("deliveries received", &|o| o.delivered as f64, 0, false);
    row("dropped", &|o| o.dropped as f64, 0, false);
    row("HTTP errors", &|o| o.http_errors as f64, 0, false);
    table.print();
}
