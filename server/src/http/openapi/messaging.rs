//! Messaging and proposals (handlers in `http/conversations.rs` and `http/proposals.rs`). Only
//! a conversation's participants see it: another cabinet's is 404, one the caller takes no part
//! in is 404 for a patient and 403 for staff.

// The functions below exist only to carry their `#[utoipa::path]`.
#![allow(dead_code)]

use nova_contract::{
    ApiResponse, Conversation, CreateProposalRequest, MarkReadRequest, Message, MessageListQuery,
    MessagePage, OpenConversationRequest, Proposal, ProposalAccepted, ReadReceipt,
    SendMessageRequest,
};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    list, open, one, messages, send, read, proposals, propose, accept, reject
))]
pub(super) struct Paths;

/// My conversations
///
/// The caller's conversations in the cabinet, most recently active first, each with its last
/// message and how many of the others' messages the caller has not read.
#[utoipa::path(get, path = "/api/conversations", tag = "Messaging", operation_id = "listConversations",
    responses((status = 200, description = "Conversations", body = ApiResponse<Vec<Conversation>>)),
    security(("bearerAuth" = [])))]
fn list() {}

/// Open a conversation
///
/// A patient names a practitioner of their cabinet (`practitionerId`); a practitioner or an
/// admin names a patient (`patientId`). The conversation between the two is made (201) or, if it
/// exists, answered as it is (200). Managers take no part in conversations.
#[utoipa::path(post, path = "/api/conversations", tag = "Messaging", operation_id = "openConversation",
    request_body = OpenConversationRequest,
    responses(
        (status = 200, description = "It already existed", body = ApiResponse<Conversation>),
        (status = 201, description = "Made", body = ApiResponse<Conversation>),
        (status = 403, description = "- `FORBIDDEN`: a manager"),
    ),
    security(("bearerAuth" = [])))]
fn open() {}

/// One conversation
#[utoipa::path(get, path = "/api/conversations/{id}", tag = "Messaging", operation_id = "getConversation",
    responses(
        (status = 200, description = "The conversation", body = ApiResponse<Conversation>),
        (status = 403, description = "- `FORBIDDEN`: staff who take no part in it"),
    ),
    security(("bearerAuth" = [])))]
fn one() {}

/// Messages of a conversation
///
/// Oldest first. Without a cursor, the newest `limit`; with `before`, older history; with
/// `after` (catching up after a disconnection), what came since.
#[utoipa::path(get, path = "/api/conversations/{id}/messages", tag = "Messaging", operation_id = "listMessages",
    params(MessageListQuery),
    responses(
        (status = 200, description = "A page of messages", body = ApiResponse<MessagePage>),
        (status = 403, description = "- `FORBIDDEN`: staff who take no part in it"),
    ),
    security(("bearerAuth" = [])))]
fn messages() {}

/// Send a message
///
/// The other participants hear `message:new` (and the conversation's open screens, in
/// `conversation:{id}`; drop duplicates by `data.id`); every participant `conversation_updated`.
#[utoipa::path(post, path = "/api/conversations/{id}/messages", tag = "Messaging", operation_id = "sendMessage",
    request_body = SendMessageRequest,
    responses(
        (status = 201, description = "Sent", body = ApiResponse<Message>),
        (status = 403, description = "- `FORBIDDEN`: staff who take no part in it"),
    ),
    security(("bearerAuth" = [])))]
fn send() {}

/// Mark messages read
///
/// Up to `seq`, or everything when the body is empty; a read position never moves back. The
/// others hear `message:read`.
#[utoipa::path(put, path = "/api/conversations/{id}/read", tag = "Messaging", operation_id = "markConversationRead",
    request_body(content = Option<MarkReadRequest>, description = "May be empty"),
    responses(
        (status = 200, description = "The caller's read position", body = ApiResponse<ReadReceipt>),
        (status = 403, description = "- `FORBIDDEN`: staff who take no part in it"),
    ),
    security(("bearerAuth" = [])))]
fn read() {}

/// Proposals of a conversation
///
/// Newest first. A pending proposal whose time has come reads `expired`.
#[utoipa::path(get, path = "/api/conversations/{id}/proposals", tag = "Messaging", operation_id = "listProposals",
    responses(
        (status = 200, description = "Proposals", body = ApiResponse<Vec<Proposal>>),
        (status = 403, description = "- `FORBIDDEN`: staff who take no part in it"),
    ),
    security(("bearerAuth" = [])))]
fn proposals() {}

/// Propose an appointment
///
/// A practitioner or an admin taking part offers the conversation's patient a slot; it must be
/// free and within the booking rules. The patient hears `proposal-created`.
#[utoipa::path(post, path = "/api/conversations/{id}/proposals", tag = "Messaging", operation_id = "createProposal",
    request_body = CreateProposalRequest,
    responses(
        (status = 201, description = "Proposed", body = ApiResponse<Proposal>),
        (status = 403, description = "- `FORBIDDEN`: the patient, or staff who take no part in it"),
        (status = 409, description = "- `SLOT_CONFLICT`: the time is taken\n- `SLOT_UNAVAILABLE`: outside the booking rules"),
    ),
    security(("bearerAuth" = [])))]
fn propose() {}

/// Accept a proposal
///
/// Its patient only. Books the slot, confirmed, as a booking would (`rendezvous:new`,
/// `rendezvous:created`); both sides hear `proposal-status-changed`. A slot that passed or was
/// taken meanwhile leaves the proposal `expired`.
#[utoipa::path(put, path = "/api/proposals/{id}/accept", tag = "Messaging", operation_id = "acceptProposal",
    responses(
        (status = 200, description = "Accepted and booked", body = ApiResponse<ProposalAccepted>),
        (status = 403, description = "- `FORBIDDEN`: staff"),
        (status = 409, description = "- `INVALID_TRANSITION`: already accepted or rejected\n- `SLOT_CONFLICT`: the slot was taken (the proposal expires)\n- `SLOT_UNAVAILABLE`: the slot has passed or is no longer offered (the proposal expires)"),
    ),
    security(("bearerAuth" = [])))]
fn accept() {}

/// Reject a proposal
///
/// Its patient only; both sides hear `proposal-status-changed`.
#[utoipa::path(put, path = "/api/proposals/{id}/reject", tag = "Messaging", operation_id = "rejectProposal",
    responses(
        (status = 200, description = "Rejected", body = ApiResponse<Proposal>),
        (status = 403, description = "- `FORBIDDEN`: staff"),
        (status = 409, description = "- `INVALID_TRANSITION`: already answered\n- `SLOT_UNAVAILABLE`: expired"),
    ),
    security(("bearerAuth" = [])))]
fn reject() {}
