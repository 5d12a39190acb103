//! Client services: `POST /api/v1/client-services`. A client service holds
//! the rules (fees, amount limits) transactions are processed under.

use serde::Serialize;

use super::client::{paths, rate_class, WaasClient};
use super::clients::ClientCode;
use crate::error::{Error, Result};
use crate::wire::{string_id, wire_enum, wire_object, Flag, Money, Text};
use crate::Decimal;
use crate::Request;

string_id!(
    /// The id WaaS gives a client service, e.g. `1`.
    ClientServiceId
);

string_id!(
    /// The code WaaS generates for a client service, e.g. `PAY1CNAELX`;
    /// transactions name their service by it.
    ClientServiceCode
);

string_id!(
    /// The kind of service, e.g. `CUSTOM_SERVICE`.
    ServiceCode
);

wire_enum!(
    /// How a transaction fee is computed.
    FeeType {
        /// A fixed amount per transaction.
        Fixed = "FIXED",
        /// A percentage of the transaction amount.
        Percentage = "PERCENTAGE",
    }
);

/// A client service to create. Every field of the document's payload table
/// is here: the required ones come together in a [`ClientServiceRequired`]
/// given to [`ClientServiceRequest::new`], the fee's type and amount
/// (optional) have a setter.
///
/// ```
/// use walletkit::waas::{ClientCode, ClientServiceRequest, ClientServiceRequired, FeeType, ServiceCode};
/// use walletkit::Decimal;
///
/// let request = ClientServiceRequest::new(ClientServiceRequired {
///     client_code: ClientCode::from("LIPNZPMF7O"),
///     client_service_name: "Payout KES Nairobi".into(),
///     service_code: ServiceCode::from("CUSTOM_SERVICE"),
///     has_transaction_fee: true,
///     minimum_transaction_amount: Decimal::ONE,
///     maximum_transaction_amount: Decimal::ONE_HUNDRED,
///     is_active: true,
/// })
/// .transaction_fee(FeeType::Fixed, Decimal::ZERO);
/// # let _ = request;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientServiceRequest {
    client_code: ClientCode,
    client_service_name: String,
    service_code: ServiceCode,
    has_transaction_fee: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_fee_type: Option<FeeType>,
    #[serde(skip_serializing_if = "Option::is_none", with = "crate::wire::money::option")]
    transaction_fee: Option<Decimal>,
    #[serde(with = "crate::wire::money::number")]
    minimum_transaction_amount: Decimal,
    #[serde(with = "crate::wire::money::number")]
    maximum_transaction_amount: Decimal,
    #[serde(serialize_with = "crate::wire::flag::serialize")]
    is_active: bool,
}

/// The fields the document requires of a client service, by name: a struct
/// literal must name every field, so none can be left out, and the two
/// limits (or the two flags) cannot be swapped unnoticed. A minimum above
/// the maximum is still refused before sending.
///
/// Left out, one does not compile:
///
/// ```compile_fail
/// use walletkit::waas::{ClientCode, ClientServiceRequest, ClientServiceRequired, ServiceCode};
/// use walletkit::Decimal;
///
/// let request = ClientServiceRequest::new(ClientServiceRequired {
///     client_code: ClientCode::from("LIPNZPMF7O"),
///     client_service_name: "Payout KES Nairobi".into(),
///     service_code: ServiceCode::from("CUSTOM_SERVICE"),
///     minimum_transaction_amount: Decimal::ONE,
///     maximum_transaction_amount: Decimal::ONE_HUNDRED,
///     is_active: true,
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientServiceRequired {
    /// The client's code, from the created profile's `client_code`.
    pub client_code: ClientCode,
    /// Name of the service, e.g. `Payout KES Nairobi`: what a lost answer
    /// is reconciled by.
    pub client_service_name: String,
    /// The kind of service, e.g. `CUSTOM_SERVICE`.
    pub service_code: ServiceCode,
    /// Whether the service charges a transaction fee; its type and amount
    /// are set with [`ClientServiceRequest::transaction_fee`].
    pub has_transaction_fee: bool,
    /// The smallest transaction amount the service allows.
    pub minimum_transaction_amount: Decimal,
    /// The largest transaction amount the service allows.
    pub maximum_transaction_amount: Decimal,
    /// Whether the service is active, sent as `1` or `0`.
    pub is_active: bool,
}

impl ClientServiceRequest {
    /// A client service with the document's required fields.
    pub fn new(required: ClientServiceRequired) -> Self {
        let ClientServiceRequired {
            client_code,
            client_service_name,
            service_code,
            has_transaction_fee,
            minimum_transaction_amount,
            maximum_transaction_amount,
            is_active,
        } = required;
        ClientServiceRequest {
            client_code,
            client_service_name,
            service_code,
            has_transaction_fee,
            transaction_fee_type: None,
            transaction_fee: None,
            minimum_transaction_amount,
            maximum_transaction_amount,
            is_active,
        }
    }

    /// The fee (`transaction_fee_type`, `transaction_fee`): `fee` is an
    /// amount for [`FeeType::Fixed`], a percentage for
    /// [`FeeType::Percentage`]. Only with `has_transaction_fee` on.
    pub fn transaction_fee(mut self, fee_type: FeeType, fee: Decimal) -> Self {
        self.transaction_fee_type = Some(fee_type);
        self.transaction_fee = Some(fee);
        self
    }

    fn validate(&self) -> Result<()> {
        let (min, max) = (self.minimum_transaction_amount, self.maximum_transaction_amount);
        if min < Decimal::ZERO || min > max {
            return Err(Error::InvalidRequest(format!(
                "client service limits must satisfy 0 <= minimum <= maximum, got {min} and {max}"
            )));
        }
        if self.transaction_fee.is_some_and(|fee| fee < Decimal::ZERO) {
            return Err(Error::InvalidRequest("a transaction fee cannot be negative".into()));
        }
        if !self.has_transaction_fee && (self.transaction_fee.is_some() || self.transaction_fee_type.is_some()) {
            return Err(Error::InvalidRequest("a transaction fee is set but has_transaction_fee is off".into()));
        }
        Ok(())
    }
}

wire_object! {
    /// A client service as WaaS reports it. The identifiers are required
    /// (`client_service_id`, also read as `clientServiceId` or `id`;
    /// `client_service_code`, also `clientServiceCode`); the rest is optional
    /// because the document shows a single example. Amounts are read exactly
    /// from numbers or strings.
    pub struct ClientService {
        /// WaaS's id for the service.
        pub client_service_id: ClientServiceId = required ["client_service_id", "clientServiceId", "id"] via ClientServiceId,
        /// The generated code transactions use.
        pub client_service_code: ClientServiceCode = required ["client_service_code", "clientServiceCode"] via ClientServiceCode,
        /// The owning client.
        pub client_code: Option<ClientCode> = optional ["client_code", "clientCode"] via ClientCode,
        /// Name of the service.
        pub client_service_name: Option<String> = optional ["client_service_name"] via Text,
        /// Kind of service.
        pub service_code: Option<ServiceCode> = optional ["service_code", "serviceCode"] via ServiceCode,
        /// Whether a fee is charged (`true`/`false`, or `1`/`0`).
        pub has_transaction_fee: Option<bool> = optional ["has_transaction_fee"] via Flag,
        /// How the fee is computed.
        pub transaction_fee_type: Option<FeeType> = optional ["transaction_fee_type"],
        /// The fee.
        pub transaction_fee: Option<Decimal> = optional ["transaction_fee"] via Money,
        /// Smallest transaction amount allowed.
        pub minimum_transaction_amount: Option<Decimal> = optional ["minimum_transaction_amount"] via Money,
        /// Largest transaction amount allowed.
        pub maximum_transaction_amount: Option<Decimal> = optional ["maximum_transaction_amount"] via Money,
        /// Whether the service is active (`1`/`0`, or `true`/`false`).
        pub is_active: Option<bool> = optional ["is_active", "isActive"] via Flag,
    }
}

/// Client-service calls; see [`WaasClient::client_services`].
#[derive(Debug, Clone, Copy)]
pub struct ClientServices<'a> {
    pub(crate) client: &'a WaasClient,
}

impl ClientServices<'_> {
    /// `POST /api/v1/client-services`. Not idempotent: a lost answer is
    /// [`Error::OutcomeUnknown`] carrying the `client_service_name` to look for.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when the minimum is negative or above the
    /// maximum, the fee is negative, or a fee is set with
    /// `has_transaction_fee` off (before sending); API errors,
    /// transport errors, and [`Error::OutcomeUnknown`].
    pub async fn create(&self, request: &ClientServiceRequest) -> Result<ClientService> {
        request.validate()?;
        let req = Request::post(paths::CLIENT_SERVICES)
            .json(request)?
            .reference("client_service_name", request.client_service_name.clone())
            .recovery(super::transactions::WAAS_RECOVERY)
            .rate_class(rate_class::SETUP);
        self.client.send_raw(req).await?.json()
    }
}
