//! Hand-built fixtures for engine tests: plain values with numbers checkable by hand.

use crate::model::catalog::hardware::{
    ComputeRate, Gpu, GpuPrice, Interconnect, OpenModel, Precision, PriceKind, ProviderClass,
    SelfHostPolicy, Serving,
};
use crate::model::catalog::policy::{LatencyPolicy, Policy, RangeMs, Weights};
use crate::model::catalog::{
    ApiModel, Compliance, CostLine, Fte, Provenance, RoleCost, Setup, SetupKind, StaffScale,
    Staffing, Tier,
};
use crate::model::date::Date;
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
        long_context: None,
        latency: None,
        litellm_key: None,
        index: None,
        reasoning: None,
        serves: None,
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
        capability_index: None,
        tie_band: 0.1,
        default_input_share: 1.0 / 3.0,
        default_api: "gpt-4o".into(),
        default_setup: "cloud-a100".into(),
        default_frontier_api: "gpt-4o".into(),
        volumes: vec![10e6, 100e6, 500e6, 1e9, 5e9, 10e9],
        volume_api_below_tokens: 500e6,
        volume_self_host_above_tokens: 1e9,
        start_planning_usd_per_month: 5000.0,
        price_warning_days: 180.0,
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
        self_host: SelfHostPolicy {
            sized_by_default: false,
            engine: "batched".into(),
            personnel: crate::model::catalog::hardware::PersonnelBasis::Incremental,
            default_model: "llama-3.1-70b".into(),
            default_small_model: "llama-3.1-8b".into(),
            default_precisions: vec!["bf16".into(), "fp8".into()],
            price_kind: PriceKind::OnDemand,
            price_classes: vec![ProviderClass::Hyperscaler, ProviderClass::Specialist],
            target_utilization: 0.7,
            redundancy_replicas: 1,
            interactive_tpot_ms: 50.0,
            default_output_tokens: 500.0,
            amortization_months: 36.0,

            pue: 1.4,
            electricity_usd_per_kwh: 0.12,
            colocation_usd_per_kw_month: 150.0,
        },
        horizon_months: 24,
        build_engineer_months: 0.0,
        months_to_production: 0.0,
        api_price_decline_yearly: 0.0,
        sensitivity: Vec::new(),
        monte_carlo_draws: 1000,
        monte_carlo_seed: 1,
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
        api_network: crate::model::workload::ApiNetwork::Unknown,
        privacy: Privacy {
            level: PrivacyLevel::Standard,
            sensitive_share: 0.0,
            third_party_allowed: true,
            requires: Vec::new(),
        },
        capability: Capability {
            frontier_share: 0.0,
            frontier_api: "gpt-4o".into(),
            simple_share: 0.0,
            small_model: "llama-3.1-8b".into(),
        },
        team: None,
        traffic: Traffic::steady(),
        phase: Phase::Production,
        always_on: false,
        dev_share: 0.0,
        fine_tuning: false,
        time_to_market: TimeToMarket::Normal,
        growth_monthly: 0.0,
        horizon_months: None,
        build_engineer_months: None,
        months_to_production: None,
        api_price_decline_yearly: None,
        ranges: Vec::new(),
        draws: None,
        seed: None,
        budget: crate::model::workload::Budget::default(),
        api: "gpt-4o".into(),
        apis: Vec::new(),
        setup: "cloud-a100".into(),
        setup_named: false,
        deployment: crate::model::workload::DeploymentRequest::default(),
        request: None,
        self_host_fixed_usd_per_month: 0.0,
        given_unit: crate::model::workload::GivenUnit::default(),
    }
}

/// A catalog of GPT-4o (article prices), a cheap open-model API and the article's cloud A100
/// setup, with the article's policy and staffing table.
pub fn catalog() -> crate::model::catalog::Catalog {
    let mut cheap = api("cheap", 0.4, 0.4, None, None);
    cheap.tier = Tier::Strong;
    crate::model::catalog::Catalog {
        profile: "test".into(),
        apis: vec![api("gpt-4o", 2.5, 10.0, None, None), cheap],
        providers: vec!["test".into()],
        setups: vec![setup("cloud-a100", &[3500.0, 0.0, 500.0], 2.5e9)],
        staffing: article_staffing(),
        policy: article_policy(),
        gpus: vec![gpu()],
        models: vec![llama70b()],
        precisions: vec![
            precision("bf16", 2.0, &[]),
            precision("fp8", 1.0, &["h100"]),
        ],
        engines: vec![serving()],
        files: Vec::new(),
        sha256: String::new(),
    }
}

/// A round-numbered GPU: 80 GB at 2,000 GB/s, 1,000 BF16 and 2,000 FP8 TFLOPS (no
/// measurement), 500 W, `NVLink`, $2 an hour on demand.
pub fn gpu() -> Gpu {
    Gpu {
        id: "h100".into(),
        name: "test GPU".into(),
        memory_gb: 80.0,
        memory_bandwidth_gb_s: 2000.0,
        bf16_tflops: 1000.0,
        fp8_tflops: Some(2000.0),
        fp4_tflops: None,
        int8_tops: None,
        measured_bf16_tflops: None,
        measured_fp8_tflops: None,
        measured_fp4_tflops: None,
        power_w: Some(500.0),
        interconnect: Interconnect::Nvlink,
        link_gb_s: Some(450.0),
        prices: vec![GpuPrice {
            provider: "cloud".into(),
            class: ProviderClass::Specialist,
            kind: PriceKind::OnDemand,
            usd_per_gpu_hour: 2.0,
            instance: None,
            region: None,
            gpus_per_unit: None,
            tenancy: None,
            compliance: Compliance::default(),
            compliance_source: None,
            note: None,
            checked: Date {
                year: 2026,
                month: 11,
                day: 1,
            },
            source: "test".into(),
        }],
        owned: None,
        provenance: provenance(),
    }
}

/// A Llama-70B-shaped dense model with round numbers: 70B parameters, 80 layers, 8 KV heads
/// of dimension 128 (2 x 8 x 128 = 2,048 cached values per layer per token).
pub fn llama70b() -> OpenModel {
    OpenModel {
        id: "llama-3.1-70b".into(),
        name: "test 70B".into(),
        params_b: 70.0,
        active_params_b: 70.0,
        lookup_params_b: 0.0,
        layers: 80,
        hidden_size: 8192,
        attention_heads: 64,
        kv_heads: 8,
        head_dim: 128,
        kv_values_per_layer: 2048,
        context_tokens: 131_072.0,
        experts: None,
        sliding: None,
        native_precision: None,
        tier: Tier::Strong,
        index: None,
        provenance: provenance(),
    }
}

/// A precision with native support on the listed GPUs.
pub fn precision(id: &str, bytes: f64, native_on: &[&str]) -> Precision {
    Precision {
        id: id.into(),
        bytes_per_weight: bytes,
        matmul_ratio: None,
        experts_only: false,
        native_rate: if id == "fp8" {
            ComputeRate::Fp8
        } else {
            ComputeRate::Bf16
        },
        native_on: native_on
            .iter()
            .map(std::string::ToString::to_string)
            .collect(),
        source: "test".into(),
    }
}

/// Serving constants with round numbers: full bandwidth and matmul efficiency, no step
/// overhead, 90% of memory, 2 GB runtime overhead, BF16 KV cache, all-reduces at the link's full bandwidth with no latency.
pub fn serving() -> Serving {
    Serving {
        id: "batched".into(),
        name: "test engine".into(),
        bandwidth_efficiency: 1.0,
        gemm_efficiency: 1.0,
        default_matmul_ratio: 1.0,
        step_overhead_ms: 0.0,
        sequence_overhead_us: 0.0,
        prefill_layer_overhead_us: 0.0,
        prefill_wait_steps: 0.0,
        prefill_graph_tokens: None,
        memory_utilization: 0.9,
        runtime_overhead_gb: 2.0,
        max_batch: 1024,
        step_tokens: None,
        smaller_gpus: None,
        step_tokens_by_memory: Vec::new(),
        kv_bytes: 2.0,
        quantized_kv: None,
        kv_paged: false,
        all_reduce_latency_us: 0.0,
        link_efficiency: 1.0,
        layer_split: false,
        calibrations: Vec::new(),
    }
}

/// Economics of the article's example: GPT-4o prices ($2.50 / $10 per 1M, one third input)
/// for the main and frontier plans, `frontier_share` of traffic on the frontier plan, `unit`
/// for self-hosting, no personnel, no sensitive or development traffic.
pub fn economics<'a>(
    unit: &'a crate::engine::cost::Unit,
    traffic: &'a Traffic,
    volume: f64,
    frontier_share: f64,
) -> crate::engine::cost::economics::Economics<'a> {
    let gpt4o = crate::engine::cost::Rates {
        input: 2.5,
        output: 10.0,
    };
    crate::engine::cost::economics::Economics {
        volume,
        input_share: 1.0 / 3.0,
        plan: gpt4o,
        frontier: gpt4o,
        frontier_share,
        unit,
        personnel_usd: 0.0,
        unit_personnel_usd: 0.0,
        traffic,
        batch_share: 0.0,
        sensitive_share: 0.0,
        dev_share: 0.0,
        small: None,
    }
}

/// One unit of the article's cloud A100 setup: $4,000 a month for 2.5B tokens.
pub fn article_unit() -> crate::engine::cost::Unit {
    crate::engine::cost::Unit::from_setup(&setup("cloud-a100", &[4000.0], 2.5e9), 0.0)
}
