//! Client profiles: `POST /api/v1/clients`. A client (a person or a
//! business) must exist before accounts can be opened for it.

use serde::Serialize;

use super::client::{paths, rate_class, WaasClient};
use super::wire::{self, Flag};
use crate::error::Result;
use crate::ids::string_id;
use crate::wire::{wire_object, Text};
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
/// is here: required ones are [`ClientRequest::new`]'s arguments, optional
/// ones have setters.
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
    #[serde(serialize_with = "wire::flag::serialize")]
    is_active: bool,
}

impl ClientRequest {
    /// A client profile: the client's name, email and phone number (with
    /// country code), the contact person's name, email and phone number, the
    /// business identification number, the country, and whether the profile
    /// is active (sent as `1` or `0`).
    #[allow(clippy::too_many_arguments)] // one argument per required field of the document
    pub fn new(
        client_name: impl Into<String>,
        client_email: impl Into<String>,
        client_phone_number: impl Into<String>,
        contact_person_name: impl Into<String>,
        contact_person_email: impl Into<String>,
        contact_person_msisdn: impl Into<String>,
        business_pin: impl Into<String>,
        country: impl Into<String>,
        is_active: bool,
    ) -> Self {
        ClientRequest {
            client_name: client_name.into(),
            client_email: client_email.into(),
            client_phone_number: client_phone_number.into(),
            contact_person_name: contact_person_name.into(),
            contact_person_email: contact_person_email.into(),
            contact_person_msisdn: contact_person_msisdn.into(),
            business_pin: business_pin.into(),
            physical_address: None,
            country: country.into(),
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
        pub client_id: ClientId = required ["client_id", "clientId", "id"],
        /// The generated client code, used to open accounts and services.
        pub client_code: ClientCode = required ["client_code", "clientCode"],
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
    /// [`crate::Error::OutcomeUnknown`] carrying the `client_email` to look for.
    ///
    /// # Errors
    /// API errors (the document lists none; any body is mapped), transport
    /// errors, and [`crate::Error::OutcomeUnknown`].
    pub async fn create(&self, request: &ClientRequest) -> Result<Client> {
        let req = Request::post(paths::CLIENTS)
            .json(request)?
            .reference("client_email", request.client_email.clone())
            .rate_class(rate_class::SETUP);
        self.client.send_raw(req).await?.json()
    }
}
