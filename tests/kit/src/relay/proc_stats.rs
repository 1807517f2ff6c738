//! What the benchmarks read about a process from `/proc` (Linux).

/// A `/proc/<pid>/status` field given in kB, in MiB (NaN if unreadable).
pub fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The fields of `/proc/<pid>/stat` after the command name (`[0]` is field 3, the state);
/// empty if unreadable.
fn stat_fields(pid: &str) -> Vec<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    after_name
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect()
}

/// The sum of `fields` (indices into [`stat_fields`]) in seconds; USER_HZ = 100.
fn ticks_secs(fields: &[f64], which: &[usize]) -> f64 {
    which.iter().filter_map(|&i| fields.get(i)).sum::<f64>() / 100.0
}

/// User + system CPU seconds a process used so far.
pub fn cpu_secs(pid: u32) -> f64 {
    ticks_secs(&stat_fields(&pid.to_string()), &[11, 12]) // utime, stime (fields 14, 15)
}

/// User + system CPU seconds of a process and of its children, running or ended: its own,
/// those of the children it has waited for (cutime, cstime), and those of its living
/// children (with their own ended children). A server of worker processes: PostgreSQL.
pub fn cpu_secs_with_children(pid: u32) -> f64 {
    const ALL: [usize; 4] = [11, 12, 13, 14]; // utime, stime, cutime, cstime
    let mut total = ticks_secs(&stat_fields(&pid.to_string()), &ALL);
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return total;
    };
    for entry in procs.flatten() {
        let name = entry.file_name();
        let Some(child) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let fields = stat_fields(child);
        if fields.get(1) == Some(&(pid as f64)) {
            total += ticks_secs(&fields, &ALL); // field 4: the parent's pid
        }
    }
    total
}

/// CPU seconds the whole machine has spent so far, summed over its CPUs (`/proc/stat`): busy
/// (user, nice, system, irq, softirq) and stolen by the hypervisor; NaN if unreadable.
pub fn machine_cpu_secs() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<f64> = stat
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("cpu "))
        .map(|l| {
            l.split_whitespace()
                .map(|f| f.parse().unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default();
    if fields.len() < 8 {
        return (f64::NAN, f64::NAN);
    }
    let busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6];
    (busy / 100.0, fields[7] / 100.0)
}

/// The 1-minute load average.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}
