//! The outlook beyond one month at one volume: costs month by month as the volume grows and API
//! prices fall, with the total cost of ownership (`projection`); which assumptions move the
//! answer and where it flips (`sensitivity`); and a seeded Monte Carlo over the uncertain
//! assumptions (`montecarlo`). All three cost the options through `cost::economics`.

pub mod montecarlo;
pub mod projection;
pub mod sensitivity;
