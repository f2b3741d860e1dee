//! 辖区设置 (administrators only): the jurisdiction's name, level and GB/T 2260 code.

use super::extract::{Form, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::WebError;
use super::forms::{FormErrors, ListQuery};
use super::layout::Layout;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::{JurisdictionInput, Level};

pub(super) fn router() -> Routes {
    Routes::new().get("/settings", show).post("/settings", save)
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    values: JurisdictionForm,
    levels: Vec<SelectOption>,
    errors: FormErrors,
}

/// The jurisdiction form's raw fields.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct JurisdictionForm {
    name: String,
    level: String,
    code: String,
}

async fn render(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    values: JurisdictionForm,
    errors: FormErrors,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let layout = Layout::new(&state.store, user, "辖区设置", "/settings", notice).await?;
    let levels = Level::ALL
        .into_iter()
        .map(|level| SelectOption {
            value: level.code().to_owned(),
            label: messages::level_label(level).to_owned(),
            selected: level.code() == values.level,
        })
        .collect();
    let page = SettingsPage {
        layout,
        values,
        levels,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageJurisdiction)?;
    // The administrator's own jurisdiction: the deployment's root for the root's administrator,
    // a district for a district's.
    let own = state
        .store
        .jurisdiction_by_id(user.subject.jurisdiction_id)
        .await?;
    let values = if own.name.is_empty() {
        JurisdictionForm {
            level: Level::County.code().to_owned(),
            ..JurisdictionForm::default()
        }
    } else {
        JurisdictionForm {
            name: own.name,
            level: own.level.code().to_owned(),
            code: own.code,
        }
    };
    render(
        &state,
        &user,
        StatusCode::OK,
        values,
        FormErrors::default(),
        Some(&query.notice),
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<JurisdictionForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageJurisdiction)?;
    match JurisdictionInput::parse(&form.name, &form.level, &form.code) {
        Ok(input) => {
            let at = to_db_time(state.clock.now());
            // The administrator's own jurisdiction, under the same checks as any (a code of its
            // level inside its parent's, its children still fitting under it); the root's keeps
            // the deployment's settings in step.
            match state
                .store
                .update_jurisdiction(
                    Some(user.subject.user_id),
                    &at,
                    user.subject.jurisdiction_id,
                    &input,
                )
                .await
            {
                Ok(()) => Ok(Redirect::to("/settings?notice=jurisdiction_saved").into_response()),
                Err(crate::store::StoreError::Invalid(errors)) => {
                    render(
                        &state,
                        &user,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        form,
                        FormErrors::from(&errors),
                        None,
                    )
                    .await
                }
                Err(error) => Err(error.into()),
            }
        }
        Err(errors) => {
            render(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                FormErrors::from(&errors),
                None,
            )
            .await
        }
    }
}
