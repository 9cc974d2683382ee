//! Benchmark parameters: `--name value` or `--name=value` on the command line, else the
//! environment variable `BENCH_NAME`, else a default.

use std::str::FromStr;

/// The value of parameter `name` (kebab-case), parsed; a value that does not parse stops the
/// program with a message rather than silently using the default.
pub fn param<T: FromStr>(name: &str, default: T) -> T {
    match raw(name) {
        Some(text) => text.parse().unwrap_or_else(|_| {
            eprintln!("bad value for --{name}: {text}");
            std::process::exit(2)
        }),
        None => default,
    }
}

/// The PostgreSQL admin URL from `--postgres` / `BENCH_POSTGRES`, if any (an empty value is none).
pub fn postgres_url() -> Option<String> {
    raw("postgres").filter(|url| !url.trim().is_empty())
}

/// Whether `--help` was asked for.
pub fn wants_help() -> bool {
    std::env::args().any(|a| a == "--help" || a == "-h")
}

fn raw(name: &str) -> Option<String> {
    let flag = format!("--{name}");
    let args: Vec<String> = std::env::args().skip(1).collect();
    for (i, arg) in args.iter().enumerate() {
        if let Some(value) = arg.strip_prefix(&format!("{flag}=")) {
            return Some(value.to_string());
        }
        if *arg == flag {
            return args.get(i + 1).cloned();
        }
    }
    std::env::var(format!("BENCH_{}", name.to_uppercase().replace('-', "_"))).ok()
}
