//! Client profiles: `POST /api/v1/clients`. A client (a person or a
//! business) must exist before accounts can be opened for it.

use serde::Serialize;

use super::client::{paths, rate_class, WaasClient};
use crate::error::{Error, Result};
use crate::wire::{string_id, wire_object, Flag, Text};
use crate::Request;

string_id!(
    /// The id WaaS gives a client profile, e.g. `123`.
    ClientId
);

string_id!(
    /// The unique code WaaS generates for a client, e.g. `EML67BG6W1`; accounts
    /// and client services refer to the client by it.
    ClientCode
);

/// A client profile to create. Every field of the document's payload table
/// is here: the required ones come together in a [`ClientRequired`] given
/// to [`ClientRequest::new`], the optional ones have setters.
///
/// ```
/// use walletkit::waas::{ClientRequest, ClientRequired};
///
/// let request = ClientRequest::new(ClientRequired {
///     client_name: "LIPAD".into(),
///     client_email: "info@lipad.example".into(),
///     client_phone_number: "254712345678".into(),
///     contact_person_name: "Admin".into(),
///     contact_person_email: "admin@lipad.example".into(),
///     contact_person_msisdn: "254712345678".into(),
///     business_pin: "A102035".into(),
///     country: "Kenya".into(),
///     is_active: true,
/// })
/// .description("Payments for LIPAD");
/// assert_eq!(request.client_email(), "info@lipad.example");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientRequest {
    client_name: String,
    client_email: String,
    client_phone_number: String,
    contact_person_name: String,
    contact_person_email: String,
    contact_person_msisdn: String,
    business_pin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_address: Option<String>,
    country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(serialize_with = "crate::wire::flag::serialize")]
    is_active: bool,
}

/// The fields the document requires of a client profile, by name. Most are
/// plain text, so they are named rather than positional: a struct literal
/// must name every field, so none can be left out, and a client's email
/// cannot silently land where the contact person's goes.
///
/// Left out, one does not compile:
///
/// ```compile_fail
/// use walletkit::waas::{ClientRequest, ClientRequired};
///
/// let request = ClientRequest::new(ClientRequired {
///     client_name: "LIPAD".into(),
///     client_email: "info@lipad.example".into(),
///     client_phone_number: "254712345678".into(),
///     contact_person_name: "Admin".into(),
///     contact_person_email: "admin@lipad.example".into(),
///     contact_person_msisdn: "254712345678".into(),
///     country: "Kenya".into(),
///     is_active: true,
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRequired {
    /// Name of the client, a business or a person.
    pub client_name: String,
    /// Email address of the client: what a lost answer is reconciled by.
    pub client_email: String,
    /// Phone number of the client, with the country code.
    pub client_phone_number: String,
    /// Name of the contact person managing the account.
    pub contact_person_name: String,
    /// Email address of the contact person.
    pub contact_person_email: String,
    /// Phone number of the contact person, with the country code.
    pub contact_person_msisdn: String,
    /// Business identification number or PIN.
    pub business_pin: String,
    /// The country where the client is located.
    pub country: String,
    /// Whether the profile is active, sent as `1` or `0`.
    pub is_active: bool,
}

impl ClientRequest {
    /// A client profile with the document's required fields; add the
    /// optional ones with [`physical_address`](Self::physical_address),
    /// [`logo`](Self::logo) and [`description`](Self::description).
    pub fn new(required: ClientRequired) -> Self {
        let ClientRequired {
            client_name,
            client_email,
            client_phone_number,
            contact_person_name,
            contact_person_email,
            contact_person_msisdn,
            business_pin,
            country,
            is_active,
        } = required;
        ClientRequest {
            client_name,
            client_email,
            client_phone_number,
            contact_person_name,
            contact_person_email,
            contact_person_msisdn,
            business_pin,
            physical_address: None,
            country,
            logo: None,
            description: None,
            is_active,
        }
    }

    /// The client's physical address.
    pub fn physical_address(mut self, address: impl Into<String>) -> Self {
        self.physical_address = Some(address.into());
        self
    }

    /// URL of the client's logo.
    pub fn logo(mut self, url: impl Into<String>) -> Self {
        self.logo = Some(url.into());
        self
    }

    /// A short description of the client.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The client's email: what a lost answer is reconciled by.
    pub fn client_email(&self) -> &str {
        &self.client_email
    }

    /// Refuses blank required text before sending.
    fn validate(&self) -> Result<()> {
        let blank: Vec<&str> = [
            ("client_name", &self.client_name),
            ("client_email", &self.client_email),
            ("client_phone_number", &self.client_phone_number),
            ("contact_person_name", &self.contact_person_name),
            ("contact_person_email", &self.contact_person_email),
            ("contact_person_msisdn", &self.contact_person_msisdn),
            ("business_pin", &self.business_pin),
            ("country", &self.country),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.trim().is_empty().then_some(name))
        .collect();
        if blank.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidRequest(format!("a client request needs a non-blank {}", blank.join(", "))))
        }
    }
}

wire_object! {
    /// A client profile as WaaS reports it. The identifiers are required
    /// (`client_id`, also read as `clientId` or `id`; `client_code`, also
    /// `clientCode`); the other fields echo the request and are optional
    /// because the document shows a single example. Every text field is read
    /// from a string or a number (the document's example sends phone numbers
    /// as numbers), digit for digit.
    pub struct Client {
        /// WaaS's id for the profile.
        pub client_id: ClientId = required ["client_id", "clientId", "id"] via ClientId,
        /// The generated client code, used to open accounts and services.
        pub client_code: ClientCode = required ["client_code", "clientCode"] via ClientCode,
        /// Name of the client.
        pub client_name: Option<String> = optional ["client_name"] via Text,
        /// Email of the client.
        pub client_email: Option<String> = optional ["client_email"] via Text,
        /// Phone number of the client.
        pub client_phone_number: Option<String> = optional ["client_phone_number"] via Text,
        /// Name of the contact person.
        pub contact_person_name: Option<String> = optional ["contact_person_name"] via Text,
        /// Email of the contact person.
        pub contact_person_email: Option<String> = optional ["contact_person_email"] via Text,
        /// Phone number of the contact person.
        pub contact_person_msisdn: Option<String> = optional ["contact_person_msisdn"] via Text,
        /// Business identification number.
        pub business_pin: Option<String> = optional ["business_pin"] via Text,
        /// Physical address.
        pub physical_address: Option<String> = optional ["physical_address"] via Text,
        /// Country.
        pub country: Option<String> = optional ["country"] via Text,
        /// Description.
        pub description: Option<String> = optional ["description"] via Text,
        /// Whether the profile is active (`1`/`0`, or `true`/`false`).
        pub is_active: Option<bool> = optional ["is_active", "isActive"] via Flag,
        /// Logo URL.
        pub logo: Option<String> = optional ["logo"] via Text,
    }
}

/// Client-profile calls; see [`WaasClient::clients`].
#[derive(Debug, Clone, Copy)]
pub struct Clients<'a> {
    pub(crate) client: &'a WaasClient,
}

impl Clients<'_> {
    /// `POST /api/v1/clients`. Not idempotent: a lost answer is
    /// [`Error::OutcomeUnknown`] carrying the `client_email` to look for.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming every required field that is blank
    /// (before sending); API errors (the document lists none; any body is
    /// mapped), transport errors, and [`Error::OutcomeUnknown`].
    pub async fn create(&self, request: &ClientRequest) -> Result<Client> {
        request.validate()?;
        let req = Request::post(paths::CLIENTS)
            .json(request)?
            .reference("client_email", request.client_email.clone())
            .recovery(super::transactions::WAAS_RECOVERY)
            .rate_class(rate_class::SETUP);
        self.client.send_raw(req).await?.json()
    }
}
