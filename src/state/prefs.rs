//! The interface language, remembered per browser.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use nova_contract::Language;

use crate::api::json;
use crate::i18n::{texts, Texts};

const STORAGE_KEY: &str = "nova_lang";

#[derive(Clone, Copy)]
pub struct Prefs {
    pub lang: RwSignal<Language>,
}

impl Prefs {
    /// The texts in the current language; reading it subscribes the caller to changes.
    pub fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }

    /// A reactive text: `{prefs.tr(|t| t.sign_in)}`. Every call returns the same closure type
    /// (the accessor is a plain `fn`), so the view code for a translated text is compiled once
    /// instead of once per text.
    pub fn tr(&self, text: fn(&'static Texts) -> &'static str) -> impl Fn() -> &'static str + Copy {
        let lang = self.lang;
        move || text(texts(lang.get()))
    }

    pub fn toggle_language(&self) {
        let next = match self.lang.get_untracked() {
            Language::Fr => Language::En,
            Language::En => Language::Fr,
        };
        let _ = LocalStorage::set(STORAGE_KEY, next);
        set_document_lang(next);
        self.lang.set(next);
    }
}

fn set_document_lang(lang: Language) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", if lang == Language::En { "en" } else { "fr" });
    }
}

pub fn provide_prefs() -> Prefs {
    let lang = json::stored::<Language>(STORAGE_KEY).unwrap_or_default();
    set_document_lang(lang);
    let prefs = Prefs {
        lang: RwSignal::new(lang),
    };
    provide_context(prefs);
    prefs
}

pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}
