//! Hand-built fixtures for engine tests: plain values with numbers checkable by hand.

use crate::model::date::Date;
use crate::model::policy::{LatencyPolicy, Policy, RangeMs, Weights};
use crate::model::pricing::{
    ApiModel, Compliance, CostLine, Fte, Provenance, RoleCost, Setup, SetupKind, StaffScale,
    Staffing, Tier,
};
use crate::model::workload::{
    Capability, Phase, Privacy, PrivacyLevel, TimeToMarket, Traffic, Workload,
};

fn provenance() -> Provenance {
    Provenance {
        checked: Some(Date {
            year: 2025,
            month: 10,
            day: 1,
        }),
        source: "test".into(),
    }
}

/// An API model with the given prices.
pub fn api(id: &str, input: f64, output: f64, cached: Option<f64>, batch: Option<f64>) -> ApiModel {
    ApiModel {
        id: id.into(),
        provider: "test".into(),
        name: id.into(),
        input_usd_per_mtok: input,
        output_usd_per_mtok: output,
        cached_input_usd_per_mtok: cached,
        batch_discount: batch,
        tier: Tier::Frontier,
        context_tokens: None,
        latency: None,
        compliance: Compliance::default(),
        compliance_source: None,
        provenance: provenance(),
    }
}

/// A cloud setup with cost lines (hardware, power, personnel) and a capacity.
pub fn setup(id: &str, lines: &[f64], capacity: f64) -> Setup {
    let names = ["hardware", "power_cooling", "personnel"];
    Setup {
        id: id.into(),
        name: id.into(),
        kind: SetupKind::Cloud,
        gpu: None,
        gpus_per_unit: 1,
        costs: lines
            .iter()
            .zip(names)
            .map(|(usd, name)| CostLine {
                name: name.into(),
                usd_per_month: *usd,
                note: None,
            })
            .collect(),
        tokens_per_month_per_unit: capacity,
        capacity_note: None,
        provenance: provenance(),
    }
}

/// The article's policy values.
pub fn article_policy() -> Policy {
    Policy {
        tie_band: 0.1,
        default_input_share: 1.0 / 3.0,
        default_api: "gpt-4o".into(),
        default_setup: "cloud-a100".into(),
        default_frontier_api: "gpt-4o".into(),
        volumes: vec![10e6, 100e6, 500e6, 1e9, 5e9, 10e9],
        volume_api_below_tokens: 500e6,
        volume_self_host_above_tokens: 1e9,
        start_planning_usd_per_month: 5000.0,
        ready_to_switch_usd_per_month: 10_000.0,
        latency: LatencyPolicy {
            api_network_rtt: RangeMs {
                min_ms: 50.0,
                max_ms: 150.0,
            },
            api_queue: RangeMs {
                min_ms: 0.0,
                max_ms: 500.0,
            },
            self_host_network_rtt: RangeMs {
                min_ms: 1.0,
                max_ms: 10.0,
            },
            self_host_below_ms: 200.0,
        },
        spiky_peak_to_average: 2.0,
        default_spike_hours_per_month: 36.5,
        business_hours_per_month: 220.0,
        weights: Weights {
            cost: 2.0,
            team_hire: 1.0,
            team_ready: 1.0,
            experimenting: 1.0,
            time_to_market: 1.0,
            fine_tuning: 1.0,
            always_on: 1.0,
            latency: 1.0,
        },
    }
}

/// The article's team-size table with round loaded costs.
pub fn article_staffing() -> Staffing {
    let fte = |ml_engineer, devops, sre| Fte {
        ml_engineer,
        devops,
        sre,
    };
    let scale = |id: &str, up_to: Option<u32>, min: Fte, rec: Fte| StaffScale {
        id: id.into(),
        label: id.into(),
        up_to_units: up_to,
        minimum: min,
        recommended: rec,
        note: None,
    };
    Staffing {
        scales: vec![
            scale("low", Some(1), fte(0.5, 0.0, 0.0), fte(1.0, 0.0, 0.0)),
            scale("moderate", Some(4), fte(1.0, 0.5, 0.0), fte(2.0, 1.0, 0.0)),
            scale("high", None, fte(2.0, 1.0, 0.0), fte(4.0, 2.0, 1.0)),
        ],
        roles: vec![
            RoleCost {
                role: "ml_engineer".into(),
                usd_per_month: 20_000.0,
                source: "test".into(),
            },
            RoleCost {
                role: "devops".into(),
                usd_per_month: 16_000.0,
                source: "test".into(),
            },
        ],
        provenance: provenance(),
    }
}

/// A plain workload: steady traffic, standard privacy, GPT-4o against cloud A100.
pub fn workload(tokens: f64) -> Workload {
    Workload {
        name: "test".into(),
        description: None,
        tokens_per_month: tokens,
        input_share: 1.0 / 3.0,
        cached_input_share: 0.0,
        batch_share: 0.0,
        latency: None,
        privacy: Privacy {
            level: PrivacyLevel::Standard,
            sensitive_share: 0.0,
            third_party_allowed: true,
            requires: Vec::new(),
        },
        capability: Capability {
            frontier_share: 0.0,
            frontier_api: "gpt-4o".into(),
        },
        team: None,
        traffic: Traffic::steady(),
        phase: Phase::Production,
        always_on: false,
        dev_share: 0.0,
        fine_tuning: false,
        time_to_market: TimeToMarket::Normal,
        growth_monthly: 0.0,
        api: "gpt-4o".into(),
        setup: "cloud-a100".into(),
        self_host_fixed_usd_per_month: 0.0,
    }
}

/// A catalog of GPT-4o (article prices), a cheap open-model API and the article's cloud A100
/// setup, with the article's policy and staffing table.
pub fn catalog() -> crate::model::pricing::Catalog {
    let mut cheap = api("cheap", 0.4, 0.4, None, None);
    cheap.tier = Tier::Strong;
    crate::model::pricing::Catalog {
        profile: "test".into(),
        apis: vec![api("gpt-4o", 2.5, 10.0, None, None), cheap],
        setups: vec![setup("cloud-a100", &[3500.0, 0.0, 500.0], 2.5e9)],
        staffing: article_staffing(),
        policy: article_policy(),
        files: Vec::new(),
        sha256: String::new(),
    }
}
