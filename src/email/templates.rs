//! A small mechanism for emails in Norwegian bokmål and English, as plain text and HTML.
//!
//! A template is built from blocks (paragraphs, a button, small print); `render` gives the
//! subject, the text part and an escaped HTML part with one shared look. Callers pass only
//! public facts: the `private` block of a task never reaches a template.

use crate::catalogue;
use crate::domain::Language;

/// The rendered parts of one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone)]
enum Block {
    Paragraph(String),
    Button { label: String, url: String },
    SmallPrint(String),
}

/// An email body under construction, in one language.
#[derive(Debug, Clone)]
pub struct EmailBody {
    language: Language,
    greeting: Option<String>,
    blocks: Vec<Block>,
    unsubscribe_url: Option<String>,
}

impl EmailBody {
    pub fn new(language: Language) -> Self {
        Self {
            language,
            greeting: None,
            blocks: Vec::new(),
            unsubscribe_url: None,
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// "Hei Kari," / "Hi Kari,", or "Hei," / "Hello," without a name (mail to an address
    /// that is not verified names no one).
    pub fn greeting(mut self, name: Option<&str>) -> Self {
        self.greeting = Some(match name {
            Some(name) => catalogue::fill(
                self.language,
                "email-greeting-named",
                &[("name", name.into())],
            ),
            None => catalogue::text(self.language, "email-greeting").to_owned(),
        });
        self
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    /// A call to action; the text part shows the link on its own line.
    pub fn button(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.blocks.push(Block::Button {
            label: label.into(),
            url: url.into(),
        });
        self
    }

    pub fn small_print(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::SmallPrint(text.into()));
        self
    }

    /// Adds the footer link that turns this kind of email off.
    pub fn unsubscribe(mut self, url: impl Into<String>) -> Self {
        self.unsubscribe_url = Some(url.into());
        self
    }

    pub fn render(&self, subject: impl Into<String>) -> Rendered {
        let lang = self.language;
        let subject = subject.into();
        let mut text = String::new();
        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;line-height:1.5;color:#1b1b1b;max-width:36em;margin:0 auto;padding:1em\">\n",
            lang.as_str(),
            escape_html(&subject)
        );
        if let Some(greeting) = &self.greeting {
            text.push_str(greeting);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>\n", escape_html(greeting)));
        }
        for block in &self.blocks {
            match block {
                Block::Paragraph(p) => {
                    text.push_str(p);
                    text.push_str("\n\n");
                    html.push_str(&format!("<p>{}</p>\n", escape_html(p)));
                }
                Block::Button { label, url } => {
                    text.push_str(&format!("{label}:\n{url}\n\n"));
                    html.push_str(&format!(
                        "<p><a href=\"{}\" style=\"display:inline-block;background:#005aa0;color:#fff;\
                         padding:.6em 1.2em;border-radius:4px;text-decoration:none\">{}</a></p>\n",
                        escape_html(url),
                        escape_html(label)
                    ));
                }
                Block::SmallPrint(p) => {
                    text.push_str(p);
                    text.push_str("\n\n");
                    html.push_str(&format!(
                        "<p style=\"font-size:.85em;color:#555\">{}</p>\n",
                        escape_html(p)
                    ));
                }
            }
        }
        let signature = catalogue::text(lang, "email-signature");
        text.push_str("-- \n");
        text.push_str(signature);
        text.push('\n');
        html.push_str(&format!("<p>{}</p>\n", escape_html(signature)));
        if let Some(url) = &self.unsubscribe_url {
            let label = catalogue::text(lang, "email-unsubscribe");
            text.push_str(&format!("\n{label}: {url}\n"));
            html.push_str(&format!(
                "<p style=\"font-size:.85em;color:#555\"><a href=\"{}\">{}</a></p>\n",
                escape_html(url),
                escape_html(label)
            ));
        }
        html.push_str("</body></html>\n");
        Rendered {
            subject,
            text,
            html,
        }
    }
}

/// A body and its subject, not yet rendered (an unsubscribe footer may still be added).
#[derive(Debug, Clone)]
pub struct Draft {
    pub body: EmailBody,
    pub subject: String,
}

impl Draft {
    pub fn new(body: EmailBody, subject: impl Into<String>) -> Self {
        Self {
            body,
            subject: subject.into(),
        }
    }

    pub fn unsubscribe(mut self, url: impl Into<String>) -> Self {
        self.body = self.body.unsubscribe(url);
        self
    }

    pub fn render_now(&self) -> Rendered {
        self.body.render(self.subject.clone())
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
