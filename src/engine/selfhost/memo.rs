//! What a search works out that does not depend on the volume, kept for the next search.
//!
//! One replica's sizing (memory, batch, step, speeds) and the load it can carry within the
//! latency target depend on the configuration, the request shape and the target, never on the
//! monthly volume; yet a decision searches the same configurations at many volumes (the
//! break-even sweep, the hybrids, the remedies, the tier matching), and `check` runs the same
//! handful of models and GPUs over every scenario of a repository. Both are kept here while a
//! [`Scope`] on the catalog is open on the thread, so they are worked out once.
//!
//! A kept figure is the figure itself: the key holds every input of the computation (the
//! catalog entries by address, which the scope's borrow keeps still; numbers by their bits),
//! and a configuration drawn from anywhere else than the scope's catalog is not kept.

use super::search::{Rejection, Space};
use crate::engine::cost::gpu::{GpuMonthly, OfferRules, Unpriced};
use crate::engine::serving::sizing::Sizing;
use crate::model::catalog::Catalog;
use crate::model::catalog::hardware::{Gpu, Hosting, Precision, PriceKind};
use crate::model::workload::Workload;
use foldhash::HashMap;
use std::cell::RefCell;
use std::marker::PhantomData;
use std::sync::Arc;

/// Entries kept at most; past it the memo starts again, so memory stays flat however many
/// different scenarios one run decides.
const MAX_ENTRIES: usize = 50_000;

/// Every input of one replica's sizing and planned load. Catalog entries are keyed by address,
/// numbers by their bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key {
    /// Model, GPU, weight precision, engine and KV precision (0: the engine's default).
    entries: [usize; 5],
    tp: u32,
    ep: u32,
    /// Input and output tokens, cached share of the input.
    numbers: [u64; 3],
    /// The latency target: milliseconds, metric and percentile.
    latency: Option<(u64, u8, u8)>,
}

/// The sizing of one replica, with the per-token limit it was sized at, or why the
/// configuration cannot serve.
pub(super) type Sized = Result<(Arc<Sizing>, f64), Rejection>;

/// Every input of what a GPU costs a month: the GPU by address, the hosting and price kind,
/// the GPUs a replica rents, and the offer rules (whether a third party may serve, and the
/// compliance offers required, as a set of bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct PriceKey {
    gpu: usize,
    hosting: u8,
    kind: u8,
    tp: u32,
    third_party: bool,
    requires: u32,
}

/// What a GPU costs a month, or why it cannot be priced.
pub(super) type Priced = Arc<Result<GpuMonthly, Unpriced>>;

struct Memo {
    /// Address of the catalog the scope is open on.
    catalog: usize,
    sized: HashMap<Key, Sized>,
    /// Planned load per replica, by key and planned utilization's bits.
    planned: HashMap<(Key, u64), Result<f64, Rejection>>,
    prices: HashMap<PriceKey, Priced>,
}

impl Memo {
    fn entries(&self) -> usize {
        self.sized.len() + self.planned.len() + self.prices.len()
    }
}

thread_local! {
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// While alive, searches on this thread over `catalog` keep their volume-free work. Scopes
/// nest: one on the same catalog adds nothing, one on another catalog sets the outer one aside
/// until it ends.
pub struct Scope<'c> {
    /// What the scope set aside.
    outer: Outer,
    /// The catalog stays borrowed, hence unchanged and in place, while its entries are keys.
    catalog: PhantomData<&'c Catalog>,
}

/// What a scope sets aside while it is open.
enum Outer {
    /// Nothing: a scope on the same catalog was open already.
    Nested,
    /// The memo that was open (if any), to put back at the end.
    SetAside(Option<Memo>),
}

impl<'c> Scope<'c> {
    /// Opens a scope on `catalog`.
    pub fn new(catalog: &'c Catalog) -> Self {
        let address = std::ptr::from_ref(catalog) as usize;
        let outer = MEMO.with_borrow_mut(|m| {
            if m.as_ref().is_some_and(|m| m.catalog == address) {
                return Outer::Nested;
            }
            Outer::SetAside(m.replace(Memo {
                catalog: address,
                sized: HashMap::default(),
                planned: HashMap::default(),
                prices: HashMap::default(),
            }))
        });
        Scope {
            outer,
            catalog: PhantomData,
        }
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        if let Outer::SetAside(outer) = std::mem::replace(&mut self.outer, Outer::Nested) {
            MEMO.with_borrow_mut(|m| *m = outer);
        }
    }
}

/// The key of a GPU, precision and tensor-parallel degree in `space` for `workload`; `None`
/// when an entry lies outside `catalog` (a model read from elsewhere) or the workload drafts
/// with speculative decoding (its draft model is its own), which are then never kept.
pub(super) fn key(
    catalog: &Catalog,
    workload: &Workload,
    space: &Space,
    (gpu, precision, tp): (&Gpu, &Precision, u32),
) -> Option<Key> {
    fn within<T>(all: &[T], one: &T) -> Option<usize> {
        all.as_ptr_range()
            .contains(&std::ptr::from_ref(one))
            .then_some(std::ptr::from_ref(one) as usize)
    }
    if space.speculative.is_some() {
        return None;
    }
    let shape = super::search::shape(workload, &catalog.policy);
    Some(Key {
        entries: [
            within(&catalog.models, space.model)?,
            within(&catalog.gpus, gpu)?,
            within(&catalog.precisions, precision)?,
            within(&catalog.engines, space.engine)?,
            match space.kv {
                Some(kv) => within(&catalog.precisions, kv)?,
                None => 0,
            },
        ],
        tp,
        ep: space.ep,
        numbers: [
            shape.input_tokens,
            shape.output_tokens,
            workload.cached_input_share,
        ]
        .map(f64::to_bits),
        latency: workload
            .latency
            .map(|t| (t.target_ms.to_bits(), t.metric as u8, t.percentile as u8)),
    })
}

/// Runs `work` through the memo open on `catalog`: a kept result is cloned, a new one kept.
fn through<K, V: Clone>(
    catalog: &Catalog,
    key: Option<K>,
    map: fn(&mut Memo) -> &mut HashMap<K, V>,
    work: impl FnOnce() -> V,
) -> V
where
    K: Eq + std::hash::Hash,
{
    let address = std::ptr::from_ref(catalog) as usize;
    let Some(key) = key else {
        return work();
    };
    let kept = MEMO.with_borrow_mut(|m| match m {
        Some(m) if m.catalog == address => map(m).get(&key).cloned(),
        _ => None,
    });
    if let Some(v) = kept {
        return v;
    }
    let v = work();
    MEMO.with_borrow_mut(|m| {
        if let Some(m) = m.as_mut().filter(|m| m.catalog == address) {
            if m.entries() >= MAX_ENTRIES {
                m.sized.clear();
                m.planned.clear();
                m.prices.clear();
            }
            map(m).insert(key, v.clone());
        }
    });
    v
}

/// The key of a GPU's monthly price in `catalog` (`None` for a GPU from elsewhere).
pub(super) fn price_key(
    catalog: &Catalog,
    gpu: &Gpu,
    (hosting, kind): (Hosting, PriceKind),
    tp: u32,
    rules: &OfferRules,
) -> Option<PriceKey> {
    let gpu = std::ptr::from_ref(gpu);
    catalog
        .gpus
        .as_ptr_range()
        .contains(&gpu)
        .then(|| PriceKey {
            gpu: gpu as usize,
            hosting: hosting as u8,
            kind: kind as u8,
            tp,
            third_party: rules.third_party,
            requires: rules
                .requires
                .iter()
                .fold(0, |bits, r| bits | 1 << (*r as u32)),
        })
}

/// A GPU's monthly price, kept under `key`.
pub(super) fn priced(
    catalog: &Catalog,
    key: Option<PriceKey>,
    work: impl FnOnce() -> Priced,
) -> Priced {
    through(catalog, key, |m| &mut m.prices, work)
}

/// One replica's sizing, kept under `key`.
pub(super) fn sized(catalog: &Catalog, key: Option<Key>, work: impl FnOnce() -> Sized) -> Sized {
    through(catalog, key, |m| &mut m.sized, work)
}

/// One replica's planned load at a planned utilization, kept under `key`.
pub(super) fn planned(
    catalog: &Catalog,
    key: Option<Key>,
    utilization: f64,
    work: impl FnOnce() -> Result<f64, Rejection>,
) -> Result<f64, Rejection> {
    let key = key.map(|k| (k, utilization.to_bits()));
    through(catalog, key, |m| &mut m.planned, work)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::selfhost::search::{search, space};
    use crate::engine::testing;
    use crate::model::workload::{LatencyMetric, LatencyTarget, Percentile};

    /// Entries kept on this thread.
    fn kept() -> usize {
        MEMO.with_borrow(|m| m.as_ref().map_or(0, Memo::entries))
    }

    fn searched(catalog: &Catalog, workload: &Workload) -> super::super::search::Search {
        search(catalog, workload, &space(catalog, workload).unwrap())
    }

    /// Test workloads: volumes from 50M to 5B tokens a month, with and without a target.
    fn workloads() -> Vec<Workload> {
        let mut all = Vec::new();
        for tokens in [50e6, 800e6, 5e9] {
            for target in [None, Some(150.0), Some(2_000.0)] {
                let mut w = testing::workload(tokens);
                w.deployment.model = Some("llama-3.1-70b".into());
                w.latency = target.map(|target_ms| LatencyTarget {
                    target_ms,
                    metric: LatencyMetric::Ttft,
                    percentile: Percentile::P95,
                });
                all.push(w);
            }
        }
        all
    }

    #[test]
    fn a_search_through_the_memo_finds_what_it_finds_without() {
        let catalog = testing::catalog();
        let alone: Vec<_> = workloads().iter().map(|w| searched(&catalog, w)).collect();
        let _scope = Scope::new(&catalog);
        // Twice: the first run fills the memo, the second reads every sizing from it.
        for round in 0..2 {
            for (w, want) in workloads().iter().zip(&alone) {
                assert_eq!(&searched(&catalog, w), want, "round {round}");
            }
        }
        assert!(kept() > 0);
    }

    #[test]
    fn another_catalog_is_never_served_from_the_memo() {
        let catalog = testing::catalog();
        let mut faster = testing::catalog();
        faster.gpus[0].memory_bandwidth_gb_s *= 2.0;
        let w = &workloads()[3];
        let (slow, fast) = (searched(&catalog, w), searched(&faster, w));
        assert_ne!(slow.best, fast.best);
        let _scope = Scope::new(&catalog);
        assert_eq!(searched(&catalog, w), slow);
        let filled = kept();
        // The same entries by id, other figures: searched within the first catalog's scope
        // and within their own, they are sized afresh.
        assert_eq!(searched(&faster, w), fast);
        assert_eq!(kept(), filled);
        {
            let _inner = Scope::new(&faster);
            assert_eq!(kept(), 0);
            assert_eq!(searched(&faster, w), fast);
            let _again = Scope::new(&faster);
            assert!(kept() > 0, "a scope on the same catalog keeps what is kept");
        }
        assert_eq!(kept(), filled, "the outer memo is back");
        assert_eq!(searched(&catalog, w), slow);
    }

    #[test]
    fn the_memo_starts_again_when_full() {
        let catalog = testing::catalog();
        let _scope = Scope::new(&catalog);
        let key = |i: usize| Key {
            entries: [i, 0, 0, 0, 0],
            tp: 1,
            ep: 1,
            numbers: [0; 3],
            latency: None,
        };
        let none = || {
            Err(Rejection::ExceedsContext {
                context_tokens: 1.0,
                request_tokens: 2.0,
            })
        };
        for i in 0..MAX_ENTRIES {
            sized(&catalog, Some(key(i)), none).unwrap_err();
        }
        assert_eq!(kept(), MAX_ENTRIES);
        sized(&catalog, Some(key(MAX_ENTRIES)), none).unwrap_err();
        assert_eq!(kept(), 1);
    }
}
