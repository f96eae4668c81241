//! The renderers, one per output format: terminal text, Markdown and HTML render a document's
//! view (its blocks); JSON and CSV write the machine formats; `pricing_yaml` writes a pricing
//! file. Text from inputs reaches every one of them through [`escape`], the one place that
//! decides what a name may carry into each sink.

pub mod csv;
pub mod escape;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pricing_yaml;
pub mod text;
