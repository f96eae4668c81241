//! `capacity`: one deployment sized on its own (memory, batch, throughput, latency) and, with
//! a volume, the GPUs and monthly GPU cost it needs.

use super::Done;
use crate::RunError;
use crate::engine;
use crate::model::catalog::Catalog;
use crate::model::workload::spec::CapacitySpec;
use crate::report::Document;

/// Checks the request against the catalog and sizes it.
pub(super) fn run(catalog: &Catalog, spec: &CapacitySpec) -> Result<Done, RunError> {
    let request = crate::input::scenario::capacity::resolve(spec, catalog)?;
    let capacity = engine::serving::capacity::capacity(catalog, &request)?;
    Ok(Done::doc(Document::Capacity(Box::new(capacity))))
}
