//! The partner account: balance, transfers and stored idempotent responses.

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::scenario::{Outcome, Rules};
use crate::json::{obj, Json};

/// How long an idempotency key is remembered (documented: 24 hours).
pub(crate) const IDEMPOTENCY_TTL: TimeDelta = TimeDelta::hours(24);

/// A transfer's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    Scheduled,
    Completed,
    Failed,
    Cancelled,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "PENDING",
            Status::Scheduled => "SCHEDULED",
            Status::Completed => "COMPLETED",
            Status::Failed => "FAILED",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// One transfer as the fake keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Transfer {
    pub id: String,
    pub external_id: String,
    pub product_id: String,
    pub recipient_phone: String,
    pub amount: Decimal,
    pub currency: String,
    pub fee: Decimal,
    pub total: Decimal,
    /// What the partner balance was charged, in the account currency.
    pub debit: Decimal,
    pub status: Status,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub batch_id: Option<String>,
    /// Where the transfer goes once it is processed (a scenario can choose).
    pub outcome: Outcome,
}

impl Transfer {
    /// Moves the transfer on as time and reads pass: a PENDING transfer
    /// reaches its outcome by the next read (COMPLETED unless a scenario
    /// chose otherwise); a SCHEDULED one executes once `scheduledAt` passed
    /// on the sandbox clock. Returns the charge to refund when it failed.
    pub(crate) fn advance(&mut self, now: DateTime<Utc>) -> Option<Decimal> {
        let due = match self.status {
            Status::Pending => true,
            Status::Scheduled => self.scheduled_at.is_some_and(|at| at <= now),
            _ => false,
        };
        if !due {
            return None;
        }
        match self.outcome {
            Outcome::Complete => self.status = Status::Completed,
            Outcome::StayPending => self.status = Status::Pending,
            Outcome::Fail => {
                self.status = Status::Failed;
                return Some(self.debit);
            }
        }
        None
    }

    pub(crate) fn to_json(&self) -> Json {
        let mut v = obj! {
            "transferId": self.id,
            "externalId": self.external_id,
            "status": self.status.as_str(),
            "productId": self.product_id,
            "recipientPhone": self.recipient_phone,
            "amount": self.amount,
            "fee": self.fee,
            "total": self.total,
            "currency": self.currency,
            "createdAt": self.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        };
        if let Some(obj) = v.as_object_mut() {
            if let Some(at) = self.scheduled_at {
                obj.insert("scheduledAt", Json::Str(at.to_rfc3339_opts(SecondsFormat::Secs, true)));
            }
            if let Some(batch) = &self.batch_id {
                obj.insert("batchId", Json::Str(batch.clone()));
            }
        }
        v
    }
}

/// The first answer given to an idempotency key.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub path: String,
    pub request: Vec<u8>,
    pub status: StatusCode,
    pub body: Vec<u8>,
    /// First answered, on the sandbox clock.
    pub at: DateTime<Utc>,
}

/// Everything that changes.
#[derive(Debug)]
pub(crate) struct Book {
    pub balance: Decimal,
    pub transfers: Vec<Transfer>,
    pub idempotency: HashMap<String, Stored>,
    /// Scenarios waiting for the transfer they name.
    pub rules: Rules,
    next_transfer: u64,
    next_batch: u64,
}

impl Book {
    pub(crate) fn new(balance: Decimal) -> Self {
        Book {
            balance,
            transfers: Vec::new(),
            idempotency: HashMap::new(),
            rules: Rules::default(),
            next_transfer: 9001,
            next_batch: 1,
        }
    }

    pub(crate) fn next_transfer_id(&mut self) -> String {
        self.next_transfer += 1;
        format!("T-{}", self.next_transfer - 1)
    }

    pub(crate) fn next_batch_id(&mut self, now: DateTime<Utc>) -> String {
        self.next_batch += 1;
        format!("BATCH-{}-{:03}", now.format("%Y%m%d"), self.next_batch - 1)
    }

    pub(crate) fn find_mut(&mut self, id: &str) -> Option<&mut Transfer> {
        self.transfers.iter_mut().find(|t| t.id == id)
    }

    /// Moves transfer `id` on (see [`Transfer::advance`]), refunding a
    /// failed one's charge; `None` when there is no such transfer.
    pub(crate) fn advance(&mut self, id: &str, now: DateTime<Utc>) -> Option<&mut Transfer> {
        let i = self.transfers.iter().position(|t| t.id == id)?;
        if let Some(refund) = self.transfers[i].advance(now) {
            self.balance += refund;
        }
        self.transfers.get_mut(i)
    }

    pub(crate) fn has_external_id(&self, external_id: &str) -> bool {
        self.transfers.iter().any(|t| t.external_id == external_id)
    }
}
