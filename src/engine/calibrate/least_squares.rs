//! Least squares on the runs' log errors by Levenberg-Marquardt: the fit `calibrate` runs over
//! the step's constants the runs determine.

use super::Constant;
use crate::model::catalog::hardware::Serving;

/// A constant's value on the scale the fit moves it: efficiencies as logarithms (a step's
/// time is inversely proportional to them), the overhead as it is.
fn to_scale(c: Constant, v: f64) -> f64 {
    if c.additive() { v } else { v.ln() }
}

fn from_scale(c: Constant, x: f64) -> f64 {
    if c.additive() { x } else { x.exp() }
}

/// `x` moved into the constant's range.
fn clamp_scale(c: Constant, x: f64) -> f64 {
    let (lo, hi) = c.bounds();
    to_scale(c, from_scale(c, x).clamp(lo, hi))
}

/// Solves `a x = b` (a small dense system) by Gaussian elimination with partial pivoting;
/// `None` when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for k in 0..n {
        let p = (k..n).max_by(|&i, &j| a[i][k].abs().total_cmp(&a[j][k].abs()))?;
        if a[p][k].abs() < 1e-300 {
            return None;
        }
        a.swap(k, p);
        b.swap(k, p);
        let pivot = a[k].clone();
        for i in k + 1..n {
            let m = a[i][k] / pivot[k];
            for (x, p) in a[i].iter_mut().zip(&pivot).skip(k) {
                *x -= m * p;
            }
            b[i] -= m * b[k];
        }
    }
    let mut x = vec![0.0; n];
    for k in (0..n).rev() {
        let tail: f64 = (k + 1..n).map(|j| a[k][j] * x[j]).sum();
        x[k] = (b[k] - tail) / a[k][k];
    }
    Some(x)
}

/// Least squares on the runs' log errors over the `free` constants by Levenberg-Marquardt
/// (a numerical Jacobian; steps kept inside the constants' ranges).
pub(super) fn fit(
    serving: &mut Serving,
    free: &[Constant],
    residuals: &impl Fn(&Serving) -> Vec<f64>,
) {
    let at = |s: &Serving, x: &[f64]| {
        let mut s = s.clone();
        for (&c, &v) in free.iter().zip(x) {
            c.set(&mut s, from_scale(c, v));
        }
        s
    };
    let sse = |r: &[f64]| r.iter().map(|e| e * e).sum::<f64>();
    let mut x: Vec<f64> = free.iter().map(|&c| to_scale(c, c.get(serving))).collect();
    let mut r = residuals(&at(serving, &x));
    let mut lambda = 1e-3;
    for _ in 0..200 {
        let h = 1e-6;
        let jacobian: Vec<Vec<f64>> = (0..x.len())
            .map(|k| {
                let mut y = x.clone();
                y[k] += h;
                let moved = residuals(&at(serving, &y));
                moved.iter().zip(&r).map(|(m, e)| (m - e) / h).collect()
            })
            .collect();
        let n = x.len();
        let jtj: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        jacobian[i]
                            .iter()
                            .zip(&jacobian[j])
                            .map(|(a, b)| a * b)
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let jtr: Vec<f64> = (0..n)
            .map(|i| jacobian[i].iter().zip(&r).map(|(a, b)| -a * b).sum())
            .collect();
        let mut improved = false;
        while lambda < 1e12 {
            let mut a = jtj.clone();
            for (i, row) in a.iter_mut().enumerate() {
                row[i] += lambda * jtj[i][i].max(1e-12);
            }
            let Some(step) = solve(a, jtr.clone()) else {
                lambda *= 10.0;
                continue;
            };
            let y: Vec<f64> = x
                .iter()
                .zip(&step)
                .zip(free)
                .map(|((v, d), &c)| clamp_scale(c, v + d))
                .collect();
            let ry = residuals(&at(serving, &y));
            if sse(&ry) < sse(&r) {
                let gain = sse(&r) - sse(&ry);
                (x, r) = (y, ry);
                lambda = (lambda / 10.0).max(1e-12);
                improved = gain > 1e-15;
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    *serving = at(serving, &x);
}
