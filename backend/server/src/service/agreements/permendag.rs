//! The Permendag 23/2021 cap over a chain: the listing fees of one UMKM item summed over all of
//! the chain's outlets (binding agreements, `etalase_domain::agreement::BINDING`) at most
//! Rp20 juta. Checked when terms are proposed, countered or accepted; a breach is a warning flag
//! shown to both sides, like the other Permendag flags (never a block). A store outside any
//! chain is its own single outlet: the per-outlet limit already covers it.

use etalase_db::entities::store;
use etalase_db::repo::agreements::{self as repo, AgreementFilter};
use etalase_db::repo::chains;
use etalase_domain::agreement::{
    AgreementStatus, BINDING, Limit, OutletFee, TermsFlag, chain_flag, chain_listing_fee,
};

use crate::error::AppResult;
use crate::state::AppState;

/// The chain-cap flags for an agreement at `store` for `products` with `listing_fee`, counting
/// the chain's other binding agreements (all but `except`, the agreement itself).
pub(crate) async fn chain_flags(
    state: &AppState,
    store: &store::Model,
    except: Option<i64>,
    products: &[i64],
    listing_fee: Option<i64>,
) -> AppResult<Vec<TermsFlag>> {
    let Some(chain_id) = store.chain_id else { return Ok(Vec::new()) };
    if listing_fee.is_none_or(|f| f <= 0) {
        // This agreement adds nothing: it cannot be the one that crosses the cap.
        return Ok(Vec::new());
    }
    let others = repo::with_items(
        &state.db,
        &AgreementFilter {
            chain_id: Some(chain_id),
            statuses: BINDING.to_vec(),
            ..Default::default()
        },
    )
    .await?;
    let mut out = Vec::new();
    for p in products {
        let mut fees: Vec<OutletFee> = others
            .iter()
            .filter(|(a, items)| Some(a.id) != except && items.iter().any(|i| i.product_id == *p))
            .map(|(a, _)| OutletFee { status: a.status, listing_fee: a.listing_fee })
            .collect();
        fees.push(OutletFee { status: AgreementStatus::Proposed, listing_fee });
        let t = chain_listing_fee(&fees);
        if t.breached() {
            let name = repo::products_by_ids(&state.db, vec![*p])
                .await?
                .into_iter()
                .next()
                .map_or_else(|| format!("#{p}"), |x| x.name);
            let chain = chains::find(&state.db, chain_id)
                .await?
                .map_or_else(|| format!("#{chain_id}"), |c| c.name);
            out.push(chain_flag(&name, &chain, t.total));
        }
    }
    Ok(out)
}

/// `flags` without an earlier chain-cap flag, then `chain` (recomputed) after them.
pub(crate) fn with_chain_flags(flags: Vec<TermsFlag>, chain: Vec<TermsFlag>) -> Vec<TermsFlag> {
    let code = Limit::ChainListingFee.as_str();
    flags.into_iter().filter(|f| f.code != code).chain(chain).collect()
}
