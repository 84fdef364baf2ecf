//! Running RAISE: the format string's arguments, USING options, the re-raise of the
//! error being handled, and notices below EXCEPTION sent to the host with their CONTEXT.

use tusk_types::pg_err;

use super::{Exec, Fail, Flow, Interpreter};
use crate::ast::{Expr, RaiseLevel, RaiseOption};
use crate::raise;
use crate::{Host, NoticeLevel};

impl Interpreter<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn exec_raise(
        &mut self,
        host: &mut dyn Host,
        line: u32,
        level: RaiseLevel,
        condition: &Option<String>,
        message: &Option<String>,
        params: &[Expr],
        options: &[(RaiseOption, Expr)],
    ) -> Exec<Flow> {
        if condition.is_none() && message.is_none() && options.is_empty() {
            let Some(error) = self.handled.last() else {
                return Err(pg_err!(
                    STACKED_DIAGNOSTICS_ACCESSED_WITHOUT_ACTIVE_HANDLER,
                    "RAISE without parameters cannot be used outside an exception handler"
                )
                .into());
            };
            return Err(Fail {
                error: error.clone(),
                located: true,
                analysis: false,
            });
        }
        let mut text = match message {
            Some(format) => {
                let mut args = Vec::with_capacity(params.len());
                for p in params {
                    args.push(self.eval_text(host, p)?);
                }
                Some(raise::format_message(format, &args)?)
            }
            None => None,
        };
        let (mut code, mut detail, mut hint) = (None, None, None);
        let mut condition = condition.clone();
        for (option, expr) in options {
            let value = self.eval_text(host, expr)?.ok_or_else(|| {
                pg_err!(
                    NULL_VALUE_NOT_ALLOWED,
                    "RAISE statement option cannot be null"
                )
            })?;
            let duplicate = |name: &str| {
                Fail::from(pg_err!(
                    SYNTAX_ERROR,
                    "RAISE option already specified: {}",
                    name
                ))
            };
            match option {
                RaiseOption::Errcode => {
                    if code.is_some() || condition.is_some() {
                        return Err(duplicate("ERRCODE"));
                    }
                    code = Some(raise::condition_code(&value)?);
                }
                RaiseOption::Message => {
                    if text.is_some() {
                        return Err(duplicate("MESSAGE"));
                    }
                    text = Some(value);
                }
                RaiseOption::Detail => {
                    if detail.is_some() {
                        return Err(duplicate("DETAIL"));
                    }
                    detail = Some(value);
                }
                RaiseOption::Hint => {
                    if hint.is_some() {
                        return Err(duplicate("HINT"));
                    }
                    hint = Some(value);
                }
                RaiseOption::Other => {}
            }
        }
        if let Some(c) = condition.take() {
            let resolved = raise::condition_code(&c)?;
            code = Some(resolved);
            if text.is_none() {
                text = Some(c);
            }
        }
        let is_error = level == RaiseLevel::Exception;
        let error = raise::build(is_error, None, text, code, detail, hint)?;
        let notice_level = match level {
            RaiseLevel::Exception => return Err(error.into()),
            RaiseLevel::Debug => NoticeLevel::Debug,
            RaiseLevel::Log => NoticeLevel::Log,
            RaiseLevel::Info => NoticeLevel::Info,
            RaiseLevel::Notice => NoticeLevel::Notice,
            RaiseLevel::Warning => NoticeLevel::Warning,
        };
        let error = error.context(format!(
            "PL/pgSQL function {} line {} at RAISE",
            self.signature, line
        ));
        host.notice(notice_level, &error);
        Ok(Flow::Normal)
    }
}
