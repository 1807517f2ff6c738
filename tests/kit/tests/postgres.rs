//! The throwaway PostgreSQL cluster: starts, serves a fresh database, and keeps a committed
//! table across a crash (immediate stop) and restart.

use linli_testkit::PgCluster;
use std::process::Command;
use std::time::Instant;

#[test]
fn a_committed_table_survives_a_crash_and_restart() {
    let started = Instant::now();
    let pg = PgCluster::start();
    eprintln!("PgCluster::start took {:?}", started.elapsed());
    assert!(pg
        .url()
        .ends_with(&format!("127.0.0.1:{}/postgres", pg.port())));

    let url = pg.create_database("crash_test");
    assert_eq!(
        url,
        format!("postgres://linli@127.0.0.1:{}/crash_test", pg.port())
    );
    let select = Command::new(pg.bin_dir().join("psql"))
        .args([url.as_str(), "-c", "select 1"])
        .output()
        .expect("run psql");
    assert!(select.status.success(), "psql: {select:?}");

    pg.psql(&url, "CREATE TABLE notes (id int PRIMARY KEY, body text)");
    pg.psql(&url, "INSERT INTO notes VALUES (1, '楼道灯坏了')");
    pg.crash();
    assert!(
        !Command::new(pg.bin_dir().join("psql"))
            .args([url.as_str(), "-c", "select 1"])
            .output()
            .expect("run psql")
            .status
            .success(),
        "the server still answers after the crash"
    );

    let restarted = Instant::now();
    pg.restart();
    eprintln!(
        "PgCluster::restart after a crash took {:?}",
        restarted.elapsed()
    );
    assert_eq!(
        pg.psql(&url, "SELECT body FROM notes WHERE id = 1").trim(),
        "楼道灯坏了"
    );

    pg.stop();
    pg.restart();
    assert_eq!(pg.psql(&url, "SELECT count(*) FROM notes").trim(), "1");
}

#[test]
fn two_clusters_run_side_by_side_and_drop_cleans_up() {
    let a = PgCluster::start();
    let b = PgCluster::start();
    assert_ne!(a.port(), b.port());
    a.psql(&a.url(), "CREATE TABLE only_in_a (x int)");
    assert!(b
        .psql(
            &b.url(),
            "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"
        )
        .trim()
        .eq("0"));
    let (port, dir) = (a.port(), a.dir().to_path_buf());
    drop(a);
    assert!(!dir.exists(), "the dropped cluster left {}", dir.display());
    let gone = Command::new(b.bin_dir().join("pg_isready"))
        .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
        .status()
        .expect("run pg_isready");
    assert!(
        !gone.success(),
        "the dropped cluster still listens on {port}"
    );
}
