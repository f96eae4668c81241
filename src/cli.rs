//! Command-line arguments (clap derive) and nothing else: no defaults beyond clap's, no
//! cross-flag rules. `options` turns this into the resolved [`crate::options::Options`].

// Doc comments here are the help text users read: no Markdown backticks in them.
#![allow(clippy::doc_markdown)]

use crate::model::Named;
use crate::model::catalog::Tier;
use crate::model::catalog::hardware::{Hosting, PriceKind};
use crate::model::units;
use crate::model::workload::{
    ApiRegion, LatencyMetric, Percentile, Phase, PrivacyLevel, TimeToMarket, TrafficShape,
};
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  llm-decide --tokens 800M --latency 150ms
      Decide for 800M tokens a month with a 150 ms p95 time-to-first-token target.
  llm-decide --scenario scenarios/healthcare.yaml --format json
      Decide for a workload profile; print the machine-readable report.
  llm-decide --tokens 2B --api claude-sonnet-4.5 --setup cloud-h100
      Pick the API model and the self-host setup to compare.
  llm-decide --tokens 1B --api-price 3/15 --self-host-cost 5k --self-host-capacity 3B
      Try prices without writing a file.
  llm-decide --pricing seed --tokens 500M
      Use exactly the reference article's prices.
  llm-decide compare scenarios/*.yaml
      Show scenarios side by side.
  llm-decide list apis --tier frontier
      Show the catalog.

Exit status: 0 ran (and every check passed), 1 a check failed, 2 bad input.";

/// Should you pay for an LLM API, self-host an open model, or run both?
///
/// llm-decide prices both sides at your volume, finds the break-even volume, checks
/// latency, privacy, capability and team constraints, and recommends API, self-host or a
/// hybrid, with the reasons in numbers. Prices are embedded (see `llm-decide list`) and can be
/// overridden with --pricing.
#[derive(Debug, Parser)]
#[command(
    name = "llm-decide",
    version,
    after_help = EXAMPLES,
    max_term_width = 100,
    allow_negative_numbers = true
)]
pub struct Cli {
    /// What to do; without a command, decide for one workload.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The workload to decide for.
    #[command(flatten)]
    pub workload: WorkloadArgs,

    /// Budget checks.
    #[command(flatten)]
    pub checks: CheckArgs,

    /// Catalog and output.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Flags every command takes.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Pricing data: a YAML file, a folder of them, or a built-in profile (`default`,
    /// `seed` = the article's numbers). Repeat to layer files; entries with the same id replace
    /// the built-in ones. Default: the path in LLM_DECIDE_PRICING, else the `pricing:` of the
    /// project settings file (.llm-decide.yaml, found from here up to the repository's root;
    /// it may also set `price_warning_days` and default `budget:` checks), else the built-in
    /// prices.
    #[arg(long, value_name = "PATH|PROFILE", global = true)]
    pub pricing: Vec<String>,

    /// A model to size from its Hugging Face config.json; its id is the file's name without
    /// `.json` (or its folder's, for a file named config.json). Repeat for more.
    #[arg(long, value_name = "PATH", global = true)]
    pub model_config: Vec<String>,

    /// Capability tier of the models given with --model-config (a decision needs it: a
    /// config does not say how capable a model is).
    #[arg(long, value_enum, global = true)]
    pub model_tier: Option<Tier>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table", global = true)]
    pub format: FormatArg,

    /// Write the output to FILE instead of stdout (all or nothing: a failed write leaves no
    /// partial file).
    #[arg(long, value_name = "FILE", global = true)]
    pub output: Option<String>,

    /// Warn on stderr when a price used was checked more than DAYS ago (0: never); default:
    /// the policy's (180).
    #[arg(long, value_name = "DAYS", value_parser = number, global = true)]
    pub price_warning_days: Option<f64>,

    /// Colour: auto (a terminal, unless NO_COLOR is set or CLICOLOR=0; anywhere with
    /// CLICOLOR_FORCE), always, never.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        global = true,
        value_name = "WHEN"
    )]
    pub color: ColorArg,

    /// Print only the recommendation (one line per scenario); no warnings.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// A decision's table report in full: every section (the JSON, Markdown and HTML always
    /// hold everything).
    #[arg(long, global = true, conflicts_with = "show")]
    pub full: bool,

    /// A decision's table report with these sections too, beyond the recommendation, options,
    /// hybrid plans, reasons and break-even it always shows: latency (each side's and its
    /// parts, remedies for a missed target), alternatives (the options not chosen, and why),
    /// volumes (both sides over a range of volumes, with the chart), outlook (projection,
    /// sensitivity, uncertainty), self-host (the cost build-up and deployment), assumptions,
    /// pricing (the data's sources and dates).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        global = true,
        value_name = "SECTION"
    )]
    pub show: Vec<crate::model::output::Section>,

    /// The date price ages are measured against (YYYY-MM-DD); default: today, or
    /// SOURCE_DATE_EPOCH when set.
    #[arg(long, value_name = "DATE", global = true)]
    pub today: Option<String>,

    /// Show amounts in this currency (ISO 4217 code, e.g. EUR) in the table, Markdown and HTML
    /// reports, converted at --fx or the settings file's rate; the JSON and CSV reports stay in
    /// USD and record the rate. Default: USD.
    #[arg(long, value_name = "CODE", global = true)]
    pub currency: Option<String>,

    /// Units of the --currency one US dollar buys (0.92 for EUR at $1 = EUR 0.92).
    #[arg(long, value_name = "RATE", value_parser = number_positive, global = true)]
    pub fx: Option<f64>,

    /// The day the --fx rate is of (YYYY-MM-DD), named in the report beside the rate.
    #[arg(long, value_name = "DATE", global = true)]
    pub fx_date: Option<String>,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// When writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Shells `completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A readable report.
    Table,
    /// The machine-readable report (stable contract).
    Json,
    /// Flat rows for spreadsheets.
    Csv,
    /// Markdown, ready to post as a pull-request comment.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// Budget checks: exit 1 when one fails (0 with --warn-only).
#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    /// Fail when the recommended option costs more than USD a month.
    #[arg(long, value_name = "USD", value_parser = usd, help_heading = "Checks")]
    pub max_monthly_cost: Option<f64>,

    /// Fail when the recommended option costs more than USD per 1M tokens.
    #[arg(long, value_name = "USD", value_parser = usd, help_heading = "Checks")]
    pub max_cost_per_mtok: Option<f64>,

    /// Fail when the recommended option's latency (the target's metric and percentile; p95 TTFT
    /// without a target) exceeds DURATION.
    #[arg(long, value_name = "DURATION", value_parser = duration_positive, help_heading = "Checks")]
    pub max_latency: Option<f64>,

    /// Fail unless the recommendation is this.
    #[arg(long, value_name = "CHOICE", value_parser = ["api", "self-host", "hybrid"], help_heading = "Checks")]
    pub expect: Option<String>,

    /// Fail when a price used was checked more than DAYS ago.
    #[arg(long, value_name = "DAYS", value_parser = number, help_heading = "Checks")]
    pub max_price_age: Option<f64>,

    /// Fail once the volume reaches one of the article's triggers: the API bill at which to
    /// start planning self-hosting or to be ready to switch (the policy's $5,000 and $10,000 a
    /// month), or the break-even volume. With --usage, each observed month is checked and the
    /// first to reach it is named.
    #[arg(long, value_enum, value_name = "TRIGGER", help_heading = "Checks")]
    pub alert_at: Option<AlertAtArg>,

    /// Report failed checks but exit 0.
    #[arg(long, help_heading = "Checks")]
    pub warn_only: bool,
}

/// The documents `schema` knows, as its argument writes them.
pub const SCHEMA_DOCUMENTS: [&str; 18] = [
    "decision",
    "compare",
    "check",
    "diff",
    "capacity",
    "calibration",
    "usage",
    "crossover",
    "validation",
    "import",
    "pricing-diff",
    "list-apis",
    "list-setups",
    "list-gpus",
    "list-offers",
    "list-models",
    "list-scenarios",
    "error",
];

/// The article's monitoring triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlertAtArg {
    /// The API bill reaches the policy's start-planning figure ($5,000 a month).
    StartPlanning,
    /// The API bill reaches the policy's ready-to-switch figure ($10,000 a month).
    ReadyToSwitch,
    /// The volume reaches the break-even volume.
    Crossover,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare scenario files side by side, one column each.
    #[command(
        after_help = "Examples:\n  llm-decide compare scenarios/saas-startup.yaml scenarios/healthcare.yaml\n  llm-decide compare scenarios/*.yaml --format json"
    )]
    Compare {
        /// Scenario files or folders of them.
        #[arg(required = true, value_name = "PATH")]
        files: Vec<String>,
        /// Rows to show, comma-separated (default: all): tokens, recommendation, cost, api,
        /// api_cost, self_host, self_host_cost, hybrid, crossover, latency, privacy.
        #[arg(long, value_name = "LIST", value_delimiter = ',')]
        metrics: Vec<String>,
        /// Order the scenarios by: name, tokens, cost (recommended monthly cost), crossover.
        #[arg(long, value_name = "KEY", value_parser = ["name", "tokens", "cost", "crossover"])]
        sort: Option<String>,
    },
    /// Check scenario files (or every scenario in folders, recursively) against budgets: exit 1
    /// when a check fails.
    #[command(
        after_help = "Examples:\n  llm-decide check scenarios/ --max-monthly-cost 20k\n  llm-decide check scenarios/trading.yaml --expect self-host --max-latency 100ms\n  llm-decide check budgets/ --max-price-age 180 --format markdown --output report.md\n  llm-decide check --usage exports/ --alert-at start-planning"
    )]
    Check {
        /// Scenario files or folders.
        #[arg(required_unless_present = "usage", value_name = "PATH")]
        paths: Vec<String>,
        /// Check the workload usage exports describe instead (what `llm-decide usage FILE`
        /// reads), each observed month against --alert-at.
        #[arg(long, value_name = "FILE", conflicts_with = "paths")]
        usage: Vec<String>,
        /// With --usage: where a log of one request a row keeps each figure (as `usage --map`).
        #[arg(long, value_name = "FIELDS", requires = "usage")]
        usage_map: Option<String>,
        /// Budget checks (they override each file's `budget:` block).
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// Compare two runs: two scenario files, or a saved JSON report and a scenario.
    #[command(
        after_help = "Examples:\n  llm-decide diff base.yaml head.yaml\n  llm-decide diff report.json scenarios/ecommerce.yaml --fail-on-flip --max-increase 10%\n  llm-decide diff base.yaml head.yaml --max-increase 500 --format markdown"
    )]
    Diff {
        /// The base: a scenario file or a JSON report.
        #[arg(value_name = "BASE")]
        base: String,
        /// The head: a scenario file or a JSON report.
        #[arg(value_name = "HEAD")]
        head: String,
        /// Exit 1 when the recommendation changes.
        #[arg(long)]
        fail_on_flip: bool,
        /// Exit 1 when the recommended monthly cost grows by more than this (10% or $500).
        #[arg(long, value_name = "PERCENT|USD")]
        max_increase: Option<String>,
    },
    /// Size a self-hosted deployment on its own: memory, batch, throughput, latency; with
    /// --tokens, the GPUs and monthly GPU cost a volume needs.
    #[command(
        after_help = "Examples:\n  llm-decide capacity --model llama-3.3-70b --gpu h100-sxm --gpus 2 --precision fp8\n  llm-decide capacity --model llama-3.1-70b --gpu a100-80gb --precision bf16\n      (does not fit on one GPU: says what would)\n  llm-decide capacity --model llama-3.1-8b --gpu l4 --tokens 800M --format json"
    )]
    Capacity(CapacityArgs),
    /// Fit the serving engine's constants to your own benchmark of a deployment and write them
    /// as a pricing file: layered with --pricing, your measurement replaces the published
    /// figures for that engine, GPU and precision.
    #[command(
        after_help = "Examples:\n  vllm bench serve --model meta-llama/Llama-3.1-8B-Instruct --max-concurrency 8 --save-result --result-dir runs/\n  llm-decide calibrate runs/ --model llama-3.1-8b --gpu h100-sxm --gpus 1 --precision bf16 --engine vllm --output pricing/our-h100.yaml\n  llm-decide --pricing pricing/our-h100.yaml --engine vllm --model llama-3.1-8b --gpu h100-sxm --tokens 800M\n\nFormats read: tests/data/bench/README.md."
    )]
    Calibrate(CalibrateArgs),
    /// Read your API usage exports and say what workload they describe: the period, tokens a
    /// month, input, cached and output shares, requests, the hourly peak, growth and the model
    /// mix.
    #[command(
        after_help = "Examples:\n  llm-decide usage openai-usage.json\n  llm-decide usage exports/ --format json\n  llm-decide usage anthropic-usage.json --usage-format anthropic --strict\n  llm-decide usage spend-logs.csv.gz\n  llm-decide usage requests.jsonl --map timestamp=created_at,model=model,input=usage.prompt_tokens,output=usage.completion_tokens\n\nFormats read: tests/data/usage/README.md."
    )]
    Usage(UsageArgs),
    /// Chart each option's monthly cost against volume, with the break-even point and your
    /// volume marked, and the table of the sweep.
    #[command(
        after_help = "Examples:\n  llm-decide crossover --tokens 800M\n  llm-decide crossover --scenario healthcare --from 10M --to 20B --steps 40\n  llm-decide crossover --tokens 2B --api claude-sonnet-4.5 --linear\n  llm-decide crossover --tokens 800M --format html --output crossover.html"
    )]
    Crossover {
        /// The workload (the same flags as the main command).
        #[command(flatten)]
        workload: Box<WorkloadArgs>,
        /// Smallest volume of the sweep; default: 10M or a tenth of yours, whichever is smaller.
        #[arg(long, value_name = "TOKENS", value_parser = tokens_positive)]
        from: Option<f64>,
        /// Largest volume; default: 10B, or ten times yours or twice the break-even if larger.
        #[arg(long, value_name = "TOKENS", value_parser = tokens_positive)]
        to: Option<f64>,
        /// Volumes in the sweep (2 to 200).
        #[arg(long, value_name = "N", default_value = "25", value_parser = clap::value_parser!(u32).range(2..=200))]
        steps: u32,
        /// Space the volumes evenly instead of on a log scale.
        #[arg(long)]
        linear: bool,
    },
    /// Write a starter scenario: every field with its unit and default, commented.
    #[command(
        after_help = "Examples:\n  llm-decide init my-workload.yaml\n  llm-decide validate my-workload.yaml\n  llm-decide --scenario my-workload.yaml --format html --output report.html"
    )]
    Init {
        /// Where to write it; without FILE, print it.
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Check scenario and pricing files (or folders of them) and report every problem with its
    /// location; exit 2 when there is one.
    #[command(
        after_help = "Examples:\n  llm-decide validate my-workload.yaml\n  llm-decide validate scenarios/ pricing/our-prices.yaml\n  llm-decide validate --pricing pricing/our-prices.yaml scenarios/"
    )]
    Validate {
        /// Scenario files, pricing files or folders.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  llm-decide completions bash > ~/.local/share/bash-completion/completions/llm-decide\n  llm-decide completions zsh > ~/.zfunc/_llm-decide\n  llm-decide completions fish > ~/.config/fish/completions/llm-decide.fish\n  llm-decide completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the JSON Schema of the JSON output: of every document, or of one command's.
    #[command(
        after_help = "Examples:\n  llm-decide schema > report.schema.json\n  llm-decide schema usage\n  llm-decide schema check | check-jsonschema --schemafile /dev/stdin report.json"
    )]
    Schema {
        /// The document: decision (the main command), compare, check, diff, capacity,
        /// calibration, usage, crossover, validation, import, pricing-diff, list-apis,
        /// list-setups, list-gpus, list-offers, list-models, list-scenarios; default: all.
        #[arg(value_name = "DOCUMENT", value_parser = SCHEMA_DOCUMENTS)]
        document: Option<String>,
    },
    /// Print the manual page (roff).
    #[command(
        after_help = "Examples:\n  llm-decide man > llm-decide.1 && man ./llm-decide.1\n  llm-decide man | sudo tee /usr/local/share/man/man1/llm-decide.1 > /dev/null"
    )]
    Man,
    /// Maintain pricing data: import LiteLLM's community price list.
    #[command(
        after_help = "Examples:\n  llm-decide pricing import-litellm model_prices_and_context_window.json --output pricing/litellm.yaml"
    )]
    Pricing {
        /// What to do.
        #[command(subcommand)]
        command: PricingCommand,
    },
    /// Show the catalog: API models, self-host setups, GPUs, open models or the ready-made
    /// scenarios.
    #[command(
        after_help = "Examples:\n  llm-decide list apis\n  llm-decide list apis --provider openai\n  llm-decide list apis --tier frontier --format json\n  llm-decide list setups --pricing seed"
    )]
    List {
        /// What to list.
        #[arg(value_enum)]
        what: ListArg,
        /// Only entries of this provider.
        #[arg(long)]
        provider: Option<String>,
        /// Only API models of this capability tier.
        #[arg(long, value_enum)]
        tier: Option<Tier>,
    },
}

/// `pricing` subcommands.
#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Convert LiteLLM's model_prices_and_context_window.json into an API pricing file.
    ///
    /// Converts chat models with per-token prices (input, output, cache-read, batch and
    /// long-context fields; USD per token to USD per 1M tokens), each with `checked` and
    /// `source`, and counts every skipped entry by reason on stderr. Entries for models the
    /// embedded catalog already has (matched by LiteLLM key) refresh them: the new prices, and
    /// what LiteLLM does not record (tier, latency, quality score) kept. Load the result with
    /// --pricing.
    #[command(
        name = "import-litellm",
        after_help = "Examples:\n  llm-decide pricing import-litellm prices.json --as-of 2026-11-27 --provider openai,anthropic\n  llm-decide pricing import-litellm https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json --output pricing/litellm.yaml\n  llm-decide --pricing pricing/litellm.yaml --tokens 800M --api gpt-4.1"
    )]
    ImportLitellm {
        /// The price list: a file (the litellm package ships it as
        /// litellm/model_prices_and_context_window_backup.json), an https:// URL, or - for
        /// standard input.
        #[arg(value_name = "SOURCE")]
        source: String,
        /// The date the list was published, recorded as each price's `checked` (YYYY-MM-DD).
        /// Required for a file or standard input; for a URL it defaults to the server's
        /// Last-Modified date, else the day it is fetched.
        #[arg(long = "as-of", visible_alias = "checked", value_name = "DATE")]
        as_of: Option<String>,
        /// Only these providers (this tool's ids: openai, anthropic, google, ...).
        #[arg(long, value_name = "ID", value_delimiter = ',')]
        provider: Vec<String>,
        /// Keep models whose deprecation date has passed.
        #[arg(long)]
        include_deprecated: bool,
        /// Capability tier for models the embedded catalog does not know.
        #[arg(long, value_enum, default_value = "standard")]
        tier: Tier,
    },
    /// Compare two pricing catalogs: API price moves, new and removed APIs, GPU price moves.
    ///
    /// OLD and NEW each take what --pricing takes (a built-in profile such as default or
    /// seed, a pricing file, or a folder of them), layered over the embedded catalog the same
    /// way. APIs are compared on each price and on the blended price per 1M tokens at the
    /// policy's input share; GPUs on the cheapest offer of the policy's price kind.
    #[command(
        after_help = "Examples:\n  llm-decide pricing diff default pricing/litellm.yaml\n  llm-decide pricing diff old/ new/ --format json"
    )]
    Diff {
        /// The catalog before.
        #[arg(value_name = "OLD")]
        old: String,
        /// The catalog after.
        #[arg(value_name = "NEW")]
        new: String,
    },
}

/// Flags of `capacity`.
#[derive(Debug, Args, Clone)]
pub struct CapacityArgs {
    /// Open model (a catalog id; see `llm-decide list models`).
    #[arg(long, value_name = "ID")]
    pub model: String,
    /// GPU (a catalog id; see `llm-decide list gpus`).
    #[arg(long, value_name = "ID")]
    pub gpu: String,
    /// Total GPUs; default: one replica at the smallest tensor-parallel degree that fits.
    #[arg(long, value_name = "N", value_parser = gpu_count)]
    pub gpus: Option<u32>,
    /// Tensor-parallel degree (1, 2, 4, 8); default: the one that serves the most.
    #[arg(long, value_name = "N", value_parser = gpu_count)]
    pub tp: Option<u32>,
    /// Expert-parallel degree (divides the tensor-parallel degree; a mixture of experts only):
    /// the routed experts are spread whole over that many GPUs and reached by all-to-all;
    /// default: split like the other weights (tensor parallel).
    #[arg(long, value_name = "N", value_parser = gpu_count)]
    pub ep: Option<u32>,
    /// Attention data parallelism: each GPU of a replica holds the weights every token uses and
    /// runs attention for its own share of the batch (TensorRT-LLM's enable_attention_dp,
    /// SGLang's --enable-dp-attention); default: no (attention tensor-parallel).
    #[arg(long, value_enum, value_name = "YES|NO")]
    pub attention_dp: Option<YesNo>,
    /// Speculative decoding: draft tokens a step (1-8), from multi-token-prediction heads or
    /// --draft-model; default: none.
    #[arg(long, value_name = "K", value_parser = gpu_count)]
    pub speculative: Option<u32>,
    /// Probability a draft token is accepted (with --speculative); default 0.85, DeepSeek-V3's
    /// measured rate for its second token.
    #[arg(long, value_name = "SHARE", value_parser = share)]
    pub acceptance: Option<f64>,
    /// A separate draft model for --speculative (a catalog id, smaller than --model), held
    /// beside it and run once a draft token; default: multi-token-prediction heads.
    #[arg(long, value_name = "ID")]
    pub draft_model: Option<String>,
    /// Weight precision (fp16, bf16, fp8, int8, int4, fp4, mxfp4, nvfp4); default: the precision
    /// the model's checkpoint is released in (fp8 for DeepSeek and Kimi K2, mxfp4 for gpt-oss),
    /// else bf16.
    #[arg(long, value_name = "ID")]
    pub precision: Option<String>,
    /// Prompt tokens per request.
    #[arg(long, value_name = "TOKENS", value_parser = tokens, default_value = "1000")]
    pub input_tokens: f64,
    /// Generated tokens per request.
    #[arg(long, value_name = "TOKENS", value_parser = tokens_positive, default_value = "1000")]
    pub output_tokens: f64,
    /// Monthly tokens (input plus output) to size for.
    #[arg(long, value_name = "TOKENS", value_parser = tokens_positive)]
    pub tokens: Option<f64>,
    /// Sequences one replica runs at once (a benchmark's concurrency): TPOT, TTFT and
    /// throughput at that load, beside the largest batch's.
    #[arg(long, value_name = "N", value_parser = gpu_count)]
    pub concurrency: Option<u32>,
    /// Throughput per GPU against tokens per second per user over concurrencies 1, 2, 4, ...
    /// up to the largest batch, the way serving benchmarks publish their curves.
    #[arg(long)]
    pub sweep: bool,
    /// Peak over average rate of that volume.
    #[arg(long, value_name = "RATIO", value_parser = number, default_value = "1")]
    pub peak_to_average: f64,
    /// Serving engine (batched, llama.cpp); default: the policy's.
    #[arg(long, value_name = "ID")]
    pub engine: Option<String>,
    /// Precision of the KV cache (fp16, bf16, fp8, fp4); default: the engine's for the weights
    /// (16-bit; FP8 with `trtllm` and FP8/FP4 weights).
    #[arg(long, value_name = "ID")]
    pub kv_precision: Option<String>,
    /// Rent or own the GPUs.
    #[arg(long, value_enum, default_value = "cloud")]
    pub hosting: Hosting,
    /// Cloud price kind; default: the policy's.
    #[arg(long, value_enum)]
    pub price_kind: Option<PriceKind>,
}

/// `calibrate` arguments: the result files and the deployment they measured (the files do
/// not record its GPUs or precision).
#[derive(Debug, Clone, Args)]
pub struct CalibrateArgs {
    /// Result files of `vllm bench serve --save-result` (one run each, or one a line with
    /// --append-result), SGLang's `bench_serving --output-file` (one run a line), genai-perf
    /// (profile_export_genai_perf.json, one run each) or GuideLLM (benchmarks.json, every run of
    /// the sweep), or folders of them (their .json and .jsonl files and their subfolders', such
    /// as genai-perf's artifacts folder).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// The model the server ran (a catalog id; see `llm-decide list models`).
    #[arg(long, value_name = "ID")]
    pub model: String,
    /// Its GPU (a catalog id; see `llm-decide list gpus`).
    #[arg(long, value_name = "ID")]
    pub gpu: String,
    /// GPUs of the server, its tensor-parallel degree.
    #[arg(long, value_name = "N", value_parser = gpu_count)]
    pub gpus: u32,
    /// Expert-parallel degree the server ran (a mixture of experts only; divides --gpus);
    /// default: none (the experts split like the other weights).
    #[arg(long, value_name = "N", value_parser = gpu_count)]
    pub ep: Option<u32>,
    /// Whether the server ran attention data-parallel (TensorRT-LLM's enable_attention_dp,
    /// SGLang's --enable-dp-attention; a mixture of experts only); default: no.
    #[arg(long, value_enum, value_name = "YES|NO")]
    pub attention_dp: Option<YesNo>,
    /// Weight precision served (bf16, fp8, int4, ...).
    #[arg(long, value_name = "ID")]
    pub precision: String,
    /// The engine that served (vllm, sglang, trtllm, llama.cpp, batched): the constants are
    /// written for it.
    #[arg(long, value_name = "ID")]
    pub engine: String,
    /// Precision of the KV cache the server ran (fp8 with --kv-cache-dtype fp8); default: the
    /// engine's.
    #[arg(long, value_name = "ID")]
    pub kv_precision: Option<String>,
    /// The day the benchmark ran (YYYY-MM-DD), recorded as the calibration's date in place of
    /// the files' own; needed for files that record none (genai-perf).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// `usage` arguments.
#[derive(Debug, Clone, Args)]
pub struct UsageArgs {
    /// Usage exports: usage-API pages (OpenAI, Anthropic, OpenRouter's activity), ccusage's
    /// JSON, request logs (LiteLLM's spend logs, Helicone, Langfuse, OpenRouter's generations),
    /// or any log of one request a row with --map; JSON, JSON lines or CSV, gzipped or not; or
    /// folders of them; or postgres://USER@HOST/DB, LiteLLM's database (the password from the
    /// URL or PGPASSWORD).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// The export format; default: detected from each file.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "map")]
    pub usage_format: Option<UsageFormatArg>,
    /// With a postgres:// source: the first day read (YYYY-MM-DD, UTC, inclusive).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub from: Option<String>,
    /// With a postgres:// source: the first day not read (YYYY-MM-DD, UTC, exclusive).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub to: Option<String>,
    /// With a postgres:// source: print the read-only transaction and its queries, and exit
    /// without connecting.
    #[arg(long)]
    pub explain: bool,
    /// With a postgres:// source: the longest a query may run, seconds [default: 60].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=86_400))]
    pub statement_timeout: Option<u32>,
    /// Where a log of one request a row keeps each figure:
    /// `timestamp=COL,model=COL,input=COL,output=COL,cached=COL` (model and cached optional; a
    /// CSV column or a JSON key, dots into nested JSON, `a+b` to add fields, `a|b` for the
    /// first present). Input counts cached tokens too.
    #[arg(long, value_name = "FIELDS")]
    pub map: Option<String>,
    /// Refuse (exit 2) when any row cannot be used, instead of counting it as skipped.
    #[arg(long)]
    pub strict: bool,
    /// Also write the workload as a scenario file (each value with where it came from), for
    /// `llm-decide --scenario FILE`; an existing file is replaced.
    #[arg(long, value_name = "FILE")]
    pub write_scenario: Option<String>,
}

/// Usage export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UsageFormatArg {
    /// OpenAI's organization Usage API, completions.
    Openai,
    /// Anthropic's Admin API usage report, messages.
    Anthropic,
    /// OpenRouter's activity (a day's tokens by model).
    Openrouter,
    /// ccusage's daily or monthly JSON (coding-agent usage).
    Ccusage,
    /// LiteLLM proxy spend logs (`LiteLLM_SpendLogs`), one request a row.
    Litellm,
    /// Helicone's request rows (its query API or export tool).
    Helicone,
    /// Langfuse's observations (its export or public API).
    Langfuse,
    /// OpenRouter's generation records (`GET /api/v1/generation`).
    OpenrouterGeneration,
}

/// What `list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListArg {
    /// API models with prices.
    Apis,
    /// Packaged self-host setups.
    Setups,
    /// GPUs with specs, the cheapest cloud price and the purchase price.
    Gpus,
    /// Every GPU rental offer with its unit, region, tenancy and compliance, and sources.
    Offers,
    /// Open models with their architecture.
    Models,
    /// Ready-made scenarios.
    Scenarios,
}

/// Yes or no, for flags that override a file's true/false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum YesNo {
    /// True.
    Yes,
    /// False.
    No,
}

impl YesNo {
    /// As a bool.
    pub fn get(self) -> bool {
        self == YesNo::Yes
    }
}

/// The workload, from flags. Every flag overrides the scenario file.
#[derive(Debug, Args, Clone, Default)]
pub struct WorkloadArgs {
    /// Monthly tokens, input plus output (800M, 1.5B, 750k, 2e9).
    #[arg(long, value_name = "TOKENS", value_parser = tokens_positive, allow_hyphen_values = true, help_heading = "Workload")]
    pub tokens: Option<f64>,

    /// Latency target (150ms, 0.2s); p95 time to first token unless --latency-metric and
    /// --latency-percentile say otherwise.
    #[arg(long, value_name = "DURATION", value_parser = duration_positive, allow_hyphen_values = true, help_heading = "Workload")]
    pub latency: Option<f64>,

    /// Which latency the target applies to.
    #[arg(long, value_enum, help_heading = "Workload")]
    pub latency_metric: Option<LatencyMetric>,

    /// Which percentile the target applies to.
    #[arg(long, value_enum, help_heading = "Workload")]
    pub latency_percentile: Option<Percentile>,

    /// Where you are relative to the API provider's region (the article's 50-150 ms round
    /// trip: near = 50 ms, far = 150 ms).
    #[arg(long, value_enum, help_heading = "Workload")]
    pub api_region: Option<ApiRegion>,

    /// Your measured round trip to the API (e.g. 80ms); overrides --api-region.
    #[arg(long, value_name = "DURATION", value_parser = duration_positive, help_heading = "Workload")]
    pub api_rtt: Option<f64>,

    /// A workload profile: a YAML file, or a ready-made one (saas-startup, healthcare,
    /// ecommerce, trading). Flags override its fields.
    #[arg(long, value_name = "FILE", help_heading = "Workload")]
    pub scenario: Option<String>,

    /// Decide from usage exports instead of a scenario (what `llm-decide usage
    /// --write-scenario` would write); repeat for more files. Flags override its fields.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Workload",
        conflicts_with = "scenario"
    )]
    pub usage: Vec<String>,

    /// With --usage: where a log of one request a row keeps each figure
    /// (`timestamp=COL,model=COL,input=COL,output=COL,cached=COL`, as `usage --map`).
    #[arg(
        long,
        value_name = "FIELDS",
        requires = "usage",
        help_heading = "Workload"
    )]
    pub usage_map: Option<String>,

    /// Requests per month (with --input-tokens and --output-tokens, instead of --tokens).
    #[arg(long, value_name = "N", value_parser = count, conflicts_with = "tokens", help_heading = "Workload")]
    pub requests: Option<f64>,

    /// Average input tokens per request.
    #[arg(long, value_name = "TOKENS", value_parser = tokens, help_heading = "Workload")]
    pub input_tokens: Option<f64>,

    /// Average output tokens per request.
    #[arg(long, value_name = "TOKENS", value_parser = tokens, help_heading = "Workload")]
    pub output_tokens: Option<f64>,

    /// Share of tokens that are input tokens (0.33, 33%, 1/3); default one third.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Workload")]
    pub input_share: Option<f64>,

    /// Share of input tokens served from the prompt cache.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Workload")]
    pub cached_share: Option<f64>,

    /// Share of traffic that can use the batch API.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Workload")]
    pub batch_share: Option<f64>,

    /// Privacy level.
    #[arg(long, value_enum, help_heading = "Constraints")]
    pub privacy: Option<PrivacyLevel>,

    /// Share of traffic that is sensitive.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Constraints")]
    pub sensitive_share: Option<f64>,

    /// Whether sensitive traffic may be processed by a third party.
    #[arg(long, value_enum, value_name = "YES|NO", help_heading = "Constraints")]
    pub third_party: Option<YesNo>,

    /// Compliance offers every API and cloud GPU offer that sees sensitive traffic must be
    /// known to have (soc2, hipaa_baa, iso27001, zero_retention, regional_endpoints).
    #[arg(
        long,
        value_name = "OFFER",
        value_delimiter = ',',
        help_heading = "Constraints"
    )]
    pub requires: Option<Vec<String>>,

    /// Share of traffic that needs frontier reasoning.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Constraints")]
    pub frontier_share: Option<f64>,

    /// API model for the frontier share (a catalog id).
    #[arg(long, value_name = "ID", help_heading = "Constraints")]
    pub frontier_api: Option<String>,

    /// Share of traffic simple enough for a small self-hosted model (three-tier complexity plan).
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Constraints")]
    pub simple_share: Option<f64>,

    /// Small open model for that share (default llama-3.1-8b).
    #[arg(long, value_name = "ID", help_heading = "Constraints")]
    pub small_model: Option<String>,

    /// ML engineers on the team (FTE).
    #[arg(long, value_name = "FTE", value_parser = number, help_heading = "Team")]
    pub ml_engineers: Option<f64>,

    /// DevOps/SRE engineers on the team (FTE).
    #[arg(long, value_name = "FTE", value_parser = number, help_heading = "Team")]
    pub devops: Option<f64>,

    /// Whether the team can hire the missing roles.
    #[arg(long, value_enum, value_name = "YES|NO", help_heading = "Team")]
    pub can_hire: Option<YesNo>,

    /// Traffic shape.
    #[arg(long, value_enum, help_heading = "Traffic and stage")]
    pub traffic: Option<TrafficShape>,

    /// Peak over average request rate (spiky traffic).
    #[arg(long, value_name = "RATIO", value_parser = number, help_heading = "Traffic and stage")]
    pub peak_to_average: Option<f64>,

    /// Stage of the product.
    #[arg(long, value_enum, help_heading = "Traffic and stage")]
    pub phase: Option<Phase>,

    /// Whether the workload runs 24/7.
    #[arg(
        long,
        value_enum,
        value_name = "YES|NO",
        help_heading = "Traffic and stage"
    )]
    pub always_on: Option<YesNo>,

    /// Whether fine-tuned models are needed.
    #[arg(
        long,
        value_enum,
        value_name = "YES|NO",
        help_heading = "Traffic and stage"
    )]
    pub fine_tuning: Option<YesNo>,

    /// Time-to-market pressure.
    #[arg(long, value_enum, help_heading = "Traffic and stage")]
    pub time_to_market: Option<TimeToMarket>,

    /// Monthly growth of volume (5%, 0.05).
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Traffic and stage")]
    pub growth: Option<f64>,

    /// Months to project the costs over (default 24).
    #[arg(long, value_name = "MONTHS", value_parser = months, help_heading = "Traffic and stage")]
    pub horizon: Option<u32>,

    /// Engineer-months to stand up self-hosted serving (build and migration), a one-time cost
    /// at the loaded ML-engineer rate; default: the policy's.
    #[arg(long, value_name = "MONTHS", value_parser = number, help_heading = "Traffic and stage")]
    pub build_effort: Option<f64>,

    /// Calendar months until self-hosting serves production traffic (the API is paid
    /// meanwhile); default: the policy's.
    #[arg(long, value_name = "MONTHS", value_parser = number, help_heading = "Traffic and stage")]
    pub time_to_production: Option<f64>,

    /// Yearly decline of API prices assumed in the projection (e.g. 20%).
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Traffic and stage")]
    pub api_price_decline: Option<f64>,

    /// An uncertain assumption as NAME=MIN:LIKELY:MAX for the Monte Carlo (repeat): tokens
    /// (monthly volumes, e.g. tokens=500M:800M:1.2B); volume, api_price, gpu_price,
    /// utilization, throughput, personnel (multipliers, e.g. volume=0.5:1:3); input_share
    /// (shares, e.g. input_share=20%:1/3:60%).
    #[arg(long, value_name = "NAME=MIN:LIKELY:MAX", value_parser = crate::model::workload::uncertainty::parse_flag, help_heading = "Uncertainty")]
    pub range: Vec<crate::model::workload::uncertainty::RangeSpec>,

    /// Monte Carlo draws (default 10,000).
    #[arg(long, value_name = "N", value_parser = draws, help_heading = "Uncertainty")]
    pub draws: Option<u32>,

    /// Monte Carlo seed (default 1): the same seed gives the same numbers.
    #[arg(long, value_name = "N", value_parser = seed, help_heading = "Uncertainty")]
    pub seed: Option<u64>,

    /// Share of traffic that is development and testing.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Traffic and stage")]
    pub dev_share: Option<f64>,

    /// API model to price (a catalog id; see `llm-decide list apis`).
    #[arg(long, value_name = "ID", help_heading = "Prices")]
    pub api: Option<String>,

    /// A mix of APIs to price, each with its share of the tokens (gpt-4o-mini=60%,o3=40%;
    /// the shares add up to 1).
    #[arg(
        long,
        value_name = "ID=SHARE",
        value_parser = api_share,
        value_delimiter = ',',
        conflicts_with = "api",
        help_heading = "Prices"
    )]
    pub apis: Option<Vec<crate::model::workload::ApiShare>>,

    /// Self-host setup to price (a catalog id; see `llm-decide list setups`).
    #[arg(long, value_name = "ID", help_heading = "Prices")]
    pub setup: Option<String>,

    /// Open model to self-host (a catalog id; see `llm-decide list models`); default: the
    /// cheapest open model whose capability tier is at least the API's.
    #[arg(long, value_name = "ID", help_heading = "Self-host deployment")]
    pub model: Option<String>,

    /// GPU to self-host on (a catalog id; see `llm-decide list gpus`); default: the cheapest.
    #[arg(long, value_name = "ID", help_heading = "Self-host deployment")]
    pub gpu: Option<String>,

    /// Total GPUs of the deployment; default: as many as the peak needs.
    #[arg(long, value_name = "N", value_parser = gpu_count, help_heading = "Self-host deployment")]
    pub gpus: Option<u32>,

    /// Weight precision (fp16, bf16, fp8, int8, int4, fp4); default: the cheapest of bf16 and fp8.
    #[arg(long, value_name = "ID", help_heading = "Self-host deployment")]
    pub precision: Option<String>,

    /// Tensor-parallel degree (1, 2, 4, 8); default: the cheapest that fits.
    #[arg(long, value_name = "N", value_parser = gpu_count, help_heading = "Self-host deployment")]
    pub tp: Option<u32>,

    /// Expert-parallel degree (divides the tensor-parallel degree; a mixture of experts only):
    /// the routed experts are spread whole over that many GPUs and reached by all-to-all;
    /// default: split like the other weights (tensor parallel).
    #[arg(long, value_name = "N", value_parser = gpu_count, help_heading = "Self-host deployment")]
    pub ep: Option<u32>,

    /// Attention data parallelism: each GPU of a replica holds the weights every token uses and
    /// runs attention for its own share of the batch (TensorRT-LLM's enable_attention_dp,
    /// SGLang's --enable-dp-attention); default: no (attention tensor-parallel).
    #[arg(
        long,
        value_enum,
        value_name = "YES|NO",
        help_heading = "Self-host deployment"
    )]
    pub attention_dp: Option<YesNo>,

    /// Speculative decoding: draft tokens a step (1-8), from multi-token-prediction heads or
    /// --draft-model; default: none.
    #[arg(long, value_name = "K", value_parser = gpu_count, help_heading = "Self-host deployment")]
    pub speculative: Option<u32>,

    /// Probability a draft token is accepted (with --speculative); default 0.85, DeepSeek-V3's
    /// measured rate for its second token.
    #[arg(long, value_name = "SHARE", value_parser = share, help_heading = "Self-host deployment")]
    pub acceptance: Option<f64>,

    /// A separate draft model for --speculative (a catalog id, smaller than the model), held
    /// beside it and run once a draft token; default: multi-token-prediction heads.
    #[arg(long, value_name = "ID", help_heading = "Self-host deployment")]
    pub draft_model: Option<String>,

    /// Rent GPUs from a cloud or own them; default: the cheaper one that can be priced.
    #[arg(long, value_enum, help_heading = "Self-host deployment")]
    pub hosting: Option<Hosting>,

    /// Cloud price kind.
    #[arg(long, value_enum, help_heading = "Self-host deployment")]
    pub price_kind: Option<PriceKind>,

    /// Serving engine (batched, llama.cpp).
    #[arg(long, value_name = "ID", help_heading = "Self-host deployment")]
    pub engine: Option<String>,

    /// Precision of the KV cache (fp16, bf16, fp8, fp4); default: the engine's for the weights
    /// (16-bit; FP8 with `trtllm` and FP8/FP4 weights).
    #[arg(long, value_name = "ID", help_heading = "Self-host deployment")]
    pub kv_precision: Option<String>,

    /// API prices in USD per 1M input/output tokens, e.g. 3/15 (replaces the chosen API's).
    #[arg(long, value_name = "IN/OUT", value_parser = price_pair, help_heading = "Prices")]
    pub api_price: Option<(f64, f64)>,

    /// Monthly cost of one self-host unit, USD (replaces the chosen setup's cost lines).
    #[arg(long, value_name = "USD", value_parser = usd, help_heading = "Prices")]
    pub self_host_cost: Option<f64>,

    /// Tokens per month one self-host unit serves.
    #[arg(long, value_name = "TOKENS", value_parser = tokens_positive, help_heading = "Prices")]
    pub self_host_capacity: Option<f64>,

    /// Monthly self-host cost that does not depend on units, USD.
    #[arg(long, value_name = "USD", value_parser = usd, help_heading = "Prices")]
    pub self_host_fixed: Option<f64>,
}

fn tokens(s: &str) -> Result<f64, String> {
    units::parse_tokens(s).map_err(|e| e.to_string())
}

fn tokens_positive(s: &str) -> Result<f64, String> {
    units::parse_tokens(s)
        .and_then(|v| units::require_positive(units::UnitKind::Tokens, s, v))
        .map_err(|e| e.to_string())
}

fn duration_positive(s: &str) -> Result<f64, String> {
    units::parse_duration_ms(s, None)
        .and_then(|v| units::require_positive(units::UnitKind::Duration, s, v))
        .map_err(|e| e.to_string())
}

fn count(s: &str) -> Result<f64, String> {
    units::parse_count(s).map_err(|e| e.to_string())
}

/// A whole number from `min` to `max`.
fn whole(s: &str, min: f64, max: f64) -> Result<f64, String> {
    let v = count(s)?;
    units::Bounds::whole(min, max)
        .check(v)
        .map_err(|(message, fix)| format!("{message}; {fix}"))
}

fn gpu_count(s: &str) -> Result<u32, String> {
    whole(s, 1.0, 4096.0).map(|v| v as u32)
}

fn months(s: &str) -> Result<u32, String> {
    whole(s, 1.0, 600.0).map(|v| v as u32)
}

fn draws(s: &str) -> Result<u32, String> {
    // A million draws take about a tenth of a second; more adds no precision worth the wait.
    whole(s, 1.0, 1_000_000.0).map(|v| v as u32)
}

fn seed(s: &str) -> Result<u64, String> {
    // Seeds up to 2^53 are exact as numbers in YAML and JSON.
    whole(s, 0.0, 9_007_199_254_740_992.0).map(|v| v as u64)
}

fn api_share(s: &str) -> Result<crate::model::workload::ApiShare, String> {
    let Some((api, share)) = s.split_once('=') else {
        return Err(format!("{s:?} is not ID=SHARE (e.g. gpt-4o-mini=60%)"));
    };
    Ok(crate::model::workload::ApiShare {
        api: api.trim().to_string(),
        share: units::parse_share(share.trim()).map_err(|e| e.to_string())?,
    })
}

fn share(s: &str) -> Result<f64, String> {
    units::parse_share(s).map_err(|e| e.to_string())
}

fn number(s: &str) -> Result<f64, String> {
    units::parse_number(s).map_err(|e| e.to_string())
}

fn number_positive(s: &str) -> Result<f64, String> {
    units::parse_number(s)
        .and_then(|v| units::require_positive(units::UnitKind::Number, s, v))
        .map_err(|e| e.to_string())
}

fn usd(s: &str) -> Result<f64, String> {
    units::parse_usd(s).map_err(|e| e.to_string())
}

fn price_pair(s: &str) -> Result<(f64, f64), String> {
    units::parse_price_pair(s).map_err(|e| e.to_string())
}

/// Lets clap offer the model's named enums as flag values, by their ids.
macro_rules! value_enum {
    ($($t:ty),*) => {$(
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                <$t as Named>::ALL
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(self.id()))
            }
        }
    )*};
}

value_enum!(
    LatencyMetric,
    Percentile,
    PrivacyLevel,
    TrafficShape,
    Phase,
    TimeToMarket,
    Tier,
    Hosting,
    PriceKind,
    ApiRegion,
    crate::model::output::Section
);

fn date_arg(s: &str) -> Result<String, String> {
    crate::model::date::Date::parse(s)
        .map(|d| d.to_string())
        .map_err(|e| e.clone())
}
