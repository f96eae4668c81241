//! Prices given as flags applied to the catalog entries a workload uses: `--api-price` on the
//! chosen API. The entry keeps its id; its source says which flag set the numbers. (The
//! self-hosted side's own figures, `--self-host-cost` and `--self-host-capacity`, are
//! workload fields: they define that side in the engine.)

use crate::model::catalog::{Catalog, Provenance};
use crate::model::workload::Workload;
use crate::model::workload::spec::PriceOverrides;

/// Applies command-line prices to the catalog entries the workload uses. The entries keep
/// their ids; their source says which flag set the numbers.
pub fn apply_overrides(catalog: &mut Catalog, workload: &Workload, o: &PriceOverrides) {
    if let (Some((input, output)), Some(api)) = (
        o.api_price,
        catalog.apis.iter_mut().find(|a| a.id == workload.api),
    ) {
        api.input_usd_per_mtok = input;
        api.output_usd_per_mtok = output;
        api.cached_input_usd_per_mtok = None;
        api.batch_discount = None;
        api.name = format!("{} (--api-price {input}/{output})", api.name);
        api.provenance = Provenance {
            checked: None,
            source: format!("--api-price {input}/{output}"),
        };
    }
}
