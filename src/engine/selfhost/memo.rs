//! What a search works out that does not depend on the volume, kept for the next search.
//!
//! One replica's sizing (memory, batch, step, speeds), the load it can carry within the latency
//! target and what its GPUs cost depend on the configuration, the request shape and the target,
//! never on the monthly volume; yet a decision searches the same configurations at many volumes
//! (the break-even sweep, the hybrids, the remedies, the tier matching), and `check` runs the
//! same handful of models and GPUs over every scenario of a repository. A search's [`Table`] of
//! them is kept here while a [`Scope`] on the catalog is open on the thread, so that each is
//! worked out once; within a search an entry is a slot of a table, read with no lookup.
//!
//! A kept figure is the figure itself: a table's key holds every input of its computations (the
//! catalog entries by address, which the scope's borrow keeps still; numbers by their bits),
//! and a search over entries from anywhere else than the scope's catalog keeps nothing.

use super::search::{Rejection, RejectionKind, Space};
use crate::engine::cost::gpu::{GpuMonthly, Unpriced};
use crate::engine::serving::sizing::Sizing;
use crate::model::catalog::Catalog;
use crate::model::workload::Workload;
use foldhash::HashMap;
use std::cell::{OnceCell, RefCell};
use std::marker::PhantomData;
use std::sync::Arc;

/// Tables kept at most (each a few kilobytes); past it the memo starts again, so memory stays
/// flat however many different scenarios one run decides.
const MAX_TABLES: usize = 2_000;

/// Every input of a search's volume-free work. Catalog entries are keyed by address, numbers by
/// their bits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    /// Model, engine and KV precision (0: the engine's default).
    entries: [usize; 3],
    gpus: Vec<usize>,
    precisions: Vec<usize>,
    tps: Vec<u32>,
    hostings: Vec<u8>,
    /// Expert-parallel degree and attention data parallelism.
    parallelism: (u32, bool),
    /// Cloud price kind, whether a third party may serve, and the compliance offers required
    /// (a set of bits).
    offers: (u8, bool, u32),
    /// Input and output tokens, the cached share of the input, the planned utilization.
    numbers: [u64; 4],
    /// The latency target: milliseconds, metric and percentile.
    latency: Option<(u64, u8, u8)>,
}

/// The sizing of one replica, with the per-token limit it was sized at, or why the
/// configuration cannot serve.
pub(super) type Sized = Result<(Arc<Sizing>, f64), Rejection>;

/// What a GPU costs a month, or why it cannot be priced.
pub(super) type Priced = Arc<Result<GpuMonthly, Unpriced>>;

/// A search's volume-free work, each entry worked out when a candidate first needs it: for each
/// GPU, precision and tensor-parallel degree (a candidate's `sized_at`) one replica's sizing and
/// the load it can plan for; for each GPU, tensor-parallel degree and hosting (its `priced_at`)
/// what a GPU costs.
pub(super) struct Table {
    key: Option<Key>,
    sized: Vec<OnceCell<Sized>>,
    planned: Vec<OnceCell<Result<f64, Rejection>>>,
    prices: Vec<OnceCell<Priced>>,
    survey: OnceCell<Survey>,
}

/// What a first search through a table found whatever the volume: the candidates (positions in
/// the search's order) nothing ruled out yet, and the rejections met whatever the volume.
pub(super) struct Survey {
    pub live: Vec<u32>,
    pub known: Tally,
}

/// Rejections by kind, in the order a search's summary lists them: each kind with its count and
/// the position of its first candidate.
#[derive(Default)]
pub(super) struct Tally(Vec<(RejectionKind, u32, usize)>);

impl Tally {
    /// Counts `n` rejections of a kind, the first at position `first`.
    pub(super) fn count(&mut self, kind: RejectionKind, n: u32, first: usize) {
        match self.0.iter_mut().find(|r| r.0 == kind) {
            Some(r) => {
                r.1 += n;
                r.2 = r.2.min(first);
            }
            None => self.0.push((kind, n, first)),
        }
    }

    /// Adds another tally's counts.
    pub(super) fn add(&mut self, other: &Tally) {
        for (kind, n, first) in &other.0 {
            self.count(kind.clone(), *n, *first);
        }
    }

    /// Each kind with its count, the first met first.
    pub(super) fn in_order(mut self) -> Vec<(RejectionKind, u32)> {
        self.0.sort_by_key(|r| r.2);
        self.0.into_iter().map(|(kind, n, _)| (kind, n)).collect()
    }
}

struct Memo {
    /// Address of the catalog the scope is open on.
    catalog: usize,
    tables: HashMap<Key, Table>,
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
                tables: HashMap::default(),
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

/// The key of `space` searched for `workload`; `None` when an entry lies outside `catalog` (a
/// model read from elsewhere) or the workload drafts with speculative decoding (its draft model
/// is its own), which are then never kept.
fn key(catalog: &Catalog, workload: &Workload, space: &Space) -> Option<Key> {
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
            within(&catalog.engines, space.engine)?,
            match space.kv {
                Some(kv) => within(&catalog.precisions, kv)?,
                None => 0,
            },
        ],
        gpus: (space.gpus.iter())
            .map(|g| within(&catalog.gpus, g))
            .collect::<Option<_>>()?,
        precisions: (space.precisions.iter())
            .map(|p| within(&catalog.precisions, p))
            .collect::<Option<_>>()?,
        tps: space.tps.clone(),
        hostings: space.hostings.iter().map(|h| *h as u8).collect(),
        parallelism: (space.ep, space.attention_dp),
        offers: (
            space.kind as u8,
            space.rules.third_party,
            (space.rules.requires.iter()).fold(0, |bits, r| bits | 1 << (*r as u32)),
        ),
        numbers: [
            shape.input_tokens,
            shape.output_tokens,
            workload.cached_input_share,
            space.target_utilization,
        ]
        .map(f64::to_bits),
        latency: workload
            .latency
            .map(|t| (t.target_ms.to_bits(), t.metric as u8, t.percentile as u8)),
    })
}

/// Where a candidate's entries sit in its search's table, from its indices among the space's
/// GPUs, precisions, tensor-parallel degrees and hostings: its sizing slot (a sizing and a
/// planned load do not depend on the hosting) and its price slot (a price does not depend on
/// the precision).
pub(super) fn slots(space: &Space, (g, p, t, h): (usize, usize, usize, usize)) -> (usize, usize) {
    let (precisions, tps, hostings) = (
        space.precisions.len(),
        space.tps.len(),
        space.hostings.len(),
    );
    ((g * precisions + p) * tps + t, (g * tps + t) * hostings + h)
}

/// How many candidates the space holds.
pub(super) fn candidates(space: &Space) -> usize {
    space.gpus.len() * space.precisions.len() * space.tps.len() * space.hostings.len()
}

/// The GPU, precision, tensor-parallel degree and hosting (their indices) of the candidate at
/// position `at` in the search's order, the hosting changing fastest.
pub(super) fn position(space: &Space, at: usize) -> (usize, usize, usize, usize) {
    let (hostings, tps, precisions) = (
        space.hostings.len(),
        space.tps.len(),
        space.precisions.len(),
    );
    let (rest, h) = (at / hostings, at % hostings);
    let (rest, t) = (rest / tps, rest % tps);
    (rest / precisions, rest % precisions, t, h)
}

impl Table {
    /// The table of `space` searched for `workload`: the one kept by an earlier search (taken
    /// out of the memo while this search fills it), else an empty one.
    pub(super) fn take(catalog: &Catalog, workload: &Workload, space: &Space) -> Table {
        let key = key(catalog, workload, space);
        let address = std::ptr::from_ref(catalog) as usize;
        let kept = key.as_ref().and_then(|k| {
            MEMO.with_borrow_mut(|m| match m {
                Some(m) if m.catalog == address => m.tables.remove(k),
                _ => None,
            })
        });
        kept.unwrap_or_else(|| {
            // The slots of one GPU past the last: how many there are.
            let (sized, priced) = slots(space, (space.gpus.len(), 0, 0, 0));
            Table {
                key,
                sized: std::iter::repeat_with(OnceCell::new).take(sized).collect(),
                planned: std::iter::repeat_with(OnceCell::new).take(sized).collect(),
                prices: std::iter::repeat_with(OnceCell::new).take(priced).collect(),
                survey: OnceCell::new(),
            }
        })
    }

    /// Keeps the table for the next search over the same space and workload, when a scope on
    /// `catalog` is open.
    pub(super) fn keep(self, catalog: &Catalog) {
        let address = std::ptr::from_ref(catalog) as usize;
        let Some(key) = self.key.clone() else {
            return;
        };
        MEMO.with_borrow_mut(|m| {
            if let Some(m) = m.as_mut().filter(|m| m.catalog == address) {
                if m.tables.len() >= MAX_TABLES {
                    m.tables.clear();
                }
                m.tables.insert(key, self);
            }
        });
    }

    /// Why the candidate at these slots cannot serve whatever the volume, when an earlier search
    /// found out: its sizing, then its GPU price, then its planned load, in the order a plan
    /// meets them.
    pub(super) fn known_rejection(
        &self,
        sized_at: usize,
        priced_at: usize,
    ) -> Option<RejectionKind> {
        if let Err(r) = self.sized[sized_at].get()? {
            return Some(r.kind());
        }
        if let Err(u) = self.prices[priced_at].get()?.as_ref() {
            return Some(RejectionKind::of_unpriced(u));
        }
        self.planned[sized_at]
            .get()?
            .as_ref()
            .err()
            .map(Rejection::kind)
    }

    /// The survey of an earlier search through the table, if one was made.
    pub(super) fn survey(&self) -> Option<&Survey> {
        self.survey.get()
    }

    /// Surveys the table once a search has been through every candidate of `space`: those an
    /// entry rules out whatever the volume are counted, the others listed.
    pub(super) fn survey_once(&self, space: &Space) {
        self.survey.get_or_init(|| {
            let mut survey = Survey {
                live: Vec::new(),
                known: Tally::default(),
            };
            for at in 0..candidates(space) {
                let (sized_at, priced_at) = slots(space, position(space, at));
                match self.known_rejection(sized_at, priced_at) {
                    None => survey.live.push(at as u32),
                    Some(kind) => survey.known.count(kind, 1, at),
                }
            }
            survey
        });
    }

    /// One replica's sizing at `slot`, worked out by `work` the first time.
    pub(super) fn sized(&self, slot: usize, work: impl FnOnce() -> Sized) -> &Sized {
        self.sized[slot].get_or_init(work)
    }

    /// The load one replica at `slot` can plan for, worked out by `work` the first time.
    pub(super) fn planned(
        &self,
        slot: usize,
        work: impl FnOnce() -> Result<f64, Rejection>,
    ) -> &Result<f64, Rejection> {
        self.planned[slot].get_or_init(work)
    }

    /// What a GPU costs at `slot`, worked out by `work` the first time.
    pub(super) fn price(&self, slot: usize, work: impl FnOnce() -> Priced) -> &Priced {
        self.prices[slot].get_or_init(work)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::selfhost::search::{search, space};
    use crate::engine::testing;
    use crate::model::workload::{LatencyMetric, LatencyTarget, Percentile};

    /// Tables kept on this thread.
    fn kept() -> usize {
        MEMO.with_borrow(|m| m.as_ref().map_or(0, |m| m.tables.len()))
    }

    fn searched(catalog: &Catalog, workload: &Workload) -> super::super::search::Search {
        search(catalog, workload, &space(catalog, workload).unwrap())
    }

    /// Test workloads: volumes from 50M to 5B tokens a month, with and without a target (one
    /// that no deployment meets: 1 ms).
    fn workloads() -> Vec<Workload> {
        let mut all = Vec::new();
        for tokens in [50e6, 800e6, 5e9] {
            for target in [None, Some(150.0), Some(2_000.0), Some(1.0)] {
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
        // Some searches pass and some find only a closest miss, which a surveyed table does not
        // give: those search the whole space again.
        assert!(alone.iter().any(|s| s.best.is_some()));
        assert!(
            alone
                .iter()
                .any(|s| s.best.is_none() && s.closest.is_some())
        );
        let _scope = Scope::new(&catalog);
        // Twice: the first run fills the memo and surveys each table, the second reads every
        // entry from it and meets only the candidates the survey left.
        for round in 0..2 {
            for (w, want) in workloads().iter().zip(&alone) {
                assert_eq!(&searched(&catalog, w), want, "round {round}");
            }
        }
        // One table a target (the volumes share it), the one without a target also the one
        // the closest miss is sized with; each surveyed.
        assert_eq!(kept(), 4);
        let surveyed = MEMO.with_borrow(|m| {
            let tables = &m.as_ref().unwrap().tables;
            tables.values().filter(|t| t.survey().is_some()).count()
        });
        assert_eq!(surveyed, 4);
    }

    #[test]
    fn another_catalog_is_never_served_from_the_memo() {
        let catalog = testing::catalog();
        let mut faster = testing::catalog();
        faster.gpus[0].memory_bandwidth_gb_s *= 2.0;
        let w = &workloads()[4];
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
        let mut w = workloads().remove(0);
        for i in 0..=MAX_TABLES {
            // Each share of cached input is another table.
            w.cached_input_share = i as f64 / 1e6;
            let space = space(&catalog, &w).unwrap();
            Table::take(&catalog, &w, &space).keep(&catalog);
        }
        assert_eq!(kept(), 1);
    }
}
