//! Charts drawn as inline SVG from the figures: horizontal bars (raised, with
//! the resolved part inside) and a monthly trend line. Text labels are part of
//! the drawing; colours come from style/ledger.css classes.

use leptos::prelude::*;

/// One bar: a label, how many were raised and how many of them resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub key: String,
    pub label: String,
    pub raised: usize,
    pub resolved: usize,
}

const W: f64 = 340.0;
const LABEL_W: f64 = 96.0;
const NUM_W: f64 = 52.0;
const ROW_H: f64 = 30.0;

/// Horizontal bars, longest scale = the largest count.
#[component]
pub fn BarChart(bars: Vec<Bar>, title: String, testid: &'static str) -> impl IntoView {
    let max = bars.iter().map(|b| b.raised).max().unwrap_or(0).max(1) as f64;
    let h = ROW_H * bars.len() as f64 + 4.0;
    let span = W - LABEL_W - NUM_W;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = 2.0 + i as f64 * ROW_H;
            let raised_w = span * b.raised as f64 / max;
            let resolved_w = span * b.resolved as f64 / max;
            view! {
                <g class="bar-row" data-key=b.key data-raised=b.raised data-resolved=b.resolved>
                    <text class="chart-label" x=LABEL_W - 6.0 y=y + 19.0 text-anchor="end">{b.label}</text>
                    <rect class="bar-raised" x=LABEL_W y=y + 4.0 width=raised_w.max(1.0) height=ROW_H - 8.0 rx="3"/>
                    <rect class="bar-resolved" x=LABEL_W y=y + 4.0 width=resolved_w height=ROW_H - 8.0 rx="3"/>
                    <text class="chart-num" x=LABEL_W + raised_w + 6.0 y=y + 19.0>
                        {format!("{}/{}", b.resolved, b.raised)}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" data-testid=testid viewBox=format!("0 0 {W} {h}") role="img" aria-label=title>
            {rows}
        </svg>
    }
}

/// Raised and resolved per month (oldest left), as two lines with dots.
#[component]
pub fn TrendChart(points: Vec<Bar>, title: String) -> impl IntoView {
    let h = 150.0;
    let (top, bottom, left, right) = (18.0, 24.0, 12.0, 12.0);
    let max = points.iter().map(|p| p.raised).max().unwrap_or(0).max(1) as f64;
    let n = points.len().max(1);
    let step = if n > 1 {
        (W - left - right) / (n - 1) as f64
    } else {
        0.0
    };
    let x = move |i: usize| {
        if n > 1 {
            left + step * i as f64
        } else {
            W / 2.0
        }
    };
    let y = move |v: usize| top + (h - top - bottom) * (1.0 - v as f64 / max);
    let line = |pick: fn(&Bar) -> usize| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(pick(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let raised_line = line(|p| p.raised);
    let resolved_line = line(|p| p.resolved);
    let marks = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let anchor = if i == 0 && n > 1 {
                "start"
            } else if i + 1 == n && n > 1 {
                "end"
            } else {
                "middle"
            };
            view! {
                <g class="trend-point" data-key=p.key.clone() data-raised=p.raised data-resolved=p.resolved>
                    <circle class="dot-raised" cx=x(i) cy=y(p.raised) r="4"/>
                    <circle class="dot-resolved" cx=x(i) cy=y(p.resolved) r="3.5"/>
                    <text class="chart-num" x=x(i) y=y(p.raised) - 7.0 text-anchor=anchor>{p.raised}</text>
                    <text class="chart-label" x=x(i) y=h - 6.0 text-anchor=anchor>{p.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" data-testid="trend" viewBox=format!("0 0 {W} {h}") role="img" aria-label=title>
            <line class="axis" x1=left y1=h - bottom x2=W - right y2=h - bottom/>
            <polyline class="line-raised" points=raised_line/>
            <polyline class="line-resolved" points=resolved_line/>
            {marks}
        </svg>
    }
}
