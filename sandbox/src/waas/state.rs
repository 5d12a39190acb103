//! Clients, accounts, services and the double-entry ledger.

use std::collections::HashSet;
use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, SecondsFormat, Utc};
use rust_decimal::Decimal;

use super::error::{code, Refusal};
use super::scenario::Refusals;
use crate::clock::Clock;
use crate::json::{obj, Json};
use crate::money::fixed;

/// `"96.0000"`: WaaS amounts are strings with four decimals.
pub(crate) fn amount(d: Decimal) -> String {
    fixed(d, 4).to_string()
}

/// `2024-09-05T17:47:00.000Z`.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[derive(Debug, Clone)]
pub(crate) struct Client {
    pub code: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub number: String,
    pub currency: String,
    pub minimum_balance: Decimal,
    pub can_overdraw: bool,
    pub active: bool,
    pub balance: Decimal,
    /// A settlement account of the fake itself, not created by a client.
    pub system: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub code: String,
    pub active: bool,
    pub minimum: Decimal,
    pub maximum: Decimal,
}

/// One ledger line.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub id: String,
    pub account: String,
    pub service: String,
    pub credit: bool,
    pub currency: String,
    pub amount: Decimal,
    pub previous: Decimal,
    pub current: Decimal,
    pub other_party: String,
    pub source: String,
    pub source_transaction_id: String,
    pub data: Json,
    pub narration: Json,
    pub date: DateTime<Utc>,
    /// The operation this line belongs to.
    pub op: usize,
}

impl Entry {
    pub(crate) fn to_json(&self) -> Json {
        obj! {
            "transaction_id": self.id,
            "account": self.account,
            "client_service": self.service,
            "transaction_type": if self.credit { "CREDIT" } else { "DEBIT" },
            "currency": self.currency,
            "transaction_amount": amount(self.amount),
            "previous_balance": amount(self.previous),
            "current_balance": amount(self.current),
            "other_party_account": self.other_party,
            "other_party_transaction_hash": "N/A",
            "transaction_source": self.source,
            "source_transaction_id": self.source_transaction_id,
            "source_transaction_data": self.data,
            "transaction_narration": self.narration,
            "transaction_date": timestamp(self.date),
        }
    }
}

/// What one request did: a credit, debit, transfer or reversal.
#[derive(Debug, Clone)]
pub(crate) struct Op {
    /// The request's `source_transaction_id` (the original's, for reversals).
    pub key: String,
    /// Index of the debit line, then the credit line.
    pub lines: (usize, usize),
    pub reversed: bool,
    pub reversal_of: Option<usize>,
}

/// The details a posting carries onto both its lines.
pub(crate) struct Posting<'a> {
    pub service: &'a str,
    pub amount: Decimal,
    pub source: &'a str,
    /// `source_transaction_id` of the debit line and of the credit line.
    pub ids: (String, String),
    pub data: Json,
    pub narration: Json,
    pub date: DateTime<Utc>,
    pub key: String,
    pub reversal_of: Option<usize>,
}

/// Everything the fake holds.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    pub clients: Vec<Client>,
    pub accounts: Vec<Account>,
    pub services: Vec<Service>,
    pub entries: Vec<Entry>,
    pub ops: Vec<Op>,
    pub keys: HashSet<String>,
    /// Insufficient-balance scenarios waiting for their movement.
    pub refusals: Refusals,
    /// The sandbox clock, for the dates the ledger stamps.
    pub clock: Arc<Clock>,
    next_account: u64,
    next_settlement: u64,
    next_txn: u64,
}

impl Ledger {
    pub(crate) fn new(clock: Arc<Clock>) -> Self {
        Ledger { next_account: 10_000_100, next_settlement: 10_000_001, next_txn: 7601, clock, ..Ledger::default() }
    }

    pub(crate) fn next_account_number(&mut self) -> String {
        self.next_account += 1;
        (self.next_account - 1).to_string()
    }

    fn next_txn_id(&mut self) -> String {
        self.next_txn += 1;
        (self.next_txn - 1).to_string()
    }

    pub(crate) fn account(&self, number: &str) -> Result<usize, Refusal> {
        self.accounts
            .iter()
            .position(|a| a.number == number)
            .ok_or_else(|| Refusal::not_found(format!("account {number} not found")))
    }

    pub(crate) fn service(&self, code: &str) -> Result<&Service, Refusal> {
        self.services
            .iter()
            .find(|s| s.code == code)
            .ok_or_else(|| Refusal::not_found(format!("client service {code} not found")))
    }

    /// The system account on the other side of credits and debits in
    /// `currency` (created on first use; it may go negative).
    pub(crate) fn settlement(&mut self, currency: &str) -> usize {
        if let Some(i) = self.accounts.iter().position(|a| a.system && a.currency == currency) {
            return i;
        }
        self.next_settlement += 1;
        self.accounts.push(Account {
            number: (self.next_settlement - 1).to_string(),
            currency: currency.to_owned(),
            minimum_balance: Decimal::ZERO,
            can_overdraw: true,
            active: true,
            balance: Decimal::ZERO,
            system: true,
        });
        self.accounts.len() - 1
    }

    /// Moves `p.amount` from `debit` to `credit`, refusing to take the debit
    /// account below its minimum balance unless it may overdraw. Returns the
    /// operation's index.
    ///
    /// Both new balances are computed before anything changes, so a balance
    /// that would leave `Decimal`'s range refuses the whole posting (400)
    /// instead of booking one line of it.
    pub(crate) fn post(&mut self, debit: usize, credit: usize, p: Posting<'_>) -> Result<usize, Refusal> {
        let from = &self.accounts[debit];
        let out_of_range = |number: &str| {
            Refusal::bad(
                code::VALIDATION_ERROR,
                format!("transaction_amount {} would take account {number} out of range", amount(p.amount)),
            )
        };
        let debited = from.balance.checked_sub(p.amount).ok_or_else(|| out_of_range(&from.number))?;
        let forced = !from.system && p.reversal_of.is_none() && self.refusals.take(&p.key, &from.number);
        let from = &self.accounts[debit];
        if forced || (!from.can_overdraw && debited < from.minimum_balance) {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                code::INSUFFICIENT_FUNDS,
                format!(
                    "account {} has {} {}; debiting {} would go below its minimum balance {}",
                    from.number,
                    amount(from.balance),
                    from.currency,
                    amount(p.amount),
                    amount(from.minimum_balance)
                ),
            ));
        }
        let to = &self.accounts[credit];
        let credit_base = if credit == debit { debited } else { to.balance };
        let credited = credit_base.checked_add(p.amount).ok_or_else(|| out_of_range(&to.number))?;
        let op = self.ops.len();
        let line = |ledger: &mut Ledger, account: usize, other: usize, credit: bool, balance: Decimal, id: String| {
            let (number, other_number) =
                (ledger.accounts[account].number.clone(), ledger.accounts[other].number.clone());
            let acct = &mut ledger.accounts[account];
            let previous = acct.balance;
            acct.balance = balance;
            let entry = Entry {
                id: ledger.next_txn_id(),
                account: number,
                service: p.service.to_owned(),
                credit,
                currency: ledger.accounts[account].currency.clone(),
                amount: p.amount,
                previous,
                current: balance,
                other_party: other_number,
                source: p.source.to_owned(),
                source_transaction_id: id,
                data: p.data.clone(),
                narration: p.narration.clone(),
                date: p.date,
                op,
            };
            ledger.entries.push(entry);
            ledger.entries.len() - 1
        };
        let d = line(self, debit, credit, false, debited, p.ids.0.clone());
        let c = line(self, credit, debit, true, credited, p.ids.1.clone());
        self.ops.push(Op { key: p.key, lines: (d, c), reversed: false, reversal_of: p.reversal_of });
        Ok(op)
    }
}
