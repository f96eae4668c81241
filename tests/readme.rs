//! The README's YAML examples are real: the scenario resolves and the pricing file layers over
//! the embedded catalog, with the values it shows.

use llm_decide::engine;
use llm_decide::input::catalog::{self, Source};
use llm_decide::input::scenario;

fn yaml_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    readme
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn readme_scenario_example_is_valid() {
    let blocks = yaml_blocks();
    let catalog = catalog::load(&[]).unwrap();
    let spec = scenario::parse_scenario("README.md", &blocks[0]).unwrap();
    let w = scenario::resolve(&spec, &catalog, "readme").unwrap();
    assert_eq!(w.tokens_per_month, 1.2e9);
    assert_eq!(w.input_share, 0.6);
    assert_eq!(w.latency.unwrap().target_ms, 800.0);
    assert!(engine::analyze(&catalog, &w).is_ok());
}

#[test]
fn readme_pricing_example_layers_over_the_catalog() {
    let blocks = yaml_blocks();
    let mut sources = catalog::profile_sources("default").unwrap();
    sources.push(Source {
        name: "README.md".into(),
        text: blocks[1].clone(),
    });
    let catalog = catalog::build("default", &sources).unwrap();
    assert_eq!(catalog.api("my-gateway").unwrap().input_usd_per_mtok, 2.0);
    assert_eq!(
        catalog.setup("colo-h100").unwrap().unit_usd_per_month(),
        3280.0
    );
    assert_eq!(catalog.policy.tie_band, 0.05);
    assert!(catalog.api("gpt-4o").is_some(), "built-in entries remain");
}
