//! Prometheus metrics: requests by route template and status, a latency histogram per
//! route, and gauges (pool, outbox) rendered at scrape time.
//!
//! Labels are route templates (`/api/v1/tasks/{id}`), never raw paths, so ids and other
//! personal data never reach the metrics and the label set stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<(String, String), Histogram>,
    deliveries: BTreeMap<(&'static str, &'static str), u64>,
}

/// Process-wide counters; cheap to update from the request middleware.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let h = inner
            .latency
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        let secs = elapsed.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// Counts one outbox row's delivery outcome on its channel (`sent`, `retry`, `dead`,
    /// `dropped`, `pruned` — a device its push service no longer knows, forgotten).
    pub fn observe_delivery(&self, channel: &'static str, outcome: &'static str) {
        if let Ok(mut inner) = self.inner.lock() {
            *inner.deliveries.entry((channel, outcome)).or_default() += 1;
        }
    }

    /// The Prometheus text exposition of the counters, followed by `gauges`.
    pub fn render(&self, gauges: &[Gauge]) -> String {
        let mut out = String::new();
        if let Ok(inner) = self.inner.lock() {
            out.push_str(
                "# HELP dugnad_http_requests_total HTTP requests by route template and status.\n",
            );
            out.push_str("# TYPE dugnad_http_requests_total counter\n");
            for ((method, route, status), n) in &inner.requests {
                let _ = writeln!(
                    out,
                    "dugnad_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
            out.push_str(
                "# HELP dugnad_http_request_duration_seconds Request latency by route template.\n",
            );
            out.push_str("# TYPE dugnad_http_request_duration_seconds histogram\n");
            for ((method, route), h) in &inner.latency {
                let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "dugnad_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "dugnad_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "dugnad_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "dugnad_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count
                );
            }
            out.push_str(
                "# HELP dugnad_outbox_deliveries_total Outbox delivery attempts by channel and outcome (pruned: the device was forgotten).\n",
            );
            out.push_str("# TYPE dugnad_outbox_deliveries_total counter\n");
            for ((channel, outcome), n) in &inner.deliveries {
                let _ = writeln!(
                    out,
                    "dugnad_outbox_deliveries_total{{channel=\"{channel}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        let mut described = None;
        for gauge in gauges {
            if described != Some(gauge.name) {
                let _ = writeln!(out, "# HELP {} {}", gauge.name, gauge.help);
                let _ = writeln!(out, "# TYPE {} gauge", gauge.name);
                described = Some(gauge.name);
            }
            let _ = writeln!(out, "{}{} {}", gauge.name, gauge.labels, gauge.value);
        }
        out
    }
}

/// A value read at scrape time. Gauges of one name with different `labels`
/// (`{channel="email"}`, or empty) follow each other.
pub struct Gauge {
    pub name: &'static str,
    pub help: &'static str,
    pub labels: String,
    pub value: i64,
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}
