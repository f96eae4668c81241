//! Team capacity against the article's team-size table: which row a deployment falls in,
//! what the team lacks, and what hiring it would cost a month.

use crate::model::catalog::{Fte, StaffScale, Staffing};
use crate::model::workload::{Phase, Team, Workload};
use serde::Serialize;

/// Whether the team can run the self-hosted deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Readiness {
    /// The workload does not describe a team.
    Unknown,
    /// The team meets the minimum.
    Ready,
    /// The team is short but can hire.
    CanHire,
    /// The team is short and cannot hire.
    CannotRun,
}

/// The team check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamCheck {
    /// The staffing row that applies.
    pub scale: String,
    /// Its label in the article.
    pub scale_label: String,
    /// Minimum team.
    pub minimum: Fte,
    /// Recommended team.
    pub recommended: Fte,
    /// The team, if described.
    pub team: Option<Team>,
    /// ML engineers missing to reach the minimum, FTE; `None` when the team is unknown.
    pub missing_ml_engineers: Option<f64>,
    /// DevOps/SRE missing to reach the minimum, FTE; `None` when the team is unknown.
    pub missing_devops: Option<f64>,
    /// Loaded monthly cost of hiring the missing FTE, USD; `None` when the team is unknown.
    pub hiring_usd_per_month: Option<f64>,
    /// The verdict.
    pub readiness: Readiness,
}

/// The staffing row for a deployment of `units` units (24/7 production needs at least the
/// second row: the article's "Production, moderate traffic").
pub fn scale<'a>(
    staffing: &'a Staffing,
    workload: &Workload,
    units: u32,
    multi_model: bool,
) -> Option<&'a StaffScale> {
    let production = workload.phase == Phase::Production && workload.always_on;
    let scale = staffing.scale_for(units, multi_model);
    if production && staffing.scales.first() == scale && staffing.scales.len() > 1 {
        staffing.scales.get(1)
    } else {
        scale
    }
}

/// Checks the team against the row for `units` units.
pub fn check(staffing: &Staffing, workload: &Workload, units: u32, multi_model: bool) -> TeamCheck {
    let scale = scale(staffing, workload, units, multi_model);
    let (id, label, minimum, recommended) = scale.map_or_else(
        || (String::new(), String::new(), Fte::default(), Fte::default()),
        |s| (s.id.clone(), s.label.clone(), s.minimum, s.recommended),
    );
    let gaps = workload.team.map(|t| {
        (
            (minimum.ml_engineer - t.ml_engineers).max(0.0),
            (minimum.devops + minimum.sre - t.devops).max(0.0),
        )
    });
    let hiring = gaps.map(|(ml, devops)| {
        ml * staffing.role_usd_per_month("ml_engineer")
            + devops * staffing.role_usd_per_month("devops")
    });
    let readiness = match (workload.team, gaps) {
        (Some(_), Some((ml, devops))) if ml == 0.0 && devops == 0.0 => Readiness::Ready,
        (Some(t), Some(_)) if t.can_hire => Readiness::CanHire,
        (Some(_), Some(_)) => Readiness::CannotRun,
        _ => Readiness::Unknown,
    };
    TeamCheck {
        scale: id,
        scale_label: label,
        minimum,
        recommended,
        team: workload.team,
        missing_ml_engineers: gaps.map(|g| g.0),
        missing_devops: gaps.map(|g| g.1),
        hiring_usd_per_month: hiring,
        readiness,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{article_staffing, workload};

    #[test]
    fn rows_and_gaps() {
        let staffing = article_staffing();
        type Team3 = Option<(f64, f64, bool)>;
        type Want = (&'static str, Option<f64>, Option<f64>, Readiness);
        // (units, 24/7 production, team (ml, devops, can hire)) -> (row, missing ml, missing devops, readiness)
        #[rustfmt::skip]
        let cases: &[(u32, bool, Team3, Want)] = &[
            (1, false, None, ("low", None, None, Readiness::Unknown)),
            (1, false, Some((0.0, 0.0, true)), ("low", Some(0.5), Some(0.0), Readiness::CanHire)),
            (1, false, Some((1.0, 0.0, false)), ("low", Some(0.0), Some(0.0), Readiness::Ready)),
            (1, true, Some((1.0, 0.0, false)), ("moderate", Some(0.0), Some(0.5), Readiness::CannotRun)),
            (3, false, Some((1.0, 1.0, false)), ("moderate", Some(0.0), Some(0.0), Readiness::Ready)),
            (8, false, Some((1.0, 1.0, true)), ("high", Some(1.0), Some(0.0), Readiness::CanHire)),
        ];
        for (units, always_on, team, (row, ml, devops, readiness)) in cases {
            let mut w = workload(1e9);
            w.always_on = *always_on;
            w.team = team.map(|(ml_engineers, devops, can_hire)| Team {
                ml_engineers,
                devops,
                can_hire,
            });
            let c = check(&staffing, &w, *units, false);
            assert_eq!(
                (
                    c.scale.as_str(),
                    c.missing_ml_engineers,
                    c.missing_devops,
                    c.readiness
                ),
                (*row, *ml, *devops, *readiness),
                "{units} {always_on} {team:?}"
            );
        }
    }

    #[test]
    fn hiring_cost_uses_loaded_role_costs() {
        let staffing = article_staffing();
        let mut w = workload(1e9);
        w.team = Some(Team {
            ml_engineers: 0.0,
            devops: 0.0,
            can_hire: true,
        });
        let c = check(&staffing, &w, 2, false);
        let want = 1.0 * staffing.role_usd_per_month("ml_engineer")
            + 0.5 * staffing.role_usd_per_month("devops");
        assert_eq!(c.hiring_usd_per_month, Some(want));
    }
}
