//! Prices given as flags applied to the catalog entries a workload uses: `--api-price` on the
//! chosen API, `--self-host-cost` and `--self-host-capacity` on the chosen setup. The entries
//! keep their ids; their source says which flag set the numbers.

use crate::model::catalog::{Catalog, CostLine, Provenance};
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
    if let Some(setup) = catalog.setups.iter_mut().find(|s| s.id == workload.setup) {
        if let Some(cost) = o.self_host_cost {
            setup.costs = vec![CostLine {
                name: "unit".into(),
                usd_per_month: cost,
                note: Some(format!("--self-host-cost {cost}")),
            }];
        }
        if let Some(capacity) = o.self_host_capacity {
            setup.tokens_per_month_per_unit = capacity;
            setup.capacity_note = Some(format!("--self-host-capacity {capacity}"));
        }
        if o.self_host_cost.is_some() || o.self_host_capacity.is_some() {
            setup.provenance = Provenance {
                checked: None,
                source: "command-line flags".into(),
            };
        }
    }
}
