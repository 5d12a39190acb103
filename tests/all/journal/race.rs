//! Many tasks on several replicas (separate pools on one database) racing
//! over the same intents: the database lets exactly one win each.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::future::join_all;
use walletkit::journal::{Claim, IntentId, Journal};

use super::backend::Backend;
use super::contract::{fresh, intent, LONG};

const REPLICAS: usize = 4;

/// Four replicas, opened at the same time (their schema upgrades race too).
async fn replicas(b: &Backend) -> Vec<Journal> {
    join_all((0..REPLICAS).map(|_| b.open())).await
}

pub async fn sixteen_tasks_on_four_replicas_claim_each_reference_once(b: &Backend) {
    let journals = replicas(b).await;
    let tasks = (0..16).map(|t| {
        let j = journals[t % REPLICAS].clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            // Each task walks the references from another start.
            for n in (0..100).map(|n| (n + t * 7) % 100) {
                match j.claim(intent(&format!("RACE-{n}")), &format!("task-{t}"), LONG).await.unwrap() {
                    Claim::Fresh(r) => seen.push((n, r.id, true)),
                    Claim::Existing(r) => seen.push((n, r.id, false)),
                }
            }
            seen
        })
    });
    let mut by_reference: HashMap<usize, (Vec<IntentId>, usize)> = HashMap::new();
    for seen in join_all(tasks).await {
        for (n, id, was_fresh) in seen.unwrap() {
            let (ids, fresh) = by_reference.entry(n).or_default();
            ids.push(id);
            *fresh += usize::from(was_fresh);
        }
    }
    assert_eq!(by_reference.len(), 100);
    for (n, (ids, fresh)) in by_reference {
        assert_eq!(fresh, 1, "RACE-{n} was fresh {fresh} times");
        assert_eq!(ids.len(), 16);
        assert!(ids.iter().all(|id| *id == ids[0]), "RACE-{n} has several intents: {ids:?}");
    }
    assert_eq!(journals[0].unfinished(None, 1000).await.unwrap().len(), 100);
}

pub async fn eight_tasks_take_each_expired_intent_once(b: &Backend) {
    let journals = replicas(b).await;
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(fresh(&journals[0], intent(&format!("TAKE-{n}")), "crashed", Duration::ZERO).await.id);
    }
    tokio::time::sleep(Duration::from_millis(5)).await;
    let tasks = (0..8).map(|t| {
        let j = journals[t % REPLICAS].clone();
        let ids = ids.clone();
        tokio::spawn(async move {
            let owner = format!("recovery-{t}");
            let mut won = Vec::new();
            for k in 0..ids.len() {
                let id = ids[(k + t * 3) % ids.len()];
                if let Some(taken) = j.take_over(id, &owner, LONG).await.unwrap() {
                    assert_eq!(taken.lease.as_ref().unwrap().owner, owner);
                    won.push(id);
                }
            }
            (owner, won)
        })
    });
    let mut winner: HashMap<IntentId, Vec<String>> = HashMap::new();
    for result in join_all(tasks).await {
        let (owner, won) = result.unwrap();
        for id in won {
            winner.entry(id).or_default().push(owner.clone());
        }
    }
    for (n, id) in ids.iter().enumerate() {
        let owners = winner.get(id).cloned().unwrap_or_default();
        assert_eq!(owners.len(), 1, "TAKE-{n} taken by {owners:?}");
        let stored = journals[1].get("milta", &format!("TAKE-{n}")).await.unwrap().unwrap();
        assert_eq!(stored.lease.unwrap().owner, owners[0], "the winner holds it");
    }
}
