//! Serving physics: what one deployment of an open model on GPUs can do. Memory (weights, KV
//! cache, overhead), the largest batch, the decode and prefill step times and the throughput
//! they give (`sizing`, the step kernel by kernel in `step`, the KV cache's precision and holding in `kv`, how GPUs share a step in `parallel`); a replica at the load its requests
//! bring (`load`); queueing for a batch slot (`queueing`); latency on both sides against a
//! target (`latency`); and a deployment sized on its own for the `capacity` command.

pub mod capacity;
pub mod fit;
pub mod kv;
pub mod latency;
pub mod load;
pub mod parallel;
pub mod queueing;
pub mod sizing;
pub mod step;
