//! How a replica's GPUs share a step: tensor parallelism (every weight split, two all-reduces
//! a layer), expert parallelism (a mixture of experts' routed experts spread whole, reached by
//! all-to-all) and attention data parallelism (the shared weights held whole on every GPU, each
//! running its own share of the batch); the communication each takes.

use super::sizing::Config;
use serde::Serialize;

/// How a replica's GPUs share attention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttentionSplit {
    /// By heads (tensor parallelism), with two all-reduces a layer.
    #[default]
    TensorParallel,
    /// By sequences: each GPU runs attention for its own share of the batch.
    DataParallel,
}

impl Config<'_> {
    /// The expert-parallel degree that applies: the one asked for on a mixture of experts
    /// whose tensor-parallel degree it divides, else 1.
    pub(super) fn expert_parallel(&self) -> u32 {
        match self.model.experts {
            Some(_) if self.ep > 1 && self.tp.is_multiple_of(self.ep) => self.ep,
            _ => 1,
        }
    }

    /// Time of the communication between a replica's GPUs in a step over `tokens` tokens, ms.
    /// Tensor parallel: two all-reduces a layer (after attention and after the feed-forward
    /// block), each of `tokens x hidden` 16-bit activations; a ring all-reduce moves
    /// `2 (t - 1) / t` of them over each GPU's link, plus a fixed latency a call. With the
    /// experts spread over `e` GPUs, the feed-forward block's all-reduce becomes an all-to-all
    /// sending each GPU's `1 / t` of the tokens to their `k` experts (`(e - 1) / e` of them on
    /// other GPUs) and one bringing the results back, then an all-gather (`(t - 1) / t` of the
    /// activations) so that every GPU holds the tokens for attention; where `t / e` GPUs share
    /// an expert, an all-reduce among them too. Every layer is counted as an expert layer.
    ///
    /// Split by layers, a step hands its activations from each GPU to the next: `t - 1`
    /// transfers of `tokens x hidden` 16-bit values, each with the fixed latency of a call.
    pub fn communication_ms(&self, tokens: f64) -> f64 {
        if self.tp <= 1 {
            return 0.0;
        }
        let t = f64::from(self.tp);
        let bytes = tokens * f64::from(self.model.hidden_size) * 2.0;
        let link = self.gpu.link_bandwidth_gb_s(self.tp) * 1e9 * self.serving.link_efficiency;
        let latency = self.serving.all_reduce_latency_us * 1e-6;
        if self.serving.layer_split {
            return (t - 1.0) * (latency + bytes / link) * 1000.0;
        }
        let ring = |n: f64, b: f64| latency + 2.0 * (n - 1.0) / n * b / link;
        // Under attention data parallelism each GPU's sequences are its own: no attention
        // all-reduce, and no gather after the experts.
        let data_parallel = self.attention() == AttentionSplit::DataParallel;
        let feed_forward = match (self.expert_parallel(), self.model.experts) {
            (e, Some(x)) if e > 1 => {
                let (e, k) = (f64::from(e), f64::from(x.per_token));
                let to_experts = latency + bytes / t * k * (e - 1.0) / e / link;
                let gather = if data_parallel {
                    0.0
                } else {
                    latency + (t - 1.0) / t * bytes / link
                };
                let shared = t / e;
                let within = if shared > 1.0 {
                    ring(shared, bytes * k / e)
                } else {
                    0.0
                };
                2.0 * to_experts + gather + within
            }
            _ => ring(t, bytes),
        };
        let attention = if data_parallel { 0.0 } else { ring(t, bytes) };
        f64::from(self.model.layers) * (attention + feed_forward) * 1000.0
    }

    /// How the replica's GPUs share attention: by sequences where attention data parallelism
    /// is asked for on a mixture of experts over more than one GPU of a tensor-parallel engine,
    /// else by heads.
    pub fn attention(&self) -> AttentionSplit {
        if self.attention_dp
            && self.tp > 1
            && self.model.experts.is_some()
            && !self.serving.layer_split
        {
            AttentionSplit::DataParallel
        } else {
            AttentionSplit::TensorParallel
        }
    }

    /// GPUs that each run the shared weights for their own share of the batch: the replica's
    /// under attention data parallelism, else 1.
    pub(super) fn attention_ranks(&self) -> f64 {
        match self.attention() {
            AttentionSplit::DataParallel => f64::from(self.tp),
            AttentionSplit::TensorParallel => 1.0,
        }
    }

    /// Bytes of a mixture's shared weights (and its lookup table) held again on each GPU
    /// beyond the first under attention data parallelism.
    pub(super) fn replicated_bytes(&self) -> f64 {
        let Some((shared, ..)) = self.expert_split() else {
            return 0.0;
        };
        (self.attention_ranks() - 1.0)
            * (shared + self.model.lookup_params_b)
            * self.shared_weights().0
            * 1e9
    }
}
