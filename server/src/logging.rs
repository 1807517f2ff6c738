//! The relay's logging: stderr, filtered by `RUST_LOG`, with the payload-printing libraries
//! capped.

use tracing_subscriber::EnvFilter;

/// Libraries whose trace output prints what members send (WebSocket frame payloads, HTTP
/// bytes, Automerge operations with their values): capped at `debug` whatever `RUST_LOG` says.
const PAYLOAD_LOGGING_TARGETS: [&str; 5] = [
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "automerge",
];

/// Logs to stderr what `RUST_LOG` (default `info`) asks for, but never more than `debug` from
/// [`PAYLOAD_LOGGING_TARGETS`].
pub fn init() {
    use tracing_subscriber::prelude::*;
    let env = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let cap = payload_cap(&env);
    tracing_subscriber::registry()
        .with(env)
        .with(cap)
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .init();
}

/// The cap on [`PAYLOAD_LOGGING_TARGETS`] for `env`: at most `debug` from them, and nothing
/// `env` does not let through anyway. Its default is `env`'s most verbose level, not `trace`:
/// the subscriber's maximum level is the most verbose of its filters' hints, and it becomes
/// the `log` crate's maximum too (tungstenite logs through `log`). With a `trace` default
/// every `log::trace!` of tungstenite, about 40 per sync message, built a record and ran both
/// filters before being dropped (BENCHMARKS.md, "instructions per sync message").
fn payload_cap(env: &EnvFilter) -> tracing_subscriber::filter::Targets {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    let most = env.max_level_hint().unwrap_or(LevelFilter::TRACE);
    let payload = most.min(LevelFilter::DEBUG);
    PAYLOAD_LOGGING_TARGETS
        .iter()
        .fold(Targets::new().with_default(most), |t, target| {
            t.with_target(*target, payload)
        })
}

#[cfg(test)]
mod tests {
    use tracing::Subscriber;
    use tracing_subscriber::filter::LevelFilter;
    use tracing_subscriber::prelude::*;
    use tracing_subscriber::EnvFilter;

    use super::{payload_cap, PAYLOAD_LOGGING_TARGETS};

    /// The maximum level the relay's subscriber announces for `RUST_LOG=directives` (what
    /// `tracing` and `log` callsites are checked against before any filter runs).
    fn max_level(directives: &str) -> Option<LevelFilter> {
        let env = EnvFilter::new(directives);
        let cap = payload_cap(&env);
        tracing_subscriber::registry()
            .with(env)
            .with(cap)
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::sink))
            .max_level_hint()
    }

    #[test]
    fn the_cap_does_not_raise_the_maximum_level() {
        assert_eq!(max_level("warn"), Some(LevelFilter::WARN));
        assert_eq!(max_level("info"), Some(LevelFilter::INFO));
        assert_eq!(
            max_level("warn,linli_server=debug"),
            Some(LevelFilter::DEBUG)
        );
        assert_eq!(max_level("trace"), Some(LevelFilter::TRACE));
    }

    #[test]
    fn payload_targets_stay_capped_at_debug() {
        use tracing::Level;
        for directives in ["trace", "info,tungstenite=trace,automerge::sync=trace"] {
            let cap = payload_cap(&EnvFilter::new(directives));
            for target in PAYLOAD_LOGGING_TARGETS {
                let inner = format!("{target}::protocol");
                assert!(
                    !cap.would_enable(target, &Level::TRACE),
                    "{directives}: {target}"
                );
                assert!(
                    !cap.would_enable(&inner, &Level::TRACE),
                    "{directives}: {inner}"
                );
                assert!(
                    cap.would_enable(&inner, &Level::DEBUG),
                    "{directives}: {inner}"
                );
            }
        }
        let cap = payload_cap(&EnvFilter::new("trace"));
        assert!(cap.would_enable("linli_server::core", &Level::TRACE));
        let cap = payload_cap(&EnvFilter::new("warn"));
        assert!(!cap.would_enable("tungstenite::protocol", &Level::DEBUG));
        assert!(cap.would_enable("linli_server::core", &Level::WARN));
    }
}
