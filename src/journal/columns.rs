//! How a state is stored: four columns, `state`, `status`, `answer`, `detail`.

use bytes::Bytes;

use super::IntentState;
use crate::error::{JournalError, JournalErrorKind};

/// A state as its four columns: `state`, `status`, `answer`, `detail`.
pub(crate) struct Columns<'a> {
    pub(crate) state: &'static str,
    pub(crate) status: Option<i32>,
    pub(crate) answer: Option<&'a [u8]>,
    pub(crate) detail: Option<&'a str>,
}

impl IntentState {
    /// This state as stored.
    pub(crate) fn columns(&self) -> Columns<'_> {
        let (state, status, answer, detail) = match self {
            IntentState::Pending => ("pending", None, None, None),
            IntentState::Created { status, answer } => ("created", Some(*status), Some(&answer[..]), None),
            IntentState::Rejected { status, error } => ("rejected", *status, None, Some(error.as_str())),
            IntentState::Unknown { error } => ("unknown", None, None, Some(error.as_str())),
            IntentState::NeedsReview { evidence } => ("needs_review", None, None, Some(evidence.as_str())),
        };
        Columns { state, status: status.map(i32::from), answer, detail }
    }

    /// The state stored as these columns, or `Unreadable` for intent `id`.
    pub(crate) fn from_columns(
        id: i64,
        state: &str,
        status: Option<i64>,
        answer: Option<Vec<u8>>,
        detail: Option<String>,
    ) -> Result<Self, JournalError> {
        let status = match status.map(u16::try_from) {
            Some(Ok(s)) => Some(s),
            Some(Err(_)) => return Err(unreadable(id, "status")),
            None => None,
        };
        let detail = detail.ok_or_else(|| unreadable(id, "detail"));
        Ok(match state {
            "pending" => IntentState::Pending,
            "created" => IntentState::Created {
                status: status.ok_or_else(|| unreadable(id, "status"))?,
                answer: Bytes::from(answer.ok_or_else(|| unreadable(id, "answer"))?),
            },
            "rejected" => IntentState::Rejected { status, error: detail? },
            "unknown" => IntentState::Unknown { error: detail? },
            "needs_review" => IntentState::NeedsReview { evidence: detail? },
            _ => return Err(unreadable(id, "state")),
        })
    }
}

/// Intent `id`'s `column` holds what this version cannot read.
pub(crate) fn unreadable(id: i64, column: &str) -> JournalError {
    JournalError::new(JournalErrorKind::Unreadable, format!("intent {id} has an unreadable {column}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_reads_back_from_its_columns() {
        let states = [
            IntentState::Pending,
            IntentState::Created { status: 201, answer: Bytes::from_static(b"{\"id\":1}\0\xff") },
            IntentState::Rejected { status: Some(422), error: "invalid amount".into() },
            IntentState::Rejected { status: None, error: "refused before sending".into() },
            IntentState::Unknown { error: "no answer".into() },
            IntentState::NeedsReview { evidence: "no read endpoint".into() },
        ];
        for state in states {
            let c = state.columns();
            let back = IntentState::from_columns(
                1,
                c.state,
                c.status.map(i64::from),
                c.answer.map(<[u8]>::to_vec),
                c.detail.map(str::to_owned),
            );
            assert_eq!(back.unwrap(), state);
        }
        let e = IntentState::from_columns(7, "created", None, Some(vec![]), None).unwrap_err();
        assert_eq!(e.to_string(), "journal: intent 7 has an unreadable status.");
        assert!(IntentState::from_columns(7, "done", None, None, None).is_err());
        assert!(IntentState::from_columns(7, "rejected", Some(70_000), None, Some("x".into())).is_err());
    }
}
