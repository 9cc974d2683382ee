//! `use_mutation`: a write with TanStack Query's lifecycle — optimistic update before the
//! request, rollback if it fails, invalidation once it settles either way.
//!
//! ## Usage
//! ```ignore
//! let confirm = use_mutation(
//!     move |id: String| async move { endpoints::confirm(&api, &id, None).await },
//!     MutationOptions {
//!         optimistic: Some(Rc::new(|client, id| {
//!             let snapshot = client.snapshot(&keys::appointments());
//!             client.update(&keys::appointments(), |page| set_status(page, id, Confirmed));
//!             snapshot
//!         })),
//!         invalidate: vec![keys::appointments()],
//!         ..Default::default()
//!     },
//! );
//! confirm.mutate(id);
//! ```
//!
//! Unlike queries, a mutation is not aborted when its component goes away: aborting a write
//! does not undo it on the server, it only loses the answer, and the cache still has to learn
//! the outcome.

use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;
use nova_contract::ErrorDetails;

use super::cache::{QueryClient, Snapshot};
use super::key::QueryKey;
use super::use_query_client;
use crate::api::http::ApiResult;

type Hook<I, O> = Rc<dyn Fn(&QueryClient, &I, &O)>;
type Optimistic<I> = Rc<dyn Fn(&QueryClient, &I) -> Snapshot>;

pub struct MutationOptions<I, O> {
    /// Runs before the request: applies the expected outcome to the cache and returns what to
    /// put back if the request fails.
    pub optimistic: Option<Optimistic<I>>,
    pub on_success: Option<Hook<I, O>>,
    pub on_error: Option<Hook<I, ErrorDetails>>,
    /// Prefixes refetched once the request settles, success or not: the server has the truth.
    pub invalidate: Vec<QueryKey>,
}

impl<I, O> Default for MutationOptions<I, O> {
    fn default() -> Self {
        Self {
            optimistic: None,
            on_success: None,
            on_error: None,
            invalidate: Vec::new(),
        }
    }
}

/// A write bound to a query client; [`Mutation::run`] is the whole lifecycle.
pub struct Mutation<I, O> {
    client: QueryClient,
    #[allow(clippy::type_complexity)]
    send: Rc<dyn Fn(I) -> std::pin::Pin<Box<dyn Future<Output = ApiResult<O>>>>>,
    options: Rc<MutationOptions<I, O>>,
}

impl<I, O> Clone for Mutation<I, O> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            send: self.send.clone(),
            options: self.options.clone(),
        }
    }
}

impl<I: Clone + 'static, O: 'static> Mutation<I, O> {
    pub fn new<Fut>(
        client: QueryClient,
        send: impl Fn(I) -> Fut + 'static,
        options: MutationOptions<I, O>,
    ) -> Self
    where
        Fut: Future<Output = ApiResult<O>> + 'static,
    {
        Self {
            client,
            send: Rc::new(move |i| Box::pin(send(i))),
            options: Rc::new(options),
        }
    }

    pub async fn run(&self, input: I) -> ApiResult<O> {
        let o = &self.options;
        let snapshot = o.optimistic.as_ref().map(|f| f(&self.client, &input));
        let result = (self.send)(input.clone()).await;
        match &result {
            Ok(out) => {
                if let Some(f) = &o.on_success {
                    f(&self.client, &input, out);
                }
            }
            Err(e) => {
                if let Some(s) = snapshot {
                    self.client.restore(s);
                }
                if let Some(f) = &o.on_error {
                    f(&self.client, &input, e);
                }
            }
        }
        for prefix in &o.invalidate {
            self.client.invalidate(prefix);
        }
        result
    }
}

/// What a component holds: start the write, watch whether it is running or failed.
pub struct UseMutationReturn<I: 'static, O: 'static> {
    pub pending: RwSignal<bool>,
    pub error: RwSignal<Option<ErrorDetails>>,
    mutation: StoredValue<Mutation<I, O>, LocalStorage>,
}

impl<I, O> Clone for UseMutationReturn<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for UseMutationReturn<I, O> {}

impl<I: Clone + 'static, O: 'static> UseMutationReturn<I, O> {
    /// Runs the write and hands back its outcome, for callers that act on it.
    pub async fn mutate_async(&self, input: I) -> ApiResult<O> {
        let mutation = self.mutation.get_value();
        self.pending.set(true);
        self.error.set(None);
        let result = mutation.run(input).await;
        if let Err(e) = &result {
            self.error.set(Some(e.clone()));
        }
        self.pending.set(false);
        result
    }
}

pub fn use_mutation<I, O, Fut>(
    send: impl Fn(I) -> Fut + 'static,
    options: MutationOptions<I, O>,
) -> UseMutationReturn<I, O>
where
    I: Clone + 'static,
    O: 'static,
    Fut: Future<Output = ApiResult<O>> + 'static,
{
    use_mutation_with(Mutation::new(use_query_client(), send, options))
}

/// Binds a ready-made [`Mutation`] (one shared by several screens) to a component.
pub fn use_mutation_with<I: Clone + 'static, O: 'static>(
    mutation: Mutation<I, O>,
) -> UseMutationReturn<I, O> {
    UseMutationReturn {
        pending: RwSignal::new(false),
        error: RwSignal::new(None),
        mutation: StoredValue::new_local(mutation),
    }
}
