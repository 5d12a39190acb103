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
/// is here. Its required fields are all plain text, so they are set by name
/// through [`ClientRequest::builder`]: a client's email cannot land where the
/// contact person's goes.
///
/// ```
/// use walletkit::waas::ClientRequest;
///
/// let request = ClientRequest::builder()
///     .client_name("LIPAD")
///     .client_email("info@lipad.example")
///     .client_phone_number("254712345678")
///     .contact_person_name("Admin")
///     .contact_person_email("admin@lipad.example")
///     .contact_person_msisdn("254712345678")
///     .business_pin("A102035")
///     .country("Kenya")
///     .description("Payments for LIPAD")
///     .build()?;
/// assert_eq!(request.client_email(), "info@lipad.example");
/// # Ok::<(), walletkit::Error>(())
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

impl ClientRequest {
    /// A builder with nothing set but `is_active` (on).
    pub fn builder() -> ClientRequestBuilder {
        ClientRequestBuilder::default()
    }

    /// The client's email: what a lost answer is reconciled by.
    pub fn client_email(&self) -> &str {
        &self.client_email
    }
}

/// Builds a [`ClientRequest`], one named setter per field of the document's
/// payload. Required: `client_name`, `client_email`, `client_phone_number`,
/// `contact_person_name`, `contact_person_email`, `contact_person_msisdn`,
/// `business_pin` and `country`; [`build`](ClientRequestBuilder::build)
/// names any that is missing or blank. `is_active` is required by the
/// document too, and is on unless you turn it off.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRequestBuilder {
    client_name: Option<String>,
    client_email: Option<String>,
    client_phone_number: Option<String>,
    contact_person_name: Option<String>,
    contact_person_email: Option<String>,
    contact_person_msisdn: Option<String>,
    business_pin: Option<String>,
    physical_address: Option<String>,
    country: Option<String>,
    logo: Option<String>,
    description: Option<String>,
    is_active: bool,
}

impl Default for ClientRequestBuilder {
    fn default() -> Self {
        ClientRequestBuilder {
            client_name: None,
            client_email: None,
            client_phone_number: None,
            contact_person_name: None,
            contact_person_email: None,
            contact_person_msisdn: None,
            business_pin: None,
            physical_address: None,
            country: None,
            logo: None,
            description: None,
            is_active: true,
        }
    }
}

impl ClientRequestBuilder {
    /// Name of the client, a business or a person (required).
    pub fn client_name(mut self, name: impl Into<String>) -> Self {
        self.client_name = Some(name.into());
        self
    }

    /// Email address of the client (required).
    pub fn client_email(mut self, email: impl Into<String>) -> Self {
        self.client_email = Some(email.into());
        self
    }

    /// Phone number of the client, with the country code (required).
    pub fn client_phone_number(mut self, phone: impl Into<String>) -> Self {
        self.client_phone_number = Some(phone.into());
        self
    }

    /// Name of the contact person managing the account (required).
    pub fn contact_person_name(mut self, name: impl Into<String>) -> Self {
        self.contact_person_name = Some(name.into());
        self
    }

    /// Email address of the contact person (required).
    pub fn contact_person_email(mut self, email: impl Into<String>) -> Self {
        self.contact_person_email = Some(email.into());
        self
    }

    /// Phone number of the contact person, with the country code (required).
    pub fn contact_person_msisdn(mut self, phone: impl Into<String>) -> Self {
        self.contact_person_msisdn = Some(phone.into());
        self
    }

    /// Business identification number or PIN (required).
    pub fn business_pin(mut self, pin: impl Into<String>) -> Self {
        self.business_pin = Some(pin.into());
        self
    }

    /// The country where the client is located (required).
    pub fn country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }

    /// Whether the profile is active, sent as `1` or `0` (default: active).
    pub fn is_active(mut self, is_active: bool) -> Self {
        self.is_active = is_active;
        self
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

    /// The request, once every required field is set.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming every required field that is
    /// missing or blank.
    pub fn build(self) -> Result<ClientRequest> {
        let mut missing = Vec::new();
        let mut take = |name: &'static str, value: Option<String>| match value {
            Some(v) if !v.trim().is_empty() => v,
            _ => {
                missing.push(name);
                String::new()
            }
        };
        let request = ClientRequest {
            client_name: take("client_name", self.client_name),
            client_email: take("client_email", self.client_email),
            client_phone_number: take("client_phone_number", self.client_phone_number),
            contact_person_name: take("contact_person_name", self.contact_person_name),
            contact_person_email: take("contact_person_email", self.contact_person_email),
            contact_person_msisdn: take("contact_person_msisdn", self.contact_person_msisdn),
            business_pin: take("business_pin", self.business_pin),
            physical_address: self.physical_address,
            country: take("country", self.country),
            logo: self.logo,
            description: self.description,
            is_active: self.is_active,
        };
        if missing.is_empty() {
            Ok(request)
        } else {
            Err(Error::InvalidRequest(format!("a client request needs {} (missing or blank)", missing.join(", "))))
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
            .recovery(super::transactions::WAAS_RECOVERY)
            .rate_class(rate_class::SETUP);
        self.client.send_raw(req).await?.json()
    }
}
