//! Messaging and proposal events (seeds 003, 004, 001): who is told of a message, a read, a
//! change of a conversation, and of proposals.
//!
//! Each message or proposal goes out twice: durably to the people concerned (their `user:`
//! rooms, replayed after a disconnection) and volatile to `conversation:{id}`, for screens
//! showing the conversation. A screen in both hears it twice; `data.id` (the message's or the
//! proposal's id) is what it drops duplicates by.

use nova_contract::{
    names, Conversation, Message, NoticeKind, Proposal, ProposalStatus, ReadReceipt,
};

use super::{rooms, Notifier};

impl Notifier {
    /// A new message: the other participants, and the open screens of the conversation.
    pub async fn message_sent(&self, participants: &[String], message: &Message) {
        let others: Vec<&str> = participants
            .iter()
            .map(String::as_str)
            .filter(|p| *p != message.sender_id)
            .collect();
        self.to_users(
            &others,
            names::MESSAGE_NEW,
            NoticeKind::Info,
            "Nouveau message".into(),
            message,
        )
        .await;
        self.to_rooms(
            vec![rooms::conversation(&message.conversation_id)],
            names::MESSAGE_NEW,
            NoticeKind::Info,
            "Nouveau message".into(),
            message,
        )
        .await;
    }

    /// A participant read up to `receipt.last_read_seq`: the others see it on their screens.
    /// Volatile: a reconnecting client reads positions from the conversation itself.
    pub async fn messages_read(&self, participants: &[String], receipt: &ReadReceipt) {
        let mut to: Vec<String> = participants
            .iter()
            .filter(|p| **p != receipt.user_id)
            .map(|p| rooms::user(p))
            .collect();
        to.push(rooms::conversation(&receipt.conversation_id));
        self.to_rooms(
            to,
            names::MESSAGE_READ,
            NoticeKind::Info,
            "Message lu".into(),
            receipt,
        )
        .await;
    }

    /// A participant's view of a conversation changed (last message, unread count): their
    /// conversation list updates. Volatile: the list is read afresh after a reconnection.
    pub async fn conversation_updated(&self, user_id: &str, conversation: &Conversation) {
        self.to_rooms(
            vec![rooms::user(user_id)],
            names::CONVERSATION_UPDATED,
            NoticeKind::Info,
            "Conversation mise à jour".into(),
            conversation,
        )
        .await;
    }

    /// A slot offered to the patient.
    pub async fn proposal_created(&self, p: &Proposal) {
        let when = p.start_time.format("%d/%m %H:%M UTC");
        let message = format!("Nouvelle proposition de rendez-vous : {when}");
        self.to_users(
            &[&p.patient_id],
            names::PROPOSAL_CREATED,
            NoticeKind::Info,
            message.clone(),
            p,
        )
        .await;
        self.to_rooms(
            vec![rooms::conversation(&p.conversation_id)],
            names::PROPOSAL_CREATED,
            NoticeKind::Info,
            message,
            p,
        )
        .await;
    }

    /// A proposal was accepted, rejected or found expired: both sides (the patient, the staff
    /// of the conversation, who proposed and for whom) and the open screens.
    pub async fn proposal_status_changed(&self, participants: &[String], p: &Proposal) {
        let mut to: Vec<&str> = participants.iter().map(String::as_str).collect();
        to.extend([
            p.patient_id.as_str(),
            p.proposed_by.as_str(),
            p.practitioner_id.as_str(),
        ]);
        to.sort_unstable();
        to.dedup();
        let (kind, message) = match p.status {
            ProposalStatus::Accepted => (NoticeKind::Success, "Proposition acceptée"),
            ProposalStatus::Rejected => (NoticeKind::Warning, "Proposition refusée"),
            ProposalStatus::Expired => (NoticeKind::Warning, "Proposition expirée"),
            ProposalStatus::Pending => (NoticeKind::Info, "Proposition en attente"),
        };
        self.to_users(&to, names::PROPOSAL_STATUS_CHANGED, kind, message.into(), p)
            .await;
        self.to_rooms(
            vec![rooms::conversation(&p.conversation_id)],
            names::PROPOSAL_STATUS_CHANGED,
            kind,
            message.into(),
            p,
        )
        .await;
    }
}
